//! `incidentctl runbook …`: runbooks as data, shown live and run step by step.

use super::ChangeArgs;
use clap::{Args, Subcommand};

pub(super) const RUNBOOK_AFTER_HELP: &str = "\
A runbook is data: symptoms, investigation steps (checks), resolution steps (an incidentctl
action with its arguments, and when it applies) and verification (checks and the level each must
be at). The seed's five are built in (app-down, database, error-rate, performance, security); a
team adds its own with [[runbook]] tables in the config file or in the files of runbooks_dir
(docs/runbooks.md). `diagnose NAME` runs a runbook's investigation.

Examples:
  incidentctl runbook list
  incidentctl runbook show app-down                  # live: what applies now, and why
  incidentctl runbook show app-down -o markdown      # the wiki page, from the same definition
  incidentctl runbook run payments-backlog --dry-run # every step's plan; nothing changes
  incidentctl runbook run payments-backlog --step 1 --yes --incident INC-20261126-001";

#[derive(Debug, Subcommand)]
pub enum RunbookCommand {
    /// Every runbook, built in and the team's, with where each is defined
    #[command(
        after_help = "Examples:\n  incidentctl runbook list\n  incidentctl runbook list -o json | jq '.[].name'"
    )]
    List,

    /// A runbook as a page: each investigation step's live status, which resolution steps apply
    /// now and why, the exact command of each, and the verification
    #[command(
        after_help = "The investigation's checks (and those the steps' conditions and the verification name) run as
diagnose runs them; nothing is changed. -o json gives the same page as data; -o markdown gives
the definition as a page to paste into a wiki (no live status: a wiki page outlives the
incident), so the wiki and the tool cannot drift apart.

Exit codes: 0 shown (whatever the checks say), 64 no such runbook, 78 configuration.

Examples:
  incidentctl runbook show app-down
  incidentctl runbook show payments-backlog -o json | jq '.resolve[] | select(.applies)'
  incidentctl runbook show app-down -o markdown > wiki/app-down.md
  incidentctl runbook show security --set cidr=198.51.100.7"
    )]
    Show(RunbookShowArgs),

    /// Walk a runbook's resolution steps, each through its command's own plan, confirmation,
    /// apply, verification and audit; then its verification
    #[command(after_help = concat!("The investigation runs first and decides which steps apply now; a step that does not apply is
skipped and said (--step N runs that one step whatever its condition). Each step is the command
it names, run as if typed, with this command's --dry-run, --yes, --confirm, --incident, --wait,
--no-wait and --wait-timeout: the same plan, dry run, confirmation, preconditions,
verification, audit line and undo, so a runbook can do nothing that command cannot. A step that
fails stops the walk. On a terminal each step asks y/N (a no skips that step); without a
terminal nothing runs unless --yes is given. --dry-run walks every step, applicable or not, and
changes nothing.

Afterwards the runbook's verification checks run (again every few seconds, up to
--wait-timeout, while a step applied has yet to show) and say whether the symptoms are gone.
With --incident, every step is in the audit log with the runbook and step, so on the incident's
timeline, and the run's outcome is a timeline entry (not with --dry-run).

Exit codes: 0 done and the symptoms gone (or a dry run), 13 the symptoms are not gone; a step's
own code when it failed or was refused (10, 11, 12, 14, 66, 69, 73, 77); 64 usage, 78
configuration.

Examples:
  incidentctl runbook run app-down --dry-run
  incidentctl runbook run app-down                          # asks before each step
  incidentctl runbook run payments-backlog --yes --incident INC-20261126-001
  incidentctl runbook run database --step 1 --yes
  incidentctl runbook run security --set cidr=198.51.100.7 --step 1

", change_help!()))]
    Run(RunbookRunArgs),
}

#[derive(Debug, Clone, Args)]
pub struct RunbookShowArgs {
    /// The runbook (runbook list)
    #[arg(value_name = "NAME", add = clap_complete::ArgValueCandidates::new(crate::cli::completion::runbook_names))]
    pub name: String,

    /// A value for one of the runbook's params, shown in its steps' commands
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = param_value)]
    pub set: Vec<(String, String)>,
}

#[derive(Debug, Clone, Args)]
pub struct RunbookRunArgs {
    /// The runbook (runbook list)
    #[arg(value_name = "NAME", add = clap_complete::ArgValueCandidates::new(crate::cli::completion::runbook_names))]
    pub name: String,

    /// Only this resolution step (1 is the first), whether or not it applies now
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..), add = clap_complete::ArgValueCandidates::new(crate::cli::completion::runbook_steps))]
    pub step: Option<u16>,

    /// A value for one of the runbook's params, used in its steps (repeat for several)
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = param_value)]
    pub set: Vec<(String, String)>,

    #[command(flatten)]
    pub change: ChangeArgs,
}

/// `cidr=198.51.100.7`
fn param_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err("expected NAME=VALUE (cidr=198.51.100.7)".into()),
    }
}
