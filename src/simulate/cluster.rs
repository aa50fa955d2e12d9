//! The simulated cluster: nodes with labels, taints, capacity and a Pod CIDR, and
//! what the Pods bound to them use.

use super::labels::{Labels, Taint, scalar, string_map};
use super::object::Object;
use super::template::Resources;
use crate::kube::quantity;
use crate::yaml::Node as YamlNode;

pub const CONTROL_PLANE_ROLE: &str = "node-role.kubernetes.io/control-plane";

/// Capacity of a node that does not say: 4 CPUs, 16 GiB, 110 Pods (the kubelet's
/// default `maxPods`).
const DEFAULT_CAPACITY: Resources = Resources { cpu_milli: 4000, memory: 16 << 30 };
const DEFAULT_MAX_PODS: u32 = 110;
/// Ephemeral storage of a node that does not say (every kubelet reports some).
const DEFAULT_EPHEMERAL_STORAGE: u64 = 100 << 30;

#[derive(Clone, Debug)]
pub struct Node {
    pub name: String,
    pub labels: Labels,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    pub allocatable: Resources,
    pub max_pods: u32,
    /// Allocatable amounts of other resources (`nvidia.com/gpu`, `ephemeral-storage`).
    pub extended: std::collections::BTreeMap<String, u64>,
    /// The node's `InternalIP`: the address of its `hostNetwork` Pods.
    pub internal_ip: String,
    /// The first three octets of the node's /24 Pod CIDR.
    pub cidr: [u8; 3],
    next_host: u8,
    pub used: Resources,
    pub pods: u32,
    /// The images the node has, and from when (a pull in progress ends then).
    pub images: std::collections::BTreeMap<String, u64>,
    /// The image pulls of the node's kubelet, which pulls one image at a time
    /// (`serializeImagePulls`, kubelet.rs): when each was requested and when it ends.
    pub pulls: Vec<(u64, u64)>,
}

impl Node {
    fn new(name: String, index: usize) -> Node {
        let labels =
            [("kubernetes.io/arch", "amd64"), ("kubernetes.io/hostname", name.as_str()), ("kubernetes.io/os", "linux")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        Node {
            name,
            labels,
            taints: Vec::new(),
            unschedulable: false,
            allocatable: DEFAULT_CAPACITY,
            max_pods: DEFAULT_MAX_PODS,
            extended: [("ephemeral-storage".to_string(), DEFAULT_EPHEMERAL_STORAGE)].into_iter().collect(),
            // kind's Docker network hands nodes 172.18.0.2, .3 ...
            internal_ip: format!("172.18.0.{}", index.min(250) + 2),
            cidr: [10, 244, index.min(255) as u8],
            next_host: 2,
            used: Resources::default(),
            pods: 0,
            images: Default::default(),
            pulls: Vec::new(),
        }
    }

    pub fn is_control_plane(&self) -> bool {
        self.labels.contains_key(CONTROL_PLANE_ROLE)
    }

    pub fn pod_cidr(&self) -> String {
        let [a, b, c] = self.cidr;
        format!("{a}.{b}.{c}.0/24")
    }

    pub fn free(&self) -> Resources {
        self.allocatable.minus(self.used)
    }
}

#[derive(Clone, Debug)]
pub struct Cluster {
    pub nodes: Vec<Node>,
}

impl Cluster {
    /// One control-plane node with kubeadm's NoSchedule taint, and `workers` workers.
    pub fn default_nodes(workers: usize) -> Cluster {
        let mut control = Node::new("control-plane".into(), 0);
        control.labels.insert(CONTROL_PLANE_ROLE.into(), String::new());
        control.taints.push(Taint {
            key: CONTROL_PLANE_ROLE.into(),
            value: String::new(),
            effect: "NoSchedule".into(),
        });
        let mut nodes = vec![control];
        nodes.extend((1..=workers).map(|i| Node::new(format!("node-{i}"), i)));
        Cluster { nodes }
    }

    /// Nodes from `Node` manifests, in the order given.
    pub fn from_objects(objects: &[&Object]) -> Cluster {
        let nodes = objects.iter().enumerate().map(|(i, o)| node_from_manifest(&o.root, o.name.clone(), i)).collect();
        Cluster { nodes }
    }

    /// Binds a Pod to the node, and gives its IP: the node's own for `hostNetwork`.
    pub fn bind(&mut self, node: usize, requests: Resources, host_network: bool) -> String {
        let Some(n) = self.nodes.get_mut(node) else { return String::new() };
        n.used = n.used.plus(requests);
        n.pods += 1;
        if host_network {
            return n.internal_ip.clone();
        }
        let [a, b, c] = n.cidr;
        let ip = format!("{a}.{b}.{c}.{}", n.next_host);
        // host-local IPAM hands out .2 to .254 in turn, then starts again.
        n.next_host = if n.next_host >= 254 { 2 } else { n.next_host + 1 };
        ip
    }

