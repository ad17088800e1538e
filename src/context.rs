//! The one place that connects to the outside: Kubernetes, PostgreSQL, Redis and HTTP clients are
//! built here from `Settings`, lazily and once per run, so concurrent checks share a connection
//! and a test can point every one of them at a local server through settings alone.

use crate::output::console::Console;
use crate::output::redact;
use crate::settings::{HttpAuth, SecretUrl, Settings};
use crate::tls::{SslMode, TlsFiles, Verify};
use crate::types::failure::{self, Cause, NotReached, Phase, Refusal, TlsProblem};
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
            .get_or_init(|| connect_redis(&self.settings, None))
            .await
            .clone()
    }

    /// A connection of its own to Redis database `db`: switching the shared connection with
    /// SELECT would move every other user of it to that database too.
    pub async fn redis_in_db(
        &self,
        db: i64,
    ) -> Result<redis::aio::MultiplexedConnection, CheckError> {
        connect_redis(&self.settings, Some(db)).await
    }

    /// The HTTP client for Prometheus, with its TLS files and credentials.
    pub async fn prometheus_http(&self) -> Result<reqwest::Client, CheckError> {
        let p = &self.settings.prometheus;
        self.prometheus_http
            .get_or_init(|| async {
                http_client(
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
                http_client(
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

async fn connect_kube(settings: &Settings) -> Result<kube::Client, CheckError> {
    let mut config = crate::kubeconfig::client_config(settings.kubernetes.context.as_deref())
        .await
        .map_err(crate::kubeconfig::Failure::into_check_error)?;
    config.connect_timeout = Some(settings.timeout.0);
    config.read_timeout = Some(settings.timeout.0);
    config.write_timeout = Some(settings.timeout.0);
    kube::Client::try_from(config)
        .map_err(|e| CheckError::new(format!("cannot build the Kubernetes client: {e}")))
}

/// An HTTP client for one target: its timeout, the TLS files of `key`.tls for https, and its
/// credentials sent as a sensitive header (never logged, never in an error).
pub fn http_client(
    timeout: std::time::Duration,
    url: &SecretUrl,
    tls: &TlsFiles,
    auth: &HttpAuth,
    key: &str,
) -> Result<reqwest::Client, CheckError> {
    let mut builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("incidentctl/", env!("CARGO_PKG_VERSION")));
    if url.expose().starts_with("https:") || *tls != TlsFiles::default() {
        let config = crate::tls::client_config(tls, Verify::ChainAndName, &format!("{key}.tls"))?;
        builder = builder.use_preconfigured_tls(config);
    }
    let credentials = match (&auth.bearer_token, &auth.username) {
        (Some(token), _) => Some(format!("Bearer {}", token.expose())),
        (None, Some(user)) => {
            use base64::Engine;
            let pair = format!(
                "{user}:{}",
                auth.password.as_ref().map(|p| p.expose()).unwrap_or("")
            );
            Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            ))
        }
        (None, None) => None,
    };
    if let Some(credentials) = credentials {
        let mut value = reqwest::header::HeaderValue::from_str(&credentials).map_err(|_| {
            CheckError::new(format!(
                "{key}.auth: the credentials hold characters an HTTP header cannot carry"
            ))
        })?;
        value.set_sensitive(true);
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::AUTHORIZATION, value);
        builder = builder.default_headers(headers);
    }
    builder
        .build()
        .map_err(|e| CheckError::new(format!("cannot build the HTTP client: {e}")))
}

/// The TLS part of the PostgreSQL settings with the URL's libpq parameters (sslmode=,
/// sslrootcert=, sslcert=, sslkey=) applied over them, and the URL without those parameters
/// (tokio-postgres knows only some of them).
pub fn postgres_tls(
    target: &SecretUrl,
    settings: &Settings,
) -> Result<(String, SslMode, TlsFiles), CheckError> {
    let pg = &settings.postgres;
    let (mut mode, mut files) = (pg.sslmode, pg.tls.clone());
    let Ok(mut url) = url::Url::parse(target.expose()) else {
        return Ok((target.expose().to_string(), mode, files));
    };
    let mut kept = Vec::new();
    for (name, value) in url.query_pairs() {
        match name.as_ref() {
            "sslmode" => {
                mode = value.parse().map_err(|e: String| {
                    CheckError::new(format!("PostgreSQL URL {}: {e}", target.redacted()))
                })?
            }
            "sslrootcert" => files.ca_file = Some(value.as_ref().into()),
            "sslcert" => files.client_cert = Some(value.as_ref().into()),
            "sslkey" => files.client_key = Some(value.as_ref().into()),
            _ => kept.push((name.into_owned(), value.into_owned())),
        }
    }
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Ok((url.to_string(), mode, files))
}

async fn connect_postgres(settings: &Settings) -> Result<Arc<tokio_postgres::Client>, CheckError> {
    let pg = &settings.postgres;
    open_postgres(&pg.url, pg.password.as_ref(), settings)
        .await
        .map(Arc::new)
}

/// Connects to `target` with the TLS settings of `postgres` (sslmode, CA, client certificate),
/// the URL's own parameters over them, and the run's timeout: the diagnosed database and the
/// shared incident store connect the same way, and neither sends a cleartext or MD5 password to
/// a server it has not verified (see `pg_connect`).
pub async fn open_postgres(
    target: &SecretUrl,
    password: Option<&crate::settings::Secret>,
    settings: &Settings,
) -> Result<tokio_postgres::Client, CheckError> {
    let where_ = target.redacted();
    let (url, mode, files) = postgres_tls(target, settings)?;
    let mut config: tokio_postgres::Config = url.parse().map_err(|e: tokio_postgres::Error| {
        CheckError::new(format!(
            "invalid PostgreSQL URL {where_}: {}",
            redact::secrets(&e.to_string())
        ))
    })?;
    if let Some(password) = password {
        config.password(password.expose());
    }
    config.connect_timeout(settings.timeout.0);
    config.application_name("incidentctl");
    config.ssl_mode(match mode {
        SslMode::Disable => tokio_postgres::config::SslMode::Disable,
        SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            tokio_postgres::config::SslMode::Require
        }
    });
    let tls = match mode {
        SslMode::Disable => None,
        _ => Some(tokio_postgres_rustls::MakeRustlsConnect::new(
            crate::tls::client_config(&files, mode.verify(), "postgres.tls")?,
        )),
    };
    // A cleartext or MD5 password goes only to a server whose certificate was checked, unless
    // the engineer allows it for a legacy server.
    let refuse = !settings.postgres.allow_insecure_password_auth;
    let watch = crate::pg_connect::Watch {
        plaintext: refuse,
        unverified_tls: refuse && mode.verify() == Verify::Nothing,
    };
    crate::pg_connect::connect(&config, tls, watch)
        .await
        .map_err(|e| pg_connect_error(&e, &where_))
}

