//! The inventory of a run kept as bytes, in memory up to a budget and in temporary
//! files beyond it, so that a run's memory does not grow with its number of objects.
//!
//! The cross-document rules look an object's references up in its own namespace
//! group (see [`Resource::namespace_key`]), ClusterRoles in the group without a
//! namespace. So each object is written, by the thread that checked its file, to one
//! of a few buckets by the hash of its namespace; once every file is checked, each
//! bucket is read back with the group without a namespace, and the rules run on that
//! alone, keeping only findings on the bucket's own objects. Objects that no rule can
//! need (see [`Spill::inert`]) are not read back: a stream of millions of ConfigMaps
//! reads back nothing. `duplicate-object`, which compares files across namespaces,
//! keeps 16 bytes per named object (its identity's hash and where it was written) and
//! reads back only the objects whose hashes are equal.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::rules::inventory::{Facts, Inventory, Named, Resource, RunContext, stable_hash};
use crate::source::SourceRef;

/// Buckets of namespaces; the group without a namespace is bucket 0. More buckets
/// read back fewer objects at a time, each with the whole group without a namespace.
const BUCKETS: usize = 16;

/// A handle keeps the bucket in its top byte and the offset in the rest.
const OFFSET_BITS: u32 = 56;

/// The bucket of an object's namespace group.
fn bucket(r: &Resource) -> usize {
    match r.namespace_key() {
        None => 0,
        Some(namespace) => 1 + (stable_hash(namespace.as_str()) % (BUCKETS as u64 - 1)) as usize,
    }
}

/// The objects of one file (or one part of a large file), written by the thread
/// that checked it; added to the [`Spill`] in one step.
#[derive(Default)]
pub struct Written {
    chunks: Vec<WrittenChunk>,
    /// Kinds named by HorizontalPodAutoscalers' `scaleTargetRef`.
    looked_up: Vec<String>,
}

/// A bucket's records of a file: `[u32 length][postcard]` each, in file order,
/// and the identity hash and offset of each named object.
type WrittenChunk = (usize, Vec<u8>, Vec<(u64, u64)>);

impl Written {
    pub fn new(resources: &[Resource]) -> Written {
        let mut written = Written::default();
        for r in resources {
            let bucket = bucket(r);
            let i = match written.chunks.iter().position(|(b, ..)| *b == bucket) {
                Some(i) => i,
                None => {
                    written.chunks.push((bucket, Vec::new(), Vec::new()));
                    written.chunks.len() - 1
                }
            };
            let Some((_, bytes, named)) = written.chunks.get_mut(i) else { continue };
            let at = bytes.len();
            bytes.extend([0; 4]);
            match postcard::to_extend(r, std::mem::take(bytes)) {
                Ok(mut record) => {
                    let len = u32::try_from(record.len() - at - 4).unwrap_or(u32::MAX).to_le_bytes();
                    if let Some(head) = record.get_mut(at..at + 4) {
                        head.copy_from_slice(&len);
                    }
                    *bytes = record;
                }
                // Not expected (every field is plain data): the object is left out.
                Err(_) => continue,
            }
            if let Some(identity) = r.identity() {
                named.push((stable_hash(identity), at as u64));
            }
            if let Facts::Hpa { target: Some(target) } = r.facts() {
                written.looked_up.push(target.value.0.clone());
            }
        }
        written
    }
}

/// The inventory of a run, written bucket by bucket (see the module's documentation).
pub struct Spill {
    inner: Mutex<Buckets>,
}

struct Buckets {
    /// Bytes kept in memory before the buckets move to temporary files.
    budget: usize,
    held: usize,
    buckets: Vec<Bucket>,
    /// The identity hash and handle of every named object.
    named: Vec<(u64, u64)>,
    looked_up: BTreeSet<String>,
    /// Why the inventory could not be written, if it could not.
    failed: Option<String>,
}

