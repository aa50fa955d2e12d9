//! What kval does to bound its memory (texts let go and read again, large files read
//! a part at a time: see `lint::Memory`) must not change its output: the real projects of
//! `../shared/corpus` and a generated fleet are linted with the tightest bounds and
//! with everything kept in memory, and every output format must be byte-for-byte
//! the same. (Speed and memory themselves are measured by `benches/`, not here.)
#![allow(clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use kval::finding::Severity;
use kval::lint::{LintOptions, Memory, lint};
use kval::report::{Format, ReportContext};

/// Every output of linting `paths` with `memory`.
fn outputs(paths: &[String], memory: Memory) -> Vec<(Format, String)> {
    outputs_with(paths, LintOptions { memory, ..LintOptions::default() })
}

fn outputs_with(paths: &[String], options: LintOptions) -> Vec<(Format, String)> {
    let result = lint(paths, &options);
    let cx = ReportContext {
        result: &result,
        version: options.version,
        color: false,
        fail_on: Severity::Error,
        max_findings: None,
    };
    Format::ALL.iter().map(|&(_, format)| (format, format.render(&cx))).collect()
}

/// The JSON output of linting `paths` with everything kept in memory.
fn json(paths: &[String]) -> String {
    outputs(paths, Memory::UNBOUNDED).into_iter().find(|(f, _)| matches!(f, Format::Json)).expect("a JSON output").1
}

/// Memory bounded as tightly as it goes: no text kept between reading and checking
/// a file, and none after; every file read a part at a time, each part as few
/// documents as can be.
const TIGHTEST: Memory = Memory {
    kept_text_bytes: 0,
    let_go: true,
    excerpts: true,
    stream_above: 0,
    part_bytes: 1,
    objects: true,
    inventory_bytes: Some(0),
};

fn assert_same_output(paths: &[String]) {
    let reference = outputs(paths, Memory::UNBOUNDED);
    let bounded = outputs(paths, TIGHTEST);
    // The CLI's run with no text kept between reading and checking and every file
    // read whole: what is kept of each file is its place in the run's list of files
    // (`SourceRef::listed`).
    let whole = outputs(paths, Memory { kept_text_bytes: 0, stream_above: u64::MAX, ..Memory::default() });
    // Without the list of objects (the CLI's run for every format but JUnit and TAP),
    // and with the inventory spilled but kept in memory.
    let without_objects = outputs(paths, Memory { objects: false, inventory_bytes: Some(usize::MAX), ..TIGHTEST });
    // The CLI's run for those formats, with no text kept: files with nothing to
    // report are kept as a bit each until checked again or merged.
    let quiet = outputs(paths, Memory { kept_text_bytes: 0, objects: false, ..Memory::default() });
    let without_objects = reference
        .iter()
        .zip(&without_objects)
        .chain(reference.iter().zip(&quiet))
        .filter(|((format, _), _)| !format.lists_objects());
    let runs = reference.iter().zip(&bounded).chain(reference.iter().zip(&whole));
    for ((format, expected), (_, got)) in runs.chain(without_objects) {
        assert!(expected.len() > 200, "{format:?} output of {paths:?} is too short to compare: {expected}");
        if expected != got {
            let diff = similar::TextDiff::from_lines(expected, got);
            panic!(
                "{format:?} output of {paths:?} changed with bounded memory:\n{}",
                diff.unified_diff().context_radius(2)
            );
        }
    }
}

#[test]
fn bounded_memory_leaves_the_corpus_output_unchanged() {
    let Some(shared) = common::shared() else { return };
    assert_same_output(&[shared.join("corpus").to_string_lossy().into_owned()]);
}

#[test]
fn bounded_memory_leaves_the_fleet_output_unchanged() {
    let Some(shared) = common::shared() else { return };
    let Some(python) = common::tool("python3", "KVAL_PYTHON") else { return };
    let dir = tempfile::tempdir().expect("temporary directory");
    let fleet = dir.path().join("fleet");
    let status = Command::new(python)
        .arg(shared.join("bench/gen_fleet.py"))
        .arg(&fleet)
        .args(["--apps", "40", "--truth"])
        .arg(dir.path().join("truth.tsv"))
        .output()
        .expect("run gen_fleet.py");
    assert!(status.status.success(), "gen_fleet.py failed: {}", String::from_utf8_lossy(&status.stderr));
    assert_same_output(&[fleet.to_string_lossy().into_owned()]);
}

