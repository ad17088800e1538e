//! Test support: real servers (sandbox worlds) shared by the tests of one binary, and a way to
//! run the real incidentctl binary against them with a clean environment.

#![allow(dead_code)]

pub mod pki;

use incidentctl_sandbox::scenario::Scenario;
use incidentctl_sandbox::servers;
use incidentctl_sandbox::world::{Kubernetes, World};
use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The world in `cell`, started on first use; a module whose tests change their world keeps
/// its own cell.
pub fn world(cell: &'static OnceLock<Result<World, String>>, scenario: Scenario) -> &'static World {
    let result = cell.get_or_init(|| {
        // Statics are never dropped: the servers are killed when the test binary exits.
        servers::kill_all_at_exit();
        World::start(scenario, Kubernetes::Real)
    });
    match result {
        Ok(w) => w,
        // Fail, never skip: a server that cannot start is a test failure with its reason.
        Err(e) => panic!("the {scenario:?} sandbox could not start: {e}"),
    }
}

/// The seeded incident, shared by the modules that only read it.
pub fn incident() -> &'static World {
    static CELL: OnceLock<Result<World, String>> = OnceLock::new();
    world(&CELL, Scenario::Incident)
}

/// The same platform, healthy.
pub fn healthy() -> &'static World {
    static CELL: OnceLock<Result<World, String>> = OnceLock::new();
    world(&CELL, Scenario::Healthy)
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// All text the user saw.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// A PostgreSQL server of a test module's own, started once (in `cell`) and set up with
/// `setup` SQL; removed when the test binary exits. `what` names it when it cannot start.
pub fn own_postgres(
    cell: &'static OnceLock<Result<(tempfile::TempDir, servers::Postgres), String>>,
    what: &str,
    setup: &str,
) -> &'static servers::Postgres {
    let result = cell.get_or_init(|| {
        servers::kill_all_at_exit();
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        // Kept in a static, never dropped: removed when the binary exits.
        servers::remove_at_exit(dir.path());
        let pg = servers::Postgres::start(dir.path(), &[]).map_err(|e| e.to_string())?;
        if !setup.is_empty() {
            pg.psql("postgres", setup).map_err(|e| e.to_string())?;
        }
        Ok((dir, pg))
    });
    match result {
        Ok((_, pg)) => pg,
        Err(e) => panic!("PostgreSQL for {what} could not start: {e}"),
    }
}

/// Runs the real binary with only PATH, HOME, the world's environment and `env`; no stdin.
pub fn incidentctl(world: Option<&World>, args: &[&str], env: &[(&str, &str)]) -> Run {
    incidentctl_in(&std::env::temp_dir(), world, args, env)
}

/// As `incidentctl`, in the directory `cwd`.
pub fn incidentctl_in(
    cwd: &std::path::Path,
    world: Option<&World>,
    args: &[&str],
    env: &[(&str, &str)],
) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_incidentctl"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env(
            "XDG_CONFIG_HOME",
            std::env::temp_dir().join("incidentctl-tests-no-config"),
        )
        .current_dir(cwd)
        .stdin(Stdio::null());
    if let Some(w) = world {
        cmd.envs(w.env());
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let output = cmd.output().expect("run incidentctl");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// Whether the real API server's RBAC, as it is now, lets `user` (in `groups`) do what
/// `resource_attributes` describes (a SubjectAccessReview, asked as the admin).
pub fn access_allowed(
    world: &World,
    user: &str,
    groups: &[&str],
    resource_attributes: serde_json::Value,
) -> bool {
    let review = serde_json::json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
        "spec": {"user": user, "groups": groups, "resourceAttributes": resource_attributes}});
    let answer = world
        .kube(
            "POST",
            "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            Some(&review),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    answer["status"]["allowed"] == true
}

/// RBAC changes reach the authorizer through a cache: waits until it answers `want`.
pub fn wait_for_access(
    world: &World,
    user: &str,
    groups: &[&str],
    resource_attributes: serde_json::Value,
    want: bool,
) {
    for _ in 0..100 {
        if access_allowed(world, user, groups, resource_attributes.clone()) == want {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("RBAC never answered allowed={want} for {user} {resource_attributes}");
}

/// `text` with the scenario's pod names (`backend-7c9d8f6b5-fghij`) replaced by the names of
/// the pods standing for them in the world's cluster (the controllers name real pods).
pub fn real_pod_names(world: &World, namespace: &str, text: &str) -> String {
    let mut out = text.to_string();
    for scenario_pod in [
        "backend-7c9d8f6b5-abcde",
        "backend-7c9d8f6b5-fghij",
        "frontend-5f6b7c8d9-klmno",
        "frontend-5f6b7c8d9-pqrst",
        "nginx-6d5c4b3a2-uvwxy",
    ] {
        if out.contains(scenario_pod) {
            let real = world
                .cluster
                .pod_name(namespace, scenario_pod)
                .unwrap_or_else(|| panic!("no pod stands for {scenario_pod} in {namespace}"));
            out = out.replace(scenario_pod, &real);
        }
    }
    out
}

/// The `checks[]` element with this id.
pub fn check<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["checks"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no check {id} in {doc:#}"))
}

pub fn status<'a>(doc: &'a serde_json::Value, id: &str) -> &'a str {
    check(doc, id)["status"].as_str().unwrap_or("?")
}

/// A TCP server that accepts connections and never answers (a hung target).
pub fn hung_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten() {
            // Read what the client sends so it does not see a reset; never write back.
            let mut buf = [0u8; 1024];
            let _ = stream.set_nonblocking(true);
            let _ = stream.read(&mut buf);
            held.push(stream);
        }
    });
    addr
}

