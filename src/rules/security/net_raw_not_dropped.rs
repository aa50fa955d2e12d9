use crate::document::Document;
use crate::finding::Fix;
use crate::fix::edit;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container drops the `NET_RAW` capability (or `ALL`).
    ///
    /// ## Why it matters
    /// `NET_RAW` is granted by default and lets a process craft raw packets: spoof
    /// addresses and poison ARP or DNS on the node's network. Few applications need it.
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
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     securityContext:
    ///       capabilities:
    ///         drop: ["ALL"]
    /// ```
    pub static NET_RAW_NOT_DROPPED = {
        id: "net-raw-not-dropped",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a container keeps the `NET_RAW` capability",
        fields: ["Capabilities.drop"],
        fixes: [Unsafe],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.all_containers() {
        let drop = c.node.at(&["securityContext", "capabilities", "drop"]);
        let dropped = drop
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
            .any(|cap| matches!(cap.trim_start_matches("CAP_").to_ascii_uppercase().as_str(), "ALL" | "NET_RAW"));
        if dropped {
            continue;
        }
        let span = drop.map_or(c.span(), |n| n.span);
        let f = cx
            .finding(&NET_RAW_NOT_DROPPED, span, format!("{} does not drop the `NET_RAW` capability", c.describe()))
            .label("`NET_RAW` is granted by default")
            .pointer(pod.container_pointer(&c, "securityContext/capabilities/drop"))
            .help("add `securityContext: {capabilities: {drop: [\"ALL\"]}}`")
            .fix(
                edit::set_path(&doc.source, c.node, &["securityContext", "capabilities", "drop"], "[\"ALL\"]")
                    .map(|e| Fix::unsafe_("drop every capability", vec![e])),
            );
        cx.report(f);
    }
}
