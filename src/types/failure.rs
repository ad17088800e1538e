//! What became of a request to a server, read from the client libraries' typed errors — error
//! kinds, status codes, SQLSTATEs, TLS alerts — never from the wording of their messages, so a
//! library upgrade cannot change what a change's outcome, an exit code or the audit log says.
//!
//! The one question that matters after a failed change is whether anything happened: a request
//! that never reached the server, or that the server answered with a refusal, changed nothing;
//! one whose connection broke after it may have been sent, or that got no answer in time, has
//! an unknown outcome.

use serde::Serialize;
use std::error::Error as StdError;
use std::io;

/// What became of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "why")]
pub enum Cause {
    /// No connection was made: nothing was sent.
    NotReached(NotReached),
    /// The TLS handshake failed: nothing was sent.
    Tls(TlsProblem),
    /// Something answered, but not in the target's protocol (HTML, another server, garbage).
    NotTheProtocol,
    /// The server answered and refused: nothing was applied.
    Refused(Refusal),
    /// The server asked for the password in a form that gives it away, over a connection whose
    /// server was not verified, and incidentctl did not answer: nothing was sent.
    PasswordWithheld(WeakAuth),
    /// The connection broke after the request may have gone out: the outcome is unknown.
    Lost,
    /// The request went out and no answer came in time: the outcome is unknown.
    TimedOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotReached {
    ConnectionRefused,
    NameNotResolved,
    ConnectTimeout,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsProblem {
    /// The server's certificate is signed by a CA we do not trust.
    UnknownIssuer,
    Expired,
    /// The certificate does not name the host we connected to.
    NameMismatch,
    /// The server refused the handshake: it wants a (different) client certificate.
    ClientCertificate,
    /// The server does not speak TLS there.
    NotTls,
    Other,
}

/// Password methods that give the password away to whoever is at the other end: cleartext
/// shows it; MD5 gives a hash that logs in as well as the password does (a server can relay it)
/// and can be guessed offline. SCRAM-SHA-256 gives neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WeakAuth {
    Cleartext,
    Md5,
}

/// What was missing from the connection a weak password method was asked for on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unverified {
    /// No TLS was asked for (sslmode=disable, or a Unix socket).
    NoTls,
    /// TLS was asked for and the server declined it (sslmode=prefer).
    TlsDeclined,
    /// TLS, but the server's certificate was not checked (sslmode=prefer or require).
    CertificateNotChecked,
}

/// The error a connection's read fails with when the server asks for a weak password method
/// over an unverified connection; found again by type in the error chain
/// ([`withheld_password`]), never by its wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WithheldPassword {
    pub method: WeakAuth,
    pub over: Unverified,
}

impl std::fmt::Display for WithheldPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let method = match self.method {
            WeakAuth::Cleartext => "a cleartext password",
            WeakAuth::Md5 => "an MD5 password",
        };
        let over = match self.over {
            Unverified::NoTls => "no TLS",
            Unverified::TlsDeclined => "no TLS: the server declined it",
            Unverified::CertificateNotChecked => "TLS, but its certificate was not verified",
        };
        write!(
            f,
            "the server asked for {method} over an unverified connection ({over}); no password was sent"
        )
    }
}

impl StdError for WithheldPassword {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refusal {
    /// The credentials were refused (401, 28P01, WRONGPASS).
    Unauthenticated,
    /// The identity lacks a permission (403, 42501, NOPERM).
    Forbidden,
    NotFound,
    /// The object changed since it was read (409, a failed precondition).
    Conflict,
    /// The request itself is invalid (400, 422, a bad statement).
    Invalid,
    /// A lock could not be taken in time (55P03).
    Locked,
    /// The statement was cancelled (57014: statement_timeout, or pg_cancel_backend).
    Canceled,
    /// The server is read-only (a replica) or not accepting this (READONLY, 25006).
    ReadOnly,
    /// Overloaded or unavailable for now (429, 503, 53300 too many connections).
    Unavailable,
    /// The server failed while handling it (500): it says nothing was done.
    ServerError,
    Other,
}

impl Cause {
    /// The request provably had no effect: it never reached the server, or was refused.
    pub fn nothing_changed(self) -> bool {
        !matches!(self, Cause::Lost | Cause::TimedOut)
    }

