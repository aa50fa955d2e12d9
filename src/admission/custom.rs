//! `customRules` of `.kval.yaml`: a team's own rules, as CEL expressions over
//! `object`. Each becomes a rule like the built-in ones: it has an id that
//! `--enable`, `--disable`, `--severity`, `rules:` and suppressions accept, and
//! `kval rules` lists it.
//!
//! ```yaml
//! customRules:
//! - id: team-label
//!   severity: warning                     # error, warning (default) or info
//!   match:
//!     kinds: [Deployment, StatefulSet]    # default: every kind
//!     namespaces: [prod]                  # default: every namespace
//!     labelSelector: {matchLabels: {tier: web}}
//!   expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
//!   message: every workload needs a `team` label
//!   messageExpression: "'no team label on ' + object.metadata.name"   # optional
//!   path: metadata.labels                 # the field findings point at (optional)
//! ```

use std::sync::Arc;

use cel::Value;

use crate::cel::{Expression, Failure};
use crate::document::Document;
use crate::finding::Severity;
use crate::kube::selector::{Selector, labels};
use crate::rules::{Category, Check, Context, Rule};
use crate::source::Span;
use crate::yaml::Node;

const KEYS: &[&str] =
    &["id", "severity", "enabled", "match", "expression", "message", "messageExpression", "path", "description"];
const MATCH_KEYS: &[&str] = &["kinds", "namespaces", "labelSelector"];

/// A compiled custom rule.
pub struct CustomRule {
    pub rule: &'static Rule,
    expression: Expression,
    message: Option<String>,
    message_expression: Option<Expression>,
    kinds: Vec<String>,
    namespaces: Vec<String>,
    selector: Option<Selector>,
    path: Option<String>,
}

impl std::fmt::Debug for CustomRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomRule").field("id", &self.rule.id).field("expression", &self.expression.text).finish()
    }
}

type Error<'e> = &'e dyn Fn(Span, String) -> String;

fn strings(node: Option<&Node>, error: Error<'_>) -> Result<Vec<String>, String> {
    let Some(node) = node else { return Ok(Vec::new()) };
    if !matches!(node.value, crate::yaml::Value::Seq(_)) {
        return Err(error(node.span, "expected a list of strings".into()));
    }
    node.items()
        .iter()
        .map(|n| n.as_str().map(str::to_string).ok_or_else(|| error(n.span, "expected a string".into())))
        .collect()
}

fn string(node: Option<&Node>, error: Error<'_>) -> Result<Option<String>, String> {
    node.map(|n| n.as_str().map(str::to_string).ok_or_else(|| error(n.span, "expected a string".into()))).transpose()
}

fn compile(node: &Node, error: Error<'_>) -> Result<Expression, String> {
    let text = node.as_str().ok_or_else(|| error(node.span, "an expression must be a string".into()))?;
    Expression::compile(text).map_err(|e| error(node.span, e.lines().next().unwrap_or_default().to_string()))
}

fn check_keys(node: &Node, known: &[&str], error: Error<'_>) -> Result<(), String> {
    for e in node.entries() {
        if !known.contains(&e.key.name.as_str()) {
            let mut message = format!("unknown key `{}`", e.key.name);
            if let Some(close) = crate::suggest::closest(&e.key.name, known.iter().copied()) {
                message += &format!("; did you mean `{close}`?");
            }
            return Err(error(e.key.span, message + &format!(" (keys: {})", known.join(", "))));
        }
    }
    Ok(())
}

