//! Admission, offline: Pod Security levels from namespaces and `--pod-security`.

#[macro_use]
mod common;

use common::fixture;

lint_snapshot!(
    pod_security_from_namespace_labels,
    &fixture("admission/pod-security.yaml"),
    "--disable",
    "missing-cpu-request",
    "--disable",
    "missing-memory-limit",
    "--disable",
    "writable-root-filesystem",
    "--disable",
    "latest-tag"
);
lint_snapshot!(pod_security_default_level, &fixture("admission/no-namespace.yaml"), "--pod-security", "baseline", "-q");
lint_snapshot!(pod_security_without_a_level, &fixture("admission/no-namespace.yaml"), "-q");
lint_snapshot!(pod_security_invalid_level, &fixture("admission/no-namespace.yaml"), "--pod-security", "strict:v1.30");
lint_snapshot!(pod_security_audit, &fixture("admission/audit.yaml"), "--enable", "pod-security-audit", "-q");
lint_snapshot!(
    admission_policies_from_the_documentation,
    "--policy",
    &fixture("admission/policy/replicas.yaml"),
    &fixture("admission/policy/apps.yaml"),
    "--disable",
    "missing-cpu-request",
    "--disable",
    "missing-memory-limit",
    "--disable",
    "writable-root-filesystem",
    "--disable",
    "run-as-root",
    "--disable",
    "net-raw-not-dropped",
    "--disable",
    "no-anti-affinity",
    "-q"
);
lint_snapshot!(admission_policy_that_does_not_compile, &fixture("admission/policy/invalid.yaml"));
lint_snapshot!(
    admission_policy_json,
    &fixture("admission/policy/"),
    "-o",
    "json",
    "--enable",
    "admission-policy-audit",
    "--disable",
    "missing-cpu-request",
    "--disable",
    "missing-memory-limit",
    "--disable",
    "writable-root-filesystem",
    "--disable",
    "run-as-root",
    "--disable",
    "net-raw-not-dropped",
    "--disable",
    "no-anti-affinity"
);
