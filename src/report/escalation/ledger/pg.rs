//! The ledger in the PostgreSQL store: one row per key (the primary key is the claim's unique
//! key), each statement its own transaction, so a claim is committed before anything is sent.
//! The key's lock is a session advisory lock: it goes when the session does, which is how a
//! later run knows that the process holding a `sending` claim is gone.

use super::{decide, Claim, Claimed, Decision, Finished, Guard, Record, State, ABANDONED};
use crate::error::{Error, Result};
use crate::report::escalation::{ChannelKind, Key, Step};
use crate::report::store::PgStore;
use crate::types::Audience;
use jiff::Timestamp;
use sha2::{Digest, Sha256};

/// The advisory-lock space of notification claims (the first of the two-key form).
const LOCK_CLASS: i32 = 0x1dc7_0024;

/// Created once, under the store's migration lock; a table of its own, outside the store's
/// numbered migrations.
const TABLE: &str = "CREATE TABLE IF NOT EXISTS incidentctl_notifications (
    incident text NOT NULL,
    step text NOT NULL,
    audience text NOT NULL,
    channel text NOT NULL,
    state text NOT NULL,
    attempts integer NOT NULL,
    first_attempt_at timestamptz NOT NULL,
    last_attempt_at timestamptz NOT NULL,
    next_attempt_at timestamptz,
    detail text NOT NULL DEFAULT '',
    reference text,
    PRIMARY KEY (incident, step, audience, channel))";

/// The columns a record is read from, in [`record`]'s order.
const COLUMNS: &str = "step, audience, channel, state, attempts, first_attempt_at,
    last_attempt_at, next_attempt_at, detail, reference";

pub struct PgLedger<'a> {
    store: &'a PgStore,
}

enum Locked {
    Claimed(u32),
    /// A dead run's claim, now marked may-have-been-sent.
    Abandoned,
    NotDue,
}

/// The two keys of a claim's advisory lock.
pub struct LockId(i32, i32);

fn lock_id(key: &Key) -> LockId {
    let digest = Sha256::digest(format!("{}/{}", key.incident, key.name()).as_bytes());
    LockId(
        LOCK_CLASS,
        i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]),
    )
}

fn ts(t: Timestamp) -> std::time::SystemTime {
    std::time::SystemTime::from(t)
}

