//! Status updates to Slack through an incoming webhook. The webhook URL is a secret: it is never
//! printed, logged or put in an error. Slack allows about one message per second per channel and
//! answers 429 with Retry-After; that is honoured, within a bounded number of tries.

use super::model::{clocks, Entry, Incident};
use crate::error::{Error, Result};
use crate::settings::{Secret, Settings};
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;

/// Tries per notification (the first and two retries).
pub const MAX_TRIES: u32 = 3;
/// The longest a Retry-After is waited for; longer and the update is reported failed.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// The message: severity, status, summary, what changed since the last update, next update.
/// `extra` are the changes made with --incident (from the audit log).
pub fn payload(
    i: &Incident,
    extra: &[Entry],
    now: Timestamp,
    update_interval: SignedDuration,
) -> serde_json::Value {
    let c = clocks(i, now, update_interval);
    let since = i.last_notified_at.unwrap_or(i.created_at);
    let changes: Vec<String> = super::render::timeline(i, extra)
        .iter()
        .filter(|e| e.at > since || i.last_notified_at.is_none())
        .filter(|e| e.kind != "notified")
        .map(|e| format!("• {}", e.text))
        .collect();
    // This update is sent now, so the next one is due one interval from now.
    let next = now.saturating_add(update_interval).unwrap_or(now);
    let mut text = format!(
        "*[{}] {}: {}*\nStatus: *{}*",
        i.severity.label(),
        i.id,
        i.title,
        i.status.as_str()
    );
    if let Some(summary) = &i.fields.summary {
        text.push_str(&format!("\nSummary: {summary}"));
    }
    if let Some(level) = c.escalation_level {
        text.push_str(&format!(
            "\nEscalation level {level}: {}",
            c.escalation.unwrap_or("")
        ));
    }
    if !changes.is_empty() {
        text.push_str(&format!("\nSince the last update:\n{}", changes.join("\n")));
    }
    if i.status.is_open() {
        text.push_str(&format!(
            "\nNext update by {}",
            next.to_zoned(jiff::tz::TimeZone::UTC).strftime("%H:%M UTC")
        ));
    }
    let text = crate::redact::secrets(&text);
    serde_json::json!({ "text": text })
}

/// Posts `payload` to the webhook, retrying 429 (after Retry-After) and 5xx a bounded number of
/// times. Returns how many tries it took.
pub async fn post(
    settings: &Settings,
    webhook: &Secret,
    payload: &serde_json::Value,
) -> Result<u32> {
    let timeout = settings.timeout.0;
    let client = client(settings)?;
    let mut last = String::new();
    let mut tries = 0;
    for attempt in 1..=MAX_TRIES {
        tries = attempt;
        let sent = client.post(webhook.expose()).json(payload).send().await;
        let wait = match sent {
            Ok(r) if r.status().is_success() => {
                // Slack answers "ok". A web page with 200 is a login portal or a proxy's error
                // page: the message went nowhere, and saying "delivered" would be a lie.
                let body = match r.text().await {
                    Ok(body) => body,
                    Err(e) => {
                        // Not retried: Slack may well have posted it, and a second copy in the
                        // incident channel is noise. Say exactly that.
                        return Err(Error::unavailable(format!(
                            "Slack webhook: the answer was cut off after 200 OK ({}): the update may or may not have been posted",
                            describe(e, timeout)
                        ))
                        .with_hint("look in the channel before running report notify again; nothing was recorded as notified"));
                    }
                };
                if body.trim_start().starts_with('<') {
                    return Err(Error::unavailable(
                        "Slack webhook answered 200 with a web page, not Slack's \"ok\": the update was not delivered",
                    )
                    .with_hint("a proxy or login portal is in the way: check the network path to Slack"));
                }
                return Ok(attempt);
            }
            Ok(r) if r.status().as_u16() == 429 => {
                let after = r
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs)
                    .unwrap_or(Duration::from_secs(1));
                last = format!("429 rate limited (Retry-After {}s)", after.as_secs());
                if after > MAX_RETRY_AFTER {
                    break;
                }
                after
            }
            Ok(r) if r.status().is_server_error() => {
                last = format!("HTTP {}", r.status());
                Duration::from_millis(500 * u64::from(attempt))
            }
            Ok(r) => {
                // 4xx other than 429: retrying will not help (a revoked webhook answers 404/410).
                return Err(Error::unavailable(format!("Slack webhook answered HTTP {}", r.status()))
                    .with_hint("check report.slack_webhook / SLACK_WEBHOOK_URL: the webhook may have been revoked"));
            }
            Err(e) => {
                last = describe(e, timeout);
                if crate::tls::is_tls_failure(&last) {
                    // A certificate problem does not go away on retry.
                    break;
                }
                Duration::from_millis(500 * u64::from(attempt))
            }
        };
        if attempt < MAX_TRIES {
            tokio::time::sleep(wait).await;
        }
    }
    let hint = crate::tls::hint_for(&last, "report.slack_tls").unwrap_or_default();
    Err(Error::unavailable(format!(
        "Slack webhook: update not delivered after {tries} tries: {last}"
    ))
    .with_hint(format!(
        "nothing was recorded as notified; run report notify again{}",
        if hint.is_empty() {
            String::new()
        } else {
            format!(" ({hint})")
        }
    )))
}

/// The webhook's HTTP client: the timeout, and report.slack_tls for a proxy's CA.
pub fn client(settings: &Settings) -> Result<reqwest::Client> {
    let webhook_url = crate::settings::SecretUrl::new(
        settings
            .report
            .slack_webhook
            .as_ref()
            .map(|w| w.expose().to_string())
            .unwrap_or_default(),
    );
    crate::context::http_client(
        settings.timeout.0,
        &webhook_url,
        &settings.report.slack_tls,
        &crate::settings::HttpAuth::default(),
        "report.slack",
    )
    .map_err(|e| Error::config("report.slack_tls", e.message))
}

/// A failed request in words that never hold the webhook URL (it is a secret).
pub fn describe(e: reqwest::Error, timeout: Duration) -> String {
    let e = e.without_url();
    if e.is_timeout() {
        return format!("timed out after {}", crate::settings::Dur(timeout));
    }
    crate::redact::error_chain(&e)
}
