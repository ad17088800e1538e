//! Checks declared in the config file (`[[check]]`), against the incident sandbox's real
//! Prometheus, PostgreSQL, Alertmanager (as an HTTP endpoint) and API server: each is a check
//! like the built-in ones, in JSON, JUnit, the severity rules and `--list`, and runs alone with
//! `--check`. A SQL check cannot change data; a definition with an unknown key is exit 78.

use crate::support::{check, incident, incidentctl, Run};
use incidentctl_sandbox::world::World;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The world's config plus `checks` (TOML), written as `name`.
fn config_with(w: &World, name: &str, checks: &str) -> PathBuf {
    let path = w.dir().join(name);
    std::fs::write(&path, format!("{}\n{checks}", w.config_text(&[]))).unwrap();
    path
}

fn team_checks(w: &World) -> String {
    let alertmanager = w
        .env()
        .into_iter()
        .find(|(k, _)| k == "INCIDENTCTL_ALERTMANAGER_URL")
        .map(|(_, v)| v)
        .unwrap();
    format!(
        r#"
[[check]]
id = "payments.queue_depth"
runbooks = ["performance"]
description = "jobs waiting in the payments queue"
kind = "promql"
query = 'vector(150)'
unit = "jobs"
warning = 100
critical = 1000

[[check]]
id = "payments.open_invoices"
runbooks = ["database"]
kind = "sql"
query = "SELECT count(*) FROM generate_series(1, 42)"
warning = 40
critical = 100

[[check]]
id = "payments.no_writes"
runbooks = ["database"]
kind = "sql"
query = "CREATE TABLE written_by_a_check (x int)"
warning = 1
critical = 2

[[check]]
id = "payments.alertmanager_health"
runbooks = ["app-down"]
kind = "http"
url = "{alertmanager}/-/healthy"
body_regex = "OK"
warning = 2000
critical = 5000

[[check]]
id = "payments.backend_pods"
runbooks = ["app-down"]
kind = "kubernetes"
resource = "v1/Pod"
selector = "app=backend"
unit = "pods"
warning = 1
critical = 0
direction = "below"

[[severity.rules]]
severity = "SEV1"
check = "payments.open_invoices"
status = "warning"
reason = "invoices are piling up"
"#
    )
}

fn run(w: &World, config: &Path, args: &[&str]) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    let path = config.display().to_string();
    all.extend(["--config", &path]);
    incidentctl(Some(w), &all, &[])
}

#[test]
fn declared_checks_run_like_the_built_in_ones() {
    let w = incident();
    let config = config_with(w, "team-checks.toml", &team_checks(w));
    let doc: Value = run(w, &config, &["diagnose", "-o", "json"]).json();

    let queue = check(&doc, "payments.queue_depth");
    assert_eq!(queue["status"], "warning", "{queue:#}");
    assert_eq!(queue["value"], 150.0);
    assert_eq!(queue["unit"], "jobs");
    assert_eq!(
        queue["summary"],
        "jobs waiting in the payments queue: 150 jobs"
    );
    assert_eq!(
        (queue["warning"].clone(), queue["critical"].clone()),
        (100.0.into(), 1000.0.into())
    );

    let invoices = check(&doc, "payments.open_invoices");
    assert_eq!(invoices["status"], "warning", "{invoices:#}");
    assert_eq!(invoices["value"], 42.0);

    // Only a query runs, as a cursor in a read-only transaction: the server refuses anything
    // else, and the check cannot tell (tests/testsuite/trust.rs tries the ways around it).
    let writes = check(&doc, "payments.no_writes");
    assert_eq!(writes["status"], "unknown", "{writes:#}");
    assert!(
        writes["error"].as_str().unwrap().contains("42601"),
        "{writes:#}"
    );
    assert!(
        writes.to_string().contains("read-only transaction"),
        "{writes:#}"
    );

    let health = check(&doc, "payments.alertmanager_health");
    assert_eq!(health["status"], "ok", "{health:#}");
    assert_eq!(health["unit"], "ms");

    let pods = check(&doc, "payments.backend_pods");
    assert_eq!(pods["value"], 2.0, "{pods:#}");
    assert_eq!(pods["status"], "ok", "{pods:#}");

    // In the severity rules.
    assert_eq!(doc["summary"]["severity"], "SEV1", "{:#}", doc["summary"]);
    let reasons = doc["summary"]["reasons"].to_string();
    assert!(reasons.contains("invoices are piling up"), "{reasons}");

    // In JUnit.
    let junit = run(w, &config, &["diagnose", "-o", "junit"]);
    assert!(
        junit.stdout.contains("name=\"payments.queue_depth\""),
        "{}",
        junit.stdout
    );

    // In --list, with their levels.
    let list = run(w, &config, &["diagnose", "--list"]);
    assert!(
        list.stdout.contains("payments.queue_depth"),
        "{}",
        list.stdout
    );
    assert!(list.stdout.contains("> 100 / 1000"), "{}", list.stdout);
    assert!(
        list.stdout.contains("payments.backend_pods") && list.stdout.contains("< 1 / 0"),
        "{}",
        list.stdout
    );

    // Alone.
    let alone = run(
        w,
        &config,
        &["diagnose", "--check", "payments.queue_depth", "-o", "json"],
    )
    .json();
    let ids: Vec<&str> = alone["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["payments.queue_depth"]);
    let unknown = run(w, &config, &["diagnose", "--check", "payments.nope"]);
    assert_eq!(unknown.code, 64, "{}", unknown.all());
}

#[test]
fn a_bad_definition_is_a_configuration_error_naming_its_key() {
    let w = incident();
    let typo = config_with(
        w,
        "typo-check.toml",
        "[[check]]\nid = \"payments.queue_depth\"\nrunbooks = [\"performance\"]\nkind = \"promql\"\nquerry = 'up'\nwarning = 1\ncritical = 2\n",
    );
    let r = run(w, &typo, &["diagnose"]);
    assert_eq!(r.code, 78, "{}", r.all());
    assert!(r.stderr.contains("querry"), "{}", r.stderr);

    let clash = config_with(
        w,
        "clash-check.toml",
        "[[check]]\nid = \"k8s.pods\"\nrunbooks = [\"app-down\"]\nkind = \"promql\"\nquery = 'up'\nwarning = 1\ncritical = 2\n",
    );
    let r = run(w, &clash, &["diagnose"]);
    assert_eq!(r.code, 78, "{}", r.all());
    assert!(r.stderr.contains("check[0] (k8s.pods).id"), "{}", r.stderr);
}