/// A loopback port with nothing listening (a down target).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}

/// Ways a server can be broken, for the fault matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Nothing listens: connection refused.
    Refused,
    /// Accepts and never answers.
    Hangs,
    /// Starts an answer and resets the connection in the middle of it.
    Resets,
    /// 200 with an HTML page (a login portal, a proxy error page).
    Html,
    /// 200 that claims JSON and is not.
    BadJson,
    /// Speaks another protocol (an SSH banner).
    WrongProtocol,
    /// An HTTP status with a JSON error body.
    Http(u16),
    /// A well-formed answer, but only after the client's timeout (1 s in the matrix).
    Slow,
    /// A host name that does not resolve (`.invalid` is reserved for that, RFC 6761).
    Unresolvable,
    /// TLS with a certificate from a CA nobody trusts (PostgreSQL's SSLRequest is accepted first).
    WrongCa,
}

impl Fault {
    pub fn name(self) -> String {
        match self {
            Fault::Refused => "connection refused".into(),
            Fault::Hangs => "accepts, never answers".into(),
            Fault::Resets => "resets mid-response".into(),
            Fault::Html => "HTML page with 200".into(),
            Fault::BadJson => "invalid JSON with 200".into(),
            Fault::WrongProtocol => "wrong protocol".into(),
            Fault::Http(code) => format!("HTTP {code}"),
            Fault::Slow => "answers after the timeout".into(),
            Fault::Unresolvable => "name does not resolve".into(),
            Fault::WrongCa => "TLS, certificate from an unknown CA".into(),
        }
    }
}

/// A server at `127.0.0.1:port` that misbehaves as `fault` says, for every connection.
pub fn faulty_server(fault: Fault) -> String {
    if fault == Fault::Refused {
        return format!("127.0.0.1:{}", closed_port());
    }
    if fault == Fault::Unresolvable {
        return format!("incidentctl-fault.invalid:{}", closed_port());
    }
    if fault == Fault::WrongCa {
        return untrusted_tls_server();
    }
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    std::thread::spawn(move || {
        use std::io::Write;
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten() {
            if fault == Fault::WrongProtocol {
                // Another protocol's server, answering what it was sent. Answering at once, as
                // sshd does, races the client's request: hyper then sometimes cancels the
                // request before sending it, and the matrix would say different things on
                // different runs (the client names that case plainly too: see http_error).
                let mut request = [0u8; 4096];
                let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
                let _ = stream.read(&mut request);
                let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
                held.push(stream);
                continue;
            }
            let mut buf = [0u8; 4096];
            let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
            let _ = stream.read(&mut buf);
            let reply = |status: &str, kind: &str, body: &str| {
                format!("HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
            };
            let answer = match fault {
                Fault::Hangs => {
                    held.push(stream);
                    continue;
                }
                Fault::Slow => {
                    // Its own thread: other connections must not queue behind this one.
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_millis(1500));
                        let body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
                        let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                        std::thread::sleep(Duration::from_secs(5));
                    });
                    continue;
                }
                Fault::Resets => "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"status\":\"succ".to_string(),
                Fault::Html => reply("200 OK", "text/html", "<html><body><h1>Please log in</h1></body></html>"),
                Fault::BadJson => reply("200 OK", "application/json", "{\"status\": \"success\", \"data\": [oops"),
                Fault::Http(code) => reply(&format!("{code} Status"), "application/json", "{\"status\":\"error\",\"error\":\"injected fault\",\"kind\":\"Status\",\"message\":\"injected fault\",\"code\":0}"),
                Fault::Refused | Fault::WrongProtocol | Fault::Unresolvable | Fault::WrongCa => {
                    unreachable!("handled above")
                }
            };
            let _ = stream.write_all(answer.as_bytes());
            if fault == Fault::Resets {
                // Abort with RST: linger 0 and close.
                let _ = socket2_linger_zero(&stream);
                drop(stream);
            } else {
                // Keep it open: closing with the client's bytes unread would send a reset, and the
                // client would see "reset" instead of the answer this fault is about.
                held.push(stream);
            }
        }
    });
    addr
}

