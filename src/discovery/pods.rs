//! The app's pods, folded as they are read: counts by state and by problem, the worst few pods
//! kept as samples (the most restarts, the oldest not ready), and each container's limits.
//! Memory is that of the samples, whatever the deployment's size (a deployment of 20,000
//! replicas is read in one streamed answer, one pod at a time), and every check that looks at
//! the app's pods (k8s.pods, k8s.pod_resources, k8s.log_errors, the evidence bundle) judges
//! from the fold.

use k8s_openapi::api::core::v1::Pod;
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// Pods kept whole (as `clients::kube::pod::kept_of_pod` reduces them): enough for the
/// evidence and for the logs k8s.log_errors reads of each deployment.
pub const SAMPLES: usize = 20;

/// One thing wrong with a pod: how evidence says it, and the reason it is counted under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodProblem {
    /// `app: CrashLoopBackOff`, `app: 7 restarts`, `not ready`.
    pub text: String,
    /// The same without the container or the number: `CrashLoopBackOff`, `5+ restarts`.
    pub reason: String,
}

impl PodProblem {
    fn new(text: impl Into<String>, reason: impl Into<String>) -> Self {
        PodProblem {
            text: text.into(),
            reason: reason.into(),
        }
    }
}

/// What is wrong with a pod, if anything; `restart_warning` restarts of a container count.
pub fn pod_problems(pod: &Pod, restart_warning: i32) -> Vec<PodProblem> {
    let mut problems = Vec::new();
    let Some(status) = &pod.status else {
        return vec![PodProblem::new("no status", "no status")];
    };
    let phase = status.phase.as_deref().unwrap_or("Unknown");
    if phase != "Running" && phase != "Succeeded" {
        let text = format!("phase {phase}");
        problems.push(PodProblem::new(text.clone(), text));
    }
    for cs in status.container_statuses.iter().flatten() {
        let state = cs.state.as_ref();
        if let Some(reason) = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.as_deref())
        {
            problems.push(PodProblem::new(format!("{}: {reason}", cs.name), reason));
        }
        if let Some(t) = state.and_then(|s| s.terminated.as_ref()) {
            let reason = t.reason.as_deref().unwrap_or("?");
            problems.push(PodProblem::new(
                format!("{}: terminated ({reason}, exit {})", cs.name, t.exit_code),
                format!("terminated ({reason})"),
            ));
        }
        if let Some(t) = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
            if t.reason.as_deref() == Some("OOMKilled") {
                problems.push(PodProblem::new(
                    format!("{}: last exit OOMKilled", cs.name),
                    "last exit OOMKilled",
                ));
            }
        }
        if cs.restart_count >= restart_warning {
            problems.push(PodProblem::new(
                format!("{}: {} restarts", cs.name, cs.restart_count),
                format!("{restart_warning}+ restarts"),
            ));
        }
    }
    if !is_ready(pod) && phase == "Running" {
        problems.push(PodProblem::new("not ready", "not ready"));
    }
    problems
}

pub fn is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|conds| {
            conds
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True")
        })
}

/// The pod's state as `kubectl get pods` would show it: a container's waiting or terminated
/// reason, else the phase (a running pod that is not ready says so).
pub fn state_of(pod: &Pod) -> String {
    let Some(status) = &pod.status else {
        return "Unknown".into();
    };
    let container_reason = status.container_statuses.iter().flatten().find_map(|cs| {
        let s = cs.state.as_ref()?;
        s.waiting
            .as_ref()
            .and_then(|w| w.reason.clone())
            .or_else(|| s.terminated.as_ref().and_then(|t| t.reason.clone()))
    });
    if let Some(reason) = container_reason {
        return reason;
    }
    match status.phase.as_deref().unwrap_or("Unknown") {
        "Running" if !is_ready(pod) => "Running, not ready".into(),
        phase => phase.to_string(),
    }
}

/// A container's limits as its pods carry them (Kubernetes quantities); None: no limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    pub cpu: Option<String>,
    pub memory: Option<String>,
}

fn limits_of(c: &k8s_openapi::api::core::v1::Container) -> Option<Limits> {
    let limits = c.resources.as_ref()?.limits.as_ref()?;
    Some(Limits {
        cpu: limits.get("cpu").map(|q| q.0.clone()),
        memory: limits.get("memory").map(|q| q.0.clone()),
    })
}

/// Each container's limits: those of the first pod seen, and the pods whose differ (a rollout
/// in progress). Exact per pod, and as small as the pods that differ.
#[derive(Debug, Clone, Default)]
pub struct ContainerLimits {
    usual: BTreeMap<String, Option<Limits>>,
    differing: BTreeMap<(String, String), Option<Limits>>,
}

impl ContainerLimits {
    fn add(&mut self, pod_name: &str, pod: &Pod) {
        for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
            let limits = limits_of(c);
            match self.usual.get(&c.name) {
                None => {
                    self.usual.insert(c.name.clone(), limits);
                }
                Some(usual) if *usual == limits => {}
                Some(_) => {
                    self.differing
                        .insert((pod_name.to_string(), c.name.clone()), limits);
                }
            }
        }
    }

    /// The limits of `container` in `pod`; None when it has none (or is not the app's).
    pub fn of(&self, pod: &str, container: &str) -> Option<&Limits> {
        match self
            .differing
            .get(&(pod.to_string(), container.to_string()))
        {
            Some(limits) => limits.as_ref(),
            None => self.usual.get(container)?.as_ref(),
        }
    }

    /// Whether the container belongs to the app's pods at all.
    pub fn knows(&self, container: &str) -> bool {
        self.usual.contains_key(container)
    }
}

/// A pod kept as a sample, with what is wrong with it.
#[derive(Debug, Clone)]
pub struct Sample {
    pub pod: Pod,
    pub problems: Vec<PodProblem>,
    rank: Rank,
}

