//! Signs no check reads, read beside the symptoms for the suspects: the app's configmaps and
//! secrets changed (their managedFields' times, metadata only: a secret's value is never
//! fetched), autoscalers at their maximum and certificates near expiry (from the metrics of
//! kube-state-metrics and cert-manager, when Prometheus has them), and the app's request rate
//! over the window (a spike is judged once the onset is known). Each read that fails is left
//! out and said in the onset's notes.

use super::episode::Point;
use super::suspects::Seen;
use super::Window;
use crate::checks::prometheus::families;
use crate::checks::Readings;
use crate::clients::prometheus::instant_query;
use crate::clients::prometheus::range::range_query;
use crate::types::promql::{selector, Matcher};
use crate::types::sign::Sign;
use crate::types::Status;
use jiff::Timestamp;

/// A certificate expiring within this is a suspect.
const CERTIFICATE_NOTICE_SECS: f64 = 7.0 * 86_400.0;
/// A request rate this many times its baseline is a spike.
const SPIKE_FACTOR: f64 = 2.0;
/// The request rate's step: a spike is a matter of minutes, and this read costs diagnose little.
const RATE_STEP: i64 = 300;
/// The stretch before the onset a spike is looked for in.
const SPIKE_LEAD_SECS: i64 = 15 * 60;

/// What was read: signs (with the source that saw them), the app's request rate, and notes.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub seen: Vec<Seen>,
    pub request_rate: Vec<Point>,
    pub notes: Vec<String>,
}

fn seen(sign: Sign, source: &'static str) -> Seen {
    Seen {
        sign,
        status: Status::Warning,
        check: source,
    }
}

pub async fn read(r: &Readings, window: Window) -> Extra {
    let (config, hpa, certs, rate) = futures::join!(
        config_changes(r),
        autoscalers_at_max(r),
        certificates(r),
        request_rate(r, window)
    );
    let mut out = Extra::default();
    for (result, what) in [
        (config, "configmap and secret changes"),
        (hpa, "autoscalers"),
        (certs, "certificates"),
    ] {
        match result {
            Ok(signs) => out.seen.extend(signs),
            Err(e) => out.notes.push(format!("{what} not read: {e}")),
        }
    }
    match rate {
        Ok(points) => out.request_rate = points,
        Err(e) => out.notes.push(format!("request rate not read: {e}")),
    }
    out
}

/// The app's configmaps and secrets (those its pod templates use), each changed after its
/// creation: the latest time in its managedFields, and by which manager.
async fn config_changes(r: &Readings) -> Result<Vec<Seen>, String> {
    use k8s_openapi::api::core::v1::{ConfigMap, Secret};
    use kube::api::Api;
    let workloads = r.app_workloads().await.map_err(|e| e.message)?;
    let client = r.ctx.kube().await.map_err(|e| e.message)?;
    let ns = &r.settings().namespace;
    let mut out = Vec::new();
    for t in crate::discovery::templates(&workloads) {
        for name in t.configmaps.keys() {
            let api: Api<ConfigMap> = Api::namespaced(client.clone(), ns);
            if let Ok(m) = api.get_metadata(name).await {
                out.extend(changed(&m.metadata, format!("configmap/{name}")));
            }
        }
        for name in t.secrets.keys() {
            let api: Api<Secret> = Api::namespaced(client.clone(), ns);
            if let Ok(m) = api.get_metadata(name).await {
                out.extend(changed(&m.metadata, format!("secret/{name}")));
            }
        }
    }
    out.sort_by(|a, b| format!("{:?}", a.sign).cmp(&format!("{:?}", b.sign)));
    out.dedup();
    Ok(out)
}

/// A change after creation, from managedFields: when, by whom.
fn changed(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    object: String,
) -> Option<Seen> {
    let created = meta.creation_timestamp.as_ref()?.0;
    let latest = meta
        .managed_fields
        .iter()
        .flatten()
        .filter_map(|f| Some((f.time.as_ref()?.0, f.manager.clone().unwrap_or_default())))
        .max_by_key(|(t, _)| *t)?;
    (latest.0.as_second() > created.as_second() + 1).then(|| {
        seen(
            Sign::ConfigChange {
                object,
                at: latest.0,
                manager: latest.1,
            },
            "kubernetes managedFields",
        )
    })
}

fn label(s: &crate::clients::prometheus::Sample, key: &str) -> String {
    s.label(key).unwrap_or("?").to_string()
}

