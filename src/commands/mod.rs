//! One module per command: each parses nothing (clap did), runs library code, renders once.

pub mod cache;
pub mod config;
pub mod db;
pub mod diagnose;
pub mod docs;
pub mod doctor;
pub mod escalate;
pub mod report;
pub mod restart;
pub mod rollback;
pub mod scale;
pub mod security;
pub mod silence;
pub mod watch;

/// How to run a change, from its flags. Whether it waits by default is the action's to say
/// (`Action::verifies`); `--no-wait` never waits.
pub fn execute_options(args: &crate::cli::ChangeArgs) -> crate::change::ExecuteOptions {
    crate::change::ExecuteOptions {
        dry_run: args.dry_run,
        yes: args.yes,
        confirm_name: args.confirm.clone(),
        incident: args.incident.clone(),
        wait: (!args.no_wait).then_some(args.wait_timeout.0),
    }
}
