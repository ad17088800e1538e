//! Flags, environment and config file resolved once into one typed `Settings` value, before any
//! network call. Precedence, lowest first: built-in defaults (the seed runbook's names and alert
//! thresholds) < config file < environment < flags.

use crate::cli::{GlobalArgs, OutputFormat};
use crate::error::{Error, Result};
use crate::severity::SeverityRule;
use crate::tls::{SslMode, TlsFiles};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything a command needs to know, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
    pub namespace: String,
    pub timeout: Dur,
    #[serde(skip)]
    pub output: OutputFormat,
    #[serde(skip)]
    pub color: bool,
    #[serde(skip)]
    pub verbosity: Verbosity,
    pub kubernetes: KubernetesSettings,
    pub postgres: PostgresSettings,
    pub redis: RedisSettings,
    pub prometheus: PrometheusSettings,
    pub alertmanager: AlertmanagerSettings,
    pub thresholds: Thresholds,
    pub severity: SeveritySettings,
    pub actions: ActionSettings,
    /// Where every change is recorded (JSON lines).
    pub audit_log: PathBuf,
    pub report: ReportSettings,
    /// "Now" for the incident clocks: INCIDENTCTL_NOW (RFC 3339), to replay or test; else the
    /// system clock.
    pub now: Option<jiff::Timestamp>,
    /// Several --context flags: diagnose checks each cluster (other commands refuse).
    pub contexts: Vec<String>,
    /// Things found while resolving that the engineer should know (printed once on stderr).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportSettings {
    /// A directory, or a postgres:// URL for a store shared by the whole response team.
    pub store: Option<String>,
    /// How often the seed wants a status update during an active incident.
    pub update_interval: Dur,
    /// The Slack incoming webhook (a secret); SLACK_WEBHOOK_URL overrides it.
    #[serde(serialize_with = "redacted_option")]
    pub slack_webhook: Option<Secret>,
    /// A CA (or client certificate) for a webhook behind a TLS-inspecting proxy.
    pub slack_tls: TlsFiles,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            store: None,
            update_interval: Dur::secs(1800),
            slack_webhook: None,
            slack_tls: TlsFiles::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// The config file's shape. Every section and key is optional; unknown keys are errors so a typo
/// never silently falls back to a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    namespace: Option<String>,
    timeout: Option<Dur>,
    #[serde(default)]
    kubernetes: KubernetesSettings,
    #[serde(default)]
    postgres: PostgresSettings,
    #[serde(default)]
    redis: RedisSettings,
    #[serde(default)]
    prometheus: PrometheusSettings,
    #[serde(default)]
    alertmanager: AlertmanagerSettings,
    #[serde(default)]
    thresholds: Thresholds,
    #[serde(default)]
    severity: SeveritySettings,
    #[serde(default)]
    actions: ActionSettings,
    #[serde(default)]
    audit: AuditSettings,
    #[serde(default)]
    report: ReportSettings,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct AuditSettings {
    path: Option<PathBuf>,
}

/// Bounds and names for the resolution commands.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionSettings {
    /// The least and most replicas `scale` sets (0 also needs --allow-zero).
    pub scale_min: i64,
    pub scale_max: i64,
    /// The deployment and variable `db pool-size` sets (seed: backend, DB_POOL_SIZE).
    pub pool_deployment: String,
    pub pool_size_env: String,
    /// The deployment and variable `security log-level` sets (seed: backend, LOG_LEVEL).
    pub log_level_deployment: String,
    pub log_level_env: String,
    /// The database's StatefulSet or Deployment, for `db restart`.
    pub database_workload: String,
    /// The table and timestamp column `security reset-sessions` deletes from.
    pub sessions_table: String,
    pub sessions_column: String,
}

