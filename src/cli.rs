//! The command tree and its flags: clap types only, no behaviour.

use clap::{Args, Parser, Subcommand, ValueEnum};
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
  ./incidentctl.toml, $XDG_CONFIG_HOME/incidentctl/config.toml   configuration
  $XDG_STATE_HOME/incidentctl/audit.jsonl                         audit log of every change
  $XDG_DATA_HOME/incidentctl/incidents/                           incident store (report)

Environment:
  INCIDENTCTL_CONFIG, INCIDENTCTL_NAMESPACE, INCIDENTCTL_TIMEOUT, INCIDENTCTL_OUTPUT,
  INCIDENTCTL_POSTGRES_URL, INCIDENTCTL_REDIS_URL, INCIDENTCTL_PROMETHEUS_URL,
  INCIDENTCTL_ALERTMANAGER_URL, INCIDENTCTL_AUDIT_LOG, INCIDENTCTL_INCIDENT,
  INCIDENTCTL_REPORT_STORE, INCIDENTCTL_NOW, SLACK_WEBHOOK_URL, PGPASSWORD, KUBECONFIG, NO_COLOR

Examples:
  incidentctl diagnose                      # every runbook's checks, as a table
  incidentctl diagnose database performance # only these runbooks
  incidentctl diagnose -o json | jq .summary
  incidentctl restart backend --dry-run     # plan and server-side validation, no change
  incidentctl scale backend --replicas 5    # shows 2 -> 5, asks, applies, waits
  incidentctl config show                   # resolved settings, secrets redacted";

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
    /// Config file (TOML). Default: ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml
    #[arg(long, global = true, value_name = "FILE", env = "INCIDENTCTL_CONFIG")]
    pub config: Option<PathBuf>,

    /// Kubernetes context from the kubeconfig (default: its current context); diagnose takes it
    /// more than once to check several clusters
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Vec<String>,

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
    /// JUnit XML, one testcase per check (diagnose; failures per --fail-on)
    Junit,
    /// Prometheus text exposition, for node_exporter's textfile collector or a Pushgateway (diagnose)
    Prometheus,
    /// One Nagios plugin line with perfdata (diagnose)
    Nagios,
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

    /// The incident itself: severity, timeline, clocks, Slack updates and the post-mortem report
    Report(ReportArgs),

    /// Check the set-up before the incident: reachability, credentials, privileges, webhook
    #[command(
        after_help = "Checks, with the configured TLS and credentials: the Kubernetes API server and every permission
incidentctl uses (SelfSubjectAccessReview per verb and resource, as in examples/kubernetes/rbac-*.yaml);
PostgreSQL login, the pg_monitor and pg_signal_backend roles, pg_stat_statements; Redis; Prometheus;
Alertmanager; the Slack webhook (reached without posting; --send-test posts one message); the
audit log; a config file holding secrets readable by others. One row per requirement, with the
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
        dir: std::path::PathBuf,
    },
}

#[derive(Debug, Args)]
#[command(
    after_help = "Incidents live in a directory (default $XDG_DATA_HOME/incidentctl/incidents, one JSON file
each, safe to keep in git) or, for a team on several machines, in PostgreSQL:
report.store = \"postgres://...\" in the config, INCIDENTCTL_REPORT_STORE, or --store.

The clocks follow the seed: response within 15 min (SEV1), 1 h (SEV2), 4 h (SEV3), next business
day (SEV4); escalation 0-15 min primary on-call, 15-30 secondary, 30-60 engineering manager, 60+
CTO; a status update every 30 minutes (report.update_interval). `diagnose --incident ID` and every
change made with --incident ID (or INCIDENTCTL_INCIDENT) appear in the timeline.

Examples:
  incidentctl report new --title \"Backend 5xx\" --from-diagnose      # severity from diagnose
  export INCIDENTCTL_INCIDENT=INC-20261126-001
  incidentctl report ack $INCIDENTCTL_INCIDENT
  incidentctl diagnose --incident $INCIDENTCTL_INCIDENT
  incidentctl restart backend --yes                                  # recorded in the timeline
  incidentctl report log $INCIDENTCTL_INCIDENT \"rolled back release 2.3.1\"
  incidentctl report notify $INCIDENTCTL_INCIDENT
  incidentctl report status $INCIDENTCTL_INCIDENT resolved
  incidentctl report set $INCIDENTCTL_INCIDENT --root-cause \"...\" --resolution \"...\"
  incidentctl report close $INCIDENTCTL_INCIDENT
  incidentctl report render $INCIDENTCTL_INCIDENT > postmortem.md"
)]
pub struct ReportArgs {
    /// Incident store: a directory or a postgres:// URL
    #[arg(long, global = true, value_name = "DIR|URL")]
    pub store: Option<String>,

