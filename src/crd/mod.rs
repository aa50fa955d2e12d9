//! CustomResourceDefinitions: the schemas they give custom resources for a run, and
//! what the API server would refuse in them.
//!
//! A run registers every `apiextensions.k8s.io/v1` CustomResourceDefinition of its
//! input (and of `--crd` paths) before it checks any document; each served version
//! becomes a [`CustomKind`] whose schema the validator walks like a built-in one.

mod compile;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use crate::cel::Skip;
use crate::document::Document;
use crate::schema::{ApiResource, Catalog, Schema};
use crate::source::SourceFile;
use crate::yaml::Node;

pub use compile::{Problem, TYPES};

/// One served version of a custom resource.
#[derive(Debug)]
pub struct CustomKind {
    /// The resource as discovery lists it (group, version, kind, plural, ...).
    pub resource: ApiResource,
    /// `<plural>.<group>`, the CRD's name.
    pub crd: String,
    pub schema: Schema,
    source: Arc<SourceFile>,
}

/// A CustomResourceDefinition document, compiled.
pub struct Definition {
    source: Arc<SourceFile>,
    index: usize,
    pointer_prefix: String,
    kinds: Vec<Arc<CustomKind>>,
    problems: Vec<Problem>,
    skipped: Vec<(Skip, String)>,
}

/// The CRDs of a run.
#[derive(Default)]
pub struct Registry {
    kinds: HashMap<(String, String, String), Vec<Arc<CustomKind>>>,
    /// group → (version, kind) pairs it serves.
    groups: BTreeMap<String, BTreeSet<(String, String)>>,
    definitions: Vec<Definition>,
    /// Rules not evaluated: why, and the rule (distinct rules only).
    skipped: BTreeSet<(Skip, String, String)>,
    /// Rules skipped while evaluating, recorded from the checking threads.
    run_skips: Mutex<BTreeSet<(Skip, String, String)>>,
}

/// Whether a document is a CustomResourceDefinition kval reads.
pub fn is_crd(doc: &Document) -> bool {
    doc.kind() == Some("CustomResourceDefinition") && doc.api_version() == Some("apiextensions.k8s.io/v1")
}

/// A served version of a CRD as discovery lists it, with its `openAPIV3Schema`.
pub fn served(doc: &Document) -> Vec<(ApiResource, &Node)> {
    if !is_crd(doc) {
        return Vec::new();
    }
    let text = |path: &[&str]| doc.root.at(path).and_then(Node::as_str).unwrap_or("").to_string();
    let versions = doc.root.at(&["spec", "versions"]).map(Node::items).unwrap_or_default();
    versions
        .iter()
        .filter(|v| v.get("served").and_then(Node::as_bool) != Some(false))
        .filter_map(|v| {
            let resource = ApiResource {
                group: text(&["spec", "group"]),
                version: v.get("name")?.as_str()?.to_string(),
                kind: text(&["spec", "names", "kind"]),
                plural: text(&["spec", "names", "plural"]),
                singular: text(&["spec", "names", "singular"]),
                namespaced: text(&["spec", "scope"]) != "Cluster",
                short_names: doc
                    .root
                    .at(&["spec", "names", "shortNames"])
                    .map(|n| n.items().iter().filter_map(Node::as_str).map(str::to_string).collect())
                    .unwrap_or_default(),
            };
            Some((resource, v.at(&["schema", "openAPIV3Schema"])?))
        })
        .collect()
}

/// Compiles a CRD document (`None` for any other document).
pub fn compile(doc: &Document, catalog: &Catalog) -> Option<Definition> {
    if !is_crd(doc) {
        return None;
    }
    let crd = doc.root.at(&["metadata", "name"]).and_then(Node::as_str).unwrap_or("").to_string();
    let served = served(doc);
    let mut problems = check_definition(doc);
    let mut skipped = Vec::new();
    let mut kinds = Vec::new();
    // Every version's schema is checked; the served ones are registered.
    let versions = doc.root.at(&["spec", "versions"]).map(Node::items).unwrap_or_default();
    for (i, v) in versions.iter().enumerate() {
        let Some(schema_node) = v.at(&["schema", "openAPIV3Schema"]) else { continue };
        let pointer = format!("{}/spec/versions/{i}/schema/openAPIV3Schema", doc.pointer_prefix);
        let mut compiler = compile::Compiler::new(catalog, pointer);
        let schema = compiler.root(schema_node);
        problems.append(&mut compiler.problems);
        skipped.append(&mut compiler.skipped);
        if let Some((resource, _)) = served.iter().find(|(_, node)| std::ptr::eq(*node, schema_node)) {
            kinds.push(Arc::new(CustomKind {
                resource: resource.clone(),
                crd: crd.clone(),
                schema,
                source: doc.source.clone(),
            }));
        }
    }
    Some(Definition {
        source: doc.source.clone(),
        index: doc.index,
        pointer_prefix: doc.pointer_prefix.clone(),
        kinds,
        problems,
        skipped,
    })
}

impl Registry {
    /// Adds a compiled CRD; `lint` keeps its problems to report.
    pub fn add(&mut self, mut definition: Definition, lint: bool) {
        for custom in &definition.kinds {
            let r = &custom.resource;
            self.kinds.entry((r.group.clone(), r.version.clone(), r.kind.clone())).or_default().push(custom.clone());
            self.groups.entry(r.group.clone()).or_default().insert((r.version.clone(), r.kind.clone()));
        }
        let crd = definition.kinds.first().map_or_else(String::new, |k| k.crd.clone());
        for (skip, rule) in definition.skipped.drain(..) {
            self.skipped.insert((skip, crd.clone(), rule));
        }
        if !lint {
            definition.problems.clear();
        }
        self.definitions.push(definition);
    }