impl Default for ActionSettings {
    fn default() -> Self {
        ActionSettings {
            scale_min: 1,
            scale_max: 50,
            pool_deployment: "backend".into(),
            pool_size_env: "DB_POOL_SIZE".into(),
            log_level_deployment: "backend".into(),
            log_level_env: "LOG_LEVEL".into(),
            database_workload: "postgres".into(),
            sessions_table: "sessions".into(),
            sessions_column: "created_at".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KubernetesSettings {
    /// kubeconfig context; None means the kubeconfig's current context.
    pub context: Option<String>,
    /// The application's deployments (seed: backend, frontend).
    pub deployments: Vec<String>,
    pub ingress: String,
    /// Services whose endpoints must be ready. Empty: the ingress's backend services.
    pub services: Vec<String>,
    pub configmap: String,
    pub secret: String,
    pub network_policy: String,
    /// Label selector of the pods whose access logs hold 401/403 lines (the seed's nginx pod).
    pub access_log_selector: String,
    pub log_tail_lines: i64,
    /// Regular expression for error lines in app logs (seed: `grep ERROR`).
    pub error_pattern: String,
    /// Regular expression for auth failures in app logs (seed: `grep -i "security\|auth\|login"`).
    pub auth_pattern: String,
    /// Regular expression for denied requests in access logs (seed: `grep -E "(403|401|404)"`).
    pub access_denied_pattern: String,
    pub events_window: Dur,
    /// Restarts of one container at which k8s.pods warns.
    pub restart_warning: i32,
}

impl Default for KubernetesSettings {
    fn default() -> Self {
        KubernetesSettings {
            context: None,
            deployments: vec!["backend".into(), "frontend".into()],
            ingress: "reconciliation-ingress".into(),
            services: Vec::new(),
            configmap: "reconciliation-config".into(),
            secret: "reconciliation-secrets".into(),
            network_policy: "reconciliation-network-policy".into(),
            access_log_selector: "app=nginx".into(),
            log_tail_lines: 1000,
            error_pattern: r"\bERROR\b".into(),
            auth_pattern: r"(?i)(auth|login|security)\S*.*\b(fail\w*|denied|invalid|forbidden|unauthori[sz]ed|locked)\b".into(),
            access_denied_pattern: r#"" (401|403) "#.into(),
            events_window: Dur::secs(3600),
            restart_warning: 5,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PostgresSettings {
    /// Connection URL; a password in it is a secret and never printed.
    pub url: SecretUrl,
    /// File holding the password, used when the URL has none (before PGPASSWORD).
    pub password_file: Option<PathBuf>,
    #[serde(skip_deserializing, serialize_with = "redacted_option")]
    pub password: Option<Secret>,
    /// libpq's sslmode: disable, prefer (the default), require, verify-ca, verify-full.
    /// PGSSLMODE overrides it, and `?sslmode=` in the URL overrides both.
    pub sslmode: SslMode,
    /// CA, client certificate and key (PGSSLROOTCERT, PGSSLCERT, PGSSLKEY, or the URL's
    /// sslrootcert=, sslcert=, sslkey= override them).
    pub tls: TlsFiles,
    /// Active queries older than this are reported (seed: 5 minutes).
    pub long_query_warning: Dur,
    pub long_query_critical: Dur,
    /// Sessions blocked longer than this make postgres.locks critical.
    pub lock_wait_critical: Dur,
    pub slow_query_limit: i64,
    /// Replicas that should be streaming; fewer is critical.
    pub expected_replicas: i64,
    pub audit_table: String,
    pub audit_window: Dur,
    /// Case-insensitive pattern (SQL LIKE) marking failed or denied actions in audit rows.
    pub audit_failure_pattern: String,
}

impl Default for PostgresSettings {
    fn default() -> Self {
        PostgresSettings {
            url: SecretUrl::new(
                "postgres://reconciliation_user@postgres-service:5432/reconciliation_app",
            ),
            password_file: None,
            password: None,
            sslmode: SslMode::default(),
            tls: TlsFiles::default(),
            long_query_warning: Dur::secs(300),
            long_query_critical: Dur::secs(1800),
            lock_wait_critical: Dur::secs(300),
            slow_query_limit: 10,
            expected_replicas: 0,
            audit_table: "audit_logs".into(),
            audit_window: Dur::secs(3600),
            audit_failure_pattern: "%fail%".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedisSettings {
    /// `redis://` or `rediss://` (TLS); a user in it is an ACL user.
    pub url: SecretUrl,
    /// File holding the password, used when the URL has none (before INCIDENTCTL_REDIS_PASSWORD
    /// and REDISCLI_AUTH).
    pub password_file: Option<PathBuf>,
    #[serde(skip_deserializing, serialize_with = "redacted_option")]
    pub password: Option<Secret>,
    /// For `rediss://`: CA, client certificate and key.
    pub tls: TlsFiles,
}

impl Default for RedisSettings {
    fn default() -> Self {
        RedisSettings {
            url: SecretUrl::new("redis://redis-service:6379"),
            password_file: None,
            password: None,
            tls: TlsFiles::default(),
        }
    }
}

/// Credentials for an HTTP API behind a token or basic auth (a `[<target>.auth]` table). Every
/// secret can come inline, from a file, or from the environment (which wins); a `user:password@`
/// in the URL is basic auth too.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpAuth {
    #[serde(serialize_with = "redacted_option")]
    pub bearer_token: Option<Secret>,
    pub bearer_token_file: Option<PathBuf>,
    pub username: Option<String>,
    #[serde(serialize_with = "redacted_option")]
    pub password: Option<Secret>,
    pub password_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrometheusSettings {
    pub url: SecretUrl,
    /// A ratio (0–1) of 5xx responses. `sum()` on both sides: without it each 5xx series divides
    /// by itself and reads 1.
    pub error_rate_query: String,
    /// Seconds.
    pub latency_p95_query: String,
    /// A ratio (0–1) per filesystem.
    pub disk_usage_query: String,
    /// A ratio (0–1) of 403 responses.
    pub forbidden_rate_query: String,
    pub tls: TlsFiles,
    pub auth: HttpAuth,
}

impl Default for PrometheusSettings {
    fn default() -> Self {
        PrometheusSettings {
            url: SecretUrl::new("http://prometheus:9090"),
            error_rate_query: r#"sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))"#.into(),
            latency_p95_query: "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))".into(),
            disk_usage_query: r#"1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs"}"#.into(),
            forbidden_rate_query: r#"sum(rate(http_requests_total{status="403"}[5m])) / sum(rate(http_requests_total[5m]))"#.into(),
            tls: TlsFiles::default(),
            auth: HttpAuth::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertmanagerSettings {
    pub url: SecretUrl,
    pub tls: TlsFiles,
    pub auth: HttpAuth,
}

impl Default for AlertmanagerSettings {
    fn default() -> Self {
        AlertmanagerSettings {
            url: SecretUrl::new("http://alertmanager:9093"),
            tls: TlsFiles::default(),
            auth: HttpAuth::default(),
        }
    }
}

/// A warning and a critical level; a value strictly above a level reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub warning: f64,
    pub critical: f64,
}

impl Threshold {
    pub const fn new(warning: f64, critical: f64) -> Self {
        Threshold { warning, critical }
    }
}

/// The seed's alert thresholds, and incidentctl's own for what the seed leaves open.
/// Percentages are 0–100; latency is in seconds; counts are counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    pub error_rate: Threshold,
    pub latency_p95: Threshold,
    pub cpu: Threshold,
    pub memory: Threshold,
    pub disk: Threshold,
    pub postgres_connections: Threshold,
    pub redis_memory: Threshold,
    pub forbidden_rate: Threshold,
    /// Mean execution time of a statement, seconds (the seed's response-time levels).
    pub slow_query_mean: Threshold,
    /// Replication lag, seconds.
    pub replication_lag: Threshold,
    /// ERROR lines in the tail of one pod's log.
    pub log_errors: Threshold,
    /// 401/403 and auth-failure lines across the pods read.
    pub auth_failures: Threshold,
    /// Failed actions in the audit table within the audit window.
    pub audit_failures: Threshold,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            error_rate: Threshold::new(1.0, 5.0),
            latency_p95: Threshold::new(2.0, 5.0),
            cpu: Threshold::new(80.0, 95.0),
            memory: Threshold::new(85.0, 95.0),
            disk: Threshold::new(80.0, 90.0),
            postgres_connections: Threshold::new(80.0, 95.0),
            redis_memory: Threshold::new(85.0, 95.0),
            forbidden_rate: Threshold::new(1.0, 5.0),
            slow_query_mean: Threshold::new(2.0, 5.0),
            replication_lag: Threshold::new(10.0, 60.0),
            log_errors: Threshold::new(0.0, 50.0),
            auth_failures: Threshold::new(10.0, 100.0),
            audit_failures: Threshold::new(10.0, 100.0),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeveritySettings {
    /// Replaces the built-in rules when given (see `severity::default_rules`).
    pub rules: Vec<SeverityRule>,
}

impl Default for SeveritySettings {
    fn default() -> Self {
        SeveritySettings {
            rules: crate::severity::default_rules(),
        }
    }
}

/// A duration written as `5s`, `1500ms`, `5m`, `1h30m` (or a number of seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dur(pub Duration);

impl Dur {
    pub const fn secs(s: u64) -> Self {
        Dur(Duration::from_secs(s))
    }
}

impl std::str::FromStr for Dur {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        parse_duration(s).map(Dur)
    }
}

/// Parses `5s`, `250ms`, `2m`, `1h30m`, `1.5s`; a bare number means seconds.
pub fn parse_duration(input: &str) -> std::result::Result<Duration, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty duration (expected e.g. 5s, 250ms, 2m)".into());
    }
    if let Ok(secs) = s.parse::<f64>() {
        return nanos_to_duration(secs * 1e9, input);
    }
    // Summed in nanoseconds and rounded once: "6358547185ms" must not come back as
    // 6358547.185000001 s.
    let mut total_ns = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let split = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, tail) = rest.split_at(split);
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_len);
        let value: f64 = number
            .parse()
            .map_err(|_| format!("invalid duration '{input}' (expected e.g. 5s, 250ms, 2m)"))?;
        let ns_per_unit = match unit.trim() {
            "ms" => 1e6,
            "s" | "sec" | "secs" => 1e9,
            "m" | "min" | "mins" => 60e9,
            "h" | "hr" | "hrs" => 3600e9,
            "d" => 86400e9,
            "" => return Err(format!("duration '{input}' needs a unit (ms, s, m, h)")),
            other => {
                return Err(format!(
                    "unknown unit '{other}' in duration '{input}' (use ms, s, m or h)"
                ))
            }
        };
        total_ns += value * ns_per_unit;
        rest = next;
    }
    nanos_to_duration(total_ns, input)
}

const MAX_DURATION_NS: f64 = 365.0 * 86400e9;

fn nanos_to_duration(ns: f64, input: &str) -> std::result::Result<Duration, String> {
    if !ns.is_finite() || !(0.0..=MAX_DURATION_NS).contains(&ns) {
        return Err(format!(
            "duration '{input}' is out of range (0 to 365 days)"
        ));
    }
    Ok(Duration::from_nanos(ns.round() as u64))
}

fn seconds_to_duration(secs: f64, input: &str) -> std::result::Result<Duration, String> {
    nanos_to_duration(secs * 1e9, input)
}

impl fmt::Display for Dur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if ms.is_multiple_of(3_600_000) && ms > 0 {
            write!(f, "{}h", ms / 3_600_000)
        } else if ms.is_multiple_of(60_000) && ms > 0 {
            write!(f, "{}m", ms / 60_000)
        } else if ms.is_multiple_of(1000) {
            write!(f, "{}s", ms / 1000)
        } else {
            write!(f, "{ms}ms")
        }
    }
}

impl Serialize for Dur {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Seconds(f64),
        }
        match Raw::deserialize(d)? {
            Raw::Text(s) => s.parse().map_err(serde::de::Error::custom),
            Raw::Seconds(n) => seconds_to_duration(n, &n.to_string())
                .map(Dur)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// A secret value: printed and serialized only as `<redacted>`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

fn redacted_option<S: Serializer>(
    v: &Option<Secret>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(_) => s.serialize_str("<redacted>"),
        None => s.serialize_none(),
    }
}

/// A URL that may carry credentials. Display, Debug and Serialize show it with the password
/// replaced, so it can appear in messages and `config show`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(String);

impl SecretUrl {
    pub fn new(s: impl Into<String>) -> Self {
        SecretUrl(s.into())
    }

    /// The URL with its credentials, for connecting only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn redacted(&self) -> String {
        redact_url(&self.0)
    }

    /// The password in the URL, if any.
    pub fn has_password(&self) -> bool {
        url::Url::parse(&self.0)
            .map(|u| u.password().is_some())
            .unwrap_or(false)
    }
}

/// Replaces the password of `scheme://user:password@host` (and of query parameters named like a
/// secret) with `***`.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            let pairs: Vec<(String, String)> = u
                .query_pairs()
                .map(|(k, v)| {
                    let secret = ["password", "token", "secret", "key"]
                        .iter()
                        .any(|w| k.to_ascii_lowercase().contains(w));
                    (
                        k.into_owned(),
                        if secret { "***".into() } else { v.into_owned() },
                    )
                })
                .collect();
            if !pairs.is_empty() {
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        // Not a URL we can parse: show only what precedes any credentials.
        Err(_) => match raw.rfind('@') {
            Some(at) => format!("***@{}", &raw[at + 1..]),
            None => raw.to_string(),
        },
    }
}

impl fmt::Display for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}

