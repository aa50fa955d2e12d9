//! The value validations of CustomResourceDefinition schemas (limits, patterns,
//! `allOf`/`anyOf`/`oneOf`/`not`), list-map and set uniqueness (built-in kinds too),
//! and CEL rules. Messages keep the API server's words ("should be greater than or
//! equal to 1", "Duplicate value", "Too many").

use super::path::Seg;
use super::schema::Walker;
use crate::cel::Outcome;
use crate::document::head;
use crate::rules::schema as checks;
use crate::schema::{Constraints, ListType, Schema, SchemaRef};
use crate::yaml::{Key, Node, Value};

impl<'a, 's> Walker<'_, 'a, 's> {
    pub(super) fn constraints(&mut self, node: &'a Node, schema: &'s Schema, c: &'s Constraints, key: Option<&'a Key>) {
        let mut problems: Vec<String> = Vec::new();
        match &node.value {
            Value::Int(_) | Value::Float(_) => {
                let v = match node.value {
                    Value::Int(i) => i as f64,
                    Value::Float(f) => f,
                    _ => 0.0,
                };
                if let Some(min) = c.minimum
                    && (v < min.value || (min.exclusive && v == min.value))
                {
                    let or_equal = if min.exclusive { "" } else { " or equal to" };
                    problems.push(format!("should be greater than{or_equal} {}", number(min.value)));
                }
                if let Some(max) = c.maximum
                    && (v > max.value || (max.exclusive && v == max.value))
                {
                    let or_equal = if max.exclusive { "" } else { " or equal to" };
                    problems.push(format!("should be less than{or_equal} {}", number(max.value)));
                }
                if let Some(m) = c.multiple_of
                    && m > 0.0
                    && ((v / m).round() * m - v).abs() > 1e-9 * v.abs().max(1.0)
                {
                    problems.push(format!("should be a multiple of {}", number(m)));
                }
            }
            Value::Str(s) => {
                let len = s.chars().count() as u64;
                if let Some(min) = c.min_length
                    && len < min
                {
                    problems.push(format!("should be at least {min} chars long"));
                }
                if let Some(max) = c.max_length
                    && len > max
                {
                    problems.push(format!("may not be longer than {max}"));
                }
                if let Some(p) = &c.pattern
                    && !p.is_match(s)
                {
                    problems.push(format!("should match '{}'", p.text));
                }
            }
            Value::Seq(items) => {
                let n = items.len() as u64;
                if let Some(min) = c.min_items
                    && n < min
                {
                    problems.push(format!("should have at least {min} items"));
                }
                if let Some(max) = c.max_items
                    && n > max
                {
                    problems.push(format!("Too many: {n}: must have at most {max} items"));
                }
            }
            Value::Map(entries) => {
                let n = entries.len() as u64;
                if let Some(min) = c.min_properties
                    && n < min
                {
                    problems.push(format!("should have at least {min} properties"));
                }
                if let Some(max) = c.max_properties
                    && n > max
                {
                    problems.push(format!("Too many: {n}: must have at most {max} properties"));
                }
            }
            _ => {}
        }
        let passes = |w: &mut Self, s: &'s Schema| w.passes(node, s);
        if c.all_of.iter().any(|s| !passes(self, s)) {
            problems.push("must validate all the schemas (allOf)".into());
        }
        if !c.any_of.is_empty() && !c.any_of.iter().any(|s| passes(self, s)) {
            problems.push("must validate at least one schema (anyOf)".into());
        }
        if !c.one_of.is_empty() && c.one_of.iter().filter(|s| passes(self, s)).count() != 1 {
            problems.push("must validate one and only one schema (oneOf)".into());
        }
        if let Some(not) = &c.not
            && passes(self, not)
        {
            problems.push("must not validate the schema (not)".into());
        }
        let _ = schema;
        for problem in problems {
            let span = if node.is_map() || matches!(node.value, Value::Seq(_)) {
                key.map_or_else(|| head(node), |k| k.span)
            } else {
                node.span
            };
            let message = format!("invalid value {} for `{}`: {problem}", shown(node), self.dotted());
            let f = self.finding(&checks::INVALID_VALUE, span, message).label(label(&problem));
            self.report(f);
        }
    }

    /// Whether `node` passes a value-validation schema, findings discarded.
    fn passes(&mut self, node: &'a Node, schema: &'s Schema) -> bool {
        let before = self.cx.count();
        self.check_schema(node, schema, None);
        let passed = self.cx.count() == before;
        self.cx.truncate(before);
        passed
    }

    /// `x-kubernetes-list-type: map` keys and `set` items are unique.
    pub(super) fn unique_items(&mut self, items: &'a [Node], schema: &'s Schema) {
        let unique_items = schema.extra().is_some_and(|x| x.unique_items);
        let keys: &[String] = match &schema.list_type {
            Some(ListType::Map(keys)) if !keys.is_empty() => keys,
            Some(ListType::Set) => &[],
            _ if unique_items => &[],
            _ => return,
        };
        let item_schema = schema.items.as_ref().map(|s| self.catalog.resolve(s));
        let item_type = item_schema.and_then(|s| s.type_name.as_deref()).unwrap_or("");
        // A custom resource's list-map keys are enforced by the API server's structural
        // schema validation; a built-in kind's only by its hand-written validation.
        if self.crd.is_none() {
            match builtin_duplicates(item_type) {
                Builtin::CoveredBy(rule) if self.cx.enabled(rule) => return,
                Builtin::CoveredBy(_) | Builtin::Rejected => {}
                Builtin::Accepted => return,
            }
        }
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let identity = if keys.is_empty() {
                serde_json::to_string(&item.to_json()).unwrap_or_default()
            } else {
                if !item.is_map() {
                    continue;
                }
                let values: Vec<(String, serde_json::Value)> =
                    keys.iter().filter_map(|k| Some((k.clone(), key_value(item, k, item_schema)?))).collect();
                if values.len() != keys.len() {
                    continue; // a missing key is reported as a missing required field
                }
                values.iter().map(|(k, v)| format!("{k}: {}", compact(v))).collect::<Vec<_>>().join(", ")
            };
            if let Some((_, first)) = seen.iter().find(|(id, _)| *id == identity) {
                let first = *first;
                self.path.push(Seg::Index(i));
                let message = if keys.is_empty() {
                    format!("duplicate value {identity} in `{}`", self.dotted())
                } else {
                    format!("duplicate value for `{}`: `{identity}` is already at index {first}", self.dotted())
                };
                let span = if keys.is_empty() { item.span } else { head(item) };
                let mut f = self.finding(&checks::DUPLICATE_VALUE, span, message).label("Duplicate value");
                if let Some(earlier) = items.get(first) {
                    f = f.secondary(self.cx.doc.location(head(earlier)), "first here");
                }
                if !keys.is_empty() {
                    let list = keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" and ");
                    f = f.note(format!("the items of this list are identified by {list}; each must be unique"));
                }
                self.path.pop();
                self.report(f);
            } else {
                seen.push((identity, i));
            }
        }
    }

    /// Evaluates the CEL rules of the node's schema.
    pub(super) fn rules(&mut self, node: &'a Node, schema: &'s Schema, c: &'s Constraints, key: Option<&'a Key>) {
        let catalog = self.catalog;
        let (value, size) = crate::cel::to_value(node, schema, &|r| catalog.resolve(r));
        for rule in &c.rules {
            match rule.evaluate(&value, size) {
                crate::cel::Outcome::Pass => {}
                Outcome::Skipped(skip) => {
                    if let (Some(crds), Some(crd)) = (self.crds, self.crd) {
                        crds.skip(skip, &crd.crd, &rule.text);
                    }
                }
                Outcome::Fail(message) => {
                    let (target, extra) = match rule.field_path.as_deref().and_then(|p| field_path(node, p)) {
                        Some((target, segs)) => (target, segs),
                        None => (None, Vec::new()),
                    };
                    let depth = self.path.len();
                    self.path.extend(extra);
                    let span = match target {
                        Some((n, k)) => k.map_or_else(|| if n.is_map() { head(n) } else { n.span }, |k| k.span),
                        None => key.map_or_else(|| head(node), |k| k.span),
                    };
                    let at =
                        if self.path.is_empty() { "the object".to_string() } else { format!("`{}`", self.dotted()) };
                    let mut f = self
                        .finding(&checks::VALIDATION_RULE, span, format!("{at} is invalid: {message}"))
                        .label("fails a validation rule of its CustomResourceDefinition")
                        .note(format!("rule: `{}`", rule.text));
                    if let Some(reason) = &rule.reason {
                        f.note = f.note.map(|n| format!("{n} (reason: {reason})"));
                    }
                    self.path.truncate(depth);
                    self.report(f);
                }
            }
        }
    }
}

