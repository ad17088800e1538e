//! Redis: connections (plain or TLS, a database of its own when asked) and errors mapped from
//! the error's kind, server code or transport error.

use crate::clients::tls::TlsFiles;
use crate::output::redact;
use crate::settings::Settings;
use crate::types::failure::{self, Cause, NotReached, Phase, Refusal};
use crate::types::CheckError;

pub(super) async fn connect(
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
            super::tls::PemHolds::PrivateKey
        } else {
            super::tls::PemHolds::Certificates
        };
        super::tls::read_pem(path, &format!("redis.tls.{key}"), holds)
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
        return super::tls::failure(where_, &detail, problem, "redis.tls");
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
