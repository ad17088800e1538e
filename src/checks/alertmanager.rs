//! The seed's "check Alertmanager" step (Error Rate): what is firing now, through the v2 API
//! (v1 answers 410 since 0.27).

use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::clients::alertmanager::{Alert, Alertmanager};
use crate::output::redact;
use crate::settings::Settings;
use crate::types::sign::Sign;

pub const LEVELS: &[&Level] = &[];

/// Alerts shown as evidence: the most severe, newest first.
const MAX_SHOWN: usize = 15;

/// The alerts firing now that reach a receiver (active, neither silenced nor inhibited).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub alerts: Vec<Alert>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let alerts = Alertmanager::of(&r.ctx).await?.firing().await?;
    Ok(Snapshot { alerts })
}

/// The status is the most severe alert's `severity` label; alerts without one count as "other"
/// and do not raise it.
pub fn assess(s: &Snapshot, _settings: &Settings) -> CheckOutcome {
    let alerts = &s.alerts;
    let status = alerts.iter().map(severity_of).max().unwrap_or(Status::Ok);
    let mut sorted: Vec<&Alert> = alerts.iter().collect();
    sorted.sort_by(|a, b| {
        severity_of(b)
            .cmp(&severity_of(a))
            .then(b.starts_at.cmp(&a.starts_at))
    });
    let evidence = sorted.iter().take(MAX_SHOWN).map(|a| evidence_line(a));
    let count = |status: Status| alerts.iter().filter(|a| severity_of(a) == status).count();
    let summary = if alerts.is_empty() {
        "no active alerts".to_string()
    } else {
        format!(
            "{} active alert(s): {} critical, {} warning, {} other",
            alerts.len(),
            count(Status::Critical),
            count(Status::Warning),
            count(Status::Ok)
        )
    };
    let signs = alerts.iter().filter_map(|a| {
        Some(Sign::AlertFiring {
            name: a.labels.get("alertname")?.clone(),
            severity: a.labels.get("severity").cloned().unwrap_or_default(),
            starts_at: a.starts_at.parse().ok()?,
        })
    });
    Ok(Finding::new(status, summary)
        .value(alerts.len() as f64, "alerts")
        .evidence(evidence)
        .signs(signs))
}

/// What an alert's `severity` label means here; the names in use vary between rule sets.
fn severity_of(alert: &Alert) -> Status {
    match alert.labels.get("severity").map(|s| s.to_ascii_lowercase()) {
        Some(s) if s == "critical" || s == "page" || s == "error" => Status::Critical,
        Some(s) if s == "warning" || s == "warn" => Status::Warning,
        _ => Status::Ok,
    }
}

