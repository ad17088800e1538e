//! The fault matrix: for each target and each way a server can be broken, diagnose does not
//! panic or hang (it returns within the timeout plus one second), gives the target's checks the
//! right status with a message naming the target and the cause, and leaves every other target's
//! results intact. The table in docs/faults.md is generated from these results (this test fails
//! when it is stale; INCIDENTCTL_UPDATE_DOCS=1 rewrites it).

use crate::support::{faulty_server, healthy, incidentctl, Fault};
use std::sync::Mutex;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(1);

const HTTP_FAULTS: &[Fault] = &[
    Fault::Refused,
    Fault::Hangs,
    Fault::Resets,
    Fault::Html,
    Fault::BadJson,
    Fault::WrongProtocol,
    Fault::Http(401),
    Fault::Http(403),
    Fault::Http(404),
    Fault::Http(500),
    Fault::Http(503),
    Fault::Slow,
    Fault::Unresolvable,
    Fault::WrongCa,
];

const TCP_FAULTS: &[Fault] = &[
    Fault::Refused,
    Fault::Hangs,
    Fault::Resets,
    Fault::WrongProtocol,
    Fault::Html,
    Fault::Slow,
    Fault::Unresolvable,
    Fault::WrongCa,
];

/// Slack is only posted to; it answers plain text (`ok`), so "invalid JSON" does not apply.
const SLACK_FAULTS: &[Fault] = &[
    Fault::Refused,
    Fault::Hangs,
    Fault::Resets,
    Fault::Html,
    Fault::WrongProtocol,
    Fault::Http(401),
    Fault::Http(403),
    Fault::Http(404),
    Fault::Http(500),
    Fault::Http(503),
    Fault::Slow,
    Fault::Unresolvable,
    Fault::WrongCa,
];

/// Rows of the docs/faults.md table, collected from every target's test.
static ROWS: Mutex<Vec<(String, String, String)>> = Mutex::new(Vec::new());

/// A short, stable name for what the message says went wrong.
fn cause(error: &str, addr: &str) -> &'static str {
    // The address's port can hold any digits ("…:44037"): classify the rest of the message.
    let e = error.replace(addr, "ADDRESS").to_ascii_lowercase();
    for (needle, label) in [
        ("timed out", "timed out"),
        ("unknownissuer", "TLS: certificate from an unknown CA"),
        ("failed to lookup address", "name does not resolve"),
        ("name or service not known", "name does not resolve"),
        ("dns error", "name does not resolve"),
        ("refused", "connection refused"),
        ("not slack's", "not Slack's answer"),
        ("401", "401 named"),
        ("403", "403 named"),
        ("404", "404 named"),
        ("500", "500 named"),
        ("503", "503 named"),
        ("not valid kubernetes json", "not a Kubernetes answer"),
        // Transport failures below HTTP: hyper's own words vary from run to run.
        ("cannot reach the api server", "cannot reach the API server"),
        ("not a prometheus api answer", "not a Prometheus answer"),
        ("not an alertmanager", "not an Alertmanager answer"),
        ("not a postgresql server", "not PostgreSQL (protocol error)"),
        ("handshake", "handshake failed"),
        ("broken pipe", "connection closed"),
        ("reset", "connection reset"),
        ("closed", "connection closed"),
        ("error decoding", "invalid answer"),
        ("expected", "invalid answer"),
        ("invalid", "invalid answer"),
        ("unexpected", "invalid answer"),
        ("parse", "invalid answer"),
    ] {
        if e.contains(needle) {
            return label;
        }
    }
    "other"
}

