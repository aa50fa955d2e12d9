use crate::document::Document;
use crate::kube::cron;
use crate::rules::Context;

crate::declare_rule! {
    /// ## What it does
    /// Checks a CronJob's `schedule` as the API server parses it (robfig/cron's
    /// standard parser: five fields `minute hour day-of-month month day-of-week`, or a
    /// descriptor such as `@hourly` or `@every 1h30m`; Sunday is `0`, and `7` is not
    /// accepted), rejects a `TZ=` or `CRON_TZ=` prefix in the schedule, and checks
    /// `timeZone` against the IANA time zone database.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.schedule: Invalid value: "0 0 * * *
    /// *": expected exactly 5 fields, found 6`, or `spec.timeZone: Invalid value:
    /// "Europe/Pariss": unknown time zone Europe/Pariss`. Other cron dialects (with
    /// seconds, `L`, `#`) are common sources of these.
    ///
    /// ## API server
    /// Rejected on create: `validateScheduleFormat` and `validateTimeZone` in
    /// `pkg/apis/batch/validation/validation.go` (robfig/cron's `ParseStandard`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: report
    /// spec:
    ///   schedule: "0 30 2 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: Never
    ///           containers:
    ///           - name: report
    ///             image: ghcr.io/acme/report:1.4.2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: report
    /// spec:
    ///   schedule: "30 2 * * *"
    ///   timeZone: Europe/Paris
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: Never
    ///           containers:
    ///           - name: report
    ///             image: ghcr.io/acme/report:1.4.2
    /// ```
    pub static INVALID_SCHEDULE = {
        id: "invalid-schedule",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a CronJob's schedule or time zone does not parse",
        fields: ["CronJobSpec.schedule", "CronJobSpec.timeZone"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() != Some("CronJob") {
        return;
    }
    let Some(spec) = doc.root.get("spec") else { return };
    let pointer = |f: &str| format!("{}/spec/{f}", doc.pointer_prefix);
    if let Some(node) = spec.get("schedule")
        && let Some(schedule) = node.as_str()
    {
        let error = if cron::has_time_zone_prefix(schedule) {
            Some((
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead".to_string(),
                time_zone_help(schedule),
            ))
        } else {
            cron::parse(schedule).err().map(|e| (e, schedule_help(schedule)))
        };
        if let Some((reason, help)) = error {
            let f = cx
                .finding(
                    &INVALID_SCHEDULE,
                    node.span,
                    format!("invalid value {schedule:?} for `spec.schedule`: {reason}"),
                )
                .label("not a valid schedule")
                .pointer(pointer("schedule"))
                .help(help);
            cx.report(f);
        }
    }
    if let Some(node) = spec.get("timeZone")
        && let Some(zone) = node.as_str()
        && let Err(reason) = cron::time_zone(zone)
    {
        let mut f = cx
            .finding(&INVALID_SCHEDULE, node.span, format!("invalid value {zone:?} for `spec.timeZone`: {reason}"))
            .label("not an IANA time zone")
            .pointer(pointer("timeZone"));
        f.help = Some(match jiff::tz::db().available().find(|n| n.as_str().eq_ignore_ascii_case(zone)) {
            Some(name) => format!("did you mean `{name}`? (time zone names are case-sensitive)"),
            None => "use a name from the IANA time zone database, e.g. `Europe/Paris` or `Etc/UTC`".to_string(),
        });
        cx.report(f);
    }
}

fn time_zone_help(schedule: &str) -> String {
    let mut parts = schedule.splitn(2, ' ');
    let (prefix, rest) = (parts.next().unwrap_or(""), parts.next().unwrap_or("").trim());
    match prefix.split_once('=') {
        Some((_, zone)) if !rest.is_empty() => format!("write `schedule: \"{rest}\"` and `timeZone: {zone}`"),
        _ => "move the time zone to `timeZone:`".to_string(),
    }
}

fn schedule_help(schedule: &str) -> String {
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    if let [_seconds, rest @ ..] = &fields[..]
        && rest.len() == 5
        && !schedule.starts_with('@')
    {
        return format!(
            "Kubernetes schedules have 5 fields and no seconds: `minute hour day-of-month month day-of-week`, e.g. `{}`",
            rest.join(" ")
        );
    }
    if let [_, _, _, _, dow] = &fields[..]
        && dow.split([',', '-', '/']).any(|p| p == "7")
    {
        return "Sunday is `0` (day of week runs from 0 to 6)".into();
    }
    "write five fields `minute hour day-of-month month day-of-week` (e.g. `30 2 * * *`) or a descriptor such as `@daily`".into()
}
