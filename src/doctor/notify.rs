//! The notification routes: one row per audience and channel, each checked without sending —
//! SMTP up to login then QUIT, PagerDuty's and the webhooks' endpoints answering at all, the
//! Statuspage API reading the page with the key — and a row for audiences no route reaches.

use super::{row, Row};
use crate::clients::Context;
use crate::report::escalation::channels::{email, http_client, Failure};
use crate::report::escalation::routes::{Destination, Routes};
use crate::settings::{Settings, StatusPageKind};
use crate::types::{Audience, Status};
use std::collections::BTreeSet;

const AREA: &str = "notify";

/// A channel's check: Ok(what was seen) or the failure and a fix.
type Checked = Result<String, (String, String)>;

fn failed(f: Failure, fix: &str) -> (String, String) {
    (f.detail, fix.to_string())
}

/// Any HTTP answer from `url` means the endpoint is there; nothing is posted.
async fn reachable(
    settings: &Settings,
    url: &str,
    tls: &crate::settings::TlsFiles,
    key: &str,
) -> Checked {
    let timeout = settings.timeout.0;
    let client =
        http_client(timeout, url, tls, key).map_err(|f| failed(f, "check the TLS files"))?;
    match client.get(url).send().await {
        Ok(r) => Ok(format!(
            "answered HTTP {} (nothing sent)",
            r.status().as_u16()
        )),
        Err(e) => Err((
            crate::report::notify::describe(e, timeout),
            format!("check {key} and the network path to it"),
        )),
    }
}

async fn statuspage(settings: &Settings) -> Checked {
    let Some(sp) = &settings.notify.statuspage else {
        return Err((
            "[notify.statuspage] is not configured".into(),
            "add it".into(),
        ));
    };
    match (sp.kind, &sp.webhook_url, &sp.page_id, &sp.api_key) {
        (StatusPageKind::Webhook, Some(url), _, _) => {
            reachable(settings, url.expose(), &sp.tls, "notify.statuspage").await
        }
        (StatusPageKind::Atlassian, _, Some(page), Some(key)) => {
            let timeout = settings.timeout.0;
            let url = format!("{}/pages/{page}", sp.api_url.trim_end_matches('/'));
            let client = http_client(timeout, &url, &sp.tls, "notify.statuspage")
                .map_err(|f| failed(f, "check notify.statuspage.tls"))?;
            let answer = client
                .get(&url)
                .header(
                    reqwest::header::AUTHORIZATION,
                    format!("OAuth {}", key.expose()),
                )
                .send()
                .await;
            match answer {
                Ok(r) if r.status().is_success() => Ok(format!(
                    "page {page} readable with the API key (nothing sent)"
                )),
                Ok(r) if matches!(r.status().as_u16(), 401 | 403) => Err((
                    format!(
                        "Statuspage refused the API key (HTTP {})",
                        r.status().as_u16()
                    ),
                    "check INCIDENTCTL_STATUSPAGE_API_KEY or notify.statuspage.api_key_file".into(),
                )),
                Ok(r) => Err((
                    format!(
                        "Statuspage answered HTTP {} for page {page}",
                        r.status().as_u16()
                    ),
                    "check notify.statuspage.page_id and api_url".into(),
                )),
                Err(e) => Err((
                    crate::report::notify::describe(e, timeout),
                    "check notify.statuspage.api_url and the network path to it".into(),
                )),
            }
        }
        _ => Err((
            "incomplete".into(),
            "see notify.statuspage in examples/incidentctl.toml".into(),
        )),
    }
}

/// Every audience the policy names.
fn named(settings: &Settings) -> BTreeSet<Audience> {
    let p = &settings.notify.policy;
    p.severity
        .values()
        .flatten()
        .chain(p.escalation.iter().flat_map(|s| s.audiences.iter()))
        .copied()
        .collect()
}

pub async fn rows(ctx: &Context) -> Vec<Row> {
    let s = &ctx.settings;
    let routes = Routes::from_settings(s);
    if routes.is_empty() {
        // Notifications are opt-in: a set-up without them is not broken, but should know.
        return vec![row(
            AREA,
            "notification routes",
            Status::Ok,
            "none configured: report escalate tells nobody (add [notify.smtp] and [[notify.route]], see examples/incidentctl.toml)",
            None,
        )];
    }
    let mut rows = Vec::new();
    let routed: BTreeSet<Audience> = routes.audiences().map(|(a, _)| *a).collect();
    let unrouted: Vec<String> = named(s)
        .difference(&routed)
        .map(|a| a.to_string())
        .collect();
    if !unrouted.is_empty() {
        rows.push(row(
            AREA,
            "every audience of the policy has a route",
            Status::Warning,
            format!("no route for {}: they are never told", unrouted.join(", ")),
            Some("add a [[notify.route]] for each (or take them out of [notify.policy])".into()),
        ));
    }
    let uses = |kind: crate::report::escalation::ChannelKind| {
        routes
            .audiences()
            .any(|(_, d)| d.iter().any(|d| d.kind() == kind))
    };
    let timeout = s.timeout.0;
    let smtp = async {
        match (
            &s.notify.smtp,
            uses(crate::report::escalation::ChannelKind::Email),
        ) {
            (Some(smtp), true) => Some(email::check(smtp, timeout).await.map_err(|f| {
                failed(
                    f,
                    "check notify.smtp (url, starttls, tls, username, the password)",
                )
            })),
            _ => None,
        }
    };
    let pagerduty = async {
        let pd = s.notify.pagerduty.clone().unwrap_or_default();
        match uses(crate::report::escalation::ChannelKind::Pagerduty) {
            true => Some(
                reachable(s, &pd.url, &pd.tls, "notify.pagerduty")
                    .await
                    .map(|seen| {
                        format!("{seen}; the routing key is only checked by sending an event")
                    }),
            ),
            false => None,
        }
    };
    let page = async {
        match uses(crate::report::escalation::ChannelKind::Statuspage) {
            true => Some(statuspage(s).await),
            false => None,
        }
    };
    let (smtp, pagerduty, page) = tokio::join!(smtp, pagerduty, page);
    for (audience, destinations) in routes.audiences() {
        for d in destinations {
            let checked = match d {
                Destination::Email(_) => smtp.clone(),
                Destination::Pagerduty(_) => pagerduty.clone(),
                Destination::Statuspage => page.clone(),
                Destination::Slack(hook) => {
                    Some(reachable(s, hook.expose(), &s.report.slack_tls, "report.slack").await)
                }
            };
            let requirement = format!("{audience} by {} ({})", d.kind().as_str(), d.shown());
            rows.push(match checked {
                Some(Ok(seen)) => row(AREA, requirement, Status::Ok, seen, None),
                Some(Err((detail, fix))) => {
                    row(AREA, requirement, Status::Critical, detail, Some(fix))
                }
                None => row(AREA, requirement, Status::Unknown, "not checked", None),
            });
        }
    }
    rows
}
