//! The one way incidentctl reads a file from outside: the config file, kubeconfigs and the
//! files they name, secret and password files, TLS files, saved diagnoses, the incident store's
//! files, evidence and the audit log. Whatever a path names (`/dev/zero`, a FIFO nobody writes,
//! a directory, a 1 GiB file, a file on a hung mount), the read ends in a clear error naming
//! the path, the kind of input and its limit, never in a hang or a full memory:
//! - only a regular file is read: anything else is refused, saying what it is, before it is
//!   opened for reading (a FIFO would block, a device would never end);
//! - each kind of input has a size limit, checked on the open file before a byte is read and
//!   again while reading (a file may grow);
//! - the read runs on a thread of its own, never on an async worker, and is given up after the
//!   command's timeout (at least 5 s).
//!
//! A unit test reads `src/` and fails when another module opens a file for reading itself.

use std::fmt;
use std::io::{self, BufRead, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// What a file is to incidentctl: its size limit, its name in errors and its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// incidentctl's config file.
    Config,
    /// A kubeconfig (KUBECONFIG, ~/.kube/config).
    Kubeconfig,
    /// A password or token file: one line.
    Secret,
    /// libpq's password file (PGPASSFILE, ~/.pgpass).
    PasswordFile,
    /// A PEM file: a CA bundle, a client certificate or its key.
    Pem,
    /// A run saved by `diagnose -o json`.
    SavedDiagnosis,
    /// One incident of the directory store.
    Incident,
    /// An evidence file to keep with an incident.
    Evidence,
    /// The audit log, read line by line.
    AuditLog,
}

impl Input {
    /// Every kind, for the tests that go through them all.
    pub const ALL: [Input; 9] = [
        Input::Config,
        Input::Kubeconfig,
        Input::Secret,
        Input::PasswordFile,
        Input::Pem,
        Input::SavedDiagnosis,
        Input::Incident,
        Input::Evidence,
        Input::AuditLog,
    ];

    /// The most bytes read. Each is well above what a real file of the kind holds.
    pub fn limit(self) -> u64 {
        match self {
            // A config file is a few kilobytes; a password a line.
            Input::Config | Input::PasswordFile => MIB,
            Input::Secret => 64 * KIB,
            // Kubeconfigs of many clusters with inline certificates reach a megabyte.
            Input::Kubeconfig => 8 * MIB,
            // The system's CA bundle is about 200 KiB.
            Input::Pem => 4 * MIB,
            // A saved diagnosis is kilobytes; a multi-cluster one a few megabytes.
            Input::SavedDiagnosis | Input::Incident | Input::Evidence => 16 * MIB,
            // Read a line at a time (memory stays one line); years of changes.
            Input::AuditLog => 256 * MIB,
        }
    }

    /// How errors name it.
    pub fn name(self) -> &'static str {
        match self {
            Input::Config => "config file",
            Input::Kubeconfig => "kubeconfig",
            Input::Secret => "secret file",
            Input::PasswordFile => "password file",
            Input::Pem => "PEM file",
            Input::SavedDiagnosis => "saved diagnosis",
            Input::Incident => "incident file",
            Input::Evidence => "evidence file",
            Input::AuditLog => "audit log",
        }
    }

    /// Part of the configuration (exit 78 when it cannot be read), else data (65, 66 missing).
    pub fn is_configuration(self) -> bool {
        matches!(
            self,
            Input::Config | Input::Kubeconfig | Input::Secret | Input::PasswordFile | Input::Pem
        )
    }
}

/// What went wrong with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing,
    /// What it is instead: "a FIFO", "a character device", "a directory", …
    NotRegular(&'static str),
    TooLarge,
    NotText,
    Denied,
    /// The read did not end within the command's timeout (a hung mount).
    TimedOut(Duration),
    Unreadable(String),
}

/// A file that could not be read, with everything an engineer needs to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: PathBuf,
    pub input: Input,
    pub problem: Problem,
    /// Where the path came from (`--baseline`, `postgres.tls.ca_file`, `KUBECONFIG`).
    pub key: Option<String>,
}

