//! The directory store: one JSON file per incident and an evidence folder, each write a new file
//! renamed into place under an exclusive lock.

use super::check_id;
use crate::error::{Error, Result};
use crate::report::model::{Incident, INCIDENT_SCHEMA};
use std::fs::File;
use std::path::{Path, PathBuf};

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
    pub(super) dir: PathBuf,
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

    pub(super) fn create(
        &self,
        day: &str,
        build: impl FnOnce(String) -> Incident,
    ) -> Result<Incident> {
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

    pub(super) fn get(&self, id: &str) -> Result<Incident> {
        self.read(id)
    }

    pub(super) fn list(&self) -> Result<(Vec<Incident>, Vec<String>)> {
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

    pub(super) fn update(
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
    pub(super) fn add_evidence(&self, id: &str, name: &str, body: &[u8]) -> Result<bool> {
        let dir = self.dir.join(id);
        crate::files::create_dirs(&dir, self.modes.dir).map_err(|e| io_error(&dir, "create", e))?;
        let path = dir.join(name);
        crate::files::publish_new(&path, body, self.modes.file)
            .map_err(|e| io_error(&path, "create", e))
    }
}
