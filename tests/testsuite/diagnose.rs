//! End-to-end tests of `incidentctl diagnose`: the real binary against real PostgreSQL, Redis,
//! Prometheus and Alertmanager servers and a real Kubernetes control plane, started in temp dirs.

use crate::support::{
    check, closed_port, healthy, hung_server, incident, incidentctl, real_pod_names, status, Run,
};
use incidentctl_sandbox::scenario::{Scenario, PG_PASSWORD, SECRET_VALUE};
use incidentctl_sandbox::world::{Kubernetes, World};
use serde_json::Value;
use std::sync::OnceLock;
use std::time::Duration;

fn diagnose_json(world: &World, extra_args: &[&str], env: &[(&str, &str)]) -> (Run, Value) {
    let mut args = vec!["diagnose", "-o", "json"];
    args.extend_from_slice(extra_args);
    let run = incidentctl(Some(world), &args, env);
    let doc = run.json();
    (run, doc)
}

/// One diagnose of each world, shared by the tests that only read it.
fn incident_doc() -> &'static (Run, Value) {
    static DOC: OnceLock<(Run, Value)> = OnceLock::new();
    DOC.get_or_init(|| diagnose_json(incident(), &[], &[]))
}

fn healthy_doc() -> &'static (Run, Value) {
    static DOC: OnceLock<(Run, Value)> = OnceLock::new();
    DOC.get_or_init(|| diagnose_json(healthy(), &[], &[]))
}

/// Runs diagnose with a config file of the world's settings plus `extra` lines.
fn with_config(
    world: &World,
    name: &str,
    extra: &[(&str, &str)],
    runbooks: &[&str],
) -> (Run, Value) {
    let path = world.write_config(name, extra).expect("write config");
    let path = path.display().to_string();
    let mut args: Vec<&str> = runbooks.to_vec();
    args.extend(["--config", &path]);
    diagnose_json(world, &args, &[])
}

/// Every built-in check's id, in the order they are shown: `CHECKS` is the one list of them
/// (docs.rs holds the table of docs/diagnose.md to it).
fn all_checks() -> Vec<&'static str> {
    incidentctl::checks::CHECKS.iter().map(|c| c.id).collect()
}

#[test]
fn every_check_exists_with_its_id_in_table_order() {
    let (_, doc) = healthy_doc();
    let ids: Vec<&str> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, all_checks());
}

#[test]
fn every_check_is_ok_on_a_healthy_platform_and_exit_is_0() {
    let (run, doc) = healthy_doc();
    for id in all_checks() {
        let c = check(doc, id);
        assert_eq!(c["status"], "ok", "{id} on the healthy platform: {c:#}");
    }
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(doc["summary"]["severity"], Value::Null);
    assert_eq!(doc["summary"]["overall"], "ok");
}

/// The seeded incident: (check, status, a piece of evidence or summary that must be shown).
const INCIDENT_FINDINGS: &[(&str, &str, &str)] = &[
    (
        "k8s.pods",
        "warning",
        "backend-7c9d8f6b5-fghij: backend: CrashLoopBackOff",
    ),
    ("k8s.deployments", "warning", "backend has 1/2 available"),
    ("postgres.connections", "warning", "of 25 connections"),
    ("postgres.long_queries", "warning", "pg_sleep(3600)"),
    ("postgres.slow_queries", "warning", "SELECT pg_sleep($1)"),
    ("postgres.locks", "warning", "blocked by"),
    (
        "postgres.idle_in_transaction",
        "warning",
        "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE",
    ),
    ("prometheus.error_rate", "critical", "5xx error rate 6.8"),
    ("k8s.log_errors", "critical", "connection pool exhausted"),
    ("k8s.events", "warning", "BackOff"),
    (
        "alertmanager.alerts",
        "critical",
        "HighErrorRate [critical]",
    ),
    ("prometheus.latency_p95", "warning", "p95 latency 3 s"),
    (
        "k8s.pod_resources",
        "warning",
        "backend-7c9d8f6b5-abcde/backend: cpu 920m of 1 (92%)",
    ),
    ("k8s.nodes", "warning", "node-1: cpu 85%"),
    (
        "prometheus.disk_usage",
        "warning",
        "/var/lib/postgresql: 85% used",
    ),
    ("redis.memory", "warning", "policy noeviction"),
    ("k8s.auth_failures", "warning", "45 denied requests"),
    ("prometheus.forbidden_rate", "warning", "403 rate 2.91%"),
    ("postgres.audit_logs", "warning", "login_failed"),
];

