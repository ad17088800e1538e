//! Every JSON output kind against its versioned schema in `schema/`: diagnose (with `[[check]]`s,
//! `--baseline`, several contexts, `--watch`), `diagnose diff`, `report show`, `doctor`,
//! `config show`, a change's `-o json` and its audit line. Each document comes from the real
//! binary on the sandbox; a schema that does not admit what the binary prints fails here.

use crate::support::{incident, incidentctl, Run};
use serde_json::Value;
use std::path::Path;

/// The schema file `name` of `schema/`, compiled.
fn validator(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name} is not a schema: {e}"))
}

/// Fails with every violation of `doc` against the schema `name`, saying what printed it.
fn assert_valid(name: &str, what: &str, doc: &Value) {
    let errors: Vec<String> = validator(name)
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match {name}: {errors:#?}\n{doc:#}"
    );
}

fn json(run: &Run) -> Value {
    run.json()
}

/// diagnose.md's own `[[check]]` example (its id is not a built-in target's), and a check whose
/// low values are bad.
const CHECKS: &str = r#"
[[check]]
id = "payments.queue_depth"
runbooks = ["performance"]
description = "jobs waiting in the payments queue"
kind = "promql"
query = 'vector(3)'
unit = "jobs"
warning = 100
critical = 1000
direction = "above"

[[check]]
id = "payments.ready_replicas"
runbooks = ["app-down"]
kind = "promql"
query = 'vector(3)'
unit = "replicas"
warning = 4
critical = 1
direction = "below"
"#;

#[test]
fn diagnose_with_checks_a_baseline_and_diff_match_their_schemas() {
    let w = incident();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("checks.toml");
    std::fs::write(&config, format!("{}{CHECKS}", w.config_text(&[]))).unwrap();
    let env = [("INCIDENTCTL_CONFIG", config.to_str().unwrap())];
    let run = incidentctl(Some(w), &["diagnose", "-o", "json"], &env);
    assert_eq!(run.code, 2, "{}", run.all());
    let doc = json(&run);
    let below = crate::support::check(&doc, "payments.ready_replicas");
    assert_eq!(below["direction"], "below", "{below:#}");
    assert_valid("diagnose-v1.schema.json", "diagnose with [[check]]s", &doc);

    let before = dir.path().join("before.json");
    std::fs::write(&before, &run.stdout).unwrap();
    let before_s = before.to_str().unwrap();
    let compared = incidentctl(
        Some(w),
        &["diagnose", "--baseline", before_s, "-o", "json"],
        &env,
    );
    let doc = json(&compared);
    assert!(doc["comparison"]["checks"].is_array(), "{doc:#}");
    assert_valid("diagnose-v1.schema.json", "diagnose --baseline", &doc);

    // What --baseline printed is itself a baseline: diff reads it, and the diff has its schema.
    let after = dir.path().join("after.json");
    std::fs::write(&after, &compared.stdout).unwrap();
    let diff = incidentctl(
        None,
        &[
            "diagnose",
            "diff",
            before_s,
            after.to_str().unwrap(),
            "-o",
            "json",
        ],
        &[],
    );
    assert!(matches!(diff.code, 0..=3), "{}", diff.all());
    assert_valid(
        "diagnose-diff-v1.schema.json",
        "diagnose diff",
        &json(&diff),
    );
}

