//! The report's sections that fill themselves in from the evidence: Impact (measured, each
//! figure with its query), Root Cause (the suspects until one is confirmed), Resolution (the
//! verified changes of the timeline) and the template's five stamps.

use super::model::{EntryKind, Incident};
use super::Change;
use crate::diagnose::analysis::impact::Impact;
use crate::diagnose::analysis::suspects::Suspect;
use crate::types::duration::fmt_age;
use crate::types::finding::fmt_num;
use jiff::Timestamp;
use serde::Serialize;

/// What the evidence says beyond the incident file: the measured impact (None: not measured,
/// e.g. no Prometheus configured) and the changes from the audit log.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub impact: Option<Impact>,
    pub changes: Vec<Change>,
}

/// The template's five stamps, each from evidence, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stamps {
    pub detected: (Timestamp, String),
    pub investigation_started: (Timestamp, String),
    pub root_cause_identified: Option<(Timestamp, String)>,
    pub resolution_implemented: Option<(Timestamp, String)>,
    pub resolved: Option<(Timestamp, String)>,
}

/// Detected = the onset (or the first alert); investigation started = the first diagnosis or
/// the acknowledgement; root cause identified = set or accepted; resolution implemented = the
/// first verified change; resolved = the status.
pub fn stamps(i: &Incident, e: &Evidence) -> Stamps {
    let alert = i
        .suspected
        .iter()
        .flat_map(|s| s.onset.iter())
        .flat_map(|o| o.signals.iter())
        .find(|s| s.signal.starts_with("alert "));
    let detected = match (e.impact.as_ref().and_then(|m| m.onset), alert) {
        (Some(t), _) => {
            let signal = e.impact.as_ref().and_then(|m| m.onset_signal.clone());
            (t, format!("onset of {}", signal.unwrap_or_default()))
        }
        (None, Some(a)) => (a.at, format!("{} started", a.signal)),
        (None, None) => (i.detected_at, "as recorded".into()),
    };
    let first_diagnosis = i
        .timeline
        .iter()
        .find(|en| en.kind == EntryKind::Diagnose)
        .map(|en| (en.at, "first diagnosis".to_string()));
    let ack = i.acknowledged_at.map(|t| (t, "acknowledged".to_string()));
    let investigation_started = [first_diagnosis, ack]
        .into_iter()
        .flatten()
        .min_by_key(|(t, _)| *t)
        .unwrap_or((i.created_at, "opened".into()));
    // The seed's status "identified", when it was set as such, says so too: the earlier of the
    // two. Going straight to resolved identifies nothing: with no cause set or accepted, the
    // stamp stays empty rather than borrow the resolution's time.
    let status = i
        .timeline
        .iter()
        .find(|e| e.kind == EntryKind::Status && e.text.ends_with("-> identified"))
        .map(|e| (e.at, "status identified".to_string()));
    let set = i.root_cause_at.map(|t| (t, "root cause set".to_string()));
    let root_cause_identified = [set, status].into_iter().flatten().min_by_key(|(t, _)| *t);
    let resolution_implemented = e
        .changes
        .iter()
        .find(|c| c.verified())
        .map(|c| (c.at, format!("{} ({}) verified", c.summary, c.target)));
    let resolved = i.resolved_at.map(|t| (t, "status resolved".to_string()));
    Stamps {
        detected,
        investigation_started,
        root_cause_identified,
        resolution_implemented,
        resolved,
    }
}

pub fn time(t: Timestamp) -> String {
    t.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M:%S UTC")
        .to_string()
}

fn duration(secs: i64) -> String {
    fmt_age(secs as f64)
}

