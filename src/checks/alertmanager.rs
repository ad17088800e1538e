//! Alertmanager: what is firing now, through the v2 API (v1 answers 410 since 0.27).

use super::prometheus::{http_error, refused_credentials};
use super::{CheckError, CheckOutcome, Finding, Status};
use crate::context::Context;
use crate::redact;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Alert {
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    #[serde(default)]
    starts_at: String,
}

pub async fn alerts(ctx: &Context) -> CheckOutcome {
    let http = ctx.alertmanager_http().await?;
    let base = ctx
        .settings
        .alertmanager
        .url
        .expose()
        .trim_end_matches('/')
        .to_string();
    let where_ = ctx.settings.alertmanager.url.redacted();
    let response = http
        .get(format!("{base}/api/v2/alerts"))
        .query(&[
            ("active", "true"),
            ("silenced", "false"),
            ("inhibited", "false"),
        ])
        .send()
        .await
        .map_err(|e| http_error(e, &where_, "alertmanager"))?;
    let code = response.status();
    refused_credentials(code, &where_, "alertmanager")?;
    let body = super::prometheus::body_text(response, &where_, "alertmanager").await?;
    if !code.is_success() {
        return Err(CheckError::new(format!(
            "{where_}: HTTP {code}: {}",
            redact::truncate(&redact::secrets(body.trim()), 120)
        ))
        .hint("check alertmanager.url points at Alertmanager 0.16+ (API v2)"));
    }
    let alerts: Vec<Alert> = serde_json::from_str(&body).map_err(|_| {
        CheckError::new(format!(
            "{where_}: not an Alertmanager v2 answer: {}",
            redact::truncate(&redact::secrets(body.trim()), 120)
        ))
    })?;
    let severity_of = |a: &Alert| match a.labels.get("severity").map(|s| s.to_ascii_lowercase()) {
        Some(s) if s == "critical" || s == "page" || s == "error" => Status::Critical,
        Some(s) if s == "warning" || s == "warn" => Status::Warning,
        _ => Status::Ok,
    };
    let status = alerts.iter().map(severity_of).max().unwrap_or(Status::Ok);
    let mut sorted: Vec<&Alert> = alerts.iter().collect();
    sorted.sort_by(|a, b| {
        severity_of(b)
            .cmp(&severity_of(a))
            .then(b.starts_at.cmp(&a.starts_at))
    });
    let evidence = sorted.iter().take(15).map(|a| {
        let name = a.labels.get("alertname").map(String::as_str).unwrap_or("?");
        let sev = a
            .labels
            .get("severity")
            .map(String::as_str)
            .unwrap_or("none");
        let text = a
            .annotations
            .get("summary")
            .or_else(|| a.annotations.get("description"))
            .map(|s| format!(": {}", redact::truncate(&redact::secrets(s), 140)))
            .unwrap_or_default();
        format!(
            "{name} [{sev}] since {}{text}",
            a.starts_at.get(..19).unwrap_or(&a.starts_at)
        )
    });
    let count = |s: Status| alerts.iter().filter(|a| severity_of(a) == s).count();
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
    Ok(Finding::new(status, summary)
        .value(alerts.len() as f64, "alerts")
        .evidence(evidence))
}
