//! A lint run: inputs → documents → checks → findings, in parallel over files.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::admission::Admission;
use crate::check::external::SchemaLocations;
use crate::check::{CheckedObject, Checker, SourceReport, source_finding};
use crate::crd::{self, Registry};
use crate::document::Document;
use crate::finding::{Finding, Location, Severity};
use crate::input::{self, Input, Inputs, Unreadable, WalkOptions};
use crate::intern::Sym;
use crate::limits::Limits;
use crate::names::{Name, Names};
use crate::rules::inventory::Resource;
use crate::rules::pod::PodTemplate;
use crate::rules::spill::{Spill, Written, run_checks};
use crate::rules::{Inventory, RuleSet, schema as checks};
use crate::schema::{Catalog, KubeVersion, split_api_version};
use crate::source::{Listed, SourceFile, SourceRef, Span};

mod speculated;
use speculated::Speculated;

#[derive(Clone, Debug)]
pub struct LintOptions {
    pub version: KubeVersion,
    pub ignore_missing_schemas: bool,
    pub rules: RuleSet,
    pub limits: Limits,
    pub walk: WalkOptions,
    /// Keep suppressed findings in the result (marked), instead of only counting them.
    pub show_suppressed: bool,
    /// Inputs whose displayed path matches are not checked (`ignorePaths`).
    pub ignore_paths: Option<crate::config::IgnorePaths>,
    /// Files and directories of CustomResourceDefinitions to use but not lint (`--crd`).
    pub crds: Vec<String>,
    /// Directories (or path templates) of JSON schemas in kubeconform's layouts.
    pub schema_locations: Vec<String>,
    /// The Pod Security level of namespaces without labels (`--pod-security`).
    pub pod_security: Option<crate::admission::pod_security::LevelVersion>,
    /// Files and directories of ValidatingAdmissionPolicies and bindings to apply
    /// but not lint (`--policy`).
    pub policies: Vec<String>,
    /// How Helm charts and Kustomize roots are rendered.
    pub render: crate::render::RenderOptions,
    /// `.kval.yaml`'s `customRules`.
    pub custom_rules: Vec<std::sync::Arc<crate::admission::custom::CustomRule>>,
    /// How much of the input a run holds at once.
    pub memory: Memory,
}

/// What a program does once a run's files are checked, before the namespaces are read
/// back for the cross-document rules: kval's binary has its allocator give back to the
/// system what the checking threads freed, which it would keep while they wait
/// (`src/main.rs`). Set once; nothing by default.
pub static GIVE_BACK: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// How much of the input a run holds at once. Only memory and speed depend on it,
/// never the output (`tests/scale.rs` compares the outputs of both extremes).
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    /// Text kept between reading every input (for the CRDs among them) and checking
    /// it; beyond this, files are read again when checked.
    pub kept_text_bytes: usize,
    /// Whether what is kept of a checked file read from disk lets its text go (and
    /// reads it again if a finding made later needs it).
    pub let_go: bool,
    /// Whether the findings of a file whose text is let go keep only the lines they are
    /// reported on (see `crate::excerpt`) rather than the whole text: not for `--fix`
    /// and `--diff`, which edit the whole text.
    pub excerpts: bool,
    /// Files larger than this are read, checked and let go a part at a time (whole
    /// YAML documents, about `part_bytes` each), so that a file of any size needs the
    /// memory of a part: `Limits::max_file_bytes` bounds the work of a file, no
    /// longer its memory, and `Limits::max_documents` applies to each part. They are
    /// not fixed (`--fix`).
    pub stream_above: u64,
    pub part_bytes: usize,
    /// Whether [`LintResult::objects`] lists every object: only the reports with one
    /// test per object (JUnit, TAP) need it, and a large run holds one per document.
    pub objects: bool,
    /// What the cross-document rules need of each object is written as bytes by the
    /// thread that checked it, this many kept in memory and the rest in temporary
    /// files, and read back a few namespaces at a time (see `rules::spill`); None
    /// keeps every object as it is.
    pub inventory_bytes: Option<usize>,
}

impl Memory {
    /// Everything kept in memory: the simplest run, the reference for the others.
    pub const UNBOUNDED: Memory = Memory {
        kept_text_bytes: usize::MAX,
        let_go: false,
        excerpts: false,
        stream_above: u64::MAX,
        part_bytes: usize::MAX,
        objects: true,
        inventory_bytes: None,
    };
}

impl Default for Memory {
    fn default() -> Self {
        Memory {
            kept_text_bytes: KEPT_TEXT_BYTES,
            let_go: true,
            excerpts: true,
            stream_above: 16 << 20,
            part_bytes: 4 << 20,
            objects: true,
            inventory_bytes: Some(1 << 20),
        }
    }
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            version: KubeVersion::newest(),
            ignore_missing_schemas: false,
            rules: RuleSet::default(),
            limits: Limits::default(),
            walk: WalkOptions::default(),
            show_suppressed: false,
            ignore_paths: None,
            crds: Vec::new(),
            schema_locations: Vec::new(),
            pod_security: None,
            policies: Vec::new(),
            render: crate::render::RenderOptions::default(),
            custom_rules: Vec::new(),
            memory: Memory::default(),
        }
    }
}

