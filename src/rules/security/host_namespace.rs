//! `host-network`, `host-pid`, `host-ipc`: one check, three fields.

use crate::document::Document;
use crate::rules::pod::PodTemplate;
use crate::rules::{Context, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Checks for Pods that share the node's network namespace (`hostNetwork: true`).
    ///
    /// ## Why it matters
    /// The Pod sees every network interface of the node, can bind its ports and reach
    /// services listening on localhost, and bypasses NetworkPolicies. Only node agents
    /// (CNI plugins, some monitoring) need it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   hostNetwork: true
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
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    pub static HOST_NETWORK = {
        id: "host-network",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a Pod uses the node's network namespace",
        fields: ["PodSpec.hostNetwork"],
        check: Document(host_network),
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Checks for Pods that share the node's process namespace (`hostPID: true`).
    ///
    /// ## Why it matters
    /// The Pod sees every process on the node, including those of other Pods, and can
    /// read their environment and signal them: an easy path to the node's secrets.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: debug
    /// spec:
    ///   hostPID: true
    ///   containers:
    ///   - name: debug
    ///     image: busybox:1.36
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: debug
    /// spec:
    ///   containers:
    ///   - name: debug
    ///     image: busybox:1.36
    /// ```
    pub static HOST_PID = {
        id: "host-pid",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a Pod uses the node's process namespace",
        fields: ["PodSpec.hostPID"],
        check: Document(host_pid),
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Checks for Pods that share the node's IPC namespace (`hostIPC: true`).
    ///
    /// ## Why it matters
    /// The Pod can read and write the shared memory of every process on the node.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   hostIPC: true
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
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    pub static HOST_IPC = {
        id: "host-ipc",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a Pod uses the node's IPC namespace",
        fields: ["PodSpec.hostIPC"],
        check: Document(host_ipc),
    };
}

fn host_network(doc: &Document, cx: &mut Context<'_>) {
    check(doc, cx, &HOST_NETWORK, "hostNetwork", "network");
}

fn host_pid(doc: &Document, cx: &mut Context<'_>) {
    check(doc, cx, &HOST_PID, "hostPID", "process");
}

fn host_ipc(doc: &Document, cx: &mut Context<'_>) {
    check(doc, cx, &HOST_IPC, "hostIPC", "IPC");
}

fn check(doc: &Document, cx: &mut Context<'_>, rule: &'static Rule, field: &str, what: &str) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let Some(entry) = pod.spec.entry(field).filter(|e| e.value.as_bool() == Some(true)) else { return };
    let f = cx
        .finding(rule, entry.key.span.to(entry.value.span), format!("the Pod shares the node's {what} namespace"))
        .label(format!("`{field}: true`"))
        .pointer(pod.pointer(&format!("/{field}")))
        .help(format!(
            "remove `{field}` unless this is a node agent that needs it; then suppress with `kval.dev/ignore: {}`",
            rule.id
        ));
    cx.report(f);
}
