//! What the incident cost, each figure with its query and time range: requests failed (count
//! and share) between the onset and the recovery, the symptoms' peaks, the duration, the
//! services whose requests failed, and the users a team's `impact.users_query` counts. Never
//! an invented number: what cannot be measured says why.

use super::counts;
use super::symptoms::SymptomSeries;
use super::{read_symptoms, Signal, Window};
use crate::checks::prometheus::families;
use crate::checks::Readings;
use crate::clients::prometheus::range::{raw_samples, value_at, Series};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A query behind a figure, and the time range it was asked over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub what: String,
    pub query: String,
    pub from: Timestamp,
    pub to: Timestamp,
}

/// A symptom's worst value in its episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Peak {
    pub signal: String,
    pub what: String,
    pub at: Timestamp,
    pub value: f64,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    /// Why nothing could be measured: `prometheus unreachable: …`.
    pub unknown: Option<String>,
    pub window: Window,
    pub onset: Option<Timestamp>,
    pub onset_signal: Option<String>,
    /// False: the symptom was bad when its data begins; the onset is that time or earlier.
    pub onset_bounded: bool,
    /// When the last symptom recovered (None: not within the window).
    pub recovery: Option<Timestamp>,
    pub recovery_signal: Option<String>,
    pub duration_s: Option<i64>,
    pub requests_failed: Option<u64>,
    pub requests_total: Option<u64>,
    /// Failed requests as a percentage of all requests in the same range.
    pub failed_percent: Option<f64>,
    /// Why the requests could not be counted.
    pub requests_unknown: Option<String>,
    pub peaks: Vec<Peak>,
    pub services: Vec<String>,
    /// The app's deployments behind those services (or the workloads themselves, for a family
    /// that names them).
    pub deployments: Vec<String>,
    pub users: Option<f64>,
    pub users_unknown: Option<String>,
    pub queries: Vec<Query>,
    pub notes: Vec<String>,
    /// The symptoms over the window, for the picture (and for a frozen report).
    pub symptoms: Vec<SymptomSeries>,
}

