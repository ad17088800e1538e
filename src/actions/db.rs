//! `db kill-queries`, `db analyze`, `db reindex` (Runbooks 2 and 4) and `security reset-sessions`
//! (Runbook 5): the seed's SQL, made safe. Values are always bound parameters; the only
//! identifiers in SQL text come from validated settings or from the server's own catalog
//! (quoted by the server with `format('%I')`).

use super::POLL_INTERVAL;
use crate::change::{Action, Applied, Change, Confirm, Plan};
use crate::clients::postgres::pg_error;
use crate::clients::Context;
use crate::error::{Error, Result};
use crate::output::redact;
use crate::types::duration::fmt_age;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_postgres::Client;

/// More backends than this to terminate and the engineer types the database name to confirm.
const MANY_BACKENDS: usize = 3;

async fn client(ctx: &Context) -> Result<Arc<Client>> {
    let db = ctx
        .postgres()
        .await
        .map_err(|e| e.into_error("PostgreSQL"))?;
    // A change waits for table locks; a session holding one (an idle transaction, a long query)
    // would make it wait forever. Give up after --timeout, with the reason, instead.
    let lock_timeout = format!("{}ms", ctx.settings.timeout.0.as_millis());
    db.execute(
        "SELECT set_config('lock_timeout', $1, false)",
        &[&lock_timeout],
    )
    .await
    .map_err(|e| sql_error(&e, ctx))?;
    Ok(db)
}

/// A statement's failure, typed by its SQLSTATE (or what became of the connection).
fn sql_error(e: &tokio_postgres::Error, ctx: &Context) -> Error {
    use tokio_postgres::error::SqlState;
    let lock = e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE);
    let forbidden = e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE);
    let err = pg_error(e, &ctx.settings.postgres.url.redacted()).into_error("");
    if forbidden {
        err.with_hint("the database role needs pg_signal_backend (to end other sessions) or ownership of the objects")
    } else if lock {
        err.with_hint("a session holds a conflicting lock: see `incidentctl diagnose database` (postgres.locks)")
    } else {
        err
    }
}

async fn current_database(db: &Client, ctx: &Context) -> Result<String> {
    Ok(db
        .query_one("SELECT current_database()", &[])
        .await
        .map_err(|e| sql_error(&e, ctx))?
        .get(0))
}

/// A backend to end: identified by pid *and* the start of its query, so a pid reused by another
/// session, or a session that moved on to another query, is never hit.
struct Backend {
    pid: i32,
    query_start: String,
}

pub struct KillQueries {
    plan: Plan,
    backends: Vec<Backend>,
    cancel: bool,
}

/// An active query of a client backend, as pg_stat_activity shows it.
#[derive(Debug, Clone, Default)]
pub struct ActiveQuery {
    pub pid: i32,
    /// query_start as text: with the pid, what identifies the query to end.
    pub query_start: String,
    pub user: String,
    pub database: String,
    /// How long it has run, in seconds.
    pub running_secs: f64,
    pub query: String,
}

pub async fn kill_queries(
    ctx: &Context,
    older_than: Duration,
    cancel: bool,
) -> Result<KillQueries> {
    let db = client(ctx).await?;
    let database = current_database(&db, ctx).await?;
    // Only client backends: autovacuum, walsenders, the checkpointer and background workers are
    // listed here too and must never be ended. Never this session.
    let rows = db
        .query(
            "SELECT pid, query_start::text, coalesce(usename, ''), coalesce(datname, ''),
                    extract(epoch FROM now() - query_start)::float8, coalesce(query, '')
             FROM pg_stat_activity
             WHERE backend_type = 'client backend' AND state = 'active'
               AND pid <> pg_backend_pid()
               AND query_start < now() - make_interval(secs => $1)
             ORDER BY query_start",
            &[&older_than.as_secs_f64()],
        )
        .await
        .map_err(|e| sql_error(&e, ctx))?;
    let queries: Vec<ActiveQuery> = rows
        .iter()
        .map(|r| ActiveQuery {
            pid: r.get(0),
            query_start: r.get(1),
            user: r.get(2),
            database: r.get(3),
            running_secs: r.get(4),
            query: r.get(5),
        })
        .collect();
    Ok(plan_kill_queries(&database, &queries, older_than, cancel))
}

