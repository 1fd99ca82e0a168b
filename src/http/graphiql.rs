//! GraphiQL, whole from the binary: its scripts and styles (GraphiQL 4.1.2 and React 18.3.1,
//! pinned in `assets/graphiql/package-lock.json`, licences beside them) are embedded at build
//! time, so the page works on a machine without internet and names no outside URL. Its
//! Content-Security-Policy lets the browser load nothing from anywhere else.

use axum::extract::Path;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::error::{Code, Refusal};

/// Scripts and styles: name, media type, bytes.
const ASSETS: [(&str, &str, &[u8]); 5] = [
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
    ("init.js", "text/javascript; charset=utf-8", INIT.as_bytes()),
];

/// Starts GraphiQL against the endpoint the page was served from (relative URLs, so that it
/// works behind a proxy that mounts the API under a path).
const INIT: &str = r#"'use strict';
const fetcher = GraphiQL.createFetcher({ url: new URL('graphql', window.location.href).toString() });
const defaultQuery = `# tradegraph: trade, aid, memberships and dependencies between countries.
# Press the run button (or Ctrl-Enter). The Docs panel lists every type and field.

{
  country(code: "ARM") {
    name
    tradeWith(partner: "RUS", fromYear: 2021) {
      year
      exportsUsd
      importsUsd
      balanceUsd
    }
  }
}
`;
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
);
"#;

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tradegraph · GraphiQL</title>
<link rel="stylesheet" href="graphiql/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="graphiql/react.production.min.js"></script>
<script src="graphiql/react-dom.production.min.js"></script>
<script src="graphiql/graphiql.min.js"></script>
<script src="graphiql/init.js"></script>
</body>
</html>
"#;

/// Only this server: scripts and styles from here (GraphiQL sets inline styles), data and
/// images from here or inline.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

/// The GraphiQL page.
pub async fn page() -> Response {
    let mut resp = ([(CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response();
    resp.headers_mut()
        .insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    resp
}

/// `GET /graphiql/{file}`: one of the page's scripts or styles.
pub async fn asset(Path(name): Path<String>, headers: axum::http::HeaderMap) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, media, bytes)) => (
            [(CONTENT_TYPE, *media), (CACHE_CONTROL, "public, max-age=86400")],
            *bytes,
        )
            .into_response(),
        None => Refusal::new(
            Code::NotFound,
            format!("no GraphiQL file {name:?}"),
            &super::middleware::request_id(&headers),
        )
        .into_response(),
    }
}
