//! What RBAC roles grant, for the rules about roles and bindings.

use crate::yaml::Node;

/// One rule of a Role or ClusterRole.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PolicyRule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub verbs: Vec<String>,
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(Node::items).unwrap_or_default().iter().filter_map(|n| n.as_str().map(str::to_string)).collect()
}

/// The `rules` of a Role or ClusterRole.
pub fn rules(role: &Node) -> Vec<PolicyRule> {
    role.get("rules")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|r| PolicyRule {
            api_groups: strings(r.get("apiGroups")),
            resources: strings(r.get("resources")),
            verbs: strings(r.get("verbs")),
        })
        .collect()
}

impl PolicyRule {
    /// Whether the rule grants one of `verbs` on one of `resources` (a `*` grants
    /// everything), in any API group.
    pub fn grants(&self, verbs: &[&str], resources: &[&str]) -> bool {
        let any = |list: &[String], wanted: &[&str]| list.iter().any(|x| x == "*" || wanted.contains(&x.as_str()));
        any(&self.verbs, verbs) && any(&self.resources, resources)
    }
}
