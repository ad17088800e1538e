//! A PostgreSQL impostor: something at a PostgreSQL address that declines TLS (or offers it, with
//! a certificate of its own CA) and asks the client for a cleartext or MD5 password, and records
//! whether one came. It shows what a client gives to whoever answers at a database's address,
//! which a real server cannot: it never says what it received.
//!
//! It speaks just enough of the protocol: the answer to an SSLRequest, the start-up message, one
//! authentication request; after a PasswordMessage, AuthenticationOk, BackendKeyData and
//! ReadyForQuery (the client is then connected; its queries get no answer).

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_rustls::rustls;

/// The password method it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Cleartext,
    /// MD5, with this salt.
    Md5([u8; 4]),
}

/// Its answer to the client's SSLRequest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// `N`: plaintext, as a server without TLS (or an attacker in the path) answers.
    Decline,
    /// `S`, then a TLS handshake with a certificate for localhost and 127.0.0.1.
    Offer,
}

/// What one connection did, told once it ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Seen {
    /// The client sent an SSLRequest first.
    pub asked_for_tls: bool,
    /// The start-up message's `user`: the client got as far as authentication.
    pub user: Option<String>,
    /// The PasswordMessage's body, if one came: the password and a NUL for cleartext; `md5`,
    /// 32 hex digits and a NUL for MD5.
    pub password: Option<Vec<u8>>,
}

pub struct Impostor {
    pub addr: SocketAddr,
    /// The CA that signed its certificate, PEM: for a client that verifies it.
    pub ca_pem: String,
    seen: Mutex<mpsc::Receiver<Seen>>,
}

const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

impl Impostor {
    /// Listens on 127.0.0.1 (a free port), answering every connection as `tls` and `ask` say.
    pub fn start(ask: Ask, tls: Tls) -> Result<Impostor, String> {
        let (ca_pem, config) = server_config()?;
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
        let addr = listener.local_addr().map_err(|e| format!("address: {e}"))?;
        let (tell, seen) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (tell, config) = (tell.clone(), config.clone());
                std::thread::spawn(move || {
                    let mut seen = Seen::default();
                    // Told when the client is connected or the conversation ends, whatever
                    // ended it.
                    let connected = converse(stream, ask, tls, config, &mut seen);
                    let _ = tell.send(seen);
                    // Hold the connection until the client leaves.
                    if let Ok(Some(mut conn)) = connected {
                        let mut rest = [0u8; 4096];
                        while conn.read(&mut rest).is_ok_and(|n| n > 0) {}
                    }
                });
            }
        });
        Ok(Impostor {
            addr,
            ca_pem,
            seen: Mutex::new(seen),
        })
    }

    /// What the next connection did, once it ended or the client was connected; None if that
    /// did not happen within `wait`.
    pub fn next(&self, wait: Duration) -> Option<Seen> {
        self.seen.lock().ok()?.recv_timeout(wait).ok()
    }
}

trait Conn: Read + Write + Send {}
impl<T: Read + Write + Send> Conn for T {}

/// The conversation up to authentication; the connection, if the client is now connected.
fn converse(
    mut tcp: TcpStream,
    ask: Ask,
    tls: Tls,
    config: Arc<rustls::ServerConfig>,
    seen: &mut Seen,
) -> io::Result<Option<Box<dyn Conn>>> {
    tcp.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut first = [0u8; 8];
    tcp.read_exact(&mut first)?;
    seen.asked_for_tls = first == SSL_REQUEST;
    let mut conn: Box<dyn Conn> = match (seen.asked_for_tls, tls) {
        (true, Tls::Offer) => {
            tcp.write_all(b"S")?;
            let session = rustls::ServerConnection::new(config).map_err(io::Error::other)?;
            Box::new(rustls::StreamOwned::new(session, tcp))
        }
        (true, Tls::Decline) => {
            tcp.write_all(b"N")?;
            Box::new(tcp)
        }
        (false, _) => Box::new(tcp),
    };
    // The start-up message: length, protocol version, then NUL-terminated names and values.
    let startup = if seen.asked_for_tls {
        let mut length = [0u8; 4];
        conn.read_exact(&mut length)?;
        read_rest(&mut conn, length, 4)?
    } else {
        let length = [first[0], first[1], first[2], first[3]];
        let mut body = first[4..].to_vec();
        body.extend(read_rest(&mut conn, length, 8)?);
        body
    };
    let mut fields = startup.get(4..).unwrap_or_default().split(|b| *b == 0);
    while let (Some(name), Some(value)) = (fields.next(), fields.next()) {
        if name == b"user" {
            seen.user = Some(String::from_utf8_lossy(value).into_owned());
        }
    }
    conn.write_all(&match ask {
        Ask::Cleartext => message(b'R', &3i32.to_be_bytes()),
        Ask::Md5(salt) => message(b'R', &[&5i32.to_be_bytes()[..], &salt].concat()),
    })?;
    conn.flush()?;
    let mut tag = [0u8; 1];
    conn.read_exact(&mut tag)?;
    let mut length = [0u8; 4];
    conn.read_exact(&mut length)?;
    let body = read_rest(&mut conn, length, 4)?;
    if tag[0] != b'p' {
        return Ok(None);
    }
    seen.password = Some(body);
    conn.write_all(&message(b'R', &0i32.to_be_bytes()))?;
    conn.write_all(&message(b'K', &[0, 0, 0, 42, 0, 0, 0, 7]))?;
    conn.write_all(&message(b'Z', b"I"))?;
    conn.flush()?;
    Ok(Some(conn))
}

/// The rest of a message whose big-endian `length` (counting itself) was read, `read` bytes of
/// it already.
fn read_rest(conn: &mut dyn Conn, length: [u8; 4], read: usize) -> io::Result<Vec<u8>> {
    let total = usize::try_from(i32::from_be_bytes(length)).unwrap_or(0);
    if !(read..=1 << 20).contains(&total) {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "bad length"));
    }
    let mut body = vec![0u8; total - read];
    conn.read_exact(&mut body)?;
    Ok(body)
}

fn message(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![tag];
    m.extend_from_slice(&(body.len() as i32 + 4).to_be_bytes());
    m.extend_from_slice(body);
    m
}

/// A CA of its own and a certificate it signs for localhost and 127.0.0.1.
fn server_config() -> Result<(String, Arc<rustls::ServerConfig>), String> {
    fn e(what: &'static str) -> impl Fn(rcgen::Error) -> String {
        move |err| format!("{what}: {err}")
    }
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(e("CA"))?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "PostgreSQL impostor CA");
    let ca_key = KeyPair::generate().map_err(e("CA key"))?;
    let ca_pem = ca.self_signed(&ca_key).map_err(e("CA certificate"))?.pem();
    let issuer = Issuer::new(ca, ca_key);
    let leaf = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .map_err(e("certificate"))?;
    let key = KeyPair::generate().map_err(e("key"))?;
    let cert = leaf.signed_by(&key, &issuer).map_err(e("certificate"))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("TLS versions: {e}"))?
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    )
    .map_err(|e| format!("TLS configuration: {e}"))?;
    Ok((ca_pem, Arc::new(config)))
}
