use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{index, not_negative};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(big_pk_auto(AuditLog::Id))
                    // The key's name, not a foreign key: entries outlive revoked keys.
                    .col(string_len(AuditLog::KeyName, 100))
                    .col(string_len(AuditLog::Mutation, 60))
                    .col(integer(AuditLog::Inserted))
                    .col(integer(AuditLog::Updated))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .check(not_negative("ck_audit_log_inserted", AuditLog::Inserted))
                    .check(not_negative("ck_audit_log_updated", AuditLog::Updated))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_audit_log_key_name",
                AuditLog::Table,
                [AuditLog::KeyName],
                false,
            ))
            .await?;
        manager
            .create_index(index("ix_audit_log_at", AuditLog::Table, [AuditLog::At], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum AuditLog {
    Table,
    Id,
    KeyName,
    Mutation,
    Inserted,
    Updated,
    At,
}
