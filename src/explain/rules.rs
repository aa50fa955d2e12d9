//! `--rules`: after kubectl's output, the kval rules that check the explained field.

use crate::rules::checking;
use crate::schema::{Catalog, DefId, Schema};

/// A `kval rules:` section for the last field of `fields` in the definition `def`,
/// or nothing when no rule checks it.
pub fn section(catalog: &Catalog, def: DefId, fields: &[String]) -> String {
    let Some((owner, field)) = owner(catalog, def, fields) else { return String::new() };
    let rules = checking(owner, field);
    if rules.is_empty() {
        return String::new();
    }
    let mut out = String::from("kval rules:\n");
    for rule in rules {
        out.push_str(&format!("  {} ({}): {}\n", rule.id, rule.severity, rule.summary));
    }
    out.push('\n');
    out
}

/// The definition that declares the last field of the path, and that field's name.
/// Lists and maps are walked through, as `explain` walks them.
fn owner<'a>(catalog: &'a Catalog, def: DefId, fields: &'a [String]) -> Option<(&'a str, &'a str)> {
    let (last, parents) = fields.split_last()?;
    let mut schema = elements(catalog, catalog.schema(def));
    for name in parents {
        schema = elements(catalog, catalog.resolve(schema.property(name)?));
    }
    schema.property(last)?;
    Some((schema.type_name.as_deref()?, last.as_str()))
}

/// The schema of the elements of a list or the values of a map; the schema itself
/// otherwise.
fn elements<'a>(catalog: &'a Catalog, mut schema: &'a Schema) -> &'a Schema {
    while let Some(inner) = schema.items.as_ref().or(schema.additional.as_ref()) {
        schema = catalog.resolve(inner);
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::KubeVersion;

    fn rules_for(kind: (&str, &str, &str), path: &str) -> String {
        let catalog = Catalog::get(KubeVersion::newest());
        let def = catalog.kind(kind.0, kind.1, kind.2).unwrap();
        let fields: Vec<String> = path.split('.').map(str::to_string).collect();
        section(catalog, def, &fields)
    }

    #[test]
    fn names_the_rules_of_a_field() {
        let text = rules_for(("apps", "v1", "Deployment"), "spec.template.spec.containers.image");
        assert!(text.starts_with("kval rules:\n"), "{text}");
        assert!(text.contains("latest-tag"), "{text}");
        assert!(text.contains("  latest-tag (warning): "), "{text}");
    }

    #[test]
    fn nothing_for_unchecked_or_unknown_fields() {
        assert_eq!(rules_for(("apps", "v1", "Deployment"), "spec.paused"), "");
        assert_eq!(rules_for(("apps", "v1", "Deployment"), "spec.nope.image"), "");
    }
}