/// A failure to connect, as one line naming the server, its cause and a hint.
fn pg_connect_error(e: &crate::pg_connect::ConnectError, where_: &str) -> CheckError {
    use crate::pg_connect::ConnectError;
    match e {
        ConnectError::Postgres(e) => pg_error_in(e, where_, Phase::Connect),
        ConnectError::Invalid(why) => {
            CheckError::new(format!("invalid PostgreSQL URL {where_}: {why}"))
        }
        ConnectError::ServerName(_) => crate::tls::failure(
            where_,
            &redact::error_chain(e),
            TlsProblem::Other,
            "postgres.tls",
        ),
        ConnectError::Session(_) => CheckError::remote(
            Cause::Refused(Refusal::Other),
            format!("{where_}: {}", redact::error_chain(e)),
        )
        .hint("the URL's target_session_attrs asks for another kind of server (read-write: a primary; read-only: a standby)"),
        ConnectError::Connect(io) => {
            let cause = failure::of_connect(io);
            let err = CheckError::remote(cause, format!("{where_}: {}", redact::error_chain(e)));
            match cause {
                Cause::NotReached(NotReached::ConnectionRefused) => {
                    err.hint("is PostgreSQL running and listening on that host and port?")
                }
                _ => err,
            }
        }
    }
}

