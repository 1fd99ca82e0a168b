use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index, one_of};
use crate::m20261128_000001_create_source::Source;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Commodity::Table)
                    .if_not_exists()
                    .col(pk_auto(Commodity::Id))
                    .col(string_len_uniq(Commodity::Code, 8))
                    .col(string_len(Commodity::Kind, 10))
                    .col(integer_null(Commodity::ParentId))
                    .col(text(Commodity::Name))
                    .col(integer_null(Commodity::SourceId))
                    .foreign_key(&mut fk(
                        "fk_commodity_parent",
                        Commodity::Table,
                        Commodity::ParentId,
                        Commodity::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_commodity_source",
                        Commodity::Table,
                        Commodity::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .check(one_of(
                        "ck_commodity_kind",
                        Commodity::Kind,
                        &["total", "section", "chapter", "heading", "subheading"],
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_commodity_parent",
                Commodity::Table,
                [Commodity::ParentId],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_commodity_source",
                Commodity::Table,
                [Commodity::SourceId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Commodity::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Commodity {
    Table,
    Id,
    Code,
    Kind,
    ParentId,
    Name,
    SourceId,
}
