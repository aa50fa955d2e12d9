//! A HorizontalPodAutoscaler on a Deployment, as far as it is knowable offline
//! (`reconcileAutoscaler` in pkg/controller/podautoscaler/horizontal.go): a target
//! with fewer replicas than `minReplicas` (1 by default) is scaled up to it, one
//! with more than `maxReplicas` down to it, at once and without the scaling
//! behaviour's limits (`SuccessfulRescale`, `New size: 3; reason: Current number of
//! replicas below Spec.MinReplicas`); a target with 0 replicas is not scaled
//! (`ScalingDisabled`). Between the bounds the metrics decide, which the
//! simulation does not know: the replicas stay as given, and the HPA's metrics are
//! listed as not modelled.

use crate::simulate::coverage::Unmodelled;
use crate::simulate::object::Object;
use crate::yaml::Node;

#[derive(Clone, Debug)]
pub struct Autoscaler {
    pub name: String,
    min: u32,
    max: u32,
}

impl Autoscaler {
    /// The HPA of the input that targets the Deployment `namespace/name`.
    pub fn of_deployment(objects: &[Object], namespace: &str, name: &str) -> Option<Autoscaler> {
        let hpa = objects.iter().find(|o| o.namespace == namespace && target(o) == Some(("Deployment", name)))?;
        let int = |key: &str| hpa.spec().and_then(|s| s.get(key)).and_then(Node::as_i64);
        let small = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        Some(Autoscaler {
            name: hpa.name.clone(),
            min: int("minReplicas").map_or(1, small),
            max: int("maxReplicas").map_or(u32::MAX, small),
        })
    }

    /// The size the HPA sets for a target of `replicas`, and its reason; `None`
    /// when it leaves it (to the metrics, or disabled at 0).
    pub fn rescale(&self, replicas: u32) -> Option<(u32, &'static str)> {
        if replicas == 0 && self.min != 0 {
            None
        } else if replicas > self.max {
            Some((self.max, "Current number of replicas above Spec.MaxReplicas"))
        } else if replicas < self.min {
            Some((self.min, "Current number of replicas below Spec.MinReplicas"))
        } else {
            None
        }
    }
}

/// `scaleTargetRef` (kind, name) of a HorizontalPodAutoscaler.
fn target(object: &Object) -> Option<(&str, &str)> {
    if object.kind != "HorizontalPodAutoscaler" {
        return None;
    }
    let target = object.spec()?.get("scaleTargetRef")?;
    Some((target.get("kind")?.as_str()?, target.get("name")?.as_str()?))
}

/// What the simulation leaves out of a HorizontalPodAutoscaler: scaling on its
/// metrics, for a Deployment's; the whole object for other targets.
pub fn unmodelled(object: &Object) -> Option<Unmodelled> {
    if object.kind != "HorizontalPodAutoscaler" {
        return None;
    }
    let (field, origin) = match target(object) {
        Some(("Deployment", _)) => {
            let metrics = object.root.at(&["spec"]).and_then(|s| s.entry("metrics"));
            let origin =
                metrics.map_or_else(|| object.origin.clone(), |e| object.origin_at(object.line(e.key.span.start)));
            ("spec.metrics".to_string(), origin)
        }
        _ => (String::new(), object.origin.clone()),
    };
    Some(Unmodelled { object: object.display(), field, origin })
}
