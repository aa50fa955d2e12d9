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

/// kube-apiserver's default `--service-node-port-range`, and the start of its
/// upper band, where ports are allocated when none is given (the lower band is
/// kept for ports given, `calculateRangeOffset`: min(max(16, size/32), 128)).
const NODE_PORTS: std::ops::RangeInclusive<i64> = 30000..=32767;
const NODE_PORT_DYNAMIC: i64 = 30086;

/// A port of a Service, with the API server's defaults: protocol TCP, `targetPort`
/// the port.
#[derive(Clone, Debug)]
pub struct ServicePort {
    pub name: String,
    pub port: i64,
    pub protocol: String,
    /// A number, or the name of a container port.
    pub target: Result<i64, String>,
    pub node_port: Option<i64>,
}

impl ServicePort {
    /// As `kubectl get services` shows it: `80/TCP`, `80:30080/TCP`.
    fn display(&self) -> String {
        match self.node_port {
            Some(node) => format!("{}:{node}/{}", self.port, self.protocol),
            None => format!("{}/{}", self.port, self.protocol),
        }
    }
}

/// A Service from the input, with the API server's defaults.
pub fn service(object: &Object) -> Service {
    let spec = object.spec();
    let text = |key: &str| spec.and_then(|s| s.get(key)).and_then(Node::as_str);
    let kind = text("type").unwrap_or("ClusterIP").to_string();
    let port_specs: Vec<ServicePort> = spec
        .and_then(|s| s.get("ports"))
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            let port = p.get("port").and_then(Node::as_i64)?;
            let target = match p.get("targetPort").map(|t| &t.value) {
                Some(crate::yaml::Value::Str(name)) => Err(name.clone()),
                Some(crate::yaml::Value::Int(n)) if *n != 0 => Ok(*n),
                _ => Ok(port),
            };
            Some(ServicePort {
                name: p.get("name").and_then(Node::as_str).unwrap_or("").to_string(),
                port,
                protocol: p.get("protocol").and_then(Node::as_str).unwrap_or("TCP").to_string(),
                target,
                node_port: p.get("nodePort").and_then(Node::as_i64).filter(|n| *n != 0),
            })
        })
        .collect();
    Service {
        name: object.name.clone(),
        namespace: object.namespace.clone(),
        headless: text("clusterIP") == Some("None"),
        cluster_ip: text("clusterIP").filter(|ip| !ip.is_empty() && *ip != "None").map(str::to_string),
        external_name: text("externalName").filter(|_| kind == "ExternalName").map(str::to_string),
        external_ips: crate::simulate::labels::strings(spec.and_then(|s| s.get("externalIPs"))),
        kind,
        ports: port_specs.iter().map(ServicePort::display).collect(),
        port_specs,
        publish_not_ready: spec.and_then(|s| s.get("publishNotReadyAddresses")).and_then(Node::as_bool) == Some(true),
        selector: string_map(spec.and_then(|s| s.get("selector"))),
    }
}

/// EXTERNAL-IP as `kubectl get services` prints it (`getServiceExternalIP`): the
/// `externalIPs`, a LoadBalancer's ingress addresses first, which only a cloud
/// controller (or MetalLB, or `minikube tunnel`) writes into its status: the
/// simulated cluster has none, so a LoadBalancer without `externalIPs` stays
/// `<pending>`, as on kind or bare metal; an ExternalName Service's name.
pub fn external_ip(s: &Service) -> String {
    match s.kind.as_str() {
        "ExternalName" => s.external_name.clone().unwrap_or_default(),
        _ if !s.external_ips.is_empty() => s.external_ips.join(","),
        "LoadBalancer" => "<pending>".into(),
        _ => "<none>".into(),
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
    allocate_node_ports(&mut services, objects);
    services
}

/// A node port for each port of a NodePort Service, and of a LoadBalancer Service
/// unless `allocateLoadBalancerNodePorts: false`: its own `nodePort`, else one in
/// the range's upper band derived from the namespace, name and port (the API
/// server picks at random; kval's stays the same from run to run).
fn allocate_node_ports(services: &mut [Service], objects: &[Object]) {
    let no_lb_ports: BTreeSet<(String, String)> = objects
        .iter()
        .filter(|o| o.kind == "Service")
        .filter(|o| {
            o.spec().and_then(|s| s.get("allocateLoadBalancerNodePorts")).and_then(Node::as_bool) == Some(false)
        })
        .map(|o| (o.namespace.clone(), o.name.clone()))
        .collect();
    let wants = |s: &Service| {
        s.kind == "NodePort"
            || (s.kind == "LoadBalancer" && !no_lb_ports.contains(&(s.namespace.clone(), s.name.clone())))
    };
    let mut taken: BTreeSet<i64> =
        services.iter().flat_map(|s| s.port_specs.iter().filter_map(|p| p.node_port)).collect();
    let band = NODE_PORTS.end() - NODE_PORT_DYNAMIC + 1;
    for s in services.iter_mut().filter(|s| wants(s)) {
        let key = format!("{}/{}", s.namespace, s.name);
        for p in s.port_specs.iter_mut().filter(|p| p.node_port.is_none()) {
            let seed = fnv1a(format!("{key}/{}/{}", p.port, p.protocol).as_bytes());
            let mut at = i64::from(seed) % band;
            for _ in 0..band {
                if taken.insert(NODE_PORT_DYNAMIC + at) {
                    p.node_port = Some(NODE_PORT_DYNAMIC + at);
                    break;
                }
                at = (at + 1) % band;
            }
        }
        s.ports = s.port_specs.iter().map(ServicePort::display).collect();
    }
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
    /// The Service's ports on this Pod: (name, port, protocol), a named
    /// `targetPort` resolved against the Pod's container ports (`FindPort`); a
    /// name no container has leaves that port out of the endpoint.
    pub ports: Vec<(String, i64, String)>,
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
            let ports = service
                .port_specs
                .iter()
                .filter_map(|sp| Some((sp.name.clone(), find_port(pod, sp)?, sp.protocol.clone())))
                .collect();
            Endpoint { pod, ready, serving: pod.ready, terminating, ports }
        })
        .collect();
    out.sort_by(|a, b| a.pod.name.cmp(&b.pod.name));
    out
}

/// `FindPort` (pkg/api/v1/pod): a number as it is; a name, the container port of
/// that name and protocol in the Pod's containers, then in its sidecars (init
/// containers with `restartPolicy: Always`).
fn find_port(pod: &Pod, port: &ServicePort) -> Option<i64> {
    match &port.target {
        Ok(n) => Some(*n),
        Err(name) => pod
            .spec
            .containers
            .iter()
            .chain(pod.spec.init_containers.iter().filter(|c| c.sidecar))
            .flat_map(|c| &c.ports)
            .find_map(|(n, number, protocol)| (n == name && *protocol == port.protocol).then_some(*number)),
    }
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
