//! What the rules that look across documents need to know about each object.
//!
//! Documents are checked file by file and dropped; each leaves a small [`Resource`]
//! behind, so that a run over thousands of files keeps only these summaries.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::finding::{Finding, Location, ObjectRef};
use crate::intern::Sym;
use crate::kube::int_or_percent::{self, IntOrPercent};
use crate::kube::selector::{Labels, Selector, labels, scalar_text};
use crate::names::Name;
use crate::rules::pod::PodTemplate;
use crate::rules::{Rule, RuleSet};
use crate::source::{SourceRef, Span};
use crate::yaml::Node;

/// One object of the run. Kept for every object until the run ends, so it is small:
/// the texts that repeat across objects (kind, API version, namespace, template)
/// are interned, the rest is boxed and absent for the many kinds without any.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Resource {
    api_version: Option<Sym>,
    kind: Option<Sym>,
    namespace: Option<Sym>,
    template: Option<Sym>,
    name: Option<Box<str>>,
    /// The object's file, for findings and secondary labels. Not spilled: the spill
    /// keeps one per file (see `rules::spill`).
    #[serde(skip)]
    pub source: SourceRef,
    /// Where the object starts (its `kind`).
    pub head: Span,
    document: u32,
    /// The object's `metadata.name` value, for findings about the object as a whole.
    pub name_span: Option<Span>,
    /// The Pods it creates, for a workload (or a bare Pod).
    pub pods: Option<Box<Pods>>,
    /// Whether kval knows the kind (it has a schema). Unknown kinds, such as custom
    /// resources run by operators, may create Pods of their own.
    pub known: bool,
    /// What the kind refers to or offers (see [`Resource::facts`]); boxed, and absent
    /// for the many kinds without any, so that each object of a large run stays small.
    facts: Option<Box<Facts>>,
}

/// The Pods a workload creates.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pods {
    pub labels: Labels,
    pub replicas: Option<i64>,
    /// `serviceAccountName` (or the deprecated `serviceAccount`).
    pub service_account: Option<At<String>>,
}

/// A value and where it is.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct At<T> {
    pub value: T,
    pub span: Span,
}

/// A port reference: a number or a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortRef {
    Number(i64),
    Name(String),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: Option<i64>,
}

/// What a kind refers to or offers other objects.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub enum Facts {
    #[default]
    None,
    Service {
        selector: Option<At<Selector>>,
        /// `clusterIP: None`; the span is the `clusterIP` value or the `spec` key.
        headless: At<bool>,
        ports: Vec<ServicePort>,
        ports_span: Span,
    },
    StatefulSet {
        service_name: Option<At<String>>,
    },
    Hpa {
        /// Kind and name of `scaleTargetRef`.
        target: Option<At<(String, String)>>,
    },
    Ingress {
        backends: Vec<Backend>,
    },
    /// A PodDisruptionBudget's or NetworkPolicy's Pod selector.
    PodSelector {
        selector: At<Selector>,
        /// A PodDisruptionBudget's `minAvailable` and `maxUnavailable`.
        budget: [Option<At<IntOrPercent>>; 2],
    },
    /// What a Role or ClusterRole grants.
    Role {
        rules: Vec<crate::rules::security::rbac::PolicyRule>,
    },
    /// A RoleBinding's or ClusterRoleBinding's `roleRef`: kind and name; the span is
    /// its `name`.
    RoleBinding {
        role: At<(String, String)>,
    },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Backend {
    pub service: At<String>,
    pub port: Option<At<PortRef>>,
}

impl Resource {
    /// Whether the object is of a built-in kind kval has a schema for (not a custom
    /// resource, even one whose CRD is supplied).
    pub fn is_builtin(&self) -> bool {
        let group = self.api_version().and_then(|v| v.rsplit_once('/')).map_or("", |(g, _)| g);
        self.known && crate::schema::history::is_builtin_group(group)
    }

