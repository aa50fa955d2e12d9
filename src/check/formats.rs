//! The string and integer formats of the Kubernetes schemas.

/// Checks a string against a schema `format`; returns what it should have been.
pub fn check_string(format: &str, value: &str) -> Result<(), &'static str> {
    match format {
        "byte" if !is_base64(value) => Err("base64-encoded data"),
        "date-time" if !is_rfc3339(value) => Err("an RFC 3339 date-time such as `2024-01-31T12:00:00Z`"),
        _ => Ok(()),
    }
}

/// Checks an integer against `int32`.
pub fn check_integer(format: &str, value: i64) -> Result<(), &'static str> {
    match format {
        "int32" if i32::try_from(value).is_err() => Err("a 32-bit integer (-2147483648 to 2147483647)"),
        _ => Ok(()),
    }
}

/// Go's `base64.StdEncoding` as `encoding/json` decodes `[]byte`: padding required,
/// line breaks ignored.
fn is_base64(value: &str) -> bool {
    let mut len = 0usize;
    let mut padding = 0usize;
    for b in value.bytes().filter(|&b| b != b'\n' && b != b'\r') {
        match b {
            b'=' => padding += 1,
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' if padding == 0 => {}
            _ => return false,
        }
        len += 1;
    }
    len.is_multiple_of(4) && padding <= 2
}

/// `time.Parse(time.RFC3339, s)`: `2006-01-02T15:04:05[.frac](Z|±hh:mm)`.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| b.get(range).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let at = |i: usize, chars: &[u8]| b.get(i).is_some_and(|c| chars.contains(c));
    let fixed = b.len() >= 20
        && digits(0..4)
        && at(4, b"-")
        && digits(5..7)
        && at(7, b"-")
        && digits(8..10)
        && at(10, b"Tt")
        && digits(11..13)
        && at(13, b":")
        && digits(14..16)
        && at(16, b":")
        && digits(17..19);
    if !fixed {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i..).unwrap_or_default() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert!(is_base64("aGVsbG8="));
        assert!(is_base64("aGVs\nbG8="));
        assert!(is_base64(""));
        assert!(!is_base64("aGVsbG8"));
        assert!(!is_base64("not base64!"));
        assert!(!is_base64("aGV=sbG8"));
    }

    #[test]
    fn rfc3339() {
        assert!(is_rfc3339("2024-01-31T12:00:00Z"));
        assert!(is_rfc3339("2024-01-31T12:00:00.123+02:00"));
        assert!(!is_rfc3339("2024-01-31"));
        assert!(!is_rfc3339("2024-01-31 12:00:00Z"));
        assert!(!is_rfc3339("2024-01-31T12:00:00"));
    }

    #[test]
    fn int32() {
        assert!(check_integer("int32", 2_147_483_647).is_ok());
        assert!(check_integer("int32", 2_147_483_648).is_err());
        assert!(check_integer("int64", 2_147_483_648).is_ok());
    }
}
