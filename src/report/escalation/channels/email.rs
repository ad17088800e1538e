//! Email over SMTP with lettre, one step at a time — connect, STARTTLS (or TLS from the first
//! byte), AUTH, MAIL, RCPT, DATA, the message — so a failure is known to be before the message
//! went out (failed: nothing was delivered) or after (may have been sent), from lettre's typed
//! errors and the server's reply codes.

use super::{Failure, Outcome, Send};
use crate::settings::{SmtpSettings, StartTls};
use crate::types::failure::{of_smtp, NotReached, Phase, Refusal, TlsProblem};
use crate::types::Cause;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, Certificate, CertificateStore, Identity, TlsParameters,
};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use std::future::Future;
use std::time::Duration;

/// A failure before the message's bytes went out: nothing was delivered.
fn before(cause: Cause, detail: impl Into<String>) -> Outcome {
    Outcome::Failed(Failure::new(cause, detail))
}

/// The Message-ID: the same for every attempt of one notification, so a mail client can tell
/// a resend (`--resend`) from a new message.
pub fn message_id(s: &Send<'_>, from: &str) -> String {
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>'))
        .unwrap_or("incidentctl.invalid");
    format!(
        "<{}.{}.{}@{domain}>",
        s.incident.id,
        s.due.step.key(),
        s.due.audience
    )
}

pub async fn send(smtp: &SmtpSettings, timeout: Duration, to: &[String], s: &Send<'_>) -> Outcome {
    let id = message_id(s, &smtp.from);
    let email = match build(smtp, to, s, &id) {
        Ok(e) => e,
        Err(detail) => return before(Cause::Refused(Refusal::Invalid), detail),
    };
    match deliver(smtp, timeout, &email).await {
        Ok(()) => Outcome::Sent {
            reference: Some(id),
        },
        Err(outcome) => outcome,
    }
}

fn build(
    smtp: &SmtpSettings,
    to: &[String],
    s: &Send<'_>,
    id: &str,
) -> Result<lettre::Message, String> {
    let mailbox = |text: &str| {
        text.parse::<Mailbox>()
            .map_err(|e| format!("'{text}' is not an email address ({e})"))
    };
    let mut builder = lettre::Message::builder()
        .from(mailbox(&smtp.from)?)
        .subject(s.message.subject.clone())
        .message_id(Some(id.to_string()))
        .date_now()
        .header(ContentType::TEXT_PLAIN)
        .user_agent(concat!("incidentctl/", env!("CARGO_PKG_VERSION")).to_string());
    for address in to {
        builder = builder.to(mailbox(address)?);
    }
    builder
        .body(s.message.text.clone())
        .map_err(|e| format!("the message could not be built: {e}"))
}

fn tls_parameters(smtp: &SmtpSettings, host: &str) -> Result<TlsParameters, String> {
    use crate::clients::tls::{read_pem, PemHolds};
    // Read and checked as every target's TLS files are: bounded, and holding what they should
    // (lettre takes a file of no certificate at all without a word).
    let read = |path: &std::path::Path, key: &str, holds| {
        read_pem(path, &format!("notify.smtp.tls.{key}"), holds).map_err(|e| e.message)
    };
    let mut builder = TlsParameters::builder(host.to_string());
    if let Some(ca) = &smtp.tls.ca_file {
        let cert = Certificate::from_pem(&read(ca, "ca_file", PemHolds::Certificates)?)
            .map_err(|e| format!("notify.smtp.tls.ca_file {}: {e}", ca.display()))?;
        builder = builder
            .certificate_store(CertificateStore::None)
            .add_root_certificate(cert);
    }
    if let Some((cert, key)) = smtp
        .tls
        .client_pair("notify.smtp.tls")
        .map_err(|e| e.message)?
    {
        let identity = Identity::from_pem(
            &read(cert, "client_cert", PemHolds::Certificates)?,
            &read(key, "client_key", PemHolds::PrivateKey)?,
        )
        .map_err(|e| {
            format!(
                "notify.smtp.tls: client_cert {} and client_key {}: {e}",
                cert.display(),
                key.display()
            )
        })?;
        builder = builder.identify_with(identity);
    }
    builder
        .build_rustls()
        .map_err(|e| format!("notify.smtp.tls: {e}"))
}

/// One step before DATA, within the timeout; any failure of it leaves nothing delivered.
async fn step<T>(
    timeout: Duration,
    what: &str,
    work: impl Future<Output = Result<T, lettre::transport::smtp::Error>>,
) -> Result<T, Outcome> {
    match tokio::time::timeout(timeout, work).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            let cause = of_smtp(&e, Phase::Connect);
            let said = crate::output::redact::error_chain(&e);
            Err(before(
                cause,
                format!("SMTP {what}: {} ({said})", cause.label()),
            ))
        }
        Err(_) => Err(before(
            Cause::NotReached(NotReached::ConnectTimeout),
            format!(
                "SMTP {what}: no answer within {}",
                crate::types::Dur(timeout)
            ),
        )),
    }
}

