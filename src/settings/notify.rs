//! `[notify]`: who is told of an incident, how, and when. Routes name an audience and its
//! channels (email, Slack, PagerDuty, the status page); `[notify.smtp]`, `[notify.pagerduty]` and
//! `[notify.statuspage]` say how to reach them; `[notify.policy]` is the runbook's matrix unless
//! the file says otherwise. Secrets (the SMTP password, routing keys, webhook URLs, API keys)
//! come from the environment or from files, never from the file's text, and are never printed.

use super::credentials::read_secret_file;
use super::file::Env;
use super::secrets::{redacted_option, Secret, SecretUrl};
use super::TlsFiles;
use crate::error::{Error, Result};
use crate::types::{Audience, Dur, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifySettings {
    pub smtp: Option<SmtpSettings>,
    pub pagerduty: Option<PagerDutySettings>,
    pub statuspage: Option<StatusPageSettings>,
    /// `[[notify.route]]`: an audience and the channels that reach it.
    #[serde(rename = "route")]
    pub routes: Vec<Route>,
    pub policy: NotifyPolicy,
}

/// How the SMTP connection is protected: `smtps://` is TLS from the first byte; `smtp://` uses
/// STARTTLS when the server offers it (`opportunistic`), always (`required`), or never.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StartTls {
    #[default]
    Opportunistic,
    Required,
    Never,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    /// `smtp://host:port` or `smtps://host:port`; a user (and password) in it log in.
    pub url: SecretUrl,
    /// The sender: `incidents@example.com` or `Incidents <incidents@example.com>`.
    pub from: String,
    #[serde(default)]
    pub username: Option<String>,
    /// A file holding the password (else INCIDENTCTL_SMTP_PASSWORD, else the URL's).
    #[serde(default)]
    pub password_file: Option<PathBuf>,
    #[serde(default, skip_deserializing, serialize_with = "redacted_option")]
    pub password: Option<Secret>,
    #[serde(default)]
    pub starttls: StartTls,
    #[serde(default)]
    pub tls: TlsFiles,
}

impl SmtpSettings {
    /// Implicit TLS (`smtps://`).
    pub fn implicit_tls(&self) -> bool {
        self.url.expose().starts_with("smtps:")
    }

    /// Host and port (25 for smtp://, 465 for smtps:// when the URL gives none).
    pub fn address(&self) -> Option<(String, u16)> {
        let url = url::Url::parse(self.url.expose()).ok()?;
        let port = url
            .port()
            .unwrap_or(if self.implicit_tls() { 465 } else { 25 });
        Some((url.host_str()?.to_string(), port))
    }

    /// The user to log in as: `username`, else the URL's.
    pub fn user(&self) -> Option<String> {
        self.username.clone().or_else(|| {
            url::Url::parse(self.url.expose())
                .ok()
                .map(|u| u.username().to_string())
                .filter(|u| !u.is_empty())
        })
    }
}

pub const PAGERDUTY_EVENTS_URL: &str = "https://events.pagerduty.com/v2/enqueue";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PagerDutySettings {
    /// The Events API v2 endpoint.
    pub url: String,
    /// A file holding the integration's routing key (else INCIDENTCTL_PAGERDUTY_ROUTING_KEY).
    pub routing_key_file: Option<PathBuf>,
    #[serde(skip_deserializing, serialize_with = "redacted_option")]
    pub routing_key: Option<Secret>,
    /// `payload.source` of each event (default: the namespace).
    pub source: Option<String>,
    pub tls: TlsFiles,
}

