//! From `kubectl explain`'s argument to a resource and a field path, the way kubectl
//! gets there: client-go's discovery REST mapper behind its short-name expander, then
//! `SplitAndParseResourceRequestWithMatchingPrefix` (or `SplitAndParseResourceRequest`
//! with `--api-version`).

use std::fmt;

use super::error::ExplainError;
use super::jsonpath::{self, Node};
use crate::schema::ApiResource;

/// A group/version/resource; displays as Go's `GroupVersionResource.String()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gvr {
    pub group: String,
    pub version: String,
    pub resource: String,
}

impl fmt::Display for Gvr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}, Resource={}", self.group, self.version, self.resource)
    }
}

impl Gvr {
    /// `deployments.apps`, or `pods` for the core group.
    fn group_resource(&self) -> String {
        if self.group.is_empty() { self.resource.clone() } else { format!("{}.{}", self.resource, self.group) }
    }
}

/// What the argument names: a resource and the field path inside it.
#[derive(Debug, PartialEq)]
pub struct Target {
    pub gvr: Gvr,
    pub fields: Vec<String>,
}

const FIRST_NODE: &str = "invalid jsonpath syntax, first node must be field node";
const ALL_NODES: &str = "invalid jsonpath syntax, all nodes must be field nodes";

/// Resolves `TYPE[.FIELD...]`. Warnings kubectl prints on the way (an ambiguous short
/// name) are pushed to `warnings`, also when an error follows.
pub fn resolve(
    resources: &[ApiResource],
    argument: &str,
    with_api_version: bool,
    warnings: &mut Vec<String>,
) -> Result<Target, ExplainError> {
    let mapper = Mapper { resources };
    let nodes = jsonpath::parse_argument(argument).map_err(ExplainError::Syntax)?;
    let Some((Node::Field(resource), rest)) = nodes.split_first() else {
        return Err(ExplainError::Syntax(FIRST_NODE.into()));
    };
    let gvrs = mapper.resources_for(resource, warnings)?;
    if with_api_version {
        // `ResourceFor` picks by group and version priority, which is discovery order.
        let gvr = gvrs.into_iter().next().ok_or_else(|| ExplainError::NoResourceType(resource.clone()))?;
        return Ok(Target { gvr, fields: field_names(rest, ALL_NODES)? });
    }
    // `deployments.apps.spec`: the first candidate whose `resource.group` prefixes the
    // argument takes the rest as its field path (its first node is the separator).
    for gvr in &gvrs {
        if let Some(suffix) = argument.strip_prefix(&gvr.group_resource()) {
            let fields = if suffix.is_empty() {
                Vec::new()
            } else {
                let nodes = jsonpath::parse_argument(suffix).map_err(ExplainError::Syntax)?;
                field_names(nodes.get(1..).unwrap_or_default(), FIRST_NODE)?
            };
            return Ok(Target { gvr: gvr.clone(), fields });
        }
    }
    let gvr = gvrs.into_iter().next().ok_or_else(|| ExplainError::NoResourceType(resource.clone()))?;
    Ok(Target { gvr, fields: field_names(rest, FIRST_NODE)? })
}

fn field_names(nodes: &[Node], message: &str) -> Result<Vec<String>, ExplainError> {
    nodes
        .iter()
        .map(|node| match node {
            Node::Field(name) => Ok(name.clone()),
            _ => Err(ExplainError::Syntax(message.into())),
        })
        .collect()
}

/// Splits `--api-version` as `schema.ParseGroupVersion` does: `v1` is the core group.
pub fn parse_group_version(text: &str) -> Result<(String, String), ExplainError> {
    if text.is_empty() || text == "/" {
        return Ok((String::new(), String::new()));
    }
    match text.matches('/').count() {
        0 => Ok((String::new(), text.into())),
        1 => {
            let (group, version) = text.split_once('/').unwrap_or_default();
            Ok((group.into(), version.into()))
        }
        _ => Err(ExplainError::BadGroupVersion(text.into())),
    }
}

/// The kind of a resolved resource (the REST mapper's `KindFor`).
pub fn kind_for(resources: &[ApiResource], gvr: &Gvr) -> Option<String> {
    let mapper = Mapper { resources };
    let names = mapper.names_in(&gvr.group, &gvr.version);
    names.into_iter().find(|(plural, _, _)| *plural == gvr.resource).map(|(_, _, kind)| kind)
}

/// client-go's discovery REST mapper over the catalog's resource list, which is in
/// discovery order: groups by priority, the preferred version first.
struct Mapper<'r> {
    resources: &'r [ApiResource],
}