/// Everything a run found, in report order.
#[derive(Debug, Default)]
pub struct LintResult {
    pub findings: Vec<Finding>,
    /// Files (and standard input) read.
    pub files: usize,
    pub resources: usize,
    pub skipped: usize,
    /// Paths that could not be read (exit status 2).
    pub unreadable: usize,
    /// Remarks that are not findings (a binary file skipped, a symlink loop).
    pub notes: Vec<String>,
    /// The names of the files (and standard input) read, in report order.
    pub inputs: Names,
    /// Every object checked or skipped, in report order (when [`Memory::objects`]).
    pub objects: Vec<CheckedObject>,
    /// Findings covered by a suppression (listed only with `show_suppressed`).
    pub suppressed: usize,
    /// Files of YAML that is not Kubernetes, skipped.
    pub not_kubernetes: usize,
    pub elapsed: Duration,
    /// CustomResourceDefinitions and custom resources.
    pub custom: CustomCounts,
    /// Findings left out by a baseline, when one was used (`--baseline`).
    pub baselined: Option<usize>,
}

/// What a run did with custom resources.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CustomCounts {
    /// CustomResourceDefinitions registered (from the input and `--crd`).
    pub crds: usize,
    /// Custom resources validated against one of them.
    pub validated: usize,
    /// Custom resources whose CRD is not in the run.
    pub without_crd: usize,
}

impl LintResult {
    /// Findings of a severity, not counting suppressed ones.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity && f.suppressed.is_none()).count()
    }
}

/// Lints files, directories and standard input (`-`).
pub fn lint(paths: &[String], options: &LintOptions) -> LintResult {
    let start = Instant::now();
    let (mut inputs, input_errors) = input::collect(paths, &options.walk);
    if let Some(ignore) = &options.ignore_paths {
        inputs.retain(|inputs, i| !ignore.matches(&inputs.name(i).to_cow()));
    }
    let mut result = LintResult::default();
    input_errors_to(&mut result, input_errors);
    let discovered = crate::discover::discover(inputs);
    let mut inputs = discovered.plain;
    let mappers = render(&discovered.roots, options, &mut inputs, &mut result);
    inputs.shrink_to_fit();
    // Every input is read first: the CRDs among them must be registered before any
    // custom resource is checked. Only files that mention CustomResourceDefinition
    // are parsed for that, and their documents are kept for the check; other texts
    // are kept up to a budget, and beyond it checked as they are read or read again
    // when checked, so that memory does not grow with the input.
    // A file's CRDs are compiled as soon as it is read, while other files are still
    // being read: no core waits for the largest file before compiling begins.
    let budget = AtomicUsize::new(options.memory.kept_text_bytes);
    let locations = SchemaLocations::new(options.schema_locations.clone(), options.version.to_string());
    let spill = options.memory.inventory_bytes.map(Spill::new);
    let listed = Arc::new(Listed::new(inputs.names().clone()));
    // A file whose text is let go is checked at once when its check cannot depend on
    // the CRDs, and is likely not to depend on the admission configuration, that the
    // other files define (see `speculate`): it is then not read twice. Policies bind
    // every object, so once one is met (or given with `--policy`) no more files are.
    let options_only =
        Admission::new(options.version, options.pod_security).with_custom_rules(options.custom_rules.clone());
    let no_crds = Registry::default();
    let speculative =
        checker(options).with_crds(&no_crds).with_schema_locations(&locations).with_admission(&options_only);
    let speculating = AtomicBool::new(options.policies.is_empty());
    let speculated = Mutex::new(Speculated::new(inputs.len()));
    // Only what is more than a file to read again or already checked is kept (in
    // input order, with the file's index): most files of a large run have no CRDs.
    let mut first: Vec<(usize, Read, Vec<crd::Definition>)> = reading_order(&inputs, options.memory.stream_above)
        // Taken from the list in order by whichever core is free.
        .par_bridge()
        .filter_map(|(i, len)| {
            let input = inputs.get(i);
            let read = match read_input(&input, len, options).keep(&input, &budget) {
                Ok(read) => read,
                Err(source) => {
                    let at = (&listed, i);
                    let checked = speculating.load(Ordering::Relaxed).then(|| {
                        let check = || speculate(source, at, &input, options, &speculative, spill.as_ref());
                        guarded(inputs.name(i), check).ok().flatten()
                    });
                    let Some(Some((file, pods_in, outcome))) = checked else { return None };
                    speculated.lock().unwrap_or_else(PoisonError::into_inner).add(file, pods_in, outcome);
                    return None;
                }
            };
            if read.documents().any(crate::admission::policy::is_binding) {
                speculating.store(false, Ordering::Relaxed);
            }
            let compiled = definitions(&read, options);
            Some((i, read, compiled))
        })
        .collect();
    first.sort_unstable_by_key(|&(i, ..)| i);
    let speculated = speculated.into_inner().unwrap_or_else(PoisonError::into_inner);
    let ((kept, mut read), compiled): ((Vec<_>, Vec<_>), Vec<_>) =
        first.into_iter().map(|(i, read, compiled)| ((i, read), compiled)).unzip();
    let registry = registry(compiled, options, &mut result);
    let admission = admission(&mut read, options, &mut result);
    let mut speculated = speculated.settle(&admission);
    result.resources += speculated.resources;

    let checker = checker(options).with_crds(&registry).with_schema_locations(&locations).with_admission(&admission);
    // A batch of files at a time, merged into the run's results before the next batch
    // is checked: what is held per checked file does not pile up.
    let mut read = kept.into_iter().zip(read).peekable();
    // What was read and checked is moved into the iteration: its memory goes before
    // the cross-document rules run.
    let (inputs, listed, run_checker) = (&inputs, &listed, &checker);
    let spilled = spill.as_ref();
    let outcomes = (0..inputs.len()).step_by(BATCH_FILES).flat_map(move |start| {
        let batch: Vec<(usize, Read)> = (start..inputs.len().min(start + BATCH_FILES))
            .map(|i| {
                let kept = read.next_if(|(j, _)| *j == i).map(|(_, r)| r);
                (i, kept.or_else(|| speculated.take(i)).unwrap_or(Read::Later))
            })
            .collect();
        let outcomes: Vec<FileOutcome> = batch
            .into_par_iter()
            .map(|(i, r)| {
                let input = inputs.get(i);
                guarded(inputs.name(i), || check_read(r, (listed, i), &input, options, run_checker, spilled))
                    .unwrap_or_else(FileOutcome::Failed)
            })
            .collect();
        outcomes
    });
    let mut result = finish(result, outcomes, options, inputs.names(), start, &registry, Vec::new(), spill.as_ref());
    drop(checker);
    // The compiled CRD schemas are large trees: freeing them would hold up the report.
    rayon::spawn(move || drop(registry));
    if !mappers.is_empty() {
        result.findings = crate::render::map::apply(std::mem::take(&mut result.findings), &mappers);
        // The files findings were moved to come after the plain inputs, by name.
        let mut mapped: Vec<Name> = result.findings.iter().map(|f| Name::new(&f.location.source.name)).collect();
        mapped.sort();
        mapped.dedup();
        let order: Names = result.inputs.iter().chain(mapped).collect();
        sort_findings(&mut result.findings, &order);
    }
    result
}