    pub fn extract(doc: &Document, known: bool) -> Resource {
        let pods = PodTemplate::of(doc).filter(|_| known).map(|pod| {
            Box::new(Pods {
                labels: if pod.kind == "Pod" { doc.root.at(&["metadata", "labels"]) } else { pod.labels() }
                    .map(labels)
                    .unwrap_or_default(),
                replicas: doc.root.at(&["spec", "replicas"]).and_then(Node::as_i64),
                service_account: ["serviceAccountName", "serviceAccount"]
                    .iter()
                    .find_map(|k| pod.spec.get(k))
                    .and_then(|n| Some(at(n, n.as_str()?.to_string()))),
            })
        });
        let object = &doc.object;
        Resource {
            api_version: object.api_version.as_deref().map(Sym::new),
            kind: object.kind.as_deref().map(Sym::new),
            namespace: object.namespace.as_deref().map(Sym::new),
            template: doc.template.as_deref().map(Sym::new),
            name: object.name.as_deref().map(Box::from),
            source: SourceRef::live(&doc.source),
            head: doc.head_span(),
            document: u32::try_from(doc.index).unwrap_or(u32::MAX),
            name_span: doc.root.at(&["metadata", "name"]).map(|n| n.span),
            pods,
            known,
            facts: if known { Some(facts(doc)).filter(|f| !matches!(f, Facts::None)).map(Box::new) } else { None },
        }
    }

    /// What the kind refers to or offers other objects.
    pub fn facts(&self) -> &Facts {
        static NONE: Facts = Facts::None;
        self.facts.as_deref().unwrap_or(&NONE)
    }

    /// A finding on this object at `span`, with the rule's default severity.
    pub fn finding_at(&self, rule: &'static Rule, span: Span, message: impl Into<String>) -> Finding {
        self.finding(rule, self.at(span), message)
    }

    /// A location in this object's file.
    pub fn at(&self, span: Span) -> Location {
        Location { source: self.source.load(), span }
    }

    /// A finding on this object, with the rule's default severity.
    pub fn finding(&self, rule: &'static Rule, location: Location, message: impl Into<String>) -> Finding {
        let mut finding = Finding::new(rule.id, rule.severity, location, message);
        finding.object = Some(self.object());
        finding.document = Some(self.document as usize);
        finding.template = self.template.map(|t| t.as_str().to_string());
        finding
    }

    /// The object's identity, as findings name it.
    pub fn object(&self) -> ObjectRef {
        let text = |s: Option<Sym>| s.map(|s| s.as_str().to_string());
        ObjectRef {
            api_version: text(self.api_version),
            kind: text(self.kind),
            namespace: text(self.namespace),
            name: self.name.as_deref().map(str::to_string),
        }
    }

    pub fn api_version(&self) -> Option<&'static str> {
        self.api_version.map(Sym::as_str)
    }

    pub(crate) fn kind_sym(&self) -> Option<Sym> {
        self.kind
    }

    pub fn kind(&self) -> &'static str {
        self.kind.map_or("", Sym::as_str)
    }

    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    pub fn namespace(&self) -> Option<&'static str> {
        self.namespace.map(Sym::as_str)
    }

    /// The namespace the index files the object under: objects without one (or
    /// with an empty one) are together. The cross-document rules look an object's
    /// references up in its own group (and ClusterRoles in the group without one).
    pub(crate) fn namespace_key(&self) -> Option<Sym> {
        self.namespace.filter(|n| !n.as_str().is_empty())
    }

    /// What makes two objects the same object: the API group (not its version), kind,
    /// namespace and name. None for an object without a name of its own (objects
    /// named by `generateName` get a fresh name each time).
    pub fn identity(&self) -> Option<(&str, &str, Option<&str>, &str)> {
        if self.name_span.is_none() || self.name().is_empty() {
            return None;
        }
        let group = self.api_version().and_then(|av| av.split_once('/')).map_or("", |(g, _)| g);
        Some((group, self.kind(), self.namespace(), self.name()))
    }

    /// The span that names the object: its `metadata.name`, else its `kind`.
    pub fn name_or_head(&self) -> Span {
        self.name_span.unwrap_or(self.head)
    }
}

fn at<T>(node: &Node, value: T) -> At<T> {
    At { value, span: node.span }
}

