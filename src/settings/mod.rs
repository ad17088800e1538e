//! Flags, environment and config file resolved once into one typed `Settings` value, before any
//! network call. Precedence, lowest first: built-in defaults (the seed runbook's names and alert
//! thresholds) < config file < environment < flags.

use crate::error::{Error, Result};
pub use crate::types::duration::{parse_duration, Dur};
pub use crate::types::Threshold;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

mod credentials;
mod custom_checks;
mod exposure;
mod file;
mod notify;
mod notify_check;
pub mod pgpass;
pub mod runbooks;
mod secrets;
mod sections;
mod tls;
mod validate;

pub use crate::types::output::OutputFormat;
use credentials::{
    resolve_http_auth, resolve_pg_password, resolve_postgres_tls, resolve_redis_password,
};
pub use custom_checks::{is_check_id, CheckDefinition, CheckKind, Direction};
use file::{default_audit_log, default_store, load_file, parse_file_settings};
pub use file::{exposed_secret_file, Env, ProcessEnv};
pub use notify::*;
pub use notify_check::fill_template;
pub use secrets::{redact_url, Secret, SecretUrl};
use secrets::{redacted_option, validate_url};
pub use sections::*;
pub use tls::{SslMode, TlsFiles};
pub use validate::{is_dns_subdomain, is_sql_identifier_path, log_regex};

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
    /// `[[check]]`: the team's own checks (from the config file and the runbooks directory).
    #[serde(rename = "check")]
    pub checks: Vec<CheckDefinition>,
    /// Every runbook: the built-in ones (the seed's five), then the team's (`[[runbook]]` in the
    /// config file, then the runbooks directory's files in name order). Shown by `config show`
    /// as the team's names and where each is defined.
    #[serde(rename = "runbook", serialize_with = "runbooks::team_names")]
    pub runbooks: Vec<crate::types::RunbookDefinition>,
    /// The directory the team's runbook files were read from.
    pub runbooks_dir: Option<PathBuf>,
    pub severity: SeveritySettings,
    pub actions: ActionSettings,
    /// Where every change is recorded (JSON lines).
    pub audit_log: PathBuf,
    /// The key of `security config`'s fingerprints, local to this machine and user
    /// ($XDG_STATE_HOME/incidentctl/fingerprint.key; made on first use).
    pub fingerprint_key: PathBuf,
    pub report: ReportSettings,
    pub impact: ImpactSettings,
    /// The mode of the files incidentctl keeps.
    pub files: FilesSettings,
    /// Who is told of an incident, how and when (`report escalate`).
    pub notify: NotifySettings,
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
    /// A directory, or a postgres:// URL for a store shared by the whole response team (its
    /// password shown as `***`).
    #[serde(serialize_with = "secrets::redacted_store")]
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

pub use crate::types::output::Verbosity;

/// What the command line says, over the config file and the environment.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub contexts: Vec<String>,
    pub namespace: Option<String>,
    pub output: Option<OutputFormat>,
    pub timeout: Option<Dur>,
    pub quiet: bool,
    pub verbose: bool,
    pub no_color: bool,
    /// The app's objects named on the command line (`--deployment`, `--ingress`, …).
    pub objects: ObjectNames,
}

/// Names of the app's objects given as flags: over the config file, and never looked for.
#[derive(Debug, Clone, Default)]
pub struct ObjectNames {
    pub deployments: Vec<String>,
    pub ingress: Option<String>,
    pub configmap: Option<String>,
    pub secret: Option<String>,
    pub network_policy: Option<String>,
}

impl ObjectNames {
    /// Puts the names given into `k`, marking them given.
    fn apply(&self, k: &mut KubernetesSettings) {
        if !self.deployments.is_empty() {
            k.deployments = self.deployments.clone();
            k.given.insert(AppObject::Deployments);
        }
        for (object, name, slot) in [
            (AppObject::Ingress, &self.ingress, &mut k.ingress),
            (AppObject::ConfigMap, &self.configmap, &mut k.configmap),
            (AppObject::Secret, &self.secret, &mut k.secret),
            (
                AppObject::NetworkPolicy,
                &self.network_policy,
                &mut k.network_policy,
            ),
        ] {
            if let Some(name) = name {
                *slot = name.clone();
                k.given.insert(object);
            }
        }
    }
}

impl Settings {
    /// The modes of the files and directories incidentctl creates to keep what it found.
    pub fn file_modes(&self) -> crate::files::Modes {
        crate::files::Modes::of_file_mode(self.files.mode.0)
    }

    /// These settings with the app's objects named as a command line names them (a runbook
    /// step's `--policy`), over the config file.
    pub fn with_object_names(&self, names: &ObjectNames) -> Settings {
        let mut settings = self.clone();
        names.apply(&mut settings.kubernetes);
        settings
    }

    /// The time the incident clocks use.
    pub fn now(&self) -> jiff::Timestamp {
        self.now.unwrap_or_else(jiff::Timestamp::now)
    }

    /// Defaults < config file < environment < flags.
    pub fn resolve(args: &Overrides, env: &dyn Env, stdout_is_terminal: bool) -> Result<Self> {
        let mut notes = Vec::new();
        let (config_file, file) = load_file(args.config.as_deref(), env, &mut notes)?;
        let mut settings = Self::resolve_with(config_file, file, args, env, stdout_is_terminal)?;
        settings.warnings.splice(0..0, notes);
        Ok(settings)
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
        Self::resolve_with(None, file, &Overrides::default(), &NoEnv, false)
    }

    fn resolve_with(
        config_file: Option<PathBuf>,
        file: FileSettings,
        args: &Overrides,
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
            checks: file.checks,
            runbooks: runbooks::built_in()
                .into_iter()
                .chain(file.runbooks)
                .collect(),
            runbooks_dir: file.runbooks_dir,
            severity: file.severity,
            actions: file.actions,
            audit_log: match env.var("INCIDENTCTL_AUDIT_LOG") {
                Some(p) => PathBuf::from(p),
                None => file.audit.path.unwrap_or_else(|| default_audit_log(env)),
            },
            fingerprint_key: default_audit_log(env).with_file_name("fingerprint.key"),
            report: file.report,
            impact: file.impact,
            files: file.files,
            notify: file.notify,
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
        if let Some(t) = args.timeout {
            settings.timeout = t;
        }
        args.objects.apply(&mut settings.kubernetes);
        match args.contexts.as_slice() {
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
        let slack_webhook_set = settings.report.slack_webhook.is_some();
        notify::resolve(&mut settings.notify, slack_webhook_set, env)?;
        settings.validate()?;
        settings
            .warnings
            .extend(custom_checks::hints(&settings.checks));
        Ok(settings)
    }
}

#[cfg(test)]
mod tests;
