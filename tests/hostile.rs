//! Hostile and broken input: kval answers each with a message and exit status 1 or
//! 2, never a crash (a signal) or a hang, and checks the other inputs of the run.
//!
//! The small inputs are in `tests/hostile/`; the big ones (a 100 MB file, 10,000-deep
//! nesting, ...) and the ones git cannot hold (a FIFO, a symbolic link loop, an
//! unreadable file) are made at test time in a temporary directory, where kval runs
//! so that the paths in the snapshots are stable. Time and memory are measured by
//! `scripts/hostile-bench.sh`, not here.

// Test code: a panic here is a failing test (the panic lints are for kval itself).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable
)]

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{root, settings};

/// Far beyond what any input takes (well under a second in a release build): only a
/// hang reaches it, even with a debug build on a busy machine.
const TIMEOUT: Duration = Duration::from_secs(120);

/// How one run of kval ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The run as a snapshot: exit status and both outputs.
    fn transcript(&self) -> String {
        format!("exit status: {}\n----- stdout -----\n{}----- stderr -----\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs kval in `dir` with standard input closed, killing it after [`TIMEOUT`].
/// Fails the test on a hang or a signal.
fn kval(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kval"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kval starts");
    // Read both pipes while waiting, so that a large output cannot block kval.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for kval") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`kval {}` did not finish within {TIMEOUT:?}: it hangs", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = stdout.join().expect("stdout reader");
    let stderr = stderr.join().expect("stderr reader");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert!(status.signal().is_none(), "`kval {}` was killed by signal {:?}:\n{stderr}", args.join(" "), status);
    }
    let code = status.code().expect("an exit status");
    Run { code, stdout, stderr }
}

/// The directory every test here works in: the committed hostile inputs and the
/// generated ones, made once per test run under Cargo's directory for test files (a
/// static `TempDir` is never dropped, and left 118 MB in /tmp after each run).
fn workdir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the hostile inputs' directory");
        populate(&dir);
        dir
    })
}

/// Puts the committed hostile inputs and the generated ones in `dir`.
fn populate(dir: &Path) {
    for entry in std::fs::read_dir(root().join("tests/hostile")).expect("tests/hostile") {
        let path = entry.expect("an entry").path();
        std::fs::copy(&path, dir.join(path.file_name().expect("a name"))).expect("copy");
    }
    generate(dir);
}

/// Writes the hostile inputs to `$KVAL_HOSTILE_DIR`, for `scripts/hostile-bench.sh`.
#[test]
#[ignore = "run by scripts/hostile-bench.sh"]
fn write_inputs_for_the_benchmark() {
    let dir = std::env::var_os("KVAL_HOSTILE_DIR").expect("KVAL_HOSTILE_DIR names an empty directory");
    populate(Path::new(&dir));
}