/// "name [severity] since <start to the second>: <summary or description>", the text redacted:
/// annotations are written by whoever wrote the alert rule and may quote anything.
fn evidence_line(alert: &Alert) -> String {
    let name = alert
        .labels
        .get("alertname")
        .map(String::as_str)
        .unwrap_or("?");
    let severity = alert
        .labels
        .get("severity")
        .map(String::as_str)
        .unwrap_or("none");
    let text = alert
        .annotations
        .get("summary")
        .or_else(|| alert.annotations.get("description"))
        .map(|s| format!(": {}", redact::truncate(&redact::secrets(s), 140)))
        .unwrap_or_default();
    format!(
        "{name} [{severity}] since {}{text}",
        alert.starts_at.get(..19).unwrap_or(&alert.starts_at)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use std::collections::BTreeMap;

    fn alert(name: &str, severity: Option<&str>, starts_at: &str, summary: Option<&str>) -> Alert {
        let mut labels = BTreeMap::from([("alertname".to_string(), name.to_string())]);
        if let Some(severity) = severity {
            labels.insert("severity".into(), severity.into());
        }
        let annotations = summary
            .map(|s| BTreeMap::from([("summary".to_string(), s.to_string())]))
            .unwrap_or_default();
        Alert {
            labels,
            annotations,
            starts_at: starts_at.into(),
        }
    }

    fn assess_alerts(alerts: Vec<Alert>) -> Finding {
        assess(&Snapshot { alerts }, &default_settings()).unwrap()
    }

    #[test]
    fn no_alerts_is_ok() {
        let f = assess_alerts(vec![]);
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "no active alerts");
        assert_eq!(f.value, Some(0.0));
        assert_eq!(f.unit, Some("alerts"));
        assert!(f.evidence.is_empty());
    }

    #[test]
    fn alerts_without_a_known_severity_stay_ok() {
        let f = assess_alerts(vec![
            alert("Watchdog", None, "2024-05-01T10:00:00.000Z", None),
            alert("Info", Some("info"), "2024-05-01T10:00:00.000Z", None),
        ]);
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "2 active alert(s): 0 critical, 0 warning, 2 other"
        );
    }

    #[test]
    fn a_warning_alert_is_a_warning() {
        for severity in ["warning", "WARN"] {
            let f = assess_alerts(vec![alert(
                "DiskFilling",
                Some(severity),
                "2024-05-01T10:00:00Z",
                None,
            )]);
            assert_eq!(f.status, Status::Warning, "{severity}");
        }
    }

    #[test]
    fn the_most_severe_alert_decides_and_leads_the_evidence() {
        let f = assess_alerts(vec![
            alert("Watchdog", None, "2024-05-01T09:00:00.000Z", None),
            alert(
                "HighLatency",
                Some("warning"),
                "2024-05-01T10:15:30.123Z",
                Some("p95 above 2s"),
            ),
            alert("OldErrors", Some("page"), "2024-05-01T08:00:00.000Z", None),
            alert(
                "HighErrorRate",
                Some("critical"),
                "2024-05-01T10:20:00.5Z",
                Some("5xx above 5%"),
            ),
        ]);
        assert_eq!(f.status, Status::Critical);
        assert_eq!(
            f.summary,
            "4 active alert(s): 2 critical, 1 warning, 1 other"
        );
        assert_eq!(f.value, Some(4.0));
        assert_eq!(
            f.evidence,
            vec![
                "HighErrorRate [critical] since 2024-05-01T10:20:00: 5xx above 5%",
                "OldErrors [page] since 2024-05-01T08:00:00",
                "HighLatency [warning] since 2024-05-01T10:15:30: p95 above 2s",
                "Watchdog [none] since 2024-05-01T09:00:00",
            ]
        );
    }

    #[test]
    fn the_description_stands_in_for_a_missing_summary_and_short_dates_are_kept() {
        let mut a = alert("X", Some("error"), "soon", None);
        a.labels.remove("alertname");
        a.annotations
            .insert("description".into(), "the description".into());
        let f = assess_alerts(vec![a]);
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.evidence, vec!["? [error] since soon: the description"]);
    }

    #[test]
    fn annotations_are_redacted_and_cut() {
        let f = assess_alerts(vec![alert(
            "DbLoginFailing",
            Some("critical"),
            "2024-05-01T10:00:00Z",
            Some("login with password=hunter2 refused"),
        )]);
        assert_eq!(
            f.evidence,
            vec!["DbLoginFailing [critical] since 2024-05-01T10:00:00: login with password=*** refused"]
        );
        let long = "x".repeat(300);
        let f = assess_alerts(vec![alert(
            "Long",
            None,
            "2024-05-01T10:00:00Z",
            Some(long.as_str()),
        )]);
        let expected = format!(
            "Long [none] since 2024-05-01T10:00:00: {}…",
            "x".repeat(139)
        );
        assert_eq!(f.evidence, vec![expected]);
    }

    #[test]
    fn only_fifteen_alerts_are_shown_but_all_are_counted() {
        let alerts = (0..20)
            .map(|i| {
                alert(
                    &format!("A{i}"),
                    Some("warning"),
                    &format!("2024-05-01T10:{i:02}:00Z"),
                    None,
                )
            })
            .collect();
        let f = assess_alerts(alerts);
        assert_eq!(f.evidence.len(), 15);
        assert_eq!(f.evidence[0], "A19 [warning] since 2024-05-01T10:19:00");
        assert_eq!(
            f.summary,
            "20 active alert(s): 0 critical, 20 warning, 0 other"
        );
    }

    #[test]
    fn the_v2_answer_deserializes_into_the_snapshot() {
        let body = r#"[{"labels":{"alertname":"A","severity":"critical"},
            "annotations":{"summary":"s"},"startsAt":"2024-05-01T10:00:00.000Z",
            "status":{"state":"active"},"fingerprint":"abc"},{}]"#;
        let alerts: Vec<Alert> = serde_json::from_str(body).unwrap();
        assert_eq!(alerts.len(), 2);
        assert_eq!(
            alerts[0].labels.get("severity").map(String::as_str),
            Some("critical")
        );
        assert_eq!(alerts[0].starts_at, "2024-05-01T10:00:00.000Z");
        assert_eq!(alerts[1], Alert::default());
    }
}