#[test]
fn every_failing_check_of_the_incident_reports_it_with_evidence() {
    let (_, doc) = incident_doc();
    for (id, expected, shown) in INCIDENT_FINDINGS {
        let c = check(doc, id);
        assert_eq!(c["status"], *expected, "{id}: {c:#}");
        let shown = &real_pod_names(incident(), "reconciliation", shown);
        let text = format!("{} {}", c["summary"], c["evidence"]);
        assert!(text.contains(shown), "{id} should show {shown:?}: {c:#}");
    }
}

#[test]
fn the_incident_is_sev2_and_exits_2() {
    let (run, doc) = incident_doc();
    assert_eq!(run.code, 2, "{}", run.stderr);
    let s = &doc["summary"];
    assert_eq!(s["overall"], "critical");
    assert_eq!(s["severity"], "SEV2");
    assert_eq!(s["response_time"], "1 hour");
    assert!(
        s["reasons"][0]
            .as_str()
            .unwrap()
            .contains("k8s.deployments"),
        "{s:#}"
    );
    assert_eq!(s["critical"], 3);
}

#[test]
fn events_fall_back_to_event_time_and_skip_old_and_normal_events() {
    let (_, doc) = incident_doc();
    let ev = check(doc, "k8s.events");
    let evidence = ev["evidence"].to_string();
    // "backend-unhealthy" has only eventTime; "old-warning" is 2 h old; "backend-pulled" is Normal.
    assert!(evidence.contains("Unhealthy"), "{ev:#}");
    assert!(!evidence.contains("FailedMount"), "{ev:#}");
    assert!(!evidence.contains("Pulled"), "{ev:#}");
    assert_eq!(ev["value"], 2.0);
    let first = ev["evidence"][0].as_str().unwrap();
    assert!(first.contains("BackOff"), "newest first: {ev:#}");
}

#[test]
fn missing_objects_make_their_checks_fail() {
    let (_, doc) = with_config(
        healthy(),
        "missing-objects.toml",
        &[
            ("kubernetes", "deployments = [\"backend\", \"payments\"]"),
            ("kubernetes", "ingress = \"no-such-ingress\""),
            ("kubernetes", "services = [\"backend\", \"redis-service\"]"),
            ("kubernetes", "configmap = \"no-such-config\""),
            ("kubernetes", "network_policy = \"no-such-policy\""),
        ],
        &["app-down", "error-rate", "security"],
    );
    let expect = [
        ("k8s.deployments", "critical", "payments not found"),
        (
            "k8s.ingress",
            "critical",
            "ingress no-such-ingress not found",
        ),
        (
            "k8s.endpoints",
            "critical",
            "no ready endpoints for redis-service",
        ),
        (
            "k8s.config",
            "critical",
            "configmap no-such-config not found",
        ),
        ("k8s.networkpolicy", "warning", "no-such-policy not found"),
    ];
    for (id, st, text) in expect {
        let c = check(&doc, id);
        assert_eq!(c["status"], st, "{id}: {c:#}");
        assert!(c["summary"].as_str().unwrap().contains(text), "{id}: {c:#}");
    }
}

#[test]
fn fewer_streaming_replicas_than_expected_is_critical() {
    let (_, doc) = with_config(
        incident(),
        "replicas-expected.toml",
        &[("postgres", "expected_replicas = 1")],
        &["database"],
    );
    let c = check(&doc, "postgres.replication");
    assert_eq!(c["status"], "critical", "{c:#}");
    assert!(c["summary"]
        .as_str()
        .unwrap()
        .contains("0 of 1 expected replicas streaming"));
}

