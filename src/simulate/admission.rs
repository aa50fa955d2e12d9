//! The API server's admission of the Pods controllers create, where it changes
//! which Pods exist: the LimitRanger plugin
//! (`plugin/pkg/admission/limitranger`: `defaultContainerResourceRequirements`,
//! `mergePodResourceRequirements`, then `PodValidateLimitFunc`'s `minConstraint`,
//! `maxConstraint` and `limitRequestRatioConstraint`) and the ResourceQuota plugin
//! (`plugin/pkg/admission/resourcequota`: `checkRequest` with the Pod evaluator's
//! `Constraints` and `Usage`). A refused Pod is not created: its controller gets
//! `FailedCreate` with the API server's `pods "NAME" is forbidden: ...`.

use std::collections::BTreeMap;

use super::cluster::{format_cpu, format_memory};
use super::labels::scalar;
use super::object::Object;
use super::template::{PodSpec, Quantity};

/// A `LimitRange` item of type `Container` or `Pod`, defaulted as
/// `SetDefaults_LimitRangeItem` defaults it: a missing `default` from `max`, a
/// missing `defaultRequest` from `default`, then from `min`.
#[derive(Clone, Debug, Default)]
struct LimitItem {
    pod: bool,
    min: BTreeMap<String, Quantity>,
    max: BTreeMap<String, Quantity>,
    default: BTreeMap<String, Quantity>,
    default_request: BTreeMap<String, Quantity>,
    ratio: BTreeMap<String, Quantity>,
}

