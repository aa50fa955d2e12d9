//! `kval explain`: the documentation of a resource or field, printed exactly as
//! `kubectl explain` (1.37) prints it against an API server of the selected version,
//! from the embedded schemas.
//!
//! The steps follow kubectl's: [`resolve`] turns the argument into a resource and a
//! field path, then [`plaintext`] (the default OpenAPI v3 template) or [`legacy`]
//! (`--output plaintext-openapiv2`) prints it. [`locate`] adds kval's own
//! `FILE:LINE` form.

mod custom;
mod document;
mod error;
mod jsonpath;
mod legacy;
mod locate;
mod plaintext;
mod resolve;
mod rules;
mod wrap;

pub use custom::Custom;
pub use error::ExplainError;
pub use locate::Location;

use crate::schema::{ApiResource, Catalog, split_api_version};
use document::Document;
use resolve::{Gvr, Target};

/// One `kubectl explain` invocation, flags included.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// `TYPE[.FIELD...]`.
    pub argument: &'a str,
    /// `--api-version`; empty when not given.
    pub api_version: &'a str,
    pub recursive: bool,
    /// `--output`: `plaintext` or `plaintext-openapiv2`.
    pub output: &'a str,
    /// `--rules`: add the kval rules that check the field (not a kubectl option).
    pub rules: bool,
    /// The custom resources of `--crd` (not a kubectl option: kubectl asks the API server).
    pub custom: Option<&'a Custom>,
}

/// What kubectl would print. An error can follow some output: kubectl has already
/// printed the header when it finds that a field does not exist.
#[derive(Debug, Default, PartialEq)]
pub struct Explained {
    /// Standard output.
    pub text: String,
    /// Printed to stderr as `Warning: ...` (an ambiguous short name).
    pub warnings: Vec<String>,
    pub error: Option<ExplainError>,
}

impl Explained {
    pub fn failed(error: ExplainError) -> Explained {
        Explained { error: Some(error), ..Explained::default() }
    }
}

/// Explains `request.argument` as kubectl does.
pub fn explain(catalog: &Catalog, request: &Request) -> Explained {
    let mut out = Explained::default();
    let with_api_version = !request.api_version.is_empty();
    let resources = resources(catalog, request);
    let result = resolve::resolve(&resources, request.argument, with_api_version, &mut out.warnings)
        .and_then(|target| explain_target(catalog, target, request, &mut out.text));
    out.error = result.err();
    out
}

/// Discovery: the built-in resources, then those of `--crd`.
fn resources(catalog: &Catalog, request: &Request) -> Vec<ApiResource> {
    let custom = request.custom.map(|c| c.resources.as_slice()).unwrap_or_default();
    catalog.resources.iter().chain(custom).cloned().collect()
}

/// Explains the field written on a line of a manifest (`text`), as `explain` would
/// explain that resource's field path; `request.argument` and `request.api_version`
/// are not used.
pub fn explain_line(catalog: &Catalog, text: &str, line: usize, request: &Request) -> Explained {
    let mut out = Explained::default();
    let result = line_target(catalog, text, line, request.custom).and_then(|target| {
        let request = Request { api_version: "", ..*request };
        explain_target(catalog, target, &request, &mut out.text)
    });
    out.error = result.err();
    out
}

/// The resource and field path a manifest's line is about (a built-in resource or
/// one of `--crd`); the path stops at a key of a map, since kubectl cannot explain
/// map keys.
fn line_target(catalog: &Catalog, text: &str, line: usize, custom: Option<&Custom>) -> Result<Target, ExplainError> {
    let located = locate::locate(text, line).map_err(ExplainError::Location)?;
    let (group, version) = split_api_version(&located.api_version);
    let known = |r: &&ApiResource| r.group == group && r.version == version && r.kind == located.kind;
    let custom_resources = custom.map(|c| c.resources.as_slice()).unwrap_or_default();
    let doc = Document::new(catalog);
    let schema = custom
        .and_then(|c| c.schema(group, version, &located.kind))
        .or_else(|| catalog.kind(group, version, &located.kind).map(|id| doc.definition(id)));
    let (Some(resource), Some(schema)) = (catalog.resources.iter().chain(custom_resources).find(known), schema) else {
        let crd = if crate::schema::history::is_builtin_group(group) {
            ""
        } else {
            "; for a custom resource, pass its CustomResourceDefinition with `--crd PATH`"
        };
        return Err(ExplainError::Location(format!(
            "the Kubernetes {} schemas have no resource of kind `{}` in `{}`{crd}",
            catalog.version, located.kind, located.api_version
        )));
    };
    let count = locate::field_count(&doc, schema, &located.fields);
    let gvr = Gvr { group: group.into(), version: version.into(), resource: resource.plural.clone() };
    Ok(Target { gvr, fields: located.fields.iter().take(count).cloned().collect() })
}