#[test]
fn slow_queries_is_unknown_with_a_hint_when_pg_stat_statements_is_missing() {
    let w = healthy();
    // The `postgres` database has no pg_stat_statements extension (only the app database does).
    let url = w.postgres_url().replace("/reconciliation_app", "/postgres");
    let (_, doc) = diagnose_json(w, &["database"], &[("INCIDENTCTL_POSTGRES_URL", &url)]);
    let c = check(&doc, "postgres.slow_queries");
    assert_eq!(c["status"], "unknown", "{c:#}");
    assert!(
        c["hint"]
            .as_str()
            .unwrap()
            .contains("CREATE EXTENSION pg_stat_statements"),
        "{c:#}"
    );
}

#[test]
fn audit_logs_is_unknown_with_a_hint_when_the_table_is_absent_and_exit_is_3() {
    let (run, doc) = with_config(
        healthy(),
        "no-audit.toml",
        &[("postgres", "audit_table = \"no_such_table\"")],
        &["security"],
    );
    let c = check(&doc, "postgres.audit_logs");
    assert_eq!(c["status"], "unknown", "{c:#}");
    assert!(c["hint"].as_str().unwrap().contains("audit_table"), "{c:#}");
    assert_eq!(run.code, 3, "nothing critical, one unknown: {}", run.stdout);
}

#[test]
fn a_warning_alone_exits_1() {
    let (run, doc) = with_config(
        healthy(),
        "warn-only.toml",
        &[("kubernetes", "network_policy = \"gone\"")],
        &["security"],
    );
    assert_eq!(status(&doc, "k8s.networkpolicy"), "warning");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(doc["summary"]["severity"], "SEV3");
}

/// Threshold boundaries on real Prometheus: the configured PromQL is evaluated by the server.
fn prometheus_value(name: &str, key: &str, promql: &str) -> Value {
    let line = format!("{key} = \"{promql}\"");
    let (_, doc) = with_config(
        healthy(),
        name,
        &[("prometheus", &line)],
        &["error-rate", "performance", "security"],
    );
    doc
}

#[test]
fn error_rate_boundaries_are_strictly_above_one_and_five_percent() {
    for (promql, expected) in [
        ("vector(0.01)", "ok"),
        ("vector(0.0101)", "warning"),
        ("vector(0.05)", "warning"),
        ("vector(0.0501)", "critical"),
    ] {
        let doc = prometheus_value(&format!("er-{promql}.toml"), "error_rate_query", promql);
        let c = check(&doc, "prometheus.error_rate");
        assert_eq!(c["status"], expected, "{promql}: {c:#}");
        assert_eq!(c["warning"], 1.0);
        assert_eq!(c["critical"], 5.0);
    }
}

#[test]
fn latency_boundaries_are_strictly_above_two_and_five_seconds() {
    for (promql, expected) in [
        ("vector(2)", "ok"),
        ("vector(2.001)", "warning"),
        ("vector(5)", "warning"),
        ("vector(5.2)", "critical"),
    ] {
        let doc = prometheus_value(&format!("lat-{promql}.toml"), "latency_p95_query", promql);
        assert_eq!(status(&doc, "prometheus.latency_p95"), expected, "{promql}");
    }
}

#[test]
fn an_error_rate_of_fifty_percent_is_sev2() {
    let doc = prometheus_value("er-50.toml", "error_rate_query", "vector(0.5)");
    assert_eq!(doc["summary"]["severity"], "SEV2", "{:#}", doc["summary"]);
    assert!(doc["summary"]["reasons"]
        .to_string()
        .contains("error rate at or above 50%"));
}

#[test]
fn a_query_with_no_data_is_unknown_with_a_hint() {
    let doc = prometheus_value("er-empty.toml", "error_rate_query", "absent_metric_xyz");
    let c = check(&doc, "prometheus.error_rate");
    assert_eq!(c["status"], "unknown", "{c:#}");
    assert!(c["error"].as_str().unwrap().contains("no data"), "{c:#}");
}

#[test]
fn configured_thresholds_change_the_verdict() {
    let (_, doc) = with_config(
        incident(),
        "lenient.toml",
        &[
            ("thresholds.redis_memory", "warning = 95.0"),
            ("thresholds.redis_memory", "critical = 99.0"),
        ],
        &["performance"],
    );
    let c = check(&doc, "redis.memory");
    assert_eq!(c["status"], "ok", "{c:#}");
    assert_eq!(c["warning"], 95.0);
}

