//! Prometheus: the seed's `curl …/api/v1/query` steps, as ratios and quantiles that mean what
//! the runbook's thresholds say. What the four checks share lives here: the instant query, the
//! parsing of the API's answer into plain [`Sample`]s, and the judging of a single ratio.

pub mod disk_usage;
pub mod error_rate;
pub mod families;
pub mod forbidden_rate;
pub mod latency_p95;
pub mod range;
pub mod request_metrics;

pub use request_metrics::{Asked, FamilyChoice};

use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Readings, Threshold};
use crate::context::{body_text, http_error, refused_credentials, Context};
use crate::output::redact;
use crate::types::RequestQuery;
use serde::Deserialize;

/// The envelope of every Prometheus HTTP API answer.
#[derive(Deserialize)]
struct QueryResponse {
    status: String,
    #[serde(default)]
    data: Option<serde_json::Value>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueryData {
    result_type: String,
    result: serde_json::Value,
}

/// One series of an instant vector: its labels and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

impl Sample {
    /// The value of the label `key`, when the series has it.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }
}

/// Runs an instant query and returns the series (a scalar becomes one unlabelled series).
pub async fn instant_query(ctx: &Context, promql: &str) -> Result<Vec<Sample>, CheckError> {
    let (data, where_) = api_get(ctx, "/api/v1/query", &[("query", promql)]).await?;
    samples_of(data, &where_)
}

/// A GET of the Prometheus HTTP API: the answer's `data`, and the server's address (redacted)
/// for messages.
pub async fn api_get(
    ctx: &Context,
    path: &str,
    params: &[(&str, &str)],
) -> Result<(serde_json::Value, String), CheckError> {
    let http = ctx.prometheus_http().await?;
    let base = ctx
        .settings
        .prometheus
        .url
        .expose()
        .trim_end_matches('/')
        .to_string();
    let where_ = ctx.settings.prometheus.url.redacted();
    let response = http
        .get(format!("{base}{path}"))
        .query(params)
        .send()
        .await
        .map_err(|e| http_error(e, &where_, "prometheus"))?;
    let code = response.status();
    refused_credentials(code, &where_, "prometheus")?;
    let body = body_text(response, &where_, "prometheus").await?;
    let data = parse_answer(code, &body, &where_)?;
    Ok((data, where_))
}

/// The `data` of an API answer, or why the answer holds none: not the API, or a failed query.
fn parse_answer(
    code: reqwest::StatusCode,
    body: &str,
    where_: &str,
) -> Result<serde_json::Value, CheckError> {
    let parsed: QueryResponse = serde_json::from_str(body).map_err(|_| {
        CheckError::new(format!(
            "{where_}: HTTP {code}, not a Prometheus API answer: {}",
            redact::truncate(&redact::secrets(body.trim()), 120)
        ))
        .hint("check prometheus.url points at Prometheus (port 9090 by default)")
    })?;
    if parsed.status != "success" || !code.is_success() {
        let err = CheckError::new(format!(
            "{where_}: query failed (HTTP {}): {}",
            code.as_u16(),
            redact::truncate(&parsed.error.unwrap_or_default(), 200)
        ));
        return Err(match code.as_u16() {
            400 | 422 => err.hint("check the PromQL in the config file"),
            _ => err.hint("check that prometheus.url points at a healthy Prometheus"),
        });
    }
    parsed
        .data
        .ok_or_else(|| CheckError::new(format!("{where_}: answer without data")))
}

/// The series of a query's answer, or why it is not an instant value.
pub(crate) fn samples_of(data: serde_json::Value, where_: &str) -> Result<Vec<Sample>, CheckError> {
    let data: QueryData = serde_json::from_value(data)
        .map_err(|e| CheckError::new(format!("{where_}: not a query result: {e}")))?;
    match data.result_type.as_str() {
        "vector" => Ok(vector_samples(&data.result)),
        "scalar" => Ok(point_value(&data.result)
            .map(|value| Sample {
                labels: Vec::new(),
                value,
            })
            .into_iter()
            .collect()),
        other => Err(CheckError::new(format!(
            "{where_}: expected an instant vector, got a {other}"
        ))),
    }
}

/// The series of an instant vector; a series without a readable value is left out.
fn vector_samples(result: &serde_json::Value) -> Vec<Sample> {
    result
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|series| {
            let value = point_value(series.get("value")?)?;
            let labels = series
                .get("metric")
                .and_then(|m| m.as_object())
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                        .collect()
                })
                .unwrap_or_default();
            Some(Sample { labels, value })
        })
        .collect()
}

