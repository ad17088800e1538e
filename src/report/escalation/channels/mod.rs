//! The senders: email (SMTP), Slack, PagerDuty (Events API v2) and the status page (Atlassian
//! Statuspage or a JSON webhook). Each says what became of a send, from the client libraries'
//! typed errors and the servers' status codes, never from their wording:
//! - sent: the server took it;
//! - failed: provably not delivered (never connected, refused, or broken before the message
//!   went out), so it may be tried again;
//! - may have been sent: it went out and the answer was lost (a timeout, a cut connection, a
//!   gateway that gave up), so it is never sent again on its own.

pub mod email;
mod http;
mod pagerduty;
mod statuspage;

use super::ledger::Record;
use super::message::Message;
use super::policy::Due;
use super::routes::Destination;
use crate::report::model::Incident;
use crate::settings::Settings;
use crate::types::Cause;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Sent {
        /// What later sends need (a status page's incident id), or what identifies it (an
        /// email's Message-ID, PagerDuty's dedup key).
        reference: Option<String>,
    },
    Failed(Failure),
    MayHaveBeenSent {
        detail: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub cause: Cause,
    pub detail: String,
    /// The server said when to come back (HTTP 429's Retry-After).
    pub retry_after: Option<Duration>,
}

impl Failure {
    pub fn new(cause: Cause, detail: impl Into<String>) -> Failure {
        Failure {
            cause,
            detail: detail.into(),
            retry_after: None,
        }
    }

    /// Whether the channel's server answered at all (for "no channel reachable").
    pub fn reached(&self) -> bool {
        !matches!(self.cause, Cause::NotReached(_) | Cause::Tls(_))
    }
}

/// Everything one send needs.
pub struct Send<'a> {
    pub due: &'a Due,
    pub destination: &'a Destination,
    pub incident: &'a Incident,
    pub message: &'a Message,
    /// The incident's ledger records (a status page update needs the id its creation got).
    pub records: &'a [Record],
}

pub struct Channels<'a> {
    settings: &'a Settings,
}

impl<'a> Channels<'a> {
    pub fn new(settings: &'a Settings) -> Channels<'a> {
        Channels { settings }
    }

    pub async fn send(&self, s: &Send<'_>) -> Outcome {
        let settings = self.settings;
        match s.destination {
            Destination::Email(to) => match &settings.notify.smtp {
                Some(smtp) => email::send(smtp, settings.timeout.0, to, s).await,
                None => not_configured("[notify.smtp]"),
            },
            Destination::Slack(hook) => slack(settings, hook, s.message).await,
            Destination::Pagerduty(key) => match &settings.notify.pagerduty {
                Some(pd) => pagerduty::send(pd, settings, key, s).await,
                None => {
                    let defaults = crate::settings::PagerDutySettings::default();
                    pagerduty::send(&defaults, settings, key, s).await
                }
            },
            Destination::Statuspage => match &settings.notify.statuspage {
                Some(sp) => statuspage::send(sp, settings.timeout.0, s).await,
                None => not_configured("[notify.statuspage]"),
            },
        }
    }
}

fn not_configured(what: &str) -> Outcome {
    Outcome::Failed(Failure::new(
        Cause::NotReached(crate::types::failure::NotReached::Other),
        format!("{what} is not configured"),
    ))
}

/// The Slack message: the subject in bold, then the text, in mrkdwn (`&`, `<`, `>` escaped, so a
/// title cannot mention `<!channel>` or hide a link).
pub fn slack_payload(m: &Message) -> serde_json::Value {
    serde_json::json!({
        "text": format!("*{}*\n{}", crate::output::printable::slack(&m.subject), crate::output::printable::slack(&m.text))
    })
}

/// Slack, through the incoming-webhook client `report notify` uses (its retries are only of
/// sends that provably did not post).
async fn slack(settings: &Settings, hook: &crate::settings::Secret, m: &Message) -> Outcome {
    match crate::report::notify::post(settings, hook, &slack_payload(m)).await {
        Ok(crate::report::notify::Delivery::Posted { .. }) => Outcome::Sent { reference: None },
        Ok(crate::report::notify::Delivery::MaybePosted { why }) => {
            Outcome::MayHaveBeenSent { detail: why }
        }
        // Every error `post` returns is a send that did not post.
        Err(e) => Outcome::Failed(Failure::new(
            e.cause()
                .unwrap_or(Cause::NotReached(crate::types::failure::NotReached::Other)),
            e.to_string(),
        )),
    }
}

/// Also used by the doctor: the sender's own words of a configured channel's setup problem.
pub use http::client as http_client;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::printable::{assert_shown, Layout, PAYLOAD};
    use crate::report::escalation::{ChannelKind, Step};
    use crate::report::lifecycle::{Act, FieldChanges, Opening};
    use crate::types::{Audience, Severity};
    use jiff::{SignedDuration, Timestamp};

