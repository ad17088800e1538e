//! `diagnose --capture DIR` on the incident sandbox: the bundle has each source's file, the
//! manifest's hashes and sizes match the files, and no secret of the sandbox (the secret's
//! value, base64 or not, the database password in the app's logs) is anywhere in DIR. With
//! `--incident` the files are stored with the incident and its timeline links the manifest.

use crate::support::{incident, incidentctl};
use incidentctl_sandbox::scenario::{PG_PASSWORD, SECRET_VALUE};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn every_file(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(every_file(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn base64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[test]
fn the_bundle_has_every_source_matching_hashes_and_no_secret() {
    let w = incident();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("evidence");
    let store = tmp.path().join("incidents");
    let store_s = store.display().to_string();
    let env = [("INCIDENTCTL_REPORT_STORE", store_s.as_str())];

    let new = incidentctl(
        Some(w),
        &[
            "report",
            "new",
            "--title",
            "errors",
            "--severity",
            "sev2",
            "-o",
            "json",
        ],
        &env,
    );
    assert_eq!(new.code, 0, "{}", new.all());
    let id = new.json()["id"].as_str().unwrap().to_string();

    let dir_s = dir.display().to_string();
    let run = incidentctl(
        Some(w),
        &[
            "diagnose",
            "--capture",
            &dir_s,
            "--incident",
            &id,
            "-o",
            "json",
        ],
        &env,
    );
    assert_eq!(run.code, 2, "the incident's own code: {}", run.all());
    assert!(run.stderr.contains("evidence:"), "{}", run.stderr);

    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["schema"], "incidentctl.capture/v1");
    let files = manifest["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    for expected in [
        "diagnosis.json",
        "kubernetes/events.json",
        "kubernetes/pods.json",
        "kubernetes/deployments.json",
        "postgres/activity.json",
        "postgres/locks.json",
        "redis/info.txt",
        "alertmanager/alerts.json",
        "prometheus/queries.json",
    ] {
        assert!(paths.contains(&expected), "{expected} missing: {paths:?}");
    }
    assert!(
        paths.iter().any(|p| p.starts_with("kubernetes/logs/")),
        "the unhealthy pods' logs: {paths:?}"
    );
    for f in files {
        let body = std::fs::read(dir.join(f["path"].as_str().unwrap())).unwrap();
        let hash: String = Sha256::digest(&body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(f["sha256"], hash.as_str(), "{f:#}");
        assert_eq!(f["size"], body.len() as u64, "{f:#}");
    }
    // The probe event's password is hidden inside its message, which still reads.
    let events = std::fs::read_to_string(dir.join("kubernetes/events.json")).unwrap();
    assert!(
        events.contains(r#"auth failed password=\"***\""#),
        "{events}"
    );
    let withheld = manifest["withheld"].to_string();
    assert!(withheld.contains("secret values"), "{withheld}");
    // The locked sessions of the incident are in the lock graph, their literals redacted.
    let locks = std::fs::read_to_string(dir.join("postgres/locks.json")).unwrap();
    assert!(locks.contains("blocking_pid"), "{locks}");

    // Canaries: the sandbox's secret (plain and base64) and the password its logs print.
    let canaries = [
        SECRET_VALUE.to_string(),
        base64(SECRET_VALUE),
        PG_PASSWORD.to_string(),
    ];
    for file in every_file(&dir) {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        // Redacted field by field: every JSON file is still JSON (issue 30, finding 3).
        if file.extension().is_some_and(|e| e == "json") {
            serde_json::from_str::<Value>(&text)
                .unwrap_or_else(|e| panic!("{} is not valid JSON ({e}):\n{text}", file.display()));
        }
        for canary in &canaries {
            assert!(
                !text.contains(canary.as_str()),
                "{} holds a secret ({canary})",
                file.display()
            );
        }
    }

    // Stored with the incident: its timeline links the manifest.
    let show = incidentctl(Some(w), &["report", "show", &id, "-o", "json"], &env);
    assert_eq!(show.code, 0, "{}", show.all());
    let doc = show.json();
    let entry = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["text"]
                .as_str()
                .unwrap_or("")
                .starts_with("evidence captured")
        })
        .unwrap_or_else(|| panic!("no capture entry: {doc:#}"))
        .clone();
    let manifest_name = entry["evidence"].as_str().unwrap();
    assert!(manifest_name.contains("manifest"), "{entry:#}");
    let rendered = incidentctl(Some(w), &["report", "render", &id], &env);
    assert!(
        rendered.stdout.contains(manifest_name),
        "{}",
        rendered.stdout
    );

    // A directory with files in it is refused before anything runs.
    let again = incidentctl(Some(w), &["diagnose", "--capture", &dir_s], &env);
    assert_eq!(again.code, 64, "{}", again.all());
    assert!(again.stdout.is_empty(), "{}", again.stdout);
}

#[test]
fn a_diagnosis_or_a_change_for_an_incident_not_in_the_store_is_refused_naming_the_store() {
    let w = incident();
    let store = tempfile::tempdir().unwrap();
    let store_s = store.path().display().to_string();
    let audit = store.path().join("audit.jsonl");
    let env = [
        ("INCIDENTCTL_REPORT_STORE", store_s.as_str()),
        ("INCIDENTCTL_AUDIT_LOG", audit.to_str().unwrap()),
    ];
    // The id changes.md once used, pasted as it was: no such incident in this store.
    for args in [
        &[
            "diagnose",
            "--check",
            "redis.ping",
            "--incident",
            "INC-20261126-001",
        ][..],
        &[
            "security",
            "block-ip",
            "10.1.2.3",
            "--dry-run",
            "--incident",
            "INC-20261126-001",
        ],
    ] {
        let run = incidentctl(Some(w), args, &env);
        assert_eq!(run.code, 66, "{args:?}: {}", run.all());
        assert!(
            run.stderr
                .contains(&format!("no incident INC-20261126-001 in {store_s}")),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "nothing ran: {}", run.stdout);
    }
    // So from the environment, as the README's tour sets it.
    let run = incidentctl(
        Some(w),
        &["diagnose", "--check", "redis.ping"],
        &[env[0], env[1], ("INCIDENTCTL_INCIDENT", "INC-20261202-001")],
    );
    assert_eq!(run.code, 66, "{}", run.all());
    assert!(
        !audit.exists(),
        "nothing was audited for a made-up incident"
    );
}
