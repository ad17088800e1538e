//! Real Debian servers (PostgreSQL, Redis, Prometheus, Alertmanager) started on 127.0.0.1 on
//! free ports, for the sandbox and for tests.
//!
//! Everything here is synchronous (`std::process`, no tokio). Each server lives in its own
//! directory under the `root` it is given and writes its stdout and stderr to a log file there:
//! a child never inherits the parent's stdout/stderr, so nobody waiting on those pipes (CI) is
//! kept waiting by a server that outlives its test.
//!
//! Teardown: dropping a server stops it (SIGTERM, or SIGINT = fast shutdown for PostgreSQL; SIGKILL
//! after 5 s) and reaps it. Servers kept in statics are never dropped: call [`kill_all_at_exit`]
//! once and every live server is killed when the process exits normally.
//!
//! The seams: `ports` finds free ports and tells whose listener holds one, `process` spawns a
//! server, waits for it to be ready and keeps the registry that kills them all at exit, `http`
//! is the small HTTP client for readiness probes and the Alertmanager API; then one module per
//! server.

mod alertmanager;
mod http;
mod ports;
mod postgres;
mod process;
mod prometheus;
mod redis;

pub use alertmanager::Alertmanager;
pub use ports::free_port;
pub use postgres::Postgres;
pub use process::{kill_all_at_exit, kill_all_servers, remove_at_exit};
pub use prometheus::Prometheus;
pub use redis::Redis;

pub(crate) use self::http::http_request;
pub(crate) use process::{start_with_retries, ServerProcess};

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many log lines an error quotes.
const LOG_TAIL_LINES: usize = 15;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// A server could not be started, or an operation on a running server failed.
///
/// `Display` reads `could not start postgres: <message>` for start-up failures. Messages of
/// failures that are not about starting begin with `could not ` themselves (e.g.
/// `could not run psql: ...`) and are shown as `postgres: could not run psql: ...`.
#[derive(Debug)]
pub struct ServerError {
    pub server: &'static str,
    pub message: String,
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.starts_with("could not ") {
            write!(f, "{}: {}", self.server, self.message)
        } else {
            write!(f, "could not start {}: {}", self.server, self.message)
        }
    }
}

impl std::error::Error for ServerError {}

pub(crate) fn err(server: &'static str, message: impl Into<String>) -> ServerError {
    ServerError {
        server,
        message: message.into(),
    }
}

/// `cause (log: PATH, last lines:\n    ...)`
pub(crate) fn with_log(cause: &str, log: &Path) -> String {
    let tail = log_tail(log, 0, LOG_TAIL_LINES);
    if tail.is_empty() {
        format!("{cause} (log: {}, empty)", log.display())
    } else {
        format!(
            "{cause} (log: {}, last lines:\n    {})",
            log.display(),
            tail.join("\n    ")
        )
    }
}

/// The last `n` lines of a log file, starting at byte `offset`.
fn log_tail(log: &Path, offset: u64, n: usize) -> Vec<String> {
    let text = read_log_from(log, offset);
    let lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect();
    let start = lines.len().saturating_sub(n);
    lines[start..].to_vec()
}

fn read_log_from(log: &Path, offset: u64) -> String {
    let mut buf = Vec::new();
    if let Ok(mut f) = File::open(log) {
        if f.seek(SeekFrom::Start(offset)).is_ok() {
            let _ = f.read_to_end(&mut buf);
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Readiness of a server whose port speaks only TLS (a plain probe cannot talk to it): the line
/// it logs once it serves.
fn log_says(log: &Path, marker: &str) -> bool {
    fs::read_to_string(log).is_ok_and(|text| text.contains(marker))
}

fn log_len(log: &Path) -> u64 {
    fs::metadata(log).map(|m| m.len()).unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Directories
// ---------------------------------------------------------------------------------------------

static DIR_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A new directory `root/<name>-N`.
pub(crate) fn new_server_dir(
    server: &'static str,
    root: &Path,
    name: &str,
) -> Result<PathBuf, ServerError> {
    fs::create_dir_all(root)
        .map_err(|e| err(server, format!("creating root dir {}: {e}", root.display())))?;
    let root = root.canonicalize().map_err(|e| {
        err(
            server,
            format!("resolving root dir {}: {e}", root.display()),
        )
    })?;
    loop {
        let n = DIR_COUNTER.fetch_add(1, Ordering::Relaxed) + 1;
        let dir = root.join(format!("{name}-{n}"));
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(err(server, format!("creating {}: {e}", dir.display()))),
        }
    }
}

pub(crate) fn write_file(server: &'static str, path: &Path, text: &str) -> Result<(), ServerError> {
    fs::write(path, text).map_err(|e| err(server, format!("writing {}: {e}", path.display())))
}

/// What the tests of every server share: a temp dir and a start that reports its time.
#[cfg(test)]
mod testing {
    use super::ServerError;
    use std::time::Instant;

    pub(super) fn tempdir() -> tempfile::TempDir {
        tempfile::TempDir::new().expect("create a temp dir")
    }

    pub(super) fn timed<T>(what: &str, f: impl FnOnce() -> Result<T, ServerError>) -> T {
        let t = Instant::now();
        let server = f().unwrap_or_else(|e| panic!("{e}"));
        eprintln!("{what} started in {:.2} s", t.elapsed().as_secs_f64());
        server
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_display() {
        let e = err(
            "postgres",
            "initdb failed (exit status: 1) (log: /x/initdb.log, empty)",
        );
        assert_eq!(
            e.to_string(),
            "could not start postgres: initdb failed (exit status: 1) (log: /x/initdb.log, empty)"
        );
        let e = err("postgres", "could not run psql: boom");
        assert_eq!(e.to_string(), "postgres: could not run psql: boom");
    }
}
