//! PostgreSQL: the seed's `psql` steps (connections, active and slow queries, replication,
//! audit_logs), rewritten so they are safe to run and read on any server version.

use super::{fmt_age, fmt_num, CheckError, CheckOutcome, Finding, Status};
use crate::context::{pg_error, Context};
use crate::redact;
use std::time::Instant;
use tokio_postgres::error::SqlState;
use tokio_postgres::Client;

async fn client(ctx: &Context) -> Result<std::sync::Arc<Client>, CheckError> {
    ctx.postgres().await
}

fn where_(ctx: &Context) -> String {
    ctx.settings.postgres.url.redacted()
}

pub async fn ping(ctx: &Context) -> CheckOutcome {
    let started = Instant::now();
    let db = client(ctx).await?;
    let connected = started.elapsed();
    let t0 = Instant::now();
    db.simple_query("SELECT 1")
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?;
    let rtt_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let version: String = db
        .query_one("SELECT current_setting('server_version')", &[])
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?
        .get(0);
    Ok(Finding::ok(format!(
        "PostgreSQL {version} answered SELECT 1 in {} ms",
        fmt_num(rtt_ms, 1)
    ))
    .value(rtt_ms, "ms")
    .evidence([format!(
        "{}: connected in {} ms",
        where_(ctx),
        connected.as_millis()
    )]))
}

pub async fn connections(ctx: &Context) -> CheckOutcome {
    let db = client(ctx).await?;
    let row = db
        .query_one(
            "SELECT count(*) FILTER (WHERE backend_type = 'client backend')::float8,
                    current_setting('max_connections')::float8,
                    current_setting('superuser_reserved_connections')::float8
             FROM pg_stat_activity",
            &[],
        )
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?;
    let (used, max, reserved): (f64, f64, f64) = (row.get(0), row.get(1), row.get(2));
    let states = db
        .query(
            "SELECT coalesce(state, 'unknown'), count(*)
             FROM pg_stat_activity WHERE backend_type = 'client backend'
             GROUP BY 1 ORDER BY 2 DESC, 1",
            &[],
        )
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?;
    let pct = if max > 0.0 { used / max * 100.0 } else { 0.0 };
    let by_state: Vec<String> = states
        .iter()
        .map(|r| format!("{} {}", r.get::<_, String>(0), r.get::<_, i64>(1)))
        .collect();
    Ok(Finding::measured(
        pct,
        "%",
        ctx.settings.thresholds.postgres_connections,
        format!(
            "{} of {} connections in use ({}%)",
            used,
            max,
            fmt_num(pct, 1)
        ),
    )
    .evidence([
        format!("by state: {}", by_state.join(", ")),
        format!("{reserved} reserved for superusers"),
    ]))
}

pub async fn long_queries(ctx: &Context) -> CheckOutcome {
    let db = client(ctx).await?;
    let pg = &ctx.settings.postgres;
    let limit = pg.long_query_warning.0.as_secs_f64();
    // Only client backends: autovacuum, walsenders and background workers also appear here and
    // are not "queries" anyone should kill. Never this session.
    let rows = db
        .query(
            "SELECT pid, coalesce(usename, ''), coalesce(datname, ''),
                    extract(epoch FROM now() - query_start)::float8 AS age,
                    coalesce(wait_event_type || ':' || wait_event, ''), coalesce(query, '')
             FROM pg_stat_activity
             WHERE backend_type = 'client backend' AND state = 'active'
               AND pid <> pg_backend_pid()
               AND query_start < now() - make_interval(secs => $1)
             ORDER BY query_start
             LIMIT 50",
            &[&limit],
        )
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?;
    if rows.is_empty() {
        return Ok(Finding::ok(format!(
            "no active query older than {}",
            pg.long_query_warning
        ))
        .value(0.0, "queries"));
    }
    let oldest: f64 = rows[0].get(3);
    let critical = pg.long_query_critical.0.as_secs_f64();
    let status = if oldest > critical {
        Status::Critical
    } else {
        Status::Warning
    };
    let evidence = rows.iter().map(|r| {
        let wait: String = r.get(4);
        format!(
            "pid {} {}@{} running {}{}: {}",
            r.get::<_, i32>(0),
            r.get::<_, String>(1),
            r.get::<_, String>(2),
            fmt_age(r.get(3)),
            if wait.is_empty() {
                String::new()
            } else {
                format!(" (waiting {wait})")
            },
            redact::query(&r.get::<_, String>(5), 160)
        )
    });
    Ok(Finding::new(
        status,
        format!(
            "{} active quer{} older than {} (oldest {})",
            rows.len(),
            if rows.len() == 1 { "y" } else { "ies" },
            pg.long_query_warning,
            fmt_age(oldest)
        ),
    )
    .value(rows.len() as f64, "queries")
    .evidence(evidence))
}

