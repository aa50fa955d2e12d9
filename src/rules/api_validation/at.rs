//! Where an api-validation finding points: the dotted path the API server names in
//! its message (`spec.volumes[0].secret`) and the JSON pointer of the node.

use crate::rules::{Context, Rule};
use crate::source::Span;

pub struct At {
    pub path: String,
    pub pointer: String,
}

impl At {
    pub fn new(path: impl Into<String>, pointer: impl Into<String>) -> At {
        At { path: path.into(), pointer: pointer.into() }
    }

    /// A field below (`key` may be dotted: `resourceFieldRef.containerName`).
    pub fn child(&self, key: &str) -> At {
        let path = if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) };
        At { path, pointer: format!("{}/{}", self.pointer, key.replace('.', "/")) }
    }

    /// An item of a list below.
    pub fn index(&self, list: &str, i: usize) -> At {
        self.child(list).item(i)
    }

    /// An item of this list.
    pub fn item(&self, i: usize) -> At {
        At { path: format!("{}[{i}]", self.path), pointer: format!("{}/{i}", self.pointer) }
    }

    /// Reports a finding of `rule` here.
    pub fn report(
        &self,
        cx: &mut Context<'_>,
        rule: &'static Rule,
        span: Span,
        message: String,
        label: &str,
        help: &str,
    ) {
        let f = cx.finding(rule, span, message).label(label).pointer(self.pointer.clone()).help(help);
        cx.report(f);
    }
}