/// A PostgreSQL error after connecting, as one line naming the server, its cause, and a hint.
pub fn pg_error(e: &tokio_postgres::Error, where_: &str) -> CheckError {
    pg_error_in(e, where_, Phase::Request)
}

/// A PostgreSQL error as one line naming the server, its cause (read from the error's SQLSTATE
/// or transport error, never its wording), and a hint where one helps.
pub fn pg_error_in(e: &tokio_postgres::Error, where_: &str, phase: Phase) -> CheckError {
    // The guard's own error: it says what the server asked for and that nothing was sent.
    if let Some(withheld) = failure::withheld_password(e) {
        return CheckError::remote(
            Cause::PasswordWithheld(withheld.method),
            format!("{where_}: {withheld}"),
        )
        .hint(
            "connect with sslmode=verify-full and the server's CA (postgres.tls.ca_file), \
             or move the server to scram-sha-256 (password_encryption, pg_hba.conf); \
             for a legacy server only, set postgres.allow_insecure_password_auth = true",
        );
    }
    let cause = match failure::of_postgres(e, phase) {
        // It said yes to PostgreSQL's SSLRequest, then did not speak TLS: it is not PostgreSQL.
        Cause::Tls(TlsProblem::NotTls) => Cause::NotTheProtocol,
        cause => cause,
    };
    let detail = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => redact::error_chain(e),
    };
    let detail = redact::secrets(&detail);
    let err = match cause {
        Cause::Tls(problem) => {
            return crate::tls::failure(where_, &detail, problem, "postgres.tls")
        }
        // Something answered, but not in PostgreSQL's protocol: say so before the library's words.
        Cause::NotTheProtocol => return CheckError::remote(
            cause,
            format!("{where_}: not a PostgreSQL server (protocol error: {detail})"),
        )
        .hint(
            "something answers at that address, but not PostgreSQL: is it the right host and port?",
        ),
        _ => CheckError::remote(cause, format!("{where_}: {detail}")),
    };
    match cause {
        Cause::Refused(Refusal::Unauthenticated) => err.hint(
            "check the user and password (URL, postgres.password_file, PGPASSWORD or ~/.pgpass)",
        ),
        Cause::NotReached(NotReached::ConnectionRefused) => {
            err.hint("is PostgreSQL running and listening on that host and port?")
        }
        Cause::Refused(Refusal::NotFound) if phase == Phase::Connect => {
            err.hint("check the database and user names in the PostgreSQL URL")
        }
        _ => err,
    }
}

async fn connect_redis(
    settings: &Settings,
    db: Option<i64>,
) -> Result<redis::aio::MultiplexedConnection, CheckError> {
    let r = &settings.redis;
    let where_ = r.url.redacted();
    let invalid = |e: redis::RedisError| {
        CheckError::new(format!(
            "invalid Redis URL {where_}: {}",
            redact::secrets(&e.to_string())
        ))
    };
    let mut info =
        redis::IntoConnectionInfo::into_connection_info(r.url.expose()).map_err(invalid)?;
    if let Some(password) = &r.password {
        let redis_settings = info
            .redis_settings()
            .clone()
            .set_password(password.expose());
        info = info.set_redis_settings(redis_settings);
    }
    if let Some(db) = db {
        let redis_settings = info.redis_settings().clone().set_db(db);
        info = info.set_redis_settings(redis_settings);
    }
    let client = if r.tls == TlsFiles::default() {
        redis::Client::open(info).map_err(invalid)?
    } else {
        if !r.url.expose().starts_with("rediss:") {
            return Err(CheckError::new(format!(
                "redis.tls is set but {where_} is not a rediss:// URL"
            ))
            .hint("use rediss://host:port for Redis over TLS"));
        }
        redis::Client::build_with_tls(info, redis_tls_files(&r.tls).await?).map_err(invalid)?
    };
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(settings.timeout.0))
        .set_response_timeout(Some(settings.timeout.0));
    client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .map_err(|e| redis_error_in(&e, &where_, Phase::Connect))
}

