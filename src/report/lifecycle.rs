//! The incident's lifecycle rules: what each `report` verb may do to an incident and what it
//! records in the timeline. The command only loads, calls one of these, saves and prints; a
//! rule broken is a usage error that changes nothing.

use super::model::{EntryKind, Fields, FollowUp, Incident, Role, Status, INCIDENT_SCHEMA};
use crate::error::{Error, Result};
use crate::types::Severity;
use jiff::Timestamp;
use std::collections::BTreeMap;

/// Who did it and when: every entry carries both.
#[derive(Debug, Clone, Copy)]
pub struct Act<'a> {
    pub now: Timestamp,
    pub author: &'a str,
}

/// What `report new` knows of an incident before it has an id.
#[derive(Debug, Clone)]
pub struct Opening {
    pub title: String,
    pub severity: Severity,
    /// Why this severity, when diagnose suggested it.
    pub severity_reason: Option<String>,
    pub commander: Option<String>,
    pub detected_at: Timestamp,
}

/// The template fields `report set` changes; None leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct FieldChanges {
    pub summary: Option<String>,
    pub impact: Option<String>,
    pub users_affected: Option<u64>,
    pub services: Option<Vec<String>>,
    pub root_cause: Option<String>,
    pub resolution: Option<String>,
    pub lessons: Option<String>,
}

impl Incident {
    /// A new incident, investigating, with its detection and opening in the timeline.
    pub fn open(id: String, o: &Opening, act: Act) -> Incident {
        let mut i = Incident {
            schema: INCIDENT_SCHEMA.into(),
            id,
            title: o.title.clone(),
            severity: o.severity,
            severity_reason: o.severity_reason.clone(),
            status: Status::Investigating,
            roles: BTreeMap::new(),
            detected_at: o.detected_at,
            created_at: act.now,
            acknowledged_at: None,
            mitigated_at: None,
            resolved_at: None,
            closed_at: None,
            last_notified_at: None,
            fields: Fields::default(),
            follow_ups: Vec::new(),
            timeline: Vec::new(),
            evidence: Vec::new(),
            forced_close_reason: None,
            root_cause_at: None,
            suspected: None,
            impact: None,
        };
        i.add(
            o.detected_at,
            EntryKind::Detected,
            "incident detected",
            act.author,
        );
        let opened = format!("incident opened: {} {}", o.severity.label(), o.title);
        i.add(act.now, EntryKind::Created, opened, act.author);
        if let Some(r) = &o.severity_reason {
            let text = format!("severity {}: {r}", o.severity.label());
            i.add(act.now, EntryKind::Severity, text, act.author);
        }
        if let Some(c) = &o.commander {
            i.roles.insert(Role::Commander, c.clone());
            let text = format!("{} {c}", Role::Commander.title());
            i.add(act.now, EntryKind::Assigned, text, act.author);
        }
        i
    }

    /// Acknowledged once: the response clock stops here.
    pub fn acknowledge(&mut self, act: Act) -> Result<()> {
        if self.acknowledged_at.is_some() {
            return Err(Error::usage(format!(
                "{} was already acknowledged",
                self.id
            )));
        }
        self.acknowledged_at = Some(act.now);
        self.add(act.now, EntryKind::Acknowledged, "acknowledged", act.author);
        Ok(())
    }

    /// Any status but closed (that is `close`'s), and not the one it has.
    pub fn move_to(&mut self, to: Status, act: Act) -> Result<()> {
        if self.status == Status::Closed {
            return Err(Error::usage(format!("{} is closed", self.id)));
        }
        if self.status == to {
            return Err(Error::usage(format!(
                "{} is already {}",
                self.id,
                to.as_str()
            )));
        }
        self.set_status(to, act.now, act.author);
        Ok(())
    }

    pub fn change_severity(&mut self, to: Severity, reason: Option<&str>, act: Act) -> Result<()> {
        if self.severity == to {
            return Err(Error::usage(format!(
                "{} is already {}",
                self.id,
                to.label()
            )));
        }
        let why = reason.map(|r| format!(": {r}")).unwrap_or_default();
        let text = format!("severity {} -> {}{why}", self.severity.label(), to.label());
        self.severity = to;
        self.severity_reason = reason.map(str::to_string);
        self.add(act.now, EntryKind::Severity, text, act.author);
        Ok(())
    }

    pub fn assign(&mut self, role: Role, name: &str, act: Act) {
        self.roles.insert(role, name.to_string());
        let text = format!("{} {name}", role.title());
        self.add(act.now, EntryKind::Assigned, text, act.author);
    }

