//! Prometheus's HTTP API: instant queries (parsed into plain [`Sample`]s), queries over time
//! (range.rs), metric names. Failures are told from the status code and the API's own
//! `status`, never its wording. (PromQL is written in src/types/promql.rs: the settings use it too.)

pub mod range;

use crate::clients::http::{body_text, http_error, refused_credentials};
use crate::clients::Context;
use crate::output::redact;
use crate::types::CheckError;
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
        label_in(&self.labels, key)
    }
}

/// The value of the label `key` among a series' `labels`.
fn label_in<'a>(labels: &'a [(String, String)], key: &str) -> Option<&'a str> {
    labels
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.as_str())
}

/// Runs an instant query and returns the series (a scalar becomes one unlabelled series).
pub async fn instant_query(ctx: &Context, promql: &str) -> Result<Vec<Sample>, CheckError> {
    let (data, where_) = api_get(ctx, "/api/v1/query", &[("query", promql)]).await?;
    samples_of(data, &where_)
}

/// A GET of the Prometheus HTTP API: the answer's `data`, and the server's address (redacted)
/// for messages.
async fn api_get(
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

/// The names of the metrics that have series matching any of `selectors` between `start` and
/// `end` (unix seconds): the label-values API for `__name__`.
pub async fn metric_names(
    ctx: &Context,
    selectors: &[String],
    start: &str,
    end: &str,
) -> Result<Vec<String>, CheckError> {
    let mut params: Vec<(&str, &str)> = vec![("start", start), ("end", end)];
    params.extend(selectors.iter().map(|s| ("match[]", s.as_str())));
    let (data, where_) = api_get(ctx, "/api/v1/label/__name__/values", &params).await?;
    serde_json::from_value(data)
        .map_err(|e| CheckError::new(format!("{where_}: the metric names are not a list: {e}")))
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
fn samples_of(data: serde_json::Value, where_: &str) -> Result<Vec<Sample>, CheckError> {
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

    /// The queries against a stub Prometheus: what is asked, and what is made of the answer.
    #[tokio::test]
    async fn queries_ask_the_api_with_their_parameters() {
        use crate::clients::stub::Stub;
        let stub = Stub::new()
            .on(
                "GET",
                "/api/v1/query?query=up",
                200,
                r#"{"status":"success","data":{"resultType":"vector","result":[
                    {"metric":{"job":"api"},"value":[1700000000,"1"]}]}}"#,
            )
            .on(
                "GET",
                "/api/v1/label/__name__/values?start=10&end=20&match[]=a_total",
                200,
                r#"{"status":"success","data":["a_total"]}"#,
            );
        let url = stub.serve().await;
        let text = format!("[prometheus]\nurl = \"{url}\"\n");
        let settings = crate::settings::Settings::from_config_text(&text).unwrap();
        let ctx = Context::new(std::sync::Arc::new(settings));
        let samples = instant_query(&ctx, "up").await.unwrap();
        assert_eq!(samples, vec![sample(&[("job", "api")], 1.0)]);
        let names = metric_names(&ctx, &["a_total".to_string()], "10", "20")
            .await
            .unwrap();
        assert_eq!(names, ["a_total"]);
        stub.assert_all_used();
    }
}
