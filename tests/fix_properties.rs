//! Property test of the fix catalogue: random manifests with random fixable
//! mistakes, written in block or flow style with comments, are fixed by `--fix`'s
//! machinery; the fixed text must read back as the value tree the generator meant
//! (not as kval reads the mistake), keep every comment, and fix nothing more on a
//! second pass.

// Test code: a panic here is a failing test (the panic lints are for kval itself).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::string_slice, clippy::panic)]

use kval::fix;
use kval::limits::Limits;
use kval::lint::{LintOptions, lint_text};
use proptest::prelude::*;
use serde_json::{Value, json};

/// One mistake from the catalogue: how it is written, and what was meant.
#[derive(Clone, Debug)]
struct Case {
    label_value: &'static str,
    port_quoted: bool,
    ttl_nested: bool,
    service_account: bool,
    typo: bool,
    flow_labels: bool,
    comment: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec!["yes", "off", "0644", "1.10", "8080", "web"]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(label_value, port_quoted, ttl_nested, service_account, typo, flow_labels, comment)| Case {
            label_value,
            port_quoted,
            ttl_nested,
            service_account,
            typo,
            flow_labels,
            comment,
        })
}

/// The manifest as written (with the mistakes) and the value tree meant.
fn manifest(c: &Case) -> (String, Value) {
    let comment = if c.comment { "  # keep me" } else { "" };
    let labels = if c.flow_labels {
        format!("      labels: {{app: job, tier: {}}}{comment}\n", c.label_value)
    } else {
        format!("      labels:\n        app: job\n        tier: {}{comment}\n", c.label_value)
    };
    let ttl = if c.ttl_nested {
        "  ttlSecondsAfterFinished:\n    ttlSecondsAfterFinished: 60\n"
    } else {
        "  ttlSecondsAfterFinished: 60\n"
    };
    let sa = if c.service_account { "serviceAccount" } else { "serviceAccountName" };
    let policy = if c.typo { "imagePulPolicy" } else { "imagePullPolicy" };
    let port = if c.port_quoted { "\"8080\"" } else { "8080" };
    let text = format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job\nspec:\n{ttl}  template:\n  \
         # the Pod\n    metadata:\n{labels}    spec:\n      restartPolicy: Never\n      {sa}: runner\n      \
         containers:\n      - name: main\n        image: busybox:1.36\n        {policy}: IfNotPresent\n        \
         ports:\n        - containerPort: {port}\n"
    );
    let meant = json!({
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "job"},
        "spec": {
            "ttlSecondsAfterFinished": 60,
            "template": {
                "metadata": {"labels": {"app": "job", "tier": c.label_value}},
                "spec": {
                    "restartPolicy": "Never", "serviceAccountName": "runner",
                    "containers": [{"name": "main", "image": "busybox:1.36", "imagePullPolicy": "IfNotPresent",
                                    "ports": [{"containerPort": 8080}]}]
                }
            }
        }
    });
    (text, meant)
}

fn tree(text: &str) -> Value {
    let stream = kval::yaml::load(text, &Limits::default());
    assert!(stream.errors.is_empty(), "{:?}\n{text}", stream.errors);
    stream.documents[0].root.to_json()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn fixes_give_the_meant_tree_keep_comments_and_are_stable(c in case()) {
        let (text, meant) = manifest(&c);
        let options = LintOptions::default();
        let first = lint_text("job.yaml", &text, &options);
        let fixed = fix::fix_all(&first.findings, &options, false);
        let out = fixed.first().map_or(text.clone(), |f| f.fixed.clone());
        // Object order differs between the trees only where a key was renamed.
        let mut got = tree(&out);
        sort(&mut got);
        let mut meant = meant;
        sort(&mut meant);
        prop_assert_eq!(got, meant, "fixed text:\n{}", out);
        prop_assert_eq!(text.matches('#').count(), out.matches('#').count());
        let again = lint_text("job.yaml", &out, &options);
        prop_assert_eq!(fix::fixable(&again.findings).0, 0);
        prop_assert!(fix::fix_all(&again.findings, &options, false).is_empty());
    }
}

/// Sorts object keys, so that trees compare by content.
fn sort(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, mut v) in entries {
                sort(&mut v);
                map.insert(k, v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(sort),
        _ => {}
    }
}