impl Default for PagerDutySettings {
    fn default() -> Self {
        PagerDutySettings {
            url: PAGERDUTY_EVENTS_URL.into(),
            routing_key_file: None,
            routing_key: None,
            source: None,
            tls: TlsFiles::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusPageKind {
    /// Atlassian Statuspage's REST API: an incident per incident, updated as it goes.
    #[default]
    Atlassian,
    /// A JSON document, from `template`, POSTed to a webhook URL.
    Webhook,
}

pub const STATUSPAGE_API_URL: &str = "https://api.statuspage.io/v1";

/// The generic webhook's default document. `{{name}}` is replaced by the value, JSON-escaped.
pub const DEFAULT_STATUSPAGE_TEMPLATE: &str = r#"{"id": "{{id}}", "title": "{{title}}", "status": "{{status}}", "severity": "{{severity}}", "message": "{{message}}"}"#;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatusPageSettings {
    pub kind: StatusPageKind,
    /// Atlassian: the API's base URL and the page.
    pub api_url: String,
    pub page_id: Option<String>,
    /// Atlassian: a file holding the API key (else INCIDENTCTL_STATUSPAGE_API_KEY).
    pub api_key_file: Option<PathBuf>,
    #[serde(skip_deserializing, serialize_with = "redacted_option")]
    pub api_key: Option<Secret>,
    /// Webhook: a file holding its URL (else INCIDENTCTL_STATUSPAGE_WEBHOOK_URL).
    pub webhook_url_file: Option<PathBuf>,
    #[serde(skip_deserializing, serialize_with = "redacted_option")]
    pub webhook_url: Option<Secret>,
    /// Webhook: the JSON document sent, with `{{id}}`, `{{title}}`, `{{status}}`,
    /// `{{severity}}`, `{{message}}`, `{{step}}`.
    pub template: String,
    pub tls: TlsFiles,
}

impl Default for StatusPageSettings {
    fn default() -> Self {
        StatusPageSettings {
            kind: StatusPageKind::default(),
            api_url: STATUSPAGE_API_URL.into(),
            page_id: None,
            api_key_file: None,
            api_key: None,
            webhook_url_file: None,
            webhook_url: None,
            template: DEFAULT_STATUSPAGE_TEMPLATE.into(),
            tls: TlsFiles::default(),
        }
    }
}

/// One `[[notify.route]]`: an audience and how it is reached.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub audience: Audience,
    /// Email addresses (needs `[notify.smtp]`).
    #[serde(default)]
    pub email: Vec<String>,
    /// Slack through report.slack_webhook / SLACK_WEBHOOK_URL.
    #[serde(default)]
    pub slack: bool,
    /// Slack through another incoming webhook, its URL in this file.
    #[serde(default)]
    pub slack_webhook_file: Option<PathBuf>,
    /// PagerDuty through `[notify.pagerduty]`'s routing key…
    #[serde(default)]
    pub pagerduty: bool,
    /// …or another service's, in this file.
    #[serde(default)]
    pub pagerduty_routing_key_file: Option<PathBuf>,
    /// The status page of `[notify.statuspage]`.
    #[serde(default)]
    pub statuspage: bool,
    #[serde(skip)]
    pub slack_webhook: Option<Secret>,
    #[serde(skip)]
    pub pagerduty_routing_key: Option<Secret>,
}

/// Whether escalation stops at acknowledgement or goes on until the incident is resolved (the
/// runbook's "while unresolved").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EscalateUntil {
    #[default]
    Resolved,
    Acknowledged,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationStep {
    /// Time since detection.
    pub after: Dur,
    pub audiences: Vec<Audience>,
}

/// `[notify.policy]`: the runbook's matrix by default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyPolicy {
    /// Who is told when an incident opens at (or rises to) each severity.
    pub severity: BTreeMap<Severity, Vec<Audience>>,
    /// The severities that walk the escalation ladder.
    pub escalate: Vec<Severity>,
    pub escalate_until: EscalateUntil,
    /// `[[notify.policy.escalation]]`: the ladder, from detection.
    pub escalation: Vec<EscalationStep>,
    /// Who gets the status update every report.update_interval (of those already told).
    pub updates_to: Vec<Audience>,
    /// Severities whose notifications wait for business hours.
    pub business_hours_only: Vec<Severity>,
    /// `HH:MM-HH:MM` in `time_zone`, on `business_days`.
    pub business_hours: String,
    pub business_days: Vec<String>,
    /// An IANA time zone (`Europe/Berlin`).
    pub time_zone: String,
}