fn facts(doc: &Document) -> Facts {
    let root = &doc.root;
    let spec = root.get("spec");
    let text = |n: Option<&Node>| n.and_then(Node::as_str).map(str::to_string);
    match doc.kind().unwrap_or("") {
        "Service" => {
            let spec_span = root.entry("spec").map_or(doc.head_span(), |e| e.key.span);
            let cluster_ip = spec.and_then(|s| s.get("clusterIP"));
            let selector = spec.and_then(|s| s.entry("selector")).filter(|e| e.value.is_map());
            let ports = spec.and_then(|s| s.get("ports"));
            Facts::Service {
                selector: selector.map(|e| At { value: Selector::from_map(&e.value), span: e.key.span }),
                headless: At {
                    value: cluster_ip.and_then(Node::as_str) == Some("None"),
                    span: cluster_ip.map_or(spec_span, |n| n.span),
                },
                ports: ports
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .map(|p| ServicePort { name: text(p.get("name")), port: p.get("port").and_then(Node::as_i64) })
                    .collect(),
                ports_span: spec.and_then(|s| s.entry("ports")).map_or(spec_span, |e| e.key.span),
            }
        }
        "StatefulSet" => Facts::StatefulSet {
            service_name: spec.and_then(|s| s.get("serviceName")).and_then(|n| Some(at(n, n.as_str()?.to_string()))),
        },
        "Role" | "ClusterRole" => Facts::Role { rules: crate::rules::security::rbac::rules(root) },
        "RoleBinding" | "ClusterRoleBinding" => match root.get("roleRef") {
            Some(r) => match (text(r.get("kind")), r.get("name")) {
                (Some(kind), Some(name)) if name.as_str().is_some() => {
                    Facts::RoleBinding { role: at(name, (kind, name.as_str().unwrap_or_default().to_string())) }
                }
                _ => Facts::None,
            },
            None => Facts::None,
        },
        "HorizontalPodAutoscaler" => Facts::Hpa {
            target: spec.and_then(|s| s.get("scaleTargetRef")).and_then(|t| {
                let name = t.get("name")?;
                Some(at(name, (text(t.get("kind"))?, name.as_str()?.to_string())))
            }),
        },
        "Ingress" => {
            let mut backends = Vec::new();
            let mut add = |b: &Node| {
                let Some(service) = b.get("service") else { return };
                let Some(name) = service.get("name").filter(|n| n.as_str().is_some()) else { return };
                let port = service.get("port").and_then(|p| {
                    if let Some(n) = p.get("number").filter(|n| n.as_i64().is_some()) {
                        Some(at(n, PortRef::Number(n.as_i64()?)))
                    } else {
                        let n = p.get("name")?;
                        Some(at(n, PortRef::Name(n.as_str()?.to_string())))
                    }
                });
                backends.push(Backend { service: at(name, name.as_str().unwrap_or("").to_string()), port });
            };
            if let Some(b) = spec.and_then(|s| s.get("defaultBackend")) {
                add(b);
            }
            for rule in spec.and_then(|s| s.get("rules")).map(Node::items).unwrap_or_default() {
                for path in rule.at(&["http", "paths"]).map(Node::items).unwrap_or_default() {
                    if let Some(b) = path.get("backend") {
                        add(b);
                    }
                }
            }
            Facts::Ingress { backends }
        }
        "PodDisruptionBudget" | "NetworkPolicy" => {
            let key = if doc.kind() == Some("NetworkPolicy") { "podSelector" } else { "selector" };
            match spec.and_then(|s| s.entry(key)).filter(|e| e.value.is_map()) {
                Some(e) => Facts::PodSelector {
                    selector: At { value: Selector::from_label_selector(&e.value), span: e.key.span },
                    budget: ["minAvailable", "maxUnavailable"]
                        .map(|k| spec.and_then(|s| s.get(k)).and_then(|n| Some(at(n, int_or_percent::parse(n)?)))),
                },
                None => Facts::None,
            }
        }
        _ => Facts::None,
    }
}

/// A port as a Service's `targetPort` or an Ingress names it.
pub fn port_ref(node: &Node) -> Option<PortRef> {
    match node.as_i64() {
        Some(n) => Some(PortRef::Number(n)),
        None => scalar_text(node).map(PortRef::Name),
    }
}

/// Every object of a run, in input order; or some of them, with the objects their
/// references are looked up in apart (see [`Inventory::referring`]).
#[derive(Debug, Default)]
pub struct Inventory {
    pub resources: Vec<Resource>,
    /// Built on first use, once all resources are in.
    index: std::sync::OnceLock<HashMap<Option<Sym>, Namespace>>,
    /// Where references are looked up, when not in `resources`.
    targets: Option<Arc<Inventory>>,
}

/// The objects of one namespace, by what the rules look them up by: indices into
/// [`Inventory::resources`], keyed by interned texts or by hashes (the objects found
/// through a hash are compared in full), so that the index holds no copy of a name.
#[derive(Debug, Default)]
struct Namespace {
    workloads: Vec<u32>,
    /// Workloads by the hash of each label of their Pods.
    by_label: HashMap<u64, Vec<u32>>,
    by_kind: HashMap<Option<Sym>, Vec<u32>>,
    /// The first object of each hash of its kind and name, and how many have that
    /// hash, so that a reference is looked up in O(1).
    named: HashMap<u64, (u32, u32)>,
    /// An object of a kind that is not built in (a custom resource) is here.
    has_unknown: bool,
}

