//! `incidentctl restart [DEPLOYMENT...]`

use crate::actions::restart;
use crate::change;
use crate::cli::RestartArgs;
use crate::clients::Context;
use crate::error::{ExitCode, Result};

pub async fn run(args: &RestartArgs, ctx: &Context) -> Result<ExitCode> {
    let opts = super::execute_options(&args.change);
    let action = restart::plan(ctx, &args.deployments).await?;
    change::execute(ctx, &opts, action).await
}
