//! A bound on what evaluating a rule may cost, so that a hostile CRD cannot make
//! kval hang: every comprehension (`all`, `exists`, `map`, `filter`) may run once per
//! element of the largest collection around, so a rule of `n` AST nodes whose
//! comprehensions nest `d` deep costs at most about `n * size^d` steps on a value of
//! `size` nodes.

use cel::common::ast::{EntryExpr, Expr};
use cel::parser::Expression;

#[derive(Debug, Default)]
pub struct Shape {
    /// Deepest nesting of comprehensions.
    depth: u32,
    /// AST nodes.
    nodes: u64,
    /// The longest list literal (a comprehension may range over one).
    literal: u64,
    /// The variables the rule reads (`self`, `oldSelf`).
    pub variables: Vec<String>,
}

impl Shape {
    pub fn of(expr: &Expression) -> Shape {
        let mut shape = Shape::default();
        shape.walk(expr, 0);
        shape
    }

    /// The estimated steps on a value of `size` nodes.
    pub fn cost(&self, size: u64) -> u64 {
        let n = size.max(self.literal).saturating_add(1);
        (0..self.depth).fold(self.nodes, |cost, _| cost.saturating_mul(n))
    }

    fn walk(&mut self, expr: &Expression, depth: u32) {
        self.nodes += 1;
        match &expr.expr {
            Expr::Call(call) => {
                if call.func_name == "lists.range" {
                    // `lists.range(n)` makes a list of up to a million elements.
                    self.literal = self.literal.max(1_000_000);
                }
                if let Some(target) = &call.target {
                    self.walk(target, depth);
                }
                for arg in &call.args {
                    self.walk(arg, depth);
                }
            }
            Expr::Comprehension(c) => {
                self.walk(&c.iter_range, depth);
                self.walk(&c.accu_init, depth);
                let inner = depth + 1;
                self.depth = self.depth.max(inner);
                for e in [&c.loop_cond, &c.loop_step, &c.result] {
                    self.walk(e, inner);
                }
            }
            Expr::Ident(name) => {
                if !self.variables.contains(name) {
                    self.variables.push(name.clone());
                }
            }
            Expr::List(list) => {
                self.literal = self.literal.max(list.elements.len() as u64);
                for e in &list.elements {
                    self.walk(e, depth);
                }
            }
            Expr::Map(map) => self.entries(map.entries.iter().map(|e| &e.expr), depth),
            Expr::Struct(s) => self.entries(s.entries.iter().map(|e| &e.expr), depth),
            Expr::Select(select) => self.walk(&select.operand, depth),
            Expr::Literal(_) | Expr::Unspecified => {}
        }
    }

    fn entries<'a>(&mut self, entries: impl Iterator<Item = &'a EntryExpr>, depth: u32) {
        for entry in entries {
            match entry {
                EntryExpr::MapEntry(e) => {
                    self.walk(&e.key, depth);
                    self.walk(&e.value, depth);
                }
                EntryExpr::StructField(f) => self.walk(&f.value, depth),
            }
        }
    }
}