/// A hash of `value` that is the same in every run (the index's keys).
pub fn stable_hash(value: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

impl Inventory {
    pub fn new(resources: Vec<Resource>) -> Inventory {
        Inventory { resources, index: std::sync::OnceLock::new(), targets: None }
    }

    /// Objects that only refer to others (an Ingress, a PodDisruptionBudget...), whose
    /// references are looked up in `targets`: the rules run on a batch of them at a
    /// time against the objects they may name, so that those alone are held whole.
    pub fn referring(resources: Vec<Resource>, targets: Arc<Inventory>) -> Inventory {
        Inventory { targets: Some(targets), ..Inventory::new(resources) }
    }

    /// The inventory references are looked up in.
    fn targets(&self) -> &Inventory {
        self.targets.as_deref().unwrap_or(self)
    }

    fn index(&self) -> &HashMap<Option<Sym>, Namespace> {
        let this = self.targets();
        this.index.get_or_init(|| {
            let mut index: HashMap<Option<Sym>, Namespace> = HashMap::new();
            for (i, r) in this.resources.iter().enumerate() {
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                let ns = index.entry(r.namespace_key()).or_default();
                if let Some(pods) = &r.pods {
                    ns.workloads.push(i);
                    for label in &pods.labels {
                        ns.by_label.entry(stable_hash(label)).or_default().push(i);
                    }
                }
                // Any kind that is not built in, with a schema from a CRD or not: its
                // operator may create Pods (kube-prometheus' Prometheus, Alertmanager).
                ns.has_unknown |= r.pods.is_none() && !r.is_builtin();
                ns.by_kind.entry(r.kind).or_default().push(i);
                ns.named.entry(stable_hash((r.kind(), r.name()))).and_modify(|(_, n)| *n += 1).or_insert((i, 1));
            }
            index
        })
    }

    /// A namespace's objects (objects without a namespace are together under "").
    fn namespace(&self, namespace: Option<&str>) -> Option<&Namespace> {
        let key = match namespace.filter(|n| !n.is_empty()) {
            Some(n) => Some(Sym::get(n)?),
            None => None,
        };
        self.index().get(&key)
    }

    /// The resources at `ids`.
    fn at<'a>(&'a self, ids: &'a [u32]) -> impl Iterator<Item = &'a Resource> + 'a {
        ids.iter().filter_map(|&i| self.targets().resources.get(i as usize))
    }

    /// Whether a Pod selector matches the Pod template of a workload of the namespace.
    pub fn selects_any(&self, selector: &Selector, namespace: Option<&str>) -> bool {
        self.selected(selector, namespace).next().is_some()
    }

    /// The workloads of the namespace whose Pod template a selector matches. Only the
    /// workloads with one of the selector's required labels are tried, so that rules
    /// that select for every object stay near-linear.
    pub fn selected<'a>(
        &'a self,
        selector: &'a Selector,
        namespace: Option<&str>,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        let candidates = self.namespace(namespace).map_or(&[][..], |ns| match selector.required_label() {
            Some(label) => ns.by_label.get(&stable_hash(label)).map_or(&[][..], Vec::as_slice),
            None => &ns.workloads,
        });
        self.at(candidates).filter(|r| r.pods.as_ref().is_some_and(|p| selector.matches_template(&p.labels)))
    }

    /// Whether "selects nothing" can be decided in a namespace: the run holds objects
    /// that create Pods there (else the workloads are in another input), and no custom
    /// resource, with or without its CRD (an operator may create Pods for it).
    pub fn decidable(&self, namespace: Option<&str>) -> bool {
        self.namespace(namespace).is_some_and(|n| !n.workloads.is_empty() && !n.has_unknown)
    }

    /// For a reference to the `kind` named `name` in a namespace, when the input
    /// defines objects of that kind there but none of that name (likely a typo): their
    /// names. `None` when the reference is found, or when the input defines none of
    /// that kind there (they are likely made elsewhere).
    pub fn missing<'a>(&'a self, kind: &str, namespace: Option<&str>, name: &str) -> Option<Vec<&'a str>> {
        if self.find(kind, namespace, name).is_some() {
            return None;
        }
        let names: Vec<&str> = self.of_kind(kind, namespace).map(Resource::name).collect();
        (!names.is_empty()).then_some(names)
    }

    /// The first object (in input order) of a kind and name in a namespace. By the
    /// hash first, so that a rule resolving a reference for every object stays linear
    /// in the number of objects.
    pub fn find<'a>(&'a self, kind: &str, namespace: Option<&str>, name: &str) -> Option<&'a Resource> {
        match self.named(kind, namespace, name)? {
            (r, _) if r.kind() == kind && r.name() == name => Some(r),
            // Another kind and name with the same hash: looked for in full.
            _ => self.of_kind(kind, namespace).find(|r| r.name() == name),
        }
    }

    /// Every object of a kind and name in a namespace, in input order: more than one
    /// when the input repeats an object.
    pub fn find_all<'a>(&'a self, kind: &'a str, namespace: Option<&'a str>, name: &'a str) -> Vec<&'a Resource> {
        match self.named(kind, namespace, name) {
            None => Vec::new(),
            Some((r, 1)) => [r].into_iter().filter(|r| r.kind() == kind && r.name() == name).collect(),
            // Copies (or another kind and name with the same hash): looked for in full.
            Some(_) => self.of_kind(kind, namespace).filter(|r| r.name() == name).collect(),
        }
    }

    /// The first object of the hash of a kind and name in a namespace, and how many
    /// objects have that hash.
    fn named<'a>(&'a self, kind: &str, namespace: Option<&str>, name: &str) -> Option<(&'a Resource, u32)> {
        let &(i, count) = self.namespace(namespace)?.named.get(&stable_hash((kind, name)))?;
        Some((self.targets().resources.get(i as usize)?, count))
    }

    /// The objects of a kind and namespace.
    pub fn of_kind<'a>(&'a self, kind: &str, namespace: Option<&str>) -> impl Iterator<Item = &'a Resource> + 'a {
        let ids = Sym::get(kind)
            .and_then(|kind| self.namespace(namespace)?.by_kind.get(&Some(kind)))
            .map_or(&[][..], Vec::as_slice);
        self.at(ids)
    }
}

