//! `incidentctl db kill-queries | pool-size | analyze | reindex | restart`

use crate::actions::{db, env, restart};
use crate::change::{self, Undo};
use crate::cli::DbCommand;
use crate::clients::Context;
use crate::error::{Error, ExitCode, Result};

pub async fn run(command: &DbCommand, ctx: &Context) -> Result<ExitCode> {
    match command {
        DbCommand::KillQueries(args) => {
            let older_than = args.older_than.0;
            let opts = super::execute_options(&args.change);
            change::execute(
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
                |old| Undo::command(["incidentctl", "db", "pool-size", "-n", &ns, "--", old]),
            )
            .await?;
            change::execute(ctx, &super::execute_options(&args.change), action).await
        }
        DbCommand::Analyze(args) => {
            change::execute(
                ctx,
                &super::execute_options(&args.change),
                db::analyze(ctx).await?,
            )
            .await
        }
        DbCommand::Reindex(args) => {
            let action = db::reindex(ctx, args.concurrently).await?;
            change::execute(ctx, &super::execute_options(&args.change), action).await
        }
        DbCommand::Restart(args) => {
            let action = restart::plan_database(ctx).await?;
            change::execute(ctx, &super::execute_options(&args.change), action).await
        }
    }
}
