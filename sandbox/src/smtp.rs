//! A real SMTP server for the notification tests: Debian's aiosmtpd (`python3-aiosmtpd`), run by
//! Debian's own interpreter (a `python3` earlier on PATH may lack the module), on a free loopback
//! port. Plain, STARTTLS or implicit TLS, with AUTH when a user is given. Every message it takes
//! lands in `mailbox.jsonl` in its directory, decoded (see `smtp_server.py`).
//!
//! It can be stopped and started again on the same port (a mail server that goes down and comes
//! back), and told to hold every DATA before answering (a client can be killed mid-send).

use crate::servers::{err, free_port, with_log, ServerError, ServerProcess};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SCRIPT: &str = include_str!("smtp_server.py");
const PYTHON: &str = "/usr/bin/python3";
const READY_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    Plain,
    /// STARTTLS offered, and required before MAIL.
    StartTls,
    /// Implicit TLS from the first byte (`smtps://`).
    Smtps,
}

impl SmtpMode {
    fn arg(self) -> &'static str {
        match self {
            SmtpMode::Plain => "plain",
            SmtpMode::StartTls => "starttls",
            SmtpMode::Smtps => "smtps",
        }
    }
}

/// How the server is set up: its mode, the certificate and key for TLS, AUTH's user and
/// password.
#[derive(Debug, Clone)]
pub struct SmtpOptions {
    pub mode: SmtpMode,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub auth: Option<(String, String)>,
}

impl SmtpOptions {
    pub fn plain() -> SmtpOptions {
        SmtpOptions {
            mode: SmtpMode::Plain,
            cert: None,
            key: None,
            auth: None,
        }
    }
}

pub struct SmtpServer {
    pub port: u16,
    pub dir: PathBuf,
    options: SmtpOptions,
    process: Option<ServerProcess>,
}

impl SmtpServer {
    pub fn start(root: &Path, options: SmtpOptions) -> Result<SmtpServer, ServerError> {
        let dir = crate::servers::new_server_dir("smtp", root, "smtp")?;
        crate::servers::write_file("smtp", &dir.join("smtp_server.py"), SCRIPT)?;
        if let Some((_, password)) = &options.auth {
            crate::servers::write_file("smtp", &dir.join("password"), password)?;
        }
        if !Path::new(PYTHON).is_file() {
            return Err(err(
                "smtp",
                format!("{PYTHON} is missing (install python3-aiosmtpd: scripts/install-deps.sh)"),
            ));
        }
        let mut server = SmtpServer {
            port: 0,
            dir,
            options,
            process: None,
        };
        let mut last = String::new();
        for _ in 0..3 {
            server.port = free_port();
            match server.launch() {
                Ok(()) => return Ok(server),
                Err(e) if e.message.contains("Address already in use") => last = e.message,
                Err(e) => return Err(e),
            }
        }
        Err(err(
            "smtp",
            format!("every port tried was taken; last attempt: {last}"),
        ))
    }

    fn log(&self) -> PathBuf {
        self.dir.join("smtp.log")
    }

    fn launch(&mut self) -> Result<(), ServerError> {
        let log = self.log();
        let offset = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
        let mut cmd = Command::new(PYTHON);
        cmd.arg(self.dir.join("smtp_server.py"))
            .arg("--port")
            .arg(self.port.to_string())
            .arg("--dir")
            .arg(&self.dir)
            .arg("--mode")
            .arg(self.options.mode.arg())
            .current_dir(&self.dir);
        if let (Some(cert), Some(key)) = (&self.options.cert, &self.options.key) {
            cmd.arg("--cert").arg(cert).arg("--key").arg(key);
        }
        if let Some((user, _)) = &self.options.auth {
            cmd.arg("--user")
                .arg(user)
                .arg("--password-file")
                .arg(self.dir.join("password"));
        }
        let mut process =
            ServerProcess::spawn("smtp", &mut cmd, &log, libc::SIGTERM, libc::SIGKILL)?;
        let marker = format!("smtp server ready on 127.0.0.1:{}", self.port);
        let started = Instant::now();
        loop {
            if let Some(status) = process.exited() {
                let cause = format!(
                    "it exited ({status}) before it was ready on port {}",
                    self.port
                );
                return Err(err("smtp", with_log(&cause, &log)));
            }
            let text = std::fs::read(&log).unwrap_or_default();
            let tail = String::from_utf8_lossy(text.get(offset as usize..).unwrap_or_default());
            if tail.contains(&marker) {
                self.process = Some(process);
                return Ok(());
            }
            if started.elapsed() > READY_TIMEOUT {
                let cause = format!(
                    "not ready on port {} after {} s",
                    self.port,
                    READY_TIMEOUT.as_secs()
                );
                return Err(err("smtp", with_log(&cause, &log)));
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Stops the server: clients are refused until [`SmtpServer::restart`].
    pub fn stop(&mut self) {
        if let Some(mut p) = self.process.take() {
            p.stop();
        }
    }

    /// Starts it again on the same port, with the same mailbox.
    pub fn restart(&mut self) -> Result<(), ServerError> {
        self.stop();
        self.launch()
    }

    /// From now on every DATA is held after the final dot, before the server answers, until
    /// [`SmtpServer::release_data`].
    pub fn stall_data(&self) -> Result<(), ServerError> {
        let _ = std::fs::remove_file(self.dir.join("stalled"));
        crate::servers::write_file("smtp", &self.dir.join("stall"), "")
    }

    /// Whether a client is held in DATA now (or was since [`SmtpServer::stall_data`]).
    pub fn data_stalled(&self) -> bool {
        self.dir.join("stalled").exists()
    }

    pub fn release_data(&self) {
        let _ = std::fs::remove_file(self.dir.join("stall"));
    }

    /// Every message taken so far, in order.
    pub fn messages(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.dir.join("mailbox.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// `smtp://127.0.0.1:PORT` (`smtps://` in implicit-TLS mode), on `host`.
    pub fn url(&self, host: &str) -> String {
        let scheme = match self.options.mode {
            SmtpMode::Smtps => "smtps",
            _ => "smtp",
        };
        format!("{scheme}://{host}:{}", self.port)
    }
}
