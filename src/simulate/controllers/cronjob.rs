//! CronJob (controllers.md §6): the next `--runs` scheduled times after `--now` in
//! the CronJob's time zone, a Job `<name>-<minutes since epoch>` at each,
//! `concurrencyPolicy` (Allow, Forbid, Replace), `startingDeadlineSeconds` and the
//! history limits, as cronjob_controllerv2.go `syncCronJob` and utils.go
//! `mostRecentScheduleTime` decide them: a run missed under Forbid starts late, when
//! the active Job finishes, unless the deadline has passed; only the most recent
//! missed run starts.

use std::collections::BTreeSet;

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};
use serde_json::json;

use super::job::{JobRun, JobSpec, Outcome};
use super::{count, object_ref};
use crate::kube::{cron, duration};
use crate::simulate::names::Rng;
use crate::simulate::object::Object;
use crate::simulate::output::Report;
use crate::simulate::world::{Controller, CtrlId, Millis, World};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Concurrency {
    Allow,
    Forbid,
    Replace,
}

#[derive(Clone, Debug)]
struct Run {
    /// The scheduled time in the CronJob's zone, RFC 3339.
    scheduled: String,
    at: Millis,
    job: String,
    /// Why the run did not start (or not yet).
    outcome: Option<String>,
    /// The index of its Job in `jobs`, once started.
    started: Option<usize>,
    /// `JobAlreadyActive` was reported for it.
    blocked: bool,
}

pub struct CronJob {
    namespace: String,
    name: String,
    schedule: String,
    zone: String,
    concurrency: Concurrency,
    suspend: bool,
    keep_succeeded: u32,
    keep_failed: u32,
    /// `startingDeadlineSeconds`.
    deadline: Option<Millis>,
    job_spec: JobSpec,
    runs: Vec<Run>,
    jobs: Vec<JobRun>,
    seen: BTreeSet<usize>,
    /// `status.lastScheduleTime`, since the start (the CronJob's creation).
    last_schedule: Option<Millis>,
    /// When `TooManyMissedTimes` was last reported.
    warned: Option<Millis>,
    /// The parsed schedule and the creation time in the CronJob's zone, to count
    /// missed times past the planned runs.
    parsed: Option<(cron::Schedule, Zoned)>,
    /// Why there are no runs (a schedule that does not parse or never fires).
    problem: Option<String>,
    rng: Rng,
}

impl CronJob {
    pub fn new(object: &Object, seed: u64, now: Timestamp, runs: usize) -> CronJob {
        let schedule = object.text(&["schedule"]).unwrap_or("").to_string();
        let mut cj = CronJob {
            namespace: object.namespace.clone(),
            name: object.name.clone(),
            zone: "UTC".into(),
            concurrency: match object.text(&["concurrencyPolicy"]) {
                Some("Forbid") => Concurrency::Forbid,
                Some("Replace") => Concurrency::Replace,
                _ => Concurrency::Allow,
            },
            suspend: object.spec().and_then(|s| s.get("suspend")).and_then(crate::yaml::Node::as_bool) == Some(true),
            keep_succeeded: count(object, &["successfulJobsHistoryLimit"], 3),
            keep_failed: count(object, &["failedJobsHistoryLimit"], 1),
            deadline: super::seconds(object, &["startingDeadlineSeconds"]),
            job_spec: JobSpec::read(object.spec().and_then(|s| s.at(&["jobTemplate", "spec"]))),
            runs: Vec::new(),
            jobs: Vec::new(),
            seen: BTreeSet::new(),
            last_schedule: None,
            warned: None,
            parsed: None,
            problem: None,
            rng: Rng::new(seed, &format!("CronJob/{}/{}", object.namespace, object.name)),
            schedule,
        };
        if let Err(problem) = cj.plan(object.text(&["timeZone"]), now, runs) {
            cj.problem = Some(problem);
        }
        cj
    }

    /// Computes the scheduled times, as the controller would see them come.
    fn plan(&mut self, time_zone: Option<&str>, now: Timestamp, runs: usize) -> Result<(), String> {
        let parsed = cron::parse(&self.schedule).map_err(|e| format!("schedule {:?}: {e}", self.schedule))?;
        if let Some(zone) = time_zone.or(parsed.zone.as_deref()) {
            self.zone = zone.to_string();
        }
        let tz = TimeZone::get(&self.zone).map_err(|_| format!("unknown time zone {}", self.zone))?;
        let start = now.to_zoned(tz);
        let mut t = start.clone();
        for _ in 0..runs {
            let Some(next) = parsed.next(&t) else { break };
            let since = next.timestamp().as_millisecond() - start.timestamp().as_millisecond();
            let minutes = next.timestamp().as_second().div_euclid(60);
            self.runs.push(Run {
                scheduled: next.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                at: u64::try_from(since).unwrap_or(0),
                job: format!("{}-{minutes}", self.name),
                outcome: None,
                started: None,
                blocked: false,
            });
            t = next;
        }
        self.parsed = Some((parsed, start));
        if self.runs.is_empty() && runs > 0 {
            return Err(format!("schedule {:?} never fires in the five years after --now", self.schedule));
        }
        Ok(())
    }