/// The node a rule's `fieldPath` (`.spec.ports[0]`, `.labels['app']`) names, with
/// its key, and the path segments to it.
#[allow(clippy::type_complexity)]
fn field_path<'a>(node: &'a Node, path: &str) -> Option<(Option<(&'a Node, Option<&'a Key>)>, Vec<Seg<'a>>)> {
    let mut current = node;
    let mut key = None;
    let mut segs = Vec::new();
    let mut rest = path.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let (name, after) = r.split_at_checked(r.find(['.', '[']).unwrap_or(r.len()))?;
            let entry = current.entry(name)?;
            segs.push(Seg::Key(entry.key.name.as_str()));
            key = Some(&entry.key);
            current = &entry.value;
            rest = after;
        } else if let Some(r) = rest.strip_prefix('[') {
            let (inside, after) = r.split_once(']')?;
            let inside = inside.trim();
            if let Some(name) = inside.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                let entry = current.entry(name)?;
                segs.push(Seg::Key(entry.key.name.as_str()));
                key = Some(&entry.key);
                current = &entry.value;
            } else {
                let i: usize = inside.parse().ok()?;
                current = current.items().get(i)?;
                segs.push(Seg::Index(i));
                key = None;
            }
            rest = after;
        } else {
            return None;
        }
    }
    Some((Some((current, key)), segs))
}

