//! What each notification says: a subject and a text for people inside (email, Slack,
//! PagerDuty), and a plainer text for users (the status page), which never carries the internal
//! summary or diagnosis. Secrets in the incident's fields are redacted, and control characters
//! made visible (src/output/printable.rs), before anything is sent.

use super::Step;
use crate::output::printable::{self, Layout};
use crate::report::model::{clocks, fmt_duration, EntryKind, Incident};
use crate::types::{Audience, Severity};
use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub subject: String,
    /// For the people responding (UTF-8, lines).
    pub text: String,
    /// For users on the status page.
    pub public: String,
}

/// What a message needs besides the incident.
pub struct Context {
    pub now: Timestamp,
    pub update_interval: SignedDuration,
    /// The severity the audience was last told of, when it was another one.
    pub was: Option<Severity>,
}

fn clock(t: Timestamp) -> String {
    t.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M UTC")
        .to_string()
}

fn subject(i: &Incident, step: Step, ctx: &Context) -> String {
    let sev = i.severity.label();
    let what = match step {
        Step::Severity(_) => match ctx.was {
            Some(was) if was > i.severity => format!("raised from {}", was.label()),
            Some(was) => format!("lowered from {}", was.label()),
            None => "opened".into(),
        },
        Step::Escalation { minutes } => format!("unresolved after {minutes} min"),
        Step::Update(_) => format!("update ({})", i.status.as_str()),
        Step::Acknowledged => "acknowledged".into(),
        Step::Resolved => "resolved".into(),
    };
    format!("[{sev}] {} {what}: {}", i.id, i.title)
}

/// Why this reader gets this message, in one sentence.
fn reason(i: &Incident, step: Step, audience: Audience, interval: SignedDuration) -> String {
    let who = audience.described();
    match step {
        Step::Severity(s) => format!(
            "Sent to {who}: the runbook notifies {} of a {} incident.",
            s.notify(),
            s.label()
        ),
        Step::Escalation { minutes } => format!(
            "Sent to {who}: the incident is still unresolved {minutes} minutes after it was detected (the runbook's escalation)."
        ),
        Step::Update(_) => format!(
            "Sent to {who}: the status update every {} minutes of an active {} incident.",
            interval.as_mins(),
            i.severity.label()
        ),
        Step::Acknowledged => format!("Sent to {who}: someone is working on it."),
        Step::Resolved => format!("Sent to {who}, who was told of this incident: it is resolved."),
    }
}

/// The latest diagnosis attached to the incident, in its one-line summary.
fn diagnosis(i: &Incident) -> Option<&str> {
    i.timeline
        .iter()
        .rev()
        .find(|e| e.kind == EntryKind::Diagnose)
        .map(|e| e.text.as_str())
}

pub fn compose(i: &Incident, step: Step, audience: Audience, ctx: &Context) -> Message {
    let c = clocks(i, ctx.now, ctx.update_interval);
    let mut lines = vec![
        format!("{}: {}", i.id, i.title),
        String::new(),
        format!(
            "Severity: {} ({}): {}",
            i.severity.label(),
            i.severity.name(),
            i.severity.definition()
        ),
        format!("Status: {}", i.status.as_str()),
        format!(
            "Detected: {} ({} ago)",
            clock(i.detected_at),
            fmt_duration(ctx.now.duration_since(i.detected_at).as_secs().max(0))
        ),
        format!(
            "Acknowledged: {}",
            i.acknowledged_at
                .map(clock)
                .unwrap_or_else(|| "not yet".into())
        ),
    ];
    if let Some(commander) = i.roles.get(&crate::report::model::Role::Commander) {
        lines.push(format!("Incident commander: {commander}"));
    }
    let fields = &i.fields;
    for (label, value) in [
        ("Summary", fields.summary.as_deref()),
        ("Current diagnosis", diagnosis(i)),
        ("Impact", fields.impact.as_deref()),
    ] {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            lines.push(format!("{label}: {v}"));
        }
    }
    if let Some(n) = fields.users_affected {
        lines.push(format!("Users affected: {n}"));
    }
    if step == Step::Resolved {
        lines.push(format!("Duration: {}", fmt_duration(c.duration_s)));
        for (label, value) in [
            ("Root cause", fields.root_cause.as_deref()),
            ("Resolution", fields.resolution.as_deref()),
        ] {
            if let Some(v) = value {
                lines.push(format!("{label}: {v}"));
            }
        }
    } else if let Some(next) = c.next_update_due {
        let next = next.max(ctx.now.checked_add(ctx.update_interval).unwrap_or(ctx.now));
        lines.push(format!("Next update by {}", clock(next)));
    }
    lines.push(String::new());
    lines.push(reason(i, step, audience, ctx.update_interval));
    lines.push(format!("Details: incidentctl report show {}", i.id));
    // Every channel sends these three: secrets redacted and control characters shown, here
    // once (a title or summary is typed by someone and may carry a terminal's sequences).
    let shown = |text: &str, layout| {
        printable::text(&crate::output::redact::secrets(text), layout).into_owned()
    };
    Message {
        subject: shown(&subject(i, step, ctx), Layout::Line),
        text: shown(&(lines.join("\n") + "\n"), Layout::Lines),
        public: shown(&public(i, step), Layout::Line),
    }
}

