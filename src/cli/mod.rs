//! The command tree and its flags: clap types only, no behaviour. One file per noun; what every
//! command shares (global flags, the flags of a change) is here.

use crate::settings::{ObjectNames, Overrides};
pub use crate::types::output::{FailOn, OutputFormat};
use crate::types::Dur;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// What every changing command shares, appended to its --help.
macro_rules! change_help {
    () => {
        "Every change is a plan first: it is printed, then confirmed on a terminal (y/N). Without a terminal
(CI, cron, a pipe) nothing is changed unless --yes is given. --dry-run prints the plan, has the API
server validate it (server-side dry run) and changes nothing. Every applied, dry-run and refused
change is appended to the audit log (audit.path, INCIDENTCTL_AUDIT_LOG, default
$XDG_STATE_HOME/incidentctl/audit.jsonl); if it cannot be written, nothing is applied.

Exit codes: 0 done (or dry run), 10 not confirmed, 11 the object changed since the plan (nothing
applied), 12 some targets failed, 13 applied but not verified in time, 14 accepted but not in
effect (something put the value back), 64 usage, 66 not found, 69 server unavailable (or the
outcome unknown), 73 audit log unwritable, 77 permission denied, 78 configuration."
    };
}

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
  14  accepted by the server, but not in effect (a webhook or controller put it back)
  66  a named object (deployment, table, policy) does not exist
  69  a server the command needs is unavailable
  70  internal error (a bug: please report it)
  73  the audit log cannot be written: nothing applied
  77  permission denied by the server
  78  configuration error: a bad config file, key or environment variable
  101 incidentctl panicked (a bug: please report it)
  130 interrupted (Ctrl-C)

Files:
  ./incidentctl.toml, $XDG_CONFIG_HOME/incidentctl/config.toml   configuration (read only when
                                                                  yours and not writable by others)
  $XDG_STATE_HOME/incidentctl/audit.jsonl                         audit log of every change
  $XDG_STATE_HOME/incidentctl/fingerprint.key                     key of `security config` fingerprints
  $XDG_DATA_HOME/incidentctl/incidents/                           incident store (report)

Environment:
  INCIDENTCTL_CONFIG, INCIDENTCTL_NAMESPACE, INCIDENTCTL_TIMEOUT, INCIDENTCTL_OUTPUT,
  INCIDENTCTL_POSTGRES_URL, INCIDENTCTL_REDIS_URL, INCIDENTCTL_PROMETHEUS_URL,
  INCIDENTCTL_ALERTMANAGER_URL, INCIDENTCTL_AUDIT_LOG, INCIDENTCTL_INCIDENT,
  INCIDENTCTL_REPORT_STORE, INCIDENTCTL_NOW, SLACK_WEBHOOK_URL, PGPASSWORD, KUBECONFIG, NO_COLOR

Examples:
  incidentctl diagnose                      # every runbook's checks, as a table
  incidentctl diagnose database performance # only these runbooks
  incidentctl runbook show app-down         # the runbook, live: what applies now, and why
  incidentctl runbook run app-down --dry-run  # every step's plan, nothing changed
  incidentctl diagnose -o json | jq .summary
  incidentctl restart backend --dry-run     # plan and server-side validation, no change
  incidentctl scale backend --replicas 5    # shows 2 -> 5, asks, applies, waits
  incidentctl config show                   # resolved settings, secrets redacted";

// After change_help!, so the nouns' files can use it.
mod cache;
pub mod completion;
mod db;
mod diagnose;
mod report;
mod runbook;
mod security;
mod silence;
pub mod step;
mod workloads;

pub use cache::*;
pub use db::*;
pub use diagnose::*;
pub use report::*;
pub use runbook::*;
pub use security::*;
pub use silence::*;
pub use workloads::*;

#[derive(Debug, Parser)]
#[command(name = "incidentctl", version = env!("INCIDENTCTL_VERSION"), about = ABOUT, after_help = AFTER_HELP)]
#[command(propagate_version = true, arg_required_else_help = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes. Their final names: scripts depend on them.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// Config file (TOML), read whoever owns it. Default: ./incidentctl.toml, else
    /// $XDG_CONFIG_HOME/incidentctl/config.toml, each only when yours and not writable by others
    #[arg(long, global = true, value_name = "FILE", env = "INCIDENTCTL_CONFIG", value_hint = clap::ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    /// Kubernetes context from the kubeconfig (default: its current context); diagnose takes it
    /// more than once to check several clusters
    #[arg(long, global = true, value_name = "NAME", add = clap_complete::ArgValueCandidates::new(crate::cli::completion::contexts))]
    pub context: Vec<String>,

    /// Namespace of the application (default: reconciliation)
    #[arg(
        short = 'n',
        long,
        global = true,
        value_name = "NS",
        env = "INCIDENTCTL_NAMESPACE",
        add = clap_complete::ArgValueCandidates::new(crate::cli::completion::namespaces)
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
    pub timeout: Option<Dur>,

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

