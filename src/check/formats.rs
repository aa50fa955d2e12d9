//! The string and integer formats of the Kubernetes schemas, and those the API
//! server validates in CustomResourceDefinition schemas (kube-openapi's `strfmt`
//! registry). Unknown formats are accepted, as the API server accepts them.

/// Checks a string against a schema `format`; returns what it should have been.
pub fn check_string(format: &str, value: &str) -> Result<(), &'static str> {
    let ok = match format {
        "byte" => is_base64(value),
        "date-time" | "datetime" => is_rfc3339(value),
        "date" => is_date(value),
        "duration" => is_duration(value),
        "uuid" => is_uuid(value, None),
        "uuid3" => is_uuid(value, Some(b'3')),
        "uuid4" => is_uuid(value, Some(b'4')),
        "uuid5" => is_uuid(value, Some(b'5')),
        "hostname" => is_hostname(value),
        "ipv4" => value.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => value.parse::<std::net::Ipv6Addr>().is_ok(),
        "cidr" => is_cidr(value),
        "mac" => is_mac(value),
        "uri" => is_uri(value),
        "email" => is_email(value),
        "hexcolor" => is_hexcolor(value),
        "bsonobjectid" => value.len() == 24 && value.bytes().all(|b| b.is_ascii_hexdigit()),
        _ => true,
    };
    if ok { Ok(()) } else { Err(expected(format)) }
}

/// What a value of a format looks like, for messages.
fn expected(format: &str) -> &'static str {
    match format {
        "byte" => "base64-encoded data",
        "date-time" | "datetime" => "an RFC 3339 date-time such as `2024-01-31T12:00:00Z`",
        "date" => "a date such as `2024-01-31`",
        "duration" => "a duration such as `30s`, `5m` or `1h30m`",
        "uuid" | "uuid3" | "uuid4" | "uuid5" => "a UUID such as `123e4567-e89b-42d3-a456-426614174000`",
        "hostname" => "a host name such as `example.com`",
        "ipv4" => "an IPv4 address such as `10.0.0.1`",
        "ipv6" => "an IPv6 address such as `fd00::1`",
        "cidr" => "a CIDR such as `10.0.0.0/16`",
        "mac" => "a MAC address such as `00:1a:2b:3c:4d:5e`",
        "uri" => "a URI",
        "email" => "an email address",
        "hexcolor" => "a hex colour such as `#ff0000`",
        _ => "a 24-digit hexadecimal object id",
    }
}

/// `2006-01-02`.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| {
        s.get(r).filter(|d| d.bytes().all(|c| c.is_ascii_digit())).and_then(|d| d.parse::<u32>().ok())
    };
    b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && num(0..4).is_some()
        && num(5..7).is_some_and(|m| (1..=12).contains(&m))
        && num(8..10).is_some_and(|d| (1..=31).contains(&d))
}

/// Go's `time.ParseDuration` (`1h30m`, `500ms`), or go-openapi's longer form with
/// days and weeks and spaces (`3d`, `1 w`).
fn is_duration(s: &str) -> bool {
    if crate::kube::duration::parse(s).is_ok() {
        return true;
    }
    const UNITS: &[&str] = &[
        "ns", "us", "µs", "ms", "s", "m", "h", "d", "w", "sec", "min", "hr", "day", "wk", "secs", "mins", "hrs",
        "days", "wks",
    ];
    let mut rest = s.trim();
    let mut parts = 0;
    while !rest.is_empty() {
        let rest_signless = rest.strip_prefix('-').unwrap_or(rest).trim_start();
        let digits = rest_signless.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        let Some((_, after)) = rest_signless.split_at_checked(digits) else { return false };
        let after = after.trim_start();
        let unit_len = after.char_indices().find(|(_, c)| !c.is_alphabetic()).map_or(after.len(), |(i, _)| i);
        let Some((unit, after)) = after.split_at_checked(unit_len) else { return false };
        if !UNITS.contains(&unit) {
            return false;
        }
        rest = after.trim_start();
        parts += 1;
    }
    parts > 0
}

fn is_uuid(s: &str, version: Option<u8>) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() })
        && version.is_none_or(|v| b.get(14) == Some(&v))
}

/// RFC 1123 host names, as go-openapi's `IsHostname` (letters of any script allowed).
fn is_hostname(s: &str) -> bool {
    s.len() <= 255
        && !s.is_empty()
        && s.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Go's `net.ParseCIDR`.
pub fn is_cidr(s: &str) -> bool {
    let Some((addr, prefix)) = s.split_once('/') else { return false };
    let Ok(prefix) = prefix.parse::<u8>() else { return false };
    match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => prefix <= 32,
        Ok(std::net::IpAddr::V6(_)) => prefix <= 128,
        Err(_) => false,
    }
}

/// Go's `net.ParseMAC`: 6, 8 or 20 groups of two hex digits joined by `:` or `-`, or
/// groups of four joined by `.`.
fn is_mac(s: &str) -> bool {
    let hex = |g: &str, n: usize| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit());
    for sep in [':', '-'] {
        let groups: Vec<&str> = s.split(sep).collect();
        if [6, 8, 20].contains(&groups.len()) && groups.iter().all(|g| hex(g, 2)) {
            return true;
        }
    }
    let groups: Vec<&str> = s.split('.').collect();
    [3, 4, 10].contains(&groups.len()) && groups.iter().all(|g| hex(g, 4))
}

/// Go's `url.Parse` succeeds on nearly anything: no control characters, valid `%` escapes.
fn is_uri(s: &str) -> bool {
    let b = s.as_bytes();
    !s.chars().any(char::is_control)
        && b.iter().enumerate().filter(|(_, c)| **c == b'%').all(|(i, _)| {
            b.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        })
}

fn is_email(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !s.chars().any(char::is_whitespace),
        None => false,
    }
}

fn is_hexcolor(s: &str) -> bool {
    let digits = s.strip_prefix('#').unwrap_or(s);
    matches!(digits.len(), 3 | 6) && digits.bytes().all(|b| b.is_ascii_hexdigit())
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
    fn crd_formats() {
        for (format, good, bad) in [
            ("date", "2024-02-29", "2024-13-01"),
            ("duration", "1h30m", "soon"),
            ("duration", "3 days", "3 parsecs"),
            ("uuid", "123e4567-e89b-42d3-a456-426614174000", "123e4567"),
            ("hostname", "api.example.com", "-bad-.example"),
            ("ipv4", "10.0.0.1", "10.0.0.256"),
            ("ipv6", "fd00::1", "10.0.0.1"),
            ("cidr", "10.0.0.0/16", "10.0.0.0/33"),
            ("mac", "00:1a:2b:3c:4d:5e", "00:1a:2b"),
            ("uri", "https://example.com/a%20b", "https://example.com/%zz"),
            ("email", "ops@example.com", "ops"),
            ("hexcolor", "#ff0000", "red"),
        ] {
            assert!(check_string(format, good).is_ok(), "{format} {good}");
            assert!(check_string(format, bad).is_err(), "{format} {bad}");
        }
        assert!(check_string("no-such-format", "anything").is_ok());
    }

    #[test]
    fn int32() {
        assert!(check_integer("int32", 2_147_483_647).is_ok());
        assert!(check_integer("int32", 2_147_483_648).is_err());
        assert!(check_integer("int64", 2_147_483_648).is_ok());
    }
}
