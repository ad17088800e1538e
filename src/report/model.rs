//! The incident as the seed's process sees it: severity, status, roles, the timeline, the
//! template's fields, follow-ups; and the clocks (response time, escalation, status updates).

use crate::types::severity::{Severity, ESCALATION};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Investigating => "investigating",
            Status::Identified => "identified",
            Status::Monitoring => "monitoring",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed)
    }
}

/// The seed's incident response roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Commander,
    TechnicalLead,
    CommunicationsLead,
    DocumentationLead,
}

impl Role {
    pub fn title(self) -> &'static str {
        match self {
            Role::Commander => "Incident Commander",
            Role::TechnicalLead => "Technical Lead",
            Role::CommunicationsLead => "Communications Lead",
            Role::DocumentationLead => "Documentation Lead",
        }
    }
}

/// What a timeline entry records. The names are the incident file's (and `report show`'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    Detected,
    Created,
    Acknowledged,
    Status,
    Severity,
    Assigned,
    Note,
    Field,
    FollowUp,
    /// A diagnosis attached as evidence.
    Diagnose,
    /// A change from the audit log (never stored: read from the log when shown).
    Action,
    /// A runbook run: which steps ran, were skipped or failed, and whether its symptoms went.
    Runbook,
    Notified,
    /// A notification that may or may not have been delivered (the connection was lost after it
    /// went out): never sent again on its own.
    NotifyUnknown,
    /// A notification provably not delivered (refused, or never connected): tried again later.
    NotifyFailed,
    Closed,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Detected => "detected",
            EntryKind::Created => "created",
            EntryKind::Acknowledged => "acknowledged",
            EntryKind::Status => "status",
            EntryKind::Severity => "severity",
            EntryKind::Assigned => "assigned",
            EntryKind::Note => "note",
            EntryKind::Field => "field",
            EntryKind::FollowUp => "follow-up",
            EntryKind::Diagnose => "diagnose",
            EntryKind::Action => "action",
            EntryKind::Runbook => "runbook",
            EntryKind::Notified => "notified",
            EntryKind::NotifyUnknown => "notify-unknown",
            EntryKind::NotifyFailed => "notify-failed",
            EntryKind::Closed => "closed",
        }
    }
}

impl std::fmt::Display for EntryKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub at: Timestamp,
    pub kind: EntryKind,
    pub text: String,
    #[serde(default)]
    pub author: String,
    /// The evidence file this entry recorded (a diagnosis), by its name in the store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The notification attempt this entry records (`step/audience/channel#attempt`), so a
    /// send is entered once however many processes record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub text: String,
    #[serde(default)]
    pub done: bool,
}

/// The report template's free-text fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    pub summary: Option<String>,
    pub impact: Option<String>,
    pub users_affected: Option<u64>,
    #[serde(default)]
    pub services: Vec<String>,
    pub root_cause: Option<String>,
    pub resolution: Option<String>,
    pub lessons: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub schema: String,
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub severity_reason: Option<String>,
    pub status: Status,
    #[serde(default)]
    pub roles: BTreeMap<Role, String>,
    pub detected_at: Timestamp,
    pub created_at: Timestamp,
    pub acknowledged_at: Option<Timestamp>,
    /// The first time the status reached monitoring (or beyond): the impact was contained.
    pub mitigated_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub last_notified_at: Option<Timestamp>,
    #[serde(default)]
    pub fields: Fields,
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
    #[serde(default)]
    pub timeline: Vec<Entry>,
    /// Evidence files kept with the incident (diagnose JSON), by name.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Why it was closed without a root cause or resolution (--force).
    pub forced_close_reason: Option<String>,
    /// When the root cause was set or a suspect accepted (`report set --root-cause`,
    /// `report cause accept N`).
    #[serde(default)]
    pub root_cause_at: Option<Timestamp>,
    /// The onset and suspects of the first diagnosis attached that had any: the evidence as it
    /// was during the incident.
    #[serde(default)]
    pub suspected: Option<Suspicion>,
    /// The impact as measured at `report close`: a later render gives the same report after
    /// Prometheus no longer keeps the data.
    #[serde(default)]
    pub impact: Option<crate::diagnose::analysis::impact::Impact>,
}

/// What a diagnosis attached to the incident suspected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suspicion {
    /// The diagnosis's evidence file.
    pub evidence: String,
    pub onset: Option<crate::diagnose::analysis::Onset>,
    pub suspects: Vec<crate::diagnose::analysis::suspects::Suspect>,
}

pub const INCIDENT_SCHEMA: &str = "incidentctl.incident/v1";

