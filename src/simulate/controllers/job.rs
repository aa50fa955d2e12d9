//! Job (controllers.md §5): completions and parallelism, Indexed mode, retries with
//! the controller's back-off, `backoffLimit`, `backoffLimitPerIndex` and
//! `maxFailedIndexes`, `podFailurePolicy` and `successPolicy` (job_policy.rs),
//! `activeDeadlineSeconds`, `suspend`, and deletion `ttlSecondsAfterFinished` after
//! it finishes. [`JobRun`] is also what a CronJob creates.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value as Json, json};

use super::job_policy::{Action, FailureRule, SuccessRule, failure_rules, match_failure, match_success, success_rules};
use super::{object_ref, pod_from_template, with_label};
use crate::kube::duration;
use crate::simulate::names::Rng;
use crate::simulate::object::Object;
use crate::simulate::output::Report;
use crate::simulate::template::{RestartPolicy, Template};
use crate::simulate::world::{Controller, CtrlId, Millis, Owner, Phase, Pod, PodId, World};
use crate::source::truncate;
use crate::text::plural;
use crate::yaml::Node;

/// `DefaultJobPodFailureBackOff` and `MaxJobPodFailureBackOff`.
const BACKOFF: Millis = 10_000;
const MAX_BACKOFF: Millis = 600_000;
const INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";
const INDEX_FAILURES_KEY: &str = "batch.kubernetes.io/job-index-failure-count";

#[derive(Clone, Debug)]
pub struct JobSpec {
    /// `None`: a work queue (complete when one Pod succeeded and none is active).
    completions: Option<u32>,
    parallelism: u32,
    backoff_limit: u32,
    indexed: bool,
    active_deadline: Option<Millis>,
    pub ttl: Option<Millis>,
    suspend: bool,
    template: Template,
    /// `backoffLimitPerIndex` and `maxFailedIndexes` (Indexed Jobs).
    per_index: Option<u32>,
    max_failed_indexes: Option<u32>,
    failure_policy: Vec<FailureRule>,
    success_policy: Vec<SuccessRule>,
    /// `podReplacementPolicy: Failed`: a replacement only once the Pod it replaces
    /// is gone, not while it is Terminating.
    only_failed: bool,
}

