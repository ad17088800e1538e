//! The status page. Atlassian Statuspage: the first notice creates an incident on the page
//! (`POST /pages/{page_id}/incidents`), later ones update it (`PATCH …/incidents/{id}`, the id
//! the creation answered, kept in the ledger), the resolution resolves it. Or a generic webhook:
//! the configured JSON template, filled in and POSTed.

use super::http::{self, Answer};
use super::{Failure, Outcome, Send};
use crate::report::model::Status;
use crate::settings::{StatusPageKind, StatusPageSettings};
use crate::types::failure::Refusal;
use crate::types::{Cause, Severity};
use serde_json::{json, Value};
use std::time::Duration;

fn impact(s: Severity) -> &'static str {
    match s {
        Severity::Sev1 => "critical",
        Severity::Sev2 => "major",
        Severity::Sev3 => "minor",
        Severity::Sev4 => "none",
    }
}

/// The page's status words (a closed incident is resolved there).
fn status(s: &Send<'_>) -> &'static str {
    if s.due.step == crate::report::escalation::Step::Resolved {
        return "resolved";
    }
    match s.incident.status {
        Status::Investigating => "investigating",
        Status::Identified => "identified",
        Status::Monitoring => "monitoring",
        Status::Resolved | Status::Closed => "resolved",
    }
}

pub async fn send(sp: &StatusPageSettings, timeout: Duration, s: &Send<'_>) -> Outcome {
    match sp.kind {
        StatusPageKind::Atlassian => atlassian(sp, timeout, s).await,
        StatusPageKind::Webhook => webhook(sp, timeout, s).await,
    }
}

async fn atlassian(sp: &StatusPageSettings, timeout: Duration, s: &Send<'_>) -> Outcome {
    let (Some(page), Some(key)) = (&sp.page_id, &sp.api_key) else {
        return super::not_configured("notify.statuspage page_id and API key");
    };
    let client = match http::client(timeout, &sp.api_url, &sp.tls, "notify.statuspage") {
        Ok(c) => c,
        Err(f) => return Outcome::Failed(f),
    };
    let base = format!(
        "{}/pages/{page}/incidents",
        sp.api_url.trim_end_matches('/')
    );
    let auth = format!("OAuth {}", key.expose());
    let request = match &s.due.reference {
        Some(id) => client
            .patch(format!("{base}/{id}"))
            .json(&json!({"incident": {"status": status(s), "body": s.message.public}})),
        None => {
            // Created once: an earlier creation whose answer (the id) was lost may have made
            // one already, and a second would show users two incidents.
            let created_before = s.records.iter().any(|r| {
                r.channel == crate::report::escalation::ChannelKind::Statuspage && r.state.told()
            });
            if created_before {
                return Outcome::Failed(Failure::new(
                    Cause::Refused(Refusal::Conflict),
                    "the status page incident's id is unknown (its creation may have been posted): update it by hand",
                ));
            }
            client.post(&base).json(&json!({"incident": {
                "name": s.incident.title,
                "status": status(s),
                "body": s.message.public,
                "impact_override": impact(s.incident.severity),
                "deliver_notifications": true,
            }}))
        }
    };
    let request = request.header(reqwest::header::AUTHORIZATION, auth);
    match http::send(request, "Statuspage", timeout, &[key.expose()]).await {
        Answer::Accepted { body } => {
            let answer: Value = serde_json::from_slice(&body).unwrap_or_default();
            let id = answer["id"].as_str().map(str::to_string);
            Outcome::Sent {
                reference: id.or_else(|| s.due.reference.clone()),
            }
        }
        Answer::Done(outcome) => outcome,
    }
}

async fn webhook(sp: &StatusPageSettings, timeout: Duration, s: &Send<'_>) -> Outcome {
    let Some(url) = &sp.webhook_url else {
        return super::not_configured("notify.statuspage webhook URL");
    };
    let client = match http::client(timeout, url.expose(), &sp.tls, "notify.statuspage") {
        Ok(c) => c,
        Err(f) => return Outcome::Failed(f),
    };
    let i = s.incident;
    let filled = crate::settings::fill_template(&sp.template, &|name| match name {
        "id" => i.id.clone(),
        "title" => i.title.clone(),
        "status" => status(s).to_string(),
        "severity" => i.severity.label().to_string(),
        "message" => s.message.public.clone(),
        "step" => s.due.step.key(),
        _ => String::new(),
    });
    let request = client
        .post(url.expose())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(filled);
    match http::send(request, "status page webhook", timeout, &[url.expose()]).await {
        Answer::Accepted { .. } => Outcome::Sent { reference: None },
        Answer::Done(outcome) => outcome,
    }
}