#[derive(Default)]
struct Bucket {
    bytes: Storage,
    len: u64,
    /// In the order written (so by offset), which is not input order: files are
    /// checked in parallel.
    chunks: Vec<Chunk>,
}

/// A file's (or part's) records in a bucket.
struct Chunk {
    offset: u64,
    len: u64,
    /// The file's place in the run's input order, and the part's in the file's.
    order: (usize, usize),
    source: SourceRef,
    named: usize,
}

enum Storage {
    Held(Vec<u8>),
    Writing(BufWriter<File>),
    /// Read back by one thread at a time (a read moves the file's position).
    Written(Mutex<File>),
}

impl Bucket {
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
}

impl Default for Storage {
    fn default() -> Storage {
        Storage::Held(Vec::new())
    }
}

impl Spill {
    /// Keeps up to `budget` bytes in memory.
    pub fn new(budget: usize) -> Spill {
        let buckets = Buckets {
            budget,
            held: 0,
            buckets: (0..BUCKETS).map(|_| Bucket::default()).collect(),
            named: Vec::new(),
            looked_up: BTreeSet::new(),
            failed: None,
        };
        Spill { inner: Mutex::new(buckets) }
    }

    /// Adds the objects written of a file's part: `order` is the file's place in
    /// the input and the part's in the file; `source` is what the objects keep of
    /// their file.
    pub fn add(&self, order: (usize, usize), source: &SourceRef, written: Written) {
        let mut guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let inner = &mut *guard;
        inner.looked_up.extend(written.looked_up);
        for (b, bytes, named) in written.chunks {
            let Some(bucket) = inner.buckets.get_mut(b) else { continue };
            let offset = bucket.len;
            let handle = |at: u64| (b as u64) << OFFSET_BITS | (offset + at);
            let chunk = Chunk { offset, len: bytes.len() as u64, order, source: source.clone(), named: named.len() };
            bucket.chunks.push(chunk);
            bucket.len += bytes.len() as u64;
            let failed = match &mut bucket.bytes {
                Storage::Held(held) => {
                    held.extend_from_slice(&bytes);
                    inner.held += bytes.len();
                    None
                }
                Storage::Writing(file) => file.write_all(&bytes).err(),
                Storage::Written(_) => Some(std::io::Error::other("written after reading")),
            };
            inner.named.extend(named.into_iter().map(|(hash, at)| (hash, handle(at))));
            if let Some(e) = failed {
                inner.failed.get_or_insert_with(|| e.to_string());
            }
        }
        if inner.held > inner.budget {
            inner.move_to_files();
        }
    }

