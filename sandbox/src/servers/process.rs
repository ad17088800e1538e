//! Spawning a server, waiting until it is ready (with a fresh port when its port was taken), and
//! the registry of live servers that stops them on drop and kills them all when the process exits.

use super::ports::{free_port, listens_on, port_in_use};
use super::{err, log_len, read_log_from, with_log, ServerError};
use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::servers::redis::redis_ping;
    use crate::servers::testing::tempdir;
    use crate::servers::{Postgres, Redis};
    use std::net::TcpStream;

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
                "servers::process::tests::atexit_child",
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
