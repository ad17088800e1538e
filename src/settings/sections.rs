//! The config file's sections, each with the seed's defaults.

use super::secrets::{redacted_option, Secret, SecretUrl};
use super::{ReportSettings, SslMode, TlsFiles};
use crate::types::severity::SeverityRule;
use crate::types::{Dur, Level, MetricsChoice, RequestQuery, Threshold};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The config file's shape. Every section and key is optional; unknown keys are errors so a typo
/// never silently falls back to a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileSettings {
    pub(super) namespace: Option<String>,
    pub(super) timeout: Option<Dur>,
    #[serde(default)]
    pub(super) kubernetes: KubernetesSettings,
    #[serde(default)]
    pub(super) postgres: PostgresSettings,
    #[serde(default)]
    pub(super) redis: RedisSettings,
    #[serde(default)]
    pub(super) prometheus: PrometheusSettings,
    #[serde(default)]
    pub(super) alertmanager: AlertmanagerSettings,
    #[serde(default)]
    pub(super) thresholds: Thresholds,
    #[serde(default, rename = "check")]
    pub(super) checks: Vec<super::CheckDefinition>,
    /// `[[runbook]]` tables, as written; their definitions (with lines) are in `runbooks`.
    #[serde(default, rename = "runbook")]
    pub(super) raw_runbooks: Vec<super::runbooks::RawRunbook>,
    /// A directory of `*.toml` files of `[[runbook]]` (and `[[check]]`) tables, relative to the
    /// config file.
    pub(super) runbooks_dir: Option<PathBuf>,
    #[serde(skip)]
    pub(super) runbooks: Vec<crate::types::RunbookDefinition>,
    #[serde(default)]
    pub(super) severity: SeveritySettings,
    #[serde(default)]
    pub(super) actions: ActionSettings,
    #[serde(default)]
    pub(super) audit: AuditSettings,
    #[serde(default)]
    pub(super) report: ReportSettings,
    #[serde(default)]
    pub(super) files: FilesSettings,
    #[serde(default)]
    pub(super) notify: super::NotifySettings,
    #[serde(default)]
    pub(super) impact: ImpactSettings,
}

/// `[impact]`: how the incident's impact is measured beyond the request metrics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImpactSettings {
    /// PromQL giving the number of users affected over the impact window: `[{{range}}]` stands
    /// for the window (onset to recovery); `{{namespace}}`, `{{service}}`, `{{workload}}` as in
    /// the request queries.
    pub users_query: Option<String>,
}

/// The files incidentctl keeps: incidents and their evidence, capture bundles, the audit log.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FilesSettings {
    /// Their mode, owner-only by default; directories get it with search where read is allowed
    /// (`"0640"`: files 0640 in 0750 directories, for the group to read).
    pub mode: FileMode,
}

/// A file mode, written in octal (`"0600"`): the owner reads and writes, others never write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileMode(pub u32);

impl Default for FileMode {
    fn default() -> Self {
        FileMode(crate::files::PRIVATE)
    }
}

impl std::str::FromStr for FileMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mode = u32::from_str_radix(s.trim_start_matches("0o"), 8)
            .map_err(|_| format!("'{s}' is not an octal file mode (like \"0600\" or \"0640\")"))?;
        if mode > 0o777 {
            return Err(format!("'{s}': only permission bits (at most 0777)"));
        }
        if mode & 0o600 != 0o600 {
            return Err(format!(
                "'{s}': the owner must be able to read and write (0600)"
            ));
        }
        if mode & 0o002 != 0 {
            return Err(format!(
                "'{s}': others may never write what incidentctl keeps (use the group: 0660)"
            ));
        }
        if mode & 0o111 != 0 {
            return Err(format!("'{s}': these are not programs (no x bits)"));
        }
        Ok(FileMode(mode))
    }
}

impl Serialize for FileMode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:04o}", self.0))
    }
}

impl<'de> Deserialize<'de> for FileMode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct AuditSettings {
    pub(super) path: Option<PathBuf>,
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
    /// How far back k8s.recent_changes looks for rollouts.
    pub changes_window: Dur,
    /// Objects per page when reading a list (kubectl's --chunk-size). Larger than kubectl's
    /// 500: for Warning events the server reads every event to find the few that match, and
    /// each page of a sparse selection starts that reading again (on 20,000 events, 0.46 s in
    /// pages of 500, 0.38 s in pages of 5,000); a page still bounds what is held at once.
    pub page_size: u32,
    /// Restarts of one container at which k8s.pods warns.
    pub restart_warning: i32,
    /// Which of the app's object names were given (config file or flag) rather than left at
    /// the seed's defaults: a given name that does not exist is a finding; a default that does
    /// not exist is looked for by its relation to the app's pods (`discovery`).
    #[serde(skip)]
    pub given: BTreeSet<AppObject>,
}

