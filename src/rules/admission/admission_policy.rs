//! `admission-policy`, `admission-policy-warning`, `admission-policy-audit` and
//! `invalid-admission-policy`: ValidatingAdmissionPolicies evaluated offline. The
//! evaluation lives in `crate::admission::policy`.

crate::declare_rule! {
    /// ## What it does
    /// Evaluates the ValidatingAdmissionPolicies of the input (or of `--policy PATH`)
    /// on every object, as the API server does on create, and reports what a binding
    /// with `validationActions: [Deny]` rejects, with the API server's message.
    ///
    /// Evaluated: `matchConstraints` and the binding's `matchResources` (resource
    /// rules, `excludeResourceRules`, namespace and object selectors, with the
    /// namespaces' labels from the input), `matchConditions`, `variables`,
    /// `validations` with `message` and `messageExpression`, `failurePolicy`, and
    /// `paramKind` with the binding's `paramRef` when the parameter objects are in the
    /// input. `oldObject` is null (a create); `namespaceObject` is the Namespace of
    /// the input, else null. A policy that reads `authorizer`, a parameter object that
    /// is not in the input, or an expression over the cost budget is not evaluated.
    ///
    /// ## Why it matters
    /// `kubectl apply` fails with `deployments.apps "web" is forbidden:
    /// ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas' denied
    /// request: ...`; better to learn it before the deploy.
    ///
    /// ## API server
    /// Rejected on create by the ValidatingAdmissionPolicy admission plugin, for a
    /// binding with `validationActions: [Deny]` (`Forbidden`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: admissionregistration.k8s.io/v1
    /// kind: ValidatingAdmissionPolicy
    /// metadata:
    ///   name: max-replicas
    /// spec:
    ///   matchConstraints:
    ///     resourceRules:
    ///     - apiGroups: ["apps"]
    ///       apiVersions: ["v1"]
    ///       operations: ["CREATE", "UPDATE"]
    ///       resources: ["deployments"]
    ///   validations:
    ///   - expression: "object.spec.replicas <= 5"
    /// ---
    /// apiVersion: admissionregistration.k8s.io/v1
    /// kind: ValidatingAdmissionPolicyBinding
    /// metadata:
    ///   name: max-replicas
    /// spec:
    ///   policyName: max-replicas
    ///   validationActions: [Deny]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 6
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    /// ```
    ///
    /// Use instead: `replicas: 5` or fewer.
    pub static ADMISSION_POLICY = {
        id: "admission-policy",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a ValidatingAdmissionPolicy denies this object",
        check: Builtin,
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Reports what a ValidatingAdmissionPolicy bound with `validationActions: [Warn]`
    /// warns about (see `admission-policy` for what is evaluated): the API server
    /// admits the object and `kubectl` prints `Warning: Validation failed for
    /// ValidatingAdmissionPolicy ...`.
    ///
    /// ## Why it matters
    /// A `Warn` binding is often the first step before `Deny`.
    ///
    /// ## API server
    /// Accepted with a warning: `kubectl` prints `Warning: Validation failed for
    /// ValidatingAdmissionPolicy ...`.
    ///
    /// ## Example
    /// A binding with `validationActions: [Warn]` of a policy the object fails.
    ///
    /// Use instead: an object that passes the policy.
    pub static ADMISSION_POLICY_WARNING = {
        id: "admission-policy-warning",
        category: ApiValidation,
        severity: Warning,
        enabled: true,
        summary: "a ValidatingAdmissionPolicy warns about this object",
        check: Builtin,
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Reports what a ValidatingAdmissionPolicy bound with `validationActions: [Audit]`
    /// records in the audit log (see `admission-policy`). Off by default: the object
    /// is admitted without a word.
    ///
    /// ## Why it matters
    /// An `Audit` binding measures what a future `Deny` would reject.
    ///
    /// ## API server
    /// Accepted silently; the failure is recorded in the audit log only.
    ///
    /// ## Example
    /// A binding with `validationActions: [Audit]` of a policy the object fails.
    ///
    /// Use instead: an object that passes the policy.
    pub static ADMISSION_POLICY_AUDIT = {
        id: "admission-policy-audit",
        category: ApiValidation,
        severity: Info,
        enabled: false,
        summary: "a ValidatingAdmissionPolicy records this object in the audit log",
        check: Builtin,
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Reports an expression of a ValidatingAdmissionPolicy (`validations`,
    /// `messageExpression`, `matchConditions`, `variables`) that is not valid CEL, as
    /// the API server reports it when the policy is created.
    ///
    /// ## Why it matters
    /// The API server refuses the policy, so nothing it was meant to enforce is
    /// enforced.
    ///
    /// ## API server
    /// Rejected on create by `ValidateValidatingAdmissionPolicy` (an expression that
    /// does not compile: `Invalid value: ... compilation failed`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: admissionregistration.k8s.io/v1
    /// kind: ValidatingAdmissionPolicy
    /// metadata:
    ///   name: max-replicas
    /// spec:
    ///   matchConstraints:
    ///     resourceRules:
    ///     - apiGroups: ["apps"]
    ///       apiVersions: ["v1"]
    ///       operations: ["CREATE"]
    ///       resources: ["deployments"]
    ///   validations:
    ///   - expression: "object.spec.replicas <="
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: admissionregistration.k8s.io/v1
    /// kind: ValidatingAdmissionPolicy
    /// metadata:
    ///   name: max-replicas
    /// spec:
    ///   matchConstraints:
    ///     resourceRules:
    ///     - apiGroups: ["apps"]
    ///       apiVersions: ["v1"]
    ///       operations: ["CREATE"]
    ///       resources: ["deployments"]
    ///   validations:
    ///   - expression: "object.spec.replicas <= 5"
    /// ```
    pub static INVALID_ADMISSION_POLICY = {
        id: "invalid-admission-policy",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "an expression of a ValidatingAdmissionPolicy does not compile",
        check: Builtin,
    };
}
