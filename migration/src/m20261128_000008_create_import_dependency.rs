use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{QUALIFIERS, fk, fraction, index, one_of, sane_year};
use crate::m20261128_000001_create_source::Source;
use crate::m20261128_000002_create_country::Country;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportDependency::Table)
                    .if_not_exists()
                    .col(pk_auto(ImportDependency::Id))
                    .col(integer(ImportDependency::ImporterId))
                    .col(integer(ImportDependency::SupplierId))
                    .col(string_len(ImportDependency::Sector, 20))
                    .col(string(ImportDependency::Product))
                    .col(integer_null(ImportDependency::Year))
                    .col(double(ImportDependency::Share))
                    .col(string_len(ImportDependency::Basis, 10))
                    .col(string_len(ImportDependency::Qualifier, 11).default("EXACT"))
                    .col(integer_null(ImportDependency::SourceId))
                    .col(text_null(ImportDependency::Note))
                    .foreign_key(&mut fk(
                        "fk_import_dependency_importer",
                        ImportDependency::Table,
                        ImportDependency::ImporterId,
                        Country::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_import_dependency_supplier",
                        ImportDependency::Table,
                        ImportDependency::SupplierId,
                        Country::Table,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_import_dependency_source",
                        ImportDependency::Table,
                        ImportDependency::SourceId,
                        Source::Table,
                        ForeignKeyAction::SetNull,
                    ))
                    .check(one_of(
                        "ck_import_dependency_sector",
                        ImportDependency::Sector,
                        &["ENERGY", "FOOD", "AGRICULTURAL_INPUTS"],
                    ))
                    .check(one_of(
                        "ck_import_dependency_basis",
                        ImportDependency::Basis,
                        &["BY_VALUE", "BY_VOLUME", "OF_SUPPLY"],
                    ))
                    .check(one_of(
                        "ck_import_dependency_qualifier",
                        ImportDependency::Qualifier,
                        QUALIFIERS,
                    ))
                    .check(fraction("ck_import_dependency_share", ImportDependency::Share))
                    .check(sane_year("ck_import_dependency_year", ImportDependency::Year))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_import_dependency_importer",
                ImportDependency::Table,
                [
                    ImportDependency::ImporterId,
                    ImportDependency::Sector,
                    ImportDependency::Year,
                ],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_import_dependency_supplier",
                ImportDependency::Table,
                [ImportDependency::SupplierId],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_import_dependency_source",
                ImportDependency::Table,
                [ImportDependency::SourceId],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ImportDependency::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum ImportDependency {
    Table,
    Id,
    ImporterId,
    SupplierId,
    Sector,
    Product,
    Year,
    Share,
    Basis,
    Qualifier,
    SourceId,
    Note,
}
