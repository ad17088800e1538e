//! The audit log: one JSON line per applied, dry-run and refused change, so every change made
//! during an incident is on record. Each line is one write + fsync under an exclusive lock, so
//! concurrent runs never interleave or lose a line. If the log cannot be opened, the change is
//! not applied (the caller opens it before applying).

use crate::error::{Error, Result};
use crate::output::redact;
use serde::Serialize;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize)]
pub struct Record<'a> {
    pub time: String,
    /// The user the process runs as (its real uid's name): what the system says, not what the
    /// environment claims.
    pub user: String,
    pub uid: u32,
    /// `$USER` (or `$LOGNAME`) when it names someone else: anyone can set it, so it is kept
    /// apart, as a claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_user: Option<String>,
    pub host: String,
    pub kube_context: Option<String>,
    pub kube_user: Option<String>,
    pub action: &'a str,
    pub target: &'a str,
    pub argv: Vec<String>,
    pub plan: &'a super::Plan,
    /// applied, dry-run, refused, failed, partial
    pub result: &'a str,
    pub details: &'a [String],
    pub verified: Option<bool>,
    pub undo: Option<&'a str>,
    pub incident: Option<&'a str>,
    /// The runbook step the change was made as (`runbook run`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runbook: Option<&'a crate::types::runbook::StepRef>,
}

/// An open audit log, held from before a change is applied until its line is written.
pub struct AuditLog {
    path: PathBuf,
    file: File,
}

impl AuditLog {
    pub fn open(path: &Path, modes: crate::files::Modes) -> Result<AuditLog> {
        let fail = |message: String| Error::AuditLog {
            path: path.display().to_string(),
            message,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::files::create_dirs(dir, modes.dir)
                .map_err(|e| fail(format!("cannot create its directory: {e}")))?;
        }
        let file = crate::files::open_append(path, modes.file)
            .map_err(|e| fail(format!("cannot open for appending: {e}")))?;
        Ok(AuditLog {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Appends one line: a single write of the whole line, then fsync, under an exclusive lock.
    pub fn append(&mut self, record: &Record) -> Result<()> {
        let fail = |message: String| Error::AuditLog {
            path: self.path.display().to_string(),
            message,
        };
        let mut line = serde_json::to_string(record).map_err(|e| fail(e.to_string()))?;
        line.push('\n');
        self.file
            .lock()
            .map_err(|e| fail(format!("cannot lock: {e}")))?;
        let written = self
            .file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data());
        let _ = self.file.unlock();
        written.map_err(|e| fail(format!("cannot write: {e}")))
    }
}

/// The real uid of the process.
pub fn uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

/// The name of the process's real user, from the password database (`uid N` when it has no
/// entry): never from the environment, which the caller controls.
pub fn os_user() -> String {
    let uid = uid();
    user_name(uid).unwrap_or_else(|| format!("uid {uid}"))
}

fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    // SAFETY: passwd is plain data (integers and pointers): all zeroes is a valid value.
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; getpwuid_r writes only into `entry` and
    // `buf` (of the length given), and sets `found` to `&entry` or null.
    let rc = unsafe {
        libc::getpwuid_r(
            uid,
            &mut entry,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut found,
        )
    };
    if rc != 0 || found.is_null() || entry.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name points into `buf`, NUL-terminated by getpwuid_r.
    let name = unsafe { std::ffi::CStr::from_ptr(entry.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

/// `$USER` / `$LOGNAME` when set to someone other than the real user.
pub fn claimed_user() -> Option<String> {
    let claimed = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()?;
    (claimed != os_user()).then_some(claimed)
}

pub fn host() -> String {
    let mut name = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates within it.
    let rc = unsafe { libc::gethostname(name.as_mut_ptr().cast(), name.len()) };
    if rc != 0 {
        return String::new();
    }
    let end = name.iter().position(|b| *b == 0).unwrap_or(name.len());
    String::from_utf8_lossy(&name[..end]).into_owned()
}

/// The command line as typed, scrubbed of anything that looks like a secret.
pub fn argv() -> Vec<String> {
    std::env::args().map(|a| redact::secrets(&a)).collect()
}

/// The kubeconfig context and user that a change goes through, as kubectl would pick them.
pub fn kube_identity(context: Option<&str>) -> (Option<String>, Option<String>) {
    let Ok(Some(config)) = crate::clients::kube::kubeconfig::read() else {
        return (None, None);
    };
    let name = context
        .map(str::to_string)
        .or_else(|| config.current_context.clone());
    let user = name.as_ref().and_then(|n| {
        config
            .contexts
            .iter()
            .find(|c| &c.name == n)
            .and_then(|c| c.context.as_ref())
            .and_then(|c| c.user.clone())
    });
    (name, user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_writers_lose_no_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("audit.jsonl");
        let plan = crate::change::Plan::new("test", "target", "a test");
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let path = path.clone();
                let plan = plan.clone();
                std::thread::spawn(move || {
                    let mut log = AuditLog::open(&path, crate::files::Modes::PRIVATE).unwrap();
                    for i in 0..50 {
                        let details = vec![format!("writer {t} line {i} {}", "x".repeat(5000))];
                        log.append(&Record {
                            time: String::new(),
                            user: String::new(),
                            uid: 0,
                            claimed_user: None,
                            host: String::new(),
                            kube_context: None,
                            kube_user: None,
                            action: "test",
                            target: "t",
                            argv: vec![],
                            plan: &plan,
                            result: "applied",
                            details: &details,
                            verified: None,
                            undo: None,
                            incident: None,
                            runbook: None,
                        })
                        .unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 400);
        for line in lines {
            serde_json::from_str::<serde_json::Value>(line).expect("every line is whole JSON");
        }
    }

    #[test]
    fn the_user_is_the_real_one_whatever_the_environment_claims() {
        let real = os_user();
        assert!(!real.is_empty() && !real.starts_with("uid "), "{real}");
        // SAFETY: getuid has no preconditions.
        assert_eq!(uid(), unsafe { libc::getuid() });
        assert_eq!(user_name(uid()).as_deref(), Some(real.as_str()));
    }

    #[test]
    fn an_unwritable_log_is_an_error_before_anything_happens() {
        let err = AuditLog::open(
            Path::new("/proc/version/audit.jsonl"),
            crate::files::Modes::PRIVATE,
        )
        .err()
        .unwrap();
        assert_eq!(err.exit_code(), crate::error::ExitCode::AuditLog);
    }
}
