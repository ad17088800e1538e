//! The command tree and its flags: clap types only, no behaviour.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const ABOUT: &str = "Incident runbooks as fast, safe, scriptable commands for on-call engineers.";

const AFTER_HELP: &str = "\
Exit codes:
  0   OK: every check passed
  1   WARNING: the worst finding is a warning
  2   CRITICAL: at least one check is critical
  3   UNKNOWN: nothing critical, but some check could not run
  64  usage error: a bad flag, argument or value
  70  internal error (a bug: please report it)
  78  configuration error: a bad config file, key or environment variable
  130 interrupted (Ctrl-C)

Environment:
  INCIDENTCTL_CONFIG, INCIDENTCTL_NAMESPACE, INCIDENTCTL_TIMEOUT, INCIDENTCTL_OUTPUT,
  INCIDENTCTL_POSTGRES_URL, INCIDENTCTL_REDIS_URL, INCIDENTCTL_PROMETHEUS_URL,
  INCIDENTCTL_ALERTMANAGER_URL, PGPASSWORD, KUBECONFIG, NO_COLOR

Examples:
  incidentctl diagnose                      # every runbook's checks, as a table
  incidentctl diagnose database performance # only these runbooks
  incidentctl diagnose -o json | jq .summary
  incidentctl config show                   # resolved settings, secrets redacted";

#[derive(Debug, Parser)]
#[command(name = "incidentctl", version, about = ABOUT, after_help = AFTER_HELP)]
#[command(propagate_version = true, arg_required_else_help = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes. Their final names: scripts depend on them.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml
    #[arg(long, global = true, value_name = "FILE", env = "INCIDENTCTL_CONFIG")]
    pub config: Option<PathBuf>,

    /// Kubernetes context from the kubeconfig (default: its current context)
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// Namespace of the application (default: reconciliation)
    #[arg(
        short = 'n',
        long,
        global = true,
        value_name = "NS",
        env = "INCIDENTCTL_NAMESPACE"
    )]
    pub namespace: Option<String>,

    /// Output format
    #[arg(
        short = 'o',
        long,
        global = true,
        value_enum,
        env = "INCIDENTCTL_OUTPUT"
    )]
    pub output: Option<OutputFormat>,

    /// Time limit for each check or request, e.g. 5s, 1500ms, 1m (default: 5s)
    #[arg(
        long,
        global = true,
        value_name = "DURATION",
        env = "INCIDENTCTL_TIMEOUT"
    )]
    pub timeout: Option<String>,

    /// Print only the results: no progress, hints or notes on stderr
    #[arg(short = 'q', long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Show every piece of evidence and where settings came from
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,

    /// Never colour the output (NO_COLOR is honoured too)
    #[arg(long, global = true)]
    pub no_color: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// One row per check, for people
    Table,
    /// One JSON document (schema incidentctl.diagnose/v1), for scripts
    Json,
    /// Markdown to paste into an incident channel or report
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every runbook's investigation steps at once and suggest a severity
    #[command(after_help = DIAGNOSE_AFTER_HELP)]
    Diagnose(DiagnoseArgs),

    /// Inspect incidentctl's own configuration
    #[command(subcommand)]
    Config(ConfigCommand),
}

const DIAGNOSE_AFTER_HELP: &str = "\
Runbooks:
  app-down     pods, deployments, ingress, endpoints, events, PostgreSQL and Redis reachability
  database     connections, long-running queries, slow queries, replication, locks
  error-rate   5xx ratio, ERROR lines in app logs, Warning events, firing alerts, config and secret
  performance  p95 latency, pod and node resources, disk, Redis memory, slow queries, locks
  security     401/403 and auth lines in logs, 403 rate, audit_logs, the network policy

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
  incidentctl diagnose security --list      # which checks a runbook runs";

#[derive(Debug, Clone, Args)]
pub struct DiagnoseArgs {
    /// Runbooks to investigate (default: all)
    #[arg(value_enum, value_name = "RUNBOOK")]
    pub runbooks: Vec<RunbookArg>,

    /// List the checks these runbooks would run, without running them
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunbookArg {
    AppDown,
    Database,
    ErrorRate,
    Performance,
    Security,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the resolved settings (file, environment and flags merged), secrets redacted
    #[command(
        after_help = "Examples:\n  incidentctl config show\n  incidentctl config show -o json | jq .postgres"
    )]
    Show,
}
