//! A stand-in for PagerDuty's Events API v2 (`POST /v2/enqueue`), which cannot be reached from
//! here. It checks each event against the documented schema and answers as the real API does:
//! 202 `{"status":"success","message":"Event processed","dedup_key":…}`, 400 `{"status":"invalid
//! event","message":"Event object is invalid","errors":[…]}`, and, when a test scripts it, 429
//! with Retry-After. Accepted events are kept in `pagerduty-events.jsonl`, all requests in the
//! server's log. It is a stand-in: it does not page anyone, dedupe alerts or keep incidents.

use crate::http_standin::{self, Reply, Request, Scripted, Server};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct PagerDutyStandIn {
    server: Server,
    /// Every accepted event, one JSON line each.
    pub events: PathBuf,
}

impl PagerDutyStandIn {
    /// The Events API v2 endpoint (`notify.pagerduty.url`).
    pub fn url(&self) -> String {
        format!("http://{}/v2/enqueue", self.server.addr)
    }

    pub fn then(&self, answer: Scripted) {
        self.server.then(answer)
    }

    pub fn accepted(&self) -> Vec<Value> {
        http_standin::read_log(&self.events)
    }

    pub fn requests(&self) -> Vec<Value> {
        self.server.requests()
    }
}

/// What the documented schema finds wrong with an event (nothing: it is valid).
pub fn problems(event: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(obj) = event.as_object() else {
        return vec!["Event object is not a JSON object".into()];
    };
    match obj.get("routing_key").and_then(Value::as_str) {
        None => errors.push("'routing_key' is missing or blank".into()),
        Some(k) if k.len() != 32 => {
            errors.push("Length of 'routing_key' is incorrect (should be 32 characters)".into())
        }
        Some(_) => {}
    }
    let action = obj.get("event_action").and_then(Value::as_str);
    if !matches!(action, Some("trigger" | "acknowledge" | "resolve")) {
        errors.push(
            "'event_action' is invalid (must be one of: trigger, acknowledge, resolve)".into(),
        );
    }
    match obj.get("dedup_key") {
        None | Some(Value::Null) if action != Some("trigger") => {
            errors.push("'dedup_key' is required for acknowledge and resolve events".into())
        }
        Some(Value::String(k)) if k.chars().count() > 255 => {
            errors.push("'dedup_key' is too long (maximum 255 characters)".into())
        }
        Some(v) if !v.is_string() && !v.is_null() => {
            errors.push("'dedup_key' must be a string".into())
        }
        _ => {}
    }
    if action == Some("trigger") {
        let payload = obj.get("payload").and_then(Value::as_object);
        let Some(p) = payload else {
            errors.push("'payload' is missing".into());
            return errors;
        };
        match p.get("summary").and_then(Value::as_str) {
            None | Some("") => errors.push("'payload.summary' is missing or blank".into()),
            Some(s) if s.chars().count() > 1024 => {
                errors.push("'payload.summary' is too long (maximum 1024 characters)".into())
            }
            Some(_) => {}
        }
        if p.get("source")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            errors.push("'payload.source' is missing or blank".into());
        }
        if !matches!(
            p.get("severity").and_then(Value::as_str),
            Some("critical" | "error" | "warning" | "info")
        ) {
            errors.push(
                "'payload.severity' is invalid (must be one of: critical, error, warning, info)"
                    .into(),
            );
        }
        if let Some(t) = p.get("timestamp") {
            if t.as_str()
                .is_none_or(|t| t.parse::<jiff::Timestamp>().is_err())
            {
                errors.push("'payload.timestamp' is not an ISO 8601 time".into());
            }
        }
        if p.get("custom_details").is_some_and(|d| !d.is_object()) {
            errors.push("'payload.custom_details' must be an object".into());
        }
    }
    errors
}

fn handle(events: &Path, r: &Request) -> Reply {
    if r.method != "POST" || r.path != "/v2/enqueue" {
        return Reply::json(404, json!({"status": "error", "message": "Not found"}));
    }
    let event: Value = match serde_json::from_slice(&r.body) {
        Ok(v) => v,
        Err(_) => {
            return Reply::json(
                400,
                json!({"status": "invalid event", "message": "Event object is invalid", "errors": ["Request body is not valid JSON"]}),
            )
        }
    };
    let errors = problems(&event);
    if !errors.is_empty() {
        return Reply::json(
            400,
            json!({"status": "invalid event", "message": "Event object is invalid", "errors": errors}),
        );
    }
    let dedup_key = event["dedup_key"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| format!("{:032x}", std::process::id() as u128 ^ 0x5eed));
    let _ = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(events)
        .and_then(|mut f| writeln!(f, "{event}"));
    Reply::json(
        202,
        json!({"status": "success", "message": "Event processed", "dedup_key": dedup_key}),
    )
}

/// Starts the stand-in; its files go in `dir`.
pub async fn start(dir: &Path) -> std::io::Result<PagerDutyStandIn> {
    let events = dir.join("pagerduty-events.jsonl");
    let file = events.clone();
    let server = http_standin::serve(
        dir.join("pagerduty-requests.jsonl"),
        Arc::new(move |r| handle(&file, r)),
    )
    .await?;
    Ok(PagerDutyStandIn { server, events })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_schema_is_checked() {
        let key = "0123456789abcdef0123456789abcdef";
        let ok = json!({"routing_key": key, "event_action": "trigger", "dedup_key": "INC-1",
            "payload": {"summary": "s", "source": "h", "severity": "critical"}});
        assert!(problems(&ok).is_empty());
        let resolve = json!({"routing_key": key, "event_action": "resolve", "dedup_key": "INC-1"});
        assert!(problems(&resolve).is_empty());
        let no_key = json!({"routing_key": key, "event_action": "resolve"});
        assert_eq!(problems(&no_key).len(), 1);
        let bad = json!({"routing_key": "short", "event_action": "trigger",
            "payload": {"summary": "", "severity": "high"}});
        assert_eq!(problems(&bad).len(), 4, "{:?}", problems(&bad));
    }
}
