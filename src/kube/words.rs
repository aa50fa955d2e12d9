//! Numbers and ports written as words where a field takes a number: `eighty`,
//! `four hundred forty-three` (English cardinals), `http` (an IANA service name,
//! `/etc/services`).

const UNITS: &[&str] = &["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const TEENS: &[&str] =
    &["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
const TENS: &[&str] = &["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/// The number `text` spells, below a million: `eighty` → 80, `eight thousand
/// eighty` → 8080. Only the regular English form: `eighty eighty` is no number.
pub fn parse(text: &str) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty() && *w != "and").collect();
    if words == ["zero"] {
        return Some(0);
    }
    match words.iter().position(|w| *w == "thousand") {
        Some(at) => {
            let thousands = group(words.get(..at)?)?;
            let rest = words.get(at + 1..)?;
            Some(thousands * 1000 + if rest.is_empty() { 0 } else { group(rest)? })
        }
        None => group(&words),
    }
}

/// 1 to 999: `[UNIT hundred] [TENS [UNIT] | TEEN | UNIT]`.
fn group(words: &[&str]) -> Option<u32> {
    let (hundreds, rest) = match words {
        [u, "hundred", rest @ ..] => (index(UNITS, u)? + 1, rest),
        _ => (0, words),
    };
    let below = match rest {
        [] if hundreds > 0 => 0,
        [w] => index(UNITS, w)
            .map(|i| i + 1)
            .or_else(|| index(TEENS, w).map(|i| i + 10))
            .or_else(|| index(TENS, w).map(|i| i * 10 + 20))?,
        [t, u] => index(TENS, t)? * 10 + 20 + index(UNITS, u)? + 1,
        _ => return None,
    };
    Some(hundreds * 100 + below)
}

fn index(list: &[&str], word: &str) -> Option<u32> {
    list.iter().position(|w| *w == word).and_then(|i| u32::try_from(i).ok())
}

/// Service name → port, for the services Kubernetes manifests expose most.
const SERVICES: &[(&str, u16)] = &[
    ("ftp", 21),
    ("ssh", 22),
    ("smtp", 25),
    ("domain", 53),
    ("dns", 53),
    ("http", 80),
    ("pop3", 110),
    ("ntp", 123),
    ("imap", 143),
    ("snmp", 161),
    ("ldap", 389),
    ("https", 443),
    ("submission", 587),
    ("ldaps", 636),
    ("imaps", 993),
    ("pop3s", 995),
    ("mysql", 3306),
    ("postgresql", 5432),
    ("amqp", 5672),
    ("redis", 6379),
    ("http-alt", 8080),
    ("mongodb", 27017),
];

/// The port of an IANA service name (`http` → 80).
pub fn service_port(name: &str) -> Option<u16> {
    SERVICES.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
}

#[cfg(test)]
mod tests {
    use super::{parse, service_port};

    #[test]
    fn service_names() {
        assert_eq!(service_port("http"), Some(80));
        assert_eq!(service_port("http-alt"), Some(8080));
        assert_eq!(service_port("HTTP"), None);
        assert_eq!(service_port("metrics"), None);
    }

    #[test]
    fn numbers_in_words() {
        assert_eq!(parse("eighty"), Some(80));
        assert_eq!(parse("Eighty-Eight"), Some(88));
        assert_eq!(parse("four hundred forty-three"), Some(443));
        assert_eq!(parse("four hundred and forty three"), Some(443));
        assert_eq!(parse("eight thousand eighty"), Some(8080));
        assert_eq!(parse("nine thousand"), Some(9000));
        assert_eq!(parse("sixty five thousand five hundred thirty five"), Some(65535));
        assert_eq!(parse("zero"), Some(0));
        assert_eq!(parse("eighty eighty"), None);
        assert_eq!(parse("http"), None);
        assert_eq!(parse("hundred"), None);
        assert_eq!(parse(""), None);
    }
}