#[test]
fn diagnose_of_several_contexts_and_watch_lines_match_their_schemas() {
    let w = incident();
    let dir = tempfile::tempdir().unwrap();
    // The sandbox's cluster under a second name: two contexts, one document.
    let kubeconfig = std::fs::read_to_string(&w.kubeconfig).unwrap().replace(
        "current-context:",
        "- name: second\n  context:\n    cluster: sandbox\n    user: sandbox\n    namespace: reconciliation\ncurrent-context:",
    );
    let path = dir.path().join("kubeconfig");
    std::fs::write(&path, kubeconfig).unwrap();
    let env = [("KUBECONFIG", path.to_str().unwrap())];
    let args = [
        "diagnose",
        "--context",
        "sandbox",
        "--context",
        "second",
        "--check",
        "redis.memory",
        "--check",
        "k8s.pods",
        "-o",
        "json",
    ];
    let run = incidentctl(Some(w), &args, &env);
    let doc = json(&run);
    assert_valid(
        "diagnose-contexts-v1.schema.json",
        "diagnose --context ×2",
        &doc,
    );
    let contexts = doc["contexts"].as_array().unwrap();
    assert_eq!(contexts.len(), 2, "{doc:#}");
    for c in contexts {
        assert_valid(
            "diagnose-v1.schema.json",
            "one context's diagnosis",
            &c["diagnosis"],
        );
    }

    let watch = incidentctl(
        Some(w),
        &[
            "diagnose",
            "--watch",
            "-o",
            "json",
            "--interval",
            "1s",
            "--watch-timeout",
            "3s",
            "--check",
            "redis.memory",
            "--check",
            "k8s.pods",
        ],
        &[],
    );
    let lines: Vec<&str> = watch.stdout.lines().collect();
    assert!(
        lines.len() >= 2,
        "the first run's problems are new: {}",
        watch.all()
    );
    for line in lines {
        let doc: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_valid("diagnose-watch-v1.schema.json", "a --watch line", &doc);
    }
}

#[test]
fn report_show_doctor_config_a_change_and_its_audit_line_match_their_schemas() {
    let w = incident();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("incidents");
    let audit = dir.path().join("audit.jsonl");
    let env = [
        ("INCIDENTCTL_REPORT_STORE", store.to_str().unwrap()),
        ("INCIDENTCTL_AUDIT_LOG", audit.to_str().unwrap()),
    ];
    let opened = incidentctl(
        Some(w),
        &["report", "new", "--title", "schemas", "--severity", "SEV2"],
        &env,
    );
    assert_eq!(opened.code, 0, "{}", opened.all());
    let id = opened.stdout.trim();

    let change = incidentctl(
        Some(w),
        &[
            "restart",
            "backend",
            "--dry-run",
            "-o",
            "json",
            "--incident",
            id,
        ],
        &env,
    );
    assert_eq!(change.code, 0, "{}", change.all());
    assert_valid(
        "change-v1.schema.json",
        "restart --dry-run -o json",
        &json(&change),
    );
    let line = std::fs::read_to_string(&audit).unwrap();
    let line: Value = serde_json::from_str(line.lines().last().unwrap()).unwrap();
    assert_eq!(line["incident"], id);
    assert_valid("audit-v1.schema.json", "the audit line", &line);

    let show = incidentctl(Some(w), &["report", "show", id, "-o", "json"], &env);
    assert_eq!(show.code, 0, "{}", show.all());
    let doc = json(&show);
    assert!(
        doc["timeline"].to_string().contains("dry-run"),
        "the audited change is on the timeline: {doc:#}"
    );
    assert_valid("report-show-v1.schema.json", "report show", &doc);

    let doctor = incidentctl(Some(w), &["doctor", "-o", "json"], &env);
    assert_valid("doctor-v1.schema.json", "doctor", &json(&doctor));

    let config = incidentctl(Some(w), &["config", "show", "-o", "json"], &env);
    assert_eq!(config.code, 0, "{}", config.all());
    assert_valid("config-v1.schema.json", "config show", &json(&config));
}

/// Every schema file is one of the documented kinds, and each kind above has its file: a new
/// output kind needs both.
#[test]
fn every_schema_is_versioned_and_tested_here() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".schema.json"))
        .collect();
    names.sort();
    let tested = include_str!("schemas.rs");
    for name in &names {
        let version = name
            .trim_end_matches(".schema.json")
            .rsplit_once("-v")
            .map(|(_, v)| v.to_string())
            .unwrap_or_default();
        assert!(
            !version.is_empty() && version.chars().all(|c| c.is_ascii_digit()),
            "{name}: a schema's file name ends in its version (-v1.schema.json)"
        );
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            schema["$id"]
                .as_str()
                .is_some_and(|id| id.ends_with(&format!("/v{version}"))),
            "{name}: $id names the version"
        );
        assert!(
            tested.contains(&format!("\"{name}\"")),
            "{name} is validated against an output in tests/testsuite/schemas.rs"
        );
    }
    assert!(names.len() >= 9, "{names:?}");
}
