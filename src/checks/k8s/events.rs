//! The seed's `kubectl get events --sort-by='.lastTimestamp'` step: Warning events of the last
//! hour (configurable), newest first, with the most frequent reasons in the summary.

use super::event_time;
use crate::checks::{fmt_age, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::clients::kube::kube_error;
use crate::output::redact;
use crate::settings::Settings;
use crate::types::{KubePermission, KubePermissions};
use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, ListParams};
use std::collections::BTreeMap;

pub const LEVELS: &[&Level] = &[];

/// What `read` asks the API server: the namespace's events.
pub const KUBE_PERMISSIONS: KubePermissions = &[WARNING_EVENTS_PERMISSIONS];

/// What [`fold`] asks: the namespace's events (k8s.recent_changes reads them too).
pub const WARNING_EVENTS_PERMISSIONS: &[KubePermission] =
    &[KubePermission::namespaced("list", "", "events")];

/// Evidence lines shown: the newest events.
const SHOWN: usize = 10;

/// The namespace's events other than Normal, folded page by page into what the checks use:
/// memory is bounded by `SHOWN`, not by the namespace (a large one holds tens of thousands).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Within `events_window`: how many, by reason, and the newest `SHOWN` (newest first).
    pub recent: usize,
    pub reasons: BTreeMap<String, usize>,
    pub newest: Vec<(jiff::Timestamp, Event)>,
    /// The earliest Warning event within `changes_window` (k8s.recent_changes' reference).
    pub first_warning: Option<jiff::Timestamp>,
    /// Reading stopped before the last page (the API server too slow for the check's
    /// timeout): the counts are of what was read.
    pub incomplete: bool,
}

impl Snapshot {
    /// Adds one event: counted when it is within the window, kept when among the newest.
    pub fn add(&mut self, e: Event, settings: &Settings) {
        let Some(at) = event_time(&e) else { return };
        let now = settings.now().as_second();
        let age = now - at.as_second();
        let changes = settings.kubernetes.changes_window.0.as_secs() as i64;
        if e.type_.as_deref() == Some("Warning") && age <= changes {
            self.first_warning = Some(self.first_warning.map_or(at, |t| t.min(at)));
        }
        if age as f64 > settings.kubernetes.events_window.0.as_secs_f64() {
            return;
        }
        self.recent += 1;
        *self
            .reasons
            .entry(e.reason.clone().unwrap_or_else(|| "?".into()))
            .or_default() += 1;
        let position = self.newest.partition_point(|(t, _)| *t >= at);
        if position < SHOWN {
            self.newest.insert(position, (at, e));
            self.newest.truncate(SHOWN);
        }
    }

    /// The snapshot of a list of events (the unit tests' way in).
    pub fn of(events: Vec<Event>, settings: &Settings) -> Self {
        let mut s = Snapshot::default();
        for e in events {
            s.add(e, settings);
        }
        s
    }
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    Ok((*r.warning_events().await?).clone())
}

/// Events asked for per page: the server scans the namespace's events to fill each page (the
/// type is not indexed), so pages bound the time of each request. Not smaller: each page
/// restarts the server's reading of etcd, and two pages of 1,000 cost a third more than one of
/// 2,000 (on kube-apiserver 1.20 with 20,000 events: 312 ms against 215 ms, etcd's CPU doubled).
const EVENTS_PAGE: u32 = 2500;

/// Reads the events page by page (the server filters out Normal ones) into a snapshot. A busy
/// API server with tens of thousands of events can take longer than the check may: reading
/// stops after 60 % of the timeout, and the snapshot says it is incomplete, rather than the
/// check timing out with nothing.
pub async fn fold(client: kube::Client, settings: &Settings) -> Result<Snapshot, CheckError> {
    let api = Api::<Event>::namespaced(client, &settings.namespace);
    let params = ListParams::default().fields("type!=Normal");
    let page = settings.kubernetes.page_size.min(EVENTS_PAGE);
    let deadline = std::time::Instant::now() + settings.timeout.0.mul_f64(0.6);
    let mut snapshot = Snapshot::default();
    let complete =
        crate::clients::kube::list::fold_until(&api, &params, page, deadline, |e: Event| {
            snapshot.add(e, settings)
        })
        .await
        .map_err(|e| kube_error(e, "list events"))?;
    snapshot.incomplete = !complete;
    Ok(snapshot)
}

