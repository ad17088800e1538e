//! `report escalate` (and `report ack`'s PagerDuty acknowledge): for each incident, the plan,
//! then each due send claimed, sent, recorded and entered in the timeline. A dry run stops at
//! the plan: the same list, nothing claimed, nothing sent, nothing written.

use super::channels::{Channels, Outcome, Send};
use super::ledger::{backoff, Claim, Finished, Ledger, Record, State};
use super::message::{self, Message};
use super::policy::{self, Due, Inputs, Plan, Policy, Scope, Wait};
use super::routes::Routes;
use super::{timeline, ChannelKind, Key, Step};
use crate::error::{Error, ExitCode, Result};
use crate::report::model::Incident;
use crate::report::store::Store;
use crate::settings::Settings;
use crate::types::{Audience, Severity};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

pub struct Options {
    pub dry_run: bool,
    pub resend: bool,
    /// One incident, or every one.
    pub incident: Option<String>,
    pub scope: Scope,
    pub now: Timestamp,
    /// Who the timeline entries name.
    pub author: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SendResult {
    /// Dry run: this would be sent.
    WouldSend,
    Sent,
    Failed,
    MayHaveBeenSent,
    /// Another process is sending it right now.
    Busy,
}

impl SendResult {
    pub fn as_str(self) -> &'static str {
        match self {
            SendResult::WouldSend => "would send",
            SendResult::Sent => "sent",
            SendResult::Failed => "failed",
            SendResult::MayHaveBeenSent => "may have been sent",
            SendResult::Busy => "being sent elsewhere",
        }
    }
}

/// One send of the run (or of the plan, in a dry run).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub incident: String,
    pub step: Step,
    pub audience: Audience,
    pub channel: ChannelKind,
    pub to: String,
    pub result: SendResult,
    pub attempt: u32,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// For a failure: whether the channel's server answered at all.
    #[serde(skip)]
    pub reached: bool,
}

/// Something due that this run leaves for later.
#[derive(Debug, Clone, Serialize)]
pub struct Later {
    pub incident: String,
    pub step: Step,
    pub audience: Audience,
    pub channel: ChannelKind,
    #[serde(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unrouted {
    pub incident: String,
    pub step: Step,
    pub audience: Audience,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub dry_run: bool,
    pub sends: Vec<Row>,
    pub waiting: Vec<Later>,
    /// Audiences the policy names that no route reaches (configure a `[[notify.route]]`).
    pub unrouted: Vec<Unrouted>,
    /// Incidents that could not be handled (each named), the others were.
    pub problems: Vec<String>,
}

impl Report {
    fn count(&self, r: SendResult) -> usize {
        self.sends.iter().filter(|s| s.result == r).count()
    }

    /// 0: all sent, or nothing due; 69: nothing sent and no channel's server answered;
    /// 12: anything else short of everything (a failure, a send that may have been sent, an
    /// incident that could not be read).
    pub fn exit_code(&self) -> ExitCode {
        let failed: Vec<&Row> = self
            .sends
            .iter()
            .filter(|s| s.result == SendResult::Failed)
            .collect();
        let unknown = self.count(SendResult::MayHaveBeenSent);
        if failed.is_empty() && unknown == 0 && self.problems.is_empty() {
            return ExitCode::Ok;
        }
        let none_reached = !failed.is_empty() && failed.iter().all(|f| !f.reached);
        if self.count(SendResult::Sent) == 0 && unknown == 0 && none_reached {
            ExitCode::Unavailable
        } else {
            ExitCode::PartialFailure
        }
    }
}

/// How long after its resolution an incident is still looked at (for its resolution message).
const RESOLVED_HORIZON: SignedDuration = SignedDuration::from_hours(7 * 24);

