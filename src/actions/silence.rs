//! Alertmanager silences (API v2): "make the pager stop while we work", as a change like the
//! others: the plan names the matchers, the alerts firing now that they would silence, and when
//! the silence ends; `--dry-run` creates nothing; the audit log records the silence's id.
//!
//! Each change is a read (what Alertmanager has now, through `clients::alertmanager`) and a
//! pure plan built from that snapshot and the arguments, unit-tested from fixtures.

use crate::change::{Action, Applied, Change, Plan, Undo};
use crate::clients::alertmanager::{is_silence_id, Alert, Alertmanager, NewSilence};
pub use crate::clients::alertmanager::{Matcher, Silence};
use crate::clients::Context;
use crate::error::{Error, Result};
use crate::types::{CheckError, Dur};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

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

/// The marker a silence made for an incident carries in its comment, so that the incident can
/// find its silences on the server of record.
pub fn incident_marker(incident: &str) -> String {
    format!("[incidentctl incident {incident}]")
}

/// The configured Alertmanager; a failure to build its client is the command's.
async fn alertmanager(ctx: &Context) -> Result<Alertmanager> {
    Alertmanager::of(ctx).await.map_err(|e| e.into_error(""))
}

/// A failure of the request `what`, as the command's error.
fn failed(what: &'static str) -> impl Fn(CheckError) -> Error {
    move |e| e.into_error(what)
}

/// Silences sorted for people: active first, then pending, then expired; each by end time.
pub async fn list(ctx: &Context, all: bool) -> Result<Vec<Silence>> {
    let silences = alertmanager(ctx)
        .await?
        .silences()
        .await
        .map_err(failed("list silences"))?;
    Ok(for_people(silences, all))
}

/// The silences to show, in the order people read them; expired ones only with `all`.
fn for_people(silences: Vec<Silence>, all: bool) -> Vec<Silence> {
    let mut silences: Vec<Silence> = silences
        .into_iter()
        .filter(|s| all || s.status.state != "expired")
        .collect();
    let rank = |s: &Silence| match s.status.state.as_str() {
        "active" => 0,
        "pending" => 1,
        _ => 2,
    };
    silences.sort_by(|a, b| (rank(a), &a.ends_at).cmp(&(rank(b), &b.ends_at)));
    silences
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

/// What `silence add` was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct AddRequest {
    pub matchers: Vec<Matcher>,
    pub duration: Duration,
    pub comment: String,
    pub incident: Option<String>,
}

impl AddRequest {
    /// The request, or why it is not one: no matcher, matchers that match everything, no
    /// duration, no comment. Checked before Alertmanager is asked anything.
    pub fn new(
        matchers: Vec<Matcher>,
        duration: Dur,
        comment: &str,
        incident: Option<&str>,
    ) -> Result<AddRequest> {
        check_matchers(&matchers)?;
        if duration.0.is_zero() {
            return Err(Error::usage("--duration must be more than 0"));
        }
        if comment.trim().is_empty() {
            return Err(Error::usage(
                "--comment is empty: say why the alerts are silenced (who reads the silence later needs it)",
            ));
        }
        Ok(AddRequest {
            matchers,
            duration: duration.0,
            comment: comment.trim().to_string(),
            incident: incident.map(str::to_string),
        })
    }

    /// The silence's comment: the engineer's words, then the incident's marker.
    fn comment(&self) -> String {
        match &self.incident {
            Some(id) => format!("{} {}", self.comment, incident_marker(id)),
            None => self.comment.clone(),
        }
    }

    /// When a silence starting at `start` ends.
    fn ends(&self, start: jiff::Timestamp) -> jiff::Timestamp {
        start + jiff::SignedDuration::try_from(self.duration).unwrap_or_default()
    }
}

