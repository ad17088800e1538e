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

use std::collections::HashSet;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long a server may take to become ready.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How often readiness is polled.
const POLL: Duration = Duration::from_millis(50);
/// How long a stopping server gets before SIGKILL.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
/// Attempts with a fresh port when the port turned out to be taken (1 + 3 retries).
const PORT_ATTEMPTS: usize = 4;
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

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

static HANDED_OUT: Mutex<Option<HashSet<u16>>> = Mutex::new(None);

/// A port that was free on 127.0.0.1 a moment ago (bind port 0, read it, drop the socket).
/// Within this process the same port is never handed out twice.
pub fn free_port() -> u16 {
    let mut guard = HANDED_OUT.lock().unwrap_or_else(|e| e.into_inner());
    let seen = guard.get_or_insert_with(HashSet::new);
    for _ in 0..50 {
        let port = match TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()) {
            Ok(addr) => addr.port(),
            Err(_) => pseudo_random_port(),
        };
        if seen.insert(port) {
            return port;
        }
    }
    // Extremely unlikely: fall back to any port not handed out before.
    loop {
        let port = pseudo_random_port();
        if seen.insert(port) {
            return port;
        }
    }
}

/// Used only when binding port 0 fails; the server start will then report the real problem.
fn pseudo_random_port() -> u16 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mix = nanos ^ std::process::id().wrapping_mul(2_654_435_761);
    20_000 + (mix % 40_000) as u16
}

fn port_in_use(log_text: &str) -> bool {
    log_text
        .to_ascii_lowercase()
        .contains("address already in use")
}

/// Whether process `pid` holds a listening TCP socket on 127.0.0.1:`port` (or 0.0.0.0).
/// Guards against answering a readiness probe from some other process that grabbed the port.
/// Unknown (no /proc) counts as yes.
fn listens_on(pid: i32, port: u16) -> bool {
    let Ok(table) = fs::read_to_string("/proc/net/tcp") else {
        return true;
    };
    let wanted = [
        format!("0100007F:{port:04X}"),
        format!("00000000:{port:04X}"),
    ];
    let inodes: Vec<String> = table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
            if cols.len() > 9 && cols[3] == "0A" && wanted.iter().any(|w| w == cols[1]) {
                Some(format!("socket:[{}]", cols[9]))
            } else {
                None
            }
        })
        .collect();
    if inodes.is_empty() {
        return false;
    }
    let fds = match fs::read_dir(format!("/proc/{pid}/fd")) {
        Ok(fds) => fds,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return false,
        Err(_) => return true,
    };
    fds.flatten().any(|fd| {
        fs::read_link(fd.path())
            .map(|target| inodes.iter().any(|i| target.as_os_str() == i.as_str()))
            .unwrap_or(false)
    })
}

// ---------------------------------------------------------------------------------------------
// Process registry and teardown
// ---------------------------------------------------------------------------------------------

/// Live servers started by this module: (pid, signal that kills it at once). PostgreSQL gets
/// SIGQUIT (immediate shutdown, ~20 ms), which unlike SIGKILL also removes its SysV shared memory
/// segment; SIGKILL of the postmaster leaks one segment per server (and `kernel.shmmni` is finite).
static LIVE: Mutex<Vec<(i32, libc::c_int)>> = Mutex::new(Vec::new());

fn register(pid: i32, kill_signal: libc::c_int) {
    LIVE.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((pid, kill_signal));
}

fn unregister(pid: i32) {
    LIVE.lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|(p, _)| *p != pid);
}

/// Whether `pid` has finished running (gone, or a zombie waiting to be reaped). Never reaps it.
fn has_exited(pid: i32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // "pid (comm) S ...": the state follows the last ')'.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => true,
    }
}