/// redis-rs takes PEM bytes; the files are read here, bounded, so a bad path names its key.
async fn redis_tls_files(files: &TlsFiles) -> Result<redis::TlsCertificates, CheckError> {
    async fn read(path: &std::path::Path, key: &str) -> Result<Vec<u8>, CheckError> {
        let holds = if key == "client_key" {
            crate::tls::PemHolds::PrivateKey
        } else {
            crate::tls::PemHolds::Certificates
        };
        crate::tls::read_pem(path, &format!("redis.tls.{key}"), holds)
    }
    let client_tls = match files.client_pair("redis.tls")? {
        Some((cert, key)) => Some(redis::ClientTlsConfig {
            client_cert: read(cert, "client_cert").await?,
            client_key: read(key, "client_key").await?,
        }),
        None => None,
    };
    let root_cert = match &files.ca_file {
        Some(ca) => Some(read(ca, "ca_file").await?),
        None => None,
    };
    Ok(redis::TlsCertificates {
        client_tls,
        root_cert,
    })
}

/// A Redis error after connecting, as one line naming the server, its cause and a hint.
pub fn redis_error(e: &redis::RedisError, where_: &str) -> CheckError {
    redis_error_in(e, where_, Phase::Request)
}

/// A Redis error, its cause read from the error's kind, server code or transport error.
pub fn redis_error_in(e: &redis::RedisError, where_: &str, phase: Phase) -> CheckError {
    let cause = failure::of_redis(e, phase);
    let detail = redact::secrets(&e.to_string());
    if let Cause::Tls(problem) = cause {
        return crate::tls::failure(where_, &detail, problem, "redis.tls");
    }
    let err = CheckError::remote(cause, format!("{where_}: {detail}"));
    match cause {
        Cause::NotReached(NotReached::ConnectionRefused) => {
            err.hint("is Redis running and listening on that host and port?")
        }
        Cause::Refused(Refusal::Unauthenticated) => err.hint("check the Redis user and password (the URL, redis.password_file, INCIDENTCTL_REDIS_PASSWORD or REDISCLI_AUTH)"),
        _ => err,
    }
}

/// Why an HTTP body could not be read whole.
#[derive(Debug)]
pub enum BodyError {
    /// Larger than the limit: the rest was not read.
    TooLarge(usize),
    Transport(reqwest::Error),
}

/// Reads an HTTP answer's body, at most `limit` bytes: a server (or something posing as one)
/// that sends without end must not fill memory.
pub async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, BodyError> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge(limit));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// One line naming what failed, from a Kubernetes client error; its cause and hint are read
/// from the error's type and the API's status code.
pub fn kube_error(e: kube::Error, what: &str) -> CheckError {
    let cause = crate::types::failure::of_kube(&e);
    match e {
        kube::Error::Api(status) => {
            let err = CheckError::remote(
                cause,
                format!(
                    "{what}: {} from the API server: {}",
                    status.code,
                    redact::secrets(&status.message)
                ),
            );
            match status.code {
                401 => err.hint("the API server rejected the credentials; check the kubeconfig user or refresh the token"),
                403 => err.hint(format!("the identity lacks permission for this ({what}); see the RBAC roles in examples/")),
                404 => err.hint("the resource type or namespace does not exist on this cluster"),
                _ => err,
            }
        }
        kube::Error::SerdeError(e) => CheckError::remote(cause, format!(
            "{what}: the API server's answer is not valid Kubernetes JSON ({e})"
        ))
        .hint("something answers at the cluster address, but not the Kubernetes API: check the kubeconfig's server"),
        other => {
            let text = redact::error_chain(&other);
            match cause {
                // The kubeconfig holds the cluster's CA and the client certificate, not our
                // config file: point there.
                Cause::Tls(_) => CheckError::remote(
                    cause,
                    format!("{what}: cannot reach the API server: TLS: {text}"),
                )
                .hint("check the cluster's certificate-authority(-data) and the user's client certificate in the kubeconfig (kubectl config view)"),
                Cause::Lost | Cause::TimedOut => CheckError::remote(
                    cause,
                    format!("{what}: the connection to the API server failed ({}): {text}", cause.label()),
                )
                .hint("the API server may be overloaded or restarting; try again, or raise --timeout"),
                _ => CheckError::remote(cause, format!("{what}: cannot reach the API server: {text}"))
                    .hint("check the cluster address in the kubeconfig (kubectl cluster-info)"),
            }
        }
    }
}

