//! The seed's `curl …/api/v1/query` step for the 5xx rate (Error Rate): the share of requests
//! answered 5xx over 5 minutes.

use super::{assess_ratio, read_request, RatioSnapshot};
use crate::checks::{CheckError, CheckOutcome, Level, Readings};
use crate::settings::Settings;
use crate::types::RequestQuery;

pub const ERROR_RATE: Level = Level::new(
    "error_rate",
    1.0,
    5.0,
    "% of requests answered 5xx over 5 minutes",
);
pub const LEVELS: &[&Level] = &[&ERROR_RATE];

/// The app's scope, which the query is narrowed to, comes from the cluster.
pub const KUBE_PERMISSIONS: crate::types::KubePermissions =
    super::request_metrics::SCOPE_PERMISSIONS;

/// What it asked (the team's prometheus.error_rate_query or the family's, a 0–1 ratio) and the
/// series Prometheus answered.
pub type Snapshot = RatioSnapshot;

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    read_request(r, RequestQuery::ErrorRate).await
}

/// The highest series, in %, against the error_rate level; no series (or only NaN: no traffic)
/// means no data.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    assess_ratio(s, settings.thresholds.level(&ERROR_RATE), "5xx error rate")
}

#[cfg(test)]
mod tests {
    #[test]
    fn judged_as_every_ratio_check() {
        crate::checks::prometheus::ratio_check_tests(
            super::assess,
            "5xx error rate",
            "error_rate",
            crate::types::RequestQuery::ErrorRate,
        );
    }
}
