//! Findings grouped by file and by the object they are in, for the formats that
//! report one test per object (JUnit, TAP).

use std::collections::{HashMap, HashSet};

use super::ReportContext;
use crate::check::CheckedObject;
use crate::finding::Finding;
use crate::names::Name;

/// One input file and its tests.
pub struct FileTests<'a> {
    pub name: Name<'a>,
    pub tests: Vec<Test<'a>>,
}

/// One object and its findings, or (`object: None`) the findings of a file that
/// fall outside every object (syntax errors, a file that cannot be read).
pub struct Test<'a> {
    pub object: Option<&'a CheckedObject>,
    pub findings: Vec<&'a Finding>,
}

impl Test<'_> {
    /// `Deployment/web`, `Deployment/shop/web` with a namespace, `Deployment (document
    /// 3)` without a name; `(file)` for the findings outside every object.
    pub fn label(&self) -> String {
        let Some(checked) = self.object else { return "(file)".to_string() };
        let o = &checked.object;
        let name = match (&o.namespace, &o.name) {
            (Some(ns), Some(name)) => Some(format!("{ns}/{name}")),
            (None, Some(name)) => Some(name.clone()),
            _ => None,
        };
        match (&o.kind, name) {
            (Some(kind), Some(name)) => format!("{kind}/{name}"),
            (kind, _) => {
                let kind = kind.as_deref().unwrap_or("object");
                format!("{kind} (document {})", checked.document + 1)
            }
        }
    }
}

/// Every input file with its objects in order, each with the findings inside it.
/// Files that were named but could not be read (they have findings but no entry in
/// `result.inputs`) come first, as in the findings' order.
pub fn group<'a>(cx: &'a ReportContext<'a>) -> Vec<FileTests<'a>> {
    let result = cx.result;
    let mut files: Vec<FileTests<'a>> = Vec::new();
    let mut index: HashMap<Name, usize> = HashMap::new();
    let mut add_file = |files: &mut Vec<FileTests<'a>>, name: Name<'a>| {
        *index.entry(name).or_insert_with(|| {
            files.push(FileTests { name, tests: vec![Test { object: None, findings: Vec::new() }] });
            files.len() - 1
        })
    };
    let inputs: HashSet<Name> = result.inputs.iter().collect();
    for f in cx.findings() {
        let name = Name::new(&f.location.source.name);
        if !inputs.contains(&name) {
            add_file(&mut files, name);
        }
    }
    for name in result.inputs.iter() {
        add_file(&mut files, name);
    }
    // Objects are in file order and do not overlap, so the first test of a file is
    // its `(file)` test and the object tests follow by position.
    for checked in &result.objects {
        let i = add_file(&mut files, checked.source.name());
        if let Some(file) = files.get_mut(i) {
            file.tests.push(Test { object: Some(checked), findings: Vec::new() });
        }
    }
    for f in cx.findings() {
        let i = add_file(&mut files, Name::new(&f.location.source.name));
        let Some(file) = files.get_mut(i) else { continue };
        // In the file's offsets, as objects' spans are: a large file is read in parts.
        let at = f.location.source.offset(f.location.span.start);
        let objects = file.tests.get(1..).unwrap_or_default();
        let after = objects.partition_point(|t| t.object.is_some_and(|o| o.span.start as usize <= at));
        let inside = after
            .checked_sub(1)
            .filter(|&j| objects.get(j).and_then(|t| t.object).is_some_and(|o| at <= o.span.end as usize));
        let slot = inside.map_or(0, |j| j + 1);
        if let Some(test) = file.tests.get_mut(slot) {
            test.findings.push(f);
        }
    }
    for file in &mut files {
        if file.tests.first().is_some_and(|t| t.findings.is_empty()) {
            file.tests.remove(0);
        }
    }
    files
}