impl<'a> PgLedger<'a> {
    pub async fn open(store: &'a PgStore) -> Result<PgLedger<'a>> {
        let ledger = PgLedger { store };
        ledger
            .store
            .client()
            .batch_execute(&format!(
                "BEGIN; SELECT pg_advisory_xact_lock(7106519201); {TABLE}; COMMIT;"
            ))
            .await
            .map_err(|e| ledger.err(&e))?;
        Ok(ledger)
    }

    fn err(&self, e: &tokio_postgres::Error) -> Error {
        crate::clients::postgres::pg_error(e, &self.store.url().redacted())
            .into_error("notification ledger")
    }

    pub async fn records(&self, incident: &str) -> Result<Vec<Record>> {
        let rows = self
            .store
            .client()
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM incidentctl_notifications WHERE incident = $1
                     ORDER BY first_attempt_at, step, audience, channel"
                ),
                &[&incident],
            )
            .await
            .map_err(|e| self.err(&e))?;
        Ok(rows.iter().filter_map(record).collect())
    }

    async fn record(&self, key: &Key) -> Result<Option<Record>> {
        let row = self
            .store
            .client()
            .query_opt(
                &format!(
                    "SELECT {COLUMNS} FROM incidentctl_notifications
                     WHERE incident = $1 AND step = $2 AND audience = $3 AND channel = $4"
                ),
                &[
                    &key.incident,
                    &key.step.key(),
                    &key.audience.as_str(),
                    &key.channel.as_str(),
                ],
            )
            .await
            .map_err(|e| self.err(&e))?;
        Ok(row.as_ref().and_then(record))
    }

    async fn try_lock(&self, id: &LockId) -> Result<bool> {
        let row = self
            .store
            .client()
            .query_one("SELECT pg_try_advisory_lock($1, $2)", &[&id.0, &id.1])
            .await
            .map_err(|e| self.err(&e))?;
        Ok(row.get(0))
    }

    async fn unlock(&self, id: &LockId) -> Result<()> {
        self.store
            .client()
            .execute("SELECT pg_advisory_unlock($1, $2)", &[&id.0, &id.1])
            .await
            .map_err(|e| self.err(&e))?;
        Ok(())
    }

    pub async fn claim(&self, key: &Key, now: Timestamp, resend: bool) -> Result<Claim> {
        let id = lock_id(key);
        if !self.try_lock(&id).await? {
            return Ok(Claim::Busy);
        }
        let found = match self.claim_locked(key, now, resend).await {
            // The lock stays held until the outcome is written.
            Ok(Locked::Claimed(attempt)) => {
                return Ok(Claim::Won(Claimed {
                    key: key.clone(),
                    attempt,
                    guard: Guard::Pg(id),
                }))
            }
            Ok(Locked::NotDue) => Ok(Claim::NotDue),
            Ok(Locked::Abandoned) => self.record(key).await.map(|r| match r {
                Some(r) if r.state == State::MayHaveBeenSent => Claim::Abandoned(r),
                _ => Claim::NotDue,
            }),
            Err(e) => Err(e),
        };
        self.unlock(&id).await?;
        found
    }

    /// What was done with the key's lock held.
    async fn claim_locked(&self, key: &Key, now: Timestamp, resend: bool) -> Result<Locked> {
        let c = self.store.client();
        let current = self.record(key).await?;
        let params = [
            key.incident.as_str(),
            &key.step.key(),
            key.audience.as_str(),
            key.channel.as_str(),
        ]
        .map(str::to_string);
        match decide(current.as_ref(), now, resend) {
            Decision::NotDue => Ok(Locked::NotDue),
            Decision::Abandon => {
                c.execute(
                    "UPDATE incidentctl_notifications SET state = 'may-have-been-sent', detail = $5
                     WHERE incident = $1 AND step = $2 AND audience = $3 AND channel = $4
                       AND state = 'sending'",
                    &[&params[0], &params[1], &params[2], &params[3], &ABANDONED],
                )
                .await
                .map_err(|e| self.err(&e))?;
                Ok(Locked::Abandoned)
            }
            Decision::Claim(attempt) => {
                let attempts = attempt as i32;
                // The unique key is the last word: a row written meanwhile (by the holder of a
                // colliding lock) makes this claim fail, not double.
                let claimed = if attempt == 1 {
                    c.execute(
                        "INSERT INTO incidentctl_notifications
                           (incident, step, audience, channel, state, attempts, first_attempt_at, last_attempt_at)
                         VALUES ($1, $2, $3, $4, 'sending', 1, $5, $5)
                         ON CONFLICT DO NOTHING",
                        &[&params[0], &params[1], &params[2], &params[3], &ts(now)],
                    )
                    .await
                } else {
                    c.execute(
                        "UPDATE incidentctl_notifications
                         SET state = 'sending', attempts = $5, last_attempt_at = $6, next_attempt_at = NULL
                         WHERE incident = $1 AND step = $2 AND audience = $3 AND channel = $4
                           AND attempts = $5 - 1 AND state IN ('failed', 'may-have-been-sent')",
                        &[&params[0], &params[1], &params[2], &params[3], &attempts, &ts(now)],
                    )
                    .await
                }
                .map_err(|e| self.err(&e))?;
                Ok(if claimed == 1 {
                    Locked::Claimed(attempt)
                } else {
                    Locked::NotDue
                })
            }
        }
    }

    pub async fn finish(&self, claimed: Claimed, f: &Finished, _now: Timestamp) -> Result<()> {
        let key = &claimed.key;
        let attempts = claimed.attempt as i32;
        let written = self
            .store
            .client()
            .execute(
                "UPDATE incidentctl_notifications
                 SET state = $6, detail = $7, next_attempt_at = $8,
                     reference = COALESCE($9, reference)
                 WHERE incident = $1 AND step = $2 AND audience = $3 AND channel = $4
                   AND attempts = $5 AND state = 'sending'",
                &[
                    &key.incident,
                    &key.step.key(),
                    &key.audience.as_str(),
                    &key.channel.as_str(),
                    &attempts,
                    &f.state.as_str(),
                    &f.detail,
                    &f.next_attempt_at.map(ts),
                    &f.reference,
                ],
            )
            .await
            .map_err(|e| self.err(&e));
        if let Guard::Pg(id) = &claimed.guard {
            // Unlocked even when the write failed: the claim stays `sending`, and the next run
            // finds it abandoned (may have been sent), which is the truth.
            self.unlock(id).await?;
        }
        if written? != 1 {
            return Err(Error::Internal(format!(
                "notification {} of {}: the claim was gone when its outcome was written",
                key.name(),
                key.incident
            )));
        }
        Ok(())
    }
}

/// A row as a record; rows a newer incidentctl wrote (unknown names) are skipped.
fn record(row: &tokio_postgres::Row) -> Option<Record> {
    let when = |i: usize| -> Option<Timestamp> {
        let t: std::time::SystemTime = row.try_get(i).ok()?;
        Timestamp::try_from(t).ok()
    };
    Some(Record {
        step: Step::parse(row.try_get(0).ok()?)?,
        audience: Audience::parse(row.try_get(1).ok()?)?,
        channel: ChannelKind::parse(row.try_get(2).ok()?)?,
        state: State::parse(row.try_get(3).ok()?)?,
        attempts: u32::try_from(row.try_get::<_, i32>(4).ok()?).ok()?,
        first_attempt_at: when(5)?,
        last_attempt_at: when(6)?,
        next_attempt_at: row
            .try_get::<_, Option<std::time::SystemTime>>(7)
            .ok()?
            .and_then(|t| Timestamp::try_from(t).ok()),
        detail: row.try_get(8).ok()?,
        reference: row.try_get(9).ok()?,
    })
}
