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
        // Built in place rather than with `format!`: every field a pod rule walks makes one.
        let mut path = String::with_capacity(self.path.len() + 1 + key.len());
        if !self.path.is_empty() {
            path.push_str(&self.path);
            path.push('.');
        }
        path.push_str(key);
        let mut pointer = String::with_capacity(self.pointer.len() + 1 + key.len());
        pointer.push_str(&self.pointer);
        for part in key.split('.') {
            pointer.push('/');
            pointer.push_str(part);
        }
        At { path, pointer }
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
