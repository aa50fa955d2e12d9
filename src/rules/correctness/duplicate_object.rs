use std::collections::HashMap;

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
    let resources = &cx.inventory.resources;
    let mut first: HashMap<(&str, &str, Option<&str>, &str), &Resource> = HashMap::new();
    let mut copies: Vec<(&Resource, &Resource)> = Vec::new();
    let mut per_file: HashMap<&str, usize> = HashMap::new();
    for r in resources {
        // Objects named by `generateName` get a fresh name each time.
        if r.name_span.is_none() || r.name().is_empty() {
            continue;
        }
        *per_file.entry(r.source.name()).or_default() += 1;
        let group = r.object.api_version.as_deref().and_then(|av| av.split_once('/')).map_or("", |(g, _)| g);
        match first.get(&(group, r.kind(), r.namespace(), r.name())) {
            Some(earlier) => copies.push((earlier, r)),
            None => {
                first.insert((group, r.kind(), r.namespace(), r.name()), r);
            }
        }
    }
    let mut shared: HashMap<(&str, &str), usize> = HashMap::new();
    for (earlier, r) in &copies {
        *shared.entry((earlier.source.name(), r.source.name())).or_default() += 1;
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
