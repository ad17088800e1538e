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

/// Slack, through the incoming-webhook client `report notify` uses (its retries are only of
/// sends that provably did not post).
async fn slack(settings: &Settings, hook: &crate::settings::Secret, m: &Message) -> Outcome {
    let payload = serde_json::json!({ "text": format!("*{}*\n{}", m.subject, m.text) });
    match crate::report::notify::post(settings, hook, &payload).await {
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
