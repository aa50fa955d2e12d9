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

#[cfg(test)]
mod tests {
    use super::parse;

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
}
