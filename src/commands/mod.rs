//! One module per command: each parses nothing (clap did), runs library code, renders once.

pub mod cache;
pub mod config;
pub mod db;
pub mod diagnose;
pub mod docs;
pub mod doctor;
pub mod report;
pub mod restart;
pub mod rollback;
pub mod runbook;
pub mod runbook_run;
pub mod scale;
pub mod security;
pub mod silence;

use crate::cli::Command;
use crate::clients::Context;
use crate::error::{Error, ExitCode, Result};

/// The commands of the nouns that change things, as typed. A runbook's step runs through here
/// too, so it does exactly what its command does.
pub async fn run_change(command: &Command, ctx: &Context) -> Result<ExitCode> {
    match command {
        Command::Restart(args) => restart::run(args, ctx).await,
        Command::Scale(args) => scale::run(args, ctx).await,
        Command::Rollback(args) => rollback::run(args, ctx).await,
        Command::Db(cmd) => db::run(cmd, ctx).await,
        Command::Cache(cmd) => cache::run(cmd, ctx).await,
        Command::Security(cmd) => security::run(cmd, ctx).await,
        Command::Silence(cmd) => silence::run(cmd, ctx).await,
        other => Err(Error::Internal(format!(
            "{other:?} is not a command that changes things"
        ))),
    }
}

/// How to run a change, from its flags. Whether it waits by default is the action's to say
/// (`Action::verifies`); `--no-wait` never waits.
pub fn execute_options(args: &crate::cli::ChangeArgs) -> crate::change::ExecuteOptions {
    crate::change::ExecuteOptions {
        dry_run: args.dry_run,
        yes: args.yes,
        confirm_name: args.confirm.clone(),
        incident: args.incident.clone(),
        wait: (!args.no_wait).then_some(args.wait_timeout.0),
        runbook: args.runbook.clone(),
    }
}