    pub fn release(&mut self, node: usize, requests: Resources) {
        if let Some(n) = self.nodes.get_mut(node) {
            n.used = n.used.minus(requests);
            n.pods = n.pods.saturating_sub(1);
        }
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }
}

fn node_from_manifest(root: &YamlNode, name: String, index: usize) -> Node {
    let mut node = Node::new(name, index);
    node.labels.extend(string_map(root.at(&["metadata", "labels"])));
    node.taints =
        root.at(&["spec", "taints"]).map(|t| t.items().iter().map(Taint::from_node).collect()).unwrap_or_default();
    node.unschedulable = root.at(&["spec", "unschedulable"]).and_then(YamlNode::as_bool) == Some(true);
    if let Some(cidr) = root.at(&["spec", "podCIDR"]).and_then(YamlNode::as_str).and_then(parse_cidr) {
        node.cidr = cidr;
    }
    let status = root.at(&["status", "allocatable"]).or_else(|| root.at(&["status", "capacity"]));
    let amount = |key: &str| status.and_then(|s| s.get(key)).and_then(scalar).and_then(|q| quantity::parse(&q));
    if let Some(cpu) = amount("cpu") {
        node.allocatable.cpu_milli = (cpu.max(0.0) * 1000.0) as u64;
    }
    if let Some(memory) = amount("memory") {
        node.allocatable.memory = memory.max(0.0) as u64;
    }
    if let Some(pods) = amount("pods") {
        node.max_pods = pods.max(0.0).min(f64::from(u32::MAX)) as u32;
    }
    for entry in status.map(YamlNode::entries).unwrap_or_default() {
        let name = entry.key.name.as_str();
        if !matches!(name, "cpu" | "memory" | "pods")
            && let Some(q) = scalar(&entry.value).and_then(|q| quantity::parse(&q))
        {
            node.extended.insert(name.to_string(), q.max(0.0).ceil() as u64);
        }
    }
    let addresses = root.at(&["status", "addresses"]).map(YamlNode::items).unwrap_or_default();
    if let Some(ip) = addresses
        .iter()
        .find(|a| a.get("type").and_then(YamlNode::as_str) == Some("InternalIP"))
        .and_then(|a| a.get("address"))
        .and_then(YamlNode::as_str)
    {
        node.internal_ip = ip.to_string();
    }
    node
}

/// `10.244.3.0/24` → its first three octets.
fn parse_cidr(text: &str) -> Option<[u8; 3]> {
    let address = text.split('/').next()?;
    let octets: Vec<u8> = address.split('.').map(str::parse).collect::<Result<_, _>>().ok()?;
    match octets[..] {
        [a, b, c, _] => Some([a, b, c]),
        _ => None,
    }
}

/// CPU as Kubernetes prints it: `4`, `250m`.
pub fn format_cpu(milli: u64) -> String {
    if milli.is_multiple_of(1000) { (milli / 1000).to_string() } else { format!("{milli}m") }
}

/// Memory with the largest binary suffix that divides it: `16Gi`, `200Mi`, `1000`.
pub fn format_memory(bytes: u64) -> String {
    for (suffix, unit) in [("Ti", 1u64 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if bytes >= unit && bytes.is_multiple_of(unit) {
            return format!("{}{suffix}", bytes / unit);
        }
    }
    bytes.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_cluster() {
        let c = Cluster::default_nodes(3);
        let names: Vec<&str> = c.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["control-plane", "node-1", "node-2", "node-3"]);
        assert!(c.nodes[0].is_control_plane() && !c.nodes[1].is_control_plane());
        assert_eq!(c.nodes[2].pod_cidr(), "10.244.2.0/24");
    }

    #[test]
    fn ips_come_from_the_node_cidr() {
        let mut c = Cluster::default_nodes(1);
        assert_eq!(c.bind(1, Resources::default(), false), "10.244.1.2");
        assert_eq!(c.bind(1, Resources::default(), false), "10.244.1.3");
        assert_eq!(c.nodes[1].pods, 2);
    }

    #[test]
    fn formats() {
        assert_eq!(format_cpu(4000), "4");
        assert_eq!(format_cpu(250), "250m");
        assert_eq!(format_memory(16 << 30), "16Gi");
        assert_eq!(format_memory(200 << 20), "200Mi");
        assert_eq!(format_memory(1000), "1000");
        assert_eq!(parse_cidr("10.1.7.0/24"), Some([10, 1, 7]));
    }
}
