//! Helm charts and Kustomize roots, rendered with the real tools into manifests
//! whose findings point back at the files a person edits.

use crate::discover::{Root, RootKind};

/// The note for a root that is not rendered: its files are not linted as plain YAML.
pub fn not_rendered(root: &Root) -> String {
    let what = match root.kind {
        RootKind::Chart => "a Helm chart",
        RootKind::Kustomize => "a Kustomize root",
    };
    format!("{}: skipped, {what} that is not rendered; its files are not manifests to lint one by one", root.name())
}
