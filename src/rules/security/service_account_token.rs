//! `default-service-account` and `automount-token`: what identity a
//! Pod gets and whether its token is mounted.

use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for Pods that run as the namespace's `default` ServiceAccount
    /// (`serviceAccountName` unset or `default`).
    ///
    /// ## Why it matters
    /// Every Pod of the namespace shares that identity: a role bound to it for one
    /// workload is granted to all. A ServiceAccount per workload keeps permissions
    /// narrow and audit logs readable.
    ///
    /// Off by default (as in kube-linter): most Pods need no API access at all.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
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
    /// spec:
    ///   serviceAccountName: web
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    pub static DEFAULT_SERVICE_ACCOUNT = {
        id: "default-service-account",
        category: Security,
        severity: Warning,
        enabled: false,
        summary: "a Pod runs as the namespace's `default` ServiceAccount",
        fields: ["PodSpec.serviceAccountName"],
        check: Document(default_account),
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Checks for Pods that get an API token mounted without saying so:
    /// `automountServiceAccountToken` is not `false` on the Pod (a ServiceAccount's
    /// own setting is not visible from the Pod).
    ///
    /// ## Why it matters
    /// Whoever takes over the container can call the API server with the Pod's
    /// identity. Most applications never talk to the API server.
    ///
    /// Off by default (Polaris has it as a warning): nearly every workload would be
    /// reported.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
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
    /// spec:
    ///   automountServiceAccountToken: false
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    pub static AUTOMOUNT_SERVICE_ACCOUNT_TOKEN = {
        id: "automount-token",
        category: Security,
        severity: Warning,
        enabled: false,
        summary: "a Pod mounts an API token without opting in",
        fields: ["PodSpec.automountServiceAccountToken"],
        check: Document(automount),
    };
}

fn default_account(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let account = ["serviceAccountName", "serviceAccount"].iter().find_map(|k| pod.spec.get(k));
    let named = account.and_then(Node::as_str).filter(|n| !n.is_empty() && *n != "default");
    if named.is_some() {
        return;
    }
    let span = account.map_or_else(|| crate::document::head(pod.spec), |n| n.span);
    let f = cx
        .finding(&DEFAULT_SERVICE_ACCOUNT, span, "the Pod runs as the `default` ServiceAccount")
        .label("no `serviceAccountName`")
        .pointer(pod.pointer("/serviceAccountName"))
        .help("create a ServiceAccount for this workload and set `serviceAccountName`");
    cx.report(f);
}

fn automount(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let setting = pod.spec.get("automountServiceAccountToken");
    if setting.and_then(Node::as_bool) == Some(false) {
        return;
    }
    let span = setting.map_or_else(|| crate::document::head(pod.spec), |n| n.span);
    let f = cx
        .finding(&AUTOMOUNT_SERVICE_ACCOUNT_TOKEN, span, "the Pod gets an API token mounted")
        .label("`automountServiceAccountToken` is not `false`")
        .pointer(pod.pointer("/automountServiceAccountToken"))
        .help("set `automountServiceAccountToken: false` unless the Pod calls the API server");
    cx.report(f);
}
