//! Every rule, and which of them a run uses at which severity.

use std::collections::HashMap;

use super::{
    Check, Context, Rule, RunContext, admission, api_validation as api, best_practice as practice, correctness,
    deprecation, schema, security, suppression,
};
use crate::document::Document;
use crate::finding::Severity;

/// Every rule kval has, in the order `kval rules` lists them.
pub static ALL: &[&Rule] = &[
    &schema::YAML_SYNTAX,
    &schema::DUPLICATE_KEY,
    &schema::YAML_KEY_CONVERTED,
    &schema::LIMIT_EXCEEDED,
    &schema::IO_ERROR,
    &schema::INVALID_ENCODING,
    &schema::INVALID_DOCUMENT,
    &schema::NO_OBJECTS,
    &schema::NOT_KUBERNETES,
    &schema::RENDER_FAILED,
    &schema::RENDER_UNAVAILABLE,
    &schema::INVALID_VALUES,
    &schema::INTERNAL_ERROR,
    &schema::MISSING_API_VERSION,
    &schema::MISSING_KIND,
    &schema::UNKNOWN_KIND,
    &schema::REMOVED_API,
    &schema::UNKNOWN_FIELD,
    &schema::INVALID_TYPE,
    &schema::REQUIRED_FIELD,
    &schema::UNSUPPORTED_VALUE,
    &schema::INVALID_FORMAT,
    &schema::INVALID_QUANTITY,
    &schema::INVALID_VALUE,
    &schema::DUPLICATE_VALUE,
    &schema::VALIDATION_RULE,
    &schema::INVALID_CRD,
    &api::SELECTOR_MISMATCH,
    &api::INVALID_RESTART_POLICY,
    &api::INVALID_NAME,
    &api::INVALID_LABEL,
    &api::INVALID_ANNOTATION,
    &api::DUPLICATE_CONTAINER_NAME,
    &api::INVALID_PORT,
    &api::DUPLICATE_PORT,
    &api::UNDEFINED_VOLUME,
    &api::DUPLICATE_VOLUME_NAME,
    &api::REQUESTS_ABOVE_LIMITS,
    &api::INVALID_SERVICE,
    &api::INVALID_PVC,
    &api::INVALID_INGRESS,
    &api::INVALID_NETWORK_POLICY,
    &api::INVALID_RBAC,
    &api::INVALID_JOB,
    &api::NEGATIVE_VALUE,
    &api::INVALID_SCHEDULE,
    &api::INVALID_HPA_REPLICAS,
    &api::INVALID_HPA_METRICS,
    &api::INVALID_PDB,
    &api::INVALID_UPDATE_STRATEGY,
    &api::FORBIDDEN_ACTIVE_DEADLINE,
    &api::INVALID_CONTAINER,
    &api::API_SERVER_WARNING,
    &api::INVALID_CONFIGMAP,
    &api::INVALID_SECRET,
    &api::INVALID_ENV,
    &api::INVALID_VOLUME,
    &api::INVALID_DNS,
    &api::INVALID_SCHEDULING,
    &api::INVALID_SECURITY_CONTEXT,
    &correctness::QUOTED_SHELL_SCRIPT,
    &correctness::DUPLICATE_ENV_VAR,
    &correctness::MISSING_GOVERNING_SERVICE,
    &correctness::GOVERNING_SERVICE_NOT_HEADLESS,
    &correctness::LONG_STATEFULSET_NAME,
    &correctness::MISSING_SERVICE_ACCOUNT,
    &correctness::DANGLING_SERVICE,
    &correctness::DANGLING_HPA,
    &correctness::DANGLING_INGRESS,
    &correctness::DANGLING_PDB,
    &correctness::PDB_WITHOUT_BUDGET,
    &correctness::PDB_BLOCKS_EVICTION,
    &correctness::DANGLING_NETWORK_POLICY,
    &correctness::DUPLICATE_OBJECT,
    &practice::LATEST_TAG,
    &practice::MISSING_CPU_REQUEST,
    &practice::MISSING_MEMORY_LIMIT,
    &practice::MISSING_PROBE,
    &practice::PROBE_PORT_NOT_EXPOSED,
    &practice::NO_ANTI_AFFINITY,
    &practice::DEPRECATED_SERVICE_ACCOUNT,
    &security::PRIVILEGED_CONTAINER,
    &security::PRIVILEGE_ESCALATION,
    &security::HOST_NETWORK,
    &security::HOST_PID,
    &security::HOST_IPC,
    &security::RUN_AS_ROOT,
    &security::WRITABLE_ROOT_FILESYSTEM,
    &security::NET_RAW_NOT_DROPPED,
    &security::SENSITIVE_HOST_MOUNT,
    &security::DOCKER_SOCK_MOUNT,
    &security::UNSAFE_SYSCTL,
    &security::SECRET_IN_ENV,
    &security::SSH_PORT,
    &security::HOST_PORT,
    &security::PRIVILEGED_PORT,
    &security::UNSAFE_PROC_MOUNT,
    &security::WRITABLE_HOST_MOUNT,
    &security::DEFAULT_SERVICE_ACCOUNT,
    &security::AUTOMOUNT_SERVICE_ACCOUNT_TOKEN,
    &security::CLUSTER_ADMIN_BINDING,
    &security::RBAC_WILDCARD,
    &security::ACCESS_TO_SECRETS,
    &security::ACCESS_TO_CREATE_PODS,
    &admission::POD_SECURITY,
    &admission::POD_SECURITY_WARNING,
    &admission::POD_SECURITY_AUDIT,
    &admission::ADMISSION_POLICY,
    &admission::ADMISSION_POLICY_WARNING,
    &admission::ADMISSION_POLICY_AUDIT,
    &admission::INVALID_ADMISSION_POLICY,
    &deprecation::DEPRECATED_API,
    &suppression::UNUSED_SUPPRESSION,
    &suppression::INVALID_SUPPRESSION,
];

