//! `incidentctl cache flush [--db N | --pattern GLOB]`

use crate::actions::cache::{self, Scope};
use crate::cli::CacheCommand;
use crate::context::Context;
use crate::error::{Error, ExitCode, Result};
use crate::plan::{self, ExecuteOptions};

pub async fn run(command: &CacheCommand, ctx: &Context) -> Result<ExitCode> {
    match command {
        CacheCommand::Flush(args) => {
            let scope = match (&args.pattern, args.db) {
                (Some(p), _) if p.trim().is_empty() => {
                    return Err(Error::usage("--pattern is empty"))
                }
                (Some(p), db) => Scope::Pattern {
                    db: i64::from(db.unwrap_or(0)),
                    glob: p.clone(),
                },
                (None, Some(db)) => Scope::Db(i64::from(db)),
                (None, None) => Scope::All,
            };
            let opts = ExecuteOptions::from_args(&args.change, true)?;
            plan::execute(ctx, &opts, cache::flush(ctx, scope).await?).await
        }
    }
}