fn kill_now(pids: &[(i32, libc::c_int)]) {
    for &(pid, signal) in pids {
        // SAFETY: plain kill(2) on a child we spawned and have not reaped.
        unsafe {
            libc::kill(pid, signal);
        }
    }
    // PostgreSQL's immediate shutdown takes a few ms; SIGKILL whatever is still running after 2 s.
    let deadline = Instant::now() + Duration::from_secs(2);
    for &(pid, signal) in pids {
        if signal == libc::SIGKILL {
            continue;
        }
        while !has_exited(pid) && Instant::now() < deadline {
            sleep(Duration::from_millis(5));
        }
        if !has_exited(pid) {
            // SAFETY: as above.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}

/// Kill every live server started by this module at once: SIGKILL, except PostgreSQL, which gets
/// SIGQUIT (immediate shutdown; SIGKILL after 2 s) so that it removes its shared memory.
/// Servers stay registered until dropped; a killed but unreaped child keeps its pid, so a second
/// call cannot hit an unrelated process.
pub fn kill_all_servers() {
    // try_lock: this runs from atexit, where a lock held by a thread that will never run again
    // must not hang the process.
    let deadline = Instant::now() + Duration::from_millis(500);
    loop {
        match LIVE.try_lock() {
            Ok(pids) => return kill_now(&pids),
            Err(std::sync::TryLockError::Poisoned(p)) => return kill_now(&p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => {
                if Instant::now() > deadline {
                    return;
                }
                sleep(Duration::from_millis(10));
            }
        }
    }
}

extern "C" fn kill_all_servers_at_exit() {
    kill_all_servers();
    remove_registered_paths();
}

/// Directories removed when the process exits, after its servers are killed.
static REMOVE_AT_EXIT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes `path` when the process exits (see [`kill_all_at_exit`]). Servers kept in statics
/// are never dropped, so their data directories would outlive the test binary: in /dev/shm
/// (etcd) that is memory lost until reboot, a few hundred MB per run.
pub fn remove_at_exit(path: impl Into<PathBuf>) {
    kill_all_at_exit();
    REMOVE_AT_EXIT
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(path.into());
}

fn remove_registered_paths() {
    // try_lock, as kill_all_servers: never hang an exiting process.
    let paths = match REMOVE_AT_EXIT.try_lock() {
        Ok(paths) => paths,
        Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => return,
    };
    for path in paths.iter() {
        let _ = fs::remove_dir_all(path);
    }
}

/// Register [`kill_all_servers`] with `atexit` (once per process). Tests that keep servers in
/// statics call this so the servers die when the test binary exits.
pub fn kill_all_at_exit() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: registering a plain extern "C" function that never unwinds.
        unsafe {
            libc::atexit(kill_all_servers_at_exit);
        }
    });
}

/// A running server process; stopping and reaping happen on drop.
pub(crate) struct ServerProcess {
    child: Child,
    pid: i32,
    stop_signal: libc::c_int,
}

impl ServerProcess {
    /// Spawn `cmd` with stdin from /dev/null and stdout+stderr appended to `log`.
    pub(crate) fn spawn(
        server: &'static str,
        cmd: &mut Command,
        log: &Path,
        stop_signal: libc::c_int,
        kill_signal: libc::c_int,
    ) -> Result<ServerProcess, ServerError> {
        let out = OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| err(server, format!("opening log {}: {e}", log.display())))?;
        let out2 = out
            .try_clone()
            .map_err(|e| err(server, format!("opening log {}: {e}", log.display())))?;
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(out2));
        let program = cmd.get_program().to_string_lossy().into_owned();
        let child = cmd.spawn().map_err(|e| {
            err(
                server,
                format!("running {program}: {e} (log: {})", log.display()),
            )
        })?;
        let pid = child.id() as i32;
        register(pid, kill_signal);
        Ok(ServerProcess {
            child,
            pid,
            stop_signal,
        })
    }

    /// `Some(description)` once the child has exited.
    pub(crate) fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            Ok(None) => None,
            Err(e) => Some(format!("unknown status ({e})")),
        }
    }

    /// Kills it at once (SIGKILL) and reaps it: a server that vanishes mid-conversation.
    pub(crate) fn kill(&mut self) {
        if self.exited().is_none() {
            // SAFETY: kill(2) on our own unreaped child.
            unsafe {
                libc::kill(self.pid, libc::SIGKILL);
            }
            let _ = self.child.wait();
        }
        unregister(self.pid);
    }

    pub(crate) fn stop(&mut self) {
        if self.exited().is_none() {
            // SAFETY: kill(2) on our own unreaped child.
            unsafe {
                libc::kill(self.pid, self.stop_signal);
            }
            let deadline = Instant::now() + STOP_TIMEOUT;
            while self.exited().is_none() {
                if Instant::now() > deadline {
                    // SAFETY: as above.
                    unsafe {
                        libc::kill(self.pid, libc::SIGKILL);
                    }
                    let _ = self.child.wait();
                    break;
                }
                sleep(Duration::from_millis(20));
            }
        }
        unregister(self.pid);
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

enum StartFailure {
    /// The child exited because its port was taken: try another port.
    PortInUse(String),
    Fatal(String),
}

/// Poll `probe` every 50 ms for up to 30 s. The child must still be alive and must itself own
/// the listening socket on `port`.
fn wait_ready(
    proc: &mut ServerProcess,
    port: u16,
    log: &Path,
    log_offset: u64,
    mut probe: impl FnMut() -> bool,
) -> Result<(), StartFailure> {
    let start = Instant::now();
    loop {
        if let Some(status) = proc.exited() {
            let cause = format!("it exited ({status}) before it was ready on port {port}");
            let text = read_log_from(log, log_offset);
            return Err(if port_in_use(&text) {
                StartFailure::PortInUse(with_log(&cause, log))
            } else {
                StartFailure::Fatal(with_log(&cause, log))
            });
        }
        if probe() && listens_on(proc.pid, port) && proc.exited().is_none() {
            return Ok(());
        }
        if start.elapsed() > READY_TIMEOUT {
            return Err(StartFailure::Fatal(with_log(
                &format!(
                    "not ready on port {port} after {} s",
                    READY_TIMEOUT.as_secs()
                ),
                log,
            )));
        }
        sleep(POLL);
    }
}

/// Readiness of a server whose port speaks only TLS (a plain probe cannot talk to it): the line
/// it logs once it serves.
fn log_says(log: &Path, marker: &str) -> bool {
    fs::read_to_string(log).is_ok_and(|text| text.contains(marker))
}

fn log_len(log: &Path) -> u64 {
    fs::metadata(log).map(|m| m.len()).unwrap_or(0)
}

/// Start a server with fresh ports until it is ready (up to `PORT_ATTEMPTS` ports).
/// `make` builds the command for a port; `probe` checks readiness on a port.
pub(crate) fn start_with_retries(
    server: &'static str,
    log: &Path,
    stop_signal: libc::c_int,
    kill_signal: libc::c_int,
    mut make: impl FnMut(u16) -> Command,
    mut probe: impl FnMut(u16) -> bool,
) -> Result<(u16, ServerProcess), ServerError> {
    let mut last = String::new();
    for _ in 0..PORT_ATTEMPTS {
        let port = free_port();
        let offset = log_len(log);
        let mut cmd = make(port);
        let mut proc = ServerProcess::spawn(server, &mut cmd, log, stop_signal, kill_signal)?;
        match wait_ready(&mut proc, port, log, offset, || probe(port)) {
            Ok(()) => return Ok((port, proc)),
            Err(StartFailure::PortInUse(msg)) => last = msg,
            Err(StartFailure::Fatal(msg)) => return Err(err(server, msg)),
        }
    }
    Err(err(
        server,
        format!("every port tried was taken; last attempt: {last}"),
    ))
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

// ---------------------------------------------------------------------------------------------
// HTTP (a tiny HTTP/1.1 client for readiness probes and the Alertmanager API)
// ---------------------------------------------------------------------------------------------

pub(crate) fn http_request(
    port: u16,
    method: &str,
    path: &str,
    json_body: Option<&str>,
    timeout: Duration,
) -> io::Result<(u16, String)> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: */*\r\nConnection: close\r\n"
    );
    if let Some(body) = json_body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        request.push_str("\r\n");
    }
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of HTTP headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = &raw[split + 4..];
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| bad("no HTTP status line"))?;
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = if chunked {
        dechunk(body).ok_or_else(|| bad("bad chunked body"))?
    } else {
        body.to_vec()
    };
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n")?;
        let size_line = std::str::from_utf8(&data[..eol]).ok()?;
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        if data.len() < size {
            return None;
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}

fn http_ready(port: u16) -> bool {
    matches!(
        http_request(port, "GET", "/-/ready", None, Duration::from_secs(2)),
        Ok((200, _))
    )
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

/// A PostgreSQL server (superuser `postgres`, trust authentication) on 127.0.0.1.
pub struct Postgres {
    pub port: u16,
    pub dir: PathBuf,
    pub socket_dir: PathBuf,
    bin_dir: PathBuf,
    _process: ServerProcess,
}

/// The newest /usr/lib/postgresql/<major>/bin that has a `postgres` binary.
fn pg_bin_dir() -> Result<PathBuf, ServerError> {
    let base = Path::new("/usr/lib/postgresql");
    let entries = fs::read_dir(base).map_err(|e| {
        err(
            "postgres",
            format!(
                "reading {}: {e} (is the postgresql package installed?)",
                base.display()
            ),
        )
    })?;
    let mut best: Option<(Vec<u32>, PathBuf)> = None;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(version) = name
            .split('.')
            .map(|p| p.parse::<u32>().ok())
            .collect::<Option<Vec<u32>>>()
        else {
            continue;
        };
        let bin = entry.path().join("bin");
        if bin.join("postgres").is_file() && best.as_ref().is_none_or(|(v, _)| version > *v) {
            best = Some((version, bin));
        }
    }
    best.map(|(_, bin)| bin).ok_or_else(|| {
        err(
            "postgres",
            format!(
                "no {}/<version>/bin/postgres found (install postgresql)",
                base.display()
            ),
        )
    })
}

/// uid/gid to run PostgreSQL as: the `postgres` user when we are root, else None (ourselves).
fn pg_identity() -> Result<Option<(u32, u32)>, ServerError> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let id = |flag: &str| -> Result<u32, ServerError> {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| err("postgres", format!("running `id {flag} postgres`: {e}")))?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse::<u32>()
            .map_err(|_| {
                err(
                    "postgres",
                    format!(
                        "running as root, and there is no `postgres` user to run PostgreSQL as \
                     (`id {flag} postgres`: {})",
                        String::from_utf8_lossy(&out.stderr).trim()
                    ),
                )
            })
    };
    Ok(Some((id("-u")?, id("-g")?)))
}

/// Make `dir` and its ancestors up to and including `root` traversable (0700 -> 0755), and check
/// that the ancestors above `root` are traversable by `uid`/`gid`.
fn make_traversable(dir: &Path, root: &Path, uid: u32, gid: u32) -> Result<(), ServerError> {
    use std::os::unix::fs::MetadataExt;
    let mut inside = true;
    for ancestor in dir.ancestors().skip(1) {
        let meta = fs::metadata(ancestor)
            .map_err(|e| err("postgres", format!("reading {}: {e}", ancestor.display())))?;
        let mode = meta.mode() & 0o7777;
        if inside {
            if mode & 0o055 != 0o055 {
                fs::set_permissions(ancestor, fs::Permissions::from_mode(mode | 0o055)).map_err(
                    |e| {
                        err(
                            "postgres",
                            format!("making {} traversable: {e}", ancestor.display()),
                        )
                    },
                )?;
            }
            if ancestor == root {
                inside = false;
            }
        } else {
            let ok = mode & 0o001 != 0
                || (meta.uid() == uid && mode & 0o100 != 0)
                || (meta.gid() == gid && mode & 0o010 != 0);
            if !ok {
                return Err(err(
                    "postgres",
                    format!(
                        "{} (mode {mode:o}) is not traversable by the postgres user; \
                         use a root directory elsewhere (e.g. under /tmp)",
                        ancestor.display()
                    ),
                ));
            }
        }
    }
    Ok(())
}

impl Postgres {
    /// initdb + start `postgres` directly as a child (not pg_ctl). `settings` are extra
    /// `-c name=value` (e.g. `("shared_preload_libraries", "pg_stat_statements")`).
    ///
    /// As root, initdb and postgres run as the `postgres` system user: the server directory is
    /// chowned to it and the directories from it up to `root` are made traversable (0755).
    pub fn start(root: &Path, settings: &[(&str, &str)]) -> Result<Postgres, ServerError> {
        Self::start_with_files(root, settings, &[])
    }

    /// As `start`, with `files` (name, contents) written into the data directory after initdb,
    /// owned by the server's user and private (0600): `server.crt`, `server.key`, `root.crt`
    /// for `ssl=on`, or a `pg_hba.conf` replacing initdb's.
    pub fn start_with_files(
        root: &Path,
        settings: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> Result<Postgres, ServerError> {
        let bin_dir = pg_bin_dir()?;
        let identity = pg_identity()?;
        let dir = new_server_dir("postgres", root, "postgres")?;
        let socket_dir = dir.join("socket");
        fs::create_dir(&socket_dir).map_err(|e| {
            err(
                "postgres",
                format!("creating {}: {e}", socket_dir.display()),
            )
        })?;
        if socket_dir.as_os_str().len() + "/.s.PGSQL.65535.lock".len() > 107 {
            return Err(err(
                "postgres",
                format!(
                    "socket dir path {} is too long for a Unix socket; use a shorter root",
                    socket_dir.display()
                ),
            ));
        }
        if let Some((uid, gid)) = identity {
            for d in [&dir, &socket_dir] {
                std::os::unix::fs::chown(d, Some(uid), Some(gid)).map_err(|e| {
                    err(
                        "postgres",
                        format!("chown {} to postgres: {e}", d.display()),
                    )
                })?;
            }
            let root = root
                .canonicalize()
                .map_err(|e| err("postgres", format!("resolving {}: {e}", root.display())))?;
            make_traversable(&dir, &root, uid, gid)?;
        }
        let data = dir.join("data");

        let as_pg = |cmd: &mut Command| {
            cmd.current_dir(&dir)
                .env("LC_ALL", "C")
                .env_remove("PGDATA")
                .env_remove("PGOPTIONS");
            if let Some((uid, gid)) = identity {
                cmd.uid(uid).gid(gid);
            }
        };

        // initdb
        let initdb_log = dir.join("initdb.log");
        let log_file = File::create(&initdb_log).map_err(|e| {
            err(
                "postgres",
                format!("creating {}: {e}", initdb_log.display()),
            )
        })?;
        let log_file2 = log_file
            .try_clone()
            .map_err(|e| err("postgres", format!("opening {}: {e}", initdb_log.display())))?;
        let mut initdb = Command::new(bin_dir.join("initdb"));
        initdb
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::from(log_file))
            .stderr(Stdio::from(log_file2));
        as_pg(&mut initdb);
        let status = initdb.status().map_err(|e| {
            err(
                "postgres",
                format!("running {}/initdb: {e}", bin_dir.display()),
            )
        })?;
        if !status.success() {
            return Err(err(
                "postgres",
                with_log(&format!("initdb failed ({status})"), &initdb_log),
            ));
        }
        for (name, contents) in files {
            let path = data.join(name);
            fs::write(&path, contents)
                .and_then(|()| fs::set_permissions(&path, fs::Permissions::from_mode(0o600)))
                .map_err(|e| err("postgres", format!("writing {}: {e}", path.display())))?;
            if let Some((uid, gid)) = identity {
                std::os::unix::fs::chown(&path, Some(uid), Some(gid))
                    .map_err(|e| err("postgres", format!("chown {}: {e}", path.display())))?;
            }
        }

        // postgres
        let log = dir.join("postgres.log");
        let pg_isready = bin_dir.join("pg_isready");
        let (port, process) = start_with_retries(
            "postgres",
            &log,
            libc::SIGINT,
            libc::SIGQUIT,
            |port| {
                let mut cmd = Command::new(bin_dir.join("postgres"));
                cmd.arg("-D")
                    .arg(&data)
                    .args([
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-p",
                        &port.to_string(),
                        "-k",
                    ])
                    .arg(&socket_dir)
                    .args([
                        "-c",
                        "fsync=off",
                        "-c",
                        "synchronous_commit=off",
                        "-c",
                        "full_page_writes=off",
                    ]);
                for (name, value) in settings {
                    cmd.arg("-c").arg(format!("{name}={value}"));
                }
                as_pg(&mut cmd);
                cmd
            },
            |port| {
                Command::new(&pg_isready)
                    .args([
                        "-h",
                        "127.0.0.1",
                        "-p",
                        &port.to_string(),
                        "-U",
                        "postgres",
                        "-d",
                        "postgres",
                        "-t",
                        "2",
                    ])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .map(|s| s.success())
                    .unwrap_or(false)
            },
        )?;
        Ok(Postgres {
            port,
            dir,
            socket_dir,
            bin_dir,
            _process: process,
        })
    }

    /// `postgres://postgres@127.0.0.1:PORT/db`
    pub fn superuser_url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Run `psql -X -v ON_ERROR_STOP=1 -At ... -c sql` as the superuser; returns stdout.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String, ServerError> {
        let out = Command::new(self.bin_dir.join("psql"))
            .args([
                "-X",
                "-v",
                "ON_ERROR_STOP=1",
                "-At",
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
            ])
            .args(["-U", "postgres", "-d", db, "-c", sql])
            .env_remove("PGOPTIONS")
            .env_remove("PGSERVICE")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| err("postgres", format!("could not run psql: {e}")))?;
        if !out.status.success() {
            return Err(err(
                "postgres",
                format!(
                    "could not run SQL with psql ({}): {} (server log: {})",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim(),
                    self.dir.join("postgres.log").display()
                ),
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------

/// A Redis server on 127.0.0.1 without persistence.
pub struct Redis {
    pub port: u16,
    pub dir: PathBuf,
    _process: ServerProcess,
}

fn redis_ping(port: u16) -> bool {
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

// ---------------------------------------------------------------------------------------------
// Prometheus
// ---------------------------------------------------------------------------------------------

/// A Prometheus server on 127.0.0.1 that scrapes nothing.
pub struct Prometheus {
    pub port: u16,
    pub dir: PathBuf,
    _process: ServerProcess,
}

impl Prometheus {
    /// If `openmetrics` is Some, it is written to a file and loaded with `promtool tsdb
    /// create-blocks-from openmetrics FILE DATA_DIR` before Prometheus starts on DATA_DIR.
    pub fn start(root: &Path, openmetrics: Option<&str>) -> Result<Prometheus, ServerError> {
        Self::start_with_web_config(root, openmetrics, None)
    }

    /// As `start`, with its own `prometheus.yml` (scrape jobs).
    pub fn start_backfilled_scraping(
        root: &Path,
        openmetrics: &str,
        config: &str,
    ) -> Result<Prometheus, ServerError> {
        Self::start_configured(root, Some(openmetrics), None, config)
    }

    /// As `start`, with a `--web.config.file` (TLS, basic auth) holding `web_config`.
    pub fn start_with_web_config(
        root: &Path,
        openmetrics: Option<&str>,
        web_config: Option<&str>,
    ) -> Result<Prometheus, ServerError> {
        let config = "global:\n  scrape_interval: 15s\nscrape_configs: []\n";
        Self::start_configured(root, openmetrics, web_config, config)
    }

    /// A Prometheus that scrapes `targets` (`127.0.0.1:PORT`, serving `/metrics`) every second:
    /// for a test whose metric must change while a command runs (a queue that drains).
    pub fn start_scraping(root: &Path, targets: &[String]) -> Result<Prometheus, ServerError> {
        let quoted: Vec<String> = targets.iter().map(|t| format!("'{t}'")).collect();
        let config = format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: [{}]\n",
            quoted.join(", ")
        );
        Self::start_configured(root, None, None, &config)
    }

    fn start_configured(
        root: &Path,
        openmetrics: Option<&str>,
        web_config: Option<&str>,
        config_text: &str,
    ) -> Result<Prometheus, ServerError> {
        let dir = new_server_dir("prometheus", root, "prometheus")?;
        let web_file = dir.join("web.yml");
        if let Some(text) = web_config {
            write_file("prometheus", &web_file, text)?;
        }
        let data = dir.join("data");
        fs::create_dir(&data)
            .map_err(|e| err("prometheus", format!("creating {}: {e}", data.display())))?;
        let config = dir.join("prometheus.yml");
        write_file("prometheus", &config, config_text)?;

        if let Some(text) = openmetrics {
            let input = dir.join("history.om");
            write_file("prometheus", &input, text)?;
            let out = Command::new("promtool")
                .args(["tsdb", "create-blocks-from", "openmetrics"])
                .arg(&input)
                .arg(&data)
                .current_dir(&dir)
                .stdin(Stdio::null())
                .output()
                .map_err(|e| err("prometheus", format!("running promtool: {e}")))?;
            let promtool_log = dir.join("promtool.log");
            let _ = fs::write(&promtool_log, [&out.stdout[..], &out.stderr[..]].concat());
            if !out.status.success() {
                return Err(err(
                    "prometheus",
                    format!(
                        "promtool tsdb create-blocks-from openmetrics {} failed ({}): {}",
                        input.display(),
                        out.status,
                        String::from_utf8_lossy(&out.stderr).trim()
                    ),
                ));
            }
        }

        let log = dir.join("prometheus.log");
        let (port, process) = start_with_retries(
            "prometheus",
            &log,
            libc::SIGTERM,
            libc::SIGKILL,
            |port| {
                let mut cmd = Command::new("prometheus");
                cmd.arg(format!("--config.file={}", config.display()))
                    .arg(format!("--storage.tsdb.path={}", data.display()))
                    .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                    .arg("--storage.tsdb.retention.time=30d")
                    .current_dir(&dir);
                if web_config.is_some() {
                    cmd.arg(format!("--web.config.file={}", web_file.display()));
                }
                cmd
            },
            |port| match web_config {
                None => http_ready(port),
                Some(_) => log_says(&log, "Server is ready to receive web requests"),
            },
        )?;
        Ok(Prometheus {
            port,
            dir,
            _process: process,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

// ---------------------------------------------------------------------------------------------
// Alertmanager
// ---------------------------------------------------------------------------------------------

/// An Alertmanager on 127.0.0.1 with a single `null` receiver and clustering off.
pub struct Alertmanager {
    pub port: u16,
    pub dir: PathBuf,
    _process: ServerProcess,
}

fn alertmanager_binary() -> PathBuf {
    let debian = PathBuf::from("/usr/bin/prometheus-alertmanager");
    if debian.is_file() {
        debian
    } else {
        PathBuf::from("alertmanager")
    }
}

impl Alertmanager {
    pub fn start(root: &Path) -> Result<Alertmanager, ServerError> {
        Self::start_with_web_config(root, None)
    }

    /// As `start`, with a `--web.config.file` (TLS, basic auth) holding `web_config`.
    pub fn start_with_web_config(
        root: &Path,
        web_config: Option<&str>,
    ) -> Result<Alertmanager, ServerError> {
        let dir = new_server_dir("alertmanager", root, "alertmanager")?;
        let web_file = dir.join("web.yml");
        if let Some(text) = web_config {
            write_file("alertmanager", &web_file, text)?;
        }
        let data = dir.join("data");
        fs::create_dir(&data)
            .map_err(|e| err("alertmanager", format!("creating {}: {e}", data.display())))?;
        let config = dir.join("alertmanager.yml");
        write_file(
            "alertmanager",
            &config,
            "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n",
        )?;
        let log = dir.join("alertmanager.log");
        let binary = alertmanager_binary();
        let (port, process) = start_with_retries(
            "alertmanager",
            &log,
            libc::SIGTERM,
            libc::SIGKILL,
            |port| {
                let mut cmd = Command::new(&binary);
                cmd.arg(format!("--config.file={}", config.display()))
                    .arg(format!("--storage.path={}", data.display()))
                    .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                    .arg("--cluster.listen-address=")
                    .current_dir(&dir);
                if web_config.is_some() {
                    cmd.arg(format!("--web.config.file={}", web_file.display()));
                }
                cmd
            },
            |port| match web_config {
                None => http_ready(port),
                Some(_) => log_says(&log, "Listening on"),
            },
        )?;
        Ok(Alertmanager {
            port,
            dir,
            _process: process,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The body of a GET of `path` (`/api/v2/silences`), read from the server itself, so that a
    /// test can check what a command did without asking the command.
    pub fn get(&self, path: &str) -> Result<String, ServerError> {
        let (status, body) = http_request(self.port, "GET", path, None, Duration::from_secs(10))
            .map_err(|e| err("alertmanager", format!("could not GET {path}: {e}")))?;
        if status != 200 {
            return Err(err(
                "alertmanager",
                format!("could not GET {path}: HTTP {status}: {}", body.trim()),
            ));
        }
        Ok(body)
    }

    /// POST a JSON array of alerts to `/api/v2/alerts`; anything but 200 is an error.
    /// Give each alert both `startsAt` and `endsAt`.
    pub fn post_alerts(&self, alerts_json: &str) -> Result<(), ServerError> {
        let (status, body) = http_request(
            self.port,
            "POST",
            "/api/v2/alerts",
            Some(alerts_json),
            Duration::from_secs(10),
        )
        .map_err(|e| {
            err(
                "alertmanager",
                format!("could not POST /api/v2/alerts: {e}"),
            )
        })?;
        if status != 200 {
            return Err(err(
                "alertmanager",
                format!(
                    "could not POST /api/v2/alerts: HTTP {status}: {}",
                    body.trim()
                ),
            ));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Tests: these start the real servers and fail (never skip) when one cannot start.
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn tempdir() -> tempfile::TempDir {
        tempfile::TempDir::new().expect("create a temp dir")
    }

    fn timed<T>(what: &str, f: impl FnOnce() -> Result<T, ServerError>) -> T {
        let t = Instant::now();
        let server = f().unwrap_or_else(|e| panic!("{e}"));
        eprintln!("{what} started in {:.2} s", t.elapsed().as_secs_f64());
        server
    }

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

    #[test]
    fn free_ports_differ() {
        let a = free_port();
        let b = free_port();
        assert_ne!(a, b);
        assert!(a > 0 && b > 0);
    }

    #[test]
    fn dechunks() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").as_deref(),
            Some(&b"abcde"[..])
        );
    }

    #[test]
    fn postgres_starts_and_answers() {
        let root = tempdir();
        // A closed root (0700) is opened up when PostgreSQL must run as the postgres user.
        fs::set_permissions(root.path(), fs::Permissions::from_mode(0o700)).expect("chmod");
        let pg = timed("postgres", || {
            Postgres::start(
                root.path(),
                &[
                    ("shared_preload_libraries", "pg_stat_statements"),
                    ("max_connections", "50"),
                ],
            )
        });
        assert_eq!(
            pg.psql("postgres", "select 1")
                .expect("psql select 1")
                .trim(),
            "1"
        );
        assert_eq!(
            pg.psql("postgres", "show max_connections")
                .expect("psql show")
                .trim(),
            "50"
        );
        pg.psql("postgres", "create extension pg_stat_statements")
            .expect("create extension");
        assert!(pg
            .superuser_url("app")
            .ends_with(&format!(":{}/app", pg.port)));
        let e = pg
            .psql("postgres", "select * from no_such_table")
            .expect_err("bad SQL must fail");
        assert!(e.to_string().contains("no_such_table"), "{e}");
        // Drop stops it: the port is free again afterwards.
        let port = pg.port;
        let t = Instant::now();
        drop(pg);
        eprintln!("postgres stopped in {:.2} s", t.elapsed().as_secs_f64());
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_err(),
            "postgres still listening after drop"
        );
    }

    #[test]
    fn postgres_failure_quotes_the_log() {
        let root = tempdir();
        let e = Postgres::start(root.path(), &[("no_such_setting", "1")])
            .err()
            .expect("must fail");
        let text = e.to_string();
        assert!(
            text.starts_with("could not start postgres: it exited"),
            "{text}"
        );
        assert!(
            text.contains("postgres.log") && text.contains("no_such_setting"),
            "{text}"
        );
    }

    #[test]
    fn postgres_root_under_a_closed_dir_is_explained() {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return; // only root switches to the postgres user
        }
        // (tempfile 3.27 creates directories with the umask's mode, 0755 here: close it.)
        let outer = tempdir();
        fs::set_permissions(outer.path(), fs::Permissions::from_mode(0o700)).expect("chmod");
        let root = outer.path().join("root");
        let e = Postgres::start(&root, &[]).err().expect("must fail");
        assert!(
            e.to_string()
                .contains("is not traversable by the postgres user"),
            "{e}"
        );
    }

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

    #[test]
    fn prometheus_starts_and_answers() {
        let root = tempdir();
        let prom = timed("prometheus", || Prometheus::start(root.path(), None));
        let (status, _) = http_request(prom.port, "GET", "/-/ready", None, Duration::from_secs(5))
            .expect("GET /-/ready");
        assert_eq!(status, 200);
    }

    #[test]
    fn prometheus_loads_openmetrics_history() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs();
        let mut om = String::from("# HELP demo A demo counter.\n# TYPE demo counter\n");
        let mut value = 0;
        let mut ts = now - 600;
        while ts <= now + 600 {
            value += 1;
            om.push_str(&format!("demo_total{{job=\"demo\"}} {value} {ts}\n"));
            ts += 15;
        }
        om.push_str("# EOF\n");
        let root = tempdir();
        let prom = timed("prometheus (with history)", || {
            Prometheus::start(root.path(), Some(&om))
        });
        let (status, body) = http_request(
            prom.port,
            "GET",
            "/api/v1/query?query=demo_total",
            None,
            Duration::from_secs(5),
        )
        .expect("query");
        assert_eq!(status, 200, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("JSON answer");
        let result = json["data"]["result"].as_array().expect("result array");
        assert_eq!(result.len(), 1, "{body}");
        let v: f64 = result[0]["value"][1]
            .as_str()
            .expect("value")
            .parse()
            .expect("number");
        assert!((39.0..=42.0).contains(&v), "unexpected value {v}: {body}");
    }

    #[test]
    fn prometheus_rejects_bad_openmetrics() {
        let root = tempdir();
        let e = Prometheus::start(root.path(), Some("this is not openmetrics\n"))
            .err()
            .expect("must fail");
        assert!(e.to_string().contains("promtool"), "{e}");
    }

    #[test]
    fn alertmanager_starts_and_takes_alerts() {
        let root = tempdir();
        let am = timed("alertmanager", || Alertmanager::start(root.path()));
        let now = jiff::Timestamp::now();
        let starts = now
            .checked_sub(jiff::SignedDuration::from_secs(60))
            .expect("time");
        let ends = now
            .checked_add(jiff::SignedDuration::from_secs(3600))
            .expect("time");
        let alerts = format!(
            r#"[{{"labels":{{"alertname":"SandboxTestAlert","severity":"critical"}},"annotations":{{"summary":"test"}},"startsAt":"{starts}","endsAt":"{ends}"}}]"#
        );
        am.post_alerts(&alerts).expect("post alerts");
        let mut last = String::new();
        for _ in 0..40 {
            let (status, body) = http_request(
                am.port,
                "GET",
                "/api/v2/alerts",
                None,
                Duration::from_secs(5),
            )
            .expect("GET alerts");
            assert_eq!(status, 200);
            if body.contains("SandboxTestAlert") {
                return;
            }
            last = body;
            sleep(Duration::from_millis(50));
        }
        panic!("posted alert not listed: {last}");
    }

    #[test]
    fn alertmanager_rejects_bad_alerts() {
        let root = tempdir();
        let am = Alertmanager::start(root.path()).unwrap_or_else(|e| panic!("{e}"));
        let e = am.post_alerts("{not json").expect_err("must fail");
        assert!(e.to_string().contains("HTTP 400"), "{e}");
    }

    #[test]
    fn registry_tracks_servers() {
        let root = tempdir();
        let redis = Redis::start(root.path(), &[]).unwrap_or_else(|e| panic!("{e}"));
        let pid = redis._process.pid;
        assert!(LIVE
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|(p, _)| *p == pid));
        drop(redis);
        assert!(!LIVE
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|(p, _)| *p == pid));
    }

    #[test]
    fn listener_ownership() {
        assert!(port_in_use("bind: Address already in use"));
        assert!(port_in_use(
            "listen tcp 127.0.0.1:1: bind: address already in use"
        ));
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
        let port = listener.local_addr().expect("addr").port();
        assert!(listens_on(std::process::id() as i32, port));
        assert!(!listens_on(i32::MAX - 1, port));
    }

    #[test]
    fn port_taken_is_retried() {
        // First attempt: a process that fails like a server whose port is taken; then redis.
        let root = tempdir();
        let dir = root.path().to_path_buf();
        let log = dir.join("retry.log");
        let mut attempts = 0;
        let (port, process) = start_with_retries(
            "redis",
            &log,
            libc::SIGTERM,
            libc::SIGKILL,
            |port| {
                attempts += 1;
                if attempts == 1 {
                    let mut cmd = Command::new("sh");
                    cmd.args([
                        "-c",
                        &format!(
                            "echo 'bind 127.0.0.1:{port}: Address already in use' >&2; exit 1"
                        ),
                    ]);
                    cmd
                } else {
                    let mut cmd = Command::new("redis-server");
                    cmd.args([
                        "--port",
                        &port.to_string(),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ])
                    .arg("--dir")
                    .arg(&dir);
                    cmd
                }
            },
            redis_ping,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(attempts, 2);
        assert!(redis_ping(port));
        drop(process);
        assert!(!redis_ping(port));

        // A fatal failure is not retried and quotes the log.
        let mut attempts = 0;
        let e = start_with_retries(
            "redis",
            &log,
            libc::SIGTERM,
            libc::SIGKILL,
            |_| {
                attempts += 1;
                let mut cmd = Command::new("sh");
                cmd.args(["-c", "echo 'FATAL: something else' >&2; exit 3"]);
                cmd
            },
            redis_ping,
        )
        .err()
        .expect("must fail");
        assert_eq!(attempts, 1);
        let text = e.to_string();
        assert!(
            text.starts_with("could not start redis: it exited (exit status: 3)"),
            "{text}"
        );
        assert!(
            text.contains("FATAL: something else") && text.contains("retry.log"),
            "{text}"
        );
    }

    const ATEXIT_CHILD_ENV: &str = "INCIDENTCTL_SERVERS_ATEXIT_CHILD_ROOT";

    /// Helper for `servers_in_statics_die_at_exit`: does nothing unless run by it.
    #[test]
    fn atexit_child() {
        static KEPT: std::sync::OnceLock<(Postgres, Redis)> = std::sync::OnceLock::new();
        let Some(root) = std::env::var_os(ATEXIT_CHILD_ENV) else {
            return;
        };
        kill_all_at_exit();
        kill_all_at_exit(); // registering twice is harmless
        let root = PathBuf::from(root);
        let pg = Postgres::start(&root, &[]).unwrap_or_else(|e| panic!("{e}"));
        let redis = Redis::start(&root, &[]).unwrap_or_else(|e| panic!("{e}"));
        let kept = KEPT.get_or_init(|| (pg, redis));
        println!("ATEXIT-CHILD pg={} redis={}", kept.0.port, kept.1.port);
    }

    #[test]
    fn servers_in_statics_die_at_exit() {
        let root = tempdir();
        let exe = std::env::current_exe().expect("current exe");
        let out = Command::new(exe)
            .args([
                "--exact",
                "servers::tests::atexit_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ATEXIT_CHILD_ENV, root.path())
            .stdin(Stdio::null())
            .output()
            .expect("run the child test");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("ATEXIT-CHILD ").map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("child did not print its ports: {stdout}"));
        let port = |key: &str| -> u16 {
            line.split_whitespace()
                .find_map(|w| w.strip_prefix(key))
                .and_then(|p| p.parse().ok())
                .expect("port in child output")
        };
        let (pg_port, redis_port) = (port("pg="), port("redis="));
        let deadline = Instant::now() + Duration::from_secs(3);
        while TcpStream::connect(("127.0.0.1", pg_port)).is_ok()
            || TcpStream::connect(("127.0.0.1", redis_port)).is_ok()
        {
            assert!(
                Instant::now() < deadline,
                "servers kept in statics survived the process exit"
            );
            sleep(Duration::from_millis(20));
        }
    }
}
