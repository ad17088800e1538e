//! PostgreSQL: the seed's psql steps (connections, active and slow queries, replication, locks,
//! audit_logs), rewritten so they are safe to run and read on any server version. Each check
//! reads what the server says into a snapshot and judges it apart; what they share lives here.

pub mod audit_logs;
pub mod connections;
pub mod idle_in_transaction;
pub mod locks;
pub mod long_queries;
pub mod ping;
pub mod replication;
pub mod slow_queries;

use crate::checks::{CheckError, Readings};
use crate::settings::Settings;
use std::sync::Arc;
use tokio_postgres::types::FromSql;
use tokio_postgres::{Client, Row};

/// The run's PostgreSQL client (connected once, shared by every check).
pub(crate) async fn client(r: &Readings) -> Result<Arc<Client>, CheckError> {
    r.ctx.postgres().await
}

/// The server as errors and evidence name it: the URL without its credentials.
pub(crate) fn where_(settings: &Settings) -> String {
    settings.postgres.url.redacted()
}

/// One column of a row, or an error naming the server when the value is not of the type the
/// query's casts promise (a NULL where none was expected): outside data must not panic the run.
pub(crate) fn column<'a, T: FromSql<'a>>(
    row: &'a Row,
    index: usize,
    where_: &str,
) -> Result<T, CheckError> {
    row.try_get(index)
        .map_err(|e| CheckError::new(format!("{where_}: unexpected answer: {e}")))
}