impl Serialize for SecretUrl {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.redacted())
    }
}

impl<'de> Deserialize<'de> for SecretUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        validate_url(&s).map_err(serde::de::Error::custom)?;
        Ok(SecretUrl(s))
    }
}

fn validate_url(s: &str) -> std::result::Result<(), String> {
    match url::Url::parse(s) {
        Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        Ok(_) => Err(format!("'{}' has no host", redact_url(s))),
        Err(e) => Err(format!("'{}' is not a valid URL: {e}", redact_url(s))),
    }
}

/// Where the process environment is read from; tests pass a map instead of the real one.
pub trait Env {
    fn var(&self, key: &str) -> Option<String>;
}

pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok().filter(|v| !v.is_empty())
    }
}

/// The config file, when it holds a secret (a password in a URL, a webhook) and people other
/// than its owner can read it.
pub fn exposed_secret_file(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    let text = read_bounded(path).ok()?;
    // If scrubbing secrets changes the file, it holds one.
    (mode & 0o077 != 0 && crate::redact::secrets(&text) != text).then_some(mode)
}

impl Settings {
    /// The time the incident clocks use.
    pub fn now(&self) -> jiff::Timestamp {
        self.now.unwrap_or_else(jiff::Timestamp::now)
    }

    /// Defaults < config file < environment < flags.
    pub fn resolve(args: &GlobalArgs, env: &dyn Env, stdout_is_terminal: bool) -> Result<Self> {
        let (config_file, file) = load_file(args.config.as_deref(), env)?;
        Self::resolve_with(config_file, file, args, env, stdout_is_terminal)
    }

