//! The names of a run's inputs, in one table: a run over a large repository holds
//! one for each of its files from the walk to the report. A name is held as its
//! directory and its file name, each a place in a table of distinct ones: the files
//! of a directory share it, and most directories hold files of the same few names
//! (`deployment.yaml`, `kustomization.yaml`), so a file costs 8 bytes and each part
//! its bytes once (60,000 files in 20,000 directories: 1.2 MB, 3 MB as whole paths).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::Arc;

/// Names in order. Shared: a clone costs nothing, so the run, its result and what it
/// keeps of each file refer to one table.
#[derive(Clone, Debug, Default)]
pub struct Names(Arc<Table>);

#[derive(Clone, Debug, Default)]
struct Table {
    /// Each name's directory ([`NO_DIR`] for a name without `/`) and file name, by
    /// place in `dirs` and `files`.
    names: Vec<(u32, u32)>,
    dirs: Strings,
    files: Strings,
}

const NO_DIR: u32 = u32::MAX;

/// A name of the table: the text before its last `/` (if it has one) and after it.
/// A name splits one way only, so names compare, hash and order as their whole text
/// does, and standard input or a rendered text (`<stdin>`, `chart (helm)`) is a
/// name without a directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Name<'a> {
    dir: Option<&'a str>,
    file: &'a str,
}

impl<'a> Name<'a> {
    pub fn new(name: &'a str) -> Name<'a> {
        match name.rsplit_once('/') {
            Some((dir, file)) => Name { dir: Some(dir), file },
            None => Name { dir: None, file: name },
        }
    }

    /// The text before the last `/`.
    pub fn dir(self) -> Option<&'a str> {
        self.dir
    }

    /// The text after the last `/` (all of it without one).
    pub fn file(self) -> &'a str {
        self.file
    }

    /// The whole text, copied only when it is in two parts.
    pub fn to_cow(self) -> Cow<'a, str> {
        match self.dir {
            None => Cow::Borrowed(self.file),
            Some(dir) => Cow::Owned([dir, "/", self.file].concat()),
        }
    }

    /// The whole text, written in `buf` when it is in two parts (no allocation for
    /// each of many names).
    pub fn in_buf<'b>(self, buf: &'b mut String) -> &'b str
    where
        'a: 'b,
    {
        let Some(dir) = self.dir else { return self.file };
        buf.clear();
        buf.extend([dir, "/", self.file]);
        buf
    }

    fn bytes(self) -> impl Iterator<Item = u8> + 'a {
        let dir = self.dir.map(|dir| dir.bytes().chain(std::iter::once(b'/')));
        dir.into_iter().flatten().chain(self.file.bytes())
    }
}

impl<'a> From<&'a str> for Name<'a> {
    fn from(name: &'a str) -> Name<'a> {
        Name::new(name)
    }
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(dir) = self.dir {
            f.write_str(dir)?;
            f.write_str("/")?;
        }
        f.write_str(self.file)
    }
}

impl PartialEq<str> for Name<'_> {
    fn eq(&self, other: &str) -> bool {
        *self == Name::new(other)
    }
}

impl PartialEq<&str> for Name<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self == Name::new(other)
    }
}

/// As their whole texts order.
impl Ord for Name<'_> {
    fn cmp(&self, other: &Name<'_>) -> Ordering {
        match (self.dir, other.dir) {
            (Some(a), Some(b)) if a == b => self.file.cmp(other.file),
            _ => self.bytes().cmp(other.bytes()),
        }
    }
}