/// Any Warning event within the window is a warning. Ages are on the run's clock
/// (INCIDENTCTL_NOW replays an incident), as every other age here.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let now = settings.now();
    let window_text = settings.kubernetes.events_window;
    let evidence: Vec<String> = s
        .newest
        .iter()
        .map(|(t, e)| describe(e, (now.as_second() - t.as_second()) as f64))
        .collect();
    let n = s.recent;
    let at_least = if s.incomplete { "at least " } else { "" };
    let finding = if n == 0 && !s.incomplete {
        Finding::ok(format!("no Warning events in the last {window_text}"))
    } else if n == 0 {
        Finding::new(
            Status::Unknown,
            "no Warning event among those read in the check's time (the API server answered too slowly to read them all)",
        )
    } else {
        Finding::new(
            Status::Warning,
            format!(
                "{at_least}{n} Warning events in the last {window_text}: {}",
                top_reasons(&s.reasons).join(", ")
            ),
        )
    };
    let mut evidence = evidence;
    if s.incomplete {
        evidence.push(
            "not every event was read: the API server answered too slowly for the check's timeout"
                .into(),
        );
    }
    Ok(finding.value(n as f64, "Warning events").evidence(evidence))
}

/// `2m ago BackOff Pod/backend-1: Back-off restarting failed container (x5)`, redacted.
fn describe(e: &Event, age_seconds: f64) -> String {
    let obj = format!(
        "{}/{}",
        e.involved_object.kind.as_deref().unwrap_or("?"),
        e.involved_object.name.as_deref().unwrap_or("?")
    );
    let count = e
        .count
        .filter(|c| *c > 1)
        .map(|c| format!(" (x{c})"))
        .unwrap_or_default();
    format!(
        "{} ago {} {obj}: {}{count}",
        fmt_age(age_seconds),
        e.reason.as_deref().unwrap_or("?"),
        redact::truncate(&redact::secrets(e.message.as_deref().unwrap_or("")), 160)
    )
}

/// The three most frequent reasons, most frequent first: `BackOff x4`.
fn top_reasons(reasons: &BTreeMap<String, usize>) -> Vec<String> {
    let mut top: Vec<(&String, &usize)> = reasons.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    top.iter()
        .take(3)
        .map(|(r, c)| format!("{r} x{c}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::checks::k8s::fixtures::object;
    use serde_json::json;

    fn event(reason: &str, last: &str, count: i32, message: &str) -> Event {
        object(json!({
            "metadata": {"name": format!("e-{reason}-{last}")},
            "involvedObject": {"kind": "Pod", "name": "backend-1"},
            "type": "Warning", "reason": reason, "message": message,
            "lastTimestamp": last, "count": count
        }))
    }

    fn settings_at(now: &str) -> Settings {
        let mut s = default_settings();
        s.now = Some(now.parse().unwrap());
        s
    }

    #[test]
    fn an_incomplete_read_says_at_least_and_finding_nothing_is_not_ok() {
        let settings = settings_at("2026-11-26T03:00:01Z");
        let mut s = Snapshot::of(
            vec![event("BackOff", "2026-11-26T02:59:00Z", 1, "x")],
            &settings,
        );
        s.incomplete = true;
        let f = assess(&s, &settings).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert!(
            f.summary.starts_with("at least 1 Warning events"),
            "{}",
            f.summary
        );
        assert!(f
            .evidence
            .last()
            .unwrap()
            .contains("not every event was read"));
        let f = assess(
            &Snapshot {
                incomplete: true,
                ..Snapshot::default()
            },
            &settings,
        )
        .unwrap();
        assert_eq!(f.status, Status::Unknown);
    }

    #[test]
    fn no_recent_warning_is_ok() {
        let settings = settings_at("2026-11-26T03:00:01Z");
        let s = Snapshot::of(
            vec![event("BackOff", "2026-11-26T01:00:00Z", 1, "old")],
            &settings,
        );
        let f = assess(&s, &settings).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "no Warning events in the last 1h");
        assert_eq!(f.value, Some(0.0));
    }

    #[test]
    fn the_window_edge_counts_and_newest_come_first() {
        let settings = settings_at("2026-11-26T03:00:00Z");
        let s = Snapshot::of(
            vec![
                // exactly one hour old: inside the window.
                event("FailedScheduling", "2026-11-26T02:00:00Z", 1, "0/1 nodes"),
                event("BackOff", "2026-11-26T02:58:00Z", 5, "Back-off restarting"),
                event(
                    "BackOff",
                    "2026-11-26T02:59:00Z",
                    1,
                    "token=abc123 rejected",
                ),
            ],
            &settings,
        );
        let f = assess(&s, &settings).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(
            f.summary,
            "3 Warning events in the last 1h: BackOff x2, FailedScheduling x1"
        );
        assert_eq!(
            f.evidence[0],
            "1m00s ago BackOff Pod/backend-1: token=*** rejected"
        );
        assert_eq!(
            f.evidence[1],
            "2m00s ago BackOff Pod/backend-1: Back-off restarting (x5)"
        );
        assert_eq!(
            f.evidence[2],
            "1h00m ago FailedScheduling Pod/backend-1: 0/1 nodes"
        );
    }
}
