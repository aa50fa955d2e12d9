//! The inventory of a run kept as bytes, in memory up to a budget and in a temporary
//! file beyond it, so that a run's memory does not grow with its number of objects.
//!
//! The cross-document rules look an object's references up in its own namespace
//! group (see [`Resource::namespace_key`]), ClusterRoles in the group without a
//! namespace. So each object is written by the thread that checked its file, in a
//! chunk per file and namespace; once every file is checked, a few namespaces at a
//! time are read back with the group without a namespace, and the rules run on those
//! alone, keeping only findings on the namespaces' own objects. Objects that no rule
//! can need (see [`Store::inert`]) are not read back: a stream of millions of
//! ConfigMaps reads back nothing. `duplicate-object`, which compares files across
//! namespaces, keeps 16 bytes per named object (its identity's hash and where it was
//! written) and reads back only the objects whose hashes are equal. A file's source
//! is written once per chunk, by value (its name and path), not kept per file.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::finding::Finding;
use crate::intern::Sym;
use crate::rules::RuleSet;
use crate::rules::inventory::{Facts, Inventory, Named, Resource, RunContext, stable_hash};
use crate::source::{SourceAt, SourceRef};

/// Objects read back at a time, at least: the namespaces are read back together until
/// they hold this many, with the objects without a namespace.
const LOAD_OBJECTS: usize = 4096;

/// The objects of one file (or one part of a large file), written by the thread
/// that checked it; added to the [`Spill`] in one step.
#[derive(Default)]
pub struct Written {
    chunks: Vec<WrittenChunk>,
    /// Kinds named by HorizontalPodAutoscalers' `scaleTargetRef`.
    looked_up: Vec<String>,
}

/// A namespace group's records of a file: `[u32 length][postcard]` each, in file
/// order, and the identity hash and offset of each named object.
struct WrittenChunk {
    group: Option<Sym>,
    bytes: Vec<u8>,
    named: Vec<(u64, u64)>,
    records: usize,
}

/// Appends `value` to `bytes` as a record; false if it cannot be written.
fn write_record(bytes: &mut Vec<u8>, value: &impl serde::Serialize) -> bool {
    let at = bytes.len();
    bytes.extend([0; 4]);
    match postcard::to_extend(value, std::mem::take(bytes)) {
        Ok(mut record) => {
            let len = u32::try_from(record.len() - at - 4).unwrap_or(u32::MAX).to_le_bytes();
            if let Some(head) = record.get_mut(at..at + 4) {
                head.copy_from_slice(&len);
            }
            *bytes = record;
            true
        }
        // Not expected (every field is plain data).
        Err(_) => false,
    }
}

