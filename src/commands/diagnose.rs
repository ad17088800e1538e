//! `incidentctl diagnose [RUNBOOK...]`

use crate::checks::Check;
use crate::cli::{DiagnoseArgs, FailOn, RunbookArg};
use crate::context::Context;
use crate::error::{ExitCode, Result};
use crate::output::{self, Progress};
use crate::runbooks::{self};
use crate::settings::Settings;
use crate::types::Runbook;
use crate::types::Status;
use std::sync::Arc;

fn runbook(arg: RunbookArg) -> Runbook {
    match arg {
        RunbookArg::AppDown => Runbook::AppDown,
        RunbookArg::Database => Runbook::Database,
        RunbookArg::ErrorRate => Runbook::ErrorRate,
        RunbookArg::Performance => Runbook::Performance,
        RunbookArg::Security => Runbook::Security,
    }
}

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

pub async fn run(args: &DiagnoseArgs, settings: Arc<Settings>) -> Result<ExitCode> {
    let selection = runbooks::Selection {
        runbooks: args.runbooks.iter().copied().map(runbook).collect(),
        only: args.checks.clone(),
    };
    check_ids_exist(&selection.only, &settings)?;
    let selected: Vec<&Check> = selection.checks(&settings);
    if args.list {
        output::write_check_list(&selected, &settings)?;
        return Ok(ExitCode::Ok);
    }
    let contexts = if args.all_contexts {
        all_contexts()?
    } else {
        settings.contexts.clone()
    };
    if !contexts.is_empty() {
        return run_clusters(args, &selection, contexts, settings).await;
    }
    let planned = selected.len();
    let ctx = Arc::new(Context::new(settings.clone()));
    let progress = Progress::start(planned, settings.verbosity);
    let diagnosis = runbooks::diagnose(ctx, &selection, &|r| progress.done(r.id)).await;
    progress.finish();
    let fail_on = args.fail_on.unwrap_or(FailOn::Critical);
    output::write_diagnosis(&diagnosis, &settings, fail_on)?;
    if let Some(id) = &args.incident {
        // The diagnosis is the result; failing to attach it is reported but never changes the
        // exit code scripts rely on.
        if let Err(e) = attach(&settings, id, &diagnosis).await {
            eprintln!("warning: findings not attached to {id}: {e}");
        } else if settings.verbosity != crate::settings::Verbosity::Quiet {
            eprintln!("findings attached to {id}");
        }
    }
    // --fail-on makes the exit code a gate: 0 unless some check reaches the level.
    if args.fail_on.is_some()
        && !diagnosis
            .checks
            .iter()
            .any(|c| output::automation::fails(c.status, fail_on))
    {
        return Ok(ExitCode::Ok);
    }
    Ok(exit_code(diagnosis.summary.overall))
}

/// Clusters diagnosed at once: enough to hide latency, few enough for a laptop.
const CLUSTER_PARALLELISM: usize = 4;

fn all_contexts() -> Result<Vec<String>> {
    let config = kube::config::Kubeconfig::read().map_err(|e| {
        crate::error::Error::config(
            "KUBECONFIG",
            format!("--all-contexts needs a kubeconfig: {e}"),
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
    if args.fail_on.is_some()
        && !all
            .iter()
            .any(|c| output::automation::fails(c.status, fail_on))
    {
        return Ok(ExitCode::Ok);
    }
    Ok(exit_code(overall))
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
