//! The investigation steps of the runbooks, one module per target. A check is an async function
//! from the `Context` to a `Finding`; it never prints. `runbooks` decides which checks run.

pub mod alertmanager;
pub mod k8s;
pub mod postgres;
pub mod prometheus;
pub mod redis;

use crate::runbooks::Runbook;
use crate::settings::Threshold;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Unknown,
    Warning,
    Critical,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Unknown => "unknown",
            Status::Warning => "warning",
            Status::Critical => "critical",
        }
    }

    /// Warning or critical: something is wrong (unknown means we could not tell).
    pub fn is_problem(self) -> bool {
        matches!(self, Status::Warning | Status::Critical)
    }

    /// Classifies a measured value: strictly above a level reaches it. Values are compared
    /// rounded to 6 decimal places so that float noise (0.01 * 100) never tips a boundary.
    pub fn of(value: f64, threshold: Threshold) -> Status {
        let v = (value * 1e6).round() / 1e6;
        if v > threshold.critical {
            Status::Critical
        } else if v > threshold.warning {
            Status::Warning
        } else {
            Status::Ok
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a check found.
#[derive(Debug, Clone)]
pub struct Finding {
    pub status: Status,
    pub summary: String,
    pub value: Option<f64>,
    pub unit: Option<&'static str>,
    pub threshold: Option<Threshold>,
    /// What a human needs to act: pod names, query text, alert names. Already redacted.
    pub evidence: Vec<String>,
}

impl Finding {
    pub fn new(status: Status, summary: impl Into<String>) -> Self {
        Finding {
            status,
            summary: summary.into(),
            value: None,
            unit: None,
            threshold: None,
            evidence: Vec::new(),
        }
    }

    pub fn ok(summary: impl Into<String>) -> Self {
        Finding::new(Status::Ok, summary)
    }

    /// A finding whose status comes from `value` against `threshold`.
    pub fn measured(
        value: f64,
        unit: &'static str,
        threshold: Threshold,
        summary: impl Into<String>,
    ) -> Self {
        Finding {
            status: Status::of(value, threshold),
            summary: summary.into(),
            value: Some(value),
            unit: Some(unit),
            threshold: Some(threshold),
            evidence: Vec::new(),
        }
    }

    pub fn value(mut self, value: f64, unit: &'static str) -> Self {
        self.value = Some(value);
        self.unit = Some(unit);
        self
    }

    pub fn evidence(mut self, lines: impl IntoIterator<Item = String>) -> Self {
        self.evidence.extend(lines);
        self
    }

    /// Raises the status to at least `status`.
    pub fn at_least(mut self, status: Status) -> Self {
        self.status = self.status.max(status);
        self
    }
}

/// Why a check could not tell: the check becomes `unknown`, with the cause and a hint.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckError {
    pub message: String,
    pub hint: Option<String>,
    /// What became of the request, when a server was asked (read from the typed error).
    pub cause: Option<crate::failure::Cause>,
}

impl CheckError {
    pub fn new(message: impl Into<String>) -> Self {
        CheckError {
            message: message.into(),
            hint: None,
            cause: None,
        }
    }

    /// A server's failure, with what became of the request.
    pub fn remote(cause: crate::failure::Cause, message: impl Into<String>) -> Self {
        CheckError {
            message: message.into(),
            hint: None,
            cause: Some(cause),
        }
    }

    /// As an error that ends a command, keeping the cause (and so the exit code it implies).
    pub fn into_error(self, prefix: &str) -> crate::error::Error {
        let message = if prefix.is_empty() {
            self.message
        } else {
            format!("{prefix}: {}", self.message)
        };
        let err = match self.cause {
            Some(cause) => crate::error::Error::remote(cause, message),
            None => crate::error::Error::unavailable(message),
        };
        match self.hint {
            Some(h) => err.with_hint(h),
            None => err,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

pub type CheckOutcome = Result<Finding, CheckError>;

/// Which server a check talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Kubernetes,
    Postgres,
    Redis,
    Prometheus,
    Alertmanager,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Kubernetes => "the Kubernetes API",
            Target::Postgres => "PostgreSQL",
            Target::Redis => "Redis",
            Target::Prometheus => "Prometheus",
            Target::Alertmanager => "Alertmanager",
        }
    }
}

/// A check's identity: its id is part of the output contract.
#[derive(Debug)]
pub struct CheckSpec {
    pub id: &'static str,
    pub runbooks: &'static [Runbook],
    pub target: Target,
    /// When reaching the target is what the check checks, failing to reach it is critical, not
    /// unknown.
    pub reachability: bool,
    pub description: &'static str,
}

use Runbook::*;

/// Every check, in the order they are shown.
pub const CHECKS: &[CheckSpec] = &[
    spec(
        "k8s.pods",
        &[AppDown],
        Target::Kubernetes,
        "app pods not Running/Ready, CrashLoopBackOff, ImagePullBackOff, OOMKilled, restarts",
    ),
    spec(
        "k8s.deployments",
        &[AppDown],
        Target::Kubernetes,
        "available vs desired replicas per app deployment",
    ),
    spec(
        "k8s.ingress",
        &[AppDown],
        Target::Kubernetes,
        "the ingress exists, has an address, its backend services exist",
    ),
    spec(
        "k8s.endpoints",
        &[AppDown],
        Target::Kubernetes,
        "each backend service has ready endpoint addresses",
    ),
    CheckSpec {
        reachability: true,
        ..spec(
            "postgres.ping",
            &[AppDown, Database],
            Target::Postgres,
            "connect and SELECT 1, round-trip time",
        )
    },
    CheckSpec {
        reachability: true,
        ..spec(
            "redis.ping",
            &[AppDown],
            Target::Redis,
            "PING round-trip time",
        )
    },
    spec(
        "postgres.connections",
        &[Database],
        Target::Postgres,
        "client connections vs max_connections",
    ),
    spec(
        "postgres.long_queries",
        &[Database],
        Target::Postgres,
        "active client queries running longer than the limit",
    ),
    spec(
        "postgres.slow_queries",
        &[Database, Performance],
        Target::Postgres,
        "top pg_stat_statements by mean execution time",
    ),
    spec(
        "postgres.replication",
        &[Database],
        Target::Postgres,
        "replicas and their lag from pg_stat_replication",
    ),
    spec(
        "postgres.locks",
        &[Database, Performance],
        Target::Postgres,
        "sessions blocked by others (pg_blocking_pids)",
    ),
    spec(
        "prometheus.error_rate",
        &[ErrorRate],
        Target::Prometheus,
        "5xx ratio over 5 minutes",
    ),
    spec(
        "k8s.log_errors",
        &[ErrorRate],
        Target::Kubernetes,
        "ERROR lines in the tail of each app pod's log",
    ),
    spec(
        "k8s.events",
        &[ErrorRate, AppDown],
        Target::Kubernetes,
        "Warning events of the last hour, newest first",
    ),
    spec(
        "alertmanager.alerts",
        &[ErrorRate],
        Target::Alertmanager,
        "active, unsilenced alerts (API v2)",
    ),
    spec(
        "k8s.config",
        &[ErrorRate],
        Target::Kubernetes,
        "the app configmap and secret exist (secret keys only, never values)",
    ),
    spec(
        "prometheus.latency_p95",
        &[Performance],
        Target::Prometheus,
        "p95 request latency over 5 minutes",
    ),
    spec(
        "k8s.pod_resources",
        &[Performance],
        Target::Kubernetes,
        "pod CPU and memory usage vs container limits (metrics.k8s.io)",
    ),
    spec(
        "k8s.nodes",
        &[Performance],
        Target::Kubernetes,
        "node conditions and usage vs allocatable",
    ),
    spec(
        "prometheus.disk_usage",
        &[Performance],
        Target::Prometheus,
        "filesystem use from node metrics",
    ),
    spec(
        "redis.memory",
        &[Performance],
        Target::Redis,
        "used memory vs maxmemory, evictions, hit rate",
    ),
    spec(
        "k8s.auth_failures",
        &[Security],
        Target::Kubernetes,
        "401/403 and auth-failure lines in access and app logs",
    ),
    spec(
        "prometheus.forbidden_rate",
        &[Security],
        Target::Prometheus,
        "403 ratio over 5 minutes",
    ),
    spec(
        "postgres.audit_logs",
        &[Security],
        Target::Postgres,
        "recent audit_logs rows and failed actions",
    ),
    spec(
        "k8s.networkpolicy",
        &[Security],
        Target::Kubernetes,
        "the app's network policy exists; its blocked CIDRs",
    ),
];

const fn spec(
    id: &'static str,
    runbooks: &'static [Runbook],
    target: Target,
    description: &'static str,
) -> CheckSpec {
    CheckSpec {
        id,
        runbooks,
        target,
        reachability: false,
        description,
    }
}

/// Runs one check by id.
pub async fn run(id: &str, ctx: &crate::context::Context) -> CheckOutcome {
    match id {
        "k8s.pods" => k8s::pods(ctx).await,
        "k8s.deployments" => k8s::deployments(ctx).await,
        "k8s.ingress" => k8s::ingress(ctx).await,
        "k8s.endpoints" => k8s::endpoints(ctx).await,
        "k8s.log_errors" => k8s::log_errors(ctx).await,
        "k8s.events" => k8s::events(ctx).await,
        "k8s.config" => k8s::config(ctx).await,
        "k8s.pod_resources" => k8s::pod_resources(ctx).await,
        "k8s.nodes" => k8s::nodes(ctx).await,
        "k8s.auth_failures" => k8s::auth_failures(ctx).await,
        "k8s.networkpolicy" => k8s::network_policy(ctx).await,
        "postgres.ping" => postgres::ping(ctx).await,
        "postgres.connections" => postgres::connections(ctx).await,
        "postgres.long_queries" => postgres::long_queries(ctx).await,
        "postgres.slow_queries" => postgres::slow_queries(ctx).await,
        "postgres.replication" => postgres::replication(ctx).await,
        "postgres.locks" => postgres::locks(ctx).await,
        "postgres.audit_logs" => postgres::audit_logs(ctx).await,
        "redis.ping" => redis::ping(ctx).await,
        "redis.memory" => redis::memory(ctx).await,
        "prometheus.error_rate" => prometheus::error_rate(ctx).await,
        "prometheus.latency_p95" => prometheus::latency_p95(ctx).await,
        "prometheus.disk_usage" => prometheus::disk_usage(ctx).await,
        "prometheus.forbidden_rate" => prometheus::forbidden_rate(ctx).await,
        "alertmanager.alerts" => alertmanager::alerts(ctx).await,
        other => Err(CheckError::new(format!("no such check: {other}"))),
    }
}

/// A check's result as reported: the JSON `checks[]` element.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub id: &'static str,
    pub runbooks: Vec<Runbook>,
    pub status: Status,
    pub summary: String,
    pub value: Option<f64>,
    pub unit: Option<&'static str>,
    pub warning: Option<f64>,
    pub critical: Option<f64>,
    pub evidence: Vec<String>,
    pub error: Option<String>,
    pub hint: Option<String>,
    pub duration_ms: u64,
}

