//! Checks on `[notify]` once its secrets are read: every route reaches its audience through a
//! channel that is configured, every address is an address, the policy's values parse. Each
//! problem names its key, before anything is sent.

use super::notify::{NotifySettings, StartTls, StatusPageKind};
use crate::error::{Error, Result};
use crate::types::Audience;
use std::collections::BTreeSet;

pub(super) fn validate(n: &NotifySettings) -> Result<()> {
    if let Some(smtp) = &n.smtp {
        let scheme_ok = ["smtp://", "smtps://"]
            .iter()
            .any(|s| smtp.url.expose().starts_with(s));
        if !scheme_ok || smtp.address().is_none() {
            return Err(Error::config(
                "notify.smtp.url",
                format!(
                    "'{}' is not smtp://HOST:PORT or smtps://HOST:PORT",
                    smtp.url
                ),
            ));
        }
        mailbox(&smtp.from, "notify.smtp.from")?;
        if smtp.password.is_some() && smtp.user().is_none() {
            return Err(Error::config(
                "notify.smtp",
                "a password is set but no username (notify.smtp.username or the URL's user)",
            ));
        }
        if smtp.password.is_some() && smtp.starttls == StartTls::Never && !smtp.implicit_tls() {
            return Err(Error::config(
                "notify.smtp.starttls",
                "\"never\" with a password would send it in clear text",
            )
            .with_hint("use starttls = \"required\" or an smtps:// URL"));
        }
    }
    if let Some(sp) = &n.statuspage {
        match sp.kind {
            StatusPageKind::Atlassian => {
                if sp.page_id.as_deref().is_none_or(str::is_empty) {
                    return Err(Error::config(
                        "notify.statuspage.page_id",
                        "the Atlassian Statuspage API needs the page's id",
                    ));
                }
                if sp.api_key.is_none() {
                    return Err(Error::config(
                        "notify.statuspage",
                        "no API key: set INCIDENTCTL_STATUSPAGE_API_KEY or api_key_file",
                    ));
                }
                url_key(&sp.api_url, "notify.statuspage.api_url")?;
            }
            StatusPageKind::Webhook => {
                if sp.webhook_url.is_none() {
                    return Err(Error::config("notify.statuspage", "no webhook URL: set INCIDENTCTL_STATUSPAGE_WEBHOOK_URL or webhook_url_file"));
                }
                template(&sp.template)?;
            }
        }
    }
    if let Some(pd) = &n.pagerduty {
        url_key(&pd.url, "notify.pagerduty.url")?;
    }
    routes(n)?;
    n.policy.business_hours()?;
    escalation(n)
}

/// The ladder's steps are named by their minute: whole minutes, each later than the one before.
fn escalation(n: &NotifySettings) -> Result<()> {
    let mut last = None;
    for (i, step) in n.policy.escalation.iter().enumerate() {
        let secs = step.after.0.as_secs();
        let key = format!("notify.policy.escalation[{i}].after");
        if secs % 60 != 0 || step.after.0.subsec_nanos() != 0 {
            return Err(Error::config(
                key,
                format!("{} is not a whole number of minutes", step.after),
            ));
        }
        if last.is_some_and(|l| secs <= l) {
            return Err(Error::config(
                key,
                "each step must come later than the one before",
            ));
        }
        last = Some(secs);
    }
    Ok(())
}

fn routes(n: &NotifySettings) -> Result<()> {
    let mut slack_for: BTreeSet<Audience> = BTreeSet::new();
    let mut pagerduty_for: BTreeSet<Audience> = BTreeSet::new();
    for (i, r) in n.routes.iter().enumerate() {
        let key = format!("notify.route[{i}]");
        let slack = r.slack || r.slack_webhook.is_some();
        let pagerduty = r.pagerduty || r.pagerduty_routing_key.is_some();
        if r.email.is_empty() && !slack && !pagerduty && !r.statuspage {
            return Err(Error::config(
                &key,
                format!(
                    "audience {} has no channel: give email, slack, pagerduty or statuspage",
                    r.audience
                ),
            ));
        }
        if !r.email.is_empty() && n.smtp.is_none() {
            return Err(Error::config(
                &key,
                "email needs [notify.smtp] (url and from)",
            ));
        }
        for address in &r.email {
            mailbox(address, &format!("{key}.email"))?;
        }
        if r.slack && r.slack_webhook.is_some() {
            return Err(Error::config(
                &key,
                "slack = true and slack_webhook_file: give one",
            ));
        }
        if slack && !slack_for.insert(r.audience) {
            return Err(Error::config(
                &key,
                format!(
                    "audience {} has a Slack webhook in another route already: one per audience",
                    r.audience
                ),
            ));
        }
        if pagerduty && !pagerduty_for.insert(r.audience) {
            return Err(Error::config(
                &key,
                format!(
                    "audience {} has PagerDuty in another route already: one per audience",
                    r.audience
                ),
            ));
        }
        let pd_key = n.pagerduty.as_ref().and_then(|p| p.routing_key.as_ref());
        if r.pagerduty && r.pagerduty_routing_key.is_none() && pd_key.is_none() {
            return Err(Error::config(&key, "pagerduty = true but no routing key: set INCIDENTCTL_PAGERDUTY_ROUTING_KEY, notify.pagerduty.routing_key_file or this route's pagerduty_routing_key_file"));
        }
        if r.statuspage && n.statuspage.is_none() {
            return Err(Error::config(
                &key,
                "statuspage = true needs [notify.statuspage]",
            ));
        }
    }
    Ok(())
}

fn mailbox(text: &str, key: &str) -> Result<()> {
    text.parse::<lettre::message::Mailbox>()
        .map(|_| ())
        .map_err(|e| Error::config(key, format!("'{text}' is not an email address ({e})")))
}

fn url_key(text: &str, key: &str) -> Result<()> {
    super::secrets::validate_url(text).map_err(|e| Error::config(key, e))
}

/// The template filled with sample values must be a JSON document.
fn template(text: &str) -> Result<()> {
    let filled = fill_template(text, &|_| "sample \"quoted\" text".to_string());
    serde_json::from_str::<serde_json::Value>(&filled)
        .map(|_| ())
        .map_err(|e| {
            Error::config(
                "notify.statuspage.template",
                format!("not a JSON document once filled in ({e})"),
            )
            .with_hint("put each {{name}} inside a JSON string: \"message\": \"{{message}}\"")
        })
}

/// `{{name}}` replaced by `value(name)`, JSON-escaped (so a template places it inside quotes).
pub fn fill_template(text: &str, value: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = rest[open + 2..open + close].trim();
        // A JSON string of printable text: what a status page shows cannot carry a terminal's
        // sequences or a bidi override (src/output/printable.rs).
        let shown =
            crate::output::printable::text(&value(name), crate::output::printable::Layout::Lines)
                .into_owned();
        let escaped = crate::output::printable::json_escaped(
            serde_json::to_string(&shown).unwrap_or_default(),
        );
        out.push_str(escaped.trim_start_matches('"').trim_end_matches('"'));
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_escape_what_they_are_given() {
        let filled = fill_template(r#"{"m": "{{message}}", "x": "{{ unknown }}"}"#, &|n| {
            if n == "message" {
                "a \"b\"\nc".into()
            } else {
                String::new()
            }
        });
        let v: serde_json::Value = serde_json::from_str(&filled).unwrap();
        assert_eq!(v["m"], "a \"b\"\nc");
        assert_eq!(v["x"], "");
        assert!(template(r#"{"m": {{message}}}"#).is_err());
        assert!(template(super::super::notify::DEFAULT_STATUSPAGE_TEMPLATE).is_ok());
    }
}
