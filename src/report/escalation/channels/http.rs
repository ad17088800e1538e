//! One HTTP request of a sender, and what became of it: accepted (2xx, with its body), failed
//! (refused, or never sent), or lost (sent, answer lost). Never retried here: the ledger's
//! backoff does that, across runs.

use super::{Failure, Outcome};
use crate::settings::{HttpAuth, SecretUrl, TlsFiles};
use crate::types::failure::{of_http, of_http_status, NotReached};
use crate::types::Cause;
use std::time::Duration;

/// The most of an answer that is read: APIs answer a few hundred bytes.
const MAX_ANSWER: usize = 256 * 1024;

pub enum Answer {
    Accepted { body: Vec<u8> },
    Done(Outcome),
}

/// A client for one channel's API: the timeout, and its TLS files for a private CA.
pub fn client(
    timeout: Duration,
    url: &str,
    tls: &TlsFiles,
    key: &str,
) -> Result<reqwest::Client, Failure> {
    crate::clients::http::http_client(
        timeout,
        &SecretUrl::new(url),
        tls,
        &HttpAuth::default(),
        key,
    )
    .map_err(|e| Failure::new(Cause::NotReached(NotReached::Other), e.message))
}

fn retry_after(r: &reqwest::Response) -> Option<Duration> {
    r.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// Sends `request` (`what` names the API in details; never the URL, which may be a secret).
/// An error body that repeats one of `secrets` has it replaced before it is kept.
pub async fn send(
    request: reqwest::RequestBuilder,
    what: &str,
    timeout: Duration,
    secrets: &[&str],
) -> Answer {
    match request.send().await {
        Ok(r) if r.status().is_success() => {
            // The status says it was taken; a body cut short does not undo that.
            let body = crate::clients::http::read_body(r, MAX_ANSWER)
                .await
                .unwrap_or_default();
            Answer::Accepted { body }
        }
        Ok(r) => {
            let code = r.status().as_u16();
            let after = retry_after(&r);
            let body = crate::clients::http::read_body(r, MAX_ANSWER)
                .await
                .unwrap_or_default();
            let said = String::from_utf8_lossy(&body);
            let mut said = crate::output::redact::secrets(said.trim());
            for secret in secrets.iter().filter(|s| !s.is_empty()) {
                said = said.replace(secret, "***");
            }
            let said = crate::output::redact::truncate(&said, 300);
            // Statuspage says "slow down" with 420.
            let cause = if code == 420 {
                of_http_status(429)
            } else {
                of_http_status(code)
            };
            let detail = format!("{what} answered HTTP {code}: {said}");
            Answer::Done(if cause.nothing_changed() {
                Outcome::Failed(Failure {
                    cause,
                    detail,
                    retry_after: after,
                })
            } else {
                Outcome::MayHaveBeenSent { detail }
            })
        }
        Err(e) => {
            let cause = of_http(&e);
            let detail = format!("{what}: {}", crate::report::notify::describe(e, timeout));
            Answer::Done(if cause.nothing_changed() {
                Outcome::Failed(Failure::new(cause, detail))
            } else {
                Outcome::MayHaveBeenSent { detail }
            })
        }
    }
}
