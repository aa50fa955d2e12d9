//! ValidatingAdmissionPolicies and their bindings (admissionregistration.k8s.io/v1),
//! read from the input or `--policy`, and evaluated on each object as the API
//! server's admission does on create.

mod evaluate;
mod matching;

use std::sync::Arc;

use crate::cel::Expression;
use crate::document::Document;
use crate::finding::Location;
use crate::kube::selector::Selector;
use crate::source::Span;
use crate::yaml::Node;

pub use evaluate::{Action, Decision, Object, evaluate};
pub use evaluate::{Param, map};
pub use matching::{Match, Request, resource};

const GROUP: &str = "admissionregistration.k8s.io/v1";

/// A compiled ValidatingAdmissionPolicy.
#[derive(Debug)]
pub struct Policy {
    pub name: String,
    /// `failurePolicy: Fail` (the default): an expression that errs rejects.
    pub fail: bool,
    /// `paramKind`: apiVersion and kind of the parameter objects.
    pub param_kind: Option<(String, String)>,
    pub constraints: Match,
    pub match_conditions: Vec<Named>,
    pub variables: Vec<Named>,
    pub validations: Vec<Validation>,
}

/// A `matchConditions` entry or a variable.
#[derive(Debug)]
pub struct Named {
    pub name: String,
    pub expression: Expression,
}

#[derive(Debug)]
pub struct Validation {
    pub expression: Expression,
    pub message: Option<String>,
    pub message_expression: Option<Expression>,
    /// Where the expression is written, for findings.
    pub at: Location,
}

/// A ValidatingAdmissionPolicyBinding.
#[derive(Debug)]
pub struct Binding {
    pub name: String,
    pub policy: String,
    pub param_ref: Option<ParamRef>,
    /// `matchResources`, narrowing the policy's constraints.
    pub resources: Option<Match>,
    pub actions: Vec<Action>,
}

#[derive(Debug)]
pub struct ParamRef {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub selector: Option<Selector>,
}

/// A policy expression that does not compile: the API server refuses the policy.
#[derive(Debug)]
pub struct Problem {
    pub span: Span,
    pub message: String,
    /// The compiler's picture of where the expression breaks.
    pub note: Option<String>,
}

pub fn is_policy(doc: &Document) -> bool {
    doc.api_version() == Some(GROUP) && doc.kind() == Some("ValidatingAdmissionPolicy")
}

pub fn is_binding(doc: &Document) -> bool {
    doc.api_version() == Some(GROUP) && doc.kind() == Some("ValidatingAdmissionPolicyBinding")
}

fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::as_str).map(str::to_string)
}

/// Compiles a policy; expressions that do not compile are problems, reported as
/// the API server words them (`spec.validations[0].expression: Invalid value: ...`).
pub fn compile(doc: &Document) -> (Option<Policy>, Vec<Problem>) {
    let mut problems = Vec::new();
    let Some(spec) = doc.root.get("spec") else { return (None, problems) };
    let named = |list: &str, problems: &mut Vec<Problem>| -> Vec<Named> {
        let items = spec.get(list).map(Node::items).unwrap_or_default();
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let path = format!("spec.{list}[{i}].expression");
                let expression = expression(item.get("expression"), &path, problems)?;
                Some(Named { name: text(item.get("name")).unwrap_or_default(), expression })
            })
            .collect()
    };
    let match_conditions = named("matchConditions", &mut problems);
    let variables = named("variables", &mut problems);
    let mut validations = Vec::new();
    for (i, item) in spec.get("validations").map(Node::items).unwrap_or_default().iter().enumerate() {
        let path = format!("spec.validations[{i}]");
        let at = doc.location(item.get("expression").map_or(item.span, |n| n.span));
        let main = expression(item.get("expression"), &format!("{path}.expression"), &mut problems);
        let message_expression = match item.get("messageExpression") {
            Some(node) => match expression(Some(node), &format!("{path}.messageExpression"), &mut problems) {
                Some(e) => Some(e),
                None => continue,
            },
            None => None,
        };
        if let Some(expression) = main {
            validations.push(Validation { expression, message: text(item.get("message")), message_expression, at });
        }
    }
    let policy = Policy {
        name: doc.object.name.clone().unwrap_or_default(),
        fail: spec.get("failurePolicy").and_then(Node::as_str) != Some("Ignore"),
        param_kind: spec.get("paramKind").and_then(|p| Some((text(p.get("apiVersion"))?, text(p.get("kind"))?))),
        constraints: spec.get("matchConstraints").map(|m| Match::read(m, false)).unwrap_or_default(),
        match_conditions,
        variables,
        validations,
    };
    (problems.is_empty().then_some(policy), problems)
}

/// Compiles one expression of a policy; one that does not compile is a problem.
fn expression(node: Option<&Node>, path: &str, problems: &mut Vec<Problem>) -> Option<Expression> {
    let node = node?;
    let source = node.as_str()?;
    match Expression::compile(source) {
        Ok(e) => Some(e),
        Err(e) => {
            let quoted = serde_json::to_string(source).unwrap_or_default();
            let (first, rest) = e.split_once('\n').unwrap_or((&e, ""));
            let note = rest.lines().map(|l| l.trim_start().trim_start_matches("| ")).collect::<Vec<_>>().join("\n");
            problems.push(Problem {
                span: node.span,
                message: format!("{path}: Invalid value: {quoted}: {}", first.trim_end()),
                note: (!note.trim().is_empty()).then_some(note),
            });
            None
        }
    }
}

