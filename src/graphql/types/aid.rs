use async_graphql::{Context, Object, Result};

use super::{AidKind, Country, Date, Qualifier, Source, country_of, party_code_name, source_of};
use super::{Lineage, LineageInput};
use crate::graphql::loaders::AidFulfilment as AidFulfilmentLoader;
use crate::graphql::refs;
use crate::service::aid::AidFigure;
use crate::service::aid_ledger::Fulfilment;

/// Aid from a country or an organisation to a country, as announced, with USD figures
/// computed on request from stored exchange rates and population.
#[derive(Clone)]
pub struct AidPledge(pub AidFigure);

#[Object]
impl AidPledge {
    /// Global, opaque, stable identifier (`Node`); `node(id:)` returns this object again.
    pub async fn id(&self) -> async_graphql::ID {
        crate::graphql::node::id(crate::service::nodes::Kind::AidPledge, self.0.id)
    }
    /// Code of the donor: ISO alpha-3 of a country or the code of an organisation (`EU`).
    async fn donor_code(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(party_code_name(&*refs(ctx)?, self.0.donor_country_id, self.0.donor_organization_id).0)
    }
    /// Name of the donor.
    async fn donor_name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(party_code_name(&*refs(ctx)?, self.0.donor_country_id, self.0.donor_organization_id).1)
    }
    /// The recipient country.
    async fn recipient(&self, ctx: &Context<'_>) -> Result<Country> {
        country_of(&*refs(ctx)?, self.0.recipient_id)
    }
    /// Amount as announced, in `currency`.
    async fn amount(&self) -> f64 {
        self.0.amount
    }
    /// ISO 4217 code of `amount`.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Pledge, commitment or disbursement.
    async fn kind(&self) -> AidKind {
        self.0.kind.into()
    }
    /// `amount` in USD at the yearly average rate of the announcement year (of the period's
    /// first year when no announcement date is known); USD converts at 1; null without a rate.
    async fn amount_usd(&self) -> Option<f64> {
        self.0.amount_usd
    }
    /// How `amountUsd` was computed: the aid row's amount and the exchange rate row used;
    /// null when `amountUsd` is.
    async fn amount_usd_lineage(&self) -> Option<Lineage> {
        self.lineage(Figure::Usd)
    }
    /// How sure `amountUsd` is, from the qualifiers of `amount` and of the exchange rate.
    async fn amount_usd_qualifier(&self) -> Option<Qualifier> {
        self.0.amount_usd_qualifier.map(Into::into)
    }
    /// `amountUsd` / number of years of the period; equals `amountUsd` without a period.
    async fn annual_amount_usd(&self) -> Option<f64> {
        self.0.annual_amount_usd
    }
    /// How `annualAmountUsd` was computed (`amountUsdLineage` and the years of the period);
    /// null when `annualAmountUsd` is.
    async fn annual_amount_usd_lineage(&self) -> Option<Lineage> {
        self.lineage(Figure::Annual)
    }
    /// How sure `annualAmountUsd` is (as `amountUsd`: the number of years is exact).
    async fn annual_amount_usd_qualifier(&self) -> Option<Qualifier> {
        self.0.annual_amount_usd_qualifier.map(Into::into)
    }
    /// `amountUsd` / recipient's `POPULATION` in the announcement year, or the latest earlier year.
    async fn per_capita_usd(&self) -> Option<f64> {
        self.0.per_capita_usd
    }
    /// How `perCapitaUsd` was computed (`amountUsdLineage` and the population row used);
    /// null when `perCapitaUsd` is.
    async fn per_capita_usd_lineage(&self) -> Option<Lineage> {
        self.lineage(Figure::PerCapita)
    }
    /// How sure `perCapitaUsd` is, from `amountUsd`'s and the population's qualifiers.
    async fn per_capita_usd_qualifier(&self) -> Option<Qualifier> {
        self.0.per_capita_usd_qualifier.map(Into::into)
    }
    /// The year whose exchange rate and population the USD figures use.
    async fn reference_year(&self) -> Option<i32> {
        self.0.ref_year
    }
    /// Day of the announcement.
    async fn announced_on(&self) -> Option<Date> {
        self.0.announced_on.map(Date)
    }
    /// First year of the period the aid covers.
    async fn period_start_year(&self) -> Option<i32> {
        self.0.period_start_year
    }
    /// Last year of the period the aid covers.
    async fn period_end_year(&self) -> Option<i32> {
        self.0.period_end_year
    }
    /// What the aid is for.
    async fn purpose(&self) -> Option<&str> {
        self.0.purpose.as_deref()
    }
    /// How exactly the amount is known.
    async fn qualifier(&self) -> Qualifier {
        self.0.qualifier.into()
    }
    /// Where the figure comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        source_of(ctx, self.0.source_id)
    }
    /// Curators' remarks (quotation, choice of period).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// The `id` of the aid row this one fulfils (a pledge, or a commitment of one); null when
    /// not linked. `node(id:)` fetches it.
    async fn fulfils_id(&self) -> Option<async_graphql::ID> {
        self.0
            .fulfils
            .map(|id| crate::graphql::node::id(crate::service::nodes::Kind::AidPledge, id))
    }
    /// How much of this row the rows fulfilling it add up to: the commitments and
    /// disbursements linked to it, directly or through a commitment, in USD (each at its own
    /// year's rate). One statement for every aid row of the query.
    async fn fulfilment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Count only the rows dated on or before that day (by `announcedOn`, else \
                          the first year of their period); all rows when omitted.")]
        as_of: Option<Date>,
    ) -> Result<AidFulfilment> {
        let found = AidFulfilmentLoader::load(ctx, self.0.id, as_of.map(|d| d.0)).await?;
        Ok(AidFulfilment { as_of, found })
    }
}

