//! `kval simulate`: snapshots of each controller, Pending Pods, the timeline and
//! JSON/YAML output, and checks of the acceptance points on the JSON.

// Test code: a panic here is a failing test (the panic lints are for kval itself).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable
)]

mod common;

use common::{fixture, kval, settings, shared};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

fn simulate(args: &[&str]) -> std::process::Command {
    let mut cmd = kval();
    cmd.arg("simulate").args(args);
    cmd
}

macro_rules! snapshot {
    ($name:ident, $($arg:expr),+ $(,)?) => {
        #[test]
        fn $name() {
            settings().bind(|| assert_cmd_snapshot!(simulate(&[$($arg),+])));
        }
    };
}

snapshot!(statefulset_scenario_2, "examples/statefulset.yaml", "--timeline");
snapshot!(statefulset_ordered_ready_with_probe, &fixture("simulate/statefulset-ordered.yaml"), "--timeline");
snapshot!(statefulset_parallel_claims_missing_service, &fixture("simulate/statefulset-claims.yaml"));
snapshot!(daemonsets_default_cluster, &fixture("simulate/daemonsets.yaml"));
snapshot!(
    daemonsets_cluster_file,
    &fixture("simulate/daemonsets.yaml"),
    "--cluster",
    &fixture("simulate/cluster.yaml")
);
snapshot!(job_scenario_3_fixed, &fixture("simulate/job.yaml"), "--timeline");
snapshot!(job_scenario_3_at_7s, &fixture("simulate/job.yaml"), "--at", "7s");
snapshot!(jobs_indexed_queue_suspended_deadline, &fixture("simulate/jobs.yaml"), "--timeline");
snapshot!(job_retries_with_failures, &fixture("simulate/job-retries.yaml"), "--fail", "migrate=3", "--timeline");
snapshot!(job_one_failure_then_success, &fixture("simulate/job-retries.yaml"), "--fail", "migrate=1");
snapshot!(cronjobs, &fixture("simulate/cronjobs.yaml"), "--timeline");
snapshot!(cronjob_example_two_runs, "examples/cronjob.yaml", "--runs", "2", "--now", "2026-03-28T00:00:00Z");
snapshot!(deployment_example, "examples/web.yaml");
snapshot!(deployment_rolling_update, &fixture("simulate/deployment-rollout.yaml"), "--rollout", "--timeline");
snapshot!(deployment_recreate, &fixture("simulate/deployment-recreate.yaml"), "--rollout");
snapshot!(replicasets_and_bare_pods, &fixture("simulate/replicasets.yaml"), "--timeline");
snapshot!(pending_pods, &fixture("simulate/pending.yaml"), "--nodes", "2", "--timeline");
snapshot!(seed_changes_suffixes, &fixture("simulate/replicasets.yaml"), "--seed", "42");
snapshot!(examples_with_errors_left_out, "examples/");
snapshot!(json_output, &fixture("simulate/job.yaml"), "--output", "json");
snapshot!(yaml_output, "examples/statefulset.yaml", "--output", "yaml");
snapshot!(bad_duration, "--at", "7", &fixture("simulate/job.yaml"));
snapshot!(bad_fail_flag, "--fail", "job-01", &fixture("simulate/job.yaml"));
snapshot!(unused_fail_flag, "--fail", "nothing=1", &fixture("simulate/job.yaml"));
snapshot!(not_modelled_fields_are_listed, &fixture("simulate/unmodelled.yaml"));
snapshot!(strict_fails_on_fields_not_modelled, &fixture("simulate/unmodelled.yaml"), "--strict");
snapshot!(one_worker, &fixture("simulate/job.yaml"), "--nodes", "1");
// kuberuntime_manager.go doBackOff; prober/worker.go run and doProbe.
snapshot!(crash_loop_back_off_and_probe_ticks, &fixture("simulate/crashloop.yaml"), "--timeline");
snapshot!(crash_loop_at_1m, &fixture("simulate/crashloop.yaml"), "--at", "1m");
snapshot!(statefulset_timing_zero, "examples/statefulset.yaml", "--timing", "zero");
snapshot!(
    timing_flags,
    "examples/statefulset.yaml",
    "--image-pull",
    "1m",
    "--start-delay",
    "2s",
    "-k",
    "1.31",
    "--timeline"
);
// A cluster without worker nodes is a usage error (issue 12).
snapshot!(zero_nodes, &fixture("simulate/job.yaml"), "--nodes", "0");
// PodRequests in k8s.io/component-helpers/resource.
snapshot!(sidecar_requests_are_added, &fixture("simulate/sidecar.yaml"), "--fail-on-pending");
// FitError.Error() with DefaultPreemption's PostFilter message, in 1.34's wording.
snapshot!(pending_pods_1_34_wording, &fixture("simulate/pending.yaml"), "--nodes", "2", "-k", "1.34");
snapshot!(fail_on_crash_loop, &fixture("simulate/crashloop.yaml"), "--fail-on-crash-loop", "--fail-on-pending");
snapshot!(fail_on_failed_job, &fixture("simulate/job-retries.yaml"), "--fail", "migrate=3", "--fail-on-failed-job");
// pkg/controller/job: syncJob, matchPodFailurePolicy (FailJob, Ignore of a
// DisruptionTarget, Count, FailIndex), backoffLimitPerIndex with per-index back-off,
// maxFailedIndexes, matchSuccessPolicy.
snapshot!(
    job_failure_and_success_policies,
    &fixture("simulate/job-policies.yaml"),
    "--fail",
    "evicted-ok=1:evicted",
    "--fail",
    "flaky=2",
    "--fail",
    "retried=2",
    "--timeline"
);
// cronjob_controllerv2.go syncCronJob, utils.go mostRecentScheduleTime: under
// Forbid a missed run starts late when the Job finishes, unless
// startingDeadlineSeconds passed.
snapshot!(cronjob_forbid_late_start_and_deadline, &fixture("simulate/cronjob-deadlines.yaml"), "--timeline");
// sync.go cleanupDeployment (revisionHistoryLimit), progress.go syncRolloutStatus
// (ProgressDeadlineExceeded), sync.go sync (a replicas-only change scales).
snapshot!(deployment_history_and_progress_deadline, &fixture("simulate/deployment-history.yaml"), "--timeline");
// kuberuntime_manager.go computePodActions/computeInitContainerActions: init
// containers in order, sidecars (IsRestartableInitContainer) until started;
// prober/worker.go doProbe: readiness waits for the startup probe.
snapshot!(init_containers_sidecars_and_startup_probes, &fixture("simulate/init-containers.yaml"), "--timeline");
// kuberuntime_container.go killContainer (preStop, grace period, SIGKILL),
// recreate.go oldPodsRunning, endpointslice podToEndpoint (serving, terminating).
snapshot!(graceful_termination, &fixture("simulate/termination.yaml"), "--timeline");
snapshot!(graceful_termination_at_20s, &fixture("simulate/termination.yaml"), "--at", "20s", "--output", "json");
// deployment_controller.go syncDeployment: a paused Deployment only runs sync.go
// sync (getAllReplicaSetsAndSyncRevision without creating, scale); progress.go
// checkPausedConditions.
snapshot!(deployment_paused, &fixture("simulate/deployment-paused.yaml"), "--rollout", "--timeline");
// EndpointSlice controller with FindPort (named targetPorts per Pod); the node
// port allocator (a nodePort given, the others in the upper band).
snapshot!(service_ports_and_node_ports, &fixture("simulate/services-ports.yaml"));
// EndpointSlice controller (ShouldPodBeInEndpoints, podToEndpoint) and the DNS
// specification: cluster IPs, Ready endpoints, headless and per-Pod names.
snapshot!(services_endpoints_and_dns, &fixture("simulate/services.yaml"), "--at", "2m");
snapshot!(missing_path, "does/not/exist.yaml", &fixture("simulate/job.yaml"));
// The scheduler's filters and scores (kube-scheduler's default profile).
// NodeResourcesFit fitsRequest: extended resources, "Insufficient nvidia.com/gpu".
snapshot!(
    extended_resources,
    &fixture("simulate/scheduling/extended-resources.yaml"),
    "--cluster",
    &fixture("simulate/cluster.yaml")
);
// NodePorts Filter (fitsPorts); defaultHostNetworkPorts; hostNetwork Pods get the node's InternalIP.
snapshot!(host_ports_and_host_network, &fixture("simulate/scheduling/host-ports.yaml"));
// InterPodAffinity Filter: satisfyPodAffinity, satisfyPodAntiAffinity, satisfyExistingPodsAntiAffinity.
snapshot!(pod_affinity_and_anti_affinity, &fixture("simulate/scheduling/pod-affinity.yaml"), "-k", "1.34");
// PodTopologySpread Filter (missing label, maxSkew, minDomains) and NodeAffinity Score.
snapshot!(
    topology_spread_constraints,
    &fixture("simulate/scheduling/spread.yaml"),
    "--cluster",
    &fixture("simulate/scheduling/zones.yaml")
);
// PodTopologySpread Score with systemDefaultConstraints and DefaultSelector.
snapshot!(statefulset_pods_spread_by_default, &fixture("simulate/scheduling/statefulset-spread.yaml"));
// DefaultPreemption PostFilter: SelectVictimsOnNode, PodEligibleToPreemptOthers (preemptionPolicy Never).
snapshot!(preemption_by_priority, &fixture("simulate/scheduling/preemption.yaml"), "--timeline");
// findNodesThatFitPod with NodeAffinity's PreFilterResult: a DaemonSet Pod is tried
// on its own node only, the others counted as `didn't satisfy plugin(s)
// [NodeAffinity]` (1.32's SetAbsentNodesStatus; 1.28-1.31: `node is filtered out
// by the prefilter result`), and preemption is not helpful on them.
snapshot!(daemonset_pod_that_does_not_fit, &fixture("simulate/scheduling/daemonset-does-not-fit.yaml"));
snapshot!(
    daemonset_pod_that_does_not_fit_1_31,
    &fixture("simulate/scheduling/daemonset-does-not-fit.yaml"),
    "-k",
    "1.31"
);
// RunFilterPluginsWithNominatedPods (addGENominatedPods): the room a preemption made
// is kept for the preemptor; PodEligibleToPreemptOthers: no second preemption while
// its victims terminate (podTerminatingByPreemption).
snapshot!(
    preemption_keeps_the_room_for_the_nominated_pod,
    &fixture("simulate/scheduling/preemption-nominated.yaml"),
    "--nodes",
    "1",
    "--runs",
    "1",
    "--now",
    "2026-01-01T00:00:30Z",
    "--timeline"
);
// SelectVictimsOnNode with filterPodsWithPDBViolation and pickOneNodeForPreemption:
// the victim whose eviction would violate a PodDisruptionBudget is reprieved first.
snapshot!(
    preemption_spares_pods_a_disruption_budget_protects,
    &fixture("simulate/scheduling/preemption-pdb.yaml"),
    "--nodes",
    "2",
    "--runs",
    "1",
    "--timeline"
);
// plugin/pkg/admission/limitranger (defaultContainerResourceRequirements,
// mergePodResourceRequirements, maxConstraint) and resourcequota (checkRequest,
// the Pod evaluator's Constraints), RealPodControl createPods (FailedCreate
// "Error creating: ..."), admission.NewForbidden with the generateName.
snapshot!(limit_ranges_and_quotas, &fixture("simulate/admission.yaml"), "--timeline");
// external-provisioner GenerateAccessibilityRequirements (the provisioned PV's node
// affinity from allowedTopologies keys and the selected node), VolumeBinding's
// checkBoundClaims; a nodeName Pod bypasses the scheduler (no Scheduled event, its
// WaitForFirstConsumer claim never bound).
snapshot!(
    storage_provisioned_topology_and_node_name,
    &fixture("simulate/storage/topology-and-node-name.yaml"),
    "--cluster",
    &fixture("simulate/scheduling/zones.yaml"),
    "--timeline"
);
// Storage. VolumeBinding PreFilter (podHasPVCs: `persistentvolumeclaim "x" not
// found`; "pod has unbound immediate PersistentVolumeClaims") and the PV
// controller's syncUnboundClaim (FailedBinding without a class); StatefulSet
// updateStorage puts each template's claim in the Pod.
snapshot!(storage_no_default_class, &fixture("simulate/storage/no-default-class.yaml"), "--timeline");
// FindMatchingVolume (smallest fit, access modes, selector, class, claimRef),
// checkVolumeSatisfyClaim (VolumeMismatch) and checkBoundClaims (PV node affinity).
snapshot!(storage_static_volumes, &fixture("simulate/storage/static-volumes.yaml"), "--timeline");
// WaitForFirstConsumer: syncUnboundClaim's WaitForFirstConsumer event, VolumeBinding
// Filter (findMatchingVolumes with PV node affinity, checkVolumeProvisions with
// allowedTopologies and kubernetes.io/no-provisioner), PreBind's provisioning on the
// chosen node; generic ephemeral volumes (ephemeral controller handleVolume).
snapshot!(
    storage_wait_for_first_consumer,
    &fixture("simulate/storage/wait-for-first-consumer.yaml"),
    "--cluster",
    &fixture("simulate/scheduling/zones.yaml"),
    "--timeline"
);

