//! `Country.mirror`'s output type.

use async_graphql::{Context, Object, Result};

use super::flow_lineage as fl;
use super::{Lineage, Qualifier};
use crate::graphql::loaders::figures::MirrorLineage;
use crate::service::figures as f;

/// A figure's qualifier as the API names it.
fn named(q: Option<entity::enums::Qualifier>) -> Option<Qualifier> {
    q.map(Into::into)
}

/// A year of trade as the reporter declared it against what the partner declared.
#[derive(Clone)]
pub struct MirrorTradeYear(pub f::MirrorYear, pub f::MirrorArgs);

#[Object]
impl MirrorTradeYear {
    /// Calendar year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The reporter's declared exports to the partner.
    async fn exports_usd(&self) -> Option<f64> {
        self.0.exports_usd
    }
    /// The stored qualifier of `exportsUsd`.
    async fn exports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.exports_usd_qualifier)
    }
    /// The partner's declared imports from the reporter (the mirror of `exportsUsd`).
    async fn partner_imports_usd(&self) -> Option<f64> {
        self.0.partner_imports_usd
    }
    /// The stored qualifier of `partnerImportsUsd`.
    async fn partner_imports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.partner_imports_usd_qualifier)
    }
    /// `partnerImportsUsd − exportsUsd` (imports are usually valued CIF, exports FOB).
    async fn export_gap_usd(&self) -> Option<f64> {
        self.0.export_gap_usd
    }
    /// How sure `exportGapUsd` is.
    async fn export_gap_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.export_gap_usd_qualifier)
    }
    /// How `exportGapUsd` was computed: the reporter's and the partner's stored flows; null when
    /// `exportGapUsd` is. One more statement for every reporter of the query level.
    async fn export_gap_usd_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.export_gap_usd, fl::MirrorGap::ExportUsd).await
    }
    /// `exportGapUsd / exportsUsd`.
    async fn export_gap_ratio(&self) -> Option<f64> {
        self.0.export_gap_ratio
    }
    /// How sure `exportGapRatio` is.
    async fn export_gap_ratio_qualifier(&self) -> Option<Qualifier> {
        named(self.0.export_gap_ratio_qualifier)
    }
    /// How `exportGapRatio` was computed: the reporter's and the partner's stored flows; null when
    /// `exportGapRatio` is. One more statement for every reporter of the query level.
    async fn export_gap_ratio_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.export_gap_ratio, fl::MirrorGap::ExportRatio)
            .await
    }
    /// The reporter's declared imports from the partner.
    async fn imports_usd(&self) -> Option<f64> {
        self.0.imports_usd
    }
    /// The stored qualifier of `importsUsd`.
    async fn imports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.imports_usd_qualifier)
    }
    /// The partner's declared exports to the reporter (the mirror of `importsUsd`).
    async fn partner_exports_usd(&self) -> Option<f64> {
        self.0.partner_exports_usd
    }
    /// The stored qualifier of `partnerExportsUsd`.
    async fn partner_exports_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.partner_exports_usd_qualifier)
    }
    /// `partnerExportsUsd − importsUsd`.
    async fn import_gap_usd(&self) -> Option<f64> {
        self.0.import_gap_usd
    }
    /// How sure `importGapUsd` is.
    async fn import_gap_usd_qualifier(&self) -> Option<Qualifier> {
        named(self.0.import_gap_usd_qualifier)
    }
    /// How `importGapUsd` was computed: the reporter's and the partner's stored flows; null when
    /// `importGapUsd` is. One more statement for every reporter of the query level.
    async fn import_gap_usd_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.import_gap_usd, fl::MirrorGap::ImportUsd).await
    }
    /// `importGapUsd / importsUsd`.
    async fn import_gap_ratio(&self) -> Option<f64> {
        self.0.import_gap_ratio
    }
    /// How sure `importGapRatio` is.
    async fn import_gap_ratio_qualifier(&self) -> Option<Qualifier> {
        named(self.0.import_gap_ratio_qualifier)
    }
    /// How `importGapRatio` was computed: the reporter's and the partner's stored flows; null when
    /// `importGapRatio` is. One more statement for every reporter of the query level.
    async fn import_gap_ratio_lineage(&self, ctx: &Context<'_>) -> Result<Option<Lineage>> {
        self.lineage(ctx, self.0.import_gap_ratio, fl::MirrorGap::ImportRatio)
            .await
    }
}

impl MirrorTradeYear {
    /// The lineage of `gap`, whose value is `value`.
    async fn lineage(&self, ctx: &Context<'_>, value: Option<f64>, gap: fl::MirrorGap) -> Result<Option<Lineage>> {
        if value.is_none() {
            return Ok(None);
        }
        let rows = fl::rows::<MirrorLineage>(ctx, self.0.reporter_id, self.1).await?;
        Ok(Some(fl::mirror(
            &rows,
            self.0.year,
            self.0.reporter_id,
            self.1.partner_id,
            gap,
        )))
    }
}
