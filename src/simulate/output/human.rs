//! Human output: per workload a short summary, then the Pods as `kubectl get pods
//! -o wide` shows them, Pending reasons, claims, DNS names and, with `--timeline`,
//! the events.

use super::{Show, Table};
use crate::kube::duration;
use crate::simulate::volumes::Claim;
use crate::simulate::{Simulation, network};

pub fn render(sim: &Simulation, show: Show) -> String {
    let w = &sim.world;
    let mut out = format!("Cluster: {}\n", sim.cluster);
    for report in &sim.reports {
        out.push_str(&format!("\n{} {}/{}\n", report.kind, report.namespace, report.name));
        for line in &report.lines {
            out.push_str(&format!("  {line}\n"));
        }
        if show.rollout
            && let Some(table) = &report.rollout
            && !table.is_empty()
        {
            out.push_str("  rollout:\n");
            out.push_str(&table.render("    "));
        }
    }
    let when = match sim.at {
        Some(at) => format!("at {} (--at)", duration::format(at)),
        None => format!("at the end of the simulation, {}", duration::format(sim.time)),
    };
    let mut pods: Vec<_> = w.pods.iter().filter(|p| p.exists()).collect();
    pods.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    let namespaced = pods.iter().any(|p| p.namespace != "default");
    out.push_str(&format!("\nPods {when}:\n"));
    if pods.is_empty() {
        out.push_str("No Pods.\n");
    } else {
        let mut header = vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"];
        if namespaced {
            header.insert(0, "NAMESPACE");
        }
        let rows = pods
            .iter()
            .map(|p| {
                let node = p.node.and_then(|n| w.cluster.nodes.get(n)).map_or("<none>", |n| n.name.as_str());
                let mut row = vec![
                    p.name.clone(),
                    p.ready_column(),
                    p.status().to_string(),
                    p.restarts.to_string(),
                    duration::human(sim.time.saturating_sub(p.created)),
                    p.ip.clone().unwrap_or_else(|| "<none>".into()),
                    node.to_string(),
                ];
                if namespaced {
                    row.insert(0, p.namespace.clone());
                }
                row
            })
            .collect();
        out.push_str(&Table::new(&header, rows).render(""));
    }
    let pending: Vec<String> =
        pods.iter().filter_map(|p| p.pending_reason.as_ref().map(|r| format!("  {}: {r}\n", p.name))).collect();
    if !pending.is_empty() {
        out.push_str("\nPending Pods:\n");
        out.extend(pending);
    }
    out.push_str(&storage(sim));
    if !w.services.is_empty() {
        let namespaced = w.services.iter().any(|s| s.namespace != "default");
        let rows = w
            .services
            .iter()
            .map(|s| {
                // As `kubectl get endpoints`: IP:PORT for each port of each Ready endpoint.
                let ready: Vec<String> = network::endpoints(w, s)
                    .iter()
                    .filter(|e| e.ready)
                    .flat_map(|e| {
                        let ip = e.pod.ip.clone().unwrap_or_default();
                        if e.ports.is_empty() {
                            vec![ip]
                        } else {
                            e.ports.iter().map(|(_, port, _)| format!("{ip}:{port}")).collect()
                        }
                    })
                    .collect();
                let mut row = vec![
                    s.name.clone(),
                    s.kind.clone(),
                    s.cluster_ip.clone().unwrap_or_else(|| if s.headless { "None" } else { "<none>" }.into()),
                    network::external_ip(s),
                    if s.ports.is_empty() { "<none>".into() } else { s.ports.join(",") },
                    if ready.is_empty() { "<none>".into() } else { ready.join(",") },
                ];
                if namespaced {
                    row.insert(0, s.namespace.clone());
                }
                row
            })
            .collect();
        let mut header = vec!["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "ENDPOINTS"];
        if namespaced {
            header.insert(0, "NAMESPACE");
        }
        out.push_str("\nServices (cluster IPs are kval's own; endpoints are the Ready Pods):\n");
        out.push_str(&Table::new(&header, rows).render(""));
    }
    let dns = network::dns_names(w);
    if !dns.is_empty() {
        let rows = dns.into_iter().map(|d| vec![d.name, d.ip]).collect();
        out.push_str("\nDNS names:\n");
        out.push_str(&Table::new(&["NAME", "IP"], rows).render(""));
    }
    if show.timeline {
        if w.events.iter().any(|e| e.kval) {
            out.push_str("\nTimeline (TYPE kval: kval's own notes, not events of the cluster):\n");
        } else {
            out.push_str("\nTimeline:\n");
        }
        let namespaced = w.events.iter().any(|e| e.namespace != "default");
        let rows: Vec<Vec<String>> = w
            .events
            .iter()
            .map(|e| {
                let mut row = vec![
                    duration::format(e.time),
                    super::event_type(e).to_string(),
                    e.reason.clone(),
                    e.object.clone(),
                    e.message.clone(),
                ];
                if namespaced {
                    row.insert(1, e.namespace.clone());
                }
                row
            })
            .collect();
        let mut header = vec!["TIME", "TYPE", "REASON", "OBJECT", "MESSAGE"];
        if namespaced {
            header.insert(1, "NAMESPACE");
        }
        if rows.is_empty() {
            out.push_str("No events.\n");
        } else {
            out.push_str(&Table::new(&header, rows).render(""));
        }
    }
    if !sim.unmodelled.is_empty() {
        out.push_str("\nNot modelled (the result may differ):\n");
        for u in &sim.unmodelled {
            out.push_str(&format!("  {}\n", u.describe()));
        }
    }
    if sim.reports.iter().any(|r| matches!(r.kind, "Deployment" | "DaemonSet" | "StatefulSet")) {
        out.push_str(
            "\nHashes (pod-template-hash, controller-revision-hash) are kval's own and not cluster-exact; \
             random name suffixes come from --seed.\n",
        );
    }
    out
}

/// `ReadWriteOnce` → `RWO`, as `kubectl get pvc` shows access modes.
fn access_modes(modes: &[String]) -> String {
    let short: Vec<&str> = modes
        .iter()
        .map(|m| match m.as_str() {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            other => other,
        })
        .collect();
    if short.is_empty() { "<none>".into() } else { short.join(",") }
}

/// Claims as `kubectl get pvc` shows them (with why the Pending ones wait), and
/// the volumes as `kubectl get pv` shows them.
fn storage(sim: &Simulation) -> String {
    let w = &sim.world;
    let mut out = String::new();
    let claims: Vec<_> =
        w.claims.iter().filter(|c| c.created <= sim.time && c.deleted.is_none_or(|t| t > sim.time)).collect();
    let volume = |c: &Claim| {
        c.volume.filter(|_| c.bound_at.is_some_and(|t| t <= sim.time)).and_then(|v| w.storage.volumes.get(v))
    };
    if !claims.is_empty() {
        let classes: Vec<String> = w.storage.classes.iter().map(|c| c.describe()).collect();
        let classes = if classes.is_empty() { "none given, so no default".to_string() } else { classes.join(", ") };
        let rows = claims
            .iter()
            .map(|c| {
                let v = volume(c);
                vec![
                    c.name.clone(),
                    if v.is_some() { "Bound" } else { "Pending" }.to_string(),
                    v.map(|v| v.name.clone()).unwrap_or_default(),
                    v.map(|v| v.capacity.clone()).unwrap_or_default(),
                    v.map(|v| access_modes(&v.access_modes)).unwrap_or_default(),
                    c.spec.class().to_string(),
                    c.pod.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out.push_str(&format!("\nPersistentVolumeClaims (StorageClasses: {classes}):\n"));
        let header = ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "FOR POD"];
        out.push_str(&Table::new(&header, rows).render(""));
        let waiting: Vec<String> = claims
            .iter()
            .filter(|c| volume(c).is_none())
            .filter_map(|c| c.waiting.as_ref().map(|r| format!("  {}: {r}\n", c.name)))
            .collect();
        if !waiting.is_empty() {
            out.push_str("\nPending PersistentVolumeClaims:\n");
            out.extend(waiting);
        }
    }
    if !w.storage.volumes.is_empty() {
        let rows: Vec<Vec<String>> = w
            .storage
            .volumes
            .iter()
            .filter_map(|v| {
                let claim = v.claim.and_then(|c| w.claims.get(c)).filter(|c| volume(c).is_some());
                // A provisioned volume exists once its claim is bound.
                if v.provisioned && claim.is_none() {
                    return None;
                }
                Some(vec![
                    v.name.clone(),
                    v.capacity.clone(),
                    access_modes(&v.access_modes),
                    if claim.is_some() { "Bound" } else { v.status() }.to_string(),
                    claim.map(|c| format!("{}/{}", c.namespace, c.name)).unwrap_or_default(),
                    v.class.clone(),
                ])
            })
            .collect();
        out.push_str("\nPersistentVolumes:\n");
        let header = ["NAME", "CAPACITY", "ACCESS MODES", "STATUS", "CLAIM", "STORAGECLASS"];
        out.push_str(&Table::new(&header, rows).render(""));
    }
    out
}
