//! The inventory of a run kept as bytes, in memory up to a budget and in a temporary
//! file beyond it, so that a run's memory does not grow with its number of objects
//! or files.
//!
//! The cross-document rules look an object's references up in its own namespace
//! group (see [`Resource::namespace_key`]), ClusterRoles in the group without a
//! namespace. So the objects of each checked file (or part of a file) are added to
//! their group's open segment, written once it is large enough: what is kept per
//! group is where its segments are, nothing per file or per object. Once every file
//! is checked, a few namespaces at a time are read back, their files put in input
//! order, with the group without a namespace, and the rules run on those alone,
//! keeping only findings on the namespaces' own objects. Only the objects rules look
//! up are held together (see [`Use`]); those that only refer to them are read back
//! and checked a batch at a time, and those no rule can need are not decoded (a
//! stream of millions of ConfigMaps reads back nothing). Each object is written with
//! the hash of its identity, which
//! two objects share only within a group: `duplicate-object`, which compares files
//! across namespaces, runs last, on the objects whose hashes repeat in their group
//! (found as each group is read back). A file's source is written once per group
//! and file, by value (its name and path), not kept per file.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::finding::Finding;
use crate::intern::Sym;
use crate::names::Name;
use crate::rules::RuleSet;
use crate::rules::inventory::{Facts, Inventory, Named, Resource, RunContext, stable_hash};
use crate::source::{SourceAt, SourceRef};

/// Objects read back at a time, at least: the namespaces are read back together until
/// they hold this many, with the objects without a namespace.
const LOAD_OBJECTS: usize = 4096;

/// The objects that only refer to others are checked this many at a time: the rules
/// run on each batch against the index of the objects they may name, built once.
const REFERRING_BATCH: usize = 1024;

/// A group's open segment is written once it holds this many bytes...
const SEGMENT: usize = 32 << 10;

/// ...and every open segment once they hold this many together (a run may have
/// thousands of namespaces). Both at most the bytes kept in memory.
const OPEN: usize = 256 << 10;

/// The objects of one file (or one part of a large file), written by the thread
/// that checked it; added to the [`Spill`] in one step.
#[derive(Default)]
pub struct Written {
    chunks: Vec<WrittenChunk>,
    /// The kinds HorizontalPodAutoscalers' `scaleTargetRef` names (their [`Sym::id`]s).
    looked_up: Vec<u32>,
}

/// A namespace group's records of a file: `[u32 length][Prefix][postcard]` each, in
/// file order.
struct WrittenChunk {
    group: Option<Sym>,
    bytes: Vec<u8>,
    counts: Counts,
    /// How many of its objects rules look up (see [`Use::Target`]).
    targets: u32,
}

/// A file's (or part's) objects of one group: how many, how many a rule may need
/// whatever else the run holds (see [`Use`]), and how many are named.
#[derive(Clone, Copy, Default)]
struct Counts {
    records: u32,
    needed: u32,
    named: u32,
}

/// What starts a file's (or part's) records of a group in a segment, before the
/// record of its source: the file's place in the input order and the part's in the
/// file, its [`Counts`], and the length of the records after it (source's and
/// objects').
#[derive(Clone, Copy)]
struct Head {
    order: (u32, u32),
    counts: Counts,
    len: u64,
}

/// The length of a [`Head`] in bytes.
const HEAD: usize = 4 * 5 + 8;

impl Head {
    fn bytes(&self) -> [u8; HEAD] {
        let mut bytes = [0; HEAD];
        let fields = [self.order.0, self.order.1, self.counts.records, self.counts.needed, self.counts.named];
        for (at, field) in bytes.chunks_exact_mut(4).zip(fields) {
            at.copy_from_slice(&field.to_le_bytes());
        }
        if let Some(len) = bytes.get_mut(20..) {
            len.copy_from_slice(&self.len.to_le_bytes());
        }
        bytes
    }

