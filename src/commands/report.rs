//! `incidentctl report new | list | show | ack | status | severity | assign | log | set |
//! follow-up | render | notify | close`: one function per verb. Each loads the incident, applies
//! one lifecycle rule (`report::lifecycle`), saves and prints; the rules live with the model.

mod postmortem_verbs;

use crate::cli::{
    CauseCommand, IncidentStatusArg, OutputFormat, ReportArgs, ReportCommand, RoleArg, SetArgs,
    SeverityArg,
};
use crate::clients::Context;
use crate::error::{Error, ExitCode, Result};
use crate::output;
use crate::report::diagnosis;
use crate::report::escalation::{policy::Scope, run as escalation};
use crate::report::lifecycle::{Act, FieldChanges, Opening};
use crate::report::model::{self, clocks, fmt_duration, Incident, Role, Status};
use crate::report::postmortem;
use crate::report::render::{self, ListRow};
use crate::report::store::Store;
use crate::report::{actions_from_audit, notify, parse_time};
use crate::settings::Settings;
use crate::types::Severity;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

fn severity(s: SeverityArg) -> Severity {
    match s {
        SeverityArg::Sev1 => Severity::Sev1,
        SeverityArg::Sev2 => Severity::Sev2,
        SeverityArg::Sev3 => Severity::Sev3,
        SeverityArg::Sev4 => Severity::Sev4,
    }
}

fn role(r: RoleArg) -> Role {
    match r {
        RoleArg::Commander => Role::Commander,
        RoleArg::TechnicalLead => Role::TechnicalLead,
        RoleArg::CommunicationsLead => Role::CommunicationsLead,
        RoleArg::DocumentationLead => Role::DocumentationLead,
    }
}

fn status(s: IncidentStatusArg) -> Status {
    match s {
        IncidentStatusArg::Investigating => Status::Investigating,
        IncidentStatusArg::Identified => Status::Identified,
        IncidentStatusArg::Monitoring => Status::Monitoring,
        IncidentStatusArg::Resolved => Status::Resolved,
    }
}

/// What every verb works with: the store, the run's clock, who is acting, the settings and the
/// console (the run's context).
pub(super) struct Verb {
    pub(super) ctx: Arc<Context>,
    pub(super) settings: Arc<Settings>,
    pub(super) store: Store,
    pub(super) now: Timestamp,
    me: String,
    pub(super) update_interval: SignedDuration,
}

impl Verb {
    fn act(&self) -> Act<'_> {
        Act {
            now: self.now,
            author: &self.me,
        }
    }

    /// Applies `rule` to the stored incident and saves it; a broken rule saves nothing.
    pub(super) async fn update(
        &self,
        id: &str,
        rule: impl FnOnce(&mut Incident, Act) -> Result<()>,
    ) -> Result<Incident> {
        let act = self.act();
        self.store.update(id, |i| rule(i, act)).await
    }

    pub(super) fn clocks(&self, i: &Incident) -> model::Clocks {
        clocks(i, self.now, self.update_interval)
    }

    /// Prints `value` as JSON, or `text` for people.
    pub(super) fn emit<T: serde::Serialize>(
        &self,
        value: &T,
        text: impl FnOnce() -> String,
    ) -> Result<ExitCode> {
        let out = match self.settings.output {
            OutputFormat::Json => output::json::to_string(value)?,
            _ => text(),
        };
        self.ctx.console.data(out)?;
        Ok(ExitCode::Ok)
    }

    /// The changes the audit log recorded for incident `id`; a log that cannot be read is said
    /// on stderr, and the incident is shown without them.
    pub(super) fn audit_actions(&self, id: &str) -> Vec<model::Entry> {
        match actions_from_audit(&self.settings.audit_log, id) {
            Ok((entries, 0)) => entries,
            Ok((entries, unreadable)) => {
                self.warn(&format!(
                    "audit log {}: {unreadable} line(s) skipped: not UTF-8 text, or longer than {}",
                    self.settings.audit_log.display(),
                    crate::files::bounded::size(crate::report::MAX_AUDIT_LINE as u64)
                ));
                entries
            }
            Err(e) => {
                self.warn_audit(&e);
                Vec::new()
            }
        }
    }

    fn warn_audit(&self, e: &crate::files::bounded::InputError) {
        self.warn(&format!("{e}; the changes it records are not shown"));
    }

    fn warn(&self, text: &str) {
        self.ctx.console.warn(text);
    }
}

