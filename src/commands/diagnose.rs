//! `incidentctl diagnose [RUNBOOK...]`

use crate::checks::{CheckSpec, Status, CHECKS};
use crate::cli::{DiagnoseArgs, RunbookArg};
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
    output::write_diagnosis(&diagnosis, &settings)?;
    Ok(exit_code(diagnosis.summary.overall))
}
