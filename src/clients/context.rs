//! The one place a command gets its connections from: Kubernetes, PostgreSQL, Redis and HTTP
//! clients, built from `Settings` lazily and once per run, so concurrent checks share a
//! connection and a test can point every one of them at a local server through settings alone.
//! A unit test gives the clients it made instead ([`Context::with_kube`]): a `kube::Client` over
//! a stub, and Prometheus and Alertmanager at the URLs of its settings.

use crate::output::console::Console;
use crate::settings::Settings;
use crate::types::CheckError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::OnceCell;

type Shared<T> = OnceCell<Result<T, CheckError>>;

pub struct Context {
    pub settings: Arc<Settings>,
    /// Where output goes and who is asked.
    pub console: Console,
    /// Set while a change is between its confirmation and its record: Ctrl-C is then the
    /// change's to handle (it must say what was and was not changed), not main's to cut short.
    change_in_progress: Arc<AtomicBool>,
    kube: Shared<kube::Client>,
    postgres: Shared<Arc<tokio_postgres::Client>>,
    redis: Shared<redis::aio::MultiplexedConnection>,
    prometheus_http: Shared<reqwest::Client>,
    alertmanager_http: Shared<reqwest::Client>,
}

/// Marks a change in progress for as long as it lives.
pub struct InProgress(Arc<AtomicBool>);

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Context {
    pub fn new(settings: Arc<Settings>) -> Self {
        Context {
            console: Console::new(settings.output, settings.verbosity),
            settings,
            change_in_progress: Arc::new(AtomicBool::new(false)),
            kube: OnceCell::new(),
            postgres: OnceCell::new(),
            redis: OnceCell::new(),
            prometheus_http: OnceCell::new(),
            alertmanager_http: OnceCell::new(),
        }
    }

    /// A context for another command of the same run (a runbook's step, with its own settings
    /// and console): its own clients, and the same Ctrl-C handling, so main still leaves a
    /// change under way to finish.
    pub fn derived(&self, settings: Arc<Settings>, console: Console) -> Self {
        Context {
            console,
            change_in_progress: self.change_in_progress.clone(),
            ..Context::new(settings)
        }
    }

    /// The same context printing through `console` (a test's in-memory one).
    pub fn with_console(self, console: Console) -> Self {
        Context { console, ..self }
    }

    /// The same context with a Kubernetes client already made (over a stub, in a test): it is
    /// used as it is, and no kubeconfig is read.
    pub fn with_kube(self, client: kube::Client) -> Self {
        Context {
            kube: OnceCell::new_with(Some(Ok(client))),
            ..self
        }
    }

    /// A change is under way until the guard is dropped.
    pub fn change_in_progress(&self) -> InProgress {
        self.change_in_progress.store(true, Ordering::SeqCst);
        InProgress(self.change_in_progress.clone())
    }

    /// Whether a change is under way now (main asks, on Ctrl-C).
    pub fn change_flag(&self) -> Arc<AtomicBool> {
        self.change_in_progress.clone()
    }

    pub async fn kube(&self) -> Result<kube::Client, CheckError> {
        self.kube
            .get_or_init(|| super::kube::connect(&self.settings))
            .await
            .clone()
    }

    pub async fn postgres(&self) -> Result<Arc<tokio_postgres::Client>, CheckError> {
        self.postgres
            .get_or_init(|| super::postgres::connect(&self.settings))
            .await
            .clone()
    }

    pub async fn redis(&self) -> Result<redis::aio::MultiplexedConnection, CheckError> {
        self.redis
            .get_or_init(|| super::redis::connect(&self.settings, None))
            .await
            .clone()
    }

    /// A connection of its own to Redis database `db`: switching the shared connection with
    /// SELECT would move every other user of it to that database too.
    pub async fn redis_in_db(
        &self,
        db: i64,
    ) -> Result<redis::aio::MultiplexedConnection, CheckError> {
        super::redis::connect(&self.settings, Some(db)).await
    }

    /// The HTTP client for Prometheus, with its TLS files and credentials.
    pub async fn prometheus_http(&self) -> Result<reqwest::Client, CheckError> {
        let p = &self.settings.prometheus;
        self.prometheus_http
            .get_or_init(|| async {
                super::http::http_client(
                    self.settings.timeout.0,
                    &p.url,
                    &p.tls,
                    &p.auth,
                    "prometheus",
                )
            })
            .await
            .clone()
    }

    /// The HTTP client for Alertmanager, with its TLS files and credentials.
    pub async fn alertmanager_http(&self) -> Result<reqwest::Client, CheckError> {
        let a = &self.settings.alertmanager;
        self.alertmanager_http
            .get_or_init(|| async {
                super::http::http_client(
                    self.settings.timeout.0,
                    &a.url,
                    &a.tls,
                    &a.auth,
                    "alertmanager",
                )
            })
            .await
            .clone()
    }
}