/// The findings of a file whose text is let go keep only the lines they are shown
/// with (see `kval::excerpt`): every output shows them as with the whole text. A
/// span over several lines, labels near and far in the same file, fixes, findings
/// far apart, the last line, a line too long to show, suppressions (the findings on
/// them keep excerpts too); LF, CRLF and lone CR breaks.
#[test]
fn findings_keep_every_line_their_reports_show() {
    let dir = tempfile::tempdir().expect("temporary directory");
    // Comment lines keep each part further from the others than excerpts are merged
    // across; five of them keep a label near its finding (shown with it) but apart.
    let comments = |lines: usize, indent: &str| -> String {
        (0..lines).map(|i| format!("{indent}# {i:02} {}\n", "-".repeat(70))).collect()
    };
    let (pad, near) = (comments(20, "        "), comments(5, "        "));
    let env: String = (0..12).map(|i| format!("        - name: V{i}\n          value: \"{i}\"\n")).collect();
    let text = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    \
         kval.dev/ignore: \"run-as-root, no-such-rule # a reason\"\n{top}spec:\n  replicas: |\n    3\n    4\n\
         {top}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    \
         spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        \
         securityContext: {{readOnlyRootFilesystem: true, capabilities: {{drop: [ALL]}}}}\n        env:\n{pad}        \
         - name: A\n          value: \"1\"\n{near}        - name: A\n          value: \"2\"\n{env}        - name: A\n          \
         value: \"3\"\n{pad}        ports:\n        - containerPort: 80\n{near}        - containerPort: 80\n{pad}      \
         - name: side\n        image: busybox:1.36\n{pad}---\n\
         apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: padding\ndata:\n{padding}---\napiVersion: v1\n\
         kind: Service\nmetadata:\n  name: web\nspec:\n  selector: {{app: web}}\n  ports:\n  - port: 80 # kval-ignore missing-cpu-request\n    \
         targetPort: http\n    protocol: TCPP\n    # kval-ignore unknown-field, typo-rule\n    bogus: 1",
        top = comments(20, ""),
        padding = (0..300).map(|i| format!("  key{i}: value {i}\n")).collect::<String>(),
    );
    let data: String = (0..400).map(|i| format!("\"k{i}\":\"v\",")).collect();
    let long = format!(
        "{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"long\"}},\"data\":{{{data}\"bad key!\":1}}}}"
    );
    for (name, text) in [
        ("lf.yaml", format!("{text}\n")),
        ("crlf.yaml", text.replace('\n', "\r\n")),
        ("cr.yaml", format!("{}\r", text.replace('\n', "\r"))),
        ("long.json", long),
    ] {
        std::fs::write(dir.path().join(name), text).expect("write a file");
    }
    let paths = [dir.path().to_string_lossy().into_owned()];
    let json = json(&paths);
    for rule in [
        "invalid-type",
        "duplicate-env-var",
        "api-server-warning",
        "invalid-configmap",
        "\"fix\"",
        "unused-suppression",
        "invalid-suppression",
    ] {
        assert!(json.contains(rule), "{rule} is not in the output");
    }
    assert_same_output(&paths);
}

/// The examples of every cross-document rule, each in a file, again in a copy of the
/// file (`duplicate-object` across files) and again in a namespace of its own: the
/// inventory spilled to temporary files (each namespace checked apart, see
/// `rules::spill`) finds what it finds kept in memory.
#[test]
fn a_spilled_inventory_finds_what_one_in_memory_finds() {
    use kval::rules::{ALL, Check};
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut options = LintOptions::default();
    let mut files = 0;
    for rule in ALL.iter().filter(|r| matches!(r.check, Check::Run(_))) {
        options.rules.enable(rule.id).expect("a rule of the registry");
        let doc = rule.documentation();
        for (i, block) in doc.split("```yaml\n").skip(1).filter_map(|b| b.split("```").next()).enumerate() {
            let elsewhere = block.replace("metadata:\n", "metadata:\n  namespace: spilled\n");
            for (name, text) in [("", block), ("-copy", block), ("-spilled", elsewhere.as_str())] {
                let name = format!("{}-{i}{name}.yaml", rule.id);
                std::fs::write(dir.path().join(name), text).expect("write an example");
                files += 1;
            }
        }
    }
    assert!(files > 30, "only {files} examples");
    // A kind that no rule looks up unless an autoscaler names it: read back then.
    let named_kind = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: spilled\n---\n\
                      apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n  \
                      namespace: spilled\nspec:\n  scaleTargetRef: {apiVersion: v1, kind: ConfigMap, name: web-confg}\n  \
                      minReplicas: 1\n  maxReplicas: 2\n";
    std::fs::write(dir.path().join("scale-target.yaml"), named_kind).expect("write an example");
    let paths = [dir.path().to_string_lossy().into_owned()];
    let reference = outputs_with(&paths, LintOptions { memory: Memory::UNBOUNDED, ..options.clone() });
    let spilled = outputs_with(&paths, LintOptions { memory: TIGHTEST, ..options.clone() });
    // Each file's objects written at once above; here a few files' to a segment.
    let segments =
        outputs_with(&paths, LintOptions { memory: Memory { inventory_bytes: Some(4096), ..TIGHTEST }, ..options });
    for ((format, expected), (_, got)) in reference.iter().zip(&spilled).chain(reference.iter().zip(&segments)) {
        // The formats that name the objects (the compact one and GitHub's do not).
        let named = matches!(format, Format::Json | Format::Human | Format::Junit | Format::Sarif);
        for rule in
            ["duplicate-object", "dangling-service", "access-to-secrets", "missing-service-account", "web-config"]
        {
            assert!(!named || expected.contains(rule), "{rule} is not in the {format:?} output");
        }
        assert!(
            expected == got,
            "{format:?} output changed:\n{}",
            similar::TextDiff::from_lines(expected, got).unified_diff()
        );
    }
}