/// Writes the inputs too big, or too odd, to commit.
fn generate(dir: &Path) {
    let write = |name: &str, text: &[u8]| std::fs::write(dir.join(name), text).expect("write an input");
    let n = 10_000;
    write("deep-flow-sequences.yaml", format!("a: {}{}\n", "[".repeat(n), "]".repeat(n)).as_bytes());
    write("deep-flow-mappings.yaml", format!("{}x{}\n", "{a: ".repeat(n), "}".repeat(n)).as_bytes());
    write("deep-block-sequences.yaml", format!("{}x\n", "- ".repeat(n)).as_bytes());
    write("deep-unclosed.yaml", "[{".repeat(n).as_bytes());
    // 100,001 documents, one more than the default limit.
    write("many-documents.yaml", "---\n{}\n".repeat(100_001).as_bytes());
    // A scalar of 17 MiB, over the default limit of 16 MiB.
    let long = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: {}\n",
        "x".repeat(17 * 1024 * 1024)
    );
    write("long-scalar.yaml", long.as_bytes());
    // A merge of a mapping of 100,000 keys into one of 100,000 others: quadratic if
    // done naively.
    let keys = |prefix: &str| (0..100_000).map(|i| format!("{prefix}{i}: 0")).collect::<Vec<_>>().join(", ");
    write("merge-bomb.yaml", format!("kind: ConfigMap\na: {{<<: {{{}}}, {}}}\n", keys("k"), keys("x")).as_bytes());
    // 100,000 duplicate keys: each a finding, beyond the limit of 10,000 per file.
    let dupes =
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\ndata:\n{}", "  a: b\n".repeat(100_000));
    write("duplicate-keys.yaml", dupes.as_bytes());
    // One line of 1 MB (minified JSON) with 12,000 mistakes: each finding must not
    // render the whole line.
    let item = |i: usize| {
        format!(r#"{{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": "c{i}"}}, "data": {{"a": 1}}}}"#)
    };
    let items: Vec<String> = (0..12_000).map(item).collect();
    write(
        "minified.json",
        format!(r#"{{"apiVersion": "v1", "kind": "List", "items": [{}]}}"#, items.join(", ")).as_bytes(),
    );
    // 100 MB of generated Deployments, over the default file size limit of 64 MiB.
    let mut file = std::io::BufWriter::new(std::fs::File::create(dir.join("generated-100mb.yaml")).expect("create"));
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    \
                      matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      \
                      containers:\n      - name: web\n        image: nginx:1.27\n---\n";
    for _ in 0..(100_000_000 / deployment.len() + 1) {
        file.write_all(deployment.as_bytes()).expect("write");
    }
    file.flush().expect("flush");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("loop-b.yaml", dir.join("loop-a.yaml")).expect("symlink");
        std::os::unix::fs::symlink("loop-a.yaml", dir.join("loop-b.yaml")).expect("symlink");
        let fifo = dir.join("fifo.yaml");
        let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
        assert!(made, "mkfifo {}", fifo.display());
    }
}

/// Every input of the hostile set: a file of `tests/hostile/` or a generated one, or
/// another kind of path, with the flags it is run with.
const CASES: &[(&str, &[&str])] = &[
    ("billion-laughs.yaml", &[]),
    ("alias-bomb-in-object.yaml", &[]),
    ("alias-to-unknown-anchor.yaml", &[]),
    ("binary.yaml", &[]),
    ("complex-key.yaml", &[]),
    ("control-characters.yaml", &[]),
    ("half-written.yaml", &[]),
    ("mixed-line-endings.yaml", &[]),
    ("non-utf8.yaml", &[]),
    ("nul-in-text.yaml", &[]),
    ("scalar-document.yaml", &[]),
    ("sequence-document.yaml", &[]),
    ("tab-indentation.yaml", &[]),
    ("unclosed-flow.yaml", &[]),
    ("utf16-le-bom.yaml", &[]),
    ("utf16-be-bom.yaml", &[]),
    ("deep-flow-sequences.yaml", &[]),
    ("deep-flow-mappings.yaml", &[]),
    ("deep-block-sequences.yaml", &[]),
    ("deep-unclosed.yaml", &[]),
    ("many-documents.yaml", &[]),
    ("long-scalar.yaml", &[]),
    ("merge-bomb.yaml", &[]),
    ("duplicate-keys.yaml", &["--output", "compact", "--max-findings", "3"]),
    ("minified.json", &["--max-findings", "3"]),
    ("generated-100mb.yaml", &[]),
    ("does-not-exist.yaml", &[]),
    ("loop-a.yaml", &[]),
    ("fifo.yaml", &[]),
    ("/dev/zero", &[]),
];

/// The snapshot name of a case: its file name without the extension.
fn case_name(path: &str) -> String {
    let name = Path::new(path).file_stem().map_or(path.into(), |s| s.to_string_lossy().into_owned());
    name.replace(['.', '-'], "_")
}