pub async fn run(args: &ReportArgs, ctx: Arc<Context>) -> Result<ExitCode> {
    let settings = ctx.settings.clone();
    let v = Verb {
        ctx,
        store: Store::configured(&settings, args.store.as_deref()).await?,
        now: settings.now(),
        me: crate::change::audit::os_user(),
        update_interval: SignedDuration::try_from(settings.report.update_interval.0)
            .unwrap_or(SignedDuration::from_mins(30)),
        settings,
    };
    match &args.command {
        ReportCommand::New {
            title,
            severity,
            commander,
            detected_at,
            from_diagnose,
        } => {
            let given = NewArgs {
                title,
                severity: *severity,
                commander: commander.as_deref(),
                detected_at: detected_at.as_deref(),
                from_diagnose: from_diagnose.as_deref(),
            };
            new(&v, given).await
        }
        ReportCommand::List { open } => list(&v, *open).await,
        ReportCommand::Show { id } => show(&v, id).await,
        ReportCommand::Ack { id } => ack(&v, id).await,
        ReportCommand::Status { id, status: to } => move_to(&v, id, status(*to)).await,
        ReportCommand::Severity {
            id,
            severity: to,
            reason,
        } => change_severity(&v, id, severity(*to), reason.as_deref()).await,
        ReportCommand::Assign { id, role: r, name } => assign(&v, id, role(*r), name).await,
        ReportCommand::Log { id, text, at } => log(&v, id, text, at.as_deref()).await,
        ReportCommand::Set(a) => set(&v, a).await,
        ReportCommand::FollowUp { id, text } => follow_up(&v, id, text).await,
        ReportCommand::Render { id, format } => postmortem_verbs::render(&v, id, *format).await,
        ReportCommand::Cause(CauseCommand::Accept { id, rank }) => {
            postmortem_verbs::accept_cause(&v, id, *rank).await
        }
        ReportCommand::Notify { id, dry_run } => notify(&v, id, *dry_run).await,
        ReportCommand::Escalate {
            id,
            dry_run,
            resend,
        } => {
            let o = escalation::Options {
                dry_run: *dry_run,
                resend: *resend,
                incident: id.clone(),
                scope: Scope::All,
                now: v.now,
                author: v.me.clone(),
            };
            let report = escalation::escalate(&v.settings, &v.store, &o).await?;
            crate::report::escalation::render::print(&v.ctx.console, &report)?;
            Ok(report.exit_code())
        }
        ReportCommand::Close {
            id,
            force,
            reason,
            expire_silences,
        } => close(&v, id, *force, reason.as_deref(), *expire_silences).await,
    }
}

struct NewArgs<'a> {
    title: &'a str,
    severity: Option<SeverityArg>,
    commander: Option<&'a str>,
    detected_at: Option<&'a str>,
    from_diagnose: Option<&'a str>,
}

