//! PagerDuty's Events API v2: `trigger` for notices, escalations and updates (the same
//! `dedup_key`, the incident's id, so PagerDuty keeps one alert and logs each trigger on it),
//! `acknowledge` when acknowledged, `resolve` when resolved. 202 with the dedup key is taken;
//! 400 is an invalid event; 429 says to slow down (tried again after the backoff).

use super::http::{self, Answer};
use super::{Outcome, Send};
use crate::report::escalation::Step;
use crate::settings::{PagerDutySettings, Secret, Settings};
use crate::types::Severity;
use serde_json::{json, Value};

/// PagerDuty's payload severities for the runbook's levels.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Sev1 => "critical",
        Severity::Sev2 => "error",
        Severity::Sev3 => "warning",
        Severity::Sev4 => "info",
    }
}

/// The event for one send. The routing key is added last, by the caller.
pub fn event(s: &Send<'_>, source: &str) -> Value {
    let i = s.incident;
    match s.due.step {
        Step::Acknowledged => json!({"event_action": "acknowledge", "dedup_key": i.id}),
        Step::Resolved => json!({"event_action": "resolve", "dedup_key": i.id}),
        step => {
            // PagerDuty keeps at most 1024 characters of a summary.
            let summary: String = s.message.subject.chars().take(1024).collect();
            json!({
                "event_action": "trigger",
                "dedup_key": i.id,
                "client": "incidentctl",
                "payload": {
                    "summary": summary,
                    "source": source,
                    "severity": severity(i.severity),
                    "timestamp": i.detected_at.to_string(),
                    "class": step.key(),
                    "custom_details": {
                        "incident": i.id,
                        "status": i.status.as_str(),
                        "step": step.key(),
                        "audience": s.due.audience.as_str(),
                        "text": s.message.text,
                    },
                },
            })
        }
    }
}

pub async fn send(
    pd: &PagerDutySettings,
    settings: &Settings,
    key: &Secret,
    s: &Send<'_>,
) -> Outcome {
    let timeout = settings.timeout.0;
    let client = match http::client(timeout, &pd.url, &pd.tls, "notify.pagerduty") {
        Ok(c) => c,
        Err(f) => return Outcome::Failed(f),
    };
    let source = pd
        .source
        .clone()
        .unwrap_or_else(|| settings.namespace.clone());
    let mut body = event(s, &source);
    body["routing_key"] = Value::String(key.expose().to_string());
    let request = client.post(&pd.url).json(&body);
    match http::send(request, "PagerDuty", timeout, &[key.expose()]).await {
        Answer::Accepted { body } => {
            let answer: Value = serde_json::from_slice(&body).unwrap_or_default();
            Outcome::Sent {
                reference: answer["dedup_key"].as_str().map(str::to_string),
            }
        }
        Answer::Done(outcome) => outcome,
    }
}