    /// Settings from a config file's text alone (no flags, no environment), exactly as
    /// `resolve` would check them: the entry point the config-file fuzz target drives.
    pub fn from_config_text(text: &str) -> Result<Self> {
        struct NoEnv;
        impl Env for NoEnv {
            fn var(&self, _key: &str) -> Option<String> {
                None
            }
        }
        let file = parse_file_settings("config", text)?;
        Self::resolve_with(None, file, &GlobalArgs::default(), &NoEnv, false)
    }

    fn resolve_with(
        config_file: Option<PathBuf>,
        file: FileSettings,
        args: &GlobalArgs,
        env: &dyn Env,
        stdout_is_terminal: bool,
    ) -> Result<Self> {
        let mut settings = Settings {
            config_file,
            namespace: file.namespace.unwrap_or_else(|| "reconciliation".into()),
            timeout: file.timeout.unwrap_or(Dur::secs(5)),
            output: args.output.unwrap_or(OutputFormat::Table),
            color: false,
            verbosity: if args.quiet {
                Verbosity::Quiet
            } else if args.verbose {
                Verbosity::Verbose
            } else {
                Verbosity::Normal
            },
            kubernetes: file.kubernetes,
            postgres: file.postgres,
            redis: file.redis,
            prometheus: file.prometheus,
            alertmanager: file.alertmanager,
            thresholds: file.thresholds,
            severity: file.severity,
            actions: file.actions,
            audit_log: match env.var("INCIDENTCTL_AUDIT_LOG") {
                Some(p) => PathBuf::from(p),
                None => file.audit.path.unwrap_or_else(|| default_audit_log(env)),
            },
            report: file.report,
            now: None,
            contexts: Vec::new(),
            warnings: Vec::new(),
        };
        if let Some(store) = env.var("INCIDENTCTL_REPORT_STORE") {
            settings.report.store = Some(store);
        }
        if settings.report.store.is_none() {
            settings.report.store = Some(default_store(env).display().to_string());
        }
        if let Some(hook) = env.var("SLACK_WEBHOOK_URL") {
            settings.report.slack_webhook = Some(Secret(hook));
        }
        if let Some(now) = env.var("INCIDENTCTL_NOW") {
            settings.now = Some(now.parse().map_err(|e| {
                Error::config(
                    "INCIDENTCTL_NOW",
                    format!("'{now}' is not an RFC 3339 time: {e}"),
                )
            })?);
        }

        for (var, target) in [
            ("INCIDENTCTL_POSTGRES_URL", &mut settings.postgres.url),
            ("INCIDENTCTL_REDIS_URL", &mut settings.redis.url),
            ("INCIDENTCTL_PROMETHEUS_URL", &mut settings.prometheus.url),
            (
                "INCIDENTCTL_ALERTMANAGER_URL",
                &mut settings.alertmanager.url,
            ),
        ] {
            if let Some(value) = env.var(var) {
                validate_url(&value).map_err(|e| Error::config(var, e))?;
                *target = SecretUrl::new(value);
            }
        }

        // Flags (clap already folded INCIDENTCTL_NAMESPACE / _TIMEOUT into them).
        if let Some(ns) = &args.namespace {
            settings.namespace = ns.clone();
        }
        if let Some(t) = &args.timeout {
            settings.timeout = t.parse().map_err(|e: String| Error::Usage {
                message: format!("invalid value for --timeout: {e}"),
                hint: Some("examples: --timeout 5s, --timeout 1500ms, --timeout 1m".into()),
            })?;
        }
        match args.context.as_slice() {
            [] => {}
            [one] => settings.kubernetes.context = Some(one.clone()),
            many => settings.contexts = many.to_vec(),
        }

        settings.color = stdout_is_terminal && !args.no_color && env.var("NO_COLOR").is_none();
        resolve_postgres_tls(&mut settings.postgres, env)?;
        settings.postgres.password =
            resolve_pg_password(&settings.postgres, env, &mut settings.warnings)?;
        settings.redis.password = resolve_redis_password(&settings.redis, env)?;
        resolve_http_auth(&mut settings.prometheus.auth, "prometheus", env)?;
        resolve_http_auth(&mut settings.alertmanager.auth, "alertmanager", env)?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<()> {
        if self.timeout.0.is_zero() {
            return Err(Error::Usage {
                message: "invalid value for --timeout: must be more than 0".into(),
                hint: None,
            });
        }
        if !is_dns_label(&self.namespace) {
            return Err(Error::Usage {
                message: format!(
                    "invalid namespace '{}': a namespace is lower-case letters, digits and '-', at most 63 characters",
                    self.namespace
                ),
                hint: None,
            });
        }
        let t = &self.thresholds;
        for (key, th) in [
            ("error_rate", t.error_rate),
            ("latency_p95", t.latency_p95),
            ("cpu", t.cpu),
            ("memory", t.memory),
            ("disk", t.disk),
            ("postgres_connections", t.postgres_connections),
            ("redis_memory", t.redis_memory),
            ("forbidden_rate", t.forbidden_rate),
            ("slow_query_mean", t.slow_query_mean),
            ("replication_lag", t.replication_lag),
            ("log_errors", t.log_errors),
            ("auth_failures", t.auth_failures),
            ("audit_failures", t.audit_failures),
        ] {
            if !(th.warning.is_finite() && th.critical.is_finite()) || th.warning < 0.0 {
                return Err(Error::config(
                    format!("thresholds.{key}"),
                    "levels must be non-negative numbers",
                ));
            }
            if th.warning > th.critical {
                return Err(Error::config(
                    format!("thresholds.{key}"),
                    format!(
                        "warning ({}) is above critical ({})",
                        th.warning, th.critical
                    ),
                ));
            }
        }
        for (key, pattern) in [
            ("kubernetes.error_pattern", &self.kubernetes.error_pattern),
            ("kubernetes.auth_pattern", &self.kubernetes.auth_pattern),
            (
                "kubernetes.access_denied_pattern",
                &self.kubernetes.access_denied_pattern,
            ),
        ] {
            log_regex(pattern).map_err(|e| {
                Error::config(
                    key,
                    format!("invalid regular expression: {}", first_line(&e.to_string())),
                )
            })?;
        }
        if self.kubernetes.deployments.is_empty() {
            return Err(Error::config(
                "kubernetes.deployments",
                "at least one deployment is needed",
            ));
        }
        if !(1..=100_000).contains(&self.kubernetes.log_tail_lines) {
            return Err(Error::config(
                "kubernetes.log_tail_lines",
                "must be between 1 and 100000",
            ));
        }
        if !(1..=1000).contains(&self.postgres.slow_query_limit) {
            return Err(Error::config(
                "postgres.slow_query_limit",
                "must be between 1 and 1000",
            ));
        }
        if !is_sql_identifier_path(&self.postgres.audit_table) {
            return Err(Error::config(
                "postgres.audit_table",
                format!(
                    "'{}' is not a table name (letters, digits, '_', optionally schema.table)",
                    self.postgres.audit_table
                ),
            ));
        }
        crate::severity::validate_rules(&self.severity.rules)?;
        let a = &self.actions;
        if a.scale_min < 0 || a.scale_min > a.scale_max {
            return Err(Error::config(
                "actions.scale_min",
                format!("must be between 0 and actions.scale_max ({})", a.scale_max),
            ));
        }
        if !is_sql_identifier_path(&a.sessions_table) {
            return Err(Error::config(
                "actions.sessions_table",
                format!("'{}' is not a table name", a.sessions_table),
            ));
        }
        if !is_sql_identifier_path(&a.sessions_column) || a.sessions_column.contains('.') {
            return Err(Error::config(
                "actions.sessions_column",
                format!("'{}' is not a column name", a.sessions_column),
            ));
        }
        Ok(())
    }
}

/// A config or password file, refused past 1 MiB: `--config /dev/zero` must fail, not fill
/// memory.
fn read_bounded(path: &Path) -> std::io::Result<String> {
    crate::bounded::read_to_string(path, 1024 * 1024)
}

/// A log pattern compiled once per process: validation and the checks that grep the logs share
/// it (compiling the auth pattern is a measurable share of a diagnose run).
pub fn log_regex(pattern: &str) -> std::result::Result<regex::Regex, regex::Error> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static COMPILED: OnceLock<Mutex<HashMap<String, regex::Regex>>> = OnceLock::new();
    let cache = COMPILED.get_or_init(Default::default);
    if let Some(re) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return Ok(re);
    }
    let re = regex::Regex::new(pattern)?;
    // A run has three patterns; the bound keeps a long-lived caller (the fuzzer) from growing it.
    if let Ok(mut c) = cache.lock() {
        if c.len() < 16 {
            c.insert(pattern.to_string(), re.clone());
        }
    }
    Ok(re)
}