/// Standard input is copied to a temporary file and let go once checked, as a file
/// is: the findings made after that (here `duplicate-object`, whose secondary label
/// shows the first copy's line) read it again, and the output is the one of the same
/// text in a file.
#[test]
fn standard_input_reads_again_as_a_file_does() {
    use std::io::Write;
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  mode: fast\n---\n\
                apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: yes\n  \
                selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    \
                spec:\n      serviceAccountName: wbe\n      containers: [{name: web, image: web:1.0}]\n---\n\
                apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n---\n\
                apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  mode: safe\n";
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("in.yaml");
    std::fs::write(&file, text).expect("write the input");
    let from_file = common::kval().args(["lint", "-o", "human"]).arg(&file).output().expect("run kval");
    let mut child = common::kval()
        .args(["lint", "-o", "human", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run kval");
    child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write stdin");
    let from_stdin = child.wait_with_output().expect("kval output");
    let expected = String::from_utf8_lossy(&from_file.stdout).replace(&*file.to_string_lossy(), "<stdin>");
    let got = String::from_utf8_lossy(&from_stdin.stdout);
    for rule in ["duplicate-object", "missing-service-account", "first defined here"] {
        assert!(expected.contains(rule), "{rule} is not in the output:\n{expected}");
    }
    assert_eq!(got, expected);
    assert_eq!(from_stdin.status.code(), from_file.status.code());
}

/// Files whose text is let go are checked as they are read, before the Namespaces and
/// admission policies of the other files are known (see `lint::speculate`): those
/// the admission configuration of the input applies to are checked again, and the
/// output is the one of a run that keeps every file. The Deployments come before the
/// configuration in the input and are small, so that they are read (and checked)
/// first; some have findings, the others none until Pod Security levels apply.
#[test]
fn files_checked_before_the_admission_configuration_is_known_are_checked_again_when_it_applies() {
    let deployment = |name: &str, namespace: &str| {
        let padding: String =
            (0..40).map(|i| format!("    note-{i}: padding so that this file is read first\n")).collect();
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {namespace}\n  \
             annotations:\n{padding}spec:\n  replicas: 7\n  selector:\n    matchLabels: {{app: {name}}}\n  \
             template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n      \
             - name: {name}\n        image: registry.example/{name}:1.0\n        securityContext: {{privileged: true}}\n"
        )
    };
    // Nothing to report but what the Namespace's Pod Security levels say (no
    // `seccompProfile`).
    let quiet = |name: &str, namespace: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  \
             selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    \
             spec:\n      securityContext: {{runAsNonRoot: true, runAsUser: 1000}}\n      containers:\n      \
             - name: {name}\n        image: registry.example/{name}:1.0\n        securityContext:\n          \
             allowPrivilegeEscalation: false\n          readOnlyRootFilesystem: true\n          \
             capabilities: {{drop: [ALL]}}\n        resources:\n          requests: {{cpu: 100m, memory: 64Mi}}\n          \
             limits: {{memory: 64Mi}}\n        readinessProbe:\n          httpGet: {{path: /, port: 8080}}\n        \
             livenessProbe:\n          httpGet: {{path: /, port: 8080}}\n"
        )
    };
    let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: testing\n  labels:\n    \
                     environment: test\n    pod-security.kubernetes.io/enforce: restricted\n";
    let policy = "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  \
                  name: replicas\nspec:\n  matchConstraints:\n    resourceRules:\n    - apiGroups: [apps]\n      \
                  apiVersions: [v1]\n      operations: [CREATE]\n      resources: [deployments]\n  validations:\n  \
                  - expression: object.spec.replicas <= 5\n---\napiVersion: admissionregistration.k8s.io/v1\n\
                  kind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: replicas\nspec:\n  policyName: replicas\n  \
                  validationActions: [Deny]\n";
    // Pod Security levels from a Namespace's labels, then a policy bound to every object.
    for extra in [None, Some(policy)] {
        let dir = tempfile::tempdir().expect("temporary directory");
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write a file");
        write("namespace.yaml", namespace);
        if let Some(policy) = extra {
            write("policy.yaml", policy);
        }
        for (i, ns) in ["testing", "default", "testing", "other"].into_iter().enumerate() {
            write(&format!("app-{i}.yaml"), &deployment(&format!("app-{i}"), ns));
            write(&format!("app-{i}-quiet.yaml"), &quiet(&format!("app-{i}-quiet"), ns));
        }
        write("app-settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {a: b}\n");
        let paths = [dir.path().to_string_lossy().into_owned()];
        let json = json(&paths);
        let quiet_again = "app-0-quiet.yaml";
        for expected in ["pod-security", extra.map_or("restricted", |_| "admission-policy"), quiet_again] {
            assert!(json.contains(expected), "{expected} is not in the output:\n{json}");
        }
        assert_same_output(&paths);
    }
}
