//! Markdown to paste into an incident channel or the report's Investigation section.

use super::value_text;
use crate::diagnose::Diagnosis;
use crate::types::severity::ESCALATION;
use crate::types::Status;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn icon(s: Status) -> &'static str {
    match s {
        Status::Ok => "✅ ok",
        Status::Warning => "⚠️ warning",
        Status::Critical => "🔴 critical",
        Status::Unknown => "❔ unknown",
    }
}

pub fn diagnosis(d: &Diagnosis, verbose: bool) -> String {
    let s = &d.summary;
    let mut out = format!("## incidentctl diagnose: namespace `{}`\n\n", d.namespace);
    match s.assessment.severity {
        Some(sev) => {
            out.push_str(&format!(
                "**Suggested severity: {} ({})**: {}. Respond within {}; notify {}.\n\n",
                sev.label(),
                sev.name(),
                sev.definition(),
                sev.response_time(),
                sev.notify()
            ));
            for reason in &s.assessment.reasons {
                out.push_str(&format!("- because: {}\n", cell(reason)));
            }
            let ladder: Vec<String> = ESCALATION
                .iter()
                .map(|e| format!("{}: {}", e.window, e.who))
                .collect();
            out.push_str(&format!("- escalation: {}\n\n", ladder.join("; ")));
        }
        None => out.push_str("**Suggested severity: no incident**\n\n"),
    }
    out.push_str(&format!(
        "{} checks: {} critical, {} warning, {} unknown, {} ok ({} ms)\n\n",
        d.checks.len(),
        s.critical,
        s.warning,
        s.unknown,
        s.ok,
        s.duration_ms
    ));
    out.push_str("| Status | Check | Finding | Value |\n|---|---|---|---|\n");
    for r in &d.checks {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            icon(r.status),
            r.id,
            cell(&r.summary),
            cell(&value_text(r))
        ));
    }
    let with_evidence: Vec<_> = d
        .checks
        .iter()
        .filter(|r| {
            (r.status != Status::Ok || verbose) && (!r.evidence.is_empty() || r.error.is_some())
        })
        .collect();
    if !with_evidence.is_empty() {
        out.push_str("\n### Evidence\n");
        for r in with_evidence {
            out.push_str(&format!(
                "\n**{}** `{}`: {}\n\n",
                icon(r.status),
                r.id,
                r.summary
            ));
            for e in &r.evidence {
                // One line each: a newline in a log line cannot start a heading or a list.
                let e = crate::output::printable::text(e, crate::output::printable::Layout::Line);
                out.push_str(&format!("- `{}`\n", e.replace('`', "'")));
            }
            if let Some(h) = &r.hint {
                out.push_str(&format!("- hint: {h}\n"));
            }
        }
    }
    out
}
