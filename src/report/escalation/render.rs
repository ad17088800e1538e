//! What `report escalate` and the PagerDuty half of `report ack` did (`report::escalation::run`),
//! rendered once: the sends on stdout (a table, or one JSON document), what waits and who has no
//! route on stderr.

use crate::error::Result;
use crate::output::console::Console;
use crate::report::escalation::policy::Wait;
use crate::report::escalation::run::{Report, SendResult};
use jiff::Timestamp;
use std::collections::BTreeSet;

fn clock(t: Timestamp) -> String {
    t.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M UTC")
        .to_string()
}

/// An escalation run: one JSON document, or the table of sends and the notes.
pub fn print(console: &Console, report: &Report) -> Result<()> {
    if console.json() {
        console.document(report)?;
    } else {
        console.data(table(report))?;
        notes(console, report);
    }
    Ok(())
}

/// The sends, one row each.
pub fn table(report: &Report) -> String {
    if report.sends.is_empty() {
        return String::new();
    }
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.force_no_tty();
    t.set_header(vec![
        "INCIDENT", "STEP", "AUDIENCE", "CHANNEL", "TO", "RESULT", "DETAIL",
    ]);
    for s in &report.sends {
        let result = if s.attempt > 1 {
            format!("{} (attempt {})", s.result.as_str(), s.attempt)
        } else {
            s.result.as_str().to_string()
        };
        t.add_row(vec![
            s.incident.clone(),
            s.step.key(),
            s.audience.to_string(),
            s.channel.as_str().to_string(),
            s.to.clone(),
            result,
            s.detail.clone(),
        ]);
    }
    format!("{t}\n")
}

/// What the person running it should know besides the sends.
fn notes(console: &Console, report: &Report) {
    for p in &report.problems {
        console.alert(format!("warning: {p}"));
    }
    let unrouted: BTreeSet<String> = report
        .unrouted
        .iter()
        .map(|u| u.audience.to_string())
        .collect();
    if !unrouted.is_empty() {
        console.note(format!(
            "not told (no [[notify.route]] for them): {}",
            unrouted.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    for w in &report.waiting {
        let why = match &w.wait {
            Wait::BusinessHours { from } => format!("waits for business hours ({})", clock(*from)),
            Wait::Backoff { until, attempts } => {
                format!(
                    "failed {attempts} time(s); tried again after {}",
                    clock(*until)
                )
            }
            Wait::InProgress => "being sent by another run".to_string(),
            Wait::MayHaveBeenSent => {
                "may have been sent; not sent again (--resend sends it)".to_string()
            }
        };
        console.note(format!(
            "{} {} to {} by {}: {why}",
            w.incident,
            w.step.key(),
            w.audience,
            w.channel.as_str()
        ));
    }
    let count = |r: SendResult| report.sends.iter().filter(|s| s.result == r).count();
    if report.dry_run {
        console.note(format!(
            "dry run: {} send(s) would go out; nothing was sent or recorded",
            count(SendResult::WouldSend)
        ));
    } else if report.sends.is_empty() {
        console.note("nothing due");
    } else {
        console.note(format!(
            "{} sent, {} failed (tried again later), {} may have been sent",
            count(SendResult::Sent),
            count(SendResult::Failed),
            count(SendResult::MayHaveBeenSent)
        ));
    }
}

/// After `report ack`: what became of PagerDuty's acknowledge on each route; a failure is
/// said and left to `report escalate`.
pub fn acknowledged(console: &Console, report: &Report) {
    for s in &report.sends {
        match s.result {
            SendResult::Sent => console.note(format!("PagerDuty acknowledged ({})", s.audience)),
            _ => console.alert(format!(
                "warning: PagerDuty acknowledge for {} {}: {}; report escalate tries again",
                s.audience,
                s.result.as_str(),
                s.detail
            )),
        }
    }
}
