//! The reference in `docs/` agrees with the program: every error code with its status,
//! every option's environment variable, links that stay inside the repository, and write
//! examples that create rows of their own rather than replacing bundled ones.

use serde_json::{Value, json};
use tradegraph::error::Code;

use crate::helpers::TestApp;
use crate::on_both_backends;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_error_code_is_documented_with_its_status() {
    let errors = read("docs/errors.md");
    for code in Code::ALL {
        let row = format!("| `{}` | {} |", code.as_str(), code.status().as_u16());
        assert!(errors.contains(&row), "docs/errors.md lacks {row}");
    }
}

#[test]
fn every_environment_variable_is_documented() {
    let config = read("src/config.rs");
    let api = read("docs/api.md");
    for var in config.split("env = \"").skip(1).map(|s| s.split('"').next().unwrap()) {
        if var.starts_with("TRADEGRAPH_GENERATE") || var == "TRADEGRAPH_IMPORT_METHOD" || var == "TRADEGRAPH_DATA_DIR" {
            continue; // options of other commands, documented with them in the README
        }
        assert!(api.contains(var), "docs/api.md does not mention {var}");
    }
}

#[test]
fn links_stay_inside_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    files.extend(std::fs::read_dir(root.join("docs")).unwrap().map(|e| e.unwrap().path()));
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains("shared/"), "{} points outside the clone", file.display());
        for link in text.split("](").skip(1).map(|s| s.split(')').next().unwrap()) {
            if link.starts_with("http") || link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            let target = file.parent().unwrap().join(link.split('#').next().unwrap());
            let target = target
                .canonicalize()
                .unwrap_or_else(|_| panic!("{}: broken link {link}", file.display()));
            assert!(
                target.starts_with(root),
                "{}: {link} leaves the repository",
                file.display()
            );
        }
    }
}

/// The mutations of the "Writing data" section of docs/graphql.md.
fn write_examples() -> Vec<String> {
    let doc = read("docs/graphql.md");
    let section = doc.split("## Writing data").nth(1).expect("a Writing data section");
    let section = section.split("\n## ").next().unwrap();
    let mut examples = Vec::new();
    for block in section.split("```graphql\n").skip(1) {
        let block = block.split("```").next().unwrap();
        // A block may hold several operations, one after the other.
        for op in block.split("\nmutation").map(|s| s.trim_start_matches("mutation")) {
            let op = op.trim();
            if !op.is_empty() {
                examples.push(format!("mutation {}", op.trim_start_matches(|c: char| c != '{')));
            }
        }
    }
    examples
}

async fn documented_writes_add_rows_and_replace_none(app: TestApp) {
    let admin = app.key("docs", "admin").await;
    let examples = write_examples();
    assert!(examples.len() >= 5, "{examples:?}");
    for example in &examples {
        let (_, answer) = app.post_as(Some(&admin), example, json!({})).await;
        assert!(answer.get("errors").is_none(), "{example}\n{answer}");
        for (field, result) in answer["data"].as_object().unwrap() {
            if let Some(updated) = result.get("updated") {
                assert_eq!(updated, &Value::from(0), "{field} replaced a stored row: {example}");
                assert!(result["inserted"].as_u64().unwrap() > 0, "{field}: {answer}");
            }
        }
    }
}

on_both_backends!(documented_writes_add_rows_and_replace_none);
