//! Every string a request passes — argument literals, in operations and fragments, and
//! variables — is checked by `service::text` before execution, so no control character or
//! invisible format character reaches a statement. Lines and tabs pass here (notes may hold
//! them); the fields that must be one line refuse them in the write's own validation.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, Value, Variables};

use super::request_errors;
use crate::error::Code;
use crate::service::text::{Lines, problem};

/// Refuses the request when a string of its arguments or variables holds a refused character.
pub fn check(doc: &ExecutableDocument, variables: &Variables) -> ServerResult<()> {
    for (name, value) in variables.iter() {
        check_value(value, &|why| format!("variable `${name}`: {why}"))?;
    }
    for (_, op) in doc.operations.iter() {
        check_set(&op.node.selection_set.node)?;
    }
    for fragment in doc.fragments.values() {
        check_set(&fragment.node.selection_set.node)?;
    }
    Ok(())
}

fn check_set(set: &SelectionSet) -> ServerResult<()> {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                let directives = field.directives.iter().flat_map(|d| d.node.arguments.iter());
                for (arg, value) in field.arguments.iter().chain(directives) {
                    let value = value.node.clone().into_const_with(|_| Ok::<_, ()>(Value::Null));
                    if let Ok(value) = value {
                        check_value(&value, &|why| format!("argument `{arg}` of `{}`: {why}", field.name))?;
                    }
                }
                check_set(&field.selection_set.node)?;
            }
            Selection::InlineFragment(inline) => check_set(&inline.node.selection_set.node)?,
            Selection::FragmentSpread(_) => {}
        }
    }
    Ok(())
}

fn check_value(value: &Value, name: &dyn Fn(&str) -> String) -> ServerResult<()> {
    match value {
        Value::String(s) => match problem(s, Lines::Many) {
            Some(why) => Err(refused(name(&why))),
            None => Ok(()),
        },
        Value::List(items) => items.iter().try_for_each(|v| check_value(v, name)),
        Value::Object(fields) => fields
            .iter()
            .try_for_each(|(k, v)| check_value(v, &|why| name(&format!("field `{k}`: {why}")))),
        _ => Ok(()),
    }
}

fn refused(message: String) -> ServerError {
    request_errors::coded(message, Code::BadUserInput, None)
}
