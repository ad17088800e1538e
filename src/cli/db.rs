//! `incidentctl db …`: the Database runbook's resolution steps.

use super::ChangeArgs;
use crate::types::Dur;
use clap::{Args, Subcommand};

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
    pub older_than: Dur,
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
