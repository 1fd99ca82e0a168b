//! Limits on the shape and cost of a query, and error codes for refused documents.
//!
//! Checked cheaply before async-graphql validates anything: bracket nesting (a lexical scan
//! of the text), field depth, aliases and the number of field selections with fragments
//! expanded (aborting as soon as a limit is passed, so 10 000 repeated fields or a fragment
//! bomb cost a few microseconds), and fragment cycles. After validation, the complexity
//! async-graphql computed (list fields costed by their `first`) is checked and reported in
//! the answer's `extensions.cost`.
//!
//! Codes: `TOO_COMPLEX` for every limit, `GRAPHQL_PARSE_FAILED` for text that is not
//! GraphQL, `GRAPHQL_VALIDATION_FAILED` for documents that break the schema or the rules of
//! GraphQL (a fragment cycle among them).

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};

use super::request_errors;
use crate::error::Code;

/// Deepest bracket nesting (`{`, `(`, `[`) accepted in a query text.
pub const MAX_NESTING: usize = 64;

const TOO_COMPLEX: Code = Code::TooComplex;
const PARSE_FAILED: Code = Code::GraphqlParseFailed;
const VALIDATION_FAILED: Code = Code::GraphqlValidationFailed;

/// The limits of one schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryLimits {
    /// Deepest field nesting (`{ a { b } }` is 2).
    pub max_depth: usize,
    /// Highest complexity (each field 1; list fields times their `first`/`limit`).
    pub max_complexity: usize,
    /// Most aliases in a document.
    pub max_aliases: usize,
    /// Most field selections in a document, fragments expanded where they are spread.
    pub max_fields: usize,
}

/// A `ServerError` with `extensions.code`, unlocated.
fn coded(message: impl Into<String>, code: Code) -> ServerError {
    request_errors::coded(message, code, None)
}

fn has_code(e: &ServerError) -> bool {
    e.extensions.as_ref().is_some_and(|x| x.get("code").is_some())
}

/// Sets `code` on the errors that have none.
pub fn default_code(errors: &mut [ServerError], code: Code) {
    for e in errors.iter_mut().filter(|e| !has_code(e)) {
        e.extensions
            .get_or_insert_with(Default::default)
            .set("code", code.as_str());
    }
}

/// Deepest bracket nesting of a GraphQL text, outside strings and comments; stops counting
/// past `limit`.
pub fn nesting(text: &str, limit: usize) -> usize {
    let b = text.as_bytes();
    let (mut i, mut depth, mut max) = (0, 0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if b[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < b.len() && !b[i..].starts_with(b"\"\"\"") {
                    i += if b[i..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                max = max.max(depth);
                if max > limit {
                    return max;
                }
            }
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    max
}

/// What the shape walk found, up to the first limit passed.
#[derive(Debug, Default)]
struct Shape {
    fields: usize,
    aliases: usize,
}

impl QueryLimits {
    /// Refuses a document that is too deep, has too many aliases or field selections, or
    /// spreads a fragment inside itself. Every operation and fragment definition is walked,
    /// fragments expanded where spread; the walk stops at the first limit.
    pub fn check_document(&self, doc: &ExecutableDocument) -> ServerResult<()> {
        let mut shape = Shape::default();
        let mut stack = Vec::new();
        for (_, op) in doc.operations.iter() {
            self.walk(doc, &op.node.selection_set.node, 0, &mut stack, &mut shape)?;
        }
        for (name, fragment) in &doc.fragments {
            stack.push(name.as_str());
            self.walk(doc, &fragment.node.selection_set.node, 0, &mut stack, &mut shape)?;
            stack.pop();
        }
        Ok(())
    }

    fn walk<'a>(
        &self,
        doc: &'a ExecutableDocument,
        set: &'a SelectionSet,
        depth: usize,
        stack: &mut Vec<&'a str>,
        shape: &mut Shape,
    ) -> ServerResult<()> {
        for selection in &set.items {
            shape.fields += 1;
            if shape.fields > self.max_fields {
                return Err(coded(
                    format!(
                        "the query selects more than {} fields (fragments counted where they are spread)",
                        self.max_fields
                    ),
                    TOO_COMPLEX,
                ));
            }
            match &selection.node {
                Selection::Field(field) => {
                    if field.node.alias.is_some() {
                        shape.aliases += 1;
                        if shape.aliases > self.max_aliases {
                            return Err(coded(
                                format!("the query uses more than {} aliases", self.max_aliases),
                                TOO_COMPLEX,
                            ));
                        }
                    }
                    let depth = depth + 1;
                    if depth > self.max_depth {
                        return Err(coded(
                            format!("the query is nested deeper than {} fields", self.max_depth),
                            TOO_COMPLEX,
                        ));
                    }
                    self.walk(doc, &field.node.selection_set.node, depth, stack, shape)?;
                }
                Selection::InlineFragment(inline) => {
                    self.walk(doc, &inline.node.selection_set.node, depth, stack, shape)?;
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if stack.contains(&name) {
                        return Err(coded(
                            format!("cannot spread fragment \"{name}\" within itself"),
                            VALIDATION_FAILED,
                        ));
                    }
                    // Unknown fragments are reported by validation.
                    if let Some(fragment) = doc.fragments.get(name) {
                        stack.push(name);
                        self.walk(doc, &fragment.node.selection_set.node, depth, stack, shape)?;
                        stack.pop();
                    }
                }
            }
        }
        Ok(())
    }

    /// Parses and checks a query text.
    pub fn check_text(&self, text: &str) -> ServerResult<ExecutableDocument> {
        if nesting(text, MAX_NESTING) > MAX_NESTING {
            return Err(coded(
                format!("the query nests brackets deeper than {MAX_NESTING}"),
                TOO_COMPLEX,
            ));
        }
        let doc = async_graphql::parser::parse_query(text).map_err(|e| request_errors::parse_error(&e))?;
        self.check_document(&doc)?;
        Ok(doc)
    }
}

impl ExtensionFactory for QueryLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsExtension {
            limits: *self,
            validated: Mutex::new(None),
            variable_errors: Mutex::new(Vec::new()),
        })
    }
}

