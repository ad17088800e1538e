//! `incidentctl security …`: the Security runbook's resolution steps.

use super::ChangeArgs;
use crate::types::Dur;
use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum SecurityCommand {
    /// Block an IP or CIDR in the app's NetworkPolicy, keeping every other rule (Runbook 5)
    #[command(after_help = concat!("Replaces: kubectl patch networkpolicy reconciliation-network-policy -p '{\"spec\":{\"ingress\":[...]}}'
(Runbook 5), which replaces every ingress rule. This adds the CIDR to the except list of the
ipBlock rules that allow it, with a JSON patch guarded by the resourceVersion; it shows the rule
diff first, refuses an invalid CIDR or one that would block a whole allowed range.

Examples:
  incidentctl security block-ip 198.51.100.7 --dry-run
  incidentctl security block-ip 198.51.100.0/24 --yes --incident INC-20261126-001

", change_help!()))]
    BlockIp(CidrArgs),

    /// Remove a blocked IP or CIDR from the NetworkPolicy's except lists (undoes block-ip)
    #[command(after_help = concat!("Examples:
  incidentctl security unblock-ip 198.51.100.7 --dry-run
  incidentctl security unblock-ip 198.51.100.7 --yes

", change_help!()))]
    UnblockIp(CidrArgs),

    /// Delete sessions older than a limit, in one transaction (Runbook 5)
    #[command(after_help = concat!("Replaces: DELETE FROM sessions WHERE created_at < now() - interval '1 hour'; (Runbook 5).
Shows the count first, runs in one transaction, and needs the table name typed (or --yes
--confirm TABLE). Table and column: actions.sessions_table / actions.sessions_column.

Examples:
  incidentctl security reset-sessions --dry-run
  incidentctl security reset-sessions --older-than 30m --yes --confirm sessions

", change_help!()))]
    ResetSessions(ResetSessionsArgs),

    /// Set LOG_LEVEL on the backend deployment (Runbook 5)
    #[command(after_help = concat!("Replaces: kubectl patch deployment backend -p '{...\"env\":[{\"name\":\"LOG_LEVEL\",\"value\":\"debug\"}]...}' (Runbook 5).
Only that variable changes; prints the command that sets the previous level back.

Examples:
  incidentctl security log-level debug --dry-run
  incidentctl security log-level info --yes

", change_help!()))]
    LogLevel(LogLevelArgs),

    /// Show the app's configmap, and its secret's keys with value fingerprints (never values)
    #[command(
        after_help = "Replaces: kubectl get configmap/secret -o yaml (Runbook 3), which prints every secret value.
Each secret value is shown only as sha256:<12 hex digits> (length): enough to compare two
environments, useless to recover the value. Changes nothing.

Examples:
  incidentctl security config
  incidentctl security config -o json | jq .secret_keys
  incidentctl security config -n payments --configmap payments-env --secret payments-db"
    )]
    Config(ConfigArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// The configmap to show (default: kubernetes.configmap, else the one the app's pods use)
    #[arg(long, value_name = "NAME", value_parser = super::object_name)]
    pub configmap: Option<String>,
    /// The secret to fingerprint (default: kubernetes.secret, else the one the app's pods use)
    #[arg(long, value_name = "NAME", value_parser = super::object_name)]
    pub secret: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct CidrArgs {
    /// An IP address (a /32) or CIDR
    #[arg(value_name = "CIDR")]
    pub cidr: String,
    /// Only this network policy (default: kubernetes.network_policy, else every policy that
    /// selects the app's pods)
    #[arg(long, value_name = "NAME", value_parser = super::object_name)]
    pub policy: Option<String>,
    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ResetSessionsArgs {
    /// Only sessions created longer ago than this
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub older_than: Dur,
    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, Args)]
pub struct LogLevelArgs {
    /// The new level
    #[arg(value_enum, value_name = "LEVEL")]
    pub level: LogLevel,
    #[command(flatten)]
    pub change: ChangeArgs,
}
