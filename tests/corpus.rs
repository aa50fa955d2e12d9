//! Real manifests from five public projects (`../shared/corpus/`): kval reports no false
//! error. Every error-level finding must be a known true defect listed, with its reason,
//! in `tests/corpus-defects.tsv`, and every listed defect must still be found.
//!
//! The corpus holds the CustomResourceDefinitions of the Prometheus Operator, Calico
//! and Argo CD: their custom resources are validated against them; the Istio ones,
//! whose CRDs are not in the corpus, are listed as expected "no schema" findings.

mod common;

use std::collections::BTreeSet;

#[test]
fn corpus_has_no_false_errors() {
    let Some(shared) = common::shared() else { return };
    let corpus = shared.join("corpus");
    let out = common::kval().args(["lint", "--output", "json"]).arg(&corpus).output().expect("run kval");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let prefix = format!("{}/", corpus.display());
    let found: BTreeSet<(String, u64, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            let file = f["file"].as_str().unwrap_or_default();
            let file = file.strip_prefix(&prefix).unwrap_or(file).to_string();
            (file, f["start"]["line"].as_u64().unwrap_or(0), f["rule"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    let expected: BTreeSet<(String, u64, String)> = include_str!("corpus-defects.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols[0].to_string(), cols[1].parse().expect("line number"), cols[2].to_string())
        })
        .collect();
    let custom = &json["summary"]["customResources"];
    assert!(custom["crds"].as_u64().unwrap_or(0) >= 100, "CRDs registered: {custom}");
    assert!(custom["validated"].as_u64().unwrap_or(0) >= 30, "custom resources validated: {custom}");
    assert_eq!(custom["withoutCrd"], 12, "custom resources without their CRD (Istio): {custom}");
    let unexpected: Vec<_> = found.difference(&expected).collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    assert!(unexpected.is_empty(), "errors not known as true defects (false errors?): {unexpected:#?}");
    assert!(missing.is_empty(), "known defects no longer reported: {missing:#?}");
}