#[test]
fn a_wrong_password_is_critical_names_the_cause_and_never_shows_the_password() {
    let w = healthy();
    let url = w.postgres_url().replace(PG_PASSWORD, "wrong-password-123");
    let (run, doc) = diagnose_json(w, &["database"], &[("INCIDENTCTL_POSTGRES_URL", &url)]);
    let c = check(&doc, "postgres.ping");
    assert_eq!(c["status"], "critical", "{c:#}");
    assert!(
        c["error"]
            .as_str()
            .unwrap()
            .contains("password authentication failed"),
        "{c:#}"
    );
    assert!(c["hint"].as_str().unwrap().contains("password"), "{c:#}");
    assert!(!run.all().contains("wrong-password-123"), "{}", run.all());
    assert_eq!(doc["summary"]["severity"], "SEV1");
}

#[test]
fn a_down_target_leaves_every_other_result_intact() {
    let w = incident();
    let (_, before) = incident_doc();
    let down = format!("redis://127.0.0.1:{}", closed_port());
    let (run, doc) = diagnose_json(w, &[], &[("INCIDENTCTL_REDIS_URL", &down)]);
    assert_eq!(status(&doc, "redis.ping"), "critical");
    let memory = check(&doc, "redis.memory");
    assert_eq!(memory["status"], "unknown", "{memory:#}");
    assert!(
        memory["error"].as_str().unwrap().contains("127.0.0.1"),
        "names the target: {memory:#}"
    );
    for id in all_checks()
        .into_iter()
        .filter(|id| !id.starts_with("redis."))
    {
        assert_eq!(
            status(&doc, id),
            status(before, id),
            "{id} changed when Redis went down: {:#}",
            check(&doc, id)
        );
    }
    assert_eq!(run.code, 2);
}

