use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for environment variables whose name suggests a secret (`PASSWORD`,
    /// `SECRET`, `TOKEN`, `API_KEY`, `PRIVATE_KEY`, `CREDENTIALS`) and whose `value` is
    /// written in the manifest. Values that are short numbers, durations, flags, paths
    /// or `$(VAR)` references are settings about a secret (`TOKEN_TTL: "3600"`), not
    /// one, and are not reported.
    ///
    /// ## Why it matters
    /// The secret ends up in version control, in the object anyone with read access
    /// can see, and in every copy of the manifest. A Secret referenced with
    /// `valueFrom.secretKeyRef` keeps it out of all three.
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
    ///     image: ghcr.io/acme/web:2.1.0
    ///     env:
    ///     - name: DB_PASSWORD
    ///       value: hunter2
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
    ///     image: ghcr.io/acme/web:2.1.0
    ///     env:
    ///     - name: DB_PASSWORD
    ///       valueFrom:
    ///         secretKeyRef:
    ///           name: web-db
    ///           key: password
    /// ```
    pub static SECRET_IN_ENV = {
        id: "secret-in-env",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a secret is written in an environment variable's value",
        fields: ["EnvVar.value"],
        check: Document(check),
    };
}

const SECRET_WORDS: &[&str] =
    &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIALS"];
/// Names that hold where a secret is, not the secret.
const REFERENCE_SUFFIXES: &[&str] =
    &["_FILE", "_PATH", "_DIR", "_NAME", "_NAMESPACE", "_REF", "_KEY_NAME", "_URL", "_ENABLED"];

fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase().replace('-', "_");
    SECRET_WORDS.iter().any(|w| upper.contains(w)) && !REFERENCE_SUFFIXES.iter().any(|s| upper.ends_with(s))
}

/// Whether a value has the shape of a secret: not empty, a path, a `$(VAR)`
/// reference, a flag, a short number or a duration (`TOKEN_TTL: "3600"`,
/// `PASSWORD_MIN_LENGTH: "12"`, `TOKEN_REFRESH: 5m`).
fn could_be_secret(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    !(text.is_empty()
        || text.starts_with('/')
        || text.starts_with("$(")
        || matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled")
        // A short number is a setting; a long one may be a PIN or a token.
        || (text.len() <= 6 && text.parse::<f64>().is_ok())
        || crate::kube::duration::parse(text).is_ok())
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.all_containers() {
        for (i, var) in c.get("env").map(Node::items).unwrap_or_default().iter().enumerate() {
            let Some(name) = var.get("name").and_then(Node::as_str).filter(|n| looks_secret(n)) else { continue };
            let Some(value) = var.get("value") else { continue };
            let Some(text) = value.as_str() else { continue };
            if !could_be_secret(text) {
                continue;
            }
            let f = cx
                .finding(&SECRET_IN_ENV, value.span, format!("`{name}` of {} is written in the manifest", c.describe()))
                .label("secret in plain text")
                .pointer(pod.container_pointer(&c, &format!("env/{i}/value")))
                .help("store it in a Secret and use `valueFrom: {secretKeyRef: {name: …, key: …}}`");
            cx.report(f);
        }
    }
}