    /// The head that starts `bytes`, and the bytes of its records.
    fn read(bytes: &[u8]) -> Option<(Head, &[u8])> {
        let (head, rest) = bytes.split_first_chunk::<HEAD>()?;
        let (fields, len) = head.split_first_chunk::<20>()?;
        let field = |i: usize| fields.get(i * 4..i * 4 + 4).and_then(|f| f.try_into().ok()).map(u32::from_le_bytes);
        let len = u64::from_le_bytes(*len.first_chunk::<8>()?);
        let head = Head {
            order: (field(0)?, field(1)?),
            counts: Counts { records: field(2)?, needed: field(3)?, named: field(4)? },
            len,
        };
        Some((head, rest.get(..usize::try_from(len).ok()?)?))
    }
}

/// Appends `value` to `bytes` as a record, after `prefix`; false if it cannot be
/// written.
fn write_record(bytes: &mut Vec<u8>, prefix: &[u8], value: &impl serde::Serialize) -> bool {
    let at = bytes.len();
    bytes.extend([0; 4]);
    bytes.extend_from_slice(prefix);
    // Written in place, so that a failure takes back only this record.
    if postcard::to_io(value, &mut *bytes).is_err() {
        // Not expected (every field is plain data).
        bytes.truncate(at);
        return false;
    }
    let len = u32::try_from(bytes.len() - at - 4).unwrap_or(u32::MAX).to_le_bytes();
    if let Some(head) = bytes.get_mut(at..at + 4) {
        head.copy_from_slice(&len);
    }
    true
}

/// What a rule may need an object for, whatever else the run holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Nothing, unless a HorizontalPodAutoscaler names its kind.
    None = 0,
    /// Rules look it up: of a kind that is not built in (a custom resource's operator
    /// may create Pods), creating Pods, or of a kind a rule looks up by name.
    Target = 1,
    /// It only refers to others (an Ingress, a PodDisruptionBudget, a binding...).
    Refers = 2,
}

impl Use {
    fn of(r: &Resource) -> Use {
        if r.pods.is_some()
            || matches!(r.kind(), "ServiceAccount" | "Service" | "Role" | "ClusterRole")
            || !r.is_builtin()
        {
            Use::Target
        } else if !matches!(r.facts(), Facts::None) {
            Use::Refers
        } else {
            Use::None
        }
    }
}

/// What precedes an object's record: the hash of its identity (0 for an object
/// without one), its kind and [`Use`], so that the objects a read-back does not want
/// are skipped without being decoded.
struct Prefix {
    hash: u64,
    kind: u32,
    used: u8,
}

/// The length of a [`Prefix`] in bytes.
const PREFIX: usize = 8 + 4 + 1;

impl Prefix {
    fn bytes(&self) -> [u8; PREFIX] {
        let mut bytes = [0; PREFIX];
        bytes[..8].copy_from_slice(&self.hash.to_le_bytes());
        bytes[8..12].copy_from_slice(&self.kind.to_le_bytes());
        bytes[12] = self.used;
        bytes
    }

    fn read(record: &[u8]) -> Option<Prefix> {
        let (hash, rest) = record.split_first_chunk::<8>()?;
        let (kind, rest) = rest.split_first_chunk::<4>()?;
        Some(Prefix { hash: u64::from_le_bytes(*hash), kind: u32::from_le_bytes(*kind), used: *rest.first()? })
    }
}

/// The objects a read-back wants.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wanted {
    /// Every object a rule may need.
    All,
    /// Those rules look up.
    Targets,
    /// Those that only refer to others.
    Referring,
}

impl Written {
    pub fn new(resources: &[Resource]) -> Written {
        let mut written = Written::default();
        for r in resources {
            let group = r.namespace_key();
            let i = match written.chunks.iter().position(|c| c.group == group) {
                Some(i) => i,
                None => {
                    written.chunks.push(WrittenChunk {
                        group,
                        bytes: Vec::new(),
                        counts: Counts::default(),
                        targets: 0,
                    });
                    written.chunks.len() - 1
                }
            };
            let Some(chunk) = written.chunks.get_mut(i) else { continue };
            // Never 0 for a named object: 0 is for the others.
            let hash = r.identity().map_or(0, |identity| stable_hash(identity).max(1));
            let used = Use::of(r);
            let prefix = Prefix { hash, kind: r.kind_sym().map_or(0, Sym::id), used: used as u8 };
            if !write_record(&mut chunk.bytes, &prefix.bytes(), r) {
                continue;
            }
            chunk.counts.records += 1;
            chunk.counts.needed += u32::from(used != Use::None);
            chunk.targets += u32::from(used == Use::Target);
            chunk.counts.named += u32::from(hash != 0);
            if let Facts::Hpa { target: Some(target) } = r.facts() {
                written.looked_up.push(Sym::new(&target.value.0).id());
            }
        }
        written
    }
}