/// Ending the queries read (all older than `older_than`): cancelling them, or terminating
/// their sessions.
pub fn plan_kill_queries(
    database: &str,
    queries: &[ActiveQuery],
    older_than: Duration,
    cancel: bool,
) -> KillQueries {
    let verb = if cancel {
        "cancel query (pg_cancel_backend)"
    } else {
        "terminate session (pg_terminate_backend)"
    };
    let n = queries.len();
    let mut plan = Plan::new(
        if cancel {
            "db kill-queries --cancel"
        } else {
            "db kill-queries"
        },
        &format!("database {database}"),
        &format!(
            "{} {n} active quer{} older than {}",
            if cancel {
                "cancel"
            } else {
                "terminate the sessions of"
            },
            if n == 1 { "y" } else { "ies" },
            crate::types::Dur(older_than)
        ),
    );
    let mut backends = Vec::new();
    for q in queries {
        plan.changes.push(Change::new(
            format!(
                "pid {} {}@{} running {}",
                q.pid,
                q.user,
                q.database,
                fmt_age(q.running_secs)
            ),
            format!("{verb}: {}", redact::query(&q.query, 100)),
        ));
        backends.push(Backend {
            pid: q.pid,
            query_start: q.query_start.clone(),
        });
    }
    if !cancel {
        plan.warnings.push("terminating ends the whole session: its open transaction is rolled back and the client must reconnect (--cancel stops only the query)".into());
        if backends.len() > MANY_BACKENDS {
            plan.confirm = Confirm::TypeName(database.to_string());
        }
    }
    KillQueries {
        plan,
        backends,
        cancel,
    }
}

/// The statement that ends one backend, by pid and the start of its query (parameters $1, $2):
/// a pid reused by another session, or a session that moved on, matches no row.
fn signal_sql(cancel: bool) -> String {
    let function = if cancel {
        "pg_cancel_backend"
    } else {
        "pg_terminate_backend"
    };
    // The function name is one of two constants; pid and query_start are parameters.
    format!(
        "SELECT {function}(pid) FROM pg_stat_activity
             WHERE pid = $1 AND query_start::text = $2 AND backend_type = 'client backend'"
    )
}