    /// Whether the server answered at all.
    pub fn reached(self) -> bool {
        matches!(
            self,
            Cause::Refused(_) | Cause::NotTheProtocol | Cause::PasswordWithheld(_)
        )
    }

    /// A few words for people, the same whatever library said it.
    pub fn label(self) -> &'static str {
        match self {
            Cause::NotReached(NotReached::ConnectionRefused) => "connection refused",
            Cause::NotReached(NotReached::NameNotResolved) => "name does not resolve",
            Cause::NotReached(NotReached::ConnectTimeout) => "could not connect in time",
            Cause::NotReached(NotReached::Other) => "could not connect",
            Cause::Tls(_) => "TLS",
            Cause::NotTheProtocol => "not the expected protocol",
            Cause::Refused(_) => "refused",
            Cause::PasswordWithheld(_) => "password withheld",
            Cause::Lost => "connection lost",
            Cause::TimedOut => "timed out",
        }
    }
}

/// Whether the request could have been sent when it failed: a failure while connecting never
/// sent anything; one afterwards may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Connect,
    Request,
}

/// Every error in the chain. An io::Error's inner error comes next (its `source()` would skip
/// it): TLS errors arrive as an io::Error inside an io::Error.
fn chain<'a>(e: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        out.push(err);
        next = if let Some(inner) = err.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            Some(inner as &(dyn StdError + 'static))
        } else if let Some(shared) =
            err.downcast_ref::<std::sync::Arc<dyn StdError + Send + Sync>>()
        {
            // redis-rs keeps its cause behind an Arc, whose own source() skips the cause.
            Some(&**shared as &(dyn StdError + 'static))
        } else {
            err.source()
        };
        if out.len() > 32 {
            break;
        }
    }
    out
}

fn tls_problem(e: &rustls::Error) -> TlsProblem {
    use rustls::{AlertDescription as A, CertificateError as C};
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer | C::BadSignature => TlsProblem::UnknownIssuer,
            C::Expired
            | C::ExpiredContext { .. }
            | C::NotValidYet
            | C::NotValidYetContext { .. } => TlsProblem::Expired,
            C::NotValidForName | C::NotValidForNameContext { .. } => TlsProblem::NameMismatch,
            _ => TlsProblem::Other,
        },
        rustls::Error::AlertReceived(
            A::CertificateRequired | A::HandshakeFailure | A::BadCertificate | A::UnknownCA,
        ) => TlsProblem::ClientCertificate,
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            TlsProblem::NotTls
        }
        _ => TlsProblem::Other,
    }
}