impl InputError {
    fn new(path: &Path, input: Input, problem: Problem) -> Self {
        InputError {
            path: path.to_path_buf(),
            input,
            problem,
            key: None,
        }
    }

    /// What an I/O error on `path` means for it.
    pub fn of_io(path: &Path, input: Input, e: &io::Error) -> Self {
        InputError::new(path, input, problem_of(e))
    }

    /// Names where the path came from.
    pub fn named(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// `saved diagnosis /tmp/x: a FIFO, not a regular file (read: regular files of at most
    /// 16 MiB)`: the kind, the path, what is wrong and the limit, without the key.
    pub fn describe(&self) -> String {
        let problem = match &self.problem {
            Problem::Missing => "no such file".to_string(),
            Problem::NotRegular(what) => format!("{what}, not a regular file"),
            Problem::TooLarge => format!("larger than {}", size(self.input.limit())),
            Problem::NotText => "not UTF-8 text".to_string(),
            Problem::Denied => "permission denied".to_string(),
            Problem::TimedOut(after) => format!(
                "not read within {} (a hung or slow file system?)",
                crate::types::duration::Dur(*after)
            ),
            Problem::Unreadable(e) => e.clone(),
        };
        format!(
            "{} {}: {problem} (expected: a regular file of at most {})",
            self.input.name(),
            self.path.display(),
            size(self.input.limit())
        )
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match &self.problem {
            Problem::Missing => format!("check the path of the {}", self.input.name()),
            Problem::NotRegular(_) => format!(
                "name a regular file: incidentctl does not read a {} from FIFOs, devices or directories",
                self.input.name()
            ),
            Problem::TooLarge => format!(
                "this is not a {} of the usual size: check the path",
                self.input.name()
            ),
            Problem::NotText => format!("a {} is UTF-8 text", self.input.name()),
            Problem::Denied => format!(
                "let your user read it, or name another file (ls -l {})",
                shlex::try_quote(&self.path.display().to_string())
                    .map(|q| q.into_owned())
                    .unwrap_or_default()
            ),
            Problem::TimedOut(_) => "check the file system the file is on".to_string(),
            Problem::Unreadable(_) => format!("check the {}", self.input.name()),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{key}: {}", self.describe()),
            None => f.write_str(&self.describe()),
        }
    }
}

impl std::error::Error for InputError {}

/// 1 MiB, 64 KiB: a limit as people read it.
pub fn size(limit: u64) -> String {
    if limit >= MIB {
        format!("{} MiB", limit / MIB)
    } else {
        format!("{} KiB", limit / KIB)
    }
}

/// The command's timeout, which every read is given (set by main once settings are known).
static TIMEOUT_MS: AtomicU64 = AtomicU64::new(5_000);

/// The least a read is given: on a loaded machine the reading thread may wait for a CPU longer
/// than a short `--timeout`, and a false "hung file system" would fail a command for nothing.
const LEAST_MS: u64 = 5_000;

pub fn set_timeout(timeout: Duration) {
    TIMEOUT_MS.store(timeout.as_millis() as u64, Ordering::Relaxed);
}

fn timeout() -> Duration {
    Duration::from_millis(TIMEOUT_MS.load(Ordering::Relaxed).max(LEAST_MS))
}

/// The whole file, read as `input` (its size limit), off the async threads and under the
/// command's timeout.
pub fn read(path: &Path, input: Input) -> Result<Vec<u8>, InputError> {
    read_checked(path, input, |_| Ok(())).map(|accepted| accepted.unwrap_or_default())
}

/// As [`read`], when `accept` accepts the file as opened (its owner, its mode): checked on the
/// open file, so it cannot be swapped between the check and the read. The inner error is
/// `accept`'s reason.
fn read_checked(
    path: &Path,
    input: Input,
    accept: impl FnOnce(&std::fs::Metadata) -> Result<(), String> + Send + 'static,
) -> Result<Result<Vec<u8>, String>, InputError> {
    let owned = path.to_path_buf();
    off_the_async_threads(path, input, move || {
        let file = open_regular(&owned, input)?;
        let meta = file
            .metadata()
            .map_err(|e| InputError::of_io(&owned, input, &e))?;
        if let Err(why) = accept(&meta) {
            return Ok(Err(why));
        }
        read_bounded(file, input.limit())
            .map(Ok)
            .map_err(|problem| InputError::new(&owned, input, problem))
    })
}

/// The whole file as UTF-8 text (a byte-order mark is dropped), as [`read`].
pub fn read_text(path: &Path, input: Input) -> Result<String, InputError> {
    let bytes = read(path, input)?;
    text_of(path, input, bytes)
}

/// The whole file as text when `accept` accepts it as opened, as [`read_checked`].
pub fn read_text_if(
    path: &Path,
    input: Input,
    accept: impl FnOnce(&std::fs::Metadata) -> Result<(), String> + Send + 'static,
) -> Result<Result<String, String>, InputError> {
    match read_checked(path, input, accept)? {
        Ok(bytes) => text_of(path, input, bytes).map(Ok),
        Err(why) => Ok(Err(why)),
    }
}

fn text_of(path: &Path, input: Input, mut bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|_| InputError::new(path, input, Problem::NotText))
}

