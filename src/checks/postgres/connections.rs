//! The seed's `psql ... "SELECT count(*) FROM pg_stat_activity"` step: client connections
//! against max_connections.

use super::{client, column, where_};
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings};
use crate::clients::postgres::pg_error;
use crate::settings::Settings;
use crate::types::sign::Sign;

/// The seed's connection alert: share of max_connections taken by client backends.
pub const CONNECTIONS: Level = Level::new(
    "postgres_connections",
    80.0,
    95.0,
    "% of max_connections in use",
);
pub const LEVELS: &[&Level] = &[&CONNECTIONS];

/// Client connections as pg_stat_activity shows them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    /// Client backends (autovacuum, walsenders and background workers are not counted).
    pub used: f64,
    pub max_connections: f64,
    pub superuser_reserved: f64,
    /// Client backends per state (`unknown` when the state is NULL), most first.
    pub by_state: Vec<(String, i64)>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let where_ = where_(r.settings());
    let db = client(r).await?;
    let row = db
        .query_one(
            "SELECT count(*) FILTER (WHERE backend_type = 'client backend')::float8,
                    current_setting('max_connections')::float8,
                    current_setting('superuser_reserved_connections')::float8
             FROM pg_stat_activity",
            &[],
        )
        .await
        .map_err(|e| pg_error(&e, &where_))?;
    let (used, max_connections, superuser_reserved): (f64, f64, f64) = (
        column(&row, 0, &where_)?,
        column(&row, 1, &where_)?,
        column(&row, 2, &where_)?,
    );
    let states = db
        .query(
            "SELECT coalesce(state, 'unknown'), count(*)
             FROM pg_stat_activity WHERE backend_type = 'client backend'
             GROUP BY 1 ORDER BY 2 DESC, 1",
            &[],
        )
        .await
        .map_err(|e| pg_error(&e, &where_))?;
    let by_state = states
        .iter()
        .map(|row| -> Result<(String, i64), CheckError> {
            Ok((column(row, 0, &where_)?, column(row, 1, &where_)?))
        })
        .collect::<Result<Vec<_>, CheckError>>()?;
    Ok(Snapshot {
        used,
        max_connections,
        superuser_reserved,
        by_state,
    })
}

/// The share of max_connections in use, judged by [`CONNECTIONS`].
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let pct = if s.max_connections > 0.0 {
        s.used / s.max_connections * 100.0
    } else {
        0.0
    };
    let by_state: Vec<String> = s
        .by_state
        .iter()
        .map(|(state, count)| format!("{state} {count}"))
        .collect();
    let finding = Finding::measured(
        pct,
        "%",
        settings.thresholds.level(&CONNECTIONS),
        format!(
            "{} of {} connections in use ({}%)",
            s.used,
            s.max_connections,
            fmt_num(pct, 1)
        ),
    )
    .evidence([
        format!("by state: {}", by_state.join(", ")),
        format!("{} reserved for superusers", s.superuser_reserved),
    ]);
    let near = finding.status.is_problem();
    Ok(finding.signs(near.then_some(Sign::ConnectionsNearLimit {
        used: s.used,
        max: s.max_connections,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{default_settings, Status, Threshold};

    fn with_used(used: f64) -> Snapshot {
        Snapshot {
            used,
            max_connections: 100.0,
            superuser_reserved: 3.0,
            by_state: vec![("idle".into(), 30), ("active".into(), 12)],
        }
    }

    fn status(used: f64) -> Status {
        assess(&with_used(used), &default_settings())
            .expect("a finding")
            .status
    }

    #[test]
    fn few_connections_are_ok_with_their_evidence() {
        let f = assess(&with_used(42.0), &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "42 of 100 connections in use (42%)");
        assert_eq!(f.value, Some(42.0));
        assert_eq!(f.unit, Some("%"));
        assert_eq!(f.threshold, Some(Threshold::new(80.0, 95.0)));
        assert_eq!(
            f.evidence,
            vec![
                "by state: idle 30, active 12".to_string(),
                "3 reserved for superusers".to_string()
            ]
        );
    }

    #[test]
    fn levels_are_strictly_above() {
        assert_eq!(status(80.0), Status::Ok);
        assert_eq!(status(81.0), Status::Warning);
        assert_eq!(status(95.0), Status::Warning);
        assert_eq!(status(96.0), Status::Critical);
    }

    #[test]
    fn a_full_server_is_critical() {
        let f = assess(&with_used(100.0), &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "100 of 100 connections in use (100%)");
    }

    #[test]
    fn fractions_are_shown_to_one_place() {
        let s = Snapshot {
            used: 2.0,
            max_connections: 3.0,
            ..with_used(0.0)
        };
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.summary, "2 of 3 connections in use (66.7%)");
    }

    #[test]
    fn no_max_connections_reads_as_zero_percent() {
        let s = Snapshot {
            used: 5.0,
            max_connections: 0.0,
            superuser_reserved: 0.0,
            by_state: Vec::new(),
        };
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "5 of 0 connections in use (0%)");
        assert_eq!(f.evidence[0], "by state: ");
    }

    #[test]
    fn a_configured_level_changes_the_verdict() {
        let mut settings = default_settings();
        settings
            .thresholds
            .0
            .insert("postgres_connections".into(), Threshold::new(30.0, 40.0));
        let f = assess(&with_used(42.0), &settings).expect("a finding");
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.threshold, Some(Threshold::new(30.0, 40.0)));
    }
}
