//! The seed's `curl …/api/v1/query` step for the 5xx rate (Error Rate): the share of requests
//! answered 5xx over 5 minutes.

use super::{assess_ratio, instant_query, Sample};
use crate::checks::{CheckError, CheckOutcome, Level, Readings};
use crate::settings::Settings;

pub const ERROR_RATE: Level = Level::new(
    "error_rate",
    1.0,
    5.0,
    "% of requests answered 5xx over 5 minutes",
);
pub const LEVELS: &[&Level] = &[&ERROR_RATE];

/// The query asked (prometheus.error_rate_query, a 0–1 ratio) and the series Prometheus answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub query: String,
    pub samples: Vec<Sample>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let query = r.settings().prometheus.error_rate_query.clone();
    let samples = instant_query(&r.ctx, &query).await?;
    Ok(Snapshot { query, samples })
}

/// The highest series, in %, against the error_rate level; no series (or only NaN: no traffic)
/// means no data.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    assess_ratio(
        &s.query,
        &s.samples,
        settings.thresholds.level(&ERROR_RATE),
        "5xx error rate",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::prometheus::sample;
    use crate::checks::{default_settings, Status, Threshold};

    const QUERY: &str =
        r#"sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))"#;

    fn snapshot(values: &[f64]) -> Snapshot {
        Snapshot {
            query: QUERY.to_string(),
            samples: values.iter().map(|v| sample(&[], *v)).collect(),
        }
    }

    fn status_at(ratio: f64) -> Status {
        assess(&snapshot(&[ratio]), &default_settings())
            .unwrap()
            .status
    }

    #[test]
    fn a_low_rate_is_ok_with_the_query_as_evidence() {
        let f = assess(&snapshot(&[0.002]), &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "5xx error rate 0.2% over 5m");
        assert_eq!(f.value, Some(0.2));
        assert_eq!(f.unit, Some("%"));
        assert_eq!(f.threshold, Some(Threshold::new(1.0, 5.0)));
        assert_eq!(f.evidence, vec![format!("query: {QUERY}")]);
    }

    #[test]
    fn the_levels_are_strictly_above_one_and_five_percent() {
        assert_eq!(status_at(0.01), Status::Ok);
        assert_eq!(status_at(0.0101), Status::Warning);
        assert_eq!(status_at(0.05), Status::Warning);
        assert_eq!(status_at(0.0501), Status::Critical);
    }

    #[test]
    fn the_worst_series_decides_and_is_shown() {
        let f = assess(&snapshot(&[0.001, 0.125, f64::NAN]), &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "5xx error rate 12.5% over 5m");
    }

    #[test]
    fn no_traffic_is_no_data() {
        for s in [snapshot(&[]), snapshot(&[f64::NAN])] {
            let err = assess(&s, &default_settings()).unwrap_err();
            assert_eq!(
                err.message,
                "no data: the 5xx error rate query returned no series"
            );
            assert_eq!(
                err.hint.as_deref(),
                Some("is the application's http_requests_total scraped? Adjust the query in the config file")
            );
        }
    }

    #[test]
    fn a_configured_level_changes_the_verdict() {
        let mut settings = default_settings();
        assert_eq!(
            assess(&snapshot(&[0.008]), &settings).unwrap().status,
            Status::Ok
        );
        settings
            .thresholds
            .0
            .insert("error_rate".into(), Threshold::new(0.5, 2.0));
        let f = assess(&snapshot(&[0.008]), &settings).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.threshold, Some(Threshold::new(0.5, 2.0)));
    }
}
