//! Keeps the password from a server that asks for it in a form that gives it away — cleartext,
//! or MD5 — over a connection whose server was not verified (issue 30, finding 10: a fake
//! server that declines TLS and asks for a cleartext password would otherwise receive it).
//!
//! tokio-postgres has no `require_auth` as libpq has: it answers whatever the server asks. So
//! the stream it reads is watched. The server's start-up messages are followed as they pass
//! (type byte, big-endian length) until AuthenticationOk, and the read that would complete a
//! cleartext or MD5 request fails with [`WithheldPassword`] instead: tokio-postgres acts only on
//! whole messages, so it never holds the request and never writes the password.
//!
//! A connection is watched on two layers: the socket, until TLS starts on it (the answer `S` to
//! the SSLRequest, or a direct TLS handshake), and the decrypted stream above a TLS session whose
//! certificate was not checked. Above a verified session nothing is watched: that server has
//! proved who it is.

use crate::types::failure::{Unverified, WeakAuth, WithheldPassword};
use postgres_protocol::message::backend::{Header, AUTHENTICATION_TAG};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, TlsConnect, TlsStream};

// The codes of the authentication requests that matter here (protocol, "Message Formats").
// postgres-protocol names them only in `Message::parse`, which wants the whole message: SASL
// messages would have to be held back whole to use it, where the code alone decides.
const AUTH_OK: i32 = 0;
const AUTH_CLEARTEXT: i32 = 3;
const AUTH_MD5: i32 = 5;

/// The SSLRequest tokio-postgres writes first for sslmode prefer and require: length 8, code
/// 80877103. The server answers it with one byte, not a message.
const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

#[derive(Debug, Clone, Copy)]
enum Reading {
    /// The one-byte answer to the SSLRequest: `S`, TLS follows; anything else, plaintext
    /// messages follow (tokio-postgres reads it the same way).
    SslAnswer,
    /// A message's type byte and length, `got` of its 5 bytes so far.
    Header { bytes: [u8; 5], got: usize },
    /// An authentication request's code, then `rest` more bytes of its body.
    AuthCode {
        bytes: [u8; 4],
        got: usize,
        rest: usize,
    },
    /// The rest of a message the watch does not need, passed on unread.
    Skip(usize),
}

fn next_message() -> Reading {
    Reading::Header {
        bytes: [0; 5],
        got: 0,
    }
}

fn skip(body: usize) -> Reading {
    if body == 0 {
        next_message()
    } else {
        Reading::Skip(body)
    }
}

/// Copies into `into[got..]` as much of `bytes` as fits; returns how many it took.
fn fill(into: &mut [u8], got: &mut usize, bytes: &[u8]) -> usize {
    let n = (into.len() - *got).min(bytes.len());
    into[*got..*got + n].copy_from_slice(&bytes[..n]);
    *got += n;
    n
}

/// Whether the watch goes on.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Watch {
    Watching,
    /// Authentication is over, TLS has taken over, or the bytes are not PostgreSQL's protocol
    /// (tokio-postgres says so itself): nothing more to watch.
    Done,
}

/// Follows the server's side of the start-up on one layer of a connection.
#[derive(Debug)]
pub(crate) struct AuthWatch {
    over: Unverified,
    reading: Reading,
    /// The first bytes the client wrote: an SSLRequest, or the start-up message.
    first_sent: [u8; 8],
    sent: usize,
}

impl AuthWatch {
    pub(crate) fn new(over: Unverified) -> Self {
        AuthWatch {
            over,
            reading: next_message(),
            first_sent: [0; 8],
            sent: 0,
        }
    }

    /// The client wrote `bytes`. An SSLRequest first means the next byte read is its answer.
    pub(crate) fn sent(&mut self, bytes: &[u8]) {
        if self.sent < SSL_REQUEST.len() {
            fill(&mut self.first_sent, &mut self.sent, bytes);
            if self.sent == SSL_REQUEST.len() && self.first_sent == SSL_REQUEST {
                self.reading = Reading::SslAnswer;
            }
        }
    }