/// Reads `customRules` and registers each rule; errors are `file:line:col: message`.
pub fn parse(node: &Node, error: Error<'_>) -> Result<Vec<Arc<CustomRule>>, String> {
    let mut rules: Vec<Arc<CustomRule>> = Vec::new();
    if !matches!(node.value, crate::yaml::Value::Seq(_) | crate::yaml::Value::Null) {
        return Err(error(node.span, "`customRules` must be a list of rules".into()));
    }
    for item in node.items() {
        if !item.is_map() {
            return Err(error(item.span, "a custom rule must be a mapping with `id` and `expression`".into()));
        }
        check_keys(item, KEYS, error)?;
        let id_node = item.get("id").ok_or_else(|| error(item.span, "a custom rule needs an `id`".into()))?;
        let id = id_node.as_str().unwrap_or_default();
        let valid = !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-');
        if !valid {
            return Err(error(
                id_node.span,
                format!("invalid rule id {}: use lowercase letters, digits and `-`", id_node.display_scalar()),
            ));
        }
        if crate::rules::ALL.iter().any(|r| r.id == id) || rules.iter().any(|r| r.rule.id == id) {
            return Err(error(id_node.span, format!("the rule id `{id}` is already taken")));
        }
        let expression_node =
            item.get("expression").ok_or_else(|| error(item.span, "a custom rule needs an `expression`".into()))?;
        let expression = compile(expression_node, error)?;
        let message_expression = item.get("messageExpression").map(|n| compile(n, error)).transpose()?;
        let severity = match item.get("severity") {
            None => Severity::Warning,
            Some(n) => n.as_str().and_then(Severity::parse).ok_or_else(|| {
                error(n.span, format!("invalid level {}: expected `error`, `warning` or `info`", n.display_scalar()))
            })?,
        };
        let enabled = match item.get("enabled") {
            None => true,
            Some(n) => n.as_bool().ok_or_else(|| error(n.span, "`enabled` must be true or false".into()))?,
        };
        let matching = item.get("match");
        if let Some(m) = matching {
            check_keys(m, MATCH_KEYS, error)?;
        }
        let message = string(item.get("message"), error)?;
        let description = string(item.get("description"), error)?;
        let summary = message.clone().or(description.clone()).unwrap_or_else(|| expression.text.clone());
        let summary = summary.split_whitespace().collect::<Vec<_>>().join(" ");
        let doc = format!(
            " ## What it does\n {}\n\n Defined in `.kval.yaml` (`customRules`):\n\n ```\n {}\n ```\n",
            description.as_deref().unwrap_or(&summary),
            expression.text
        );
        let rule: &'static Rule = Box::leak(Box::new(Rule {
            id: Box::leak(id.to_string().into_boxed_str()),
            category: Category::Custom,
            severity,
            enabled,
            summary: Box::leak(summary.into_boxed_str()),
            doc: Box::leak(doc.into_boxed_str()),
            fields: &[],
            fixes: &[],
            check: Check::Builtin,
        }));
        crate::rules::register(rule);
        rules.push(Arc::new(CustomRule {
            rule,
            expression,
            message,
            message_expression,
            kinds: strings(matching.and_then(|m| m.get("kinds")), error)?,
            namespaces: strings(matching.and_then(|m| m.get("namespaces")), error)?,
            selector: matching.and_then(|m| m.get("labelSelector")).map(Selector::from_label_selector),
            path: string(item.get("path"), error)?,
        }));
    }
    Ok(rules)
}

impl CustomRule {
    fn matches(&self, doc: &Document) -> bool {
        let kind = doc.kind().unwrap_or_default();
        let namespace = doc.object.namespace.as_deref().unwrap_or_default();
        (self.kinds.is_empty() || self.kinds.iter().any(|k| k == kind))
            && (self.namespaces.is_empty() || self.namespaces.iter().any(|n| n == namespace))
            && self
                .selector
                .as_ref()
                .is_none_or(|s| s.matches(&doc.root.at(&["metadata", "labels"]).map(labels).unwrap_or_default()))
    }

    /// Evaluates the rule on a document whose CEL value is `object`.
    pub fn check(&self, doc: &Document, object: &(Value, u64), cx: &mut Context<'_>) {
        if !cx.enabled(self.rule) || !self.matches(doc) {
            return;
        }
        let bindings = [("object", &object.0)];
        let message = match self.expression.evaluate(&bindings, object.1) {
            Ok(Value::Bool(false)) => {
                let custom = self.message_expression.as_ref().and_then(|e| match e.evaluate(&bindings, object.1) {
                    Ok(Value::String(s)) if !s.trim().is_empty() => Some(s.to_string()),
                    _ => None,
                });
                custom
                    .or_else(|| self.message.clone())
                    .unwrap_or_else(|| format!("failed expression: {}", self.expression.text))
            }
            Ok(Value::Bool(true)) | Err(Failure::Unsupported(_) | Failure::Budget) => return,
            Ok(_) => format!("expression '{}' resulted in error: the result is not a boolean", self.expression.text),
            Err(Failure::Error(e)) => format!("expression '{}' resulted in error: {e}", self.expression.text),
        };
        let (span, pointer) = super::locate(doc, self.path.as_deref());
        let mut f = cx.finding(self.rule, span, message);
        if let Some(pointer) = pointer {
            f = f.pointer(pointer);
        }
        cx.report(f);
    }
}