fn matrix(
    target: &str,
    prefix: &str,
    faults: &[Fault],
    point: impl Fn(&str, Fault) -> Vec<(String, String)>,
    names_target: impl Fn(&str, &str) -> bool,
) {
    let w = healthy();
    for fault in faults {
        let addr = faulty_server(*fault);
        let env = point(&addr, *fault);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let what = format!("{target} / {}", fault.name());
        let run = run_unloaded(w, &env, prefix, &what);
        assert!(
            run.code <= 3,
            "{what}: exit {} (a panic is 101): {}",
            run.code,
            run.stderr
        );
        assert!(
            run.elapsed < TIMEOUT + Duration::from_secs(1),
            "{what}: took {:?}",
            run.elapsed
        );
        let doc = run.json();
        let mut statuses = std::collections::BTreeSet::new();
        let mut causes = std::collections::BTreeSet::new();
        for c in doc["checks"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            if id.starts_with(prefix) {
                let status = c["status"].as_str().unwrap();
                let error = c["error"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{what}: {id} has no error: {c:#}"));
                assert!(
                    status == "unknown" || (status == "critical" && id.ends_with(".ping")),
                    "{what}: {id} is {status}"
                );
                assert!(
                    names_target(error, &addr),
                    "{what}: {id}'s message does not name the target: {error}"
                );
                let label = cause(error, &addr);
                assert_ne!(
                    label, "other",
                    "{what}: {id}'s message does not say the cause plainly: {error}"
                );
                statuses.insert(status.to_string());
                causes.insert(label);
            } else {
                assert_eq!(c["status"], "ok", "{what}: {id} was disturbed: {c:#}");
            }
        }
        ROWS.lock().unwrap().push((
            target.to_string(),
            fault.name(),
            format!(
                "{} — {}",
                statuses.into_iter().collect::<Vec<_>>().join("/"),
                causes.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    check_readme_when_complete();
}

/// One diagnose run of the matrix, run again (twice at most) when the machine's load, not the
/// fault, spoiled it: a healthy target's check timed out, or the whole run took longer than
/// the timeout plus one second. The 1 s timeout keeps the matrix fast; a loaded machine can
/// make a healthy server miss it. A fault that really disturbs another target, or really makes
/// the run slow, does so every time and still fails.
fn run_unloaded(
    w: &incidentctl_sandbox::world::World,
    env: &[(&str, &str)],
    prefix: &str,
    what: &str,
) -> crate::support::Run {
    let mut tries = 0;
    loop {
        tries += 1;
        let run = incidentctl(Some(w), &["diagnose", "-o", "json", "--timeout", "1s"], env);
        let spoiled_by_load = serde_json::from_str::<serde_json::Value>(&run.stdout)
            .ok()
            .and_then(|doc| doc["checks"].as_array().cloned())
            .is_some_and(|checks| {
                checks.iter().any(|c| {
                    !c["id"].as_str().unwrap_or("").starts_with(prefix)
                        && c["error"].as_str().is_some_and(|e| e.contains("timed out"))
                })
            })
            || run.elapsed >= TIMEOUT + Duration::from_secs(1);
        if !spoiled_by_load || tries == 3 {
            if tries > 1 {
                eprintln!("{what}: run {tries} times (the first spoiled by the machine's load)");
            }
            return run;
        }
    }
}

/// `scheme://addr` in `var`; the TLS scheme for the wrong-CA fault.
fn url_env(
    var: &'static str,
    scheme: &'static str,
    tls_scheme: &'static str,
) -> impl Fn(&str, Fault) -> Vec<(String, String)> {
    move |addr, fault| {
        let scheme = if fault == Fault::WrongCa {
            tls_scheme
        } else {
            scheme
        };
        vec![(var.to_string(), format!("{scheme}{addr}"))]
    }
}

fn names_address(error: &str, addr: &str) -> bool {
    error.contains(addr)
}

#[test]
fn prometheus_faults() {
    matrix(
        "Prometheus",
        "prometheus.",
        HTTP_FAULTS,
        url_env("INCIDENTCTL_PROMETHEUS_URL", "http://", "https://"),
        names_address,
    );
}

#[test]
fn alertmanager_faults() {
    matrix(
        "Alertmanager",
        "alertmanager.",
        HTTP_FAULTS,
        url_env("INCIDENTCTL_ALERTMANAGER_URL", "http://", "https://"),
        names_address,
    );
}

#[test]
fn postgres_faults() {
    let point = |addr: &str, fault: Fault| {
        let tls = if fault == Fault::WrongCa {
            "?sslmode=verify-full"
        } else {
            ""
        };
        vec![(
            "INCIDENTCTL_POSTGRES_URL".to_string(),
            format!("postgres://app:pw@{addr}/app{tls}"),
        )]
    };
    matrix("PostgreSQL", "postgres.", TCP_FAULTS, point, names_address);
}

#[test]
fn redis_faults() {
    matrix(
        "Redis",
        "redis.",
        TCP_FAULTS,
        url_env("INCIDENTCTL_REDIS_URL", "redis://", "rediss://"),
        names_address,
    );
}

#[test]
fn kubernetes_faults() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let point = move |addr: &str, fault: Fault| {
        let file = path.join(format!("kubeconfig-{}", addr.replace(':', "-")));
        let scheme = if fault == Fault::WrongCa {
            "https"
        } else {
            "http"
        };
        std::fs::write(
            &file,
            incidentctl_sandbox::standin::kubeconfig_for(
                &format!("{scheme}://{addr}"),
                "faulty",
                "reconciliation",
            ),
        )
        .unwrap();
        vec![("KUBECONFIG".to_string(), file.display().to_string())]
    };
    // The API server is named by its role ("the API server") or its address.
    let names = |error: &str, addr: &str| error.contains(addr) || error.contains("API server");
    matrix("Kubernetes", "k8s.", HTTP_FAULTS, point, names);
}

/// Slack: `doctor --send-test` posts to the webhook. Its retries (3 tries, backing off) bound the
/// time instead of one timeout; the webhook URL (a secret) is never shown; every other target's
/// rows stay ok.
#[test]
fn slack_faults() {
    let w = healthy();
    const SECRET_PATH: &str = "T0FAULT/B0FAULT/webhook-secret-4e1d";
    for fault in SLACK_FAULTS {
        let addr = faulty_server(*fault);
        let scheme = if *fault == Fault::WrongCa {
            "https"
        } else {
            "http"
        };
        let hook = format!("{scheme}://{addr}/services/{SECRET_PATH}");
        let what = format!("Slack / {}", fault.name());
        // Run again (twice at most) when the machine's load made another row time out.
        let mut tries = 0;
        let run = loop {
            tries += 1;
            let run = incidentctl(
                Some(w),
                &["doctor", "--send-test", "-o", "json", "--timeout", "1s"],
                &[("SLACK_WEBHOOK_URL", &hook)],
            );
            let spoiled_by_load = serde_json::from_str::<serde_json::Value>(&run.stdout)
                .ok()
                .and_then(|rows| rows.as_array().cloned())
                .is_some_and(|rows| {
                    rows.iter().any(|r| {
                        r["area"] != "slack"
                            && r["detail"]
                                .as_str()
                                .is_some_and(|d| d.contains("timed out"))
                    })
                })
                || run.elapsed >= Duration::from_secs(6);
            if !spoiled_by_load || tries == 3 {
                break run;
            }
        };
        assert_eq!(run.code, 2, "{what}: exit {}: {}", run.code, run.stderr);
        // 3 tries of at most the timeout, 0.5 s + 1 s between them, and the other checks.
        assert!(
            run.elapsed < Duration::from_secs(6),
            "{what}: took {:?}",
            run.elapsed
        );
        assert!(
            !run.all().contains("webhook-secret-4e1d"),
            "{what}: the webhook URL was shown:\n{}",
            run.all()
        );
        let rows = run.json();
        let mut label = "";
        for row in rows.as_array().unwrap() {
            if row["area"] == "slack" {
                assert_eq!(row["status"], "critical", "{what}: {row:#}");
                let detail = row["detail"].as_str().unwrap();
                assert!(detail.contains("Slack"), "{what}: names Slack: {detail}");
                label = cause(detail, &addr);
                assert_ne!(label, "other", "{what}: the cause is not plain: {detail}");
            } else {
                assert_eq!(row["status"], "ok", "{what}: disturbed: {row:#}");
            }
        }
        ROWS.lock().unwrap().push((
            "Slack".to_string(),
            fault.name(),
            format!("critical — {label}"),
        ));
    }
    check_readme_when_complete();
}

const START: &str = "<!-- fault-matrix:start (generated by tests/testsuite/faults.rs) -->";
const END: &str = "<!-- fault-matrix:end -->";

/// Once every target's rows are in, the table in docs/faults.md must say the same.
fn check_readme_when_complete() {
    let rows = ROWS.lock().unwrap().clone();
    let expected = HTTP_FAULTS.len() * 3 + TCP_FAULTS.len() * 2 + SLACK_FAULTS.len();
    if rows.len() < expected {
        return;
    }
    let mut rows = rows;
    rows.sort();
    let mut table =
        String::from("| target | fault | its checks — what the message says |\n|---|---|---|\n");
    for (target, fault, result) in &rows {
        table.push_str(&format!("| {target} | {fault} | {result} |\n"));
    }
    let readme_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/faults.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (Some(a), Some(b)) = (readme.find(START), readme.find(END)) else {
        panic!("docs/faults.md has no {START} … {END} block");
    };
    let current = &readme[a + START.len()..b];
    let generated = format!("\n{table}");
    if current != generated {
        if std::env::var_os("INCIDENTCTL_UPDATE_DOCS").is_some() {
            let updated = format!("{}{START}{generated}{}", &readme[..a], &readme[b..]);
            std::fs::write(&readme_path, updated).unwrap();
        } else {
            panic!("the fault matrix in docs/faults.md is stale: run INCIDENTCTL_UPDATE_DOCS=1 cargo test --test testsuite faults\n{table}");
        }
    }
}
