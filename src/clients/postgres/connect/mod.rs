//! Opens PostgreSQL connections with the password kept from servers that have not earned it
//! (see [`guard`]). To watch the plaintext stream the socket must be incidentctl's, so it is
//! opened here and handed to tokio-postgres's `Config::connect_raw`; the host list is walked
//! here as tokio-postgres's own `connect` walks it: hosts and hostaddrs in turn (shuffled with
//! `load_balance_hosts=random`), every address of a name, the connect timeout per address, its
//! TCP keepalives and user timeout, and `target_session_attrs`. On a Unix socket no TLS is
//! tried, whatever sslmode says, as libpq does.

pub mod guard;

use crate::types::failure::Unverified;
use guard::{Guarded, GuardedTls};
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_postgres::config::{Host, LoadBalanceHosts, SslMode, TargetSessionAttrs};
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{Client, Config, NoTls, SimpleQueryMessage};

/// A connection's socket: TCP, or a Unix socket for a host that is a directory. (An enum, not
/// a boxed trait object: rustc cannot prove a start-up future Send when it holds a `dyn` whose
/// lifetime the TLS connector needs to be 'static.)
pub enum Socket {
    Tcp(tokio::net::TcpStream),
    Unix(tokio::net::UnixStream),
}

impl AsyncRead for Socket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Socket::Unix(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Socket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        data: &[u8],
    ) -> std::task::Poll<io::Result<usize>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_write(cx, data),
            Socket::Unix(s) => Pin::new(s).poll_write(cx, data),
        }
    }

    fn poll_flush(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_flush(cx),
            Socket::Unix(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Socket::Unix(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}

/// Where weak password requests (cleartext, MD5) are refused: on plaintext connections, and
/// above TLS whose certificate was not checked. Neither with
/// `postgres.allow_insecure_password_auth`; a verified TLS session never is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    pub plaintext: bool,
    pub unverified_tls: bool,
}

/// Why no connection was made.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL's hosts, hostaddrs and ports do not go together.
    #[error("{0}")]
    Invalid(String),
    /// No connection: the socket could not be opened.
    #[error("error connecting to server: {0}")]
    Connect(#[source] io::Error),
    /// The server is not of the kind `target_session_attrs` asks for.
    #[error("error connecting to server: {0}")]
    Session(&'static str),
    /// The host is not a name a certificate can be checked against.
    #[error("error performing TLS handshake: {0}")]
    ServerName(#[source] rustls::pki_types::InvalidDnsNameError),
    /// TLS, the start-up or authentication failed (a withheld password among them).
    #[error(transparent)]
    Postgres(#[from] tokio_postgres::Error),
}

/// One place to try.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Addr {
    Tcp(String),
    Unix(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    addr: Addr,
    /// The name a certificate must show: the host, else the hostaddr.
    server_name: String,
    port: u16,
}

/// Connects as `config` says, with TLS from `tls` (None: sslmode=disable), watching for weak
/// password requests where `watch` says. The first host that connects wins; else the last
/// failure is returned, as tokio-postgres does.
pub async fn connect(
    config: &Config,
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    watch: Watch,
) -> Result<Client, ConnectError> {
    let mut last = None;
    for target in targets(config)? {
        match connect_target(config, &target, tls.as_ref(), watch).await {
            Ok(client) => return Ok(client),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| ConnectError::Invalid("no host to connect to".into())))
}

/// The hosts to try, in order, as tokio-postgres pairs hosts, hostaddrs and ports.
fn targets(config: &Config) -> Result<Vec<Target>, ConnectError> {
    let (hosts, hostaddrs, ports) = (
        config.get_hosts(),
        config.get_hostaddrs(),
        config.get_ports(),
    );
    if hosts.is_empty() && hostaddrs.is_empty() {
        return Err(ConnectError::Invalid(
            "both host and hostaddr are missing".into(),
        ));
    }
    if !hosts.is_empty() && !hostaddrs.is_empty() && hosts.len() != hostaddrs.len() {
        return Err(ConnectError::Invalid(format!(
            "number of hosts ({}) is different from number of hostaddrs ({})",
            hosts.len(),
            hostaddrs.len()
        )));
    }
    let count = hosts.len().max(hostaddrs.len());
    if ports.len() > 1 && ports.len() != count {
        return Err(ConnectError::Invalid("invalid number of ports".into()));
    }
    let mut targets = Vec::with_capacity(count);
    for i in 0..count {
        let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
        let host = match hosts.get(i) {
            Some(Host::Tcp(name)) => Some(Addr::Tcp(name.clone())),
            Some(Host::Unix(dir)) => Some(Addr::Unix(dir.clone())),
            None => None,
        };
        // hostaddr, when given, is where to connect; the host stays the certificate's name.
        let (addr, server_name) = match (hostaddrs.get(i), host) {
            (Some(ip), Some(Addr::Tcp(name))) => (Addr::Tcp(ip.to_string()), name),
            (Some(ip), _) => (Addr::Tcp(ip.to_string()), ip.to_string()),
            (None, Some(Addr::Tcp(name))) => (Addr::Tcp(name.clone()), name),
            (None, Some(unix)) => (unix, String::new()),
            (None, None) => continue,
        };
        targets.push(Target {
            addr,
            server_name,
            port,
        });
    }
    if config.get_load_balance_hosts() == LoadBalanceHosts::Random {
        shuffle(&mut targets);
    }
    Ok(targets)
}

/// A random order for load balancing (not for secrets): std's per-process random hash keys.
fn shuffle<T>(items: &mut [T]) {
    use std::hash::BuildHasher;
    let random = std::collections::hash_map::RandomState::new();
    for i in (1..items.len()).rev() {
        let j = (random.hash_one(i) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

async fn connect_target(
    config: &Config,
    target: &Target,
    tls: Option<&tokio_postgres_rustls::MakeRustlsConnect>,
    watch: Watch,
) -> Result<Client, ConnectError> {
    let timeout = config.get_connect_timeout().copied();
    let host = match &target.addr {
        Addr::Unix(dir) => {
            let path = dir.join(format!(".s.PGSQL.{}", target.port));
            let socket = within(timeout, tokio::net::UnixStream::connect(path)).await?;
            // libpq tries no TLS on a Unix socket, whatever sslmode says.
            let mut plain = config.clone();
            plain.ssl_mode(SslMode::Disable);
            return handshake(&plain, Socket::Unix(socket), target, None, watch).await;
        }
        Addr::Tcp(host) => host,
    };
    let mut addrs: Vec<_> = tokio::net::lookup_host((host.clone(), target.port))
        .await
        .map_err(ConnectError::Connect)?
        .collect();
    if config.get_load_balance_hosts() == LoadBalanceHosts::Random {
        shuffle(&mut addrs);
    }
    let mut last = None;
    for addr in addrs {
        let attempt = async {
            let socket = within(timeout, tokio::net::TcpStream::connect(addr)).await?;
            tcp_options(&socket, config).map_err(ConnectError::Connect)?;
            handshake(config, Socket::Tcp(socket), target, tls, watch).await
        };
        match attempt.await {
            Ok(client) => return Ok(client),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        ConnectError::Connect(io::Error::new(
            io::ErrorKind::InvalidInput,
            "could not resolve any addresses",
        ))
    }))
}

/// `connect`, given at most `timeout`.
async fn within<T>(
    timeout: Option<Duration>,
    connect: impl std::future::Future<Output = io::Result<T>>,
) -> Result<T, ConnectError> {
    let done = match timeout {
        Some(limit) => tokio::time::timeout(limit, connect)
            .await
            .unwrap_or_else(|_| {
                Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection timed out",
                ))
            }),
        None => connect.await,
    };
    done.map_err(ConnectError::Connect)
}

/// The socket options tokio-postgres sets: no Nagle delay, keepalives, the TCP user timeout.
fn tcp_options(socket: &tokio::net::TcpStream, config: &Config) -> io::Result<()> {
    socket.set_nodelay(true)?;
    let options = socket2::SockRef::from(socket);
    if let Some(limit) = config.get_tcp_user_timeout() {
        options.set_tcp_user_timeout(Some(*limit))?;
    }
    if config.get_keepalives() {
        let mut keepalive = socket2::TcpKeepalive::new().with_time(config.get_keepalives_idle());
        if let Some(interval) = config.get_keepalives_interval() {
            keepalive = keepalive.with_interval(interval);
        }
        if let Some(retries) = config.get_keepalives_retries() {
            keepalive = keepalive.with_retries(retries);
        }
        options.set_tcp_keepalive(&keepalive)?;
    }
    Ok(())
}

/// TLS (as sslmode says), start-up and authentication over `socket`, watched.
async fn handshake(
    config: &Config,
    socket: Socket,
    target: &Target,
    tls: Option<&tokio_postgres_rustls::MakeRustlsConnect>,
    watch: Watch,
) -> Result<Client, ConnectError> {
    let stream = Guarded::new(socket, watch.plaintext.then_some(Unverified::NoTls));
    // The connection task ends when the client is dropped; an error there is already reported
    // to the queries waiting on it. (Two branches: its type depends on the TLS stream.)
    let client = match tls {
        Some(make) => {
            let mut make = make.clone();
            let connector =
                MakeTlsConnect::<Guarded<Socket>>::make_tls_connect(&mut make, &target.server_name)
                    .map_err(ConnectError::ServerName)?;
            let over = watch
                .unverified_tls
                .then_some(Unverified::CertificateNotChecked);
            let (client, connection) = config
                .connect_raw(stream, GuardedTls::new(connector, over))
                .await?;
            tokio::spawn(connection);
            client
        }
        None => {
            let (client, connection) = config.connect_raw(stream, NoTls).await?;
            tokio::spawn(connection);
            client
        }
    };
    check_session(&client, config.get_target_session_attrs()).await?;
    Ok(client)
}

/// `target_session_attrs`: a read-write or read-only session, asked as tokio-postgres asks.
async fn check_session(client: &Client, wanted: TargetSessionAttrs) -> Result<(), ConnectError> {
    if wanted == TargetSessionAttrs::Any {
        return Ok(());
    }
    let answer = client.simple_query("SHOW transaction_read_only").await?;
    let read_only = answer.iter().find_map(|m| match m {
        SimpleQueryMessage::Row(row) => row.get(0),
        _ => None,
    });
    let refused = match (wanted, read_only) {
        (TargetSessionAttrs::ReadWrite, Some("on")) => "database does not allow writes",
        (TargetSessionAttrs::ReadOnly, Some("off")) => "database is not read only",
        _ => return Ok(()),
    };
    Err(ConnectError::Session(refused))
}

#[cfg(test)]
mod tests {
    //! Connections, made as every PostgreSQL connection of incidentctl is (`open_postgres`), to an
    //! impostor that asks for a cleartext or MD5 password and tells what it received.

    use crate::clients::postgres::open_postgres;
    use crate::settings::Settings;
    use crate::types::failure::{Cause, WeakAuth};
    use crate::types::CheckError;
    use incidentctl_sandbox::pg_impostor::{Ask, Impostor, Seen, Tls};
    use std::time::Duration;

    const PASSWORD: &str = "impostor-bait-4c1e";

    fn impostor(ask: Ask, tls: Tls) -> Impostor {
        Impostor::start(ask, tls).unwrap_or_else(|e| panic!("the impostor could not start: {e}"))
    }

    /// The impostor's URL with `params`, and `postgres` settings `extra`, as a config file says them.
    fn settings(at: &Impostor, params: &str, extra: &str) -> Settings {
        let text = format!(
            "timeout = \"5s\"\n[postgres]\nurl = \"postgres://oncall:{PASSWORD}@127.0.0.1:{}/app?{params}\"\n{extra}",
            at.addr.port()
        );
        Settings::from_config_text(&text).unwrap_or_else(|e| panic!("{e}"))
    }

    async fn connect(settings: &Settings) -> Result<tokio_postgres::Client, CheckError> {
        let pg = &settings.postgres;
        open_postgres(&pg.url, pg.password.as_ref(), settings).await
    }

    /// Connects, and checks first of all that the impostor got no password; then the refusal.
    async fn refused(at: &Impostor, settings: &Settings) -> (CheckError, Seen) {
        let result = connect(settings).await;
        let seen = seen(at);
        assert_eq!(seen.password, None, "the impostor got a password");
        let Err(e) = result else {
            panic!("the connection must be refused")
        };
        (e, seen)
    }

    /// What the impostor saw of the one connection made.
    fn seen(at: &Impostor) -> Seen {
        let seen = at
            .next(Duration::from_secs(10))
            .expect("the impostor saw no connection end");
        // Proves the test reached the password question: a connection that failed earlier would
        // withhold the password for some other reason.
        assert_eq!(seen.user.as_deref(), Some("oncall"), "{seen:?}");
        seen
    }

    /// The refusal: its typed cause, one line naming the server, and the ways out.
    fn assert_withheld(e: &CheckError, method: WeakAuth, over: &str, at: &Impostor) {
        assert_eq!(e.cause, Some(Cause::PasswordWithheld(method)), "{e:?}");
        let asked = match method {
            WeakAuth::Cleartext => "asked for a cleartext password over an unverified connection",
            WeakAuth::Md5 => "asked for an MD5 password over an unverified connection",
        };
        for words in [&at.addr.to_string(), asked, over, "no password was sent"] {
            assert!(e.message.contains(words), "{words:?} in: {}", e.message);
        }
        assert!(!e.message.contains('\n') && !e.message.contains(PASSWORD));
        let hint = e.hint.as_deref().unwrap_or_default();
        for words in [
            "sslmode=verify-full",
            "scram-sha-256",
            "postgres.allow_insecure_password_auth",
        ] {
            assert!(hint.contains(words), "{words:?} in the hint: {hint}");
        }
    }

    #[tokio::test]
    async fn a_server_that_declines_tls_gets_no_cleartext_password() {
        let at = impostor(Ask::Cleartext, Tls::Decline);
        // sslmode=prefer, libpq's default and ours.
        let (e, seen) = refused(&at, &settings(&at, "", "")).await;
        assert_withheld(
            &e,
            WeakAuth::Cleartext,
            "no TLS: the server declined it",
            &at,
        );
        assert!(seen.asked_for_tls);
    }

    #[tokio::test]
    async fn a_plaintext_connection_gives_no_md5_password() {
        let at = impostor(Ask::Md5(*b"salt"), Tls::Decline);
        let (e, seen) = refused(&at, &settings(&at, "sslmode=disable", "")).await;
        assert_withheld(&e, WeakAuth::Md5, "(no TLS)", &at);
        assert!(!seen.asked_for_tls);
    }

    #[tokio::test]
    async fn tls_with_an_unchecked_certificate_gives_no_password_either() {
        for (ask, method) in [
            (Ask::Cleartext, WeakAuth::Cleartext),
            (Ask::Md5(*b"salt"), WeakAuth::Md5),
        ] {
            let at = impostor(ask, Tls::Offer);
            let (e, seen) = refused(&at, &settings(&at, "sslmode=require", "")).await;
            assert_withheld(&e, method, "TLS, but its certificate was not verified", &at);
            assert!(seen.asked_for_tls);
        }
    }

    #[tokio::test]
    async fn the_opt_out_sends_the_password_so_the_impostor_can_see_it() {
        let at = impostor(Ask::Cleartext, Tls::Decline);
        let allow = "allow_insecure_password_auth = true";
        connect(&settings(&at, "", allow))
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            seen(&at).password,
            Some(format!("{PASSWORD}\0").into_bytes())
        );
    }

    #[tokio::test]
    async fn a_verified_server_may_ask_for_md5() {
        let at = impostor(Ask::Md5(*b"salt"), Tls::Offer);
        let dir = tempfile::tempdir().expect("temp dir");
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, &at.ca_pem).expect("write the CA");
        let verified = settings(
            &at,
            &format!("sslmode=verify-full&sslrootcert={}", ca.display()),
            "",
        );
        connect(&verified).await.unwrap_or_else(|e| panic!("{e:?}"));
        let password = seen(&at).password.expect("the MD5 answer");
        assert!(
            password.starts_with(b"md5") && password.len() == 36,
            "{password:?}"
        );
    }

    #[tokio::test]
    async fn the_incident_store_connects_the_same_way() {
        let at = impostor(Ask::Cleartext, Tls::Decline);
        let s = settings(&at, "", "");
        let result = crate::report::store::PgStore::open(&s.postgres.url, &s).await;
        assert_eq!(seen(&at).password, None, "the impostor got a password");
        let Err(e) = result else {
            panic!("the store connected to the impostor");
        };
        assert!(e.to_string().contains("no password was sent"), "{e}");
    }

    #[tokio::test]
    async fn several_hosts_are_tried_in_turn_and_each_is_watched() {
        let at = impostor(Ask::Cleartext, Tls::Decline);
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut config = tokio_postgres::Config::new();
        config
            .user("oncall")
            .password(PASSWORD)
            .host("127.0.0.1")
            .port(closed)
            .host("127.0.0.1")
            .port(at.addr.port());
        let watch = super::Watch {
            plaintext: true,
            unverified_tls: true,
        };
        let Err(e) = super::connect(&config, None, watch).await else {
            panic!("the connection must be refused")
        };
        let super::ConnectError::Postgres(e) = e else {
            panic!("the last host's failure is returned: {e:?}");
        };
        assert!(
            crate::types::failure::withheld_password(&e).is_some(),
            "{e}"
        );
        assert_eq!(seen(&at).password, None);
    }

    #[test]
    fn hosts_hostaddrs_and_ports_pair_as_tokio_postgres_pairs_them() {
        use super::{targets, Addr, Target};
        let target = |addr: Addr, name: &str, port| Target {
            addr,
            server_name: name.into(),
            port,
        };
        let config: tokio_postgres::Config =
            "host=db.internal,/run/pg hostaddr=10.0.0.7,10.0.0.8 port=5433"
                .parse()
                .expect("config");
        // hostaddr is where to connect; the host stays the name the certificate must show.
        assert_eq!(
            targets(&config).expect("targets"),
            [
                target(Addr::Tcp("10.0.0.7".into()), "db.internal", 5433),
                target(Addr::Tcp("10.0.0.8".into()), "10.0.0.8", 5433),
            ]
        );
        let config: tokio_postgres::Config = "host=a,/run/pg".parse().expect("config");
        assert_eq!(
            targets(&config).expect("targets"),
            [
                target(Addr::Tcp("a".into()), "a", 5432),
                target(Addr::Unix("/run/pg".into()), "", 5432),
            ]
        );
        for bad in [
            "host=a,b hostaddr=10.0.0.1",
            "host=a,b,c port=1,2",
            "dbname=x",
        ] {
            let config: tokio_postgres::Config = bad.parse().expect("config");
            assert!(
                matches!(targets(&config), Err(super::ConnectError::Invalid(_))),
                "{bad}"
            );
        }
    }
}
