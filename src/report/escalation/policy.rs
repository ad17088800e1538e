//! What is due for one incident now: a pure function of the incident, the policy, the routes
//! and the ledger's records. A dry run prints it; a real run claims and sends exactly it.

use super::ledger::{Record, State};
use super::routes::Routes;
use super::{ChannelKind, Step};
use crate::report::model::Incident;
use crate::settings::{BusinessHours, EscalateUntil, NotifyPolicy};
use crate::types::{Audience, Severity};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// One send that is due.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Due {
    pub step: Step,
    pub audience: Audience,
    pub channel: ChannelKind,
    /// The attempt this would be (1 unless an earlier one failed or may have been sent).
    pub attempt: u32,
    /// What an earlier send to this channel answered (a status page's incident id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// Why something that will be sent is not sent now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum Wait {
    /// The severity waits for business hours; they start then.
    BusinessHours { from: Timestamp },
    /// It failed; it is tried again from then.
    Backoff { until: Timestamp, attempts: u32 },
    /// Claimed and not finished: another run is sending it, or died doing so.
    InProgress,
    /// It may have been sent: only `--resend` sends it again.
    MayHaveBeenSent,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waiting {
    pub step: Step,
    pub audience: Audience,
    pub channel: ChannelKind,
    #[serde(flatten)]
    pub wait: Wait,
}

/// What one incident needs now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    pub due: Vec<Due>,
    pub waiting: Vec<Waiting>,
    /// Audiences the policy names that no route reaches.
    pub unrouted: Vec<(Step, Audience)>,
}

/// What the policy says, parsed once per run.
pub struct Policy<'a> {
    pub rules: &'a NotifyPolicy,
    pub hours: BusinessHours,
    pub update_interval: SignedDuration,
}

/// Which steps a run considers: all, or only PagerDuty's acknowledge (`report ack`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Acknowledge,
}

pub struct Inputs<'a> {
    pub incident: &'a Incident,
    pub records: &'a [Record],
    pub routes: &'a Routes,
    pub now: Timestamp,
    pub resend: bool,
    pub scope: Scope,
}

/// Every (step, audience) the policy wants told now, with the channels to use; None: every
/// channel of the audience's routes.
fn wanted(p: &Policy, i: &Inputs) -> Vec<(Step, Audience, Option<Vec<ChannelKind>>)> {
    let incident = i.incident;
    let mut out = Vec::new();
    let told = |a: Audience| -> Vec<&Record> {
        i.records
            .iter()
            .filter(|r| {
                r.audience == a
                    && r.state.told()
                    && !matches!(r.step, Step::Acknowledged | Step::Resolved)
            })
            .collect()
    };
    if incident.status.is_open() {
        if i.scope == Scope::All {
            let severity = incident.severity;
            for a in p.rules.severity.get(&severity).into_iter().flatten() {
                out.push((Step::Severity(severity), *a, None));
            }
            let stopped = p.rules.escalate_until == EscalateUntil::Acknowledged
                && incident.acknowledged_at.is_some();
            if p.rules.escalate.contains(&severity) && !stopped {
                let elapsed = i.now.duration_since(incident.detected_at);
                for step in &p.rules.escalation {
                    let after =
                        SignedDuration::try_from(step.after.0).unwrap_or(SignedDuration::MAX);
                    if elapsed >= after {
                        let minutes = after.as_mins();
                        for a in &step.audiences {
                            out.push((Step::Escalation { minutes }, *a, None));
                        }
                    }
                }
            }
            if let Some(n) = update_number(incident.created_at, i.now, p.update_interval) {
                let since = i.now.checked_sub(p.update_interval).unwrap_or(i.now);
                for a in &p.rules.updates_to {
                    // Told once at least an interval ago: the update has news for them.
                    if told(*a).iter().any(|r| r.last_attempt_at <= since) {
                        out.push((Step::Update(n), *a, None));
                    }
                }
            }
        }
        if incident.acknowledged_at.is_some() {
            for a in Audience::ALL {
                if told(a).iter().any(|r| r.channel == ChannelKind::Pagerduty) {
                    out.push((Step::Acknowledged, a, Some(vec![ChannelKind::Pagerduty])));
                }
            }
        }
    } else if i.scope == Scope::All {
        for a in Audience::ALL {
            let mut channels: Vec<ChannelKind> = told(a).iter().map(|r| r.channel).collect();
            channels.sort();
            channels.dedup();
            if !channels.is_empty() {
                out.push((Step::Resolved, a, Some(channels)));
            }
        }
    }
    out
}

