//! `incidentctl diagnose [RUNBOOK...]`

use crate::checks::{CheckSpec, Status, CHECKS};
use crate::cli::{DiagnoseArgs, FailOn, RunbookArg};
use crate::context::Context;
use crate::error::{ExitCode, Result};
use crate::output::{self, Progress};
use crate::runbooks::{self, Runbook};
use crate::settings::Settings;
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

pub async fn run(args: &DiagnoseArgs, settings: Arc<Settings>) -> Result<ExitCode> {
    let requested: Vec<Runbook> = args.runbooks.iter().copied().map(runbook).collect();
    let selected: Vec<&CheckSpec> = CHECKS
        .iter()
        .filter(|c| requested.is_empty() || c.runbooks.iter().any(|r| requested.contains(r)))
        .collect();
    if args.list {
        output::write_check_list(&selected, &settings)?;
        return Ok(ExitCode::Ok);
    }
    let planned = selected.len();
    let ctx = Arc::new(Context::new(settings.clone()));
    let progress = Progress::start(planned, settings.verbosity);
    let diagnosis = runbooks::diagnose(ctx, &requested, &|r| progress.done(r.id)).await;
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

async fn attach(settings: &Settings, id: &str, diagnosis: &runbooks::Diagnosis) -> Result<()> {
    let store = crate::commands::report::open_store(settings, None).await?;
    let doc = serde_json::to_string(diagnosis)
        .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    crate::commands::report::attach_diagnosis(
        &store,
        id,
        &doc,
        settings.now(),
        &crate::audit::os_user(),
    )
    .await
}