/// The app's objects whose names can be given, found, or left at the seed's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AppObject {
    Deployments,
    Ingress,
    ConfigMap,
    Secret,
    NetworkPolicy,
}

impl AppObject {
    pub const ALL: [AppObject; 5] = [
        AppObject::Deployments,
        AppObject::Ingress,
        AppObject::ConfigMap,
        AppObject::Secret,
        AppObject::NetworkPolicy,
    ];

    /// Its key under `[kubernetes]`.
    pub fn key(self) -> &'static str {
        match self {
            AppObject::Deployments => "deployments",
            AppObject::Ingress => "ingress",
            AppObject::ConfigMap => "configmap",
            AppObject::Secret => "secret",
            AppObject::NetworkPolicy => "network_policy",
        }
    }

    /// The flag that names it on the command line.
    pub fn flag(self) -> &'static str {
        match self {
            AppObject::Deployments => "--deployment",
            AppObject::Ingress => "--ingress",
            AppObject::ConfigMap => "--configmap",
            AppObject::Secret => "--secret",
            AppObject::NetworkPolicy => "--policy",
        }
    }
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
            changes_window: Dur::secs(6 * 3600),
            page_size: 5000,
            restart_warning: 5,
            given: BTreeSet::new(),
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
    /// Answer a server that asks for a cleartext or MD5 password over a connection whose server
    /// was not verified (sslmode disable, prefer or require, or a Unix socket). Off: such a
    /// request ends the connection and no password is sent, since whoever answered may not be
    /// the server. For a legacy server only: SCRAM-SHA-256 is always answered, and over
    /// sslmode=verify-ca or verify-full every method is. Applies to the incident store too.
    pub allow_insecure_password_auth: bool,
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
            allow_insecure_password_auth: false,
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
    /// Which request metrics the app's error rate, latency and 403 rate are read from: `auto`
    /// (looked up), a family's name, or `custom` (the three queries below, all given).
    pub metrics: MetricsChoice,
    /// The team's own queries; each one given wins over the family's. A ratio (0–1) of 5xx
    /// responses: `sum()` on both sides, or each 5xx series divides by itself and reads 1.
    /// `{{namespace}}`, `{{service}}` and `{{workload}}` in a double-quoted label value are the
    /// app's, escaped.
    pub error_rate_query: Option<String>,
    /// Seconds.
    pub latency_p95_query: Option<String>,
    /// A ratio (0–1) per filesystem.
    pub disk_usage_query: String,
    /// A ratio (0–1) of 403 responses.
    pub forbidden_rate_query: Option<String>,
    pub tls: TlsFiles,
    pub auth: HttpAuth,
}

impl PrometheusSettings {
    /// The team's own query for `kind`, when given.
    pub fn query(&self, kind: RequestQuery) -> Option<&str> {
        match kind {
            RequestQuery::ErrorRate => self.error_rate_query.as_deref(),
            RequestQuery::LatencyP95 => self.latency_p95_query.as_deref(),
            RequestQuery::ForbiddenRate => self.forbidden_rate_query.as_deref(),
        }
    }
}

impl Default for PrometheusSettings {
    fn default() -> Self {
        PrometheusSettings {
            url: SecretUrl::new("http://prometheus:9090"),
            metrics: MetricsChoice::Auto,
            error_rate_query: None,
            latency_p95_query: None,
            disk_usage_query: r#"1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs"}"#.into(),
            forbidden_rate_query: None,
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

/// `[thresholds]`: the levels the config file sets, by key. Each check declares its levels
/// and their defaults ([`Level`]); a key no check declares is refused once the checks are known
/// (`checks::validate_thresholds`), so a typo never passes silently.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Thresholds(pub BTreeMap<String, Threshold>);

impl Thresholds {
    /// The level to judge by: the configured one, else the check's default.
    pub fn level(&self, level: &Level) -> Threshold {
        self.0.get(level.key).copied().unwrap_or(level.default)
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
            rules: crate::types::severity::default_rules(),
        }
    }
}