impl Written {
    pub fn new(resources: &[Resource]) -> Written {
        let mut written = Written::default();
        for r in resources {
            let group = r.namespace_key();
            let i = match written.chunks.iter().position(|c| c.group == group) {
                Some(i) => i,
                None => {
                    written.chunks.push(WrittenChunk { group, bytes: Vec::new(), named: Vec::new(), records: 0 });
                    written.chunks.len() - 1
                }
            };
            let Some(chunk) = written.chunks.get_mut(i) else { continue };
            let at = chunk.bytes.len() as u64;
            if !write_record(&mut chunk.bytes, r) {
                continue;
            }
            chunk.records += 1;
            if let Some(identity) = r.identity() {
                chunk.named.push((stable_hash(identity), at));
            }
            if let Facts::Hpa { target: Some(target) } = r.facts() {
                written.looked_up.push(target.value.0.clone());
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
    /// In the order written (so by offset), which is not input order: files are
    /// checked in parallel.
    chunks: Vec<Chunk>,
    /// The chunks of each namespace group.
    groups: HashMap<Option<Sym>, Vec<u32>>,
    /// The sources that are not written by value (standard input, texts in memory).
    kept: Vec<SourceRef>,
    /// The identity hash and offset of every named object.
    named: Vec<(u64, u64)>,
    looked_up: BTreeSet<String>,
    /// The sources of the objects `duplicate-object` read back.
    loaded: Mutex<Sources>,
    /// Why the inventory could not be written, if it could not.
    failed: Option<String>,
}

/// The sources read back, by the record that wrote them: the objects of one file
/// read back together share its source, which reads the file again only once (and
/// a finding's labels on one file are shown in one excerpt).
type Sources = HashMap<Vec<u8>, SourceRef>;

/// A file's (or part's) records of one namespace group: a record of its source
/// ([`SourceAt`]), then its objects'.
struct Chunk {
    offset: u64,
    len: u64,
    /// The file's place in the run's input order, and the part's in the file's.
    order: (u32, u32),
    records: u32,
    named: u32,
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
            chunks: Vec::new(),
            groups: HashMap::new(),
            kept: Vec::new(),
            named: Vec::new(),
            looked_up: BTreeSet::new(),
            loaded: Mutex::default(),
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
        let mut header = Vec::new();
        if !write_record(&mut header, &at) {
            return;
        }
        for chunk in written.chunks {
            let offset = store.len;
            let first = offset + header.len() as u64;
            store.named.extend(chunk.named.iter().map(|&(hash, at)| (hash, first + at)));
            let id = u32::try_from(store.chunks.len()).unwrap_or(u32::MAX);
            store.groups.entry(chunk.group).or_default().push(id);
            store.chunks.push(Chunk {
                offset,
                len: (header.len() + chunk.bytes.len()) as u64,
                order,
                records: u32::try_from(chunk.records).unwrap_or(u32::MAX),
                named: u32::try_from(chunk.named.len()).unwrap_or(u32::MAX),
            });
            store.write(&header);
            store.write(&chunk.bytes);
        }
        if store.len > store.budget as u64
            && let Storage::Held(held) = &store.bytes
        {
            let moved = tempfile::tempfile().map(BufWriter::new).and_then(|mut file| {
                file.write_all(held)?;
                Ok(file)
            });
            match moved {
                Ok(file) => store.bytes = Storage::Writing(file),
                // Kept in memory then, without trying again.
                Err(_) => store.budget = usize::MAX,
            }
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
        store.named.sort_unstable();
        let mut none_sources = Sources::new();
        let mut none = store.groups.get(&None).cloned().unwrap_or_default();
        store.in_input_order(&mut none);
        let none = store.read(&none, &mut none_sources);
        // The group without a namespace alone, with `duplicate-object` over the run.
        let mut findings = run_checks(&Inventory::new(none.clone()), Some(&*store), rules);
        let mut groups: Vec<(&str, &Vec<u32>)> =
            store.groups.iter().filter_map(|(g, chunks)| Some((g.as_ref()?.as_str(), chunks))).collect();
        groups.sort_unstable_by_key(|&(namespace, _)| namespace);
        let mut load: Vec<u32> = Vec::new();
        let mut objects = 0;
        let own = |f: &Finding| f.object.as_ref().is_some_and(|o| o.namespace.as_ref().is_some_and(|n| !n.is_empty()));
        for (i, (_, chunks)) in groups.iter().enumerate() {
            load.extend(chunks.iter());
            objects +=
                chunks.iter().filter_map(|&c| store.chunks.get(c as usize)).map(|c| c.records as usize).sum::<usize>();
            if objects < LOAD_OBJECTS && i + 1 < groups.len() {
                continue;
            }
            store.in_input_order(&mut load);
            let resources = store.read(&load, &mut none_sources.clone());
            if !resources.is_empty() {
                let inventory = Inventory::new(none.iter().cloned().chain(resources).collect());
                findings.extend(run_checks(&inventory, None, rules).into_iter().filter(own));
            }
            load.clear();
            objects = 0;
        }
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
        let failed = match &mut self.bytes {
            Storage::Held(held) => {
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

    fn done_writing(&mut self) {
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

    /// The source a chunk's objects keep, from the record that starts it (the one of
    /// `sources` if read back before); the rest.
    fn source<'b>(&self, bytes: &'b [u8], sources: &mut Sources) -> Option<(SourceRef, &'b [u8])> {
        let (record, rest) = record(bytes)?;
        if let Some(source) = sources.get(record) {
            return Some((source.clone(), rest));
        }
        let source = SourceRef::unspilled(postcard::from_bytes(record).ok()?, &self.kept)?;
        sources.insert(record.to_vec(), source.clone());
        Some((source, rest))
    }

    /// Sorts chunks in input order: they were written as files were checked, in
    /// parallel.
    fn in_input_order(&self, ids: &mut [u32]) {
        ids.sort_unstable_by_key(|&c| self.chunks.get(c as usize).map(|c| (c.order, c.offset)));
    }

    /// The objects of the chunks `ids` that a rule may need, in the order given.
    fn read(&self, ids: &[u32], sources: &mut Sources) -> Vec<Resource> {
        let mut resources = Vec::new();
        for chunk in ids.iter().filter_map(|&c| self.chunks.get(c as usize)) {
            let Some(bytes) = self.bytes(chunk.offset, chunk.len) else { continue };
            let Some((source, mut rest)) = self.source(&bytes, sources) else { continue };
            while let Some((r, after)) = record(rest) {
                rest = after;
                if let Some(mut r) = postcard::from_bytes::<Resource>(r).ok().filter(|r| !self.inert(r)) {
                    r.source = source.clone();
                    resources.push(r);
                }
            }
        }
        resources
    }

    /// Whether no rule can need an object: of a built-in kind (a custom resource's
    /// operator may create Pods), creating no Pods, offering or referring to nothing,
    /// and of no kind a rule looks up by name.
    fn inert(&self, r: &Resource) -> bool {
        r.pods.is_none()
            && matches!(r.facts(), Facts::None)
            && !matches!(r.kind(), "ServiceAccount" | "Service" | "Role" | "ClusterRole")
            && r.is_builtin()
            && !self.looked_up.contains(r.kind())
    }

    /// The chunk that holds `offset`, and its source.
    fn chunk(&self, offset: u64, sources: &mut Sources) -> Option<(&Chunk, SourceRef)> {
        let i = self.chunks.partition_point(|c| c.offset <= offset).checked_sub(1)?;
        let chunk = self.chunks.get(i)?;
        let (source, _) = self.source(&self.record_at(chunk.offset)?, sources)?;
        Some((chunk, source))
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

impl Named for Store {
    fn identities(&self) -> Cow<'_, [(u64, u64)]> {
        Cow::Borrowed(&self.named)
    }

    fn load(&self, handles: &[u64]) -> Vec<Resource> {
        let mut loaded: Vec<((u32, u32), u64, Resource)> = Vec::new();
        let mut sources = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        for &offset in handles {
            let Some((chunk, source)) = self.chunk(offset, &mut sources) else { continue };
            let Some(bytes) = self.record_at(offset) else { continue };
            if let Some(mut r) = record(&bytes).and_then(|(r, _)| postcard::from_bytes::<Resource>(r).ok()) {
                r.source = source;
                loaded.push((chunk.order, offset, r));
            }
        }
        loaded.sort_by_key(|&(order, offset, _)| (order, offset));
        loaded.into_iter().map(|(.., r)| r).collect()
    }

    fn named_per_file<'f>(&self, files: &[&'f str]) -> HashMap<&'f str, usize> {
        let mut counts: HashMap<&str, usize> = files.iter().map(|&f| (f, 0)).collect();
        for chunk in self.chunks.iter().filter(|c| c.named > 0) {
            // Made and dropped: no source kept for each file of the run.
            let Some(head) = self.record_at(chunk.offset) else { continue };
            let Some(at) = record(&head).and_then(|(r, _)| postcard::from_bytes::<SourceAt>(r).ok()) else { continue };
            let Some(source) = SourceRef::unspilled(at, &self.kept) else { continue };
            if let Some(n) = counts.get_mut(source.name()) {
                *n += chunk.named as usize;
            }
        }
        counts
    }
}
