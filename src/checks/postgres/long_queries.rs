//! The seed's `psql ... pg_stat_activity WHERE state = 'active'` step: client queries running
//! longer than `postgres.long_query_warning`.

use super::{client, column, where_};
use crate::checks::{fmt_age, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::clients::postgres::pg_error;
use crate::output::redact;
use crate::settings::Settings;

/// Judged by durations in `[postgres]` (long_query_warning, long_query_critical), not by a level.
pub const LEVELS: &[&Level] = &[];

/// An active client query older than the warning limit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActiveQuery {
    pub pid: i32,
    pub user: String,
    pub database: String,
    pub age_secs: f64,
    /// `wait_event_type:wait_event`, empty when not waiting.
    pub wait: String,
    /// The query text as the server has it (redacted when shown).
    pub query: String,
}

/// The active client queries older than the warning limit, oldest first (at most 50).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub queries: Vec<ActiveQuery>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let where_ = where_(r.settings());
    let db = client(r).await?;
    let limit = r.settings().postgres.long_query_warning.0.as_secs_f64();
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
        .map_err(|e| pg_error(&e, &where_))?;
    let queries = rows
        .iter()
        .map(|row| -> Result<ActiveQuery, CheckError> {
            Ok(ActiveQuery {
                pid: column(row, 0, &where_)?,
                user: column(row, 1, &where_)?,
                database: column(row, 2, &where_)?,
                age_secs: column(row, 3, &where_)?,
                wait: column(row, 4, &where_)?,
                query: column(row, 5, &where_)?,
            })
        })
        .collect::<Result<Vec<_>, CheckError>>()?;
    Ok(Snapshot { queries })
}

/// Any query past the warning limit is a warning; the oldest past the critical limit is
/// critical.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let pg = &settings.postgres;
    // Oldest first, as read.
    let Some(oldest) = s.queries.first().map(|q| q.age_secs) else {
        return Ok(Finding::ok(format!(
            "no active query older than {}",
            pg.long_query_warning
        ))
        .value(0.0, "long queries"));
    };
    let status = if oldest > pg.long_query_critical.0.as_secs_f64() {
        Status::Critical
    } else {
        Status::Warning
    };
    let count = s.queries.len();
    Ok(Finding::new(
        status,
        format!(
            "{} active quer{} older than {} (oldest {})",
            count,
            if count == 1 { "y" } else { "ies" },
            pg.long_query_warning,
            fmt_age(oldest)
        ),
    )
    .value(count as f64, "long queries")
    .evidence(s.queries.iter().map(evidence_line)))
}

fn evidence_line(q: &ActiveQuery) -> String {
    let waiting = if q.wait.is_empty() {
        String::new()
    } else {
        format!(" (waiting {})", q.wait)
    };
    format!(
        "pid {} {}@{} running {}{}: {}",
        q.pid,
        q.user,
        q.database,
        fmt_age(q.age_secs),
        waiting,
        redact::query(&q.query, 160)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::types::Dur;

    fn query(pid: i32, age_secs: f64) -> ActiveQuery {
        ActiveQuery {
            pid,
            user: "app".into(),
            database: "reconciliation_app".into(),
            age_secs,
            wait: String::new(),
            query: "SELECT * FROM ledger".into(),
        }
    }

    fn status(oldest: f64) -> Status {
        let s = Snapshot {
            queries: vec![query(1, oldest)],
        };
        assess(&s, &default_settings()).expect("a finding").status
    }

    #[test]
    fn no_long_query_is_ok() {
        let f = assess(&Snapshot::default(), &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "no active query older than 5m");
        assert_eq!(f.value, Some(0.0));
        assert_eq!(f.unit, Some("long queries"));
        assert!(f.evidence.is_empty());
    }

    #[test]
    fn any_long_query_warns_and_the_oldest_past_the_critical_limit_is_critical() {
        // The warning limit is applied by the query itself: every row read is past it.
        assert_eq!(status(301.0), Status::Warning);
        assert_eq!(status(1800.0), Status::Warning);
        assert_eq!(status(1800.5), Status::Critical);
        assert_eq!(status(7200.0), Status::Critical);
    }

    #[test]
    fn the_first_row_is_the_oldest() {
        // Rows come oldest first (ORDER BY query_start); the summary names the first one.
        let s = Snapshot {
            queries: vec![query(7, 2000.0), query(8, 400.0)],
        };
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "2 active queries older than 5m (oldest 33m20s)");
        assert_eq!(f.value, Some(2.0));
        assert_eq!(f.unit, Some("long queries"));
    }

    #[test]
    fn evidence_names_the_session_its_wait_and_the_redacted_query() {
        let s = Snapshot {
            queries: vec![
                ActiveQuery {
                    wait: "Lock:transactionid".into(),
                    query: "UPDATE users SET password = 'hunter2'\n   WHERE id = 4".into(),
                    ..query(4242, 312.0)
                },
                ActiveQuery {
                    query: "SELECT 1 -- password=hunter2".into(),
                    ..query(4243, 305.0)
                },
            ],
        };
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.summary, "2 active queries older than 5m (oldest 5m12s)");
        assert_eq!(
            f.evidence,
            vec![
                "pid 4242 app@reconciliation_app running 5m12s (waiting Lock:transactionid): \
                 UPDATE users SET password = '***' WHERE id = 4"
                    .to_string(),
                "pid 4243 app@reconciliation_app running 5m05s: SELECT 1 -- password=***"
                    .to_string(),
            ]
        );
        assert!(f.evidence.iter().all(|line| !line.contains("hunter2")));
    }

    #[test]
    fn one_query_is_singular() {
        let s = Snapshot {
            queries: vec![query(1, 360.0)],
        };
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.summary, "1 active query older than 5m (oldest 6m00s)");
    }

    #[test]
    fn a_configured_critical_limit_changes_the_verdict() {
        let mut settings = default_settings();
        settings.postgres.long_query_critical = Dur::secs(600);
        let s = Snapshot {
            queries: vec![query(1, 601.0)],
        };
        assert_eq!(
            assess(&s, &settings).expect("a finding").status,
            Status::Critical
        );
        assert_eq!(
            assess(&s, &default_settings()).expect("a finding").status,
            Status::Warning
        );
    }
}
