//! Where incidents live. Two stores behind one interface, tested by the same tests:
//! - a directory (the default): one human-readable JSON file per incident and an evidence folder,
//!   so a team can keep it in git. Every write is a whole new file renamed into place under an
//!   exclusive lock: concurrent writers lose nothing and a kill mid-write leaves the last good
//!   version.
//! - PostgreSQL, for a response team on several machines: read-modify-write in a transaction
//!   with `SELECT … FOR UPDATE`, ids from a counter row, schema created and migrated on first use.

use super::model::Incident;
use crate::error::{Error, Result};
use crate::settings::{SecretUrl, Settings};
use jiff::Timestamp;
use std::path::PathBuf;

mod dir;
mod postgres;

pub use dir::DirStore;
pub use postgres::PgStore;

/// The directory store waits on a file lock and on the disk: that runs where it may block,
/// not on a thread the other tasks (a check, a Ctrl-C handler) need.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// How many evidence files may share one stem (one second of diagnoses, say) before a new one
/// is refused rather than searched for without end.
const MAX_EVIDENCE_PER_NAME: u32 = 999;

pub enum Store {
    Dir(DirStore),
    Postgres(PgStore),
}

impl Store {
    /// The store `--store` names (`flag`), else the configured one (`report.store`).
    pub async fn configured(settings: &Settings, flag: Option<&str>) -> Result<Store> {
        let location = flag
            .map(str::to_string)
            .or_else(|| settings.report.store.clone())
            .ok_or_else(|| Error::config("report.store", "no incident store configured"))?;
        Store::open(&StoreLocation::parse(&location), settings).await
    }

    /// A PostgreSQL store connects like the diagnosed database does (settings' TLS, timeout).
    pub async fn open(location: &StoreLocation, settings: &Settings) -> Result<Store> {
        match location {
            StoreLocation::Dir(path) => Ok(Store::Dir(blocking(|| {
                DirStore::open(path, settings.file_modes())
            })?)),
            StoreLocation::Postgres(url) => {
                Ok(Store::Postgres(PgStore::open(url, settings).await?))
            }
        }
    }

    /// Creates an incident with the next id of `now`'s day; `build` fills it in.
    pub async fn create(
        &self,
        now: Timestamp,
        build: impl FnOnce(String) -> Incident,
    ) -> Result<Incident> {
        let day = now
            .to_zoned(jiff::tz::TimeZone::UTC)
            .strftime("%Y%m%d")
            .to_string();
        match self {
            Store::Dir(s) => blocking(|| s.create(&day, build)),
            Store::Postgres(s) => s.create(&day, build).await,
        }
    }

    /// The incident a change or a diagnosis is to be recorded against: it must exist, or the
    /// record would land on a timeline no one can open (exit 66, naming the store).
    pub async fn require(settings: &Settings, id: &str) -> Result<()> {
        let store = Store::configured(settings, None).await?;
        match store.get(id).await {
            Ok(_) => Ok(()),
            Err(e @ Error::NotFound { .. }) => Err(e.with_hint(
                "open it first (`incidentctl report new` prints its id), or set --incident / INCIDENTCTL_INCIDENT to one `incidentctl report list` shows",
            )),
            Err(e) => Err(e),
        }
    }

    pub async fn get(&self, id: &str) -> Result<Incident> {
        check_id(id)?;
        match self {
            Store::Dir(s) => blocking(|| s.get(id)),
            Store::Postgres(s) => s.get(id).await,
        }
    }

    /// Every incident, and a line for each one that could not be read.
    pub async fn list(&self) -> Result<(Vec<Incident>, Vec<String>)> {
        match self {
            Store::Dir(s) => blocking(|| s.list()),
            Store::Postgres(s) => s.list().await,
        }
    }

    /// Read, change and write one incident atomically; `change` may refuse (nothing is written).
    pub async fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut Incident) -> Result<()>,
    ) -> Result<Incident> {
        check_id(id)?;
        match self {
            Store::Dir(s) => blocking(|| s.update(id, change)),
            Store::Postgres(s) => s.update(id, change).await,
        }
    }

    /// Keeps `body` as a new evidence file of the incident and returns the name it got:
    /// `{stem}-{NNN}.{ext}`, the lowest sequence number not yet taken. Evidence is never
    /// replaced: two documents named by the same second get two numbers.
    pub async fn add_evidence(
        &self,
        id: &str,
        stem: &str,
        ext: &str,
        body: &[u8],
    ) -> Result<String> {
        check_id(id)?;
        for n in 1..=MAX_EVIDENCE_PER_NAME {
            let name = format!("{stem}-{n:03}.{ext}");
            let created = match self {
                Store::Dir(s) => blocking(|| s.add_evidence(id, &name, body))?,
                Store::Postgres(s) => s.add_evidence(id, &name, body).await?,
            };
            if created {
                return Ok(name);
            }
        }
        Err(Error::unavailable(format!(
            "incident {id}: {MAX_EVIDENCE_PER_NAME} evidence files are already named {stem}-*.{ext}"
        )))
    }

    /// Where an evidence file is on disk (a directory store), to link to it.
    pub fn evidence_path(&self, id: &str, name: &str) -> Option<PathBuf> {
        match self {
            Store::Dir(s) => Some(s.dir.join(id).join(name)),
            Store::Postgres(_) => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Store::Dir(s) => s.dir.display().to_string(),
            Store::Postgres(s) => s.url.redacted(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum StoreLocation {
    Dir(PathBuf),
    Postgres(SecretUrl),
}

impl StoreLocation {
    pub fn parse(text: &str) -> StoreLocation {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            StoreLocation::Postgres(SecretUrl::new(text))
        } else {
            StoreLocation::Dir(PathBuf::from(text))
        }
    }
}

/// `INC-YYYYMMDD-NNN`: anything else is refused before it reaches a path or a query.
pub fn check_id(id: &str) -> Result<()> {
    // Bytes, not str slices: a multi-byte character at an index must be refused, not panic.
    let b = id.as_bytes();
    let ok = b.len() >= 16
        && b.starts_with(b"INC-")
        && b[4..12].iter().all(u8::is_ascii_digit)
        && b[12] == b'-'
        && b[13..].iter().all(u8::is_ascii_digit);
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "'{id}' is not an incident id (INC-YYYYMMDD-NNN)"
        )))
    }
}