/// $XDG_DATA_HOME/incidentctl/incidents (~/.local/share/… when unset).
fn default_store(env: &dyn Env) -> PathBuf {
    env.var("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            env.var("HOME")
                .map(|h| PathBuf::from(h).join(".local/share"))
        })
        .or_else(dirs::data_dir)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("incidentctl")
        .join("incidents")
}

/// $XDG_STATE_HOME/incidentctl/audit.jsonl (~/.local/state/… when unset).
fn default_audit_log(env: &dyn Env) -> PathBuf {
    env.var("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            env.var("HOME")
                .map(|h| PathBuf::from(h).join(".local/state"))
        })
        .or_else(dirs::state_dir)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("incidentctl")
        .join("audit.jsonl")
}

fn first_line(s: &str) -> String {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
}

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// `table` or `schema.table`, each part a plain SQL identifier.
pub fn is_sql_identifier_path(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() <= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 63
                && p.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// The URL's password, else postgres.password_file, else PGPASSWORD, else the password file
/// (PGPASSFILE or ~/.pgpass) as libpq reads it.
fn resolve_pg_password(
    pg: &PostgresSettings,
    env: &dyn Env,
    warnings: &mut Vec<String>,
) -> Result<Option<Secret>> {
    if pg.url.has_password() {
        return Ok(None);
    }
    if let Some(path) = &pg.password_file {
        return read_secret_file(path, "postgres.password_file").map(Some);
    }
    if let Some(password) = env.var("PGPASSWORD") {
        return Ok(Some(Secret(password)));
    }
    let Some(path) = crate::pgpass::location(env.var("PGPASSFILE"), env.var("HOME")) else {
        return Ok(None);
    };
    let Ok(text) = read_bounded(&path) else {
        // No password file is the usual case; libpq is silent about it too.
        return Ok(None);
    };
    if crate::pgpass::is_exposed(&path) {
        warnings.push(format!(
            "password file {} is readable by others and was ignored (as libpq does); run: chmod 600 {}",
            path.display(),
            path.display()
        ));
        return Ok(None);
    }
    let Ok(url) = url::Url::parse(pg.url.expose()) else {
        return Ok(None);
    };
    let user = url.username();
    let database = url.path().trim_start_matches('/');
    let target = crate::pgpass::Target {
        host: url.host_str().unwrap_or("localhost"),
        port: url.port().unwrap_or(5432),
        database: if database.is_empty() { user } else { database },
        user,
    };
    Ok(crate::pgpass::find_password(&text, &target).map(Secret))
}

/// libpq's environment variables over the config file (the URL's own parameters win at connect
/// time, see `context::postgres_tls`).
fn resolve_postgres_tls(pg: &mut PostgresSettings, env: &dyn Env) -> Result<()> {
    if let Some(mode) = env.var("PGSSLMODE") {
        pg.sslmode = mode
            .parse()
            .map_err(|e: String| Error::config("PGSSLMODE", e))?;
    }
    for (var, target) in [
        ("PGSSLROOTCERT", &mut pg.tls.ca_file),
        ("PGSSLCERT", &mut pg.tls.client_cert),
        ("PGSSLKEY", &mut pg.tls.client_key),
    ] {
        if let Some(path) = env.var(var) {
            *target = Some(PathBuf::from(path));
        }
    }
    Ok(())
}

/// The first line of a secret file; `key` names the setting in errors.
fn read_secret_file(path: &Path, key: &str) -> Result<Secret> {
    use std::io::{BufRead, Read};
    // The first line only, and at most 64 KiB of it: `password_file = "/dev/zero"` must not
    // read forever.
    let file = std::fs::File::open(path)
        .map_err(|e| Error::config(key, format!("cannot read {}: {e}", path.display())))?;
    let mut line = Vec::new();
    std::io::BufReader::new(file.take(64 * 1024))
        .read_until(b'\n', &mut line)
        .map_err(|e| Error::config(key, format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8(line)
        .map_err(|_| Error::config(key, format!("{} is not UTF-8 text", path.display())))?;
    let value = text.lines().next().unwrap_or("").trim_end().to_string();
    if value.is_empty() {
        return Err(Error::config(key, format!("{} is empty", path.display())));
    }
    Ok(Secret(value))
}

fn resolve_redis_password(redis: &RedisSettings, env: &dyn Env) -> Result<Option<Secret>> {
    if redis.url.has_password() {
        return Ok(None);
    }
    if let Some(path) = &redis.password_file {
        return read_secret_file(path, "redis.password_file").map(Some);
    }
    Ok(env
        .var("INCIDENTCTL_REDIS_PASSWORD")
        .or_else(|| env.var("REDISCLI_AUTH"))
        .map(Secret))
}

/// Environment > file > inline, for the token and the password; one scheme at a time.
fn resolve_http_auth(auth: &mut HttpAuth, target: &str, env: &dyn Env) -> Result<()> {
    let upper = target.to_ascii_uppercase();
    if let Some(token) = env.var(&format!("INCIDENTCTL_{upper}_TOKEN")) {
        auth.bearer_token = Some(Secret(token));
    } else if let Some(path) = &auth.bearer_token_file {
        auth.bearer_token = Some(read_secret_file(
            path,
            &format!("{target}.auth.bearer_token_file"),
        )?);
    }
    if let Some(password) = env.var(&format!("INCIDENTCTL_{upper}_PASSWORD")) {
        auth.password = Some(Secret(password));
    } else if let Some(path) = &auth.password_file {
        auth.password = Some(read_secret_file(
            path,
            &format!("{target}.auth.password_file"),
        )?);
    }
    if auth.bearer_token.is_some() && auth.username.is_some() {
        return Err(Error::config(
            format!("{target}.auth"),
            "both a bearer token and a username are set: use one",
        ));
    }
    if auth.password.is_some() && auth.username.is_none() {
        return Err(Error::config(
            format!("{target}.auth"),
            "a password is set but no username",
        ));
    }
    Ok(())
}

/// Finds and parses the config file: --config / INCIDENTCTL_CONFIG (must exist), else
/// ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml (each optional).
fn load_file(explicit: Option<&Path>, env: &dyn Env) -> Result<(Option<PathBuf>, FileSettings)> {
    let path = match explicit {
        Some(p) => {
            if !p.exists() {
                return Err(Error::config(
                    "--config",
                    format!("{}: no such file", p.display()),
                ));
            }
            Some(p.to_path_buf())
        }
        None => {
            let local = PathBuf::from("incidentctl.toml");
            let xdg = env
                .var("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .or_else(dirs::config_dir)
                .map(|d| d.join("incidentctl").join("config.toml"));
            [Some(local), xdg]
                .into_iter()
                .flatten()
                .find(|p| p.is_file())
        }
    };
    let Some(path) = path else {
        return Ok((None, FileSettings::default()));
    };
    let text = read_bounded(&path).map_err(|e| {
        Error::config(
            path.display().to_string(),
            format!("cannot read config file: {e}"),
        )
    })?;
    let parsed = parse_file_settings(&path.display().to_string(), &text)?;
    Ok((Some(path), parsed))
}

/// A config file's text, parsed; errors name `source` and the line.
fn parse_file_settings(source: &str, text: &str) -> Result<FileSettings> {
    toml::from_str(text).map_err(|e| {
        let location = e
            .span()
            .map(|span| {
                let line = text[..span.start].matches('\n').count() + 1;
                format!(" (line {line})")
            })
            .unwrap_or_default();
        Error::config(source, format!("{}{location}", e.message().trim()))
            .with_hint("see examples/incidentctl.toml for every key and its default")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct MapEnv(HashMap<&'static str, String>);
    impl Env for MapEnv {
        fn var(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
    }

    fn args() -> GlobalArgs {
        GlobalArgs {
            config: None,
            context: Vec::new(),
            namespace: None,
            output: None,
            timeout: None,
            quiet: false,
            verbose: false,
            no_color: false,
        }
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_duration_text_parses_or_is_refused_without_panic(text in ".{0,40}") {
            let _ = parse_duration(&text);
        }

        #[test]
        fn durations_round_trip_through_display(ms in 0u64..(365 * 86_400_000)) {
            let d = Dur(Duration::from_millis(ms));
            prop_assert_eq!(parse_duration(&d.to_string()), Ok(d.0));
        }

        #[test]
        fn url_passwords_never_survive_redaction(password in "[A-Za-z0-9]{6,30}") {
            let url = format!("postgres://user:{password}@db.internal:5432/app");
            prop_assert!(!redact_url(&url).contains(&password));
            let message = crate::redact::secrets(&format!("connecting to {url} failed"));
            prop_assert!(!message.contains(&password));
        }

        #[test]
        fn any_text_as_a_url_is_redacted_without_panic(text in ".{0,80}") {
            let _ = redact_url(&text);
            let _ = validate_url(&text);
        }

        #[test]
        fn config_files_with_any_thresholds_resolve_or_name_the_key(w in -1e3f64..1e3, c in -1e3f64..1e3, t in ".{0,12}") {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("c.toml");
            std::fs::write(&file, format!("timeout = {t:?}\n[thresholds.cpu]\nwarning = {w}\ncritical = {c}\n")).unwrap();
            let mut a = args();
            a.config = Some(file);
            match Settings::resolve(&a, &MapEnv(HashMap::new()), false) {
                Ok(s) => {
                    prop_assert!(s.thresholds.cpu.warning <= s.thresholds.cpu.critical);
                    prop_assert!(!s.timeout.0.is_zero());
                }
                Err(e) => prop_assert!(matches!(e.exit_code(), crate::error::ExitCode::Config | crate::error::ExitCode::Usage), "{e}"),
            }
        }
    }

    #[test]
    fn durations_parse_common_forms() {
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("1500ms"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("0.5s"), Ok(Duration::from_millis(500)));
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("s").is_err());
    }

    #[test]
    fn env_overrides_file_and_flag_overrides_env() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(
            &file,
            "namespace = \"from-file\"\n[redis]\nurl = \"redis://file:6379\"\n",
        )
        .unwrap();
        let env = MapEnv(HashMap::from([(
            "INCIDENTCTL_REDIS_URL",
            "redis://env:6379".to_string(),
        )]));
        let mut a = args();
        a.config = Some(file);
        let s = Settings::resolve(&a, &env, false).unwrap();
        assert_eq!(s.namespace, "from-file");
        assert_eq!(s.redis.url.expose(), "redis://env:6379");
        a.namespace = Some("from-flag".into());
        let s = Settings::resolve(&a, &env, false).unwrap();
        assert_eq!(s.namespace, "from-flag");
    }

    #[test]
    fn unknown_config_key_names_the_key_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "\n[postgres]\nurll = \"x\"\n").unwrap();
        let mut a = args();
        a.config = Some(file);
        let err = Settings::resolve(&a, &MapEnv(HashMap::new()), false).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("urll"), "{text}");
        assert!(text.contains("line 3"), "{text}");
        assert_eq!(err.exit_code(), crate::error::ExitCode::Config);
    }

    #[test]
    fn threshold_with_warning_above_critical_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "[thresholds.cpu]\nwarning = 99.0\ncritical = 90.0\n").unwrap();
        let mut a = args();
        a.config = Some(file);
        let err = Settings::resolve(&a, &MapEnv(HashMap::new()), false).unwrap_err();
        assert!(err.to_string().starts_with("thresholds.cpu:"), "{err}");
    }

    #[test]
    fn bad_env_url_names_the_variable_and_hides_the_password() {
        let env = MapEnv(HashMap::from([(
            "INCIDENTCTL_POSTGRES_URL",
            "postgres://u:hunter2@".to_string(),
        )]));
        let err = Settings::resolve(&args(), &env, false).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("INCIDENTCTL_POSTGRES_URL:"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn urls_are_redacted_in_display_and_debug() {
        let u = SecretUrl::new("postgres://user:s3cret@db:5432/app?password=x&sslmode=require");
        assert!(!format!("{u} {u:?}").contains("s3cret"));
        assert!(!u.redacted().contains("password=x"));
        assert!(u.redacted().contains("sslmode=require"));
    }

    #[test]
    fn pgpassword_is_used_only_when_the_url_has_none() {
        let env = MapEnv(HashMap::from([("PGPASSWORD", "pw".to_string())]));
        let s = Settings::resolve(&args(), &env, false).unwrap();
        assert_eq!(s.postgres.password.as_ref().map(Secret::expose), Some("pw"));
        let env = MapEnv(HashMap::from([
            ("PGPASSWORD", "pw".to_string()),
            (
                "INCIDENTCTL_POSTGRES_URL",
                "postgres://u:inurl@h/db".to_string(),
            ),
        ]));
        let s = Settings::resolve(&args(), &env, false).unwrap();
        assert!(s.postgres.password.is_none());
    }
}
