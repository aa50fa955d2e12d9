use crate::document::Document;
use crate::finding::Fix;
use crate::fix::edit;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for the deprecated `serviceAccount` field of a Pod spec.
    ///
    /// ## Why it matters
    /// `serviceAccount` is an old alias of `serviceAccountName`, kept only for
    /// compatibility. When the two differ, which one wins is a surprise.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   serviceAccount: web
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
    pub static DEPRECATED_SERVICE_ACCOUNT = {
        id: "deprecated-service-account",
        category: BestPractice,
        severity: Warning,
        enabled: true,
        summary: "a Pod uses the deprecated `serviceAccount` field",
        fields: ["PodSpec.serviceAccount"],
        fixes: [Safe],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let Some(entry) = pod.spec.entry("serviceAccount").filter(|e| e.value.as_str().is_some_and(|s| !s.is_empty()))
    else {
        return;
    };
    let name = entry.value.as_str().unwrap_or("");
    let same = pod.spec.get("serviceAccountName").and_then(Node::as_str) == Some(name);
    let source = &doc.source;
    let fix = match pod.spec.get("serviceAccountName") {
        None => Some(Fix::safe(
            "rename to `serviceAccountName`",
            vec![edit::rename_key(source, &entry.key, "serviceAccountName")],
        )),
        Some(_) if same => edit::remove_entry(source, pod.spec, "serviceAccount")
            .map(|e| Fix::safe("remove `serviceAccount`", vec![e])),
        // The two differ: which one was meant is for the author to say.
        Some(_) => None,
    };
    let f = cx
        .finding(&DEPRECATED_SERVICE_ACCOUNT, entry.key.span, "`serviceAccount` is deprecated")
        .fix(fix)
        .label("deprecated alias of `serviceAccountName`")
        .pointer(pod.pointer("/serviceAccount"))
        .help(if same {
            "remove `serviceAccount`; `serviceAccountName` already says the same".to_string()
        } else {
            format!("write `serviceAccountName: {name}` instead")
        });
    cx.report(f);
}
