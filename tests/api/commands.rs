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
