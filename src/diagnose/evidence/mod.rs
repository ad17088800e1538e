//! `diagnose --capture DIR`: the evidence of the moment, kept before it is gone (events expire
//! after an hour, crashed pods are replaced). Every file passes through the same redaction as
//! the output; secret values are never fetched; `manifest.json` lists each file with its
//! sha256, size and source, and what was withheld and why.

mod kubernetes;
mod servers;

use crate::clients::Context;
use crate::diagnose::Diagnosis;
use crate::error::{Error, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const MANIFEST_SCHEMA: &str = "incidentctl.capture/v1";

/// One file of the bundle, as the manifest lists it.
#[derive(Debug, Clone, Serialize)]
pub struct FileEntry {
    /// Relative to the bundle's directory.
    pub path: String,
    pub sha256: String,
    pub size: u64,
    /// Where it came from: `kubernetes events`, `postgres pg_stat_activity` …
    pub source: String,
}

/// Something not in the bundle, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Withheld {
    pub what: String,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub schema: &'static str,
    pub captured_at: String,
    pub namespace: String,
    pub files: Vec<FileEntry>,
    pub withheld: Vec<Withheld>,
}

/// A file a collector read: its path in the bundle, its source and its body (not yet
/// redacted).
pub struct Piece {
    pub path: String,
    pub source: String,
    pub body: Body,
}

/// What a file holds: text (a log, Redis INFO), redacted as text, or a JSON document,
/// redacted field by field before it is serialized, so it stays valid JSON.
pub enum Body {
    Text(String),
    Json(serde_json::Value),
}

impl Body {
    /// The file's bytes as written: redacted.
    fn redacted_text(&self) -> String {
        match self {
            Body::Text(text) => crate::output::redact::secrets(text),
            Body::Json(value) => {
                let mut value = value.clone();
                crate::output::redact::json(&mut value);
                let text = serde_json::to_string_pretty(&value)
                    .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string());
                // The same document, with C1 controls and bidi overrides as `\uXXXX`: `cat` of
                // a bundle's JSON obeys nothing (src/output/printable.rs).
                crate::output::printable::json_escaped(text) + "\n"
            }
        }
    }
}

impl Piece {
    pub fn new(
        path: impl Into<String>,
        source: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Piece {
            path: path.into(),
            source: source.into(),
            body: Body::Text(text.into()),
        }
    }

    pub fn json(path: &str, source: &str, value: &impl Serialize) -> Self {
        let value = serde_json::to_value(value)
            .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }));
        Piece {
            path: path.into(),
            source: source.into(),
            body: Body::Json(value),
        }
    }
}

/// What a collector brings back: files, and what it left out.
#[derive(Default)]
pub struct Collected {
    pub pieces: Vec<Piece>,
    pub withheld: Vec<Withheld>,
}

impl Collected {
    pub fn withhold(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.withheld.push(Withheld {
            what: what.into(),
            why: why.into(),
        });
    }

    /// A source that could not be read is said in the manifest, never a failure of the bundle.
    pub fn failed(what: &str, e: impl std::fmt::Display) -> Self {
        let mut c = Collected::default();
        c.withhold(what, format!("could not be read: {e}"));
        c
    }
}

/// Checks `--capture DIR` before anything runs (bad input changes nothing): the bundle goes to
/// a new directory, so it never mixes with other files and nothing in it was put there by
/// someone else.
pub fn check_dir(dir: &Path) -> Result<()> {
    if dir.symlink_metadata().is_ok() {
        return Err(Error::usage(format!(
            "--capture {}: it already exists; give a new directory (incidentctl creates it, private to you)",
            dir.display()
        )));
    }
    Ok(())
}