/// A TLS server whose certificate (for localhost and 127.0.0.1) comes from a CA made here and
/// trusted by no one. A PostgreSQL client's SSLRequest is answered 'S' first, so every client
/// reaches the certificate check.
fn untrusted_tls_server() -> String {
    use std::io::Write;
    let key = rcgen::KeyPair::generate().expect("key");
    let params =
        rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("params");
    let cert = params.self_signed(&key).expect("self-signed certificate");
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    )
    .expect("server config");
    let config = std::sync::Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 4, 210, 22, 47];
                let mut first = [0u8; 8];
                if stream.peek(&mut first).is_ok_and(|n| n == 8) && first == SSL_REQUEST {
                    let _ = stream.read_exact(&mut first);
                    let _ = stream.write_all(b"S");
                }
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, stream);
                let mut buf = [0u8; 1024];
                // The client gives up in the handshake; reading drives it until then.
                let _ = tls.read(&mut buf);
            });
        }
    });
    addr
}

/// Makes closing the stream send a reset instead of a clean FIN.
fn socket2_linger_zero(stream: &std::net::TcpStream) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket fd and a correctly sized linger struct.
    let rc = unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            &linger as *const libc::linger as *const libc::c_void,
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// A mutating admission webhook, served over HTTPS on localhost with a certificate of the test
/// CA (`pki.ca`): for every admission request it answers "allowed", with the JSON patch
/// `revert` computes from the request (`object`, `oldObject`; None: no patch). The API server then stores the object as
/// the webhook left it, and answers the client 200 with it.
pub fn admission_webhook(
    pki: &pki::Pki,
    revert: impl Fn(&serde_json::Value) -> Option<serde_json::Value> + Send + Sync + 'static,
) -> String {
    use rustls::pki_types::pem::PemObject;
    use std::io::Write;
    use std::sync::Arc;
    let chain = vec![
        rustls::pki_types::CertificateDer::from_pem_file(&pki.server_cert).expect("server cert"),
    ];
    let key = rustls::pki_types::PrivateKeyDer::from_pem_file(&pki.server_key).expect("key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .expect("server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let revert = Arc::new(revert);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (config, revert) = (config.clone(), revert.clone());
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, stream);
                // One request per connection: headers, then Content-Length bytes of body.
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if tls.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                let mut body = vec![0u8; length];
                if tls.read_exact(&mut body).is_err() {
                    return;
                }
                let review: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let mut response = serde_json::json!({
                    "uid": review["request"]["uid"], "allowed": true});
                if let Some(patch) = revert(&review["request"]) {
                    use base64::Engine;
                    response["patchType"] = "JSONPatch".into();
                    response["patch"] = base64::engine::general_purpose::STANDARD
                        .encode(patch.to_string())
                        .into();
                }
                let answer = serde_json::json!({"apiVersion": "admission.k8s.io/v1",
                    "kind": "AdmissionReview", "response": response})
                .to_string();
                let _ = write!(
                    tls,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = tls.flush();
            });
        }
    });
    format!("https://localhost:{port}/mutate")
}

/// incidentctl on a pseudo-terminal (util-linux `script`): it shows the plan and asks.
pub struct Terminal {
    child: std::process::Child,
    out: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Terminal {
    /// `incidentctl ARGS` with only PATH, HOME, TERM and `env`.
    pub fn start(args: &str, env: &[(String, String)]) -> Terminal {
        let bin = env!("CARGO_BIN_EXE_incidentctl");
        let mut child = std::process::Command::new("script")
            .args(["-qec", &format!("{bin} {args}"), "/dev/null"])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", std::env::temp_dir())
            .env("TERM", "dumb")
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("script (util-linux) runs");
        let out = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut stdout = child.stdout.take().unwrap();
        let seen = out.clone();
        std::thread::spawn(move || {
            use std::io::Read;
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Terminal { child, out }
    }

    /// Waits until the question is on the screen: the plan has been made.
    pub fn wait_for_question(&self) {
        let started = std::time::Instant::now();
        while !self.out.lock().unwrap().contains("[y/N]") {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "no question on the terminal: {}",
                self.out.lock().unwrap()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    pub fn answer(&mut self, text: &str) {
        use std::io::Write;
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    pub fn finish(mut self) -> Run {
        drop(self.child.stdin.take());
        let started = std::time::Instant::now();
        let status = self.child.wait().expect("wait");
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut stderr);
        }
        // The reader thread ends with the terminal; give it its last bytes.
        std::thread::sleep(std::time::Duration::from_millis(100));
        let stdout = self.out.lock().unwrap().clone();
        Run {
            code: status.code().unwrap_or(-1),
            // On a terminal, stdout and stderr are the same screen.
            stderr: format!("{stdout}{stderr}"),
            stdout,
            elapsed: started.elapsed(),
        }
    }
}
