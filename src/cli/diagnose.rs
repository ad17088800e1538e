//! `incidentctl diagnose`: the runbooks' investigation steps.

use super::{FailOn, ObjectArgs};
use crate::types::Dur;
use clap::{Args, Subcommand};
use std::path::PathBuf;

pub(super) const DIAGNOSE_AFTER_HELP: &str = "\
Runbooks:
  app-down     pods, deployments, ingress, endpoints, events, recent rollouts, PostgreSQL and Redis
               reachability
  database     connections, long-running queries, slow queries, replication, locks
  error-rate   5xx ratio, ERROR lines in app logs, Warning events, recent rollouts, firing alerts,
               config and secret
  performance  p95 latency, pod and node resources, disk, Redis memory, slow queries, locks
  security     401/403 and auth lines in logs, 403 rate, audit_logs, the network policy
  (and the team's own: [[runbook]] in the config, `incidentctl runbook list`)

Every selected check runs concurrently, each within --timeout; a check shared by two runbooks runs
once. A target that is down or hangs makes its own checks unknown (critical where reachability is
the check) and never hides the other results.

Exit codes (Nagios convention):
  0 all ok, 1 worst is warning, 2 worst is critical, 3 unknown (nothing critical, some check could
  not run). 64 usage error, 78 configuration error.

Examples:
  incidentctl diagnose
  incidentctl diagnose app-down database
  incidentctl diagnose -o json | jq '.checks[] | select(.status != \"ok\")'
  incidentctl diagnose -o markdown > findings.md
  INCIDENTCTL_POSTGRES_URL=postgres://monitor@db.internal/app incidentctl diagnose database
  incidentctl diagnose --timeout 2s -q || page-oncall
  incidentctl diagnose security --list      # which checks a runbook runs
  incidentctl diagnose --fail-on critical -o junit > diagnose.xml   # CI gate
  incidentctl diagnose -o prometheus > /var/lib/node_exporter/incidentctl.prom
  incidentctl diagnose -o nagios            # one line with perfdata, for Nagios/Icinga
  incidentctl diagnose --context prod-eu --context prod-us   # several clusters at once
  incidentctl diagnose --all-contexts -o json
  incidentctl diagnose -o json > before.json   # later: what is new since then?
  incidentctl diagnose --baseline before.json --fail-on-new || page-oncall
  incidentctl diagnose diff before.json after.json
  incidentctl diagnose --watch --until ok      # is my fix working? exits 0 once all is ok
  incidentctl diagnose --explain               # each likely cause: its evidence, why it ranks there
  incidentctl diagnose --capture evidence/ --incident INC-20261126-001   # keep it before it expires
  incidentctl diagnose database --watch --interval 30s --watch-timeout 15m

Comparing (--baseline, diff, --watch): each check is new (a problem now, not before), worse,
same, better, resolved, or gone (not run this time). With --fail-on-new the exit code counts only
new and worse findings, so a cron job pages on a change, not on a problem already known.
`diagnose diff` exits as --fail-on-new would.

Likely causes: when the symptoms (5xx rate, p95, promql [[check]]s, alerts) began over the last
6 h, and what may have caused it, ranked from the checks' evidence: what came before the onset,
closest first; a kind that can cause the symptom above one that cannot; then the worse status.
Each names the command that confirms or undoes it. No evidence: no suspects.

Watching: one run at a time, the next one --interval after the last one started (at once when a
run takes longer, which is said). On a terminal the table is redrawn in place; otherwise one line
per change. --until exits 0 once every check is at or below the level; --watch-timeout exits with
the last run's own code.";

#[derive(Debug, Clone, Args)]
pub struct DiagnoseArgs {
    /// Runbooks to investigate, built-in or the team's (default: all)
    #[arg(value_name = "RUNBOOK", add = clap_complete::ArgValueCandidates::new(crate::cli::completion::runbook_names))]
    pub runbooks: Vec<String>,

    /// List the checks these runbooks would run, without running them
    #[arg(long)]
    pub list: bool,

    /// Under the table, each likely cause's full evidence and why it ranks where it does
    #[arg(long, conflicts_with = "list")]
    pub explain: bool,

    /// Run only this check (repeat for several), built-in or declared with [[check]]
    #[arg(long = "check", value_name = "ID", add = clap_complete::ArgValueCandidates::new(crate::cli::completion::check_ids))]
    pub checks: Vec<String>,

    /// Attach the findings to this incident (evidence file and a timeline entry)
    #[arg(long, value_name = "ID", env = "INCIDENTCTL_INCIDENT")]
    pub incident: Option<String>,

    /// Diagnose every context of the kubeconfig (concurrently, results grouped by context)
    #[arg(long, conflicts_with = "list")]
    pub all_contexts: bool,

    /// Exit 0 unless a check reaches this level (unknown always fails); marks JUnit failures
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,

    /// Save the evidence (events, pods, logs of unhealthy pods, sessions, locks, INFO, alerts,
    /// queries) into this new directory (created private; an existing path is refused),
    /// redacted, with a manifest of sha256 hashes
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath, conflicts_with_all = ["list", "all_contexts", "watch"])]
    pub capture: Option<PathBuf>,

    /// Compare with a run saved by `diagnose -o json`: new, worse, same, better or resolved
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath, conflicts_with_all = ["list", "all_contexts", "watch"])]
    pub baseline: Option<PathBuf>,

    /// With --baseline: the exit code counts only new and worse findings
    #[arg(long, requires = "baseline")]
    pub fail_on_new: bool,

    /// Run again and again, showing what changed since the last run (Ctrl-C to stop)
    #[arg(long, conflicts_with_all = ["list", "all_contexts"])]
    pub watch: bool,

    /// With --watch: time from the start of one run to the start of the next
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "10s",
        requires = "watch"
    )]
    pub interval: Dur,

    /// With --watch: exit 0 as soon as every check is at or below this level
    #[arg(long, value_enum, value_name = "LEVEL", requires = "watch")]
    pub until: Option<UntilLevel>,

    /// With --watch: stop after this long, with the last run's exit code
    #[arg(long, value_name = "DURATION", requires = "watch")]
    pub watch_timeout: Option<Dur>,

    #[command(flatten)]
    pub objects: ObjectArgs,

    #[command(subcommand)]
    pub action: Option<DiagnoseAction>,
}

pub use crate::types::output::UntilLevel;

#[derive(Debug, Clone, Subcommand)]
pub enum DiagnoseAction {
    /// Compare two runs saved by `diagnose -o json`: what is new, worse, better, resolved
    #[command(
        after_help = "Exit codes: 0 nothing new or worse; else the worst status among new and worse findings
(1 warning, 2 critical, 3 unknown). 65 a file is not a saved diagnosis, 66 a file is missing.

Examples:
  incidentctl diagnose diff before.json after.json
  incidentctl diagnose diff before.json after.json -o markdown >> incident.md
  incidentctl diagnose diff before.json after.json --all   # unchanged checks too"
    )]
    Diff {
        /// The earlier run
        #[arg(value_hint = clap::ValueHint::FilePath)]
        old: PathBuf,
        /// The later run
        #[arg(value_hint = clap::ValueHint::FilePath)]
        new: PathBuf,
        /// List every check, not only those that changed
        #[arg(long)]
        all: bool,
    },
}
