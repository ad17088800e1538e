//! The seed's incident report template, filled in: `# Incident Report: [INCIDENT-ID]`, then
//! Summary, Timeline, Impact, Root Cause, Resolution, Lessons Learned, Follow-up Actions.

use super::model::{clocks, fmt_duration, Entry, Incident, Status};
use jiff::{SignedDuration, Timestamp};

fn time(t: Timestamp) -> String {
    t.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M UTC")
        .to_string()
}

fn or_tbd(v: &Option<String>) -> String {
    v.clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "_To be completed._".into())
}

/// The first time the timeline shows the status reaching `status` or a later one (an incident
/// resolved straight from investigating had its root cause identified by then).
fn first_status(i: &Incident, status: Status) -> Option<Timestamp> {
    let later: Vec<String> = [
        Status::Identified,
        Status::Monitoring,
        Status::Resolved,
        Status::Closed,
    ]
    .iter()
    .filter(|s| **s >= status)
    .map(|s| format!("-> {}", s.as_str()))
    .collect();
    i.timeline
        .iter()
        .find(|e| e.kind == "status" && later.iter().any(|l| e.text.ends_with(l)))
        .map(|e| e.at)
}

/// The full timeline, incidentctl's own entries and `extra` (actions from the audit log), sorted.
pub fn timeline(i: &Incident, extra: &[Entry]) -> Vec<Entry> {
    let mut all: Vec<Entry> = i.timeline.iter().chain(extra.iter()).cloned().collect();
    all.sort_by_key(|e| e.at);
    all
}

pub fn markdown(
    i: &Incident,
    extra: &[Entry],
    now: Timestamp,
    update_interval: SignedDuration,
) -> String {
    let c = clocks(i, now, update_interval);
    let mut out = format!("# Incident Report: {}\n\n", i.id);

    out.push_str("## Summary\n");
    out.push_str(&format!(
        "{}\n\n",
        i.fields.summary.clone().unwrap_or_else(|| i.title.clone())
    ));
    out.push_str(&format!(
        "- Severity: {} ({}){}\n- Status: {}\n",
        i.severity.label(),
        i.severity.name(),
        i.severity_reason
            .as_ref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default(),
        i.status.as_str()
    ));
    for (role, name) in &i.roles {
        out.push_str(&format!("- {}: {name}\n", role.title()));
    }
    out.push_str(&format!(
        "- Response time ({}): {} (deadline {})\n",
        i.severity.response_time(),
        c.response,
        time(c.response_deadline)
    ));

    out.push_str("\n## Timeline\n");
    let milestones = [
        (Some(i.detected_at), "Incident detected"),
        (
            i.acknowledged_at.or(Some(i.created_at)),
            "Investigation started",
        ),
        (first_status(i, Status::Identified), "Root cause identified"),
        (i.mitigated_at, "Resolution implemented"),
        (i.resolved_at, "Incident resolved"),
    ];
    for (at, what) in milestones {
        match at {
            Some(t) => out.push_str(&format!("- [{}] - {what}\n", time(t))),
            None => out.push_str(&format!("- [pending] - {what}\n")),
        }
    }
    let entries = timeline(i, extra);
    if !entries.is_empty() {
        out.push_str("\nDetailed timeline:\n\n");
        for e in &entries {
            let by = if e.author.is_empty() {
                String::new()
            } else {
                format!(" ({})", e.author)
            };
            let file = e
                .evidence
                .as_ref()
                .map(|f| format!(" [evidence `{f}`]"))
                .unwrap_or_default();
            out.push_str(&format!(
                "- [{}] {}: {}{by}{file}\n",
                time(e.at),
                e.kind,
                e.text.replace('\n', " ")
            ));
        }
    }
    if !i.evidence.is_empty() {
        out.push_str("\nEvidence:\n\n");
        for e in &i.evidence {
            out.push_str(&format!("- `{e}`\n"));
        }
    }

    out.push_str("\n## Impact\n");
    out.push_str(&format!(
        "- Users affected: {}\n",
        i.fields
            .users_affected
            .map(|n| n.to_string())
            .unwrap_or_else(|| "unknown".into())
    ));
    out.push_str(&format!(
        "- Duration: {}{}\n",
        fmt_duration(c.duration_s),
        if i.status.is_open() { " (ongoing)" } else { "" }
    ));
    out.push_str(&format!(
        "- Services affected: {}\n",
        if i.fields.services.is_empty() {
            "unknown".to_string()
        } else {
            i.fields.services.join(", ")
        }
    ));
    if let Some(impact) = &i.fields.impact {
        out.push_str(&format!("\n{impact}\n"));
    }
    let durations = [
        ("Time to acknowledge", c.time_to_acknowledge_s),
        ("Time to mitigate", c.time_to_mitigate_s),
        ("Time to resolve", c.time_to_resolve_s),
    ];
    for (label, v) in durations {
        if let Some(s) = v {
            out.push_str(&format!("- {label}: {}\n", fmt_duration(s)));
        }
    }

    out.push_str(&format!(
        "\n## Root Cause\n{}\n",
        or_tbd(&i.fields.root_cause)
    ));
    out.push_str(&format!(
        "\n## Resolution\n{}\n",
        or_tbd(&i.fields.resolution)
    ));
    out.push_str(&format!(
        "\n## Lessons Learned\n{}\n",
        or_tbd(&i.fields.lessons)
    ));
    out.push_str("\n## Follow-up Actions\n");
    if i.follow_ups.is_empty() {
        out.push_str("- [ ] _None recorded yet._\n");
    }
    for f in &i.follow_ups {
        out.push_str(&format!(
            "- [{}] {}\n",
            if f.done { "x" } else { " " },
            f.text
        ));
    }
    out
}
