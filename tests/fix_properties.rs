//! Property test of the fix catalogue: random manifests with random fixable mistakes
//! (YAML 1.1 scalars in labels, annotations and env values, a quoted port or one in
//! words, a nested `ttlSecondsAfterFinished`, `serviceAccount`, a misspelled field,
//! an enum value or a quantity unit in the wrong case, and, unsafe, a field at the
//! wrong level), written in block or flow style with comments, are fixed
//! by `--fix --unsafe-fixes`'s machinery; the fixed text must read back as the value
//! tree the generator meant (not as kval reads the mistake), keep every comment, and
//! fix nothing more on a second pass.

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
    /// 8080, written as a number, a quoted number, or in words.
    port: &'static str,
    /// `IfNotPresent`, maybe in the wrong case.
    pull_policy: &'static str,
    /// `128Mi`, maybe in the wrong case or with a `B`.
    memory: &'static str,
    ttl_nested: bool,
    service_account: bool,
    typo: bool,
    flow_labels: bool,
    comment: bool,
    /// Written plain in an env value and an annotation (`8080`, `yes`): quoted by the fix.
    env_value: &'static str,
    /// `imagePullSecrets` written in the container: moved to the Pod spec (unsafe).
    misplaced_secrets: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec!["yes", "off", "0644", "1.10", "8080", "web"]),
        (
            prop::sample::select(vec!["8080", "\"8080\"", "eight thousand eighty", "'eight thousand eighty'"]),
            prop::sample::select(vec!["IfNotPresent", "ifNotPresent", "ifnotpresent"]),
            prop::sample::select(vec!["128Mi", "128mi", "128MiB", "\"128MI\""]),
        ),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec!["8080", "yes", "on", "0644", "web"]),
        any::<bool>(),
    )
        .prop_map(
            |(
                label_value,
                (port, pull_policy, memory),
                ttl_nested,
                service_account,
                typo,
                flow_labels,
                comment,
                env_value,
                misplaced,
            )| {
                Case {
                    label_value,
                    port,
                    pull_policy,
                    memory,
                    ttl_nested,
                    service_account,
                    typo,
                    flow_labels,
                    comment,
                    env_value,
                    misplaced_secrets: misplaced,
                }
            },
        )
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
    let (port, pull_policy, memory) = (c.port, c.pull_policy, c.memory);
    let secrets = if c.misplaced_secrets {
        "        imagePullSecrets:\n        # the registry\n        - name: regcred\n"
    } else {
        ""
    };
    let env = c.env_value;
    let text = format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job\n  annotations:\n    flag: {env}{comment}\nspec:\n\
         {ttl}  template:\n  # the Pod\n    metadata:\n{labels}    spec:\n      restartPolicy: Never\n      \
         {sa}: runner\n      containers:\n      - name: main\n        image: busybox:1.36\n        \
         {policy}: {pull_policy}\n        resources: {{limits: {{memory: {memory}}}}}\n        env:\n        - name: FLAG\n          value: {env}\n{secrets}        \
         ports:\n        - containerPort: {port}\n"
    );
    let mut meant = json!({
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "job", "annotations": {"flag": env}},
        "spec": {
            "ttlSecondsAfterFinished": 60,
            "template": {
                "metadata": {"labels": {"app": "job", "tier": c.label_value}},
                "spec": {
                    "restartPolicy": "Never", "serviceAccountName": "runner",
                    "containers": [{"name": "main", "image": "busybox:1.36", "imagePullPolicy": "IfNotPresent",
                                    "resources": {"limits": {"memory": "128Mi"}},
                                    "env": [{"name": "FLAG", "value": env}],
                                    "ports": [{"containerPort": 8080}]}]
                }
            }
        }
    });
    if c.misplaced_secrets {
        meant["spec"]["template"]["spec"]["imagePullSecrets"] = json!([{"name": "regcred"}]);
    }
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
        // Unsafe fixes too (the move), but not the security hardening, which adds fields.
        let mut options = LintOptions::default();
        for rule in ["net-raw-not-dropped", "run-as-root", "writable-root-filesystem", "privilege-escalation"] {
            options.rules.disable(rule).unwrap();
        }
        let first = lint_text("job.yaml", &text, &options);
        let fixed = fix::fix_all(&first.findings, &options, true);
        let out = fixed.first().map_or(text.clone(), |f| f.fixed.clone());
        // Object order differs between the trees only where a key was renamed.
        let mut got = tree(&out);
        sort(&mut got);
        let mut meant = meant;
        sort(&mut meant);
        prop_assert_eq!(got, meant, "fixed text:\n{}", out);
        prop_assert_eq!(text.matches('#').count(), out.matches('#').count());
        let again = lint_text("job.yaml", &out, &options);
        prop_assert_eq!(fix::fixable(&again.findings), (0, 0));
        prop_assert!(fix::fix_all(&again.findings, &options, true).is_empty());
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
