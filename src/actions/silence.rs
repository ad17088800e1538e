//! Alertmanager silences (API v2): "make the pager stop while we work", as a change like the
//! others: the plan names the matchers, the alerts firing now that they would silence, and when
//! the silence ends; `--dry-run` creates nothing; the audit log records the silence's id.

use crate::change::{Action, Applied, Change, Plan, Undo};
use crate::context::{body_text, http_error, refused_credentials, Context};
use crate::error::{Error, Result};
use crate::output::redact;
use crate::types::Dur;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// One matcher, as Alertmanager's v2 API takes it: `name=value`, `name!=value`, `name=~regex`,
/// `name!~regex`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Matcher {
    pub name: String,
    pub value: String,
    pub is_regex: bool,
    #[serde(default = "yes")]
    pub is_equal: bool,
}

fn yes() -> bool {
    true
}

impl std::fmt::Display for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{:?}", self.name, self.op(), self.value)
    }
}

impl Matcher {
    /// The matcher as `--matcher` takes it: `name=value`, `name=~regex` (value unquoted).
    pub fn as_argument(&self) -> String {
        format!("{}{}{}", self.name, self.op(), self.value)
    }

    fn op(&self) -> &'static str {
        match (self.is_equal, self.is_regex) {
            (true, false) => "=",
            (false, false) => "!=",
            (true, true) => "=~",
            (false, true) => "!~",
        }
    }

    /// Whether an alert's labels satisfy this matcher (a missing label is the empty string, as
    /// in Alertmanager). Regexes are anchored, as Alertmanager anchors them.
    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.name).map_or("", String::as_str);
        let hit = if self.is_regex {
            regex::Regex::new(&format!("^(?:{})$", self.value)).is_ok_and(|re| re.is_match(value))
        } else {
            value == self.value
        };
        hit == self.is_equal
    }
}

/// Parses `--matcher NAME=VALUE` (also `!=`, `=~`, `!~`); an error names what is wrong.
pub fn parse_matcher(text: &str) -> std::result::Result<Matcher, String> {
    let Some(at) = text.find(['=', '!']) else {
        return Err(format!(
            "'{text}' is not NAME=VALUE (or NAME!=VALUE, NAME=~REGEX, NAME!~REGEX)"
        ));
    };
    let (name, rest) = text.split_at(at);
    let (is_equal, is_regex, value) = if let Some(v) = rest.strip_prefix("=~") {
        (true, true, v)
    } else if let Some(v) = rest.strip_prefix("!~") {
        (false, true, v)
    } else if let Some(v) = rest.strip_prefix("!=") {
        (false, false, v)
    } else if let Some(v) = rest.strip_prefix('=') {
        (true, false, v)
    } else {
        return Err(format!(
            "'{text}': expected =, !=, =~ or !~ after the label name"
        ));
    };
    let label_name = name
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
    if name.is_empty() || !label_name {
        return Err(format!(
            "'{name}' is not a label name (letters, digits and '_', not starting with a digit)"
        ));
    }
    let value = value.trim_matches('"').to_string();
    if is_regex {
        regex::Regex::new(&value)
            .map_err(|e| format!("'{value}' is not a regular expression: {e}"))?;
    }
    Ok(Matcher {
        name: name.to_string(),
        value,
        is_regex,
        is_equal,
    })
}

/// Alertmanager refuses a silence whose every matcher matches the empty string (it would
/// silence everything); say so before asking it.
pub fn check_matchers(matchers: &[Matcher]) -> Result<()> {
    if matchers.is_empty() {
        return Err(Error::usage(
            "silence add needs at least one --matcher NAME=VALUE",
        ));
    }
    let empty = BTreeMap::new();
    if matchers.iter().all(|m| m.matches(&empty)) {
        return Err(Error::usage(
            "these matchers match every alert (each matches an empty label): add one that names what to silence, e.g. --matcher alertname=HighErrorRate",
        ));
    }
    Ok(())
}

/// A silence as the API lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Silence {
    pub id: String,
    pub matchers: Vec<Matcher>,
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default)]
    pub created_by: String,
    #[serde(default)]
    pub comment: String,
    pub status: SilenceStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SilenceStatus {
    /// active, pending or expired.
    pub state: String,
}