impl GlobalArgs {
    /// What the flags say, for settings to lay over the config file and the environment.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            contexts: self.context.clone(),
            namespace: self.namespace.clone(),
            output: self.output,
            timeout: self.timeout,
            quiet: self.quiet,
            verbose: self.verbose,
            no_color: self.no_color,
            objects: ObjectNames::default(),
        }
    }
}

/// The app's objects by name, kubectl-style: over the config file, and never looked for. Left
/// out, a name comes from the config file, else the seed's default if that object exists, else
/// from the object's relation to the app's pods (discovery).
#[derive(Debug, Clone, Default, Args)]
pub struct ObjectArgs {
    /// An app deployment (repeat for several)
    #[arg(long = "deployment", value_name = "NAME", value_parser = object_name, add = clap_complete::ArgValueCandidates::new(crate::cli::completion::deployments))]
    pub deployments: Vec<String>,
    /// The app's ingress
    #[arg(long, value_name = "NAME", value_parser = object_name)]
    pub ingress: Option<String>,
    /// The app's configmap
    #[arg(long, value_name = "NAME", value_parser = object_name)]
    pub configmap: Option<String>,
    /// The app's secret (its keys only are ever read out)
    #[arg(long, value_name = "NAME", value_parser = object_name)]
    pub secret: Option<String>,
    /// The app's network policy
    #[arg(long, value_name = "NAME", value_parser = object_name)]
    pub policy: Option<String>,
}

impl ObjectArgs {
    pub fn names(&self) -> ObjectNames {
        ObjectNames {
            deployments: self.deployments.clone(),
            ingress: self.ingress.clone(),
            configmap: self.configmap.clone(),
            secret: self.secret.clone(),
            network_policy: self.policy.clone(),
        }
    }
}

/// A Kubernetes object name, checked where it is typed.
pub(crate) fn object_name(s: &str) -> Result<String, String> {
    if crate::settings::is_dns_subdomain(s) {
        Ok(s.to_string())
    } else {
        Err("not a Kubernetes name: lower-case letters, digits, '-' and '.', at most 253 characters".into())
    }
}

impl Command {
    /// The flags of a change, when this command is one: what makes a command an action a
    /// runbook step may name, and where `runbook run` puts its own --yes, --dry-run and
    /// --incident.
    pub fn change_args_mut(&mut self) -> Option<&mut ChangeArgs> {
        match self {
            Command::Restart(a) => Some(&mut a.change),
            Command::Scale(a) => Some(&mut a.change),
            Command::Rollback(a) => Some(&mut a.change),
            Command::Db(DbCommand::KillQueries(a)) => Some(&mut a.change),
            Command::Db(DbCommand::PoolSize(a)) => Some(&mut a.change),
            Command::Db(DbCommand::Analyze(a) | DbCommand::Restart(a)) => Some(&mut a.change),
            Command::Db(DbCommand::Reindex(a)) => Some(&mut a.change),
            Command::Cache(CacheCommand::Flush(a)) => Some(&mut a.change),
            Command::Security(SecurityCommand::BlockIp(a) | SecurityCommand::UnblockIp(a)) => {
                Some(&mut a.change)
            }
            Command::Security(SecurityCommand::ResetSessions(a)) => Some(&mut a.change),
            Command::Security(SecurityCommand::LogLevel(a)) => Some(&mut a.change),
            Command::Silence(SilenceCommand::Add(a)) => Some(&mut a.change),
            Command::Silence(SilenceCommand::Expire { change, .. }) => Some(change),
            _ => None,
        }
    }

