//! The corpus of real manifests (`../shared/corpus`): no error-level finding except
//! the true defects listed here, each with its reason. Warnings are counted in the
//! notes of issue 3, not asserted.

mod common;

use common::{kval, shared};

/// (rule, file under the corpus, line, reason).
const KNOWN_ERRORS: &[(&str, &str, u64, &str)] = &[
    // Schema checks (issue 2).
    (
        "unknown-kind",
        "calico/manifests/alp/istio-app-layer-policy-envoy-v3.yaml",
        1,
        "istio CRD; taken for a typo of `networking.k8s.io/v1` (schema check, to review)",
    ),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy-envoy-v3.yaml", 18, "same"),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy-envoy-v3.yaml", 29, "same"),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy-v1.6.yaml", 1, "same"),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy-v1.6.yaml", 18, "same"),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy-v1.6.yaml", 29, "same"),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy-v1.7.yaml", 1, "same"),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy-v1.7.yaml", 18, "same"),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy-v1.7.yaml", 29, "same"),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy.yaml", 1, "same"),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy.yaml", 18, "same"),
    ("unknown-kind", "calico/manifests/alp/istio-app-layer-policy.yaml", 29, "same"),
    (
        "unknown-kind",
        "kubernetes-examples/_archived/cloud-controller-manager/persistent-volume-label-initializer-config.yaml",
        1,
        "InitializerConfiguration was removed in 1.14",
    ),
    (
        "removed-api",
        "kubernetes-examples/_archived/cockroachdb/cockroachdb-statefulset.yaml",
        57,
        "policy/v1beta1 PDB, removed in 1.25",
    ),
    (
        "removed-api",
        "kubernetes-examples/_archived/newrelic-infrastructure/newrelic-infra-daemonset.yaml",
        1,
        "extensions/v1beta1, removed in 1.16",
    ),
    (
        "duplicate-key",
        "kubernetes-examples/_archived/openshift-origin/etcd-controller.yaml",
        12,
        "`selector` written twice",
    ),
    (
        "duplicate-key",
        "kubernetes-examples/_archived/openshift-origin/etcd-discovery-controller.yaml",
        12,
        "`selector` written twice",
    ),
    (
        "duplicate-key",
        "kubernetes-examples/_archived/openshift-origin/openshift-controller.yaml",
        12,
        "`selector` written twice",
    ),
    (
        "duplicate-key",
        "kubernetes-examples/_archived/persistent-volume-provisioning/quobyte/quobyte-admin-secret.yaml",
        9,
        "`type` written twice",
    ),
    (
        "removed-api",
        "kubernetes-examples/_archived/podsecuritypolicy/rbac/policies.yaml",
        1,
        "PodSecurityPolicy, removed in 1.25",
    ),
    (
        "removed-api",
        "kubernetes-examples/_archived/podsecuritypolicy/rbac/policies.yaml",
        26,
        "PodSecurityPolicy, removed in 1.25",
    ),
    (
        "unknown-kind",
        "kubernetes-examples/_archived/scheduler-policy/scheduler-policy-config.json",
        2,
        "a scheduler config file, not an API object",
    ),
    (
        "unsupported-value",
        "kubernetes-examples/_archived/volumes/aws_ebs/aws-ebs-web.yaml",
        12,
        "protocol `tcp` (must be `TCP`)",
    ),
    (
        "removed-api",
        "kubernetes-examples/_archived/volumes/azure_disk/claim/blob-based-disk/account-specified-hdd/storageclass-account-hdd.yaml",
        2,
        "storage.k8s.io/v1beta1, removed in 1.22",
    ),
    (
        "removed-api",
        "kubernetes-examples/_archived/volumes/azure_disk/claim/blob-based-disk/dedicated-hdd/storageclass-dedicated-hdd.yaml",
        2,
        "same",
    ),
    (
        "removed-api",
        "kubernetes-examples/_archived/volumes/azure_disk/claim/blob-based-disk/shared-hdd/storageclass-shared-hdd.yaml",
        2,
        "same",
    ),
    (
        "removed-api",
        "kubernetes-examples/_archived/volumes/azure_disk/claim/blob-based-disk/shared-ssd/storageclass-shared-ssd.yaml",
        2,
        "same",
    ),
    (
        "removed-api",
        "kubernetes-examples/_archived/volumes/azure_disk/claim/managed-disk/managed-hdd/storageclass-managed-hdd.yaml",
        2,
        "same",
    ),
    (
        "removed-api",
        "kubernetes-examples/_archived/volumes/azure_disk/claim/managed-disk/managed-ssd/storageclass-managed-ssd.yaml",
        2,
        "same",
    ),
    (
        "unsupported-value",
        "kubernetes-examples/_archived/volumes/cinder/cinder-web.yaml",
        12,
        "protocol `tcp` (must be `TCP`)",
    ),
    ("invalid-type", "kubernetes-examples/_archived/volumes/fibre_channel/fc.yaml", 17, "`lun: \"0\"` is a string"),
    (
        "removed-api",
        "kubernetes-examples/_archived/volumes/flexvolume/deploy/ds.yaml",
        1,
        "extensions/v1beta1, removed in 1.16",
    ),
    ("unknown-field", "kubernetes-examples/_archived/volumes/rbd/rbd.yaml", 25, "not an RBD volume field"),
    ("unknown-field", "kubernetes-examples/_archived/volumes/rbd/rbd.yaml", 26, "not an RBD volume field"),
    ("unknown-field", "kubernetes-examples/_archived/volumes/scaleio/pod.yaml", 17, "typo `protectionDoamin`"),
    (
        "duplicate-key",
        "kubernetes-examples/_archived/volumes/scaleio/sc-pvc.yaml",
        12,
        "`storageClassName` written twice",
    ),
    (
        "unknown-field",
        "kubernetes-examples/_archived/volumes/storageos/storageos-pod.yaml",
        35,
        "StorageOS volume fields removed",
    ),
    (
        "unknown-field",
        "kubernetes-examples/_archived/volumes/storageos/storageos-pv.yaml",
        22,
        "StorageOS volume fields removed",
    ),
    // Rules (issue 3).
    (
        "invalid-name",
        "kubernetes-examples/_archived/storage/vitess/vttablet-pod-template.yaml",
        4,
        "a template with `{{uid}}` placeholders, not a manifest",
    ),
    (
        "invalid-label",
        "kubernetes-examples/_archived/storage/vitess/vttablet-pod-template.yaml",
        7,
        "same template: `{{keyspace}}`",
    ),
    (
        "invalid-label",
        "kubernetes-examples/_archived/storage/vitess/vttablet-pod-template.yaml",
        8,
        "same template: `{{shard_label}}`",
    ),
    (
        "invalid-label",
        "kubernetes-examples/_archived/storage/vitess/vttablet-pod-template.yaml",
        9,
        "same template: `{{alias}}`",
    ),
];

#[test]
fn corpus_has_no_unexpected_errors() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let out = kval().args(["lint", "--ignore-missing-schemas", "--output", "json"]).arg(&corpus).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let prefix = format!("{}/", corpus.display());
    let mut errors: Vec<(String, String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            let file = f["file"].as_str().unwrap_or("");
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                file.strip_prefix(&prefix).unwrap_or(file).to_string(),
                f["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    errors.sort();
    let mut known: Vec<(String, String, u64)> =
        KNOWN_ERRORS.iter().map(|(r, f, l, _)| (r.to_string(), f.to_string(), *l)).collect();
    known.sort();
    let unexpected: Vec<_> = errors.iter().filter(|e| !known.contains(e)).collect();
    let gone: Vec<_> = known.iter().filter(|k| !errors.contains(k)).collect();
    assert!(unexpected.is_empty(), "errors not in the known list: {unexpected:#?}");
    assert!(gone.is_empty(), "known errors no longer reported (update the list): {gone:#?}");
}
