//! The fault matrix: for each target and each way a server can be broken, diagnose does not
//! panic or hang (it returns within the timeout plus one second), gives the target's checks the
//! right status with a message naming the target and the cause, and leaves every other target's
//! results intact. The README's table is generated from these results (this test fails when the
//! README is stale; INCIDENTCTL_UPDATE_README=1 rewrites it).

mod support;

use std::sync::Mutex;
use std::time::Duration;
use support::{faulty_server, healthy, incidentctl, Fault};

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
];

const TCP_FAULTS: &[Fault] = &[
    Fault::Refused,
    Fault::Hangs,
    Fault::Resets,
    Fault::WrongProtocol,
    Fault::Html,
];

/// Rows of the README table, collected from every target's test.
static ROWS: Mutex<Vec<(String, String, String)>> = Mutex::new(Vec::new());

/// A short, stable name for what the message says went wrong.
fn cause(error: &str, addr: &str) -> &'static str {
    // The address's port can hold any digits ("…:44037"): classify the rest of the message.
    let e = error.replace(addr, "ADDRESS").to_ascii_lowercase();
    for (needle, label) in [
        ("timed out", "timed out"),
        ("refused", "connection refused"),
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
    point: impl Fn(&str) -> Vec<(String, String)>,
    names_target: impl Fn(&str, &str) -> bool,
) {
    let w = healthy();
    for fault in faults {
        let addr = faulty_server(*fault);
        let env = point(&addr);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let run = incidentctl(
            Some(w),
            &["diagnose", "-o", "json", "--timeout", "1s"],
            &env,
        );
        let what = format!("{target} / {}", fault.name());
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

fn url_env(var: &'static str, scheme: &'static str) -> impl Fn(&str) -> Vec<(String, String)> {
    move |addr| vec![(var.to_string(), format!("{scheme}{addr}"))]
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
        url_env("INCIDENTCTL_PROMETHEUS_URL", "http://"),
        names_address,
    );
}

#[test]
fn alertmanager_faults() {
    matrix(
        "Alertmanager",
        "alertmanager.",
        HTTP_FAULTS,
        url_env("INCIDENTCTL_ALERTMANAGER_URL", "http://"),
        names_address,
    );
}

#[test]
fn postgres_faults() {
    let point = |addr: &str| {
        vec![(
            "INCIDENTCTL_POSTGRES_URL".to_string(),
            format!("postgres://app:pw@{addr}/app"),
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
        url_env("INCIDENTCTL_REDIS_URL", "redis://"),
        names_address,
    );
}

#[test]
fn kubernetes_faults() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let point = move |addr: &str| {
        let file = path.join(format!("kubeconfig-{}", addr.replace(':', "-")));
        std::fs::write(
            &file,
            incidentctl_sandbox::standin::kubeconfig_for(
                &format!("http://{addr}"),
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

const START: &str = "<!-- fault-matrix:start (generated by tests/faults.rs) -->";
const END: &str = "<!-- fault-matrix:end -->";

/// Once every target's rows are in, the README's table must say the same.
fn check_readme_when_complete() {
    let rows = ROWS.lock().unwrap().clone();
    let expected = HTTP_FAULTS.len() * 3 + TCP_FAULTS.len() * 2;
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
    let readme_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (Some(a), Some(b)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md has no {START} … {END} block");
    };
    let current = &readme[a + START.len()..b];
    let generated = format!("\n{table}");
    if current != generated {
        if std::env::var_os("INCIDENTCTL_UPDATE_README").is_some() {
            let updated = format!("{}{START}{generated}{}", &readme[..a], &readme[b..]);
            std::fs::write(&readme_path, updated).unwrap();
        } else {
            panic!("README's fault matrix is stale: run INCIDENTCTL_UPDATE_README=1 cargo test --test faults\n{table}");
        }
    }
}