/// What the transport errors in a chain say: TLS first (a TLS failure arrives wrapped in an
/// io::Error), then the io::Error's kind. None when the chain has neither.
fn transport(e: &(dyn StdError + 'static), phase: Phase) -> Option<Cause> {
    let links = chain(e);
    if let Some(tls) = links.iter().find_map(|l| l.downcast_ref::<rustls::Error>()) {
        return Some(Cause::Tls(tls_problem(tls)));
    }
    if let Some(h) = links.iter().find_map(|l| l.downcast_ref::<hyper::Error>()) {
        // Dropped before it was sent: the connection was never ready for it.
        if h.is_canceled() {
            return Some(Cause::NotReached(NotReached::Other));
        }
        if h.is_timeout() {
            return Some(Cause::TimedOut);
        }
        // Anything else hyper says of the answer but a cut (a parse failure, an unexpected
        // message on the connection) is the other end not speaking HTTP.
        if !h.is_incomplete_message() && !h.is_closed() && !h.is_body_write_aborted() {
            return Some(Cause::NotTheProtocol);
        }
    }
    let io = links.iter().find_map(|l| l.downcast_ref::<io::Error>())?;
    Some(match (io.kind(), phase) {
        (io::ErrorKind::ConnectionRefused, _) => Cause::NotReached(NotReached::ConnectionRefused),
        (io::ErrorKind::TimedOut, Phase::Connect) => Cause::NotReached(NotReached::ConnectTimeout),
        (io::ErrorKind::TimedOut, Phase::Request) => Cause::TimedOut,
        // The other end spoke, but not TLS or not the protocol, and hung up.
        (io::ErrorKind::InvalidData, _) => Cause::NotTheProtocol,
        (
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof,
            Phase::Connect,
        ) => Cause::NotReached(NotReached::Other),
        (_, Phase::Request) => Cause::Lost,
        // Name resolution fails with an io::Error of no stable kind; anything else before a
        // connection exists means the same: nothing was sent.
        (_, Phase::Connect) => Cause::NotReached(NotReached::NameNotResolved),
    })
}

/// An HTTP status as a refusal (the server answered).
pub fn of_http_status(code: u16) -> Cause {
    Cause::Refused(match code {
        401 | 407 => Refusal::Unauthenticated,
        403 => Refusal::Forbidden,
        404 | 410 => Refusal::NotFound,
        409 | 412 => Refusal::Conflict,
        400 | 405 | 406 | 413..=418 | 422 => Refusal::Invalid,
        429 | 502 | 503 => Refusal::Unavailable,
        // 504: the server gave up waiting; what it was doing may still happen.
        504 => return Cause::TimedOut,
        500..=599 => Refusal::ServerError,
        _ => Refusal::Other,
    })
}

/// A Kubernetes client error.
pub fn of_kube(e: &kube::Error) -> Cause {
    match e {
        kube::Error::Api(status) => of_http_status(status.code),
        // An answer that is not Kubernetes JSON: something else is at that address.
        kube::Error::SerdeError(_) => Cause::NotTheProtocol,
        kube::Error::Auth(_) | kube::Error::InferConfig(_) | kube::Error::BuildRequest(_) => {
            Cause::NotReached(NotReached::Other)
        }
        other => {
            let phase = if connect_failed(other) {
                Phase::Connect
            } else {
                Phase::Request
            };
            transport(other, phase).unwrap_or(match phase {
                Phase::Connect => Cause::NotReached(NotReached::Other),
                Phase::Request => Cause::Lost,
            })
        }
    }
}

/// Whether hyper's client says the failure happened while connecting (DNS, TCP, TLS).
fn connect_failed(e: &(dyn StdError + 'static)) -> bool {
    chain(e).iter().any(|l| {
        l.downcast_ref::<hyper_util::client::legacy::Error>()
            .is_some_and(|h| h.is_connect())
    })
}

/// An HTTP client (reqwest) error.
pub fn of_http(e: &reqwest::Error) -> Cause {
    if let Some(status) = e.status() {
        return of_http_status(status.as_u16());
    }
    let phase = if e.is_connect() {
        Phase::Connect
    } else {
        Phase::Request
    };
    if let Some(cause) = transport(e, phase) {
        return cause;
    }
    if e.is_timeout() {
        return timed_out(phase);
    }
    if e.is_decode() {
        return Cause::NotTheProtocol;
    }
    unexplained(phase)
}

/// A timeout: while connecting, nothing was sent; after, the outcome is unknown.
fn timed_out(phase: Phase) -> Cause {
    match phase {
        Phase::Connect => Cause::NotReached(NotReached::ConnectTimeout),
        Phase::Request => Cause::TimedOut,
    }
}

/// A failure no type explains: while connecting, nothing was sent; after, it may have been.
fn unexplained(phase: Phase) -> Cause {
    match phase {
        Phase::Connect => Cause::NotReached(NotReached::Other),
        Phase::Request => Cause::Lost,
    }
}

/// A PostgreSQL server's refusal by its SQLSTATE.
pub fn of_sqlstate(code: &tokio_postgres::error::SqlState) -> Refusal {
    use tokio_postgres::error::SqlState as S;
    match code.code() {
        c if c.starts_with("28") => Refusal::Unauthenticated,
        c if *code == S::INSUFFICIENT_PRIVILEGE || c.starts_with("42501") => Refusal::Forbidden,
        _ if *code == S::LOCK_NOT_AVAILABLE => Refusal::Locked,
        _ if *code == S::QUERY_CANCELED => Refusal::Canceled,
        _ if *code == S::READ_ONLY_SQL_TRANSACTION => Refusal::ReadOnly,
        _ if *code == S::TOO_MANY_CONNECTIONS
            || *code == S::CANNOT_CONNECT_NOW
            || *code == S::ADMIN_SHUTDOWN =>
        {
            Refusal::Unavailable
        }
        _ if *code == S::UNDEFINED_TABLE
            || *code == S::UNDEFINED_COLUMN
            || *code == S::UNDEFINED_DATABASE
            || *code == S::UNDEFINED_OBJECT
            || *code == S::UNDEFINED_FUNCTION =>
        {
            Refusal::NotFound
        }
        _ if *code == S::T_R_SERIALIZATION_FAILURE || *code == S::T_R_DEADLOCK_DETECTED => {
            Refusal::Conflict
        }
        c if c.starts_with("42") || c.starts_with("22") => Refusal::Invalid,
        _ => Refusal::Other,
    }
}

/// A failure to open a connection (name lookup, TCP, a Unix socket): nothing was sent.
pub fn of_connect(e: &io::Error) -> Cause {
    transport(e, Phase::Connect).unwrap_or(Cause::NotReached(NotReached::Other))
}

/// The weak password request a connection refused to answer, if that is why `e` happened.
pub fn withheld_password(e: &(dyn StdError + 'static)) -> Option<WithheldPassword> {
    chain(e)
        .iter()
        .find_map(|l| l.downcast_ref::<WithheldPassword>())
        .copied()
}

/// A PostgreSQL client error, while connecting or after.
pub fn of_postgres(e: &tokio_postgres::Error, phase: Phase) -> Cause {
    if let Some(withheld) = withheld_password(e) {
        return Cause::PasswordWithheld(withheld.method);
    }
    if let Some(code) = e.code() {
        return Cause::Refused(of_sqlstate(code));
    }
    if let Some(cause) = transport(e, phase) {
        return cause;
    }
    match phase {
        // No server error and no transport error while connecting: the answer was not
        // PostgreSQL's protocol.
        Phase::Connect => Cause::NotTheProtocol,
        Phase::Request => Cause::Lost,
    }
}

/// A Redis client error, while connecting or after.
pub fn of_redis(e: &redis::RedisError, phase: Phase) -> Cause {
    use redis::{ErrorKind as K, ServerErrorKind as S};
    match e.kind() {
        K::AuthenticationFailed => return Cause::Refused(Refusal::Unauthenticated),
        K::Server(S::NoPerm) => return Cause::Refused(Refusal::Forbidden),
        K::Server(S::ReadOnly) => return Cause::Refused(Refusal::ReadOnly),
        K::Server(S::BusyLoading | S::TryAgain | S::ClusterDown | S::MasterDown) => {
            return Cause::Refused(Refusal::Unavailable)
        }
        K::Server(_) => return Cause::Refused(Refusal::Other),
        K::Parse | K::UnexpectedReturnType => return Cause::NotTheProtocol,
        _ => {}
    }
    // Servers' error codes outside redis-rs's list (NOAUTH, WRONGPASS) are protocol codes.
    match e.code() {
        Some("NOAUTH" | "WRONGPASS") => return Cause::Refused(Refusal::Unauthenticated),
        Some(_) => return Cause::Refused(Refusal::Other),
        None => {}
    }
    if let Some(cause) = transport(e, phase) {
        return cause;
    }
    match phase {
        Phase::Connect => Cause::NotReached(NotReached::Other),
        Phase::Request => Cause::Lost,
    }
}

/// An SMTP server's reply code as a refusal: 4xx is "not now", 5xx "not this".
pub fn of_smtp_code(code: u16) -> Refusal {
    match code {
        530 | 534 | 535 | 538 => Refusal::Unauthenticated,
        550 | 551 | 553 => Refusal::NotFound,
        554 => Refusal::Forbidden,
        500..=504 | 552 | 555 => Refusal::Invalid,
        400..=499 => Refusal::Unavailable,
        _ => Refusal::Other,
    }
}

/// An SMTP client (lettre) error. `Phase::Connect` is everything before the message's bytes
/// go out (greeting, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA): nothing was delivered whatever
/// happened; `Phase::Request` is the message itself and the answer to its final dot.
pub fn of_smtp(e: &lettre::transport::smtp::Error, phase: Phase) -> Cause {
    // A reply code is the server's answer: refused, whatever the phase.
    if let Some(code) = e.status() {
        return Cause::Refused(of_smtp_code(u16::from(code)));
    }
    if let Some(cause) = transport(e, phase) {
        return cause;
    }
    if e.is_timeout() {
        return timed_out(phase);
    }
    if e.is_tls() {
        return Cause::Tls(TlsProblem::Other);
    }
    // An answer lettre could not read, or a command it would not send: not an SMTP server
    // as it expects one.
    if e.is_response() || e.is_client() {
        return Cause::NotTheProtocol;
    }
    unexplained(phase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io(kind: io::ErrorKind) -> io::Error {
        io::Error::new(kind, "whatever the library says")
    }

    #[test]
    fn only_lost_and_timed_out_leave_the_outcome_unknown() {
        for c in [
            Cause::NotReached(NotReached::ConnectionRefused),
            Cause::Tls(TlsProblem::UnknownIssuer),
            Cause::NotTheProtocol,
            Cause::Refused(Refusal::Conflict),
        ] {
            assert!(c.nothing_changed(), "{c:?}");
        }
        assert!(!Cause::Lost.nothing_changed());
        assert!(!Cause::TimedOut.nothing_changed());
    }

    #[test]
    fn io_kinds_read_by_phase() {
        let e = io(io::ErrorKind::ConnectionRefused);
        assert_eq!(
            transport(&e, Phase::Request),
            Some(Cause::NotReached(NotReached::ConnectionRefused))
        );
        let e = io(io::ErrorKind::TimedOut);
        assert_eq!(
            transport(&e, Phase::Connect),
            Some(Cause::NotReached(NotReached::ConnectTimeout))
        );
        assert_eq!(transport(&e, Phase::Request), Some(Cause::TimedOut));
        let e = io(io::ErrorKind::ConnectionReset);
        assert_eq!(transport(&e, Phase::Request), Some(Cause::Lost));
        assert_eq!(
            transport(&e, Phase::Connect),
            Some(Cause::NotReached(NotReached::Other))
        );
        let e = io(io::ErrorKind::Other);
        assert_eq!(
            transport(&e, Phase::Connect),
            Some(Cause::NotReached(NotReached::NameNotResolved))
        );
    }

    #[test]
    fn tls_errors_inside_io_errors_are_found_by_type() {
        let cases = [
            (
                rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
                TlsProblem::UnknownIssuer,
            ),
            (
                rustls::Error::InvalidCertificate(rustls::CertificateError::Expired),
                TlsProblem::Expired,
            ),
            (
                rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName),
                TlsProblem::NameMismatch,
            ),
            (
                rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired),
                TlsProblem::ClientCertificate,
            ),
            (
                rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
                TlsProblem::NotTls,
            ),
        ];
        for (tls, want) in cases {
            let wrapped = io::Error::new(io::ErrorKind::InvalidData, tls);
            assert_eq!(
                transport(&wrapped, Phase::Connect),
                Some(Cause::Tls(want)),
                "{want:?}"
            );
        }
    }

    #[test]
    fn a_withheld_password_is_found_by_type_inside_io_errors() {
        let withheld = WithheldPassword {
            method: WeakAuth::Md5,
            over: Unverified::TlsDeclined,
        };
        let wrapped = io::Error::other(io::Error::new(io::ErrorKind::PermissionDenied, withheld));
        assert_eq!(withheld_password(&wrapped), Some(withheld));
        assert_eq!(
            withheld_password(&io(io::ErrorKind::PermissionDenied)),
            None
        );
        let cause = Cause::PasswordWithheld(WeakAuth::Md5);
        assert!(cause.nothing_changed() && cause.reached());
    }

    #[test]
    fn redis_errors_are_read_through_the_arc_it_keeps_its_cause_in() {
        let tls = rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired);
        let e = redis::RedisError::from(io::Error::new(io::ErrorKind::InvalidData, tls));
        assert_eq!(
            of_redis(&e, Phase::Connect),
            Cause::Tls(TlsProblem::ClientCertificate)
        );
        let e = redis::RedisError::from(io(io::ErrorKind::ConnectionRefused));
        assert_eq!(
            of_redis(&e, Phase::Connect),
            Cause::NotReached(NotReached::ConnectionRefused)
        );
        let e = redis::RedisError::from(io(io::ErrorKind::ConnectionReset));
        assert_eq!(of_redis(&e, Phase::Request), Cause::Lost);
    }

    #[test]
    fn http_statuses_are_refusals_except_a_gateway_timeout() {
        assert_eq!(of_http_status(409), Cause::Refused(Refusal::Conflict));
        assert_eq!(of_http_status(403), Cause::Refused(Refusal::Forbidden));
        assert_eq!(
            of_http_status(401),
            Cause::Refused(Refusal::Unauthenticated)
        );
        assert_eq!(of_http_status(422), Cause::Refused(Refusal::Invalid));
        assert_eq!(of_http_status(503), Cause::Refused(Refusal::Unavailable));
        assert_eq!(of_http_status(500), Cause::Refused(Refusal::ServerError));
        assert_eq!(of_http_status(504), Cause::TimedOut);
    }

    #[test]
    fn smtp_reply_codes_are_refusals() {
        assert_eq!(of_smtp_code(535), Refusal::Unauthenticated);
        assert_eq!(of_smtp_code(550), Refusal::NotFound);
        assert_eq!(of_smtp_code(452), Refusal::Unavailable);
        assert_eq!(of_smtp_code(554), Refusal::Forbidden);
        assert_eq!(of_smtp_code(501), Refusal::Invalid);
    }

    #[test]
    fn sqlstates_map_to_refusals() {
        use tokio_postgres::error::SqlState as S;
        assert_eq!(of_sqlstate(&S::INVALID_PASSWORD), Refusal::Unauthenticated);
        assert_eq!(of_sqlstate(&S::INSUFFICIENT_PRIVILEGE), Refusal::Forbidden);
        assert_eq!(of_sqlstate(&S::LOCK_NOT_AVAILABLE), Refusal::Locked);
        assert_eq!(of_sqlstate(&S::QUERY_CANCELED), Refusal::Canceled);
        assert_eq!(of_sqlstate(&S::UNDEFINED_TABLE), Refusal::NotFound);
        assert_eq!(of_sqlstate(&S::TOO_MANY_CONNECTIONS), Refusal::Unavailable);
        assert_eq!(of_sqlstate(&S::SYNTAX_ERROR), Refusal::Invalid);
    }

    #[test]
    fn kube_api_statuses_are_refusals() {
        let status = |code: u16| {
            kube::Error::Api(Box::new(kube::core::Status {
                code,
                ..kube::core::Status::default()
            }))
        };
        assert_eq!(of_kube(&status(409)), Cause::Refused(Refusal::Conflict));
        assert_eq!(of_kube(&status(404)), Cause::Refused(Refusal::NotFound));
        assert_eq!(of_kube(&status(504)), Cause::TimedOut);
    }
}
