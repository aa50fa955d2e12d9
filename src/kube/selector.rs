//! Label selectors and label matching, as `k8s.io/apimachinery/pkg/labels` does.

use crate::yaml::{Node, Value, format_float};

/// Labels that controllers add to the Pods they create (see `controllers.md` §10).
pub const CONTROLLER_LABELS: &[&str] = &[
    "pod-template-hash",
    "controller-revision-hash",
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "pod-template-generation",
    "controller-uid",
    "job-name",
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-name",
    "batch.kubernetes.io/job-completion-index",
];

/// Labels of an object: key and value, in source order.
pub type Labels = Vec<(String, String)>;

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Selector {
    pub match_labels: Labels,
    pub expressions: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// A scalar as the string the API server sees after a type error is fixed (`1`, `true`).
pub fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Float(f) => Some(format_float(*f)),
        _ => None,
    }
}

/// The entries of a `key: value` map of strings (labels, a Service's selector).
pub fn labels(node: &Node) -> Labels {
    node.entries().iter().filter_map(|e| Some((e.key.name.clone(), scalar_text(&e.value)?))).collect()
}

impl Selector {
    /// A `LabelSelector` (`matchLabels` and `matchExpressions`).
    pub fn from_label_selector(node: &Node) -> Selector {
        let match_labels = node.get("matchLabels").map(labels).unwrap_or_default();
        let expressions = node
            .get("matchExpressions")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                let operator = match e.get("operator")?.as_str()? {
                    "In" => Operator::In,
                    "NotIn" => Operator::NotIn,
                    "Exists" => Operator::Exists,
                    "DoesNotExist" => Operator::DoesNotExist,
                    _ => return None,
                };
                let values = e.get("values").map(Node::items).unwrap_or_default();
                Some(Requirement {
                    key: e.get("key")?.as_str()?.to_string(),
                    operator,
                    values: values.iter().filter_map(scalar_text).collect(),
                })
            })
            .collect();
        Selector { match_labels, expressions }
    }

    /// A plain map selector (Service, ReplicationController).
    pub fn from_map(node: &Node) -> Selector {
        Selector { match_labels: labels(node), expressions: Vec::new() }
    }

    /// An empty selector: it matches everything (or, for a Service, means "no selector").
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty()
    }

    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        self.matches_except(labels, |_| false)
    }

    /// Whether the selector matches the Pods made from a template with these labels.
    /// Controllers add labels of their own to each Pod (`pod-template-hash`,
    /// `statefulset.kubernetes.io/pod-name`, …); requirements on those cannot be
    /// decided from the template and count as met.
    pub fn matches_template(&self, labels: &[(String, String)]) -> bool {
        self.matches_except(labels, |key| CONTROLLER_LABELS.contains(&key))
    }

    /// A `matchLabels` entry that any matching template must carry, if there is one:
    /// a key to look candidates up by.
    pub fn required_label(&self) -> Option<(&str, &str)> {
        self.match_labels
            .iter()
            .find(|(k, _)| !CONTROLLER_LABELS.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Matching, with requirements on keys that `skip` accepts counted as met.
    fn matches_except(&self, labels: &[(String, String)], skip: impl Fn(&str) -> bool) -> bool {
        let get = |key: &str| labels.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        self.match_labels.iter().all(|(k, v)| skip(k) || get(k) == Some(v.as_str()))
            && self.expressions.iter().all(|r| {
                skip(&r.key)
                    || match (r.operator, get(&r.key)) {
                        (Operator::In, Some(v)) => r.values.iter().any(|x| x == v),
                        (Operator::In, None) => false,
                        (Operator::NotIn, Some(v)) => !r.values.iter().any(|x| x == v),
                        (Operator::NotIn, None) => true,
                        (Operator::Exists, found) => found.is_some(),
                        (Operator::DoesNotExist, found) => found.is_none(),
                    }
            })
    }

    /// `app=web,tier in (a,b)`, the form `kubectl` prints.
    pub fn display(&self) -> String {
        let mut parts: Vec<String> = self.match_labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        for r in &self.expressions {
            parts.push(match r.operator {
                Operator::In => format!("{} in ({})", r.key, r.values.join(",")),
                Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(",")),
                Operator::Exists => r.key.clone(),
                Operator::DoesNotExist => format!("!{}", r.key),
            });
        }
        parts.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn node(text: &str) -> Node {
        crate::yaml::load(text, &Limits::default()).documents.remove(0).root
    }

    fn l(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn match_labels_and_expressions() {
        let s = Selector::from_label_selector(&node(
            "matchLabels: {app: web}\nmatchExpressions:\n- {key: tier, operator: In, values: [a, b]}\n- {key: canary, operator: DoesNotExist}\n",
        ));
        assert!(s.matches(&l(&[("app", "web"), ("tier", "a")])));
        assert!(!s.matches(&l(&[("app", "web"), ("tier", "c")])));
        assert!(!s.matches(&l(&[("app", "web"), ("tier", "a"), ("canary", "1")])));
        assert!(!s.matches(&l(&[("tier", "a")])));
        assert_eq!(s.display(), "app=web,tier in (a,b),!canary");
        let pod = Selector::from_map(&node("app: db\nstatefulset.kubernetes.io/pod-name: db-0\n"));
        assert!(!pod.matches(&l(&[("app", "db")])));
        assert!(pod.matches_template(&l(&[("app", "db")])));
        let s = Selector::from_label_selector(&node(
            "matchExpressions:\n- {key: x, operator: NotIn, values: [1]}\n- {key: y, operator: Exists}\n",
        ));
        assert!(s.matches(&l(&[("y", "")])));
        assert!(!s.matches(&l(&[("x", "1"), ("y", "")])));
    }

    #[test]
    fn maps_and_empty() {
        let s = Selector::from_map(&node("app: web\nversion: 2\n"));
        assert_eq!(s.match_labels, l(&[("app", "web"), ("version", "2")]));
        assert!(Selector::from_label_selector(&node("{}")).is_empty());
        assert!(Selector::default().matches(&[]));
    }
}
