//! PostgreSQL: connections with the TLS settings and the URL's libpq parameters, through the
//! password guard (connect/), and errors mapped from SQLSTATE and transport errors. (~/.pgpass
//! is read where the password is resolved: settings/pgpass.rs.)

pub mod connect;

use crate::clients::tls::{SslMode, TlsFiles, Verify};
use crate::output::redact;
use crate::settings::{SecretUrl, Settings};
use crate::types::failure::{self, Cause, NotReached, Phase, Refusal, TlsProblem};
use crate::types::CheckError;
use std::sync::Arc;

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

pub(super) async fn connect(
    settings: &Settings,
) -> Result<Arc<tokio_postgres::Client>, CheckError> {
    let pg = &settings.postgres;
    open_postgres(&pg.url, pg.password.as_ref(), settings)
        .await
        .map(Arc::new)
}

/// Connects to `target` with the TLS settings of `postgres` (sslmode, CA, client certificate),
/// the URL's own parameters over them, and the run's timeout: the diagnosed database and the
/// shared incident store connect the same way, and neither sends a cleartext or MD5 password to
/// a server it has not verified (see `connect`).
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
            super::tls::client_config(&files, mode.verify(), "postgres.tls")?,
        )),
    };
    // A cleartext or MD5 password goes only to a server whose certificate was checked, unless
    // the engineer allows it for a legacy server.
    let refuse = !settings.postgres.allow_insecure_password_auth;
    let watch = connect::Watch {
        plaintext: refuse,
        unverified_tls: refuse && mode.verify() == Verify::Nothing,
    };
    connect::connect(&config, tls, watch)
        .await
        .map_err(|e| pg_connect_error(&e, &where_))
}

/// A failure to connect, as one line naming the server, its cause and a hint.
fn pg_connect_error(e: &connect::ConnectError, where_: &str) -> CheckError {
    use connect::ConnectError;
    match e {
        ConnectError::Postgres(e) => pg_error_in(e, where_, Phase::Connect),
        ConnectError::Invalid(why) => {
            CheckError::new(format!("invalid PostgreSQL URL {where_}: {why}"))
        }
        ConnectError::ServerName(_) => super::tls::failure(
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
            return super::tls::failure(where_, &detail, problem, "postgres.tls")
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