/// The Impact section's lines; `users` and `services` set by hand win over the measured ones.
pub fn impact_lines(i: &Incident, e: &Evidence) -> Vec<String> {
    let mut out = Vec::new();
    let Some(m) = &e.impact else {
        out.push("- Measured impact: unknown: Prometheus not asked".into());
        return out;
    };
    if let Some(why) = &m.unknown {
        out.push(format!("- Measured impact: unknown: {why}"));
    }
    let users = match (i.fields.users_affected, m.users, &m.users_unknown) {
        (Some(n), _, _) => format!("{n} (set by hand)"),
        (None, Some(n), _) => format!("{} (impact.users_query)", fmt_num(n, 0)),
        (None, None, Some(why)) => why.clone(),
        (None, None, None) => "unknown: set impact.users_query".into(),
    };
    out.push(format!("- Users affected: {users}"));
    let onset = m.onset.map(|t| {
        format!(
            "{}{} ({})",
            if m.onset_bounded { "" } else { "at or before " },
            time(t),
            m.onset_signal.clone().unwrap_or_default()
        )
    });
    if let Some(onset) = &onset {
        out.push(format!("- Onset: {onset}"));
    }
    match (m.recovery, m.duration_s) {
        (Some(r), Some(d)) => {
            out.push(format!(
                "- Recovery: {} ({})",
                time(r),
                m.recovery_signal.clone().unwrap_or_default()
            ));
            out.push(format!("- Duration: {} (onset to recovery)", duration(d)));
        }
        _ if onset.is_some() => out.push(format!(
            "- Duration: ongoing at {} (no recovery in the window)",
            time(m.window.end)
        )),
        _ => {}
    }
    let services = if i.fields.services.is_empty() {
        if m.services.is_empty() {
            "none measured (no service's 5xx share passed the error rate's warning level)".into()
        } else {
            format!(
                "{} (their 5xx share passed the warning level)",
                m.services.join(", ")
            )
        }
    } else {
        format!("{} (set by hand)", i.fields.services.join(", "))
    };
    out.push(format!("- Services affected: {services}"));
    if !m.deployments.is_empty() {
        out.push(format!(
            "- Deployments affected: {} (behind those services)",
            m.deployments.join(", ")
        ));
    }
    match (m.requests_failed, m.requests_total, &m.requests_unknown) {
        (Some(f), Some(t), _) => out.push(format!(
            "- Requests failed: {f} of {t} ({}%) between onset and {}",
            fmt_num(m.failed_percent.unwrap_or(0.0), 2),
            if m.recovery.is_some() {
                "recovery"
            } else {
                "the window's end"
            }
        )),
        (_, _, Some(why)) => out.push(format!("- Requests failed: unknown: {why}")),
        _ => {}
    }
    for p in &m.peaks {
        out.push(format!(
            "- Peak {}: {}{} at {}",
            p.what,
            fmt_num(p.value, 3),
            p.unit,
            time(p.at)
        ));
    }
    if let (Some(_), Some(d)) = (m.recovery, m.duration_s) {
        out.push(format!(
            "- Time to mitigate: {} (onset to recovery)",
            duration(d)
        ));
    }
    for n in &m.notes {
        out.push(format!("- Note: {n}"));
    }
    out
}

/// The queries behind the figures, with their time ranges.
pub fn sources(e: &Evidence) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = e.impact.as_ref().filter(|m| !m.queries.is_empty()) {
        out.push("Sources:".into());
        out.push(String::new());
        for q in &m.queries {
            out.push(format!(
                "- {}: `{}` from {} to {}",
                q.what,
                q.query,
                time(q.from),
                time(q.to)
            ));
        }
    }
    out
}

fn suspect_line(s: &Suspect) -> String {
    let when = match s.seconds_before_onset {
        Some(b) if b >= 0 => format!("{} before onset", duration(b)),
        Some(b) => format!("{} after onset", duration(-b)),
        None => "seen during the incident".into(),
    };
    let evidence = if s.evidence.is_empty() {
        String::new()
    } else {
        format!(": {}", s.evidence.join("; "))
    };
    format!(
        "{}. {} ({}, {when}){evidence}; next: `{}`",
        s.rank,
        s.what,
        s.kind.name(),
        s.next
    )
}

