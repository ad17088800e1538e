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
  10  a change was not confirmed (no terminal and no --yes, or answered no)
  11  the object changed since the plan was made: nothing applied
  12  some targets failed, others were changed
  13  applied, but not seen to complete within --wait-timeout
  66  a named object (deployment, table, policy) does not exist
  69  a server the command needs is unavailable
  70  internal error (a bug: please report it)
  73  the audit log cannot be written: nothing applied
  77  permission denied by the server
  78  configuration error: a bad config file, key or environment variable
  130 interrupted (Ctrl-C)

Environment:
  INCIDENTCTL_CONFIG, INCIDENTCTL_NAMESPACE, INCIDENTCTL_TIMEOUT, INCIDENTCTL_OUTPUT,
  INCIDENTCTL_POSTGRES_URL, INCIDENTCTL_REDIS_URL, INCIDENTCTL_PROMETHEUS_URL,
  INCIDENTCTL_ALERTMANAGER_URL, INCIDENTCTL_AUDIT_LOG, INCIDENTCTL_INCIDENT, PGPASSWORD,
  KUBECONFIG, NO_COLOR

Examples:
  incidentctl diagnose                      # every runbook's checks, as a table
  incidentctl diagnose database performance # only these runbooks
  incidentctl diagnose -o json | jq .summary
  incidentctl restart backend --dry-run     # plan and server-side validation, no change
  incidentctl scale backend --replicas 5    # shows 2 -> 5, asks, applies, waits
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

    /// Rolling restart of app deployments (kubectl rollout restart), then wait for the rollout
    #[command(after_help = RESTART_AFTER_HELP)]
    Restart(RestartArgs),

    /// Set a deployment's replica count (kubectl scale), then wait for the replicas to be ready
    #[command(after_help = SCALE_AFTER_HELP)]
    Scale(ScaleArgs),

    /// Inspect incidentctl's own configuration
    #[command(subcommand)]
    Config(ConfigCommand),
}

/// What every changing command shares, appended to its --help.
macro_rules! change_help {
    () => {
        "Every change is a plan first: it is printed, then confirmed on a terminal (y/N). Without a terminal
(CI, cron, a pipe) nothing is changed unless --yes is given. --dry-run prints the plan, has the API
server validate it (server-side dry run) and changes nothing. Every applied, dry-run and refused
change is appended to the audit log (audit.path, INCIDENTCTL_AUDIT_LOG, default
$XDG_STATE_HOME/incidentctl/audit.jsonl); if it cannot be written, nothing is applied.

Exit codes: 0 done (or dry run), 10 not confirmed, 11 the object changed since the plan (nothing
applied), 12 some targets failed, 13 applied but not verified in time, 64 usage, 66 not found,
69 server unavailable, 73 audit log unwritable, 77 permission denied, 78 configuration."
    };
}

const RESTART_AFTER_HELP: &str = concat!("Replaces: kubectl rollout restart deployment/backend -n reconciliation (Runbooks 1 and 3)

Sets the pod template annotation kubectl.kubernetes.io/restartedAt, as kubectl does, with the
deployment's resourceVersion as a precondition, then waits (up to --wait-timeout) until the
rollout is complete: observedGeneration caught up, and updated, ready and available replicas
equal to the desired count.

", "Examples:
  incidentctl restart --dry-run                 # the app deployments (backend, frontend)
  incidentctl restart backend                   # asks y/N on a terminal
  incidentctl restart backend --yes --incident INC-20261126-001
  incidentctl restart backend --no-wait -o json

", change_help!());

const SCALE_AFTER_HELP: &str = concat!("Replaces: kubectl scale deployment backend --replicas=5 -n reconciliation (Runbooks 1, 3, 4)

Shows current -> new replicas; applies with the current count as a precondition (as kubectl's
--current-replicas), so a plan made stale by someone else fails instead of clobbering; waits
until the new count is ready. The count must be within actions.scale_min..scale_max (1..50 by
default); 0 needs --allow-zero.

Examples:
  incidentctl scale backend --replicas 5 --dry-run
  incidentctl scale backend --replicas 5
  incidentctl scale frontend --replicas 3 --yes --incident INC-20261126-001
  incidentctl scale backend --replicas 0 --allow-zero --yes

", change_help!());

/// How a change is confirmed, previewed, waited for and recorded.
#[derive(Debug, Clone, Args)]
pub struct ChangeArgs {
    /// Show the plan and validate it server-side; change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Apply without asking (needed when there is no terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// For the most destructive changes without a terminal: the target's name, repeated
    #[arg(long, value_name = "NAME")]
    pub confirm: Option<String>,

    /// Incident id recorded with the change in the audit log
    #[arg(long, value_name = "ID", env = "INCIDENTCTL_INCIDENT")]
    pub incident: Option<String>,

    /// Wait for the change to complete (the default where it applies)
    #[arg(long, conflicts_with = "no_wait")]
    pub wait: bool,

    /// Do not wait for the change to complete
    #[arg(long)]
    pub no_wait: bool,

    /// How long to wait for the change to complete
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub wait_timeout: String,
}

#[derive(Debug, Clone, Args)]
pub struct RestartArgs {
    /// Deployments to restart (default: the configured app deployments)
    #[arg(value_name = "DEPLOYMENT")]
    pub deployments: Vec<String>,

    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ScaleArgs {
    /// The deployment to scale
    #[arg(value_name = "DEPLOYMENT")]
    pub deployment: String,

    /// The new replica count
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub replicas: i64,

    /// Allow scaling to 0 replicas (takes the app down)
    #[arg(long)]
    pub allow_zero: bool,

    #[command(flatten)]
    pub change: ChangeArgs,
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