impl Mapper<'_> {
    /// The short-name expander, then `ResourcesFor`: every resource the name matches
    /// as plural or singular (case-insensitively), in discovery order.
    fn resources_for(&self, name: &str, warnings: &mut Vec<String>) -> Result<Vec<Gvr>, ExplainError> {
        let (group, resource) = self.expand_short_name(name, warnings);
        let wanted = resource.to_lowercase();
        if wanted.is_empty() {
            return Err(ExplainError::ResourceRequired);
        }
        let mut found: Vec<Gvr> = Vec::new();
        for (g, v) in self.group_versions() {
            if !group.is_empty() && g != group {
                continue;
            }
            for (plural, singular, _) in self.names_in(g, v) {
                let gvr = Gvr { group: g.into(), version: v.into(), resource: plural };
                if (wanted == gvr.resource || wanted == singular) && !found.contains(&gvr) {
                    found.push(gvr);
                }
            }
        }
        if found.is_empty() {
            return Err(ExplainError::NoResourceType(resource));
        }
        Ok(found)
    }

    /// Group-versions in discovery order.
    fn group_versions(&self) -> Vec<(&str, &str)> {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for r in self.resources {
            let gv = (r.group.as_str(), r.version.as_str());
            if seen.last() != Some(&gv) && !seen.contains(&gv) {
                seen.push(gv);
            }
        }
        seen
    }

    /// The (plural, singular, kind) names a group-version's mapper knows. Besides
    /// each resource it registers a guessed `<kind>List` resource and `List`, which is
    /// why `kubectl explain podlist` resolves (and then fails later).
    fn names_in(&self, group: &str, version: &str) -> Vec<(String, String, String)> {
        let mut names = Vec::new();
        for r in self.resources.iter().filter(|r| r.group == group && r.version == version) {
            names.push((r.plural.clone(), r.singular.clone(), r.kind.clone()));
            let list = format!("{}list", r.kind.to_lowercase());
            names.push((format!("{list}s"), list, format!("{}List", r.kind)));
        }
        names.push(("lists".into(), "list".into(), "List".into()));
        names
    }

    /// client-go's `expandResourceShortcut`: a name that is some resource's plural or
    /// singular stays as is; otherwise the first resource with that short name wins,
    /// and other resources with it only earn a warning. Matching is case-sensitive.
    fn expand_short_name(&self, name: &str, warnings: &mut Vec<String>) -> (String, String) {
        if self.resources.iter().any(|r| r.plural == name || r.singular == name) {
            return (String::new(), name.into());
        }
        let mut chosen: Option<(&str, &str)> = None;
        let mut warned: Vec<(&str, &str)> = Vec::new();
        for r in self.resources.iter().filter(|r| r.short_names.iter().any(|s| s == name)) {
            let long = (r.group.as_str(), r.plural.as_str());
            match chosen {
                None => chosen = Some(long),
                // Another version of the same resource is not ambiguous.
                Some(first) if first == long => {}
                Some(_) if warned.contains(&long) => {}
                Some(_) => {
                    let group_resource =
                        if long.0.is_empty() { long.1.into() } else { format!("{}.{}", long.1, long.0) };
                    warnings
                        .push(format!("short name {name:?} could also match lower priority resource {group_resource}"));
                    warned.push(long);
                }
            }
        }
        match chosen {
            Some((group, resource)) => (group.into(), resource.into()),
            None => (String::new(), name.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Catalog, KubeVersion};

    fn target(argument: &str) -> (Result<Target, ExplainError>, Vec<String>) {
        let catalog = Catalog::get(KubeVersion::newest());
        let mut warnings = Vec::new();
        (resolve(&catalog.resources, argument, false, &mut warnings), warnings)
    }

    fn gvr(group: &str, version: &str, resource: &str) -> Gvr {
        Gvr { group: group.into(), version: version.into(), resource: resource.into() }
    }

    #[test]
    fn short_names_plurals_singulars_and_kinds() {
        for argument in ["ds.spec", "daemonsets.spec", "daemonset.spec", "DaemonSet.spec", "daemonsets.apps.spec"] {
            let (t, _) = target(argument);
            let t = t.unwrap();
            assert_eq!(t.gvr, gvr("apps", "v1", "daemonsets"), "{argument}");
            assert_eq!(t.fields, ["spec"], "{argument}");
        }
    }

    #[test]
    fn preferred_versions_and_ambiguous_short_names() {
        assert_eq!(target("hpa").0.unwrap().gvr, gvr("autoscaling", "v2", "horizontalpodautoscalers"));
        let (t, warnings) = target("ev");
        assert_eq!(t.unwrap().gvr, gvr("", "v1", "events"));
        assert_eq!(warnings, ["short name \"ev\" could also match lower priority resource events.events.k8s.io"]);
    }

    #[test]
    fn prefix_matching_quirks() {
        // `events.k8s.io` starts with the core resource `events`.
        assert_eq!(target("events.k8s.io").0.unwrap().fields, ["k8s", "io"]);
        // `ds.apps` is not a group-qualified name: `apps` is a field.
        assert_eq!(target("ds.apps.spec").0.unwrap().fields, ["apps", "spec"]);
        assert_eq!(target("podlist").0.unwrap().gvr, gvr("", "v1", "podlists"));
    }

    #[test]
    fn errors() {
        assert_eq!(target("DS").0, Err(ExplainError::NoResourceType("DS".into())));
        assert_eq!(target(".").0, Err(ExplainError::ResourceRequired));
        assert_eq!(target("po.spec[0]").0, Err(ExplainError::Syntax(FIRST_NODE.into())));
        assert_eq!(parse_group_version("a/b/c"), Err(ExplainError::BadGroupVersion("a/b/c".into())));
        assert_eq!(parse_group_version("v1"), Ok((String::new(), "v1".into())));
    }
}
