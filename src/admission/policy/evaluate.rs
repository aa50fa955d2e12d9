//! Evaluating a bound policy on one object: params, match conditions, variables,
//! validations, and the API server's messages.

use std::collections::HashMap;
use std::sync::Arc;

use cel::Value;
use cel::objects::{Key, Map};

use super::matching::Request;
use super::{Binding, Policy};
use crate::cel::Failure;
use crate::finding::Location;
use crate::kube::selector::Labels;

/// A `validationActions` entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Deny,
    Warn,
    Audit,
}

impl Action {
    pub fn parse(text: &str) -> Option<Action> {
        match text {
            "Deny" => Some(Action::Deny),
            "Warn" => Some(Action::Warn),
            "Audit" => Some(Action::Audit),
            _ => None,
        }
    }
}

/// The object under admission, with what the expressions see.
pub struct Object<'a> {
    pub request: Request<'a>,
    /// The object's namespace (for params in it).
    pub namespace: Option<&'a str>,
    /// `object`, and its size in nodes.
    pub value: Value,
    pub size: u64,
    /// `request`.
    pub request_value: Value,
    /// `namespaceObject`: the Namespace from the input, or null.
    pub namespace_object: Value,
}

/// A parameter object of the input.
#[derive(Debug)]
pub struct Param {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub labels: Labels,
    pub value: Value,
    pub size: u64,
}

/// What a policy decided about an object.
#[derive(Debug)]
pub struct Decision {
    pub action: Action,
    /// The API server's words.
    pub message: String,
    /// The validation that failed.
    pub at: Location,
    /// The object's field the expression reads first (`spec.replicas`), if any.
    pub field: Option<String>,
}

/// A CEL map with string keys.
pub fn map<'k>(entries: impl IntoIterator<Item = (&'k str, Value)>) -> Value {
    let map: HashMap<Key, Value> =
        entries.into_iter().map(|(k, v)| (Key::String(Arc::new(k.to_string())), v)).collect();
    Value::Map(Map { map: Arc::new(map) })
}

/// The parameter objects a binding selects for an object; `None` when the policy
/// takes params but none is in the input (it cannot be evaluated offline).
fn params<'p>(
    policy: &Policy,
    binding: &Binding,
    object: &Object<'_>,
    all: &'p [Param],
) -> Option<Vec<Option<&'p Param>>> {
    let Some((_, kind)) = &policy.param_kind else { return Some(vec![None]) };
    let reference = binding.param_ref.as_ref()?;
    let chosen: Vec<Option<&Param>> = all
        .iter()
        .filter(|p| &p.kind == kind)
        .filter(|p| reference.name.as_ref().is_none_or(|n| n == &p.name))
        .filter(|p| match &p.namespace {
            None => true,
            Some(ns) => reference.namespace.as_deref().or(object.namespace) == Some(ns.as_str()),
        })
        .filter(|p| reference.selector.as_ref().is_none_or(|s| s.matches(&p.labels)))
        .map(Some)
        .collect();
    (!chosen.is_empty()).then_some(chosen)
}

/// The decisions of a bound policy on an object (none when it passes, does not
/// match, or cannot be evaluated offline).
pub fn evaluate(policy: &Policy, binding: &Binding, object: &Object<'_>, all_params: &[Param]) -> Vec<Decision> {
    if !policy.constraints.matches(&object.request)
        || binding.resources.as_ref().is_some_and(|m| !m.matches(&object.request))
    {
        return Vec::new();
    }
    let Some(params) = params(policy, binding, object, all_params) else { return Vec::new() };
    let mut decisions = Vec::new();
    for param in params {
        let (params_value, size) = param.map_or((Value::Null, 0), |p| (p.value.clone(), p.size));
        let size = object.size + size;
        let mut variables: Vec<(&str, Value)> = Vec::new();
        let params_value = &params_value;
        let bind = |variables: &[(&str, Value)]| {
            let vars = map(variables.iter().map(|(k, v)| (*k, v.clone())));
            move |e: &crate::cel::Expression| {
                e.evaluate(
                    &[
                        ("object", &object.value),
                        ("oldObject", &Value::Null),
                        ("params", params_value),
                        ("request", &object.request_value),
                        ("namespaceObject", &object.namespace_object),
                        ("variables", &vars),
                    ],
                    size,
                )
            }
        };
        // Match conditions: all must hold; one that errs rejects under `failurePolicy: Fail`.
        let run = bind(&variables);
        let mut skip = false;
        for condition in &policy.match_conditions {
            match run(&condition.expression) {
                Ok(Value::Bool(true)) => {}
                Ok(_) => skip = true,
                Err(Failure::Error(_)) if !policy.fail => skip = true,
                Err(Failure::Error(e)) => {
                    let message = format!("failed to evaluate match condition '{}': {e}", condition.name);
                    decisions.extend(denied(policy, binding, &message, policy.validations.first()));
                    skip = true;
                }
                Err(_) => skip = true,
            }
        }
        if skip {
            continue;
        }
        for variable in &policy.variables {
            if let Ok(value) = bind(&variables)(&variable.expression) {
                variables.push((variable.name.as_str(), value));
            }
        }
        let run = bind(&variables);
        for validation in &policy.validations {
            let message = match run(&validation.expression) {
                Ok(Value::Bool(true)) => continue,
                Ok(Value::Bool(false)) => {
                    let custom = validation.message_expression.as_ref().and_then(|e| match run(e) {
                        Ok(Value::String(s)) if !s.trim().is_empty() => Some(s.to_string()),
                        _ => None,
                    });
                    custom
                        .or_else(|| validation.message.clone().filter(|m| !m.trim().is_empty()))
                        .unwrap_or_else(|| format!("failed expression: {}", validation.expression.text.trim()))
                }
                Ok(_) if policy.fail => format!(
                    "expression '{}' resulted in error: validation failed due to non-bool result",
                    validation.expression.text
                ),
                Err(Failure::Error(e)) if policy.fail => {
                    format!("expression '{}' resulted in error: {e}", validation.expression.text)
                }
                // Ignored errors, and what kval cannot evaluate (`authorizer`, an
                // unknown function, a cost over the budget).
                _ => continue,
            };
            decisions.extend(denied(policy, binding, &message, Some(validation)));
        }
    }
    decisions
}

/// One decision per action of the binding.
fn denied(policy: &Policy, binding: &Binding, message: &str, validation: Option<&super::Validation>) -> Vec<Decision> {
    let Some(validation) = validation else { return Vec::new() };
    binding
        .actions
        .iter()
        .map(|&action| Decision {
            action,
            message: match action {
                Action::Deny => format!(
                    "ValidatingAdmissionPolicy '{}' with binding '{}' denied request: {message}",
                    policy.name, binding.name
                ),
                Action::Warn | Action::Audit => format!(
                    "Validation failed for ValidatingAdmissionPolicy '{}' with binding '{}': {message}",
                    policy.name, binding.name
                ),
            },
            at: validation.at.clone(),
            field: field(&validation.expression.text),
        })
        .collect()
}

/// The first `object.a.b` path an expression reads (`spec.replicas`).
fn field(expression: &str) -> Option<String> {
    let (before, rest) = expression.split_once("object.")?;
    if before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.') {
        return None;
    }
    let path: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.').collect();
    let path = path.trim_end_matches('.');
    (!path.is_empty()).then(|| path.to_string())
}