/// A point is `[<unix time>, "<value>"]`: the value is a string so that NaN and ±Inf survive JSON.
fn point_value(point: &serde_json::Value) -> Option<f64> {
    point.get(1)?.as_str()?.parse::<f64>().ok()
}

/// The series with the highest value; NaN (0/0: no traffic) and infinities are no data.
pub fn highest(samples: &[Sample]) -> Option<&Sample> {
    samples
        .iter()
        .filter(|s| s.value.is_finite())
        .max_by(|a, b| a.value.total_cmp(&b.value))
}

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
        samples: values.iter().map(|v| sample(&[], *v)).collect(),
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

/// Samples for the checks' unit tests.
#[cfg(test)]
pub(crate) fn sample(labels: &[(&str, &str)], value: f64) -> Sample {
    Sample {
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    const WHERE: &str = "http://prometheus:9090";

    /// The series of a 200 answer, as instant_query reads them.
    fn answer(body: &str) -> Result<Vec<Sample>, CheckError> {
        samples_of(parse_answer(StatusCode::OK, body, WHERE)?, WHERE)
    }

    #[test]
    fn a_vector_answer_becomes_samples_with_their_labels() {
        let body = r#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"mountpoint":"/","instance":"node-1:9100"},"value":[1700000000.1,"0.5"]},
            {"metric":{},"value":[1700000000.1,"NaN"]},
            {"metric":{"instance":"broken"}}
        ]}}"#;
        let samples = answer(body).unwrap();
        assert_eq!(samples.len(), 2);
        assert_eq!(
            samples[0],
            sample(&[("instance", "node-1:9100"), ("mountpoint", "/")], 0.5)
        );
        assert_eq!(samples[0].label("mountpoint"), Some("/"));
        assert_eq!(samples[0].label("job"), None);
        assert!(samples[1].labels.is_empty());
        assert!(samples[1].value.is_nan());
    }

    #[test]
    fn a_scalar_answer_is_one_unlabelled_sample() {
        let body =
            r#"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"0.25"]}}"#;
        let samples = answer(body).unwrap();
        assert_eq!(samples, vec![sample(&[], 0.25)]);
    }

    #[test]
    fn a_range_answer_is_refused() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
        let err = answer(body).unwrap_err();
        assert_eq!(
            err.message,
            "http://prometheus:9090: expected an instant vector, got a matrix"
        );
    }

    #[test]
    fn a_bad_query_points_at_the_promql() {
        let body = r#"{"status":"error","errorType":"bad_data","error":"parse error at char 5"}"#;
        let err = parse_answer(StatusCode::BAD_REQUEST, body, WHERE).unwrap_err();
        assert_eq!(
            err.message,
            "http://prometheus:9090: query failed (HTTP 400): parse error at char 5"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("check the PromQL in the config file")
        );
        let err = parse_answer(StatusCode::SERVICE_UNAVAILABLE, body, WHERE).unwrap_err();
        assert_eq!(
            err.hint.as_deref(),
            Some("check that prometheus.url points at a healthy Prometheus")
        );
    }

    #[test]
    fn an_answer_that_is_not_the_api_is_shown_redacted() {
        let err = parse_answer(StatusCode::OK, " not the API token=hunter2\n", WHERE).unwrap_err();
        assert_eq!(
            err.message,
            "http://prometheus:9090: HTTP 200 OK, not a Prometheus API answer: not the API token=***"
        );
        let err = parse_answer(StatusCode::OK, r#"{"status":"success"}"#, WHERE).unwrap_err();
        assert_eq!(err.message, "http://prometheus:9090: answer without data");
    }

    #[test]
    fn the_highest_finite_series_decides() {
        let samples = [
            sample(&[("job", "a")], f64::NAN),
            sample(&[("job", "b")], 0.2),
            sample(&[("job", "c")], f64::INFINITY),
            sample(&[("job", "d")], 0.7),
        ];
        assert_eq!(highest(&samples).and_then(|s| s.label("job")), Some("d"));
        assert_eq!(highest(&[sample(&[], f64::NAN)]), None);
    }
}
