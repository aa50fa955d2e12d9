//! Durations written as Go's `time.ParseDuration` reads them (`10s`, `1m30s`, `1.5h`)
//! and printed as `time.Duration.String` and kubectl's AGE column print them.

/// Parses a Go duration into milliseconds (sub-millisecond parts are dropped).
/// Errors use Go's wording: `time: invalid duration "x"`.
pub fn parse(text: &str) -> Result<u64, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    let mut rest = text.strip_prefix('+').unwrap_or(text);
    if rest.starts_with('-') {
        return Err(invalid());
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total_ns: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (number, after_number) = rest.split_at_checked(number_len).ok_or_else(invalid)?;
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(invalid());
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        let unit_len = after_number.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after_number.len());
        let (unit, after_unit) = after_number.split_at_checked(unit_len).ok_or_else(invalid)?;
        let ns = match unit {
            "" => return Err(format!("time: missing unit in duration {text:?}")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(format!("time: unknown unit {unit:?} in duration {text:?}")),
        };
        total_ns += value * ns;
        rest = after_unit;
    }
    // Go's limit: the largest int64 of nanoseconds, about 290 years.
    if total_ns > 9.223_372_036_854_775e18 {
        return Err(invalid());
    }
    Ok((total_ns / 1e6) as u64)
}

/// `time.Duration.String`: `0s`, `1.5s`, `10s`, `2m5s`, `1h0m0s`, `250ms`.
pub fn format(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let hours = ms / 3_600_000;
    let minutes = ms / 60_000 % 60;
    let seconds = ms / 1000 % 60;
    let millis = ms % 1000;
    let secs = if millis == 0 {
        format!("{seconds}s")
    } else {
        format!("{seconds}.{}s", format!("{millis:03}").trim_end_matches('0'))
    };
    if hours > 0 {
        format!("{hours}h{minutes}m{secs}")
    } else if minutes > 0 {
        format!("{minutes}m{secs}")
    } else {
        secs
    }
}

/// kubectl's AGE column (`duration.HumanDuration` in apimachinery).
pub fn human(ms: u64) -> String {
    let seconds = ms / 1000;
    let minutes = seconds / 60;
    let hours = seconds / 3600;
    let days = hours / 24;
    let years = days / 365;
    let with = |a: u64, ua: &str, b: u64, ub: &str| {
        if b == 0 { format!("{a}{ua}") } else { format!("{a}{ua}{b}{ub}") }
    };
    if seconds < 120 {
        format!("{seconds}s")
    } else if minutes < 10 {
        with(minutes, "m", seconds % 60, "s")
    } else if minutes < 180 {
        format!("{minutes}m")
    } else if hours < 8 {
        with(hours, "h", minutes % 60, "m")
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        with(days, "d", hours % 24, "h")
    } else if hours < 24 * 365 * 2 {
        format!("{days}d")
    } else if hours < 24 * 365 * 8 {
        with(years, "y", days % 365, "d")
    } else {
        format!("{years}y")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_durations() {
        assert_eq!(parse("10s"), Ok(10_000));
        assert_eq!(parse("1m30s"), Ok(90_000));
        assert_eq!(parse("1.5h"), Ok(5_400_000));
        assert_eq!(parse("250ms"), Ok(250));
        assert_eq!(parse("0"), Ok(0));
        assert_eq!(parse("2h45m"), Ok(9_900_000));
        assert_eq!(parse("5").unwrap_err(), "time: missing unit in duration \"5\"");
        assert_eq!(parse("5d").unwrap_err(), "time: unknown unit \"d\" in duration \"5d\"");
        assert_eq!(parse("").unwrap_err(), "time: invalid duration \"\"");
        assert_eq!(parse("-1s").unwrap_err(), "time: invalid duration \"-1s\"");
        assert_eq!(parse("1..5s").unwrap_err(), "time: invalid duration \"1..5s\"");
    }

    #[test]
    fn formats_like_go() {
        assert_eq!(format(0), "0s");
        assert_eq!(format(10_000), "10s");
        assert_eq!(format(1_500), "1.5s");
        assert_eq!(format(125_000), "2m5s");
        assert_eq!(format(3_600_000), "1h0m0s");
        assert_eq!(format(250), "250ms");
    }

    #[test]
    fn formats_like_kubectl_age() {
        assert_eq!(human(0), "0s");
        assert_eq!(human(10_999), "10s");
        assert_eq!(human(119_000), "119s");
        assert_eq!(human(125_000), "2m5s");
        assert_eq!(human(373_000), "6m13s");
        assert_eq!(human(360_000), "6m");
        assert_eq!(human(11 * 60_000), "11m");
        assert_eq!(human(5 * 3_600_000 + 60_000), "5h1m");
        assert_eq!(human(30 * 3_600_000), "30h");
        assert_eq!(human(50 * 3_600_000), "2d2h");
        assert_eq!(human(30 * 86_400_000), "30d");
        assert_eq!(human(800 * 86_400_000), "2y70d");
    }
}