#[test]
fn reads_standard_input() {
    let mut cmd = simulate(&["-"]);
    let manifest =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n";
    settings().bind(|| assert_cmd_snapshot!(cmd.pass_stdin(manifest)));
}

fn json(args: &[&str]) -> Value {
    let out = simulate(&[args, &["--output", "json"]].concat()).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn strings<'a>(v: &'a Value, key: &str) -> Vec<&'a str> {
    v.as_array().unwrap().iter().map(|x| x[key].as_str().unwrap()).collect()
}

/// Acceptance 1: stateful-nginx-0, -1, -2, created in that order, each with its DNS name.
#[test]
fn statefulset_pods_in_order_with_dns_names() {
    let v = json(&["examples/statefulset.yaml"]);
    let created: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "SuccessfulCreate")
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        created,
        [
            "create Pod stateful-nginx-0 in StatefulSet stateful-nginx successful",
            "create Pod stateful-nginx-1 in StatefulSet stateful-nginx successful",
            "create Pod stateful-nginx-2 in StatefulSet stateful-nginx successful",
        ]
    );
    let per_pod: Vec<&str> =
        strings(&v["dns"], "name").into_iter().filter(|n| n.starts_with("stateful-nginx-")).collect();
    assert_eq!(
        per_pod,
        [
            "stateful-nginx-0.nginx.default.svc.cluster.local",
            "stateful-nginx-1.nginx.default.svc.cluster.local",
            "stateful-nginx-2.nginx.default.svc.cluster.local",
        ]
    );
}

