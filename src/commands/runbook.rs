//! `incidentctl runbook list | show NAME`: runbooks as data, shown live. `runbook run` is
//! `runbook_run`, dispatched by main.

use crate::cli::{step, OutputFormat, RunbookCommand, RunbookShowArgs};
use crate::clients::Context;
use crate::error::{ExitCode, Result};
use crate::runbooks::render::{self, ListRow};
use crate::runbooks::{self, page, steps};
use crate::settings::runbooks::at;
use crate::settings::Settings;
use crate::types::RunbookDefinition;
use std::sync::Arc;

/// Every team step names an action (a command that changes something) and parses as that
/// command with its params' examples: a configuration error (78) naming the file, the line and
/// the actions there are, before anything runs. The built-in runbooks' steps are part of the
/// program: a unit test parses them, and a run does not pay for it again.
pub fn validate_steps(settings: &Settings) -> Result<()> {
    let team: Vec<&RunbookDefinition> = settings.runbooks.iter().filter(|r| !r.built_in).collect();
    check_steps(&team)
}

fn check_steps(runbooks: &[&RunbookDefinition]) -> Result<()> {
    if runbooks.iter().all(|r| r.resolve.is_empty()) {
        return Ok(());
    }
    let actions = step::actions();
    let mut tree = <crate::cli::Cli as clap::CommandFactory>::command();
    for runbook in runbooks {
        let examples = steps::examples(&runbook.params);
        for (i, s) in runbook.resolve.iter().enumerate() {
            let named = s
                .action
                .name
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let place = format!("runbook {}, step {} ({})", runbook.name, i + 1, s.title);
            if !actions.contains(&named) {
                return Err(at(
                    &s.action.origin,
                    format!(
                        "{place}: unknown action '{}'; actions: {}",
                        s.action.name,
                        actions.join(", ")
                    ),
                )
                .with_hint("an action is a command that changes something, as typed after `incidentctl` (db kill-queries); its arguments go in args"));
            }
            let words = steps::words(s, &examples).map_err(|missing| {
                at(&s.action.origin, format!("{place}: no param '{missing}'"))
            })?;
            step::parse_with(&mut tree, &words).map_err(|e| {
                at(
                    &s.args_origin,
                    format!("{place}: `incidentctl {}`: {e}", words.join(" ")),
                )
                .with_hint(format!(
                    "see `incidentctl {named} --help` for the arguments it takes"
                ))
            })?;
        }
    }
    Ok(())
}

pub async fn run(command: &RunbookCommand, ctx: Arc<Context>) -> Result<ExitCode> {
    match command {
        RunbookCommand::List => list(&ctx),
        RunbookCommand::Show(args) => show(args, ctx).await,
        RunbookCommand::Run(args) => Err(crate::error::Error::Internal(format!(
            "runbook run {} is runbook_run's",
            args.name
        ))),
    }
}

fn list(ctx: &Context) -> Result<ExitCode> {
    let settings = &ctx.settings;
    let rows: Vec<ListRow> = settings
        .runbooks
        .iter()
        .map(|r| ListRow {
            name: r.name.clone(),
            title: r.title.clone(),
            built_in: r.built_in,
            source: r.origin.to_string(),
            checks: crate::diagnose::Selection {
                runbooks: vec![r.name.clone()],
                only: Vec::new(),
            }
            .checks(settings)
            .iter()
            .map(|c| c.id.to_string())
            .collect(),
            steps: r.resolve.len(),
        })
        .collect();
    if ctx.console.json() {
        ctx.console.document(&rows)?;
    } else {
        ctx.console.data(render::list(&rows))?;
    }
    Ok(ExitCode::Ok)
}

async fn show(args: &RunbookShowArgs, ctx: Arc<Context>) -> Result<ExitCode> {
    let settings = ctx.settings.clone();
    let runbook = runbooks::find(&settings, &args.name)?;
    let values = page::values(runbook, &args.set)?;
    // The wiki page is the definition: no server is asked.
    if settings.output == OutputFormat::Markdown {
        let page = page::page(&settings, runbook, &values, None);
        ctx.console.data(render::page_markdown(&page))?;
        return Ok(ExitCode::Ok);
    }
    let results = crate::diagnose::run::look(&ctx, runbook).await;
    let page = page::page(&settings, runbook, &values, Some(&results));
    if ctx.console.json() {
        ctx.console.document(&page)?;
    } else {
        ctx.console.data(render::page_text(&page, settings.color))?;
    }
    Ok(ExitCode::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_step_is_a_command_that_parses() {
        let settings = crate::checks::default_settings();
        runbooks::validate(&settings).expect("every check a built-in runbook names exists");
        let built_in: Vec<&RunbookDefinition> = settings.runbooks.iter().collect();
        check_steps(&built_in).expect("every built-in step parses");
        assert!(built_in.iter().map(|r| r.resolve.len()).sum::<usize>() >= 15);
    }
}
