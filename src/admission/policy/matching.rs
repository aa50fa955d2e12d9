//! `matchConstraints` and `matchResources`: which requests a policy or binding sees.
//! Every object of the input is a `CREATE` request.

use crate::kube::selector::{Labels, Selector};
use crate::yaml::Node;

/// Resource rules and selectors.
#[derive(Debug, Default)]
pub struct Match {
    namespace_selector: Option<Selector>,
    object_selector: Option<Selector>,
    rules: Vec<Rule>,
    exclude: Vec<Rule>,
    /// A binding's `matchResources` without `resourceRules` keeps what the policy
    /// matches; a policy without them matches nothing.
    empty_rules_match_all: bool,
}

#[derive(Debug)]
struct Rule {
    groups: Vec<String>,
    versions: Vec<String>,
    resources: Vec<String>,
    operations: Vec<String>,
    names: Vec<String>,
}

/// What the admission request is about.
pub struct Request<'a> {
    pub group: &'a str,
    pub version: &'a str,
    /// The plural resource name (`deployments`).
    pub resource: &'a str,
    pub name: &'a str,
    /// The labels of the object.
    pub labels: &'a Labels,
    /// The labels of the object's namespace; `None` for a cluster-scoped object.
    pub namespace_labels: Option<&'a Labels>,
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(Node::items).unwrap_or_default().iter().filter_map(|n| n.as_str().map(str::to_string)).collect()
}

fn rules(node: Option<&Node>) -> Vec<Rule> {
    node.map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|r| Rule {
            groups: strings(r.get("apiGroups")),
            versions: strings(r.get("apiVersions")),
            resources: strings(r.get("resources")),
            operations: strings(r.get("operations")),
            names: strings(r.get("resourceNames")),
        })
        .collect()
}

impl Match {
    pub fn read(node: &Node, binding: bool) -> Match {
        Match {
            namespace_selector: node.get("namespaceSelector").map(Selector::from_label_selector),
            object_selector: node.get("objectSelector").map(Selector::from_label_selector),
            rules: rules(node.get("resourceRules")),
            exclude: rules(node.get("excludeResourceRules")),
            empty_rules_match_all: binding,
        }
    }

    pub fn matches(&self, request: &Request<'_>) -> bool {
        let ruled = if self.rules.is_empty() {
            self.empty_rules_match_all
        } else {
            self.rules.iter().any(|r| r.matches(request))
        };
        ruled
            && !self.exclude.iter().any(|r| r.matches(request))
            && self.object_selector.as_ref().is_none_or(|s| s.matches(request.labels))
            // A cluster-scoped object is not in a namespace: the selector does not apply.
            && match (&self.namespace_selector, request.namespace_labels) {
                (Some(selector), Some(labels)) => selector.matches(labels),
                _ => true,
            }
    }
}

fn any(list: &[String], value: &str) -> bool {
    list.iter().any(|x| x == "*" || x == value)
}

impl Rule {
    fn matches(&self, r: &Request<'_>) -> bool {
        any(&self.groups, r.group)
            && any(&self.versions, r.version)
            && self.resources.iter().any(|x| x == "*" || x == "*/*" || x == r.resource)
            && any(&self.operations, "CREATE")
            && (self.names.is_empty() || self.names.iter().any(|n| n == r.name))
    }
}

/// The plural resource of a kind the catalog does not have (a custom resource), as
/// CRDs conventionally name it (`NetworkPolicy` → `networkpolicies`).
pub fn resource(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    match lower.as_str() {
        "endpoints" | "podsecuritypolicy" => lower,
        _ if lower.ends_with('y') && !lower.ends_with("ay") && !lower.ends_with("ey") => {
            format!("{}ies", lower.trim_end_matches('y'))
        }
        _ if lower.ends_with('s') || lower.ends_with("x") || lower.ends_with("ch") => format!("{lower}es"),
        _ => format!("{lower}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_plural() {
        for (kind, plural) in [
            ("Deployment", "deployments"),
            ("NetworkPolicy", "networkpolicies"),
            ("Ingress", "ingresses"),
            ("Endpoints", "endpoints"),
            ("ConfigMap", "configmaps"),
            ("Gateway", "gateways"),
        ] {
            assert_eq!(resource(kind), plural);
        }
    }
}
