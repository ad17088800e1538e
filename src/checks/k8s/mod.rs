//! Kubernetes: the seed's `kubectl get/describe/logs/top` steps. What several checks share
//! lives here: the app's workloads (read once per run), pod health, logs, quantities.

pub mod auth_failures;
pub mod config;
pub mod deployments;
pub mod endpoints;
pub mod events;
pub mod ingress;
pub mod log_errors;
pub mod network_policy;
pub mod nodes;
pub mod pod_resources;
pub mod pods;
pub mod recent_changes;

#[cfg(test)]
pub(crate) mod fixtures;

use super::{fmt_num, CheckError, Level, Status, Threshold};
use crate::clients::kube::kube_error;
use crate::output::redact;
use futures::stream::{self, StreamExt};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Event, Pod};
use kube::api::{Api, ApiResource};
use regex::Regex;

/// Pods whose logs are read per deployment: unhealthy pods first. Reading every pod of a large
/// deployment would take longer than the on-call engineer can wait.
pub(crate) const MAX_LOG_PODS_PER_DEPLOYMENT: usize = 20;
/// Concurrent requests for logs: enough to hide latency, few enough not to hammer the API server.
const LOG_CONCURRENCY: usize = 16;

/// CPU use against a container's limit (k8s.pod_resources) or a node's allocatable (k8s.nodes).
pub const CPU: Level = Level::new(
    "cpu",
    80.0,
    95.0,
    "% of a CPU limit or of a node's allocatable CPU",
);
/// Memory use, as [`CPU`].
pub const MEMORY: Level = Level::new(
    "memory",
    85.0,
    95.0,
    "% of a memory limit or of a node's allocatable memory",
);

pub use crate::discovery::{ingress_backends, AppWorkload, AppWorkloads};

pub(crate) fn name_of(meta: &kube::api::ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("?")
}

pub(crate) fn desired_replicas(d: &Deployment) -> i32 {
    d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

/// When an event last happened: lastTimestamp may be empty, so fall back as kubectl does.
pub(crate) fn event_time(e: &Event) -> Option<jiff::Timestamp> {
    e.last_timestamp
        .as_ref()
        .map(|t| t.0)
        .or_else(|| e.event_time.as_ref().map(|t| t.0))
        .or_else(|| e.first_timestamp.as_ref().map(|t| t.0))
        .or_else(|| e.metadata.creation_timestamp.as_ref().map(|t| t.0))
}

/// The log tail of one container of one pod.
#[derive(Debug, Clone, PartialEq)]
pub struct PodLog {
    pub pod: String,
    pub container: String,
    pub text: String,
}

/// Pods worth reading, unhealthy first (the fold's samples, worst first), at most
/// `MAX_LOG_PODS_PER_DEPLOYMENT` per deployment; and how many pods were left out.
pub(crate) fn pods_to_read(workloads: &[AppWorkload]) -> (Vec<&Pod>, usize) {
    let mut chosen = Vec::new();
    let mut skipped = 0;
    for w in workloads {
        let taken: Vec<&Pod> = w
            .pods
            .samples
            .iter()
            .take(MAX_LOG_PODS_PER_DEPLOYMENT)
            .map(|s| &s.pod)
            .collect();
        skipped += w.pods.total.saturating_sub(taken.len());
        chosen.extend(taken);
    }
    (chosen, skipped)
}

/// What [`read_logs`] asks: each container's log.
pub const LOG_PERMISSIONS: &[crate::types::KubePermission] =
    &[crate::types::KubePermission::namespaced("get", "", "pods").of("log")];
/// The logs of the app's pods worth reading, as k8s.log_errors and k8s.auth_failures both
/// grep them.
#[derive(Debug, Clone, PartialEq)]
pub struct AppLogs {
    pub logs: Vec<PodLog>,
    pub pods_read: usize,
    /// Healthy pods beyond the per-deployment limit, not read.
    pub pods_not_read: usize,
}

/// The log tails of the pods [`pods_to_read`] picks.
pub(crate) async fn read_app_logs(
    client: kube::Client,
    settings: &crate::settings::Settings,
    workloads: &[AppWorkload],
) -> Result<AppLogs, CheckError> {
    let (pods, pods_not_read) = pods_to_read(workloads);
    let pods_read = pods.len();
    let tail = settings.kubernetes.log_tail_lines;
    let logs = read_logs(client, &settings.namespace, pods, tail).await?;
    Ok(AppLogs {
        logs,
        pods_read,
        pods_not_read,
    })
}

/// Bytes of one container's log read at most: the tail the checks grep, with room for long
/// lines, but never one endless line whole.
const LOG_BYTES: i64 = 4 * 1024 * 1024;

pub(crate) async fn read_logs(
    client: kube::Client,
    ns: &str,
    pods: Vec<&Pod>,
    tail: i64,
) -> Result<Vec<PodLog>, CheckError> {
    let api: Api<Pod> = Api::namespaced(client, ns);
    let mut jobs = Vec::new();
    for pod in pods {
        let name = name_of(&pod.metadata).to_string();
        for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
            jobs.push((name.clone(), c.name.clone()));
        }
    }
    let results: Vec<Result<PodLog, CheckError>> = stream::iter(jobs)
        .map(|(pod, container)| {
            let api = api.clone();
            async move {
                let params = crate::clients::kube::list::log_params(
                    Some(container.clone()),
                    tail,
                    LOG_BYTES,
                    false,
                );
                match api.logs(&pod, &params).await {
                    Ok(text) => Ok(PodLog {
                        pod,
                        container,
                        text,
                    }),
                    // A container that has not started yet has no log: nothing to read.
                    Err(kube::Error::Api(s)) if s.code == 400 => Ok(PodLog {
                        pod,
                        container,
                        text: String::new(),
                    }),
                    Err(e) => Err(kube_error(e, &format!("logs of {pod}/{container}"))),
                }
            }
        })
        .buffer_unordered(LOG_CONCURRENCY)
        .collect()
        .await;
    let mut logs: Vec<PodLog> = results.into_iter().collect::<Result<_, _>>()?;
    logs.sort_by(|a, b| (&a.pod, &a.container).cmp(&(&b.pod, &b.container)));
    Ok(logs)
}

