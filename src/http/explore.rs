//! `/explore`: a page to look at the data, served whole by the binary. It is a plain HTML
//! page with ES modules that asks the public GraphQL endpoint only (its queries are the
//! readable files under `assets/explore/queries/`, fetched by the page at run time), so it
//! doubles as the example front-end. Its chart library (uPlot, pinned in
//! `assets/explore/vendor/package-lock.json`, licence beside it) is embedded like GraphiQL's
//! files: the page works on a machine without internet and names no outside URL.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::{Code, Refusal};

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
/// GraphQL documents have no registered media type; `application/graphql` is what tools
/// (and the GraphQL over HTTP draft's history) use for them.
const GRAPHQL: &str = "application/graphql; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// How long a browser may reuse a file without asking. The page and its own scripts change
/// with the binary, so they are revalidated every time (a 304 by `ETag` costs one round
/// trip, no body); the pinned library changes only with its version.
const REVALIDATE: &str = "no-cache";
const PINNED: &str = "public, max-age=86400";

/// The page's files under `/explore/`: path, media type, caching, bytes.
const FILES: [(&str, &str, &str, &[u8]); 17] = [
    ("app.js", JS, REVALIDATE, include_bytes!("../../assets/explore/app.js")),
    ("api.js", JS, REVALIDATE, include_bytes!("../../assets/explore/api.js")),
    (
        "format.js",
        JS,
        REVALIDATE,
        include_bytes!("../../assets/explore/format.js"),
    ),
    (
        "charts.js",
        JS,
        REVALIDATE,
        include_bytes!("../../assets/explore/charts.js"),
    ),
    (
        "sections.js",
        JS,
        REVALIDATE,
        include_bytes!("../../assets/explore/sections.js"),
    ),
    (
        "explore.css",
        CSS,
        REVALIDATE,
        include_bytes!("../../assets/explore/explore.css"),
    ),
    (
        "queries/countries.graphql",
        GRAPHQL,
        REVALIDATE,
        include_bytes!("../../assets/explore/queries/countries.graphql"),
    ),
    (
        "queries/profile.graphql",
        GRAPHQL,
        REVALIDATE,
        include_bytes!("../../assets/explore/queries/profile.graphql"),
    ),
    (
        "queries/trade.graphql",
        GRAPHQL,
        REVALIDATE,
        include_bytes!("../../assets/explore/queries/trade.graphql"),
    ),
    (
        "queries/partners.graphql",
        GRAPHQL,
        REVALIDATE,
        include_bytes!("../../assets/explore/queries/partners.graphql"),
    ),
    (
        "queries/commodities.graphql",
        GRAPHQL,
        REVALIDATE,
        include_bytes!("../../assets/explore/queries/commodities.graphql"),
    ),
    (
        "queries/partner-flows.graphql",
        GRAPHQL,
        REVALIDATE,
        include_bytes!("../../assets/explore/queries/partner-flows.graphql"),
    ),
    (
        "queries/dependencies.graphql",
        GRAPHQL,
        REVALIDATE,
        include_bytes!("../../assets/explore/queries/dependencies.graphql"),
    ),
    (
        "queries/aid.graphql",
        GRAPHQL,
        REVALIDATE,
        include_bytes!("../../assets/explore/queries/aid.graphql"),
    ),
    (
        "vendor/uPlot.esm.js",
        JS,
        PINNED,
        include_bytes!("../../assets/explore/vendor/uPlot.esm.js"),
    ),
    (
        "vendor/uPlot.min.css",
        CSS,
        PINNED,
        include_bytes!("../../assets/explore/vendor/uPlot.min.css"),
    ),
    (
        "vendor/LICENSE-uplot",
        TEXT,
        PINNED,
        include_bytes!("../../assets/explore/vendor/LICENSE-uplot"),
    ),
];

const PAGE: &[u8] = include_bytes!("../../assets/explore/index.html");

/// Only this server, and no inline script or style at all: the page's scripts are modules
/// from here, its styles a stylesheet from here (the charts size themselves through the
/// CSSOM, which a policy does not restrict). Data from here only (`POST /graphql`); links to
/// sources are plain navigation, which `default-src` does not govern.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/// `GET /explore`: the page.
pub async fn page(headers: HeaderMap) -> Response {
    static TAG: OnceLock<String> = OnceLock::new();
    let mut resp = answer(&headers, "text/html; charset=utf-8", REVALIDATE, PAGE, &TAG);
    let h = resp.headers_mut();
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    resp
}

/// `GET /explore/{*path}`: one of the page's scripts, styles or queries.
pub async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    static TAGS: [OnceLock<String>; FILES.len()] = [const { OnceLock::new() }; FILES.len()];
    match FILES.iter().position(|(n, ..)| *n == path) {
        Some(i) => {
            let (_, media, cache, bytes) = FILES[i];
            answer(&headers, media, cache, bytes, &TAGS[i])
        }
        None => Refusal::new(
            Code::NotFound,
            format!("no explorer file {path:?}"),
            &super::middleware::request_id(&headers),
        )
        .into_response(),
    }
}

/// The file, or 304 when the browser's copy has the same `ETag`.
fn answer(
    headers: &HeaderMap,
    media: &'static str,
    cache: &'static str,
    bytes: &'static [u8],
    tag: &OnceLock<String>,
) -> Response {
    let tag = tag.get_or_init(|| format!("\"{:016x}\"", fnv1a(bytes)));
    let fresh = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    let common = [
        (CACHE_CONTROL, cache),
        (ETAG, tag.as_str()),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    if fresh {
        (StatusCode::NOT_MODIFIED, common).into_response()
    } else {
        (common, [(CONTENT_TYPE, media)], bytes).into_response()
    }
}

/// FNV-1a, 64 bits: a validator for embedded files, not a security measure (the files are
/// the binary's own).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
