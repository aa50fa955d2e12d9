//! Services as a cluster publishes them: a cluster IP from the service CIDR, the
//! endpoints the EndpointSlice controller lists for the Pods a Service selects
//! (pkg/controller/endpointslice reconciler; `ShouldPodBeInEndpoints` and
//! `podToEndpoint` in staging/src/k8s.io/endpointslice/util), and the DNS names
//! CoreDNS serves from them (the Kubernetes DNS-Based Service Discovery
//! specification): `<service>.<namespace>.svc.cluster.local`, and for a headless
//! Service the Ready endpoints' addresses and `<hostname>.<subdomain>` names.

use std::collections::BTreeSet;

use super::labels::{service_selects, string_map};
use super::names::fnv1a;
use super::object::Object;
use super::template::RestartPolicy;
use super::world::{Phase, Pod, Service, World};
use crate::yaml::Node;

/// kubeadm's default `--service-cluster-ip-range`.
pub const SERVICE_CIDR: &str = "10.96.0.0/12";
const CIDR_BASE: u32 = 10 << 24 | 96 << 16;
const CIDR_SIZE: u32 = 1 << 20;
/// Taken in every cluster: `kubernetes.default` (the range's first address) and
/// kube-dns (the tenth, kubeadm's `clusterDNS`).
const RESERVED: [u32; 2] = [1, 10];

/// A Service from the input, with the API server's defaults.
pub fn service(object: &Object) -> Service {
    let spec = object.spec();
    let text = |key: &str| spec.and_then(|s| s.get(key)).and_then(Node::as_str);
    let kind = text("type").unwrap_or("ClusterIP").to_string();
    let ports = spec
        .and_then(|s| s.get("ports"))
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            let port = p.get("port").and_then(Node::as_i64)?;
            let protocol = p.get("protocol").and_then(Node::as_str).unwrap_or("TCP");
            Some(format!("{port}/{protocol}"))
        })
        .collect();
    Service {
        name: object.name.clone(),
        namespace: object.namespace.clone(),
        headless: text("clusterIP") == Some("None"),
        cluster_ip: text("clusterIP").filter(|ip| !ip.is_empty() && *ip != "None").map(str::to_string),
        external_name: text("externalName").filter(|_| kind == "ExternalName").map(str::to_string),
        kind,
        ports,
        publish_not_ready: spec.and_then(|s| s.get("publishNotReadyAddresses")).and_then(Node::as_bool) == Some(true),
        selector: string_map(spec.and_then(|s| s.get("selector"))),
    }
}

/// The Services of the input, one per namespace and name (a repeated one is the
/// same object), each non-headless ClusterIP, NodePort or LoadBalancer Service with
/// a cluster IP: its own `spec.clusterIP`, else one the simulation picks from
/// [`SERVICE_CIDR`]. The API server picks at random; kval derives it from the
/// namespace and name so that it stays the same from run to run.
pub fn services(objects: &[Object]) -> Vec<Service> {
    let mut seen = BTreeSet::new();
    let mut services: Vec<Service> = objects
        .iter()
        .filter(|o| o.kind == "Service")
        .filter(|o| seen.insert((o.namespace.clone(), o.name.clone())))
        .map(service)
        .collect();
    let mut taken: BTreeSet<u32> = RESERVED.into_iter().collect();
    taken.extend(services.iter().filter_map(|s| s.cluster_ip.as_deref()).filter_map(offset));
    for s in services.iter_mut().filter(|s| s.cluster_ip.is_none() && !s.headless && s.kind != "ExternalName") {
        let mut at = fnv1a(format!("{}/{}", s.namespace, s.name).as_bytes()) % (CIDR_SIZE - 2) + 1;
        while !taken.insert(at) {
            at = at % (CIDR_SIZE - 2) + 1;
        }
        s.cluster_ip = Some(std::net::Ipv4Addr::from(CIDR_BASE + at).to_string());
    }
    services
}

/// An address's place in [`SERVICE_CIDR`].
fn offset(ip: &str) -> Option<u32> {
    let ip: std::net::Ipv4Addr = ip.parse().ok()?;
    u32::from(ip).checked_sub(CIDR_BASE).filter(|o| *o < CIDR_SIZE)
}

/// One endpoint of a Service: a Pod it selects and its conditions (`podToEndpoint`):
/// `serving` when the Pod is Ready, `terminating` once it is deleted, `ready` when
/// serving and not terminating, or always with `publishNotReadyAddresses`.
pub struct Endpoint<'a> {
    pub pod: &'a Pod,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
}

/// The endpoints of a Service with a selector, in Pod name order.
pub fn endpoints<'a>(w: &'a World, service: &Service) -> Vec<Endpoint<'a>> {
    if service.selector.is_empty() || service.kind == "ExternalName" {
        return Vec::new();
    }
    let mut out: Vec<Endpoint> = w
        .pods
        .iter()
        .filter(|p| {
            p.namespace == service.namespace && in_endpoints(p) && service_selects(&service.selector, &p.labels)
        })
        .map(|pod| {
            let terminating = pod.is_terminating();
            let ready = service.publish_not_ready || (pod.ready && !terminating);
            Endpoint { pod, ready, serving: pod.ready, terminating }
        })
        .collect();
    out.sort_by(|a, b| a.pod.name.cmp(&b.pod.name));
    out
}

/// `ShouldPodBeInEndpoints` with terminating Pods included (as the EndpointSlice
/// controller calls it): a Pod with an IP, not yet gone, that has not finished for
/// good (a Succeeded Pod, or a Failed one under `restartPolicy: Never`).
fn in_endpoints(pod: &Pod) -> bool {
    if pod.ip.is_none() || !pod.exists() {
        return false;
    }
    match pod.spec.restart_policy {
        RestartPolicy::Never => !matches!(pod.phase, Phase::Failed | Phase::Succeeded),
        RestartPolicy::OnFailure => pod.phase != Phase::Succeeded,
        RestartPolicy::Always => true,
    }
}

/// A DNS record CoreDNS answers.
pub struct DnsName<'a> {
    pub name: String,
    pub ip: String,
    /// The Service the name belongs to.
    pub service: &'a Service,
    /// The Pod whose address it is, for a headless Service's records.
    pub pod: Option<&'a Pod>,
}

/// The DNS names at this moment, sorted, without duplicates: each Service with a
/// cluster IP; each Ready endpoint of a headless Service under the Service's name,
/// and under `<hostname>.<subdomain>` when the Pod's `subdomain` names the Service.
pub fn dns_names(w: &World) -> Vec<DnsName<'_>> {
    let mut names = Vec::new();
    for service in &w.services {
        let zone = format!("{}.{}.svc.cluster.local", service.name, service.namespace);
        if let Some(ip) = &service.cluster_ip {
            names.push(DnsName { name: zone.clone(), ip: ip.clone(), service, pod: None });
        }
        if !service.headless {
            continue;
        }
        for endpoint in endpoints(w, service).into_iter().filter(|e| e.ready) {
            let pod = endpoint.pod;
            let ip = pod.ip.clone().unwrap_or_default();
            names.push(DnsName { name: zone.clone(), ip: ip.clone(), service, pod: Some(pod) });
            if let (Some(host), Some(sub)) = (&pod.spec.hostname, &pod.spec.subdomain)
                && sub == &service.name
            {
                names.push(DnsName { name: format!("{host}.{zone}"), ip, service, pod: Some(pod) });
            }
        }
    }
    names.sort_by(|a, b| (&a.name, &a.ip).cmp(&(&b.name, &b.ip)));
    names.dedup_by(|a, b| a.name == b.name && a.ip == b.ip);
    names
}
