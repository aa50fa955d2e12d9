//! PodDisruptionBudgets as the disruption controller keeps their status
//! (`pkg/controller/disruption`: `getExpectedPodCount`, `countHealthyPods`,
//! `updatePdbStatus`), for the scheduler's preemption, which takes PDB-violating
//! victims last (`filterPodsWithPDBViolation`, `pickOneNodeForPreemption`).

use super::controllers::deployment::IntOrPercent;
use super::labels::{Labels, Selector};
use super::object::Object;

/// A PodDisruptionBudget given.
#[derive(Clone, Debug)]
pub struct Budget {
    pub namespace: String,
    pub name: String,
    pub selector: Selector,
    pub min_available: Option<IntOrPercent>,
    pub max_unavailable: Option<IntOrPercent>,
}

/// A matched Pod, as the disruption controller counts it.
#[derive(Clone, Copy, Debug)]
pub struct Counted {
    /// Ready and not being deleted (`countHealthyPods`).
    pub healthy: bool,
    /// Not being deleted and not finished: stands for its controller's scale.
    pub expected: bool,
}

impl Budget {
    pub fn from_object(object: &Object) -> Budget {
        let spec = object.root.get("spec");
        let field =
            |key: &str| spec.and_then(|s| s.get(key)).map(|n| IntOrPercent::read(Some(n), IntOrPercent::Int(0)));
        Budget {
            namespace: object.namespace.clone(),
            name: object.name.clone(),
            selector: Selector::from_node(spec.and_then(|s| s.get("selector"))),
            min_available: field("minAvailable"),
            max_unavailable: field("maxUnavailable"),
        }
    }

    /// Whether the budget covers a Pod, as `filterPodsWithPDBViolation` decides: a
    /// Pod without labels and a PDB with an empty selector match nothing.
    pub fn covers(&self, namespace: &str, labels: &Labels) -> bool {
        let empty = self.selector.match_labels.is_empty() && self.selector.expressions.is_empty();
        self.namespace == namespace && !empty && !labels.is_empty() && self.selector.matches(labels)
    }

    /// `status.disruptionsAllowed` (`updatePdbStatus`: healthy minus desired, never
    /// below 0, and 0 when no Pod is expected). The expected count of
    /// `maxUnavailable` and percentages is the controllers' scale; the simulation
    /// takes the matched Pods that are neither finished nor deleted, which is the
    /// scale once the controllers have caught up.
    pub fn disruptions_allowed(&self, pods: impl Iterator<Item = Counted>) -> i64 {
        let (mut matched, mut expected, mut healthy) = (0u32, 0u32, 0i64);
        for pod in pods {
            matched += 1;
            expected += u32::from(pod.expected);
            healthy += i64::from(pod.healthy);
        }
        let (expected, desired) = match (self.max_unavailable, self.min_available) {
            (Some(max), _) => (expected, i64::from(expected) - i64::from(max.scaled(expected, true))),
            (None, Some(IntOrPercent::Int(min))) => (matched, i64::from(min)),
            (None, Some(min)) => (expected, i64::from(min.scaled(expected, true))),
            (None, None) => (0, 0),
        };
        if expected == 0 { 0 } else { (healthy - desired).max(0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(min: Option<IntOrPercent>, max: Option<IntOrPercent>) -> Budget {
        let mut selector = Selector::default();
        selector.match_labels.insert("app".into(), "web".into());
        Budget { namespace: "default".into(), name: "web".into(), selector, min_available: min, max_unavailable: max }
    }

    fn pods(healthy: usize, unhealthy: usize) -> impl Iterator<Item = Counted> {
        let h = std::iter::repeat_n(Counted { healthy: true, expected: true }, healthy);
        h.chain(std::iter::repeat_n(Counted { healthy: false, expected: true }, unhealthy))
    }

    #[test]
    fn disruptions_allowed_as_the_disruption_controller_counts() {
        use IntOrPercent::{Int, Percent};
        assert_eq!(budget(Some(Int(2)), None).disruptions_allowed(pods(3, 0)), 1);
        assert_eq!(budget(Some(Int(3)), None).disruptions_allowed(pods(3, 0)), 0);
        assert_eq!(budget(Some(Int(5)), None).disruptions_allowed(pods(3, 0)), 0);
        assert_eq!(budget(None, Some(Int(1))).disruptions_allowed(pods(3, 0)), 1);
        assert_eq!(budget(None, Some(Int(1))).disruptions_allowed(pods(2, 1)), 0);
        // 50% of 3 rounds up to 2.
        assert_eq!(budget(Some(Percent(50)), None).disruptions_allowed(pods(3, 0)), 1);
        assert_eq!(budget(None, Some(Percent(50))).disruptions_allowed(pods(4, 0)), 2);
        // No Pod expected, or no budget: nothing may be disrupted.
        assert_eq!(budget(None, Some(Int(1))).disruptions_allowed(pods(0, 0)), 0);
        assert_eq!(budget(None, None).disruptions_allowed(pods(3, 0)), 0);
    }
}
