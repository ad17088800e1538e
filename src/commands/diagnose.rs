//! `incidentctl diagnose [RUNBOOK...]`

use crate::checks::Check;
use crate::cli::{DiagnoseAction, DiagnoseArgs, FailOn, OutputFormat};
use crate::context::Context;
use crate::diagnose::compare::{self, Comparison};
use crate::error::{ExitCode, Result};
use crate::output::{self, Progress};
use crate::runbooks::{self};
use crate::settings::Settings;
use crate::types::Status;
use std::sync::Arc;

pub fn exit_code(status: Status) -> ExitCode {
    match status {
        Status::Ok => ExitCode::Ok,
        Status::Warning => ExitCode::Warning,
        Status::Critical => ExitCode::Critical,
        Status::Unknown => ExitCode::Unknown,
    }
}

/// `--check ID`: each names a check, built-in or declared.
fn check_ids_exist(ids: &[String], settings: &Settings) -> Result<()> {
    let all = crate::checks::all(settings);
    for id in ids {
        if !all.iter().any(|c| c.id == id) {
            return Err(
                crate::error::Error::usage(format!("--check {id}: no such check")).with_hint(
                    "`incidentctl diagnose --list` lists every check id, built-in and declared",
                ),
            );
        }
    }
    Ok(())
}

/// The exit code of a run: the worst status of `statuses`; with --fail-on, 0 unless one of
/// them reaches the level.
pub fn gate(statuses: &[Status], fail_on: Option<FailOn>) -> ExitCode {
    if let Some(level) = fail_on {
        if !statuses
            .iter()
            .any(|s| output::automation::fails(*s, level))
        {
            return ExitCode::Ok;
        }
    }
    exit_code(Status::overall(statuses.iter().copied()))
}

pub async fn run(args: &DiagnoseArgs, settings: Arc<Settings>) -> Result<ExitCode> {
    if let Some(DiagnoseAction::Diff { old, new, all }) = &args.action {
        return diff(old, new, *all, &settings);
    }
    for name in &args.runbooks {
        runbooks::find(&settings, name)?;
    }
    let selection = runbooks::Selection {
        runbooks: args.runbooks.clone(),
        only: args.checks.clone(),
    };
    check_ids_exist(&selection.only, &settings)?;
    let selected: Vec<&Check> = selection.checks(&settings);
    if args.list {
        output::write_check_list(&selected, &settings)?;
        return Ok(ExitCode::Ok);
    }
    // Findings are attached to the incident: a made-up id is refused before anything runs.
    if let Some(id) = &args.incident {
        crate::report::store::Store::require(&settings, id).await?;
    }
    let contexts = if args.all_contexts {
        all_contexts()?
    } else {
        settings.contexts.clone()
    };
    if !contexts.is_empty() {
        return run_clusters(args, &selection, contexts, settings).await;
    }
    if args.watch {
        return crate::diagnose::watch::run(args, &selection, settings).await;
    }
    // Read before anything runs: a bad baseline changes nothing and costs no server a query.
    let baseline = match &args.baseline {
        Some(path) => Some((path.display().to_string(), compare::read_saved(path)?)),
        None => None,
    };
    if let Some(dir) = &args.capture {
        crate::diagnose::evidence::check_dir(dir)?;
    }
    let planned = selected.len();
    let ctx = Arc::new(Context::new(settings.clone()));
    let progress = Progress::start(planned, &ctx.console);
    let diagnosis = runbooks::diagnose(ctx.clone(), &selection, &|r| progress.done(r.id)).await;
    progress.finish();
    let comparison =
        baseline.map(|(name, before)| Comparison::new(name, &before, &compare::states(&diagnosis)));
    let fail_on = args.fail_on.unwrap_or(FailOn::Critical);
    output::write_diagnosis(
        &diagnosis,
        comparison.as_ref(),
        &settings,
        fail_on,
        args.explain,
    )?;
    if let Some(id) = &args.incident {
        // The diagnosis is the result; failing to attach it is reported but never changes the
        // exit code scripts rely on.
        if let Err(e) = attach(&settings, id, &diagnosis).await {
            crate::say!("warning: findings not attached to {id}: {e}");
        } else if settings.verbosity != crate::settings::Verbosity::Quiet {
            crate::say!("findings attached to {id}");
        }
    }
    if let Some(dir) = &args.capture {
        // Like attaching: the diagnosis is the result and its exit code stays; a bundle that
        // could not be written is said.
        if let Err(e) = capture(ctx, &diagnosis, dir, args.incident.as_deref()).await {
            crate::say!("warning: evidence not captured in {}: {e}", dir.display());
        }
    }
    // --fail-on makes the exit code a gate: 0 unless some check reaches the level;
    // --fail-on-new counts only what is new or worse since the baseline.
    let counted: Vec<Status> = match &comparison {
        Some(c) if args.fail_on_new => c.regressions().map(|r| r.status_now()).collect(),
        _ => diagnosis.checks.iter().map(|c| c.status).collect(),
    };
    Ok(gate(&counted, args.fail_on))
}