impl Action for KillQueries {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        let db = client(ctx).await?;
        let sql = signal_sql(self.cancel);
        let mut applied = Applied::default();
        for b in &self.backends {
            let target = format!("pid {}", b.pid);
            match db.query_opt(&sql, &[&b.pid, &b.query_start]).await {
                Ok(Some(row)) if row.get::<_, bool>(0) => applied.ok(format!(
                    "{target}: {}",
                    if self.cancel {
                        "query cancelled"
                    } else {
                        "session terminated"
                    }
                )),
                // The function returns false (with a server warning) when it could not signal.
                Ok(Some(_)) => applied.failed(
                    &target,
                    Error::remote(
                        crate::types::failure::Cause::Refused(
                            crate::types::failure::Refusal::Other,
                        ),
                        "the server did not signal it",
                    ),
                ),
                Ok(None) => {
                    applied.skipped(format!("{target}: skipped, no longer running that query"))
                }
                Err(e) => applied.failed(&target, sql_error(&e, ctx)),
            }
        }
        Ok(applied)
    }

    async fn verify(&self, ctx: &Context, timeout: Duration) -> Result<Vec<String>> {
        let db = client(ctx).await?;
        let started = Instant::now();
        let pids: Vec<i32> = self.backends.iter().map(|b| b.pid).collect();
        let starts: Vec<String> = self
            .backends
            .iter()
            .map(|b| b.query_start.clone())
            .collect();
        loop {
            let left: i64 = db
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity a
                     JOIN unnest($1::int4[], $2::text[]) AS p(pid, query_start)
                       ON a.pid = p.pid AND a.query_start::text = p.query_start
                     WHERE a.state = 'active'",
                    &[&pids, &starts],
                )
                .await
                .map_err(|e| sql_error(&e, ctx))?
                .get(0);
            if left == 0 {
                return Ok(vec![format!(
                    "verified: none of the {} queries is running",
                    pids.len()
                )]);
            }
            if started.elapsed() >= timeout {
                return Err(Error::VerifyFailed(format!(
                    "{left} of the queries still running"
                )));
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    fn verifies(&self) -> bool {
        true
    }
}

/// `ANALYZE` or `REINDEX`.
pub struct Maintenance {
    plan: Plan,
    statements: Vec<String>,
}

pub async fn analyze(ctx: &Context) -> Result<Maintenance> {
    let db = client(ctx).await?;
    let database = current_database(&db, ctx).await?;
    let tables: i64 = db
        .query_one(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg_toast%'",
            &[],
        )
        .await
        .map_err(|e| sql_error(&e, ctx))?
        .get(0);
    let mut plan = Plan::new(
        "db analyze",
        &format!("database {database}"),
        &format!("refresh planner statistics of database {database}"),
    );
    plan.changes.push(Change::new(
        format!("{tables} table(s) in {database}"),
        "ANALYZE: sample rows, update pg_statistic",
    ));
    plan.warnings.push("ANALYZE takes a SHARE UPDATE EXCLUSIVE lock on each table in turn: reads and writes continue; VACUUM, DDL and other ANALYZEs wait".into());
    Ok(Maintenance {
        plan,
        statements: vec!["ANALYZE".into()],
    })
}

pub async fn reindex(ctx: &Context, concurrently: bool) -> Result<Maintenance> {
    let db = client(ctx).await?;
    let database = current_database(&db, ctx).await?;
    let version: i32 = db
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .map_err(|e| sql_error(&e, ctx))?
        .get(0);
    // Names come from the catalog, quoted by the server.
    let rows = db
        .query(
            "SELECT format('%I.%I', n.nspname, ci.relname), pg_size_pretty(pg_relation_size(ci.oid))
             FROM pg_index i
             JOIN pg_class ci ON ci.oid = i.indexrelid
             JOIN pg_namespace n ON n.oid = ci.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
             ORDER BY pg_relation_size(ci.oid) DESC",
            &[],
        )
        .await
        .map_err(|e| sql_error(&e, ctx))?;
    let concurrent_supported = version >= 120_000;
    let use_concurrently = concurrently && concurrent_supported;
    let mut plan = Plan::new(
        "db reindex",
        &format!("database {database}"),
        &format!("rebuild {} index(es) of database {database}", rows.len()),
    );
    let mut statements = Vec::new();
    if use_concurrently {
        for r in &rows {
            let name: String = r.get(0);
            plan.changes.push(Change::new(
                format!("index {name} ({})", r.get::<_, String>(1)),
                "REINDEX INDEX CONCURRENTLY",
            ));
            statements.push(format!("REINDEX INDEX CONCURRENTLY {name}"));
        }
        plan.warnings.push("REINDEX CONCURRENTLY builds each index anew without blocking writes; it takes longer and needs room for a second copy of each index".into());
    } else {
        plan.changes.push(Change::new(
            format!("database {database}: {} index(es)", rows.len()),
            "REINDEX DATABASE",
        ));
        statements.push(format!("REINDEX DATABASE {}", quote_ident(&database)));
        plan.warnings.push("REINDEX (not concurrently) locks each table against writes, and each index against reads that use it, while it is rebuilt".into());
        if concurrently && !concurrent_supported {
            plan.warnings.push(format!("this server ({version}) is older than PostgreSQL 12: REINDEX CONCURRENTLY is not available"));
        } else {
            plan.warnings.push(
                "add --concurrently to rebuild index by index without blocking writes".into(),
            );
        }
        plan.confirm = Confirm::TypeName(database);
    }
    Ok(Maintenance { plan, statements })
}

/// Quotes an identifier the way PostgreSQL's quote_ident does.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Action for Maintenance {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        let db = client(ctx).await?;
        let mut applied = Applied::default();
        for statement in &self.statements {
            let t0 = Instant::now();
            // Maintenance can outlast the per-request timeout; it runs to completion.
            match db.batch_execute(statement).await {
                Ok(()) => applied.ok(format!(
                    "{statement}: done in {:.1}s",
                    t0.elapsed().as_secs_f64()
                )),
                Err(e) => applied.failed(statement, sql_error(&e, ctx)),
            }
        }
        Ok(applied)
    }
}

/// `security reset-sessions`: the seed's `DELETE FROM sessions WHERE created_at < now() - 1 hour`.
pub struct ResetSessions {
    plan: Plan,
    table: String,
    column: String,
    /// The server's time the plan counted from (`now() - older_than` then), as text.
    cutoff: String,
    expected: i64,
}

fn quoted_path(path: &str) -> String {
    path.split('.')
        .map(quote_ident)
        .collect::<Vec<_>>()
        .join(".")
}

