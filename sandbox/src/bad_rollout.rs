//! The `bad-rollout` scenario: revision 2 of `backend` (a new image, one environment variable
//! changed) was rolled out 20 minutes before the sandbox started; 12 minutes after it the app's
//! 5xx rate rose from 0.5 % to 8 %. Kubernetes holds that history (the revision's ReplicaSet is
//! dated back in etcd, as a cluster that had been running would hold it), Prometheus holds it
//! (backfilled), and from the sandbox's start the same traffic model is scraped live: when
//! `backend` no longer runs the bad image (a rollback), its 5xx rate recovers in the series.
//!
//! One [`Timeline`] gives every series' value at any time, so the backfill, the live scrape and
//! a test's truth agree by construction.

use crate::request_metrics::{other_apps, Traffic, BOUNDS};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

/// How long before the sandbox started revision 2 was rolled out.
pub const ROLLOUT_AGO: i64 = 20 * 60;
/// From the rollout to the 5xx rise.
pub const ONSET_AFTER_ROLLOUT: i64 = 12 * 60;
/// Revision 2's image; revision 1 runs `registry.example/backend:2.3.1`.
pub const BAD_IMAGE: &str = "registry.example/backend:2.4.0";
/// How much history is backfilled before the start.
const HISTORY: i64 = 3 * 3600;
/// The backfill's step, and the scrape interval after it.
pub const STEP: i64 = 15;
/// The app's requests per second, by service and status, before the onset (0.5 % 5xx) and
/// during it (8 %: backend answers 7.8 of its 60 with 500).
const BACKEND: [Rates; 3] = [(200, 59.6, 52.1), (403, 0.1, 0.1), (500, 0.3, 7.8)];
const FRONTEND: [Rates; 2] = [(200, 39.8, 39.8), (500, 0.2, 0.2)];
/// Every series of the sandbox carries this instance, backfilled and scraped alike (with
/// `honor_labels`), so a series goes on from its backfill into its scrape.
const INSTANCE: &str = "sandbox";

/// When things happened, and when the app recovered (set by the first scrape that sees
/// `backend` without the bad image).
#[derive(Debug)]
pub struct Timeline {
    /// The first backfilled sample.
    pub start: i64,
    pub rollout: i64,
    pub onset: i64,
    /// When the sandbox started: the backfill's last sample is at or before it.
    pub started: i64,
    recovered: Mutex<Option<f64>>,
    /// Set once revision 2 is in place: from then on a scrape that sees another image is the
    /// recovery.
    armed: std::sync::atomic::AtomicBool,
}

