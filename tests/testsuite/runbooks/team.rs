//! The payments team's runbook from docs/runbooks.md on its own platform: a real API server
//! with the payments-worker deployment, and a real Prometheus scraping the queue's depth from an
//! exporter the test controls (the test drains the queue).

use super::{example, settled_versions, team_dir};
use crate::support::{incidentctl, Run};
use incidentctl_sandbox::scenario::Scenario;
use incidentctl_sandbox::servers;
use incidentctl_sandbox::world::{Kubernetes, StandaloneCluster};
use serde_json::Value;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

const DEPLOYMENT: &str = "/apis/apps/v1/namespaces/payments/deployments/payments-worker";

struct Team {
    cluster: StandaloneCluster,
    prometheus: servers::Prometheus,
    /// What the exporter says is waiting in the queue.
    depth: Arc<AtomicU64>,
    /// incidentctl.toml, runbooks/payments.toml (the docs' example), the audit log, the store.
    dir: tempfile::TempDir,
}

fn team() -> &'static Team {
    static CELL: OnceLock<Result<Team, String>> = OnceLock::new();
    let result = CELL.get_or_init(|| {
        servers::kill_all_at_exit();
        Team::start()
    });
    match result {
        Ok(t) => t,
        Err(e) => panic!("the payments team's platform could not start: {e}"),
    }
}

/// One test at a time: they change the same deployment and queue.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Serves `/metrics` with the queue's depth as it is at each scrape.
fn queue_exporter(depth: Arc<AtomicU64>) -> Result<String, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let addr = listener
        .local_addr()
        .map_err(|e| e.to_string())?
        .to_string();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let body = format!(
                "# TYPE payments_queue_depth gauge\npayments_queue_depth{{queue=\"payments\"}} {}\n",
                depth.load(Ordering::SeqCst)
            );
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Ok(addr)
}

/// A GET over plain HTTP/1.0, its body.
fn http_get(addr: &str, path: &str) -> Result<String, String> {
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    Ok(answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default())
}

/// Waits up to `limit` for `done`, checking every 200 ms.
fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