fn nodes_of(v: &Value, namespace: &str) -> Vec<String> {
    let mut nodes: Vec<String> = v["pods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["namespace"] == namespace)
        .map(|p| p["node"].as_str().unwrap().to_string())
        .collect();
    nodes.sort();
    nodes
}

/// Acceptance 2: one Pod per worker, none on the control plane unless tolerated,
/// and a nodeSelector narrows it.
#[test]
fn daemonset_one_pod_per_eligible_node() {
    let v = json(&[&fixture("simulate/daemonsets.yaml")]);
    assert_eq!(nodes_of(&v, "monitoring"), ["node-1", "node-2", "node-3"]);
    assert_eq!(nodes_of(&v, "logging"), ["control-plane", "node-1", "node-2", "node-3"]);
    assert!(nodes_of(&v, "kube-system").is_empty());
    let v = json(&[&fixture("simulate/daemonsets.yaml"), "--nodes", "5"]);
    assert_eq!(nodes_of(&v, "monitoring").len(), 5);
    let v = json(&[&fixture("simulate/daemonsets.yaml"), "--cluster", &fixture("simulate/cluster.yaml")]);
    assert_eq!(nodes_of(&v, "monitoring"), ["worker-a", "worker-b"]);
    assert_eq!(nodes_of(&v, "kube-system"), ["gpu-1"]);
}

/// Scenario 3 as its author counts (`--timing zero`: no image pulls): 2 Pods at a
/// time in 2 waves, complete at 10 s, deleted with its Pods.
#[test]
fn job_runs_in_two_waves_and_is_deleted_at_completion() {
    let v = json(&[&fixture("simulate/job.yaml"), "--timing", "zero"]);
    let pods = v["pods"].as_array().unwrap();
    let times = |key: &str| pods.iter().map(|p| p[key].as_f64().unwrap()).collect::<Vec<_>>();
    assert_eq!(times("createdAt"), [0.0, 0.0, 5.0, 5.0]);
    assert_eq!(times("finishedAt"), [5.0, 5.0, 10.0, 10.0]);
    assert_eq!(times("deletedAt"), [10.0, 10.0, 10.0, 10.0]);
    let job = &v["workloads"][0];
    assert_eq!(job["waves"], serde_json::json!([0.0, 5.0]));
    assert_eq!(job["status"], "Complete");
    assert_eq!(job["finishedAt"], 10.0);
    assert_eq!(job["deletedAt"], 10.0);
    assert_eq!(v["time"], 10.0);
}

#[test]
fn same_input_same_output() {
    let run = || simulate(&["examples/", &fixture("simulate/")]).output().unwrap().stdout;
    assert_eq!(run(), run());
}

#[test]
fn pending_counts_add_up() {
    let v = json(&[&fixture("simulate/pending.yaml"), "--nodes", "2"]);
    for pod in v["pods"].as_array().unwrap() {
        let Some(reason) = pod["pendingReason"].as_str() else { continue };
        let (head, rest) = reason.split_once(": ").unwrap();
        assert_eq!(head, "0/3 nodes are available");
        // Every node gives at least one reason; a node may give two (cpu and memory).
        let total: usize = rest.split(", ").map(|r| r.split(' ').next().unwrap().parse::<usize>().unwrap()).sum();
        assert!(total >= 3, "{reason}");
    }
}

/// Pods get only the events a cluster gives them: the scheduler's, the kubelet's
/// (pkg/kubelet/events: Pulling, Pulled, Created, Started, Killing, BackOff, ...)
/// and `Preempted`; never `Completed`, `Ready` or `Deleted` (no component emits
/// them on a Pod), nor `Failed` for a container that exited (the kubelet's
/// `Failed` is about images and container creation). Every fixture at once, which
/// also shows that preemptions do not repeat themselves.
#[test]
fn pods_get_only_events_a_cluster_emits() {
    let v = json(&["examples/", &fixture("simulate/")]);
    let mut preempted = 0;
    for e in v["events"].as_array().unwrap() {
        let object = e["object"].as_str().unwrap();
        if !object.starts_with("pod/") {
            continue;
        }
        let reason = e["reason"].as_str().unwrap();
        assert!(!["Completed", "Ready", "Deleted", "Failed"].contains(&reason), "{e}");
        assert_ne!(e["type"], "kval", "{e}");
        preempted += usize::from(reason == "Preempted");
    }
    // A preemptor whose room others took would preempt replacement after
    // replacement (once 1,921 times at 0s; every fixture at once, with their
    // PriorityClasses, preempts about 110 Pods).
    assert!(preempted < 300, "{preempted}");
}

/// The same preemption without the budget evicts `web` (the less important of
/// equals: started later); before 1.29 the event does not name the preemptor
/// (prepareCandidate: "Preempted by a pod on node").
#[test]
fn preemption_victims_with_and_without_a_budget() {
    let preempted = |v: &Value| -> Vec<String> {
        let events = v["events"].as_array().unwrap().iter().filter(|e| e["reason"] == "Preempted");
        events.map(|e| format!("{} {}", e["object"].as_str().unwrap(), e["message"].as_str().unwrap())).collect()
    };
    let fixture = fixture("simulate/scheduling/preemption-pdb.yaml");
    let with = json(&[&fixture, "--nodes", "2", "--runs", "1", "-k", "1.28"]);
    let with = preempted(&with);
    assert_eq!(with.len(), 1);
    assert!(with[0].starts_with("pod/batch-") && with[0].ends_with(" Preempted by a pod on node node-1"), "{with:?}");
    let text = std::fs::read_to_string(&fixture).unwrap();
    let (before, rest) = text.split_once("apiVersion: policy/v1").unwrap();
    let without = format!("{before}{}", rest.split_once("---\n").unwrap().1);
    let dir = std::env::temp_dir().join(format!("kval-pdb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("no-pdb.yaml");
    std::fs::write(&path, without).unwrap();
    let v = json(&[path.to_str().unwrap(), "--nodes", "2", "--runs", "1"]);
    std::fs::remove_dir_all(&dir).unwrap();
    let without = preempted(&v);
    assert_eq!(without.len(), 1);
    assert!(without[0].starts_with("pod/web-") && without[0].contains(" Preempted by pod "), "{without:?}");
}

/// What a namespace's LimitRange and ResourceQuota make of the Pods, as a cluster
/// shows them: requests written by the LimitRange (and scheduled as such), Pods
/// the quota refuses never created, a refused ReplicaSet trying again once a Pod
/// of the namespace has finished.
#[test]
fn admission_decides_which_pods_exist() {
    let v = json(&[&fixture("simulate/admission.yaml")]);
    let pods: Vec<&str> = v["pods"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(pods.iter().filter(|p| p.starts_with("shop-")).count(), 2);
    assert_eq!(pods.iter().filter(|p| p.starts_with("cache-")).count(), 1);
    assert!(!pods.contains(&"greedy"));
    assert!(!pods.iter().any(|p| p.starts_with("worker-")));
    let failed: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "FailedCreate")
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(failed.contains(&"Error creating: pods \"worker-685fc9988b-\" is forbidden: failed quota: small: must specify requests.cpu for: worker"), "{failed:?}");
    let warning = "Pod team-a/greedy is not created: Error from server (Forbidden): pods \"greedy\" is forbidden: maximum memory usage per Container is 256Mi, but limit is 512Mi";
    assert!(v["warnings"].as_array().unwrap().iter().any(|w| w == warning));
    // The api Pod is created when the Job's Pod has finished.
    let created = |name: &str| {
        v["pods"].as_array().unwrap().iter().find(|p| p["name"].as_str().unwrap().starts_with(name)).unwrap()["createdAt"].as_f64().unwrap()
    };
    let finished = v["pods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str().unwrap().starts_with("migrate-"))
        .unwrap()["finishedAt"]
        .as_f64()
        .unwrap();
    assert_eq!(created("api-"), finished);
    // The node counts the LimitRange's 100m per shop Pod.
    let requested: Vec<&str> =
        v["nodes"].as_array().unwrap().iter().map(|n| n["requested"]["cpu"].as_str().unwrap()).collect();
    assert!(requested.contains(&"100m"), "{requested:?}");
    assert!(v["notModelled"].as_array().unwrap().is_empty());
}

/// Acceptance 5 (correctness part; the timing is `scripts/bench-simulate.sh`).
#[test]
fn whole_corpus_simulates() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let out = simulate(&[corpus.to_str().unwrap(), "--output", "json"]).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["pods"].as_array().unwrap().len() > 100);
}

/// What a real cluster's Job controller does with each policy (pkg/controller/job
/// job_controller.go syncJob, pod_failure_policy.go matchPodFailurePolicy,
/// success_policy.go matchSuccessPolicy).
#[test]
fn job_policies_end_as_the_job_controller_ends_them() {
    let fixture = fixture("simulate/job-policies.yaml");
    let v = json(&[&fixture, "--fail", "evicted-ok=1:evicted", "--fail", "flaky=2", "--fail", "retried=2"]);
    let job = |name: &str| v["workloads"].as_array().unwrap().iter().find(|w| w["name"] == name).unwrap().clone();
    // FailJob on exit code 42: the first failure ends the Job despite backoffLimit 6.
    assert_eq!(job("fatal-exit")["status"], "Failed: PodFailurePolicy");
    assert_eq!(job("fatal-exit")["pods"], 1);
    // An evicted Pod (DisruptionTarget) is ignored: backoffLimit 0 is not exceeded.
    assert_eq!(job("evicted-ok")["status"], "Complete");
    assert_eq!(job("evicted-ok")["ignoredFailures"], 1);
    assert_eq!(job("flaky")["status"], "Failed: BackoffLimitExceeded");
    // Indexes 0 and 1 fail once each and are retried on their own.
    assert_eq!(job("retried")["status"], "Complete");
    assert_eq!(job("retried")["failed"], 2);
    assert_eq!(job("retried")["failedIndexes"], "");
    // FailIndex: no retry for the index; the second failed index exceeds maxFailedIndexes 1.
    assert_eq!(job("shards")["status"], "Failed: MaxFailedIndexesExceeded");
    assert_eq!(job("shards")["failedIndexes"], "0-1");
    // Two of indexes 0-2 succeeded: complete without running index 4.
    assert_eq!(job("leaders")["status"], "Complete");
    assert_eq!(job("leaders")["successPolicyRule"], 0);
    let index4 = v["pods"].as_array().unwrap().iter().any(|p| p["name"].as_str().unwrap().starts_with("leaders-4-"));
    assert!(!index4);
    let evicted = v["events"].as_array().unwrap().iter().filter(|e| e["reason"] == "Killing").count();
    assert!(evicted >= 1);
}

/// syncCronJob under Forbid with a Job longer than 100 intervals: the controller
/// warns TooManyMissedTimes (more than 100 missed since lastScheduleTime), then
/// starts only the most recent missed time, late (utils.go mostRecentScheduleTime).
#[test]
fn cronjob_too_many_missed_times_starts_the_most_recent() {
    let v = json(&[&fixture("simulate/cronjob-missed.yaml"), "--runs", "125"]);
    let events = v["events"].as_array().unwrap();
    let warning = events.iter().find(|e| e["reason"] == "TooManyMissedTimes").unwrap();
    // Minute 102 (6120 s): 101 times missed since the run of minute 1.
    assert_eq!(warning["time"], 6120.0);
    assert_eq!(
        warning["message"],
        "too many missed start times: 101. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
    );
    let runs = v["workloads"][0]["runs"].as_array().unwrap();
    let started: Vec<&str> =
        runs.iter().filter(|r| !r["startedAt"].is_null()).map(|r| r["job"].as_str().unwrap()).collect();
    // Minute 1 on time; when its 2-hour Job ends (2h1m18s), minute 121, not minute 2.
    assert_eq!(started[..2], ["minutely-29453761", "minutely-29453881"]);
    assert_eq!(runs[120]["startedAt"], 7278.0);
    assert_eq!(runs[1]["skipped"], "not started: only the most recent missed time is started");
}

/// Forbid without a deadline starts the missed run late; startingDeadlineSeconds 60
/// drops it (syncCronJob).
#[test]
fn cronjob_forbid_waits_unless_the_deadline_passed() {
    let v = json(&[&fixture("simulate/cronjob-deadlines.yaml")]);
    let runs = |i: usize| v["workloads"][i]["runs"].as_array().unwrap().clone();
    assert_eq!(runs(0)[1]["scheduledTime"], "2026-01-01T00:10:00+00:00");
    assert_eq!(runs(0)[1]["startedAt"], 738.0);
    assert!(runs(1)[1]["startedAt"].is_null());
    assert_eq!(runs(1)[2]["startedAt"], 900.0);
}

/// cleanupDeployment keeps revisionHistoryLimit old ReplicaSets (lowest revision
/// deleted first, once scaled to 0); syncRolloutStatus sets ProgressDeadlineExceeded
/// when no Pod became available for progressDeadlineSeconds.
#[test]
fn deployment_history_limit_and_progress_deadline() {
    let v = json(&[&fixture("simulate/deployment-history.yaml")]);
    let sets = v["workloads"][0]["replicaSets"].as_array().unwrap();
    assert_eq!(sets.len(), 3);
    assert!(!sets[0]["deletedAt"].is_null());
    assert!(sets[1]["deletedAt"].is_null());
    // The replicas-only change reuses the newest ReplicaSet.
    assert_eq!(sets[2]["replicas"], 4);
    let stuck = &v["workloads"][1]["progressing"];
    assert_eq!(stuck["reason"], "ProgressDeadlineExceeded");
    assert_eq!(stuck["at"], 60.0);
    assert_eq!(v["workloads"][0]["progressing"]["reason"], "NewReplicaSetAvailable");
    let applied: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "Applied")
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(applied[2].ends_with("replicas 2 → 4, the template is unchanged"), "{}", applied[2]);
}

/// EndpointSlices list only Pods that have not finished (ShouldPodBeInEndpoints),
/// Ready unless the Service publishes not-ready addresses (podToEndpoint); CoreDNS
/// answers for Ready endpoints only, once each.
#[test]
fn services_publish_ready_endpoints_and_dns_names() {
    let v = json(&[&fixture("simulate/services.yaml"), "--at", "2m"]);
    let service = |name: &str| v["services"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap().clone();
    let web = service("web");
    assert!(web["clusterIP"].as_str().unwrap().starts_with("10."));
    let ready: Vec<(&str, bool)> = web["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["pod"].as_str().unwrap(), e["ready"].as_bool().unwrap()))
        .collect();
    assert_eq!(ready, [("web-ready", true), ("web-warming", false)]);
    assert_eq!(service("db")["clusterIP"], "None");
    // A finished Pod of restartPolicy Never is no endpoint.
    assert!(service("batch")["endpoints"].as_array().unwrap().is_empty());
    let names = strings(&v["dns"], "name");
    assert!(names.contains(&"peer-0.peers.default.svc.cluster.local"));
    assert!(names.contains(&"db-1.db.default.svc.cluster.local"));
    assert!(!names.iter().any(|n| n.starts_with("web-warming")));
    let mut pairs: Vec<(String, String)> = v["dns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap().to_string(), d["ip"].as_str().unwrap().to_string()))
        .collect();
    let count = pairs.len();
    pairs.dedup();
    assert_eq!(pairs.len(), count);
}

fn pods_by_name(v: &Value) -> std::collections::BTreeMap<String, (Option<String>, Option<String>)> {
    v["pods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] != "Deleted")
        .map(|p| {
            let name = p["name"].as_str().unwrap().to_string();
            (name, (p["node"].as_str().map(str::to_string), p["ip"].as_str().map(str::to_string)))
        })
        .collect()
}

/// PodTopologySpread (DoNotSchedule on zones, maxSkew 1): 3 Pods in zone-a, 2 in
/// zone-b, none on the node without a zone label.
#[test]
fn zone_spread_counts() {
    let v =
        json(&[&fixture("simulate/scheduling/spread.yaml"), "--cluster", &fixture("simulate/scheduling/zones.yaml")]);
    let mut zones = std::collections::BTreeMap::new();
    for (name, (node, _)) in pods_by_name(&v) {
        if name.starts_with("api-") {
            let zone = match node.as_deref() {
                Some("a-1" | "a-2") => "zone-a",
                Some("b-1") => "zone-b",
                other => panic!("api Pod on {other:?}"),
            };
            *zones.entry(zone).or_insert(0) += 1;
        }
    }
    assert_eq!(zones, [("zone-a", 3), ("zone-b", 2)].into_iter().collect());
}

/// Preemption: the critical Pod runs, one batch Pod was evicted ("Preempted"), its
/// replacement and the Pod with preemptionPolicy Never are Pending.
#[test]
fn preemption_evicts_one_lower_priority_pod() {
    let v = json(&[&fixture("simulate/scheduling/preemption.yaml")]);
    let pods = pods_by_name(&v);
    assert!(pods["critical"].0.is_some());
    assert!(pods["polite"].0.is_none());
    let pending_batch = pods.iter().filter(|(n, (node, _))| n.starts_with("batch-") && node.is_none()).count();
    assert_eq!(pending_batch, 1);
    let preempted = v["events"].as_array().unwrap().iter().filter(|e| e["reason"] == "Preempted").count();
    assert_eq!(preempted, 1);
}

/// spec.paused (sync.go sync, scale with FindActiveOrLatest): created paused, no
/// ReplicaSet and no Pods; paused with a new template and more replicas, the old
/// ReplicaSet is scaled and nothing rolls out until the Deployment is resumed.
#[test]
fn paused_deployment_only_scales() {
    let v = json(&[&fixture("simulate/deployment-paused.yaml")]);
    let frozen = &v["workloads"][0];
    assert_eq!(frozen["paused"], true);
    assert!(frozen["replicaSets"].as_array().unwrap().is_empty());
    assert_eq!(frozen["progressing"]["reason"], "DeploymentPaused");
    assert!(!v["pods"].as_array().unwrap().iter().any(|p| p["name"].as_str().unwrap().starts_with("frozen-")));
    let steps: Vec<&str> =
        v["workloads"][1]["steps"].as_array().unwrap().iter().map(|s| s["action"].as_str().unwrap()).collect();
    // While paused: the first ReplicaSet goes 3 → 5, no second ReplicaSet.
    assert!(steps[1].starts_with("Scaled up replica set web-") && steps[1].ends_with("from 3 to 5"), "{steps:?}");
    assert_eq!(steps[0][..30], steps[1][..30]);
    assert_ne!(steps[2][..30], steps[1][..30]);
    let notes: Vec<&Value> = v["events"].as_array().unwrap().iter().filter(|e| e["reason"] == "Applied").collect();
    assert!(notes.iter().all(|e| e["type"] == "kval"));
    assert!(v["notModelled"].as_array().unwrap().is_empty());
}

/// The kubelet's order (computePodActions, computeInitContainerActions): each init
/// container pulled, created and started after the previous one exited; a sidecar
/// lets the next start once its startup probe succeeded (prober/worker.go doProbe
/// skips readiness and liveness until then); Ready at the first readiness tick
/// after the app container's startup probe succeeded.
#[test]
fn init_containers_run_in_order_and_sidecars_until_started() {
    let v = json(&[&fixture("simulate/init-containers.yaml")]);
    let events = v["events"].as_array().unwrap();
    let started = |pod: &str, container: &str| {
        let object = format!("pod/{pod}");
        let message = format!("Started container {container}");
        events.iter().find(|e| e["object"] == object && e["message"] == message).map(|e| e["time"].as_f64().unwrap())
    };
    let pod = |name: &str| v["pods"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap().clone();
    // Sandbox 1 s, busybox pulled in 17 s: migrate at 18 s runs 5 s, warm-cache
    // (image present) 23 s to 26 s, then nginx is pulled: web starts at 43 s.
    assert_eq!(started("migrate-first", "migrate"), Some(18.0));
    assert_eq!(started("migrate-first", "warm-cache"), Some(23.0));
    assert_eq!(started("migrate-first", "web"), Some(43.0));
    assert_eq!(pod("migrate-first")["readyAt"], 43.0);
    // The sidecar starts at 18 s; its startup probe (delay 2 s, period 5 s from the
    // binding at 0 s) succeeds at 20 s; setup is pulled then and runs 37-39 s; app
    // starts at 56 s, its startup probe (delay 10 s, period 10 s) succeeds at 70 s,
    // and readiness (period 3 s) at the next tick, 72 s.
    assert_eq!(started("meshed", "proxy"), Some(18.0));
    assert_eq!(started("meshed", "setup"), Some(37.0));
    assert_eq!(started("meshed", "app"), Some(56.0));
    assert_eq!(pod("meshed")["readyAt"], 72.0);
    assert_eq!(pod("meshed")["status"], "Running");
    // restartPolicy Never: a failed init container fails the Pod; Always: back-off.
    assert_eq!(pod("precheck-fails")["status"], "Init:Error");
    assert_eq!(pod("precheck-fails")["phase"], "Failed");
    assert!(started("precheck-fails", "app").is_none());
    let blocked =
        v["pods"].as_array().unwrap().iter().find(|p| p["name"].as_str().unwrap().starts_with("blocked-")).unwrap();
    assert_eq!(blocked["status"], "Init:CrashLoopBackOff");
    assert_eq!(blocked["phase"], "Pending");
    assert!(v["notModelled"].as_array().unwrap().is_empty());
    let v = json(&[&fixture("simulate/init-containers.yaml"), "--at", "30s"]);
    let at = |name: &str| v["pods"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["status"].clone();
    assert_eq!(at("migrate-first"), "PodInitializing");
    assert_eq!(at("meshed"), "Init:1/2");
}

/// WaitForFirstConsumer classes bind where the Pod goes, and the Filter sends the
/// Pod where a volume can be had (volume_binding.go Filter, binder.go
/// FindPodVolumes); ephemeral volumes get a claim `<pod>-<volume>` each.
#[test]
fn wait_for_first_consumer_binds_on_the_pods_node() {
    let v = json(&[
        &fixture("simulate/storage/wait-for-first-consumer.yaml"),
        "--cluster",
        &fixture("simulate/scheduling/zones.yaml"),
    ]);
    let claim = |name: &str| by_name(&v["pvcs"], name).clone();
    assert_eq!(claim("unused")["status"], "Pending");
    assert_eq!(claim("unused")["storageClassName"], "standard");
    assert_eq!(claim("unused")["pendingReason"], "waiting for first consumer to be created before binding");
    assert_eq!(claim("scratch")["status"], "Bound");
    assert_eq!(by_name(&v["pods"], "zonal")["node"], "b-1");
    assert_eq!(by_name(&v["pods"], "local-1")["node"], "a-2");
    assert_eq!(claim("fast-1")["volume"], "local-a-2");
    assert_eq!(
        by_name(&v["pods"], "local-2")["pendingReason"],
        "0/4 nodes are available: 4 node(s) didn't find available persistent volumes to bind. preemption: 0/4 nodes \
         are available: 4 Preemption is not helpful for scheduling."
    );
    let cache: Vec<&Value> =
        v["pods"].as_array().unwrap().iter().filter(|p| p["name"].as_str().unwrap().starts_with("cache-")).collect();
    assert_eq!(cache.len(), 2);
    for pod in cache {
        assert_eq!(pod["node"], "b-1");
        let claim = claim(&format!("{}-scratch", pod["name"].as_str().unwrap()));
        assert_eq!(claim["owner"]["kind"], "Pod");
        assert_eq!(claim["status"], "Bound");
    }
}

fn by_name<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|x| x["name"] == name).unwrap_or_else(|| panic!("no {name} in {list}"))
}

/// No StorageClass in the input, so no default one: what a cluster without a
/// default class does (VolumeBinding PreFilter, pv_controller.go syncUnboundClaim).
#[test]
fn claims_without_a_default_class_stay_pending() {
    let v = json(&[&fixture("simulate/storage/no-default-class.yaml")]);
    let unbound = "0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/4 nodes \
                   are available: 4 Preemption is not helpful for scheduling.";
    assert_eq!(by_name(&v["pods"], "uses-data")["pendingReason"], unbound);
    assert_eq!(by_name(&v["pods"], "db-0")["pendingReason"], unbound);
    // OrderedReady: db-1 waits for db-0, which never runs.
    assert!(v["pods"].as_array().unwrap().iter().all(|p| p["name"] != "db-1"));
    assert_eq!(
        by_name(&v["pods"], "uses-missing")["pendingReason"],
        "0/4 nodes are available: persistentvolumeclaim \"cache\" not found. preemption: 0/4 nodes are available: 4 \
         Preemption is not helpful for scheduling."
    );
    let claim = by_name(&v["pvcs"], "pgdata-db-0");
    assert_eq!(claim["status"], "Pending");
    assert_eq!(claim["pendingReason"], "no persistent volumes available for this claim and no storage class is set");
    // Before 1.35 the message ends in `..` (FitError.Error() and the PostFilter's period).
    let old = json(&[&fixture("simulate/storage/no-default-class.yaml"), "-k", "1.34"]);
    assert!(by_name(&old["pods"], "uses-data")["pendingReason"].as_str().unwrap().ends_with("scheduling.."));
}

/// Static binding as FindMatchingVolume and checkVolumeSatisfyClaim decide it.
#[test]
fn static_volumes_bind_as_the_pv_controller_binds_them() {
    let v = json(&[&fixture("simulate/storage/static-volumes.yaml")]);
    let bound: Vec<(&str, &str)> = v["pvcs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["volume"].as_str().unwrap_or("-")))
        .collect();
    assert_eq!(
        bound,
        [
            ("small", "pv-1gi"),
            ("medium", "pv-5gi"),
            ("gold", "pv-gold"),
            ("reserved", "pv-reserved"),
            ("shared", "pv-shared"),
            ("manual", "pv-manual"),
            ("by-name", "pv-20gi"),
            ("wants-tiny", "-"),
            ("too-big", "-"),
            ("local", "pv-node-2"),
        ]
    );
    assert_eq!(
        by_name(&v["pvcs"], "wants-tiny")["pendingReason"],
        "Cannot bind to requested volume \"pv-tiny\": requested PV is too small"
    );
    assert_eq!(by_name(&v["pvs"], "pv-tiny")["status"], "Available");
    assert_eq!(by_name(&v["pods"], "pinned")["node"], "node-2");
    assert_eq!(by_name(&v["pods"], "app")["phase"], "Running");
    assert!(by_name(&v["pods"], "big")["pendingReason"].as_str().unwrap().contains("unbound immediate"));
}

/// Graceful termination as the kubelet does it (killContainer): the preStop hook
/// (5 s) then SIGTERM, which nginx handles; a shell loop as PID 1 ignores SIGTERM
/// and is killed when terminationGracePeriodSeconds (10 s) is up. Recreate scales
/// the new ReplicaSet up only once the old Pods are gone (oldPodsRunning); a
/// Terminating Pod stays in the EndpointSlice, serving but not ready.
#[test]
fn deleted_pods_terminate_gracefully() {
    let v = json(&[&fixture("simulate/termination.yaml")]);
    let pods = v["pods"].as_array().unwrap();
    let span = |prefix: &str| {
        let p = pods.iter().find(|p| p["name"].as_str().unwrap().starts_with(prefix)).unwrap();
        p["goneAt"].as_f64().unwrap() - p["deletedAt"].as_f64().unwrap()
    };
    assert_eq!(span("api-548894dd7f-"), 5.0);
    assert_eq!(span("worker-5b95f47cf9-"), 10.0);
    let steps = v["workloads"][0]["steps"].as_array().unwrap();
    // Scaled down at 18 s, the new ReplicaSet up at 23 s.
    assert_eq!(steps[1]["time"], 18.0);
    assert_eq!(steps[2]["time"], 23.0);
    let v = json(&[&fixture("simulate/termination.yaml"), "--at", "20s"]);
    let endpoints = v["services"][0]["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 2);
    for e in endpoints {
        assert_eq!(
            (e["ready"].as_bool(), e["serving"].as_bool(), e["terminating"].as_bool()),
            (Some(false), Some(true), Some(true))
        );
    }
    let statuses: Vec<&str> = strings(&v["pods"], "status");
    assert_eq!(statuses.iter().filter(|s| **s == "Terminating").count(), 2);
    assert!(!strings(&v["dns"], "name").is_empty());
}

/// Service ports (EndpointSlice controller, FindPort in pkg/api/v1/pod): a named
/// targetPort is each Pod's container port of that name, so web-a and web-b serve
/// `http` on different numbers and web-b has no `metrics` port; the nodePort given
/// is kept and the others are allocated in 30000-32767 (the upper band above 30085
/// for ports not given, as the API server's allocator prefers).
#[test]
fn service_target_ports_and_node_ports() {
    let v = json(&[&fixture("simulate/services-ports.yaml")]);
    let service = |name: &str| v["services"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap().clone();
    let web = service("web");
    let ports = |pod: &str| -> Vec<(String, i64)> {
        let e = web["endpoints"].as_array().unwrap().iter().find(|e| e["pod"] == pod).unwrap();
        e["ports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["name"].as_str().unwrap().to_string(), p["port"].as_i64().unwrap()))
            .collect()
    };
    assert_eq!(ports("web-a"), [("http".to_string(), 8080), ("metrics".to_string(), 9100)]);
    assert_eq!(ports("web-b"), [("http".to_string(), 8081)]);
    let node_ports: Vec<i64> =
        web["portDetails"].as_array().unwrap().iter().map(|p| p["nodePort"].as_i64().unwrap()).collect();
    assert_eq!(node_ports[0], 30080);
    assert!((30086..=32767).contains(&node_ports[1]), "{node_ports:?}");
    let edge = service("edge");
    let lb = edge["portDetails"][0]["nodePort"].as_i64().unwrap();
    assert!((30086..=32767).contains(&lb) && lb != node_ports[1]);
    assert_eq!(edge["ports"][0], format!("443:{lb}/TCP"));
    assert_eq!(edge["endpoints"][0]["ports"][0]["port"], 8443);
}

// The kubelet's side (src/simulate/kubelet.rs, prober.rs, controllers/): scenario
// tests whose expected results are what a real cluster does, with the Kubernetes
// function each follows.

// pkg/kubelet/prober/prober.go runProbe and pkg/probe/util.go ResolveContainerPort:
// a named port the container does not define is an error ("strconv.Atoi: parsing
// ..."); worker.go doProbe throws error results away, so readiness never comes,
// startup never succeeds and liveness restarts nothing.
snapshot!(probes_on_undefined_named_ports, &fixture("simulate/kubelet/probe-ports.yaml"), "--timeline");

#[test]
fn probes_on_undefined_named_ports_never_succeed() {
    let v = json(&[&fixture("simulate/kubelet/probe-ports.yaml")]);
    let pods = v["pods"].as_array().unwrap();
    let pod = |prefix: &str| pods.iter().find(|p| p["name"].as_str().unwrap().starts_with(prefix)).unwrap();
    for name in ["web-", "metrics-elsewhere", "startup-typo", "sidecar-typo"] {
        assert_eq!(pod(name)["ready"], false, "{name}");
        assert!(pod(name)["readyAt"].is_null(), "{name}");
    }
    assert_eq!(pod("sidecar-typo")["status"], "Init:0/1");
    assert_eq!(pod("startup-typo")["status"], "Running");
    // A liveness probe that errors never fails: no restart, and the Pod is Ready.
    assert_eq!(pod("liveness-typo")["restarts"], 0);
    assert_eq!(pod("liveness-typo")["ready"], true);
    assert_eq!(pod("valid")["ready"], true);
    // Not Ready: not a ready endpoint of the Service, and no DNS name of its own.
    let endpoints = v["services"][0]["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 2);
    assert!(endpoints.iter().all(|e| e["ready"] == false));
    let unhealthy: Vec<(&str, &str, f64)> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "Unhealthy")
        .map(|e| (e["object"].as_str().unwrap(), e["message"].as_str().unwrap(), e["time"].as_f64().unwrap()))
        .collect();
    assert!(unhealthy.contains(&(
        "pod/liveness-typo",
        "Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing \"admin\": invalid syntax",
        40.0
    )));
    assert!(unhealthy.iter().all(|(_, m, _)| !m.contains("\"http\"") || m.starts_with("Readiness")));
    assert!(
        v["events"].as_array().unwrap().iter().filter(|e| e["reason"] == "Unhealthy").all(|e| e["type"] == "Warning")
    );
    assert!(!unhealthy.iter().any(|(o, _, _)| *o == "pod/valid"));
    // Before 1.33 (kubernetes#125901) the event has no result.
    let v = json(&[&fixture("simulate/kubelet/probe-ports.yaml"), "-k", "1.32"]);
    assert!(
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["message"] == "Startup probe errored: strconv.Atoi: parsing \"health\": invalid syntax")
    );
}

// kuberuntime_container.go startContainer (step 4: the postStart hook, synchronous;
// FailedPostStartHook and killContainer), lifecycle/handlers.go resolvePort;
// kuberuntime_manager.go doBackOff for the restarts.
snapshot!(post_start_hooks, &fixture("simulate/kubelet/post-start.yaml"), "--timeline");

#[test]
fn post_start_hooks_hold_the_next_container_and_failures_kill() {
    let v = json(&[&fixture("simulate/kubelet/post-start.yaml")]);
    let pod = |name: &str| v["pods"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap().clone();
    let events = v["events"].as_array().unwrap();
    let at = |object: &str, message: &str| {
        events.iter().find(|e| e["object"] == object && e["message"] == message).map(|e| e["time"].as_f64().unwrap())
    };
    // The exec hook sleeps 8 s: helper starts 8 s after app, and the Pod is Ready then.
    assert_eq!(at("pod/warm-cache", "Started container app"), Some(18.0));
    assert_eq!(at("pod/warm-cache", "Started container helper"), Some(26.0));
    assert_eq!(pod("warm-cache")["readyAt"], 26.0);
    let v30 = json(&[&fixture("simulate/kubelet/post-start.yaml"), "--at", "20s"]);
    let status = v30["pods"].as_array().unwrap().iter().find(|p| p["name"] == "warm-cache").unwrap()["status"].clone();
    assert_eq!(status, "ContainerCreating");
    // An httpGet hook on an undefined port name fails: killed and restarted with back-off.
    assert_eq!(at("pod/register", "PostStartHook failed"), Some(18.0));
    assert_eq!(at("pod/register", "FailedPostStartHook"), Some(18.0));
    assert!(events.iter().any(|e| e["reason"] == "FailedPostStartHook" && e["type"] == "Warning"));
    assert_eq!(pod("register")["status"], "CrashLoopBackOff");
    assert_eq!(pod("register")["ready"], false);
    assert!(pod("register")["restarts"].as_u64().unwrap() >= 5);
    // restartPolicy Never: the Pod fails.
    assert_eq!(pod("once")["phase"], "Failed");
    // A hook on a port the container defines succeeds.
    assert_eq!(pod("notify")["ready"], true);
    assert!(at("pod/notify", "PostStartHook failed").is_none());
    assert!(v["notModelled"].as_array().unwrap().is_empty());
}

// kuberuntime_container.go killContainer with termination_ordering.go
// newTerminationOrdering/waitForTurn: sidecars stop after the app containers, in
// reverse order, out of the remaining grace period (at least 2 s); pkg/api/v1/pod
// FindPort resolves a Service's named targetPort in sidecars too.
#[test]
fn sidecars_stop_after_the_app_and_serve_named_ports() {
    let v = json(&[&fixture("simulate/kubelet/sidecar-termination.yaml")]);
    let pods = v["pods"].as_array().unwrap();
    let old = pods.iter().find(|p| !p["deletedAt"].is_null()).unwrap();
    // The app (`sleep infinity`) is killed at 30 s; the proxy's turn comes then and
    // it gets the 2 s minimum, the log shipper's after it (also out of grace): 32 s.
    assert_eq!(old["goneAt"].as_f64().unwrap() - old["deletedAt"].as_f64().unwrap(), 32.0);
    // The proxy's readiness probe on its own named port passes; the Service's
    // named targetPort is the sidecar's port.
    let new = pods.iter().find(|p| p["deletedAt"].is_null()).unwrap();
    assert_eq!(new["ready"], true);
    let endpoint = &v["services"][0]["endpoints"][0];
    assert_eq!(endpoint["pod"], new["name"]);
    assert_eq!(endpoint["ports"][0]["port"], 15001);
}

// pkg/kubelet/images/image_manager.go EnsureImageExists and puller.go
// serialImagePuller (serializeImagePulls defaults to true): one pull at a time per node.
snapshot!(image_pulls_serialized_per_node, &fixture("simulate/kubelet/image-pulls.yaml"), "--timeline");

#[test]
fn image_pulls_wait_for_each_other_on_one_node() {
    let v = json(&[&fixture("simulate/kubelet/image-pulls.yaml")]);
    let pulled = |pod: &str| {
        let object = format!("pod/{pod}");
        let e = v["events"].as_array().unwrap().iter().find(|e| e["object"] == object && e["reason"] == "Pulled");
        let e = e.unwrap();
        (e["time"].as_f64().unwrap(), e["message"].as_str().unwrap().to_string())
    };
    assert_eq!(pulled("api"), (18.0, "Successfully pulled image \"nginx:1.27\" in 17s (17s including waiting)".into()));
    assert_eq!(
        pulled("cache"),
        (35.0, "Successfully pulled image \"redis:7.4\" in 17s (34s including waiting)".into())
    );
    // api-2 asked after cache, so it waits for both pulls (the queue is first come,
    // first served) and then takes no time: the image is on the node by then.
    assert_eq!(
        pulled("api-2"),
        (35.0, "Successfully pulled image \"nginx:1.27\" in 0s (34s including waiting)".into())
    );
    assert_eq!(pulled("elsewhere").0, 18.0);
    // --timing zero: no pull takes time, so nothing waits.
    let v = json(&[&fixture("simulate/kubelet/image-pulls.yaml"), "--timing", "zero"]);
    assert_eq!(v["time"], 0.0);
}

// pkg/apis/batch/v1 SetDefaults_Job (podReplacementPolicy Failed with a
// podFailurePolicy) and pkg/controller/job manageJob (onlyReplaceFailedPods:
// Terminating Pods are not replaced until gone).
#[test]
fn job_with_pod_failure_policy_waits_for_terminating_pods() {
    let v = json(&[
        &fixture("simulate/kubelet/job-replacement.yaml"),
        "--fail",
        "waits=1:evicted",
        "--fail",
        "eager=1:evicted",
    ]);
    let pods = |job: &str| -> Vec<Value> {
        v["pods"].as_array().unwrap().iter().filter(|p| p["owner"]["name"] == job).cloned().collect()
    };
    for job in ["waits", "eager"] {
        assert_eq!(pods(job).len(), 2, "{job}");
    }
    let (first, second) = (&pods("waits")[0], &pods("waits")[1]);
    // `sleep` ignores SIGTERM: the evicted Pod is Terminating for the 30 s grace
    // period, and the replacement comes when it is gone.
    assert_eq!(first["goneAt"].as_f64().unwrap() - first["deletedAt"].as_f64().unwrap(), 30.0);
    assert_eq!(second["createdAt"], first["goneAt"]);
    let (first, second) = (&pods("eager")[0], &pods("eager")[1]);
    assert_eq!(second["createdAt"], first["deletedAt"]);
    assert!(v["notModelled"].as_array().unwrap().is_empty());
}

// pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler: below
// minReplicas → minReplicas, above maxReplicas → maxReplicas, 0 → ScalingDisabled.
snapshot!(hpa_bounds_on_deployments, &fixture("simulate/kubelet/hpa.yaml"), "--timeline");

#[test]
fn hpa_bounds_set_deployment_replicas() {
    let v = json(&[&fixture("simulate/kubelet/hpa.yaml")]);
    let workload = |name: &str| v["workloads"].as_array().unwrap().iter().find(|w| w["name"] == name).unwrap().clone();
    assert_eq!(workload("web")["replicas"], 3);
    assert_eq!(workload("batch")["replicas"], 2);
    assert_eq!(workload("parked")["replicas"], 0);
    let rescales: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "SuccessfulRescale")
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        rescales,
        [
            "New size: 3; reason: Current number of replicas below Spec.MinReplicas",
            "New size: 2; reason: Current number of replicas above Spec.MaxReplicas"
        ]
    );
    let running = v["pods"].as_array().unwrap().iter().filter(|p| p["deletedAt"].is_null()).count();
    assert_eq!(running, 5);
    let fields: Vec<&str> = strings(&v["notModelled"], "field");
    assert_eq!(fields, ["spec.metrics"; 3]);
}