/// The inventory of a run, written by namespace (see the module's documentation).
pub struct Spill {
    inner: Mutex<Store>,
}

struct Store {
    /// Bytes kept in memory before they move to a temporary file.
    budget: usize,
    bytes: Storage,
    len: u64,
    groups: HashMap<Option<Sym>, Group>,
    /// The bytes of every group's open segment.
    open: usize,
    /// The sources that are not written by value (standard input, texts in memory).
    kept: Vec<SourceRef>,
    /// The kinds rules look up whatever their use (see [`Written`]).
    looked_up: BTreeSet<u32>,
    /// The named objects whose identity's hash another object of their group has
    /// (found as the groups are read back): the hash and an index into `copies`,
    /// sorted.
    repeated: Vec<(u64, u64)>,
    copies: Vec<Placed>,
    /// The sources of the objects `duplicate-object` read back.
    loaded: Mutex<Sources>,
    /// Why the inventory could not be written, if it could not.
    failed: Option<String>,
}

/// A namespace group: its segment not yet written, where the written ones are, and
/// how many of its objects a rule may need.
#[derive(Default)]
struct Group {
    open: Vec<u8>,
    segments: Vec<(u64, u64)>,
    needed: usize,
    /// How many of its objects rules look up.
    targets: usize,
}

/// A file's (or part's) records of a group: where its head is, and the head.
type Part = (u64, Head);

/// Where a named object's record is: the offsets of its part and of the record,
/// and its file's order.
#[derive(Clone, Copy)]
struct Placed {
    part: u64,
    record: u64,
    order: (u32, u32),
}

/// The sources read back, by the record that wrote them: the objects of one file
/// read back together share its source, which reads the file again only once (and
/// a finding's labels on one file are shown in one excerpt). Parts are read back in
/// input order, a file's next to each other: only the last one's is kept, besides
/// those `all` keeps (the files of the objects without a namespace, read back with
/// every namespace, those `duplicate-object` reads back, and the sources that are not
/// listed files).
#[derive(Clone, Default)]
struct Sources {
    all: HashMap<Vec<u8>, SourceRef>,
    last: Option<(Vec<u8>, SourceRef)>,
    keep_all: bool,
}

impl Sources {
    fn keeping_all() -> Sources {
        Sources { keep_all: true, ..Sources::default() }
    }

    fn get(&self, record: &[u8]) -> Option<&SourceRef> {
        match &self.last {
            Some((last, source)) if last.as_slice() == record => Some(source),
            _ => self.all.get(record),
        }
    }

    fn insert(&mut self, record: &[u8], source: SourceRef) {
        // A copy of a source that is not one of the run's listed files (read again by
        // name, once) reads its text again: the parts read back in both passes of a
        // batch (see `Spill::run`) keep theirs, so that a finding's labels on one file
        // are shown in one excerpt.
        if self.keep_all || !source.same_list(&source) {
            self.all.insert(record.to_vec(), source);
        } else {
            self.last = Some((record.to_vec(), source));
        }
    }
}

enum Storage {
    Held(Vec<u8>),
    Writing(BufWriter<File>),
    /// Read back by one thread at a time (a read moves the file's position).
    Written(Mutex<File>),
}

impl Spill {
    /// Keeps up to `budget` bytes in memory.
    pub fn new(budget: usize) -> Spill {
        let store = Store {
            budget,
            bytes: Storage::Held(Vec::new()),
            len: 0,
            groups: HashMap::new(),
            open: 0,
            kept: Vec::new(),
            looked_up: BTreeSet::new(),
            repeated: Vec::new(),
            copies: Vec::new(),
            loaded: Mutex::new(Sources::keeping_all()),
            failed: None,
        };
        Spill { inner: Mutex::new(store) }
    }

