//! The Pod Security checks against the admission plugin's own test fixtures
//! (k8s.io/pod-security-admission `test/testdata/{level}/v1.{minor}/{pass,fail}`,
//! copied to `../shared/upstream/pod-security-admission`): every `pass` Pod passes
//! at its level and version, and every `fail` Pod fails the check its file is named
//! after (`runasnonroot1.yaml`), or the restricted check that replaces it.

mod common;

use std::path::Path;

use kval::admission::pod_security::checks::CHECKS;
use kval::admission::pod_security::{Level, LevelVersion, Version};
use kval::document::Document;
use kval::limits::Limits;
use kval::rules::pod::PodTemplate;
use kval::source::SourceFile;

/// The newest cluster: a fixture's version is what the test asks for.
const CLUSTER: u32 = 37;

/// The checks a fixture fails, or `None` when it cannot be read as a Pod.
fn failed_checks(path: &Path, level: LevelVersion) -> Option<Vec<&'static str>> {
    let text = std::fs::read_to_string(path).ok()?;
    let source = SourceFile::new(path.display().to_string(), text, 0);
    let stream = kval::yaml::load(&source.text, &Limits::default());
    if !stream.errors.is_empty() {
        return None;
    }
    let docs = Document::from_stream(&source, stream, &mut Vec::new());
    let pod = PodTemplate::of(docs.first()?)?;
    Some(level.evaluate(&pod, CLUSTER).into_iter().map(|f| f.check).collect())
}

/// The check a fixture is named after, or one that replaces it at this level.
fn names(check: &str, file_check: &str) -> bool {
    let lower = check.to_ascii_lowercase();
    lower == file_check
        || CHECKS.iter().any(|c| c.id == check && c.overrides.is_some_and(|o| o.to_ascii_lowercase() == file_check))
}

#[test]
fn upstream_fixtures_agree() {
    let Some(shared) = common::shared() else { return };
    let root = shared.join("upstream/pod-security-admission/test/testdata");
    if !root.is_dir() {
        eprintln!("notice: {} is absent; skipping this test", root.display());
        return;
    }
    let (mut agree, mut disagree) = (0, Vec::new());
    for level in ["baseline", "restricted"] {
        for version in std::fs::read_dir(root.join(level)).unwrap() {
            let version = version.unwrap().path();
            let name = version.file_name().unwrap().to_string_lossy().into_owned();
            let lv = LevelVersion { level: Level::parse(level).unwrap(), version: Version::parse(&name).unwrap() };
            for outcome in ["pass", "fail"] {
                let Ok(files) = std::fs::read_dir(version.join(outcome)) else { continue };
                for file in files {
                    let path = file.unwrap().path();
                    let failed = failed_checks(&path, lv).unwrap();
                    let stem = path.file_stem().unwrap().to_string_lossy();
                    let file_check = stem.trim_end_matches(|c: char| c.is_ascii_digit());
                    let ok = match outcome {
                        "pass" => failed.is_empty(),
                        _ => failed.iter().any(|c| names(c, file_check)),
                    };
                    if ok {
                        agree += 1;
                    } else {
                        disagree.push(format!("{} ({lv}): {failed:?}", path.display()));
                    }
                }
            }
        }
    }
    eprintln!("{agree} fixtures agree, {} disagree", disagree.len());
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
    assert!(agree > 4000, "only {agree} fixtures");
}

/// The words of the API server's rejection, as the Kubernetes documentation shows
/// them for a Pod without a securityContext in a `restricted` namespace: the failed
/// checks, in order, joined as the plugin's `AggregateCheckResult` joins them.
#[test]
fn rejection_message_matches_the_api_server() {
    let text =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: nginx\n";
    let source = SourceFile::new("pod.yaml", text.to_string(), 0);
    let docs = Document::from_stream(&source, kval::yaml::load(text, &Limits::default()), &mut Vec::new());
    let pod = PodTemplate::of(&docs[0]).unwrap();
    let restricted = LevelVersion::parse("restricted").unwrap();
    let detail: Vec<String> =
        restricted.evaluate(&pod, CLUSTER).iter().map(|f| format!("{} ({})", f.reason, f.detail)).collect();
    assert_eq!(
        format!("violates PodSecurity \"{restricted}\": {}", detail.join(", ")),
        "violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"app\" must set \
         securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"app\" must set \
         securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"app\" must set \
         securityContext.runAsNonRoot=true), seccompProfile (pod or container \"app\" must set \
         securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")"
    );
    let baseline = LevelVersion::parse("baseline").unwrap();
    assert!(baseline.evaluate(&pod, CLUSTER).is_empty());
}
