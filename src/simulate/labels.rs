//! Matching labels and taints: label selectors, node selector terms (required node
//! affinity) and tolerations, with the API's semantics.

use std::collections::BTreeMap;

use crate::yaml::Node;

pub type Labels = BTreeMap<String, String>;

/// A string-to-string map (`labels`, `nodeSelector`, `matchLabels`); other values
/// are skipped (validation reports them).
pub fn string_map(node: Option<&Node>) -> Labels {
    node.map(|n| n.entries().iter().filter_map(|e| Some((e.key.name.clone(), scalar(&e.value)?))).collect())
        .unwrap_or_default()
}

/// A scalar as the string Kubernetes would see.
pub fn scalar(node: &Node) -> Option<String> {
    use crate::yaml::Value;
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Float(f) => Some(crate::yaml::format_float(*f)),
        _ => None,
    }
}

pub fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(|n| n.items().iter().filter_map(scalar).collect()).unwrap_or_default()
}

/// One requirement: `key operator values`.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

impl Requirement {
    fn from_node(node: &Node) -> Requirement {
        let text = |k| node.get(k).and_then(scalar).unwrap_or_default();
        Requirement { key: text("key"), operator: text("operator"), values: strings(node.get("values")) }
    }

    /// Whether `value` (the label's value, if the label exists) meets the requirement.
    fn matches(&self, value: Option<&str>) -> bool {
        let number = |s: &str| s.parse::<i64>().ok();
        match self.operator.as_str() {
            "In" => value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            "NotIn" => value.is_none_or(|v| !self.values.iter().any(|x| x == v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            "Gt" | "Lt" => {
                let (Some(v), Some(bound)) = (value.and_then(number), self.values.first().and_then(|b| number(b)))
                else {
                    return false;
                };
                if self.operator == "Gt" { v > bound } else { v < bound }
            }
            _ => false,
        }
    }
}

/// A `LabelSelector`: `matchLabels` and `matchExpressions`, all of which must hold.
/// An empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selector {
    pub match_labels: Labels,
    pub expressions: Vec<Requirement>,
}

impl Selector {
    pub fn from_node(node: Option<&Node>) -> Selector {
        let Some(node) = node else { return Selector::default() };
        Selector {
            match_labels: string_map(node.get("matchLabels")),
            expressions: node
                .get("matchExpressions")
                .map(|e| e.items().iter().map(Requirement::from_node).collect())
                .unwrap_or_default(),
        }
    }

    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.expressions.iter().all(|r| r.matches(labels.get(&r.key).map(String::as_str)))
    }
}

/// A Service's plain selector: every pair must be present. An empty one selects nothing.
pub fn service_selects(selector: &Labels, labels: &Labels) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// A `NodeSelectorTerm`: expressions on labels and fields (`metadata.name`).
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSelectorTerm {
    pub expressions: Vec<Requirement>,
    pub fields: Vec<Requirement>,
}

impl NodeSelectorTerm {
    pub fn from_node(node: &Node) -> NodeSelectorTerm {
        let list = |k| node.get(k).map(|e| e.items().iter().map(Requirement::from_node).collect()).unwrap_or_default();
        NodeSelectorTerm { expressions: list("matchExpressions"), fields: list("matchFields") }
    }

    /// The term the DaemonSet controller pins each Pod with.
    pub fn node_name(name: &str) -> NodeSelectorTerm {
        let pin = Requirement { key: "metadata.name".into(), operator: "In".into(), values: vec![name.into()] };
        NodeSelectorTerm { expressions: Vec::new(), fields: vec![pin] }
    }

    /// An empty term matches no node.
    fn matches(&self, node_name: &str, labels: &Labels) -> bool {
        if self.expressions.is_empty() && self.fields.is_empty() {
            return false;
        }
        self.expressions.iter().all(|r| r.matches(labels.get(&r.key).map(String::as_str)))
            && self.fields.iter().all(|r| r.key == "metadata.name" && r.matches(Some(node_name)))
    }
}

/// Required node affinity: at least one term must match (none when there are no terms).
pub fn terms_match(terms: &[NodeSelectorTerm], node_name: &str, labels: &Labels) -> bool {
    terms.iter().any(|t| t.matches(node_name, labels))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
}

impl Taint {
    pub fn from_node(node: &Node) -> Taint {
        let text = |k| node.get(k).and_then(scalar).unwrap_or_default();
        Taint { key: text("key"), value: text("value"), effect: text("effect") }
    }