#[test]
fn every_hostile_input_gets_a_message_and_status_1_or_2() {
    let dir = workdir();
    let mut failures = Vec::new();
    for (path, flags) in CASES {
        let mut args = vec!["lint", path];
        args.extend_from_slice(flags);
        let run = kval(dir, &args);
        if !(run.code == 1 || run.code == 2) || !run.stdout.contains("error[") {
            failures.push(format!("`kval {}`:\n{}", args.join(" "), run.transcript()));
        }
        settings().bind(|| insta::assert_snapshot!(case_name(path), run.transcript()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Empty files, comment-only files and `---`-only streams are valid, as kubeconform
/// and kubectl-validate treat them; a run that found no object at all gets a warning.
#[test]
fn files_without_objects_are_valid() {
    let dir = workdir();
    for path in ["empty.yaml", "comments-only.yaml", "only-dashes.yaml"] {
        let run = kval(dir, &["lint", path]);
        assert_eq!(run.code, 0, "{}", run.transcript());
        settings().bind(|| insta::assert_snapshot!(case_name(path), run.transcript()));
    }
    let run = kval(dir, &["lint", "empty.yaml", "comments-only.yaml", "only-dashes.yaml", "utf16-le-bom.yaml"]);
    assert!(!run.stdout.contains("no-objects"), "{}", run.transcript());
}

/// A hostile file among good ones affects only itself: the others are checked.
#[test]
fn other_files_are_still_checked() {
    let dir = workdir();
    std::fs::copy(root().join("examples/daemonset.yaml"), dir.join("daemonset.yaml")).expect("copy");
    let paths: Vec<&str> = CASES.iter().map(|(path, _)| *path).collect();
    let mut args = vec!["lint", "--output", "compact"];
    args.extend(&paths);
    args.push("daemonset.yaml");
    let run = kval(dir, &args);
    assert_eq!(run.code, 2, "{}", run.transcript());
    // The mistakes of the good file, after all the hostile ones.
    assert!(run.stdout.contains("daemonset.yaml:"), "{}", run.transcript());
    for (path, _) in CASES {
        assert!(run.stdout.contains(&format!("{path}:")), "nothing about {path}:\n{}", run.transcript());
    }
}

/// Each limit has a flag that raises it: the same file then passes that limit.
#[test]
fn limits_can_be_raised() {
    let dir = workdir();
    // 150,000 nodes through aliases: over the default budget, under a raised one.
    let aliases = format!("a: &a [{}]\nb: [{}]\n", vec!["x"; 1000].join(", "), vec!["*a"; 150].join(", "));
    std::fs::write(dir.join("aliases-150k.yaml"), aliases).expect("write");
    // The file, the flags, and the message of the limit it exceeds by default.
    let cases: &[(&str, &[&str], &str)] = &[
        ("aliases-150k.yaml", &[], "aliases expand to more than"),
        ("aliases-150k.yaml", &["--max-alias-nodes", "200000"], "aliases expand to more than"),
        ("many-documents.yaml", &["--max-documents", "200000"], "documents in one file"),
        ("long-scalar.yaml", &["--max-scalar-bytes", "20000000"], "a scalar of"),
        ("duplicate-keys.yaml", &["--max-file-findings", "200000"], "findings in"),
        // The 100 MB file with raised limits is in `scripts/hostile-bench.sh`: too slow
        // for a debug build.
    ];
    for (path, flags, message) in cases {
        let mut args = vec!["lint", "--output", "compact", path];
        args.extend_from_slice(flags);
        let run = kval(dir, &args);
        // Only the run with the default limits exceeds it.
        assert_eq!(run.stdout.contains(message), flags.is_empty(), "{}", run.transcript());
    }
}

/// ... and lowering one makes it reject a file it accepted.
#[test]
fn limits_can_be_lowered() {
    let dir = workdir();
    let run = kval(dir, &["lint", "--max-depth", "3", "deep-block-sequences.yaml"]);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
    let run = kval(root().as_path(), &["lint", "--max-depth", "3", "examples/web.yaml"]);
    assert!(run.stdout.contains("nesting deeper than 3 levels"), "{}", run.transcript());
    let run = kval(root().as_path(), &["lint", "--max-scalar-bytes", "5", "examples/web.yaml"]);
    assert!(run.stdout.contains("exceeds the limit of 5"), "{}", run.transcript());
    let run = kval(root().as_path(), &["lint", "--max-file-bytes", "10", "examples/web.yaml"]);
    assert!(run.stdout.contains("more than the limit of 10"), "{}", run.transcript());
    let run = kval(root().as_path(), &["lint", "--max-documents", "1", "examples/web.yaml"]);
    assert!(run.stdout.contains("more than 1 documents"), "{}", run.transcript());
    let run = kval(root().as_path(), &["lint", "--max-file-findings", "2", "tests/fixtures/lint/types.yaml"]);
    assert!(run.stdout.contains("more than 2 findings"), "{}", run.transcript());
}

/// A directory walk skips binary files and symbolic link loops with a note, and
/// checks the rest.
#[test]
fn walking_skips_binary_files_and_link_loops() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let tree = dir.path().join("manifests");
    std::fs::create_dir_all(tree.join("sub")).expect("mkdir");
    std::fs::copy(root().join("tests/hostile/binary.yaml"), tree.join("binary.yaml")).expect("copy");
    std::fs::copy(root().join("examples/web.yaml"), tree.join("sub/web.yaml")).expect("copy");
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", tree.join("sub/up")).expect("symlink");
    let run = kval(dir.path(), &["lint", "manifests"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

/// The files a run checks, in order: a walk's in path order (`a/` before `a-c/`),
/// without hidden files, what an ignore file excludes, or the files of a chart or
/// Kustomize root, and through symbolic links; a path given again (named, or found
/// by another walk) is checked where it came first, while another spelling of it
/// (`./a.yaml`) is another input. Guards the walk that collects names, not paths.
#[test]
fn walking_order_and_duplicates() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let base = dir.path();
    for name in [
        "a.yaml",
        "a/b.yaml",
        "a/b/c.yml",
        "a-c/x.json",
        ".hidden/h.yaml",
        "skipped/s.yaml",
        "kept.yaml",
        "chart/templates/t.yaml",
        "k/r.yaml",
        "k/other.yaml",
    ] {
        let path = base.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).expect("mkdir");
        std::fs::write(path, "kind: Pod\n").expect("write");
    }
    std::fs::write(base.join("chart/Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n").expect("write");
    std::fs::write(base.join("k/kustomization.yaml"), "resources: [r.yaml]\n").expect("write");
    std::fs::write(base.join(".gitignore"), "skipped/\n").expect("write");
    std::fs::write(base.join("notes.txt"), "kind: Pod\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::os::unix::fs::symlink("a", base.join("link")).expect("symlink");
        std::fs::write(base.join(std::ffi::OsStr::from_bytes(b"a\xff.yaml")), "kind: Pod\n").expect("write");
    }
    let files = |args: &[&str]| -> Vec<String> {
        let run = kval(base, &[&["lint", "-o", "compact", "--no-render"], args].concat());
        run.stdout.lines().filter_map(|line| line.split_once(':')).map(|(name, _)| name.to_string()).collect()
    };
    let walked = ["a/b/c.yml", "a/b.yaml", "a-c/x.json", "a.yaml", "kept.yaml", "link/b/c.yml", "link/b.yaml"];
    #[cfg(unix)]
    let walked = [&walked[..4], &["a\u{FFFD}.yaml"], &walked[4..]].concat();
    assert_eq!(files(&["."]), walked);
    let absolute = base.to_str().unwrap();
    assert_eq!(files(&[absolute]).len(), walked.len());
    assert_eq!(files(&["a", "kept.yaml", "a", "a/b.yaml"]), ["a/b/c.yml", "a/b.yaml", "kept.yaml"]);
    assert_eq!(files(&["a/b.yaml", "a"]), ["a/b.yaml", "a/b/c.yml"]);
    assert_eq!(files(&["link/b.yaml", "a/b.yaml", "a//b.yaml", "k/r.yaml"]), ["link/b.yaml", "a/b.yaml"]);
    assert_eq!(files(&["./a.yaml", "a.yaml", "."]).iter().filter(|f| *f == "a.yaml").count(), 2);
    assert_eq!(files(&["chart/templates/t.yaml", "k/other.yaml"]), ["k/other.yaml"]);
}

/// A directory without manifests is worth a note, not an error.
#[test]
fn directory_without_manifests() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(dir.path().join("charts")).expect("mkdir");
    std::fs::write(dir.path().join("charts/README.md"), "# charts\n").expect("write");
    let run = kval(dir.path(), &["lint", "charts"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

/// Standard input that is empty, binary, or not UTF-8.
#[test]
fn hostile_standard_input() {
    for (name, input) in [
        ("stdin_empty", &b""[..]),
        ("stdin_binary", &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..]),
        ("stdin_latin1", &b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n"[..]),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kval"))
            .args(["lint", "-"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kval starts");
        child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
        let out = child.wait_with_output().expect("kval ends");
        let run = Run {
            code: out.status.code().expect("an exit status"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert_eq!(run.code, if name == "stdin_empty" { 0 } else { 1 }, "{}", run.transcript());
        settings().bind(|| insta::assert_snapshot!(name, run.transcript()));
    }
}

/// Permission denied, on a file named and inside a walked directory. As root
/// (where permissions do not apply) kval runs as `nobody` through `setpriv`; the test
/// is skipped with a notice when that is not possible.
#[cfg(unix)]
#[test]
fn permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let base = dir.path();
    let mode = |path: &Path, mode: u32| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
    mode(base, 0o755).expect("chmod");
    std::fs::create_dir_all(base.join("tree/locked")).expect("mkdir");
    std::fs::copy(root().join("examples/web.yaml"), base.join("tree/web.yaml")).expect("copy");
    std::fs::copy(root().join("examples/web.yaml"), base.join("tree/locked/hidden.yaml")).expect("copy");
    std::fs::copy(root().join("examples/web.yaml"), base.join("secret.yaml")).expect("copy");
    std::fs::copy(root().join("examples/web.yaml"), base.join("tree/unreadable.yaml")).expect("copy");
    mode(&base.join("tree"), 0o755).expect("chmod");
    mode(&base.join("tree/web.yaml"), 0o644).expect("chmod");
    mode(&base.join("tree/locked"), 0o000).expect("chmod");
    mode(&base.join("secret.yaml"), 0o000).expect("chmod");
    mode(&base.join("tree/unreadable.yaml"), 0o000).expect("chmod");

    let root_user = std::fs::read_to_string("/proc/self/status")
        .is_ok_and(|s| s.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0")));
    let mut cmd = if root_user {
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].into_iter().find(|p| Path::new(p).exists());
        let Some(setpriv) = setpriv else {
            eprintln!("notice: running as root without setpriv: skipping the permission test");
            return;
        };
        let mut cmd = Command::new(setpriv);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_kval")]);
        cmd
    } else {
        Command::new(env!("CARGO_BIN_EXE_kval"))
    };
    let out = cmd
        .args(["lint", "secret.yaml", "tree"])
        .current_dir(base)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("kval runs");
    let run = Run {
        code: out.status.code().expect("an exit status"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    if run.code == 126 || run.code == 127 {
        // The kval binary itself is not reachable by `nobody` (a private target dir).
        eprintln!("notice: `nobody` cannot run kval here: skipping the permission test");
        return;
    }
    mode(&base.join("tree/locked"), 0o755).expect("chmod back, so the directory can be removed");
    assert_eq!(run.code, 2, "{}", run.transcript());
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}
