use crate::document::Document;
use crate::finding::Fix;
use crate::fix::edit;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::{Node, Style};

crate::declare_rule! {
    /// ## What it does
    /// Checks `command` and `args` for a shell script (`sh -c`, `bash -c`, …) that is
    /// wrapped in an extra pair of quotes, as in
    /// `command: ['sh', '-c', '"sleep 5s; echo done"']`.
    ///
    /// ## Why it matters
    /// The YAML quotes already make the script one argument; the inner quotes reach the
    /// shell, which then looks for a single command literally named
    /// `sleep 5s; echo done` and fails with "not found". The container exits with 127
    /// and the Job retries until its backoff limit.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: job
    /// spec:
    ///   restartPolicy: Never
    ///   containers:
    ///   - name: job
    ///     image: busybox:1.36
    ///     command: ['sh', '-c', '"sleep 5s; echo done"']
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: job
    /// spec:
    ///   restartPolicy: Never
    ///   containers:
    ///   - name: job
    ///     image: busybox:1.36
    ///     command: ['sh', '-c', 'sleep 5s; echo done']
    /// ```
    pub static QUOTED_SHELL_SCRIPT = {
        id: "quoted-shell-script",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a `sh -c` script is wrapped in an extra pair of quotes",
        fields: ["Container.command", "Container.args"],
        fixes: [Unsafe],
        check: Document(check),
    };
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

fn is_shell(arg: &str) -> bool {
    let base = arg.rsplit('/').next().unwrap_or(arg);
    SHELLS.contains(&base)
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.all_containers() {
        // The shell and its arguments may be split between `command` and `args`.
        let argv: Vec<(&Node, &str)> = ["command", "args"]
            .iter()
            .flat_map(|k| c.get(k).map(Node::items).unwrap_or_default())
            .filter_map(|n| Some((n, n.as_str()?)))
            .collect();
        let mut after_shell = argv.iter().skip_while(|(_, a)| !is_shell(a));
        let Some((_, shell)) = after_shell.next() else { continue };
        if !after_shell.any(|(_, a)| a.starts_with('-') && a.contains('c')) {
            continue;
        }
        let Some((node, script)) = after_shell.next() else { continue };
        let trimmed = script.trim();
        let Some(inner) = ['"', '\'']
            .iter()
            .find_map(|q| trimmed.strip_prefix(*q)?.strip_suffix(*q).filter(|_| trimmed.contains(char::is_whitespace)))
        else {
            continue;
        };
        let inner_unescaped = inner.replace("\\\"", "\"");
        let f = cx
            .finding(
                &QUOTED_SHELL_SCRIPT,
                node.span,
                format!("the script passed to `{} -c` is wrapped in quotes", shell),
            )
            .label("the shell sees one command name, quotes included")
            .note(format!(
                "the shell looks for a command literally named `{}` and fails with \"not found\"",
                inner_unescaped.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
            ))
            .help(format!("remove the inner quotes: `'{}'`", inner_unescaped.replace('\'', "'\\''")))
            .fix(unquote_script(doc, node, &inner_unescaped));
        cx.report(f);
    }
}

/// Writes the script without its inner quotes, in the quoting style of the YAML
/// scalar (single quotes stay single). Unsafe: the command that runs changes.
fn unquote_script(doc: &Document, node: &Node, script: &str) -> Option<Fix> {
    let raw = doc.source.slice(node.span);
    if node.style == Style::Block || raw.contains(['\n', '\r']) {
        return None;
    }
    let text = if raw.starts_with('\'') {
        format!("'{}'", script.replace('\'', "''"))
    } else {
        serde_json::to_string(script).ok()?
    };
    Some(Fix::unsafe_("remove the inner quotes", vec![edit::replace(node.span, text)]))
}