/// Renders the charts and Kustomize roots (unless `--no-render`): their output joins
/// the inputs, a failure is a finding. Returns how to map findings back to sources.
fn render(
    roots: &[crate::discover::Root],
    options: &LintOptions,
    inputs: &mut Inputs,
    result: &mut LintResult,
) -> std::collections::HashMap<String, crate::render::map::Mapper> {
    use crate::render::{Outcome, map::Mapper};
    let mut mappers = std::collections::HashMap::new();
    if !options.render.enabled {
        result.notes.extend(roots.iter().map(crate::render::not_rendered));
        return mappers;
    }
    let mut render_options = options.render.clone();
    render_options.kube_version.get_or_insert_with(|| format!("v{}.0", options.version));
    for render in crate::render::render_all(roots, &render_options) {
        match &render.outcome {
            // A chart rendered once more per `ci/` values file fails the same way.
            Outcome::Failed(f) if result.findings.iter().any(|g| g.message == f.message) => {}
            Outcome::Failed(f) => {
                result.unreadable += usize::from(f.rule == checks::RENDER_UNAVAILABLE.id);
                result.findings.push((**f).clone());
            }
            Outcome::Rendered { .. } => {
                let name = render.source_name();
                if let (Some(text), Some(mapper)) = (crate::render::text_of(&render), Mapper::new(&render)) {
                    inputs.push(Input::Rendered { name: name.clone(), text });
                    mappers.insert(name, mapper);
                }
            }
        }
    }
    mappers
}

/// Lints one text, as if it were a file of that name.
pub fn lint_text(name: &str, text: &str, options: &LintOptions) -> LintResult {
    lint_text_among(name, text, options, Vec::new())
}

/// Lints one text in memory, as if it were a file of that name among other files
/// (an editor's workspace): the cross-document rules also see `others`, the
/// objects of those files, and only the text's own findings are kept.
pub fn lint_text_among(name: &str, text: &str, options: &LintOptions, others: Vec<Resource>) -> LintResult {
    let start = Instant::now();
    let source = SourceFile::new(name, text.to_string(), 0);
    let mut read = vec![read_documents(Ok(source), options)];
    let mut result = LintResult::default();
    let registry = registry(read.iter().map(|r| definitions(r, options)), options, &mut result);
    let admission = admission(&mut read, options, &mut result);

    let locations = SchemaLocations::new(options.schema_locations.clone(), options.version.to_string());
    let checker = checker(options).with_crds(&registry).with_schema_locations(&locations).with_admission(&admission);
    // A text already in memory (never standard input, which the language server
    // speaks on): nothing to read again.
    let in_memory = Input::Rendered { name: name.to_string(), text: Arc::from("") };
    let names = Names::from_iter([name]);
    let listed = Arc::new(Listed::new(names.clone()));
    let outcomes = read.into_iter().map(|r| {
        guarded(name, || check_read(r, (&listed, 0), &in_memory, options, &checker, None))
            .unwrap_or_else(FileOutcome::Failed)
    });
    // One text: its objects stay in memory, among `others`.
    let mut result = finish(result, outcomes, options, &names, start, &registry, others, None);
    result.findings.retain(|f| f.location.source.name == name);
    result
}

/// How many bytes of input text `lint` keeps by default between reading every input
/// (for the CRDs) and checking it; beyond this, files are read again when checked.
const KEPT_TEXT_BYTES: usize = 2 << 20;

/// Files `lint` checks in parallel before merging their reports (see `lint`): enough
/// to keep every core busy.
const BATCH_FILES: usize = 256;