/// `diagnose diff OLD NEW`: two saved runs compared; exits as --fail-on-new would.
fn diff(
    old: &std::path::Path,
    new: &std::path::Path,
    all: bool,
    settings: &Settings,
) -> Result<ExitCode> {
    let before = compare::read_saved(old)?;
    let after = compare::read_saved(new)?;
    let c = Comparison::new(old.display().to_string(), &before, &after);
    let text = match settings.output {
        OutputFormat::Table => output::compare::table(&c, all),
        OutputFormat::Markdown => output::compare::markdown(&c, all),
        OutputFormat::Json => output::compare::json(&c)?,
        other => {
            return Err(crate::error::Error::usage(format!(
                "diagnose diff writes table, json or markdown, not {}",
                clap::ValueEnum::to_possible_value(&other)
                    .map_or_else(String::new, |v| v.get_name().to_string())
            )))
        }
    };
    output::write_stdout(&text)?;
    Ok(exit_code(c.regression_status()))
}

/// Clusters diagnosed at once: enough to hide latency, few enough for a laptop.
const CLUSTER_PARALLELISM: usize = 4;

fn all_contexts() -> Result<Vec<String>> {
    let config = crate::kubeconfig::read()
        .map_err(|e| {
            crate::error::Error::config("--all-contexts", e.to_string()).with_hint(e.hint())
        })?
        .ok_or_else(|| {
            crate::error::Error::config(
                "--all-contexts",
                "needs a kubeconfig: KUBECONFIG is not set and ~/.kube/config does not exist",
            )
        })?;
    let names: Vec<String> = config.contexts.iter().map(|c| c.name.clone()).collect();
    if names.is_empty() {
        return Err(crate::error::Error::config(
            "KUBECONFIG",
            "the kubeconfig has no contexts",
        ));
    }
    Ok(names)
}

/// The same diagnosis in each cluster, concurrently; one unreachable cluster only makes its own
/// Kubernetes checks unknown. The exit code is the worst across them.
async fn run_clusters(
    args: &DiagnoseArgs,
    selection: &runbooks::Selection,
    contexts: Vec<String>,
    settings: Arc<Settings>,
) -> Result<ExitCode> {
    use futures::stream::{self, StreamExt};
    let runs: Vec<(String, runbooks::Diagnosis)> = stream::iter(contexts)
        .map(|name| {
            let mut s = (*settings).clone();
            s.kubernetes.context = Some(name.clone());
            s.contexts.clear();
            let ctx = Arc::new(Context::new(Arc::new(s)));
            async move { (name, runbooks::diagnose(ctx, selection, &|_| {}).await) }
        })
        .buffered(CLUSTER_PARALLELISM)
        .collect()
        .await;
    let all: Vec<crate::checks::CheckResult> = runs
        .iter()
        .flat_map(|(_, d)| d.checks.iter().cloned())
        .collect();
    let overall = runbooks::overall(&all);
    let fail_on = args.fail_on.unwrap_or(FailOn::Critical);
    output::write_diagnoses(&runs, overall, &settings, fail_on)?;
    let statuses: Vec<Status> = all.iter().map(|c| c.status).collect();
    Ok(gate(&statuses, args.fail_on))
}

async fn attach(settings: &Settings, id: &str, diagnosis: &runbooks::Diagnosis) -> Result<()> {
    let store = crate::commands::report::open_store(settings, None).await?;
    let doc = serde_json::to_string(diagnosis)
        .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    crate::commands::report::attach_diagnosis(
        &store,
        id,
        &doc,
        settings.now(),
        &crate::change::audit::os_user(),
    )
    .await
}

/// `--capture DIR`: the bundle, and with `--incident` each file stored with the incident and
/// one timeline entry linking the manifest.
async fn capture(
    ctx: Arc<Context>,
    diagnosis: &runbooks::Diagnosis,
    dir: &std::path::Path,
    incident: Option<&str>,
) -> Result<()> {
    let settings = ctx.settings.clone();
    let (manifest_path, manifest) = crate::diagnose::evidence::capture(ctx, diagnosis, dir).await?;
    if settings.verbosity != crate::settings::Verbosity::Quiet {
        crate::say!(
            "evidence: {} files in {} ({} withheld, see {})",
            manifest.files.len(),
            dir.display(),
            manifest.withheld.len(),
            manifest_path.display()
        );
    }
    let Some(id) = incident else {
        return Ok(());
    };
    let store = crate::commands::report::open_store(&settings, None).await?;
    crate::commands::report::attach_capture(
        &store,
        id,
        dir,
        &manifest,
        settings.now(),
        &crate::change::audit::os_user(),
    )
    .await?;
    if settings.verbosity != crate::settings::Verbosity::Quiet {
        crate::say!("evidence stored with {id}");
    }
    Ok(())
}