/// 401 and 403 from an HTTP API: the answer is about credentials, whatever the body says.
pub fn refused_credentials(
    code: reqwest::StatusCode,
    where_: &str,
    key: &str,
) -> Result<(), CheckError> {
    let n = code.as_u16();
    if n != 401 && n != 403 {
        return Ok(());
    }
    let what = if n == 401 {
        "wants credentials"
    } else {
        "rejects these credentials"
    };
    Err(CheckError::new(format!("{where_}: HTTP {code}: the server {what}"))
        .hint(format!(
            "set {key}.auth (bearer_token_file, or username and password_file), INCIDENTCTL_{}_TOKEN or INCIDENTCTL_{}_PASSWORD; check the proxy in front of it",
            key.to_ascii_uppercase(),
            key.to_ascii_uppercase()
        )))
}

/// The most an HTTP API's answer may hold: query results and alert lists are kilobytes to a
/// few megabytes; past this, something is wrong with the server or what answers for it.
const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// An answer's body as text, read no further than [`MAX_ANSWER_BYTES`].
pub async fn body_text(
    response: reqwest::Response,
    where_: &str,
    key: &str,
) -> Result<String, CheckError> {
    match crate::context::read_body(response, MAX_ANSWER_BYTES).await {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(crate::context::BodyError::Transport(e)) => Err(http_error(e, where_, key)),
        Err(crate::context::BodyError::TooLarge(limit)) => Err(CheckError::remote(
            Cause::NotTheProtocol,
            format!(
                "{where_}: the answer is larger than {}: not read",
                crate::files::bounded::size(limit as u64)
            ),
        )
        .hint(format!(
            "check that {key}.url points at the server itself, not a proxy or a file"
        ))),
    }
}

/// A transport-level HTTP failure as one line naming the server; `key` is its config table, for
/// the TLS hints. The cause (and so the hint) is read from reqwest's error kinds.
pub fn http_error(e: reqwest::Error, where_: &str, key: &str) -> CheckError {
    let cause = crate::types::failure::of_http(&e);
    // `where_` already names the server; reqwest would repeat the whole URL, query included.
    let e = e.without_url();
    // reqwest names the URL in its messages; the URL may carry credentials (error_chain scrubs).
    let text = redact::error_chain(&e);
    if let Cause::Tls(problem) = cause {
        return crate::tls::failure(where_, &text, problem, &format!("{key}.tls"));
    }
    // hyper's words for a connection that died before the request went out vary ("connection
    // was not ready", "operation was canceled"): say it plainly, from the cause.
    let err = match cause {
        Cause::NotReached(NotReached::Other) => CheckError::remote(
            cause,
            format!("{where_}: the connection closed before the request was sent ({text})"),
        ),
        _ => CheckError::remote(cause, format!("{where_}: {text}")),
    };
    match cause {
        Cause::TimedOut | Cause::NotReached(NotReached::ConnectTimeout) => {
            err.hint("the server did not answer in time; raise --timeout or check the server")
        }
        Cause::NotReached(_) => {
            err.hint("is the server running and listening on that host and port?")
        }
        _ => err,
    }
}
