//! `incidentctl rollback DEPLOYMENT [--to-revision N]`

use crate::actions::rollback;
use crate::change;
use crate::cli::RollbackArgs;
use crate::clients::Context;
use crate::error::{ExitCode, Result};

pub async fn run(args: &RollbackArgs, ctx: &Context) -> Result<ExitCode> {
    let opts = super::execute_options(&args.change);
    let action = rollback::plan(ctx, &args.deployment, args.to_revision).await?;
    change::execute(ctx, &opts, action).await
}