impl Incident {
    pub fn add(&mut self, at: Timestamp, kind: EntryKind, text: impl Into<String>, author: &str) {
        self.timeline.push(Entry {
            at,
            kind,
            text: text.into(),
            author: author.into(),
            evidence: None,
            notification: None,
        });
    }

    /// Records an evidence file kept in the store, with the timeline entry that points at it.
    pub fn add_evidence(
        &mut self,
        at: Timestamp,
        kind: EntryKind,
        text: String,
        author: &str,
        file: String,
    ) {
        self.add(at, kind, text, author);
        if let Some(entry) = self.timeline.last_mut() {
            entry.evidence = Some(file.clone());
        }
        self.evidence.push(file);
    }

    /// Moves to `status`, stamping the clocks it stops.
    pub fn set_status(&mut self, status: Status, now: Timestamp, author: &str) {
        let from = self.status;
        self.status = status;
        if status >= Status::Monitoring && self.mitigated_at.is_none() {
            self.mitigated_at = Some(now);
        }
        if status >= Status::Resolved && self.resolved_at.is_none() {
            self.resolved_at = Some(now);
        }
        if status < Status::Resolved {
            self.resolved_at = None;
        }
        self.add(
            now,
            EntryKind::Status,
            format!("status {} -> {}", from.as_str(), status.as_str()),
            author,
        );
    }
}

/// The response deadline of a severity, from detection: 15 min, 1 h, 4 h, or the end of the
/// next business day (17:00 UTC, Monday to Friday).
pub fn response_deadline(severity: Severity, detected: Timestamp) -> Timestamp {
    let minutes = |m: i64| {
        detected
            .saturating_add(SignedDuration::from_mins(m))
            .unwrap_or(detected)
    };
    match severity.level().response_minutes {
        Some(m) => minutes(m),
        None => {
            let utc = detected.to_zoned(jiff::tz::TimeZone::UTC);
            let mut day = utc.date();
            loop {
                day = day.tomorrow().unwrap_or(day);
                if !matches!(
                    day.weekday(),
                    jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
                ) {
                    break;
                }
            }
            day.at(17, 0, 0, 0)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .unwrap_or(detected)
        }
    }
}

/// What the clocks say at `now`.
#[derive(Debug, Clone, Serialize)]
pub struct Clocks {
    pub response_deadline: Timestamp,
    /// met, breached, or pending (not yet acknowledged, deadline not passed)
    pub response: &'static str,
    pub time_to_acknowledge_s: Option<i64>,
    pub time_to_mitigate_s: Option<i64>,
    pub time_to_resolve_s: Option<i64>,
    /// How long it has been open (or was, once resolved).
    pub duration_s: i64,
    /// 1–4: the seed's escalation level reached (None once resolved).
    pub escalation_level: Option<usize>,
    pub escalation: Option<&'static str>,
    pub next_escalation_at: Option<Timestamp>,
    pub next_update_due: Option<Timestamp>,
    pub update_overdue: bool,
}

fn secs(a: Timestamp, b: Timestamp) -> i64 {
    b.as_second() - a.as_second()
}

pub fn clocks(i: &Incident, now: Timestamp, update_interval: SignedDuration) -> Clocks {
    let deadline = response_deadline(i.severity, i.detected_at);
    let response = match i.acknowledged_at {
        Some(a) if a <= deadline => "met",
        Some(_) => "breached",
        None if now > deadline => "breached",
        None => "pending",
    };
    let end = i.resolved_at.unwrap_or(now);
    let open = i.status.is_open();
    let elapsed_min = secs(i.detected_at, now).max(0) / 60;
    let level = ESCALATION
        .iter()
        .rposition(|e| elapsed_min >= e.from_minute)
        .unwrap_or(0);
    let next_escalation_at = ESCALATION.get(level + 1).and_then(|e| {
        i.detected_at
            .saturating_add(SignedDuration::from_mins(e.from_minute))
            .ok()
    });
    let last_update = i.last_notified_at.unwrap_or(i.created_at);
    let next_update = last_update
        .saturating_add(update_interval)
        .unwrap_or(last_update);
    Clocks {
        response_deadline: deadline,
        response,
        time_to_acknowledge_s: i.acknowledged_at.map(|a| secs(i.detected_at, a)),
        time_to_mitigate_s: i.mitigated_at.map(|a| secs(i.detected_at, a)),
        time_to_resolve_s: i.resolved_at.map(|a| secs(i.detected_at, a)),
        duration_s: secs(i.detected_at, end).max(0),
        escalation_level: open.then_some(level + 1),
        escalation: open.then(|| ESCALATION[level].who),
        next_escalation_at: if open { next_escalation_at } else { None },
        next_update_due: open.then_some(next_update),
        update_overdue: open && now > next_update,
    }
}

