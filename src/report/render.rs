//! The seed's incident report template, filled in: `# Incident Report: [INCIDENT-ID]`, then
//! Summary, Timeline, Impact, Root Cause, Resolution, Lessons Learned, Follow-up Actions.

use super::model::{clocks, fmt_duration, Clocks, Entry, Incident, Status};
use super::postmortem::{self, Evidence};
use crate::types::Severity;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

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

/// The full timeline, incidentctl's own entries and `extra` (actions from the audit log), sorted.
pub fn timeline(i: &Incident, extra: &[Entry]) -> Vec<Entry> {
    let mut all: Vec<Entry> = i.timeline.iter().chain(extra.iter()).cloned().collect();
    all.sort_by_key(|e| e.at);
    all
}

/// The seed's report template filled in, one section at a time; `picture` is where the
/// symptoms' picture is, to link to.
pub fn markdown(
    i: &Incident,
    extra: &[Entry],
    now: Timestamp,
    update_interval: SignedDuration,
    evidence: &Evidence,
    picture: Option<&str>,
) -> String {
    let c = clocks(i, now, update_interval);
    let mut out = format!("# Incident Report: {}\n\n", i.id);
    summary_section(&mut out, i, &c);
    timeline_section(&mut out, i, extra, evidence);
    impact_section(&mut out, i, &c, evidence);
    if let Some(path) = picture {
        out.push_str(&format!(
            "\n![The symptoms over the incident, with the timeline]({path})\n"
        ));
    }
    out.push_str(&format!("\n## Root Cause\n{}", postmortem::root_cause(i)));
    out.push_str(&format!(
        "\n## Resolution\n{}",
        postmortem::resolution(i, evidence)
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

fn summary_section(out: &mut String, i: &Incident, c: &Clocks) {
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
}

/// The template's milestones from evidence, then every entry (with the audit log's changes),
/// then evidence.
fn timeline_section(out: &mut String, i: &Incident, extra: &[Entry], evidence: &Evidence) {
    out.push_str("\n## Timeline\n");
    let st = postmortem::stamps(i, evidence);
    let identified = st.root_cause_identified;
    let implemented = st
        .resolution_implemented
        .or_else(|| i.mitigated_at.map(|t| (t, "status monitoring".into())));
    let milestones = [
        (Some(st.detected), "Incident detected"),
        (Some(st.investigation_started), "Investigation started"),
        (identified, "Root cause identified"),
        (implemented, "Resolution implemented"),
        (st.resolved, "Incident resolved"),
    ];
    for (at, what) in milestones {
        match at {
            Some((t, from)) => {
                out.push_str(&format!("- [{}] - {what} ({from})\n", postmortem::time(t)))
            }
            None if i.status.is_open() => out.push_str(&format!("- [pending] - {what}\n")),
            None => out.push_str(&format!("- [not recorded] - {what}\n")),
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
}

fn impact_section(out: &mut String, i: &Incident, c: &Clocks, evidence: &Evidence) {
    out.push_str("\n## Impact\n");
    let measured = evidence
        .impact
        .as_ref()
        .is_some_and(|m| m.unknown.is_none() && m.onset.is_some());
    if let Some(why) = evidence.impact.as_ref().and_then(|m| m.unknown.as_ref()) {
        out.push_str(&format!("- Measured impact: unknown: {why}\n"));
    }
    if measured {
        for line in postmortem::impact_lines(i, evidence) {
            out.push_str(&format!("{line}\n"));
        }
        if let Some(impact) = &i.fields.impact {
            out.push_str(&format!("\n{impact}\n"));
        }
        for (label, v) in [
            ("Time to acknowledge", c.time_to_acknowledge_s),
            ("Time to resolve", c.time_to_resolve_s),
        ] {
            if let Some(s) = v {
                out.push_str(&format!("- {label}: {}\n", fmt_duration(s)));
            }
        }
        let sources = postmortem::sources(evidence);
        if !sources.is_empty() {
            out.push('\n');
        }
        for line in sources {
            out.push_str(&format!("{line}\n"));
        }
        return;
    }
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
}

/// `report show` for people: the incident, its clocks and its timeline.
pub fn show_text(i: &Incident, c: &Clocks, timeline: &[Entry], evidence: &Evidence) -> String {
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
    if evidence.impact.is_some() {
        out.push_str("impact:\n");
        for line in postmortem::impact_lines(i, evidence) {
            out.push_str(&format!("  {}\n", line.trim_start_matches("- ")));
        }
    }
    let suspects = i.suspected.iter().flat_map(|s| s.suspects.iter());
    for s in suspects {
        out.push_str(&format!(
            "suspect {}: {} ({}); next: {}\n",
            s.rank,
            s.what,
            s.kind.name(),
            s.next
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

/// A row of `report list`.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow<'a> {
    pub id: &'a str,
    pub severity: Severity,
    pub status: Status,
    pub title: &'a str,
    pub age_s: i64,
    pub clocks: Clocks,
}

impl<'a> ListRow<'a> {
    pub fn of(i: &'a Incident, now: Timestamp, update_interval: SignedDuration) -> Self {
        ListRow {
            id: &i.id,
            severity: i.severity,
            status: i.status,
            title: &i.title,
            age_s: now.as_second() - i.detected_at.as_second(),
            clocks: clocks(i, now, update_interval),
        }
    }
}

/// `report list` for people: one line per incident with its next update and escalation.
pub fn list_table(rows: &[ListRow], now: Timestamp) -> String {
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
    for r in rows {
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
}

/// The report as one self-contained HTML page: the Markdown report as HTML (text from servers
/// and people escaped, never markup), with the picture inside it.
pub fn html(id: &str, markdown: &str, picture: Option<&str>) -> String {
    use pulldown_cmark::{html::push_html, Event, Options, Parser, Tag, TagEnd};
    // Raw HTML in a field (a root cause typed by someone, a log line among the evidence) is
    // shown as text; a link goes nowhere but the web or the page itself (no `javascript:`), and
    // an image is never fetched (the page is self-contained: opening it tells no server).
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: if safe_link(&dest_url) {
                dest_url
            } else {
                "#".into()
            },
            title,
            id,
        }),
        // Its alt text stays, in italics.
        Event::Start(Tag::Image { .. }) => Event::Start(Tag::Emphasis),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Emphasis),
        other => other,
    });
    let mut body = String::new();
    push_html(&mut body, events);
    let figure = picture
        .map(|svg| format!("<figure>{svg}<figcaption>The symptoms over the incident's window; the grey lines are the timeline (detected, each change, resolved).</figcaption></figure>\n"))
        .unwrap_or_default();
    // The picture goes right after the Impact section's heading list.
    let body = match body.find("<h2>Root Cause</h2>") {
        Some(at) => format!("{}{figure}{}", &body[..at], &body[at..]),
        None => format!("{body}{figure}"),
    };
    let title = escape(&format!("Incident Report: {id}"));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
}

const STYLE: &str = "body { font-family: sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { border-bottom: 2px solid #ddd; padding-bottom: .3rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #eee; }
code { background: #f4f4f4; padding: 0 .2rem; font-size: .9em; word-break: break-all; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #666; font-size: .9em; }
";

/// A link the HTML page may keep: to the web, mail, or a place in the page.
fn safe_link(dest: &str) -> bool {
    let lower = dest.trim_start().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "#"]
        .iter()
        .any(|p| lower.starts_with(p))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::html;

    #[test]
    fn outside_markup_in_the_html_page_is_text_and_goes_nowhere() {
        let md = "# Incident Report: INC-1\n\n\
            - title <script>alert(1)</script>\n\
            - [a click](javascript:alert(1)) and [the runbook](https://wiki.example/runbook)\n\
            - ![tracker](https://attacker.example/pixel.png)\n";
        let page = html("INC-1", md, None);
        assert!(!page.contains("<script>"), "{page}");
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
        assert!(!page.contains("javascript:"), "{page}");
        assert!(page.contains(r##"<a href="#">a click</a>"##), "{page}");
        assert!(
            page.contains(r#"<a href="https://wiki.example/runbook">the runbook</a>"#),
            "{page}"
        );
        assert!(!page.contains("attacker.example"), "{page}");
        assert!(page.contains("<em>tracker</em>"), "{page}");
    }
}
