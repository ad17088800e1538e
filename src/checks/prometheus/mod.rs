//! Prometheus: the seed's `curl …/api/v1/query` steps, as ratios and quantiles that mean what
//! the runbook's thresholds say. What the four checks share lives here: the judging of a single
//! ratio; the queries themselves are `clients::prometheus`'s.

pub mod disk_usage;
pub mod error_rate;
pub mod families;
pub mod forbidden_rate;
pub mod latency_p95;
pub mod request_metrics;

pub use request_metrics::{Asked, FamilyChoice};

use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Readings, Threshold};
use crate::clients::prometheus::{highest, instant_query, Sample};
use crate::types::RequestQuery;

/// A single-ratio check (0–1, shown in %): the highest series decides; NaN (0/0, no traffic)
/// reads as no data. `what` names the ratio in the summary ("5xx error rate").
pub fn assess_ratio(s: &RatioSnapshot, threshold: Threshold, what: &str) -> CheckOutcome {
    let Some(worst) = highest(&s.samples) else {
        return Err(
            CheckError::new(format!("no data: the {what} query returned no series"))
                .hint(s.asked.no_data_hint(s.kind)),
        );
    };
    let pct = worst.value * 100.0;
    Ok(Finding::measured(
        pct,
        "%",
        threshold,
        format!("{what} {}% over 5m", fmt_num(pct, 2)),
    )
    .evidence(s.asked.evidence()))
}

/// What a request check read: what it asked (a 0–1 ratio, or seconds) and the series
/// Prometheus answered.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSnapshot {
    pub kind: RequestQuery,
    pub asked: Asked,
    pub samples: Vec<Sample>,
}

/// What a ratio check (error_rate, forbidden_rate) read.
pub type RatioSnapshot = RequestSnapshot;

/// Asks the app's request metrics `kind`: the team's query or the family's.
pub async fn read_request(r: &Readings, kind: RequestQuery) -> Result<RequestSnapshot, CheckError> {
    let asked = request_metrics::asked(r, kind).await?;
    let samples = instant_query(&r.ctx, &asked.query).await?;
    Ok(RequestSnapshot {
        kind,
        asked,
        samples,
    })
}

/// A snapshot for the checks' unit tests: `values` answered to the built-in query of the
/// incidentctl family.
#[cfg(test)]
pub(crate) fn request_snapshot(kind: RequestQuery, values: &[f64]) -> RequestSnapshot {
    let scope = crate::discovery::AppScope {
        namespace: "shop".into(),
        services: vec!["api".into()],
        workloads: vec!["api".into()],
        how: None,
    };
    let family = crate::types::MetricFamily::Incidentctl;
    RequestSnapshot {
        kind,
        asked: Asked {
            query: families::query(family, kind, &scope),
            source: request_metrics::Source::Family {
                family,
                how: FamilyChoice::Named(family).describe(),
                scope: scope.describe(),
            },
        },
        samples: values
            .iter()
            .map(|v| crate::clients::prometheus::sample(&[], *v))
            .collect(),
    }
}

/// The unit tests every ratio check passes, for its `assess`, its name in the summary
/// (`what`), its level's key and its query.
#[cfg(test)]
pub(crate) fn ratio_check_tests(
    assess: fn(&RatioSnapshot, &crate::settings::Settings) -> CheckOutcome,
    what: &str,
    key: &str,
    kind: RequestQuery,
) {
    use crate::checks::{default_settings, Status};
    let snapshot = |values: &[f64]| request_snapshot(kind, values);
    let status_at = |ratio: f64| {
        assess(&snapshot(&[ratio]), &default_settings())
            .unwrap()
            .status
    };

    // A low rate is ok, with the query, the family and the app as evidence.
    let s = snapshot(&[0.002]);
    let f = assess(&s, &default_settings()).unwrap();
    assert_eq!(f.status, Status::Ok);
    assert_eq!(f.summary, format!("{what} 0.2% over 5m"));
    assert_eq!(f.value, Some(0.2));
    assert_eq!(f.unit, Some("%"));
    assert_eq!(f.threshold, Some(Threshold::new(1.0, 5.0)));
    assert_eq!(
        f.evidence,
        vec![
            format!("query: {}", s.asked.query),
            "metrics: incidentctl (set by prometheus.metrics)".to_string(),
            "app: namespace shop, services api, workloads api".to_string(),
        ]
    );

    // The levels are strictly above one and five percent.
    assert_eq!(status_at(0.01), Status::Ok);
    assert_eq!(status_at(0.0101), Status::Warning);
    assert_eq!(status_at(0.05), Status::Warning);
    assert_eq!(status_at(0.0501), Status::Critical);

    // The worst series decides and is shown.
    let f = assess(&snapshot(&[0.001, 0.125, f64::NAN]), &default_settings()).unwrap();
    assert_eq!(f.status, Status::Critical);
    assert_eq!(f.summary, format!("{what} 12.5% over 5m"));

    // No traffic is no data, with what to look at.
    for s in [snapshot(&[]), snapshot(&[f64::NAN])] {
        let err = assess(&s, &default_settings()).unwrap_err();
        assert_eq!(
            err.message,
            format!("no data: the {what} query returned no series")
        );
        let hint = err.hint.unwrap_or_default();
        assert!(
            hint.starts_with("is http_requests_total{namespace, service = a service} scraped for the app? Set prometheus.metrics")
                && hint.contains(&format!("prometheus.{}", kind.key())),
            "{hint}"
        );
    }

    // A configured level changes the verdict.
    let mut settings = default_settings();
    assert_eq!(
        assess(&snapshot(&[0.008]), &settings).unwrap().status,
        Status::Ok
    );
    settings
        .thresholds
        .0
        .insert(key.into(), Threshold::new(0.5, 2.0));
    let f = assess(&snapshot(&[0.008]), &settings).unwrap();
    assert_eq!(f.status, Status::Warning);
    assert_eq!(f.threshold, Some(Threshold::new(0.5, 2.0)));
}
