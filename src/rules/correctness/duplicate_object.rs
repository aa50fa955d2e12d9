use std::collections::HashMap;

use crate::rules::RunContext;
use crate::rules::inventory::{Resource, stable_hash};

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

/// Whether an object has a name of its own: objects named by `generateName` get a
/// fresh name each time.
fn named(r: &Resource) -> bool {
    r.name_span.is_some() && !r.name().is_empty()
}

/// What makes two objects the same object: the API group (not its version), kind,
/// namespace and name.
fn identity(r: &Resource) -> (&str, &str, Option<&str>, &str) {
    let group = r.api_version().and_then(|av| av.split_once('/')).map_or("", |(g, _)| g);
    (group, r.kind(), r.namespace(), r.name())
}

/// Files sharing at least this many objects, and half of the smaller file's, are
/// alternative bundles of one release rather than accidental copies.
const BUNDLE_OVERLAP: usize = 3;

fn check(cx: &mut RunContext<'_>) {
    let resources = &cx.inventory.resources;
    // The hash of each object's identity, sorted: objects of one identity are then
    // next to each other, in input order, and the run holds 16 bytes per object
    // instead of a map of every identity.
    let mut keys: Vec<(u64, u32)> = Vec::new();
    for (i, r) in resources.iter().enumerate().filter(|(_, r)| named(r)) {
        keys.push((stable_hash(identity(r)), u32::try_from(i).unwrap_or(u32::MAX)));
    }
    keys.sort_unstable();
    let at = |i: u32| resources.get(i as usize);
    // (first, copy) as indices, sorted by the copy: in input order, as they are reported.
    let mut copies: Vec<(u32, u32)> = Vec::new();
    for same_hash in keys.chunk_by(|a, b| a.0 == b.0) {
        // The first object of each identity with this hash (more than one only when
        // two identities share a hash).
        let mut firsts: Vec<(u32, &Resource)> = Vec::new();
        for (i, r) in same_hash.iter().filter_map(|&(_, i)| Some((i, at(i)?))) {
            match firsts.iter().find(|(_, first)| identity(first) == identity(r)) {
                Some(&(earlier, _)) => copies.push((earlier, i)),
                None => firsts.push((i, r)),
            }
        }
    }
    copies.sort_unstable_by_key(|&(_, i)| i);
    let copies: Vec<(&Resource, &Resource)> = copies.into_iter().filter_map(|(a, b)| Some((at(a)?, at(b)?))).collect();
    let mut shared: HashMap<(&str, &str), usize> = HashMap::new();
    for (earlier, r) in &copies {
        *shared.entry((earlier.source.name(), r.source.name())).or_default() += 1;
    }
    // The objects of each file with a copy.
    let mut per_file: HashMap<&str, usize> = shared.keys().flat_map(|&(a, b)| [(a, 0), (b, 0)]).collect();
    if !per_file.is_empty() {
        for r in resources.iter().filter(|r| named(r)) {
            if let Some(n) = per_file.get_mut(r.source.name()) {
                *n += 1;
            }
        }
    }
    let bundles = |a: &str, b: &str| {
        let overlap = shared.get(&(a, b)).copied().unwrap_or(0);
        let smaller = per_file.get(a).copied().unwrap_or(0).min(per_file.get(b).copied().unwrap_or(0));
        a != b && overlap >= BUNDLE_OVERLAP && overlap * 2 >= smaller
    };
    for (earlier, r) in copies {
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