impl PartialOrd for Name<'_> {
    fn partial_cmp(&self, other: &Name<'_>) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Names {
    /// Adds a name at the end. Each table of parts holds up to 4 GiB (tens of
    /// millions of directories); past that, parts are cut short rather than the run
    /// stopped.
    pub fn push<'n>(&mut self, name: impl Into<Name<'n>>) {
        let Name { dir, file } = name.into();
        let table = Arc::make_mut(&mut self.0);
        let dir = dir.map_or(NO_DIR, |dir| table.dirs.add(dir));
        let file = table.files.add(file);
        table.names.push((dir, file));
    }

    /// Adds the names of `other` at the end.
    pub fn append(&mut self, other: Names) {
        if self.is_empty() {
            *self = other;
        } else {
            self.extend(other.iter());
        }
    }

    /// Keeps the names `keep` says to keep (by index), in order, and the parts they
    /// use.
    pub fn retain(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let table = Arc::make_mut(&mut self.0);
        let mut i = 0;
        table.names.retain(|_| {
            i += 1;
            keep(i - 1)
        });
        let (mut dirs, mut files) = (vec![false; table.dirs.ends.len()], vec![false; table.files.ends.len()]);
        for &(dir, file) in &table.names {
            dirs.get_mut(dir as usize).into_iter().chain(files.get_mut(file as usize)).for_each(|used| *used = true);
        }
        let (dirs, files) = (table.dirs.retain(&dirs), table.files.retain(&files));
        for (dir, file) in &mut table.names {
            *dir = dirs.get(*dir as usize).copied().unwrap_or(NO_DIR);
            *file = files.get(*file as usize).copied().unwrap_or(*file);
        }
    }

    /// Gives back the room left for more names, and what finds their parts to share
    /// them (a table kept for a whole run; a name added later finds them again).
    pub fn shrink_to_fit(&mut self) {
        let table = Arc::make_mut(&mut self.0);
        table.names.shrink_to_fit();
        table.dirs.shrink_to_fit();
        table.files.shrink_to_fit();
    }

    /// Orders the names by `compare`.
    pub fn sort_by(&mut self, mut compare: impl FnMut(Name<'_>, Name<'_>) -> Ordering) {
        let Table { names, dirs, files } = Arc::make_mut(&mut self.0);
        names.sort_unstable_by(|&a, &b| compare(name(dirs, files, a), name(dirs, files, b)));
    }

    pub fn get(&self, i: usize) -> Option<Name<'_>> {
        let Table { names, dirs, files } = &*self.0;
        names.get(i).map(|&at| name(dirs, files, at))
    }

    pub fn first(&self) -> Option<Name<'_>> {
        self.get(0)
    }

    pub fn len(&self) -> usize {
        self.0.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.names.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Name<'_>> {
        let Table { names, dirs, files } = &*self.0;
        names.iter().map(|&at| name(dirs, files, at))
    }
}

fn name<'a>(dirs: &'a Strings, files: &'a Strings, (dir, file): (u32, u32)) -> Name<'a> {
    Name { dir: (dir != NO_DIR).then(|| dirs.get(dir)), file: files.get(file) }
}

impl<'n, N: Into<Name<'n>>> FromIterator<N> for Names {
    fn from_iter<I: IntoIterator<Item = N>>(names: I) -> Names {
        let mut table = Names::default();
        table.extend(names);
        table.shrink_to_fit();
        table
    }
}

impl<'n, N: Into<Name<'n>>> Extend<N> for Names {
    fn extend<I: IntoIterator<Item = N>>(&mut self, names: I) {
        names.into_iter().for_each(|name| self.push(name));
    }
}

/// Distinct strings, end to end in one string.
#[derive(Clone, Debug, Default)]
struct Strings {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<u32>,
    /// The first string of each hash of a string, while strings are added: strings
    /// of one hash but different texts are not shared.
    index: Option<HashMap<u64, u32>>,
}

/// Hashes the strings: the same hash in every table and every run.
type Hashing = BuildHasherDefault<DefaultHasher>;

impl Strings {
    fn get(&self, at: u32) -> &str {
        let Some(&end) = self.ends.get(at as usize) else { return "" };
        let start = at.checked_sub(1).and_then(|before| self.ends.get(before as usize)).copied().unwrap_or(0);
        self.text.get(start as usize..end as usize).unwrap_or_default()
    }

    /// The place of `text`, added if it is not there yet.
    fn add(&mut self, text: &str) -> u32 {
        let text = crate::source::truncate(text, (u32::MAX as usize).saturating_sub(self.text.len()));
        let hash = Hashing::default().hash_one(text);
        if self.index.is_none() {
            let index = (0..self.ends.len()).map(|at| (Hashing::default().hash_one(self.get(at as u32)), at as u32));
            self.index = Some(index.rev().collect());
        }
        let at = u32::try_from(self.ends.len()).unwrap_or(NO_DIR);
        match self.index.as_ref().and_then(|index| index.get(&hash)) {
            Some(&found) if self.get(found) == text => return found,
            Some(_) => {}
            None => _ = self.index.get_or_insert_default().insert(hash, at),
        }
        self.text.push_str(text);
        self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        at
    }

