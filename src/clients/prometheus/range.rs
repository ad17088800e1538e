//! Prometheus over time: a query evaluated over a range (`query_range`), and a counter's raw
//! samples (a range selector, `metric[10m]`). What the incident's analysis reads; the checks
//! read instants.

use super::api_get;
use crate::clients::Context;
use crate::types::CheckError;
use serde::Deserialize;

/// One series of a matrix: its labels and its points (unix seconds, value; NaN kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub labels: Vec<(String, String)>,
    pub points: Vec<(f64, f64)>,
}

impl Series {
    pub fn label(&self, key: &str) -> Option<&str> {
        super::label_in(&self.labels, key)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Matrix {
    result_type: String,
    result: Vec<MatrixSeries>,
}

#[derive(Deserialize)]
struct MatrixSeries {
    #[serde(default)]
    metric: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    values: Vec<(f64, String)>,
}

/// The series of a matrix answer; a value that is not a number is NaN.
fn matrix(data: serde_json::Value, where_: &str) -> Result<Vec<Series>, CheckError> {
    let m: Matrix = serde_json::from_value(data)
        .map_err(|e| CheckError::new(format!("{where_}: not a range result: {e}")))?;
    if m.result_type != "matrix" {
        return Err(CheckError::new(format!(
            "{where_}: expected a range (matrix), got a {}",
            m.result_type
        )));
    }
    Ok(m.result
        .into_iter()
        .map(|s| Series {
            labels: s.metric.into_iter().collect(),
            points: s
                .values
                .into_iter()
                .map(|(t, v)| (t, v.parse::<f64>().unwrap_or(f64::NAN)))
                .collect(),
        })
        .collect())
}

/// `promql` evaluated every `step` seconds from `start` to `end` (unix seconds).
pub async fn range_query(
    ctx: &Context,
    promql: &str,
    start: i64,
    end: i64,
    step: i64,
) -> Result<Vec<Series>, CheckError> {
    let (start, end, step) = (start.to_string(), end.to_string(), step.max(1).to_string());
    let params = [
        ("query", promql),
        ("start", start.as_str()),
        ("end", end.as_str()),
        ("step", step.as_str()),
    ];
    let (data, where_) = api_get(ctx, "/api/v1/query_range", &params).await?;
    matrix(data, &where_)
}

/// The raw samples of `selector` from `from` to `to` (unix seconds): `selector[Ns]` at `to`.
pub async fn raw_samples(
    ctx: &Context,
    selector: &str,
    from: i64,
    to: i64,
) -> Result<Vec<Series>, CheckError> {
    let query = format!("{selector}[{}s]", (to - from).max(1));
    let time = to.to_string();
    let params = [("query", query.as_str()), ("time", time.as_str())];
    let (data, where_) = api_get(ctx, "/api/v1/query", &params).await?;
    matrix(data, &where_)
}

/// An instant query at `time` (unix seconds): the highest finite value, if any.
pub async fn value_at(ctx: &Context, promql: &str, time: i64) -> Result<Option<f64>, CheckError> {
    let t = time.to_string();
    let params = [("query", promql), ("time", t.as_str())];
    let (data, where_) = api_get(ctx, "/api/v1/query", &params).await?;
    let samples = super::samples_of(data, &where_)?;
    Ok(super::highest(&samples).map(|s| s.value))
}

/// How long Prometheus keeps its data (`storageRetention`, e.g. `15d`), in seconds, when it
/// says so in a form read here (a size limit alone, `10GiB`, is not a time).
pub async fn retention_secs(ctx: &Context) -> Result<Option<i64>, CheckError> {
    let (data, _) = api_get(ctx, "/api/v1/status/runtimeinfo", &[]).await?;
    let text = data["storageRetention"].as_str().unwrap_or_default();
    Ok(text
        .split(" or ")
        .find_map(|part| prometheus_duration(part.trim())))
}

/// A Prometheus duration (`15d`, `2w`, `1y`, `36h`, `1d12h`) in seconds.
pub fn prometheus_duration(text: &str) -> Option<i64> {
    let mut total = 0i64;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        let unit = match (c, chars.peek()) {
            ('m', Some('s')) => {
                chars.next();
                0
            }
            ('s', _) => 1,
            ('m', _) => 60,
            ('h', _) => 3600,
            ('d', _) => 86_400,
            ('w', _) => 7 * 86_400,
            ('y', _) => 365 * 86_400,
            _ => return None,
        };
        total += n * unit;
        any = true;
    }
    (any && number.is_empty()).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_matrix_keeps_labels_and_points_and_reads_nan() {
        let data = json!({"resultType": "matrix", "result": [
            {"metric": {"service": "backend"}, "values": [[1700000000, "1"], [1700000015.5, "NaN"]]}
        ]});
        let s = matrix(data, "p").unwrap();
        assert_eq!(s[0].label("service"), Some("backend"));
        assert_eq!(s[0].points[0], (1_700_000_000.0, 1.0));
        assert!(s[0].points[1].1.is_nan());
        let err = matrix(json!({"resultType": "vector", "result": []}), "p").unwrap_err();
        assert!(err.message.contains("expected a range"), "{}", err.message);
    }

    #[test]
    fn retention_durations_read_as_prometheus_writes_them() {
        assert_eq!(prometheus_duration("15d"), Some(15 * 86_400));
        assert_eq!(prometheus_duration("1d12h"), Some(36 * 3600));
        assert_eq!(prometheus_duration("30m"), Some(1800));
        assert_eq!(prometheus_duration("10GiB"), None);
        assert_eq!(prometheus_duration("15"), None);
    }
}
