//! apiVersions that Kubernetes stopped serving, and what replaced them.
//!
//! Removals since 1.26 can be read off the embedded data (a kind present in one
//! version's schemas and absent from the next); this table covers the ones before
//! the oldest embedded version (1.25) and names the replacement for all of them.
//! Source: the Kubernetes deprecation guide, as collected by Pluto's `versions.yaml`.
//! A test checks the table against the embedded data.

/// A removed apiVersion for some kinds.
pub struct Removal {
    pub api_version: &'static str,
    /// Kinds it covers; empty means every kind of that apiVersion.
    pub kinds: &'static [&'static str],
    /// The minor version that removed it (`16` for 1.16).
    pub removed_in: u32,
    /// The apiVersion to use instead, or what to do when there is none.
    pub replacement: Replacement,
}

pub enum Replacement {
    ApiVersion(&'static str),
    None(&'static str),
}

const fn r(api_version: &'static str, kinds: &'static [&'static str], removed_in: u32, to: &'static str) -> Removal {
    Removal { api_version, kinds, removed_in, replacement: Replacement::ApiVersion(to) }
}

pub static REMOVALS: &[Removal] = &[
    r("extensions/v1beta1", &["Deployment", "DaemonSet", "ReplicaSet"], 16, "apps/v1"),
    r("extensions/v1beta1", &["NetworkPolicy"], 16, "networking.k8s.io/v1"),
    Removal {
        api_version: "extensions/v1beta1",
        kinds: &["PodSecurityPolicy"],
        removed_in: 16,
        replacement: Replacement::None("PodSecurityPolicy was removed in 1.25; use Pod Security Admission"),
    },
    r("extensions/v1beta1", &["Ingress"], 22, "networking.k8s.io/v1"),
    r("apps/v1beta1", &[], 16, "apps/v1"),
    r("apps/v1beta2", &[], 16, "apps/v1"),
    r("scheduling.k8s.io/v1alpha1", &["PriorityClass"], 17, "scheduling.k8s.io/v1"),
    r("scheduling.k8s.io/v1beta1", &["PriorityClass"], 22, "scheduling.k8s.io/v1"),
    r("networking.k8s.io/v1beta1", &["Ingress", "IngressClass"], 22, "networking.k8s.io/v1"),
    r("apiextensions.k8s.io/v1beta1", &["CustomResourceDefinition"], 22, "apiextensions.k8s.io/v1"),
    r(
        "admissionregistration.k8s.io/v1beta1",
        &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
        22,
        "admissionregistration.k8s.io/v1",
    ),
    r("rbac.authorization.k8s.io/v1alpha1", &[], 22, "rbac.authorization.k8s.io/v1"),
    r("rbac.authorization.k8s.io/v1beta1", &[], 22, "rbac.authorization.k8s.io/v1"),
    r("storage.k8s.io/v1beta1", &["CSINode", "CSIDriver", "StorageClass", "VolumeAttachment"], 22, "storage.k8s.io/v1"),
    r("apiregistration.k8s.io/v1beta1", &["APIService"], 22, "apiregistration.k8s.io/v1"),
    r("authentication.k8s.io/v1beta1", &["TokenReview"], 22, "authentication.k8s.io/v1"),
    r("authorization.k8s.io/v1beta1", &[], 22, "authorization.k8s.io/v1"),
    r("certificates.k8s.io/v1beta1", &["CertificateSigningRequest"], 22, "certificates.k8s.io/v1"),
    r("coordination.k8s.io/v1beta1", &["Lease"], 22, "coordination.k8s.io/v1"),
    r("batch/v1beta1", &["CronJob"], 25, "batch/v1"),
    Removal {
        api_version: "policy/v1beta1",
        kinds: &["PodSecurityPolicy"],
        removed_in: 25,
        replacement: Replacement::None("PodSecurityPolicy has no replacement API; use Pod Security Admission"),
    },
    r("policy/v1beta1", &["PodDisruptionBudget"], 25, "policy/v1"),
    r("autoscaling/v2beta1", &["HorizontalPodAutoscaler"], 25, "autoscaling/v2"),
    r("node.k8s.io/v1beta1", &["RuntimeClass"], 25, "node.k8s.io/v1"),
    r("events.k8s.io/v1beta1", &["Event"], 25, "events.k8s.io/v1"),
    r("discovery.k8s.io/v1beta1", &["EndpointSlice"], 25, "discovery.k8s.io/v1"),
    r("autoscaling/v2beta2", &["HorizontalPodAutoscaler"], 26, "autoscaling/v2"),
    r(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        &["FlowSchema", "PriorityLevelConfiguration"],
        26,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    r("storage.k8s.io/v1beta1", &["CSIStorageCapacity"], 27, "storage.k8s.io/v1"),
    r(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        &["FlowSchema", "PriorityLevelConfiguration"],
        29,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    r(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        &["FlowSchema", "PriorityLevelConfiguration"],
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    r("authentication.k8s.io/v1beta1", &["SelfSubjectReview"], 33, "authentication.k8s.io/v1"),
    r(
        "admissionregistration.k8s.io/v1beta1",
        &["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"],
        34,
        "admissionregistration.k8s.io/v1",
    ),
    r("networking.k8s.io/v1beta1", &["IPAddress", "ServiceCIDR"], 37, "networking.k8s.io/v1"),
    r("storage.k8s.io/v1beta1", &["VolumeAttributesClass"], 37, "storage.k8s.io/v1"),
];

/// The removal of `api_version` for `kind`, if the table has one.
pub fn find(api_version: &str, kind: &str) -> Option<&'static Removal> {
    REMOVALS.iter().find(|r| r.api_version == api_version && (r.kinds.is_empty() || r.kinds.contains(&kind)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Catalog, KubeVersion, api_version};

    /// Every GA or beta kind that disappears between two embedded versions is in the
    /// table with that removal version, and nothing in the table is still served.
    #[test]
    fn table_matches_embedded_data() {
        let versions: Vec<KubeVersion> = KubeVersion::supported().collect();
        for pair in versions.windows(2) {
            let (old, new) = (Catalog::get(pair[0]), Catalog::get(pair[1]));
            for (g, v, k) in old.kinds() {
                let still_served = new.kind(g, v, k).is_some();
                let is_resource = old.resources.iter().any(|r| r.group == g && r.version == v && r.kind == k);
                if still_served || v.contains("alpha") || !is_resource {
                    continue;
                }
                let av = api_version(g, v);
                let removal = find(&av, k).unwrap_or_else(|| panic!("{av} {k} removed in {} is not listed", pair[1]));
                assert_eq!(removal.removed_in, pair[1].minor, "{av} {k}");
            }
        }
        for removal in REMOVALS {
            for v in &versions {
                if v.minor >= removal.removed_in {
                    let (g, ver) = crate::schema::split_api_version(removal.api_version);
                    for k in removal.kinds {
                        assert!(
                            Catalog::get(*v).kind(g, ver, k).is_none(),
                            "{} {k} served in {v}",
                            removal.api_version
                        );
                    }
                }
            }
        }
    }
}