impl Default for NotifyPolicy {
    fn default() -> Self {
        use Audience::*;
        let step = |minutes: u64, audiences: Vec<Audience>| EscalationStep {
            after: Dur::secs(minutes * 60),
            audiences,
        };
        NotifyPolicy {
            severity: BTreeMap::from([
                (
                    Severity::Sev1,
                    vec![Primary, Management, Partners, Team, StatusPage],
                ),
                (
                    Severity::Sev2,
                    vec![Primary, TeamLead, Management, Team, StatusPage],
                ),
                (Severity::Sev3, vec![Team]),
                (Severity::Sev4, vec![Tracker]),
            ]),
            escalate: vec![Severity::Sev1, Severity::Sev2],
            escalate_until: EscalateUntil::Resolved,
            escalation: vec![
                step(15, vec![Secondary]),
                step(30, vec![Manager]),
                step(60, vec![Executives]),
            ],
            updates_to: vec![Team, Management, StatusPage],
            business_hours_only: vec![Severity::Sev3],
            business_hours: "09:00-17:00".into(),
            business_days: ["Mon", "Tue", "Wed", "Thu", "Fri"]
                .map(String::from)
                .to_vec(),
            time_zone: "UTC".into(),
        }
    }
}

/// Business hours, parsed: minutes of the day and weekdays, in a time zone.
#[derive(Debug, Clone)]
pub struct BusinessHours {
    pub start_minute: i32,
    pub end_minute: i32,
    pub days: Vec<jiff::civil::Weekday>,
    pub time_zone: jiff::tz::TimeZone,
}