/// The first line of the file, trimmed, as text: a password or a token.
pub fn read_first_line(path: &Path, input: Input) -> Result<String, InputError> {
    let text = read_text(path, input)?;
    Ok(text.lines().next().unwrap_or("").trim_end().to_string())
}

/// The lines of a file that `keep` kept, and how many could not be read (not UTF-8 text, or
/// longer than the line limit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    pub kept: Vec<String>,
    pub unreadable: usize,
}

/// The lines of the file that `keep` keeps, each read with at most `max_line` bytes (a longer
/// line is skipped, and counted): memory is what is kept, whatever the file's size.
pub fn lines_kept(
    path: &Path,
    input: Input,
    max_line: usize,
    keep: impl Fn(&str) -> bool + Send + 'static,
) -> Result<Lines, InputError> {
    let owned = path.to_path_buf();
    off_the_async_threads(path, input, move || {
        let file = open_regular(&owned, input)?;
        let mut lines = Lines::default();
        each_line(file.take(input.limit()), max_line, |line| match line {
            Some(line) if keep(line) => lines.kept.push(line.to_string()),
            Some(_) => {}
            None => lines.unreadable += 1,
        })
        .map_err(|e| InputError::new(&owned, input, problem_of(&e)))?;
        Ok(lines)
    })
}

/// Opens `path` for reading only if it is a regular file of at most the input's limit: what it
/// names is looked at before it is opened (a device is never opened), and the open file again
/// (it may have been swapped in between). `O_NONBLOCK`: a FIFO put there in between does not
/// block the open.
fn open_regular(path: &Path, input: Input) -> Result<std::fs::File, InputError> {
    let fail = |problem| InputError::new(path, input, problem);
    let meta = std::fs::metadata(path).map_err(|e| fail(problem_of(&e)))?;
    check_type(&meta).map_err(fail)?;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| fail(problem_of(&e)))?;
    let meta = file.metadata().map_err(|e| fail(problem_of(&e)))?;
    check_type(&meta).map_err(fail)?;
    if meta.len() > input.limit() {
        return Err(fail(Problem::TooLarge));
    }
    Ok(file)
}

fn check_type(meta: &std::fs::Metadata) -> Result<(), Problem> {
    match meta.file_type() {
        t if t.is_file() => Ok(()),
        t => Err(Problem::NotRegular(what_it_is(t))),
    }
}

/// What a path names, as errors say it: `a FIFO`, `a directory`, `a regular file`.
pub fn what_it_is(t: std::fs::FileType) -> &'static str {
    if t.is_file() {
        "a regular file"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

fn problem_of(e: &io::Error) -> Problem {
    match e.kind() {
        io::ErrorKind::NotFound => Problem::Missing,
        io::ErrorKind::PermissionDenied => Problem::Denied,
        io::ErrorKind::IsADirectory => Problem::NotRegular("a directory"),
        _ => Problem::Unreadable(e.to_string()),
    }
}

/// At most `limit` bytes of `reader`; more is an error.
fn read_bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>, Problem> {
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| problem_of(&e))?;
    if bytes.len() as u64 > limit {
        return Err(Problem::TooLarge);
    }
    Ok(bytes)
}

