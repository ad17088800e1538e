//! `incidentctl diagnose [RUNBOOK...]`: which run the flags ask for (one cluster, several, a
//! watch, a diff of two saved runs), printed once; the work is in `crate::diagnose`.

use crate::change::audit::os_user;
use crate::cli::{DiagnoseAction, DiagnoseArgs, FailOn, OutputFormat};
use crate::clients::Context;
use crate::diagnose::compare::{self, Comparison};
use crate::diagnose::render;
use crate::diagnose::Selection;
use crate::diagnose::{self, watch};
use crate::error::{ExitCode, Result};
use crate::output::Progress;
use crate::runbooks;
use crate::types::Status;
use std::sync::Arc;

pub async fn run(args: &DiagnoseArgs, ctx: Arc<Context>) -> Result<ExitCode> {
    let settings = ctx.settings.clone();
    if let Some(DiagnoseAction::Diff { old, new, all }) = &args.action {
        return diff(old, new, *all, &ctx);
    }
    for name in &args.runbooks {
        runbooks::find(&settings, name)?;
    }
    let selection = Selection {
        runbooks: args.runbooks.clone(),
        only: args.checks.clone(),
    };
    diagnose::check_ids_exist(&selection.only, &settings)?;
    if args.list {
        render::write_check_list(&ctx.console, &selection.checks(&settings), &settings)?;
        return Ok(ExitCode::Ok);
    }
    // Findings are attached to the incident: a made-up id is refused before anything runs.
    if let Some(id) = &args.incident {
        crate::report::store::Store::require(&settings, id).await?;
    }
    let contexts = if args.all_contexts {
        diagnose::all_contexts()?
    } else {
        settings.contexts.clone()
    };
    if !contexts.is_empty() {
        return in_clusters(args, &selection, contexts, &ctx).await;
    }
    if args.watch {
        let every = watch::Watch {
            interval: args.interval.0,
            until: args.until,
            timeout: args.watch_timeout.map(|d| d.0),
        };
        return watch::run(&ctx, &selection, &every).await;
    }
    once(args, &selection, ctx).await
}

/// One diagnosis of one cluster: printed, compared with the baseline, attached, captured.
async fn once(args: &DiagnoseArgs, selection: &Selection, ctx: Arc<Context>) -> Result<ExitCode> {
    let settings = ctx.settings.clone();
    // Read before anything runs: a bad baseline changes nothing and costs no server a query.
    let baseline = match &args.baseline {
        Some(path) => Some((path.display().to_string(), compare::read_saved(path)?)),
        None => None,
    };
    if let Some(dir) = &args.capture {
        diagnose::evidence::check_dir(dir)?;
    }
    let progress = Progress::start(selection.checks(&settings).len(), &ctx.console);
    let diagnosis = diagnose::run::diagnose(ctx.clone(), selection, &|r| progress.done(r.id)).await;
    progress.finish();
    let comparison =
        baseline.map(|(name, before)| Comparison::new(name, &before, &compare::states(&diagnosis)));
    render::write_diagnosis(
        &ctx.console,
        &diagnosis,
        comparison.as_ref(),
        &settings,
        args.fail_on.unwrap_or(FailOn::Critical),
        args.explain,
    )?;
    if let Some(id) = &args.incident {
        // The diagnosis is the result; failing to attach it is reported but never changes the
        // exit code scripts rely on.
        match crate::report::attach::diagnose_run(&settings, id, &diagnosis, &os_user()).await {
            Ok(()) => ctx.console.done(format!("findings attached to {id}")),
            Err(e) => ctx
                .console
                .warn(format!("findings not attached to {id}: {e}")),
        }
    }
    if let Some(dir) = &args.capture {
        // Like attaching: the diagnosis is the result and its exit code stays; a bundle that
        // could not be written is said.
        let console = ctx.console.clone();
        if let Err(e) = capture(ctx, &diagnosis, dir, args.incident.as_deref()).await {
            console.warn(format!("evidence not captured in {}: {e}", dir.display()));
        }
    }
    // --fail-on makes the exit code a gate: 0 unless some check reaches the level;
    // --fail-on-new counts only what is new or worse since the baseline.
    let counted: Vec<Status> = match &comparison {
        Some(c) if args.fail_on_new => c.regressions().map(|r| r.status_now()).collect(),
        _ => diagnosis.checks.iter().map(|c| c.status).collect(),
    };
    Ok(diagnose::gate(&counted, args.fail_on))
}

/// `--capture DIR`: the bundle, and with `--incident` each file stored with the incident and
/// one timeline entry linking the manifest.
async fn capture(
    ctx: Arc<Context>,
    diagnosis: &diagnose::Diagnosis,
    dir: &std::path::Path,
    incident: Option<&str>,
) -> Result<()> {
    let (settings, console) = (ctx.settings.clone(), ctx.console.clone());
    let manifest = diagnose::capture(ctx, diagnosis, dir).await?;
    if let Some(id) = incident {
        crate::report::attach::captured(&settings, id, dir, &manifest, &os_user()).await?;
        console.done(format!("evidence stored with {id}"));
    }
    Ok(())
}

/// `diagnose diff OLD NEW`: two saved runs compared; exits as --fail-on-new would.
fn diff(
    old: &std::path::Path,
    new: &std::path::Path,
    all: bool,
    ctx: &Context,
) -> Result<ExitCode> {
    let before = compare::read_saved(old)?;
    let after = compare::read_saved(new)?;
    let c = Comparison::new(old.display().to_string(), &before, &after);
    let text = match ctx.settings.output {
        OutputFormat::Table => render::compare::table(&c, all),
        OutputFormat::Markdown => render::compare::markdown(&c, all),
        OutputFormat::Json => render::compare::json(&c)?,
        other => {
            return Err(crate::error::Error::usage(format!(
                "diagnose diff writes table, json or markdown, not {}",
                clap::ValueEnum::to_possible_value(&other)
                    .map_or_else(String::new, |v| v.get_name().to_string())
            )))
        }
    };
    ctx.console.data(text)?;
    Ok(c.regression_status().into())
}

/// The same diagnosis in each cluster; the exit code is the worst across them.
async fn in_clusters(
    args: &DiagnoseArgs,
    selection: &Selection,
    contexts: Vec<String>,
    ctx: &Context,
) -> Result<ExitCode> {
    let runs = diagnose::in_clusters(ctx, selection, contexts).await;
    let all = diagnose::all_checks(&runs);
    let fail_on = args.fail_on.unwrap_or(FailOn::Critical);
    render::write_diagnoses(
        &ctx.console,
        &runs,
        diagnose::run::overall(&all),
        &ctx.settings,
        fail_on,
    )?;
    let statuses: Vec<Status> = all.iter().map(|c| c.status).collect();
    Ok(diagnose::gate(&statuses, args.fail_on))
}