    /// The object names this command was given on its command line.
    pub fn object_names(&self) -> ObjectNames {
        match self {
            Command::Diagnose(a) => a.objects.names(),
            Command::Doctor { objects, .. } => objects.names(),
            Command::Config(ConfigCommand::Show { objects }) => objects.names(),
            Command::Security(SecurityCommand::BlockIp(a) | SecurityCommand::UnblockIp(a)) => {
                ObjectNames {
                    network_policy: a.policy.clone(),
                    ..ObjectNames::default()
                }
            }
            Command::Security(SecurityCommand::Config(a)) => ObjectNames {
                configmap: a.configmap.clone(),
                secret: a.secret.clone(),
                ..ObjectNames::default()
            },
            _ => ObjectNames::default(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every runbook's investigation steps at once and suggest a severity
    #[command(after_help = DIAGNOSE_AFTER_HELP, args_conflicts_with_subcommands = true)]
    Diagnose(DiagnoseArgs),

    /// Rolling restart of app deployments (kubectl rollout restart), then wait for the rollout
    #[command(after_help = RESTART_AFTER_HELP)]
    Restart(RestartArgs),

    /// Set a deployment's replica count (kubectl scale), then wait for the replicas to be ready
    #[command(after_help = SCALE_AFTER_HELP)]
    Scale(ScaleArgs),

    /// Return a deployment to an earlier revision's pod template (kubectl rollout undo), then wait
    #[command(after_help = ROLLBACK_AFTER_HELP)]
    Rollback(RollbackArgs),

    /// Database resolution steps: kill long queries, pool size, analyze, reindex, restart
    #[command(
        after_help = "Examples:\n  incidentctl db kill-queries --dry-run\n  incidentctl db pool-size 20\n  incidentctl db reindex --concurrently --yes"
    )]
    #[command(subcommand)]
    Db(DbCommand),

    /// Cache resolution steps: flush keys, a database, or everything
    #[command(after_help = "Examples:\n  incidentctl cache flush --pattern 'session:*' --dry-run")]
    #[command(subcommand)]
    Cache(CacheCommand),

    /// Security resolution steps: block IPs, reset sessions, log level, inspect config safely
    #[command(
        after_help = "Examples:\n  incidentctl security block-ip 198.51.100.7 --dry-run\n  incidentctl security config"
    )]
    #[command(subcommand)]
    Security(SecurityCommand),

    /// Alertmanager silences: add, list, expire (make the pager stop while you work)
    #[command(
        after_help = "Examples:\n  incidentctl silence add -m alertname=HighErrorRate --duration 1h --comment 'fix rolling out'\n  incidentctl silence list\n  incidentctl silence expire ID --yes"
    )]
    #[command(subcommand)]
    Silence(SilenceCommand),

    /// Runbooks, built in and the team's: list them, show one live, run its resolution steps
    #[command(after_help = RUNBOOK_AFTER_HELP)]
    #[command(subcommand)]
    Runbook(RunbookCommand),

    /// The incident itself: severity, timeline, clocks, Slack updates and the post-mortem report
    Report(ReportArgs),

    /// Check the set-up before the incident: reachability, credentials, privileges, webhook
    #[command(
        after_help = "Checks, with the configured TLS and credentials: the Kubernetes API server and every permission
incidentctl uses (SelfSubjectAccessReview per verb and resource, as in examples/kubernetes/rbac-*.yaml);
PostgreSQL login, the pg_monitor and pg_signal_backend roles, pg_stat_statements; Redis; Prometheus;
Alertmanager; the Slack webhook (reached without posting; --send-test posts one message); each
notification route (SMTP up to login then QUIT, PagerDuty and webhooks reached, the Statuspage
page read with its key: nothing is sent) and the audiences no route reaches; the audit log; a
config file holding secrets readable by others. One row per requirement, with the
fix when it fails. Exit codes as diagnose: 0 ready, 1 warnings, 2 something critical is missing,
3 could not tell.

Examples:
  incidentctl doctor
  incidentctl doctor -o json | jq '.[] | select(.status != \"ok\")'
  incidentctl doctor --send-test"
    )]
    Doctor {
        /// Post a test message to the Slack webhook
        #[arg(long)]
        send_test: bool,
        #[command(flatten)]
        objects: ObjectArgs,
    },

    /// Inspect incidentctl's own configuration
    #[command(after_help = "Examples:\n  incidentctl config show")]
    #[command(subcommand)]
    Config(ConfigCommand),

    /// Print a shell completion script
    #[command(after_help = "Examples:
  incidentctl completion bash > /etc/bash_completion.d/incidentctl
  incidentctl completion zsh > \"${fpath[1]}/_incidentctl\"
  incidentctl completion fish > ~/.config/fish/completions/incidentctl.fish
  source <(incidentctl completion bash)          # this shell only")]
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Write the man pages and completion scripts into a directory (for packagers)
    #[command(hide = true)]
    GenerateDocs {
        /// Writes DIR/man/*.1 and DIR/completions/*
        #[arg(value_hint = clap::ValueHint::DirPath)]
        dir: std::path::PathBuf,
    },
}

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
    pub wait_timeout: Dur,

    /// The runbook step this change is made as (`runbook run`): never a flag.
    #[arg(skip)]
    pub runbook: Option<crate::types::runbook::StepRef>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the resolved settings (file, environment and flags merged), secrets redacted
    #[command(
        after_help = "Shows, when the cluster answers, the app's objects as found (named, default or discovered).

Examples:\n  incidentctl config show\n  incidentctl config show -o json | jq .postgres\n  incidentctl config show -n payments"
    )]
    Show {
        #[command(flatten)]
        objects: ObjectArgs,
    },
}

#[cfg(test)]
mod tests {
    /// clap's own consistency checks (cargo's `verify_cli`): duplicate flags or short names,
    /// a default that is not among the possible values, a `requires` naming no argument, and
    /// the like panic here instead of on the first user who types that subcommand.
    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