/// An input read (and, when it holds CRDs, already parsed).
enum Read {
    Source(Arc<SourceFile>),
    Parsed(Arc<SourceFile>, Vec<Document>, Vec<Finding>),
    /// A file without CRDs whose text was let go, to be read again.
    Later,
    /// A large file, read a part at a time (see [`Memory::stream_above`]).
    Streamed(Vec<Part>),
    Unread(Unread),
    /// A file without CRDs checked as it was read, its text let go (see
    /// [`speculate`]), whose outcome stands.
    Checked(Box<FileOutcome>),
    /// The same, with nothing to report: its objects are counted with the others'.
    Quiet,
    /// The same, to read and check again: admission applies to it.
    Again,
}

/// A part of a large file: where it is, and its documents when it holds CRDs or
/// admission configuration.
struct Part {
    at: input::PartAt,
    parsed: Option<PartRead>,
}

/// A part read: its source, documents, the findings of reading it, and the document
/// indices it used.
type PartRead = (Arc<SourceFile>, Vec<Document>, Vec<Finding>, usize);

impl Read {
    /// Lets the text of a file without CRDs go once `budget` is spent: the source is
    /// returned, to be checked at once or let go.
    fn keep(self, input: &Input, budget: &AtomicUsize) -> Result<Read, Arc<SourceFile>> {
        match self {
            Read::Source(source) if input.origin().is_some() => {
                let len = source.text.len();
                let kept = budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(len));
                if kept.is_ok() { Ok(Read::Source(source)) } else { Err(source) }
            }
            read => Ok(read),
        }
    }
}

/// Checks a file whose text is let go as it is read, before the CRDs and admission
/// configuration of the run are known; None when its check could depend on the CRDs
/// or on the admission configuration of the run (Pod templates in more than one
/// namespace), to be read and checked later. Its objects are all of built-in kinds,
/// which no CRD serves (and none is a CRD): its check does not depend on the CRDs. It
/// depends on the admission configuration only through what
/// [`Admission::collected_applies`] says, given where its Pod templates are (returned
/// with the file's index and outcome); if that applies, the file is checked again.
fn speculate(
    source: Arc<SourceFile>,
    at: (&Arc<Listed>, usize),
    input: &Input,
    options: &LintOptions,
    checker: &Checker<'_>,
    spill: Option<&Spill>,
) -> Option<(u32, Option<Sym>, FileOutcome)> {
    let file = u32::try_from(at.1).ok()?;
    let catalog = Catalog::get(options.version);
    let builtin = |doc: &Document| {
        let (Some(api_version), Some(kind)) = (doc.api_version(), doc.kind()) else { return false };
        let (group, version) = split_api_version(api_version);
        catalog.kind(group, version, kind).is_some() && !crd::is_crd(doc)
    };
    let mut findings = Vec::new();
    let documents = checker.read(&source, &mut findings);
    if !documents.iter().all(builtin) {
        return None;
    }
    let mut pods_in =
        documents.iter().filter(|d| PodTemplate::of(d).is_some()).filter_map(|d| d.object.namespace.as_deref());
    let first = pods_in.next();
    if pods_in.any(|ns| Some(ns) != first) {
        return None;
    }
    let pods_in = first.map(Sym::new);
    let report = checker.check_documents(&source, &documents, findings);
    drop(documents);
    Some((file, pods_in, checked(source, report, at, input, options, spill)))
}

/// The inputs larger than this are read first, the largest first: a large file of
/// CRDs begun last would keep one core busy after the others are done. The others,
/// most files of a large run, are read in input order and their sizes not kept.
const LARGE_BYTES: u64 = 64 << 10;

/// The order inputs are read in, each with its size: those larger than
/// [`LARGE_BYTES`] or `stream_above` (to be read a part at a time) the largest first,
/// then the others in input order, with a size of 0 (they are read whole). Only the
/// large ones are held.
fn reading_order(inputs: &Inputs, stream_above: u64) -> impl Iterator<Item = (usize, u64)> + Send + '_ {
    let above = LARGE_BYTES.min(stream_above);
    let mut large: Vec<(u32, u64)> = (0..inputs.len())
        .into_par_iter()
        .filter_map(|i| {
            let len = inputs.get(i).size();
            Some((u32::try_from(i).ok()?, len)).filter(|_| len > above)
        })
        .collect();
    // Collected in input order.
    let by_index: Vec<u32> = large.iter().map(|&(i, _)| i).collect();
    large.sort_by_key(|&(_, len)| std::cmp::Reverse(len));
    let large = large.into_iter().map(|(i, len)| (i as usize, len));
    let small =
        (0..inputs.len()).filter(move |&i| u32::try_from(i).map_or(true, |i| by_index.binary_search(&i).is_err()));
    large.chain(small.map(|i| (i, 0)))
}

/// Reads an input of `len` bytes.
fn read_input(input: &Input, len: u64, options: &LintOptions) -> Read {
    guarded(input.display_name(), || {
        // A file over the size limit is refused, as one read whole is.
        let large = len > options.memory.stream_above && len <= options.limits.max_file_bytes;
        if large && let Some(streamed) = read_streamed(input, options) {
            return streamed;
        }
        read_documents(read_source(input, &options.limits), options)
    })
    .unwrap_or_else(|finding| Read::Unread(Unread::Failed(finding)))
}

