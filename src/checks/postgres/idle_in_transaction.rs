//! Sessions idle in an open transaction (Database runbook: connection pool exhaustion, locks).
//! `pg_stat_activity` shows them as `idle in transaction`: the application began a transaction
//! and stopped talking. Each one holds its connection, its locks and an old snapshot (vacuum
//! cannot clean behind it), so one forgotten transaction can block writers and starve the pool
//! while every query looks fast. `db kill-queries` does not touch them; the fix is in the app,
//! or `idle_in_transaction_session_timeout`.

use super::{client, column, where_};
use crate::checks::{fmt_age, CheckError, CheckOutcome, Finding, Level, Readings};
use crate::clients::postgres::pg_error;
use crate::output::redact;
use crate::settings::Settings;
use crate::types::sign::Sign;

/// How long the oldest session has been idle in its transaction, in seconds.
pub const IDLE_IN_TRANSACTION: Level = Level::new(
    "idle_in_transaction",
    60.0,
    300.0,
    "seconds the oldest session has been idle inside an open transaction",
);
pub const LEVELS: &[&Level] = &[&IDLE_IN_TRANSACTION];

/// Sessions shown as evidence: the oldest few say enough.
const SHOWN: i64 = 20;

/// A client session idle inside a transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdleSession {
    pub pid: i32,
    pub user: String,
    pub database: String,
    /// Seconds since the session went idle (its last state change).
    pub idle_secs: f64,
    /// `idle in transaction` or `idle in transaction (aborted)`.
    pub state: String,
    /// The last statement it ran (redacted when shown).
    pub last_query: String,
}

/// The oldest idle-in-transaction sessions (at most [`SHOWN`]) and how many there are in all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub sessions: Vec<IdleSession>,
    pub total: i64,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let where_ = where_(r.settings());
    let db = client(r).await?;
    let rows = db
        .query(
            "SELECT pid, coalesce(usename, ''), coalesce(datname, ''),
                    extract(epoch FROM now() - state_change)::float8, state,
                    coalesce(query, ''), count(*) OVER ()
             FROM pg_stat_activity
             WHERE backend_type = 'client backend'
               AND state IN ('idle in transaction', 'idle in transaction (aborted)')
               AND pid <> pg_backend_pid()
             ORDER BY state_change
             LIMIT $1",
            &[&SHOWN],
        )
        .await
        .map_err(|e| pg_error(&e, &where_))?;
    let mut snapshot = Snapshot::default();
    for row in &rows {
        snapshot.total = column(row, 6, &where_)?;
        snapshot.sessions.push(IdleSession {
            pid: column(row, 0, &where_)?,
            user: column(row, 1, &where_)?,
            database: column(row, 2, &where_)?,
            idle_secs: column(row, 3, &where_)?,
            state: column(row, 4, &where_)?,
            last_query: column(row, 5, &where_)?,
        });
    }
    Ok(snapshot)
}

/// Judged on the oldest session's idle time; every session is named with its last statement.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let threshold = settings.thresholds.level(&IDLE_IN_TRANSACTION);
    // Oldest first, as read.
    let Some(oldest) = s.sessions.first() else {
        return Ok(Finding::ok("no session idle in a transaction").value(0.0, "s"));
    };
    let summary = format!(
        "{} session(s) idle in a transaction (oldest {}, pid {})",
        s.total,
        fmt_age(oldest.idle_secs),
        oldest.pid
    );
    let mut evidence: Vec<String> = s.sessions.iter().map(evidence_line).collect();
    let unshown = s.total - s.sessions.len() as i64;
    if unshown > 0 {
        evidence.push(format!("{unshown} more not shown"));
    }
    let finding = Finding::measured(oldest.idle_secs, "s", threshold, summary).evidence(evidence);
    let sign = Sign::IdleInTransaction {
        sessions: s.total.max(0) as usize,
        since: super::locks::since(settings, oldest.idle_secs),
    };
    Ok(if finding.status.is_problem() {
        finding.signs([sign])
    } else {
        finding
    })
}

fn evidence_line(s: &IdleSession) -> String {
    format!(
        "pid {} {}@{} {} for {}; last statement: {}",
        s.pid,
        s.user,
        s.database,
        s.state,
        fmt_age(s.idle_secs),
        redact::query(&s.last_query, 160)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{default_settings, Status, Threshold};

    fn session(pid: i32, idle_secs: f64) -> IdleSession {
        IdleSession {
            pid,
            user: "app".into(),
            database: "reconciliation_app".into(),
            idle_secs,
            state: "idle in transaction".into(),
            last_query: "UPDATE accounts SET balance = balance - 10 WHERE id = 7".into(),
        }
    }

    fn snapshot(ages: &[f64]) -> Snapshot {
        Snapshot {
            sessions: ages
                .iter()
                .enumerate()
                .map(|(i, a)| session(100 + i as i32, *a))
                .collect(),
            total: ages.len() as i64,
        }
    }

    fn status(oldest: f64) -> Status {
        assess(&snapshot(&[oldest]), &default_settings())
            .unwrap()
            .status
    }

    #[test]
    fn no_idle_transaction_is_ok() {
        let f = assess(&Snapshot::default(), &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "no session idle in a transaction");
        assert_eq!(f.value, Some(0.0));
    }

    #[test]
    fn the_oldest_session_is_judged_at_each_level() {
        assert_eq!(status(60.0), Status::Ok);
        assert_eq!(status(60.5), Status::Warning);
        assert_eq!(status(300.0), Status::Warning);
        assert_eq!(status(300.5), Status::Critical);
    }

    #[test]
    fn evidence_names_each_session_and_its_last_statement_redacted() {
        let mut s = snapshot(&[400.0, 75.0]);
        s.sessions[1].state = "idle in transaction (aborted)".into();
        s.sessions[1].last_query = "ALTER ROLE app PASSWORD 'hunter2'".into();
        s.total = 23;
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(
            f.summary,
            "23 session(s) idle in a transaction (oldest 6m40s, pid 100)"
        );
        assert_eq!(f.value, Some(400.0));
        assert_eq!(f.threshold, Some(Threshold::new(60.0, 300.0)));
        assert_eq!(
            f.evidence[0],
            "pid 100 app@reconciliation_app idle in transaction for 6m40s; last statement: UPDATE accounts SET balance = balance - 10 WHERE id = 7"
        );
        assert!(f.evidence[1].starts_with(
            "pid 101 app@reconciliation_app idle in transaction (aborted) for 1m15s; last statement: ALTER ROLE app PASSWORD"
        ));
        assert!(!f.evidence.join("\n").contains("hunter2"));
        assert_eq!(f.evidence[2], "21 more not shown");
    }

    #[test]
    fn a_configured_level_changes_the_verdict() {
        let mut settings = default_settings();
        settings
            .thresholds
            .0
            .insert("idle_in_transaction".into(), Threshold::new(10.0, 30.0));
        let f = assess(&snapshot(&[45.0]), &settings).unwrap();
        assert_eq!(f.status, Status::Critical);
    }
}
