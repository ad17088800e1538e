//! `incidentctl report new | list | show | ack | status | severity | assign | log | set |
//! follow-up | render | notify | close`

use crate::cli::{
    IncidentStatusArg, OutputFormat, ReportArgs, ReportCommand, RoleArg, SeverityArg,
};
use crate::error::{Error, ExitCode, Result};
use crate::output;
use crate::report::model::{
    self, clocks, fmt_duration, FollowUp, Incident, Role, Status, INCIDENT_SCHEMA,
};
use crate::report::store::{Store, StoreLocation};
use crate::report::{actions_from_audit, notify, parse_time, render};
use crate::settings::Settings;
use crate::types::Severity;
use std::collections::BTreeMap;
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

pub async fn open_store(settings: &Settings, flag: Option<&str>) -> Result<Store> {
    let location = flag
        .map(str::to_string)
        .or_else(|| settings.report.store.clone())
        .ok_or_else(|| Error::config("report.store", "no incident store configured"))?;
    Store::open(&StoreLocation::parse(&location), settings).await
}

/// Prints an incident (or any value) as JSON, or `text` for people.
fn emit<T: serde::Serialize>(
    settings: &Settings,
    value: &T,
    text: impl FnOnce() -> String,
) -> Result<ExitCode> {
    let out = match settings.output {
        OutputFormat::Json => output::json::to_string(value)?,
        _ => text(),
    };
    output::write_stdout(&out)?;
    Ok(ExitCode::Ok)
}

/// Severity and reason from diagnose: run now (`-run-`) or a saved `diagnose -o json` file.
/// The largest saved diagnosis `--from-diagnose` reads.
const MAX_DIAGNOSIS: u64 = 16 * 1024 * 1024;

async fn severity_from_diagnose(
    source: &str,
    settings: &Arc<Settings>,
) -> Result<(Severity, String, String)> {
    let doc: serde_json::Value = if source == "-run-" {
        let ctx = Arc::new(crate::context::Context::new(settings.clone()));
        let d = crate::runbooks::diagnose(ctx, &[], &|_| {}).await;
        serde_json::to_value(&d).map_err(|e| Error::Internal(e.to_string()))?
    } else {
        // A saved diagnosis is kilobytes; a multi-cluster one, a few megabytes.
        let text = crate::bounded::read_to_string(std::path::Path::new(source), MAX_DIAGNOSIS)
            .map_err(|e| {
                Error::usage(format!("--from-diagnose {source}: {e}")).with_hint(format!(
                    "give a file saved with `incidentctl diagnose -o json` (at most {})",
                    crate::bounded::size(MAX_DIAGNOSIS)
                ))
            })?;
        serde_json::from_str(&text).map_err(|e| Error::Data {
            message: format!("{source}: not a diagnose JSON document ({e})"),
            hint: Some("save one with: incidentctl diagnose -o json > findings.json".into()),
        })?
    };
    severity_from_diagnose_doc(source, doc)
}

/// Severity, reason and the document itself from a parsed `diagnose -o json` document (the
/// entry point the diagnose-JSON fuzz target drives).
pub fn severity_from_diagnose_doc(
    source: &str,
    doc: serde_json::Value,
) -> Result<(Severity, String, String)> {
    if doc["schema"] != crate::runbooks::DIAGNOSE_SCHEMA {
        return Err(Error::Data {
            message: format!(
                "{source}: not an {} document",
                crate::runbooks::DIAGNOSE_SCHEMA
            ),
            hint: None,
        });
    }
    let sev: Option<Severity> = serde_json::from_value(doc["summary"]["severity"].clone())
        .ok()
        .flatten();
    let Some(sev) = sev else {
        return Err(Error::usage(
            "diagnose suggests no incident; give --severity to open one anyway",
        ));
    };
    let reasons: Vec<String> = doc["summary"]["reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok((
        sev,
        format!("suggested by diagnose: {}", reasons.join("; ")),
        doc.to_string(),
    ))
}

