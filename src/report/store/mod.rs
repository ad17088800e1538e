//! Where incidents live. Two stores behind one interface, tested by the same tests:
//! - a directory (the default): one human-readable JSON file per incident and an evidence folder,
//!   so a team can keep it in git. Every write is a whole new file renamed into place under an
//!   exclusive lock: concurrent writers lose nothing and a kill mid-write leaves the last good
//!   version.
//! - PostgreSQL, for a response team on several machines: read-modify-write in a transaction
//!   with `SELECT … FOR UPDATE`, ids from a counter row, schema created and migrated on first use.

use super::model::{Incident, INCIDENT_SCHEMA};
use crate::error::{Error, Result};
use crate::settings::{SecretUrl, Settings};
use jiff::Timestamp;
use std::fs::File;
use std::path::{Path, PathBuf};

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

fn data_error(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Data {
        message: format!("{}: {message}", path.display()),
        hint: Some("the other incidents are unaffected; restore this file from git or a backup, or fix it by hand".into()),
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::unavailable(format!(
        "incident store {}: cannot {what}: {e}",
        path.display()
    ))
}

pub struct DirStore {
    dir: PathBuf,
    modes: crate::files::Modes,
}

/// The store's lock, held for a whole read-modify-write.
struct Locked(File);

impl Drop for Locked {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl DirStore {
    /// The store's directory (the notification journal lives beside the incidents).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The modes its files and directories are created with ([files] mode).
    pub fn modes(&self) -> crate::files::Modes {
        self.modes
    }

    pub fn open(dir: &Path, modes: crate::files::Modes) -> Result<DirStore> {
        // Anything but a directory there is refused, saying what it is (a FIFO, a file).
        if let Ok(meta) = std::fs::metadata(dir).map(|m| m.file_type()) {
            if !meta.is_dir() {
                return Err(Error::config(
                    "report.store",
                    format!(
                        "{}: {}, not a directory",
                        dir.display(),
                        crate::files::bounded::what_it_is(meta)
                    ),
                )
                .with_hint("name a directory for the incident store (it is created if missing), or a postgres:// URL"));
            }
        }
        crate::files::create_dirs(dir, modes.dir)
            .map_err(|e| io_error(dir, "create the directory", e))?;
        Ok(DirStore {
            dir: dir.to_path_buf(),
            modes,
        })
    }

    fn lock(&self) -> Result<Locked> {
        let path = self.dir.join(".lock");
        let file = crate::files::open_lock(&path, self.modes.file)
            .map_err(|e| io_error(&path, "open the lock file", e))?;
        file.lock().map_err(|e| io_error(&path, "lock", e))?;
        Ok(Locked(file))
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    fn read(&self, id: &str) -> Result<Incident> {
        let path = self.path(id);
        let text =
            match crate::files::bounded::read_text(&path, crate::files::bounded::Input::Incident) {
                Ok(t) => t,
                Err(e) if e.problem == crate::files::bounded::Problem::Missing => {
                    return Err(Error::not_found(format!(
                        "no incident {id} in {}",
                        self.dir.display()
                    ))
                    .with_hint("`incidentctl report list` shows the incidents"))
                }
                Err(e) => return Err(e.into()),
            };
        let incident: Incident = serde_json::from_str(&text)
            .map_err(|e| data_error(&path, format!("not a valid incident file ({e})")))?;
        if incident.id != id || incident.schema != INCIDENT_SCHEMA {
            return Err(data_error(
                &path,
                "the file's id or schema does not match its name",
            ));
        }
        Ok(incident)
    }

    /// Writes the whole file anew and renames it into place: a reader sees the old or the new
    /// version, never half of one.
    fn write(&self, incident: &Incident) -> Result<()> {
        let path = self.path(&incident.id);
        let mut text =
            serde_json::to_string_pretty(incident).map_err(|e| Error::Internal(e.to_string()))?;
        text.push('\n');
        crate::files::replace(&path, text.as_bytes(), self.modes.file)
            .map_err(|e| io_error(&path, "write", e))
    }

    fn create(&self, day: &str, build: impl FnOnce(String) -> Incident) -> Result<Incident> {
        let _lock = self.lock()?;
        let prefix = format!("INC-{day}-");
        let last = std::fs::read_dir(&self.dir)
            .map_err(|e| io_error(&self.dir, "list", e))?
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_prefix(&prefix)?
                    .strip_suffix(".json")?
                    .parse::<u32>()
                    .ok()
            })
            .max()
            .unwrap_or(0);
        let incident = build(format!("{prefix}{:03}", last + 1));
        self.write(&incident)?;
        Ok(incident)
    }

    fn get(&self, id: &str) -> Result<Incident> {
        self.read(id)
    }

    fn list(&self) -> Result<(Vec<Incident>, Vec<String>)> {
        let mut incidents = Vec::new();
        let mut problems = Vec::new();
        let entries = std::fs::read_dir(&self.dir).map_err(|e| io_error(&self.dir, "list", e))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".json").filter(|id| check_id(id).is_ok()) else {
                continue;
            };
            match self.read(id) {
                Ok(i) => incidents.push(i),
                Err(e) => problems.push(e.to_string()),
            }
        }
        incidents.sort_by(|a, b| a.id.cmp(&b.id));
        Ok((incidents, problems))
    }

    fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut Incident) -> Result<()>,
    ) -> Result<Incident> {
        let _lock = self.lock()?;
        let mut incident = self.read(id)?;
        change(&mut incident)?;
        self.write(&incident)?;
        Ok(incident)
    }

    /// Writes the whole body to a temporary file, then links it under `name`: linking never
    /// replaces an existing file, so the evidence appears whole or not at all, and never over
    /// another's. Returns false when `name` is taken.
    fn add_evidence(&self, id: &str, name: &str, body: &[u8]) -> Result<bool> {
        let dir = self.dir.join(id);
        crate::files::create_dirs(&dir, self.modes.dir).map_err(|e| io_error(&dir, "create", e))?;
        let path = dir.join(name);
        crate::files::publish_new(&path, body, self.modes.file)
            .map_err(|e| io_error(&path, "create", e))
    }
}

