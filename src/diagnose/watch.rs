//! `diagnose --watch`: is my fix working? Runs the diagnosis again and again, one run at a time,
//! and shows what changed since the run before.

use super::compare::{self, CheckState, Comparison};
use super::render;
use super::{Diagnosis, Selection};
use crate::clients::Context;
use crate::error::{ExitCode, Result};
use crate::output::printable::Printable;
use crate::settings::Settings;
use crate::types::output::{OutputFormat, UntilLevel};
use crate::types::Status;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Whether every check is at or below the `--until` level (unknown never is: it could not
/// rule a problem out).
pub fn reached(level: UntilLevel, statuses: impl IntoIterator<Item = Status>) -> bool {
    statuses.into_iter().all(|s| match level {
        UntilLevel::Ok => s == Status::Ok,
        UntilLevel::Warning => matches!(s, Status::Ok | Status::Warning),
    })
}

/// How often, and until when.
pub struct Watch {
    /// Between the starts of two runs (a run that takes longer is followed at once).
    pub interval: Duration,
    /// Stop once every check is at or below this level (exit 0).
    pub until: Option<UntilLevel>,
    /// Stop after this long, with the last run's exit code.
    pub timeout: Option<Duration>,
}

/// How each run is shown: redrawn in place on a terminal, else one line (or JSON object) per
/// change, so a log or a pipe gets only news.
enum Display {
    InPlace,
    Lines,
    JsonLines,
}

/// Runs the diagnosis again and again, each run with fresh connections (a server that came
/// back is seen), until `watch` says to stop; each run's news printed on `ctx`'s console.
pub async fn run(ctx: &Context, selection: &Selection, watch: &Watch) -> Result<ExitCode> {
    let settings = ctx.settings.clone();
    let interval = watch.interval;
    if interval.is_zero() {
        return Err(crate::error::Error::usage(
            "invalid value for --interval: must be more than 0",
        ));
    }
    let display = match settings.output {
        OutputFormat::Json => Display::JsonLines,
        OutputFormat::Table if crate::output::printer::stdout_is_terminal() => Display::InPlace,
        OutputFormat::Table => Display::Lines,
        _ => {
            return Err(crate::error::Error::usage(
                "--watch writes a table (redrawn on a terminal, one line per change otherwise) or json lines",
            ))
        }
    };
    let deadline = watch.timeout.map(|d| Instant::now() + d);
    let mut previous: Option<Vec<CheckState>> = None;
    let mut last_code: Option<ExitCode> = None;
    let mut round: u64 = 0;
    loop {
        round += 1;
        let started = Instant::now();
        let round_ctx = Arc::new(ctx.derived(settings.clone(), ctx.console.clone()));
        let diagnosis = match deadline {
            Some(at) => {
                match tokio::time::timeout_at(
                    at,
                    super::run::diagnose(round_ctx, selection, &|_| {}),
                )
                .await
                {
                    Ok(d) => d,
                    Err(_) => return Ok(timed_out(last_code, ctx)),
                }
            }
            None => super::run::diagnose(round_ctx, selection, &|_| {}).await,
        };
        let now = compare::states(&diagnosis);
        let comparison =
            Comparison::new("the previous run", previous.as_deref().unwrap_or(&[]), &now);
        let text = show(
            &display,
            round,
            &diagnosis,
            &comparison,
            interval,
            &settings,
        )?;
        ctx.console.data(text)?;
        let statuses: Vec<Status> = diagnosis.checks.iter().map(|c| c.status).collect();
        last_code = Some(Status::overall(statuses.iter().copied()).into());
        if let Some(level) = watch.until {
            if reached(level, statuses) {
                return Ok(ExitCode::Ok);
            }
        }
        previous = Some(now);
        let took = started.elapsed();
        let next = if took > interval {
            ctx.console.warn(format!(
                "run {round} took {:.1}s, longer than the {} interval; the next starts now",
                took.as_secs_f64(),
                crate::types::Dur(interval)
            ));
            Instant::now()
        } else {
            started + interval
        };
        if let Some(at) = deadline {
            if next >= at {
                tokio::time::sleep_until(at).await;
                return Ok(timed_out(last_code, ctx));
            }
        }
        tokio::time::sleep_until(next).await;
    }
}

/// At --watch-timeout: the last run's own exit code.
fn timed_out(last: Option<ExitCode>, ctx: &Context) -> ExitCode {
    ctx.console
        .done("--watch-timeout reached; exiting with the last run's code");
    last.unwrap_or(ExitCode::Unknown)
}

/// What one run prints.
fn show(
    display: &Display,
    round: u64,
    diagnosis: &Diagnosis,
    comparison: &Comparison,
    interval: Duration,
    settings: &Settings,
) -> Result<Printable> {
    let at = settings.now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let text: Printable = match display {
        Display::InPlace => {
            // Home and clear (incidentctl's own sequence), then the whole picture: the latest
            // table and what moved.
            let mut text = Printable::own("\x1b[H\x1b[2J");
            text.push_str(&format!(
                "{at} · run {round} · every {}s · Ctrl-C to stop\n",
                interval.as_secs_f64()
            ));
            text.push(&render::table::diagnosis(diagnosis, settings));
            if round > 1 {
                text.push_str("\n");
                text.push_str(&render::compare::table(comparison, false));
            }
            text
        }
        Display::Lines => {
            let mut text = render::compare::lines(comparison, &at);
            if round == 1 {
                let s = &diagnosis.summary;
                text.insert_str(
                    0,
                    &format!(
                        "{at} run 1: {} critical, {} unknown, {} warning, {} ok\n",
                        s.critical, s.unknown, s.warning, s.ok
                    ),
                );
            }
            text.into()
        }
        Display::JsonLines => {
            let mut text = String::new();
            for change in comparison.moved() {
                #[derive(serde::Serialize)]
                struct Line<'a> {
                    at: &'a str,
                    run: u64,
                    #[serde(flatten)]
                    change: &'a compare::CheckChange,
                }
                let line = Line {
                    at: &at,
                    run: round,
                    change,
                };
                text.push_str(&crate::output::printable::json_escaped(
                    serde_json::to_string(&line)
                        .map_err(|e| crate::error::Error::Internal(e.to_string()))?,
                ));
                text.push('\n');
            }
            text.into()
        }
    };
    Ok(text)
}