/// Every named object of a run, for the one rule that compares objects across
/// namespaces (`duplicate-object`): in memory, or spilled (see `rules::spill`).
pub trait Named: Sync {
    /// The hash of each named object's identity (see [`Resource::identity`]) and a
    /// handle to load it by, sorted.
    fn identities(&self) -> Cow<'_, [(u64, u64)]>;

    /// The objects at `handles`, in input order.
    fn load(&self, handles: &[u64]) -> Vec<Resource>;

    /// How many named objects each of `files` (sorted) holds, in order.
    fn named_per_file(&self, files: &[Name<'_>]) -> Vec<usize>;
}

impl Named for Inventory {
    fn identities(&self) -> Cow<'_, [(u64, u64)]> {
        let mut keys: Vec<(u64, u64)> = (self.resources.iter().enumerate())
            .filter_map(|(i, r)| Some((stable_hash(r.identity()?), i as u64)))
            .collect();
        keys.sort_unstable();
        Cow::Owned(keys)
    }

    fn load(&self, handles: &[u64]) -> Vec<Resource> {
        let mut handles = handles.to_vec();
        handles.sort_unstable();
        handles.iter().filter_map(|&i| self.resources.get(usize::try_from(i).ok()?).cloned()).collect()
    }

    fn named_per_file(&self, files: &[Name<'_>]) -> Vec<usize> {
        let mut counts = vec![0; files.len()];
        for r in self.resources.iter().filter(|r| r.identity().is_some()) {
            if let Some(n) = files.binary_search(&r.source.name()).ok().and_then(|i| counts.get_mut(i)) {
                *n += 1;
            }
        }
        counts
    }
}

/// Where cross-document rules report.
pub struct RunContext<'a> {
    pub inventory: &'a Inventory,
    /// Every named object of the run; None when `inventory` holds only some
    /// namespaces (the run's other groups are checked apart, see `rules::spill`).
    pub named: Option<&'a dyn Named>,
    rules: &'a RuleSet,
    findings: Vec<Finding>,
}

impl<'a> RunContext<'a> {
    /// A context for the whole run.
    pub fn new(inventory: &'a Inventory, rules: &'a RuleSet) -> Self {
        RunContext { inventory, named: Some(inventory), rules, findings: Vec::new() }
    }

    /// A context for some namespaces of the run, with `named` the whole run's.
    pub fn part(inventory: &'a Inventory, named: Option<&'a dyn Named>, rules: &'a RuleSet) -> Self {
        RunContext { inventory, named, rules, findings: Vec::new() }
    }

    /// Records a finding at its rule's configured severity; drops it when the rule is
    /// disabled.
    pub fn report(&mut self, mut finding: Finding) {
        if let Some(severity) = self.rules.severity(finding.rule) {
            finding.severity = severity;
            self.findings.push(finding);
        }
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
