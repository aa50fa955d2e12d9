//! Plain scalars resolved the way Kubernetes reads them.
//!
//! kubectl and the API server read YAML through sigs.k8s.io/yaml, which uses go-yaml v2
//! (YAML 1.1 rules): `yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0644` is octal,
//! `1_000` is 1000. This is a port of go-yaml v2's `resolve()` for plain scalars.
//! Quoted and block scalars are always strings and never come here. Timestamps stay
//! strings: go-yaml v2 keeps them as text when decoding into an untyped value.

/// The value of a plain scalar.
#[derive(Debug, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

pub fn resolve_plain(s: &str) -> Resolved {
    let Some(&first) = s.as_bytes().first() else { return Resolved::Null };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            lookup(s).unwrap_or(Resolved::Str)
        }
        b'.' => lookup(s).or_else(|| go_float(s).map(Resolved::Float)).unwrap_or(Resolved::Str),
        b'+' | b'-' | b'0'..=b'9' => lookup(s).unwrap_or_else(|| number(s)),
        _ => Resolved::Str,
    }
}

/// go-yaml v2's table of special plain scalars.
fn lookup(s: &str) -> Option<Resolved> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Resolved::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Resolved::Bool(false),
        "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// Integers with Go's base prefixes (`strconv.ParseInt(s, 0, 64)`), then YAML floats.
fn number(s: &str) -> Resolved {
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(i) = go_parse_int(&plain) {
        return Resolved::Int(i);
    }
    if go_parse_uint(&plain).is_some() || is_yaml_float(&plain) {
        // Beyond i64 (a uint64) or a float: both reach JSON as a number.
        if let Some(f) = go_float(&plain) {
            return Resolved::Float(f);
        }
    }
    Resolved::Str
}

/// Splits a sign and Go's base prefix: returns (negative, radix, digits).
fn split_radix(s: &str) -> Option<(bool, u32, &str)> {
    let (neg, rest) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let prefixed = |prefix: [&str; 2]| prefix.iter().find_map(|p| rest.strip_prefix(p));
    let (radix, digits) = if let Some(d) = prefixed(["0x", "0X"]) {
        (16, d)
    } else if let Some(d) = prefixed(["0o", "0O"]) {
        (8, d)
    } else if let Some(d) = prefixed(["0b", "0B"]) {
        (2, d)
    } else if let Some(d) = rest.strip_prefix('0').filter(|d| !d.is_empty()) {
        (8, d)
    } else {
        (10, rest)
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    Some((neg, radix, digits))
}

fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, radix, digits) = split_radix(s)?;
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if neg { 0i64.checked_sub_unsigned(magnitude) } else { i64::try_from(magnitude).ok() }
}

fn go_parse_uint(s: &str) -> Option<u64> {
    let (neg, radix, digits) = split_radix(s)?;
    if neg || s.starts_with('+') {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat` for the decimal forms YAML floats take.
fn go_float(s: &str) -> Option<f64> {
    if !is_yaml_float(s) {
        return None;
    }
    s.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::Resolved::*;
    use super::*;

    #[test]
    fn booleans_of_yaml_1_1() {
        for t in ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"] {
            assert_eq!(resolve_plain(t), Bool(true), "{t}");
        }
        for f in ["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"] {
            assert_eq!(resolve_plain(f), Bool(false), "{f}");
        }
        for s in ["yES", "oN", "tRUE", "yesno", "o"] {
            assert_eq!(resolve_plain(s), Str, "{s}");
        }
    }

    #[test]
    fn nulls() {
        for n in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve_plain(n), Null, "{n:?}");
        }
        assert_eq!(resolve_plain("nULL"), Str);
    }

    #[test]
    fn integers_with_go_prefixes() {
        assert_eq!(resolve_plain("0644"), Int(420));
        assert_eq!(resolve_plain("0755"), Int(493));
        assert_eq!(resolve_plain("0x1F"), Int(31));
        assert_eq!(resolve_plain("0o17"), Int(15));
        assert_eq!(resolve_plain("0b101"), Int(5));
        assert_eq!(resolve_plain("-0b101"), Int(-5));
        assert_eq!(resolve_plain("1_000"), Int(1000));
        assert_eq!(resolve_plain("+12"), Int(12));
        assert_eq!(resolve_plain("-12"), Int(-12));
        assert_eq!(resolve_plain("0"), Int(0));
        assert_eq!(resolve_plain("00"), Int(0));
        assert_eq!(resolve_plain("-9223372036854775808"), Int(i64::MIN));
    }

    #[test]
    fn floats() {
        assert_eq!(resolve_plain("08"), Float(8.0));
        assert_eq!(resolve_plain("1e3"), Float(1000.0));
        assert_eq!(resolve_plain("1.5"), Float(1.5));
        assert_eq!(resolve_plain(".5"), Float(0.5));
        assert_eq!(resolve_plain("+.5"), Float(0.5));
        assert_eq!(resolve_plain("1."), Float(1.0));
        assert_eq!(resolve_plain("99999999999999999999"), Float(1e20));
        assert_eq!(resolve_plain(".inf"), Float(f64::INFINITY));
        assert_eq!(resolve_plain("-.Inf"), Float(f64::NEG_INFINITY));
        assert!(matches!(resolve_plain(".nan"), Float(f) if f.is_nan()));
    }

    #[test]
    fn strings() {
        for s in [
            "-",
            "1.2.3",
            "1:30",
            "0b2",
            "2024-01-01",
            "12:30:00",
            "v1",
            "1Gi",
            "500m",
            "abc",
            ".",
            "+",
            "1e",
            "0x",
            "--1",
            "1_",
            "_1",
            "0xG",
        ] {
            assert_eq!(resolve_plain(s), if s == "1_" { Int(1) } else { Str }, "{s}");
        }
    }
}