/// The rule that reports duplicates in lists of these built-in items with messages of
/// its own (across containers and init containers, for example), so that a duplicate
/// is reported once.
/// What the API server does with two items of the same key in a list-map or set
/// of a built-in kind (`pkg/apis/*/validation`); server-side apply alone refuses
/// every duplicate, but `kubectl apply` and `create` do not use it by default.
enum Builtin {
    /// Rejected, and reported by a rule with the API server's message.
    CoveredBy(&'static crate::rules::Rule),
    /// Rejected (`Duplicate value`, or `must be unique`).
    Rejected,
    /// Accepted, at most with a warning (`api-server-warning`).
    Accepted,
}

fn builtin_duplicates(item_type: &str) -> Builtin {
    use crate::rules::{api_validation as api, correctness};
    match item_type {
        "Container" | "EphemeralContainer" => Builtin::CoveredBy(&api::DUPLICATE_CONTAINER_NAME),
        "Volume" => Builtin::CoveredBy(&api::DUPLICATE_VOLUME_NAME),
        "ServicePort" => Builtin::CoveredBy(&api::DUPLICATE_PORT),
        "EnvVar" => Builtin::CoveredBy(&correctness::DUPLICATE_ENV_VAR),
        // validateVolumeMounts, validateVolumeDevices ("must be unique"),
        // validateTopologySpreadConstraints, validateSchedulingGates,
        // validatePodResourceClaims, validateResourceClaimNames, the webhook and
        // admission-policy validations (field.Duplicate).
        "VolumeMount"
        | "VolumeDevice"
        | "TopologySpreadConstraint"
        | "PodSchedulingGate"
        | "PodResourceClaim"
        | "ResourceClaim"
        | "MutatingWebhook"
        | "ValidatingWebhook"
        | "MatchCondition"
        | "Variable" => Builtin::Rejected,
        // ContainerPort (warnings.go: "duplicate port definition"), HostAlias,
        // LocalObjectReference (imagePullSecrets), ObjectReference (a
        // ServiceAccount's secrets), finalizers and the other sets: accepted.
        _ => Builtin::Accepted,
    }
}

/// A map key's value, or its default (the schema's, or the API server's `TCP` for
/// a built-in `protocol`).
fn key_value(item: &Node, key: &str, schema: Option<&Schema>) -> Option<serde_json::Value> {
    if let Some(v) = item.get(key).filter(|v| !v.is_null()) {
        return Some(v.to_json());
    }
    let property = schema.and_then(|s| s.property(key));
    if let Some(SchemaRef::Inline(p)) = property
        && let Some(default) = p.extra().and_then(|x| x.default.clone())
    {
        return Some(default);
    }
    (key == "protocol").then(|| serde_json::Value::from("TCP"))
}

fn compact(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn number(v: f64) -> String {
    crate::yaml::format_float(v)
}

fn shown(node: &Node) -> String {
    match &node.value {
        Value::Seq(items) => format!("(a list of {} items)", items.len()),
        Value::Map(entries) => format!("(a mapping of {} fields)", entries.len()),
        _ => format!("`{}`", node.display_scalar().trim_matches('"')),
    }
}

fn label(problem: &str) -> String {
    problem.split(':').next().unwrap_or(problem).to_string()
}