/// Connects, secures and logs in as configured: everything before MAIL. Any failure here
/// leaves nothing delivered.
async fn open_session(
    smtp: &SmtpSettings,
    timeout: Duration,
) -> Result<(AsyncSmtpConnection, String), Outcome> {
    let Some((host, port)) = smtp.address() else {
        return Err(before(
            Cause::NotReached(NotReached::Other),
            "notify.smtp.url has no host",
        ));
    };
    let tls = tls_parameters(smtp, &host).map_err(|d| before(Cause::Tls(TlsProblem::Other), d))?;
    let hello = ClientId::default();
    let implicit = smtp.implicit_tls().then(|| tls.clone());
    let connect = AsyncSmtpConnection::connect_tokio1(
        (host.as_str(), port),
        Some(timeout),
        &hello,
        implicit,
        None,
    );
    let mut conn = step(timeout, "connect", connect).await?;
    let mut done = vec![if smtp.implicit_tls() {
        "TLS"
    } else {
        "connected"
    }
    .to_string()];
    if !smtp.implicit_tls() && smtp.starttls != StartTls::Never {
        if conn.can_starttls() {
            step(timeout, "STARTTLS", conn.starttls(tls, &hello)).await?;
            done.push("STARTTLS".into());
        } else if smtp.starttls == StartTls::Required || smtp.password.is_some() {
            conn.abort().await;
            return Err(before(
                Cause::Tls(TlsProblem::NotTls),
                "the SMTP server does not offer STARTTLS (the password is never sent in clear)",
            ));
        }
    }
    if let (Some(user), Some(password)) = (smtp.user(), &smtp.password) {
        let credentials = Credentials::new(user.clone(), password.expose().to_string());
        step(
            timeout,
            "AUTH",
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials),
        )
        .await?;
        done.push(format!("logged in as {user}"));
    }
    Ok((conn, done.join(", ")))
}

/// The doctor's check: the session as a send would open it, then QUIT; nothing is sent.
pub async fn check(smtp: &SmtpSettings, timeout: Duration) -> Result<String, Failure> {
    match open_session(smtp, timeout).await {
        Ok((mut conn, done)) => {
            let _ = tokio::time::timeout(timeout, conn.quit()).await;
            Ok(done)
        }
        Err(Outcome::Failed(f)) => Err(f),
        Err(_) => Err(Failure::new(Cause::Lost, "the session ended unexpectedly")),
    }
}

async fn deliver(
    smtp: &SmtpSettings,
    timeout: Duration,
    email: &lettre::Message,
) -> Result<(), Outcome> {
    let (mut conn, _) = open_session(smtp, timeout).await?;
    let bytes = email.formatted();
    let mut params = Vec::new();
    if !bytes.is_ascii() {
        if !conn.server_info().supports_feature(Extension::EightBitMime) {
            conn.abort().await;
            return Err(before(
                Cause::Refused(Refusal::Invalid),
                "the message is not ASCII and the SMTP server lacks 8BITMIME",
            ));
        }
        params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let envelope = email.envelope();
    step(
        timeout,
        "MAIL FROM",
        conn.command(Mail::new(envelope.from().cloned(), params)),
    )
    .await?;
    for rcpt in envelope.to() {
        step(
            timeout,
            "RCPT TO",
            conn.command(Rcpt::new(rcpt.clone(), Vec::new())),
        )
        .await?;
    }
    step(timeout, "DATA", conn.command(Data)).await?;
    // From here the message goes out. A reply code is the server's word (taken, or refused:
    // not delivered); anything else — a cut, no answer — leaves it unknown.
    match tokio::time::timeout(timeout, conn.message(&bytes)).await {
        Ok(Ok(_)) => {
            let _ = tokio::time::timeout(timeout, conn.quit()).await;
            Ok(())
        }
        Ok(Err(e)) => {
            let cause = of_smtp(&e, Phase::Request);
            let said = crate::output::redact::error_chain(&e);
            let detail = format!("SMTP message: {} ({said})", cause.label());
            match cause {
                Cause::Refused(_) => Err(before(cause, detail)),
                _ => Err(Outcome::MayHaveBeenSent { detail }),
            }
        }
        Err(_) => Err(Outcome::MayHaveBeenSent {
            detail: format!(
                "the SMTP server did not answer the message within {}",
                crate::types::Dur(timeout)
            ),
        }),
    }
}
