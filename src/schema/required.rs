//! Which fields the built-in schemas mark required but the API server lets be absent.
//!
//! The served OpenAPI marks every field without `omitempty` required, but for
//! built-in kinds only the Go validation (`pkg/apis/*/validation`) rejects an
//! object, and it accepts these fields absent (their zero value): reporting them
//! would be a false error. Custom resources are different: their structural schema's
//! `required` is enforced as written.

/// Whether the API server of Kubernetes 1.`minor` accepts an object of built-in
/// definition `def` (short name) without `field`.
pub fn absent_accepted(def: &str, field: &str, minor: u32) -> bool {
    match (def, field) {
        // validateHTTPGetAction checks only the header's name.
        ("HTTPHeader", "value")
        // validateSysctls checks only the name.
        | ("Sysctl", "value")
        // ValidatePreferredSchedulingTerms: an empty NodeSelectorTerm is valid.
        | ("PreferredSchedulingTerm", "preference")
        // validatePodFailurePolicy limits the number of rules, none is fine.
        | ("PodFailurePolicy", "rules")
        // validateISCSIVolumeSource: LUN 0 is in the range 0-255.
        | ("ISCSIVolumeSource" | "ISCSIPersistentVolumeSource", "lun") => true,
        // validateSleepAction accepts 0 seconds with PodLifecycleSleepActionAllowZero
        // (beta, on by default, in 1.33).
        ("SleepAction", "seconds") => minor >= 33,
        _ => false,
    }
}