async fn new(v: &Verb, a: NewArgs<'_>) -> Result<ExitCode> {
    if a.title.trim().is_empty() {
        return Err(Error::usage("--title is empty"));
    }
    let detected_at = match a.detected_at {
        Some(t) => parse_time(t, v.now, "--detected-at")?,
        None => v.now,
    };
    let (level, severity_reason, evidence) = match (a.severity, a.from_diagnose) {
        (Some(s), _) => (severity(s), None, None),
        (None, Some(source)) => {
            let (s, r, doc) = severity_from_diagnose(source, &v.ctx).await?;
            (s, Some(r), Some(doc))
        }
        (None, None) => {
            return Err(Error::usage(
                "give --severity SEV1..SEV4 or --from-diagnose",
            ))
        }
    };
    let opening = Opening {
        title: a.title.to_string(),
        severity: level,
        severity_reason,
        commander: a.commander.map(str::to_string),
        detected_at,
    };
    let incident = v
        .store
        .create(v.now, |id| Incident::open(id, &opening, v.act()))
        .await?;
    if let Some(doc) = evidence {
        crate::report::attach::diagnosis(&v.store, &incident.id, &doc, v.now, &v.me).await?;
    }
    let deadline = model::response_deadline(incident.severity, incident.detected_at);
    v.ctx.console.note(format!(
        "{} opened: respond within {} (by {}); notify {}",
        incident.id,
        incident.severity.response_time(),
        utc_clock(deadline),
        incident.severity.notify()
    ));
    v.emit(&incident, || format!("{}\n", incident.id))
}

fn utc_clock(t: Timestamp) -> String {
    t.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%H:%M UTC")
        .to_string()
}

async fn list(v: &Verb, only_open: bool) -> Result<ExitCode> {
    let (incidents, problems) = v.store.list().await?;
    for p in &problems {
        v.warn(&format!("skipped {p}"));
    }
    if incidents.is_empty() {
        v.ctx
            .console
            .note(format!("no incidents in {}", v.store.describe()));
    }
    let rows: Vec<ListRow> = incidents
        .iter()
        .filter(|i| !only_open || i.status.is_open())
        .map(|i| ListRow::of(i, v.now, v.update_interval))
        .collect();
    v.emit(&rows, || render::list_table(&rows, v.now))
}

async fn show(v: &Verb, id: &str) -> Result<ExitCode> {
    let i = v.store.get(id).await?;
    let extra = v.audit_actions(id);
    let c = v.clocks(&i);
    let evidence = postmortem_verbs::evidence(v, &i).await;
    #[derive(serde::Serialize)]
    struct Shown<'a> {
        incident: &'a Incident,
        clocks: &'a model::Clocks,
        timeline: Vec<model::Entry>,
        impact: Option<&'a crate::diagnose::analysis::impact::Impact>,
        stamps: postmortem::Stamps,
        changes: &'a [crate::report::Change],
    }
    let doc = Shown {
        incident: &i,
        clocks: &c,
        timeline: render::timeline(&i, &extra),
        impact: evidence.impact.as_ref(),
        stamps: postmortem::stamps(&i, &evidence),
        changes: &evidence.changes,
    };
    v.emit(&doc, || render::show_text(&i, &c, &doc.timeline, &evidence))
}

async fn ack(v: &Verb, id: &str) -> Result<ExitCode> {
    let i = v.update(id, |i, act| i.acknowledge(act)).await?;
    let c = v.clocks(&i);
    v.emit(&i, || {
        format!(
            "{} acknowledged after {}: response time {}\n",
            i.id,
            fmt_duration(c.time_to_acknowledge_s.unwrap_or(0)),
            c.response
        )
    })?;
    acknowledge_pages(v, id).await
}

/// After `report ack`: PagerDuty's acknowledge for every PagerDuty route that was triggered.
/// Without routes there is nothing to tell; a failure is said and left to `report escalate`.
async fn acknowledge_pages(v: &Verb, id: &str) -> Result<ExitCode> {
    if v.settings.notify.routes.is_empty() {
        return Ok(ExitCode::Ok);
    }
    let o = escalation::Options {
        dry_run: false,
        resend: false,
        incident: Some(id.to_string()),
        scope: Scope::Acknowledge,
        now: v.now,
        author: v.me.clone(),
    };
    let report = escalation::escalate(&v.settings, &v.store, &o).await?;
    crate::report::escalation::render::acknowledged(&v.ctx.console, &report);
    Ok(report.exit_code())
}

async fn move_to(v: &Verb, id: &str, to: Status) -> Result<ExitCode> {
    let i = v.update(id, |i, act| i.move_to(to, act)).await?;
    v.emit(&i, || format!("{} is now {}\n", i.id, i.status.as_str()))
}

