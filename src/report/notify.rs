//! Status updates to Slack through an incoming webhook. The webhook URL is a secret: it is never
//! printed, logged or put in an error. Slack allows about one message per second per channel and
//! answers 429 with Retry-After; that is honoured, within a bounded number of tries.

use super::model::{clocks, Entry, Incident};
use crate::error::{Error, Result};
use crate::settings::{Secret, Settings};
use crate::types::failure::Cause;
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
        // Notifications are not news to the reader of one.
        .filter(|e| e.kind != super::model::EntryKind::Notified && e.notification.is_none())
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
    // mrkdwn: control characters shown, `&`, `<`, `>` escaped (a title cannot `<!channel>`).
    let text = crate::output::printable::slack(&crate::output::redact::secrets(&text));
    serde_json::json!({ "text": text })
}

/// What became of a status update.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Slack answered "ok", after this many tries.
    Posted { tries: u32 },
    /// The request went out and then the answer was lost (a timeout, a connection cut, an
    /// answer cut off): Slack may have posted it. Not retried, so it is never posted twice.
    MaybePosted { why: String },
}

/// Slack's answer is two bytes ("ok"); a web page or an error body is read no further than this.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Posts `payload` to the webhook. Retried only when the update provably was not posted: no
/// connection was made, 429 (after Retry-After), or a 5xx answer; a bounded number of times.
/// A timeout or a connection lost after sending is not retried ([`Delivery::MaybePosted`]).
pub async fn post(
    settings: &Settings,
    webhook: &Secret,
    payload: &serde_json::Value,
) -> Result<Delivery> {
    let timeout = settings.timeout.0;
    let client = client(settings)?;
    let mut last = String::new();
    // What became of the last try: every try here provably did not post.
    let mut last_cause = Cause::NotReached(crate::types::failure::NotReached::Other);
    let mut tries = 0;
    let mut tls_hint = None;
    for attempt in 1..=MAX_TRIES {
        tries = attempt;
        let sent = client.post(webhook.expose()).json(payload).send().await;
        let wait = match sent {
            Ok(r) if r.status().is_success() => {
                // Slack answers "ok" (as text/html, so the type says nothing). A web page with
                // 200 is a login portal or a proxy's error page: the message went nowhere, and
                // saying "delivered" would be a lie.
                let body = match crate::clients::http::read_body(r, MAX_ANSWER_BYTES).await {
                    Ok(body) => body,
                    Err(crate::clients::http::BodyError::TooLarge(_)) => {
                        return Err(not_slack("a long answer"));
                    }
                    Err(crate::clients::http::BodyError::Transport(e)) => {
                        return Ok(Delivery::MaybePosted {
                            why: format!(
                                "the answer was cut off after 200 OK ({})",
                                describe(e, timeout)
                            ),
                        });
                    }
                };
                if body.trim_ascii_start().starts_with(b"<") {
                    return Err(not_slack("a web page"));
                }
                return Ok(Delivery::Posted { tries: attempt });
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
                last_cause = crate::types::failure::of_http_status(429);
                if after > MAX_RETRY_AFTER {
                    break;
                }
                after
            }
            Ok(r) if r.status().is_server_error() => {
                last = format!("HTTP {}", r.status());
                last_cause = crate::types::failure::of_http_status(r.status().as_u16());
                // The answer is read (bounded) so the refusal is whole before trying again.
                let _ = crate::clients::http::read_body(r, MAX_ANSWER_BYTES).await;
                Duration::from_millis(500 * u64::from(attempt))
            }
            Ok(r) => {
                // 4xx other than 429: retrying will not help (a revoked webhook answers 404/410).
                return Err(Error::remote(
                    crate::types::failure::of_http_status(r.status().as_u16()),
                    format!("Slack webhook answered HTTP {}", r.status()),
                )
                .with_hint("check report.slack_webhook / SLACK_WEBHOOK_URL: the webhook may have been revoked"));
            }
            Err(e) => {
                let cause = crate::types::failure::of_http(&e);
                let text = describe(e, timeout);
                last_cause = cause;
                match cause {
                    // A certificate problem does not go away on retry.
                    Cause::Tls(problem) => {
                        last = format!("TLS: {text}");
                        tls_hint = Some(crate::clients::tls::hint(problem, "report.slack_tls"));
                        break;
                    }
                    Cause::NotReached(_) => {
                        last = text;
                        Duration::from_millis(500 * u64::from(attempt))
                    }
                    // Sent, then nothing (or half an answer): Slack may have posted it.
                    _ => return Ok(Delivery::MaybePosted { why: text }),
                }
            }
        };
        if attempt < MAX_TRIES {
            tokio::time::sleep(wait).await;
        }
    }
    Err(Error::remote(
        last_cause,
        format!("Slack webhook: update not delivered after {tries} tries: {last}"),
    )
    .with_hint(format!(
        "nothing was recorded as notified; run report notify again{}",
        tls_hint.map(|h| format!(" ({h})")).unwrap_or_default()
    )))
}

/// 200 with something that is not Slack's "ok": a proxy or login portal answered.
fn not_slack(what: &str) -> Error {
    Error::remote(
        Cause::NotTheProtocol,
        format!("Slack webhook answered 200 with {what}, not Slack's \"ok\": the update was not delivered"),
    )
    .with_hint("a proxy or login portal is in the way: check the network path to Slack")
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
    crate::clients::http::http_client(
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
        return format!("timed out after {}", crate::types::Dur(timeout));
    }
    crate::output::redact::error_chain(&e)
}
