//! The Security runbook's `kubectl logs deployment/nginx | grep -E "(403|401)"` and
//! `grep -i "security\|auth\|login"` steps: denied requests in the access logs and auth
//! failures in the app's logs.

use super::{compile, grep_logs, read_logs, PodLog, MAX_LOG_PODS_PER_DEPLOYMENT};
use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings};
use crate::clients::kube::kube_error;
use crate::settings::Settings;
use crate::types::{KubePermission, KubePermissions};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};

pub const AUTH_FAILURES: Level = Level::new(
    "auth_failures",
    10.0,
    100.0,
    "401/403 and auth-failure lines across the logs read",
);
pub const LEVELS: &[&Level] = &[&AUTH_FAILURES];

/// What `read` asks the API server: the app's pods and the access-log pods (by label), then the tail of each one's log.
pub const KUBE_PERMISSIONS: KubePermissions = &[
    crate::discovery::permissions::WORKLOADS_PERMISSIONS,
    &[KubePermission::namespaced("list", "", "pods")],
    super::LOG_PERMISSIONS,
];

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub app_logs: Vec<PodLog>,
    /// Logs of the pods matching `kubernetes.access_log_selector` (the seed's nginx).
    pub access_logs: Vec<PodLog>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let k = &r.settings().kubernetes;
    let ns = &r.settings().namespace;
    let client = r.ctx.kube().await?;
    // The access logs need nothing of the app's pods: read while they are folded.
    let access_logs = async {
        let mut access_pods: Vec<Pod> = Vec::new();
        crate::clients::kube::pod::list_cached_pods(
            &Api::<Pod>::namespaced(client.clone(), ns),
            &ListParams::default().labels(&k.access_log_selector),
            |p| access_pods.push(p),
        )
        .await
        .map_err(|e| kube_error(e, &format!("list pods {}", k.access_log_selector)))?;
        let access_pods = access_pods
            .iter()
            .take(MAX_LOG_PODS_PER_DEPLOYMENT)
            .collect();
        read_logs(client.clone(), ns, access_pods, k.log_tail_lines).await
    };
    let (app_logs, access_logs) = futures::join!(r.app_logs(), access_logs);
    Ok(Snapshot {
        app_logs: app_logs?.logs.clone(),
        access_logs: access_logs?,
    })
}

/// Judged on the total of both kinds of line.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let k = &settings.kubernetes;
    let auth = compile(&k.auth_pattern, "kubernetes.auth_pattern")?;
    let denied = compile(&k.access_denied_pattern, "kubernetes.access_denied_pattern")?;
    let (app_total, mut samples, _) = grep_logs(&s.app_logs, &auth, 2);
    let (access_total, access_samples, _) = grep_logs(&s.access_logs, &denied, 2);
    samples.extend(access_samples);
    let summary = format!(
        "{access_total} denied requests (401/403) in {} access log(s), {app_total} auth failures in app logs",
        s.access_logs.len()
    );
    Ok(Finding::measured(
        (app_total + access_total) as f64,
        "lines",
        settings.thresholds.level(&AUTH_FAILURES),
        summary,
    )
    .evidence(samples))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{default_settings, Status};

    fn log(pod: &str, text: String) -> PodLog {
        PodLog {
            pod: pod.into(),
            container: "app".into(),
            text,
        }
    }

    fn access(denied: usize) -> PodLog {
        let mut text = String::from("10.0.0.1 - - \"GET / HTTP/1.1\" 200 12\n");
        for i in 0..denied {
            text.push_str(&format!(
                "10.0.0.{i} - - \"GET /admin?token=s3cret HTTP/1.1\" 403 0\n"
            ));
        }
        log("nginx-1", text)
    }

    fn app(failures: usize) -> PodLog {
        let text = (0..failures)
            .map(|i| format!("WARN auth: login failed for user{i} password=hunter2\n"))
            .collect();
        log("backend-1", text)
    }

    fn assess_of(app_failures: usize, denied: usize) -> Finding {
        let s = Snapshot {
            app_logs: vec![app(app_failures)],
            access_logs: vec![access(denied)],
        };
        assess(&s, &default_settings()).unwrap()
    }

    #[test]
    fn a_few_failures_are_ok() {
        let f = assess_of(1, 2);
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "2 denied requests (401/403) in 1 access log(s), 1 auth failures in app logs"
        );
        assert_eq!(f.value, Some(3.0));
    }

    #[test]
    fn the_levels_apply_to_the_total() {
        assert_eq!(assess_of(5, 5).status, Status::Ok);
        assert_eq!(assess_of(5, 6).status, Status::Warning);
        assert_eq!(assess_of(50, 50).status, Status::Warning);
        assert_eq!(assess_of(50, 51).status, Status::Critical);
    }

    #[test]
    fn samples_are_redacted() {
        let f = assess_of(3, 1);
        assert_eq!(
            f.evidence,
            vec![
                "backend-1/app: WARN auth: login failed for user1 password=***",
                "backend-1/app: WARN auth: login failed for user2 password=***",
                "nginx-1/app: 10.0.0.0 - - \"GET /admin?token=*** HTTP/1.1\" 403 0",
            ]
        );
    }
}