pub async fn slow_queries(ctx: &Context) -> CheckOutcome {
    let db = client(ctx).await?;
    let installed = db
        .query_opt(
            "SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'",
            &[],
        )
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?;
    let Some(version) = installed.map(|r| r.get::<_, String>(0)) else {
        return Err(CheckError::new("pg_stat_statements is not installed in this database")
            .hint("CREATE EXTENSION pg_stat_statements; (needs shared_preload_libraries = 'pg_stat_statements' and a restart)"));
    };
    // Column names follow the extension's version, not the server's: 1.8 renamed mean_time to
    // mean_exec_time. Read the view's columns instead of guessing.
    let columns: Vec<String> = db
        .query(
            "SELECT attname::text FROM pg_attribute
             WHERE attrelid = 'pg_stat_statements'::regclass AND attnum > 0 AND NOT attisdropped",
            &[],
        )
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let (mean, total) = if columns.iter().any(|c| c == "mean_exec_time") {
        ("mean_exec_time", "total_exec_time")
    } else if columns.iter().any(|c| c == "mean_time") {
        ("mean_time", "total_time")
    } else {
        return Err(CheckError::new(format!(
            "pg_stat_statements {version} has neither mean_exec_time nor mean_time"
        )));
    };
    // The identifiers come from the fixed pair above, never from input.
    let sql = format!(
        "SELECT {mean}::float8, calls::int8, {total}::float8, coalesce(query, '')
         FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         ORDER BY {mean} DESC NULLS LAST LIMIT $1"
    );
    let rows = db
        .query(&sql, &[&ctx.settings.postgres.slow_query_limit])
        .await
        .map_err(|e| {
            let err = pg_error(&e, &where_(ctx));
            // 55000: the extension exists, but its library was not preloaded.
            if e.code() == Some(&SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE) {
                err.hint(
                    "add pg_stat_statements to shared_preload_libraries and restart PostgreSQL",
                )
            } else {
                err
            }
        })?;
    let threshold = ctx.settings.thresholds.slow_query_mean;
    let Some(top) = rows.first() else {
        return Ok(Finding::ok(format!(
            "pg_stat_statements {version}: no statements recorded yet"
        )));
    };
    let worst_secs = top.get::<_, f64>(0) / 1000.0;
    let evidence = rows.iter().map(|r| {
        format!(
            "mean {} ms, {} calls, total {} ms: {}",
            fmt_num(r.get(0), 1),
            r.get::<_, i64>(1),
            fmt_num(r.get(2), 0),
            redact::query(&r.get::<_, String>(3), 140)
        )
    });
    Ok(Finding::measured(
        worst_secs,
        "s",
        threshold,
        format!(
            "slowest statement averages {} s ({} calls)",
            fmt_num(worst_secs, 2),
            top.get::<_, i64>(1)
        ),
    )
    .evidence(evidence))
}

pub async fn replication(ctx: &Context) -> CheckOutcome {
    let db = client(ctx).await?;
    let rows = db
        .query(
            "SELECT coalesce(application_name, ''), coalesce(host(client_addr), 'local'),
                    coalesce(state, ''),
                    coalesce(extract(epoch FROM replay_lag), 0)::float8,
                    coalesce(sync_state, '')
             FROM pg_stat_replication ORDER BY 1",
            &[],
        )
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?;
    let expected = ctx.settings.postgres.expected_replicas;
    let streaming = rows
        .iter()
        .filter(|r| r.get::<_, String>(2) == "streaming")
        .count() as i64;
    let evidence: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} from {}: {} ({}), replay lag {} s",
                r.get::<_, String>(0),
                r.get::<_, String>(1),
                r.get::<_, String>(2),
                r.get::<_, String>(4),
                fmt_num(r.get(3), 1)
            )
        })
        .collect();
    if rows.is_empty() && expected == 0 {
        return Ok(Finding::ok("no replicas").value(0.0, "s"));
    }
    if streaming < expected {
        return Ok(Finding::new(
            Status::Critical,
            format!("{streaming} of {expected} expected replicas streaming"),
        )
        .evidence(evidence));
    }
    let lag = rows.iter().map(|r| r.get::<_, f64>(3)).fold(0.0, f64::max);
    let mut finding = Finding::measured(
        lag,
        "s",
        ctx.settings.thresholds.replication_lag,
        format!(
            "{} replica(s), max replay lag {} s",
            rows.len(),
            fmt_num(lag, 1)
        ),
    )
    .evidence(evidence);
    if (rows.len() as i64) > streaming {
        finding = finding.at_least(Status::Warning);
        finding.summary = format!(
            "{} of {} replicas not streaming",
            rows.len() as i64 - streaming,
            rows.len()
        );
    }
    Ok(finding)
}

