//! Base64 as Go's `encoding/json` decodes a `[]byte` field (a Secret's `data`):
//! the standard alphabet with padding, line breaks ignored, trailing bits not
//! checked, and the error at the same byte offset Go reports (Go's message:
//! `illegal base64 data at input byte 4`).

fn is_alphabet(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

/// Checks `s`; the error is the input byte Go reports. Follows `base64.Encoding.decodeQuantum`
/// step by step so that the offsets agree.
pub fn check(s: &str) -> Result<(), usize> {
    let src = s.as_bytes();
    let n = src.len();
    let illegal = Err;
    let skip_newlines = |mut si: usize| {
        while si < n && matches!(src.get(si), Some(b'\r' | b'\n')) {
            si += 1;
        }
        si
    };
    let mut si = 0;
    while si < n {
        let mut j = 0;
        while j < 4 {
            let Some(&c) = src.get(si) else {
                return if j == 0 { Ok(()) } else { illegal(si - j) };
            };
            si += 1;
            if is_alphabet(c) {
                j += 1;
                continue;
            }
            if matches!(c, b'\r' | b'\n') {
                continue;
            }
            if c != b'=' || j < 2 {
                return illegal(si - 1);
            }
            if j == 2 {
                // `==` is expected; the first `=` is consumed.
                si = skip_newlines(si);
                match src.get(si) {
                    None => return illegal(n),
                    Some(b'=') => si += 1,
                    Some(_) => return illegal(si - 1),
                }
            }
            si = skip_newlines(si);
            return if si < n { illegal(si) } else { Ok(()) };
        }
    }
    Ok(())
}

/// Decodes `s` when [`check`] accepts it (padding and line breaks skipped).
pub fn decode(s: &str) -> Option<Vec<u8>> {
    check(s).ok()?;
    let sextet = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for v in s.bytes().filter_map(sextet) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{check, decode};

    #[test]
    fn decodes() {
        assert_eq!(decode("YWJj").as_deref(), Some(&b"abc"[..]));
        assert_eq!(decode("YW\nI=").as_deref(), Some(&b"ab"[..]));
        assert_eq!(decode("YQ==").as_deref(), Some(&b"a"[..]));
        assert_eq!(decode("abc"), None);
    }

    #[test]
    fn go_decoding() {
        for ok in ["", "YWJj", "YWI=", "YQ==", "YW\nJj", "YWJj\r\nZA==", "YR=="] {
            assert!(check(ok).is_ok(), "{ok:?}");
        }
        assert_eq!(check("abc").unwrap_err(), 0);
        assert_eq!(check("YQ=").unwrap_err(), 3);
        assert_eq!(check("YQ=a").unwrap_err(), 2);
        assert_eq!(check("ab!c").unwrap_err(), 2);
        assert_eq!(check("YQ==YWJj").unwrap_err(), 4);
        assert_eq!(check("Y===").unwrap_err(), 1);
        assert_eq!(check("hello world").unwrap_err(), 5);
    }
}
