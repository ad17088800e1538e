//! The seed's `curl …/api/v1/query` step for the 403 rate (Security): the share of requests
//! answered 403 Forbidden over 5 minutes.

use super::{assess_ratio, read_request, RatioSnapshot};
use crate::checks::{CheckError, CheckOutcome, Level, Readings};
use crate::settings::Settings;
use crate::types::RequestQuery;

pub const FORBIDDEN_RATE: Level = Level::new(
    "forbidden_rate",
    1.0,
    5.0,
    "% of requests answered 403 over 5 minutes",
);
pub const LEVELS: &[&Level] = &[&FORBIDDEN_RATE];

/// The app's scope, which the query is narrowed to, comes from the cluster.
pub const KUBE_PERMISSIONS: crate::types::KubePermissions =
    super::request_metrics::SCOPE_PERMISSIONS;

/// What it asked (the team's prometheus.forbidden_rate_query or the family's, a 0–1 ratio) and the
/// series Prometheus answered.
pub type Snapshot = RatioSnapshot;

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    read_request(r, RequestQuery::ForbiddenRate).await
}

/// The highest series, in %, against the forbidden_rate level; no series (or only NaN: no traffic)
/// means no data.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    assess_ratio(s, settings.thresholds.level(&FORBIDDEN_RATE), "403 rate")
}

#[cfg(test)]
mod tests {
    #[test]
    fn judged_as_every_ratio_check() {
        crate::checks::prometheus::ratio_check_tests(
            super::assess,
            "403 rate",
            "forbidden_rate",
            crate::types::RequestQuery::ForbiddenRate,
        );
    }
}
