//! What diagnose brings to an incident: a diagnosis as evidence with a line in the timeline (and
//! the suspected cause, if none is set), a captured bundle file by file.

use super::model::EntryKind;
use super::store::Store;
use crate::diagnose::{evidence::Manifest, Diagnosis};
use crate::error::{Error, Result};
use crate::settings::Settings;
use jiff::Timestamp;

/// `diagnose --incident ID`: the run's diagnosis attached to the incident by `me`.
pub async fn diagnose_run(
    settings: &Settings,
    id: &str,
    diagnosis: &Diagnosis,
    me: &str,
) -> Result<()> {
    let store = Store::configured(settings, None).await?;
    let doc = serde_json::to_string(diagnosis).map_err(|e| Error::Internal(e.to_string()))?;
    self::diagnosis(&store, id, &doc, settings.now(), me).await
}

/// `diagnose --capture DIR --incident ID`: the bundle stored with the incident.
pub async fn captured(
    settings: &Settings,
    id: &str,
    dir: &std::path::Path,
    manifest: &Manifest,
    me: &str,
) -> Result<()> {
    let store = Store::configured(settings, None).await?;
    capture(&store, id, dir, manifest, settings.now(), me).await
}

/// Attaches a diagnosis (JSON) to an incident: the document as evidence, a line in the timeline.
pub async fn diagnosis(store: &Store, id: &str, doc: &str, now: Timestamp, me: &str) -> Result<()> {
    let v: serde_json::Value =
        serde_json::from_str(doc).map_err(|e| Error::Internal(e.to_string()))?;
    // An unknown incident is refused before anything is written for it.
    store.get(id).await?;
    let stem = format!(
        "diagnose-{}",
        now.to_zoned(jiff::tz::TimeZone::UTC)
            .strftime("%Y%m%dT%H%M%SZ")
    );
    let name = store
        .add_evidence(id, &stem, "json", doc.as_bytes())
        .await?;
    let line = super::diagnosis::timeline_line(&v);
    let suspicion = super::diagnosis::suspicion(&v, &name);
    store
        .update(id, |i| {
            i.add_evidence(now, EntryKind::Diagnose, line, me, name);
            if i.suspected.is_none() {
                i.suspected = suspicion;
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// Stores a captured bundle with the incident: each file as evidence, and one timeline entry
/// that links the manifest.
pub async fn capture(
    store: &Store,
    id: &str,
    dir: &std::path::Path,
    manifest: &Manifest,
    now: Timestamp,
    me: &str,
) -> Result<()> {
    store.get(id).await?;
    let stamp = now
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let mut names = Vec::new();
    for f in &manifest.files {
        let body = crate::files::bounded::read(
            &dir.join(&f.path),
            crate::files::bounded::Input::Evidence,
        )?;
        let (stem, ext) = f.path.rsplit_once('.').unwrap_or((f.path.as_str(), "txt"));
        let stem = format!("capture-{stamp}-{}", stem.replace('/', "-"));
        names.push(store.add_evidence(id, &stem, ext, &body).await?);
    }
    let manifest_text = crate::output::console::to_json(manifest)?;
    let manifest_name = store
        .add_evidence(
            id,
            &format!("capture-{stamp}-manifest"),
            "json",
            manifest_text.as_bytes(),
        )
        .await?;
    // The absolute path: the timeline is read later, from elsewhere.
    let from = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let line = format!(
        "evidence captured: {} files ({} withheld), from {}",
        manifest.files.len(),
        manifest.withheld.len(),
        from.display()
    );
    store
        .update(id, |i| {
            i.evidence.extend(names);
            i.add_evidence(now, EntryKind::Diagnose, line, me, manifest_name);
            Ok(())
        })
        .await?;
    Ok(())
}