/// Autoscalers of the namespace whose current replicas reached their maximum
/// (kube-state-metrics).
async fn autoscalers_at_max(r: &Readings) -> Result<Vec<Seen>, String> {
    let ns = r.settings().namespace.clone();
    let sel = |metric: &str| selector(metric, &[Matcher::Is("namespace", ns.clone())]);
    let query = format!(
        "{} >= on (namespace, horizontalpodautoscaler) {}",
        sel("kube_horizontalpodautoscaler_status_current_replicas"),
        sel("kube_horizontalpodautoscaler_spec_max_replicas")
    );
    let samples = instant_query(&r.ctx, &query).await.map_err(|e| e.message)?;
    Ok(samples
        .iter()
        .map(|s| {
            seen(
                Sign::HpaAtMax {
                    hpa: label(s, "horizontalpodautoscaler"),
                    target: "its target".into(),
                    max_replicas: s.value as i32,
                    since: None,
                },
                "kube-state-metrics",
            )
        })
        .collect())
}

/// cert-manager's certificates of the namespace expiring within a week (or expired).
async fn certificates(r: &Readings) -> Result<Vec<Seen>, String> {
    let ns = r.settings().namespace.clone();
    let query = selector(
        "certmanager_certificate_expiration_timestamp_seconds",
        &[Matcher::Is("namespace", ns)],
    );
    let samples = instant_query(&r.ctx, &query).await.map_err(|e| e.message)?;
    let now = r.settings().now().as_second() as f64;
    Ok(samples
        .iter()
        .filter(|s| s.value - now < CERTIFICATE_NOTICE_SECS)
        .filter_map(|s| {
            Some(seen(
                Sign::CertificateExpiring {
                    name: label(s, "name"),
                    expires: Timestamp::from_second(s.value as i64).ok()?,
                    source: "certmanager_certificate_expiration_timestamp_seconds".into(),
                },
                "cert-manager metrics",
            ))
        })
        .collect())
}

/// The app's requests per second over the window, when its request metrics are a family's.
async fn request_rate(r: &Readings, window: Window) -> Result<Vec<Point>, String> {
    let Some(family) = r.metric_family().await.map_err(|e| e.message)?.family() else {
        return Ok(Vec::new());
    };
    let scope = r.app_scope().await;
    let query = families::request_rate_query(family, &scope);
    let series = range_query(
        &r.ctx,
        &query,
        window.start.as_second(),
        window.end.as_second(),
        RATE_STEP,
    )
    .await
    .map_err(|e| e.message)?;
    Ok(super::symptoms::worst(&series, 1.0, false))
}

/// A spike before `onset`: within [`SPIKE_LEAD_SECS`] before it, the rate first reached
/// [`SPIKE_FACTOR`] times its baseline (the median of what came earlier in the window).
pub fn spike(rate: &[Point], onset: i64) -> Option<Sign> {
    let lead = onset - SPIKE_LEAD_SECS;
    let mut before: Vec<f64> = rate
        .iter()
        .filter(|p| p.0 < lead && p.1.is_finite())
        .map(|p| p.1)
        .collect();
    if before.len() < 3 {
        return None;
    }
    before.sort_by(f64::total_cmp);
    let baseline = before[before.len() / 2];
    if baseline <= 0.0 {
        return None;
    }
    let first = rate
        .iter()
        .find(|p| p.0 >= lead && p.0 <= onset && p.1 >= SPIKE_FACTOR * baseline)?;
    let peak = rate
        .iter()
        .filter(|p| p.0 >= lead && p.0 <= onset)
        .map(|p| p.1)
        .fold(first.1, f64::max);
    Some(Sign::TrafficSpike {
        at: Timestamp::from_second(first.0).ok()?,
        rate: peak,
        baseline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(values: &[f64]) -> Vec<Point> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (i as i64 * 300, *v))
            .collect()
    }

    #[test]
    fn a_spike_is_the_rate_at_twice_its_baseline_shortly_before_the_onset() {
        // Every 5 minutes: 100/s for an hour, 250/s from 10 minutes before the onset.
        let mut values = vec![100.0; 12];
        values.extend([100.0, 250.0, 260.0]);
        let r = rate(&values);
        let onset = 14 * 300;
        match spike(&r, onset) {
            Some(Sign::TrafficSpike { at, rate, baseline }) => {
                assert_eq!(at.as_second(), 13 * 300);
                assert_eq!((rate, baseline), (260.0, 100.0));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn steady_traffic_or_too_little_history_is_no_spike() {
        assert_eq!(spike(&rate(&[100.0; 15]), 14 * 300), None);
        assert_eq!(spike(&rate(&[100.0, 300.0]), 300), None);
        assert_eq!(spike(&rate(&[0.0; 15]), 14 * 300), None);
        // A rise long before the onset is not this spike.
        let mut values = vec![100.0; 5];
        values.extend([300.0; 10]);
        assert_eq!(spike(&rate(&values), 14 * 300), None);
    }
}