/// Reads a binding.
pub fn binding(doc: &Document) -> Option<Binding> {
    let spec = doc.root.get("spec")?;
    let actions = spec.get("validationActions").map(Node::items).unwrap_or_default();
    Some(Binding {
        name: doc.object.name.clone().unwrap_or_default(),
        policy: text(spec.get("policyName"))?,
        param_ref: spec.get("paramRef").map(|p| ParamRef {
            name: text(p.get("name")),
            namespace: text(p.get("namespace")),
            selector: p.get("selector").map(Selector::from_label_selector),
        }),
        resources: spec.get("matchResources").map(|m| Match::read(m, true)),
        actions: actions.iter().filter_map(|a| Action::parse(a.as_str()?)).collect(),
    })
}

/// The policies and bindings of a run.
#[derive(Debug, Default)]
pub struct Policies {
    pub policies: Vec<Arc<Policy>>,
    pub bindings: Vec<Binding>,
}

impl Policies {
    pub fn is_empty(&self) -> bool {
        self.bindings.is_empty()
    }

    /// Each binding with its policy (a binding of a policy not in the run does
    /// nothing, as on a cluster).
    pub fn bound(&self) -> impl Iterator<Item = (&Policy, &Binding)> {
        self.bindings.iter().filter_map(|b| Some((self.policies.iter().find(|p| p.name == b.policy)?.as_ref(), b)))
    }

    /// The kinds of parameter objects the policies use.
    pub fn param_kinds(&self) -> Vec<&str> {
        self.policies.iter().filter_map(|p| p.param_kind.as_ref().map(|(_, k)| k.as_str())).collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{LintOptions, lint_text};

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team\n  labels: {tier: web}\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";

    /// The admission findings of a policy (its `spec`, indented by two) bound with
    /// `actions` on the Deployment above.
    fn decide(spec: &str, binding: &str) -> Vec<String> {
        let text = format!(
            "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {{name: p}}\nspec:\n{spec}---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {{name: b}}\nspec:\n  policyName: p\n{binding}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels: {{owner: a}}\n---\n{DEPLOYMENT}"
        );
        let mut options = LintOptions::default();
        options.rules.enable("admission-policy-audit").unwrap();
        lint_text("x.yaml", &text, &options)
            .findings
            .into_iter()
            .filter(|f| f.rule.contains("admission-policy"))
            .map(|f| format!("{}: {}", f.rule, f.message))
            .collect()
    }

    const RULES: &str = "  matchConstraints:\n    resourceRules:\n    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}\n";

    #[test]
    fn match_conditions_variables_and_failure_policy() {
        let deny = "  validationActions: [Deny]\n";
        let with = |rest: &str| decide(&format!("{RULES}{rest}"), deny);
        assert_eq!(with("  validations:\n  - expression: object.spec.replicas < 3\n").len(), 1);
        // matchConditions gate the validations.
        let gated = "  matchConditions:\n  - {name: big, expression: 'object.spec.replicas > 10'}\n  validations:\n  - expression: 'false'\n";
        assert!(with(gated).is_empty());
        // Variables, namespaceObject and request.
        let vars = "  variables:\n  - {name: owner, expression: 'namespaceObject.metadata.labels.owner'}\n  validations:\n  - expression: \"variables.owner == 'b' && request.operation == 'CREATE'\"\n    message: owner must be b\n";
        assert_eq!(
            with(vars),
            ["admission-policy: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: owner must be b"]
        );
        // An error rejects under Fail, is ignored under Ignore.
        let error = "  validations:\n  - expression: object.spec.nope == 1\n";
        assert_eq!(
            with(error),
            [
                "admission-policy: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: expression 'object.spec.nope == 1' resulted in error: no such key: nope"
            ]
        );
        assert!(with(&format!("  failurePolicy: Ignore\n{error}")).is_empty());
        // `authorizer` is not available offline: not evaluated.
        assert!(
            with("  validations:\n  - expression: authorizer.requestResource.check('create').allowed()\n").is_empty()
        );
        // oldObject is null on create.
        assert!(with("  validations:\n  - expression: oldObject == null\n").is_empty());
    }

    #[test]
    fn matching() {
        let v = "  validations:\n  - expression: 'false'\n";
        let deny = "  validationActions: [Deny]\n";
        let excluded = format!(
            "{RULES}    excludeResourceRules:\n    - {{apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: [deployments], resourceNames: [web]}}\n{v}"
        );
        assert!(decide(&excluded, deny).is_empty());
        let selected = |selector: &str| decide(&format!("{RULES}{v}"), &format!("{deny}  matchResources:\n{selector}"));
        assert_eq!(selected("    namespaceSelector: {matchLabels: {owner: a}}\n").len(), 1);
        assert!(selected("    namespaceSelector: {matchLabels: {owner: b}}\n").is_empty());
        assert_eq!(selected("    objectSelector: {matchLabels: {tier: web}}\n").len(), 1);
        assert!(
            selected("    objectSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [web]}]}\n")
                .is_empty()
        );
        let other = "  matchConstraints:\n    resourceRules:\n    - {apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods]}\n";
        assert!(decide(&format!("{other}{v}"), deny).is_empty());
        let update_only = RULES.replace("[CREATE]", "[UPDATE]");
        assert!(decide(&format!("{update_only}{v}"), deny).is_empty());
        let actions = decide(&format!("{RULES}{v}"), "  validationActions: [Warn, Audit]\n");
        assert_eq!(actions.len(), 2);
        assert!(actions.iter().any(|a| a.starts_with("admission-policy-warning: Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': failed expression: false")));
    }
}