pub async fn escalate(settings: &Settings, store: &Store, o: &Options) -> Result<Report> {
    let routes = Routes::from_settings(settings);
    if routes.is_empty() {
        return Err(Error::config(
            "notify.route",
            "no [[notify.route]] is configured: nobody can be told",
        )
        .with_hint("see examples/incidentctl.toml ([notify.smtp] and [[notify.route]])"));
    }
    let policy = Policy {
        rules: &settings.notify.policy,
        hours: settings.notify.policy.business_hours()?,
        update_interval: SignedDuration::try_from(settings.report.update_interval.0)
            .unwrap_or(SignedDuration::from_mins(30)),
    };
    let ledger = Ledger::open(store).await?;
    let (incidents, problems) = match &o.incident {
        Some(id) => (vec![store.get(id).await?], Vec::new()),
        None => store.list().await?,
    };
    let mut report = Report {
        dry_run: o.dry_run,
        problems,
        ..Report::default()
    };
    let run = Run {
        store,
        ledger: &ledger,
        routes: &routes,
        policy: &policy,
        o,
        channels: Channels::new(settings),
    };
    let horizon = o.now.checked_sub(RESOLVED_HORIZON).unwrap_or(o.now);
    for incident in incidents {
        let recent = incident.resolved_at.is_none_or(|t| t >= horizon);
        if !incident.status.is_open() && !recent {
            continue;
        }
        // One incident's trouble (its file damaged, its store gone mid-run) is said; the
        // others are still handled.
        if let Err(e) = run.incident(&incident, &mut report).await {
            report.problems.push(format!("{}: {e}", incident.id));
        }
    }
    Ok(report)
}

struct Run<'a> {
    store: &'a Store,
    ledger: &'a Ledger<'a>,
    routes: &'a Routes,
    policy: &'a Policy<'a>,
    o: &'a Options,
    channels: Channels<'a>,
}

