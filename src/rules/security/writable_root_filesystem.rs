use crate::document::Document;
use crate::finding::Fix;
use crate::fix::edit;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container mounts its root filesystem read-only
    /// (`securityContext.readOnlyRootFilesystem: true`).
    ///
    /// ## Why it matters
    /// A writable root filesystem lets an attacker who gets into the container drop
    /// tools and change binaries. Write to mounted volumes (`emptyDir` for scratch
    /// space) instead.
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
    ///       readOnlyRootFilesystem: true
    ///     volumeMounts:
    ///     - name: tmp
    ///       mountPath: /tmp
    ///   volumes:
    ///   - name: tmp
    ///     emptyDir: {}
    /// ```
    pub static WRITABLE_ROOT_FILESYSTEM = {
        id: "writable-root-filesystem",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a container's root filesystem is writable",
        fields: ["SecurityContext.readOnlyRootFilesystem"],
        fixes: [Unsafe],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.all_containers() {
        let value = c.security("readOnlyRootFilesystem");
        if value.and_then(|n| n.as_bool()) == Some(true) {
            continue;
        }
        let span = value.map_or(c.span(), |n| n.span);
        let set = match value {
            Some(node) => edit::replace_scalar(&doc.source, node, "true"),
            None => edit::set_path(&doc.source, c.node, &["securityContext", "readOnlyRootFilesystem"], "true"),
        };
        let f = cx
            .finding(&WRITABLE_ROOT_FILESYSTEM, span, format!("{} has a writable root filesystem", c.describe()))
            .label("no `readOnlyRootFilesystem: true`")
            .pointer(pod.container_pointer(&c, "securityContext/readOnlyRootFilesystem"))
            .help(
                "set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the container writes",
            )
            .fix(set.map(|e| Fix::unsafe_("set `readOnlyRootFilesystem: true`", vec![e])));
        cx.report(f);
    }
}