/// Worse is greater: unhealthy, then the most restarts, then not ready, then the oldest, then
/// by name.
pub type Rank = (bool, i32, bool, Reverse<i64>, Reverse<String>);

impl Sample {
    pub fn rank(&self) -> &Rank {
        &self.rank
    }
}

fn rank_of(pod: &Pod, problems: &[PodProblem]) -> Rank {
    let restarts = pod
        .status
        .iter()
        .flat_map(|s| s.container_statuses.iter().flatten())
        .map(|c| c.restart_count)
        .max()
        .unwrap_or(0);
    let created = pod
        .metadata
        .creation_timestamp
        .as_ref()
        .map_or(i64::MAX, |t| t.0.as_second());
    (
        !problems.is_empty(),
        restarts,
        !is_ready(pod),
        Reverse(created),
        Reverse(pod.metadata.name.clone().unwrap_or_default()),
    )
}

/// The app's pods of one workload, folded.
#[derive(Debug, Clone, Default)]
pub struct PodFold {
    pub total: usize,
    pub ready: usize,
    /// Pods with at least one problem.
    pub unhealthy: usize,
    /// Pods by state (`Running`, `CrashLoopBackOff`, `Pending`, …).
    pub by_state: BTreeMap<String, usize>,
    /// Unhealthy pods by problem (a pod counts once under each of its reasons).
    pub by_reason: BTreeMap<String, usize>,
    /// The worst pods, worst first, at most `SAMPLES`.
    pub samples: Vec<Sample>,
    pub limits: ContainerLimits,
}

impl PodFold {
    /// Counts one pod, keeping it when it is among the worst.
    pub fn add(&mut self, pod: Pod, restart_warning: i32) {
        let problems = pod_problems(&pod, restart_warning);
        let name = pod.metadata.name.clone().unwrap_or_default();
        self.total += 1;
        if is_ready(&pod) {
            self.ready += 1;
        }
        *self.by_state.entry(state_of(&pod)).or_default() += 1;
        if !problems.is_empty() {
            self.unhealthy += 1;
            let mut reasons: Vec<&str> = problems.iter().map(|p| p.reason.as_str()).collect();
            reasons.sort_unstable();
            reasons.dedup();
            for reason in reasons {
                *self.by_reason.entry(reason.to_string()).or_default() += 1;
            }
        }
        self.limits.add(&name, &pod);
        let rank = rank_of(&pod, &problems);
        let position = self.samples.partition_point(|s| s.rank > rank);
        if position < SAMPLES {
            self.samples.insert(
                position,
                Sample {
                    pod,
                    problems,
                    rank,
                },
            );
            self.samples.truncate(SAMPLES);
        }
    }

    /// The fold of a list of pods (the unit tests' way in).
    pub fn of(pods: Vec<Pod>, restart_warning: i32) -> Self {
        let mut fold = PodFold::default();
        for pod in pods {
            fold.add(pod, restart_warning);
        }
        fold
    }

    /// The unhealthy samples, worst first.
    pub fn unhealthy_samples(&self) -> impl Iterator<Item = &Sample> {
        self.samples.iter().filter(|s| !s.problems.is_empty())
    }

    /// `CrashLoopBackOff 120, not ready 130`: the problems by how many pods have them, most
    /// first.
    pub fn reasons_text(&self) -> String {
        let mut reasons: Vec<(&String, &usize)> = self.by_reason.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        reasons
            .iter()
            .map(|(reason, n)| format!("{reason} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, ready: bool, restarts: i32, created: &str, cpu: &str) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": name, "creationTimestamp": created},
            "spec": {"containers": [{"name": "app", "resources": {"limits": {"cpu": cpu}}}]},
            "status": {"phase": "Running",
                "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}],
                "containerStatuses": [{"name": "app", "ready": ready, "restartCount": restarts,
                    "image": "a", "imageID": "", "state": {"running": {}}}]}
        }))
        .unwrap()
    }

    /// A pod read from a list's text is the pod parsed whole and then kept: the same fields,
    /// whatever the server sends.

    #[test]
    fn the_worst_pods_are_kept_and_every_pod_is_counted() {
        let mut fold = PodFold::default();
        for i in 0..1000 {
            fold.add(
                pod(&format!("ok-{i:04}"), true, 0, "2026-01-02T00:00:00Z", "1"),
                5,
            );
        }
        fold.add(
            pod("young-unready", false, 0, "2026-01-03T00:00:00Z", "1"),
            5,
        );
        fold.add(pod("old-unready", false, 0, "2026-01-01T00:00:00Z", "1"), 5);
        fold.add(pod("restarts", true, 9, "2026-01-02T00:00:00Z", "2"), 5);
        assert_eq!((fold.total, fold.ready, fold.unhealthy), (1003, 1001, 3));
        assert_eq!(fold.samples.len(), SAMPLES);
        let names: Vec<&str> = fold
            .unhealthy_samples()
            .map(|s| s.pod.metadata.name.as_deref().unwrap())
            .collect();
        assert_eq!(names, ["restarts", "old-unready", "young-unready"]);
        assert_eq!(fold.reasons_text(), "not ready 2, 5+ restarts 1");
        assert_eq!(fold.by_state["Running, not ready"], 2);
        assert_eq!(fold.by_state["Running"], 1001);
        // The usual limits, and the one pod whose differ.
        assert_eq!(
            fold.limits.of("ok-0001", "app").unwrap().cpu.as_deref(),
            Some("1")
        );
        assert_eq!(
            fold.limits.of("restarts", "app").unwrap().cpu.as_deref(),
            Some("2")
        );
        assert!(fold.limits.of("ok-0001", "sidecar").is_none());
    }
}
