//! A Job's `podFailurePolicy` and `successPolicy` (controllers.md §5.5), as
//! pkg/controller/job/pod_failure_policy.go `matchPodFailurePolicy` and
//! success_policy.go `matchSuccessPolicy` apply them.

use std::collections::BTreeSet;

use crate::simulate::world::Pod;
use crate::yaml::Node;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    FailJob,
    FailIndex,
    Ignore,
    Count,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::FailJob => "FailJob",
            Action::FailIndex => "FailIndex",
            Action::Ignore => "Ignore",
            Action::Count => "Count",
        }
    }
}

#[derive(Clone, Debug)]
enum Match {
    ExitCodes {
        container: Option<String>,
        not_in: bool,
        values: Vec<i64>,
    },
    /// (type, status) pairs; `status` defaults to `True`.
    Conditions(Vec<(String, String)>),
}

#[derive(Clone, Debug)]
pub struct FailureRule {
    action: Option<Action>,
    on: Match,
}

/// `spec.podFailurePolicy.rules`.
pub fn failure_rules(spec: Option<&Node>) -> Vec<FailureRule> {
    let rules = spec.and_then(|s| s.at(&["podFailurePolicy", "rules"])).map(Node::items).unwrap_or_default();
    rules
        .iter()
        .filter_map(|rule| {
            let action = match rule.get("action").and_then(Node::as_str) {
                Some("FailJob") => Some(Action::FailJob),
                Some("FailIndex") => Some(Action::FailIndex),
                Some("Ignore") => Some(Action::Ignore),
                Some("Count") => Some(Action::Count),
                _ => None,
            };
            let on = if let Some(codes) = rule.get("onExitCodes") {
                Match::ExitCodes {
                    container: codes.get("containerName").and_then(Node::as_str).map(str::to_string),
                    not_in: codes.get("operator").and_then(Node::as_str) == Some("NotIn"),
                    values: codes
                        .get("values")
                        .map(Node::items)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(Node::as_i64)
                        .collect(),
                }
            } else {
                let patterns = rule.get("onPodConditions")?.items();
                Match::Conditions(
                    patterns
                        .iter()
                        .map(|p| {
                            let text = |k: &str, d: &str| p.get(k).and_then(Node::as_str).unwrap_or(d).to_string();
                            (text("type", ""), text("status", "True"))
                        })
                        .collect(),
                )
            };
            Some(FailureRule { action, on })
        })
        .collect()
}

/// What the policy makes of a failed Pod: the first rule that matches decides;
/// without one the failure counts. `FailJob` comes with the Job's failure message.
pub fn match_failure(rules: &[FailureRule], pod: &Pod) -> (Action, Option<String>) {
    for (index, rule) in rules.iter().enumerate() {
        let matched = match &rule.on {
            // matchOnExitCodes: a container that terminated with a non-zero code.
            Match::ExitCodes { container, not_in, values } => pod
                .exit
                .as_ref()
                .filter(|(name, code)| {
                    container.as_ref().is_none_or(|c| c == name) && values.contains(&i64::from(*code)) != *not_in
                })
                .map(|(name, code)| {
                    format!(
                        "Container {name} for pod {}/{} failed with exit code {code} matching FailJob rule at index {index}",
                        pod.namespace, pod.name
                    )
                }),
            Match::Conditions(patterns) => pod
                .conditions()
                .into_iter()
                .find(|(kind, status)| patterns.iter().any(|(k, s)| k == kind && s == status))
                .map(|(kind, _)| {
                    format!(
                        "Pod {}/{} has condition {kind} matching FailJob rule at index {index}",
                        pod.namespace, pod.name
                    )
                }),
        };
        if let (Some(message), Some(action)) = (matched, rule.action) {
            return (action, (action == Action::FailJob).then_some(message));
        }
    }
    (Action::Count, None)
}

/// A `successPolicy` rule: `succeededIndexes` (`"0,2-3"`) and/or `succeededCount`.
#[derive(Clone, Debug)]
pub struct SuccessRule {
    indexes: Option<BTreeSet<u32>>,
    count: Option<u32>,
}

/// `spec.successPolicy.rules`, the indexes limited to `completions`.
pub fn success_rules(spec: Option<&Node>, completions: u32) -> Vec<SuccessRule> {
    let rules = spec.and_then(|s| s.at(&["successPolicy", "rules"])).map(Node::items).unwrap_or_default();
    rules
        .iter()
        .map(|rule| SuccessRule {
            indexes: rule.get("succeededIndexes").and_then(Node::as_str).map(|text| parse_indexes(text, completions)),
            count: rule.get("succeededCount").and_then(Node::as_i64).and_then(|c| u32::try_from(c).ok()),
        })
        .collect()
}

/// `matchSuccessPolicy`: the index of the first rule the succeeded indexes meet.
pub fn match_success(rules: &[SuccessRule], succeeded: &BTreeSet<u32>) -> Option<usize> {
    rules.iter().position(|rule| match (&rule.indexes, rule.count) {
        (Some(indexes), None) => !indexes.is_empty() && indexes.is_subset(succeeded),
        (Some(indexes), Some(count)) => indexes.intersection(succeeded).count() >= count as usize,
        (None, Some(count)) => succeeded.len() >= count as usize,
        (None, None) => false,
    })
}

/// `"1,3-5"` → {1, 3, 4, 5}, below `completions`.
fn parse_indexes(text: &str, completions: u32) -> BTreeSet<u32> {
    let mut out = BTreeSet::new();
    for part in text.split(',') {
        let (from, to) = part.split_once('-').unwrap_or((part, part));
        let (Ok(from), Ok(to)) = (from.trim().parse::<u32>(), to.trim().parse::<u32>()) else { continue };
        out.extend((from..=to.min(completions.saturating_sub(1))).take(completions as usize));
    }
    out
}

impl FailureRule {
    pub fn describe(rules: &[FailureRule]) -> String {
        let actions: Vec<&str> = rules.iter().filter_map(|r| r.action.map(Action::as_str)).collect();
        format!("podFailurePolicy {}", actions.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_ranges() {
        let set = |v: &[u32]| v.iter().copied().collect::<BTreeSet<u32>>();
        assert_eq!(parse_indexes("0,2-3", 10), set(&[0, 2, 3]));
        assert_eq!(parse_indexes("3-9", 5), set(&[3, 4]));
        let rules = vec![SuccessRule { indexes: Some(set(&[0, 2])), count: None }];
        assert_eq!(match_success(&rules, &set(&[0, 1])), None);
        assert_eq!(match_success(&rules, &set(&[0, 2])), Some(0));
        let rules = vec![SuccessRule { indexes: Some(set(&[0, 1, 2])), count: Some(2) }];
        assert_eq!(match_success(&rules, &set(&[1, 2])), Some(0));
    }
}
