//! The incident's live state in the servers: PostgreSQL sessions that hold a long query, a lock
//! and its victim, and idle connections; Redis near maxmemory; and passwords required, as on a
//! real server.

use super::app_postgres_url;
use crate::scenario::{self, Scenario};
use crate::servers::{Postgres, Redis};
use std::time::Duration;

fn fail(what: &str) -> impl Fn(String) -> String + '_ {
    move |e| format!("{what}: {e}")
}

/// Fills Redis and opens the sessions the incident needs, at once; the sessions stay open while
/// their tasks run.
pub(super) fn make_incident(
    runtime: &tokio::runtime::Runtime,
    postgres: &Postgres,
    redis: &Redis,
    scenario: Scenario,
) -> Result<Vec<tokio::task::JoinHandle<()>>, String> {
    let incident = scenario.has_incident();
    let app_url = app_postgres_url(postgres);
    let redis_url = redis.url();
    runtime.block_on(async {
        let filled = fill_redis(&redis_url, incident);
        let sessions = open_sessions(&app_url, scenario);
        let (filled, sessions) = tokio::join!(filled, sessions);
        filled.map_err(fail("redis"))?;
        sessions.map_err(fail("postgres sessions"))
    })
}

/// initdb trusts everyone; from here on, everyone but the local superuser needs a password, as
/// on a real server (so a wrong password really fails).
pub(super) fn require_passwords(pg: &Postgres) -> Result<(), String> {
    let hba = pg.dir.join("data").join("pg_hba.conf");
    std::fs::write(
        &hba,
        "local all all trust\n\
         host all postgres 127.0.0.1/32 trust\n\
         host replication postgres 127.0.0.1/32 trust\n\
         host all all 127.0.0.1/32 scram-sha-256\n\
         host all all ::1/128 scram-sha-256\n",
    )
    .map_err(|e| format!("writing {}: {e}", hba.display()))?;
    pg.psql("postgres", "SELECT pg_reload_conf()")
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Near maxmemory in the incident (about 90% of 8 MiB), lightly used otherwise; some lookups
/// so the hit rate means something.
async fn fill_redis(url: &str, incident: bool) -> Result<(), String> {
    let client = redis::Client::open(url).map_err(|e| e.to_string())?;
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .map_err(|e| e.to_string())?;
    let info = |text: &str, key: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0.0)
    };
    let value = "x".repeat(1024);
    let target = if incident { 0.90 } else { 0.02 };
    let mut batch = 0;
    loop {
        let mem: String = redis::cmd("INFO")
            .arg("memory")
            .query_async(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        let (used, max) = (info(&mem, "used_memory"), info(&mem, "maxmemory"));
        if max <= 0.0 || used / max >= target || batch > 400 {
            break;
        }
        let mut pipe = redis::pipe();
        for i in 0..100 {
            pipe.cmd("SET")
                .arg(format!("session:{batch}:{i}"))
                .arg(&value)
                .ignore();
        }
        pipe.query_async::<()>(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        batch += 1;
    }
    let mut pipe = redis::pipe();
    for i in 0..300 {
        pipe.cmd("GET")
            .arg(format!("session:0:{}", i % 150))
            .ignore();
    }
    pipe.query_async::<()>(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn pg_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => format!("{e}: {:?}", std::error::Error::source(e)),
    }
}

async fn connect(url: &str) -> Result<tokio_postgres::Client, String> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|e| pg_text(&e))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// The incident's live database state: a long-running query, a session holding a lock and one
/// blocked behind it, idle connections, and a slow statement recorded in pg_stat_statements.
async fn open_sessions(
    url: &str,
    scenario: Scenario,
) -> Result<Vec<tokio::task::JoinHandle<()>>, String> {
    let mut held = Vec::new();
    let warm = connect(url).await?;
    warm.batch_execute("SELECT count(*) FROM accounts; SELECT * FROM sessions WHERE user_id = 3")
        .await
        .map_err(|e| pg_text(&e))?;
    if !scenario.has_incident() {
        return Ok(held);
    }
    // A query that never ends, started first so it is the oldest.
    let sleeper = connect(url).await?;
    let sleep = if scenario == Scenario::Hostile {
        format!(
            "SELECT pg_sleep(3600) /* export {} */",
            scenario::CONTROL_PAYLOAD
        )
    } else {
        "SELECT pg_sleep(3600) /* nightly reconciliation export */".to_string()
    };
    held.push(tokio::spawn(async move {
        let _ = sleeper.simple_query(&sleep).await;
    }));
    // A session holding an exclusive lock inside an open transaction, and one waiting on it.
    let holder = connect(url).await?;
    holder
        .batch_execute("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        .await
        .map_err(|e| pg_text(&e))?;
    held.push(tokio::spawn(async move {
        let _keep_open = holder;
        tokio::time::sleep(Duration::from_secs(86_400)).await;
    }));
    let waiter = connect(url).await?;
    held.push(tokio::spawn(async move {
        let _ = waiter
            .simple_query("SELECT sum(balance) FROM accounts WHERE name LIKE 'account 4%'")
            .await;
    }));
    // Held idle connections: with max_connections = 25 the pool is over 80% used.
    for _ in 0..17 {
        let idle = connect(url).await?;
        held.push(tokio::spawn(async move {
            let _keep_open = idle;
            tokio::time::sleep(Duration::from_secs(86_400)).await;
        }));
    }
    // A slow statement for pg_stat_statements (mean above the 2 s warning level).
    warm.batch_execute("SELECT pg_sleep(2.2)")
        .await
        .map_err(|e| pg_text(&e))?;
    Ok(held)
}
