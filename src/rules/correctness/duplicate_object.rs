use std::collections::HashMap;

use crate::names::Name;
use crate::rules::RunContext;
use crate::rules::inventory::Resource;

crate::declare_rule! {
    /// ## What it does
    /// Checks for two objects of the same kind, namespace and name in one run: in one
    /// file or stream (such as the output of `helm template` or `kubectl kustomize`),
    /// or in two files (`kubectl apply -f dir/` applies both). Each copy is reported
    /// once, pointing at the first.
    ///
    /// ## Why it matters
    /// `kubectl apply` applies both, one after the other: the last one silently wins,
    /// and the changes made to the first have no effect. Usually a copied block that
    /// was not renamed.
    ///
    /// ## Known problems
    /// Two files that share most of their objects are taken as alternative bundles
    /// of the same release (`install.yaml` and `namespace-install.yaml`), not as
    /// copies, and are not reported: at least half of the objects of the smaller
    /// one, and at least three.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web
    /// data:
    ///   mode: fast
    /// ---
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web
    /// data:
    ///   mode: safe
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web
    /// data:
    ///   mode: fast
    /// ---
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: worker
    /// data:
    ///   mode: safe
    /// ```
    pub static DUPLICATE_OBJECT = {
        id: "duplicate-object",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "the same kind, namespace and name are defined twice",
        fields: ["ObjectMeta.name", "ObjectMeta.namespace"],
        check: Run(check),
    };
}

/// Files sharing at least this many objects, and half of the smaller file's, are
/// alternative bundles of one release rather than accidental copies.
const BUNDLE_OVERLAP: usize = 3;

fn check(cx: &mut RunContext<'_>) {
    // Copies have one namespace, but bundles are told apart across all of them: the
    // rule runs once, on the run's named objects wherever they are kept.
    let Some(named) = cx.named else { return };
    // The hash of each object's identity, sorted: objects of one identity are then
    // next to each other, and only they are loaded to be compared in full.
    let keys = named.identities();
    // (first, copy), in input order within each identity.
    let mut copies: Vec<(Resource, Resource)> = Vec::new();
    for same_hash in keys.chunk_by(|a, b| a.0 == b.0).filter(|same| same.len() > 1) {
        let handles: Vec<u64> = same_hash.iter().map(|&(_, handle)| handle).collect();
        // The first object of each identity with this hash (more than one only when
        // two identities share a hash).
        let mut firsts: Vec<Resource> = Vec::new();
        for r in named.load(&handles) {
            match firsts.iter().find(|first| first.identity() == r.identity()) {
                Some(earlier) => copies.push((earlier.clone(), r)),
                None => firsts.push(r),
            }
        }
    }
    let mut shared: HashMap<(Name, Name), usize> = HashMap::new();
    for (earlier, r) in &copies {
        *shared.entry((earlier.source.name(), r.source.name())).or_default() += 1;
    }
    // The objects of each file with a copy.
    let mut files: Vec<Name> = shared.keys().flat_map(|&(a, b)| [a, b]).collect();
    files.sort_unstable();
    files.dedup();
    let per_file = if files.is_empty() { Vec::new() } else { named.named_per_file(&files) };
    let objects = |file| files.binary_search(&file).ok().and_then(|i| per_file.get(i)).copied().unwrap_or(0);
    let bundles = |a, b| {
        let overlap = shared.get(&(a, b)).copied().unwrap_or(0);
        let smaller = objects(a).min(objects(b));
        a != b && overlap >= BUNDLE_OVERLAP && overlap * 2 >= smaller
    };
    for (earlier, r) in &copies {
        let (a, b) = (earlier.source.name(), r.source.name());
        if bundles(a, b) {
            continue;
        }
        let elsewhere = if a == b { String::new() } else { format!(" (first in `{a}`)") };
        let f = r
            .finding_at(
                &DUPLICATE_OBJECT,
                r.name_or_head(),
                format!("the {} `{}` is defined twice{elsewhere}", r.kind(), r.name()),
            )
            .label("defined again here")
            .secondary(earlier.at(earlier.name_or_head()), "first defined here")
            .note("when both are applied, the last one wins")
            .help("rename one of them, or remove the copy");
        cx.report(f);
    }
}