/// Runs `read` on a thread of its own and waits for it at most the command's timeout; on an
/// async worker the wait is announced to the runtime (block_in_place), so the other tasks go
/// on. A read given up on is left to finish (or not) on its thread.
fn off_the_async_threads<T: Send + 'static>(
    path: &Path,
    input: Input,
    read: impl FnOnce() -> Result<T, InputError> + Send + 'static,
) -> Result<T, InputError> {
    let (sender, receiver) = std::sync::mpsc::sync_channel(1);
    let job = move || {
        let _ = sender.send(read());
    };
    if let Err(e) = std::thread::Builder::new()
        .name("incidentctl-read".into())
        .spawn(job)
    {
        return Err(InputError::new(
            path,
            input,
            Problem::Unreadable(format!("cannot start a thread to read it: {e}")),
        ));
    }
    let limit = timeout();
    let wait = || receiver.recv_timeout(limit);
    let answer = match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(wait)
        }
        _ => wait(),
    };
    answer.unwrap_or_else(|_| Err(InputError::new(path, input, Problem::TimedOut(limit))))
}

/// Hands each line of `reader` to `each` with at most `max_line` bytes kept (None: the line was
/// longer, or not UTF-8).
fn each_line(
    reader: impl Read,
    max_line: usize,
    mut each: impl FnMut(Option<&str>),
) -> io::Result<()> {
    let mut reader = io::BufReader::new(reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        let mut too_long = false;
        let mut ended = false;
        loop {
            let buf = reader.fill_buf()?;
            if buf.is_empty() {
                ended = true;
                break;
            }
            let (chunk, used, done) = match buf.iter().position(|b| *b == b'\n') {
                Some(i) => (&buf[..i], i + 1, true),
                None => (buf, buf.len(), false),
            };
            if too_long || line.len() + chunk.len() > max_line {
                too_long = true;
            } else {
                line.extend_from_slice(chunk);
            }
            reader.consume(used);
            if done {
                break;
            }
        }
        if too_long {
            each(None);
        } else if !line.is_empty() {
            each(std::str::from_utf8(&line).ok());
        }
        if ended {
            return Ok(());
        }
    }
}

