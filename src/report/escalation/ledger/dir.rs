//! The ledger in the directory store: a journal per incident (`INC-….notifications.jsonl`
//! beside its file: claims and outcomes, one JSON line each, appended and synced) and a lock
//! file per key under `.notifications/`, held with an exclusive lock for as long as its send
//! takes. The journal's own lock makes each read-decide-append whole.

use super::{decide, Claim, Claimed, Decision, Finished, Guard, Record, State, ABANDONED};
use crate::error::{Error, Result};
use crate::report::escalation::{ChannelKind, Key, Step};
use crate::types::Audience;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub struct DirLedger {
    dir: PathBuf,
    locks: PathBuf,
    /// The store's: the journal is kept as the incidents are ([files] mode).
    modes: crate::files::Modes,
}

/// One journal line.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    step: String,
    audience: String,
    channel: String,
    state: State,
    attempt: u32,
    at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_attempt_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::unavailable(format!(
        "notification journal {}: cannot {what}: {e}",
        path.display()
    ))
}

/// A journal to append to, or a lock file: created of the store's file mode, never through a
/// symbolic link.
fn open_rw(path: &Path, mode: u32) -> Result<File> {
    crate::files::open_append(path, mode).map_err(|e| io_error(path, "open", e))
}

struct Held(File);

impl Drop for Held {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl DirLedger {
    pub fn open(dir: &Path, modes: crate::files::Modes) -> Result<DirLedger> {
        let locks = dir.join(".notifications");
        crate::files::create_dirs(&locks, modes.dir).map_err(|e| io_error(&locks, "create", e))?;
        Ok(DirLedger {
            dir: dir.to_path_buf(),
            locks,
            modes,
        })
    }

    fn journal(&self, incident: &str) -> PathBuf {
        self.dir.join(format!("{incident}.notifications.jsonl"))
    }

    fn journal_lock(&self) -> Result<Held> {
        let path = self.locks.join("journal.lock");
        let file = open_rw(&path, self.modes.file)?;
        file.lock().map_err(|e| io_error(&path, "lock", e))?;
        Ok(Held(file))
    }

    /// Every key's state, replayed from the journal. A line cut short by a kill is skipped: it
    /// was being written before its send began (claims are synced before sending), or is an
    /// outcome lost with its process — the claim before it then reads as abandoned.
    fn replay(&self, incident: &str) -> Result<Vec<Record>> {
        let path = self.journal(incident);
        // Bounded as the incident's own file is: a journal is a few lines per notice.
        let text =
            match crate::files::bounded::read_text(&path, crate::files::bounded::Input::Incident) {
                Ok(t) => t,
                Err(e) if e.problem == crate::files::bounded::Problem::Missing => {
                    return Ok(Vec::new())
                }
                Err(e) => return Err(e.into()),
            };
        let mut records: Vec<Record> = Vec::new();
        for line in text.lines() {
            let Ok(l) = serde_json::from_str::<Line>(line) else {
                continue;
            };
            let (Some(step), Some(audience), Some(channel)) = (
                Step::parse(&l.step),
                Audience::parse(&l.audience),
                ChannelKind::parse(&l.channel),
            ) else {
                continue;
            };
            match records.iter_mut().find(|r| r.is(step, audience, channel)) {
                Some(r) => {
                    r.state = l.state;
                    r.attempts = r.attempts.max(l.attempt);
                    if l.state == State::Sending {
                        r.last_attempt_at = l.at;
                        r.next_attempt_at = None;
                    } else {
                        r.next_attempt_at = l.next_attempt_at;
                    }
                    r.detail = l.detail;
                    if l.reference.is_some() {
                        r.reference = l.reference;
                    }
                }
                None => records.push(Record {
                    step,
                    audience,
                    channel,
                    state: l.state,
                    attempts: l.attempt,
                    first_attempt_at: l.at,
                    last_attempt_at: l.at,
                    next_attempt_at: l.next_attempt_at,
                    detail: l.detail,
                    reference: l.reference,
                }),
            }
        }
        Ok(records)
    }

