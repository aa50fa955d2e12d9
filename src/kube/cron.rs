//! CronJob schedules and time zones, read as the API server and the CronJob controller
//! read them: robfig/cron v3
//! `ParseStandard` (5 fields, or a descriptor such as `@hourly` or `@every 1h`), and
//! the next run computed with robfig's `SpecSchedule.Next` in the schedule's time zone.
//!
//! Error messages are robfig's, which the API server puts after
//! `spec.schedule: Invalid value: "<schedule>": `.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{ToSpan, Zoned};

/// Set in a field's bits when it was written `*` or `?` (robfig's `starBit`); it
/// changes how day-of-month and day-of-week combine.
const STAR: u64 = 1 << 63;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    kind: Kind,
    /// The zone of a `TZ=` or `CRON_TZ=` prefix (the API server refuses it on create;
    /// `spec.timeZone` is the supported way).
    pub zone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Spec {
        minute: u64,
        hour: u64,
        dom: u64,
        month: u64,
        dow: u64,
    },
    /// `@every <duration>`, in whole seconds (at least one).
    Every(u64),
}

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

/// Parses a schedule as `cron.ParseStandard` does.
pub fn parse(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    let mut spec = spec;
    let mut zone = None;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let (Some(space), Some(eq)) = (spec.find(' '), spec.find('=')) else {
            return Err(format!("provided bad location {spec}: unknown time zone {spec}"));
        };
        let (Some(name), Some(rest)) = (spec.get(eq + 1..space), spec.get(space..)) else {
            return Err(format!("provided bad location {spec}: unknown time zone {spec}"));
        };
        TimeZone::get(name).map_err(|_| format!("provided bad location {name}: unknown time zone {name}"))?;
        zone = Some(name.to_string());
        spec = rest.trim();
    }
    if spec.starts_with('@') {
        return descriptor(spec).map(|kind| Schedule { kind, zone });
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    let [minute, hour, dom, month, dow] = fields[..] else {
        return Err(format!("expected exactly 5 fields, found {}: [{}]", fields.len(), fields.join(" ")));
    };
    let kind = Kind::Spec {
        minute: field(minute, &MINUTES)?,
        hour: field(hour, &HOURS)?,
        dom: field(dom, &DOM)?,
        month: field(month, &MONTHS)?,
        dow: field(dow, &DOW)?,
    };
    Ok(Schedule { kind, zone })
}

fn all(b: &Bounds) -> u64 {
    bits(b.min, b.max, 1) | STAR
}

fn descriptor(text: &str) -> Result<Kind, String> {
    let spec = |minute, hour, dom, month, dow| Ok(Kind::Spec { minute, hour, dom, month, dow });
    match text {
        "@yearly" | "@annually" => spec(1, 1, 1 << DOM.min, 1 << MONTHS.min, all(&DOW)),
        "@monthly" => spec(1, 1, 1 << DOM.min, all(&MONTHS), all(&DOW)),
        "@weekly" => spec(1, 1, all(&DOM), all(&MONTHS), 1 << DOW.min),
        "@daily" | "@midnight" => spec(1, 1, all(&DOM), all(&MONTHS), all(&DOW)),
        "@hourly" => spec(1, all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW)),
        _ => match text.strip_prefix("@every ") {
            Some(duration) => {
                let ms =
                    super::duration::parse(duration).map_err(|e| format!("failed to parse duration {text}: {e}"))?;
                Ok(Kind::Every((ms / 1000).max(1)))
            }
            None => Err(format!("unrecognized descriptor: {text}")),
        },
    }
}

fn field(text: &str, b: &Bounds) -> Result<u64, String> {
    text.split(',').try_fold(0, |acc, expr| Ok(acc | range(expr, b)?))
}

