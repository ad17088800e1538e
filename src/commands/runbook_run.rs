//! `incidentctl runbook run NAME [--step N]`: the investigation decides which resolution steps
//! apply; each step is the command it names, run as typed with this command's change flags
//! (`commands::run_change`: the same plan, dry run, confirmation, apply, verification and audit
//! line), so a runbook can do nothing its commands cannot. Then the verification checks say
//! whether the symptoms are gone, and the run is recorded on the incident.

use crate::cli::{ChangeArgs, RunbookRunArgs};
use crate::clients::Context;
use crate::error::{Error, ExitCode, Result};
use crate::runbooks::page::{self, Page, Walked};
use crate::runbooks::render;
use crate::runbooks::{self, steps};
use crate::types::runbook::{RunbookDefinition, StepRef};
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the verification checks run again while a change settles.
const VERIFY_EVERY: Duration = Duration::from_secs(2);

pub const RUN_SCHEMA: &str = "incidentctl.runbook-run/v1";

/// What `runbook run -o json` prints: one document, each step's change document inside it.
#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    runbook: &'a str,
    namespace: &'a str,
    dry_run: bool,
    steps: &'a [Walked],
    verify: &'a [page::ExpectationView],
    symptoms_gone: bool,
}

/// The steps as they went, and what stops the run.
#[derive(Default)]
struct Walk {
    steps: Vec<Walked>,
    /// The first failure (a dry run walks on past it; a run stops there).
    failure: Option<Error>,
    /// Steps the person at the terminal said no to.
    declined: usize,
}

pub async fn run(args: &RunbookRunArgs, ctx: Arc<Context>) -> Result<ExitCode> {
    let settings = ctx.settings.clone();
    let runbook = runbooks::find(&settings, &args.name)?;
    let values = page::values(runbook, &args.set)?;
    let chosen = chosen(runbook, args.step)?;
    let dry_run = args.change.dry_run;
    let incident = args.change.incident.as_deref().filter(|_| !dry_run);
    if let Some(id) = incident {
        // An unknown incident is refused before anything is changed for it.
        crate::report::store::Store::configured(&settings, None)
            .await?
            .get(id)
            .await?;
    }
    let results = crate::diagnose::run::look(&ctx, runbook).await;
    let before = page::page(&settings, runbook, &values, Some(&results));
    ctx.console.text(render::run_intro(&before, dry_run))?;
    let walk = walk(&ctx, runbook, &before, &values, &chosen, args).await?;
    ctx.console.text(render::walked_text(&walk.steps))?;
    let changed = walk.steps.iter().any(Walked::changed);
    let wait = (changed && !dry_run && !args.change.no_wait && walk.failure.is_none())
        .then_some(args.change.wait_timeout.0);
    let after = verify(&ctx, runbook, &values, wait).await;
    ctx.console.text(render::verification_text(&after))?;
    if let Some(id) = incident {
        // The steps' changes are on the timeline already (the audit log); failing to add the
        // run's own entry is said, and never changes the exit code.
        if let Err(e) = record(&ctx, id, runbook, &walk.steps, &after).await {
            ctx.console
                .alert(format!("warning: the run was not recorded on {id}: {e}"));
        }
    }
    if ctx.console.json() {
        ctx.console.document(&Report {
            schema: RUN_SCHEMA,
            runbook: &runbook.name,
            namespace: &settings.namespace,
            dry_run,
            steps: &walk.steps,
            verify: &after.verify,
            symptoms_gone: after.symptoms_gone == Some(true),
        })?;
    }
    outcome(walk, &after, changed, dry_run)
}

/// The indexes of the steps to walk: all, or the one `--step` names.
fn chosen(runbook: &RunbookDefinition, step: Option<u16>) -> Result<Vec<usize>> {
    let total = runbook.resolve.len();
    match step.map(usize::from) {
        None => Ok((0..total).collect()),
        Some(n) if (1..=total).contains(&n) => Ok(vec![n - 1]),
        Some(n) => Err(Error::usage(format!(
            "--step {n}: runbook {} has {total} resolution step(s)",
            runbook.name
        ))
        .with_hint(format!(
            "`incidentctl runbook show {}` lists them",
            runbook.name
        ))),
    }
}

async fn walk(
    ctx: &Context,
    runbook: &RunbookDefinition,
    page: &Page,
    values: &steps::Values,
    chosen: &[usize],
    args: &RunbookRunArgs,
) -> Result<Walk> {
    let (forced, dry_run) = (args.step.is_some(), args.change.dry_run);
    let total = runbook.resolve.len();
    let mut walk = Walk::default();
    for &index in chosen {
        let view = &page.resolve[index];
        let words = match steps::words(&runbook.resolve[index], values) {
            Ok(words) => words,
            Err(missing) if forced => {
                walk.failure = Some(Error::usage(format!(
                    "step {}: needs --set {missing}=VALUE",
                    view.step
                )));
                break;
            }
            Err(_) => {
                ctx.console
                    .text(render::step_skipped(view, total, &view.why))?;
                walk.steps.push(Walked::new(view, "skipped"));
                continue;
            }
        };
        if view.applies != Some(true) && !forced && !dry_run {
            let why = format!("does not apply now: {}", view.why);
            ctx.console.text(render::step_skipped(view, total, &why))?;
            walk.steps.push(Walked::new(view, "skipped"));
            continue;
        }
        ctx.console.text(render::step_header(view, total, forced))?;
        let step = StepRef {
            runbook: runbook.name.clone(),
            step: view.step,
        };
        let (result, change) = run_step(ctx, &words, step, &args.change).await;
        let mut walked = Walked::new(view, if dry_run { "dry-run" } else { "applied" });
        if let Some(doc) = &change {
            walked.result = doc["result"].as_str().unwrap_or("?").to_string();
            walked.verified = doc["verified"].as_bool();
        }
        walked.change = change;
        let Err(e) = result else {
            walk.steps.push(walked);
            continue;
        };
        walked.error = Some(e.to_string());
        if walked.change.is_none() {
            walked.result = "failed".into();
        }
        walk.steps.push(walked);
        // A no at the terminal is for this step only; without a terminal, nothing else could
        // be confirmed either.
        if matches!(e, Error::NotConfirmed(_)) && ctx.console.prompter.interactive() {
            walk.declined += 1;
            continue;
        }
        // A dry run also plans the steps that do not apply now: one that cannot be planned
        // (no earlier revision to roll back to) is said, and is not the run's failure.
        if dry_run && view.applies != Some(true) && !forced {
            continue;
        }
        walk.failure.get_or_insert(e);
        if !dry_run {
            break;
        }
    }
    Ok(walk)
}

