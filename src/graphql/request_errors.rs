//! Request errors a newcomer can act on: parse errors in one line with their location,
//! variables coerced by their declared types (GraphQL's CoerceVariableValues) with errors
//! that name the variable, enum errors that list the allowed values, and one error per
//! distinct problem.

use std::collections::BTreeMap;

use async_graphql::parser::types::{ExecutableDocument, OperationDefinition};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{Name, Pos, Positioned, ServerError, Value, Variables};

use crate::error::Code;

/// Most locations kept on one merged error.
const MAX_LOCATIONS: usize = 10;

/// A `ServerError` with `extensions.code`.
pub fn coded(message: impl Into<String>, code: Code, pos: Option<Pos>) -> ServerError {
    let mut e = ServerError::new(message, pos);
    e.extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
    e
}

/// A parse error as one line (`Syntax error: expected selection set`), located.
pub fn parse_error(e: &async_graphql::parser::Error) -> ServerError {
    let message = match e {
        async_graphql::parser::Error::Syntax { message, .. } => {
            // pest's message is a drawing of the line with `= expected …` under it.
            let what = message
                .lines()
                .rev()
                .find_map(|l| l.trim().strip_prefix("= "))
                .unwrap_or("unexpected input")
                .replace('_', " ");
            format!("Syntax error: {what}")
        }
        other => format!("Syntax error: {other}"),
    };
    let mut err = coded(message, Code::GraphqlParseFailed, None);
    err.locations = e.positions().collect();
    err
}

/// The operation a request runs: the one named, or the only one.
fn operation<'a>(doc: &'a ExecutableDocument, name: Option<&str>) -> Option<&'a Positioned<OperationDefinition>> {
    match name {
        Some(name) => doc
            .operations
            .iter()
            .find(|(n, _)| n.is_some_and(|n| n.as_str() == name))
            .map(|(_, op)| op),
        None => {
            let mut ops = doc.operations.iter();
            let first = ops.next().map(|(_, op)| op);
            if ops.next().is_some() { None } else { first }
        }
    }
}

/// Coerces the variables of the operation `operation_name` of `doc` by their declared
/// types; one `BAD_USER_INPUT` error per variable that is missing or does not fit, naming
/// it (and the place inside it). An unknown operation is left to execution to report.
pub fn check_variables(
    registry: &Registry,
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Vec<ServerError> {
    let Some(op) = operation(doc, operation_name) else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    for def in &op.node.variable_definitions {
        let name = def.node.name.node.as_str();
        let ty = def.node.var_type.node.to_string();
        let problem = match variables.get(&Name::new(name)) {
            None if !def.node.var_type.node.nullable && def.node.default_value.is_none() => Some(format!(
                "Variable \"${name}\" of required type \"{ty}\" was not provided."
            )),
            None => None,
            Some(value) => check_value(registry, &ty, value, name).map(|(at, why)| {
                if at == name {
                    format!("Variable \"${name}\" got an invalid value: {why}.")
                } else {
                    format!("Variable \"${name}\" got an invalid value at \"{at}\": {why}.")
                }
            }),
        };
        if let Some(message) = problem {
            let mut e = coded(message, Code::BadUserInput, Some(def.pos));
            e.extensions.get_or_insert_with(Default::default).set("variable", name);
            errors.push(e);
        }
    }
    errors
}

/// Why `value` does not fit the type written `ty`, and where (`at`, e.g. `flows[3].year`).
fn check_value(registry: &Registry, ty: &str, value: &Value, at: &str) -> Option<(String, String)> {
    match MetaTypeName::create(ty) {
        MetaTypeName::NonNull(inner) => match value {
            Value::Null => Some((at.to_owned(), format!("null where a non-null \"{ty}\" is expected"))),
            _ => check_value(registry, inner, value, at),
        },
        MetaTypeName::List(inner) => match value {
            Value::Null => None,
            Value::List(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| check_value(registry, inner, item, &format!("{at}[{i}]"))),
            // A single value stands for a list of one.
            other => check_value(registry, inner, other, at),
        },
        MetaTypeName::Named(name) => {
            if *value == Value::Null {
                return None;
            }
            check_named(registry, name, value, at)
        }
    }
}

fn check_named(registry: &Registry, name: &str, value: &Value, at: &str) -> Option<(String, String)> {
    let fail = |why: String| Some((at.to_owned(), why));
    match (name, value) {
        ("Int", Value::Number(n)) if n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()) => None,
        ("Int", _) => fail(format!(
            "Int cannot represent {value} (a whole number from -2^31 to 2^31-1 is expected)"
        )),
        ("Float", Value::Number(_)) => None,
        ("Float", _) => fail(format!("Float cannot represent {value}")),
        ("String", Value::String(_)) => None,
        ("String", _) => fail(format!("String cannot represent {value}")),
        ("Boolean", Value::Boolean(_)) => None,
        ("Boolean", _) => fail(format!("Boolean cannot represent {value}")),
        ("ID", Value::String(_)) => None,
        ("ID", Value::Number(n)) if n.is_i64() || n.is_u64() => None,
        ("ID", _) => fail(format!("ID cannot represent {value}")),
        _ => match registry.types.get(name) {
            Some(MetaType::Scalar {
                is_valid: Some(is_valid),
                ..
            }) => (!is_valid(value)).then(|| (at.to_owned(), format!("{value} is not a valid {name}"))),
            Some(MetaType::Enum { enum_values, .. }) => {
                let given = match value {
                    Value::String(s) => Some(s.as_str()),
                    Value::Enum(s) => Some(s.as_str()),
                    _ => None,
                };
                if given.is_some_and(|g| enum_values.contains_key(g)) {
                    return None;
                }
                let allowed: Vec<&str> = enum_values.keys().map(String::as_str).collect();
                fail(format!(
                    "{value} is not a value of {name}; the values are {}",
                    allowed.join(", ")
                ))
            }
            Some(MetaType::InputObject { input_fields, .. }) => {
                let Value::Object(fields) = value else {
                    return fail(format!("{name} is an object, not {value}"));
                };
                for key in fields.keys() {
                    if !input_fields.contains_key(key.as_str()) {
                        let known: Vec<&str> = input_fields.keys().map(String::as_str).collect();
                        return fail(format!(
                            "{name} has no field \"{key}\"; its fields are {}",
                            known.join(", ")
                        ));
                    }
                }
                input_fields.values().find_map(|field| {
                    let inner_at = format!("{at}.{}", field.name);
                    match fields.get(field.name.as_str()) {
                        None if field.ty.ends_with('!') && field.default_value.is_none() => Some((
                            inner_at,
                            format!("the field of required type \"{}\" was not provided", field.ty),
                        )),
                        None => None,
                        Some(v) => check_value(registry, &field.ty, v, &inner_at),
                    }
                })
            }
            _ => None,
        },
    }
}

