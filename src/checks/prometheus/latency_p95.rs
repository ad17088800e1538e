//! The seed's `curl …/api/v1/query` step for response times (Performance): the 95th percentile
//! of request latency over 5 minutes.

use super::{highest, read_request, RequestSnapshot};
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings};
use crate::settings::Settings;
use crate::types::RequestQuery;

pub const LATENCY_P95: Level = Level::new(
    "latency_p95",
    2.0,
    5.0,
    "p95 request latency in seconds over 5 minutes",
);
pub const LEVELS: &[&Level] = &[&LATENCY_P95];

/// The app's scope, which the query is narrowed to, comes from the cluster.
pub const KUBE_PERMISSIONS: crate::types::KubePermissions =
    super::request_metrics::SCOPE_PERMISSIONS;

/// What it asked (the team's prometheus.latency_p95_query or the family's, in seconds) and the
/// series Prometheus answered.
pub type Snapshot = RequestSnapshot;

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    read_request(r, RequestQuery::LatencyP95).await
}

/// The slowest series against the latency_p95 level; no series (or only NaN: no requests) means
/// no data.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let Some(worst) = highest(&s.samples) else {
        return Err(
            CheckError::new("no data: the p95 latency query returned no series")
                .hint(s.asked.no_data_hint(s.kind)),
        );
    };
    Ok(Finding::measured(
        worst.value,
        "s",
        settings.thresholds.level(&LATENCY_P95),
        format!("p95 latency {} s over 5m", fmt_num(worst.value, 3)),
    )
    .evidence(s.asked.evidence()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::prometheus::request_snapshot;
    use crate::checks::{default_settings, Status, Threshold};

    fn snapshot(values: &[f64]) -> Snapshot {
        request_snapshot(RequestQuery::LatencyP95, values)
    }

    fn status_at(seconds: f64) -> Status {
        assess(&snapshot(&[seconds]), &default_settings())
            .unwrap()
            .status
    }

    #[test]
    fn a_fast_p95_is_ok_with_the_query_as_evidence() {
        let s = snapshot(&[0.2345]);
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "p95 latency 0.234 s over 5m");
        assert_eq!(f.value, Some(0.2345));
        assert_eq!(f.unit, Some("s"));
        assert_eq!(f.threshold, Some(Threshold::new(2.0, 5.0)));
        assert_eq!(f.evidence, s.asked.evidence());
        assert!(f.evidence[0].contains("http_request_duration_seconds_bucket{namespace=\"shop\""));
    }

    #[test]
    fn the_levels_are_strictly_above_two_and_five_seconds() {
        assert_eq!(status_at(2.0), Status::Ok);
        assert_eq!(status_at(2.001), Status::Warning);
        assert_eq!(status_at(5.0), Status::Warning);
        assert_eq!(status_at(5.001), Status::Critical);
    }

    #[test]
    fn the_slowest_series_decides() {
        let f = assess(&snapshot(&[0.1, f64::NAN, 7.5]), &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "p95 latency 7.5 s over 5m");
        assert_eq!(f.value, Some(7.5));
    }

    #[test]
    fn no_requests_is_no_data() {
        for s in [snapshot(&[]), snapshot(&[f64::NAN])] {
            let err = assess(&s, &default_settings()).unwrap_err();
            assert_eq!(
                err.message,
                "no data: the p95 latency query returned no series"
            );
            let hint = err.hint.unwrap_or_default();
            assert!(hint.contains("prometheus.latency_p95_query"), "{hint}");
        }
    }

    #[test]
    fn a_configured_level_changes_the_verdict() {
        let mut settings = default_settings();
        settings
            .thresholds
            .0
            .insert("latency_p95".into(), Threshold::new(0.1, 0.2));
        let f = assess(&snapshot(&[0.2345]), &settings).unwrap();
        assert_eq!(f.status, Status::Critical);
    }
}
