use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks a Pod's `securityContext.sysctls` against the sysctls Kubernetes
    /// considers safe (namespaced and isolated from other Pods), such as
    /// `net.ipv4.ip_local_port_range` or `net.ipv4.tcp_syncookies`.
    ///
    /// ## Why it matters
    /// Other sysctls can affect the whole node. The kubelet refuses Pods that set
    /// them unless an administrator allowed each one (`--allowed-unsafe-sysctls`), so
    /// the Pod fails with `SysctlForbidden`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///     - name: kernel.shm_rmid_forced
    ///       value: "1"
    ///     - name: kernel.msgmax
    ///       value: "65536"
    ///   containers:
    ///   - name: db
    ///     image: postgres:16.4
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: db
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///     - name: kernel.shm_rmid_forced
    ///       value: "1"
    ///   containers:
    ///   - name: db
    ///     image: postgres:16.4
    /// ```
    pub static UNSAFE_SYSCTL = {
        id: "unsafe-sysctl",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a Pod sets a sysctl outside the safe set",
        fields: ["PodSecurityContext.sysctls", "Sysctl.name"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let sysctls = pod.spec.at(&["securityContext", "sysctls"]).map(Node::items).unwrap_or_default();
    for (i, sysctl) in sysctls.iter().enumerate() {
        let Some(name) = sysctl.get("name") else { continue };
        let Some(text) = name.as_str() else { continue };
        // The safe set is the Pod Security baseline's, at its newest version.
        if crate::admission::pod_security::checks::safe_sysctl(&text.replace('/', "."), u32::MAX) {
            continue;
        }
        let f = cx
            .finding(&UNSAFE_SYSCTL, name.span, format!("sysctl `{text}` is not in the safe set"))
            .label("unsafe sysctl")
            .pointer(pod.pointer(&format!("/securityContext/sysctls/{i}/name")))
            .note("the kubelet rejects the Pod unless this sysctl is in its `--allowed-unsafe-sysctls`")
            .help("remove it, or make sure every node allows it and suppress this finding");
        cx.report(f);
    }
}