pub async fn locks(ctx: &Context) -> CheckOutcome {
    let db = client(ctx).await?;
    let rows = db
        .query(
            "SELECT pid, pg_blocking_pids(pid)::text,
                    coalesce(extract(epoch FROM now() - query_start), 0)::float8,
                    coalesce(wait_event_type || ':' || wait_event, ''), coalesce(query, '')
             FROM pg_stat_activity
             WHERE cardinality(pg_blocking_pids(pid)) > 0
             ORDER BY query_start LIMIT 50",
            &[],
        )
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?;
    if rows.is_empty() {
        return Ok(Finding::ok("no session is blocked by another").value(0.0, "sessions"));
    }
    let longest: f64 = rows.iter().map(|r| r.get::<_, f64>(2)).fold(0.0, f64::max);
    let status = if longest > ctx.settings.postgres.lock_wait_critical.0.as_secs_f64() {
        Status::Critical
    } else {
        Status::Warning
    };
    let evidence = rows.iter().map(|r| {
        format!(
            "pid {} blocked by {} for {} ({}): {}",
            r.get::<_, i32>(0),
            r.get::<_, String>(1),
            fmt_age(r.get(2)),
            r.get::<_, String>(3),
            redact::query(&r.get::<_, String>(4), 140)
        )
    });
    Ok(Finding::new(
        status,
        format!(
            "{} session(s) blocked, longest for {}",
            rows.len(),
            fmt_age(longest)
        ),
    )
    .value(rows.len() as f64, "sessions")
    .evidence(evidence))
}

pub async fn audit_logs(ctx: &Context) -> CheckOutcome {
    let db = client(ctx).await?;
    let pg = &ctx.settings.postgres;
    let table = &pg.audit_table;
    let exists = db
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[table])
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?
        .get::<_, bool>(0);
    if !exists {
        return Err(
            CheckError::new(format!("table {table} does not exist in this database"))
                .hint("set postgres.audit_table to the application's audit table"),
        );
    }
    // The table name is a validated identifier path (settings::is_sql_identifier_path), quoted
    // here; values are parameters.
    let quoted = table
        .split('.')
        .map(|p| format!("\"{p}\""))
        .collect::<Vec<_>>()
        .join(".");
    let window = pg.audit_window.0.as_secs_f64();
    let summary_sql = format!(
        "SELECT count(*),
                count(*) FILTER (WHERE row_to_json(a)::text ILIKE $2),
                max(created_at)::text
         FROM {quoted} a WHERE created_at > now() - make_interval(secs => $1)"
    );
    let row = db
        .query_one(&summary_sql, &[&window, &pg.audit_failure_pattern])
        .await
        .map_err(|e| {
            let err = pg_error(&e, &where_(ctx));
            if e.code() == Some(&SqlState::UNDEFINED_COLUMN) {
                err.hint(format!(
                    "{table} needs a created_at column, as in the seed runbook"
                ))
            } else {
                err
            }
        })?;
    let (rows, failures, latest): (i64, i64, Option<String>) = (row.get(0), row.get(1), row.get(2));
    let sample_sql = format!(
        "SELECT row_to_json(a)::text FROM {quoted} a
         WHERE created_at > now() - make_interval(secs => $1) AND row_to_json(a)::text ILIKE $2
         ORDER BY created_at DESC LIMIT 5"
    );
    let samples = db
        .query(&sample_sql, &[&window, &pg.audit_failure_pattern])
        .await
        .map_err(|e| pg_error(&e, &where_(ctx)))?;
    let evidence: Vec<String> = samples
        .iter()
        .map(|r| redact::truncate(&redact::secrets(&r.get::<_, String>(0)), 200))
        .chain(latest.map(|t| format!("latest row at {t}")))
        .collect();
    Ok(Finding::measured(
        failures as f64,
        "rows",
        ctx.settings.thresholds.audit_failures,
        format!(
            "{rows} audit rows in the last {}, {failures} matching '{}'",
            pg.audit_window, pg.audit_failure_pattern
        ),
    )
    .evidence(evidence))
}