    #[command(subcommand)]
    pub command: ReportCommand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    #[value(name = "SEV1", alias = "sev1")]
    Sev1,
    #[value(name = "SEV2", alias = "sev2")]
    Sev2,
    #[value(name = "SEV3", alias = "sev3")]
    Sev3,
    #[value(name = "SEV4", alias = "sev4")]
    Sev4,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IncidentStatusArg {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Commander,
    TechnicalLead,
    CommunicationsLead,
    DocumentationLead,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Open an incident; prints its id
    #[command(
        after_help = "Examples:\n  incidentctl report new --title \"Backend 5xx\" --severity SEV2 --commander alice\n  incidentctl report new --title \"Backend 5xx\" --from-diagnose\n  incidentctl report new --title \"Login failures\" --severity SEV3 --detected-at \"20m ago\"\n  ID=$(incidentctl report new --title \"DB down\" --severity SEV1)",
        group(clap::ArgGroup::new("how_severe").required(true).args(["severity", "from_diagnose"]))
    )]
    New {
        #[arg(long)]
        title: String,
        /// SEV1..SEV4 (or take diagnose's suggestion with --from-diagnose)
        #[arg(long, value_enum)]
        severity: Option<SeverityArg>,
        /// Incident commander
        #[arg(long, value_name = "NAME")]
        commander: Option<String>,
        /// When it was detected: RFC 3339, or '15m ago' (default: now)
        #[arg(long, value_name = "TIME")]
        detected_at: Option<String>,
        /// Take the severity from diagnose: run it now, or read a saved `diagnose -o json`
        #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-run-")]
        from_diagnose: Option<String>,
    },
    /// Incidents with severity, status, age, next update and escalation level
    #[command(
        after_help = "Examples:\n  incidentctl report list --open\n  incidentctl report list -o json | jq '.[] | select(.clocks.update_overdue)'"
    )]
    List {
        /// Only incidents not yet resolved
        #[arg(long)]
        open: bool,
    },
    /// One incident with its clocks and timeline
    #[command(
        after_help = "Examples:\n  incidentctl report show INC-20261126-001\n  incidentctl report show INC-20261126-001 -o json | jq .clocks"
    )]
    Show { id: String },
    /// Acknowledge: stops the response-time clock
    #[command(after_help = "Examples:\n  incidentctl report ack INC-20261126-001")]
    Ack { id: String },
    /// Move the incident to a status
    #[command(
        after_help = "Examples:\n  incidentctl report status INC-20261126-001 identified\n  incidentctl report status INC-20261126-001 resolved"
    )]
    Status {
        id: String,
        #[arg(value_enum)]
        status: IncidentStatusArg,
    },
    /// Change the severity (recorded in the timeline)
    #[command(
        after_help = "Examples:\n  incidentctl report severity INC-20261126-001 SEV1 --reason \"payments affected too\""
    )]
    Severity {
        id: String,
        #[arg(value_enum)]
        severity: SeverityArg,
        /// Why
        #[arg(long)]
        reason: Option<String>,
    },
    /// Give a role to a person
    #[command(
        after_help = "Examples:\n  incidentctl report assign INC-20261126-001 commander alice\n  incidentctl report assign INC-20261126-001 communications-lead carol"
    )]
    Assign {
        id: String,
        #[arg(value_enum)]
        role: RoleArg,
        name: String,
    },
    /// Add a timeline entry
    #[command(
        after_help = "Examples:\n  incidentctl report log INC-20261126-001 \"rolled back to 2.3.0\"\n  incidentctl report log INC-20261126-001 \"first 502s in the LB logs\" --at \"25m ago\""
    )]
    Log {
        id: String,
        text: String,
        /// When it happened: RFC 3339, or '10m ago' (default: now)
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Fill in the report template's fields
    #[command(
        after_help = "Examples:\n  incidentctl report set INC-20261126-001 --root-cause \"pool exhausted\" --resolution \"killed the query\"\n  incidentctl report set INC-20261126-001 --users-affected 1200 --services backend,frontend"
    )]
    Set(SetArgs),
    /// Add a follow-up action (a checkbox in the report)
    #[command(
        after_help = "Examples:\n  incidentctl report follow-up INC-20261126-001 \"alert on DB pool saturation\""
    )]
    FollowUp { id: String, text: String },
    /// The post-mortem report: the seed's template, filled in
    #[command(
        after_help = "Examples:\n  incidentctl report render INC-20261126-001 > postmortem.md\n  incidentctl report render INC-20261126-001 -o json"
    )]
    Render { id: String },
    /// Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)
    #[command(
        after_help = "Examples:\n  incidentctl report notify INC-20261126-001 --dry-run\n  SLACK_WEBHOOK_URL=$(cat ~/.slack-hook) incidentctl report notify INC-20261126-001"
    )]
    Notify {
        id: String,
        /// Print the message; post nothing, record nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Close a resolved incident (root cause and resolution filled in, or --force --reason)
    #[command(
        after_help = "Examples:\n  incidentctl report close INC-20261126-001\n  incidentctl report close INC-20261126-001 --force --reason \"duplicate of INC-20261126-002\""
    )]
    Close {
        id: String,
        #[arg(long, requires = "reason")]
        force: bool,
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct SetArgs {
    pub id: String,
    #[arg(long)]
    pub summary: Option<String>,
    #[arg(long)]
    pub impact: Option<String>,
    #[arg(long, value_name = "N")]
    pub users_affected: Option<u64>,
    /// Comma-separated
    #[arg(long, value_delimiter = ',')]
    pub services: Option<Vec<String>>,
    #[arg(long)]
    pub root_cause: Option<String>,
    #[arg(long)]
    pub resolution: Option<String>,
    #[arg(long)]
    pub lessons: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// End active client queries running longer than a limit (Runbook 2)
    #[command(after_help = concat!("Replaces: SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'active'
AND query_start < now() - interval '5 minutes' (Runbook 2). Unlike it, this touches only client
backends (never autovacuum, walsenders, background workers or its own session), lists each PID,
user, age and query (literals redacted) first, and signals a PID only if it still runs the same
query. More than 3 sessions to terminate: type the database name to confirm.

Examples:
  incidentctl db kill-queries --dry-run
  incidentctl db kill-queries --older-than 10m --cancel
  incidentctl db kill-queries --yes --confirm reconciliation_app

", change_help!()))]
    KillQueries(KillQueriesArgs),

    /// Set DB_POOL_SIZE on the backend deployment (Runbook 2)
    #[command(after_help = concat!("Replaces: kubectl patch deployment backend -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"backend\",\"env\":[...]}]}}}}' (Runbook 2).
Unlike it, only that one variable changes (a JSON patch guarded by the resourceVersion), never
the container list. The deployment and variable are actions.pool_deployment / actions.pool_size_env.

Examples:
  incidentctl db pool-size 20 --dry-run
  incidentctl db pool-size 20 --yes

", change_help!()))]
    PoolSize(PoolSizeArgs),

    /// Refresh planner statistics: ANALYZE (Runbook 4)
    #[command(after_help = concat!("Replaces: ANALYZE; (Runbook 4). Takes a SHARE UPDATE EXCLUSIVE lock per table: reads and
writes continue.

Examples:
  incidentctl db analyze --dry-run
  incidentctl db analyze --yes

", change_help!()))]
    Analyze(MaintenanceArgs),

    /// Rebuild indexes: REINDEX (Runbook 4)
    #[command(after_help = concat!("Replaces: REINDEX DATABASE reconciliation_app; (Runbook 4). With --concurrently (PostgreSQL
12+) each index is rebuilt with REINDEX INDEX CONCURRENTLY, without blocking writes; without it,
REINDEX DATABASE blocks writes to each table while it runs, so the database name must be typed.

Examples:
  incidentctl db reindex --concurrently --dry-run
  incidentctl db reindex --concurrently --yes

", change_help!()))]
    Reindex(ReindexArgs),

    /// Rolling restart of the database workload (Runbook 2)
    #[command(after_help = concat!("Replaces: kubectl rollout restart deployment/postgres (Runbook 2). Works on the StatefulSet or
Deployment named actions.database_workload (default postgres). Every connection drops: the
name must be typed (or --yes --confirm NAME without a terminal).

Examples:
  incidentctl db restart --dry-run
  incidentctl db restart --yes --confirm postgres

", change_help!()))]
    Restart(MaintenanceArgs),
}

