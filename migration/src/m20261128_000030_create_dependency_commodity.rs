use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{fk, index};
use crate::m20261128_000005_create_commodity::Commodity;
use crate::m20261128_000008_create_import_dependency::ImportDependency;

/// The HS codes a stated import dependency's product corresponds to, so the share can be
/// recomputed from trade flows where HS-level data exists.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DependencyCommodity::Table)
                    .if_not_exists()
                    .col(integer(DependencyCommodity::ImportDependencyId))
                    .col(integer(DependencyCommodity::CommodityId))
                    .primary_key(
                        Index::create()
                            .name("pk_dependency_commodity")
                            .col(DependencyCommodity::ImportDependencyId)
                            .col(DependencyCommodity::CommodityId),
                    )
                    .foreign_key(&mut fk(
                        "fk_dependency_commodity_dependency",
                        DependencyCommodity::Table,
                        DependencyCommodity::ImportDependencyId,
                        ImportDependency::Table,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_dependency_commodity_commodity",
                        DependencyCommodity::Table,
                        DependencyCommodity::CommodityId,
                        Commodity::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_dependency_commodity_commodity",
                DependencyCommodity::Table,
                [DependencyCommodity::CommodityId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DependencyCommodity::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum DependencyCommodity {
    Table,
    ImportDependencyId,
    CommodityId,
}
