//! The kubelet's probes where their outcome is knowable offline
//! (pkg/kubelet/prober). A probe whose handler is well formed is taken to succeed.
//! An `httpGet` or `tcpSocket` probe on a port *name* that the container's own
//! `ports` do not define cannot be run: `ResolveContainerPort` (pkg/probe/util.go)
//! finds no port of that name (other containers' ports do not count) and, as a
//! last resort, fails to read the name as a number. The prober then reports an
//! error (`runProbe` returns `probe.Unknown` with it), records an `Unhealthy`
//! event, and the worker throws the result away (`doProbe` in worker.go: "Prober
//! error, throw away the result"). So such a probe never succeeds and never fails:
//! a readiness probe leaves the container un-Ready for good, a startup probe leaves
//! it un-started (readiness and liveness are not probed before, and a sidecar holds
//! the next init container), and a liveness probe restarts nothing.

use crate::yaml::Node;

use super::template::Container;
use super::world::Millis;

/// The error every run of the probe `node` ends in, for a container with `ports`
/// (name, containerPort, protocol): `ResolveContainerPort`'s.
pub fn port_error(node: &Node, ports: &[(String, i64, String)]) -> Option<String> {
    let port = ["httpGet", "tcpSocket"].iter().find_map(|h| node.at(&[h, "port"]))?;
    let name = port.as_str()?;
    let number = match ports.iter().find(|(n, _, _)| n == name) {
        Some((_, number, _)) => *number,
        // "Last ditch effort - maybe it was an int stored as string?" (strconv.Atoi).
        None => match name.parse::<i64>() {
            Ok(number) => number,
            Err(_) => return Some(format!("strconv.Atoi: parsing \"{name}\": invalid syntax")),
        },
    };
    (!(1..65536).contains(&number)).then(|| format!("invalid port number: {number}"))
}

/// The `Unhealthy` events of the container's erroring probes for a start at
/// `started` (the Pod bound at `bound`, when the probe workers began): one for each
/// probe at its first tick that runs (`doProbe`: not before `initialDelaySeconds`,
/// readiness and liveness not before the container started). A cluster repeats it
/// every `periodSeconds`, counted on the one Event object (the event recorder's
/// aggregation), as `kubectl get events` shows it: one line.
pub fn unhealthy_events(c: &Container, bound: Millis, started: Millis, minor: u32) -> Vec<(Millis, String)> {
    let mut out = Vec::new();
    let mut event = |kind: &str, probe: &super::template::Probe, not_before: Millis| {
        if let Some(error) = &probe.error {
            out.push((probe.first_tick(bound, started, not_before), message(kind, error, minor)));
        }
    };
    if let Some(p) = &c.startup {
        event("Startup", p, 0);
    }
    if let Some(up) = c.started_at(bound, started) {
        if let Some(p) = &c.readiness {
            event("Readiness", p, if c.startup.is_some() { up.saturating_add(1) } else { 0 });
        }
        if let Some(p) = &c.liveness {
            event("Liveness", p, if c.startup.is_some() { up.saturating_add(1) } else { 0 });
        }
    }
    out
}

/// `prober.probe`'s event for an error: since 1.33 (kubernetes#125901) with the
/// result, `unknown`, before that without.
fn message(kind: &str, error: &str, minor: u32) -> String {
    if minor >= 33 {
        format!("{kind} probe errored and resulted in unknown state: {error}")
    } else {
        format!("{kind} probe errored: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port_error_of(yaml: &str, ports: &[(&str, i64)]) -> Option<String> {
        let stream = crate::yaml::load(yaml, &crate::limits::Limits::default());
        let node = &stream.documents.first().expect("a document").root;
        let ports: Vec<_> = ports.iter().map(|(n, p)| (n.to_string(), *p, "TCP".to_string())).collect();
        port_error(node, &ports)
    }

    #[test]
    fn resolve_container_port() {
        assert_eq!(port_error_of("httpGet: {port: http}", &[("http", 8080)]), None);
        assert_eq!(port_error_of("httpGet: {port: 8080}", &[]), None);
        assert_eq!(
            port_error_of("tcpSocket: {port: http}", &[("web", 8080)]).as_deref(),
            Some("strconv.Atoi: parsing \"http\": invalid syntax")
        );
        assert_eq!(port_error_of("httpGet: {port: \"8080\"}", &[]), None);
        assert_eq!(port_error_of("grpc: {port: 9090}", &[]), None);
        assert_eq!(port_error_of("exec: {command: [true]}", &[]), None);
    }
}
