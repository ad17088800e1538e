//! The seed's `kubectl logs deployment/backend --tail=1000 | grep ERROR` step (High Error Rate),
//! for every app pod worth reading.

use super::{compile, grep_logs, PodLog};
use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::settings::Settings;
use crate::types::sign::Sign;
use crate::types::KubePermissions;

/// ERROR lines in the tail of one pod's log: any is a warning.
pub const LOG_ERRORS: Level =
    Level::new("log_errors", 0.0, 50.0, "error lines in one pod's log tail");
pub const LEVELS: &[&Level] = &[&LOG_ERRORS];

/// What `read` asks the API server: the app's pods, then the tail of each one's log.
pub const KUBE_PERMISSIONS: KubePermissions = &[
    crate::discovery::permissions::WORKLOADS_PERMISSIONS,
    super::LOG_PERMISSIONS,
];

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub logs: Vec<PodLog>,
    pub pods_read: usize,
    /// Healthy pods beyond the per-deployment limit, not read.
    pub pods_not_read: usize,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let read = r.app_logs().await?;
    Ok(Snapshot {
        logs: read.logs.clone(),
        pods_read: read.pods_read,
        pods_not_read: read.pods_not_read,
    })
}

/// The levels apply to the worst pod; the value shown is the total.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let k = &settings.kubernetes;
    let pattern = compile(&k.error_pattern, "kubernetes.error_pattern")?;
    let (total, samples, per_pod) = grep_logs(&s.logs, &pattern, 3);
    let worst = per_pod.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let threshold = settings.thresholds.level(&LOG_ERRORS);
    let summary = if total == 0 {
        format!(
            "no error lines in the last {} lines of {} pod(s)",
            k.log_tail_lines, s.pods_read
        )
    } else {
        let pods_text: Vec<String> = per_pod.iter().map(|(p, n)| format!("{p} {n}")).collect();
        format!("{total} error lines: {}", pods_text.join(", "))
    };
    let mut finding =
        Finding::measured(worst as f64, "lines", threshold, summary).evidence(samples);
    finding.value = Some(total as f64);
    finding.status = Status::of(worst as f64, threshold);
    finding.signs.extend(pool_exhausted(s));
    if s.pods_not_read > 0 {
        finding.evidence.push(format!(
            "read {} pods; {} healthy pods not read",
            s.pods_read, s.pods_not_read
        ));
    }
    Ok(finding)
}

/// What app logs say when the database connection pool is exhausted (clients' and the
/// server's own words, as apps log them).
const POOL_EXHAUSTED: &str = r"(?i)(connection pool (is )?exhausted|pool exhausted|too many (clients|connections)|remaining connection slots are reserved|timed? ?out (while )?acquiring (a )?connection)";

/// Log lines saying the app's database pool is exhausted, as a sign.
fn pool_exhausted(s: &Snapshot) -> Option<Sign> {
    let pattern = regex::Regex::new(POOL_EXHAUSTED).ok()?;
    let (lines, samples, per_pod) = grep_logs(&s.logs, &pattern, 1);
    (lines > 0).then(|| Sign::PoolExhausted {
        pods: per_pod.into_iter().map(|(p, _)| p).collect(),
        lines,
        sample: samples.into_iter().next().unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::types::Threshold;

    fn log(pod: &str, errors: usize, other: usize) -> PodLog {
        let mut text = String::new();
        for i in 0..other {
            text.push_str(&format!("INFO request {i} served\n"));
        }
        for i in 0..errors {
            text.push_str(&format!("ERROR payment {i} failed: password=hunter2\n"));
        }
        PodLog {
            pod: pod.into(),
            container: "app".into(),
            text,
        }
    }

    fn snapshot(logs: Vec<PodLog>) -> Snapshot {
        let pods_read = logs.len();
        Snapshot {
            logs,
            pods_read,
            pods_not_read: 0,
        }
    }

    #[test]
    fn clean_logs_are_ok() {
        let f = assess(
            &snapshot(vec![log("backend-1", 0, 20)]),
            &default_settings(),
        )
        .unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "no error lines in the last 1000 lines of 1 pod(s)"
        );
        assert_eq!(f.value, Some(0.0));
    }

    #[test]
    fn the_worst_pod_decides_and_the_total_is_shown() {
        let settings = default_settings();
        // 50 in one pod is at the critical level, not above it.
        let f = assess(
            &snapshot(vec![log("backend-1", 50, 5), log("backend-2", 30, 0)]),
            &settings,
        )
        .unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.value, Some(80.0));
        assert_eq!(
            f.summary,
            "80 error lines: backend-1/app 50, backend-2/app 30"
        );
        let f = assess(&snapshot(vec![log("backend-1", 51, 0)]), &settings).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.threshold, Some(Threshold::new(0.0, 50.0)));
    }

    #[test]
    fn samples_are_the_newest_three_per_pod_and_redacted() {
        let f = assess(&snapshot(vec![log("backend-1", 5, 0)]), &default_settings()).unwrap();
        assert_eq!(
            f.evidence,
            vec![
                "backend-1/app: ERROR payment 2 failed: password=***",
                "backend-1/app: ERROR payment 3 failed: password=***",
                "backend-1/app: ERROR payment 4 failed: password=***",
            ]
        );
        assert!(f.evidence.iter().all(|l| !l.contains("hunter2")));
    }

    #[test]
    fn a_configured_level_changes_the_verdict_and_unread_pods_are_said() {
        let mut settings = default_settings();
        settings
            .thresholds
            .0
            .insert("log_errors".into(), Threshold::new(5.0, 10.0));
        let mut s = snapshot(vec![log("backend-1", 5, 0)]);
        s.pods_not_read = 4;
        let f = assess(&s, &settings).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.evidence.last().map(String::as_str),
            Some("read 1 pods; 4 healthy pods not read")
        );
    }
}
