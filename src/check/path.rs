//! Field paths inside a document, in the two forms kval prints.

/// One step of a path: a mapping key or a list index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// `spec.template.spec.containers[0].image`, the form `kubectl` messages use.
pub fn dotted(path: &[Seg<'_>]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// `/spec/template/spec/containers/0/image` (RFC 6901).
pub fn pointer(prefix: &str, path: &[Seg<'_>]) -> String {
    let mut out = prefix.to_string();
    for seg in path {
        out.push('/');
        match seg {
            Seg::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// The path without list indices, as `kval explain` takes it (`spec.containers.image`).
pub fn schema_path(path: &[Seg<'_>]) -> String {
    path.iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(*k),
            Seg::Index(_) => None,
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_both_forms() {
        let path = [Seg::Key("spec"), Seg::Key("containers"), Seg::Index(0), Seg::Key("a/b~c")];
        assert_eq!(dotted(&path), "spec.containers[0].a/b~c");
        assert_eq!(pointer("/items/2", &path), "/items/2/spec/containers/0/a~1b~0c");
        assert_eq!(schema_path(&path), "spec.containers.a/b~c");
    }
}