impl Run<'_> {
    fn to(&self, audience: Audience, channel: ChannelKind) -> String {
        self.routes
            .destination(audience, channel)
            .map(|d| d.shown())
            .unwrap_or_default()
    }

    /// Enters the records the timeline lacks (a run that died between the two).
    async fn enter(&self, id: &str, records: &[Record]) -> Result<()> {
        let with_to: Vec<(Record, String)> = records
            .iter()
            .filter(|r| r.state != State::Sending)
            .map(|r| (r.clone(), self.to(r.audience, r.channel)))
            .collect();
        let author = &self.o.author;
        let current = self.store.get(id).await?;
        let mut probe = current.clone();
        if !timeline::add_missing(&mut probe, &with_to, author) {
            return Ok(());
        }
        self.store
            .update(id, |i| {
                timeline::add_missing(i, &with_to, author);
                Ok(())
            })
            .await?;
        Ok(())
    }

    async fn incident(&self, incident: &Incident, report: &mut Report) -> Result<()> {
        let id = &incident.id;
        let records = self.ledger.records(id).await?;
        if !self.o.dry_run {
            self.enter(id, &records).await?;
        }
        let plan: Plan = policy::plan(
            self.policy,
            &Inputs {
                incident,
                records: &records,
                routes: self.routes,
                now: self.o.now,
                resend: self.o.resend,
                scope: self.o.scope,
            },
        );
        for w in plan.waiting {
            if w.wait == Wait::InProgress && !self.o.dry_run {
                // Claimed and unfinished: sent by another run now, or by one that died; the
                // claim says which (and records the dead one's as may have been sent).
                let due = Due {
                    step: w.step,
                    audience: w.audience,
                    channel: w.channel,
                    attempt: 1,
                    reference: None,
                };
                if let Some(row) = self.one(incident, &due, &records).await? {
                    report.sends.push(row);
                }
                continue;
            }
            report.waiting.push(Later {
                incident: id.clone(),
                step: w.step,
                audience: w.audience,
                channel: w.channel,
                wait: w.wait,
            });
        }
        for (step, audience) in plan.unrouted {
            report.unrouted.push(Unrouted {
                incident: id.clone(),
                step,
                audience,
            });
        }
        for due in &plan.due {
            if let Some(row) = self.one(incident, due, &records).await? {
                report.sends.push(row);
            }
        }
        Ok(())
    }

    fn row(&self, id: &str, due: &Due, result: SendResult, detail: String) -> Row {
        Row {
            incident: id.to_string(),
            step: due.step,
            audience: due.audience,
            channel: due.channel,
            to: self.to(due.audience, due.channel),
            result,
            attempt: due.attempt,
            detail,
            reached: true,
        }
    }

    async fn one(&self, incident: &Incident, due: &Due, records: &[Record]) -> Result<Option<Row>> {
        let id = &incident.id;
        let Some(destination) = self.routes.destination(due.audience, due.channel) else {
            // Told by a channel its route no longer has: nothing to send it through.
            return Ok(None);
        };
        if self.o.dry_run {
            return Ok(Some(self.row(
                id,
                due,
                SendResult::WouldSend,
                String::new(),
            )));
        }
        let key = Key {
            incident: id.clone(),
            step: due.step,
            audience: due.audience,
            channel: due.channel,
        };
        let now = self.o.now;
        let claimed = match self.ledger.claim(&key, now, self.o.resend).await? {
            Claim::NotDue => return Ok(None),
            Claim::Busy => return Ok(Some(self.row(id, due, SendResult::Busy, String::new()))),
            Claim::Abandoned(r) => {
                self.enter(id, std::slice::from_ref(&r)).await?;
                let mut row = self.row(id, due, SendResult::MayHaveBeenSent, r.detail.clone());
                row.attempt = r.attempts;
                return Ok(Some(row));
            }
            Claim::Won(c) => c,
        };
        let attempt = claimed.attempt;
        let message = self.compose(incident, due, records);
        let outcome = self
            .channels
            .send(&Send {
                due,
                destination,
                incident,
                message: &message,
                records,
            })
            .await;
        let (finished, result, reached) = finished(&outcome, attempt, now);
        self.ledger.finish(claimed, &finished, now).await?;
        let record = Record {
            step: due.step,
            audience: due.audience,
            channel: due.channel,
            state: finished.state,
            attempts: attempt,
            first_attempt_at: now,
            last_attempt_at: now,
            next_attempt_at: finished.next_attempt_at,
            detail: finished.detail.clone(),
            reference: finished.reference.clone(),
        };
        self.enter(id, std::slice::from_ref(&record)).await?;
        let mut row = self.row(id, due, result, finished.detail);
        row.attempt = attempt;
        row.reached = reached;
        Ok(Some(row))
    }

    fn compose(&self, incident: &Incident, due: &Due, records: &[Record]) -> Message {
        // The severity anyone was last told of, when it was another one: this is a raise (or
        // a lowering) to them all.
        let was = records
            .iter()
            .filter(|r| r.state.told())
            .filter_map(|r| match r.step {
                Step::Severity(s) if s != incident.severity => Some((r.last_attempt_at, s)),
                _ => None,
            })
            .max_by_key(|(t, _)| *t)
            .map(|(_, s): (Timestamp, Severity)| s);
        let ctx = message::Context {
            now: self.o.now,
            update_interval: self.policy.update_interval,
            was,
        };
        message::compose(incident, due.step, due.audience, &ctx)
    }
}

/// What the ledger records of an outcome, the run's word for it, and whether the channel
/// answered at all.
fn finished(outcome: &Outcome, attempt: u32, now: Timestamp) -> (Finished, SendResult, bool) {
    match outcome {
        Outcome::Sent { reference } => (
            Finished {
                state: State::Sent,
                detail: String::new(),
                next_attempt_at: None,
                reference: reference.clone(),
            },
            SendResult::Sent,
            true,
        ),
        Outcome::Failed(f) => {
            let mut wait = backoff(attempt);
            if let Some(after) = f.retry_after.and_then(|d| SignedDuration::try_from(d).ok()) {
                wait = wait.max(after);
            }
            (
                Finished {
                    state: State::Failed,
                    detail: f.detail.clone(),
                    next_attempt_at: now.checked_add(wait).ok(),
                    reference: None,
                },
                SendResult::Failed,
                f.reached(),
            )
        }
        Outcome::MayHaveBeenSent { detail } => (
            Finished {
                state: State::MayHaveBeenSent,
                detail: detail.clone(),
                next_attempt_at: None,
                reference: None,
            },
            SendResult::MayHaveBeenSent,
            true,
        ),
    }
}
