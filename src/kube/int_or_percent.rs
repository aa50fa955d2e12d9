//! Counts that may be percentages (`maxUnavailable: 25%`), read and validated as the
//! API server's `ValidatePositiveIntOrPercent`, `IsNotMoreThan100Percent` and
//! `getIntOrPercentValue` do.

use crate::yaml::{Node, Value};

/// A count or a percentage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum IntOrPercent {
    Int(i64),
    Percent(i64),
}

/// A count or a valid percentage; `None` for what is neither (a type error the
/// schema check reports, or an invalid percentage).
pub fn parse(node: &Node) -> Option<IntOrPercent> {
    match &node.value {
        Value::Int(n) => Some(IntOrPercent::Int(*n)),
        Value::Str(s) if is_percent(s) => s.trim_end_matches('%').parse().ok().map(IntOrPercent::Percent),
        _ => None,
    }
}

/// The number a count or a valid percentage holds (`25%` → 25).
pub fn value(node: &Node) -> Option<i64> {
    parse(node).map(|(IntOrPercent::Int(n) | IntOrPercent::Percent(n))| n)
}

/// Why the API server rejects the value, if it does. `at_most_100` adds the limit
/// some fields have (`maxUnavailable`, a budget's `minAvailable`).
pub fn problem(node: &Node, at_most_100: bool) -> Option<&'static str> {
    match &node.value {
        Value::Int(n) if *n < 0 => Some("must be greater than or equal to 0"),
        Value::Str(s) if !is_percent(s) => Some(
            "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%', regex used for validation is '[0-9]+%')",
        ),
        Value::Str(_) if at_most_100 && value(node).is_some_and(|p| p > 100) => Some("must not be greater than 100%"),
        _ => None,
    }
}

fn is_percent(s: &str) -> bool {
    s.strip_suffix('%').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn node(text: &str) -> Node {
        let stream = crate::yaml::load(&format!("v: {text}\n"), &Limits::default());
        stream.documents[0].root.get("v").unwrap().clone()
    }

    #[test]
    fn values_and_problems() {
        assert_eq!(value(&node("3")), Some(3));
        assert_eq!(value(&node("25%")), Some(25));
        assert_eq!(value(&node("x%")), None);
        assert_eq!(problem(&node("-1"), false), Some("must be greater than or equal to 0"));
        assert!(problem(&node("5 %"), false).is_some_and(|p| p.starts_with("a valid percent")));
        assert_eq!(problem(&node("150%"), true), Some("must not be greater than 100%"));
        assert_eq!(problem(&node("150%"), false), None);
        assert_eq!(problem(&node("100%"), true), None);
    }
}