/// Prints the explanation of a resolved target in the requested format;
/// `request.api_version`, when set, replaces its group and version.
fn explain_target(catalog: &Catalog, target: Target, request: &Request, text: &mut String) -> Result<(), ExplainError> {
    if request.output == "plaintext-openapiv2" {
        text.push_str(&explain_legacy(catalog, &target, request)?);
        Ok(())
    } else {
        explain_v3(catalog, target, request, text)
    }
}

/// kubectl's `renderOpenAPIV2`: the resource's kind, the group and version of
/// `--api-version` if given, and the definition that declares that kind.
fn explain_legacy(catalog: &Catalog, target: &Target, request: &Request) -> Result<String, ExplainError> {
    let gvr = &target.gvr;
    let kind =
        resolve::kind_for(&catalog.resources, gvr).ok_or_else(|| ExplainError::NoResourceType(gvr.resource.clone()))?;
    let (group, version) = if request.api_version.is_empty() {
        (gvr.group.clone(), gvr.version.clone())
    } else {
        resolve::parse_group_version(request.api_version)?
    };
    let id = catalog
        .kind(&group, &version, &kind)
        .ok_or_else(|| ExplainError::LegacyNoResource(format!("{group}/{version}, Kind={kind}")))?;
    let doc = Document::new(catalog);
    let group_version = crate::schema::api_version(&group, &version);
    legacy::render(&doc, id, &group_version, &kind, &target.fields, request.recursive)
}

/// The default format, the OpenAPI v3 template `plaintext`.
fn explain_v3(catalog: &Catalog, mut target: Target, request: &Request, text: &mut String) -> Result<(), ExplainError> {
    if !request.api_version.is_empty() {
        (target.gvr.group, target.gvr.version) = resolve::parse_group_version(request.api_version)?;
    }
    let gvr = &target.gvr;
    let resources = resources(catalog, request);
    if !resources.iter().any(|r| r.group == gvr.group && r.version == gvr.version) {
        return Err(ExplainError::NoOpenApiDocument(target.gvr));
    }
    if request.output != "plaintext" {
        return Err(ExplainError::UnrecognizedFormat(request.output.into()));
    }
    let kind = resources
        .iter()
        .find(|r| r.group == gvr.group && r.version == gvr.version && r.plural == gvr.resource)
        .map(|r| r.kind.as_str())
        .ok_or_else(|| ExplainError::GvrNotFound(gvr.clone()))?;
    if !gvr.group.is_empty() {
        text.push_str(&format!("GROUP:      {}\n", gvr.group));
    }
    text.push_str(&format!("KIND:       {kind}\nVERSION:    {}\n\n", gvr.version));
    let doc = Document::new(catalog);
    if let Some(schema) = request.custom.and_then(|c| c.schema(&gvr.group, &gvr.version, kind)) {
        return render_body(plaintext::render(&doc, schema, &target.fields, request.recursive), &target, text);
    }
    let id = catalog.kind(&gvr.group, &gvr.version, kind).ok_or_else(|| ExplainError::GvkNotFound {
        group: gvr.group.clone(),
        version: gvr.version.clone(),
        kind: kind.into(),
    })?;
    render_body(plaintext::render(&doc, doc.definition(id), &target.fields, request.recursive), &target, text)?;
    if request.rules {
        text.push_str(&rules::section(catalog, id, &target.fields));
    }
    Ok(())
}

/// The body of the template, or kubectl's error when the field path leads nowhere.
fn render_body(body: String, target: &Target, text: &mut String) -> Result<(), ExplainError> {
    if body.is_empty() {
        return Err(ExplainError::FieldNotFound(target.fields.last().cloned().unwrap_or_default()));
    }
    text.push_str(&body);
    text.push('\n');
    Ok(())
}
