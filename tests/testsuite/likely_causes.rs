//! The onset and the likely causes on the shared worlds: the incident's suspects are the
//! database's (pool exhaustion in the logs, the lock chain, the connections) and no rollout is
//! invented; the healthy platform has none; with Prometheus down the suspects still come from
//! the other servers, the exit code is the same, and the report's impact says why it is unknown.

use crate::support::{closed_port, healthy, incident, incidentctl};

fn kinds(doc: &serde_json::Value) -> Vec<String> {
    doc["suspects"]
        .as_array()
        .unwrap_or_else(|| panic!("no suspects array: {doc:#}"))
        .iter()
        .map(|s| s["kind"].as_str().unwrap_or("?").to_string())
        .collect()
}

#[test]
fn the_incidents_suspects_are_the_databases_and_no_rollout_is_invented() {
    let run = incidentctl(Some(incident()), &["diagnose", "-o", "json"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let doc = run.json();
    let kinds = kinds(&doc);
    assert_eq!(
        kinds[..3].to_vec(),
        ["pool-exhausted", "lock-chain", "connections-near-limit"],
        "{kinds:?}"
    );
    // The sandbox keeps backend's revision 2 (rolled out as the sandbox started, so `rollback`
    // has an earlier revision): a change after the onset, ranked last, never placed before it.
    for s in doc["suspects"].as_array().into_iter().flatten() {
        if s["kind"] == "rollout" {
            assert_eq!(s["timing"], "after", "{s:#}");
            assert!(s["seconds_before_onset"].as_i64() < Some(0), "{s:#}");
        }
    }
    // The sandbox's history is 7 % 5xx from its first sample: the onset is at or before it.
    assert_eq!(
        doc["onset"]["signal"], "prometheus.error_rate",
        "{:#}",
        doc["onset"]
    );
    assert_eq!(doc["onset"]["bounded"], false);
    let text = incidentctl(Some(incident()), &["diagnose", "--no-color"], &[]);
    assert!(
        text.stdout
            .contains("Likely causes:\n  1. the app's database connection pool is exhausted"),
        "{}",
        text.stdout
    );
    let explained = incidentctl(
        Some(incident()),
        &["diagnose", "--explain", "--no-color"],
        &[],
    );
    assert!(explained.stdout.contains("ranks here: seen now; when it began is unknown; a connection pool exhausted can cause errors"), "{}", explained.stdout);
}

#[test]
fn the_healthy_platform_has_no_suspects() {
    let doc = incidentctl(Some(healthy()), &["diagnose", "-o", "json"], &[]).json();
    assert_eq!(kinds(&doc), Vec::<String>::new());
    assert_eq!(doc["onset"], serde_json::Value::Null);
    let text = incidentctl(Some(healthy()), &["diagnose", "--no-color"], &[]);
    assert!(
        text.stdout.contains("Likely causes: no suspects"),
        "{}",
        text.stdout
    );
}

#[test]
fn with_prometheus_down_suspects_come_from_the_rest_and_the_impact_says_why() {
    let down = format!("http://127.0.0.1:{}", closed_port());
    let env = [("INCIDENTCTL_PROMETHEUS_URL", down.as_str())];
    let before = incidentctl(Some(incident()), &["diagnose", "-o", "json"], &[]);
    let run = incidentctl(Some(incident()), &["diagnose", "-o", "json"], &env);
    assert_eq!(
        run.code, before.code,
        "the exit code is unchanged: {}",
        run.stderr
    );
    let doc = run.json();
    let kinds = kinds(&doc);
    assert_eq!(kinds[0], "pool-exhausted", "{kinds:?}");
    // The alerts still date the onset; Prometheus's absence is said.
    let notes = doc["onset"]["notes"].to_string();
    assert!(notes.contains("prometheus unreachable"), "{notes}");

    let store = tempfile::tempdir().unwrap();
    let store_path = store.path().display().to_string();
    let mut env2 = env.to_vec();
    env2.push(("INCIDENTCTL_REPORT_STORE", store_path.as_str()));
    let id = incidentctl(
        Some(incident()),
        &["report", "new", "--title", "API 5xx", "--from-diagnose"],
        &env2,
    );
    assert_eq!(id.code, 0, "{}", id.stderr);
    let id = id.stdout.trim().to_string();
    let md = incidentctl(Some(incident()), &["report", "render", &id], &env2);
    assert!(
        md.stdout
            .contains("- Measured impact: unknown: prometheus unreachable"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains("Suspected, not confirmed"),
        "{}",
        md.stdout
    );
    let shown = incidentctl(
        Some(incident()),
        &["report", "show", &id, "-o", "json"],
        &env2,
    )
    .json();
    assert!(
        shown["impact"]["unknown"]
            .as_str()
            .unwrap_or("")
            .starts_with("prometheus unreachable"),
        "{:#}",
        shown["impact"]
    );
}
