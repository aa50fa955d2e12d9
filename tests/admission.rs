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
