//! `incidentctl silence add | list | expire`

use crate::actions::silence;
use crate::change;
use crate::cli::SilenceCommand;
use crate::clients::Context;
use crate::error::{ExitCode, Result};

pub async fn run(command: &SilenceCommand, ctx: &Context) -> Result<ExitCode> {
    match command {
        SilenceCommand::Add(args) => {
            let opts = super::execute_options(&args.change);
            let action = silence::add(
                ctx,
                args.matchers.clone(),
                args.duration,
                &args.comment,
                args.change.incident.as_deref(),
            )
            .await?;
            change::execute(ctx, &opts, action).await
        }
        SilenceCommand::Expire { id, change: args } => {
            let opts = super::execute_options(args);
            change::execute(ctx, &opts, silence::expire(ctx, id).await?).await
        }
        SilenceCommand::List { all } => {
            let silences = silence::list(ctx, *all).await?;
            if ctx.console.json() {
                ctx.console.document(&silences)?;
            } else {
                ctx.console.data(table(&silences))?;
            }
            Ok(ExitCode::Ok)
        }
    }
}

fn table(silences: &[silence::Silence]) -> String {
    if silences.is_empty() {
        return "No silences.\n".into();
    }
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::NOTHING);
    t.set_header(vec![
        "ID",
        "STATE",
        "MATCHERS",
        "ENDS",
        "CREATED BY",
        "COMMENT",
    ]);
    for s in silences {
        t.add_row(vec![
            s.id.clone(),
            s.status.state.clone(),
            s.matchers_text(),
            s.ends_at.clone(),
            s.created_by.clone(),
            s.comment.clone(),
        ]);
    }
    format!("{t}\n")
}
