//! `GET /export/{table}.csv` (or `/export/{table}` with `Accept: text/csv`): a whole table
//! as flat CSV, filtered by the same parameters as the GraphQL list fields, streamed (see
//! `service::export`). Counts once against the rate limit, whatever its size; a bad
//! parameter is refused with 400 and the error body of GraphQL before anything is sent.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::{ACCEPT, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use entity::enums::FlowKind;
use tokio::sync::mpsc;

use super::AppState;
use super::auth::admit;
use super::client::ClientAddr;
use super::middleware::request_id;
use crate::error::{Error, Refusal, Result};
use crate::reference::RefData;
use crate::service::exchange_rate::RateFilter;
use crate::service::export::{self, CountryYears, Export};
use crate::service::flow_list::{FlowArgs, FlowFilter, one_or_many};

/// Chunks of CSV buffered between the database and the client.
const CHUNKS_IN_FLIGHT: usize = 4;

/// The query parameters, taken one by one so that an unknown one is refused by name.
struct Params(HashMap<String, String>);

impl Params {
    fn take(&mut self, name: &str) -> Option<String> {
        self.0.remove(name)
    }
    fn int(&mut self, name: &str) -> Result<Option<i32>> {
        self.take(name)
            .map(|v| {
                v.trim()
                    .parse()
                    .map_err(|_| Error::bad_input(format!("`{name}` must be an integer, not {v:?}")))
            })
            .transpose()
    }
    /// A comma-separated list.
    fn list(&mut self, name: &str) -> Option<Vec<String>> {
        self.take(name).map(|v| {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
    }
    fn int_list(&mut self, name: &str) -> Result<Option<Vec<i32>>> {
        self.list(name)
            .map(|vs| {
                vs.iter()
                    .map(|v| {
                        v.parse()
                            .map_err(|_| Error::bad_input(format!("`{name}`: {v:?} is not an integer")))
                    })
                    .collect()
            })
            .transpose()
    }
    fn flow(name: &str, v: &str) -> Result<FlowKind> {
        FlowKind::parse(&v.to_ascii_uppercase())
            .ok_or_else(|| Error::bad_input(format!("`{name}`: {v:?} is not EXPORT, IMPORT, RE_EXPORT or RE_IMPORT")))
    }
    /// Refuses what no filter took.
    fn done(self) -> Result<()> {
        match self.0.keys().min() {
            Some(name) => Err(Error::bad_input(format!("unknown parameter `{name}`"))),
            None => Ok(()),
        }
    }

    /// The `tradeFlows` filters, single and list forms.
    fn flows(&mut self, refs: &RefData) -> Result<FlowFilter> {
        let flow = self.take("flow").map(|v| Self::flow("flow", &v)).transpose()?;
        let flows = self
            .list("flows")
            .map(|vs| vs.iter().map(|v| Self::flow("flows", v)).collect::<Result<Vec<_>>>())
            .transpose()?;
        let single_year = self.int("year")?;
        let years = self.int_list("years")?;
        let min_value_usd = self
            .take("minValueUsd")
            .map(|v| {
                v.trim()
                    .parse::<f64>()
                    .map_err(|_| Error::bad_input(format!("`minValueUsd` must be a number, not {v:?}")))
            })
            .transpose()?;
        let args = FlowArgs {
            reporters: one_or_many(self.take("reporter"), self.list("reporters"), ("reporter", "reporters"))?,
            partners: one_or_many(self.take("partner"), self.list("partners"), ("partner", "partners"))?,
            years: one_or_many(single_year, years, ("year", "years"))?,
            from_year: self.int("fromYear")?,
            to_year: self.int("toYear")?,
            commodities: one_or_many(
                self.take("commodity"),
                self.list("commodities"),
                ("commodity", "commodities"),
            )?,
            flows: one_or_many(flow, flows, ("flow", "flows"))?,
            commodity_level: self.int("commodityLevel")?,
            min_value_usd,
        };
        FlowFilter::resolve(refs, &args)
    }

    /// `country` (or `countries`) and the years.
    fn country_years(&mut self, refs: &RefData) -> Result<CountryYears> {
        let codes = one_or_many(self.take("country"), self.list("countries"), ("country", "countries"))?;
        let country_ids = codes
            .map(|cs| {
                cs.iter()
                    .map(|c| {
                        refs.country(c).map(|c| c.id).ok_or_else(|| {
                            Error::bad_input(format!("`country`: {}", crate::service::suggest::country(refs, c)))
                        })
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .transpose()?;
        Ok(CountryYears {
            country_ids,
            from_year: self.int("fromYear")?,
            to_year: self.int("toYear")?,
        })
    }
}

/// What `/export/{file}` names: the table and its filter; `csv` when the file has no
/// extension and the client accepts CSV.
fn parse(file: &str, headers: &HeaderMap, params: &mut Params, refs: &RefData) -> Result<Export> {
    let (table, extension) = match file.rsplit_once('.') {
        Some((t, e)) => (t, Some(e)),
        None => (file, None),
    };
    match extension {
        Some("csv") => {}
        None if headers
            .get_all(ACCEPT)
            .iter()
            .any(|v| v.to_str().is_ok_and(|v| v.contains("text/csv"))) => {}
        _ => return Err(Error::bad_input("ask for `.csv`, or send `Accept: text/csv`")),
    }
    Ok(match table {
        "trade-flows" => Export::TradeFlows(params.flows(refs)?),
        "indicators" => Export::Indicators(params.country_years(refs)?),
        "memberships" => Export::Memberships(params.country_years(refs)?),
        "exchange-rates" => Export::ExchangeRates(RateFilter {
            currency: params.take("currency"),
            from_year: params.int("fromYear")?,
            to_year: params.int("toYear")?,
        }),
        "countries" => Export::Countries,
        other => {
            return Err(Error::bad_input(format!(
                "no export {other:?}: trade-flows, indicators, memberships, exchange-rates or countries"
            )));
        }
    })
}

/// `GET /export/{file}`.
pub async fn export(
    State(state): State<AppState>,
    addr: ClientAddr,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let id = request_id(&headers);
    if let Err(refusal) = admit(&state, &headers, &addr, &id).await {
        return refusal.into_response();
    }
    let refs = state.refs.get();
    let mut params = Params(params);
    let what = match parse(&file, &headers, &mut params, &refs).and_then(|w| params.done().map(|()| w)) {
        Ok(w) => w,
        Err(e) => return Refusal::from_error(&e, &id).into_response(),
    };
    let (tx, mut rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let db = state.db.clone();
    let name = file.rsplit_once('.').map_or(file.as_str(), |(t, _)| t).to_owned();
    tokio::spawn(async move {
        if let Err(e) = export::csv(&db, &refs, &what, &tx).await {
            tracing::error!(request_id = %id, error = %e, "export failed");
            // Cuts the response short: the client sees an incomplete body, not a valid file.
            let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
        }
    });
    let body = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