impl Timeline {
    pub fn new(now: i64) -> Arc<Timeline> {
        let rollout = now - ROLLOUT_AGO;
        Arc::new(Timeline {
            start: now - HISTORY,
            rollout,
            onset: rollout + ONSET_AFTER_ROLLOUT,
            started: now,
            recovered: Mutex::new(None),
            armed: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// When the 5xx rate went back to its baseline (the first scrape after the rollback).
    pub fn recovered_at(&self) -> Option<f64> {
        *self.recovered.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Revision 2 is in place: the exporter starts watching for its end.
    pub fn arm(&self) {
        self.armed.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    fn recover(&self, at: f64) {
        let mut r = self.recovered.lock().unwrap_or_else(|e| e.into_inner());
        if r.is_none() {
            *r = Some(at);
        }
    }

    /// Seconds of the bad stretch before `t`.
    fn bad_secs(&self, t: f64) -> f64 {
        let end = self.recovered_at().map_or(t, |r| r.min(t));
        (end - self.onset as f64).max(0.0)
    }

    /// A counter at `t` that grows at `baseline` per second, and at `bad` during the bad stretch.
    fn counter(&self, baseline: f64, bad: f64, t: f64) -> f64 {
        baseline * (t - self.start as f64) + (bad - baseline) * self.bad_secs(t)
    }

    /// The app's requests answered 5xx between `from` and `to` (unix seconds): the truth a
    /// test compares with.
    pub fn app_failed_between(&self, from: f64, to: f64) -> f64 {
        self.app_between(from, to, |status| (500..600).contains(&status))
    }

    /// All the app's requests between `from` and `to`.
    pub fn app_total_between(&self, from: f64, to: f64) -> f64 {
        self.app_between(from, to, |_| true)
    }

    fn app_between(&self, from: f64, to: f64, keep: impl Fn(u16) -> bool) -> f64 {
        BACKEND
            .iter()
            .chain(FRONTEND.iter())
            .filter(|(status, _, _)| keep(*status))
            .map(|&(_, b, r)| self.counter(b, r, to) - self.counter(b, r, from))
            .sum()
    }
}

/// One series of the model: its name, labels and how it moves.
struct Series {
    name: String,
    labels: String,
    /// A counter's rates (before/after the onset, and during it), or a gauge's value.
    value: Moves,
}

enum Moves {
    Counter { baseline: f64, bad: f64 },
    Gauge(f64),
}

/// A metric family's name, kind and series, in exposition order.
struct Family {
    name: &'static str,
    kind: &'static str,
    series: Vec<Series>,
}

/// A status and its requests per second, before the onset and during it.
type Rates = (u16, f64, f64);

/// The app's services with their rates per status.
const APP: [(&str, &[Rates]); 2] = [("backend", &BACKEND), ("frontend", &FRONTEND)];

/// A request to the API server as its admin: method, path, body; the answer.
pub type Kube<'a> = &'a dyn Fn(&str, &str, Option<&Value>) -> Result<Value, String>;

fn labels(job: &str, namespace: &str, service: &str) -> String {
    format!(r#"instance="{INSTANCE}",job="{job}",namespace="{namespace}",service="{service}""#)
}

/// Every family the sandbox's Prometheus holds: the app's requests and latency in
/// incidentctl's own names, two other apps beside it, and the nodes' filesystems.
fn families(namespace: &str) -> Vec<Family> {
    let mut requests = Vec::new();
    let mut latency = Vec::new();
    let within = [0.7, 0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    let mut add =
        |ns: &str, service: &str, status: u16, baseline: f64, bad: f64, within: [f64; 8]| {
            let base = format!(r#"{},status="{status}""#, labels(service, ns, service));
            requests.push(Series {
                name: "http_requests_total".into(),
                labels: base.clone(),
                value: Moves::Counter { baseline, bad },
            });
            for (bound, share) in BOUNDS.iter().zip(within) {
                latency.push(Series {
                    name: "http_request_duration_seconds_bucket".into(),
                    labels: format!(r#"{base},le="{bound}""#),
                    value: Moves::Counter {
                        baseline: baseline * share,
                        bad: bad * share,
                    },
                });
            }
            for (suffix, le) in [("_bucket", Some("+Inf")), ("_count", None)] {
                latency.push(Series {
                    name: format!("http_request_duration_seconds{suffix}"),
                    labels: le.map_or(base.clone(), |le| format!(r#"{base},le="{le}""#)),
                    value: Moves::Counter { baseline, bad },
                });
            }
            latency.push(Series {
                name: "http_request_duration_seconds_sum".into(),
                labels: base,
                value: Moves::Counter {
                    baseline: baseline * 0.1,
                    bad: bad * 0.1,
                },
            });
        };
    for (service, rates) in APP {
        for &(status, baseline, bad) in rates {
            add(namespace, service, status, baseline, bad, within);
        }
    }
    for Traffic {
        namespace: ns,
        service,
        per_second,
        within,
        ..
    } in other_apps(namespace)
    {
        for (status, rate) in per_second {
            add(&ns, &service, status, rate, rate, within);
        }
    }
    let mut gauges = Vec::new();
    let size = 100.0 * 1024.0 * 1024.0 * 1024.0;
    for (name, free) in [
        ("node_filesystem_size_bytes", false),
        ("node_filesystem_avail_bytes", true),
    ] {
        for (node, mountpoint, used) in [
            ("node-1:9100", "/", 0.40),
            ("node-1:9100", "/var/lib/postgresql", 0.30),
            ("node-2:9100", "/", 0.35),
        ] {
            gauges.push((
                name,
                Series {
                    name: name.into(),
                    labels: format!(
                        r#"device="/dev/vda1",fstype="ext4",instance="{node}",job="node",mountpoint="{mountpoint}""#
                    ),
                    value: Moves::Gauge(if free { size * (1.0 - used) } else { size }),
                },
            ));
        }
    }
    let (size_series, avail_series): (Vec<_>, Vec<_>) = gauges
        .into_iter()
        .partition(|(n, _)| *n == "node_filesystem_size_bytes");
    vec![
        Family {
            name: "http_requests",
            kind: "counter",
            series: requests,
        },
        Family {
            name: "http_request_duration_seconds",
            kind: "histogram",
            series: latency,
        },
        Family {
            name: "node_filesystem_size_bytes",
            kind: "gauge",
            series: size_series.into_iter().map(|(_, s)| s).collect(),
        },
        Family {
            name: "node_filesystem_avail_bytes",
            kind: "gauge",
            series: avail_series.into_iter().map(|(_, s)| s).collect(),
        },
    ]
}

fn value_at(t: &Timeline, s: &Series, at: f64) -> f64 {
    match s.value {
        Moves::Counter { baseline, bad } => t.counter(baseline, bad, at),
        Moves::Gauge(v) => v,
    }
}

/// The history before the start, in OpenMetrics for `promtool tsdb create-blocks-from
/// openmetrics`: every [`STEP`] from the timeline's start to the sandbox's.
pub fn backfill(t: &Timeline, namespace: &str) -> String {
    let times: Vec<i64> = (0..)
        .map(|i| t.start + i * STEP)
        .take_while(|at| *at <= t.started)
        .collect();
    let mut out = String::new();
    for f in families(namespace) {
        let _ = writeln!(out, "# TYPE {} {}", f.name, f.kind);
        for s in &f.series {
            for at in &times {
                let v = value_at(t, s, *at as f64);
                let _ = writeln!(out, "{}{{{}}} {v} {at}", s.name, s.labels);
            }
        }
    }
    out.push_str("# EOF\n");
    out
}

/// The series as a scrape sees them at `at` (Prometheus text format).
pub fn exposition(t: &Timeline, namespace: &str, at: f64) -> String {
    let mut out = String::new();
    for f in families(namespace) {
        let name = if f.kind == "counter" {
            format!("{}_total", f.name)
        } else {
            f.name.to_string()
        };
        let _ = writeln!(out, "# TYPE {name} {}", f.kind);
        for s in &f.series {
            let _ = writeln!(out, "{}{{{}}} {}", s.name, s.labels, value_at(t, s, at));
        }
    }
    out
}

/// The scrape job Prometheus runs against the exporter at `target` (`127.0.0.1:PORT`).
pub fn scrape_config(target: &str) -> String {
    format!(
        "global:\n  scrape_interval: {STEP}s\nscrape_configs:\n  - job_name: sandbox\n    honor_labels: true\n    static_configs:\n      - targets: ['{target}']\n"
    )
}

/// The firing alert, from five minutes after the onset (the rate crossed 5 % three minutes in,
/// and the rule waits two more).
pub fn alerts(t: &Timeline, namespace: &str) -> Value {
    let ts = |s: i64| {
        jiff::Timestamp::from_second(s)
            .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    };
    json!([{
        "labels": {"alertname": "HighErrorRate", "severity": "critical", "namespace": namespace, "service": "backend"},
        "annotations": {"summary": "5xx error rate above 5% for 2 minutes"},
        "startsAt": ts(t.onset + 300), "endsAt": ts(t.started + 7200),
        "generatorURL": "http://prometheus.sandbox/graph"
    }])
}

/// Revision 2 of backend: the bad image and LOG_LEVEL changed.
pub fn revision_2_patch() -> Value {
    json!([
        {"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": BAD_IMAGE},
        {"op": "replace", "path": "/spec/template/spec/containers/0/env/1", "value": {"name": "LOG_LEVEL", "value": "debug"}},
    ])
}

/// What a sandbox needs of the scenario before its servers start: the timeline, and the
/// exporter's port, taken now so that Prometheus can be told where to scrape.
pub struct Prepared {
    pub timeline: Arc<Timeline>,
    listener: std::net::TcpListener,
    target: String,
}

/// The scenario's timeline from `now`; its history is dated back in etcd, so it needs the real
/// control plane.
pub fn prepare(now: i64, real_control_plane: bool) -> Result<Prepared, String> {
    if !real_control_plane {
        return Err("the bad-rollout scenario needs the real control plane (--kubernetes real): its history is dated back in etcd".into());
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("the metrics exporter: {e}"))?;
    let target = listener
        .local_addr()
        .map_err(|e| format!("the metrics exporter: {e}"))?
        .to_string();
    Ok(Prepared {
        timeline: Timeline::new(now),
        listener,
        target,
    })
}

impl Prepared {
    pub fn scrape_config(&self) -> String {
        scrape_config(&self.target)
    }

    /// Serves the live metrics, then rolls revision 2 out and dates it back (`kube`: requests
    /// as the admin; `kubeconfig`: the admin's, for the exporter's own client).
    pub fn start(
        self,
        runtime: &tokio::runtime::Runtime,
        kubeconfig: &str,
        kube: Kube,
        etcd_port: u16,
        namespace: &str,
    ) -> Result<tokio::task::JoinHandle<()>, String> {
        let timeline = self.timeline.clone();
        let exporter = runtime.block_on(async {
            let client = crate::kubernetes::client_from_kubeconfig(kubeconfig).await?;
            serve(self.listener, timeline, namespace.to_string(), client)
                .await
                .map_err(|e| format!("the metrics exporter: {e}"))
        })?;
        roll_out(kube, etcd_port, namespace, &self.timeline)?;
        Ok(exporter)
    }
}

/// Serves the model on `listener` for Prometheus to scrape. Each scrape first asks the API
/// server which image backend's template has: once it is no longer [`BAD_IMAGE`] (after
/// [`Timeline::arm`]), the app has recovered from that moment.
pub async fn serve(
    listener: std::net::TcpListener,
    timeline: Arc<Timeline>,
    namespace: String,
    client: kube::Client,
) -> std::io::Result<tokio::task::JoinHandle<()>> {
    use http_body_util::Full;
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    Ok(tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (timeline, namespace, client) =
                (timeline.clone(), namespace.clone(), client.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |_req| {
                    let (timeline, namespace, client) =
                        (timeline.clone(), namespace.clone(), client.clone());
                    async move {
                        watch_rollback(&timeline, &namespace, &client).await;
                        let now = jiff::Timestamp::now().as_millisecond() as f64 / 1000.0;
                        let text = exposition(&timeline, &namespace, now);
                        Ok::<_, std::convert::Infallible>(
                            http::Response::builder()
                                .header("Content-Type", "text/plain; version=0.0.4")
                                .body(Full::new(bytes::Bytes::from(text)))
                                .unwrap_or_default(),
                        )
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    }))
}

/// Marks the recovery when backend's template no longer has the bad image.
async fn watch_rollback(t: &Timeline, namespace: &str, client: &kube::Client) {
    if !t.armed.load(std::sync::atomic::Ordering::SeqCst) || t.recovered_at().is_some() {
        return;
    }
    let path = format!("/apis/apps/v1/namespaces/{namespace}/deployments/backend");
    let Ok(request) = http::Request::get(path).body(Vec::new()) else {
        return;
    };
    if let Ok(d) = client.request::<Value>(request).await {
        let image = d
            .pointer("/spec/template/spec/containers/0/image")
            .and_then(Value::as_str);
        if image.is_some_and(|i| i != BAD_IMAGE) {
            t.recover(jiff::Timestamp::now().as_millisecond() as f64 / 1000.0);
        }
    }
}

/// Rolls revision 2 out through the API (`kube` is a request as the admin), waits until the
/// controller has numbered it and its pods are available, then dates the two ReplicaSets back
/// in etcd (at `etcd_port`): revision 1 a day before the start, revision 2 [`ROLLOUT_AGO`]
/// before it. The API server reads a JSON value beside its own protobuf ones.
pub fn roll_out(kube: Kube, etcd_port: u16, namespace: &str, t: &Timeline) -> Result<(), String> {
    let deployment = format!("/apis/apps/v1/namespaces/{namespace}/deployments/backend");
    let patched = jiff::Timestamp::now().as_second();
    kube("JSON-PATCH", &deployment, Some(&revision_2_patch()))?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let sets = loop {
        let d = kube("GET", &deployment, None)?;
        let s = &d["status"];
        let done = d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
            && s["observedGeneration"] == d["metadata"]["generation"]
            && s["updatedReplicas"] == d["spec"]["replicas"]
            && s["availableReplicas"] == d["spec"]["replicas"]
            && s["replicas"] == d["spec"]["replicas"];
        if done {
            let path = format!(
                "/apis/apps/v1/namespaces/{namespace}/replicasets?labelSelector=app%3Dbackend"
            );
            break kube("GET", &path, None)?;
        }
        if std::time::Instant::now() > deadline {
            return Err(format!(
                "revision 2 of backend did not roll out within 60 s: {s}"
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    for rs in sets["items"].as_array().into_iter().flatten() {
        let revision = rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"].as_str();
        let at = match revision {
            Some("1") => t.started - 86_400,
            Some("2") => t.rollout,
            _ => continue,
        };
        backdate(rs, at, etcd_port)?;
    }
    clear_rollout_warnings(kube, namespace, patched)?;
    t.arm();
    Ok(())
}

/// The controllers' races while the rollout is written (`FailedToUpdateEndpoint`) are about
/// the seeding, not the scenario: Warning events from `since` on are removed, as the seeding's
/// own are.
fn clear_rollout_warnings(kube: Kube, namespace: &str, since: i64) -> Result<(), String> {
    let list = kube(
        "GET",
        &format!("/api/v1/namespaces/{namespace}/events?fieldSelector=type%3DWarning"),
        None,
    )?;
    for e in list["items"].as_array().into_iter().flatten() {
        let created = e["metadata"]["creationTimestamp"]
            .as_str()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok());
        if created.is_some_and(|c| c.as_second() >= since) {
            let name = e["metadata"]["name"].as_str().unwrap_or_default();
            let _ = kube(
                "DELETE",
                &format!("/api/v1/namespaces/{namespace}/events/{name}"),
                None,
            );
        }
    }
    Ok(())
}

/// Writes `object` back into etcd with its creation at `at` (unix seconds).
fn backdate(object: &Value, at: i64, etcd_port: u16) -> Result<(), String> {
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut o = object.clone();
    let when = jiff::Timestamp::from_second(at)
        .map_err(|e| e.to_string())?
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    o["metadata"]["creationTimestamp"] = json!(when);
    if let Some(meta) = o["metadata"].as_object_mut() {
        meta.remove("resourceVersion");
    }
    o["apiVersion"] = json!("apps/v1");
    o["kind"] = json!("ReplicaSet");
    let key = format!(
        "/registry/replicasets/{}/{}",
        o["metadata"]["namespace"].as_str().unwrap_or_default(),
        o["metadata"]["name"].as_str().unwrap_or_default()
    );
    let body = json!({"key": b64(key.as_bytes()), "value": b64(o.to_string().as_bytes())});
    let (status, answer) = crate::servers::http_request(
        etcd_port,
        "POST",
        "/v3/kv/put",
        Some(&body.to_string()),
        std::time::Duration::from_secs(5),
    )
    .map_err(|e| format!("etcd: {e}"))?;
    if status != 200 {
        return Err(format!(
            "etcd answered {status} to the put of {key}: {answer}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_goes_from_half_a_percent_to_eight_and_back() {
        let t = Timeline::new(1_800_000_000);
        assert_eq!(t.onset - t.rollout, 12 * 60);
        let share = |from: i64, to: i64| {
            t.app_failed_between(from as f64, to as f64)
                / t.app_total_between(from as f64, to as f64)
        };
        assert!((share(t.start, t.onset) - 0.005).abs() < 1e-9);
        assert!((share(t.onset, t.started) - 0.08).abs() < 1e-9);
        t.recover(t.started as f64 + 60.0);
        assert!((share(t.started + 60, t.started + 600) - 0.005).abs() < 1e-9);
        assert!((share(t.started, t.started + 60) - 0.08).abs() < 1e-9);
    }

    #[test]
    fn the_backfill_and_the_scrape_agree_where_they_meet() {
        let t = Timeline::new(1_800_000_000);
        let history = backfill(&t, "reconciliation");
        let last_time = t.start + (t.started - t.start) / STEP * STEP;
        let key = r#"http_requests_total{instance="sandbox",job="backend",namespace="reconciliation",service="backend",status="500"}"#;
        let backfilled = history
            .lines()
            .rfind(|l| l.starts_with(key))
            .unwrap()
            .to_string();
        let scraped = exposition(&t, "reconciliation", last_time as f64);
        let line = scraped.lines().find(|l| l.starts_with(key)).unwrap();
        assert_eq!(format!("{line} {last_time}"), backfilled);
        assert!(history.ends_with("# EOF\n"));
        assert!(scraped.contains("# TYPE http_requests_total counter"));
    }
}