#[derive(Debug, Clone, Args)]
pub struct KillQueriesArgs {
    /// Only queries running longer than this
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub older_than: String,
    /// Cancel the query (pg_cancel_backend) instead of ending the session
    #[arg(long)]
    pub cancel: bool,
    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct PoolSizeArgs {
    /// The new pool size
    #[arg(value_name = "N")]
    pub size: u32,
    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct MaintenanceArgs {
    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ReindexArgs {
    /// Rebuild index by index without blocking writes (PostgreSQL 12+)
    #[arg(long)]
    pub concurrently: bool,
    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Delete cached keys: matching a pattern, one database, or everything (Runbook 4)
    #[command(after_help = concat!("Replaces: redis-cli -h redis-service FLUSHALL (Runbook 4). Shows the keys per database first.
--pattern deletes with SCAN + UNLINK in batches (never KEYS, never blocking the server); --db N
flushes one database; FLUSHALL only when neither is given. Warns when persistence would write an
empty snapshot, or the server is a replica; a renamed or disabled command is reported as such.
Every flush needs the server's host:port typed (or --yes --confirm HOST:PORT).

Examples:
  incidentctl cache flush --pattern 'session:*' --dry-run
  incidentctl cache flush --db 0
  incidentctl cache flush --pattern 'report:*' --yes --confirm redis-service:6379

", change_help!()))]
    Flush(FlushArgs),
}

#[derive(Debug, Clone, Args)]
pub struct FlushArgs {
    /// Only this database (FLUSHDB), or with --pattern the database to scan
    #[arg(long, value_name = "N")]
    pub db: Option<u16>,
    /// Only keys matching this glob (SCAN MATCH + UNLINK)
    #[arg(long, value_name = "GLOB")]
    pub pattern: Option<String>,
    #[command(flatten)]
    pub change: ChangeArgs,
}

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
  incidentctl security config -o json | jq .secret_keys"
    )]
    Config,
}

