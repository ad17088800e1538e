//! `incidentctl cache …`: the cache resolution steps.

use super::ChangeArgs;
use clap::{Args, Subcommand};

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