    /// Keeps the strings `used` says, in order, in place; gives the new place of
    /// each string (a string not kept: its neighbour's, never asked for).
    fn retain(&mut self, used: &[bool]) -> Vec<u32> {
        let ends = &self.ends;
        let (mut at, mut string) = (0, 0);
        self.text.retain(|c| {
            while ends.get(string).is_some_and(|&end| at >= end as usize) {
                string += 1;
            }
            at += c.len_utf8();
            used.get(string).copied().unwrap_or(true)
        });
        let (mut start, mut end, mut kept, mut places) = (0, 0, 0, Vec::with_capacity(used.len()));
        let mut used = used.iter();
        self.ends.retain_mut(|at| {
            let len = *at - start;
            start = *at;
            places.push(kept);
            let keep = used.next().copied().unwrap_or(true);
            if keep {
                end += len;
                *at = end;
                kept += 1;
            }
            keep
        });
        self.index = None;
        places
    }

    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.index = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(names: &Names) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn names_in_order() {
        let names: Names = ["a.yaml", "", "dir/b.yml"].into_iter().collect();
        assert_eq!(names.len(), 3);
        assert_eq!(texts(&names), ["a.yaml", "", "dir/b.yml"]);
        assert_eq!(
            (names.first(), names.get(2), names.get(3)),
            (Some(Name::new("a.yaml")), Some("dir/b.yml".into()), None)
        );
        assert!(names.get(2).is_some_and(|name| name == "dir/b.yml" && name != "dir/b.ym"));
    }

    /// Standard input, rendered texts, and paths of every shape come back as given.
    #[test]
    fn any_text_is_a_name() {
        let given = ["<stdin>", "chart (helm)", "/abs/a.yaml", "/a.yaml", "a/", "/", "a//b", "./x/y.json", "dé/é", ""];
        let names: Names = given.into_iter().collect();
        assert_eq!(texts(&names), given);
        for (name, text) in names.iter().zip(given) {
            assert_eq!((name.to_cow(), name.in_buf(&mut String::new())), (text.into(), text));
            assert_eq!(name, Name::new(text));
        }
    }

    #[test]
    fn parts_are_held_once() {
        let paths: Vec<String> = (0..1000)
            .flat_map(|app| ["deployment.yaml", "service.yaml"].map(|file| format!("fleet/app-{app}/{file}")))
            .collect();
        let names: Names = paths.iter().map(String::as_str).collect();
        assert_eq!(names.len(), 2000);
        assert_eq!((names.0.dirs.ends.len(), names.0.files.ends.len()), (1000, 2));
        assert_eq!(names.get(1999).map(|name| name.to_string()).as_deref(), Some("fleet/app-999/service.yaml"));
        // Parts are found again after the table was shrunk.
        let mut names = names;
        names.shrink_to_fit();
        names.push("fleet/app-7/service.yaml");
        assert_eq!((names.len(), names.0.dirs.ends.len(), names.0.files.ends.len()), (2001, 1000, 2));
    }

    #[test]
    fn retains_in_place() {
        let mut names: Names = ["a.yaml", "", "dé/b.yml", "c", "", "d", "x/a.yaml", "dé/c.yml"].into_iter().collect();
        names.retain(|i| i != 0 && i != 3 && i != 4);
        assert_eq!(texts(&names), ["", "dé/b.yml", "d", "x/a.yaml", "dé/c.yml"]);
        names.retain(|i| i != 1 && i != 3);
        assert_eq!(texts(&names), ["", "d", "dé/c.yml"]);
        // Only the parts still used are kept, and new names share them.
        assert_eq!((names.0.dirs.text.as_str(), names.0.files.text.as_str()), ("dé", "dc.yml"));
        names.extend(["dé/d", "x/d"]);
        assert_eq!(texts(&names), ["", "d", "dé/c.yml", "dé/d", "x/d"]);
        assert_eq!((names.0.dirs.text.as_str(), names.0.files.text.as_str()), ("déx", "dc.yml"));
        names.retain(|_| true);
        assert_eq!(names.len(), 5);
    }

    #[test]
    fn orders_as_whole_texts() {
        let mut given = ["b", "a/b", "a/b/c", "a-b/c", "a/b.c", "a", "", "/x"];
        let mut names: Names = given.into_iter().collect();
        names.sort_by(|a, b| a.cmp(&b));
        given.sort_unstable();
        assert_eq!(texts(&names), given);
    }
}
