use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::sane_year;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Source::Table)
                    .if_not_exists()
                    .col(pk_auto(Source::Id))
                    .col(string_uniq(Source::Key))
                    .col(string(Source::Publisher))
                    .col(string(Source::Title))
                    .col(integer_null(Source::Year))
                    .col(string_null(Source::Url))
                    .col(text_null(Source::Note))
                    .check(sane_year("ck_source_year", Source::Year))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Source::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum Source {
    Table,
    Id,
    Key,
    Publisher,
    Title,
    Year,
    Url,
    Note,
}
