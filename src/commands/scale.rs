//! `incidentctl scale DEPLOYMENT --replicas N`

use crate::actions::scale;
use crate::cli::ScaleArgs;
use crate::context::Context;
use crate::error::{ExitCode, Result};
use crate::plan::{self, ExecuteOptions};

pub async fn run(args: &ScaleArgs, ctx: &Context) -> Result<ExitCode> {
    let opts = ExecuteOptions::from_args(&args.change, true)?;
    let action = scale::plan(ctx, &args.deployment, args.replicas, args.allow_zero).await?;
    plan::execute(ctx, &opts, action).await
}