/// For users: what is happening, never how it is being handled inside.
fn public(i: &Incident, step: Step) -> String {
    let what = i
        .fields
        .impact
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(&i.title);
    let status = if step == Step::Resolved {
        crate::report::model::Status::Resolved
    } else {
        i.status
    };
    use crate::report::model::Status::*;
    match status {
        Investigating => format!("We are investigating a problem: {what}."),
        Identified => {
            format!("The cause has been identified and a fix is being worked on: {what}.")
        }
        Monitoring => format!("A fix has been applied and we are monitoring the results: {what}."),
        Resolved | Closed => format!("This incident has been resolved: {what}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::lifecycle::{Act, FieldChanges, Opening};

    fn incident() -> Incident {
        let t0: Timestamp = "2026-12-02T03:00:00Z".parse().unwrap();
        let opening = Opening {
            title: "Checkout down — Zahlungsausfall".into(),
            severity: Severity::Sev1,
            severity_reason: None,
            commander: Some("alice".into()),
            detected_at: t0,
        };
        let act = Act {
            now: t0,
            author: "oncall",
        };
        let mut i = Incident::open("INC-20261202-001".into(), &opening, act);
        let changes = FieldChanges {
            summary: Some("pool exhausted; DSN postgres://app:hunter2@db/app".into()),
            impact: Some("checkout fails for EU users".into()),
            ..FieldChanges::default()
        };
        i.set_fields(&changes, act).unwrap();
        i
    }

    fn ctx(minutes: i64, was: Option<Severity>) -> Context {
        Context {
            now: "2026-12-02T03:00:00Z"
                .parse::<Timestamp>()
                .unwrap()
                .checked_add(SignedDuration::from_mins(minutes))
                .unwrap(),
            update_interval: SignedDuration::from_mins(30),
            was,
        }
    }

    #[test]
    fn subjects_say_what_happened_and_bodies_hold_the_summary_without_secrets() {
        let i = incident();
        let m = compose(
            &i,
            Step::Escalation { minutes: 30 },
            Audience::Manager,
            &ctx(31, None),
        );
        assert_eq!(
            m.subject,
            "[SEV1] INC-20261202-001 unresolved after 30 min: Checkout down — Zahlungsausfall"
        );
        assert!(m.text.contains("Summary: pool exhausted"), "{}", m.text);
        assert!(!m.text.contains("hunter2"), "{}", m.text);
        assert!(
            m.text
                .contains("Detected: 2026-12-02 03:00 UTC (31m00s ago)"),
            "{}",
            m.text
        );
        assert!(m.text.contains("the engineering manager"), "{}", m.text);
        let raised = compose(
            &i,
            Step::Severity(Severity::Sev1),
            Audience::Team,
            &ctx(5, Some(Severity::Sev3)),
        );
        assert!(
            raised.subject.contains("raised from SEV3"),
            "{}",
            raised.subject
        );
    }

    #[test]
    fn an_update_holds_the_latest_diagnosis_and_when_the_next_is_due() {
        let mut i = incident();
        let t = ctx(10, None).now;
        i.add(
            t,
            EntryKind::Diagnose,
            "diagnose: critical (postgres.locks)",
            "oncall",
        );
        i.add(
            t,
            EntryKind::Diagnose,
            "diagnose: warning (redis.memory)",
            "oncall",
        );
        let m = compose(&i, Step::Update(1), Audience::Team, &ctx(31, None));
        assert!(
            m.text
                .contains("Current diagnosis: diagnose: warning (redis.memory)"),
            "{}",
            m.text
        );
        assert!(
            m.text.contains("Next update by 2026-12-02 04:01 UTC"),
            "{}",
            m.text
        );
        assert!(m.text.contains("every 30 minutes"), "{}", m.text);
        assert_eq!(
            m.subject,
            "[SEV1] INC-20261202-001 update (investigating): Checkout down — Zahlungsausfall"
        );
    }

    #[test]
    fn the_status_page_hears_the_impact_not_the_internals() {
        let i = incident();
        let m = compose(
            &i,
            Step::Severity(Severity::Sev1),
            Audience::StatusPage,
            &ctx(1, None),
        );
        assert_eq!(
            m.public,
            "We are investigating a problem: checkout fails for EU users."
        );
        let r = compose(&i, Step::Resolved, Audience::StatusPage, &ctx(90, None));
        assert_eq!(
            r.public,
            "This incident has been resolved: checkout fails for EU users."
        );
    }
}
