//! Finds the schema of a document from its `apiVersion` and `kind`, or says why
//! there is none: missing, misspelled, removed, not yet served, or a custom resource.

use std::sync::Arc;

use super::external::SchemaLocations;
use crate::crd::{CustomKind, Registry};
use crate::document::head;
use crate::rules::{Context, schema as checks};
use crate::schema::removed::{self, Replacement};
use crate::schema::{Catalog, DefId, history, split_api_version};
use crate::suggest;

pub enum Resolution {
    Schema(Target),
    /// A custom resource without a schema, skipped as `--ignore-missing-schemas` asks.
    Skipped,
    /// The problem has been reported.
    Reported,
}

/// The schema a document is validated against.
pub enum Target {
    Builtin(DefId),
    /// A custom resource whose CustomResourceDefinition is in the run.
    Custom(Arc<CustomKind>),
    /// A JSON schema from `--schema-location`.
    External(Arc<jsonschema::Validator>),
}

/// Where schemas besides the built-in ones come from.
#[derive(Clone, Copy, Default)]
pub struct Sources<'a> {
    pub crds: Option<&'a Registry>,
    pub external: Option<&'a SchemaLocations>,
}

/// Finds the schema of the document: built-in kinds first (a CRD cannot serve a
/// built-in kind), then the CRDs of the run. `missing_crd` is set for a custom
/// resource that no CRD of the run defines.
pub fn resolve(
    cx: &mut Context<'_>,
    sources: Sources<'_>,
    ignore_missing_schemas: bool,
    missing_crd: &mut bool,
) -> Resolution {
    let crds = sources.crds;
    let doc = cx.doc;
    let (Some(av), Some(kind)) = (type_field(cx, "apiVersion"), type_field(cx, "kind")) else {
        return Resolution::Reported;
    };
    let (group, version) = split_api_version(av);
    let catalog = cx.catalog;
    if let Some(def) = catalog.kind(group, version, kind) {
        return Resolution::Schema(Target::Builtin(def));
    }
    if let Some(custom) = crds.and_then(|r| r.find(group, version, kind, &doc.source)) {
        return Resolution::Schema(Target::Custom(custom.clone()));
    }
    if !history::is_builtin_group(group)
        && let Some(schema) = sources.external.and_then(|e| e.find(av, kind))
    {
        return Resolution::Schema(Target::External(schema));
    }
    let av_span = doc.root.get("apiVersion").map_or(doc.head_span(), |n| n.span);
    let kind_span = doc.root.get("kind").map_or(doc.head_span(), |n| n.span);
    if let Some(served) = crds.and_then(|r| r.group(group)) {
        unknown_custom_kind(cx, served, (av, version, kind), (av_span, kind_span));
        return Resolution::Reported;
    }
    let selected = catalog.version;

    if let Some(message) = removal(catalog, av, group, version, kind) {
        let (text, help) = message;
        let mut f = cx.finding(&checks::REMOVED_API, av_span, text).label("no longer served").pointer("/apiVersion");
        f.help = help;
        if let Some(Replacement::ApiVersion(to)) = removed::find(av, kind).map(|r| &r.replacement) {
            f.fix = crate::rules::deprecation::replace_api_version(doc, catalog, to);
        }
        cx.report(f);
        return Resolution::Reported;
    }
    if let Some(served) = history::find(group, version, kind).filter(|s| s.first > selected.minor) {
        let text =
            format!("`{av}` `{kind}` is not served by Kubernetes {selected}; it was added in 1.{}", served.first);
        let f = cx
            .finding(&checks::UNKNOWN_KIND, av_span, text)
            .label("not served yet")
            .pointer("/apiVersion")
            .help(format!("check against a newer version with `--kubernetes-version 1.{}`", served.first));
        cx.report(f);
        return Resolution::Reported;
    }

    let in_group: Vec<(&str, &str, &str)> = catalog.kinds().filter(|(g, _, _)| *g == group).collect();
    let kind_elsewhere: Vec<String> = preferred_versions(catalog, kind);
    if in_group.iter().any(|(_, v, _)| *v == version) {
        // A known group/version: the kind is wrong.
        let kinds = in_group.iter().filter(|(_, v, _)| *v == version).map(|(_, _, k)| *k);
        let mut f = cx
            .finding(&checks::UNKNOWN_KIND, kind_span, format!("unknown kind `{kind}` in `{av}`"))
            .label("unknown kind")
            .pointer("/kind");
        if let Some(close) = suggest::closest(kind, kinds) {
            f.help = Some(format!("did you mean `{close}`?"));
        } else if let Some(other) = kind_elsewhere.first() {
            f.help = Some(format!("`{kind}` is in `{other}`: use `apiVersion: {other}`"));
        }
        cx.report(f);
        return Resolution::Reported;
    }
    if !in_group.is_empty() || history::is_builtin_group(group) {
        // A built-in group with a wrong version.
        let mut f = cx
            .finding(&checks::UNKNOWN_KIND, av_span, format!("unknown apiVersion `{av}` for `{kind}`"))
            .label("unknown apiVersion")
            .pointer("/apiVersion");
        f.help = suggestion(catalog, av, &kind_elsewhere);
        cx.report(f);
        return Resolution::Reported;
    }
    // An unknown group: a custom resource, unless it is a typo of a built-in one.
    let known = all_api_versions(catalog);
    let typo = typo_of(av, known.iter().map(String::as_str));
    *missing_crd = typo.is_none();
    if typo.is_none() && ignore_missing_schemas {
        return Resolution::Skipped;
    }
    let mut f = match typo {
        Some(close) => cx
            .finding(&checks::UNKNOWN_KIND, av_span, format!("unknown apiVersion `{av}`"))
            .label("unknown apiVersion")
            .help(format!("did you mean `{close}`?")),
        None => cx
            .finding(&checks::UNKNOWN_KIND, kind_span, format!("no schema for `{kind}` in `{av}`"))
            .label("custom resource?")
            .note(format!("`{kind}` is not built into Kubernetes; it is probably a custom resource"))
            .help("include its CustomResourceDefinition in the files checked or pass it with `--crd`, or skip custom resources with `--ignore-missing-schemas`"),
    };
    f.pointer = Some("/apiVersion".into());
    cx.report(f);
    Resolution::Reported
}

