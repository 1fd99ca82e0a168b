//! The binary's commands against an SQLite file.

use std::process::Command;

fn tradegraph(db: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tradegraph"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run tradegraph");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn migrate_then_load_reference_twice_gives_the_same_data() {
    let dir = std::env::temp_dir().join(format!("tradegraph-cmd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.db");
    let _ = std::fs::remove_file(&file);
    let url = format!("sqlite://{}?mode=rwc", file.display());
    tradegraph(&url, &["migrate"]);
    let first = tradegraph(&url, &["load-reference"]);
    let second = tradegraph(&url, &["load-reference"]);
    assert_eq!(first, second);
    assert!(first.contains("country\t249"), "{first}");
    assert!(first.contains("commodity\t129"), "{first}");
    // The same answer from a directory of CSV files as from the built-in copies.
    let data_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    assert_eq!(tradegraph(&url, &["load-reference", "--data-dir", data_dir]), first);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_starts_on_an_empty_file_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = std::env::temp_dir().join(format!("tradegraph-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradegraph"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the server");
    // The first start migrates, loads the bundled data, then says where it listens.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("the server logs before it listens").unwrap();
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    let drain = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());

    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body = r#"{"query":"{ country(code: \"ARM\") { name } }"}"#;
    write!(
        stream,
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""name":"Armenia""#), "{answer}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");
    let log = drain.join().unwrap().join("\n");
    assert!(
        log.contains("finished processing request") || log.contains("latency"),
        "one log line per request: {log}"
    );
    assert!(log.contains("shut down"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}