/// Reads a large file a part at a time, parsing only the parts that [`wanted`]; None
/// for a file to read whole (UTF-16).
fn read_streamed(input: &Input, options: &LintOptions) -> Option<Read> {
    let mut parts = Vec::new();
    let read = input::read_parts(input, options.memory.part_bytes, options.limits.max_file_bytes, |at, source| {
        let parsed = wanted(&source.text).then(|| {
            let mut findings = Vec::new();
            let (documents, slots) = checker(options).read_part(&source, &mut findings);
            (source, documents, findings, slots)
        });
        parts.push(Part { at, parsed });
    });
    match read {
        Ok(true) => Some(Read::Streamed(parts)),
        Ok(false) => None,
        Err(e) => Some(Read::Unread(unread(input, e, &options.limits))),
    }
}

/// Whether a text may hold CRDs or admission configuration (Namespaces), which are
/// registered before any object is checked.
fn wanted(text: &str) -> bool {
    text.contains("CustomResourceDefinition") || crate::admission::wants(text)
}

/// Parses a source that may hold CRDs or admission configuration (Namespaces), so
/// that they can be registered before any object is checked.
fn read_documents(source: Result<Arc<SourceFile>, Unread>, options: &LintOptions) -> Read {
    match source {
        Ok(source) if wanted(&source.text) => {
            let mut findings = Vec::new();
            let documents = checker(options).read(&source, &mut findings);
            Read::Parsed(source, documents, findings)
        }
        Ok(source) => Read::Source(source),
        Err(unread) => Read::Unread(unread),
    }
}

/// Paths that could not be used: an error (exit status 2), or a note.
fn input_errors_to(result: &mut LintResult, errors: Vec<input::InputError>) {
    for e in errors {
        if e.fatal {
            result.unreadable += 1;
            let source = SourceFile::new(e.name.clone(), String::new(), 0);
            let message = format!("cannot read `{}`: {}", e.name, e.message);
            result.findings.push(source_finding(&checks::IO_ERROR, &source, message));
        } else {
            result.notes.push(format!("{}: {}", e.name, e.message));
        }
    }
}

/// The CRDs of a file read, compiled: one task per CRD document, so that a single
/// file of many CRDs uses every core.
fn definitions(read: &Read, options: &LintOptions) -> Vec<crd::Definition> {
    let catalog = Catalog::get(options.version);
    let documents: Vec<&Document> = read.documents().filter(|d| crd::is_crd(d)).collect();
    documents.par_iter().filter_map(|d| crd::compile(d, catalog)).collect()
}

/// The CRDs of the inputs (`compiled`, in input order) and of `--crd`, in that
/// order (the first of two CRDs for the same kind wins, except for custom resources
/// of its own file). `--crd` paths that cannot be read go to `result` as the
/// inputs' do.
fn registry(
    compiled: impl IntoIterator<Item = Vec<crd::Definition>>,
    options: &LintOptions,
    result: &mut LintResult,
) -> Registry {
    let (extra_inputs, errors) = input::collect(&options.crds, &options.walk);
    input_errors_to(result, errors);
    let extra: Vec<(Read, Vec<crd::Definition>)> = (0..extra_inputs.len())
        .into_par_iter()
        .map(|i| {
            let i = extra_inputs.get(i);
            let read = read_input(&i, i.size(), options);
            let compiled = definitions(&read, options);
            (read, compiled)
        })
        .collect();
    let mut registry = Registry::default();
    for definition in compiled.into_iter().flatten() {
        registry.add(definition, true);
    }
    for (r, compiled) in extra {
        for definition in compiled {
            registry.add(definition, false);
        }
        match r {
            Read::Unread(Unread::Failed(f)) => {
                result.unreadable += 1;
                result.findings.push(*f);
            }
            Read::Unread(Unread::Note(note)) => result.notes.push(note),
            _ => {}
        }
    }
    registry
}

/// The documents of what was read and parsed.
fn parsed(read: &[Read]) -> impl Iterator<Item = &Document> {
    read.iter().flat_map(Read::documents)
}

impl Read {
    /// The documents parsed while reading (those of files and parts [`wanted`]).
    fn documents(&self) -> Box<dyn Iterator<Item = &Document> + '_> {
        match self {
            Read::Parsed(_, documents, _) => Box::new(documents.iter()),
            Read::Streamed(parts) => {
                Box::new(parts.iter().flat_map(|p| p.parsed.iter().flat_map(|(_, documents, ..)| documents)))
            }
            _ => Box::new(std::iter::empty()),
        }
    }
}