    /// The CustomResourceDefinition documents registered.
    pub fn crd_count(&self) -> usize {
        self.definitions.len()
    }

    /// The CRD version for a custom resource: the one from the same file when several
    /// CRDs define it, else the first registered.
    pub fn find(&self, group: &str, version: &str, kind: &str, source: &SourceFile) -> Option<&Arc<CustomKind>> {
        let all = self.kinds.get(&(group.to_string(), version.to_string(), kind.to_string()))?;
        all.iter().find(|k| std::ptr::eq(Arc::as_ptr(&k.source), source)).or_else(|| all.first())
    }

    /// The (version, kind) pairs a CRD of the run serves in `group`.
    pub fn group(&self, group: &str) -> Option<&BTreeSet<(String, String)>> {
        self.groups.get(group)
    }

    /// What the API server would refuse in a CRD document of the input.
    pub fn problems(&self, doc: &Document) -> &[Problem] {
        self.definitions
            .iter()
            .find(|d| {
                std::ptr::eq(Arc::as_ptr(&d.source), Arc::as_ptr(&doc.source))
                    && d.index == doc.index
                    && d.pointer_prefix == doc.pointer_prefix
            })
            .map_or(&[], |d| d.problems.as_slice())
    }

    /// Notes for the rules not evaluated, as counts.
    pub fn notes(&self) -> Vec<String> {
        let run = self.run_skips.lock().map(|s| s.clone()).unwrap_or_default();
        let count = |skip: Skip| self.skipped.iter().chain(&run).filter(|(s, _, _)| *s == skip).count();
        let mut notes = Vec::new();
        let plural = |n: usize| if n == 1 { "rule" } else { "rules" };
        for (skip, why) in [
            (Skip::Transition, "transition rules that compare with `oldSelf`, which only exists on update"),
            (Skip::Unsupported, "they call functions kval does not implement"),
            (Skip::Budget, "their estimated cost on the object is over kval's budget"),
        ] {
            let n = count(skip);
            if n > 0 {
                notes.push(format!("{n} CRD validation {} not evaluated: {why}", plural(n)));
            }
        }
        notes
    }

    /// Records a rule of `crd` skipped while evaluating (an unknown function, the budget).
    pub fn skip(&self, skip: Skip, crd: &str, rule: &str) {
        if let Ok(mut set) = self.run_skips.lock() {
            set.insert((skip, crd.to_string(), rule.to_string()));
        }
    }
}

/// The checks of a CRD object besides its schemas: one storage version, names that
/// agree with each other.
fn check_definition(doc: &Document) -> Vec<Problem> {
    let root = &doc.root;
    let prefix = &doc.pointer_prefix;
    let mut problems = Vec::new();
    let mut push = |node: Option<&Node>, pointer: &str, message: String, help: Option<String>| {
        let span = node.map_or_else(|| doc.head_span(), |n| n.span);
        problems.push(Problem { span, pointer: format!("{prefix}{pointer}"), message, note: None, help });
    };
    let text = |path: &[&str]| root.at(path).and_then(Node::as_str);
    let (group, plural, kind) =
        (text(&["spec", "group"]), text(&["spec", "names", "plural"]), text(&["spec", "names", "kind"]));
    if let (Some(name_node), Some(group), Some(plural)) = (root.at(&["metadata", "name"]), group, plural)
        && let Some(name) = name_node.as_str()
    {
        let expected = format!("{plural}.{group}");
        if name != expected {
            push(
                Some(name_node),
                "/metadata/name",
                format!("the CRD name `{name}` must be `<spec.names.plural>.<spec.group>`, here `{expected}`"),
                Some(format!("name it `{expected}`")),
            );
        }
    }
    if let Some(plural_node) = root.at(&["spec", "names", "plural"])
        && let Some(p) = plural_node.as_str()
        && p != p.to_lowercase()
    {
        push(Some(plural_node), "/spec/names/plural", format!("`spec.names.plural` `{p}` must be lowercase"), None);
    }
    if let (Some(kind), Some(list_node)) = (kind, root.at(&["spec", "names", "listKind"]))
        && list_node.as_str() == Some(kind)
    {
        push(
            Some(list_node),
            "/spec/names/listKind",
            "`spec.names.listKind` must differ from `spec.names.kind`".into(),
            Some(format!("use `{kind}List`")),
        );
    }
    let versions_node = root.at(&["spec", "versions"]);
    let versions = versions_node.map(Node::items).unwrap_or_default();
    let storage: Vec<&Node> =
        versions.iter().filter(|v| v.get("storage").and_then(Node::as_bool) == Some(true)).collect();
    if !versions.is_empty() && storage.len() != 1 {
        let at = storage.get(1).and_then(|v| v.get("storage")).or(versions_node);
        let message = format!("exactly one version must be the storage version, but {} are", storage.len());
        push(at, "/spec/versions", message, Some("set `storage: true` on one version only".into()));
    }
    let mut seen = BTreeSet::new();
    for (i, v) in versions.iter().enumerate() {
        if let Some(name) = v.get("name")
            && let Some(text) = name.as_str()
            && !seen.insert(text)
        {
            push(
                Some(name),
                &format!("/spec/versions/{i}/name"),
                format!("the version `{text}` is listed twice"),
                None,
            );
        }
    }
    problems
}
