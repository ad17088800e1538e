//! The seed's `kubectl get pods` and `kubectl describe pod` steps (App Down): which app pods are
//! not running and ready, and why.

use super::{desired_replicas, name_of, AppWorkloads};
use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::settings::Settings;
use crate::types::sign::Sign;
use crate::types::KubePermissions;
use std::sync::Arc;

pub const LEVELS: &[&Level] = &[];

/// What `read` asks the API server: the app's workloads.
pub const KUBE_PERMISSIONS: KubePermissions =
    &[crate::discovery::permissions::WORKLOADS_PERMISSIONS];

/// Unhealthy pods shown by name, the worst first; the rest are counted by problem.
const SHOWN: usize = 10;

/// The app's deployments and their pods (folded), as read once for the run.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub workloads: Arc<AppWorkloads>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    Ok(Snapshot {
        workloads: r.app_workloads().await?,
    })
}

/// Critical when a deployment that wants pods has none ready; warning for any unhealthy pod.
/// The fold decides (restarts are counted from `kubernetes.restart_warning` as it was read).
pub fn assess(s: &Snapshot, _settings: &Settings) -> CheckOutcome {
    let mut unhealthy = 0usize;
    let mut total = 0usize;
    let mut without_ready_pod = Vec::new();
    let mut samples = Vec::new();
    for w in s.workloads.iter() {
        let Some(deployment) = &w.deployment else {
            continue;
        };
        if w.pods.ready == 0 && desired_replicas(deployment) > 0 {
            without_ready_pod.push(w.name.clone());
        }
        total += w.pods.total;
        unhealthy += w.pods.unhealthy;
        samples.extend(w.pods.unhealthy_samples());
    }
    // Across deployments, the worst first (each fold's samples are in that order already).
    samples.sort_by(|a, b| b.rank().cmp(a.rank()));
    let mut evidence: Vec<String> = samples
        .iter()
        .take(SHOWN)
        .map(|sample| {
            let problems: Vec<&str> = sample.problems.iter().map(|p| p.text.as_str()).collect();
            format!("{}: {}", name_of(&sample.pod.metadata), problems.join(", "))
        })
        .collect();
    if unhealthy > evidence.len() {
        for w in s.workloads.iter().filter(|w| w.pods.unhealthy > 0) {
            evidence.push(format!(
                "{}: {} unhealthy pods of {}: {}",
                w.name,
                w.pods.unhealthy,
                w.pods.total,
                w.pods.reasons_text()
            ));
        }
    }
    let (status, summary) = if !without_ready_pod.is_empty() {
        (
            Status::Critical,
            format!("no ready pod for {}", without_ready_pod.join(", ")),
        )
    } else if unhealthy > 0 {
        (
            Status::Warning,
            format!("{unhealthy} of {total} app pods unhealthy"),
        )
    } else {
        (
            Status::Ok,
            format!("all {total} app pods running and ready"),
        )
    };
    // The signs of the worst pods kept by the fold (the most restarts first): a crash loop or
    // an OOM kill shows in them when it shows anywhere worth ranking.
    let signs = s
        .workloads
        .iter()
        .flat_map(|w| w.pods.samples.iter())
        .flat_map(|sample| container_signs(&sample.pod));
    Ok(Finding::new(status, summary)
        .value(unhealthy as f64, "unhealthy pods")
        .evidence(evidence)
        .signs(signs))
}