async fn change_severity(
    v: &Verb,
    id: &str,
    to: Severity,
    reason: Option<&str>,
) -> Result<ExitCode> {
    let i = v
        .update(id, |i, act| i.change_severity(to, reason, act))
        .await?;
    v.emit(&i, || {
        format!(
            "{} is now {}: respond within {}\n",
            i.id,
            to.label(),
            to.response_time()
        )
    })
}

async fn assign(v: &Verb, id: &str, role: Role, name: &str) -> Result<ExitCode> {
    let i = v
        .update(id, |i, act| {
            i.assign(role, name, act);
            Ok(())
        })
        .await?;
    v.emit(&i, || format!("{}: {} is {name}\n", i.id, role.title()))
}

async fn log(v: &Verb, id: &str, text: &str, at: Option<&str>) -> Result<ExitCode> {
    if text.trim().is_empty() {
        return Err(Error::usage("the entry is empty"));
    }
    let when = match at {
        Some(t) => parse_time(t, v.now, "--at")?,
        None => v.now,
    };
    let i = v.update(id, |i, act| i.note(when, text, act)).await?;
    v.emit(&i, || format!("{}: logged\n", i.id))
}

async fn set(v: &Verb, a: &SetArgs) -> Result<ExitCode> {
    let changes = FieldChanges {
        summary: a.summary.clone(),
        impact: a.impact.clone(),
        users_affected: a.users_affected,
        services: a.services.clone(),
        root_cause: a.root_cause.clone(),
        resolution: a.resolution.clone(),
        lessons: a.lessons.clone(),
    };
    let i = v
        .update(&a.id, |i, act| i.set_fields(&changes, act))
        .await?;
    v.emit(&i, || format!("{}: updated\n", i.id))
}

async fn follow_up(v: &Verb, id: &str, text: &str) -> Result<ExitCode> {
    let i = v
        .update(id, |i, act| {
            i.add_follow_up(text, act);
            Ok(())
        })
        .await?;
    v.emit(&i, || {
        format!("{}: {} follow-up action(s)\n", i.id, i.follow_ups.len())
    })
}

async fn notify(v: &Verb, id: &str, dry_run: bool) -> Result<ExitCode> {
    let i = v.store.get(id).await?;
    let extra = v.audit_actions(id);
    let payload = notify::payload(&i, &extra, v.now, v.update_interval);
    if dry_run {
        v.ctx.console.data(output::json::to_string(&payload)?)?;
        return Ok(ExitCode::Ok);
    }
    let Some(hook) = &v.settings.report.slack_webhook else {
        return Err(
            Error::config("report.slack_webhook", "no Slack webhook configured").with_hint(
                "set SLACK_WEBHOOK_URL or report.slack_webhook; --dry-run shows the message",
            ),
        );
    };
    let tries = match notify::post(&v.settings, hook, &payload).await? {
        notify::Delivery::Posted { tries } => tries,
        notify::Delivery::MaybePosted { why } => {
            // Recorded as what it is: the clocks do not move, the timeline says so.
            v.update(id, |i, act| {
                i.maybe_notified(&why, act);
                Ok(())
            })
            .await?;
            return Err(Error::remote(
                crate::types::failure::Cause::Lost,
                format!("Slack webhook: the status update may have been posted: {why}"),
            )
            .with_hint("look in the channel before running report notify again (it was not retried, so it is never posted twice); the timeline records this"));
        }
    };
    let i = v
        .update(id, |i, act| {
            i.notified(act);
            Ok(())
        })
        .await?;
    let next = v.now.saturating_add(v.update_interval).unwrap_or(v.now);
    let after = if tries > 1 {
        format!(" after {tries} tries")
    } else {
        String::new()
    };
    v.emit(&i, || {
        format!(
            "{}: status update posted{after}; next due {}\n",
            i.id,
            utc_clock(next)
        )
    })
}