struct LimitsExtension {
    limits: QueryLimits,
    validated: Mutex<Option<ValidationResult>>,
    /// Variables that could not be coerced, reported once the document is valid.
    variable_errors: Mutex<Vec<ServerError>>,
}

#[async_trait::async_trait]
impl Extension for LimitsExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut resp = next.run(ctx).await;
        let validated = self.validated.lock().map(|mut v| v.take()).unwrap_or(None);
        if let Some(v) = validated {
            let limit = self.limits.max_complexity;
            let cost = async_graphql::value!({
                "complexity": v.complexity,
                "limit": limit,
                "remaining": limit.saturating_sub(v.complexity),
                "depth": v.depth,
                "depthLimit": self.limits.max_depth,
            });
            resp = resp.extension("cost", cost);
        }
        resp
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        // Check (and parse once) the text before anything else looks at it, persisted
        // queries included: only checked documents reach the persisted-query cache.
        if !request.query.is_empty() {
            let doc = self.limits.check_text(&request.query)?;
            if !request.extensions.contains_key("persistedQuery") {
                request.set_parsed_query(doc);
            }
        }
        // The document (parsed here, or found by its persisted-query hash) decides the
        // variables' types.
        let mut request = next.run(ctx, request).await?;
        let operation = request.operation_name.clone();
        let variables = request.variables.clone();
        if let Ok(doc) = request.parsed_query() {
            super::arguments::check(doc, &variables)?;
            let errors =
                request_errors::check_variables(&ctx.schema_env.registry, doc, operation.as_deref(), &variables);
            if let Ok(mut stash) = self.variable_errors.lock() {
                *stash = errors;
            }
        }
        Ok(request)
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|mut e| {
            if !has_code(&e) {
                let code = if e.message.starts_with("The recursion depth") {
                    TOO_COMPLEX
                } else {
                    PARSE_FAILED
                };
                default_code(std::slice::from_mut(&mut e), code);
            }
            e
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await.map_err(|mut errors| {
            default_code(&mut errors, VALIDATION_FAILED);
            request_errors::explain_enums(&ctx.schema_env.registry, &mut errors);
            request_errors::merge_duplicates(errors)
        })?;
        // The document is valid: now its variables (GraphQL's CoerceVariableValues).
        let variable_errors = self
            .variable_errors
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default();
        if !variable_errors.is_empty() {
            return Err(variable_errors);
        }
        if result.complexity > self.limits.max_complexity {
            return Err(vec![coded(
                format!(
                    "the query's complexity is {}; at most {} (list fields count once per row asked with `first`)",
                    result.complexity, self.limits.max_complexity
                ),
                TOO_COMPLEX,
            )]);
        }
        if result.depth > self.limits.max_depth {
            return Err(vec![coded(
                format!("the query is nested deeper than {} fields", self.limits.max_depth),
                TOO_COMPLEX,
            )]);
        }
        if let Ok(mut v) = self.validated.lock() {
            *v = Some(result);
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_ignores_strings_and_comments() {
        assert_eq!(nesting("{ a { b } }", 64), 2);
        assert_eq!(nesting(r#"{ a(s: "{{{{ \" {{") { b } }"#, 64), 2);
        assert_eq!(nesting("{ a # {{{{{\n { b { c } } }", 64), 3);
        assert_eq!(nesting(r#"{ a(s: """ {{{ \""" {{ """) }"#, 64), 2);
        // Unterminated strings and stray closers do not panic.
        assert_eq!(nesting(r#"{ a(s: "{{{"#, 64), 2);
        assert_eq!(nesting(r#"{ a(s: """{{{"#, 64), 2);
        assert_eq!(nesting("}}}{", 64), 1);
        // Stops counting past the limit.
        assert_eq!(nesting(&"{".repeat(1_000_000), 64), 65);
    }

    #[test]
    fn shape_limits() {
        let limits = QueryLimits {
            max_depth: 3,
            max_complexity: 100,
            max_aliases: 2,
            max_fields: 10,
        };
        assert!(limits.check_text("{ a { b { c } } }").is_ok());
        assert!(limits.check_text("{ a { b { c { d } } } }").is_err());
        assert!(limits.check_text("{ x: a y: a }").is_ok());
        assert!(limits.check_text("{ x: a y: a z: a }").is_err());
        assert!(limits.check_text(&format!("{{ {} }}", "a ".repeat(11))).is_err());
        let cycle = limits
            .check_text("{ ...F } fragment F on Query { a ...G } fragment G on Query { ...F }")
            .unwrap_err();
        assert_eq!(
            cycle.extensions.unwrap().get("code"),
            Some(&async_graphql::Value::from(VALIDATION_FAILED.as_str()))
        );
    }
}