/// The rules `.kval.yaml` defines (`customRules`), registered when it is read.
static CUSTOM: std::sync::RwLock<Vec<&'static Rule>> = std::sync::RwLock::new(Vec::new());

/// Registers a custom rule (replacing one of the same id).
pub fn register(rule: &'static Rule) {
    if let Ok(mut custom) = CUSTOM.write() {
        custom.retain(|r| r.id != rule.id);
        custom.push(rule);
    }
}

/// The built-in rules, then the custom ones.
pub fn all() -> Vec<&'static Rule> {
    let custom = CUSTOM.read().map(|c| c.clone()).unwrap_or_default();
    ALL.iter().copied().chain(custom).collect()
}

pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id).or_else(|| {
        let custom = CUSTOM.read().ok()?;
        custom.iter().copied().find(|r| r.id == id)
    })
}

/// The rules that check `field` of the definition `type_name` (`PodSpec`,
/// `restartPolicy`), for `kval explain --rules`.
pub fn checking(type_name: &str, field: &str) -> Vec<&'static Rule> {
    ALL.iter().copied().filter(|r| r.fields.iter().any(|f| f.split_once('.') == Some((type_name, field)))).collect()
}

/// The rules a run uses, each with its severity.
#[derive(Clone, Debug)]
pub struct RuleSet {
    active: HashMap<&'static str, Severity>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet { active: ALL.iter().filter(|r| r.enabled).map(|r| (r.id, r.severity)).collect() }
    }
}

impl RuleSet {
    /// The severity a rule reports at, or `None` when it is disabled.
    pub fn severity(&self, id: &str) -> Option<Severity> {
        self.active.get(id).copied()
    }

    pub fn enable(&mut self, id: &str) -> Result<(), String> {
        let rule = lookup(id)?;
        self.active.entry(rule.id).or_insert(rule.severity);
        Ok(())
    }

    pub fn disable(&mut self, id: &str) -> Result<(), String> {
        self.active.remove(lookup(id)?.id);
        Ok(())
    }

    /// Sets a rule's severity (and enables it).
    pub fn set_severity(&mut self, id: &str, severity: Severity) -> Result<(), String> {
        self.active.insert(lookup(id)?.id, severity);
        Ok(())
    }

    /// The enabled rules that run on each document.
    pub fn document_checks(&self) -> Vec<fn(&Document, &mut Context<'_>)> {
        ALL.iter()
            .filter(|r| self.active.contains_key(r.id))
            .filter_map(|r| match r.check {
                Check::Document(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    /// The enabled rules that run once on all the objects of a run.
    pub fn run_checks(&self) -> Vec<fn(&mut RunContext<'_>)> {
        ALL.iter()
            .filter(|r| self.active.contains_key(r.id))
            .filter_map(|r| match r.check {
                Check::Run(f) => Some(f),
                _ => None,
            })
            .collect()
    }
}

/// Finds a rule by id, or explains that there is none (with the closest id).
fn lookup(id: &str) -> Result<&'static Rule, String> {
    find(id).ok_or_else(|| {
        let mut message = format!("unknown rule `{id}`");
        if let Some(close) = crate::suggest::closest(id, ALL.iter().map(|r| r.id)) {
            message += &format!("; did you mean `{close}`?");
        }
        message + " (`kval rules` lists them)"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.id), "duplicate id {}", rule.id);
            assert!(
                rule.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                rule.id
            );
        }
    }

    #[test]
    fn unknown_ids_are_explained() {
        let err = RuleSet::default().disable("unknown-feild").unwrap_err();
        assert!(err.contains("did you mean `unknown-field`?"), "{err}");
    }
}

/// Every rule's documentation: its sections, and its examples checked by running them.
#[cfg(test)]
mod doc_tests {
    use super::*;
    use crate::lint::{LintOptions, lint_text};

