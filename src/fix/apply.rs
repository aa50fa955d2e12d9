//! Applying the fixes of one file: non-overlapping fixes in one pass, passes in
//! rounds until nothing changes.

use crate::finding::{Applicability, Edit, Finding, Fix};
use crate::lint::{LintOptions, lint_text};

use super::edit;

/// The most passes over one file: a fix that keeps producing new fixes stops here.
pub const MAX_ROUNDS: usize = 10;

/// The fixes of `findings` on the file `name` that a run may apply.
pub fn fixes_for<'f>(findings: &'f [Finding], name: &str, unsafe_fixes: bool) -> Vec<&'f Fix> {
    findings.iter().filter(|f| f.location.source.name == name).filter_map(|f| applicable(f, unsafe_fixes)).collect()
}

/// The fix of a finding, if the run may apply it: suppressed findings are left
/// alone, unsafe fixes need `--unsafe-fixes`.
pub fn applicable(finding: &Finding, unsafe_fixes: bool) -> Option<&Fix> {
    let fix = finding.fix.as_ref()?;
    let allowed = fix.applicability == Applicability::Safe || unsafe_fixes;
    (allowed && finding.suppressed.is_none()).then_some(fix)
}

/// Applies the fixes that do not overlap an earlier one (by position), each whole
/// or not at all. Returns the new text and how many fixes it applied.
pub fn apply_once(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut ordered: Vec<&Fix> = fixes.to_vec();
    ordered.sort_by_key(|f| f.edits.iter().map(|e| (e.span.start, e.span.end)).min());
    ordered.dedup();
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in ordered {
        let fits = fix.edits.iter().all(|e| text.get(e.span.range()).is_some())
            && !fix.edits.iter().any(|e| taken.iter().any(|t| overlap(e, t)));
        if fits && !fix.edits.is_empty() {
            taken.extend(&fix.edits);
            applied += 1;
        }
    }
    match edit::apply(text, &taken) {
        Some(fixed) => (fixed, applied),
        None => (text.to_string(), 0),
    }
}

/// Two edits touch the same text, or insert at the same place (their order would
/// be arbitrary).
fn overlap(a: &Edit, b: &Edit) -> bool {
    (a.span.start < b.span.end && b.span.start < a.span.end) || a.span.start == b.span.start
}

/// Fixes one file in rounds: after each pass the text is linted again (alone, as
/// standard input would be) and the new fixes applied, until none is left or after
/// [`MAX_ROUNDS`]. Returns the fixed text and the number of fixes applied.
pub fn fix_text(name: &str, text: &str, first: &[&Fix], options: &LintOptions, unsafe_fixes: bool) -> (String, usize) {
    let mut text = text.to_string();
    let mut total = 0;
    let mut fixes: Vec<Fix> = first.iter().map(|f| (*f).clone()).collect();
    for _ in 0..MAX_ROUNDS {
        let (fixed, applied) = apply_once(&text, &fixes.iter().collect::<Vec<_>>());
        if applied == 0 || fixed == text {
            break;
        }
        text = fixed;
        total += applied;
        let again = lint_text(name, &text, options);
        fixes = fixes_for(&again.findings, name, unsafe_fixes).into_iter().cloned().collect();
    }
    (text, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn fix(start: usize, end: usize, text: &str) -> Fix {
        Fix::safe("t", vec![Edit { span: Span::new(start, end), replacement: text.into() }])
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let text = "abcdef";
        let (a, b, c) = (fix(0, 2, "X"), fix(1, 3, "Y"), fix(4, 4, "Z"));
        assert_eq!(apply_once(text, &[&b, &a, &c]), ("XcdZef".to_string(), 2));
        // The same fix from two findings is applied once.
        assert_eq!(apply_once(text, &[&a, &a]), ("Xcdef".to_string(), 1));
        // A fix whose span is not in the text is skipped.
        assert_eq!(apply_once(text, &[&fix(3, 99, "")]), ("abcdef".to_string(), 0));
    }
}
