//! `incidentctl db kill-queries | pool-size | analyze | reindex | restart`

use crate::actions::{db, env, restart};
use crate::cli::DbCommand;
use crate::context::Context;
use crate::error::{Error, ExitCode, Result};
use crate::plan::{self, ExecuteOptions};
use crate::settings::parse_duration;

pub async fn run(command: &DbCommand, ctx: &Context) -> Result<ExitCode> {
    match command {
        DbCommand::KillQueries(args) => {
            let older_than = parse_duration(&args.older_than)
                .map_err(|e| Error::usage(format!("invalid value for --older-than: {e}")))?;
            let opts = ExecuteOptions::from_args(&args.change, true)?;
            plan::execute(
                ctx,
                &opts,
                db::kill_queries(ctx, older_than, args.cancel).await?,
            )
            .await
        }
        DbCommand::PoolSize(args) => {
            if args.size == 0 || args.size > 10_000 {
                return Err(Error::usage(format!(
                    "pool size {} is outside 1..10000",
                    args.size
                )));
            }
            let a = &ctx.settings.actions;
            let ns = ctx.settings.namespace.clone();
            let action = env::plan(
                ctx,
                "db pool-size",
                &a.pool_deployment,
                &a.pool_size_env,
                &args.size.to_string(),
                |old| format!("incidentctl db pool-size {old} -n {ns}"),
            )
            .await?;
            plan::execute(ctx, &ExecuteOptions::from_args(&args.change, true)?, action).await
        }
        DbCommand::Analyze(args) => {
            plan::execute(
                ctx,
                &ExecuteOptions::from_args(&args.change, false)?,
                db::analyze(ctx).await?,
            )
            .await
        }
        DbCommand::Reindex(args) => {
            let action = db::reindex(ctx, args.concurrently).await?;
            plan::execute(
                ctx,
                &ExecuteOptions::from_args(&args.change, false)?,
                action,
            )
            .await
        }
        DbCommand::Restart(args) => {
            let action = restart::plan_database(ctx).await?;
            plan::execute(ctx, &ExecuteOptions::from_args(&args.change, true)?, action).await
        }
    }
}