    /// An incident whose every field people type carries the payload.
    fn incident() -> Incident {
        let t0: Timestamp = "2026-12-02T03:00:00Z".parse().unwrap();
        let act = Act {
            now: t0,
            author: "oncall",
        };
        let opening = Opening {
            title: PAYLOAD.into(),
            severity: Severity::Sev1,
            severity_reason: Some(PAYLOAD.into()),
            commander: Some(PAYLOAD.into()),
            detected_at: t0,
        };
        let mut i = Incident::open("INC-20261202-001".into(), &opening, act);
        let changes = FieldChanges {
            summary: Some(PAYLOAD.into()),
            impact: Some(PAYLOAD.into()),
            root_cause: Some(PAYLOAD.into()),
            resolution: Some(PAYLOAD.into()),
            ..FieldChanges::default()
        };
        i.set_fields(&changes, act).unwrap();
        i.note(t0, PAYLOAD, act).unwrap();
        i
    }

    fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }

    /// Every channel's payload, for every step and audience: what each sends is printable and
    /// still says what the incident's fields say. Email sends the message's subject and text as
    /// they are, the status page its public text (Atlassian) or a template filled through
    /// `fill_template`.
    #[test]
    fn no_channel_sends_a_control_sequence_from_the_incident() {
        let i = incident();
        let ctx = crate::report::escalation::message::Context {
            now: "2026-12-02T03:31:00Z".parse().unwrap(),
            update_interval: SignedDuration::from_mins(30),
            was: Some(Severity::Sev2),
        };
        let steps = [
            Step::Severity(Severity::Sev1),
            Step::Escalation { minutes: 30 },
            Step::Update(1),
            Step::Acknowledged,
            Step::Resolved,
        ];
        for step in steps {
            for audience in Audience::ALL {
                let m = crate::report::escalation::message::compose(&i, step, audience, &ctx);
                assert_shown(&m.subject, Layout::Line);
                assert_shown(&m.text, Layout::Lines);
                assert_shown(&m.public, Layout::Line);

                let slack = slack_payload(&m);
                let text = slack["text"].as_str().unwrap();
                assert_shown(text, Layout::Lines);
                assert!(!text.contains('<') && !text.contains('>'), "{text}");

                let due = crate::report::escalation::policy::Due {
                    step,
                    audience,
                    channel: ChannelKind::Pagerduty,
                    attempt: 1,
                    reference: None,
                };
                let destination = Destination::Statuspage;
                let send = Send {
                    due: &due,
                    destination: &destination,
                    incident: &i,
                    message: &m,
                    records: &[],
                };
                let mut sent = Vec::new();
                strings(&pagerduty::event(&send, "incidentctl"), &mut sent);
                for s in sent {
                    assert!(
                        crate::output::printable::is_printable(&s, Layout::Lines),
                        "{s:?}"
                    );
                }
            }
        }
        let filled = crate::settings::fill_template(r#"{"t": "{{title}}"}"#, &|_| PAYLOAD.into());
        let back: serde_json::Value = serde_json::from_str(&filled).unwrap();
        assert!(
            crate::output::printable::is_printable(&filled, Layout::Lines),
            "{filled}"
        );
        assert_shown(back["t"].as_str().unwrap(), Layout::Line);
    }

    #[test]
    fn report_notify_sends_mrkdwn_without_control_sequences() {
        let i = incident();
        let now = "2026-12-02T03:31:00Z".parse().unwrap();
        let payload = crate::report::notify::payload(&i, &[], now, SignedDuration::from_mins(30));
        assert_shown(payload["text"].as_str().unwrap(), Layout::Lines);
    }
}