    /// Adds the objects written of a file's part: `order` is the file's place in
    /// the input and the part's in the file; `source` is what the objects keep of
    /// their file.
    pub fn add(&self, order: (usize, usize), source: &SourceRef, written: Written) {
        let order = (u32::try_from(order.0).unwrap_or(u32::MAX), u32::try_from(order.1).unwrap_or(u32::MAX));
        let mut guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let store = &mut *guard;
        store.looked_up.extend(written.looked_up);
        let kept = &mut store.kept;
        let at = source.spilled(|source| {
            // A run's files share one list, kept once; any other source is its own.
            let list = source.same_list(source).then(|| kept.iter().position(|k| k.same_list(source))).flatten();
            list.unwrap_or_else(|| {
                kept.push(source.clone());
                kept.len() - 1
            })
        });
        let mut source = Vec::new();
        if !write_record(&mut source, &[], &at) {
            return;
        }
        for chunk in written.chunks {
            let head = Head { order, counts: chunk.counts, len: (source.len() + chunk.bytes.len()) as u64 };
            let group = store.groups.entry(chunk.group).or_default();
            group.needed += chunk.counts.needed as usize;
            group.targets += chunk.targets as usize;
            let before = group.open.len();
            group.open.extend_from_slice(&head.bytes());
            group.open.extend_from_slice(&source);
            group.open.extend_from_slice(&chunk.bytes);
            store.open += group.open.len() - before;
            if group.open.len() >= SEGMENT.min(store.budget) {
                store.flush(chunk.group);
            }
        }
        if store.open >= OPEN.min(store.budget) {
            store.flush_all();
        }
    }

    /// Runs the cross-document rules, a few namespaces at a time (see the module's
    /// documentation). A note says why they could not run, if they could not.
    pub fn run(&self, rules: &RuleSet) -> (Vec<Finding>, Option<String>) {
        let mut guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let store = &mut *guard;
        store.done_writing();
        if let Some(failed) = &store.failed {
            let note = format!("the cross-document rules did not run: the inventory could not be written ({failed})");
            return (Vec::new(), Some(note));
        }
        let mut repeated = Vec::new();
        let mut none_sources = Sources::keeping_all();
        let mut none_parts = store.parts(None, &mut repeated);
        none_parts.sort_unstable_by_key(|&(offset, head)| (head.order, offset));
        // The group without a namespace alone; then only what the others may look up
        // in it is kept.
        let none = store.read(&none_parts, &mut none_sources, Wanted::All, Vec::new());
        let mut findings = run_checks(&Inventory::new(none), None, rules);
        let none = store.read(&none_parts, &mut none_sources, Wanted::Targets, Vec::new());
        let mut groups: Vec<(&str, Sym, &Group)> =
            store.groups.iter().filter_map(|(&g, group)| Some((g?.as_str(), g?, group))).collect();
        groups.sort_unstable_by_key(|&(namespace, ..)| namespace);
        let mut load: Vec<Part> = Vec::new();
        let (mut objects, mut capacity) = (0, none.len());
        let own = |f: &Finding| f.object.as_ref().is_some_and(|o| o.namespace.as_ref().is_some_and(|n| !n.is_empty()));
        let mut run_own =
            |inventory: &Inventory| findings.extend(run_checks(inventory, None, rules).into_iter().filter(own));
        for (i, &(_, group, counts)) in groups.iter().enumerate() {
            load.extend(store.parts(Some(group), &mut repeated));
            objects += counts.needed;
            capacity += counts.targets;
            if objects < LOAD_OBJECTS && i + 1 < groups.len() {
                continue;
            }
            load.sort_unstable_by_key(|&(offset, head)| (head.order, offset));
            let mut sources = Sources { keep_all: false, ..none_sources.clone() };
            // The objects rules look up are held together; those that only refer to
            // them are read back a batch at a time.
            let mut targets = Vec::with_capacity(capacity);
            targets.extend(none.iter().cloned());
            let targets = store.read(&load, &mut sources, Wanted::Targets, targets);
            let targets = Arc::new(Inventory::new(targets));
            if targets.resources.len() > none.len() {
                run_own(&targets);
            }
            let mut batch = Vec::with_capacity(REFERRING_BATCH);
            store.each(&load, &mut sources, Wanted::Referring, |r| {
                batch.push(r);
                if batch.len() >= REFERRING_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(REFERRING_BATCH));
                    run_own(&Inventory::referring(full, Arc::clone(&targets)));
                }
            });
            if !batch.is_empty() {
                run_own(&Inventory::referring(batch, targets));
            }
            load.clear();
            (objects, capacity) = (0, none.len());
        }
        // `duplicate-object`, over the run.
        repeated.sort_unstable_by_key(|(hash, placed)| (*hash, placed.order, placed.record));
        let (hashes, copies): (Vec<u64>, Vec<Placed>) = repeated.into_iter().unzip();
        store.repeated = hashes.into_iter().zip(0..).collect();
        store.copies = copies;
        findings.extend(run_checks(&Inventory::default(), Some(&*store), rules));
        (findings, None)
    }
}

