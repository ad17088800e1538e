//! The ledger of notifications: exactly once across processes and machines.
//!
//! Every (incident, step, audience, channel) is claimed before it is sent. A claim is taken
//! under that key's own lock — a PostgreSQL advisory lock of the claiming session, or an
//! exclusive lock on a file beside the incidents — and written (committed, or appended and
//! synced) before anything goes out; the lock is held until the outcome is written. So:
//! - two processes never both send a key: the second cannot take the lock, or finds the claim;
//! - a claim still marked `sending` whose lock can be taken belongs to a process that died
//!   mid-way (killed, crashed, its machine gone): what it sent is unknown, and it is recorded as
//!   `may-have-been-sent`, never sent again on its own.
//!
//! Outcomes: `sent`; `failed` (provably not delivered: tried again after a backoff);
//! `may-have-been-sent` (lost mid-way: only `--resend` sends it again).

mod dir;
mod pg;

use super::{ChannelKind, Key, Step};
use crate::error::Result;
use crate::report::store::Store;
use crate::types::Audience;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Claimed; the outcome is not written yet.
    Sending,
    Sent,
    Failed,
    MayHaveBeenSent,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Sending => "sending",
            State::Sent => "sent",
            State::Failed => "failed",
            State::MayHaveBeenSent => "may-have-been-sent",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        [
            State::Sending,
            State::Sent,
            State::Failed,
            State::MayHaveBeenSent,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether the audience may have heard it (sent, or lost on the way).
    pub fn told(self) -> bool {
        matches!(self, State::Sent | State::MayHaveBeenSent)
    }
}

/// What the ledger knows of one key.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub step: Step,
    pub audience: Audience,
    pub channel: ChannelKind,
    pub state: State,
    /// Attempts claimed so far (the current one included).
    pub attempts: u32,
    pub first_attempt_at: Timestamp,
    pub last_attempt_at: Timestamp,
    /// When a failed send may be tried again.
    pub next_attempt_at: Option<Timestamp>,
    pub detail: String,
    /// What the channel answered that later sends need (a status page's incident id).
    pub reference: Option<String>,
}

impl Record {
    pub fn is(&self, step: Step, audience: Audience, channel: ChannelKind) -> bool {
        self.step == step && self.audience == audience && self.channel == channel
    }

    /// `step/audience/channel#attempt`: the timeline entry of this record's last attempt.
    pub fn entry_id(&self) -> String {
        format!(
            "{}/{}/{}#{}",
            self.step.key(),
            self.audience,
            self.channel.as_str(),
            self.attempts
        )
    }
}

/// The outcome of an attempt, as it is written.
#[derive(Debug, Clone)]
pub struct Finished {
    pub state: State,
    pub detail: String,
    pub next_attempt_at: Option<Timestamp>,
    pub reference: Option<String>,
}

/// How long a failed send waits before the next try: a minute, doubling, at most 30 minutes.
pub fn backoff(attempt: u32) -> SignedDuration {
    let minutes = 1i64 << attempt.saturating_sub(1).min(5);
    SignedDuration::from_mins(minutes.min(30))
}

/// What a claim found.
pub enum Claim {
    /// This process sends it: the claim is written, the key's lock held until [`Ledger::finish`].
    Won(Claimed),
    /// Another process holds the key's lock: it is sending it now.
    Busy,
    /// Claimed by a process that ended before writing the outcome: now `may-have-been-sent`.
    Abandoned(Record),
    /// Sent already, waiting for its backoff, or may have been sent (without --resend).
    NotDue,
}

pub struct Claimed {
    pub key: Key,
    pub attempt: u32,
    guard: Guard,
}

enum Guard {
    Pg(pg::LockId),
    Dir(#[allow(dead_code)] std::fs::File),
}

/// What to do with a key whose lock this process holds, from its record.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    Claim(u32),
    Abandon,
    NotDue,
}