/// The plan of `silence add`: what the request would silence of the alerts `unsilenced` (the
/// ones firing now that no silence covers) if made at `now` on the Alertmanager `server`.
pub fn plan_add(
    request: &AddRequest,
    unsilenced: &[Alert],
    now: jiff::Timestamp,
    server: &str,
) -> Plan {
    let silenced: Vec<String> = unsilenced
        .iter()
        .filter(|a| request.matchers.iter().all(|m| m.matches(&a.labels)))
        .map(|a| {
            let name = a.labels.get("alertname").map_or("?", String::as_str);
            let severity = a.labels.get("severity").map_or("", String::as_str);
            format!("{name} {severity}").trim().to_string()
        })
        .collect();
    let ends = request.ends(now);
    let shown: Vec<String> = request.matchers.iter().map(ToString::to_string).collect();
    let mut plan = Plan::new(
        "silence add",
        &format!("alertmanager {server}"),
        &format!(
            "silence alerts matching {} for {} (until {})",
            shown.join(", "),
            Dur(request.duration),
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
    plan
}

/// The undo of a created silence: expiring it, when the id the server gave is an id.
fn undo_of_created(id: &str) -> std::result::Result<Option<Undo>, String> {
    // The id comes from the server: only one that is an id goes into a command.
    if is_silence_id(id) {
        Ok(Undo::command(["incidentctl", "silence", "expire", id]))
    } else {
        Err(
            "Alertmanager returned an id that is not a silence id: no undo command is offered"
                .into(),
        )
    }
}

pub struct AddSilence {
    plan: Plan,
    api: Alertmanager,
    request: AddRequest,
    created_by: String,
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
    let request = AddRequest::new(matchers, duration, comment, incident)?;
    let api = alertmanager(ctx).await?;
    let unsilenced = api
        .unsilenced()
        .await
        .map_err(failed("list firing alerts"))?;
    let plan = plan_add(&request, &unsilenced, ctx.settings.now(), api.shown());
    Ok(AddSilence {
        plan,
        api,
        request,
        created_by: crate::change::audit::os_user(),
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
        self.api.silences().await.map_err(failed("list silences"))?;
        Ok(Some(
            "Alertmanager answered; it has no dry-run mode, so nothing was sent".into(),
        ))
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        let now = ctx.settings.now();
        let ends = self.request.ends(now);
        let silence = NewSilence {
            matchers: self.request.matchers.clone(),
            starts_at: now.to_string(),
            ends_at: ends.to_string(),
            created_by: self.created_by.clone(),
            comment: self.request.comment(),
        };
        let id = self
            .api
            .create(&silence)
            .await
            .map_err(failed("create the silence"))?;
        let line = format!(
            "silence {id} created, ends {}",
            ends.strftime("%Y-%m-%dT%H:%M:%SZ"),
        );
        let mut applied = Applied::done(vec![line]);
        match undo_of_created(&id) {
            Ok(undo) => applied.undo = undo,
            Err(why) => applied.details.push(why),
        }
        if let Ok(mut slot) = self.created.lock() {
            *slot = Some(id);
        }
        Ok(applied)
    }

    async fn verify(&self, _ctx: &Context, _timeout: Duration) -> Result<Vec<String>> {
        let id = self.created.lock().ok().and_then(|s| s.clone());
        let Some(id) = id else {
            return Ok(Vec::new());
        };
        let silence = self
            .api
            .silence(&id)
            .await
            .map_err(failed("get the silence"))?;
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
    api: Alertmanager,
    id: String,
}

/// The plan of `silence expire` for `silence` as Alertmanager has it now, on `server`; its undo
/// makes the same silence again (the same matchers and comment).
pub fn plan_expire(silence: &Silence, server: &str) -> Plan {
    let id = &silence.id;
    let mut plan = Plan::new(
        "silence expire",
        &format!("alertmanager {server}"),
        &format!("expire silence {id} ({})", silence.matchers_text()),
    );
    if silence.status.state == "expired" {
        plan.notes.push(format!(
            "silence {id} is already expired (ended {})",
            silence.ends_at
        ));
        return plan;
    }
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
    plan
}

pub async fn expire(ctx: &Context, id: &str) -> Result<ExpireSilence> {
    if !is_silence_id(id) {
        return Err(Error::usage(format!(
            "'{id}' is not a silence id (letters, digits and '-'; incidentctl silence list shows them)"
        )));
    }
    let api = alertmanager(ctx).await?;
    let silence = api
        .silence(id)
        .await
        .map_err(failed("get the silence"))
        .map_err(|e| match e {
            Error::NotFound { .. } => Error::not_found(format!("silence {id} not found"))
                .with_hint("incidentctl silence list --all shows every silence"),
            e => e,
        })?;
    let plan = plan_expire(&silence, api.shown());
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
        self.api
            .silence(&self.id)
            .await
            .map_err(failed("get the silence"))?;
        Ok(Some(
            "Alertmanager answered; it has no dry-run mode, so nothing was sent".into(),
        ))
    }

    async fn apply(&self, _ctx: &Context) -> Result<Applied> {
        self.api
            .expire(&self.id)
            .await
            .map_err(failed("expire the silence"))?;
        Ok(Applied::done(vec![format!("silence {} expired", self.id)]))
    }

    async fn verify(&self, _ctx: &Context, _timeout: Duration) -> Result<Vec<String>> {
        let silence = self
            .api
            .silence(&self.id)
            .await
            .map_err(failed("get the silence"))?;
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
mod tests;