/// The findings of every cross-document rule on `inventory`.
pub fn run_checks(inventory: &Inventory, named: Option<&dyn Named>, rules: &RuleSet) -> Vec<Finding> {
    let cross: Vec<Vec<Finding>> = rules
        .run_checks()
        .into_par_iter()
        .map(|check| {
            let mut cx = RunContext::part(inventory, named, rules);
            check(&mut cx);
            cx.into_findings()
        })
        .collect();
    cross.into_iter().flatten().collect()
}

impl Store {
    fn write(&mut self, bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if let Storage::Held(held) = &self.bytes
            && held.len() + bytes.len() > self.budget
        {
            let moved = tempfile::tempfile().map(BufWriter::new).and_then(|mut file| {
                file.write_all(held)?;
                Ok(file)
            });
            match moved {
                Ok(file) => self.bytes = Storage::Writing(file),
                // Kept in memory then, without trying again.
                Err(_) => self.budget = usize::MAX,
            }
        }
        let failed = match &mut self.bytes {
            // Grown by doubling up to the budget, never past it: the bytes move to
            // the file before a write that would pass it.
            Storage::Held(held) => {
                let len = held.len() + bytes.len();
                if len > held.capacity() {
                    held.reserve_exact(len.max(held.capacity() * 2).min(self.budget).max(len) - held.len());
                }
                held.extend_from_slice(bytes);
                None
            }
            Storage::Writing(file) => file.write_all(bytes).err(),
            Storage::Written(_) => Some(std::io::Error::other("written after reading")),
        };
        if let Some(e) = failed {
            self.failed.get_or_insert_with(|| e.to_string());
        }
    }

    /// Writes a group's open segment.
    fn flush(&mut self, group: Option<Sym>) {
        let Some(open) = self.groups.get_mut(&group) else { return };
        // Taken, not cleared: a run may have thousands of groups.
        let bytes = std::mem::take(&mut open.open);
        if bytes.is_empty() {
            return;
        }
        open.segments.push((self.len, bytes.len() as u64));
        self.open -= bytes.len();
        self.write(&bytes);
    }

    fn flush_all(&mut self) {
        let open: Vec<Option<Sym>> = self.groups.iter().filter(|(_, g)| !g.open.is_empty()).map(|(&g, _)| g).collect();
        for group in open {
            self.flush(group);
        }
    }

    fn done_writing(&mut self) {
        self.flush_all();
        if let Storage::Writing(_) = self.bytes {
            let Storage::Writing(file) = std::mem::replace(&mut self.bytes, Storage::Held(Vec::new())) else { return };
            match file.into_inner() {
                Ok(file) => self.bytes = Storage::Written(Mutex::new(file)),
                Err(e) => {
                    self.failed.get_or_insert_with(|| e.error().to_string());
                }
            }
        }
    }