/// Root Cause: the engineer's text with the suspects as "also considered", or the top
/// suspects, suspected and not confirmed.
pub fn root_cause(i: &Incident) -> String {
    let suspects: &[Suspect] = i.suspected.as_ref().map_or(&[], |s| &s.suspects);
    let set = i
        .fields
        .root_cause
        .as_ref()
        .filter(|s| !s.trim().is_empty());
    let mut out = String::new();
    match set {
        Some(text) => {
            out.push_str(&format!("{text}\n"));
            if !suspects.is_empty() {
                out.push_str("\nAlso considered:\n\n");
            }
        }
        None if suspects.is_empty() => {
            return "_To be completed._ (no suspects: the diagnoses attached found nothing with evidence)\n".into()
        }
        None => out.push_str(&format!(
            "Suspected, not confirmed (`report cause accept {} N` or `report set {} --root-cause …`):\n\n",
            i.id, i.id
        )),
    }
    for s in suspects.iter().take(5) {
        out.push_str(&format!("{}\n", suspect_line(s)));
    }
    out
}

/// Resolution: the engineer's text, then the changes applied for the incident with their
/// outcome.
pub fn resolution(i: &Incident, e: &Evidence) -> String {
    let mut out = String::new();
    if let Some(text) = i
        .fields
        .resolution
        .as_ref()
        .filter(|s| !s.trim().is_empty())
    {
        out.push_str(&format!("{text}\n"));
    }
    let applied: Vec<&Change> = e.changes.iter().filter(|c| c.result != "dry-run").collect();
    if applied.is_empty() {
        if out.is_empty() {
            out.push_str("_To be completed._ (no change was made with --incident)\n");
        }
        return out;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str("Changes made (audit log):\n\n");
    for c in applied {
        let outcome = match (c.result.as_str(), c.verified) {
            ("applied", Some(true)) => "applied, verified".to_string(),
            ("applied", Some(false)) => "applied, NOT verified".to_string(),
            (r, _) => r.to_string(),
        };
        out.push_str(&format!(
            "- [{}] {} ({}): {outcome}\n",
            time(c.at),
            c.summary,
            c.target
        ));
    }
    out
}

/// The timeline entries the picture marks: detection, every change made, resolution.
pub fn markers(i: &Incident, e: &Evidence) -> Vec<(Timestamp, String)> {
    let st = stamps(i, e);
    let mut out = vec![(st.detected.0, "detected".to_string())];
    out.extend(
        e.changes
            .iter()
            .filter(|c| c.result != "dry-run")
            .map(|c| (c.at, c.action.clone())),
    );
    if let Some((t, _)) = st.resolved {
        out.push((t, "resolved".into()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{incident_for_tests, Status};
    use crate::types::Severity;

    fn at(minutes: i64) -> Timestamp {
        Timestamp::from_second(1_796_000_000 + minutes * 60).expect("a time")
    }

    #[test]
    fn the_root_cause_is_identified_when_said_so_never_by_resolving() {
        let mut i = incident_for_tests("2026-12-06T06:00:00Z", Severity::Sev2);
        i.set_status(Status::Resolved, at(30), "me");
        let e = Evidence::default();
        assert_eq!(stamps(&i, &e).root_cause_identified, None);

        let mut said = incident_for_tests("2026-12-06T06:00:00Z", Severity::Sev2);
        said.set_status(Status::Identified, at(10), "me");
        said.set_status(Status::Resolved, at(30), "me");
        assert_eq!(
            stamps(&said, &e).root_cause_identified,
            Some((at(10), "status identified".to_string()))
        );

        // A cause set before the status said so: the earlier of the two.
        said.root_cause_at = Some(at(5));
        assert_eq!(
            stamps(&said, &e).root_cause_identified,
            Some((at(5), "root cause set".to_string()))
        );
    }
}