/// One comma-separated part: `*`, `?`, `N`, `N-M`, any of them with `/step`.
fn range(expr: &str, b: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step.first().copied().unwrap_or_default().split('-').collect();
    let single = low_and_high.len() == 1;
    let low = low_and_high.first().copied().unwrap_or_default();
    let (start, mut end, mut extra);
    if low == "*" || low == "?" {
        (start, end, extra) = (b.min, b.max, STAR);
    } else {
        start = int_or_name(low, b)?;
        end = match low_and_high[..] {
            [_] => start,
            [_, high] => int_or_name(high, b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        extra = 0;
    }
    let step = match range_and_step[..] {
        [_] => 1,
        [_, step] => {
            let step = int(step)?;
            // `N/step` means `N-max/step`.
            if single {
                end = b.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < b.min {
        return Err(format!("beginning of range ({start}) below minimum ({}): {expr}", b.min));
    }
    if end > b.max {
        return Err(format!("end of range ({end}) above maximum ({}): {expr}", b.max));
    }
    if start > end {
        return Err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}"));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(bits(start, end, step) | extra)
}

fn int_or_name(text: &str, b: &Bounds) -> Result<u32, String> {
    let lower = text.to_ascii_lowercase();
    match b.names.iter().position(|n| *n == lower) {
        Some(i) => Ok(i as u32 + if b.min == 1 { 1 } else { 0 }),
        None => int(text),
    }
}

fn int(text: &str) -> Result<u32, String> {
    // strconv.Atoi: an optional sign, then decimal digits.
    let parsed: Result<i64, _> = text.parse();
    match parsed {
        Ok(n) if n < 0 => Err(format!("negative number ({n}) not allowed: {text}")),
        Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
        Err(_) => Err(format!("failed to parse int from {text}: strconv.Atoi: parsing {text:?}: invalid syntax")),
    }
}

fn bits(min: u32, max: u32, step: u32) -> u64 {
    let max = max.min(62);
    (min..=max).step_by(step as usize).fold(0, |acc, i| acc | 1 << i)
}

impl Schedule {
    /// The first run strictly after `after`, in the schedule's zone, or `None` when
    /// the schedule never fires within five years (robfig gives up there, e.g. for
    /// `0 0 30 2 *`).
    pub fn next(&self, after: &Zoned) -> Option<Zoned> {
        let (minute, hour, dom, month, dow) = match self.kind {
            Kind::Every(seconds) => {
                let next = after.checked_add((seconds as i64).seconds()).ok()?;
                return next.with().subsec_nanosecond(0).build().ok();
            }
            Kind::Spec { minute, hour, dom, month, dow } => (minute, hour, dom, month, dow),
        };
        let tz = after.time_zone().clone();
        let date = |y: i16, mo: i8, d: i8, h: i8, mi: i8| -> Option<Zoned> {
            DateTime::new(y, mo, d, h, mi, 0, 0).ok()?.to_zoned(tz.clone()).ok()
        };
        let day_matches = |t: &Zoned| {
            let dom_match = dom & (1 << t.day()) != 0;
            let dow_match = dow & (1 << t.weekday().to_sunday_zero_offset()) != 0;
            if dom & STAR != 0 || dow & STAR != 0 { dom_match && dow_match } else { dom_match || dow_match }
        };
        // Start at the next whole second, as robfig does.
        let mut t = after.checked_add(1.second()).ok()?.with().subsec_nanosecond(0).build().ok()?;
        let mut added = false;
        let year_limit = t.year() + 5;
        'wrap: loop {
            if t.year() > year_limit {
                return None;
            }
            while month & (1 << t.month()) == 0 {
                if !added {
                    added = true;
                    t = date(t.year(), t.month(), 1, 0, 0)?;
                }
                let (y, m) = if t.month() == 12 { (t.year() + 1, 1) } else { (t.year(), t.month() + 1) };
                t = date(y, m, t.day().min(28), t.hour(), t.minute())?;
                if t.month() == 1 {
                    continue 'wrap;
                }
            }
            while !day_matches(&t) {
                if !added {
                    added = true;
                    t = date(t.year(), t.month(), t.day(), 0, 0)?;
                }
                let tomorrow = t.date().tomorrow().ok()?;
                t = date(tomorrow.year(), tomorrow.month(), tomorrow.day(), t.hour(), t.minute())?;
                // Daylight saving time can move midnight; go back to it.
                if t.hour() != 0 {
                    let shift = if t.hour() > 12 { 24 - t.hour() } else { -t.hour() };
                    t = t.checked_add(i64::from(shift).hours()).ok()?;
                }
                if t.day() == 1 {
                    continue 'wrap;
                }
            }
            while hour & (1 << t.hour()) == 0 {
                if !added {
                    added = true;
                    t = date(t.year(), t.month(), t.day(), t.hour(), 0)?;
                }
                t = t.checked_add(1.hour()).ok()?;
                if t.hour() == 0 {
                    continue 'wrap;
                }
            }
            while minute & (1 << t.minute()) == 0 {
                if !added {
                    added = true;
                    t = t.with().second(0).build().ok()?;
                }
                t = t.checked_add(1.minute()).ok()?;
                if t.minute() == 0 {
                    continue 'wrap;
                }
            }
            // Only second 0 is allowed: robfig steps second by second to it.
            if t.second() != 0 {
                added = true;
                t = t.checked_add(i64::from(60 - t.second()).seconds()).ok()?;
                continue 'wrap;
            }
            return Some(t);
        }
    }
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

    fn at(text: &str, zone: &str) -> Zoned {
        let ts: jiff::Timestamp = text.parse().unwrap();
        ts.to_zoned(TimeZone::get(zone).unwrap())
    }

    fn runs(spec: &str, from: &str, zone: &str, n: usize) -> Vec<String> {
        let s = parse(spec).unwrap();
        let mut t = at(from, zone);
        let mut out = Vec::new();
        for _ in 0..n {
            t = s.next(&t).unwrap();
            out.push(t.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string());
        }
        out
    }

    #[test]
    fn standard_fields() {
        assert_eq!(
            runs("*/15 * * * *", "2026-01-01T00:00:00Z", "UTC", 3),
            ["2026-01-01T00:15:00+00:00", "2026-01-01T00:30:00+00:00", "2026-01-01T00:45:00+00:00"]
        );
        assert_eq!(
            runs("30 2 * * *", "2026-01-01T00:00:00Z", "UTC", 2),
            ["2026-01-01T02:30:00+00:00", "2026-01-02T02:30:00+00:00"]
        );
        // Monday to Friday; 2026-01-01 is a Thursday.
        assert_eq!(
            runs("0 9 * * MON-FRI", "2026-01-01T10:00:00Z", "UTC", 3),
            ["2026-01-02T09:00:00+00:00", "2026-01-05T09:00:00+00:00", "2026-01-06T09:00:00+00:00"]
        );
        assert_eq!(
            runs("0 0 1 jan,jul ?", "2026-01-01T00:00:00Z", "UTC", 2),
            ["2026-07-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00"]
        );
    }

    #[test]
    fn day_of_month_or_day_of_week() {
        // Both restricted: either matches (the 13th, or a Friday).
        assert_eq!(
            runs("0 0 13 * 5", "2026-01-01T00:00:00Z", "UTC", 3),
            ["2026-01-02T00:00:00+00:00", "2026-01-09T00:00:00+00:00", "2026-01-13T00:00:00+00:00"]
        );
    }

    #[test]
    fn descriptors() {
        assert_eq!(runs("@hourly", "2026-01-01T00:00:00Z", "UTC", 1), ["2026-01-01T01:00:00+00:00"]);
        assert_eq!(runs("@daily", "2026-01-01T00:00:00Z", "UTC", 1), ["2026-01-02T00:00:00+00:00"]);
        assert_eq!(runs("@weekly", "2026-01-01T00:00:00Z", "UTC", 1), ["2026-01-04T00:00:00+00:00"]);
        assert_eq!(runs("@monthly", "2026-01-01T00:00:00Z", "UTC", 1), ["2026-02-01T00:00:00+00:00"]);
        assert_eq!(runs("@yearly", "2026-01-01T00:00:00Z", "UTC", 1), ["2027-01-01T00:00:00+00:00"]);
        assert_eq!(
            runs("@every 90m", "2026-01-01T00:00:00Z", "UTC", 2),
            ["2026-01-01T01:30:00+00:00", "2026-01-01T03:00:00+00:00"]
        );
    }

    #[test]
    fn time_zones_and_daylight_saving() {
        assert_eq!(runs("30 2 * * *", "2026-01-01T00:00:00Z", "Europe/Paris", 1), ["2026-01-01T02:30:00+01:00"]);
        // 02:30 does not exist on 2026-03-29 in Paris: robfig skips that day.
        assert_eq!(
            runs("30 2 * * *", "2026-03-28T12:00:00Z", "Europe/Paris", 2),
            ["2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00"]
        );
    }

    #[test]
    fn never_fires() {
        let s = parse("0 0 30 2 *").unwrap();
        assert_eq!(s.next(&at("2026-01-01T00:00:00Z", "UTC")), None);
    }

    #[test]
    fn robfig_errors() {
        let err = |s: &str| parse(s).unwrap_err();
        assert_eq!(err(""), "empty spec string");
        assert_eq!(err("* * * *"), "expected exactly 5 fields, found 4: [* * * *]");
        assert_eq!(err("0 0 * * 7"), "end of range (7) above maximum (6): 7");
        assert_eq!(err("60 * * * *"), "end of range (60) above maximum (59): 60");
        assert_eq!(err("0 0 0 * *"), "beginning of range (0) below minimum (1): 0");
        assert_eq!(err("5-1 * * * *"), "beginning of range (5) beyond end of range (1): 5-1");
        assert_eq!(err("*/0 * * * *"), "step of range should be a positive number: */0");
        assert_eq!(err("1-2-3 * * * *"), "too many hyphens: 1-2-3");
        assert_eq!(err("@every 5d"), "failed to parse duration @every 5d: time: unknown unit \"d\" in duration \"5d\"");
        assert_eq!(err("@fortnightly"), "unrecognized descriptor: @fortnightly");
        assert_eq!(err("L * * * *"), "failed to parse int from L: strconv.Atoi: parsing \"L\": invalid syntax");
    }

    #[test]
    fn tz_prefix() {
        let s = parse("CRON_TZ=Asia/Tokyo 0 9 * * *").unwrap();
        assert_eq!(s.zone.as_deref(), Some("Asia/Tokyo"));
        assert!(parse("TZ=Nowhere/City 0 9 * * *").is_err());
    }

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
            assert_eq!(parse(ok).map(|_| ()), Ok(()), "{ok}");
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
            ("@every 1x", "failed to parse duration @every 1x: time: unknown unit \"x\" in duration \"1x\""),
        ];
        for (spec, error) in cases {
            assert_eq!(parse(spec).map(|_| ()), Err(error.to_string()), "{spec}");
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
