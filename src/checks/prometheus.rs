//! Prometheus: the seed's `curl …/api/v1/query` steps, as ratios and quantiles that mean what
//! the runbook's thresholds say.

use super::{fmt_num, CheckError, CheckOutcome, Finding};
use crate::context::Context;
use crate::failure::{Cause, NotReached};
use crate::redact;
use crate::settings::Threshold;
use serde::Deserialize;

#[derive(Deserialize)]
struct QueryResponse {
    status: String,
    #[serde(default)]
    data: Option<QueryData>,
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
#[derive(Debug, Clone)]
pub struct Sample {
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

/// Runs an instant query and returns the series (a scalar becomes one unlabelled series).
pub async fn query(ctx: &Context, promql: &str) -> Result<Vec<Sample>, CheckError> {
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
        .get(format!("{base}/api/v1/query"))
        .query(&[("query", promql)])
        .send()
        .await
        .map_err(|e| http_error(e, &where_, "prometheus"))?;
    let code = response.status();
    refused_credentials(code, &where_, "prometheus")?;
    let body = body_text(response, &where_, "prometheus").await?;
    let parsed: QueryResponse = serde_json::from_str(&body).map_err(|_| {
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
    let data = parsed
        .data
        .ok_or_else(|| CheckError::new(format!("{where_}: answer without data")))?;
    let parse_value =
        |v: &serde_json::Value| -> Option<f64> { v.get(1)?.as_str()?.parse::<f64>().ok() };
    match data.result_type.as_str() {
        "vector" => Ok(data
            .result
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| {
                let value = parse_value(s.get("value")?)?;
                let labels = s
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
            .collect()),
        "scalar" => Ok(parse_value(&data.result)
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

/// 401 and 403 from an HTTP API: the answer is about credentials, whatever the body says.
pub fn refused_credentials(
    code: reqwest::StatusCode,
    where_: &str,
    key: &str,
) -> Result<(), CheckError> {
    let n = code.as_u16();
    if n != 401 && n != 403 {
        return Ok(());
    }
    let what = if n == 401 {
        "wants credentials"
    } else {
        "rejects these credentials"
    };
    Err(CheckError::new(format!("{where_}: HTTP {code}: the server {what}"))
        .hint(format!(
            "set {key}.auth (bearer_token_file, or username and password_file), INCIDENTCTL_{}_TOKEN or INCIDENTCTL_{}_PASSWORD; check the proxy in front of it",
            key.to_ascii_uppercase(),
            key.to_ascii_uppercase()
        )))
}

/// The most an HTTP API's answer may hold: query results and alert lists are kilobytes to a
/// few megabytes; past this, something is wrong with the server or what answers for it.
const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// An answer's body as text, read no further than [`MAX_ANSWER_BYTES`].
pub async fn body_text(
    response: reqwest::Response,
    where_: &str,
    key: &str,
) -> Result<String, CheckError> {
    match crate::context::read_body(response, MAX_ANSWER_BYTES).await {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(crate::context::BodyError::Transport(e)) => Err(http_error(e, where_, key)),
        Err(crate::context::BodyError::TooLarge(limit)) => Err(CheckError::remote(
            Cause::NotTheProtocol,
            format!(
                "{where_}: the answer is larger than {}: not read",
                crate::bounded::size(limit as u64)
            ),
        )
        .hint(format!(
            "check that {key}.url points at the server itself, not a proxy or a file"
        ))),
    }
}

/// A transport-level HTTP failure as one line naming the server; `key` is its config table, for
/// the TLS hints. The cause (and so the hint) is read from reqwest's error kinds.
pub fn http_error(e: reqwest::Error, where_: &str, key: &str) -> CheckError {
    let cause = crate::failure::of_http(&e);
    // `where_` already names the server; reqwest would repeat the whole URL, query included.
    let e = e.without_url();
    // reqwest names the URL in its messages; the URL may carry credentials (error_chain scrubs).
    let text = redact::error_chain(&e);
    if let Cause::Tls(problem) = cause {
        return crate::tls::failure(where_, &text, problem, &format!("{key}.tls"));
    }
    let err = CheckError::remote(cause, format!("{where_}: {text}"));
    match cause {
        Cause::TimedOut | Cause::NotReached(NotReached::ConnectTimeout) => {
            err.hint("the server did not answer in time; raise --timeout or check the server")
        }
        Cause::NotReached(_) => {
            err.hint("is the server running and listening on that host and port?")
        }
        _ => err,
    }
}

/// The series with the highest value; NaN (0/0: no traffic) and infinities are no data.
fn highest(samples: &[Sample]) -> Option<&Sample> {
    samples
        .iter()
        .filter(|s| s.value.is_finite())
        .max_by(|a, b| a.value.total_cmp(&b.value))
}

/// A single-number query: the highest series decides; NaN (0/0, no traffic) reads as no data.
async fn ratio_check(
    ctx: &Context,
    promql: &str,
    threshold: Threshold,
    what: &str,
) -> CheckOutcome {
    let samples = query(ctx, promql).await?;
    let Some(worst) = highest(&samples) else {
        return Err(CheckError::new(format!("no data: the {what} query returned no series"))
            .hint("is the application's http_requests_total scraped? Adjust the query in the config file"));
    };
    let pct = worst.value * 100.0;
    Ok(Finding::measured(
        pct,
        "%",
        threshold,
        format!("{what} {}% over 5m", fmt_num(pct, 2)),
    )
    .evidence([format!("query: {promql}")]))
}

pub async fn error_rate(ctx: &Context) -> CheckOutcome {
    let p = &ctx.settings.prometheus;
    ratio_check(
        ctx,
        &p.error_rate_query,
        ctx.settings.thresholds.error_rate,
        "5xx error rate",
    )
    .await
}

pub async fn forbidden_rate(ctx: &Context) -> CheckOutcome {
    let p = &ctx.settings.prometheus;
    ratio_check(
        ctx,
        &p.forbidden_rate_query,
        ctx.settings.thresholds.forbidden_rate,
        "403 rate",
    )
    .await
}

pub async fn latency_p95(ctx: &Context) -> CheckOutcome {
    let promql = &ctx.settings.prometheus.latency_p95_query;
    let samples = query(ctx, promql).await?;
    let Some(worst) = highest(&samples) else {
        return Err(CheckError::new("no data: the p95 latency query returned no series")
            .hint("is http_request_duration_seconds_bucket scraped? Adjust the query in the config file"));
    };
    Ok(Finding::measured(
        worst.value,
        "s",
        ctx.settings.thresholds.latency_p95,
        format!("p95 latency {} s over 5m", fmt_num(worst.value, 3)),
    )
    .evidence([format!("query: {promql}")]))
}

pub async fn disk_usage(ctx: &Context) -> CheckOutcome {
    let promql = &ctx.settings.prometheus.disk_usage_query;
    let mut samples: Vec<Sample> = query(ctx, promql)
        .await?
        .into_iter()
        .filter(|s| s.value.is_finite())
        .collect();
    samples.sort_by(|a, b| b.value.total_cmp(&a.value));
    let Some(worst) = samples.first() else {
        return Err(
            CheckError::new("no data: the disk usage query returned no series")
                .hint("is node_exporter scraped? Adjust prometheus.disk_usage_query"),
        );
    };
    let label = |s: &Sample| {
        let get = |k: &str| {
            s.labels
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
                .unwrap_or("?")
        };
        format!("{} {}", get("instance"), get("mountpoint"))
    };
    let threshold = ctx.settings.thresholds.disk;
    let evidence = samples
        .iter()
        .take(10)
        .map(|s| format!("{}: {}% used", label(s), fmt_num(s.value * 100.0, 1)));
    Ok(Finding::measured(
        worst.value * 100.0,
        "%",
        threshold,
        format!(
            "fullest filesystem {}% used ({}), {} filesystem(s)",
            fmt_num(worst.value * 100.0, 1),
            label(worst),
            samples.len()
        ),
    )
    .evidence(evidence))
}
