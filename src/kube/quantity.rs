//! Resource quantities (`500m`, `1Gi`, `2e3`), parsed as `resource.ParseQuantity` does.

/// The text of the API server's error for a quantity that does not parse.
pub const SYNTAX: &str = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// Parses a quantity into its value in base units (cores, bytes).
///
/// Grammar: a signed decimal number (`1`, `1.5`, `.5`, `5.`) followed by a binary
/// suffix (`Ki` … `Ei`), a decimal suffix (`n`, `u`, `m`, `k`, `M` … `E`) or a
/// decimal exponent (`e3`, `E-2`).
pub fn parse(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let mut digits = 0;
    let mut dots = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' => dots += 1,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 || dots > 1 {
        return None;
    }
    // `i` is past ASCII characters only, so both halves are at char boundaries.
    let (number, suffix) = text.split_at_checked(i)?;
    let number: f64 = number.parse().ok().or_else(|| {
        // `5.` is valid Kubernetes but not Rust float syntax
        format!("{number}0").parse().ok()
    })?;
    let binary = |power: i32| Some(number * 1024f64.powi(power));
    // Dividing by a power of ten keeps `100n` exactly 1e-7.
    let decimal = |exp: i32| Some(if exp < 0 { number / 10f64.powi(-exp) } else { number * 10f64.powi(exp) });
    match suffix {
        "" => Some(number),
        "Ki" => binary(1),
        "Mi" => binary(2),
        "Gi" => binary(3),
        "Ti" => binary(4),
        "Pi" => binary(5),
        "Ei" => binary(6),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        suffix => decimal(exponent(suffix)?),
    }
}

/// `e3`, `E-2`: a decimal exponent suffix.
fn exponent(suffix: &str) -> Option<i32> {
    let rest = suffix.strip_prefix(['e', 'E'])?;
    let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

/// A quantity the API server refuses, rewritten as what it most likely means.
#[derive(Debug, PartialEq, Eq)]
pub struct Correction {
    pub value: String,
    /// The other reading when there are two (`512MB`: `512M` or `512Mi`); the
    /// correction then keeps the literal one and is not applied by `--fix` alone.
    pub other: Option<String>,
}

/// The correction of a quantity written with a unit in the wrong case (`500mi`,
/// `2GI`), with a byte suffix (`512MiB`, `512MB`), or with spaces (`512 Mi`).
pub fn correct(text: &str) -> Option<Correction> {
    if parse(text).is_some() {
        return None;
    }
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let split =
        squeezed.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-'))).unwrap_or(squeezed.len());
    let (number, unit) = squeezed.split_at_checked(split)?;
    parse(number)?;
    let valid = |unit: &str| Some(format!("{number}{unit}")).filter(|v| parse(v).is_some());
    if let Some(value) = valid(unit) {
        return Some(Correction { value, other: None });
    }
    let lower = unit.to_ascii_lowercase();
    let prefix = lower.chars().next().filter(|c| "kmgtpe".contains(*c))?;
    let binary = || format!("{}i", if prefix == 'k' { 'K' } else { prefix.to_ascii_uppercase() });
    match lower.get(1..)? {
        // `Mi` in the wrong case, or `MiB`: only the binary unit has an `i`.
        "i" | "ib" => valid(&binary()).map(|value| Correction { value, other: None }),
        // `MB`, `Gb`, `K`: a decimal unit as written, or the binary one meant (a
        // lone `e` is an exponent: no guess).
        "b" | "" if lower != "e" => {
            let decimal = if prefix == 'k' { "k".to_string() } else { prefix.to_ascii_uppercase().to_string() };
            Some(Correction { value: valid(&decimal)?, other: valid(&binary()) })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{correct, parse};

    #[test]
    fn valid_quantities() {
        assert_eq!(parse("500m"), Some(0.5));
        assert_eq!(parse("1"), Some(1.0));
        assert_eq!(parse("1Gi"), Some(1073741824.0));
        assert_eq!(parse("512Mi"), Some(536870912.0));
        assert_eq!(parse("1.5G"), Some(1.5e9));
        assert_eq!(parse("2e3"), Some(2000.0));
        assert_eq!(parse("+.5"), Some(0.5));
        assert_eq!(parse("5."), Some(5.0));
        assert!(parse("100n").is_some_and(|q| (q - 100e-9).abs() < 1e-18));
        assert_eq!(parse("-1"), Some(-1.0));
    }

    #[test]
    fn invalid_quantities() {
        for q in ["512MB", "1.5.Gi", "", "Gi", "1 Gi", " 1", "1gi", "1KiB", "1e", "e3", "1.2.3", "abc", "1Ki1"] {
            assert_eq!(parse(q), None, "{q}");
        }
    }

    #[test]
    fn corrections() {
        let fix = |t: &str| correct(t).map(|c| (c.value, c.other));
        assert_eq!(fix("500mi"), Some(("500Mi".into(), None)));
        assert_eq!(fix("2GI"), Some(("2Gi".into(), None)));
        assert_eq!(fix("512MiB"), Some(("512Mi".into(), None)));
        assert_eq!(fix("512 Mi"), Some(("512Mi".into(), None)));
        assert_eq!(fix("512MB"), Some(("512M".into(), Some("512Mi".into()))));
        assert_eq!(fix("1kb"), Some(("1k".into(), Some("1Ki".into()))));
        assert_eq!(fix("1K"), Some(("1k".into(), Some("1Ki".into()))));
        assert_eq!(fix("512mb"), Some(("512M".into(), Some("512Mi".into()))));
        assert_eq!(fix("1.5.Gi"), None);
        assert_eq!(fix("512Mi"), None);
        assert_eq!(fix("two"), None);
    }
}
