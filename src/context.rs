//! The one place that connects to the outside: Kubernetes, PostgreSQL, Redis and HTTP clients are
//! built here from `Settings`, lazily and once per run, so concurrent checks share a connection
//! and a test can point every one of them at a local server through settings alone.

use crate::checks::CheckError;
use crate::redact;
use crate::settings::Settings;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use std::sync::Arc;
use tokio::sync::OnceCell;

type Shared<T> = OnceCell<Result<T, CheckError>>;

pub struct Context {
    pub settings: Arc<Settings>,
    kube: Shared<kube::Client>,
    postgres: Shared<Arc<tokio_postgres::Client>>,
    redis: Shared<redis::aio::MultiplexedConnection>,
    http: Shared<reqwest::Client>,
    /// App deployments and their pods, read once and shared by the k8s checks.
    app_workloads: Shared<Arc<Vec<AppWorkload>>>,
}

/// A configured app deployment (None when it does not exist) and the pods its selector matches.
#[derive(Debug, Clone)]
pub struct AppWorkload {
    pub name: String,
    pub deployment: Option<Deployment>,
    pub pods: Vec<Pod>,
}

impl Context {
    pub fn new(settings: Arc<Settings>) -> Self {
        Context {
            settings,
            kube: OnceCell::new(),
            postgres: OnceCell::new(),
            redis: OnceCell::new(),
            http: OnceCell::new(),
            app_workloads: OnceCell::new(),
        }
    }

    pub async fn kube(&self) -> Result<kube::Client, CheckError> {
        self.kube
            .get_or_init(|| connect_kube(&self.settings))
            .await
            .clone()
    }

    pub async fn postgres(&self) -> Result<Arc<tokio_postgres::Client>, CheckError> {
        self.postgres
            .get_or_init(|| connect_postgres(&self.settings))
            .await
            .clone()
    }

    pub async fn redis(&self) -> Result<redis::aio::MultiplexedConnection, CheckError> {
        self.redis
            .get_or_init(|| connect_redis(&self.settings))
            .await
            .clone()
    }

    pub async fn http(&self) -> Result<reqwest::Client, CheckError> {
        self.http
            .get_or_init(|| async {
                reqwest::Client::builder()
                    .timeout(self.settings.timeout.0)
                    .connect_timeout(self.settings.timeout.0)
                    .user_agent(concat!("incidentctl/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .map_err(|e| CheckError::new(format!("cannot build the HTTP client: {e}")))
            })
            .await
            .clone()
    }

    pub async fn app_workloads(&self) -> Result<Arc<Vec<AppWorkload>>, CheckError> {
        self.app_workloads
            .get_or_init(|| async {
                let client = self.kube().await?;
                crate::checks::k8s::fetch_app_workloads(client, &self.settings)
                    .await
                    .map(Arc::new)
            })
            .await
            .clone()
    }
}

async fn connect_kube(settings: &Settings) -> Result<kube::Client, CheckError> {
    let context = settings.kubernetes.context.clone();
    let mut config = if context.is_some() {
        let options = kube::config::KubeConfigOptions {
            context,
            cluster: None,
            user: None,
        };
        kube::Config::from_kubeconfig(&options).await.map_err(|e| {
            CheckError::new(format!("kubeconfig: {e}"))
                .hint("check --context against `kubectl config get-contexts`")
        })?
    } else {
        kube::Config::infer().await.map_err(|e| {
            CheckError::new(format!("no Kubernetes configuration: {e}"))
                .hint("set KUBECONFIG or create ~/.kube/config (as for kubectl)")
        })?
    };
    config.connect_timeout = Some(settings.timeout.0);
    config.read_timeout = Some(settings.timeout.0);
    config.write_timeout = Some(settings.timeout.0);
    kube::Client::try_from(config)
        .map_err(|e| CheckError::new(format!("cannot build the Kubernetes client: {e}")))
}

async fn connect_postgres(settings: &Settings) -> Result<Arc<tokio_postgres::Client>, CheckError> {
    let pg = &settings.postgres;
    let where_ = pg.url.redacted();
    let mut config: tokio_postgres::Config =
        pg.url
            .expose()
            .parse()
            .map_err(|e: tokio_postgres::Error| {
                CheckError::new(format!(
                    "invalid PostgreSQL URL {where_}: {}",
                    redact::secrets(&e.to_string())
                ))
            })?;
    if let Some(password) = &pg.password {
        config.password(password.expose());
    }
    config.connect_timeout(settings.timeout.0);
    config.application_name("incidentctl");
    let tls = tls_connector()?;
    let (client, connection) = config
        .connect(tls)
        .await
        .map_err(|e| pg_error(&e, &where_))?;
    tokio::spawn(async move {
        // The connection ends when the client is dropped; an error here is already reported to
        // the queries waiting on it.
        let _ = connection.await;
    });
    Ok(Arc::new(client))
}

/// A PostgreSQL error as one line naming the server, its cause, and a hint where one helps.
pub fn pg_error(e: &tokio_postgres::Error, where_: &str) -> CheckError {
    let detail = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                text = format!("{text}: {s}");
                source = s.source();
            }
            text
        }
    };
    let detail = redact::secrets(&detail);
    let hint = if detail.contains("password authentication failed") || detail.contains("28P01") {
        Some("check the password (URL, postgres.password_file or PGPASSWORD)")
    } else if detail.contains("Connection refused") || detail.contains("connection refused") {
        Some("is PostgreSQL running and listening on that host and port?")
    } else if detail.contains("does not exist") {
        Some("check the database and user names in the PostgreSQL URL")
    } else {
        None
    };
    // Something answered, but not in PostgreSQL's protocol: say so before the library's words.
    let protocol = [
        "handshake",
        "unexpected message",
        "bytes remaining",
        "Broken pipe",
        "invalid message",
    ];
    if protocol.iter().any(|p| detail.contains(p)) {
        return CheckError::new(format!(
            "{where_}: not a PostgreSQL server (protocol error: {detail})"
        ))
        .hint(
            "something answers at that address, but not PostgreSQL: is it the right host and port?",
        );
    }
    let err = CheckError::new(format!("{where_}: {detail}"));
    match hint {
        Some(h) => err.hint(h),
        None => err,
    }
}

fn tls_connector() -> Result<tokio_postgres_rustls::MakeRustlsConnect, CheckError> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for cert in native.certs {
        // A certificate the store cannot parse is skipped, as every TLS client does.
        let _ = roots.add(cert);
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| CheckError::new(format!("TLS set-up failed: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

async fn connect_redis(
    settings: &Settings,
) -> Result<redis::aio::MultiplexedConnection, CheckError> {
    let where_ = settings.redis.url.redacted();
    let client = redis::Client::open(settings.redis.url.expose()).map_err(|e| {
        CheckError::new(format!(
            "invalid Redis URL {where_}: {}",
            redact::secrets(&e.to_string())
        ))
    })?;
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(settings.timeout.0))
        .set_response_timeout(Some(settings.timeout.0));
    client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .map_err(|e| redis_error(&e, &where_))
}

pub fn redis_error(e: &redis::RedisError, where_: &str) -> CheckError {
    let detail = redact::secrets(&e.to_string());
    let err = CheckError::new(format!("{where_}: {detail}"));
    if detail.contains("refused") {
        err.hint("is Redis running and listening on that host and port?")
    } else if detail.contains("NOAUTH") || detail.contains("WRONGPASS") {
        err.hint("check the password in the Redis URL (redis://:PASSWORD@host:6379)")
    } else {
        err
    }
}
