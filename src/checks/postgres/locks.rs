//! The seed's `psql ... pg_locks` step: sessions blocked by another session's locks
//! (pg_blocking_pids).

use super::{client, column, where_};
use crate::checks::{fmt_age, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::clients::postgres::pg_error;
use crate::output::redact;
use crate::settings::Settings;
use crate::types::sign::Sign;

/// Judged by `postgres.lock_wait_critical`, a duration, not by a level.
pub const LEVELS: &[&Level] = &[];

/// A session waiting on another's lock.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlockedSession {
    pub pid: i32,
    /// The blocking pids as PostgreSQL prints an array: `{4242,4243}`.
    pub blocked_by: String,
    /// Seconds since its query started (0 when unknown).
    pub waiting_secs: f64,
    /// `wait_event_type:wait_event`, empty when none.
    pub wait: String,
    /// The query text as the server has it (redacted when shown).
    pub query: String,
}

/// The blocked sessions, longest-running query first (at most 50).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub blocked: Vec<BlockedSession>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let where_ = where_(r.settings());
    let db = client(r).await?;
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
        .map_err(|e| pg_error(&e, &where_))?;
    let blocked = rows
        .iter()
        .map(|row| -> Result<BlockedSession, CheckError> {
            Ok(BlockedSession {
                pid: column(row, 0, &where_)?,
                blocked_by: column(row, 1, &where_)?,
                waiting_secs: column(row, 2, &where_)?,
                wait: column(row, 3, &where_)?,
                query: column(row, 4, &where_)?,
            })
        })
        .collect::<Result<Vec<_>, CheckError>>()?;
    Ok(Snapshot { blocked })
}

/// Any blocked session is a warning; one blocked longer than `postgres.lock_wait_critical` is
/// critical.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    if s.blocked.is_empty() {
        return Ok(Finding::ok("no session is blocked by another").value(0.0, "blocked sessions"));
    }
    let longest = s
        .blocked
        .iter()
        .map(|session| session.waiting_secs)
        .fold(0.0, f64::max);
    let status = if longest > settings.postgres.lock_wait_critical.0.as_secs_f64() {
        Status::Critical
    } else {
        Status::Warning
    };
    let evidence = s.blocked.iter().map(|session| {
        format!(
            "pid {} blocked by {} for {} ({}): {}",
            session.pid,
            session.blocked_by,
            fmt_age(session.waiting_secs),
            session.wait,
            redact::query(&session.query, 140)
        )
    });
    Ok(Finding::new(
        status,
        format!(
            "{} session(s) blocked, longest for {}",
            s.blocked.len(),
            fmt_age(longest)
        ),
    )
    .value(s.blocked.len() as f64, "blocked sessions")
    .evidence(evidence)
    .signs([Sign::LockChain {
        blocked: s.blocked.len(),
        blockers: blockers(&s.blocked),
        since: since(settings, longest),
    }]))
}

/// The pids holding the locks, once each: `{4242,4243}` as PostgreSQL prints the array.
fn blockers(blocked: &[BlockedSession]) -> Vec<String> {
    let mut pids: Vec<String> = blocked
        .iter()
        .flat_map(|b| {
            b.blocked_by
                .trim_matches(|c| c == '{' || c == '}')
                .split(',')
        })
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    pids.sort();
    pids.dedup();
    pids
}

/// `secs` before the run's now: when a condition seen now began, at the latest.
pub(crate) fn since(settings: &Settings, secs: f64) -> Option<jiff::Timestamp> {
    jiff::Timestamp::from_second(settings.now().as_second() - secs.round() as i64).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::types::Dur;

    fn session(pid: i32, waiting_secs: f64) -> BlockedSession {
        BlockedSession {
            pid,
            blocked_by: "{4242}".into(),
            waiting_secs,
            wait: "Lock:relation".into(),
            query: "LOCK TABLE ledger".into(),
        }
    }

    fn status(waiting_secs: f64) -> Status {
        let s = Snapshot {
            blocked: vec![session(1, waiting_secs)],
        };
        assess(&s, &default_settings()).expect("a finding").status
    }

    #[test]
    fn nobody_blocked_is_ok() {
        let f = assess(&Snapshot::default(), &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "no session is blocked by another");
        assert_eq!(f.value, Some(0.0));
        assert_eq!(f.unit, Some("blocked sessions"));
        assert!(f.evidence.is_empty());
    }

    #[test]
    fn any_blocked_session_warns_and_one_past_the_limit_is_critical() {
        assert_eq!(status(0.0), Status::Warning);
        assert_eq!(status(300.0), Status::Warning);
        assert_eq!(status(300.5), Status::Critical);
    }

    #[test]
    fn the_longest_wait_decides_whatever_its_place() {
        let s = Snapshot {
            blocked: vec![session(10, 20.0), session(11, 400.0)],
        };
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "2 session(s) blocked, longest for 6m40s");
        assert_eq!(f.value, Some(2.0));
    }

    #[test]
    fn evidence_names_the_blockers_and_hides_literals_and_secrets() {
        let s = Snapshot {
            blocked: vec![
                BlockedSession {
                    pid: 4300,
                    blocked_by: "{4242,4243}".into(),
                    waiting_secs: 75.0,
                    wait: "Lock:transactionid".into(),
                    query: "UPDATE accounts   SET note = 'card 4111'\nWHERE id = 9".into(),
                },
                BlockedSession {
                    query: "SET app.token=hunter2".into(),
                    wait: String::new(),
                    ..session(4301, 3.0)
                },
            ],
        };
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.summary, "2 session(s) blocked, longest for 1m15s");
        assert_eq!(
            f.evidence,
            vec![
                "pid 4300 blocked by {4242,4243} for 1m15s (Lock:transactionid): \
                 UPDATE accounts SET note = '…' WHERE id = 9"
                    .to_string(),
                "pid 4301 blocked by {4242} for 3s (): SET app.token=***".to_string(),
            ]
        );
    }

    #[test]
    fn a_configured_limit_changes_the_verdict() {
        let mut settings = default_settings();
        settings.postgres.lock_wait_critical = Dur::secs(30);
        let s = Snapshot {
            blocked: vec![session(1, 31.0)],
        };
        assert_eq!(
            assess(&s, &settings).expect("a finding").status,
            Status::Critical
        );
        assert_eq!(status(31.0), Status::Warning);
    }
}
