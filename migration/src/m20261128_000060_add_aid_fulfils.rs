//! `aid_pledge.fulfils`: the aid row (a pledge, or a commitment) that a commitment or
//! disbursement fulfils, so a pledge can answer how much of it was committed and disbursed.
//! Nullable; a row's link is removed (not the row) when the row it points to is deleted.
//! Links stay within one donor/recipient pair and never form a cycle: the write path checks
//! both (a CHECK constraint cannot see other rows).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // Plain SQL: SQLite adds a column with a foreign key only this way (no ALTER TABLE
        // ADD CONSTRAINT), and PostgreSQL reads it the same.
        db.execute_unprepared(
            "ALTER TABLE aid_pledge ADD COLUMN fulfils INTEGER REFERENCES aid_pledge (id) ON DELETE SET NULL",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX IF NOT EXISTS idx_aid_pledge_fulfils ON aid_pledge (fulfils)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS idx_aid_pledge_fulfils")
            .await?;
        db.execute_unprepared("ALTER TABLE aid_pledge DROP COLUMN fulfils")
            .await?;
        Ok(())
    }
}
