//! `--output json` (and YAML): a stable, documented structure (README, "kval
//! simulate", "JSON output"). Times are seconds since the start (`--now`).

use serde_json::{Map, Value as Json, json};

use crate::simulate::cluster::{format_cpu, format_memory};
use crate::simulate::world::{Millis, Pod};
use crate::simulate::{Simulation, network};

/// Bumped on any incompatible change of the structure.
const FORMAT_VERSION: u32 = 2;

fn secs(ms: Millis) -> f64 {
    ms as f64 / 1000.0
}

pub fn build(sim: &Simulation) -> Json {
    let w = &sim.world;
    let nodes: Vec<Json> = w
        .cluster
        .nodes
        .iter()
        .map(|n| {
            json!({
                "name": n.name,
                "controlPlane": n.is_control_plane(),
                "labels": n.labels,
                "taints": n.taints.iter().map(|t| json!({ "key": t.key, "value": t.value, "effect": t.effect })).collect::<Vec<_>>(),
                "unschedulable": n.unschedulable,
                "podCIDR": n.pod_cidr(),
                "allocatable": { "cpu": format_cpu(n.allocatable.cpu_milli), "memory": format_memory(n.allocatable.memory), "pods": n.max_pods },
                "requested": { "cpu": format_cpu(n.used.cpu_milli), "memory": format_memory(n.used.memory), "pods": n.pods },
            })
        })
        .collect();
    let workloads: Vec<Json> = sim
        .reports
        .iter()
        .map(|r| {
            let mut entry = Map::new();
            entry.insert("kind".into(), json!(r.kind));
            entry.insert("namespace".into(), json!(r.namespace));
            entry.insert("name".into(), json!(r.name));
            entry.insert("summary".into(), json!(r.lines));
            if let Json::Object(detail) = &r.detail {
                entry.extend(detail.clone());
            }
            Json::Object(entry)
        })
        .collect();
    let pvcs: Vec<Json> = w
        .claims
        .iter()
        .filter(|c| c.created <= sim.time)
        .map(|c| {
            let bound = c.bound_at.filter(|t| *t <= sim.time).and(c.volume).and_then(|v| w.storage.volumes.get(v));
            let statefulset = c.owner.as_ref().filter(|o| o.kind == "StatefulSet").map(|o| &o.name);
            json!({
                "name": c.name,
                "namespace": c.namespace,
                "status": if bound.is_some() { "Bound" } else { "Pending" },
                "volume": bound.map(|v| &v.name),
                "capacity": bound.map(|v| &v.capacity),
                "request": c.spec.request,
                "accessModes": c.spec.access_modes,
                "storageClassName": c.spec.storage_class,
                "owner": c.owner.as_ref().map(|o| json!({ "kind": o.kind, "name": o.name })),
                "statefulSet": statefulset,
                "pod": c.pod,
                "createdAt": secs(c.created),
                "boundAt": bound.and(c.bound_at).map(secs),
                "deletedAt": c.deleted.map(secs),
                "pendingReason": if bound.is_none() { c.waiting.as_deref() } else { None },
            })
        })
        .collect();
    let pvs: Vec<Json> = w
        .storage
        .volumes
        .iter()
        .filter_map(|v| {
            let claim = v.claim.and_then(|c| w.claims.get(c)).filter(|c| c.bound_at.is_some_and(|t| t <= sim.time));
            // A provisioned volume exists once its claim is bound.
            if v.provisioned && claim.is_none() {
                return None;
            }
            Some(json!({
                "name": v.name,
                "capacity": v.capacity,
                "accessModes": v.access_modes,
                "storageClassName": v.class,
                "status": if claim.is_some() { "Bound" } else { v.status() },
                "claim": claim.map(|c| format!("{}/{}", c.namespace, c.name)),
                "provisioned": v.provisioned,
            }))
        })
        .collect();
    let storage_classes: Vec<Json> = w
        .storage
        .classes
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "provisioner": c.provisioner,
                "volumeBindingMode": if c.wait_for_consumer { "WaitForFirstConsumer" } else { "Immediate" },
                "default": c.is_default,
            })
        })
        .collect();
    let dns: Vec<Json> = network::dns_names(w)
        .into_iter()
        .map(|d| {
            json!({ "name": d.name, "namespace": d.service.namespace, "service": d.service.name,
                "pod": d.pod.map(|p| &p.name), "ip": d.ip })
        })
        .collect();
    let services: Vec<Json> = w
        .services
        .iter()
        .map(|s| {
            let endpoints: Vec<Json> = network::endpoints(w, s)
                .iter()
                .map(|e| {
                    let ports: Vec<Json> = e
                        .ports
                        .iter()
                        .map(|(name, port, protocol)| json!({ "name": name, "port": port, "protocol": protocol }))
                        .collect();
                    json!({ "pod": e.pod.name, "ip": e.pod.ip, "ready": e.ready, "serving": e.serving,
                        "terminating": e.terminating, "ports": ports })
                })
                .collect();
            json!({
                "name": s.name,
                "namespace": s.namespace,
                "type": s.kind,
                "clusterIP": if s.headless { Some("None".to_string()) } else { s.cluster_ip.clone() },
                "externalName": s.external_name,
                "externalIP": network::external_ip(s),
                "ports": s.ports,
                "portDetails": s.port_specs.iter().map(|p| json!({
                    "name": p.name,
                    "port": p.port,
                    "protocol": p.protocol,
                    "targetPort": match &p.target { Ok(n) => json!(n), Err(name) => json!(name) },
                    "nodePort": p.node_port,
                })).collect::<Vec<_>>(),
                "publishNotReadyAddresses": s.publish_not_ready,
                "endpoints": endpoints,
            })
        })
        .collect();
    let events: Vec<Json> = w
        .events
        .iter()
        .map(|e| {
            json!({
                "time": secs(e.time),
                "type": super::event_type(e),
                "reason": e.reason,
                "namespace": e.namespace,
                "object": e.object,
                "message": e.message,
            })
        })
        .collect();
    let excluded: Vec<Json> = sim
        .excluded
        .iter()
        .map(|x| {
            let findings: Vec<Json> = x
                .findings
                .iter()
                .map(|f| {
                    let at = f.location.start();
                    json!({
                        "rule": f.rule,
                        "message": f.message,
                        "file": f.location.source.name,
                        "line": at.line,
                        "column": at.col,
                    })
                })
                .collect();
            json!({ "object": x.object, "findings": findings })
        })
        .collect();
    json!({
        "version": FORMAT_VERSION,
        "start": sim.start.to_string(),
        "time": secs(sim.time),
        "at": sim.at.map(secs),
        "cluster": sim.cluster,
        "nodes": nodes,
        "workloads": workloads,
        "pods": w.pods.iter().map(|p| pod(sim, p)).collect::<Vec<_>>(),
        "pvcs": pvcs,
        "pvs": pvs,
        "storageClasses": storage_classes,
        "services": services,
        "dns": dns,
        "events": events,
        "warnings": w.warnings,
        "excluded": excluded,
        "notModelled": sim.unmodelled.iter().map(|u| json!({
            "object": u.object,
            "field": u.field,
            "origin": u.origin,
            "message": u.message(),
        })).collect::<Vec<_>>(),
    })
}

fn pod(sim: &Simulation, p: &Pod) -> Json {
    let node = p.node.and_then(|n| sim.world.cluster.nodes.get(n)).map(|n| n.name.clone());
    let env: Map<String, Json> = p.env.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    json!({
        "name": p.name,
        "namespace": p.namespace,
        "phase": p.phase.as_str(),
        "status": if p.exists() { p.status() } else { "Deleted".to_string() },
        "ready": p.ready,
        "restarts": p.restarts,
        "node": node,
        "ip": p.ip,
        "createdAt": secs(p.created),
        "startedAt": p.started.map(secs),
        "readyAt": p.ready_at.map(secs),
        "finishedAt": p.finished.map(secs),
        "deletedAt": p.deleted.map(secs),
        "goneAt": p.gone.map(secs),
        "labels": p.labels,
        "owner": p.owner.as_ref().map(|o| json!({ "kind": o.kind, "name": o.name })),
        "hostname": p.spec.hostname,
        "subdomain": p.spec.subdomain,
        "env": env,
        "pendingReason": p.pending_reason,
    })
}