/// Formats a number for people: no trailing zeros, at most `decimals` places.
pub fn fmt_num(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Formats an age in seconds as `4m12s`, `2h05m`, `38s`.
pub fn fmt_age(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_strictly_above() {
        let t = Threshold::new(1.0, 5.0);
        assert_eq!(Status::of(1.0, t), Status::Ok);
        assert_eq!(Status::of(1.0001, t), Status::Warning);
        assert_eq!(Status::of(5.0, t), Status::Warning);
        assert_eq!(Status::of(5.01, t), Status::Critical);
        // 0.01 and 0.05 as ratios, scaled to percent, land exactly on the levels.
        assert_eq!(Status::of(0.01 * 100.0, t), Status::Ok);
        assert_eq!(Status::of(0.05 * 100.0, t), Status::Warning);
        assert_eq!(Status::of(0.07 * 100.0, t), Status::Critical);
    }

    #[test]
    fn check_ids_are_unique_and_every_runbook_has_checks() {
        let mut ids: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), CHECKS.len());
        for rb in Runbook::ALL {
            assert!(CHECKS.iter().any(|c| c.runbooks.contains(rb)), "{rb:?}");
        }
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(fmt_age(38.2), "38s");
        assert_eq!(fmt_age(252.0), "4m12s");
        assert_eq!(fmt_age(7500.0), "2h05m");
        assert_eq!(fmt_num(3.25, 2), "3.25");
        assert_eq!(fmt_num(7.0, 2), "7");
    }
}
