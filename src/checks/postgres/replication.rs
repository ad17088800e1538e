//! The seed's `psql ... pg_stat_replication` step: are the expected replicas streaming, and how
//! far behind they replay.

use super::{client, column, where_};
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::clients::postgres::pg_error;
use crate::settings::Settings;

/// The seed's replication alert: the largest replay lag of any replica.
pub const REPLICATION_LAG: Level = Level::new(
    "replication_lag",
    10.0,
    60.0,
    "seconds, largest replay lag of the replicas",
);
pub const LEVELS: &[&Level] = &[&REPLICATION_LAG];

/// A row of pg_stat_replication.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Replica {
    pub application_name: String,
    /// The replica's address, `local` for a Unix socket.
    pub client: String,
    pub state: String,
    /// Seconds; 0 when the server reports none.
    pub replay_lag_secs: f64,
    pub sync_state: String,
}

/// The replicas connected to this server, by application name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub replicas: Vec<Replica>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let where_ = where_(r.settings());
    let db = client(r).await?;
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
        .map_err(|e| pg_error(&e, &where_))?;
    let replicas = rows
        .iter()
        .map(|row| -> Result<Replica, CheckError> {
            Ok(Replica {
                application_name: column(row, 0, &where_)?,
                client: column(row, 1, &where_)?,
                state: column(row, 2, &where_)?,
                replay_lag_secs: column(row, 3, &where_)?,
                sync_state: column(row, 4, &where_)?,
            })
        })
        .collect::<Result<Vec<_>, CheckError>>()?;
    Ok(Snapshot { replicas })
}

/// Fewer streaming replicas than `postgres.expected_replicas` is critical; otherwise the largest
/// replay lag is judged by [`REPLICATION_LAG`], and a replica that is not streaming is at least
/// a warning.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let expected = settings.postgres.expected_replicas;
    let total = s.replicas.len() as i64;
    let streaming = s
        .replicas
        .iter()
        .filter(|replica| replica.state == "streaming")
        .count() as i64;
    let evidence: Vec<String> = s
        .replicas
        .iter()
        .map(|replica| {
            format!(
                "{} from {}: {} ({}), replay lag {} s",
                replica.application_name,
                replica.client,
                replica.state,
                replica.sync_state,
                fmt_num(replica.replay_lag_secs, 1)
            )
        })
        .collect();
    if total == 0 && expected == 0 {
        return Ok(Finding::ok("no replicas").value(0.0, "s"));
    }
    if streaming < expected {
        return Ok(Finding::new(
            Status::Critical,
            format!("{streaming} of {expected} expected replicas streaming"),
        )
        .evidence(evidence));
    }
    let lag = s
        .replicas
        .iter()
        .map(|replica| replica.replay_lag_secs)
        .fold(0.0, f64::max);
    let mut finding = Finding::measured(
        lag,
        "s",
        settings.thresholds.level(&REPLICATION_LAG),
        format!("{total} replica(s), max replay lag {} s", fmt_num(lag, 1)),
    )
    .evidence(evidence);
    if total > streaming {
        finding = finding.at_least(Status::Warning);
        finding.summary = format!("{} of {total} replicas not streaming", total - streaming);
    }
    Ok(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{default_settings, Threshold};

    fn replica(name: &str, state: &str, lag: f64) -> Replica {
        Replica {
            application_name: name.into(),
            client: "10.0.0.7".into(),
            state: state.into(),
            replay_lag_secs: lag,
            sync_state: "async".into(),
        }
    }

    fn one_streaming(lag: f64) -> Snapshot {
        Snapshot {
            replicas: vec![replica("replica-1", "streaming", lag)],
        }
    }

    fn status(lag: f64) -> Status {
        assess(&one_streaming(lag), &default_settings())
            .expect("a finding")
            .status
    }

    #[test]
    fn no_replica_expected_and_none_there_is_ok() {
        let f = assess(&Snapshot::default(), &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "no replicas");
        assert_eq!(f.value, Some(0.0));
        assert_eq!(f.unit, Some("s"));
        assert_eq!(f.threshold, None);
    }

    #[test]
    fn a_streaming_replica_is_ok_with_its_evidence() {
        let f = assess(&one_streaming(0.24), &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "1 replica(s), max replay lag 0.2 s");
        assert_eq!(f.value, Some(0.24));
        assert_eq!(f.threshold, Some(Threshold::new(10.0, 60.0)));
        assert_eq!(
            f.evidence,
            vec!["replica-1 from 10.0.0.7: streaming (async), replay lag 0.2 s".to_string()]
        );
    }

    #[test]
    fn lag_levels_are_strictly_above() {
        assert_eq!(status(10.0), Status::Ok);
        assert_eq!(status(10.1), Status::Warning);
        assert_eq!(status(60.0), Status::Warning);
        assert_eq!(status(60.1), Status::Critical);
    }

    #[test]
    fn fewer_streaming_than_expected_is_critical() {
        let mut settings = default_settings();
        settings.postgres.expected_replicas = 2;
        let s = Snapshot {
            replicas: vec![
                replica("replica-1", "streaming", 1.0),
                replica("replica-2", "catchup", 30.0),
            ],
        };
        let f = assess(&s, &settings).expect("a finding");
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "1 of 2 expected replicas streaming");
        assert_eq!(f.value, None);
        assert_eq!(
            f.evidence,
            vec![
                "replica-1 from 10.0.0.7: streaming (async), replay lag 1 s".to_string(),
                "replica-2 from 10.0.0.7: catchup (async), replay lag 30 s".to_string(),
            ]
        );
    }

    #[test]
    fn an_expected_replica_missing_entirely_is_critical() {
        let mut settings = default_settings();
        settings.postgres.expected_replicas = 1;
        let f = assess(&Snapshot::default(), &settings).expect("a finding");
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "0 of 1 expected replicas streaming");
        assert!(f.evidence.is_empty());
    }

    #[test]
    fn a_replica_not_streaming_is_at_least_a_warning() {
        let s = Snapshot {
            replicas: vec![
                replica("replica-1", "streaming", 1.0),
                replica("replica-2", "startup", 0.0),
            ],
        };
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.summary, "1 of 2 replicas not streaming");
        assert_eq!(f.value, Some(1.0));
        // A lag past critical still makes it critical.
        let s = Snapshot {
            replicas: vec![
                replica("replica-1", "streaming", 90.0),
                replica("replica-2", "startup", 0.0),
            ],
        };
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "1 of 2 replicas not streaming");
    }

    #[test]
    fn a_configured_level_changes_the_verdict() {
        let mut settings = default_settings();
        settings
            .thresholds
            .0
            .insert("replication_lag".into(), Threshold::new(1.0, 5.0));
        let f = assess(&one_streaming(6.0), &settings).expect("a finding");
        assert_eq!(f.status, Status::Critical);
        assert_eq!(status(6.0), Status::Ok);
    }
}