    /// The bytes at `offset`: `len` of them.
    fn bytes(&self, offset: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        match &self.bytes {
            Storage::Held(held) => {
                let range = usize::try_from(offset).ok()?..usize::try_from(offset + len).ok()?;
                held.get(range).map(Cow::Borrowed)
            }
            Storage::Written(file) => {
                let mut file = file.lock().unwrap_or_else(PoisonError::into_inner);
                file.seek(SeekFrom::Start(offset)).ok()?;
                let mut bytes = vec![0; usize::try_from(len).ok()?];
                file.read_exact(&mut bytes).ok()?;
                Some(Cow::Owned(bytes))
            }
            Storage::Writing(_) => None,
        }
    }

    /// The source a part's objects keep, from the record that starts `bytes` (the one
    /// of `sources` if read back before); the rest.
    fn source<'b>(&self, bytes: &'b [u8], sources: &mut Sources) -> Option<(SourceRef, &'b [u8])> {
        let (record, rest) = record(bytes)?;
        if let Some(source) = sources.get(record) {
            return Some((source.clone(), rest));
        }
        let source = SourceRef::unspilled(postcard::from_bytes(record).ok()?, &self.kept)?;
        sources.insert(record, source.clone());
        Some((source, rest))
    }

    /// Every segment of a group, with its offset.
    fn segments(&self, group: Option<Sym>) -> impl Iterator<Item = (u64, Cow<'_, [u8]>)> + '_ {
        let segments = self.groups.get(&group).map_or(&[][..], |g| g.segments.as_slice());
        segments.iter().filter_map(|&(offset, len)| Some((offset, self.bytes(offset, len)?)))
    }

    /// The parts of a group, in the order written; adds its named objects whose
    /// identity's hash another of them has to `repeated`. A group may hold millions
    /// of objects: their hashes alone (8 bytes each) are sorted to find the few that
    /// repeat, and only those are placed, in a second pass over the group.
    fn parts(&self, group: Option<Sym>, repeated: &mut Vec<(u64, Placed)>) -> Vec<Part> {
        let mut parts = Vec::new();
        let mut hashes = Vec::new();
        self.each_named(group, |part, head| parts.push((part, head)), |hash, _| hashes.push(hash));
        hashes.sort_unstable();
        let twice: Vec<u64> = hashes
            .chunk_by(|a, b| a == b)
            .filter(|same| same.len() > 1)
            .filter_map(|same| same.first().copied())
            .collect();
        drop(hashes);
        if !twice.is_empty() {
            self.each_named(
                group,
                |_, _| {},
                |hash, placed| {
                    if twice.binary_search(&hash).is_ok() {
                        repeated.push((hash, placed));
                    }
                },
            );
        }
        parts
    }

    /// Calls `part` with each part of a group (its offset and head) and `named` with
    /// the identity hash and place of each of its named objects, in the order written.
    fn each_named(&self, group: Option<Sym>, mut part: impl FnMut(u64, Head), mut named: impl FnMut(u64, Placed)) {
        for (offset, bytes) in self.segments(group) {
            let mut rest = &bytes[..];
            while let Some((head, records)) = Head::read(rest) {
                let at_part = offset + (bytes.len() - rest.len()) as u64;
                rest = rest.get(HEAD + records.len()..).unwrap_or_default();
                part(at_part, head);
                if head.counts.named == 0 {
                    continue;
                }
                let Some((_, mut objects)) = record(records) else { continue };
                while let Some((r, after)) = record(objects) {
                    let at = at_part + (HEAD + records.len() - objects.len()) as u64;
                    objects = after;
                    let hash = r.first_chunk::<8>().map_or(0, |h| u64::from_le_bytes(*h));
                    if hash != 0 {
                        named(hash, Placed { part: at_part, record: at, order: head.order });
                    }
                }
            }
        }
    }

    /// The objects of `parts` a read-back wants, in the order given, after `resources`.
    fn read(
        &self,
        parts: &[Part],
        sources: &mut Sources,
        wanted: Wanted,
        mut resources: Vec<Resource>,
    ) -> Vec<Resource> {
        self.each(parts, sources, wanted, |r| resources.push(r));
        resources
    }

    /// Calls `f` with each object of `parts` a read-back wants, in the order given.
    fn each(&self, parts: &[Part], sources: &mut Sources, wanted: Wanted, mut f: impl FnMut(Resource)) {
        for &(offset, head) in parts.iter().filter(|(_, head)| head.counts.records > 0) {
            let Some(bytes) = self.bytes(offset, HEAD as u64 + head.len) else { continue };
            let Some((source, mut rest)) = bytes.get(HEAD..).and_then(|b| self.source(b, sources)) else { continue };
            while let Some((r, after)) = record(rest) {
                rest = after;
                if !Prefix::read(r).is_some_and(|prefix| self.wants(&prefix, wanted)) {
                    continue;
                }
                if let Some(mut r) = decode(r) {
                    r.source = source.clone();
                    f(r);
                }
            }
        }
    }

    /// Whether a read-back wants the object of `prefix`. Rules look up the objects of
    /// the kinds HorizontalPodAutoscalers name, whatever their [`Use`].
    fn wants(&self, prefix: &Prefix, wanted: Wanted) -> bool {
        let looked_up = || self.looked_up.contains(&prefix.kind);
        match wanted {
            Wanted::All => prefix.used != Use::None as u8 || looked_up(),
            Wanted::Targets => prefix.used == Use::Target as u8 || looked_up(),
            Wanted::Referring => prefix.used == Use::Refers as u8 && !looked_up(),
        }
    }

    /// The record at `offset`, with its length.
    fn record_at(&self, offset: u64) -> Option<Cow<'_, [u8]>> {
        let head = self.bytes(offset, 4)?;
        let len = head.first_chunk::<4>().map_or(0, |h| u32::from_le_bytes(*h));
        self.bytes(offset, 4 + u64::from(len))
    }
}

