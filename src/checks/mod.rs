//! The investigation steps of the runbooks: one folder per target, one file per check. A check
//! is two functions: `read` (the only I/O: what the servers say, as a snapshot) and `assess`
//! (pure: the snapshot and the settings in, a finding out), so every threshold, boundary and
//! evidence line is unit-tested on fixtures without a server. [`CHECKS`] is the one table of
//! them; `runbooks` decides which run.

pub mod alertmanager;
pub mod custom;
pub mod k8s;
pub mod postgres;
pub mod prometheus;
pub mod redis;

use crate::clients::Context;
use crate::discovery::Resolved;
use crate::settings::Settings;
use crate::types::Direction;
use futures::future::BoxFuture;
use k8s_openapi::api::networking::v1::Ingress;
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::OnceCell;

pub use crate::types::duration::fmt_age;
pub use crate::types::finding::fmt_num;
pub use crate::types::{CheckError, Finding, KubePermissions, Level, Status, Threshold};

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
    /// An HTTP endpoint a `[[check]]` names.
    Http,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Kubernetes => "the Kubernetes API",
            Target::Postgres => "PostgreSQL",
            Target::Redis => "Redis",
            Target::Prometheus => "Prometheus",
            Target::Alertmanager => "Alertmanager",
            Target::Http => "the HTTP endpoint",
        }
    }
}

/// What the checks read, shared by the checks of one run: the clients, and reads several
/// checks need (the app's deployments and pods are read once).
pub struct Readings {
    pub ctx: Arc<Context>,
    app_deployments: OnceCell<Result<Arc<crate::discovery::AppDeployments>, CheckError>>,
    app_workloads: OnceCell<Result<Arc<k8s::AppWorkloads>, CheckError>>,
    app_ingresses: OnceCell<Result<Arc<Resolved<Ingress>>, CheckError>>,
    warning_events: OnceCell<Result<Arc<k8s::events::Snapshot>, CheckError>>,
    app_logs: OnceCell<Result<Arc<k8s::AppLogs>, CheckError>>,
    app_scope: OnceCell<Arc<crate::discovery::AppScope>>,
    metric_family: OnceCell<Result<Arc<prometheus::FamilyChoice>, CheckError>>,
    declared_sql: OnceCell<Result<Arc<tokio::sync::Mutex<tokio_postgres::Client>>, CheckError>>,
}