impl LimitItem {
    fn from_node(l: &crate::yaml::Node) -> Option<LimitItem> {
        let kind = l.get("type").and_then(crate::yaml::Node::as_str)?;
        if kind != "Container" && kind != "Pod" {
            return None;
        }
        let mut item = LimitItem {
            pod: kind == "Pod",
            min: quantities(l.get("min")),
            max: quantities(l.get("max")),
            default: quantities(l.get("default")),
            default_request: quantities(l.get("defaultRequest")),
            ratio: quantities(l.get("maxLimitRequestRatio")),
        };
        if !item.pod {
            for (k, v) in &item.max {
                item.default.entry(k.clone()).or_insert_with(|| v.clone());
            }
            for (k, v) in item.default.iter().chain(&item.min) {
                item.default_request.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        Some(item)
    }
}

#[derive(Clone, Debug)]
pub struct LimitRange {
    pub namespace: String,
    items: Vec<LimitItem>,
}

/// A `ResourceQuota` without scopes (scoped ones are listed as not modelled).
#[derive(Clone, Debug)]
pub struct Quota {
    pub namespace: String,
    pub name: String,
    hard: BTreeMap<String, Quantity>,
}

fn quantities(node: Option<&crate::yaml::Node>) -> BTreeMap<String, Quantity> {
    let entries = node.map(crate::yaml::Node::entries).unwrap_or_default();
    entries
        .iter()
        .filter_map(|e| {
            let text = scalar(&e.value)?;
            // A quota's `requests.cpu` and `limits.cpu` are cpu amounts.
            let key = e.key.name.as_str();
            let resource = key.strip_prefix("requests.").or_else(|| key.strip_prefix("limits.")).unwrap_or(key);
            Some((e.key.name.clone(), Quantity::new(resource, &text)?))
        })
        .collect()
}

impl LimitRange {
    pub fn from_object(object: &Object) -> LimitRange {
        let limits = object.root.at(&["spec", "limits"]).map(crate::yaml::Node::items).unwrap_or_default();
        let items = limits.iter().filter_map(LimitItem::from_node).collect();
        LimitRange { namespace: object.namespace.clone(), items }
    }
}

impl Quota {
    pub fn from_object(object: &Object) -> Quota {
        Quota {
            namespace: object.namespace.clone(),
            name: object.name.clone(),
            hard: quantities(object.root.at(&["spec", "hard"])),
        }
    }
}

/// The LimitRanges and ResourceQuotas given.
#[derive(Clone, Debug, Default)]
pub struct Admission {
    pub limit_ranges: Vec<LimitRange>,
    pub quotas: Vec<Quota>,
}

impl Admission {
    pub fn from_objects(objects: &[Object]) -> Admission {
        let of = |kind: &'static str| objects.iter().filter(move |o| o.kind == kind);
        Admission {
            limit_ranges: of("LimitRange").map(LimitRange::from_object).collect(),
            quotas: of("ResourceQuota")
                .filter(|o| o.root.at(&["spec", "scopes"]).is_none() && o.root.at(&["spec", "scopeSelector"]).is_none())
                .map(Quota::from_object)
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.limit_ranges.is_empty() && self.quotas.is_empty()
    }

    /// LimitRanger's defaults, written into the spec, then its checks; the message
    /// after `is forbidden: ` when it refuses the Pod.
    pub fn limit(&self, namespace: &str, spec: &mut PodSpec) -> Result<(), String> {
        let ranges: Vec<&LimitRange> = self.limit_ranges.iter().filter(|l| l.namespace == namespace).collect();
        if ranges.is_empty() {
            return Ok(());
        }
        for range in &ranges {
            // defaultContainerResourceRequirements keeps the last Container item's values.
            let mut default = BTreeMap::new();
            let mut default_request = BTreeMap::new();
            for item in range.items.iter().filter(|i| !i.pod) {
                default.extend(item.default.clone());
                default_request.extend(item.default_request.clone());
            }
            for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut()) {
                for (k, v) in &default {
                    c.limits.entry(k.clone()).or_insert_with(|| v.clone());
                }
                for (k, v) in &default_request {
                    c.requests.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
        spec.resources_changed();
        let mut errors = Vec::new();
        for item in ranges.iter().flat_map(|r| &r.items) {
            if item.pod {
                let (requests, limits) = (sums(spec, false), sums(spec, true));
                check(item, "Pod", &requests, &limits, &mut errors);
            } else {
                for c in &spec.containers {
                    check(item, "Container", &c.requests, &c.limits, &mut errors);
                }
            }
        }
        aggregate(errors)
    }

    /// ResourceQuota admission for one more Pod in the namespace, given what the
    /// namespace's Pods use now (`used`, from [`usage`]).
    pub fn quota(&self, namespace: &str, spec: &PodSpec, used: &BTreeMap<String, u64>) -> Result<(), String> {
        let wanted = usage(spec);
        for q in self.quotas.iter().filter(|q| q.namespace == namespace) {
            // Constraints: quota on cpu or memory needs every container to say it.
            let mut missing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for c in &spec.containers {
                for key in q.hard.keys() {
                    let (section, resource) = match key.as_str() {
                        "cpu" | "requests.cpu" => (&c.requests, "cpu"),
                        "memory" | "requests.memory" => (&c.requests, "memory"),
                        "limits.cpu" => (&c.limits, "cpu"),
                        "limits.memory" => (&c.limits, "memory"),
                        _ => continue,
                    };
                    if !section.contains_key(resource) {
                        missing.entry(key).or_default().push(&c.name);
                    }
                }
            }
            if !missing.is_empty() {
                let parts: Vec<String> =
                    missing.iter().map(|(k, names)| format!("{k} for: {}", names.join(","))).collect();
                return Err(format!("failed quota: {}: must specify {}", q.name, parts.join("; ")));
            }
            let exceeded: Vec<&String> = q
                .hard
                .iter()
                .filter(|(k, hard)| {
                    let want = wanted.get(k.as_str()).copied().unwrap_or(0);
                    want > 0 && used.get(k.as_str()).copied().unwrap_or(0).saturating_add(want) > hard.value
                })
                .map(|(k, _)| k)
                .collect();
            if !exceeded.is_empty() {
                let list = |f: &dyn Fn(&str) -> u64| {
                    exceeded.iter().map(|k| format!("{k}={}", show(k, f(k)))).collect::<Vec<_>>().join(",")
                };
                return Err(format!(
                    "exceeded quota: {}, requested: {}, used: {}, limited: {}",
                    q.name,
                    list(&|k| wanted.get(k).copied().unwrap_or(0)),
                    list(&|k| used.get(k).copied().unwrap_or(0)),
                    exceeded.iter().map(|k| format!("{k}={}", q.hard[k.as_str()].text)).collect::<Vec<_>>().join(",")
                ));
            }
        }
        Ok(())
    }
}

/// A quota resource's amount as `prettyPrint` shows it.
fn show(key: &str, value: u64) -> String {
    if key.ends_with("cpu") {
        format_cpu(value)
    } else if key.ends_with("memory") || key.ends_with("storage") {
        format_memory(value)
    } else {
        value.to_string()
    }
}

/// What one Pod counts for in a quota (the Pod evaluator's `Usage`): `pods`,
/// `count/pods`, and its requests and limits as `PodRequests` and `PodLimits`
/// sum them, under `requests.R` (and plain `cpu`, `memory`, `ephemeral-storage`)
/// and `limits.R`.
pub fn usage(spec: &PodSpec) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::from([("pods".to_string(), 1), ("count/pods".to_string(), 1)]);
    for (limits, prefix) in [(false, "requests."), (true, "limits.")] {
        for (k, v) in sums(spec, limits) {
            if !limits && matches!(k.as_str(), "cpu" | "memory" | "ephemeral-storage") {
                out.insert(k.clone(), v.value);
            }
            out.insert(format!("{prefix}{k}"), v.value);
        }
    }
    out
}

fn sums(spec: &PodSpec, limits: bool) -> BTreeMap<String, Quantity> {
    spec.aggregate(limits).into_iter().map(|(k, v)| (k.clone(), Quantity::of(&k, v))).collect()
}

/// One LimitRange item's min, max and ratio checks on requests and limits.
fn check(
    item: &LimitItem,
    kind: &str,
    requests: &BTreeMap<String, Quantity>,
    limits: &BTreeMap<String, Quantity>,
    errors: &mut Vec<String>,
) {
    for (k, min) in &item.min {
        let m = &min.text;
        match (requests.get(k), limits.get(k)) {
            (None, _) => errors.push(format!("minimum {k} usage per {kind} is {m}.  No request is specified")),
            (Some(r), _) if r.value < min.value => {
                errors.push(format!("minimum {k} usage per {kind} is {m}, but request is {}", r.text));
            }
            (_, Some(l)) if l.value < min.value => {
                errors.push(format!("minimum {k} usage per {kind} is {m}, but limit is {}", l.text));
            }
            _ => {}
        }
    }
    for (k, max) in &item.max {
        let m = &max.text;
        match (requests.get(k), limits.get(k)) {
            (_, None) => errors.push(format!("maximum {k} usage per {kind} is {m}.  No limit is specified")),
            (_, Some(l)) if l.value > max.value => {
                errors.push(format!("maximum {k} usage per {kind} is {m}, but limit is {}", l.text));
            }
            (Some(r), _) if r.value > max.value => {
                errors.push(format!("maximum {k} usage per {kind} is {m}, but request is {}", r.text));
            }
            _ => {}
        }
    }
    for (k, ratio) in &item.ratio {
        let m = &ratio.text;
        match (requests.get(k).filter(|r| r.value > 0), limits.get(k).filter(|l| l.value > 0)) {
            (None, _) => errors.push(format!(
                "{k} max limit to request ratio per {kind} is {m}, but no request is specified or request is 0"
            )),
            (_, None) => errors.push(format!(
                "{k} max limit to request ratio per {kind} is {m}, but no limit is specified or limit is 0"
            )),
            (Some(r), Some(l)) => {
                let observed = l.value as f64 / r.value as f64;
                let allowed = ratio.value as f64 / if k == "cpu" { 1000.0 } else { 1.0 };
                if observed > allowed {
                    errors.push(format!(
                        "{k} max limit to request ratio per {kind} is {m}, but provided ratio is {observed:.6}"
                    ));
                }
            }
        }
    }
}

/// `utilerrors.NewAggregate(errs).Error()`: one message as it is, several in brackets.
fn aggregate(errors: Vec<String>) -> Result<(), String> {
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.concat()),
        _ => Err(format!("[{}]", errors.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::template::Template;

    fn spec(yaml: &str) -> PodSpec {
        let stream = crate::yaml::load(yaml, &crate::limits::Limits::default());
        Template::from_node(stream.documents.first().map(|d| &d.root)).spec
    }

    fn range(yaml: &str) -> LimitRange {
        let stream = crate::yaml::load(yaml, &crate::limits::Limits::default());
        let root = stream.documents.first().map(|d| &d.root);
        let items = root.and_then(|r| r.get("limits")).map(crate::yaml::Node::items).unwrap_or_default();
        LimitRange { namespace: "default".into(), items: items.iter().filter_map(LimitItem::from_node).collect() }
    }

    /// The texts of limitranger's minConstraint, maxConstraint and
    /// limitRequestRatioConstraint, aggregated as `utilerrors.NewAggregate` prints them.
    #[test]
    fn limit_range_messages() {
        let admission = Admission {
            limit_ranges: vec![range(
                "limits: [{type: Container, min: {cpu: 100m}, max: {memory: 1Gi}, maxLimitRequestRatio: {cpu: '2'}}]",
            )],
            quotas: Vec::new(),
        };
        let mut pod =
            spec("spec: {containers: [{name: a, resources: {requests: {cpu: 50m}, limits: {cpu: '1', memory: 2Gi}}}]}");
        assert_eq!(
            admission.limit("default", &mut pod),
            Err("[minimum cpu usage per Container is 100m, but request is 50m, maximum memory usage per Container is 1Gi, but limit is 2Gi, cpu max limit to request ratio per Container is 2, but provided ratio is 20.000000]".into())
        );
        let mut pod = spec("spec: {containers: [{name: a, resources: {limits: {cpu: 150m}}}]}");
        // The limit becomes the request (SetDefaults_Pod); max memory defaults the limit.
        assert_eq!(admission.limit("default", &mut pod), Ok(()));
        assert_eq!(pod.containers[0].limits.get("memory").map(|q| q.text.as_str()), Some("1Gi"));
        assert_eq!(pod.requests.cpu_milli, 150);
        assert_eq!(admission.limit("other", &mut spec("spec: {containers: [{name: a}]}")), Ok(()));
    }

    #[test]
    fn quota_messages() {
        let hard = |yaml: &str| {
            let stream = crate::yaml::load(yaml, &crate::limits::Limits::default());
            quantities(stream.documents.first().map(|d| &d.root))
        };
        let admission = Admission {
            limit_ranges: Vec::new(),
            quotas: vec![Quota {
                namespace: "default".into(),
                name: "q".into(),
                hard: hard("{requests.cpu: '1', pods: '3'}"),
            }],
        };
        let pod = spec("spec: {containers: [{name: a, resources: {requests: {cpu: 600m}}}]}");
        let used = usage(&pod);
        assert_eq!(
            admission.quota("default", &pod, &used),
            Err("exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1"
                .into())
        );
        assert_eq!(admission.quota("default", &pod, &BTreeMap::new()), Ok(()));
        let bare = spec("spec: {containers: [{name: a}, {name: b}]}");
        assert_eq!(
            admission.quota("default", &bare, &BTreeMap::new()),
            Err("failed quota: q: must specify requests.cpu for: a,b".into())
        );
    }
}