async fn close(
    v: &Verb,
    id: &str,
    force: bool,
    reason: Option<&str>,
    expire: bool,
) -> Result<ExitCode> {
    // Measured before the close and frozen with it: a later render needs no Prometheus.
    let before = v.store.get(id).await?;
    let impact = postmortem_verbs::evidence(v, &before).await.impact;
    let i = v
        .update(id, |i, act| {
            i.close(force, reason, act)?;
            if i.impact.is_none() {
                i.impact = impact;
            }
            Ok(())
        })
        .await?;
    let c = v.clocks(&i);
    let code = v.emit(&i, || {
        format!("{} closed after {}\n", i.id, fmt_duration(c.duration_s))
    })?;
    silences_left(v, &i.id, expire).await;
    Ok(code)
}

/// After closing: the incident's silences still active. On a terminal each is offered for
/// expiry through the change pipeline (its plan, y/N, the audit log); with `expire` each is
/// expired without asking; otherwise each is listed with the command that ends it. Asked only
/// when the audit log has a silence made for the incident; Alertmanager down or slow, or an
/// expiry refused or failed, never fails the close: it is said.
async fn silences_left(v: &Verb, id: &str, expire: bool) {
    match crate::report::applied_for_incident(&v.settings.audit_log, id, "silence add") {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => return v.warn_audit(&e),
    }
    let ctx = &v.ctx;
    let found = tokio::time::timeout(
        v.settings.timeout.0,
        crate::actions::silence::of_incident(ctx, id),
    )
    .await;
    match found {
        Ok(Ok(silences)) => {
            let offered = expire || ctx.console.prompter.interactive();
            for s in silences {
                v.warn(&format!(
                    "silence {} ({}) is still active until {}: incidentctl silence expire {} --incident {id}",
                    s.id,
                    s.matchers_text(),
                    s.ends_at,
                    s.id
                ));
                if offered {
                    if let Err(e) = expire_one(ctx, &s.id, id, expire).await {
                        v.warn(&format!("silence {} not expired: {e}", s.id));
                    }
                }
            }
        }
        Ok(Err(e)) => v.warn(&format!("could not list the incident's silences: {e}")),
        Err(_) => v.warn(&format!(
            "could not list the incident's silences: Alertmanager did not answer within {}",
            v.settings.timeout
        )),
    }
}

/// Expires one silence of incident `id` through the change pipeline: its plan, the question
/// (none with `yes`), the audit line with the incident.
async fn expire_one(
    ctx: &crate::clients::Context,
    silence: &str,
    id: &str,
    yes: bool,
) -> Result<ExitCode> {
    let opts = crate::change::ExecuteOptions {
        dry_run: false,
        yes,
        confirm_name: None,
        incident: Some(id.to_string()),
        wait: Some(ctx.settings.timeout.0),
        runbook: None,
    };
    let action = crate::actions::silence::expire(ctx, silence).await?;
    crate::change::execute(ctx, &opts, action).await
}

/// Severity and reason from diagnose: run now (`-run-`) or a saved `diagnose -o json` file.
async fn severity_from_diagnose(
    source: &str,
    ctx: &Arc<Context>,
) -> Result<(Severity, String, String)> {
    use crate::files::bounded::{read_text, Input};
    let doc: serde_json::Value = if source == "-run-" {
        let d = crate::diagnose::run::diagnose(ctx.clone(), &Default::default(), &|_| {}).await;
        serde_json::to_value(&d).map_err(|e| Error::Internal(e.to_string()))?
    } else {
        let text = read_text(std::path::Path::new(source), Input::SavedDiagnosis)
            .map_err(|e| Error::from(e.named("--from-diagnose")))?;
        serde_json::from_str(&text).map_err(|e| Error::Data {
            message: format!("{source}: not a diagnose JSON document ({e})"),
            hint: Some("save one with: incidentctl diagnose -o json > findings.json".into()),
        })?
    };
    diagnosis::severity_from_diagnose_doc(source, doc)
}
