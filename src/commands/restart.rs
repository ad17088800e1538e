//! `incidentctl restart [DEPLOYMENT...]`

use crate::actions::restart;
use crate::cli::RestartArgs;
use crate::context::Context;
use crate::error::{ExitCode, Result};
use crate::plan::{self, ExecuteOptions};

pub async fn run(args: &RestartArgs, ctx: &Context) -> Result<ExitCode> {
    let opts = ExecuteOptions::from_args(&args.change, true)?;
    let action = restart::plan(ctx, &args.deployments).await?;
    plan::execute(ctx, &opts, action).await
}