#[test]
fn hung_targets_time_out_within_the_timeout_plus_one_second_and_hide_nothing_else() {
    let w = incident();
    let hung = hung_server();
    let kubeconfig = w.dir().join("hung-kubeconfig");
    std::fs::write(
        &kubeconfig,
        incidentctl_sandbox::standin::kubeconfig_for(
            &format!("http://{hung}"),
            "hung",
            "reconciliation",
        ),
    )
    .unwrap();
    let env = [
        (
            "INCIDENTCTL_POSTGRES_URL",
            format!("postgres://u:p@{hung}/db"),
        ),
        ("INCIDENTCTL_REDIS_URL", format!("redis://{hung}")),
        ("INCIDENTCTL_PROMETHEUS_URL", format!("http://{hung}")),
        ("KUBECONFIG", kubeconfig.display().to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (run, doc) = diagnose_json(w, &["--timeout", "1s"], &env);
    assert!(
        run.elapsed < Duration::from_secs(2),
        "took {:?}",
        run.elapsed
    );
    for c in doc["checks"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        if id.starts_with("alertmanager.") {
            assert_eq!(c["status"], "critical", "Alertmanager still answers: {c:#}");
            continue;
        }
        let expected = if id == "postgres.ping" || id == "redis.ping" {
            "critical"
        } else {
            "unknown"
        };
        assert_eq!(c["status"], expected, "{id}: {c:#}");
        assert!(
            c["error"].as_str().unwrap().contains("timed out"),
            "{id}: {c:#}"
        );
    }
    assert_eq!(run.code, 2);
}

#[test]
fn json_output_matches_the_published_schema() {
    let schema: Value =
        serde_json::from_str(include_str!("../../schema/diagnose-v1.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    for (_, doc) in [incident_doc(), healthy_doc()] {
        let errors: Vec<String> = validator
            .iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn table_output_shows_every_check_the_severity_and_the_escalation() {
    let run = incidentctl(Some(incident()), &["diagnose"], &[]);
    assert_eq!(run.code, 2);
    for id in all_checks() {
        assert!(run.stdout.contains(id), "{id} missing from the table");
    }
    assert!(run.stdout.contains("CRITICAL"));
    assert!(run.stdout.contains("Suggested severity: SEV2 (HIGH)"));
    assert!(run.stdout.contains("respond within 1 hour"));
    assert!(run.stdout.contains("60+ min CTO and stakeholders notified"));
    assert!(
        !run.stdout.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    assert!(
        run.stderr.is_empty(),
        "no progress or talk without a terminal: {}",
        run.stderr
    );
}

#[test]
fn markdown_output_is_a_pasteable_report() {
    let run = incidentctl(Some(incident()), &["diagnose", "-o", "markdown"], &[]);
    assert_eq!(run.code, 2);
    let md = &run.stdout;
    assert!(
        md.starts_with("## incidentctl diagnose: namespace `reconciliation`"),
        "{md}"
    );
    assert!(md.contains("**Suggested severity: SEV2 (HIGH)**"));
    assert!(md.contains("| Status | Check | Finding | Value |\n|---|---|---|---|"));
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("| `"))
        .count();
    assert_eq!(rows, all_checks().len(), "{md}");
    assert!(md.contains("### Evidence"));
    let crashing = real_pod_names(incident(), "reconciliation", "backend-7c9d8f6b5-fghij");
    assert!(
        md.contains(&format!("- `{crashing}: backend: CrashLoopBackOff")),
        "{md}"
    );
}

#[test]
fn selected_runbooks_run_only_their_checks_and_shared_checks_once() {
    let (_, doc) = diagnose_json(healthy(), &["database", "performance"], &[]);
    let ids: Vec<&str> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.iter()
            .filter(|i| **i == "postgres.slow_queries")
            .count(),
        1
    );
    assert!(!ids.contains(&"k8s.pods"));
    assert!(ids.contains(&"redis.memory") && ids.contains(&"postgres.ping"));
    assert_eq!(
        doc["runbooks"],
        serde_json::json!(["database", "performance"])
    );
}

#[test]
fn no_secret_appears_in_any_output_format_or_setting() {
    let w = incident();
    let encoded_secret = "c2FuZGJveC1zZWNyZXQtdmFsdWUtWng5MQ";
    let mut outputs = Vec::new();
    for args in [
        vec!["diagnose"],
        vec!["diagnose", "-v"],
        vec!["diagnose", "-o", "json"],
        vec!["diagnose", "-o", "markdown", "-v"],
        vec!["config", "show"],
        vec!["config", "show", "-o", "json"],
    ] {
        outputs.push(incidentctl(Some(w), &args, &[]).all());
    }
    // The log line that carries the password must still be reported, redacted.
    assert!(outputs[1].contains("password=***"), "{}", outputs[1]);
    for out in &outputs {
        assert!(
            !out.contains(PG_PASSWORD),
            "database password leaked:\n{out}"
        );
        assert!(!out.contains(SECRET_VALUE), "secret value leaked:\n{out}");
        assert!(
            !out.contains(encoded_secret),
            "encoded secret leaked:\n{out}"
        );
    }
    assert!(
        outputs[4].contains("postgres://reconciliation_user:***@127.0.0.1"),
        "{}",
        outputs[4]
    );
}

#[test]
fn servers_it_has_never_seen_are_reported_in_all_three_formats() {
    static OTHER: OnceLock<Result<World, String>> = OnceLock::new();
    let w = OTHER
        .get_or_init(|| World::start_in(Scenario::Incident, "payments-prod", Kubernetes::Real));
    let w = w
        .as_ref()
        .unwrap_or_else(|e| panic!("the payments-prod sandbox could not start: {e}"));
    // Only environment variables: no config file, other namespace, other ports.
    let mut env: Vec<(String, String)> = w
        .env()
        .into_iter()
        .filter(|(k, _)| k != "INCIDENTCTL_CONFIG")
        .collect();
    env.push(("INCIDENTCTL_NAMESPACE".into(), "payments-prod".into()));
    let env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let json_run = incidentctl(None, &["diagnose", "-o", "json"], &env_ref);
    let doc = json_run.json();
    assert_eq!(doc["namespace"], "payments-prod");
    assert_eq!(status(&doc, "k8s.pods"), "warning");
    assert_eq!(status(&doc, "prometheus.error_rate"), "critical");
    assert_eq!(status(&doc, "postgres.ping"), "ok");
    // Without the sandbox's 1s limit, the runbook's 5 minutes apply: the seconds-old query is fine.
    assert_eq!(status(&doc, "postgres.long_queries"), "ok");
    let table = incidentctl(None, &["diagnose"], &env_ref);
    let crashing = real_pod_names(w, "payments-prod", "backend-7c9d8f6b5-fghij");
    assert!(table.stdout.contains(&crashing), "{}", table.stdout);
    assert!(table.stdout.contains("SEV2"));
    let md = incidentctl(None, &["diagnose", "-o", "markdown"], &env_ref);
    assert!(
        md.stdout.contains("namespace `payments-prod`"),
        "{}",
        md.stdout
    );
    for run in [&json_run, &table, &md] {
        assert_eq!(run.code, 2, "{}", run.stderr);
    }
}

#[test]
fn an_unknown_kube_context_makes_only_the_kubernetes_checks_unknown_with_a_hint() {
    let (run, doc) = diagnose_json(healthy(), &["--context", "no-such-context"], &[]);
    for c in doc["checks"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        if id.starts_with("k8s.") {
            assert_eq!(c["status"], "unknown", "{c:#}");
            assert!(
                c["error"].as_str().unwrap().contains("no-such-context"),
                "{c:#}"
            );
            assert!(c["hint"].as_str().unwrap().contains("--context"), "{c:#}");
        } else {
            assert_eq!(c["status"], "ok", "{c:#}");
        }
    }
    assert_eq!(run.code, 3);
}

#[test]
fn list_shows_the_checks_of_a_runbook_without_running_them() {
    let run = incidentctl(None, &["diagnose", "database", "--list", "-o", "json"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "postgres.ping",
            "postgres.connections",
            "postgres.long_queries",
            "postgres.slow_queries",
            "postgres.replication",
            "postgres.locks",
            "postgres.idle_in_transaction"
        ]
    );
}

/// The stand-in announces a newer Kubernetes (1.32) than the real 1.20 API server of the other
/// tests. The same incident on both gives the same findings.
#[test]
fn a_newer_and_the_oldest_supported_kubernetes_give_the_same_findings() {
    let w = incident();
    let newest = incidentctl_sandbox::world::StandaloneCluster::start(
        Scenario::Incident,
        Kubernetes::StandIn,
    )
    .unwrap_or_else(|e| panic!("the stand-in could not start: {e}"));
    let kubeconfig = newest.kubeconfig.display().to_string();
    let doctor = incidentctl(
        Some(w),
        &["doctor", "-o", "json"],
        &[("KUBECONFIG", &kubeconfig)],
    );
    assert!(
        doctor.stdout.contains("Kubernetes v1.32"),
        "{}",
        doctor.stdout
    );
    let real_version = incidentctl(Some(w), &["doctor", "-o", "json"], &[]);
    assert!(
        real_version.stdout.contains("Kubernetes v1.20"),
        "{}",
        real_version.stdout
    );
    let (_, on_newest) = diagnose_json(w, &[], &[("KUBECONFIG", &kubeconfig)]);
    let (_, on_oldest) = incident_doc();
    for id in all_checks().into_iter().filter(|id| id.starts_with("k8s.")) {
        let (a, b) = (check(&on_newest, id), check(on_oldest, id));
        assert_eq!(
            (&a["status"], &a["value"]),
            (&b["status"], &b["value"]),
            "{id}: 1.32 (stand-in) {a:#}\n1.20 (real) {b:#}"
        );
    }
}

/// Lists are read in pages: with one object a page, the real API server hands out a continue
/// token for every object, and every Kubernetes check must still see the whole namespace (a
/// reader that kept only the first page would count one event, one pod).
#[test]
fn lists_read_one_object_a_page_see_the_whole_namespace() {
    let w = incident();
    let (_, whole) = incident_doc();
    let (run, paged) = with_config(w, "paged.toml", &[("kubernetes", "page_size = 1")], &[]);
    assert_eq!(run.code, 2, "{}", run.all());
    let events = check(&paged, "k8s.events");
    assert!(
        events["value"].as_f64().unwrap_or(0.0) > 1.0,
        "more Warning events than one page: {events:#}"
    );
    for id in all_checks().into_iter().filter(|id| id.starts_with("k8s.")) {
        let (a, b) = (check(whole, id), check(&paged, id));
        assert_eq!(
            (&a["status"], &a["value"]),
            (&b["status"], &b["value"]),
            "{id} differs when read one object a page:\n{a:#}\n{b:#}"
        );
    }
}
