//! `GET /export/{table}.csv` or `.parquet` (or `/export/{table}` with `Accept: text/csv` or
//! `application/vnd.apache.parquet`): a whole table as flat CSV or typed Parquet, filtered by the same parameters as the GraphQL list fields, streamed (see
//! `service::export`). Counts once against the rate limit, whatever its size; a bad
//! parameter is refused with 400 and the error body of GraphQL before anything is sent.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::{ACCEPT, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use entity::enums::{FlowKind, Sector};
use tokio::sync::mpsc;

use super::AppState;
use super::auth::admit;
use super::client::ClientAddr;
use super::middleware::request_id;
use crate::error::{Error, Refusal, Result};
use crate::reference::RefData;
use crate::service::exchange_rate::RateFilter;
use crate::service::export::{self, CountryYears, DependencyFilter, Export, Format};
use crate::service::flow_list::{FlowArgs, FlowFilter, one_or_many};

/// Chunks of the file buffered between the database and the client.
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

    /// A list of country codes under `name` (or one under `single`), as ids.
    fn countries(&mut self, refs: &RefData, (single, name): (&str, &str)) -> Result<Option<Vec<i32>>> {
        let codes = one_or_many(self.take(single), self.list(name), (single, name))?;
        codes
            .map(|cs| {
                cs.iter()
                    .map(|c| {
                        refs.country(c).map(|c| c.id).ok_or_else(|| {
                            Error::bad_input(format!("`{single}`: {}", crate::service::suggest::country(refs, c)))
                        })
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .transpose()
    }

    /// `country` (or `countries`) and the years.
    fn country_years(&mut self, refs: &RefData, names: (&str, &str)) -> Result<CountryYears> {
        Ok(CountryYears {
            country_ids: self.countries(refs, names)?,
            from_year: self.int("fromYear")?,
            to_year: self.int("toYear")?,
        })
    }

    /// The filters of `Country.importDependencies`, and the importers.
    fn dependencies(&mut self, refs: &RefData) -> Result<DependencyFilter> {
        let sector = self
            .take("sector")
            .map(|v| {
                Sector::parse(&v.trim().to_ascii_uppercase()).ok_or_else(|| {
                    Error::bad_input(format!("`sector`: {v:?} is not ENERGY, FOOD or AGRICULTURAL_INPUTS"))
                })
            })
            .transpose()?;
        Ok(DependencyFilter {
            importer_ids: self.countries(refs, ("importer", "importers"))?,
            sector,
            year: self.int("year")?,
        })
    }
}

/// The format a request asks for: by the file's extension, else by `Accept`.
fn format(extension: Option<&str>, headers: &HeaderMap) -> Result<Format> {
    let accepts = |media: &str| {
        headers
            .get_all(ACCEPT)
            .iter()
            .any(|v| v.to_str().is_ok_and(|v| v.contains(media)))
    };
    match extension {
        Some("csv") => Ok(Format::Csv),
        Some("parquet") => Ok(Format::Parquet),
        None if accepts("text/csv") => Ok(Format::Csv),
        None if accepts(Format::Parquet.media_type()) => Ok(Format::Parquet),
        _ => Err(Error::bad_input(
            "ask for `.csv` or `.parquet`, or send `Accept: text/csv` or `Accept: application/vnd.apache.parquet`",
        )),
    }
}

/// What `/export/{file}` names: the table, its filter and the format.
fn parse(file: &str, headers: &HeaderMap, params: &mut Params, refs: &RefData) -> Result<(Export, Format)> {
    let (table, extension) = match file.rsplit_once('.') {
        Some((t, e)) => (t, Some(e)),
        None => (file, None),
    };
    let format = format(extension, headers)?;
    let what = match table {
        "trade-flows" => Export::TradeFlows(params.flows(refs)?),
        "indicators" => Export::Indicators(params.country_years(refs, ("country", "countries"))?),
        "memberships" => Export::Memberships(CountryYears {
            country_ids: params.countries(refs, ("country", "countries"))?,
            ..CountryYears::default()
        }),
        "exchange-rates" => Export::ExchangeRates(RateFilter {
            currency: params.take("currency"),
            from_year: params.int("fromYear")?,
            to_year: params.int("toYear")?,
        }),
        "countries" => Export::Countries,
        "aid-pledges" => Export::AidPledges(params.country_years(refs, ("recipient", "recipients"))?),
        "import-dependencies" => Export::ImportDependencies(params.dependencies(refs)?),
        other => {
            return Err(Error::bad_input(format!(
                "no export {other:?}: trade-flows, indicators, memberships, exchange-rates, countries, \
                 aid-pledges or import-dependencies"
            )));
        }
    };
    Ok((what, format))
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
    let (what, format) = match parse(&file, &headers, &mut params, &refs).and_then(|w| params.done().map(|()| w)) {
        Ok(w) => w,
        Err(e) => return Refusal::from_error(&e, &id).into_response(),
    };
    let (tx, mut rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let db = state.db.clone();
    let name = file.rsplit_once('.').map_or(file.as_str(), |(t, _)| t).to_owned();
    tokio::spawn(async move {
        if let Err(e) = export::write(&db, &refs, &what, format, &tx).await {
            tracing::error!(request_id = %id, error = %e, "export failed");
            // Cuts the response short: the client sees an incomplete body, not a valid file.
            let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
        }
    });
    let body = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    (
        [
            (CONTENT_TYPE, format.media_type().to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{}\"", format.extension()),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response()
}
