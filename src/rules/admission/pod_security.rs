//! `pod-security`, `pod-security-warning`, `pod-security-audit`: the Pod Security
//! admission's three modes. The checks live in `crate::admission::pod_security`.

crate::declare_rule! {
    /// ## What it does
    /// Reports a Pod that the Pod Security admission rejects: the checks of the
    /// Pod Security Standards profile (`baseline` or `restricted`) that its namespace
    /// enforces, with the admission plugin's own words
    /// (k8s.io/pod-security-admission, at the version chosen with `-k`).
    ///
    /// The level comes from the labels of the Pod's Namespace when the input has it
    /// (`pod-security.kubernetes.io/enforce: restricted`, and
    /// `pod-security.kubernetes.io/enforce-version: v1.30`), else from
    /// `--pod-security LEVEL[:VERSION]` or `podSecurity:` in `.kval.yaml` (the
    /// cluster's default). Without either, nothing is enforced, as on a cluster
    /// without Pod Security configuration.
    ///
    /// Workloads (Deployments, Jobs, ...) are not rejected by the admission: only the
    /// Pods they create are. Their violations are `pod-security-warning` findings.
    ///
    /// ## Why it matters
    /// `kubectl apply` fails with `pods "web" is forbidden: violates PodSecurity
    /// "restricted:latest": ...`, or a Deployment is accepted and never gets a Pod.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: prod
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: restricted
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: prod
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: prod
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///   - name: web
    ///     image: nginxinc/nginx-unprivileged:1.27
    ///     securityContext:
    ///       allowPrivilegeEscalation: false
    ///       capabilities:
    ///         drop: ["ALL"]
    /// ```
    pub static POD_SECURITY = {
        id: "pod-security",
        category: Security,
        severity: Error,
        enabled: true,
        summary: "the Pod Security admission rejects this Pod",
        fields: ["PodSpec.securityContext", "SecurityContext.allowPrivilegeEscalation", "PodSpec.hostNetwork"],
        check: Builtin,
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Reports what the Pod Security admission warns about: violations of the
    /// namespace's `warn` level (which follows a stricter `enforce` level unless set),
    /// and workloads whose Pods the namespace's `enforce` level will reject.
    ///
    /// See `pod-security` for how the levels are chosen.
    ///
    /// ## Why it matters
    /// A workload is accepted, but its Pods are refused: the ReplicaSet or Job only
    /// records `FailedCreate` events. A `warn` level announces a future `enforce`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: prod
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: baseline
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: prod
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       hostNetwork: true
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    /// ```
    ///
    /// Use instead: remove `hostNetwork: true`.
    pub static POD_SECURITY_WARNING = {
        id: "pod-security-warning",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "the Pod Security admission warns about this object, or rejects its Pods",
        check: Builtin,
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Reports what the Pod Security admission records in the audit log: violations of
    /// the namespace's `audit` level (`pod-security.kubernetes.io/audit`) not already
    /// reported by `pod-security` or `pod-security-warning`.
    ///
    /// Off by default: the audit log is for cluster administrators, and the object is
    /// admitted without a word.
    ///
    /// ## Why it matters
    /// An `audit` level often announces the next `enforce` level.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: prod
    ///   labels:
    ///     pod-security.kubernetes.io/audit: restricted
    /// ```
    ///
    /// Use instead: Pods that meet the audited level (see `pod-security`).
    pub static POD_SECURITY_AUDIT = {
        id: "pod-security-audit",
        category: Security,
        severity: Info,
        enabled: false,
        summary: "the Pod Security admission records this object in the audit log",
        check: Builtin,
    };
}
