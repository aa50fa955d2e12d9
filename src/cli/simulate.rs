//! `kval simulate`: dry-run the workload controllers over manifests.

use std::collections::BTreeMap;
use std::process::ExitCode;

use super::lint::LimitArgs;
use super::{exit, print_stdout, usage_error};
use crate::finding::Finding;
use crate::input::WalkOptions;
use crate::kube::duration;
use crate::schema::KubeVersion;
use crate::simulate::load::{LoadOptions, load};
use crate::simulate::output::{self, Format, Show};
use crate::simulate::world::{FailWith, Millis};
use crate::simulate::{DEFAULT_IMAGE_PULL, DEFAULT_NOW, DEFAULT_START_DELAY, Gates, Options, simulate};

#[derive(clap::Args, Debug)]
#[command(after_help = "Exit status: 0 when every document was simulated, 1 when documents with errors were \
                        left out (or, with --strict, when a field is not modelled; with --fail-on-*, when a Pod is Pending or \
                        crash-looping or a Job failed), 2 on a usage or read error.\n\nHashes and random name suffixes are kval's own \
                        (seeded, not cluster-exact). The README section \"kval simulate\" says what is modelled.")]
pub struct SimulateArgs {
    /// Files or directories to read (`.yaml`, `.yml`, `.json`); `-` reads standard input
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,

    /// Worker nodes of the default cluster (it also has one tainted control-plane node)
    #[arg(long, value_name = "N", conflicts_with = "cluster", value_parser = worker_count)]
    pub nodes: Option<usize>,

    /// Take the nodes from the Node manifests in this file instead of the default cluster
    #[arg(long, value_name = "FILE")]
    pub cluster: Option<String>,

    /// Show the state at this moment (`30s`, `2m`) instead of at the end
    #[arg(long, value_name = "DURATION")]
    pub at: Option<String>,

    /// Print the events in order, like `kubectl get events`
    #[arg(long)]
    pub timeline: bool,

    /// Print the steps of each Deployment's rolling update
    #[arg(long)]
    pub rollout: bool,

    /// How long a container that runs to completion runs, unless its command has an obvious `sleep N`
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    pub run_duration: String,

    /// Timing of the kubelet: `realistic` (image pulls, container start, probe ticks) or `zero` (pulls and
    /// start take no time)
    #[arg(long, value_name = "TIMING", default_value = "realistic", value_parser = ["realistic", "zero"])]
    pub timing: String,

    /// Time from binding to the first image pull (the Pod sandbox) [default: 1s, 0s with --timing zero]
    #[arg(long, value_name = "DURATION")]
    pub start_delay: Option<String>,

    /// Time to pull an image a node does not have (or any image under `imagePullPolicy: Always`)
    /// [default: 17s, 0s with --timing zero]
    #[arg(long, value_name = "DURATION")]
    pub image_pull: Option<String>,

    /// Make runs fail: `POD=N` fails that Pod's first N runs; `WORKLOAD=N` fails the first run of each of
    /// the first N Pods a Job, CronJob or other workload creates (repeatable). A failed run exits with
    /// code 1; `NAME=N:CODE` picks the exit code, `NAME=N:evicted` evicts the Pod instead (condition
    /// DisruptionTarget), for a Job's podFailurePolicy
    #[arg(long, value_name = "NAME=N[:HOW]")]
    pub fail: Vec<String>,

    /// Scheduled runs of each CronJob to simulate
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub runs: usize,

    /// The start of the simulation, RFC 3339: CronJobs run at their next scheduled times after it
    #[arg(long, value_name = "TIME", default_value = DEFAULT_NOW)]
    pub now: String,

    /// Seed of the random Pod name suffixes
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,

    /// Output format
    #[arg(long, short = 'o', value_name = "FORMAT", default_value = "human", value_parser = clap::builder::PossibleValuesParser::new(Format::NAMES))]
    pub output: String,

    /// Kubernetes version whose schemas check the input [default: newest embedded]
    #[arg(long, short = 'k', value_name = "VERSION")]
    pub kubernetes_version: Option<String>,

    /// Also read hidden files and directories and what .gitignore excludes
    #[arg(long)]
    pub all_files: bool,

    /// Exit with status 1 when the input has a field the simulation does not model
    #[arg(long)]
    pub strict: bool,

    /// Exit with status 1 when a Pod is still Pending (unschedulable) at the moment shown
    #[arg(long)]
    pub fail_on_pending: bool,

    /// Exit with status 1 when a Job (also a CronJob's) has failed
    #[arg(long)]
    pub fail_on_failed_job: bool,

    /// Exit with status 1 when a Pod is in CrashLoopBackOff at the moment shown
    #[arg(long)]
    pub fail_on_crash_loop: bool,

    #[command(flatten)]
    pub limits: LimitArgs,
}

