//! CronJob (controllers.md §6): the next `--runs` scheduled times after `--now` in
//! the CronJob's time zone, a Job `<name>-<minutes since epoch>` at each,
//! `concurrencyPolicy` (Allow, Forbid, Replace) and the history limits.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::tz::TimeZone;
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
    outcome: Option<String>,
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
    job_spec: JobSpec,
    runs: Vec<Run>,
    next: usize,
    jobs: Vec<JobRun>,
    seen: BTreeSet<usize>,
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
            job_spec: JobSpec::read(object.spec().and_then(|s| s.at(&["jobTemplate", "spec"]))),
            runs: Vec::new(),
            next: 0,
            jobs: Vec::new(),
            seen: BTreeSet::new(),
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
            });
            t = next;
        }
        if self.runs.is_empty() && runs > 0 {
            return Err(format!("schedule {:?} never fires in the five years after --now", self.schedule));
        }
        Ok(())
    }

    fn start_run(&mut self, w: &mut World, me: CtrlId, i: usize) {
        let object = object_ref("CronJob", &self.name);
        let active: Vec<usize> = (0..self.jobs.len()).filter(|&j| self.jobs[j].is_active()).collect();
        if self.concurrency == Concurrency::Forbid && !active.is_empty() {
            let message = "Not starting job because prior execution is running and concurrency policy is Forbid";
            w.event(false, "JobAlreadyActive", &self.namespace, object, message.into());
            self.runs[i].outcome = Some("skipped: the previous Job is still active (concurrencyPolicy Forbid)".into());
            return;
        }
        if self.concurrency == Concurrency::Replace {
            for j in active {
                self.jobs[j].delete(w, me, j, "deleted by its CronJob (concurrencyPolicy Replace)");
                let message = format!("Deleted job {}", self.jobs[j].name);
                w.event(false, "SuccessfulDelete", &self.namespace, object.clone(), message);
            }
        }
        let name = self.runs[i].job.clone();
        let job = JobRun::new(
            name.clone(),
            self.namespace.clone(),
            self.job_spec.clone(),
            Some(self.name.clone()),
            w.now,
            &mut self.rng,
        );
        self.jobs.push(job);
        w.event(false, "SuccessfulCreate", &self.namespace, object, format!("Created job {name}"));
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
        while self.next < self.runs.len() && self.runs[self.next].at <= w.now {
            self.start_run(w, me, self.next);
            self.next += 1;
        }
        if let Some(run) = self.runs.get(self.next) {
            w.wake(me, run.at);
        }
        for (j, job) in self.jobs.iter_mut().enumerate() {
            job.sync(w, me, j, &mut self.rng);
        }
        for j in 0..self.jobs.len() {
            if let Some((_, outcome)) = self.jobs[j].finished
                && self.seen.insert(j)
            {
                let status = if outcome == Outcome::Complete { "Complete" } else { "Failed" };
                let message = format!("Saw completed job: {}, status: {status}", self.jobs[j].name);
                w.event(false, "SawCompletedJob", &self.namespace, object_ref("CronJob", &self.name), message);
            }
        }
        self.clean_history(w, me);
    }

    fn report(&self, _: &World, _: CtrlId) -> Report {
        let policy = match self.concurrency {
            Concurrency::Allow => "Allow",
            Concurrency::Forbid => "Forbid",
            Concurrency::Replace => "Replace",
        };
        let mut lines = vec![format!(
            "schedule {:?} in {}, concurrencyPolicy {policy}, keeps {} succeeded and {} failed Jobs",
            self.schedule, self.zone, self.keep_succeeded, self.keep_failed
        )];
        if self.suspend {
            lines.push("suspended: no Jobs are created".into());
        }
        lines.extend(self.problem.clone());
        for (i, run) in self.runs.iter().enumerate() {
            let job = self.jobs.iter().find(|j| j.name == run.job && i < self.next);
            let what = match (job, &run.outcome) {
                (_, Some(outcome)) => outcome.clone(),
                (Some(job), None) => format!("Job {} {}", job.name, job.outcome()),
                (None, None) => format!("Job {} (not reached)", run.job),
            };
            lines.push(format!("run at {} (+{}): {what}", run.scheduled, duration::format(run.at)));
        }
        let detail = json!({
            "schedule": self.schedule,
            "timeZone": self.zone,
            "concurrencyPolicy": policy,
            "suspend": self.suspend,
            "runs": self.runs.iter().map(|r| json!({
                "scheduledTime": r.scheduled,
                "at": r.at as f64 / 1000.0,
                "job": r.job,
                "skipped": r.outcome,
            })).collect::<Vec<_>>(),
            "jobs": self.jobs.iter().map(JobRun::json).collect::<Vec<_>>(),
            "problem": self.problem,
        });
        Report::new("CronJob", &self.namespace, &self.name, lines, detail)
    }
}