/// The sessions table as read: how many rows are older than the cutoff, of how many.
#[derive(Debug, Clone, Default)]
pub struct SessionCount {
    pub table: String,
    pub column: String,
    /// The server's `now() - older_than` when read, as text.
    pub cutoff: String,
    pub matching: i64,
    pub total: i64,
}

pub async fn reset_sessions(ctx: &Context, older_than: Duration) -> Result<ResetSessions> {
    let db = client(ctx).await?;
    let s = &ctx.settings.actions;
    let exists: bool = db
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&s.sessions_table])
        .await
        .map_err(|e| sql_error(&e, ctx))?
        .get(0);
    if !exists {
        return Err(
            Error::not_found(format!("table {} does not exist", s.sessions_table))
                .with_hint("set actions.sessions_table to the application's sessions table"),
        );
    }
    // The cutoff is fixed now, in the plan: the delete removes exactly the rows counted here,
    // not rows that aged past a moving `now() - interval` while the engineer read the plan.
    let cutoff: String = db
        .query_one(
            "SELECT (now() - make_interval(secs => $1))::text",
            &[&older_than.as_secs_f64()],
        )
        .await
        .map_err(|e| sql_error(&e, ctx))?
        .get(0);
    // Identifiers are validated settings (settings::is_sql_identifier_path), quoted; the cutoff
    // is a parameter.
    let row = db
        .query_one(
            &count_sql(&s.sessions_table, &s.sessions_column),
            &[&cutoff],
        )
        .await
        .map_err(|e| sql_error(&e, ctx))?;
    let count = SessionCount {
        table: s.sessions_table.clone(),
        column: s.sessions_column.clone(),
        cutoff,
        matching: row.get(0),
        total: row.get(1),
    };
    Ok(plan_reset_sessions(count, older_than))
}

fn count_sql(table: &str, column: &str) -> String {
    format!(
        "SELECT count(*), (SELECT count(*) FROM {t}) FROM {t} WHERE {c} < $1::text::timestamptz",
        t = quoted_path(table),
        c = quote_ident(column)
    )
}

fn delete_sql(table: &str, column: &str) -> String {
    format!(
        "DELETE FROM {} WHERE {} < $1::text::timestamptz",
        quoted_path(table),
        quote_ident(column)
    )
}

/// Deleting the sessions counted, exactly those (created before the cutoff read).
pub fn plan_reset_sessions(count: SessionCount, older_than: Duration) -> ResetSessions {
    let SessionCount {
        table,
        column,
        cutoff,
        matching,
        total,
    } = count;
    let mut plan = Plan::new(
        "security reset-sessions",
        &format!("table {table}"),
        &format!(
            "delete {matching} of {total} session(s) created more than {} ago (before {cutoff})",
            crate::types::Dur(older_than)
        ),
    );
    if matching > 0 {
        plan.changes.push(
            Change::new(
                format!("table {table}"),
                format!("DELETE rows with {column} before {cutoff}"),
            )
            .was_now(
                format!("{total} rows"),
                format!("{} rows", total - matching),
            ),
        );
    }
    plan.warnings
        .push("the users of those sessions are logged out; deleted rows cannot be restored".into());
    plan.confirm = Confirm::TypeName(table.clone());
    ResetSessions {
        plan,
        table,
        column,
        cutoff,
        expected: matching,
    }
}

impl Action for ResetSessions {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        let db = client(ctx).await?;
        let sql = delete_sql(&self.table, &self.column);
        // One transaction: exactly the rows the plan counted, or none of them.
        db.batch_execute("BEGIN")
            .await
            .map_err(|e| sql_error(&e, ctx))?;
        let deleted = match db.execute(&sql, &[&self.cutoff]).await {
            Ok(n) => n as i64,
            Err(e) => {
                let _ = db.batch_execute("ROLLBACK").await;
                return Err(sql_error(&e, ctx));
            }
        };
        if deleted != self.expected {
            db.batch_execute("ROLLBACK")
                .await
                .map_err(|e| sql_error(&e, ctx))?;
            return Err(Error::stale(format!(
                "table {} (the plan counted {} session(s) created before {}, the delete found {deleted})",
                self.table, self.expected, self.cutoff
            )));
        }
        db.batch_execute("COMMIT")
            .await
            .map_err(|e| sql_error(&e, ctx))?;
        Ok(Applied::done(vec![format!(
            "deleted {deleted} session(s) from {} (created before {})",
            self.table, self.cutoff
        )]))
    }
}

#[cfg(test)]
mod tests;