impl JobSpec {
    /// A Job's `spec` with the API server's defaults (§5.1).
    pub fn read(spec: Option<&Node>) -> JobSpec {
        let int = |key: &str| spec.and_then(|s| s.get(key)).and_then(Node::as_i64).map(|v| v.max(0));
        let small = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        let ms = |v: i64| u64::try_from(v).unwrap_or(0).saturating_mul(1000);
        let (completions, parallelism) = match (int("completions"), int("parallelism")) {
            (None, None) => (Some(1), 1),
            (c, p) => (c.map(small), p.map_or(1, small)),
        };
        let per_index = int("backoffLimitPerIndex").map(small);
        let indexed = spec.and_then(|s| s.get("completionMode")).and_then(Node::as_str) == Some("Indexed");
        JobSpec {
            completions,
            parallelism,
            backoff_limit: int("backoffLimit").map_or(if per_index.is_some() { i32::MAX as u32 } else { 6 }, small),
            indexed,
            active_deadline: int("activeDeadlineSeconds").map(ms),
            ttl: int("ttlSecondsAfterFinished").map(ms),
            suspend: spec.and_then(|s| s.get("suspend")).and_then(Node::as_bool) == Some(true),
            template: Template::from_node(spec.and_then(|s| s.get("template"))),
            per_index: per_index.filter(|_| indexed),
            max_failed_indexes: int("maxFailedIndexes").map(small).filter(|_| indexed),
            failure_policy: failure_rules(spec),
            // The API server's default (SetDefaults_Job): `Failed` with a
            // podFailurePolicy, else `TerminatingOrFailed`.
            only_failed: match spec.and_then(|s| s.get("podReplacementPolicy")).and_then(Node::as_str) {
                Some(policy) => policy == "Failed",
                None => spec.and_then(|s| s.get("podFailurePolicy")).is_some(),
            },
            success_policy: if indexed { success_rules(spec, completions.unwrap_or(0)) } else { Vec::new() },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Complete,
    Failed(&'static str),
}

#[derive(Clone, Debug)]
pub struct JobRun {
    pub name: String,
    pub namespace: String,
    pub spec: JobSpec,
    uid: String,
    /// The CronJob that made it, if any.
    pub cronjob: Option<String>,
    pub created: Millis,
    started: Option<Millis>,
    succeeded: u32,
    failed: u32,
    done_indexes: BTreeSet<u32>,
    /// Failures per index (`backoffLimitPerIndex`): count and time of the last.
    index_failures: BTreeMap<u32, (u32, Millis)>,
    failed_indexes: BTreeSet<u32>,
    /// Failures the `podFailurePolicy` ignored.
    ignored: u32,
    counted: BTreeSet<PodId>,
    failures_since_success: u32,
    last_failure: Millis,
    pub finished: Option<(Millis, Outcome)>,
    pub deleted: Option<Millis>,
    /// When Pods were created; each distinct time is a wave.
    waves: Vec<Millis>,
    pods: u32,
    suspended_noted: bool,
    /// The `successPolicy` rule that was met.
    success_rule: Option<usize>,
}

impl JobRun {
    pub fn new(
        name: String,
        namespace: String,
        spec: JobSpec,
        cronjob: Option<String>,
        now: Millis,
        rng: &mut Rng,
    ) -> JobRun {
        JobRun {
            name,
            namespace,
            spec,
            uid: rng.uid(),
            cronjob,
            created: now,
            started: None,
            succeeded: 0,
            failed: 0,
            done_indexes: BTreeSet::new(),
            index_failures: BTreeMap::new(),
            failed_indexes: BTreeSet::new(),
            ignored: 0,
            counted: BTreeSet::new(),
            failures_since_success: 0,
            last_failure: 0,
            finished: None,
            deleted: None,
            waves: Vec::new(),
            pods: 0,
            suspended_noted: false,
            success_rule: None,
        }
    }

    fn object(&self) -> String {
        object_ref("Job", &self.name)
    }

    pub fn is_active(&self) -> bool {
        self.deleted.is_none() && self.finished.is_none()
    }

    pub fn sync(&mut self, w: &mut World, me: CtrlId, group: usize, rng: &mut Rng) {
        if self.deleted.is_some() {
            return;
        }
        if let Some((at, _)) = self.finished {
            if let Some(ttl) = self.spec.ttl {
                if w.now >= at.saturating_add(ttl) {
                    let why = format!(
                        "deleted by the TTL-after-finished controller {} after it finished (ttlSecondsAfterFinished: {})",
                        duration::format(ttl),
                        ttl / 1000
                    );
                    self.delete(w, me, group, &why);
                } else {
                    w.wake(me, at.saturating_add(ttl));
                }
            }
            return;
        }
        if self.spec.suspend {
            if !self.suspended_noted {
                self.suspended_noted = true;
                w.event(false, "Suspended", &self.namespace, self.object(), "Job suspended".into());
            }
            return;
        }
        let start = *self.started.get_or_insert(w.now);
        let fail_job = self.count_finished(w, me, group);
        let active: Vec<PodId> = w.pods_of(me, group).filter(|(_, p)| p.is_active()).map(|(i, _)| i).collect();
        // syncJob: the podFailurePolicy's FailJob first, then the back-off limit,
        // the deadline, the failed indexes and the successPolicy.
        if let Some(message) = fail_job {
            return self.fail(w, &active, "PodFailurePolicy", &message);
        }
        if let Some(deadline) = self.spec.active_deadline {
            if w.now >= start.saturating_add(deadline) {
                return self.fail(w, &active, "DeadlineExceeded", "Job was active longer than specified deadline");
            }
            w.wake(me, start.saturating_add(deadline));
        }
        if self.past_backoff_limit(w, &active) {
            return self.fail(w, &active, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }
        if self.spec.per_index.is_some() {
            let failed = self.failed_indexes.len() as u32;
            if self.spec.max_failed_indexes.is_some_and(|max| failed > max) {
                let message = "Job has exceeded the specified maximal number of failed indexes";
                return self.fail(w, &active, "MaxFailedIndexesExceeded", message);
            }
            let finished = failed + self.done_indexes.len() as u32;
            if failed > 0 && finished >= self.spec.completions.unwrap_or(0) {
                return self.fail(w, &active, "FailedIndexes", "Job has failed indexes");
            }
        }
        if let Some(rule) = match_success(&self.spec.success_policy, &self.done_indexes) {
            // SuccessCriteriaMet (reason SuccessPolicy): the rest are terminated, then Complete.
            self.success_rule = Some(rule);
            self.delete_pods(w, &active);
            self.finished = Some((w.now, Outcome::Complete));
            w.event(false, "Completed", &self.namespace, self.object(), "Job completed".into());
            return;
        }
        let done = match (self.spec.completions, self.spec.indexed) {
            (Some(c), true) => self.done_indexes.len() as u32 >= c,
            (Some(c), false) => self.succeeded >= c,
            (None, _) => self.succeeded > 0 && active.is_empty(),
        };
        if done {
            self.delete_pods(w, &active);
            self.finished = Some((w.now, Outcome::Complete));
            w.event(false, "Completed", &self.namespace, self.object(), "Job completed".into());
            w.wake(me, w.now);
            return;
        }
        let target = match self.spec.completions {
            None if self.succeeded > 0 => active.len() as u32,
            None => self.spec.parallelism,
            Some(c) => {
                let done = if self.spec.indexed { self.done_indexes.len() as u32 } else { self.succeeded };
                c.saturating_sub(done).min(self.spec.parallelism)
            }
        };
        // `manageJob` under `podReplacementPolicy: Failed` (`onlyReplaceFailedPods`):
        // Terminating Pods count against the Pods to create, and their indexes are
        // not pending, until they are gone.
        let terminating: Vec<PodId> = if self.spec.only_failed {
            w.pods_of(me, group).filter(|(_, p)| p.is_terminating()).map(|(i, _)| i).collect()
        } else {
            Vec::new()
        };
        let active_count = active.len() as u32;
        if active_count > target {
            let extra: Vec<PodId> = active.iter().rev().take((active_count - target) as usize).copied().collect();
            self.delete_pods(w, &extra);
            return;
        }
        let blocked = terminating.len() as u32;
        if active_count.saturating_add(blocked) >= target {
            return;
        }
        // With backoffLimitPerIndex each index backs off on its own failures.
        if self.failures_since_success > 0 && self.spec.per_index.is_none() {
            let ready = self.last_failure.saturating_add(backoff(self.failures_since_success));
            if w.now < ready {
                w.wake(me, ready);
                return;
            }
        }
        let pending: Vec<u32> = if self.spec.indexed {
            let mut later: Option<Millis> = None;
            let pending = (0..self.spec.completions.unwrap_or(0))
                .filter(|i| !self.done_indexes.contains(i) && !self.failed_indexes.contains(i))
                .filter(|i| !active.iter().chain(&terminating).any(|&p| completion_index(&w.pods[p]) == Some(*i)))
                .filter(|i| match self.index_failures.get(i) {
                    Some(&(n, last)) if self.spec.per_index.is_some() => {
                        let ready = last.saturating_add(backoff(n));
                        if w.now < ready {
                            later = Some(later.map_or(ready, |t| t.min(ready)));
                        }
                        w.now >= ready
                    }
                    _ => true,
                })
                .take((target - active_count - blocked) as usize)
                .collect();
            if let Some(time) = later {
                w.wake(me, time);
            }
            pending
        } else {
            Vec::new()
        };
        let mut indexes = pending.into_iter();
        // `MaxPodCreateDeletePerSync`: the rest come on the next sync.
        let wanted = target - active_count - blocked;
        let batch = wanted.min(500);
        if batch < wanted && !w.full() {
            w.wake(me, w.now);
        }
        for _ in 0..batch {
            if w.full() {
                break;
            }
            let index = if self.spec.indexed { indexes.next() } else { None };
            if self.spec.indexed && index.is_none() {
                break;
            }
            self.create_pod(w, me, group, index, rng);
        }
    }

    /// Counts the Pods that finished since the last sync, through the
    /// `podFailurePolicy`; returns the message of a `FailJob` rule that matched.
    fn count_finished(&mut self, w: &World, me: CtrlId, group: usize) -> Option<String> {
        let mut fail_job = None;
        for (id, pod) in w.pods_of(me, group) {
            if self.counted.contains(&id) || !matches!(pod.phase, Phase::Succeeded | Phase::Failed) {
                continue;
            }
            self.counted.insert(id);
            let index = completion_index(pod);
            if pod.phase == Phase::Succeeded {
                self.succeeded += 1;
                self.failures_since_success = 0;
                if let Some(index) = index {
                    self.done_indexes.insert(index);
                }
                continue;
            }
            let (action, message) = match_failure(&self.spec.failure_policy, pod);
            if action == Action::Ignore {
                self.ignored += 1;
                continue;
            }
            self.failed += 1;
            self.failures_since_success += 1;
            let finished = pod.finished.unwrap_or(w.now);
            self.last_failure = finished;
            fail_job = fail_job.or(message);
            if let (Some(limit), Some(index)) = (self.spec.per_index, index) {
                let entry = self.index_failures.entry(index).or_insert((0, 0));
                *entry = (entry.0 + 1, finished);
                if action == Action::FailIndex || entry.0 > limit {
                    self.failed_indexes.insert(index);
                }
            }
        }
        fail_job
    }

    /// `pastBackoffLimitOnFailure` (container restarts count under OnFailure) and
    /// failed Pods beyond `backoffLimit` under Never.
    fn past_backoff_limit(&self, w: &World, active: &[PodId]) -> bool {
        if self.spec.template.spec.restart_policy == RestartPolicy::OnFailure {
            let restarts: u32 = active.iter().map(|&p| w.pods[p].restarts).sum();
            if self.spec.backoff_limit == 0 { restarts > 0 } else { restarts >= self.spec.backoff_limit }
        } else {
            self.failed > self.spec.backoff_limit
        }
    }

    fn fail(&mut self, w: &mut World, active: &[PodId], reason: &'static str, message: &str) {
        self.delete_pods(w, active);
        self.finished = Some((w.now, Outcome::Failed(reason)));
        w.event(true, reason, &self.namespace, self.object(), message.into());
    }

    fn delete_pods(&self, w: &mut World, pods: &[PodId]) {
        for &id in pods {
            let name = w.pods[id].name.clone();
            w.delete_pod(id);
            w.event(false, "SuccessfulDelete", &self.namespace, self.object(), format!("Deleted pod: {name}"));
        }
    }

    /// Deletes the Job; foreground deletion removes its Pods first.
    pub fn delete(&mut self, w: &mut World, me: CtrlId, group: usize, why: &str) {
        let pods: Vec<PodId> = w.pods_of(me, group).filter(|(_, p)| p.exists()).map(|(i, _)| i).collect();
        for &id in &pods {
            w.delete_pod(id);
        }
        self.deleted = Some(w.now);
        let message = format!("{why}; {} deleted with it", plural(pods.len(), "Pod"));
        w.note("Deleted", &self.namespace, self.object(), message);
    }

    fn create_pod(&mut self, w: &mut World, me: CtrlId, group: usize, index: Option<u32>, rng: &mut Rng) {
        let base = match index {
            // `podGenerateNameWithIndex`: the Job name is cut so the index stays.
            Some(i) => {
                let suffix = format!("-{i}-");
                format!("{}{suffix}", truncate(&self.name, 58usize.saturating_sub(suffix.len())))
            }
            None => format!("{}-", self.name),
        };
        let name = rng.generate_name(&base, |n| w.name_taken(&self.namespace, n));
        let owner = Owner { kind: "Job", name: self.name.clone() };
        let mut fail_keys = vec![self.name.clone()];
        fail_keys.extend(self.cronjob.clone());
        let mut init = pod_from_template(&self.spec.template, name.clone(), &self.namespace, owner, group, fail_keys);
        for (key, value) in [
            ("batch.kubernetes.io/controller-uid", self.uid.as_str()),
            ("batch.kubernetes.io/job-name", self.name.as_str()),
            ("controller-uid", self.uid.as_str()),
            ("job-name", self.name.as_str()),
        ] {
            init.labels.entry(key.to_string()).or_insert_with(|| value.to_string());
        }
        if let Some(i) = index {
            init.labels = with_label(&init.labels, INDEX_KEY, &i.to_string());
            init.annotations = with_label(&init.annotations, INDEX_KEY, &i.to_string());
            init.spec.hostname = Some(format!("{}-{i}", self.name));
            if self.spec.per_index.is_some() {
                let failures = self.index_failures.get(&i).map_or(0, |f| f.0);
                init.annotations = with_label(&init.annotations, INDEX_FAILURES_KEY, &failures.to_string());
            }
            init.env.push(("JOB_COMPLETION_INDEX".into(), i.to_string()));
        }
        if let Err(e) = w.admit(me, &mut init, &base) {
            w.failed_create(&self.namespace, self.object(), format!("Error creating: {e}"));
            return;
        }
        w.event(false, "SuccessfulCreate", &self.namespace, self.object(), format!("Created pod: {name}"));
        w.create_pod(me, init);
        self.pods += 1;
        if self.waves.last() != Some(&w.now) {
            self.waves.push(w.now);
        }
    }

    /// What became of the Job, in one phrase.
    pub fn outcome(&self) -> String {
        let mut text = match self.finished {
            Some((t, Outcome::Complete)) => format!("complete at {}", duration::format(t)),
            Some((t, Outcome::Failed(reason))) => format!("failed at {} ({reason})", duration::format(t)),
            None if self.spec.suspend => "suspended".into(),
            None => "running".into(),
        };
        if let Some(t) = self.deleted {
            text.push_str(&format!(", deleted at {}", duration::format(t)));
        }
        text
    }

    pub fn summary(&self) -> Vec<String> {
        let s = &self.spec;
        let mut lines = Vec::new();
        let completions = match s.completions {
            Some(c) => plural(c as usize, "completion"),
            None => "no completions (work queue)".into(),
        };
        let mode = if s.indexed { ", Indexed" } else { "" };
        lines.push(format!("{completions}, parallelism {}{mode}, backoffLimit {}", s.parallelism, s.backoff_limit));
        let mut policies = Vec::new();
        if let Some(limit) = s.per_index {
            policies.push(format!("backoffLimitPerIndex {limit}"));
        }
        if let Some(max) = s.max_failed_indexes {
            policies.push(format!("maxFailedIndexes {max}"));
        }
        if !s.failure_policy.is_empty() {
            policies.push(FailureRule::describe(&s.failure_policy));
        }
        if !s.success_policy.is_empty() {
            policies.push(format!("successPolicy with {}", plural(s.success_policy.len(), "rule")));
        }
        if !policies.is_empty() {
            lines.push(policies.join(", "));
        }
        if s.suspend {
            lines.push("suspended: no Pods are created".into());
            return lines;
        }
        let times: Vec<String> = self.waves.iter().map(|t| duration::format(*t)).collect();
        let mut ran = format!(
            "{} in {} ({}): {} succeeded, {} failed",
            plural(self.pods as usize, "Pod"),
            plural(self.waves.len(), "wave"),
            if times.is_empty() { "none yet".into() } else { format!("at {}", times.join(", ")) },
            self.succeeded,
            self.failed
        );
        match self.finished {
            Some((t, Outcome::Complete)) => ran.push_str(&format!("; complete at {}", duration::format(t))),
            Some((t, Outcome::Failed(reason))) => {
                ran.push_str(&format!("; failed at {} ({reason})", duration::format(t)))
            }
            None => ran.push_str("; running"),
        }
        lines.push(ran);
        let mut notes = Vec::new();
        if self.ignored > 0 {
            notes.push(format!("{} ignored by the podFailurePolicy", plural(self.ignored as usize, "failure")));
        }
        if s.indexed && !self.done_indexes.is_empty() {
            notes.push(format!("succeeded indexes {}", index_list(&self.done_indexes)));
        }
        if !self.failed_indexes.is_empty() {
            notes.push(format!("failed indexes {}", index_list(&self.failed_indexes)));
        }
        if let Some(rule) = self.success_rule {
            notes.push(format!("successPolicy rule {rule} met (SuccessCriteriaMet)"));
        }
        if !notes.is_empty() {
            lines.push(notes.join("; "));
        }
        if let Some(t) = self.deleted {
            lines.push(format!("deleted at {} with its Pods", duration::format(t)));
        } else if let (Some(ttl), Some((t, _))) = (s.ttl, self.finished) {
            lines.push(format!(
                "to be deleted at {} (ttlSecondsAfterFinished)",
                duration::format(t.saturating_add(ttl))
            ));
        }
        lines
    }

    pub fn json(&self) -> Json {
        let secs = |t: Millis| t as f64 / 1000.0;
        json!({
            "name": self.name,
            "completions": self.spec.completions,
            "parallelism": self.spec.parallelism,
            "completionMode": if self.spec.indexed { "Indexed" } else { "NonIndexed" },
            "backoffLimit": self.spec.backoff_limit,
            "suspend": self.spec.suspend,
            "createdAt": secs(self.created),
            "pods": self.pods,
            "waves": self.waves.iter().map(|t| secs(*t)).collect::<Vec<_>>(),
            "succeeded": self.succeeded,
            "failed": self.failed,
            "ignoredFailures": self.ignored,
            "succeededIndexes": if self.spec.indexed { Some(index_list(&self.done_indexes)) } else { None },
            "failedIndexes": self.spec.per_index.map(|_| index_list(&self.failed_indexes)),
            "successPolicyRule": self.success_rule,
            "status": match self.finished {
                Some((_, Outcome::Complete)) => "Complete".to_string(),
                Some((_, Outcome::Failed(reason))) => format!("Failed: {reason}"),
                None if self.spec.suspend => "Suspended".to_string(),
                None => "Running".to_string(),
            },
            "finishedAt": self.finished.map(|(t, _)| secs(t)),
            "deletedAt": self.deleted.map(secs),
        })
    }
}

/// `getRemainingTimeForFailuresCount`: 10 s doubled per failure after the first, at most 10 min.
fn backoff(failures: u32) -> Millis {
    (BACKOFF << failures.saturating_sub(1).min(16)).min(MAX_BACKOFF)
}

/// Indexes as the Job status writes them: `0,2-4`.
fn index_list(indexes: &BTreeSet<u32>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Option<(u32, u32)> = None;
    for &i in indexes {
        run = match run {
            Some((from, to)) if to + 1 == i => Some((from, i)),
            Some(r) => {
                parts.push(range(r));
                Some((i, i))
            }
            None => Some((i, i)),
        };
    }
    parts.extend(run.map(range));
    parts.join(",")
}

fn range((from, to): (u32, u32)) -> String {
    if from == to { from.to_string() } else { format!("{from}-{to}") }
}

/// An indexed Job Pod's completion index.
fn completion_index(pod: &Pod) -> Option<u32> {
    pod.annotations.get(INDEX_KEY)?.parse().ok()
}

/// A Job from the input.
pub struct Job {
    run: JobRun,
    rng: Rng,
}

impl Job {
    pub fn new(object: &Object, seed: u64) -> Job {
        let mut rng = Rng::new(seed, &format!("Job/{}/{}", object.namespace, object.name));
        let spec = JobSpec::read(object.spec());
        Job { run: JobRun::new(object.name.clone(), object.namespace.clone(), spec, None, 0, &mut rng), rng }
    }
}

impl Controller for Job {
    fn sync(&mut self, w: &mut World, me: CtrlId) {
        self.run.sync(w, me, 0, &mut self.rng);
    }

    fn report(&self, _: &World, _: CtrlId) -> Report {
        Report::new("Job", &self.run.namespace, &self.run.name, self.run.summary(), self.run.json())
    }
}
