use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{index, one_of};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiKey::Table)
                    .if_not_exists()
                    .col(pk_auto(ApiKey::Id))
                    .col(string_len_uniq(ApiKey::Name, 100))
                    .col(string_len(ApiKey::Scope, 5))
                    // Hex SHA-256 of the key; the key itself is never stored.
                    .col(string_len_uniq(ApiKey::KeyHash, 64))
                    .col(timestamp_with_time_zone(ApiKey::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKey::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiKey::RevokedAt))
                    .check(one_of("ck_api_key_scope", ApiKey::Scope, &["read", "write", "admin"]))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_api_key_created_at",
                ApiKey::Table,
                [ApiKey::CreatedAt],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ApiKey::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub enum ApiKey {
    Table,
    Id,
    Name,
    Scope,
    KeyHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}