    /// The server sent `bytes`. Err: they complete a weak password request.
    pub(crate) fn received(&mut self, mut bytes: &[u8]) -> Result<Watch, WithheldPassword> {
        while !bytes.is_empty() {
            match &mut self.reading {
                Reading::SslAnswer => {
                    if bytes[0] == b'S' {
                        // What follows is TLS; the layer above it is watched instead.
                        return Ok(Watch::Done);
                    }
                    self.over = Unverified::TlsDeclined;
                    self.reading = next_message();
                    bytes = &bytes[1..];
                }
                Reading::Skip(left) => {
                    let n = (*left).min(bytes.len());
                    *left -= n;
                    bytes = &bytes[n..];
                    if *left == 0 {
                        self.reading = next_message();
                    }
                }
                Reading::Header { bytes: head, got } => {
                    bytes = &bytes[fill(head, got, bytes)..];
                    if *got < head.len() {
                        continue;
                    }
                    let Ok(Some(header)) = Header::parse(head) else {
                        return Ok(Watch::Done);
                    };
                    // Header::parse refuses a length below 4 (the length counts itself).
                    let body = usize::try_from(header.len() - 4).unwrap_or(0);
                    self.reading = if header.tag() == AUTHENTICATION_TAG && body >= 4 {
                        Reading::AuthCode {
                            bytes: [0; 4],
                            got: 0,
                            rest: body - 4,
                        }
                    } else {
                        skip(body)
                    };
                }
                Reading::AuthCode {
                    bytes: code,
                    got,
                    rest,
                } => {
                    bytes = &bytes[fill(code, got, bytes)..];
                    if *got < code.len() {
                        continue;
                    }
                    let method = match i32::from_be_bytes(*code) {
                        AUTH_CLEARTEXT => WeakAuth::Cleartext,
                        AUTH_MD5 => WeakAuth::Md5,
                        AUTH_OK => return Ok(Watch::Done),
                        // SASL (SCRAM) and its continuations, or methods tokio-postgres refuses.
                        _ => {
                            self.reading = skip(*rest);
                            continue;
                        }
                    };
                    return Err(WithheldPassword {
                        method,
                        over: self.over,
                    });
                }
            }
        }
        Ok(Watch::Watching)
    }
}

fn refusal(withheld: WithheldPassword) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, withheld)
}

/// A stream whose server side is watched until authentication is over.
pub struct Guarded<S> {
    inner: S,
    /// None: not watched (authentication is over, TLS took over, or nothing to watch).
    watch: Option<AuthWatch>,
    /// Once a weak request was seen, every later read and write fails with it too: the
    /// password cannot go out whatever the client tries next.
    withheld: Option<WithheldPassword>,
}

impl<S> Guarded<S> {
    /// `inner`, watched as a connection `over` what it is (None: not watched).
    pub fn new(inner: S, over: Option<Unverified>) -> Self {
        Guarded {
            inner,
            watch: over.map(AuthWatch::new),
            withheld: None,
        }
    }

