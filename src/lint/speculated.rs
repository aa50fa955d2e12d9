//! The files `lint` checked as it read them, before the run's CRDs and admission
//! configuration were known (see `lint::speculate`): what is kept of each until the
//! check phase merges it. Most are "checked, nothing to report": those keep a bit,
//! so that a run over many files holds nothing in proportion to them but that.

use std::collections::HashMap;

use crate::admission::Admission;
use crate::intern::Sym;

use super::{FileOutcome, Read};

/// Files checked as they were read, by the namespace of their Pod templates (those
/// without one are checked at `--pod-security`'s level whatever the input).
pub(super) struct Speculated {
    /// The files checked with nothing to report but their objects ("quiet").
    quiet: Bits,
    groups: HashMap<Option<Sym>, Group>,
    /// The other files, with their outcome (a few: those with findings).
    reported: Vec<(u32, Option<Sym>, Box<FileOutcome>)>,
}

/// The quiet files of a namespace of Pod templates.
#[derive(Default)]
struct Group {
    /// Their objects.
    resources: usize,
    /// Their indices, kept only for a namespace: its labels may set Pod Security
    /// levels. Without one, only bound policies apply, and they apply to every file.
    files: Vec<u32>,
}

impl Speculated {
    /// For a run of `files` inputs.
    pub(super) fn new(files: usize) -> Speculated {
        Speculated { quiet: Bits::new(files), groups: HashMap::new(), reported: Vec::new() }
    }

    /// Keeps what file `file` needs once checked, its Pod templates in `pods_in`.
    pub(super) fn add(&mut self, file: u32, pods_in: Option<Sym>, outcome: FileOutcome) {
        match outcome {
            FileOutcome::Checked(r)
                if r.findings.is_empty()
                    && r.inventory.is_empty()
                    && r.objects.is_empty()
                    && r.suppressions.is_empty()
                    && r.skipped == 0
                    && r.custom == (0, 0)
                    && !r.not_kubernetes =>
            {
                self.quiet.insert(file as usize);
                let group = self.groups.entry(pods_in).or_default();
                group.resources += r.resources;
                if pods_in.is_some() {
                    group.files.push(file);
                }
            }
            outcome => self.reported.push((file, pods_in, Box::new(outcome))),
        }
    }

    /// What stands of these checks once the run's admission configuration is known:
    /// a file is checked again where [`Admission::collected_applies`] to its Pod
    /// templates.
    pub(super) fn settle(self, admission: &Admission) -> Settled {
        let Speculated { mut quiet, groups, mut reported } = self;
        let mut resources = 0;
        let mut again = if admission.collected_applies(None) {
            // Bound policies: every file.
            std::mem::replace(&mut quiet, Bits::new(0))
        } else {
            let mut again = Bits::new(quiet.len());
            for (pods_in, group) in groups {
                if admission.collected_applies(pods_in.map(Sym::as_str)) {
                    for file in group.files {
                        quiet.remove(file as usize);
                        again.insert(file as usize);
                    }
                } else {
                    resources += group.resources;
                }
            }
            again
        };
        reported.retain(|&(file, pods_in, _)| {
            let stands = !admission.collected_applies(pods_in.map(Sym::as_str));
            if !stands {
                again.insert(file as usize);
            }
            stands
        });
        reported.sort_unstable_by_key(|&(file, ..)| file);
        let reported: Vec<_> = reported.into_iter().map(|(file, _, outcome)| (file, outcome)).collect();
        Settled { quiet, again, reported: reported.into_iter().peekable(), resources }
    }
}

/// The checks made as files were read that stand, and the files to check again.
pub(super) struct Settled {
    quiet: Bits,
    again: Bits,
    reported: std::iter::Peekable<std::vec::IntoIter<(u32, Box<FileOutcome>)>>,
    /// The objects of the quiet files that stand, counted once for all of them
    /// ([`Read::Quiet`]).
    pub(super) resources: usize,
}

impl Settled {
    /// What is known of file `file` from its check as it was read, if it was
    /// checked then; called in input order.
    pub(super) fn take(&mut self, file: usize) -> Option<Read> {
        if self.quiet.contains(file) {
            return Some(Read::Quiet);
        }
        if self.again.contains(file) {
            return Some(Read::Again);
        }
        let (_, outcome) = self.reported.next_if(|&(i, _)| i as usize == file)?;
        Some(Read::Checked(outcome))
    }
}

/// A set of file indices, a bit each.
struct Bits(Vec<u64>);

impl Bits {
    /// Room for indices below `len` without growing.
    fn new(len: usize) -> Bits {
        Bits(vec![0; len.div_ceil(64)])
    }

    /// The indices it has room for.
    fn len(&self) -> usize {
        self.0.len() * 64
    }

    fn insert(&mut self, i: usize) {
        if self.0.len() <= i / 64 {
            self.0.resize(i / 64 + 1, 0);
        }
        if let Some(word) = self.0.get_mut(i / 64) {
            *word |= 1 << (i % 64);
        }
    }

    fn remove(&mut self, i: usize) {
        if let Some(word) = self.0.get_mut(i / 64) {
            *word &= !(1 << (i % 64));
        }
    }

    fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|word| word >> (i % 64) & 1 == 1)
    }
}