#[derive(Debug, Clone, Args)]
pub struct CidrArgs {
    /// An IP address (a /32) or CIDR
    #[arg(value_name = "CIDR")]
    pub cidr: String,
    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ResetSessionsArgs {
    /// Only sessions created longer ago than this
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub older_than: String,
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

const RESTART_AFTER_HELP: &str = concat!(
    "Replaces: kubectl rollout restart deployment/backend -n reconciliation (Runbooks 1 and 3)

Sets the pod template annotation kubectl.kubernetes.io/restartedAt, as kubectl does, with the
deployment's resourceVersion as a precondition, then waits (up to --wait-timeout) until the
rollout is complete: observedGeneration caught up, and updated, ready and available replicas
equal to the desired count.

",
    "Examples:
  incidentctl restart --dry-run                 # the app deployments (backend, frontend)
  incidentctl restart backend                   # asks y/N on a terminal
  incidentctl restart backend --yes --incident INC-20261126-001
  incidentctl restart backend --no-wait -o json

",
    change_help!()
);

const SCALE_AFTER_HELP: &str = concat!(
    "Replaces: kubectl scale deployment backend --replicas=5 -n reconciliation (Runbooks 1, 3, 4)

Shows current -> new replicas; applies with the current count as a precondition (as kubectl's
--current-replicas), so a plan made stale by someone else fails instead of clobbering; waits
until the new count is ready. The count must be within actions.scale_min..scale_max (1..50 by
default); 0 needs --allow-zero.

Examples:
  incidentctl scale backend --replicas 5 --dry-run
  incidentctl scale backend --replicas 5
  incidentctl scale frontend --replicas 3 --yes --incident INC-20261126-001
  incidentctl scale backend --replicas 0 --allow-zero --yes

",
    change_help!()
);

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
  incidentctl diagnose security --list      # which checks a runbook runs
  incidentctl diagnose --fail-on critical -o junit > diagnose.xml   # CI gate
  incidentctl diagnose -o prometheus > /var/lib/node_exporter/incidentctl.prom
  incidentctl diagnose -o nagios            # one line with perfdata, for Nagios/Icinga
  incidentctl diagnose --context prod-eu --context prod-us   # several clusters at once
  incidentctl diagnose --all-contexts -o json";

#[derive(Debug, Clone, Args)]
pub struct DiagnoseArgs {
    /// Runbooks to investigate (default: all)
    #[arg(value_enum, value_name = "RUNBOOK")]
    pub runbooks: Vec<RunbookArg>,

    /// List the checks these runbooks would run, without running them
    #[arg(long)]
    pub list: bool,

    /// Attach the findings to this incident (evidence file and a timeline entry)
    #[arg(long, value_name = "ID", env = "INCIDENTCTL_INCIDENT")]
    pub incident: Option<String>,

    /// Diagnose every context of the kubeconfig (concurrently, results grouped by context)
    #[arg(long, conflicts_with = "list")]
    pub all_contexts: bool,

    /// Exit 0 unless a check reaches this level (unknown always fails); marks JUnit failures
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Warning,
    Critical,
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