fn options(args: &SimulateArgs, version: KubeVersion) -> Result<Options, String> {
    let parse = |flag: &str, text: &str| duration::parse(text).map_err(|e| format!("`--{flag} {text}`: {e}"));
    let mut fail = BTreeMap::new();
    for setting in &args.fail {
        let parsed = setting.rsplit_once('=').and_then(|(name, value)| {
            let (n, how) = value.split_once(':').unwrap_or((value, "1"));
            let how = match how {
                "evicted" => FailWith::Eviction,
                code => FailWith::Exit(code.parse().ok().filter(|c| (1..=255).contains(c))?),
            };
            Some((name, (n.parse::<u32>().ok()?, how)))
        });
        let Some((name, failures)) = parsed.filter(|(name, _)| !name.is_empty()) else {
            return Err(format!(
                "`--fail {setting}`: expected NAME=N or NAME=N:CODE (exit code 1-255) or NAME=N:evicted, e.g. `--fail backup=2`"
            ));
        };
        fail.insert(name.to_string(), failures);
    }
    let zero = args.timing == "zero";
    let timing = |flag: &str, text: &Option<String>, realistic: Millis| match text {
        Some(text) => parse(flag, text),
        None => Ok(if zero { 0 } else { realistic }),
    };
    Ok(Options {
        workers: args.nodes,
        seed: args.seed,
        run_duration: parse("run-duration", &args.run_duration)?,
        start_delay: timing("start-delay", &args.start_delay, DEFAULT_START_DELAY)?,
        image_pull: timing("image-pull", &args.image_pull, DEFAULT_IMAGE_PULL)?,
        version,
        at: args.at.as_deref().map(|t| parse("at", t)).transpose()?,
        fail,
        runs: args.runs,
        now: args
            .now
            .parse()
            .map_err(|_| format!("`--now {}`: expected an RFC 3339 time such as `{DEFAULT_NOW}`", args.now))?,
        nodes: Vec::new(),
    })
}

/// `file:line:col: message [rule]`, the short form used on standard error.
fn brief(f: &Finding) -> String {
    let at = f.location.start();
    format!("{}:{}:{}: {} [{}]", f.location.source.name, at.line, at.col, f.message, f.rule)
}

pub fn run(args: SimulateArgs) -> ExitCode {
    let version = match args.kubernetes_version.as_deref().map(KubeVersion::parse) {
        None => KubeVersion::newest(),
        Some(Ok(v)) => v,
        Some(Err(e)) => return usage_error(&e),
    };
    let mut options = match options(&args, version) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    let load_options =
        LoadOptions { version, limits: args.limits.limits(), walk: WalkOptions { all_files: args.all_files } };
    let mut unreadable = 0;
    let mut problems = Vec::new();
    if let Some(file) = &args.cluster {
        let loaded = load(std::slice::from_ref(file), &load_options);
        unreadable += loaded.unreadable;
        problems.extend(loaded.problems);
        // The cluster's own objects: its nodes, and the classes and volumes they come with.
        let cluster_kinds = ["Node", "PriorityClass", "Namespace", "StorageClass", "PersistentVolume"];
        options.nodes = loaded.objects.into_iter().filter(|o| cluster_kinds.contains(&o.kind.as_str())).collect();
        if !options.nodes.iter().any(|o| o.kind == "Node") && loaded.unreadable == 0 {
            return usage_error(&format!("`--cluster {file}`: no Node manifests in it"));
        }
    }
    let loaded = load(&args.paths, &load_options);
    unreadable += loaded.unreadable;
    problems.extend(loaded.problems);
    for f in &problems {
        eprintln!("error: {}", brief(f));
    }
    for x in &loaded.excluded {
        eprintln!("error: {} is left out of the simulation:", x.object);
        for f in &x.findings {
            eprintln!("  {}", brief(f));
        }
    }
    if !loaded.excluded.is_empty() {
        eprintln!("help: `kval lint` shows these errors in full");
    }
    for note in &loaded.notes {
        eprintln!("note: {note}");
    }
    // As in `kval lint`, a bug becomes a message and exit status 2, not a crash.
    let mut sim = match crate::lint::catch_panic(|| simulate(&loaded.objects, &options)) {
        Ok(sim) => sim,
        Err(what) => {
            eprintln!("error: internal error in the simulation: {what}");
            eprintln!("help: this is a bug in kval: please report it with the manifests that caused it");
            return exit::code(exit::ERROR);
        }
    };
    sim.excluded = loaded.excluded;
    for warning in &sim.world.warnings {
        eprintln!("warning: {warning}");
    }
    let format = Format::parse(&args.output).unwrap_or(Format::Human);
    let show = Show { timeline: args.timeline, rollout: args.rollout };
    if print_stdout(&output::render(&sim, format, show)).is_err() {
        return exit::code(exit::ERROR);
    }
    let gates = Gates {
        pending: args.fail_on_pending,
        failed_job: args.fail_on_failed_job,
        crash_loop: args.fail_on_crash_loop,
    };
    let gate_failures = sim.gate_failures(gates);
    for failure in &gate_failures {
        eprintln!("error: {failure}");
    }
    let strict_failed = args.strict && !sim.unmodelled.is_empty();
    if strict_failed {
        let n = sim.unmodelled.len();
        let (what, verb) = if n == 1 { ("field or object", "is") } else { ("fields or objects", "are") };
        eprintln!(
            "error: --strict: {n} {what} of the input {verb} not modelled by the simulation (listed under \
             \"Not modelled\", `notModelled` in JSON); the result may differ from a real cluster's"
        );
    }
    exit::code(if unreadable > 0 {
        exit::ERROR
    } else if !sim.excluded.is_empty() || !problems.is_empty() || strict_failed || !gate_failures.is_empty() {
        exit::FINDINGS
    } else {
        exit::CLEAN
    })
}

/// `--nodes`: a cluster needs at least one worker for Pods to run on.
fn worker_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("a cluster needs at least 1 worker node".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}
