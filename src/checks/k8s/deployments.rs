//! The seed's `kubectl get deployments` step (App Down): available against desired replicas.

use super::{desired_replicas, AppWorkloads};
use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::settings::Settings;
use crate::types::KubePermissions;
use std::sync::Arc;

pub const LEVELS: &[&Level] = &[];

/// What `read` asks the API server: the app's workloads.
pub const KUBE_PERMISSIONS: KubePermissions =
    &[crate::discovery::permissions::WORKLOADS_PERMISSIONS];

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub workloads: Arc<AppWorkloads>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    Ok(Snapshot {
        workloads: r.app_workloads().await?,
    })
}

/// Critical for a deployment missing or with none available; warning for fewer than desired
/// or scaled to zero.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let mut status = Status::Ok;
    let mut evidence = Vec::new();
    let mut problems = Vec::new();
    for w in s.workloads.iter() {
        let Some(d) = &w.deployment else {
            status = Status::Critical;
            problems.push(format!("{} not found", w.name));
            evidence.push(format!(
                "deployment {} not found in namespace {}",
                w.name, settings.namespace
            ));
            continue;
        };
        let desired = desired_replicas(d);
        let st = d.status.clone().unwrap_or_default();
        let available = st.available_replicas.unwrap_or(0);
        evidence.push(format!(
            "{}: {available}/{desired} available (ready {}, updated {})",
            w.name,
            st.ready_replicas.unwrap_or(0),
            st.updated_replicas.unwrap_or(0)
        ));
        if desired == 0 {
            status = status.max(Status::Warning);
            problems.push(format!("{} scaled to 0", w.name));
        } else if available == 0 {
            status = Status::Critical;
            problems.push(format!("{} has 0/{desired} available", w.name));
        } else if available < desired {
            status = status.max(Status::Warning);
            problems.push(format!("{} has {available}/{desired} available", w.name));
        }
    }
    if let Some(how) = &s.workloads.how {
        evidence.insert(0, format!("deployments not configured: {how}"));
    }
    if s.workloads.is_empty() {
        return Ok(Finding::new(
            Status::Unknown,
            format!("no deployment in namespace {}", settings.namespace),
        )
        .evidence(evidence));
    }
    let summary = if problems.is_empty() {
        format!("{} deployments at desired replicas", s.workloads.len())
    } else {
        problems.join("; ")
    };
    Ok(Finding::new(status, summary).evidence(evidence))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::checks::k8s::fixtures::deployment;
    use crate::discovery::AppWorkload;

    fn workload(name: &str, desired: i32, available: i32) -> AppWorkload {
        AppWorkload {
            name: name.into(),
            deployment: Some(deployment(name, desired, available)),
            pods: crate::discovery::PodFold::default(),
        }
    }

    fn assess_of(workloads: Vec<AppWorkload>) -> Finding {
        assess(
            &Snapshot {
                workloads: Arc::new(AppWorkloads::from(workloads)),
            },
            &default_settings(),
        )
        .unwrap()
    }

    #[test]
    fn all_available_is_ok() {
        let f = assess_of(vec![workload("backend", 3, 3), workload("frontend", 2, 2)]);
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "2 deployments at desired replicas");
        assert_eq!(
            f.evidence,
            vec![
                "backend: 3/3 available (ready 3, updated 3)",
                "frontend: 2/2 available (ready 2, updated 2)"
            ]
        );
    }

    #[test]
    fn one_short_is_a_warning_and_none_available_is_critical() {
        let f = assess_of(vec![workload("backend", 3, 2)]);
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.summary, "backend has 2/3 available");
        let f = assess_of(vec![workload("backend", 3, 2), workload("frontend", 2, 0)]);
        assert_eq!(f.status, Status::Critical);
        assert_eq!(
            f.summary,
            "backend has 2/3 available; frontend has 0/2 available"
        );
    }

    #[test]
    fn found_deployments_say_how_and_none_at_all_cannot_tell() {
        let found = AppWorkloads {
            list: vec![workload("api", 2, 2)],
            how: Some(
                "backend, frontend not found: using every deployment of the namespace".into(),
            ),
        };
        let f = assess(
            &Snapshot {
                workloads: Arc::new(found),
            },
            &default_settings(),
        )
        .unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.evidence[0],
            "deployments not configured: backend, frontend not found: using every deployment of the namespace"
        );
        let none = AppWorkloads {
            list: Vec::new(),
            how: Some("no deployment in the namespace".into()),
        };
        let f = assess(
            &Snapshot {
                workloads: Arc::new(none),
            },
            &default_settings(),
        )
        .unwrap();
        assert_eq!(f.status, Status::Unknown);
        assert_eq!(f.summary, "no deployment in namespace reconciliation");
    }

    #[test]
    fn scaled_to_zero_is_a_warning_and_missing_is_critical() {
        assert_eq!(
            assess_of(vec![workload("backend", 0, 0)]).summary,
            "backend scaled to 0"
        );
        let f = assess_of(vec![AppWorkload {
            name: "frontend".into(),
            deployment: None,
            pods: crate::discovery::PodFold::default(),
        }]);
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "frontend not found");
        assert_eq!(
            f.evidence,
            vec!["deployment frontend not found in namespace reconciliation"]
        );
    }
}