pub struct PgStore {
    url: SecretUrl,
    client: tokio_postgres::Client,
}

const MIGRATIONS: &[&str] = &[
    "CREATE TABLE incidentctl_incidents (id text PRIMARY KEY, doc jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
     CREATE TABLE incidentctl_incident_ids (day text PRIMARY KEY, last integer NOT NULL);
     CREATE TABLE incidentctl_evidence (incident text NOT NULL REFERENCES incidentctl_incidents (id), name text NOT NULL, body bytea NOT NULL, PRIMARY KEY (incident, name));",
];

fn pg_err(e: &tokio_postgres::Error, url: &SecretUrl) -> Error {
    let e = crate::context::pg_error(e, &url.redacted());
    let err = Error::unavailable(format!("incident store {}", e.message));
    match e.hint {
        Some(h) => err.with_hint(h),
        None => err,
    }
}

impl PgStore {
    /// The store's connection and URL (the notification ledger shares them).
    pub fn client(&self) -> &tokio_postgres::Client {
        &self.client
    }

    pub fn url(&self) -> &SecretUrl {
        &self.url
    }

    pub async fn open(url: &SecretUrl, settings: &Settings) -> Result<PgStore> {
        let client = crate::context::open_postgres(url, None, settings)
            .await
            .map_err(|e| {
                let err = Error::unavailable(format!("incident store {}", e.message));
                match e.hint {
                    Some(h) => err.with_hint(h),
                    None => err,
                }
            })?;
        let store = PgStore {
            url: url.clone(),
            client,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Creates or upgrades the schema, one process at a time (an advisory lock), each migration
    /// once.
    async fn migrate(&self) -> Result<()> {
        let c = &self.client;
        let err = |e: tokio_postgres::Error| pg_err(&e, &self.url);
        c.batch_execute(
            "BEGIN; SELECT pg_advisory_xact_lock(7106519201);
                         CREATE TABLE IF NOT EXISTS incidentctl_schema (version integer NOT NULL);",
        )
        .await
        .map_err(err)?;
        let version: i32 = c
            .query_opt("SELECT version FROM incidentctl_schema", &[])
            .await
            .map_err(err)?
            .map(|r| r.get(0))
            .unwrap_or(0);
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            c.batch_execute(sql).await.map_err(err)?;
            let v = i as i32 + 1;
            c.execute("DELETE FROM incidentctl_schema", &[])
                .await
                .map_err(err)?;
            c.execute(
                "INSERT INTO incidentctl_schema (version) VALUES ($1)",
                &[&v],
            )
            .await
            .map_err(err)?;
        }
        c.batch_execute("COMMIT").await.map_err(err)?;
        Ok(())
    }

    async fn create(&self, day: &str, build: impl FnOnce(String) -> Incident) -> Result<Incident> {
        let c = &self.client;
        let err = |e: tokio_postgres::Error| pg_err(&e, &self.url);
        c.batch_execute("BEGIN").await.map_err(err)?;
        let outcome = async {
            // The counter row serialises id allocation across every host.
            let n: i32 = c
                .query_one(
                    "INSERT INTO incidentctl_incident_ids (day, last) VALUES ($1, 1)
                     ON CONFLICT (day) DO UPDATE SET last = incidentctl_incident_ids.last + 1
                     RETURNING last",
                    &[&day],
                )
                .await
                .map_err(err)?
                .get(0);
            let incident = build(format!("INC-{day}-{n:03}"));
            let doc =
                serde_json::to_value(&incident).map_err(|e| Error::Internal(e.to_string()))?;
            c.execute(
                "INSERT INTO incidentctl_incidents (id, doc) VALUES ($1, $2)",
                &[&incident.id, &doc],
            )
            .await
            .map_err(err)?;
            Ok(incident)
        }
        .await;
        self.finish(outcome).await
    }

    async fn finish<T>(&self, outcome: Result<T>) -> Result<T> {
        let end = if outcome.is_ok() {
            "COMMIT"
        } else {
            "ROLLBACK"
        };
        self.client
            .batch_execute(end)
            .await
            .map_err(|e| pg_err(&e, &self.url))?;
        outcome
    }

    fn decode(&self, id: &str, doc: serde_json::Value) -> Result<Incident> {
        serde_json::from_value(doc).map_err(|e| Error::Data {
            message: format!(
                "incident {id} in {}: not a valid incident ({e})",
                self.url.redacted()
            ),
            hint: Some("the other incidents are unaffected".into()),
        })
    }

    fn not_found(&self, id: &str) -> Error {
        Error::not_found(format!("no incident {id} in {}", self.url.redacted()))
            .with_hint("`incidentctl report list` shows the incidents")
    }

    async fn get(&self, id: &str) -> Result<Incident> {
        let row = self
            .client
            .query_opt(
                "SELECT doc FROM incidentctl_incidents WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(|e| pg_err(&e, &self.url))?
            .ok_or_else(|| self.not_found(id))?;
        self.decode(id, row.get(0))
    }

    async fn list(&self) -> Result<(Vec<Incident>, Vec<String>)> {
        let rows = self
            .client
            .query("SELECT id, doc FROM incidentctl_incidents ORDER BY id", &[])
            .await
            .map_err(|e| pg_err(&e, &self.url))?;
        let mut incidents = Vec::new();
        let mut problems = Vec::new();
        for r in rows {
            let id: String = r.get(0);
            match self.decode(&id, r.get(1)) {
                Ok(i) => incidents.push(i),
                Err(e) => problems.push(e.to_string()),
            }
        }
        Ok((incidents, problems))
    }

    async fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut Incident) -> Result<()>,
    ) -> Result<Incident> {
        let c = &self.client;
        let err = |e: tokio_postgres::Error| pg_err(&e, &self.url);
        c.batch_execute("BEGIN").await.map_err(err)?;
        let outcome = async {
            // FOR UPDATE: a second writer waits here until this one commits, then reads the
            // result, so no update is lost.
            let row = c
                .query_opt(
                    "SELECT doc FROM incidentctl_incidents WHERE id = $1 FOR UPDATE",
                    &[&id],
                )
                .await
                .map_err(err)?
                .ok_or_else(|| self.not_found(id))?;
            let mut incident = self.decode(id, row.get(0))?;
            change(&mut incident)?;
            let doc =
                serde_json::to_value(&incident).map_err(|e| Error::Internal(e.to_string()))?;
            c.execute(
                "UPDATE incidentctl_incidents SET doc = $2, updated_at = now() WHERE id = $1",
                &[&id, &doc],
            )
            .await
            .map_err(err)?;
            Ok(incident)
        }
        .await;
        self.finish(outcome).await
    }

    /// Returns false when `name` is taken: evidence is never overwritten.
    async fn add_evidence(&self, id: &str, name: &str, body: &[u8]) -> Result<bool> {
        let inserted = self
            .client
            .execute(
                "INSERT INTO incidentctl_evidence (incident, name, body) VALUES ($1, $2, $3)
                 ON CONFLICT (incident, name) DO NOTHING",
                &[&id, &name, &body],
            )
            .await
            .map_err(|e| pg_err(&e, &self.url))?;
        Ok(inserted == 1)
    }
}