    /// TLS starts on this stream: it carries encrypted records from now on, watched above TLS.
    fn stop_watching(&mut self) {
        self.watch = None;
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(withheld) = this.withheld {
            return Poll::Ready(Err(refusal(withheld)));
        }
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        let Some(watch) = &mut this.watch else {
            return Poll::Ready(Ok(()));
        };
        match watch.received(&buf.filled()[before..]) {
            Ok(Watch::Watching) => {}
            Ok(Watch::Done) => this.watch = None,
            Err(withheld) => {
                // The client must not get the request's last bytes: un-read them.
                buf.set_filled(before);
                this.watch = None;
                this.withheld = Some(withheld);
                return Poll::Ready(Err(refusal(withheld)));
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(withheld) = this.withheld {
            return Poll::Ready(Err(refusal(withheld)));
        }
        let n = ready!(Pin::new(&mut this.inner).poll_write(cx, data))?;
        if let Some(watch) = &mut this.watch {
            watch.sent(&data[..n.min(data.len())]);
        }
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

impl<S: TlsStream + Unpin> TlsStream for Guarded<S> {
    // SCRAM-SHA-256-PLUS binds to the TLS session below the watch.
    fn channel_binding(&self) -> ChannelBinding {
        self.inner.channel_binding()
    }
}

/// Starts TLS on a watched socket: the socket stops being watched (it carries TLS records now)
/// and the decrypted stream is watched instead, as a connection `over` what it is (None: the
/// certificate is verified, or weak requests are allowed).
pub struct GuardedTls<T> {
    inner: T,
    over: Option<Unverified>,
}

impl<T> GuardedTls<T> {
    pub fn new(inner: T, over: Option<Unverified>) -> Self {
        GuardedTls { inner, over }
    }
}

impl<S, T> TlsConnect<Guarded<S>> for GuardedTls<T>
where
    T: TlsConnect<Guarded<S>>,
    T::Future: Send + 'static,
{
    type Stream = Guarded<T::Stream>;
    type Error = T::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Stream, T::Error>> + Send>>;

    fn connect(self, mut stream: Guarded<S>) -> Self::Future {
        stream.stop_watching();
        let over = self.over;
        let handshake = self.inner.connect(stream);
        Box::pin(async move { handshake.await.map(|tls| Guarded::new(tls, over)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn message(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![tag];
        m.extend_from_slice(&(body.len() as i32 + 4).to_be_bytes());
        m.extend_from_slice(body);
        m
    }

    fn auth(code: i32, extra: &[u8]) -> Vec<u8> {
        let mut body = code.to_be_bytes().to_vec();
        body.extend_from_slice(extra);
        message(b'R', &body)
    }

    /// What the watch says of `stream` fed in pieces cut at `cuts`, after `sent` was written.
    fn verdict(sent: &[u8], stream: &[u8], cuts: &[usize]) -> Result<Watch, WithheldPassword> {
        let mut watch = AuthWatch::new(Unverified::NoTls);
        watch.sent(sent);
        let mut at = 0;
        let mut ends: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
        ends.sort_unstable();
        ends.push(stream.len());
        for end in ends {
            if watch.received(&stream[at..end])? == Watch::Done {
                return Ok(Watch::Done);
            }
            at = end;
        }
        Ok(Watch::Watching)
    }

    const STARTUP: [u8; 8] = [0, 0, 0, 40, 0, 3, 0, 0];

    #[test]
    fn cleartext_and_md5_requests_are_withheld_and_say_how_the_connection_was_unverified() {
        let cleartext = verdict(&STARTUP, &auth(AUTH_CLEARTEXT, &[]), &[]);
        assert_eq!(
            cleartext,
            Err(WithheldPassword {
                method: WeakAuth::Cleartext,
                over: Unverified::NoTls
            })
        );
        // After an SSLRequest answered `N`: TLS was declined.
        let mut declined = b"N".to_vec();
        declined.extend(auth(AUTH_MD5, b"salt"));
        assert_eq!(
            verdict(&SSL_REQUEST, &declined, &[]),
            Err(WithheldPassword {
                method: WeakAuth::Md5,
                over: Unverified::TlsDeclined
            })
        );
    }

    #[test]
    fn tls_accepted_scram_and_authentication_ok_end_or_pass_the_watch() {
        // `S`: TLS records follow, watched above TLS, not here.
        let mut tls = b"S".to_vec();
        tls.extend(auth(AUTH_CLEARTEXT, &[]));
        assert_eq!(verdict(&SSL_REQUEST, &tls, &[]), Ok(Watch::Done));
        // SCRAM: SASL, its continuation and final message pass, then AuthenticationOk ends it.
        let mut scram = auth(10, b"SCRAM-SHA-256\0\0");
        scram.extend(auth(11, b"r=abc,s=def,i=4096"));
        scram.extend(auth(12, b"v=xyz"));
        assert_eq!(verdict(&STARTUP, &scram, &[3, 20, 21]), Ok(Watch::Watching));
        scram.extend(auth(AUTH_OK, &[]));
        assert_eq!(verdict(&STARTUP, &scram, &[7]), Ok(Watch::Done));
        // Whatever follows AuthenticationOk is not looked at.
        let mut after = auth(AUTH_OK, &[]);
        after.extend(auth(AUTH_CLEARTEXT, &[]));
        assert_eq!(verdict(&STARTUP, &after, &[]), Ok(Watch::Done));
    }

    #[test]
    fn other_messages_are_skipped_and_garbage_is_left_to_tokio_postgres() {
        let mut notice = message(b'N', b"SNOTICE\0Mhello\0\0");
        notice.extend(auth(AUTH_CLEARTEXT, &[]));
        assert!(verdict(&STARTUP, &notice, &[1, 9]).is_err());
        // A length below 4 is not PostgreSQL: the watch steps aside, tokio-postgres fails it.
        assert_eq!(verdict(&STARTUP, b"R\0\0\0\x01rest", &[]), Ok(Watch::Done));
        // Another protocol's banner reads as one huge message: skipped, the watch goes on.
        let banner = b"SSH-2.0-OpenSSH_9.2p1\r\n";
        assert_eq!(verdict(&STARTUP, banner, &[]), Ok(Watch::Watching));
    }

    proptest! {
        /// However the server's bytes are cut into reads, the request is found, in the read
        /// that completes its code, and never earlier.
        #[test]
        fn a_weak_request_is_found_however_the_reads_are_cut(
            cuts in proptest::collection::vec(0usize..64, 0..6),
            md5 in any::<bool>(),
        ) {
            let mut stream = message(b'N', b"SNOTICE\0Mbefore\0\0");
            let request = if md5 { auth(AUTH_MD5, b"salt") } else { auth(AUTH_CLEARTEXT, &[]) };
            stream.extend(&request);
            let whole = verdict(&STARTUP, &stream, &cuts);
            prop_assert!(whole.is_err(), "{whole:?}");
            // One byte short of the code, it is not yet a request.
            let code_end = stream.len() - request.len() + 9;
            prop_assert_eq!(verdict(&STARTUP, &stream[..code_end - 1], &cuts), Ok(Watch::Watching));
        }
    }
}
