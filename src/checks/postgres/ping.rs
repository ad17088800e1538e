//! The seed's first `psql ... -c "SELECT 1"` step: can we reach PostgreSQL, and how fast does it
//! answer.

use super::{client, column, where_};
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings};
use crate::clients::postgres::pg_error;
use crate::settings::Settings;
use std::time::Instant;

/// Reaching the server is what this check checks: no level, a failure is the finding.
pub const LEVELS: &[&Level] = &[];

/// How the server answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// `server_version`, as the server reports it.
    pub version: String,
    /// Round trip of `SELECT 1`, in milliseconds.
    pub round_trip_ms: f64,
    /// Time to get the connection (near 0 when another check already opened it).
    pub connect_ms: u128,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let where_ = where_(r.settings());
    let started = Instant::now();
    let db = client(r).await?;
    let connected = started.elapsed();
    let t0 = Instant::now();
    db.simple_query("SELECT 1")
        .await
        .map_err(|e| pg_error(&e, &where_))?;
    let round_trip_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let row = db
        .query_one("SELECT current_setting('server_version')", &[])
        .await
        .map_err(|e| pg_error(&e, &where_))?;
    Ok(Snapshot {
        version: column(&row, 0, &where_)?,
        round_trip_ms,
        connect_ms: connected.as_millis(),
    })
}

/// Ok whenever the server answered: the round trip is reported, not judged.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    Ok(Finding::ok(format!(
        "PostgreSQL {} answered SELECT 1 in {} ms",
        s.version,
        fmt_num(s.round_trip_ms, 1)
    ))
    .value(s.round_trip_ms, "ms")
    .evidence([format!(
        "{}: connected in {} ms",
        where_(settings),
        s.connect_ms
    )]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{default_settings, Status};
    use crate::settings::SecretUrl;

    fn snapshot() -> Snapshot {
        Snapshot {
            version: "16.4".into(),
            round_trip_ms: 0.4321,
            connect_ms: 12,
        }
    }

    #[test]
    fn an_answer_is_ok_with_its_round_trip() {
        let f = assess(&snapshot(), &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "PostgreSQL 16.4 answered SELECT 1 in 0.4 ms");
        assert_eq!(f.value, Some(0.4321));
        assert_eq!(f.unit, Some("ms"));
        assert_eq!(f.threshold, None);
        assert_eq!(
            f.evidence,
            vec![
                "postgres://reconciliation_user@postgres-service:5432/reconciliation_app: connected in 12 ms"
                    .to_string()
            ]
        );
    }

    #[test]
    fn a_slow_answer_is_still_ok() {
        let s = Snapshot {
            round_trip_ms: 2500.0,
            ..snapshot()
        };
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "PostgreSQL 16.4 answered SELECT 1 in 2500 ms");
    }

    #[test]
    fn the_password_in_the_url_is_not_shown() {
        let mut settings = default_settings();
        settings.postgres.url = SecretUrl::new("postgres://app:hunter2@db:5432/app");
        let f = assess(&snapshot(), &settings).expect("a finding");
        assert_eq!(
            f.evidence,
            vec!["postgres://app:***@db:5432/app: connected in 12 ms".to_string()]
        );
    }
}
