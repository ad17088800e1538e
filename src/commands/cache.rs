//! `incidentctl cache flush [--db N | --pattern GLOB]`

use crate::actions::cache::{self, Scope};
use crate::change;
use crate::cli::CacheCommand;
use crate::clients::Context;
use crate::error::{ExitCode, Result};

pub async fn run(command: &CacheCommand, ctx: &Context) -> Result<ExitCode> {
    match command {
        CacheCommand::Flush(args) => {
            if let Some(p) = &args.pattern {
                cache::check_pattern(p)?;
            }
            let scope = match (&args.pattern, args.db) {
                (Some(p), db) => Scope::Pattern {
                    db: i64::from(db.unwrap_or(0)),
                    glob: p.clone(),
                },
                (None, Some(db)) => Scope::Db(i64::from(db)),
                (None, None) => Scope::All,
            };
            let opts = super::execute_options(&args.change);
            change::execute(ctx, &opts, cache::flush(ctx, scope).await?).await
        }
    }
}
