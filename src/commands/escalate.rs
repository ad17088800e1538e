//! `incidentctl report escalate` and the PagerDuty half of `report ack`: run the notification
//! policy (`notify::run`) and render what it did, once: the sends on stdout (a table, or one JSON
//! document), what waits and who has no route on stderr.

use crate::cli::OutputFormat;
use crate::error::{ExitCode, Result};
use crate::output::console::Console;
use crate::report::escalation::policy::{Scope, Wait};
use crate::report::escalation::run::{self, Options, Report, SendResult};
use crate::report::store::Store;
use crate::settings::Settings;
use jiff::Timestamp;
use std::collections::BTreeSet;

fn clock(t: Timestamp) -> String {
    t.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M UTC")
        .to_string()
}

pub async fn run(settings: &Settings, store: &Store, o: &Options) -> Result<ExitCode> {
    let report = run::escalate(settings, store, o).await?;
    let console = Console::new(settings);
    if settings.output == OutputFormat::Json {
        console.document(&report)?;
    } else {
        console.data(table(&report))?;
        notes(&console, &report);
    }
    Ok(report.exit_code())
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

/// After `report ack`: PagerDuty's acknowledge for every PagerDuty route that was triggered.
/// Without routes there is nothing to tell; a failure is said and left to `report escalate`.
pub async fn acknowledge(
    settings: &Settings,
    store: &Store,
    id: &str,
    now: Timestamp,
    me: &str,
) -> Result<ExitCode> {
    if settings.notify.routes.is_empty() {
        return Ok(ExitCode::Ok);
    }
    let o = Options {
        dry_run: false,
        resend: false,
        incident: Some(id.to_string()),
        scope: Scope::Acknowledge,
        now,
        author: me.to_string(),
    };
    let report = run::escalate(settings, store, &o).await?;
    let console = Console::new(settings);
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
    Ok(report.exit_code())
}