/// Runs one step as its command, with the run's change flags and the step's place in the
/// runbook; its change document (kept, not printed) with the outcome.
async fn run_step(
    ctx: &Context,
    words: &[String],
    step: StepRef,
    flags: &ChangeArgs,
) -> (Result<ExitCode>, Option<serde_json::Value>) {
    let mut command = match crate::cli::step::parse(words) {
        Ok(command) => command,
        Err(e) => {
            let e = Error::usage(format!("`incidentctl {}`: {e}", words.join(" ")));
            return (Err(e), None);
        }
    };
    let Some(change) = command.change_args_mut() else {
        return (
            Err(Error::Internal(format!("{step} is not a change"))),
            None,
        );
    };
    *change = ChangeArgs {
        runbook: Some(step),
        ..flags.clone()
    };
    let settings = Arc::new(ctx.settings.with_object_names(&command.object_names()));
    let step_ctx = ctx.derived(settings, ctx.console.keeping_documents());
    let result = super::run_change(&command, &step_ctx).await;
    (result, step_ctx.console.kept().pop())
}

/// The verification, once; while `wait` lasts, again every few seconds until the symptoms are
/// gone (a scale-out drains a queue, an error rate falls).
async fn verify(
    ctx: &Arc<Context>,
    runbook: &RunbookDefinition,
    values: &steps::Values,
    wait: Option<Duration>,
) -> Page {
    let checks = page::verification_checks(&ctx.settings, runbook);
    let started = Instant::now();
    let mut said = false;
    loop {
        let results = crate::diagnose::run::run_checks(ctx.clone(), &checks, &|_| {}).await;
        let page = page::page(&ctx.settings, runbook, values, Some(&results));
        let left = wait.and_then(|w| w.checked_sub(started.elapsed()));
        match left {
            Some(left) if page.symptoms_gone != Some(true) && !left.is_zero() => {
                if !said {
                    ctx.console.note(format!(
                        "waiting up to {} for the symptoms to go (the verification checks run every {})...",
                        crate::types::Dur(left),
                        crate::types::Dur(VERIFY_EVERY)
                    ));
                    said = true;
                }
                tokio::time::sleep(VERIFY_EVERY.min(left)).await;
            }
            _ => return page,
        }
    }
}

/// The run as one timeline entry: each step's outcome, and whether the symptoms went.
async fn record(
    ctx: &Context,
    id: &str,
    runbook: &RunbookDefinition,
    walked: &[Walked],
    after: &Page,
) -> Result<()> {
    let steps: Vec<String> = walked
        .iter()
        .map(|w| {
            let why = if w.result == "skipped" {
                format!(" ({})", w.why)
            } else {
                String::new()
            };
            format!("step {} {}: {}{why}", w.step, w.title, w.result)
        })
        .collect();
    let verdict = match after.symptoms_gone {
        Some(true) => "symptoms gone".to_string(),
        _ => {
            let open: Vec<&str> = after
                .not_holding()
                .map(|v| v.description.as_str())
                .collect();
            format!("symptoms NOT gone (not yet: {})", open.join("; "))
        }
    };
    let text = format!(
        "runbook {} run: {}; {verdict}",
        runbook.name,
        if steps.is_empty() {
            "no steps".to_string()
        } else {
            steps.join("; ")
        }
    );
    let settings = &ctx.settings;
    let store = crate::report::store::Store::configured(settings, None).await?;
    let me = crate::change::audit::os_user();
    let now = settings.now();
    store
        .update(id, |i| {
            i.add(now, crate::report::model::EntryKind::Runbook, text, &me);
            Ok(())
        })
        .await?;
    Ok(())
}

/// The exit code: a step's failure first; a dry run is done; nothing confirmed is 10; the
/// symptoms still there after the steps is 13.
fn outcome(walk: Walk, after: &Page, changed: bool, dry_run: bool) -> Result<ExitCode> {
    if let Some(e) = walk.failure {
        return Err(e);
    }
    if dry_run {
        return Ok(ExitCode::Ok);
    }
    if !changed && walk.declined > 0 {
        // Every step that applied was declined on the terminal.
        return Err(Error::NotConfirmed(crate::error::Unconfirmed::Declined));
    }
    if after.symptoms_gone != Some(true) {
        let open: Vec<String> = after
            .not_holding()
            .map(|v| match v.status {
                Some(s) => format!("{} (now {s})", v.description),
                None => v.description.clone(),
            })
            .collect();
        let done = if changed {
            "the steps were applied, but"
        } else {
            "no step changed anything, and"
        };
        return Err(Error::VerifyFailed(format!(
            "{done} the runbook's symptoms are not gone: not yet {}",
            open.join("; ")
        )));
    }
    Ok(ExitCode::Ok)
}