    /// A note at `at` (it may be back-dated); secrets in it are redacted before it is kept.
    pub fn note(&mut self, at: Timestamp, text: &str, act: Act) -> Result<()> {
        if text.trim().is_empty() {
            return Err(Error::usage("the entry is empty"));
        }
        self.add(
            at,
            EntryKind::Note,
            crate::output::redact::secrets(text),
            act.author,
        );
        Ok(())
    }

    /// Sets the given fields; giving none is an error.
    pub fn set_fields(&mut self, c: &FieldChanges, act: Act) -> Result<()> {
        let f = &mut self.fields;
        let mut changed: Vec<&str> = Vec::new();
        for (slot, value, name) in [
            (&mut f.summary, &c.summary, "summary"),
            (&mut f.impact, &c.impact, "impact"),
            (&mut f.root_cause, &c.root_cause, "root cause"),
            (&mut f.resolution, &c.resolution, "resolution"),
            (&mut f.lessons, &c.lessons, "lessons learned"),
        ] {
            if let Some(v) = value {
                *slot = Some(v.clone());
                changed.push(name);
            }
        }
        if let Some(n) = c.users_affected {
            f.users_affected = Some(n);
            changed.push("users affected");
        }
        if let Some(s) = &c.services {
            f.services = s
                .iter()
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect();
            changed.push("services");
        }
        if c.root_cause.is_some() && self.root_cause_at.is_none() {
            self.root_cause_at = Some(act.now);
        }
        if changed.is_empty() {
            return Err(Error::usage("nothing to set: give --summary, --impact, --users-affected, --services, --root-cause, --resolution or --lessons"));
        }
        let text = format!("set {}", changed.join(", "));
        self.add(act.now, EntryKind::Field, text, act.author);
        Ok(())
    }

    /// `report cause accept N`: suspect N of the attached diagnosis becomes the root cause.
    pub fn accept_cause(&mut self, rank: usize, act: Act) -> Result<()> {
        let Some(s) = self
            .suspected
            .as_ref()
            .and_then(|s| s.suspects.iter().find(|s| s.rank == rank))
        else {
            let n = self.suspected.as_ref().map_or(0, |s| s.suspects.len());
            return Err(Error::usage(format!(
                "{} has no suspect {rank} ({n} suspected by its diagnoses)",
                self.id
            ))
            .with_hint(format!("`incidentctl report show {}` lists them", self.id)));
        };
        let evidence = if s.evidence.is_empty() {
            String::new()
        } else {
            format!(": {}", s.evidence.join("; "))
        };
        let text = format!("{} ({}){evidence}", s.what, s.kind.name());
        self.fields.root_cause = Some(text.clone());
        if self.root_cause_at.is_none() {
            self.root_cause_at = Some(act.now);
        }
        let entry = format!("root cause accepted: suspect {rank}: {text}");
        self.add(act.now, EntryKind::Field, entry, act.author);
        Ok(())
    }

    pub fn add_follow_up(&mut self, text: &str, act: Act) {
        self.follow_ups.push(FollowUp {
            text: text.to_string(),
            done: false,
        });
        let entry = format!("follow-up: {text}");
        self.add(act.now, EntryKind::FollowUp, entry, act.author);
    }

    /// A status update posted: the update clock restarts.
    pub fn notified(&mut self, act: Act) {
        self.last_notified_at = Some(act.now);
        let text = format!(
            "status update posted to Slack ({} {})",
            self.severity.label(),
            self.status.as_str()
        );
        self.add(act.now, EntryKind::Notified, text, act.author);
    }

    /// A status update that may have been posted: recorded as that, the clocks do not move.
    pub fn maybe_notified(&mut self, why: &str, act: Act) {
        let text = format!("status update may have been posted to Slack: {why}");
        self.add(act.now, EntryKind::NotifyUnknown, text, act.author);
    }

    /// Closed once resolved with a root cause and a resolution, or forced with a reason.
    pub fn close(&mut self, force: bool, reason: Option<&str>, act: Act) -> Result<()> {
        let id = &self.id;
        if self.status == Status::Closed {
            return Err(Error::usage(format!("{id} is already closed")));
        }
        if !force {
            if self.status != Status::Resolved {
                return Err(Error::usage(format!("{id} is {}, not resolved: `report status {id} resolved` first (or --force --reason)", self.status.as_str())));
            }
            let missing = self.missing_for_close();
            if !missing.is_empty() {
                return Err(Error::usage(format!("{id} has no {} yet: `report set {id} --root-cause … --resolution …` (or --force --reason)", missing.join(" or "))));
            }
        }
        if self.resolved_at.is_none() {
            self.resolved_at = Some(act.now);
        }
        self.status = Status::Closed;
        self.closed_at = Some(act.now);
        let text = match reason {
            Some(r) if force => {
                self.forced_close_reason = Some(r.to_string());
                format!("closed (forced: {r})")
            }
            _ => "closed".to_string(),
        };
        self.add(act.now, EntryKind::Closed, text, act.author);
        Ok(())
    }