/// `1h05m`, `12m`, `45s`.
pub fn fmt_duration(secs: i64) -> String {
    crate::types::duration::fmt_age(secs as f64)
}

/// An incident opened at `detected`, investigating, nothing else set: for unit tests.
#[cfg(test)]
pub(crate) fn incident_for_tests(detected: &str, severity: Severity) -> Incident {
    tests::incident(detected, severity)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn incident(detected: &str, severity: Severity) -> Incident {
        let t: Timestamp = detected.parse().unwrap();
        Incident {
            schema: INCIDENT_SCHEMA.into(),
            id: "INC-20261126-001".into(),
            title: "t".into(),
            severity,
            severity_reason: None,
            status: Status::Investigating,
            roles: BTreeMap::new(),
            detected_at: t,
            created_at: t,
            acknowledged_at: None,
            mitigated_at: None,
            resolved_at: None,
            closed_at: None,
            last_notified_at: None,
            fields: Fields::default(),
            follow_ups: vec![],
            timeline: vec![],
            evidence: vec![],
            forced_close_reason: None,
            root_cause_at: None,
            suspected: None,
            impact: None,
        }
    }

    fn at(base: &str, minutes: i64) -> Timestamp {
        base.parse::<Timestamp>()
            .unwrap()
            .saturating_add(SignedDuration::from_mins(minutes))
            .unwrap()
    }

    #[test]
    fn escalation_levels_follow_the_seed_ladder() {
        let base = "2026-11-26T03:00:00Z";
        let i = incident(base, Severity::Sev1);
        let half_hour = SignedDuration::from_mins(30);
        for (minute, level, who) in [
            (0, 1, "primary"),
            (16, 2, "secondary"),
            (31, 3, "engineering manager"),
            (61, 4, "CTO"),
        ] {
            let c = clocks(&i, at(base, minute), half_hour);
            assert_eq!(c.escalation_level, Some(level), "at {minute} min");
            assert!(
                c.escalation.unwrap().contains(who),
                "at {minute} min: {:?}",
                c.escalation
            );
        }
        assert_eq!(
            clocks(&i, at(base, 16), half_hour).next_escalation_at,
            Some(at(base, 30))
        );
        assert_eq!(clocks(&i, at(base, 61), half_hour).next_escalation_at, None);
    }

    #[test]
    fn response_time_is_met_or_breached_per_severity() {
        let base = "2026-11-26T03:00:00Z";
        let mut i = incident(base, Severity::Sev1);
        let h = SignedDuration::from_mins(30);
        assert_eq!(clocks(&i, at(base, 10), h).response, "pending");
        assert_eq!(clocks(&i, at(base, 16), h).response, "breached");
        i.acknowledged_at = Some(at(base, 14));
        assert_eq!(clocks(&i, at(base, 90), h).response, "met");
        assert_eq!(
            clocks(&i, at(base, 90), h).time_to_acknowledge_s,
            Some(14 * 60)
        );
        let sev2 = incident(base, Severity::Sev2);
        assert_eq!(clocks(&sev2, at(base, 59), h).response, "pending");
        assert_eq!(clocks(&sev2, at(base, 61), h).response, "breached");
    }

    #[test]
    fn sev4_is_due_at_the_end_of_the_next_business_day() {
        // Friday 2026-11-27 -> Monday 2026-11-30 17:00 UTC.
        let friday: Timestamp = "2026-11-27T10:00:00Z".parse().unwrap();
        let expected: Timestamp = "2026-11-30T17:00:00Z".parse().unwrap();
        assert_eq!(response_deadline(Severity::Sev4, friday), expected);
    }

    #[test]
    fn an_update_is_due_thirty_minutes_after_the_last_and_overdue_after() {
        let base = "2026-11-26T03:00:00Z";
        let mut i = incident(base, Severity::Sev2);
        let h = SignedDuration::from_mins(30);
        assert_eq!(
            clocks(&i, at(base, 5), h).next_update_due,
            Some(at(base, 30))
        );
        assert!(!clocks(&i, at(base, 29), h).update_overdue);
        assert!(clocks(&i, at(base, 31), h).update_overdue);
        i.last_notified_at = Some(at(base, 31));
        assert_eq!(
            clocks(&i, at(base, 32), h).next_update_due,
            Some(at(base, 61))
        );
        i.set_status(Status::Resolved, at(base, 40), "me");
        let c = clocks(&i, at(base, 100), h);
        assert_eq!(c.next_update_due, None);
        assert_eq!(c.escalation_level, None);
        assert_eq!(c.time_to_resolve_s, Some(40 * 60));
        assert_eq!(c.time_to_mitigate_s, Some(40 * 60));
        assert_eq!(c.duration_s, 40 * 60);
    }
}
