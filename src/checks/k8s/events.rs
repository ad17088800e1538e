//! The seed's `kubectl get events --sort-by='.lastTimestamp'` step: Warning events of the last
//! hour (configurable), newest first, with the most frequent reasons in the summary.

use super::event_time;
use crate::checks::{fmt_age, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::context::kube_error;
use crate::redact;
use crate::settings::Settings;
use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, ListParams};
use std::collections::BTreeMap;

pub const LEVELS: &[&Level] = &[];

/// Evidence lines shown: the newest events.
const SHOWN: usize = 10;

#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The namespace's events other than Normal, as listed.
    pub events: Vec<Event>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let client = r.ctx.kube().await?;
    let api = Api::<Event>::namespaced(client, &r.settings().namespace);
    // The server filters: only what is not Normal comes back.
    let params = ListParams::default().fields("type!=Normal");
    let events = crate::kube_list::list_kept(
        &api,
        &params,
        r.settings().kubernetes.page_size,
        |mut e: Event| {
            e.metadata.managed_fields = None;
            Some(e)
        },
    )
    .await
    .map_err(|e| kube_error(e, "list events"))?;
    Ok(Snapshot { events })
}

/// Any Warning event within the window is a warning. Ages are on the run's clock
/// (INCIDENTCTL_NOW replays an incident), as every other age here.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let now = settings.now();
    let window_text = settings.kubernetes.events_window;
    let window = window_text.0.as_secs_f64();
    let mut recent: Vec<(jiff::Timestamp, &Event)> = s
        .events
        .iter()
        .filter(|e| e.type_.as_deref() != Some("Normal"))
        .filter_map(|e| event_time(e).map(|t| (t, e)))
        .filter(|(t, _)| (now.as_second() - t.as_second()) as f64 <= window)
        .collect();
    recent.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
    let evidence: Vec<String> = recent
        .iter()
        .take(SHOWN)
        .map(|(t, e)| describe(e, (now.as_second() - t.as_second()) as f64))
        .collect();
    let n = recent.len();
    let finding = if n == 0 {
        Finding::ok(format!("no Warning events in the last {window_text}"))
    } else {
        Finding::new(
            Status::Warning,
            format!(
                "{n} Warning events in the last {window_text}: {}",
                top_reasons(&recent).join(", ")
            ),
        )
    };
    Ok(finding.value(n as f64, "events").evidence(evidence))
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
fn top_reasons(recent: &[(jiff::Timestamp, &Event)]) -> Vec<String> {
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, e) in recent {
        *reasons
            .entry(e.reason.as_deref().unwrap_or("?"))
            .or_default() += 1;
    }
    let mut top: Vec<(&str, usize)> = reasons.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
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
    fn no_recent_warning_is_ok() {
        let s = Snapshot {
            events: vec![event("BackOff", "2026-11-26T01:00:00Z", 1, "old")],
        };
        let f = assess(&s, &settings_at("2026-11-26T03:00:01Z")).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "no Warning events in the last 1h");
        assert_eq!(f.value, Some(0.0));
    }

    #[test]
    fn the_window_edge_counts_and_newest_come_first() {
        let s = Snapshot {
            events: vec![
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
        };
        let f = assess(&s, &settings_at("2026-11-26T03:00:00Z")).unwrap();
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