impl Team {
    fn start() -> Result<Team, String> {
        let cluster = StandaloneCluster::start(Scenario::Healthy, Kubernetes::Real)?;
        cluster.kube(
            "POST",
            "/api/v1/namespaces",
            Some(&serde_json::json!({"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": "payments"}})),
        )?;
        let labels = serde_json::json!({"app": "payments-worker"});
        cluster.kube(
            "POST",
            "/apis/apps/v1/namespaces/payments/deployments",
            Some(&serde_json::json!({"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "payments-worker", "labels": labels},
                "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                    "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                        {"name": "worker", "image": "registry.example.com/payments-worker:1.4.2"}]}}}})),
        )?;
        let depth = Arc::new(AtomicU64::new(1500));
        let exporter = queue_exporter(depth.clone())?;
        let prometheus = servers::Prometheus::start_scraping(cluster.dir(), &[exporter])
            .map_err(|e| e.to_string())?;
        let config = "namespace = \"payments\"\nrunbooks_dir = \"runbooks\"\n";
        let dir = team_dir(config, &[("payments.toml", example("payments-backlog"))]);
        let team = Team {
            cluster,
            prometheus,
            depth,
            dir,
        };
        if !wait_for(Duration::from_secs(60), || team.ready_workers() == 2) {
            return Err("payments-worker never had 2 ready replicas".into());
        }
        if !wait_for(Duration::from_secs(30), || team.scraped() == Some(1500.0)) {
            return Err("Prometheus never scraped the queue's depth".into());
        }
        Ok(team)
    }

    fn env(&self) -> Vec<(String, String)> {
        let d = self.dir.path();
        vec![
            (
                "KUBECONFIG".into(),
                self.cluster.kubeconfig.display().to_string(),
            ),
            (
                "INCIDENTCTL_CONFIG".into(),
                d.join("incidentctl.toml").display().to_string(),
            ),
            ("INCIDENTCTL_PROMETHEUS_URL".into(), self.prometheus.url()),
            (
                "INCIDENTCTL_AUDIT_LOG".into(),
                d.join("audit.jsonl").display().to_string(),
            ),
            (
                "INCIDENTCTL_REPORT_STORE".into(),
                d.join("incidents").display().to_string(),
            ),
        ]
    }

    fn run(&self, args: &[&str]) -> Run {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        incidentctl(None, args, &env)
    }

    fn deployment(&self) -> Value {
        self.cluster
            .kube("GET", DEPLOYMENT, None)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn ready_workers(&self) -> i64 {
        self.deployment()["status"]["readyReplicas"]
            .as_i64()
            .unwrap_or(0)
    }

    /// The queue's depth as Prometheus has it now.
    fn scraped(&self) -> Option<f64> {
        let addr = self
            .prometheus
            .url()
            .trim_start_matches("http://")
            .to_string();
        let body = http_get(&addr, "/api/v1/query?query=sum(payments_queue_depth)").ok()?;
        let doc: Value = serde_json::from_str(&body).ok()?;
        doc["data"]["result"][0]["value"][1].as_str()?.parse().ok()
    }

    fn audit(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.path().join("audit.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("audit lines are JSON"))
            .collect()
    }

    /// The backlog as the incident begins: 1,500 jobs and two workers.
    fn backlog(&self) {
        self.depth.store(1500, Ordering::SeqCst);
        let r = self.run(&["scale", "payments-worker", "--replicas", "2", "--yes"]);
        assert_eq!(r.code, 0, "{}", r.all());
        assert!(wait_for(Duration::from_secs(30), || self.scraped() == Some(1500.0)));
    }
}

#[test]
fn a_team_runbook_from_the_docs_is_diagnosed_shown_and_run_through_the_pipeline() {
    let _serial = serial();
    let t = team();
    t.backlog();

    // diagnose NAME runs its checks: the investigation's, built in and declared.
    let diagnosed = t.run(&["diagnose", "payments-backlog", "-o", "json"]);
    assert_eq!(diagnosed.code, 2, "{}", diagnosed.all());
    let doc = diagnosed.json();
    let ids: Vec<&str> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "k8s.events",
            "payments.queue_depth",
            "payments.workers_ready"
        ]
    );
    assert_eq!(doc["runbooks"], serde_json::json!(["payments-backlog"]));
    let queue = crate::support::check(&doc, "payments.queue_depth");
    assert_eq!(
        (queue["status"].as_str(), queue["value"].as_f64()),
        (Some("critical"), Some(1500.0))
    );
    assert_eq!(crate::support::status(&doc, "payments.workers_ready"), "ok");

    // runbook show marks the scale step as applicable, and says why and what it runs.
    let shown = t.run(&["runbook", "show", "payments-backlog", "-o", "json"]);
    assert_eq!(shown.code, 0, "{}", shown.all());
    let page = shown.json();
    let scale = &page["resolve"][0];
    assert_eq!(scale["applies"], true, "{page:#}");
    assert_eq!(
        scale["why"],
        "payments.queue_depth is critical (applies when warning or worse)"
    );
    assert_eq!(
        scale["command"],
        "incidentctl scale payments-worker --replicas 6 -n payments"
    );
    assert_eq!(page["resolve"][1]["applies"], false, "{page:#}");
    assert_eq!(page["symptoms_gone"], false);
    let text = t.run(&["runbook", "show", "payments-backlog"]);
    assert!(
        text.stdout
            .contains("1. Scale the workers out: APPLIES NOW"),
        "{}",
        text.stdout
    );

    // Without a terminal and without --yes, nothing runs.
    let refused = t.run(&["runbook", "run", "payments-backlog"]);
    assert_eq!(refused.code, 10, "{}", refused.all());
    assert_eq!(t.deployment()["spec"]["replicas"], 2);
    let last = t.audit().pop().expect("an audit line");
    assert_eq!(last["result"], "refused");
    assert_eq!(
        last["runbook"],
        serde_json::json!({"name": "payments-backlog", "step": 1})
    );

    // With --yes: the scale goes through scale's own pipeline, the verification waits until the
    // queue has drained; the test drains it once six workers are ready, a few seconds later.
    let opened = t.run(&[
        "report",
        "new",
        "--title",
        "Payments queue backlog",
        "--severity",
        "SEV2",
    ]);
    assert_eq!(opened.code, 0, "{}", opened.all());
    let id = opened.stdout.trim().to_string();
    let drained_at = Arc::new(Mutex::new(None));
    let drainer = {
        let (depth, drained_at) = (t.depth.clone(), drained_at.clone());
        std::thread::spawn(move || {
            let team = team();
            if wait_for(Duration::from_secs(240), || team.ready_workers() >= 6) {
                std::thread::sleep(Duration::from_secs(3));
                depth.store(0, Ordering::SeqCst);
                *drained_at.lock().unwrap() = Some(Instant::now());
            }
        })
    };
    let ran = t.run(&[
        "runbook",
        "run",
        "payments-backlog",
        "--yes",
        "--incident",
        &id,
    ]);
    let finished = Instant::now();
    drainer.join().unwrap();
    assert_eq!(ran.code, 0, "{}", ran.all());
    let drained = drained_at.lock().unwrap().expect("the queue was drained");
    assert!(finished > drained, "the run ended before the queue drained");
    assert!(ran.stderr.contains("waiting up to"), "{}", ran.stderr);
    assert!(ran.stdout.contains("Symptoms: gone."), "{}", ran.stdout);
    assert!(
        ran.stdout
            .contains("Step 2/2: Restart the workers: skipped (does not apply now"),
        "{}",
        ran.stdout
    );
    assert_eq!(t.deployment()["spec"]["replicas"], 6);

    // Audited as scale audits itself, with the runbook and step; verified.
    let line = t
        .audit()
        .into_iter()
        .rfind(|l| l["action"] == "scale" && l["incident"] == id.as_str())
        .expect("the step's audit line");
    assert_eq!(line["result"], "applied", "{line:#}");
    assert_eq!(line["verified"], true, "{line:#}");
    assert_eq!(
        line["runbook"],
        serde_json::json!({"name": "payments-backlog", "step": 1})
    );
    assert_eq!(line["plan"]["changes"][0]["from"], "2");
    assert_eq!(line["plan"]["changes"][0]["to"], "6");
    assert_eq!(
        line["undo"],
        "incidentctl scale payments-worker --replicas 2 -n payments"
    );

    // On the incident: the step, and the run with its verdict.
    let report = t.run(&["report", "show", &id, "-o", "json"]);
    let timeline = report.json()["timeline"].to_string();
    assert!(
        timeline.contains("runbook payments-backlog step 1: scale deployment/payments-worker in namespace payments from 2 to 6 replicas"),
        "{timeline}"
    );
    assert!(timeline.contains("applied, verified"), "{timeline}");
    assert!(
        timeline.contains("runbook payments-backlog run: step 1 Scale the workers out: applied; step 2 Restart the workers: skipped"),
        "{timeline}"
    );
    assert!(timeline.contains("symptoms gone"), "{timeline}");
}