fn write_file(dir: &Path, piece: &Piece, modes: crate::files::Modes) -> Result<FileEntry> {
    let text = piece.body.redacted_text();
    let path = dir.join(&piece.path);
    if let Some(parent) = path.parent().filter(|p| *p != dir) {
        crate::files::create_dirs(parent, modes.dir).map_err(Error::Output)?;
    }
    crate::files::write_new(&path, text.as_bytes(), modes.file).map_err(Error::Output)?;
    Ok(FileEntry {
        path: piece.path.clone(),
        sha256: hex(&Sha256::digest(text.as_bytes())),
        size: text.len() as u64,
        source: piece.source.clone(),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Captures the bundle into `dir` (which `check_dir` accepted): the diagnosis itself, then every
/// source concurrently, each within the per-check timeout.
pub async fn capture(
    ctx: Arc<Context>,
    diagnosis: &Diagnosis,
    dir: &Path,
) -> Result<(PathBuf, Manifest)> {
    check_dir(dir)?;
    let modes = ctx.settings.file_modes();
    crate::files::create_dir_new(dir, modes.dir)
        .map_err(|e| Error::usage(format!("--capture {}: {e}", dir.display())))?;
    let timeout = ctx.settings.timeout.0;
    let bounded = |what: &'static str, f: futures::future::BoxFuture<'static, Collected>| async move {
        tokio::time::timeout(timeout * 2, f)
            .await
            .unwrap_or_else(|_| {
                Collected::failed(
                    what,
                    format!("timed out after {}", crate::types::Dur(timeout * 2)),
                )
            })
    };
    let (k, p, r, a, q) = tokio::join!(
        bounded("kubernetes", Box::pin(kubernetes::collect(ctx.clone()))),
        bounded("postgres", Box::pin(servers::postgres(ctx.clone()))),
        bounded("redis", Box::pin(servers::redis(ctx.clone()))),
        bounded("alertmanager", Box::pin(servers::alerts(ctx.clone()))),
        bounded("prometheus", Box::pin(servers::prometheus(ctx.clone()))),
    );
    let mut all = Collected::default();
    all.pieces.push(Piece::json(
        "diagnosis.json",
        "incidentctl diagnose",
        diagnosis,
    ));
    all.withhold(
        "secret values",
        "never fetched: only configmaps' and pods' references to secrets are kept (incidentctl security config shows key names)",
    );
    for c in [k, p, r, a, q] {
        all.pieces.extend(c.pieces);
        all.withheld.extend(c.withheld);
    }
    let mut files = Vec::with_capacity(all.pieces.len());
    for piece in &all.pieces {
        files.push(write_file(dir, piece, modes)?);
    }
    let manifest = Manifest {
        schema: MANIFEST_SCHEMA,
        captured_at: ctx.settings.now().to_string(),
        namespace: ctx.settings.namespace.clone(),
        files,
        withheld: all.withheld,
    };
    let path = dir.join("manifest.json");
    let text = crate::output::console::to_json(&manifest)?;
    crate::files::write_new(&path, text.as_bytes(), modes.file).map_err(Error::Output)?;
    Ok((path, manifest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_redacted_before_it_is_hashed_and_written() {
        let dir = tempfile::tempdir().unwrap();
        let piece = Piece::new(
            "logs/a.log",
            "kubernetes logs",
            "connecting to postgres://app:hunter2@db/app password=hunter2\n",
        );
        let entry = write_file(dir.path(), &piece, crate::files::Modes::PRIVATE).unwrap();
        let written = std::fs::read_to_string(dir.path().join("logs/a.log")).unwrap();
        assert!(!written.contains("hunter2"), "{written}");
        assert_eq!(entry.sha256, hex(&Sha256::digest(written.as_bytes())));
        assert_eq!(entry.size, written.len() as u64);
    }

    #[test]
    fn a_json_file_is_redacted_field_by_field_and_stays_json() {
        let dir = tempfile::tempdir().unwrap();
        let events = serde_json::json!([{"reason": "Failed",
            "message": "auth failed password=\"hunter2-EVT\" for postgres://app:hunter2@db/x"}]);
        let entry = write_file(
            dir.path(),
            &Piece::json("events.json", "k8s", &events),
            crate::files::Modes::PRIVATE,
        )
        .unwrap();
        let written = std::fs::read_to_string(dir.path().join("events.json")).unwrap();
        assert!(!written.contains("hunter2"), "{written}");
        let back: serde_json::Value = serde_json::from_str(&written).expect("valid JSON");
        assert_eq!(
            back[0]["message"],
            "auth failed password=\"***\" for postgres://app:***@db/x"
        );
        assert_eq!(entry.size, written.len() as u64);
    }

    #[test]
    fn the_bundle_goes_to_a_new_directory_only() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_dir(&dir.path().join("new")).is_ok());
        let e = check_dir(dir.path()).unwrap_err().to_string();
        assert!(e.contains("already exists"), "{e}");
        // A planted link is a taken name too.
        std::os::unix::fs::symlink("/nowhere", dir.path().join("planted")).unwrap();
        assert!(check_dir(&dir.path().join("planted")).is_err());
    }
}
