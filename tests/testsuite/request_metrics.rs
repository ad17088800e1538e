//! The app's own error rate, p95 and 403 rate on every family of request metrics, on real
//! Prometheus: each family's history (its names, labels and units) holds the app (`backend` and
//! `frontend` in `reconciliation`) next to two other apps at other error rates. `auto` must find
//! the family, and each check must read the app's value within 1 % of the seeded truth, with
//! the status the runbook's levels give it. The cluster is the healthy world's real one.

use crate::support::{check, healthy, incidentctl, Run};
use incidentctl_sandbox::request_metrics::{family_history, the_app, truth, Family, Truth};
use incidentctl_sandbox::servers::Prometheus;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

const NAMESPACE: &str = "reconciliation";
const REQUEST_CHECKS: [&str; 3] = [
    "prometheus.error_rate",
    "prometheus.latency_p95",
    "prometheus.forbidden_rate",
];

/// A Prometheus holding `histories` (OpenMetrics texts, joined), started once per set.
fn prometheus(name: &str, histories: &[String]) -> String {
    static SERVERS: OnceLock<Mutex<BTreeMap<String, Result<Prometheus, String>>>> = OnceLock::new();
    let servers = SERVERS.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut servers = servers.lock().unwrap_or_else(|e| e.into_inner());
    let started = servers.entry(name.to_string()).or_insert_with(|| {
        let text = if histories.is_empty() {
            None
        } else {
            let body: Vec<&str> = histories
                .iter()
                .map(|h| h.trim_end_matches("# EOF\n"))
                .collect();
            Some(format!("{}# EOF\n", body.concat()))
        };
        Prometheus::start(healthy().dir(), text.as_deref()).map_err(|e| e.to_string())
    });
    match started {
        Ok(p) => p.url(),
        Err(e) => panic!("the {name} Prometheus could not start: {e}"),
    }
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

fn family_prometheus(family: Family) -> String {
    prometheus(family.name(), &[family_history(family, NAMESPACE, now())])
}

/// incidentctl against the healthy world with its Prometheus at `url` and `config` lines.
fn run_with(url: &str, config: &[(&str, &str)], args: &[&str]) -> Run {
    static WRITTEN: AtomicUsize = AtomicUsize::new(0);
    let w = healthy();
    let name = format!(
        "request-metrics-{}.toml",
        WRITTEN.fetch_add(1, Ordering::SeqCst)
    );
    let path = w.write_config(&name, config).expect("write config");
    let path = path.display().to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--config", &path]);
    incidentctl(Some(w), &all, &[("INCIDENTCTL_PROMETHEUS_URL", url)])
}

fn request_checks(url: &str, config: &[(&str, &str)]) -> Value {
    let mut args = vec!["diagnose", "-o", "json"];
    for id in REQUEST_CHECKS {
        args.extend(["--check", id]);
    }
    run_with(url, config, &args).json()
}

/// The status the runbook's levels give `value` (strictly above a level reaches it).
fn status_of(value: f64, warning: f64, critical: f64) -> &'static str {
    if value > critical {
        "critical"
    } else if value > warning {
        "warning"
    } else {
        "ok"
    }
}

/// Each request check reads `truth` within 1 %, with the status its levels give it.
fn assert_reads(doc: &Value, truth: Truth, what: &str) {
    for (id, expected) in [
        ("prometheus.error_rate", truth.error_ratio * 100.0),
        ("prometheus.latency_p95", truth.p95_seconds),
        ("prometheus.forbidden_rate", truth.forbidden_ratio * 100.0),
    ] {
        let c = check(doc, id);
        let value = c["value"]
            .as_f64()
            .unwrap_or_else(|| panic!("{what}: {id} has no value: {c:#}"));
        let off = (value - expected).abs() / expected;
        eprintln!(
            "{what}: {id} read {value:.4}, seeded {expected:.4} ({:.3} % off)",
            off * 100.0
        );
        assert!(
            off < 0.01,
            "{what}: {id} read {value}, seeded {expected}: {c:#}"
        );
        let (warning, critical) = (
            c["warning"].as_f64().unwrap(),
            c["critical"].as_f64().unwrap(),
        );
        assert_eq!(
            c["status"],
            status_of(expected, warning, critical),
            "{what}: {id}: {c:#}"
        );
    }
}

fn evidence(doc: &Value, id: &str) -> String {
    check(doc, id)["evidence"].to_string()
}

/// doctor's row for the app's request metrics, with Prometheus at `url`.
fn doctor_row(url: &str) -> Value {
    let doctor = run_with(url, &[], &["doctor", "-o", "json"]).json();
    doctor
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["requirement"] == "app request metrics found")
        })
        .cloned()
        .unwrap_or_else(|| panic!("no request metrics row: {doctor:#}"))
}

/// One family: auto finds it, the checks read the app's own values, config show names it.
fn reads_the_apps_own_values(family: Family) {
    let url = family_prometheus(family);
    let doc = request_checks(&url, &[]);
    assert_reads(&doc, truth(&the_app(NAMESPACE)), family.name());
    let said = format!(
        "metrics: {} (auto: the only family with the app's series)",
        family.name()
    );
    for id in REQUEST_CHECKS {
        assert!(
            evidence(&doc, id).contains(&said),
            "{id}: {}",
            evidence(&doc, id)
        );
    }
    let shown = run_with(&url, &[], &["config", "show", "-o", "json"]).json();
    let found = shown["request_metrics"]["found"].as_str().unwrap_or("");
    assert!(
        found.starts_with(&format!("{} (auto", family.name()))
            && found.contains("namespace reconciliation, services backend, frontend"),
        "{:#}",
        shown["request_metrics"]
    );
    let text = run_with(&url, &[], &["config", "show"]);
    assert!(
        text.stdout
            .contains(&format!("# app request metrics: {} (auto", family.name())),
        "{}",
        text.stdout
    );
}