#[test]
fn a_dry_run_of_the_team_runbook_leaves_every_resource_version_unchanged() {
    let _serial = serial();
    let t = team();
    t.backlog();
    let get = |path: &str| {
        t.cluster
            .kube("GET", path, None)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let before = settled_versions(&get, "payments");
    let audit_before = t.audit().len();
    let dry = t.run(&[
        "runbook",
        "run",
        "payments-backlog",
        "--dry-run",
        "-o",
        "json",
    ]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    let doc = dry.json();
    assert_eq!(doc["schema"], "incidentctl.runbook-run/v1");
    // Every step is walked, the one that does not apply now too, each validated by the server.
    let results: Vec<&str> = doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["dry-run", "dry-run"], "{doc:#}");
    assert_eq!(doc["steps"][0]["change"]["plan"]["changes"][0]["to"], "6");
    assert_eq!(doc["symptoms_gone"], false);
    let after = settled_versions(&get, "payments");
    assert_eq!(after, before, "the dry run changed an object");
    let dry_lines: Vec<Value> = t.audit().split_off(audit_before);
    assert_eq!(dry_lines.len(), 2, "{dry_lines:#?}");
    assert!(dry_lines.iter().all(|l| l["result"] == "dry-run"));
}

#[test]
fn on_a_terminal_each_step_asks_and_a_no_changes_nothing() {
    let _serial = serial();
    let t = team();
    t.backlog();
    // A pseudo-terminal (util-linux `script`), answering no at the prompt.
    let bin = env!("CARGO_BIN_EXE_incidentctl");
    let mut child = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{bin} runbook run payments-backlog"),
            "/dev/null",
        ])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("TERM", "dumb")
        .envs(t.env())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    {
        let mut stdin = child.stdin.take().unwrap();
        // Time for the investigation and the plan, as a person reads them.
        std::thread::sleep(Duration::from_secs(3));
        let _ = stdin.write_all(b"n\n");
    }
    let out = child.wait_with_output().expect("wait");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Apply this change to deployment/payments-worker in payments? [y/N]"),
        "{said}"
    );
    assert!(said.contains("1. Scale the workers out: refused"), "{said}");
    assert!(
        said.contains("not confirmed; nothing was changed"),
        "{said}"
    );
    assert_eq!(out.status.code(), Some(10), "{said}");
    assert_eq!(t.deployment()["spec"]["replicas"], 2);
}