/// A kind or version that the CRDs of its group do not serve.
fn unknown_custom_kind(
    cx: &mut Context<'_>,
    served: &std::collections::BTreeSet<(String, String)>,
    (av, version, kind): (&str, &str, &str),
    (av_span, kind_span): (crate::source::Span, crate::source::Span),
) {
    let kinds: Vec<&str> = served.iter().filter(|(v, _)| v == version).map(|(_, k)| k.as_str()).collect();
    let f = if kinds.is_empty() {
        let versions: Vec<&str> = served.iter().filter(|(_, k)| k == kind).map(|(v, _)| v.as_str()).collect();
        let mut f = cx
            .finding(&checks::UNKNOWN_KIND, av_span, format!("unknown apiVersion `{av}` for `{kind}`"))
            .label("not served by its CustomResourceDefinition")
            .pointer("/apiVersion");
        let (group, _) = split_api_version(av);
        if let Some(close) = suggest::closest(version, versions.iter().copied()) {
            f.help = Some(format!("did you mean `{group}/{close}`?"));
        } else if let Some(first) = versions.first() {
            let list = versions.iter().map(|v| format!("`{group}/{v}`")).collect::<Vec<_>>().join(", ");
            f = f
                .note(format!("the CustomResourceDefinition serves {list}"))
                .help(format!("use `apiVersion: {group}/{first}`"));
        }
        f
    } else {
        let mut f = cx
            .finding(&checks::UNKNOWN_KIND, kind_span, format!("unknown kind `{kind}` in `{av}`"))
            .label("no CustomResourceDefinition defines it")
            .pointer("/kind");
        if let Some(close) = suggest::closest(kind, kinds.iter().copied()) {
            f.help = Some(format!("did you mean `{close}`?"));
        } else {
            let list = kinds.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            f.note = Some(format!("the CustomResourceDefinitions of `{av}` define {list}"));
        }
        f
    };
    cx.report(f);
}

