//! Runbooks as data: the seed's five built in, in the format a team writes, select exactly the
//! checks they selected when they were code; a team's own runbooks (from docs/runbooks.md) are
//! diagnosed, shown live and run step by step through each command's own pipeline on the
//! sandbox's real servers; a bad definition is a configuration error naming its file and line.

use crate::support::incidentctl;
use serde_json::Value;

/// Which checks each built-in runbook ran before the runbooks were data (incidentctl 7da17d6,
/// `src/checks/mod.rs`), in the order diagnose shows them.
const BEFORE: &[(&str, &[&str])] = &[
    (
        "app-down",
        &[
            "k8s.pods",
            "k8s.deployments",
            "k8s.ingress",
            "k8s.endpoints",
            "postgres.ping",
            "redis.ping",
            "k8s.events",
            "k8s.recent_changes",
        ],
    ),
    (
        "database",
        &[
            "postgres.ping",
            "postgres.connections",
            "postgres.long_queries",
            "postgres.slow_queries",
            "postgres.replication",
            "postgres.locks",
            "postgres.idle_in_transaction",
        ],
    ),
    (
        "error-rate",
        &[
            "prometheus.error_rate",
            "k8s.log_errors",
            "k8s.events",
            "k8s.recent_changes",
            "alertmanager.alerts",
            "k8s.config",
        ],
    ),
    (
        "performance",
        &[
            "postgres.slow_queries",
            "postgres.locks",
            "prometheus.latency_p95",
            "k8s.pod_resources",
            "k8s.nodes",
            "prometheus.disk_usage",
            "redis.memory",
        ],
    ),
    (
        "security",
        &[
            "k8s.auth_failures",
            "prometheus.forbidden_rate",
            "postgres.audit_logs",
            "k8s.networkpolicy",
        ],
    ),
];

fn list(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["diagnose", "--list", "-o", "json"];
    all.extend_from_slice(args);
    let run = incidentctl(None, &all, &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    run.json().as_array().cloned().unwrap_or_default()
}

#[test]
fn the_built_in_runbooks_select_the_checks_they_selected_as_code() {
    let mut every: Vec<&str> = Vec::new();
    for (runbook, before) in BEFORE {
        let ids: Vec<String> = list(&[runbook])
            .iter()
            .map(|c| c["id"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(ids, *before, "diagnose {runbook}");
        for id in *before {
            if !every.contains(id) {
                every.push(id);
            }
        }
    }
    // And every check, each with every runbook that runs it, in the runbooks' order.
    let all = list(&[]);
    assert_eq!(all.len(), every.len());
    for check in &all {
        let id = check["id"].as_str().unwrap_or_default();
        let expected: Vec<&str> = BEFORE
            .iter()
            .filter(|(_, ids)| ids.contains(&id))
            .map(|(name, _)| *name)
            .collect();
        assert_eq!(check["runbooks"], serde_json::json!(expected), "{id}");
    }
}
