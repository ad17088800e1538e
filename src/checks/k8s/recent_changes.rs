//! "What changed?": the app's rollouts within `kubernetes.changes_window` (6h): when, which
//! revision, and what differs from the revision before (images, environment variable names,
//! configmaps and secrets referenced; never a value). Put next to the first Warning event of
//! the window, a rollout shortly before the trouble began is the first suspect.

use crate::checks::{fmt_age, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::clients::kube::kube_error;
use crate::discovery::revisions::{differences, revisions};
use crate::settings::Settings;
use crate::types::sign::Sign;
use crate::types::KubePermissions;
use jiff::Timestamp;

pub const LEVELS: &[&Level] = &[];

/// What `read` asks the API server: the app's deployments, their ReplicaSets, and the first Warning event.
pub const KUBE_PERMISSIONS: KubePermissions = &[
    crate::discovery::permissions::WORKLOADS_PERMISSIONS,
    crate::discovery::revisions::REVISIONS_PERMISSIONS,
    super::events::WARNING_EVENTS_PERMISSIONS,
];

/// One rollout of an app deployment: a revision whose ReplicaSet was made in the window.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollout {
    pub deployment: String,
    pub revision: i64,
    pub at: Timestamp,
    /// What differs from the revision before (empty when that one is no longer kept).
    pub changes: Vec<String>,
    /// The revision before it, when it is still kept.
    pub previous: Option<i64>,
    /// A return to an earlier revision's ReplicaSet (a rollback): `at` is that ReplicaSet's
    /// creation, not when it was rolled out again.
    pub returned: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub rollouts: Vec<Rollout>,
    /// The earliest Warning event of the window, when there is one.
    pub first_warning: Option<Timestamp>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let settings = r.settings();
    let since = settings.now().as_second() - settings.kubernetes.changes_window.0.as_secs() as i64;
    let deployments = r.app_deployments().await?;
    let client = r.ctx.kube().await?;
    let mut rollouts = Vec::new();
    for (name, d) in deployments.list.iter() {
        let Some(d) = d else { continue };
        let kept = revisions(
            client.clone(),
            d,
            &settings.namespace,
            settings.kubernetes.page_size,
        )
        .await
        .map_err(|e| kube_error(e, &format!("list replicasets of deployment/{name}")))?;
        for (i, rev) in kept.iter().enumerate() {
            let Some(at) = rev.created.filter(|t| t.as_second() >= since) else {
                continue;
            };
            // Revision 1 is the deployment's creation, not a change of it.
            if rev.number <= 1 {
                continue;
            }
            let before = i.checked_sub(1).map(|p| &kept[p]);
            let returned = before.and_then(|b| b.created).is_some_and(|b| b > at);
            let changes = match before {
                Some(before) => differences(&before.template, &rev.template)
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                None => Vec::new(),
            };
            rollouts.push(Rollout {
                deployment: name.clone(),
                revision: rev.number,
                at,
                changes,
                previous: before.map(|b| b.number),
                returned,
            });
        }
    }
    let first_warning = r.warning_events().await?.first_warning;
    Ok(Snapshot {
        rollouts,
        first_warning,
    })
}

fn clock(t: Timestamp) -> String {
    t.strftime("%H:%M:%SZ").to_string()
}

/// Ok with the rollouts as evidence; a warning when a rollout came shortly before the first
/// Warning event of the window (within the window, before it): the change to look at first.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let window = settings.kubernetes.changes_window;
    let now = settings.now();
    let mut rollouts: Vec<&Rollout> = s.rollouts.iter().collect();
    rollouts.sort_by_key(|r| std::cmp::Reverse(r.at));
    let evidence: Vec<String> = rollouts
        .iter()
        .map(|r| {
            let what = if r.changes.is_empty() {
                "the revision before is no longer kept".to_string()
            } else {
                r.changes.join("; ")
            };
            format!(
                "{} revision {} at {} ({} ago): {what}",
                r.deployment,
                r.revision,
                clock(r.at),
                fmt_age((now.as_second() - r.at.as_second()) as f64)
            )
        })
        .collect();
    let n = rollouts.len();
    let suspect = s
        .first_warning
        .and_then(|first| rollouts.iter().find(|r| r.at <= first).map(|r| (r, first)));
    let finding = match (n, suspect) {
        (0, _) => Finding::ok(format!("no rollouts of the app in the last {window}")),
        (_, Some((r, first))) => Finding::new(
            Status::Warning,
            format!(
                "{} revision {} rolled out {} before the first Warning event ({}): incidentctl rollback {} shows what it would return to",
                r.deployment,
                r.revision,
                fmt_age((first.as_second() - r.at.as_second()) as f64),
                clock(first),
                r.deployment
            ),
        ),
        _ => Finding::ok(format!(
            "{n} rollout{} in the last {window}, none before a Warning event",
            if n == 1 { "" } else { "s" }
        )),
    };
    // A return to an earlier ReplicaSet is dated by that set's creation: no time to rank by.
    let signs = rollouts
        .iter()
        .filter(|r| !r.returned)
        .map(|r| Sign::Rollout {
            deployment: r.deployment.clone(),
            revision: r.revision,
            at: r.at,
            previous: r.previous,
            changes: r.changes.clone(),
        });
    Ok(finding
        .value(n as f64, "rollouts")
        .evidence(evidence)
        .signs(signs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn rollout(deployment: &str, revision: i64, t: &str) -> Rollout {
        Rollout {
            deployment: deployment.into(),
            revision,
            at: at(t),
            changes: vec!["image of backend: app:1 → app:2".into()],
            previous: Some(revision - 1),
            returned: false,
        }
    }

    fn settings() -> Settings {
        let mut s = crate::checks::default_settings();
        s.now = Some(at("2026-12-02T02:00:00Z"));
        s
    }

    #[test]
    fn a_rollout_before_the_first_warning_is_the_suspect() {
        let s = Snapshot {
            rollouts: vec![
                rollout("frontend", 3, "2026-12-02T00:30:00Z"),
                rollout("backend", 4, "2026-12-02T01:10:00Z"),
            ],
            first_warning: Some(at("2026-12-02T01:14:00Z")),
        };
        let f = assess(&s, &settings()).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert!(
            f.summary.starts_with("backend revision 4 rolled out 4m"),
            "{}",
            f.summary
        );
        assert_eq!(f.value, Some(2.0));
        assert!(
            f.evidence[0].starts_with("backend revision 4 at 01:10:00Z (50m"),
            "{:?}",
            f.evidence
        );
    }

    #[test]
    fn rollouts_after_the_trouble_or_none_are_ok() {
        let after = Snapshot {
            rollouts: vec![rollout("backend", 2, "2026-12-02T01:30:00Z")],
            first_warning: Some(at("2026-12-02T01:00:00Z")),
        };
        assert_eq!(assess(&after, &settings()).unwrap().status, Status::Ok);
        let none = assess(&Snapshot::default(), &settings()).unwrap();
        assert_eq!(none.status, Status::Ok);
        assert_eq!(none.summary, "no rollouts of the app in the last 6h");
    }
}