    /// Runs the cross-document rules, bucket by bucket (see the module's
    /// documentation). A note says why they could not run, if they could not.
    pub fn run(&self, rules: &RuleSet) -> (Vec<Finding>, Option<String>) {
        let mut guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let inner = &mut *guard;
        inner.done_writing();
        if let Some(failed) = &inner.failed {
            let note = format!("the cross-document rules did not run: the inventory could not be written ({failed})");
            return (Vec::new(), Some(note));
        }
        inner.named.sort_unstable();
        let none = inner.read(0);
        // The group without a namespace alone, with `duplicate-object` over the run.
        let mut findings = run_checks(&Inventory::new(none.clone()), Some(&*inner), rules);
        for b in 1..BUCKETS {
            let resources = inner.read(b);
            if resources.is_empty() {
                continue;
            }
            let inventory = Inventory::new(none.iter().cloned().chain(resources).collect());
            let own =
                |f: &Finding| f.object.as_ref().is_some_and(|o| o.namespace.as_ref().is_some_and(|n| !n.is_empty()));
            findings.extend(run_checks(&inventory, None, rules).into_iter().filter(own));
        }
        (findings, inner.failed.take().map(|e| format!("the inventory could not be read back ({e})")))
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

impl Buckets {
    /// Moves every bucket to a temporary file; they stay in memory if none can be made.
    fn move_to_files(&mut self) {
        for bucket in &mut self.buckets {
            let Storage::Held(held) = &mut bucket.bytes else { continue };
            let Ok(file) = tempfile::tempfile() else {
                // Kept in memory then, without trying again.
                self.budget = usize::MAX;
                return;
            };
            let mut file = BufWriter::new(file);
            if let Err(e) = file.write_all(held) {
                self.failed.get_or_insert_with(|| e.to_string());
                return;
            }
            self.held -= held.len();
            bucket.bytes = Storage::Writing(file);
        }
    }

    fn done_writing(&mut self) {
        for bucket in &mut self.buckets {
            if let Storage::Writing(_) = bucket.bytes {
                let Storage::Writing(file) = std::mem::take(&mut bucket.bytes) else { continue };
                match file.into_inner() {
                    Ok(file) => bucket.bytes = Storage::Written(Mutex::new(file)),
                    Err(e) => {
                        self.failed.get_or_insert_with(|| e.error().to_string());
                    }
                }
            }
        }
    }

    /// The objects of a bucket that a rule may need, in input order.
    fn read(&self, b: usize) -> Vec<Resource> {
        let Some(bucket) = self.buckets.get(b) else { return Vec::new() };
        let mut chunks: Vec<&Chunk> = bucket.chunks.iter().collect();
        chunks.sort_by_key(|c| c.order);
        let mut resources = Vec::new();
        for chunk in chunks {
            let Some(bytes) = bucket.bytes(chunk.offset, chunk.len) else { continue };
            let mut rest = &bytes[..];
            while let Some((r, after)) = record(rest) {
                rest = after;
                if let Some(mut r) = r.filter(|r| !self.inert(r)) {
                    r.source = chunk.source.clone();
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

    /// The chunk of a bucket that holds `offset`.
    fn chunk(bucket: &Bucket, offset: u64) -> Option<&Chunk> {
        let i = bucket.chunks.partition_point(|c| c.offset <= offset).checked_sub(1)?;
        bucket.chunks.get(i)
    }
}

/// The first record of `bytes` (None for one that cannot be read back) and the
/// bytes after it; None at the end.
fn record(bytes: &[u8]) -> Option<(Option<Resource>, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<4>()?;
    let len = u32::from_le_bytes(*head) as usize;
    let (record, rest) = rest.split_at_checked(len)?;
    Some((postcard::from_bytes(record).ok(), rest))
}

impl Named for Buckets {
    fn identities(&self) -> Cow<'_, [(u64, u64)]> {
        Cow::Borrowed(&self.named)
    }

    fn load(&self, handles: &[u64]) -> Vec<Resource> {
        let mut loaded: Vec<((usize, usize), u64, Resource)> = Vec::new();
        for &handle in handles {
            let offset = handle & ((1 << OFFSET_BITS) - 1);
            let Some(bucket) = self.buckets.get((handle >> OFFSET_BITS) as usize) else { continue };
            let Some(chunk) = Buckets::chunk(bucket, offset) else { continue };
            let Some(head) = bucket.bytes(offset, 4) else { continue };
            let len = head.first_chunk::<4>().map_or(0, |h| u32::from_le_bytes(*h));
            let Some(bytes) = bucket.bytes(offset, 4 + u64::from(len)) else { continue };
            if let Some((Some(mut r), _)) = record(&bytes) {
                r.source = chunk.source.clone();
                loaded.push((chunk.order, offset, r));
            }
        }
        loaded.sort_by_key(|&(order, offset, _)| (order, offset));
        loaded.into_iter().map(|(.., r)| r).collect()
    }

    fn named_per_file<'f>(&self, files: &[&'f str]) -> HashMap<&'f str, usize> {
        let mut counts: HashMap<&str, usize> = files.iter().map(|&f| (f, 0)).collect();
        for chunk in self.buckets.iter().flat_map(|b| &b.chunks) {
            if let Some(n) = counts.get_mut(chunk.source.name()) {
                *n += chunk.named;
            }
        }
        counts
    }
}