    /// `syncCronJob` at `w.now`: the most recent unmet scheduled time (of the
    /// planned runs) since `lastScheduleTime`, or since `now - startingDeadlineSeconds`
    /// when that is later, is started, subject to `concurrencyPolicy`.
    fn schedule(&mut self, w: &mut World, me: CtrlId) {
        let object = object_ref("CronJob", &self.name);
        let mut earliest = self.last_schedule;
        if let Some(deadline) = self.deadline
            && w.now > deadline
        {
            earliest = Some(earliest.map_or(w.now - deadline, |e| e.max(w.now - deadline)));
        }
        let unmet = |r: &Run| r.at <= w.now && earliest.is_none_or(|e| r.at > e) && r.started.is_none();
        let Some(recent) = self.runs.iter().rposition(unmet) else {
            self.note_missed(w.now);
            return;
        };
        let missed = self.missed_times(earliest.unwrap_or(0), w.now);
        // Once per moment: the simulation may sync the CronJob more than once in it.
        if missed > 100 && self.warned != Some(w.now) {
            self.warned = Some(w.now);
            let message = format!(
                "too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
            );
            w.event(true, "TooManyMissedTimes", &self.namespace, object.clone(), message);
        }
        let active: Vec<usize> = (0..self.jobs.len()).filter(|&j| self.jobs[j].is_active()).collect();
        if self.concurrency == Concurrency::Forbid && !active.is_empty() {
            if !self.runs[recent].blocked {
                self.runs[recent].blocked = true;
                let message = "Not starting job because prior execution is running and concurrency policy is Forbid";
                w.event(false, "JobAlreadyActive", &self.namespace, object, message.into());
            }
            return;
        }
        if self.concurrency == Concurrency::Replace {
            for j in active {
                self.jobs[j].delete(w, me, j, "deleted by its CronJob (concurrencyPolicy Replace)");
                let message = format!("Deleted job {}", self.jobs[j].name);
                w.event(false, "SuccessfulDelete", &self.namespace, object.clone(), message);
            }
        }
        let name = self.runs[recent].job.clone();
        let job = JobRun::new(
            name.clone(),
            self.namespace.clone(),
            self.job_spec.clone(),
            Some(self.name.clone()),
            w.now,
            &mut self.rng,
        );
        self.runs[recent].started = Some(self.jobs.len());
        self.last_schedule = Some(self.runs[recent].at);
        self.jobs.push(job);
        w.event(false, "SuccessfulCreate", &self.namespace, object, format!("Created job {name}"));
        self.note_missed(w.now);
    }

    /// Runs that can no longer start: before the last scheduled one, or out of
    /// the `startingDeadlineSeconds` window.
    fn note_missed(&mut self, now: Millis) {
        let last = self.last_schedule;
        let window = self.deadline.map(|d| now.saturating_sub(d));
        for run in self.runs.iter_mut().filter(|r| r.started.is_none() && r.outcome.is_none() && r.at <= now) {
            if last.is_some_and(|l| run.at < l) {
                run.outcome = Some("not started: only the most recent missed time is started".into());
            } else if window.is_some_and(|w| run.at <= w) {
                let seconds = self.deadline.unwrap_or(0) / 1000;
                run.outcome = Some(format!("not started: startingDeadlineSeconds ({seconds}) passed while it waited"));
            }
        }
    }

    /// How many scheduled times passed in (`earliest`, `now`], as
    /// `mostRecentScheduleTime` estimates it: the time since the first divided by
    /// the interval between the first two, plus one.
    fn missed_times(&self, earliest: Millis, now: Millis) -> i64 {
        let Some((schedule, start)) = &self.parsed else { return 0 };
        let at = |ms: Millis| start.checked_add(i64::try_from(ms).unwrap_or(i64::MAX).milliseconds()).ok();
        let (Some(from), Some(now)) = (at(earliest), at(now)) else { return 0 };
        let Some(t1) = schedule.next(&from) else { return 0 };
        let Some(t2) = schedule.next(&t1) else { return 1 };
        let between = t2.timestamp().as_second() - t1.timestamp().as_second();
        let elapsed = now.timestamp().as_second() - t1.timestamp().as_second();
        if elapsed < 0 || between < 1 { 0 } else { elapsed / between + 1 }
    }

