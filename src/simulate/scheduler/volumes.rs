//! VolumeBinding (pkg/scheduler/framework/plugins/volumebinding): its PreFilter
//! rejects a Pod whose claims are missing or unbound though their class binds
//! at once (`World::pod_volumes` does that part); its Filter (`FindPodVolumes`)
//! checks per node that the volumes of bound claims may be used there
//! (`checkBoundClaims`: the volume's node affinity) and that each claim waiting
//! for its first consumer finds a volume there or can be provisioned there
//! (`findMatchingVolumes`, `checkVolumeProvisions`: a provisioner, and the node in
//! the class's `allowedTopologies`). Its failures cannot be helped by preemption.

use super::{Incoming, Status, View};
use crate::simulate::labels::{NodeSelectorTerm, terms_match};

/// What the Filter checks of one claim of the Pod.
#[derive(Clone, Debug, PartialEq)]
pub enum Need {
    /// A bound claim: its volume's required node affinity.
    Bound(Option<Vec<NodeSelectorTerm>>),
    /// An unbound claim whose class waits for the first consumer (index in `World::claims`).
    Delayed { claim: usize },
}

/// The PreFilter's result: the Pod's claims, or why no node can take it.
pub type PodVolumes = Result<Vec<Need>, String>;

/// A Pod without claims.
pub static NO_VOLUMES: PodVolumes = Ok(Vec::new());

/// `ErrReasonNodeConflict` and `ErrReasonBindConflict`.
const NODE_CONFLICT: &str = "node(s) had volume node affinity conflict";
const BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";

pub fn filter(pod: &Incoming, view: &View, node: usize) -> Result<(), Status> {
    let Ok(needs) = pod.volumes else { return Ok(()) };
    let n = &view.cluster.nodes[node];
    let mut reasons = Vec::new();
    let bound_fit = needs.iter().all(|need| match need {
        Need::Bound(affinity) => affinity.as_ref().is_none_or(|terms| terms_match(terms, &n.name, &n.labels)),
        Need::Delayed { .. } => true,
    });
    if !bound_fit {
        reasons.push(NODE_CONFLICT.to_string());
    }
    let mut chosen = Vec::new();
    let mut unbound_fit = true;
    for need in needs {
        let Need::Delayed { claim } = need else { continue };
        let Some(claim) = view.claims.get(*claim) else { continue };
        match view.storage.find_match(claim, Some((&n.name, &n.labels)), true, &chosen) {
            Some(v) => chosen.push(v),
            None => {
                let class = view.storage.class(claim.spec.class());
                unbound_fit &= class.is_some_and(|c| c.provisions_on(&n.labels));
            }
        }
    }
    if !unbound_fit {
        reasons.push(BIND_CONFLICT.to_string());
    }
    if reasons.is_empty() { Ok(()) } else { Err(Status { reasons, unresolvable: true }) }
}