fn ts(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl Impact {
    pub fn unknown(window: Window, why: String) -> Impact {
        Impact {
            unknown: Some(why),
            window,
            onset: None,
            onset_signal: None,
            onset_bounded: false,
            recovery: None,
            recovery_signal: None,
            duration_s: None,
            requests_failed: None,
            requests_total: None,
            failed_percent: None,
            requests_unknown: None,
            peaks: Vec::new(),
            services: Vec::new(),
            deployments: Vec::new(),
            users: None,
            users_unknown: None,
            queries: Vec::new(),
            notes: Vec::new(),
            symptoms: Vec::new(),
        }
    }
}

/// A symptom's worst value between `from` and `to` (its own episode's peak when it has one).
fn peak(s: &SymptomSeries, from: i64, to: i64) -> Option<Peak> {
    let worse = |a: f64, b: f64| if s.below { a < b } else { a > b };
    let (at, value) = match &s.episode {
        Some(e) => e.peak,
        None => s
            .points
            .iter()
            .filter(|p| p.0 >= from && p.0 <= to && p.1.is_finite())
            .copied()
            .reduce(|w, p| if worse(p.1, w.1) { p } else { w })?,
    };
    Some(Peak {
        signal: s.signal.clone(),
        what: s.what.clone(),
        at: ts(at),
        value,
        unit: s.unit.clone(),
    })
}

/// The incident's recovery: the latest recovery of the symptoms that had an episode; None when
/// one of them has not recovered within the window.
pub fn recovery(symptoms: &[SymptomSeries]) -> Option<(i64, String)> {
    let mut latest: Option<(i64, String)> = None;
    for s in symptoms {
        let Some(e) = &s.episode else { continue };
        let r = e.recovery?;
        if latest.as_ref().is_none_or(|(t, _)| r > *t) {
            latest = Some((r, s.signal.clone()));
        }
    }
    latest
}

/// Measures the incident over `window`; `alerts` are onset signals seen earlier (the attached
/// diagnoses' alerts, which Alertmanager may no longer hold).
pub async fn measure(
    r: &Readings,
    window: Window,
    reference: Timestamp,
    alerts: &[Signal],
) -> Impact {
    let reading = read_symptoms(r, window, reference).await;
    if let Some(why) = reading.unreachable {
        return Impact::unknown(window, format!("prometheus unreachable: {why}"));
    }
    let mut signals = super::signals(&reading.symptoms, &[]);
    signals.extend(alerts.iter().cloned());
    signals.sort_by_key(|s| s.at);
    let now = r.settings().now().as_second();
    let notes = super::notes(&reading.symptoms, window, reading.retention, now);
    let mut impact = Impact::unknown(window, String::new());
    impact.unknown = None;
    impact.notes = notes;
    let Some(first) = signals.first() else {
        impact.unknown = Some("no symptom crossed its warning level in the window".into());
        impact.symptoms = reading.symptoms;
        return impact;
    };
    impact.onset = Some(first.at);
    impact.onset_signal = Some(first.signal.clone());
    impact.onset_bounded = first.bounded;
    if let Some((t, signal)) = recovery(&reading.symptoms) {
        impact.recovery = Some(ts(t));
        impact.recovery_signal = Some(signal);
        impact.duration_s = Some(t - first.at.as_second());
    }
    let from = first.at.as_second();
    let to = impact.recovery.unwrap_or(window.end).as_second();
    for s in reading.symptoms.iter().filter(|s| s.error.is_none()) {
        impact.queries.push(Query {
            what: s.what.clone(),
            query: s.query.clone(),
            from: window.start,
            to: window.end,
        });
        impact.peaks.extend(peak(s, from, to));
    }
    count_requests(r, &mut impact, from, to).await;
    count_users(r, &mut impact, from, to).await;
    impact.symptoms = reading.symptoms;
    impact
}

/// Requests failed and in all, between `from` and `to`, from the counters' raw samples, and the
/// services whose share of failures passed the error rate's warning level.
async fn count_requests(r: &Readings, impact: &mut Impact, from: i64, to: i64) {
    let family = match r.metric_family().await {
        Ok(choice) => choice.family(),
        Err(e) => {
            impact.requests_unknown = Some(e.message);
            return;
        }
    };
    let Some(family) = family else {
        impact.requests_unknown = Some(
            "the app's request metrics are not a known family (prometheus.metrics): there is no counter to count"
                .into(),
        );
        return;
    };
    let scope = r.app_scope().await;
    let selectors = [
        (
            "requests failed (5xx)",
            families::errors_selector(family, &scope),
        ),
        ("requests", families::requests_selector(family, &scope)),
    ];
    // A minute on each side, so each edge has samples to interpolate between.
    let mut counted: Vec<BTreeMap<String, f64>> = Vec::new();
    for (what, selector) in &selectors {
        match raw_samples(&r.ctx, selector, from - 60, to + 60).await {
            Ok(series) => counted.push(per_app(&series, family, &scope, from, to)),
            Err(e) => {
                impact.requests_unknown = Some(e.message);
                return;
            }
        }
        impact.queries.push(Query {
            what: what.to_string(),
            query: selector.clone(),
            from: ts(from),
            to: ts(to),
        });
    }
    let (failed, total) = (&counted[0], &counted[1]);
    let sum = |m: &BTreeMap<String, f64>| m.values().sum::<f64>();
    impact.requests_failed = Some(sum(failed).round() as u64);
    impact.requests_total = Some(sum(total).round() as u64);
    if sum(total) > 0.0 {
        impact.failed_percent = Some(sum(failed) / sum(total) * 100.0);
    }
    let level = r
        .settings()
        .thresholds
        .level(&crate::checks::prometheus::error_rate::ERROR_RATE)
        .warning;
    impact.services = total
        .iter()
        .filter(|(app, n)| {
            **n > 0.0 && failed.get(*app).copied().unwrap_or(0.0) / **n * 100.0 > level
        })
        .map(|(app, _)| app.clone())
        .collect();
    impact.deployments = if families::by_workload(family) {
        impact.services.clone()
    } else {
        deployments_behind(r, &impact.services).await
    };
}

/// The app's deployments behind `services`; none when the cluster cannot say.
async fn deployments_behind(r: &Readings, services: &[String]) -> Vec<String> {
    if services.is_empty() {
        return Vec::new();
    }
    let (Ok(client), Ok(workloads)) = (r.ctx.kube().await, r.app_workloads().await) else {
        return Vec::new();
    };
    let templates = crate::discovery::templates(&workloads);
    crate::discovery::deployments_behind(client, r.settings(), &templates, services)
        .await
        .unwrap_or_default()
}

/// Each of the app's services (or workloads) and what its series counted between `from` and
/// `to`.
fn per_app(
    series: &[Series],
    family: crate::types::MetricFamily,
    scope: &crate::discovery::AppScope,
    from: i64,
    to: i64,
) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for s in series {
        let app = families::app_of(family, scope, &s.labels).unwrap_or_else(|| "?".into());
        if let Some(n) = counts::increase(&s.points, from as f64, to as f64) {
            *out.entry(app).or_default() += n;
        }
    }
    out
}

/// `impact.users_query` at the end of the range, `{{range}}` standing for it.
async fn count_users(r: &Readings, impact: &mut Impact, from: i64, to: i64) {
    let Some(query) = &r.settings().impact.users_query else {
        impact.users_unknown = Some("unknown: set impact.users_query".into());
        return;
    };
    let scope = r.app_scope().await;
    let filled = match crate::checks::prometheus::request_metrics::fill(
        &crate::types::promql::with_range(query, to - from),
        &scope,
    ) {
        Ok(q) => q,
        Err(e) => {
            impact.users_unknown = Some(format!("impact.users_query: {e}"));
            return;
        }
    };
    match value_at(&r.ctx, &filled, to).await {
        Ok(Some(n)) => impact.users = Some(n.round()),
        Ok(None) => {
            impact.users_unknown = Some("unknown: impact.users_query returned no series".into())
        }
        Err(e) => {
            impact.users_unknown = Some(format!("unknown: impact.users_query: {}", e.message))
        }
    }
    impact.queries.push(Query {
        what: "users affected".into(),
        query: filled,
        from: ts(from),
        to: ts(to),
    });
}