/// The USD figures of an aid row.
#[derive(Clone, Copy, PartialEq)]
enum Figure {
    Usd,
    Annual,
    PerCapita,
}

impl AidPledge {
    /// The lineage of one USD figure, from the rows the statement that computed it joined.
    fn lineage(&self, figure: Figure) -> Option<Lineage> {
        let a = &self.0;
        let value = match figure {
            Figure::Usd => a.amount_usd,
            Figure::Annual => a.annual_amount_usd,
            Figure::PerCapita => a.per_capita_usd,
        };
        value?;
        let row = crate::graphql::node::id(crate::service::nodes::Kind::AidPledge, a.id);
        let mut inputs = vec![LineageInput {
            id: row.clone(),
            symbol: "amount",
            value: a.amount,
            qualifier: a.qualifier,
            source_id: a.source_id,
        }];
        let usd = a.currency == "USD";
        if let (false, Some(rate), Some(q)) = (usd, a.rate, a.rate_qualifier) {
            let year = a.ref_year.unwrap_or_default();
            inputs.push(LineageInput {
                id: async_graphql::ID(crate::service::nodes::stable_id(
                    "ExchangeRate",
                    format!("{}:{year}", a.currency),
                )),
                symbol: "usdPerUnit",
                value: rate,
                qualifier: q,
                source_id: a.rate_source_id,
            });
        }
        let amount = if usd {
            "amount (in USD, converted at 1)"
        } else {
            "amount × USD per unit of the currency, yearly average of the reference year"
        };
        let (formula, expression) = match figure {
            Figure::Usd => (amount.to_owned(), if usd { "amount" } else { "amount × usdPerUnit" }),
            Figure::Annual => match (a.period_start_year, a.period_end_year) {
                (Some(from), Some(to)) => {
                    inputs.push(LineageInput {
                        id: row,
                        symbol: "years",
                        value: f64::from(to - from + 1),
                        qualifier: entity::enums::Qualifier::Exact,
                        source_id: a.source_id,
                    });
                    (
                        format!("{amount}, divided by the years of the period ({from}–{to})"),
                        if usd {
                            "amount / years"
                        } else {
                            "amount × usdPerUnit / years"
                        },
                    )
                }
                _ => (
                    format!("{amount} (no period: one year)"),
                    if usd { "amount" } else { "amount × usdPerUnit" },
                ),
            },
            Figure::PerCapita => {
                inputs.push(LineageInput {
                    id: crate::graphql::node::id(
                        crate::service::nodes::Kind::IndicatorValue,
                        a.population_id.unwrap_or_default(),
                    ),
                    symbol: "population",
                    value: a.population.unwrap_or_default(),
                    qualifier: a.population_qualifier.unwrap_or(entity::enums::Qualifier::Exact),
                    source_id: a.population_source_id,
                });
                (
                    format!(
                        "{amount}, divided by the recipient's POPULATION of the reference year or the latest earlier one"
                    ),
                    if usd {
                        "amount / population"
                    } else {
                        "amount × usdPerUnit / population"
                    },
                )
            }
        };
        Some(Lineage {
            formula,
            expression: expression.into(),
            inputs,
        })
    }
}

/// The commitments and disbursements that fulfil an aid row, summed in USD. A linked row
/// without a USD amount (no exchange rate for its year) is left out and makes the sum
/// `AT_LEAST`.
pub struct AidFulfilment {
    as_of: Option<Date>,
    found: Option<Fulfilment>,
}

#[Object]
impl AidFulfilment {
    /// Σ `amountUsd` of the linked commitments; 0 when none is recorded.
    async fn committed_usd(&self) -> f64 {
        self.found.as_ref().map_or(0.0, |f| f.committed_usd)
    }
    /// How sure `committedUsd` is.
    async fn committed_usd_qualifier(&self) -> Qualifier {
        self.found
            .as_ref()
            .map_or(Qualifier::Exact, |f| f.committed_usd_qualifier.into())
    }
    /// Σ `amountUsd` of the linked disbursements; 0 when none is recorded.
    async fn disbursed_usd(&self) -> f64 {
        self.found.as_ref().map_or(0.0, |f| f.disbursed_usd)
    }
    /// How sure `disbursedUsd` is.
    async fn disbursed_usd_qualifier(&self) -> Qualifier {
        self.found
            .as_ref()
            .map_or(Qualifier::Exact, |f| f.disbursed_usd_qualifier.into())
    }
    /// `disbursedUsd` / the row's own `amountUsd`; null without it or when it is 0.
    async fn ratio(&self) -> Option<f64> {
        self.found.as_ref().and_then(|f| f.ratio)
    }
    /// How sure `ratio` is.
    async fn ratio_qualifier(&self) -> Option<Qualifier> {
        self.found.as_ref().and_then(|f| f.ratio_qualifier).map(Into::into)
    }
    /// Linked rows counted.
    async fn rows(&self) -> i64 {
        self.found.as_ref().map_or(0, |f| f.row_count)
    }
    /// The day asked for (`asOf`); null: every recorded row.
    async fn as_of(&self) -> Option<Date> {
        self.as_of
    }
}