    /// Appends one line and syncs it; a line left unfinished by a kill is ended first, so it
    /// spoils only itself.
    fn append(&self, incident: &str, line: &Line) -> Result<()> {
        let path = self.journal(incident);
        let mut file = open_rw(&path, self.modes.file)?;
        let mut text = serde_json::to_string(line).map_err(|e| Error::Internal(e.to_string()))?;
        text.push('\n');
        let len = file
            .metadata()
            .map_err(|e| io_error(&path, "read", e))?
            .len();
        if len > 0 {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1))
                .and_then(|_| file.read_exact(&mut last))
                .map_err(|e| io_error(&path, "read", e))?;
            if last[0] != b'\n' {
                text.insert(0, '\n');
            }
        }
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| io_error(&path, "append to", e))
    }

    pub fn records(&self, incident: &str) -> Result<Vec<Record>> {
        let _lock = self.journal_lock()?;
        self.replay(incident)
    }

    fn key_lock(&self, key: &Key) -> Result<Option<File>> {
        let digest = Sha256::digest(format!("{}/{}", key.incident, key.name()).as_bytes());
        let name: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        let path = self.locks.join(format!("{name}.lock"));
        let file = open_rw(&path, self.modes.file)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(io_error(&path, "lock", e)),
        }
    }

    fn line(key: &Key, state: State, attempt: u32, at: Timestamp) -> Line {
        Line {
            step: key.step.key(),
            audience: key.audience.as_str().into(),
            channel: key.channel.as_str().into(),
            state,
            attempt,
            at,
            next_attempt_at: None,
            detail: String::new(),
            reference: None,
        }
    }

    pub fn claim(&self, key: &Key, now: Timestamp, resend: bool) -> Result<Claim> {
        let Some(held) = self.key_lock(key)? else {
            return Ok(Claim::Busy);
        };
        let _journal = self.journal_lock()?;
        let records = self.replay(&key.incident)?;
        let current = records
            .iter()
            .find(|r| r.is(key.step, key.audience, key.channel));
        match decide(current, now, resend) {
            Decision::NotDue => Ok(Claim::NotDue),
            Decision::Abandon => {
                let attempt = current.map(|r| r.attempts).unwrap_or(1);
                let mut line = Self::line(key, State::MayHaveBeenSent, attempt, now);
                line.detail = ABANDONED.into();
                self.append(&key.incident, &line)?;
                let records = self.replay(&key.incident)?;
                Ok(records
                    .into_iter()
                    .find(|r| r.is(key.step, key.audience, key.channel))
                    .map(Claim::Abandoned)
                    .unwrap_or(Claim::NotDue))
            }
            Decision::Claim(attempt) => {
                self.append(
                    &key.incident,
                    &Self::line(key, State::Sending, attempt, now),
                )?;
                Ok(Claim::Won(Claimed {
                    key: key.clone(),
                    attempt,
                    guard: Guard::Dir(held),
                }))
            }
        }
    }

    pub fn finish(&self, claimed: Claimed, f: &Finished, now: Timestamp) -> Result<()> {
        let key = &claimed.key;
        let mut line = Self::line(key, f.state, claimed.attempt, now);
        line.next_attempt_at = f.next_attempt_at;
        line.detail = f.detail.clone();
        line.reference = f.reference.clone();
        let _journal = self.journal_lock()?;
        self.append(&key.incident, &line)
        // The key's lock goes with `claimed`, after the outcome is written.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Severity;

    fn key() -> Key {
        Key {
            incident: "INC-20261201-001".into(),
            step: Step::Severity(Severity::Sev1),
            audience: Audience::Manager,
            channel: ChannelKind::Email,
        }
    }

    fn finished(state: State) -> Finished {
        Finished {
            state,
            detail: "d".into(),
            next_attempt_at: None,
            reference: None,
        }
    }

    #[test]
    fn a_key_is_claimed_once_and_a_held_key_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = DirLedger::open(dir.path(), crate::files::Modes::PRIVATE).unwrap();
        let now: Timestamp = "2026-12-01T03:00:00Z".parse().unwrap();
        let Claim::Won(claimed) = ledger.claim(&key(), now, false).unwrap() else {
            panic!("the first claim wins");
        };
        assert!(matches!(
            ledger.claim(&key(), now, false).unwrap(),
            Claim::Busy
        ));
        ledger.finish(claimed, &finished(State::Sent), now).unwrap();
        assert!(matches!(
            ledger.claim(&key(), now, true).unwrap(),
            Claim::NotDue
        ));
        let records = ledger.records(&key().incident).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!((records[0].state, records[0].attempts), (State::Sent, 1));
    }

    #[test]
    fn a_claim_whose_process_died_is_abandoned_and_a_torn_line_spoils_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = DirLedger::open(dir.path(), crate::files::Modes::PRIVATE).unwrap();
        let now: Timestamp = "2026-12-01T03:00:00Z".parse().unwrap();
        let Claim::Won(claimed) = ledger.claim(&key(), now, false).unwrap() else {
            panic!("the first claim wins");
        };
        // The process dies: its lock goes, its outcome was never written (half a line was).
        drop(claimed);
        let journal = ledger.journal(&key().incident);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&journal)
            .unwrap();
        f.write_all(b"{\"step\":\"SEV1\",\"aud").unwrap();
        let Claim::Abandoned(r) = ledger.claim(&key(), now, false).unwrap() else {
            panic!("an unfinished claim whose lock is free is abandoned");
        };
        assert_eq!(r.state, State::MayHaveBeenSent);
        assert!(matches!(
            ledger.claim(&key(), now, false).unwrap(),
            Claim::NotDue
        ));
        let Claim::Won(again) = ledger.claim(&key(), now, true).unwrap() else {
            panic!("--resend claims it again");
        };
        assert_eq!(again.attempt, 2);
    }
}