#[test]
fn incidentctl_names() {
    reads_the_apps_own_values(Family::Incidentctl);
}

#[test]
fn ingress_nginx() {
    reads_the_apps_own_values(Family::IngressNginx);
}

#[test]
fn istio_in_milliseconds() {
    reads_the_apps_own_values(Family::Istio);
}

#[test]
fn opentelemetry_http() {
    reads_the_apps_own_values(Family::OtelHttp);
}

#[test]
fn spring_micrometer() {
    reads_the_apps_own_values(Family::Spring);
}

#[test]
fn traefik() {
    reads_the_apps_own_values(Family::Traefik);
}

/// Istio and ingress-nginx both hold the app's series: auto reads Istio and says why; the
/// config file chooses the other; doctor and `diagnose -v` say which.
#[test]
fn when_several_families_fit_auto_says_which_and_why_and_config_overrides() {
    let url = prometheus(
        "istio+ingress-nginx",
        &[
            family_history(Family::Istio, NAMESPACE, now()),
            family_history(Family::IngressNginx, NAMESPACE, now()),
        ],
    );
    let doc = request_checks(&url, &[]);
    assert_reads(&doc, truth(&the_app(NAMESPACE)), "istio+ingress-nginx");
    let said = evidence(&doc, "prometheus.error_rate");
    assert!(
        said.contains("metrics: istio (auto: also found ingress-nginx; istio preferred: the app's sidecars count every request"),
        "{said}"
    );
    assert!(
        said.contains("istio_requests_total{reporter=\\\"destination\\\""),
        "{said}"
    );

    let chosen = [("prometheus", "metrics = \"ingress-nginx\"")];
    let doc = request_checks(&url, &chosen);
    assert_reads(&doc, truth(&the_app(NAMESPACE)), "ingress-nginx, set");
    let said = evidence(&doc, "prometheus.latency_p95");
    assert!(
        said.contains("metrics: ingress-nginx (set by prometheus.metrics)"),
        "{said}"
    );

    let verbose = run_with(
        &url,
        &[],
        &["diagnose", "-v", "--check", "prometheus.error_rate"],
    );
    assert!(
        verbose.stdout.contains("metrics: istio (auto"),
        "{}",
        verbose.stdout
    );
    let row = doctor_row(&url);
    assert_eq!(row["status"], "ok", "{row:#}");
    assert!(
        row["detail"]
            .as_str()
            .unwrap_or("")
            .starts_with("istio (auto"),
        "{row:#}"
    );
}

/// No request metrics at all: the checks stay unknown, name the families looked for and how to
/// set a query; doctor warns.
#[test]
fn without_request_metrics_the_checks_are_unknown_and_say_what_was_looked_for() {
    let url = prometheus("empty", &[]);
    let doc = request_checks(&url, &[]);
    for id in REQUEST_CHECKS {
        let c = check(&doc, id);
        assert_eq!(c["status"], "unknown", "{c:#}");
        let error = c["error"].as_str().unwrap_or("");
        for family in Family::ALL {
            assert!(
                error.contains(family.name()),
                "{id} names {}: {error}",
                family.name()
            );
        }
        assert!(error.contains("istio (istio_requests_total)"), "{error}");
        let hint = c["hint"].as_str().unwrap_or("");
        assert!(
            hint.contains("prometheus.metrics") && hint.contains("{{namespace}}"),
            "{hint}"
        );
    }
    assert!(check(&doc, "prometheus.error_rate")["hint"]
        .as_str()
        .unwrap_or("")
        .contains("prometheus.error_rate_query"));
    let row = doctor_row(&url);
    assert_eq!(row["status"], "warning", "{row:#}");
}

/// A team's own query with placeholders: filled with the app's namespace and services, it reads
/// the app's value; the other checks still read the family's.
#[test]
fn a_team_query_with_placeholders_reads_the_apps_series() {
    let url = family_prometheus(Family::Spring);
    let query = r#"error_rate_query = 'sum(rate(http_server_requests_seconds_count{namespace="{{namespace}}",service=~"{{service}}",status=~"5.."}[5m])) / sum(rate(http_server_requests_seconds_count{namespace="{{namespace}}",service=~"{{service}}"}[5m]))'"#;
    let doc = request_checks(&url, &[("prometheus", query)]);
    assert_reads(&doc, truth(&the_app(NAMESPACE)), "spring, own error query");
    let said = evidence(&doc, "prometheus.error_rate");
    assert!(
        said.contains(r#"namespace=\"reconciliation\",service=~\"backend|frontend\""#)
            && said.contains("metrics: prometheus.error_rate_query"),
        "{said}"
    );
    assert!(evidence(&doc, "prometheus.forbidden_rate").contains("metrics: spring (auto"));

    // A placeholder outside a quoted label value is refused before anything is asked.
    let bare = r#"error_rate_query = 'x{namespace={{namespace}}}'"#;
    let run = run_with(&url, &[("prometheus", bare)], &["diagnose", "-o", "json"]);
    assert_eq!(run.code, 78, "{}", run.all());
    assert!(
        run.stderr
            .contains("must be inside a double-quoted label value"),
        "{}",
        run.stderr
    );
}
