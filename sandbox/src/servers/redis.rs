//! Redis from Debian's packages, without persistence, plain or TLS-only.

use super::process::start_with_retries;
use super::{log_says, new_server_dir, ServerError, ServerProcess};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A Redis server on 127.0.0.1 without persistence.
pub struct Redis {
    pub port: u16,
    pub dir: PathBuf,
    pub(super) _process: ServerProcess,
}

pub(super) fn redis_ping(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        // -NOAUTH: up, but extra_args set a password.
        Ok(n) => buf[..n].starts_with(b"+PONG") || buf[..n].starts_with(b"-NOAUTH"),
        Err(_) => false,
    }
}

impl Redis {
    /// `redis-server --port N --bind 127.0.0.1 --save '' --appendonly no --dir DIR` + `extra_args`.
    pub fn start(root: &Path, extra_args: &[&str]) -> Result<Redis, ServerError> {
        Self::launch(
            root,
            "redis",
            |port| vec!["--port".into(), port.to_string().into()],
            extra_args,
            |port, _log| redis_ping(port),
        )
    }

    /// A Redis that speaks only TLS, on `--tls-port` (no plain port), with the server's
    /// certificate and key and the CA it checks client certificates against (PEM files), plus
    /// `extra_args` (e.g. `--tls-auth-clients yes`, `--user ...`).
    pub fn start_tls(
        root: &Path,
        cert: &Path,
        key: &Path,
        ca: &Path,
        extra_args: &[&str],
    ) -> Result<Redis, ServerError> {
        Self::launch(
            root,
            "redis-tls",
            |port| {
                vec![
                    "--port".into(),
                    "0".into(),
                    "--tls-port".into(),
                    port.to_string().into(),
                    "--tls-cert-file".into(),
                    cert.into(),
                    "--tls-key-file".into(),
                    key.into(),
                    "--tls-ca-cert-file".into(),
                    ca.into(),
                ]
            },
            extra_args,
            // A plain PING cannot talk to a TLS port: wait for the line it logs when it serves.
            |_port, log| log_says(log, "Ready to accept connections"),
        )
    }

    /// `redis-server` on 127.0.0.1 without persistence: `listen` gives the port arguments,
    /// `ready` says when it serves.
    fn launch(
        root: &Path,
        name: &str,
        listen: impl Fn(u16) -> Vec<std::ffi::OsString>,
        extra_args: &[&str],
        mut ready: impl FnMut(u16, &Path) -> bool,
    ) -> Result<Redis, ServerError> {
        let dir = new_server_dir("redis", root, name)?;
        let log = dir.join("redis.log");
        let (port, process) = start_with_retries(
            "redis",
            &log,
            libc::SIGTERM,
            libc::SIGKILL,
            |port| {
                let mut cmd = Command::new("redis-server");
                cmd.args(listen(port))
                    .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
                    .arg("--dir")
                    .arg(&dir)
                    .args(extra_args)
                    .current_dir(&dir);
                cmd
            },
            |port| ready(port, &log),
        )?;
        Ok(Redis {
            port,
            dir,
            _process: process,
        })
    }

    /// `redis://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::servers::testing::{tempdir, timed};

    #[test]
    fn redis_starts_and_answers() {
        let root = tempdir();
        let redis = timed("redis", || {
            Redis::start(root.path(), &["--maxmemory", "64mb"])
        });
        assert!(redis_ping(redis.port));
        assert_eq!(redis.url(), format!("redis://127.0.0.1:{}", redis.port));
        let mut s = TcpStream::connect(("127.0.0.1", redis.port)).expect("connect");
        s.write_all(b"CONFIG GET maxmemory\r\n").expect("write");
        let mut buf = [0u8; 128];
        let n = s.read(&mut buf).expect("read");
        assert!(String::from_utf8_lossy(&buf[..n]).contains("67108864"));
        assert!(redis.dir.join("redis.log").is_file());
    }
}
