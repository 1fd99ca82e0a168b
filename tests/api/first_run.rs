//! The binary as a newcomer meets it: a bare `tradegraph` (what `cargo run --release` runs)
//! takes every option of `serve`, from the environment and from flags; refusals of the HTTP
//! parser itself carry a JSON body; the reference lives in the repository.

use serde_json::Value;

use crate::helpers::Server;

/// A GET of `path` that closes the connection.
fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
}

/// The JSON body of a raw answer.
fn body(answer: &str) -> Value {
    let (_, body) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("{answer}"));
    serde_json::from_str(body).unwrap_or_else(|_| panic!("a JSON body: {answer}"))
}

#[test]
fn a_bare_tradegraph_honours_the_environment_like_serve() {
    // Listen address and rate limit from the environment, no subcommand.
    let server = Server::start(
        "bare-env",
        &[],
        &[
            ("TRADEGRAPH_LISTEN", "127.0.0.1:0"),
            ("TRADEGRAPH_RATE_LIMIT_PER_MINUTE", "1"),
        ],
    );
    let query = "/graphql?query=%7B__typename%7D";
    assert!(server.raw(get(query).as_bytes()).starts_with("HTTP/1.1 200"));
    let second = server.raw(get(query).as_bytes());
    assert!(
        second.starts_with("HTTP/1.1 429"),
        "the limit of 1 a minute applies: {second}"
    );
    assert_eq!(body(&second)["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    let (ok, _) = server.stop();
    assert!(ok);
    // And the same options as flags.
    let server = Server::start(
        "bare-flags",
        &["--listen", "127.0.0.1:0", "--rate-limit-per-minute", "1"],
        &[],
    );
    assert!(server.raw(get(query).as_bytes()).starts_with("HTTP/1.1 200"));
    assert!(server.raw(get(query).as_bytes()).starts_with("HTTP/1.1 429"));
}

#[test]
fn refusals_of_the_http_parser_have_json_bodies() {
    let server = Server::start("wire", &["--listen", "127.0.0.1:0"], &[]);
    // A 200 kB URL: hyper refuses it before any handler runs.
    let long = format!("/graphql?query={}", "a".repeat(200 * 1024));
    let answer = server.raw(get(&long).as_bytes());
    assert!(
        answer.starts_with("HTTP/1.1 414"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    assert!(answer.to_ascii_lowercase().contains("content-type: application/json"));
    assert_eq!(body(&answer)["errors"][0]["extensions"]["code"], "URI_TOO_LONG");
    // Headers too large.
    let huge = format!(
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(600 * 1024)
    );
    let answer = server.raw(huge.as_bytes());
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    assert_eq!(body(&answer)["errors"][0]["extensions"]["code"], "HEADERS_TOO_LARGE");
    // A request line that is not HTTP.
    let answer = server.raw(b"GARBAGE\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert_eq!(body(&answer)["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    // Still serving.
    assert!(server.raw(get("/healthz").as_bytes()).starts_with("HTTP/1.1 200"));
}