/// The admission configuration of the run: options, `--policy` files, and what the
/// inputs define. Inputs that hold parameter objects of the policies are parsed
/// here (and checked from what is parsed); those whose text was let go are not
/// searched. Expressions of `--policy` files that do
/// not compile, and paths that cannot be read, go to `result`.
fn admission(read: &mut [Read], options: &LintOptions, result: &mut LintResult) -> Admission {
    let mut admission =
        Admission::new(options.version, options.pod_security).with_custom_rules(options.custom_rules.clone());
    let (extra_inputs, errors) = input::collect(&options.policies, &options.walk);
    input_errors_to(result, errors);
    let mut extra: Vec<Read> = extra_inputs.iter().map(|i| read_input(&i, i.size(), options)).collect();
    for r in &mut extra {
        match std::mem::replace(r, Read::Unread(Unread::Note(String::new()))) {
            Read::Unread(Unread::Failed(f)) => {
                result.unreadable += 1;
                result.findings.push(*f);
            }
            Read::Unread(Unread::Note(note)) => result.notes.push(note),
            Read::Source(source) => {
                let mut findings = Vec::new();
                let documents = checker(options).read(&source, &mut findings);
                result.findings.extend(findings);
                *r = Read::Parsed(source, documents, Vec::new());
            }
            Read::Parsed(source, documents, findings) => {
                result.findings.extend(findings);
                *r = Read::Parsed(source, documents, Vec::new());
            }
            Read::Later | Read::Checked(_) | Read::Quiet | Read::Again => {}
            streamed @ Read::Streamed(_) => *r = streamed,
        }
    }
    for doc in parsed(&extra).filter(|d| crate::admission::policy::is_policy(d)) {
        for problem in crate::admission::policy::compile(doc).1 {
            let rule = &crate::rules::admission::INVALID_ADMISSION_POLICY;
            let mut f = doc.finding(rule, problem.span, problem.message).label("does not compile");
            f.note = problem.note;
            result.findings.push(f);
        }
    }
    admission.collect(parsed(read).chain(parsed(&extra)));
    let kinds: Vec<String> = admission.param_kinds().iter().map(|k| k.to_string()).collect();
    if !kinds.is_empty() {
        for r in read.iter_mut() {
            if let Read::Source(source) = r
                && kinds.iter().any(|k| source.text.contains(k.as_str()))
            {
                let source = source.clone();
                let mut findings = Vec::new();
                let documents = checker(options).read(&source, &mut findings);
                *r = Read::Parsed(source, documents, findings);
            }
        }
        admission.collect_params(parsed(read).chain(parsed(&extra)));
    }
    admission
}

/// Checks what was read from `input`. A source named on the command line must hold
/// at least one object, as `kubectl apply` requires. What is kept of it: see
/// [`checked`].
fn check_read(
    read: Read,
    at: (&Arc<Listed>, usize),
    input: &Input,
    options: &LintOptions,
    checker: &Checker<'_>,
    spill: Option<&Spill>,
) -> FileOutcome {
    let (source, report) = match read {
        Read::Source(source) => {
            let report = checker.check_source(&source);
            (source, report)
        }
        Read::Parsed(source, documents, findings) => {
            let report = checker.check_documents(&source, &documents, findings);
            (source, report)
        }
        Read::Later => match read_source(input, &options.limits) {
            Ok(source) => {
                let report = checker.check_source(&source);
                (source, report)
            }
            Err(unread) => return unread.into(),
        },
        Read::Streamed(parts) => return check_streamed(parts, input, options, checker, spill.map(|s| (s, at.1))),
        Read::Unread(unread) => return unread.into(),
        Read::Checked(outcome) => return *outcome,
        Read::Quiet => return FileOutcome::Checked(SourceReport::default()),
        // Its objects, which admission does not change, are spilled already.
        Read::Again => {
            return match check_read(Read::Later, at, input, options, checker, None) {
                FileOutcome::Checked(mut report) if spill.is_some() => {
                    report.inventory = Vec::new();
                    FileOutcome::Checked(report)
                }
                outcome => outcome,
            };
        }
    };
    checked(source, report, at, input, options, spill)
}

/// The outcome of a file read whole and checked: what is kept of it no longer holds
/// its text when it was read from disk (or standard input, from its temporary copy):
/// a file read under its name is kept as its place in the run's list (`at`). With a
/// spilled inventory, its objects go there.
fn checked(
    source: Arc<SourceFile>,
    mut report: SourceReport,
    at: (&Arc<Listed>, usize),
    input: &Input,
    options: &LintOptions,
    spill: Option<&Spill>,
) -> FileOutcome {
    if options.memory.let_go {
        let listed = input.path().and_then(Path::to_str).and_then(|_| SourceRef::listed(at.0, at.1, &source));
        if let Some(kept) = listed.or_else(|| input.origin().map(|origin| SourceRef::on_disk(&source, origin))) {
            report.keep_only(&kept);
            if options.memory.excerpts {
                crate::excerpt::keep_excerpts(&mut report.findings, &source);
                report.suppressions.iter_mut().for_each(crate::suppress::Suppression::keep_excerpt);
            }
        }
    }
    spill_inventory(&mut report, spill.map(|s| (s, at.1)), 0);
    check_report(report, input, options)
}

/// Moves the objects of a checked file (or of its `part`) to the spilled inventory,
/// when there is one.
fn spill_inventory(report: &mut SourceReport, spill: Option<(&Spill, usize)>, part: usize) {
    let Some((spill, file)) = spill else { return };
    // One source for the whole report: its objects are of one file or part.
    let Some(source) = report.inventory.first().map(|r| r.source.clone()) else { return };
    spill.add((file, part), &source, Written::new(&report.inventory));
    report.inventory = Vec::new();
}

/// The outcome of checking a file, given its report.
fn check_report(mut report: SourceReport, input: &Input, options: &LintOptions) -> FileOutcome {
    if !options.memory.objects {
        report.objects = Vec::new();
    }
    if report.not_kubernetes && matches!(input, Input::Found(_)) {
        // Only counted: a repository holds much YAML that is not Kubernetes.
        report.findings.retain(|f| f.rule != checks::NOT_KUBERNETES.id);
    }
    // Kept until the whole run is checked: no room to spare per file.
    report.findings.shrink_to_fit();
    report.inventory.shrink_to_fit();
    report.objects.shrink_to_fit();
    report.suppressions.shrink_to_fit();
    FileOutcome::Checked(report)
}

