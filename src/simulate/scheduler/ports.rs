//! NodePorts: a Pod's host ports must be free on the node.

use super::{Incoming, Status, View};

/// NodePorts' Filter (`fitsPorts`): preemption can free a port.
pub fn filter(pod: &Incoming, view: &View, node: usize) -> Result<(), Status> {
    let wanted = &pod.spec.constraints.host_ports;
    if wanted.is_empty() {
        return Ok(());
    }
    let taken = view.on_node(node).flat_map(|p| p.spec.constraints.host_ports.iter());
    let mut taken = taken.peekable();
    if taken.peek().is_none() {
        return Ok(());
    }
    let taken: Vec<_> = taken.collect();
    if wanted.iter().any(|w| taken.iter().any(|t| w.conflicts(t))) {
        return Err(Status::new("node(s) didn't have free ports for the requested pod ports", false));
    }
    Ok(())
}