impl Readings {
    pub fn new(ctx: Arc<Context>) -> Arc<Self> {
        Arc::new(Readings {
            ctx,
            app_deployments: OnceCell::new(),
            app_workloads: OnceCell::new(),
            app_ingresses: OnceCell::new(),
            warning_events: OnceCell::new(),
            app_logs: OnceCell::new(),
            app_scope: OnceCell::new(),
            metric_family: OnceCell::new(),
            declared_sql: OnceCell::new(),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.ctx.settings
    }

    /// The app's deployments (named, default or found), read once: what a check needs to ask
    /// for more about them while their pods are still being folded.
    pub async fn app_deployments(
        &self,
    ) -> Result<Arc<crate::discovery::AppDeployments>, CheckError> {
        self.app_deployments
            .get_or_init(|| async {
                let client = self.ctx.kube().await?;
                crate::discovery::app_deployments(client, self.settings())
                    .await
                    .map(Arc::new)
            })
            .await
            .clone()
    }

    /// The app's deployments and the pods their selectors match (in the same order), read
    /// once.
    pub async fn app_workloads(&self) -> Result<Arc<k8s::AppWorkloads>, CheckError> {
        self.app_workloads
            .get_or_init(|| async {
                let deployments = self.app_deployments().await?;
                let client = self.ctx.kube().await?;
                crate::discovery::fold_workloads(client, self.settings(), &deployments)
                    .await
                    .map(Arc::new)
            })
            .await
            .clone()
    }

    /// The app's namespace, services and workloads as its metrics name them, read once (from
    /// the config file when the cluster cannot say in time).
    pub async fn app_scope(&self) -> Arc<crate::discovery::AppScope> {
        self.app_scope
            .get_or_init(|| async { Arc::new(prometheus::request_metrics::scope_of(self).await) })
            .await
            .clone()
    }

    /// The family of the app's request metrics (named, or looked up once).
    pub async fn metric_family(&self) -> Result<Arc<prometheus::FamilyChoice>, CheckError> {
        self.metric_family
            .get_or_init(|| async {
                prometheus::request_metrics::family_of(self)
                    .await
                    .map(Arc::new)
            })
            .await
            .clone()
    }

    /// The log tails of the app's pods worth reading (the fold's worst first), read once:
    /// k8s.log_errors and k8s.auth_failures grep the same tails, and the API server proxies
    /// each log from a kubelet.
    pub async fn app_logs(&self) -> Result<Arc<k8s::AppLogs>, CheckError> {
        self.app_logs
            .get_or_init(|| async {
                let workloads = self.app_workloads().await?;
                let client = self.ctx.kube().await?;
                k8s::read_app_logs(client, self.settings(), &workloads)
                    .await
                    .map(Arc::new)
            })
            .await
            .clone()
    }

    /// The namespace's events other than Normal, folded once for the checks that use them
    /// (k8s.events, k8s.recent_changes).
    pub async fn warning_events(&self) -> Result<Arc<k8s::events::Snapshot>, CheckError> {
        self.warning_events
            .get_or_init(|| async {
                let client = self.ctx.kube().await?;
                k8s::events::fold(client, self.settings())
                    .await
                    .map(Arc::new)
            })
            .await
            .clone()
    }

    /// The connection the `[[check]]` SQL queries share: one of their own, so a slow team query
    /// never holds up the built-in checks behind it, and held by one check at a time: each runs
    /// in a transaction of its own that no other query may join. Never the built-in checks'
    /// connection: a transaction there would take their queries in. When the server has no
    /// slot left (53300), asked again for up to half the check's time: slots come free as
    /// other clients finish.
    pub async fn declared_sql(
        &self,
    ) -> Result<Arc<tokio::sync::Mutex<tokio_postgres::Client>>, CheckError> {
        use crate::types::failure::{Cause, Refusal};
        self.declared_sql
            .get_or_init(|| async {
                let pg = &self.settings().postgres;
                let give_up = std::time::Instant::now() + self.settings().timeout.0 / 2;
                loop {
                    match crate::clients::postgres::open_postgres(
                        &pg.url,
                        pg.password.as_ref(),
                        self.settings(),
                    )
                    .await
                    {
                        Ok(client) => return Ok(Arc::new(tokio::sync::Mutex::new(client))),
                        Err(e)
                            if e.cause == Some(Cause::Refused(Refusal::Unavailable))
                                && std::time::Instant::now() < give_up =>
                        {
                            tokio::time::sleep(std::time::Duration::from_millis(200)).await
                        }
                        Err(e) => return Err(e),
                    }
                }
            })
            .await
            .clone()
    }

    /// The app's ingress (named, default or found), read once: k8s.ingress and k8s.endpoints
    /// both need it.
    pub async fn app_ingresses(&self) -> Result<Arc<Resolved<Ingress>>, CheckError> {
        self.app_ingresses
            .get_or_init(|| async {
                let client = self.ctx.kube().await?;
                let templates = self.app_deployments().await?.templates();
                crate::discovery::ingresses(client, self.settings(), &templates)
                    .await
                    .map(Arc::new)
            })
            .await
            .clone()
    }
}

/// Runs a check: its `read`, then its `assess`. The check itself is passed in, so one function
/// can run every check declared in the config file (`custom`).
pub type Run = fn(Arc<Readings>, &'static Check) -> BoxFuture<'static, CheckOutcome>;

/// A check's identity (its id is part of the output contract) and how it runs. Which runbooks
/// it belongs to is the runbooks' to say (`runbooks::of_check`).
pub struct Check {
    pub id: &'static str,
    pub target: Target,
    /// When reaching the target is what the check checks, failing to reach it is critical, not
    /// unknown.
    pub reachability: bool,
    pub description: &'static str,
    /// The thresholds it judges by (keys under `[thresholds]`).
    pub levels: &'static [&'static Level],
    /// What it asks the API server (`doctor` asks whether this identity may).
    pub kube_permissions: KubePermissions,
    pub run: Run,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

/// A row of [`CHECKS`]: `module` has `read(&Readings)` and `assess(&Snapshot, &Settings)`, and
/// when the check reads the cluster (a Kubernetes check, or one marked `with_kubernetes`), the
/// `KUBE_PERMISSIONS` its `read` asks for.
macro_rules! check {
    ($id:literal, Kubernetes, $($m:ident)::+, $description:literal) => {
        check!(@row $id, Kubernetes, $($m)::+, $description, false, $($m)::+::KUBE_PERMISSIONS)
    };
    ($id:literal, $target:ident, $($m:ident)::+, $description:literal) => {
        check!(@row $id, $target, $($m)::+, $description, false, &[])
    };
    ($id:literal, $target:ident, $($m:ident)::+, $description:literal, with_kubernetes) => {
        check!(@row $id, $target, $($m)::+, $description, false, $($m)::+::KUBE_PERMISSIONS)
    };
    ($id:literal, $target:ident, $($m:ident)::+, $description:literal, $reachability:literal) => {
        check!(@row $id, $target, $($m)::+, $description, $reachability, &[])
    };
    (@row $id:literal, $target:ident, $($m:ident)::+, $description:literal, $reachability:literal, $kube:expr) => {
        Check {
            id: $id,
            target: Target::$target,
            reachability: $reachability,
            description: $description,
            levels: $($m)::+::LEVELS,
            kube_permissions: $kube,
            run: |readings, _| {
                Box::pin(async move {
                    let snapshot = $($m)::+::read(&readings).await?;
                    $($m)::+::assess(&snapshot, readings.settings())
                })
            },
        }
    };
}

/// Every check, in the order they are shown.
pub const CHECKS: &[Check] = &[
    check!(
        "k8s.pods",
        Kubernetes,
        k8s::pods,
        "app pods not Running/Ready, CrashLoopBackOff, ImagePullBackOff, OOMKilled, restarts"
    ),
    check!(
        "k8s.deployments",
        Kubernetes,
        k8s::deployments,
        "available vs desired replicas per app deployment"
    ),
    check!(
        "k8s.ingress",
        Kubernetes,
        k8s::ingress,
        "the ingress exists, has an address, its backend services exist"
    ),
    check!(
        "k8s.endpoints",
        Kubernetes,
        k8s::endpoints,
        "each backend service has ready endpoint addresses"
    ),
    check!(
        "postgres.ping",
        Postgres,
        postgres::ping,
        "connect and SELECT 1, round-trip time",
        true
    ),
    check!(
        "redis.ping",
        Redis,
        redis::ping,
        "PING round-trip time",
        true
    ),
    check!(
        "postgres.connections",
        Postgres,
        postgres::connections,
        "client connections vs max_connections"
    ),
    check!(
        "postgres.long_queries",
        Postgres,
        postgres::long_queries,
        "active client queries running longer than the limit"
    ),
    check!(
        "postgres.slow_queries",
        Postgres,
        postgres::slow_queries,
        "top pg_stat_statements by mean execution time"
    ),
    check!(
        "postgres.replication",
        Postgres,
        postgres::replication,
        "replicas and their lag from pg_stat_replication"
    ),
    check!(
        "postgres.locks",
        Postgres,
        postgres::locks,
        "sessions blocked by others (pg_blocking_pids)"
    ),
    check!(
        "postgres.idle_in_transaction",
        Postgres,
        postgres::idle_in_transaction,
        "sessions idle inside an open transaction, holding locks and a connection"
    ),
    check!(
        "prometheus.error_rate",
        Prometheus,
        prometheus::error_rate,
        "5xx ratio over 5 minutes",
        with_kubernetes
    ),
    check!(
        "k8s.log_errors",
        Kubernetes,
        k8s::log_errors,
        "ERROR lines in the tail of each app pod's log"
    ),
    check!(
        "k8s.events",
        Kubernetes,
        k8s::events,
        "Warning events of the last hour, newest first"
    ),
    check!(
        "k8s.recent_changes",
        Kubernetes,
        k8s::recent_changes,
        "the app's rollouts of the last hours, what each changed, next to the first Warning event"
    ),
    check!(
        "alertmanager.alerts",
        Alertmanager,
        alertmanager,
        "active, unsilenced alerts (API v2)"
    ),
    check!(
        "k8s.config",
        Kubernetes,
        k8s::config,
        "the app configmap and secret exist (secret keys only, never values)"
    ),
    check!(
        "prometheus.latency_p95",
        Prometheus,
        prometheus::latency_p95,
        "p95 request latency over 5 minutes",
        with_kubernetes
    ),
    check!(
        "k8s.pod_resources",
        Kubernetes,
        k8s::pod_resources,
        "pod CPU and memory usage vs container limits (metrics.k8s.io)"
    ),
    check!(
        "k8s.nodes",
        Kubernetes,
        k8s::nodes,
        "node conditions and usage vs allocatable"
    ),
    check!(
        "prometheus.disk_usage",
        Prometheus,
        prometheus::disk_usage,
        "filesystem use from node metrics"
    ),
    check!(
        "redis.memory",
        Redis,
        redis::memory,
        "used memory vs maxmemory, evictions, hit rate"
    ),
    check!(
        "k8s.auth_failures",
        Kubernetes,
        k8s::auth_failures,
        "401/403 and auth-failure lines in access and app logs"
    ),
    check!(
        "prometheus.forbidden_rate",
        Prometheus,
        prometheus::forbidden_rate,
        "403 ratio over 5 minutes",
        with_kubernetes
    ),
    check!(
        "postgres.audit_logs",
        Postgres,
        postgres::audit_logs,
        "recent audit_logs rows and failed actions"
    ),
    check!(
        "k8s.networkpolicy",
        Kubernetes,
        k8s::network_policy,
        "the app's network policy exists; its blocked CIDRs"
    ),
];

/// Every check: the built-in ones, then those the config file declares (`[[check]]`).
pub fn all(settings: &Settings) -> Vec<&'static Check> {
    CHECKS.iter().chain(custom::declared(settings)).collect()
}

/// A declared check's id is not a built-in one's.
pub fn validate_declared(settings: &Settings) -> crate::error::Result<()> {
    for (i, def) in settings.checks.iter().enumerate() {
        if CHECKS.iter().any(|c| c.id == def.id) {
            return Err(crate::error::Error::config(
                format!("check[{i}] ({}).id", def.id),
                "is a built-in check's id: choose another (a team prefix: payments.…)",
            ));
        }
    }
    Ok(())
}

/// The levels a check judges by, as `diagnose --list` shows them: `cpu > 80 / 95` for the
/// built-in checks (as configured), the definition's for a declared one.
pub fn levels_text(check: &Check, settings: &Settings) -> String {
    if let Some(def) = settings.checks.iter().find(|d| d.id == check.id) {
        let dir = def.direction.sign();
        return format!(
            "{dir} {} / {}",
            fmt_num(def.warning, 3),
            fmt_num(def.critical, 3)
        );
    }
    let each: Vec<String> = check
        .levels
        .iter()
        .map(|l| {
            let t = settings.thresholds.level(l);
            format!(
                "{} > {} / {}",
                l.key,
                fmt_num(t.warning, 3),
                fmt_num(t.critical, 3)
            )
        })
        .collect();
    each.join("; ")
}

/// Every threshold some check judges by, once each, in the order of [`CHECKS`].
pub fn levels() -> Vec<&'static Level> {
    let mut levels: Vec<&'static Level> = Vec::new();
    for level in CHECKS.iter().flat_map(|c| c.levels.iter().copied()) {
        if !levels.iter().any(|l| l.key == level.key) {
            levels.push(level);
        }
    }
    levels
}

/// Every key under `[thresholds]` is one a check judges by: a typo would otherwise be ignored.
pub fn validate_thresholds(settings: &Settings) -> crate::error::Result<()> {
    let known = levels();
    for key in settings.thresholds.0.keys() {
        if !known.iter().any(|l| l.key == key) {
            let names: Vec<&str> = known.iter().map(|l| l.key).collect();
            return Err(crate::error::Error::config(
                format!("thresholds.{key}"),
                format!("unknown threshold; known: {}", names.join(", ")),
            ));
        }
    }
    Ok(())
}

/// The thresholds as they apply: every check's level, configured or default (`config show`).
pub fn effective_thresholds(settings: &Settings) -> crate::settings::Thresholds {
    crate::settings::Thresholds(
        levels()
            .into_iter()
            .map(|l| (l.key.to_string(), settings.thresholds.level(l)))
            .collect(),
    )
}

/// A check's result as reported: the JSON `checks[]` element.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub id: &'static str,
    /// The runbooks whose investigation it is part of, in the runbooks' order.
    pub runbooks: Vec<String>,
    pub status: Status,
    pub summary: String,
    pub value: Option<f64>,
    pub unit: Option<&'static str>,
    pub warning: Option<f64>,
    pub critical: Option<f64>,
    /// How the value reaches warning and critical: above them (left out of the JSON) or below.
    #[serde(skip_serializing_if = "Direction::is_above")]
    pub direction: Direction,
    pub evidence: Vec<String>,
    pub error: Option<String>,
    pub hint: Option<String>,
    pub duration_ms: u64,
    /// The finding's signs, for the analysis (its suspects are in the output, not these).
    #[serde(skip)]
    pub signs: Vec<crate::types::sign::Sign>,
}