/// The update due now: one per interval since the incident was opened (a late run sends only
/// the latest, never a backlog).
fn update_number(opened: Timestamp, now: Timestamp, interval: SignedDuration) -> Option<u32> {
    let interval = interval.as_secs();
    if interval <= 0 {
        return None;
    }
    let n = now.duration_since(opened).as_secs() / interval;
    u32::try_from(n).ok().filter(|n| *n >= 1)
}

pub fn plan(p: &Policy, i: &Inputs) -> Plan {
    let mut out = Plan::default();
    let waits_for_hours = p.rules.business_hours_only.contains(&i.incident.severity);
    let opens = (waits_for_hours && !in_business_hours(&p.hours, i.now))
        .then(|| next_business_start(&p.hours, i.now));
    for (step, audience, only) in wanted(p, i) {
        let channels: Vec<ChannelKind> = match only {
            Some(c) => c,
            None => i
                .routes
                .channels(audience)
                .iter()
                .map(|d| d.kind())
                .collect(),
        };
        if channels.is_empty() {
            out.unrouted.push((step, audience));
            continue;
        }
        for channel in channels {
            let record = i.records.iter().find(|r| r.is(step, audience, channel));
            let waiting = |wait: Wait| Waiting {
                step,
                audience,
                channel,
                wait,
            };
            let attempt = match record {
                None => 1,
                Some(r) => match r.state {
                    State::Sent => continue,
                    State::Sending => {
                        out.waiting.push(waiting(Wait::InProgress));
                        continue;
                    }
                    State::Failed => match r.next_attempt_at {
                        Some(until) if until > i.now => {
                            out.waiting.push(waiting(Wait::Backoff {
                                until,
                                attempts: r.attempts,
                            }));
                            continue;
                        }
                        _ => r.attempts + 1,
                    },
                    State::MayHaveBeenSent if i.resend => r.attempts + 1,
                    State::MayHaveBeenSent => {
                        out.waiting.push(waiting(Wait::MayHaveBeenSent));
                        continue;
                    }
                },
            };
            if let Some(from) = opens {
                out.waiting.push(waiting(Wait::BusinessHours { from }));
                continue;
            }
            let reference = i
                .records
                .iter()
                .filter(|r| r.channel == channel && r.state.told())
                .find_map(|r| r.reference.clone());
            out.due.push(Due {
                step,
                audience,
                channel,
                attempt,
                reference,
            });
        }
    }
    out.due.sort_by_key(|d| (d.step, d.audience, d.channel));
    out
}

pub fn in_business_hours(h: &BusinessHours, now: Timestamp) -> bool {
    let local = now.to_zoned(h.time_zone.clone());
    let minute = i32::from(local.hour()) * 60 + i32::from(local.minute());
    h.days.contains(&local.weekday()) && minute >= h.start_minute && minute < h.end_minute
}

/// The next moment business hours start, from `now` (looking a fortnight ahead at most).
pub fn next_business_start(h: &BusinessHours, now: Timestamp) -> Timestamp {
    let local = now.to_zoned(h.time_zone.clone());
    let mut day = local.date();
    for _ in 0..15 {
        let start = day
            .at(
                (h.start_minute / 60) as i8,
                (h.start_minute % 60) as i8,
                0,
                0,
            )
            .to_zoned(h.time_zone.clone())
            .map(|z| z.timestamp());
        if let Ok(start) = start {
            if start > now && h.days.contains(&day.weekday()) {
                return start;
            }
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    now
}

/// The severities whose notices an incident has had, lowest number first (for "raised" wording).
pub fn severities_told(records: &[Record]) -> Vec<Severity> {
    let mut out: Vec<Severity> = records
        .iter()
        .filter(|r| r.state.told())
        .filter_map(|r| match r.step {
            Step::Severity(s) => Some(s),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