/// The text of `apiVersion` or `kind`; reports it when missing or not a string.
fn type_field<'a>(cx: &mut Context<'a>, field: &str) -> Option<&'a str> {
    let doc = cx.doc;
    // An item of a typed list (`ConfigMapList`) inherits its kind from the list.
    let inherited = if field == "apiVersion" { doc.api_version() } else { doc.kind() };
    match doc.root.get(field) {
        Some(n) if n.as_str().is_some_and(|s| !s.is_empty()) => n.as_str(),
        None if inherited.is_some() => inherited,
        found => {
            let rule = if field == "apiVersion" { &checks::MISSING_API_VERSION } else { &checks::MISSING_KIND };
            let span = found.map_or_else(|| head(&doc.root), |n| n.span);
            let message = match found {
                Some(n) if !n.is_null() && n.as_str().is_none() => format!("`{field}` must be a string"),
                _ => format!("the object has no `{field}`"),
            };
            let help = if field == "apiVersion" {
                "add `apiVersion:` with the group and version, e.g. `apiVersion: apps/v1`"
            } else {
                "add `kind:` with the object's type, e.g. `kind: Deployment`"
            };
            let f = cx.finding(rule, span, message).help(help).pointer(format!("/{field}"));
            cx.report(f);
            None
        }
    }
}

/// A message and help for an apiVersion removed before the selected version.
fn removal(catalog: &Catalog, av: &str, group: &str, version: &str, kind: &str) -> Option<(String, Option<String>)> {
    let selected = catalog.version;
    let removed_in = match removed::find(av, kind) {
        Some(r) => r.removed_in,
        None => history::find(group, version, kind).filter(|s| s.last < selected.minor)?.last + 1,
    };
    if removed_in > selected.minor {
        return None;
    }
    let text = format!("`{av}` `{kind}` was removed in Kubernetes 1.{removed_in}");
    let help = match removed::find(av, kind).map(|r| &r.replacement) {
        Some(Replacement::None(advice)) => Some((*advice).to_string()),
        Some(Replacement::ApiVersion(to)) => Some(format!("use `apiVersion: {to}`")),
        None => preferred_versions(catalog, kind).first().map(|to| format!("use `apiVersion: {to}`")),
    };
    Some((text, help))
}

/// The apiVersions that serve `kind` in this catalog, the preferred one first.
fn preferred_versions(catalog: &Catalog, kind: &str) -> Vec<String> {
    catalog.resources.iter().filter(|r| r.kind == kind).map(|r| r.api_version()).collect()
}

fn all_api_versions(catalog: &Catalog) -> Vec<String> {
    let mut all: Vec<String> = catalog.resources.iter().map(|r| r.api_version()).collect();
    all.dedup();
    all
}

/// A built-in apiVersion that `av` is a typo of: at most two edits away, and not a
/// different domain (`networking.istio.io` is no typo of `networking.k8s.io`).
fn typo_of<'a>(av: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // The distance is at least the difference in length: most are not computed.
    let len = av.chars().count();
    known
        .filter(|k| k.chars().count().abs_diff(len) <= 2)
        .map(|k| (strsim::damerau_levenshtein(av, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn suggestion(catalog: &Catalog, av: &str, kind_versions: &[String]) -> Option<String> {
    if let Some(close) = suggest::closest(av, kind_versions.iter().map(String::as_str)) {
        return Some(format!("did you mean `{close}`?"));
    }
    if let Some(first) = kind_versions.first() {
        return Some(format!("use `apiVersion: {first}`"));
    }
    let all = all_api_versions(catalog);
    suggest::closest(av, all.iter().map(String::as_str)).map(|c| format!("did you mean `{c}`?"))
}