fn decide(current: Option<&Record>, now: Timestamp, resend: bool) -> Decision {
    let Some(r) = current else {
        return Decision::Claim(1);
    };
    match r.state {
        // The lock is ours, so whoever claimed it is gone.
        State::Sending => Decision::Abandon,
        State::Sent => Decision::NotDue,
        State::Failed if r.next_attempt_at.is_none_or(|t| t <= now) => {
            Decision::Claim(r.attempts + 1)
        }
        State::Failed => Decision::NotDue,
        State::MayHaveBeenSent if resend => Decision::Claim(r.attempts + 1),
        State::MayHaveBeenSent => Decision::NotDue,
    }
}

const ABANDONED: &str =
    "the run sending it stopped before it recorded an outcome (killed, crashed, or its machine lost)";

pub enum Ledger<'a> {
    Pg(pg::PgLedger<'a>),
    Dir(dir::DirLedger),
}

impl<'a> Ledger<'a> {
    /// The ledger of `store`: a table in its database, or a journal in its directory.
    pub async fn open(store: &'a Store) -> Result<Ledger<'a>> {
        match store {
            Store::Postgres(s) => Ok(Ledger::Pg(pg::PgLedger::open(s).await?)),
            Store::Dir(s) => Ok(Ledger::Dir(dir::DirLedger::open(s.dir(), s.modes())?)),
        }
    }

    pub async fn records(&self, incident: &str) -> Result<Vec<Record>> {
        match self {
            Ledger::Pg(l) => l.records(incident).await,
            Ledger::Dir(l) => tokio::task::block_in_place(|| l.records(incident)),
        }
    }

    pub async fn claim(&self, key: &Key, now: Timestamp, resend: bool) -> Result<Claim> {
        match self {
            Ledger::Pg(l) => l.claim(key, now, resend).await,
            Ledger::Dir(l) => tokio::task::block_in_place(|| l.claim(key, now, resend)),
        }
    }

    /// Writes the outcome, then lets go of the key.
    pub async fn finish(&self, claimed: Claimed, outcome: &Finished, now: Timestamp) -> Result<()> {
        match self {
            Ledger::Pg(l) => l.finish(claimed, outcome, now).await,
            Ledger::Dir(l) => tokio::task::block_in_place(|| l.finish(claimed, outcome, now)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Severity;

    fn record(state: State, next: Option<&str>) -> Record {
        let t: Timestamp = "2026-12-01T03:00:00Z".parse().unwrap();
        Record {
            step: Step::Severity(Severity::Sev1),
            audience: Audience::Primary,
            channel: ChannelKind::Email,
            state,
            attempts: 2,
            first_attempt_at: t,
            last_attempt_at: t,
            next_attempt_at: next.map(|n| n.parse().unwrap()),
            detail: String::new(),
            reference: None,
        }
    }

    #[test]
    fn a_held_lock_decides_from_the_record() {
        let now: Timestamp = "2026-12-01T03:10:00Z".parse().unwrap();
        assert_eq!(decide(None, now, false), Decision::Claim(1));
        let sending = record(State::Sending, None);
        assert_eq!(decide(Some(&sending), now, true), Decision::Abandon);
        let sent = record(State::Sent, None);
        assert_eq!(decide(Some(&sent), now, true), Decision::NotDue);
        let due = record(State::Failed, Some("2026-12-01T03:09:00Z"));
        assert_eq!(decide(Some(&due), now, false), Decision::Claim(3));
        let waiting = record(State::Failed, Some("2026-12-01T03:11:00Z"));
        assert_eq!(decide(Some(&waiting), now, false), Decision::NotDue);
        let lost = record(State::MayHaveBeenSent, None);
        assert_eq!(decide(Some(&lost), now, false), Decision::NotDue);
        assert_eq!(decide(Some(&lost), now, true), Decision::Claim(3));
    }

    #[test]
    fn backoff_doubles_from_a_minute_to_half_an_hour() {
        let minutes: Vec<i64> = (1..=8).map(|a| backoff(a).as_mins()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 30, 30, 30]);
    }
}