pub async fn run(args: &ReportArgs, settings: Arc<Settings>) -> Result<ExitCode> {
    let store = open_store(&settings, args.store.as_deref()).await?;
    let now = settings.now();
    let me = crate::change::audit::os_user();
    let interval = jiff::SignedDuration::try_from(settings.report.update_interval.0)
        .unwrap_or(jiff::SignedDuration::from_mins(30));
    match &args.command {
        ReportCommand::New {
            title,
            severity: sev,
            commander,
            detected_at,
            from_diagnose,
        } => {
            if title.trim().is_empty() {
                return Err(Error::usage("--title is empty"));
            }
            let detected = match detected_at {
                Some(t) => parse_time(t, now, "--detected-at")?,
                None => now,
            };
            let (level, reason, evidence) = match (sev, from_diagnose) {
                (Some(s), _) => (severity(*s), None, None),
                (None, Some(source)) => {
                    let (s, r, doc) = severity_from_diagnose(source, &settings).await?;
                    (s, Some(r), Some(doc))
                }
                (None, None) => {
                    return Err(Error::usage(
                        "give --severity SEV1..SEV4 or --from-diagnose",
                    ))
                }
            };
            let incident = store
                .create(now, |id| {
                    let mut i = Incident {
                        schema: INCIDENT_SCHEMA.into(),
                        id,
                        title: title.clone(),
                        severity: level,
                        severity_reason: reason.clone(),
                        status: Status::Investigating,
                        roles: BTreeMap::new(),
                        detected_at: detected,
                        created_at: now,
                        acknowledged_at: None,
                        mitigated_at: None,
                        resolved_at: None,
                        closed_at: None,
                        last_notified_at: None,
                        fields: model::Fields::default(),
                        follow_ups: Vec::new(),
                        timeline: Vec::new(),
                        evidence: Vec::new(),
                        forced_close_reason: None,
                    };
                    i.add(detected, "detected", "incident detected", &me);
                    i.add(
                        now,
                        "created",
                        format!("incident opened: {} {}", level.label(), title),
                        &me,
                    );
                    if let Some(r) = &reason {
                        i.add(
                            now,
                            "severity",
                            format!("severity {}: {r}", level.label()),
                            &me,
                        );
                    }
                    if let Some(c) = commander {
                        i.roles.insert(Role::Commander, c.clone());
                        i.add(
                            now,
                            "assigned",
                            format!("{} {c}", Role::Commander.title()),
                            &me,
                        );
                    }
                    i
                })
                .await?;
            if let Some(doc) = evidence {
                attach_diagnosis(&store, &incident.id, &doc, now, &me).await?;
            }
            let deadline = model::response_deadline(incident.severity, incident.detected_at);
            if settings.verbosity != crate::settings::Verbosity::Quiet
                && settings.output != OutputFormat::Json
            {
                eprintln!(
                    "{} opened: respond within {} (by {}); notify {}",
                    incident.id,
                    incident.severity.response_time(),
                    deadline
                        .to_zoned(jiff::tz::TimeZone::UTC)
                        .strftime("%H:%M UTC"),
                    incident.severity.notify()
                );
            }
            emit(&settings, &incident, || format!("{}\n", incident.id))
        }
        ReportCommand::List { open } => {
            let (incidents, problems) = store.list().await?;
            for p in &problems {
                eprintln!("warning: skipped {p}");
            }
            if incidents.is_empty() && settings.verbosity != crate::settings::Verbosity::Quiet {
                eprintln!("no incidents in {}", store.describe());
            }
            let shown: Vec<&Incident> = incidents
                .iter()
                .filter(|i| !*open || i.status.is_open())
                .collect();
            #[derive(serde::Serialize)]
            struct Row<'a> {
                id: &'a str,
                severity: Severity,
                status: Status,
                title: &'a str,
                age_s: i64,
                clocks: model::Clocks,
            }
            let rows: Vec<Row> = shown
                .iter()
                .map(|i| Row {
                    id: &i.id,
                    severity: i.severity,
                    status: i.status,
                    title: &i.title,
                    age_s: now.as_second() - i.detected_at.as_second(),
                    clocks: clocks(i, now, interval),
                })
                .collect();
            emit(&settings, &rows, || {
                let mut t = comfy_table::Table::new();
                t.load_preset(comfy_table::presets::NOTHING);
                t.set_header(vec![
                    "ID",
                    "SEV",
                    "STATUS",
                    "TITLE",
                    "AGE",
                    "NEXT UPDATE",
                    "ESCALATION",
                ]);
                for r in &rows {
                    let next = r.clocks.next_update_due.map(|d| {
                        let due = d.as_second() - now.as_second();
                        if due < 0 {
                            format!("overdue {}", fmt_duration(-due))
                        } else {
                            format!("in {}", fmt_duration(due))
                        }
                    });
                    t.add_row(vec![
                        r.id.to_string(),
                        r.severity.label().to_string(),
                        r.status.as_str().to_string(),
                        r.title.to_string(),
                        fmt_duration(r.age_s),
                        next.unwrap_or_else(|| "-".into()),
                        r.clocks
                            .escalation_level
                            .map(|l| format!("level {l}"))
                            .unwrap_or_else(|| "-".into()),
                    ]);
                }
                format!("{t}\n")
            })
        }
        ReportCommand::Show { id } => {
            let i = store.get(id).await?;
            let extra = actions_from_audit(&settings.audit_log, id);
            let c = clocks(&i, now, interval);
            #[derive(serde::Serialize)]
            struct Shown<'a> {
                incident: &'a Incident,
                clocks: &'a model::Clocks,
                timeline: Vec<model::Entry>,
            }
            let doc = Shown {
                incident: &i,
                clocks: &c,
                timeline: render::timeline(&i, &extra),
            };
            emit(&settings, &doc, || show_text(&i, &c, &doc.timeline))
        }
        ReportCommand::Ack { id } => {
            let i = store
                .update(id, |i| {
                    if i.acknowledged_at.is_some() {
                        return Err(Error::usage(format!("{} was already acknowledged", i.id)));
                    }
                    i.acknowledged_at = Some(now);
                    i.add(now, "acknowledged", "acknowledged", &me);
                    Ok(())
                })
                .await?;
            let c = clocks(&i, now, interval);
            emit(&settings, &i, || {
                format!(
                    "{} acknowledged after {}: response time {}\n",
                    i.id,
                    fmt_duration(c.time_to_acknowledge_s.unwrap_or(0)),
                    c.response
                )
            })
        }
        ReportCommand::Status { id, status } => {
            let to = match status {
                IncidentStatusArg::Investigating => Status::Investigating,
                IncidentStatusArg::Identified => Status::Identified,
                IncidentStatusArg::Monitoring => Status::Monitoring,
                IncidentStatusArg::Resolved => Status::Resolved,
            };
            let i = store
                .update(id, |i| {
                    if i.status == Status::Closed {
                        return Err(Error::usage(format!("{} is closed", i.id)));
                    }
                    if i.status == to {
                        return Err(Error::usage(format!("{} is already {}", i.id, to.as_str())));
                    }
                    i.set_status(to, now, &me);
                    Ok(())
                })
                .await?;
            emit(&settings, &i, || {
                format!("{} is now {}\n", i.id, i.status.as_str())
            })
        }
        ReportCommand::Severity {
            id,
            severity: s,
            reason,
        } => {
            let to = severity(*s);
            let i = store
                .update(id, |i| {
                    if i.severity == to {
                        return Err(Error::usage(format!("{} is already {}", i.id, to.label())));
                    }
                    let text = format!(
                        "severity {} -> {}{}",
                        i.severity.label(),
                        to.label(),
                        reason
                            .as_ref()
                            .map(|r| format!(": {r}"))
                            .unwrap_or_default()
                    );
                    i.severity = to;
                    i.severity_reason = reason.clone();
                    i.add(now, "severity", text, &me);
                    Ok(())
                })
                .await?;
            emit(&settings, &i, || {
                format!(
                    "{} is now {}: respond within {}\n",
                    i.id,
                    to.label(),
                    to.response_time()
                )
            })
        }
        ReportCommand::Assign { id, role: r, name } => {
            let r = role(*r);
            let i = store
                .update(id, |i| {
                    i.roles.insert(r, name.clone());
                    i.add(now, "assigned", format!("{} {name}", r.title()), &me);
                    Ok(())
                })
                .await?;
            emit(&settings, &i, || {
                format!("{}: {} is {name}\n", i.id, r.title())
            })
        }
        ReportCommand::Log { id, text, at } => {
            if text.trim().is_empty() {
                return Err(Error::usage("the entry is empty"));
            }
            let when = match at {
                Some(t) => parse_time(t, now, "--at")?,
                None => now,
            };
            let i = store
                .update(id, |i| {
                    i.add(when, "note", crate::redact::secrets(text), &me);
                    Ok(())
                })
                .await?;
            emit(&settings, &i, || format!("{}: logged\n", i.id))
        }
        ReportCommand::Set(a) => {
            let i = store
                .update(&a.id, |i| {
                    let f = &mut i.fields;
                    let mut changed = Vec::new();
                    let mut set = |slot: &mut Option<String>, v: &Option<String>, name: &str| {
                        if let Some(v) = v {
                            *slot = Some(v.clone());
                            changed.push(name.to_string());
                        }
                    };
                    set(&mut f.summary, &a.summary, "summary");
                    set(&mut f.impact, &a.impact, "impact");
                    set(&mut f.root_cause, &a.root_cause, "root cause");
                    set(&mut f.resolution, &a.resolution, "resolution");
                    set(&mut f.lessons, &a.lessons, "lessons learned");
                    if let Some(n) = a.users_affected {
                        f.users_affected = Some(n);
                        changed.push("users affected".into());
                    }
                    if let Some(s) = &a.services {
                        f.services = s.iter().map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
                        changed.push("services".into());
                    }
                    if changed.is_empty() {
                        return Err(Error::usage("nothing to set: give --summary, --impact, --users-affected, --services, --root-cause, --resolution or --lessons"));
                    }
                    i.add(now, "field", format!("set {}", changed.join(", ")), &me);
                    Ok(())
                })
                .await?;
            emit(&settings, &i, || format!("{}: updated\n", i.id))
        }
        ReportCommand::FollowUp { id, text } => {
            let i = store
                .update(id, |i| {
                    i.follow_ups.push(FollowUp {
                        text: text.clone(),
                        done: false,
                    });
                    i.add(now, "follow-up", format!("follow-up: {text}"), &me);
                    Ok(())
                })
                .await?;
            emit(&settings, &i, || {
                format!("{}: {} follow-up action(s)\n", i.id, i.follow_ups.len())
            })
        }
        ReportCommand::Render { id } => {
            let i = store.get(id).await?;
            let extra = actions_from_audit(&settings.audit_log, id);
            if settings.output == OutputFormat::Json {
                let c = clocks(&i, now, interval);
                let doc = serde_json::json!({"incident": i, "clocks": c, "timeline": render::timeline(&i, &extra)});
                output::write_stdout(&output::json::to_string(&doc)?)?;
            } else {
                output::write_stdout(&render::markdown(&i, &extra, now, interval))?;
            }
            Ok(ExitCode::Ok)
        }
        ReportCommand::Notify { id, dry_run } => {
            let i = store.get(id).await?;
            let extra = actions_from_audit(&settings.audit_log, id);
            let payload = notify::payload(&i, &extra, now, interval);
            if *dry_run {
                output::write_stdout(&output::json::to_string(&payload)?)?;
                return Ok(ExitCode::Ok);
            }
            let Some(hook) = &settings.report.slack_webhook else {
                return Err(Error::config("report.slack_webhook", "no Slack webhook configured")
                    .with_hint("set SLACK_WEBHOOK_URL or report.slack_webhook; --dry-run shows the message"));
            };
            let tries = match notify::post(&settings, hook, &payload).await? {
                notify::Delivery::Posted { tries } => tries,
                notify::Delivery::MaybePosted { why } => {
                    // Recorded as what it is: the clocks do not move, the timeline says so.
                    store
                        .update(id, |i| {
                            i.add(
                                now,
                                "notify-unknown",
                                format!("status update may have been posted to Slack: {why}"),
                                &me,
                            );
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
            let i = store
                .update(id, |i| {
                    i.last_notified_at = Some(now);
                    i.add(
                        now,
                        "notified",
                        format!(
                            "status update posted to Slack ({} {})",
                            i.severity.label(),
                            i.status.as_str()
                        ),
                        &me,
                    );
                    Ok(())
                })
                .await?;
            let next = now.saturating_add(interval).unwrap_or(now);
            emit(&settings, &i, || {
                format!(
                    "{}: status update posted{}; next due {}\n",
                    i.id,
                    if tries > 1 {
                        format!(" after {tries} tries")
                    } else {
                        String::new()
                    },
                    next.to_zoned(jiff::tz::TimeZone::UTC).strftime("%H:%M UTC")
                )
            })
        }
        ReportCommand::Close { id, force, reason } => {
            let i = store
                .update(id, |i| {
                    if i.status == Status::Closed {
                        return Err(Error::usage(format!("{} is already closed", i.id)));
                    }
                    let missing: Vec<&str> = [("root cause", &i.fields.root_cause), ("resolution", &i.fields.resolution)]
                        .iter()
                        .filter(|(_, v)| v.as_ref().is_none_or(|s| s.trim().is_empty()))
                        .map(|(n, _)| *n)
                        .collect();
                    if !force {
                        if i.status != Status::Resolved {
                            return Err(Error::usage(format!("{} is {}, not resolved: `report status {} resolved` first (or --force --reason)", i.id, i.status.as_str(), i.id)));
                        }
                        if !missing.is_empty() {
                            return Err(Error::usage(format!("{} has no {} yet: `report set {} --root-cause … --resolution …` (or --force --reason)", i.id, missing.join(" or "), i.id)));
                        }
                    }
                    if i.resolved_at.is_none() {
                        i.resolved_at = Some(now);
                    }
                    i.status = Status::Closed;
                    i.closed_at = Some(now);
                    if *force {
                        i.forced_close_reason = reason.clone();
                    }
                    i.add(now, "closed", match reason { Some(r) if *force => format!("closed (forced: {r})"), _ => "closed".into() }, &me);
                    Ok(())
                })
                .await?;
            let c = clocks(&i, now, interval);
            emit(&settings, &i, || {
                format!("{} closed after {}\n", i.id, fmt_duration(c.duration_s))
            })
        }
    }
}

fn show_text(i: &Incident, c: &model::Clocks, timeline: &[model::Entry]) -> String {
    let t = |ts: jiff::Timestamp| {
        ts.to_zoned(jiff::tz::TimeZone::UTC)
            .strftime("%Y-%m-%d %H:%M UTC")
            .to_string()
    };
    let mut out = format!(
        "{} {} ({}): {}\nstatus: {}\n",
        i.id,
        i.severity.label(),
        i.severity.name(),
        i.title,
        i.status.as_str()
    );
    for (r, n) in &i.roles {
        out.push_str(&format!("{}: {n}\n", r.title()));
    }
    out.push_str(&format!(
        "detected: {}; open for {}\n",
        t(i.detected_at),
        fmt_duration(c.duration_s)
    ));
    out.push_str(&format!(
        "response time {}: {} (deadline {})\n",
        i.severity.response_time(),
        c.response,
        t(c.response_deadline)
    ));
    for (label, v) in [
        ("acknowledged after", c.time_to_acknowledge_s),
        ("mitigated after", c.time_to_mitigate_s),
        ("resolved after", c.time_to_resolve_s),
    ] {
        if let Some(s) = v {
            out.push_str(&format!("{label} {}\n", fmt_duration(s)));
        }
    }
    if let (Some(level), Some(who)) = (c.escalation_level, c.escalation) {
        out.push_str(&format!("escalation level {level}: {who}"));
        if let Some(next) = c.next_escalation_at {
            out.push_str(&format!("; next level at {}", t(next)));
        }
        out.push('\n');
    }
    if let Some(due) = c.next_update_due {
        out.push_str(&format!(
            "next status update due {}{}\n",
            t(due),
            if c.update_overdue { " (OVERDUE)" } else { "" }
        ));
    }
    out.push_str("timeline:\n");
    for e in timeline {
        let file = e
            .evidence
            .as_ref()
            .map(|f| format!(" [evidence {f}]"))
            .unwrap_or_default();
        out.push_str(&format!("  {} {}: {}{file}\n", t(e.at), e.kind, e.text));
    }
    out
}

/// Attaches a diagnosis (JSON) to an incident: the document as evidence, a line in the timeline.
pub async fn attach_diagnosis(
    store: &Store,
    id: &str,
    doc: &str,
    now: jiff::Timestamp,
    me: &str,
) -> Result<()> {
    let v: serde_json::Value =
        serde_json::from_str(doc).map_err(|e| Error::Internal(e.to_string()))?;
    // An unknown incident is refused before anything is written for it.
    store.get(id).await?;
    let stem = format!(
        "diagnose-{}",
        now.to_zoned(jiff::tz::TimeZone::UTC)
            .strftime("%Y%m%dT%H%M%SZ")
    );
    let name = store
        .add_evidence(id, &stem, "json", doc.as_bytes())
        .await?;
    let s = &v["summary"];
    let worst: Vec<String> = v["checks"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|c| c["status"] == "critical")
                .filter_map(|c| c["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let line = format!(
        "diagnose: {} critical, {} warning, {} unknown, {} ok; suggested {}{}",
        s["critical"],
        s["warning"],
        s["unknown"],
        s["ok"],
        s["severity"].as_str().unwrap_or("no incident"),
        if worst.is_empty() {
            String::new()
        } else {
            format!(" (critical: {})", worst.join(", "))
        }
    );
    store
        .update(id, |i| {
            i.add_evidence(now, "diagnose", line.clone(), me, name.clone());
            Ok(())
        })
        .await?;
    Ok(())
}