    /// `key=value:Effect`, as `kubectl describe node` shows it.
    pub fn display(&self) -> String {
        if self.value.is_empty() {
            format!("{}:{}", self.key, self.effect)
        } else {
            format!("{}={}:{}", self.key, self.value, self.effect)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toleration {
    pub key: String,
    pub operator: String,
    pub value: String,
    pub effect: String,
}

impl Toleration {
    pub fn from_node(node: &Node) -> Toleration {
        let text = |k| node.get(k).and_then(scalar).unwrap_or_default();
        Toleration { key: text("key"), operator: text("operator"), value: text("value"), effect: text("effect") }
    }

    /// `Exists` with no value: how the DaemonSet controller adds its tolerations.
    pub fn exists(key: &str, effect: &str) -> Toleration {
        Toleration { key: key.into(), operator: "Exists".into(), value: String::new(), effect: effect.into() }
    }

    /// `v1.Toleration.ToleratesTaint`.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if !self.effect.is_empty() && self.effect != taint.effect {
            return false;
        }
        if !self.key.is_empty() && self.key != taint.key {
            return false;
        }
        match self.operator.as_str() {
            "" | "Equal" => self.value == taint.value,
            "Exists" => true,
            _ => false,
        }
    }
}

/// The first taint with effect NoSchedule or NoExecute that no toleration tolerates:
/// what blocks scheduling (PreferNoSchedule never does).
pub fn untolerated<'a>(taints: &'a [Taint], tolerations: &[Toleration]) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
        .find(|t| !tolerations.iter().any(|tol| tol.tolerates(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn req(key: &str, op: &str, values: &[&str]) -> Requirement {
        Requirement { key: key.into(), operator: op.into(), values: values.iter().map(|v| v.to_string()).collect() }
    }

    #[test]
    fn selectors() {
        let l = labels(&[("app", "web"), ("tier", "front")]);
        assert!(Selector::default().matches(&l));
        let mut s = Selector { match_labels: labels(&[("app", "web")]), expressions: vec![] };
        assert!(s.matches(&l));
        s.expressions.push(req("tier", "In", &["back"]));
        assert!(!s.matches(&l));
        s.expressions = vec![req("zone", "DoesNotExist", &[]), req("tier", "NotIn", &["back"])];
        assert!(s.matches(&l));
        assert!(!service_selects(&Labels::new(), &l));
        assert!(service_selects(&labels(&[("app", "web")]), &l));
    }

    #[test]
    fn node_terms() {
        let l = labels(&[("disk", "ssd"), ("cores", "8")]);
        let term = |e: Vec<Requirement>| NodeSelectorTerm { expressions: e, fields: vec![] };
        assert!(terms_match(&[term(vec![req("disk", "In", &["ssd", "nvme"])])], "n1", &l));
        assert!(terms_match(&[term(vec![req("cores", "Gt", &["4"])])], "n1", &l));
        assert!(!terms_match(&[term(vec![req("cores", "Lt", &["4"])])], "n1", &l));
        assert!(!terms_match(&[term(vec![])], "n1", &l), "an empty term matches nothing");
        assert!(!terms_match(&[], "n1", &l));
        assert!(terms_match(&[NodeSelectorTerm::node_name("n1")], "n1", &l));
        assert!(!terms_match(&[NodeSelectorTerm::node_name("n1")], "n2", &l));
    }

    #[test]
    fn tolerations() {
        let cp = Taint {
            key: "node-role.kubernetes.io/control-plane".into(),
            value: String::new(),
            effect: "NoSchedule".into(),
        };
        let taints = vec![cp.clone()];
        assert_eq!(untolerated(&taints, &[]), Some(&cp));
        assert_eq!(
            untolerated(&taints, &[Toleration::exists("node-role.kubernetes.io/control-plane", "NoSchedule")]),
            None
        );
        assert_eq!(untolerated(&taints, &[Toleration::exists("", "")]), None, "an empty key with Exists tolerates all");
        let equal =
            Toleration { key: cp.key.clone(), operator: String::new(), value: "x".into(), effect: String::new() };
        assert!(!equal.tolerates(&cp));
        let soft = vec![Taint { key: "k".into(), value: String::new(), effect: "PreferNoSchedule".into() }];
        assert_eq!(untolerated(&soft, &[]), None);
    }
}
