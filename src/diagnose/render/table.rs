//! The table people read at 3 a.m.: one row per check, worst first within the table order,
//! the suggested severity and what to do under it.

use super::value_text;
use crate::checks::CheckResult;
use crate::diagnose::Diagnosis;
use crate::output::printable::{cell, Printable};
use crate::settings::{Settings, Verbosity};
use crate::types::severity::ESCALATION;
use crate::types::Status;
use comfy_table::{presets, ContentArrangement, Table};

const EVIDENCE_LINES: usize = 3;
/// Characters of a symptom's sparkline under its value.
const SPARKLINE_WIDTH: usize = 24;

fn details(r: &CheckResult, verbose: bool) -> String {
    let mut lines = vec![r.summary.clone()];
    let shown = if verbose {
        r.evidence.len()
    } else {
        EVIDENCE_LINES
    };
    if r.status != Status::Ok || verbose {
        lines.extend(r.evidence.iter().take(shown).map(|e| format!("  {e}")));
        if r.evidence.len() > shown {
            lines.push(format!(
                "  … {} more (-v or -o json)",
                r.evidence.len() - shown
            ));
        }
    }
    if let Some(hint) = &r.hint {
        lines.push(format!("  hint: {hint}"));
    }
    lines.join("\n")
}

/// The table, with its status colours on a terminal; every cell's text made printable.
pub fn diagnosis(d: &Diagnosis, settings: &Settings) -> Printable {
    diagnosis_explained(d, settings, false)
}

/// The table, then the likely causes (with `explain`, their full evidence and why each ranks
/// where it does); outside text made printable.
pub fn diagnosis_explained(d: &Diagnosis, settings: &Settings, explain: bool) -> Printable {
    let verbose = settings.verbosity == Verbosity::Verbose;
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if settings.color {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.force_no_tty();
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
    table.set_header(vec!["STATUS", "CHECK", "FINDING", "VALUE"]);
    for r in &d.checks {
        let mut value = value_text(r);
        if let Some(s) = d.symptoms.iter().find(|s| s.signal == r.id) {
            let window = d.onset.as_ref().map(|o| o.window).map_or(
                (
                    s.points.first().map_or(0, |p| p.0),
                    s.points.last().map_or(0, |p| p.0),
                ),
                |w| (w.start.as_second(), w.end.as_second()),
            );
            let top = if s.below { 0.0 } else { s.critical };
            let line = super::causes::sparkline(&s.points, window, SPARKLINE_WIDTH, top);
            if !line.is_empty() {
                value.push_str(&format!("\n{line} 6h"));
            }
        }
        table.add_row(vec![
            crate::output::status_cell(r.status, settings.color),
            cell(r.id),
            cell(details(r, verbose)),
            cell(value),
        ]);
    }
    let s = &d.summary;
    let mut printable = Printable::table(&table);
    let mut out = String::from("\n");
    out.push_str(&format!(
        "{} checks in {:.1}s: {} critical, {} warning, {} unknown, {} ok\n",
        d.checks.len(),
        s.duration_ms as f64 / 1000.0,
        s.critical,
        s.warning,
        s.unknown,
        s.ok
    ));
    let a = &s.assessment;
    match a.severity {
        None if s.unknown > 0 => out.push_str(
            "Suggested severity: none found, but some checks could not run: see the UNKNOWN rows\n",
        ),
        None => out.push_str("Suggested severity: no incident\n"),
        Some(sev) => {
            out.push_str(&format!(
                "Suggested severity: {} ({}): {}\n",
                sev.label(),
                sev.name(),
                sev.definition()
            ));
            out.push_str(&format!(
                "  respond within {}; notify {}\n",
                sev.response_time(),
                sev.notify()
            ));
            for reason in &a.reasons {
                out.push_str(&format!("  because: {reason}\n"));
            }
            let ladder: Vec<String> = ESCALATION
                .iter()
                .map(|e| format!("{} {}", e.window, e.who))
                .collect();
            out.push_str(&format!("  escalation: {}\n", ladder.join("; ")));
        }
    }
    out.push_str(&super::causes::text(d, explain));
    printable.push_str(&out);
    printable
}