/// Completes async-graphql's validation messages: an enum error lists the type's values.
pub fn explain_enums(registry: &Registry, errors: &mut [ServerError]) {
    const MARK: &str = "enumeration type \"";
    for e in errors.iter_mut() {
        let Some(start) = e.message.find(MARK).map(|i| i + MARK.len()) else {
            continue;
        };
        let Some(name) = e.message[start..].split('"').next() else {
            continue;
        };
        if let Some(MetaType::Enum { enum_values, .. }) = registry.types.get(name) {
            let allowed: Vec<&str> = enum_values.keys().map(String::as_str).collect();
            e.message = format!("{}; the values are {}", e.message, allowed.join(", "));
        }
    }
}

/// One error per distinct problem: errors with the same message and code are merged, their
/// locations kept (up to `MAX_LOCATIONS`).
pub fn merge_duplicates(errors: Vec<ServerError>) -> Vec<ServerError> {
    let mut merged: Vec<ServerError> = Vec::new();
    let mut index: BTreeMap<(String, Option<String>), usize> = BTreeMap::new();
    for e in errors {
        let code = e.extensions.as_ref().and_then(|x| x.get("code")).map(|c| c.to_string());
        match index.get(&(e.message.clone(), code.clone())) {
            Some(&i) => {
                let target = &mut merged[i];
                for pos in e.locations {
                    if target.locations.len() < MAX_LOCATIONS && !target.locations.contains(&pos) {
                        target.locations.push(pos);
                    }
                }
            }
            None => {
                index.insert((e.message.clone(), code), merged.len());
                merged.push(e);
            }
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_are_one_line_with_a_location() {
        let e = async_graphql::parser::parse_query("{ country(code: ").unwrap_err();
        let err = parse_error(&e);
        assert!(!err.message.contains('\n'), "{}", err.message);
        assert!(err.message.starts_with("Syntax error: expected "), "{}", err.message);
        assert_eq!(err.locations, vec![Pos { line: 1, column: 17 }]);
    }

    #[test]
    fn duplicates_merge_into_one_error() {
        let e = |line| coded("same", Code::GraphqlValidationFailed, Some(Pos { line, column: 1 }));
        let merged = merge_duplicates((1..=30).map(e).collect());
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].locations.len(), MAX_LOCATIONS);
    }
}
