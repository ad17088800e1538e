//! The servers' part of the bundle: PostgreSQL's sessions and lock graph (query texts with their
//! literals redacted), Redis `INFO`, Alertmanager's firing alerts, and the results of the
//! Prometheus queries diagnose judges by.

use super::{Collected, Piece};
use crate::clients::Context;
use serde_json::{json, Value};
use std::sync::Arc;

/// Longest query text kept, before redaction.
const QUERY_CHARS: usize = 2000;

/// The sessions (client backends and the rest), with what each waits on, as JSON rows.
const ACTIVITY: &str = "SELECT coalesce(json_agg(row_to_json(a) ORDER BY a.pid), '[]')::text FROM (
    SELECT pid, usename, application_name, client_addr::text AS client_addr, backend_type, state,
           wait_event_type, wait_event, query_start::text AS query_start,
           xact_start::text AS xact_start,
           extract(epoch FROM now() - query_start)::float8 AS running_secs,
           pg_blocking_pids(pid) AS blocked_by, query
    FROM pg_stat_activity WHERE pid <> pg_backend_pid()) a";

/// Who blocks whom: each blocked session and the ones holding it up.
const LOCKS: &str = "SELECT coalesce(json_agg(row_to_json(l)), '[]')::text FROM (
    SELECT blocked.pid AS blocked_pid, blocked.query AS blocked_query, blocker AS blocking_pid,
           (SELECT query FROM pg_stat_activity WHERE pid = blocker) AS blocking_query,
           extract(epoch FROM now() - blocked.query_start)::float8 AS waiting_secs
    FROM pg_stat_activity blocked, unnest(pg_blocking_pids(blocked.pid)) AS blocker) l";

/// Each `*query` field of each row replaced by its redacted text.
fn redact_queries(rows: &mut Value) {
    for row in rows.as_array_mut().into_iter().flatten() {
        for (key, value) in row.as_object_mut().into_iter().flatten() {
            if key.ends_with("query") {
                if let Some(q) = value.as_str() {
                    *value = Value::String(crate::output::redact::query(q, QUERY_CHARS));
                }
            }
        }
    }
}

async fn json_rows(client: &tokio_postgres::Client, sql: &str) -> Result<Value, String> {
    let row = client
        .query_one(sql, &[])
        .await
        .map_err(|e| crate::output::redact::error_chain(&e))?;
    let text: String = row.try_get(0).map_err(|e| e.to_string())?;
    let mut rows: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    redact_queries(&mut rows);
    Ok(rows)
}

pub async fn postgres(ctx: Arc<Context>) -> Collected {
    let client = match ctx.postgres().await {
        Ok(c) => c,
        Err(e) => return Collected::failed("postgres", e.message),
    };
    let mut out = Collected::default();
    for (path, source, sql) in [
        (
            "postgres/activity.json",
            "postgres pg_stat_activity",
            ACTIVITY,
        ),
        ("postgres/locks.json", "postgres pg_blocking_pids", LOCKS),
    ] {
        match json_rows(&client, sql).await {
            Ok(rows) => out.pieces.push(Piece::json(path, source, &rows)),
            Err(e) => out.withhold(source, format!("could not be read: {e}")),
        }
    }
    out.withhold(
        "query literals",
        "replaced by '?' in every query text (they can hold personal data or secrets)",
    );
    out
}

pub async fn redis(ctx: Arc<Context>) -> Collected {
    let mut conn = match ctx.redis().await {
        Ok(c) => c,
        Err(e) => return Collected::failed("redis", e.message),
    };
    match redis::cmd("INFO").query_async::<String>(&mut conn).await {
        Ok(info) => Collected {
            pieces: vec![Piece::new("redis/info.txt", "redis INFO", info)],
            withheld: Vec::new(),
        },
        Err(e) => Collected::failed("redis INFO", crate::output::redact::error_chain(&e)),
    }
}

pub async fn alerts(ctx: Arc<Context>) -> Collected {
    let readings = crate::checks::Readings::new(ctx);
    match crate::checks::alertmanager::read(&readings).await {
        Ok(snapshot) => Collected {
            pieces: vec![Piece::json(
                "alertmanager/alerts.json",
                "alertmanager active alerts",
                &snapshot.alerts,
            )],
            withheld: Vec::new(),
        },
        Err(e) => Collected::failed("alertmanager alerts", e.message),
    }
}

pub async fn prometheus(ctx: Arc<Context>) -> Collected {
    use crate::checks::prometheus::request_metrics::asked;
    use crate::types::RequestQuery;
    let readings = crate::checks::Readings::new(ctx.clone());
    // The request queries as the checks ask them: the team's, or the family's for the app.
    let mut queries: Vec<(&str, Result<String, crate::types::CheckError>)> = Vec::new();
    for (name, kind) in [
        ("error_rate", RequestQuery::ErrorRate),
        ("latency_p95", RequestQuery::LatencyP95),
        ("forbidden_rate", RequestQuery::ForbiddenRate),
    ] {
        queries.push((name, asked(&readings, kind).await.map(|a| a.query)));
    }
    queries.push((
        "disk_usage",
        Ok(ctx.settings.prometheus.disk_usage_query.clone()),
    ));
    let mut results = Vec::new();
    let mut out = Collected::default();
    for (name, query) in queries {
        let read = match query {
            Ok(query) => crate::clients::prometheus::instant_query(&ctx, &query)
                .await
                .map(|samples| (query, samples)),
            Err(e) => Err(e),
        };
        match read {
            Ok((query, samples)) => results.push(json!({
                "name": name,
                "query": query,
                "series": samples.iter().map(|s| json!({
                    "labels": s.labels.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
                    "value": s.value,
                })).collect::<Vec<_>>(),
            })),
            Err(e) => {
                out.withhold(format!("prometheus {name}"), format!("could not be read: {}", e.message));
                // The first failure is the server's: the others would only repeat it.
                if e.cause.is_some_and(|c| !c.reached()) {
                    break;
                }
            }
        }
    }
    if !results.is_empty() {
        out.pieces.push(Piece::json(
            "prometheus/queries.json",
            "prometheus instant queries",
            &results,
        ));
    }
    out
}