    /// The YAML blocks after `## Example` and after `Use instead:`.
    fn examples(doc: &str) -> (Vec<String>, Vec<String>) {
        let (mut bad, mut good) = (Vec::new(), Vec::new());
        let mut section = 0;
        let mut block: Option<String> = None;
        for line in doc.lines() {
            match (line.trim(), &mut block) {
                ("```yaml", None) => block = Some(String::new()),
                ("```", Some(_)) => {
                    let text = block.take().unwrap_or_default();
                    // Blocks that are only comments show a shape, not an object.
                    if text.lines().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')) {
                        if section == 1 {
                            bad.push(text)
                        } else if section == 2 {
                            good.push(text)
                        }
                    }
                }
                (_, Some(text)) => {
                    text.push_str(line);
                    text.push('\n');
                }
                ("## Example", None) => section = 1,
                ("Use instead:", None) => section = 2,
                (l, None) if l.starts_with("## ") => section = 0,
                _ => {}
            }
        }
        (bad, good)
    }

    fn findings(rule: &Rule, text: &str) -> Vec<crate::finding::Finding> {
        let mut options = LintOptions::default();
        options.rules.enable(rule.id).unwrap();
        lint_text("example.yaml", text, &options).findings
    }

    #[test]
    fn every_rule_is_documented_and_its_examples_hold() {
        for rule in ALL {
            let doc = rule.documentation();
            for heading in ["## What it does", "## Why it matters", "## Example", "Use instead:"] {
                assert!(doc.contains(heading), "{}: no `{heading}`", rule.id);
            }
            if matches!(rule.check, Check::Builtin) && rule.category != crate::rules::Category::Correctness {
                continue; // the schema checks' examples are covered by the snapshot tests
            }
            let (bad, good) = examples(&doc);
            assert!(!bad.is_empty() && !good.is_empty(), "{}: examples missing", rule.id);
            for text in &bad {
                let found = findings(rule, text);
                assert!(found.iter().any(|f| f.rule == rule.id), "{}: example does not trigger it:\n{text}", rule.id);
                // `kval rules` says which kinds of fixes a rule offers: it must say so.
                for fix in found.iter().filter(|f| f.rule == rule.id).filter_map(|f| f.fix.as_ref()) {
                    assert!(
                        rule.fixes.contains(&fix.applicability),
                        "{}: undeclared {:?} fix",
                        rule.id,
                        fix.applicability
                    );
                }
            }
            for text in &good {
                let found: Vec<String> =
                    findings(rule, text).iter().filter(|f| f.rule == rule.id).map(|f| f.message.clone()).collect();
                assert!(found.is_empty(), "{}: `Use instead` triggers it: {found:?}", rule.id);
            }
        }
    }

    /// Each rule that claims what the API server does says which behaviour it
    /// mirrors (rejected, or accepted with a warning) and where.
    #[test]
    fn api_validation_rules_cite_the_api_server() {
        for rule in ALL.iter().filter(|r| r.category == crate::rules::Category::ApiValidation) {
            if matches!(rule.check, Check::Builtin) && rule.id != "duplicate-value" {
                continue; // the loader's and schema's checks: the schema is the API server's own
            }
            let doc = rule.documentation();
            let section = doc.split("## API server").nth(1).map(|s| s.split("\n## ").next().unwrap_or(""));
            let Some(section) = section else { panic!("{}: no `## API server` section", rule.id) };
            assert!(section.contains("Rejected") || section.contains("warning"), "{}: {section}", rule.id);
            assert!(section.contains('`'), "{}: cites no Go function: {section}", rule.id);
            let warns = rule.severity != crate::finding::Severity::Error;
            assert_eq!(warns, section.starts_with("\nAccepted"), "{}: severity vs {section}", rule.id);
        }
    }

    #[test]
    fn messages_follow_the_style() {
        for rule in ALL {
            let (bad, _) = examples(&rule.documentation());
            for text in &bad {
                for f in findings(rule, text) {
                    let first = f.message.chars().next().unwrap_or(' ');
                    // Admission policies' findings quote the API server's message, which
                    // starts with the policy's kind.
                    let quoted = f.message.starts_with("ValidatingAdmissionPolicy ");
                    assert!(
                        !first.is_uppercase() || quoted,
                        "{}: message starts with a capital: {}",
                        f.rule,
                        f.message
                    );
                    assert!(!f.message.ends_with('.'), "{}: message ends with a period: {}", f.rule, f.message);
                    for text in
                        [Some(&f.message), f.help.as_ref(), f.note.as_ref(), f.label.as_ref()].into_iter().flatten()
                    {
                        assert!(!text.to_lowercase().contains("illegal"), "{}: says illegal: {text}", f.rule);
                    }
                }
            }
        }
    }

    #[test]
    fn rules_checking_a_field() {
        let ids: Vec<&str> = checking("PodSpec", "restartPolicy").iter().map(|r| r.id).collect();
        assert_eq!(ids, ["invalid-restart-policy"]);
        assert!(checking("Container", "image").iter().any(|r| r.id == "latest-tag"));
        for rule in ALL.iter().filter(|r| !matches!(r.check, Check::Builtin)) {
            assert!(!rule.fields.is_empty() || rule.id == "deprecated-api", "{}: no fields", rule.id);
            for field in rule.fields {
                assert!(field.split_once('.').is_some(), "{}: `{field}` is not Type.field", rule.id);
            }
        }
    }
}