/// A pod's containers crash-looping or last killed for memory, with their last exit.
fn container_signs(pod: &k8s_openapi::api::core::v1::Pod) -> Vec<Sign> {
    let name = name_of(&pod.metadata).to_string();
    let statuses = pod
        .status
        .iter()
        .flat_map(|s| s.container_statuses.iter().flatten());
    let mut out = Vec::new();
    for cs in statuses {
        let last = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref());
        let at = last.and_then(|t| t.finished_at.as_ref()).map(|t| t.0);
        let waiting = cs.state.as_ref().and_then(|s| s.waiting.as_ref());
        if waiting.and_then(|w| w.reason.as_deref()) == Some("CrashLoopBackOff") {
            out.push(Sign::CrashLoop {
                pod: name.clone(),
                container: cs.name.clone(),
                restarts: cs.restart_count,
                at,
            });
        }
        if last.and_then(|t| t.reason.as_deref()) == Some("OOMKilled") {
            out.push(Sign::OomKilled {
                pod: name.clone(),
                container: cs.name.clone(),
                at,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::checks::k8s::fixtures::{deployment, pod, PodState};
    use crate::discovery::{AppWorkload, PodFold};

    fn snapshot(workloads: Vec<AppWorkload>) -> Snapshot {
        Snapshot {
            workloads: Arc::new(AppWorkloads::from(workloads)),
        }
    }

    fn backend(pods: Vec<k8s_openapi::api::core::v1::Pod>) -> AppWorkload {
        backend_with(pods, 5)
    }

    fn backend_with(pods: Vec<k8s_openapi::api::core::v1::Pod>, restarts: i32) -> AppWorkload {
        AppWorkload {
            name: "backend".into(),
            deployment: Some(deployment("backend", 2, 2)),
            pods: PodFold::of(pods, restarts),
        }
    }

    #[test]
    fn ready_pods_are_ok() {
        let s = snapshot(vec![backend(vec![
            pod("backend-1", PodState::Ready),
            pod("backend-2", PodState::Ready),
        ])]);
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "all 2 app pods running and ready");
        assert_eq!(f.value, Some(0.0));
        // The VALUE column counts the unhealthy ones, and says so.
        assert_eq!(f.unit, Some("unhealthy pods"));
        assert!(f.evidence.is_empty());
    }

    #[test]
    fn a_crash_looping_pod_beside_a_ready_one_is_a_warning_with_its_reason() {
        let s = snapshot(vec![backend(vec![
            pod("backend-1", PodState::Ready),
            pod("backend-2", PodState::CrashLoop { restarts: 7 }),
        ])]);
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.summary, "1 of 2 app pods unhealthy");
        assert_eq!(
            f.evidence,
            vec!["backend-2: app: CrashLoopBackOff, app: 7 restarts, not ready"]
        );
    }

    #[test]
    fn restarts_count_from_the_configured_level() {
        let settings = default_settings();
        let pods = || {
            vec![
                pod("backend-1", PodState::Restarted { restarts: 4 }),
                pod("backend-2", PodState::Ready),
            ]
        };
        let s = snapshot(vec![backend_with(pods(), 5)]);
        assert_eq!(assess(&s, &settings).unwrap().status, Status::Ok);
        let s = snapshot(vec![backend_with(pods(), 4)]);
        let f = assess(&s, &settings).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.evidence, vec!["backend-1: app: 4 restarts"]);
    }

    #[test]
    fn many_unhealthy_pods_show_the_worst_by_name_and_the_rest_by_problem() {
        let mut pods: Vec<_> = (0..3000)
            .map(|i| pod(&format!("backend-{i:04}"), PodState::Ready))
            .collect();
        pods.extend((0..40).map(|i| {
            pod(
                &format!("crash-{i:02}"),
                PodState::CrashLoop { restarts: i },
            )
        }));
        pods.extend((0..30).map(|i| pod(&format!("pull-{i:02}"), PodState::ImagePull)));
        let f = assess(&snapshot(vec![backend(pods)]), &default_settings()).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.summary, "70 of 3070 app pods unhealthy");
        assert_eq!(f.evidence.len(), SHOWN + 1);
        assert!(f.evidence[0].starts_with("crash-39: "), "{:?}", f.evidence);
        assert_eq!(
            f.evidence[SHOWN],
            "backend: 70 unhealthy pods of 3070: CrashLoopBackOff 40, not ready 40, 5+ restarts 35, ImagePullBackOff 30, phase Pending 30"
        );
    }

    #[test]
    fn no_ready_pod_is_critical() {
        let s = snapshot(vec![backend(vec![
            pod("backend-1", PodState::ImagePull),
            pod("backend-2", PodState::OomKilled),
        ])]);
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "no ready pod for backend");
        assert_eq!(f.value, Some(2.0));
        assert_eq!(
            f.evidence,
            // The worst first: the one that restarted.
            vec![
                "backend-2: app: last exit OOMKilled, not ready",
                "backend-1: phase Pending, app: ImagePullBackOff",
            ]
        );
    }

    #[test]
    fn a_missing_deployment_is_left_to_the_deployments_check() {
        let s = snapshot(vec![AppWorkload {
            name: "frontend".into(),
            deployment: None,
            pods: PodFold::default(),
        }]);
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "all 0 app pods running and ready");
    }
}