    /// `removeOldestJobs`: finished Jobs beyond the history limits, oldest first.
    fn clean_history(&mut self, w: &mut World, me: CtrlId) {
        for (failed, keep) in [(false, self.keep_succeeded), (true, self.keep_failed)] {
            let finished: Vec<usize> = (0..self.jobs.len())
                .filter(|&j| self.jobs[j].deleted.is_none())
                .filter(|&j| matches!(self.jobs[j].finished, Some((_, o)) if matches!(o, Outcome::Failed(_)) == failed))
                .collect();
            let excess = finished.len().saturating_sub(keep as usize);
            for &j in finished.iter().take(excess) {
                let why = if failed { "failedJobsHistoryLimit" } else { "successfulJobsHistoryLimit" };
                self.jobs[j].delete(w, me, j, &format!("deleted by its CronJob ({why} {keep})"));
                let message = format!("Deleted job {}", self.jobs[j].name);
                w.event(false, "SuccessfulDelete", &self.namespace, object_ref("CronJob", &self.name), message);
            }
        }
    }
}

impl Controller for CronJob {
    fn sync(&mut self, w: &mut World, me: CtrlId) {
        if self.suspend {
            return;
        }
        self.schedule(w, me);
        if let Some(run) = self.runs.iter().find(|r| r.at > w.now) {
            w.wake(me, run.at);
        }
        for (j, job) in self.jobs.iter_mut().enumerate() {
            job.sync(w, me, j, &mut self.rng);
        }
        for j in 0..self.jobs.len() {
            if let Some((_, outcome)) = self.jobs[j].finished
                && self.seen.insert(j)
            {
                // A finished Job wakes the CronJob: a run waiting under Forbid starts now.
                w.wake(me, w.now);
                let status = if outcome == Outcome::Complete { "Complete" } else { "Failed" };
                let message = format!("Saw completed job: {}, status: {status}", self.jobs[j].name);
                w.event(false, "SawCompletedJob", &self.namespace, object_ref("CronJob", &self.name), message);
            }
        }
        self.clean_history(w, me);
    }

    fn report(&self, w: &World, _: CtrlId) -> Report {
        let policy = match self.concurrency {
            Concurrency::Allow => "Allow",
            Concurrency::Forbid => "Forbid",
            Concurrency::Replace => "Replace",
        };
        let deadline = self.deadline.map(|d| format!(", startingDeadlineSeconds {}", d / 1000)).unwrap_or_default();
        let mut lines = vec![format!(
            "schedule {:?} in {}, concurrencyPolicy {policy}{deadline}, keeps {} succeeded and {} failed Jobs",
            self.schedule, self.zone, self.keep_succeeded, self.keep_failed
        )];
        if self.suspend {
            lines.push("suspended: no Jobs are created".into());
        }
        lines.extend(self.problem.clone());
        let end = w.now;
        for run in &self.runs {
            let what = match (run.started.and_then(|j| self.jobs.get(j)), &run.outcome) {
                (Some(job), _) if job.created > run.at => format!(
                    "Job {} started late at +{} (concurrencyPolicy Forbid), {}",
                    job.name,
                    duration::format(job.created),
                    job.outcome()
                ),
                (Some(job), _) => format!("Job {} {}", job.name, job.outcome()),
                (None, Some(outcome)) => outcome.clone(),
                (None, None) if run.at <= end => {
                    "not started yet: the previous Job is still active (concurrencyPolicy Forbid)".into()
                }
                (None, None) => format!("Job {} (not reached)", run.job),
            };
            lines.push(format!("run at {} (+{}): {what}", run.scheduled, duration::format(run.at)));
        }
        let detail = json!({
            "schedule": self.schedule,
            "timeZone": self.zone,
            "concurrencyPolicy": policy,
            "startingDeadlineSeconds": self.deadline.map(|d| d / 1000),
            "suspend": self.suspend,
            "runs": self.runs.iter().map(|r| json!({
                "scheduledTime": r.scheduled,
                "at": r.at as f64 / 1000.0,
                "job": r.job,
                "startedAt": r.started.and_then(|j| self.jobs.get(j)).map(|j| j.created as f64 / 1000.0),
                "skipped": r.outcome,
            })).collect::<Vec<_>>(),
            "jobs": self.jobs.iter().map(JobRun::json).collect::<Vec<_>>(),
            "problem": self.problem,
        });
        Report::new("CronJob", &self.namespace, &self.name, lines, detail)
    }
}