/// Checks a large file a part at a time: the documents of a part are read, checked
/// and let go before the next part is read; what is kept of them reads only their
/// part again when a finding made later needs the text.
fn check_streamed(
    parts: Vec<Part>,
    input: &Input,
    options: &LintOptions,
    checker: &Checker<'_>,
    spill: Option<(&Spill, usize)>,
) -> FileOutcome {
    let Some(origin) = input.origin() else { return FileOutcome::Checked(SourceReport::default()) };
    let name = input.display_name();
    let mut report = SourceReport::default();
    let mut documents_before = 0;
    // A file is YAML that is not Kubernetes when every part is.
    let mut not_kubernetes = Vec::new();
    for (i, Part { at, parsed }) in parts.into_iter().enumerate() {
        let (source, mut documents, findings, slots) = match parsed {
            Some(parsed) => parsed,
            None => match input::read_part(&origin, &name, at) {
                Ok(source) => {
                    let mut findings = Vec::new();
                    let (documents, slots) = checker.read_part(&source, &mut findings);
                    (source, documents, findings, slots)
                }
                Err(e) => return unread(input, e, &options.limits).into(),
            },
        };
        for doc in &mut documents {
            doc.index += documents_before;
        }
        documents_before += slots;
        let mut part = checker.check_documents(&source, &documents, findings);
        drop(documents);
        if !options.memory.objects {
            part.objects = Vec::new();
        }
        if options.memory.let_go {
            part.keep_only(&SourceRef::part(&source, origin.clone(), at));
            if options.memory.excerpts {
                crate::excerpt::keep_excerpts(&mut part.findings, &source);
                part.suppressions.iter_mut().for_each(crate::suppress::Suppression::keep_excerpt);
            }
        }
        spill_inventory(&mut part, spill, i);
        if part.not_kubernetes {
            not_kubernetes.extend(part.findings.extract_if(.., |f| f.rule == checks::NOT_KUBERNETES.id));
        }
        report.append(part);
    }
    report.not_kubernetes = report.resources + report.skipped == 0 && !not_kubernetes.is_empty();
    if report.not_kubernetes {
        report.findings.extend(not_kubernetes.into_iter().take(1));
    }
    check_report(report, input, options)
}

/// Runs `work` on one input, turning a panic (a bug) into an `internal-error`
/// finding on that input so that the other inputs are still checked: the last line
/// of defence, since no input should make kval panic.
fn guarded<T>(name: impl std::fmt::Display, work: impl FnOnce() -> T) -> Result<T, Box<Finding>> {
    catch_panic(work).map_err(|what| {
        let message = format!("internal error while checking `{name}`: {what}");
        let source = SourceFile::new(name.to_string(), String::new(), 0);
        Box::new(
            source_finding(&checks::INTERNAL_ERROR, &source, message)
                .help("this is a bug in kval: please report it with the file that caused it"),
        )
    })
}

/// Runs `work`, returning the message of a panic instead of unwinding further.
pub fn catch_panic<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    })
}

fn checker(options: &LintOptions) -> Checker<'_> {
    Checker::new(Catalog::get(options.version), &options.rules, &options.limits, options.ignore_missing_schemas)
}

/// Merges the files' results, runs the cross-document rules (on `spill`, when the
/// inventory was spilled) and sorts.
#[allow(clippy::too_many_arguments)]
fn finish(
    mut result: LintResult,
    outcomes: impl IntoIterator<Item = FileOutcome>,
    options: &LintOptions,
    order: &Names,
    start: Instant,
    registry: &Registry,
    others: Vec<Resource>,
    spill: Option<&Spill>,
) -> LintResult {
    result.custom.crds = registry.crd_count();
    let mut inventory = Inventory::default();
    let mut suppressions = Vec::new();
    // The inputs that were not read (binary files found while walking), by index.
    let mut noted = Vec::new();
    for (i, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            FileOutcome::Checked(r) => {
                result.files += 1;
                result.objects.extend(r.objects);
                result.resources += r.resources;
                result.skipped += r.skipped;
                result.findings.extend(r.findings);
                inventory.resources.extend(r.inventory);
                suppressions.extend(r.suppressions);
                result.custom.validated += r.custom.0;
                result.custom.without_crd += r.custom.1;
                result.not_kubernetes += usize::from(r.not_kubernetes);
            }
            FileOutcome::Failed(f) => {
                result.files += 1;
                result.unreadable += usize::from(f.rule == checks::IO_ERROR.id || f.rule == checks::INTERNAL_ERROR.id);
                result.findings.push(*f);
            }
            FileOutcome::Note(note) => {
                noted.push(i);
                result.notes.push(note);
            }
        }
    }
    result.inputs = if noted.is_empty() {
        order.clone()
    } else {
        order.iter().enumerate().filter(|(i, _)| noted.binary_search(i).is_err()).map(|(_, name)| name).collect()
    };
    if !others.is_empty() {
        // In path order, as a run over the workspace's directory would have them: the
        // rules that report the second of two objects then pick the same one.
        inventory.resources.extend(others);
        inventory.resources.sort_by(|a, b| a.source.name().cmp(&b.source.name()));
    }
    let cross = match spill {
        Some(spill) => {
            // The room to spare for more findings is not kept while namespaces are
            // read back.
            result.findings.shrink_to_fit();
            if let Some(give_back) = GIVE_BACK.get() {
                give_back();
            }
            let (findings, note) = spill.run(&options.rules);
            result.notes.extend(note);
            findings
        }
        None => run_checks(&inventory, Some(&inventory), &options.rules),
    };
    result.findings.extend(cross);
    let (kept, suppressed) = crate::suppress::apply(std::mem::take(&mut result.findings), suppressions, &options.rules);
    result.findings = kept;
    result.suppressed = suppressed.len();
    if options.show_suppressed {
        result.findings.extend(suppressed);
    }
    result.notes.extend(registry.notes());
    expect_objects(&mut result, options);
    sort_findings(&mut result.findings, order);
    result.elapsed = start.elapsed();
    result
}

