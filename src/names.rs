//! The names of a run's inputs, in one table: a run over a large repository holds
//! one for each of its files from the walk to the report, so each costs its bytes and
//! an offset rather than an allocation of its own.

use std::sync::Arc;

/// Names in order, end to end in one string. Shared: a clone costs nothing, so the
/// run, its result and what it keeps of each file refer to one table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names(Arc<Table>);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Table {
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<u32>,
}

impl Names {
    /// Adds a name at the end. The table holds up to 4 GiB of names (tens of millions
    /// of files); past that, names are cut short rather than the run stopped.
    pub fn push(&mut self, name: &str) {
        let table = Arc::make_mut(&mut self.0);
        let room = (u32::MAX as usize).saturating_sub(table.text.len());
        table.text.push_str(crate::source::truncate(name, room));
        table.ends.push(u32::try_from(table.text.len()).unwrap_or(u32::MAX));
    }

    /// Makes room for `names` more names of `bytes` bytes in all.
    pub fn reserve(&mut self, bytes: usize, names: usize) {
        let table = Arc::make_mut(&mut self.0);
        table.text.reserve(bytes);
        table.ends.reserve(names);
    }

    /// Keeps the names `keep` says to keep (by index), in order, in place.
    pub fn retain(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let table = Arc::make_mut(&mut self.0);
        let kept: Vec<bool> = (0..table.ends.len()).map(&mut keep).collect();
        let ends = &table.ends;
        let (mut at, mut name) = (0, 0);
        table.text.retain(|c| {
            while ends.get(name).is_some_and(|&end| at >= end as usize) {
                name += 1;
            }
            at += c.len_utf8();
            kept.get(name).copied().unwrap_or(true)
        });
        let (mut start, mut end, mut kept) = (0, 0, kept.into_iter());
        table.ends.retain_mut(|at| {
            let len = *at - start;
            start = *at;
            let keep = kept.next().unwrap_or(true);
            if keep {
                end += len;
                *at = end;
            }
            keep
        });
    }

    /// Gives back the room left for more names (a table kept for a whole run).
    pub fn shrink_to_fit(&mut self) {
        let table = Arc::make_mut(&mut self.0);
        table.text.shrink_to_fit();
        table.ends.shrink_to_fit();
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let Table { text, ends } = &*self.0;
        let end = *ends.get(i)? as usize;
        let start = i.checked_sub(1).and_then(|j| ends.get(j)).map_or(0, |&s| s as usize);
        text.get(start..end)
    }

    pub fn first(&self) -> Option<&str> {
        self.get(0)
    }

    pub fn len(&self) -> usize {
        self.0.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.ends.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

impl<S: AsRef<str>> FromIterator<S> for Names {
    fn from_iter<I: IntoIterator<Item = S>>(names: I) -> Names {
        let mut table = Names::default();
        table.extend(names);
        table
    }
}

impl<S: AsRef<str>> Extend<S> for Names {
    fn extend<I: IntoIterator<Item = S>>(&mut self, names: I) {
        names.into_iter().for_each(|name| self.push(name.as_ref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_order() {
        let names: Names = ["a.yaml", "", "dir/b.yml"].into_iter().collect();
        assert_eq!(names.len(), 3);
        assert_eq!(names.iter().collect::<Vec<_>>(), ["a.yaml", "", "dir/b.yml"]);
        assert_eq!((names.first(), names.get(2), names.get(3)), (Some("a.yaml"), Some("dir/b.yml"), None));
    }

    #[test]
    fn retains_in_place() {
        let mut names: Names = ["a.yaml", "", "dé/b.yml", "c", "", "d"].into_iter().collect();
        names.retain(|i| i != 0 && i != 3 && i != 4);
        assert_eq!(names.iter().collect::<Vec<_>>(), ["", "dé/b.yml", "d"]);
        names.retain(|_| true);
        assert_eq!(names.len(), 3);
    }
}
