//! HTTP, for Prometheus and Alertmanager (and the custom checks): the client with a target's
//! TLS files and credentials, bodies read no further than a limit, and transport failures and
//! refusals mapped from reqwest's error kinds and the status code.

use crate::clients::tls::{TlsFiles, Verify};
use crate::output::redact;
use crate::settings::{HttpAuth, SecretUrl};
use crate::types::failure::{Cause, NotReached};
use crate::types::CheckError;

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
        let config = super::tls::client_config(tls, Verify::ChainAndName, &format!("{key}.tls"))?;
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

/// The most an HTTP API's answer may hold: query results and alert lists are kilobytes to a
/// few megabytes; past this, something is wrong with the server or what answers for it.
const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// An answer's body as text, read no further than [`MAX_ANSWER_BYTES`].
pub async fn body_text(
    response: reqwest::Response,
    where_: &str,
    key: &str,
) -> Result<String, CheckError> {
    match read_body(response, MAX_ANSWER_BYTES).await {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(BodyError::Transport(e)) => Err(http_error(e, where_, key)),
        Err(BodyError::TooLarge(limit)) => Err(CheckError::remote(
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
        return super::tls::failure(where_, &text, problem, &format!("{key}.tls"));
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