/// Reports a run that found no object and nothing else to say (every input empty,
/// only comments, or an empty `List`), at its first input: `kubectl apply` refuses
/// it. One empty file among others is valid.
fn expect_objects(result: &mut LintResult, options: &LintOptions) {
    let Some(first) = result.inputs.first() else { return };
    if result.resources + result.skipped > 0
        || !result.findings.is_empty()
        || result.not_kubernetes > 0
        || result.suppressed > 0
    {
        return;
    }
    let Some(severity) = options.rules.severity(checks::NO_OBJECTS.id) else { return };
    let source = SourceFile::new(first.to_string(), String::new(), 0);
    let what = if result.inputs.len() == 1 { format!("`{first}` holds") } else { "the input holds".to_string() };
    let mut f = source_finding(&checks::NO_OBJECTS, &source, format!("{what} no Kubernetes object"))
        .note("`kubectl apply` refuses input without objects: `error: no objects passed to apply`");
    f.severity = severity;
    result.findings.push(f);
}

/// Orders findings by input (in the order the inputs were given or found), then by
/// position and rule. Paths that could not be read at all come first. Only the
/// names with findings are looked up: a large run has few.
fn sort_findings(findings: &mut [Finding], names: &Names) {
    let mut named: Vec<String> = findings.iter().map(|f| f.location.source.name.clone()).collect();
    named.sort_unstable();
    named.dedup();
    let mut order: std::collections::HashMap<Name, usize> = named.iter().map(|name| (Name::new(name), 0)).collect();
    for (i, name) in names.iter().enumerate() {
        if let Some(rank) = order.get_mut(&name) {
            *rank = i + 1;
        }
    }
    findings.sort_by(|a, b| {
        let rank = |f: &Finding| order.get(&Name::new(&f.location.source.name)).copied().unwrap_or(0);
        (rank(a), a.sort_key()).cmp(&(rank(b), b.sort_key()))
    });
}

enum FileOutcome {
    Checked(crate::check::SourceReport),
    Failed(Box<Finding>),
    Note(String),
}

impl From<Unread> for FileOutcome {
    fn from(unread: Unread) -> FileOutcome {
        match unread {
            Unread::Failed(finding) => FileOutcome::Failed(finding),
            Unread::Note(note) => FileOutcome::Note(note),
        }
    }
}

/// Why an input gave no source: a finding (it cannot be read), or a note (a binary
/// file met while walking a directory).
pub enum Unread {
    Failed(Box<Finding>),
    Note(String),
}

/// Reads one input, turning a failure into the finding or note `lint` reports.
pub fn read_source(input: &Input, limits: &Limits) -> Result<Arc<SourceFile>, Unread> {
    input::read(input, limits.max_file_bytes).map_err(|e| unread(input, e, limits))
}

/// What `lint` reports of an input that could not be read.
fn unread(input: &Input, e: Unreadable, limits: &Limits) -> Unread {
    let name = input.display_name();
    let failed = |rule, message: String| {
        let source = SourceFile::new(name.clone(), String::new(), 0);
        Unread::Failed(Box::new(source_finding(rule, &source, message)))
    };
    match e {
        Unreadable::Io(message) => failed(&checks::IO_ERROR, format!("cannot read `{name}`: {message}")),
        Unreadable::Encoding(e) => {
            let rule = &checks::INVALID_ENCODING;
            let source = SourceFile::part(name, e.text, e.offset_base, e.lines_before);
            let location = Location { source, span: Span::point(e.at) };
            Unread::Failed(Box::new(Finding::new(rule.id, rule.severity, location, e.message).label("invalid here")))
        }
        Unreadable::TooLarge(size) => {
            let message = format!(
                "`{name}` is {size} bytes, more than the limit of {} (set `--max-file-bytes` to raise it)",
                limits.max_file_bytes
            );
            failed(&checks::LIMIT_EXCEEDED, message)
        }
        Unreadable::Binary => Unread::Note(format!("{name}: skipped, it looks like a binary file")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last line of defence: a panic while checking one input becomes an
    /// `internal-error` finding on it (exit status 2), and the run goes on.
    #[test]
    fn a_panic_becomes_an_internal_error() {
        let failed = guarded("x.yaml", || -> FileOutcome { panic!("index out of bounds") }).err().unwrap();
        assert_eq!(failed.rule, "internal-error");
        assert_eq!(failed.message, "internal error while checking `x.yaml`: index out of bounds");
        let order = Names::from_iter(["x.yaml"]);
        let outcomes = vec![FileOutcome::Failed(failed)];
        let result = finish(
            LintResult::default(),
            outcomes,
            &LintOptions::default(),
            &order,
            Instant::now(),
            &Registry::default(),
            Vec::new(),
            None,
        );
        assert_eq!(result.unreadable, 1);
    }
}