/// A result with only an id, a status and a value: what the rules over results (severity,
/// runbook conditions) are tested with.
#[cfg(test)]
pub(crate) fn result_for_tests(
    id: &'static str,
    status: Status,
    value: Option<f64>,
) -> CheckResult {
    CheckResult {
        id,
        runbooks: vec![],
        status,
        summary: String::new(),
        value,
        unit: None,
        warning: None,
        critical: None,
        direction: Default::default(),
        evidence: vec![],
        error: None,
        hint: None,
        duration_ms: 0,
        signs: vec![],
    }
}

/// Settings as the checks' unit tests start from: the defaults, no file, no environment.
#[cfg(test)]
pub(crate) fn default_settings() -> Settings {
    Settings::from_config_text("").expect("the defaults are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_ids_are_unique() {
        let mut ids: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), CHECKS.len());
    }

    #[test]
    fn threshold_keys_are_declared_once_with_one_default() {
        let mut all: Vec<&Level> = CHECKS
            .iter()
            .flat_map(|c| c.levels.iter().copied())
            .collect();
        all.sort_by_key(|l| l.key);
        for pair in all.windows(2) {
            if pair[0].key == pair[1].key {
                assert_eq!(
                    pair[0], pair[1],
                    "{} declared twice, differently",
                    pair[0].key
                );
            }
        }
        assert!(levels().len() >= 13, "{:?}", levels());
    }

    #[test]
    fn an_unknown_threshold_key_is_refused_and_a_known_one_accepted() {
        let mut settings = default_settings();
        settings
            .thresholds
            .0
            .insert("cpu".into(), Threshold::new(1.0, 2.0));
        assert!(validate_thresholds(&settings).is_ok());
        settings
            .thresholds
            .0
            .insert("cpuu".into(), Threshold::new(1.0, 2.0));
        let err = validate_thresholds(&settings).unwrap_err().to_string();
        assert!(
            err.starts_with("thresholds.cpuu: unknown threshold; known: "),
            "{err}"
        );
    }
}