impl Silence {
    pub fn matchers_text(&self) -> String {
        self.matchers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The marker a silence made for an incident carries in its comment, so that the incident can
/// find its silences on the server of record.
pub fn incident_marker(incident: &str) -> String {
    format!("[incidentctl incident {incident}]")
}

/// The Alertmanager v2 API, with the configured TLS and credentials.
struct Api {
    http: reqwest::Client,
    base: String,
    /// The URL as shown: credentials redacted.
    shown: String,
}

impl Api {
    async fn new(ctx: &Context) -> Result<Api> {
        let http = ctx
            .alertmanager_http()
            .await
            .map_err(|e| e.into_error(""))?;
        let url = &ctx.settings.alertmanager.url;
        Ok(Api {
            http,
            base: url.expose().trim_end_matches('/').to_string(),
            shown: url.redacted(),
        })
    }

    /// Sends a request; a non-success answer is an error typed by its status code.
    async fn send(&self, request: reqwest::RequestBuilder, what: &str) -> Result<String> {
        let response = request
            .send()
            .await
            .map_err(|e| http_error(e, &self.shown, "alertmanager").into_error(what))?;
        let code = response.status();
        refused_credentials(code, &self.shown, "alertmanager").map_err(|e| e.into_error(what))?;
        let body = body_text(response, &self.shown, "alertmanager")
            .await
            .map_err(|e| e.into_error(what))?;
        if !code.is_success() {
            let message = format!(
                "{what}: {}: HTTP {code}: {}",
                self.shown,
                redact::truncate(&redact::secrets(body.trim()), 200)
            );
            return Err(Error::remote(
                crate::types::failure::of_http_status(code.as_u16()),
                message,
            ));
        }
        Ok(body)
    }

    fn parse<T: serde::de::DeserializeOwned>(&self, body: &str, what: &str) -> Result<T> {
        serde_json::from_str(body).map_err(|_| {
            Error::remote(
                crate::types::Cause::NotTheProtocol,
                format!(
                    "{what}: {}: not an Alertmanager v2 answer: {}",
                    self.shown,
                    redact::truncate(&redact::secrets(body.trim()), 120)
                ),
            )
            .with_hint("check alertmanager.url points at Alertmanager 0.16+ (API v2)")
        })
    }

    async fn silences(&self) -> Result<Vec<Silence>> {
        let what = "list silences";
        let body = self
            .send(
                self.http.get(format!("{}/api/v2/silences", self.base)),
                what,
            )
            .await?;
        self.parse(&body, what)
    }

    async fn silence(&self, id: &str) -> Result<Silence> {
        let what = "get the silence";
        let body = self
            .send(
                self.http
                    .get(format!("{}/api/v2/silence/{}", self.base, safe_id(id))),
                what,
            )
            .await?;
        self.parse(&body, what)
    }

    async fn firing(&self) -> Result<Vec<crate::checks::alertmanager::Alert>> {
        let what = "list firing alerts";
        let body = self
            .send(
                self.http
                    .get(format!("{}/api/v2/alerts", self.base))
                    .query(&[("active", "true"), ("silenced", "false")]),
                what,
            )
            .await?;
        self.parse(&body, what)
    }
}

/// A silence id as Alertmanager makes them (a UUID): letters, digits and '-'. Anything else is
/// dropped, so an id can never change the path it is put in.
/// What Alertmanager's silence ids are made of (UUIDs): letters, digits and '-'.
fn is_silence_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && safe_id(id) == id
}

fn safe_id(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// Silences sorted for people: active first, then pending, then expired; each by end time.
pub async fn list(ctx: &Context, all: bool) -> Result<Vec<Silence>> {
    let api = Api::new(ctx).await?;
    let mut silences: Vec<Silence> = api
        .silences()
        .await?
        .into_iter()
        .filter(|s| all || s.status.state != "expired")
        .collect();
    let rank = |s: &Silence| match s.status.state.as_str() {
        "active" => 0,
        "pending" => 1,
        _ => 2,
    };
    silences.sort_by(|a, b| (rank(a), &a.ends_at).cmp(&(rank(b), &b.ends_at)));
    Ok(silences)
}

/// The active silences made for an incident (found by the marker in their comment).
pub async fn of_incident(ctx: &Context, incident: &str) -> Result<Vec<Silence>> {
    let marker = incident_marker(incident);
    Ok(list(ctx, false)
        .await?
        .into_iter()
        .filter(|s| s.comment.contains(&marker))
        .collect())
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NewSilence<'a> {
    matchers: &'a [Matcher],
    starts_at: String,
    ends_at: String,
    created_by: &'a str,
    comment: &'a str,
}

pub struct AddSilence {
    plan: Plan,
    api: Api,
    matchers: Vec<Matcher>,
    duration: Duration,
    created_by: String,
    comment: String,
    /// The id Alertmanager gave, once applied: what verify reads back.
    created: Mutex<Option<String>>,
}

pub async fn add(
    ctx: &Context,
    matchers: Vec<Matcher>,
    duration: Dur,
    comment: &str,
    incident: Option<&str>,
) -> Result<AddSilence> {
    check_matchers(&matchers)?;
    if duration.0.is_zero() {
        return Err(Error::usage("--duration must be more than 0"));
    }
    if comment.trim().is_empty() {
        return Err(Error::usage(
            "--comment is empty: say why the alerts are silenced (who reads the silence later needs it)",
        ));
    }
    let api = Api::new(ctx).await?;
    let firing = api.firing().await?;
    let silenced: Vec<String> = firing
        .iter()
        .filter(|a| matchers.iter().all(|m| m.matches(&a.labels)))
        .map(|a| {
            let name = a.labels.get("alertname").map_or("?", String::as_str);
            let severity = a.labels.get("severity").map_or("", String::as_str);
            format!("{name} {severity}").trim().to_string()
        })
        .collect();
    let ends = ctx.settings.now() + jiff::SignedDuration::try_from(duration.0).unwrap_or_default();
    let shown: Vec<String> = matchers.iter().map(ToString::to_string).collect();
    let mut plan = Plan::new(
        "silence add",
        &format!("alertmanager {}", api.shown),
        &format!(
            "silence alerts matching {} for {duration} (until {})",
            shown.join(", "),
            ends.strftime("%Y-%m-%dT%H:%M:%SZ")
        ),
    );
    plan.changes.push(Change::new("silence", "create").was_now(
        "-",
        format!("{} until {}", shown.join(", "), ends.strftime("%H:%M:%SZ")),
    ));
    if silenced.is_empty() {
        plan.warnings.push(
            "no alert firing now matches these matchers: check the label names and values (incidentctl diagnose error-rate lists the firing alerts)".into(),
        );
    } else {
        plan.notes.push(format!(
            "silences {} alert(s) firing now: {}",
            silenced.len(),
            silenced.join(", ")
        ));
    }
    let mut comment = comment.trim().to_string();
    if let Some(id) = incident {
        comment = format!("{comment} {}", incident_marker(id));
    }
    Ok(AddSilence {
        plan,
        api,
        matchers,
        duration: duration.0,
        created_by: crate::change::audit::os_user(),
        comment,
        created: Mutex::new(None),
    })
}

impl Action for AddSilence {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn validate(&self, _ctx: &Context) -> Result<Option<String>> {
        // Alertmanager has no dry run: reading the silences proves it answers with these
        // credentials; nothing is created.
        self.api.silences().await?;
        Ok(Some(
            "Alertmanager answered; it has no dry-run mode, so nothing was sent".into(),
        ))
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        #[derive(Deserialize)]
        struct Created {
            #[serde(rename = "silenceID")]
            silence_id: String,
        }
        let now = ctx.settings.now();
        let ends = now + jiff::SignedDuration::try_from(self.duration).unwrap_or_default();
        let body = NewSilence {
            matchers: &self.matchers,
            starts_at: now.to_string(),
            ends_at: ends.to_string(),
            created_by: &self.created_by,
            comment: &self.comment,
        };
        let what = "create the silence";
        let answer = self
            .api
            .send(
                self.api
                    .http
                    .post(format!("{}/api/v2/silences", self.api.base))
                    .json(&body),
                what,
            )
            .await?;
        let created: Created = self.api.parse(&answer, what)?;
        let line = format!(
            "silence {} created, ends {}",
            created.silence_id,
            ends.strftime("%Y-%m-%dT%H:%M:%SZ"),
        );
        let mut applied = Applied::done(vec![line]);
        // The id comes from the server: only one that is an id goes into a command.
        if is_silence_id(&created.silence_id) {
            applied.undo = Undo::command(["incidentctl", "silence", "expire", &created.silence_id]);
        } else {
            applied.details.push(
                "Alertmanager returned an id that is not a silence id: no undo command is offered"
                    .into(),
            );
        }
        if let Ok(mut slot) = self.created.lock() {
            *slot = Some(created.silence_id);
        }
        Ok(applied)
    }

    async fn verify(&self, _ctx: &Context, _timeout: Duration) -> Result<Vec<String>> {
        let id = self.created.lock().ok().and_then(|s| s.clone());
        let Some(id) = id else {
            return Ok(Vec::new());
        };
        let silence = self.api.silence(&id).await?;
        if silence.status.state != "active" {
            return Err(Error::Unavailable {
                message: format!(
                    "silence {id} was created but is {}, not active",
                    silence.status.state
                ),
                hint: Some("check Alertmanager's clock and the silence's start time".into()),
                cause: None,
            });
        }
        Ok(vec![format!("silence {id} is active")])
    }

    fn verifies(&self) -> bool {
        true
    }
}

pub struct ExpireSilence {
    plan: Plan,
    api: Api,
    id: String,
}

pub async fn expire(ctx: &Context, id: &str) -> Result<ExpireSilence> {
    if !is_silence_id(id) {
        return Err(Error::usage(format!(
            "'{id}' is not a silence id (letters, digits and '-'; incidentctl silence list shows them)"
        )));
    }
    let api = Api::new(ctx).await?;
    let silence = api.silence(id).await.map_err(|e| match e {
        Error::NotFound { .. } => Error::not_found(format!("silence {id} not found"))
            .with_hint("incidentctl silence list --all shows every silence"),
        e => e,
    })?;
    let mut plan = Plan::new(
        "silence expire",
        &format!("alertmanager {}", api.shown),
        &format!("expire silence {id} ({})", silence.matchers_text()),
    );
    if silence.status.state == "expired" {
        plan.notes.push(format!(
            "silence {id} is already expired (ended {})",
            silence.ends_at
        ));
    } else {
        plan.changes
            .push(Change::new(format!("silence/{id}"), "expire").was_now(
                format!("{} until {}", silence.status.state, silence.ends_at),
                "expired",
            ));
        plan.notes.push(format!(
            "created by {}: {}",
            silence.created_by, silence.comment
        ));
        let mut words = vec!["incidentctl".to_string(), "silence".into(), "add".into()];
        // `--flag=value`, one word each: a value from the server is never read as a flag.
        for m in &silence.matchers {
            words.push(format!("--matcher={}", m.as_argument()));
        }
        words.push(format!("--comment={}", silence.comment));
        plan.undo = Undo::command(words);
    }
    Ok(ExpireSilence {
        plan,
        api,
        id: id.to_string(),
    })
}

impl Action for ExpireSilence {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn validate(&self, _ctx: &Context) -> Result<Option<String>> {
        self.api.silence(&self.id).await?;
        Ok(Some(
            "Alertmanager answered; it has no dry-run mode, so nothing was sent".into(),
        ))
    }

    async fn apply(&self, _ctx: &Context) -> Result<Applied> {
        self.api
            .send(
                self.api
                    .http
                    .delete(format!("{}/api/v2/silence/{}", self.api.base, self.id)),
                "expire the silence",
            )
            .await?;
        Ok(Applied::done(vec![format!("silence {} expired", self.id)]))
    }

    async fn verify(&self, _ctx: &Context, _timeout: Duration) -> Result<Vec<String>> {
        let silence = self.api.silence(&self.id).await?;
        if silence.status.state != "expired" {
            return Err(Error::Unavailable {
                message: format!("silence {} is still {}", self.id, silence.status.state),
                hint: None,
                cause: None,
            });
        }
        Ok(vec![format!("silence {} is expired", self.id)])
    }

    fn verifies(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matchers_parse_with_each_operator_and_bad_ones_say_why() {
        let m = parse_matcher("alertname=HighErrorRate").unwrap();
        assert_eq!(
            (m.is_equal, m.is_regex, &*m.value),
            (true, false, "HighErrorRate")
        );
        let m = parse_matcher("severity!~\"warn.*\"").unwrap();
        assert_eq!((m.is_equal, m.is_regex, &*m.value), (false, true, "warn.*"));
        assert_eq!(
            parse_matcher("env!=prod").unwrap().to_string(),
            "env!=\"prod\""
        );
        assert!(parse_matcher("alertname")
            .unwrap_err()
            .contains("NAME=VALUE"));
        assert!(parse_matcher("1x=y").unwrap_err().contains("label name"));
        assert!(parse_matcher("x=~(")
            .unwrap_err()
            .contains("regular expression"));
    }

    #[test]
    fn matchers_that_match_every_alert_are_refused() {
        let everything = vec![parse_matcher("alertname=~.*").unwrap()];
        assert!(check_matchers(&everything).is_err());
        assert!(check_matchers(&[]).is_err());
        let one = vec![parse_matcher("alertname=HighErrorRate").unwrap()];
        assert!(check_matchers(&one).is_ok());
    }

    #[test]
    fn regex_matchers_are_anchored_as_in_alertmanager() {
        let m = parse_matcher("alertname=~High").unwrap();
        let labels = |v: &str| BTreeMap::from([("alertname".to_string(), v.to_string())]);
        assert!(m.matches(&labels("High")));
        assert!(!m.matches(&labels("HighErrorRate")));
    }
}
