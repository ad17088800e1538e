//! `incidentctl scale DEPLOYMENT --replicas N`

use crate::actions::scale;
use crate::change;
use crate::cli::ScaleArgs;
use crate::clients::Context;
use crate::error::{ExitCode, Result};

pub async fn run(args: &ScaleArgs, ctx: &Context) -> Result<ExitCode> {
    let opts = super::execute_options(&args.change);
    let action = scale::plan(ctx, &args.deployment, args.replicas, args.allow_zero).await?;
    change::execute(ctx, &opts, action).await
}