/// A small private file of the user's own (a key): read through no link, and refused unless
/// it is a regular file owned by the user that nobody else may read; as [`read`] otherwise.
pub fn read_private(path: &Path, input: Input) -> Result<Vec<u8>, InputError> {
    let owned = path.to_path_buf();
    off_the_async_threads(path, input, move || {
        use std::os::unix::fs::MetadataExt;
        let fail = |problem| InputError::new(&owned, input, problem);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(&owned)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ELOOP) => fail(Problem::Unreadable(
                    "a symbolic link, which is not followed here".into(),
                )),
                _ => fail(problem_of(&e)),
            })?;
        let meta = file.metadata().map_err(|e| fail(problem_of(&e)))?;
        check_type(&meta).map_err(fail)?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me || meta.mode() & 0o077 != 0 {
            return Err(fail(Problem::Unreadable(
                "not a private file of yours (chmod 600 it, or remove it)".into(),
            )));
        }
        read_bounded(file, input.limit()).map_err(fail)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn fifo(path: &Path) {
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    /// Every kind of input, against everything a path can name that is not a regular file of
    /// the right size: each ends at once in an error naming the path, the kind and the limit.
    #[test]
    fn what_is_not_a_regular_file_of_the_right_size_is_refused_naming_path_kind_and_limit() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("fifo");
        fifo(&pipe);
        let sparse = dir.path().join("sparse");
        let file = std::fs::File::create(&sparse).unwrap();
        file.set_len(1 << 30).unwrap();
        let cases: [(&Path, &str); 4] = [
            (
                Path::new("/dev/zero"),
                "a character device, not a regular file",
            ),
            (&pipe, "a FIFO, not a regular file"),
            (dir.path(), "a directory, not a regular file"),
            (&sparse, "larger than"),
        ];
        for input in Input::ALL {
            for (path, says) in cases {
                let started = std::time::Instant::now();
                let e = read(path, input).unwrap_err().named("--some-flag");
                let text = e.to_string();
                assert!(started.elapsed() < Duration::from_millis(500), "{text}");
                assert!(text.starts_with("--some-flag: "), "{text}");
                assert!(text.contains(says), "{text}");
                assert!(text.contains(&path.display().to_string()), "{text}");
                assert!(text.contains(input.name()), "{text}");
                assert!(text.contains(&size(input.limit())), "{text}");
            }
        }
    }

    #[test]
    fn a_file_of_the_limit_is_read_and_one_byte_more_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        std::fs::write(&path, vec![b'x'; Input::Secret.limit() as usize]).unwrap();
        assert_eq!(read(&path, Input::Secret).unwrap().len(), 64 * 1024);
        std::fs::write(&path, vec![b'x'; Input::Secret.limit() as usize + 1]).unwrap();
        assert_eq!(
            read(&path, Input::Secret).unwrap_err().problem,
            Problem::TooLarge
        );
    }

    #[test]
    fn text_must_be_utf8_a_bom_is_dropped_and_a_missing_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        std::fs::write(&path, b"\xEF\xBB\xBFkind: Config\n").unwrap();
        assert_eq!(
            read_text(&path, Input::Kubeconfig).unwrap(),
            "kind: Config\n"
        );
        std::fs::write(&path, b"\xff\xfe\x00").unwrap();
        assert_eq!(
            read_text(&path, Input::Config).unwrap_err().problem,
            Problem::NotText
        );
        let e = read(&dir.path().join("nope"), Input::SavedDiagnosis).unwrap_err();
        assert_eq!(e.problem, Problem::Missing);
        assert!(e.to_string().contains("no such file"), "{e}");
    }

    #[test]
    fn lines_are_read_one_at_a_time_and_over_long_ones_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let long = "x".repeat(100);
        std::fs::write(&path, format!("one\n{long} INC\n\nthree INC")).unwrap();
        let lines = lines_kept(&path, Input::AuditLog, 10, |l| !l.is_empty()).unwrap();
        assert_eq!(lines.kept, vec!["one".to_string(), "three INC".to_string()]);
        assert_eq!(lines.unreadable, 1);
        let lines = lines_kept(&path, Input::AuditLog, 10, |l| l.contains("INC")).unwrap();
        assert_eq!(lines.kept, vec!["three INC".to_string()]);
    }

    #[test]
    fn on_an_async_worker_the_read_leaves_the_runtime_free() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        let e = runtime.block_on(async {
            tokio::spawn(async { read(Path::new("/dev/zero"), Input::Config) })
                .await
                .unwrap()
        });
        assert!(e.is_err());
        // Without a runtime, or on a current-thread one, it waits where it is.
        let current = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert!(current
            .block_on(async { read(Path::new("/dev/null"), Input::Config) })
            .is_err());
    }

    #[test]
    fn a_private_file_must_be_the_users_own_and_unreadable_to_others() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("key");
        std::fs::write(&key, "k").unwrap();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(read_private(&key, Input::Secret)
            .unwrap_err()
            .to_string()
            .contains("chmod 600"));
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(read_private(&key, Input::Secret).unwrap(), b"k");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&key, &link).unwrap();
        assert!(read_private(&link, Input::Secret).is_err());
    }

    /// Every file read from outside goes through this module: read `src/` and find any other
    /// module that opens or reads a file itself, or lets a library do it (kube's kubeconfig
    /// loaders, rustls' PEM file readers).
    #[test]
    fn no_other_module_reads_a_file_itself() {
        let forbidden = [
            "File::open(",
            "fs::read(",
            "fs::read_to_string(",
            "tokio::fs::",
            "_file_iter(",
            "from_pem_file(",
            "Kubeconfig::read",
            "Config::infer(",
            "Config::from_kubeconfig(",
            "Config::incluster",
        ];
        let found = crate::files::source_scan::lines_with(
            &forbidden,
            &["files/bounded.rs", "files/source_scan.rs"],
        );
        assert!(
            found.is_empty(),
            "read files through crate::files::bounded only:\n{}",
            found.join("\n")
        );
    }
}