impl NotifyPolicy {
    /// The business hours as values; a bad value names its key.
    pub fn business_hours(&self) -> Result<BusinessHours> {
        let key = "notify.policy.business_hours";
        let bad = || Error::config(key, format!("'{}' is not HH:MM-HH:MM", self.business_hours));
        let minute = |t: &str| -> Option<i32> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
            ((0..=24).contains(&h) && (0..60).contains(&m) && h * 60 + m <= 1440)
                .then_some(h * 60 + m)
        };
        let (start, end) = self.business_hours.split_once('-').ok_or_else(bad)?;
        let (start_minute, end_minute) =
            (minute(start).ok_or_else(bad)?, minute(end).ok_or_else(bad)?);
        if start_minute >= end_minute {
            return Err(Error::config(key, "the start must be before the end"));
        }
        let days = self
            .business_days
            .iter()
            .map(|d| {
                weekday(d).ok_or_else(|| {
                    Error::config(
                        "notify.policy.business_days",
                        format!("'{d}' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)"),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let time_zone = jiff::tz::TimeZone::get(&self.time_zone).map_err(|e| {
            Error::config(
                "notify.policy.time_zone",
                format!("'{}' is not a time zone: {e}", self.time_zone),
            )
            .with_hint("an IANA name such as Europe/Berlin or America/New_York, or UTC")
        })?;
        Ok(BusinessHours {
            start_minute,
            end_minute,
            days,
            time_zone,
        })
    }
}

fn weekday(name: &str) -> Option<jiff::civil::Weekday> {
    use jiff::civil::Weekday::*;
    let lower = name.trim().to_ascii_lowercase();
    [
        ("mon", Monday),
        ("tue", Tuesday),
        ("wed", Wednesday),
        ("thu", Thursday),
        ("fri", Friday),
        ("sat", Saturday),
        ("sun", Sunday),
    ]
    .into_iter()
    .find(|(short, _)| lower.starts_with(short))
    .map(|(_, day)| day)
}

/// Reads the secrets (environment over files) and checks every route and channel, naming the
/// key of anything wrong.
pub(super) fn resolve(
    notify: &mut NotifySettings,
    slack_webhook_set: bool,
    env: &dyn Env,
) -> Result<()> {
    if let Some(smtp) = &mut notify.smtp {
        resolve_smtp(smtp, env)?;
    }
    if let Some(key) = env.var("INCIDENTCTL_PAGERDUTY_ROUTING_KEY") {
        notify
            .pagerduty
            .get_or_insert_with(Default::default)
            .routing_key = Some(Secret(key));
    } else if let Some(pd) = &mut notify.pagerduty {
        if let Some(path) = &pd.routing_key_file {
            pd.routing_key = Some(read_secret_file(path, "notify.pagerduty.routing_key_file")?);
        }
    }
    if let Some(sp) = &mut notify.statuspage {
        resolve_statuspage(sp, env)?;
    }
    for (i, route) in notify.routes.iter_mut().enumerate() {
        if let Some(path) = &route.slack_webhook_file {
            let key = format!("notify.route[{i}].slack_webhook_file");
            route.slack_webhook = Some(read_secret_file(path, &key)?);
        }
        if let Some(path) = &route.pagerduty_routing_key_file {
            let key = format!("notify.route[{i}].pagerduty_routing_key_file");
            route.pagerduty_routing_key = Some(read_secret_file(path, &key)?);
        }
    }
    for (i, route) in notify.routes.iter().enumerate() {
        if route.slack && !slack_webhook_set {
            return Err(Error::config(
                format!("notify.route[{i}].slack"),
                "slack = true needs report.slack_webhook or SLACK_WEBHOOK_URL",
            ));
        }
    }
    super::notify_check::validate(notify)
}

fn resolve_smtp(smtp: &mut SmtpSettings, env: &dyn Env) -> Result<()> {
    if let Some(password) = env.var("INCIDENTCTL_SMTP_PASSWORD") {
        smtp.password = Some(Secret(password));
    } else if let Some(path) = &smtp.password_file {
        smtp.password = Some(read_secret_file(path, "notify.smtp.password_file")?);
    } else if let Some(password) = url::Url::parse(smtp.url.expose())
        .ok()
        .and_then(|u| u.password().map(str::to_string))
    {
        // A password in the URL is percent-encoded there.
        let decoded = percent_decode(&password);
        smtp.password = Some(Secret(decoded));
    }
    Ok(())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn resolve_statuspage(sp: &mut StatusPageSettings, env: &dyn Env) -> Result<()> {
    if let Some(key) = env.var("INCIDENTCTL_STATUSPAGE_API_KEY") {
        sp.api_key = Some(Secret(key));
    } else if let Some(path) = &sp.api_key_file {
        sp.api_key = Some(read_secret_file(path, "notify.statuspage.api_key_file")?);
    }
    if let Some(url) = env.var("INCIDENTCTL_STATUSPAGE_WEBHOOK_URL") {
        sp.webhook_url = Some(Secret(url));
    } else if let Some(path) = &sp.webhook_url_file {
        sp.webhook_url = Some(read_secret_file(
            path,
            "notify.statuspage.webhook_url_file",
        )?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_percent_decoded() {
        assert_eq!(percent_decode("p%40ss%2Fword"), "p@ss/word");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("é"), "é");
    }

    #[test]
    fn business_hours_parse_and_refuse_nonsense() {
        let p = NotifyPolicy::default();
        let b = p.business_hours().unwrap();
        assert_eq!((b.start_minute, b.end_minute), (540, 1020));
        assert_eq!(b.days.len(), 5);
        for (hours, ok) in [
            ("08:30-18:00", true),
            ("18:00-08:00", false),
            ("9-17", false),
            ("00:00-24:00", true),
            ("25:00-26:00", false),
        ] {
            let p = NotifyPolicy {
                business_hours: hours.into(),
                ..NotifyPolicy::default()
            };
            assert_eq!(p.business_hours().is_ok(), ok, "{hours}");
        }
        let p = NotifyPolicy {
            time_zone: "Mars/Olympus".into(),
            ..NotifyPolicy::default()
        };
        assert!(p.business_hours().is_err());
        let p = NotifyPolicy {
            business_days: vec!["Funday".into()],
            ..NotifyPolicy::default()
        };
        assert!(p.business_hours().is_err());
    }
}
