//! Interned strings: the few distinct kinds, API versions, namespaces and chart
//! templates of a run, each stored once for the whole process, so that each object
//! kept for the cross-document rules holds a 4-byte [`Sym`] instead of its own
//! copies (a run over 100,000 objects names a few dozen kinds and namespaces).
//!
//! Interned texts live until the process ends; only texts that repeat across
//! objects are interned (never object names), so a long-lived language server
//! keeps no more than the distinct kinds and namespaces it has seen.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{LazyLock, PoisonError, RwLock};

/// An interned text (see [`Sym::new`]): cheap to copy, compare and hash; `Option<Sym>`
/// is 4 bytes too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sym(NonZeroU32);

#[derive(Default)]
struct Table {
    ids: HashMap<&'static str, Sym>,
    /// Index `i` holds the text of `Sym(i + 1)`.
    texts: Vec<&'static str>,
}

static TABLE: LazyLock<RwLock<Table>> = LazyLock::new(RwLock::default);

impl Sym {
    /// The id of `text`, interned on first use.
    pub fn new(text: &str) -> Sym {
        if let Some(&sym) = TABLE.read().unwrap_or_else(PoisonError::into_inner).ids.get(text) {
            return sym;
        }
        let mut table = TABLE.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(&sym) = table.ids.get(text) {
            return sym;
        }
        let id = u32::try_from(table.texts.len() + 1).ok().and_then(NonZeroU32::new).unwrap_or(NonZeroU32::MAX);
        let text: &'static str = Box::leak(text.into());
        table.texts.push(text);
        table.ids.insert(text, Sym(id));
        Sym(id)
    }

    /// The id of `text` if it was interned (a lookup that interns nothing).
    pub fn get(text: &str) -> Option<Sym> {
        TABLE.read().unwrap_or_else(PoisonError::into_inner).ids.get(text).copied()
    }

    /// The number that stands for the text in this process.
    pub fn id(self) -> u32 {
        self.0.get()
    }

    pub fn as_str(self) -> &'static str {
        let table = TABLE.read().unwrap_or_else(PoisonError::into_inner);
        table.texts.get(self.0.get() as usize - 1).copied().unwrap_or("")
    }
}

/// The inventory spilled to bytes (`rules::spill`) holds a symbol's id, not its text:
/// it is read back by the same process, whose table the id names.
impl serde::Serialize for Sym {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.0.get())
    }
}

impl<'de> serde::Deserialize<'de> for Sym {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Sym, D::Error> {
        let id = u32::deserialize(deserializer)?;
        NonZeroU32::new(id).map(Sym).ok_or_else(|| serde::de::Error::custom("no symbol has the id 0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_id() {
        let a = Sym::new("apps/v1");
        assert_eq!(Sym::new(&String::from("apps/v1")), a);
        assert_ne!(Sym::new("v1"), a);
        assert_eq!(a.as_str(), "apps/v1");
        assert_eq!(std::mem::size_of::<Option<Sym>>(), 4);
    }
}
