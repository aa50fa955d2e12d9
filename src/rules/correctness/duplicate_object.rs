use std::collections::HashMap;

use crate::rules::RunContext;
use crate::rules::inventory::Resource;

crate::declare_rule! {
    /// ## What it does
    /// Checks for two objects of the same kind, namespace and name in one file or
    /// stream (such as the output of `helm template` or `kubectl kustomize`).
    ///
    /// ## Why it matters
    /// `kubectl apply` applies both, one after the other: the last one silently wins,
    /// and the changes made to the first have no effect. Usually a copied block that
    /// was not renamed.
    ///
    /// ## Known problems
    /// Copies in different files are not reported: release directories often hold
    /// alternative bundles of the same objects (`install.yaml` and
    /// `namespace-install.yaml`), and overlays hold one copy per cluster.
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

fn check(cx: &mut RunContext<'_>) {
    let resources = &cx.inventory.resources;
    // The objects of a file are next to each other in the inventory.
    for file in resources.chunk_by(|a, b| a.source.same(&b.source)) {
        let mut first: HashMap<(&str, &str, Option<&str>, &str), &Resource> = HashMap::new();
        for r in file {
            // Objects named by `generateName` get a fresh name each time.
            if r.name_span.is_none() || r.name().is_empty() {
                continue;
            }
            let group = r.object.api_version.as_deref().and_then(|av| av.split_once('/')).map_or("", |(g, _)| g);
            let Some(earlier) = first.get(&(group, r.kind(), r.namespace(), r.name())) else {
                first.insert((group, r.kind(), r.namespace(), r.name()), r);
                continue;
            };
            let f = r
                .finding_at(
                    &DUPLICATE_OBJECT,
                    r.name_or_head(),
                    format!("the {} `{}` is defined twice", r.kind(), r.name()),
                )
                .label("defined again here")
                .secondary(earlier.at(earlier.name_or_head()), "first defined here")
                .note("when both are applied, the last one wins")
                .help("rename one of them, or remove the copy");
            cx.report(f);
        }
    }
}