/// Lines of `logs` matching `pattern`: (count per pod/container, newest few samples, redacted).
pub(crate) fn grep_logs(
    logs: &[PodLog],
    pattern: &Regex,
    samples_per_pod: usize,
) -> (usize, Vec<String>, Vec<(String, usize)>) {
    let mut total = 0;
    let mut samples = Vec::new();
    let mut per_pod = Vec::new();
    for log in logs {
        let hits: Vec<&str> = log.text.lines().filter(|l| pattern.is_match(l)).collect();
        if hits.is_empty() {
            continue;
        }
        total += hits.len();
        let label = format!("{}/{}", log.pod, log.container);
        per_pod.push((label.clone(), hits.len()));
        for line in hits.iter().rev().take(samples_per_pod).rev() {
            samples.push(format!(
                "{label}: {}",
                redact::truncate(&redact::secrets(line.trim()), 200)
            ));
        }
    }
    (total, samples, per_pod)
}

pub(crate) fn compile(pattern: &str, key: &str) -> Result<Regex, CheckError> {
    crate::settings::log_regex(pattern).map_err(|e| CheckError::new(format!("invalid {key}: {e}")))
}

/// Parses a Kubernetes quantity into base units (cores or bytes): `250m`, `1.5`, `128Mi`, `1G`.
pub fn parse_quantity(q: &str) -> Option<f64> {
    let q = q.trim();
    let split = q
        .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(q.len());
    let (number, suffix) = q.split_at(split);
    let n: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        _ => return None,
    };
    Some(n * factor)
}

pub(crate) fn fmt_cpu(cores: f64) -> String {
    if cores < 1.0 {
        format!("{}m", (cores * 1000.0).round())
    } else {
        fmt_num(cores, 2)
    }
}

pub(crate) fn fmt_bytes(b: f64) -> String {
    const UNITS: [&str; 5] = ["B", "Ki", "Mi", "Gi", "Ti"];
    let mut v = b;
    let mut i = 0;
    while v >= 1024.0 && i < UNITS.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    format!("{}{}", fmt_num(v, 1), UNITS[i])
}

/// Usage as a percentage of a limit, classified by the CPU or memory levels; the worst wins.
pub(crate) struct Usage {
    pub(crate) status: Status,
    pub(crate) percent: f64,
    pub(crate) threshold: Threshold,
}

pub(crate) fn worst_usage(items: &[(f64, Threshold)]) -> Option<Usage> {
    items
        .iter()
        .map(|(pct, th)| Usage {
            status: Status::of(*pct, *th),
            percent: *pct,
            threshold: *th,
        })
        .max_by(|a, b| {
            a.status
                .cmp(&b.status)
                .then(a.percent.total_cmp(&b.percent))
        })
}

pub(crate) fn metrics_resource(kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: "metrics.k8s.io".into(),
        version: "v1beta1".into(),
        api_version: "metrics.k8s.io/v1beta1".into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

pub(crate) fn metrics_error(e: kube::Error, what: &str) -> CheckError {
    match e {
        kube::Error::Api(s) if s.code == 404 || s.code == 503 => CheckError::new(format!(
            "{what}: the metrics API (metrics.k8s.io) is not available ({})",
            s.code
        ))
        .hint("install metrics-server, as `kubectl top` needs"),
        other => kube_error(other, what),
    }
}

#[cfg(test)]
mod kube_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_to_base_units() {
        assert_eq!(parse_quantity("250m"), Some(0.25));
        assert_eq!(parse_quantity("2"), Some(2.0));
        assert_eq!(parse_quantity("128Mi"), Some(128.0 * 1024.0 * 1024.0));
        assert_eq!(parse_quantity("1G"), Some(1e9));
        assert_eq!(parse_quantity("1500000n"), Some(0.0015));
        assert_eq!(parse_quantity("12Zi"), None);
        assert_eq!(fmt_bytes(1.5 * 1024.0 * 1024.0 * 1024.0), "1.5Gi");
        assert_eq!(fmt_cpu(0.25), "250m");
    }
}