    /// The report fields a close needs that are still empty.
    fn missing_for_close(&self) -> Vec<&'static str> {
        [
            ("root cause", &self.fields.root_cause),
            ("resolution", &self.fields.resolution),
        ]
        .into_iter()
        .filter(|(_, v)| v.as_ref().is_none_or(|s| s.trim().is_empty()))
        .map(|(n, _)| n)
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: &str) -> Timestamp {
        t.parse().unwrap()
    }

    fn act() -> Act<'static> {
        Act {
            now: at("2026-11-26T03:10:00Z"),
            author: "oncall",
        }
    }

    fn incident() -> Incident {
        let opening = Opening {
            title: "Backend 5xx".into(),
            severity: Severity::Sev2,
            severity_reason: None,
            commander: Some("alice".into()),
            detected_at: at("2026-11-26T03:00:00Z"),
        };
        Incident::open("INC-20261126-001".into(), &opening, act())
    }

    fn kinds(i: &Incident) -> Vec<&'static str> {
        i.timeline.iter().map(|e| e.kind.as_str()).collect()
    }

    #[test]
    fn opening_records_detection_opening_and_the_commander() {
        let i = incident();
        assert_eq!(kinds(&i), ["detected", "created", "assigned"]);
        assert_eq!(i.timeline[1].text, "incident opened: SEV2 Backend 5xx");
        assert_eq!(i.timeline[2].text, "Incident Commander alice");
        assert_eq!(i.status, Status::Investigating);
    }

    #[test]
    fn acknowledging_twice_or_moving_to_the_same_status_is_refused() {
        let mut i = incident();
        i.acknowledge(act()).unwrap();
        let err = i.acknowledge(act()).unwrap_err().to_string();
        assert_eq!(err, "INC-20261126-001 was already acknowledged");
        let err = i
            .move_to(Status::Investigating, act())
            .unwrap_err()
            .to_string();
        assert_eq!(err, "INC-20261126-001 is already investigating");
    }

    #[test]
    fn closing_needs_resolved_root_cause_and_resolution_unless_forced() {
        let mut i = incident();
        let err = i.close(false, None, act()).unwrap_err().to_string();
        assert!(
            err.starts_with("INC-20261126-001 is investigating, not resolved"),
            "{err}"
        );
        i.move_to(Status::Resolved, act()).unwrap();
        let err = i.close(false, None, act()).unwrap_err().to_string();
        assert!(
            err.starts_with("INC-20261126-001 has no root cause or resolution yet"),
            "{err}"
        );
        let changes = FieldChanges {
            root_cause: Some("pool exhausted".into()),
            resolution: Some("raised the pool".into()),
            ..FieldChanges::default()
        };
        i.set_fields(&changes, act()).unwrap();
        i.close(false, None, act()).unwrap();
        assert_eq!(i.status, Status::Closed);
        assert_eq!(i.timeline.last().unwrap().text, "closed");
        let err = i
            .move_to(Status::Monitoring, act())
            .unwrap_err()
            .to_string();
        assert_eq!(err, "INC-20261126-001 is closed");
    }

    #[test]
    fn a_forced_close_keeps_its_reason_and_a_refused_rule_changes_nothing() {
        let mut i = incident();
        let before = i.clone();
        assert!(i.set_fields(&FieldChanges::default(), act()).is_err());
        assert!(i.note(act().now, "   ", act()).is_err());
        assert_eq!(i, before);
        i.close(true, Some("duplicate of INC-20261126-002"), act())
            .unwrap();
        assert_eq!(
            i.forced_close_reason.as_deref(),
            Some("duplicate of INC-20261126-002")
        );
        assert_eq!(
            i.timeline.last().unwrap().text,
            "closed (forced: duplicate of INC-20261126-002)"
        );
        assert_eq!(i.resolved_at, Some(act().now));
    }

    #[test]
    fn notes_are_redacted_and_severity_changes_say_why() {
        let mut i = incident();
        i.note(act().now, "rotated password=hunter2", act())
            .unwrap();
        assert_eq!(i.timeline.last().unwrap().text, "rotated password=***");
        i.change_severity(Severity::Sev1, Some("payments down"), act())
            .unwrap();
        assert_eq!(
            i.timeline.last().unwrap().text,
            "severity SEV2 -> SEV1: payments down"
        );
        assert!(i.change_severity(Severity::Sev1, None, act()).is_err());
    }
}
