//! CronJob schedules and time zones, as the API server checks them.
//!
//! Schedules follow `github.com/robfig/cron/v3`'s `ParseStandard`: five fields
//! (minute, hour, day of month, month, day of week), `*`, `?`, lists, ranges and
//! steps, month and weekday names, and the descriptors `@yearly`…`@hourly` and
//! `@every <duration>`. The day of week runs 0–6 (Sunday is 0; `7` is rejected).
//! Error texts are robfig's. Time zones are checked against the IANA database
//! bundled in `jiff` (`tzdb-bundle-always`), so results do not depend on the host.

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MINUTES: Bounds = Bounds { min: 0, max: 59, names: &[] };
const HOURS: Bounds = Bounds { min: 0, max: 23, names: &[] };
const DOM: Bounds = Bounds { min: 1, max: 31, names: &[] };
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
};
const DOW: Bounds = Bounds { min: 0, max: 6, names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"] };

const DESCRIPTORS: &[&str] = &["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/// Checks a schedule; the error is robfig's text.
pub fn parse_schedule(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    if let Some(rest) = spec.strip_prefix('@') {
        if DESCRIPTORS.contains(&spec) {
            return Ok(());
        }
        if let Some(duration) = rest.strip_prefix("every ") {
            return go_duration(duration)
                .map_err(|e| format!("failed to parse duration {spec}: time: {e} {:?}", duration));
        }
        return Err(format!("unrecognized descriptor: {spec}"));
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!("expected exactly 5 fields, found {}: [{}]", fields.len(), fields.join(" ")));
    }
    for (field, bounds) in fields.iter().zip([&MINUTES, &HOURS, &DOM, &MONTHS, &DOW]) {
        for expr in field.split(',').filter(|e| !e.is_empty()) {
            range(expr, bounds)?;
        }
    }
    Ok(())
}

fn range(expr: &str, r: &Bounds) -> Result<(), String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end) = if low_and_high[0] == "*" || low_and_high[0] == "?" {
        (r.min, r.max)
    } else {
        let start = int_or_name(low_and_high[0], r.names)?;
        match low_and_high.len() {
            1 => (start, start),
            2 => (start, int_or_name(low_and_high[1], r.names)?),
            _ => return Err(format!("too many hyphens: {expr}")),
        }
    };
    match range_and_step.len() {
        1 => {}
        2 => {
            let step = int(range_and_step[1])?;
            if step == 0 {
                return Err(format!("step of range should be a positive number: {expr}"));
            }
            if single {
                end = r.max;
            }
        }
        _ => return Err(format!("too many slashes: {expr}")),
    }
    if start < r.min {
        return Err(format!("beginning of range ({start}) below minimum ({}): {expr}", r.min));
    }
    if end > r.max {
        return Err(format!("end of range ({end}) above maximum ({}): {expr}", r.max));
    }
    if start > end {
        return Err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}"));
    }
    Ok(())
}

fn int_or_name(expr: &str, names: &[&str]) -> Result<u32, String> {
    let lower = expr.to_ascii_lowercase();
    match names.iter().position(|n| *n == lower) {
        // Month names start at 1, weekday names at 0.
        Some(i) => Ok(i as u32 + u32::from(names.len() == 12)),
        None => int(expr),
    }
}

fn int(expr: &str) -> Result<u32, String> {
    let digits = expr.strip_prefix('+').unwrap_or(expr);
    if let Some(negative) = expr.strip_prefix('-')
        && !negative.is_empty()
        && negative.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("negative number (-{negative}) not allowed: {expr}"));
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: invalid syntax"));
    }
    digits
        .parse::<u32>()
        .map_err(|_| format!("failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: value out of range"))
}

/// Go's `time.ParseDuration` syntax: `1h30m`, `90s`, `1.5h`, `0`.
fn go_duration(text: &str) -> Result<(), &'static str> {
    let s = text.strip_prefix(['+', '-']).unwrap_or(text);
    if s == "0" {
        return Ok(());
    }
    if s.is_empty() {
        return Err("invalid duration");
    }
    let mut rest = s;
    while !rest.is_empty() {
        let number = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let digits = &rest[..number];
        if digits.is_empty() || digits == "." || digits.matches('.').count() > 1 {
            return Err("invalid duration");
        }
        rest = &rest[number..];
        let unit = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        match &rest[..unit] {
            "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h" => {}
            "" => return Err("missing unit in duration"),
            _ => return Err("unknown unit in duration"),
        }
        rest = &rest[unit..];
    }
    Ok(())
}

/// Whether the schedule sets a time zone itself (`TZ=…` or `CRON_TZ=…`), which the
/// API server rejects in favour of `timeZone`.
pub fn has_time_zone_prefix(spec: &str) -> bool {
    spec.contains("TZ")
}

/// Checks a `timeZone` the way `validateTimeZone` does.
pub fn time_zone(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("timeZone must be nil or non-empty string".into());
    }
    if name.eq_ignore_ascii_case("local") {
        return Err("timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones".into());
    }
    // The database lookup ignores case; Go's does not.
    match jiff::tz::TimeZone::get(name) {
        Ok(tz) if tz.iana_name() == Some(name) => Ok(()),
        _ => Err(format!("unknown time zone {name}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_standard_schedules() {
        for ok in [
            "*/5 * * * *",
            "0 0 * * 0",
            "0 9 * * MON-FRI",
            "0 0 ? * *",
            "30 2 1,15 * *",
            "0 0 1 jan,Jul *",
            "5/15 * * * *",
            "@hourly",
            "@daily",
            "@every 1h30m",
            "@every 1.5h",
            "0 0 31 2 *",
        ] {
            assert_eq!(parse_schedule(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_what_robfig_rejects() {
        let cases = [
            ("", "empty spec string"),
            ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
            ("0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]"),
            ("60 * * * *", "end of range (60) above maximum (59): 60"),
            ("0 0 * * 7", "end of range (7) above maximum (6): 7"),
            ("0 0 0 * *", "beginning of range (0) below minimum (1): 0"),
            ("0 5-2 * * *", "beginning of range (5) beyond end of range (2): 5-2"),
            ("*/0 * * * *", "step of range should be a positive number: */0"),
            ("0 0 L * *", "failed to parse int from L: strconv.Atoi: parsing \"L\": invalid syntax"),
            ("0 0 * * 5#2", "failed to parse int from 5#2: strconv.Atoi: parsing \"5#2\": invalid syntax"),
            ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
            ("@fortnightly", "unrecognized descriptor: @fortnightly"),
            ("@every 1x", "failed to parse duration @every 1x: time: unknown unit in duration \"1x\""),
        ];
        for (spec, error) in cases {
            assert_eq!(parse_schedule(spec), Err(error.to_string()), "{spec}");
        }
    }

    #[test]
    fn time_zones() {
        assert_eq!(time_zone("Europe/Paris"), Ok(()));
        assert_eq!(time_zone("UTC"), Ok(()));
        assert_eq!(time_zone("europe/paris"), Err("unknown time zone europe/paris".into()));
        assert_eq!(time_zone("Mars/Olympus"), Err("unknown time zone Mars/Olympus".into()));
        assert!(time_zone("Local").unwrap_err().starts_with("timeZone must be an explicit"));
        assert!(has_time_zone_prefix("CRON_TZ=UTC 0 * * * *"));
    }
}