/// The first record of `bytes` and the bytes after it; None at the end.
fn record(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<4>()?;
    rest.split_at_checked(u32::from_le_bytes(*head) as usize)
}

/// The object of a record (after its identity's hash).
fn decode(record: &[u8]) -> Option<Resource> {
    postcard::from_bytes::<Resource>(record.get(PREFIX..)?).ok()
}

impl Named for Store {
    fn identities(&self) -> Cow<'_, [(u64, u64)]> {
        Cow::Borrowed(&self.repeated)
    }

    fn load(&self, handles: &[u64]) -> Vec<Resource> {
        let mut loaded: Vec<((u32, u32), u64, Resource)> = Vec::new();
        let mut sources = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        for placed in handles.iter().filter_map(|&h| self.copies.get(usize::try_from(h).ok()?)) {
            let Some(head) = self.record_at(placed.part + HEAD as u64) else { continue };
            let Some((source, _)) = self.source(&head, &mut sources) else { continue };
            let Some(bytes) = self.record_at(placed.record) else { continue };
            if let Some(mut r) = record(&bytes).and_then(|(r, _)| decode(r)) {
                r.source = source;
                loaded.push((placed.order, placed.record, r));
            }
        }
        loaded.sort_by_key(|&(order, offset, _)| (order, offset));
        loaded.into_iter().map(|(.., r)| r).collect()
    }

    fn named_per_file(&self, files: &[Name<'_>]) -> Vec<usize> {
        let mut counts = vec![0; files.len()];
        for (_, bytes) in self.groups.keys().flat_map(|&g| self.segments(g)) {
            let mut rest = &bytes[..];
            while let Some((head, records)) = Head::read(rest) {
                rest = rest.get(HEAD + records.len()..).unwrap_or_default();
                if head.counts.named == 0 {
                    continue;
                }
                // Made and dropped: no source kept for each file of the run.
                let Some(at) = record(records).and_then(|(r, _)| postcard::from_bytes::<SourceAt>(r).ok()) else {
                    continue;
                };
                let Some(source) = SourceRef::unspilled(at, &self.kept) else { continue };
                if let Some(n) = files.binary_search(&source.name()).ok().and_then(|i| counts.get_mut(i)) {
                    *n += head.counts.named as usize;
                }
            }
        }
        counts
    }
}
