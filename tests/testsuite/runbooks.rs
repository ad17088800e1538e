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

/// The TOML of the example `name` in docs/runbooks.md: the block after its
/// `<!-- example: name` marker. The tests run what the docs show.
fn example(name: &str) -> String {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/runbooks.md"),
    )
    .expect("docs/runbooks.md");
    let marker = format!("<!-- example: {name}");
    let after = &docs[docs
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} in docs/runbooks.md"))..];
    let block = &after[after.find("```toml\n").expect("a toml block") + 8..];
    block[..block.find("```").expect("the block's end")].to_string()
}

/// A directory with `config` as its incidentctl.toml and `files` in its runbooks/ directory.
fn team_dir(config: &str, files: &[(&str, String)]) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let runbooks = dir.path().join("runbooks");
    std::fs::create_dir(&runbooks).expect("runbooks dir");
    std::fs::write(dir.path().join("incidentctl.toml"), config).expect("config");
    for (name, text) in files {
        let path = runbooks.join(name);
        std::fs::write(&path, text).expect("runbook file");
        // Private to its owner, as a runbook file must be to be read.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    dir
}

// ---------------------------------------------------------------------------------------------
// The payments team's platform: a real API server with the payments-worker deployment, and a
// real Prometheus scraping the queue's depth from an exporter the test controls.
// ---------------------------------------------------------------------------------------------

use crate::support::Run;
use incidentctl_sandbox::scenario::Scenario;
use incidentctl_sandbox::servers;
use incidentctl_sandbox::world::{Kubernetes, StandaloneCluster};
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

/// Every resourceVersion of every object in `namespace`, once they have stopped changing.
fn settled_versions(cluster: &dyn Fn(&str) -> Value, namespace: &str) -> Vec<String> {
    let snapshot = || {
        let mut all = Vec::new();
        for (api, kind) in [
            ("/api/v1", "pods"),
            ("/api/v1", "services"),
            ("/api/v1", "endpoints"),
            ("/api/v1", "configmaps"),
            ("/api/v1", "secrets"),
            ("/api/v1", "events"),
            ("/api/v1", "serviceaccounts"),
            ("/apis/apps/v1", "deployments"),
            ("/apis/apps/v1", "replicasets"),
            ("/apis/apps/v1", "statefulsets"),
            ("/apis/networking.k8s.io/v1", "networkpolicies"),
            ("/apis/networking.k8s.io/v1", "ingresses"),
        ] {
            let list = cluster(&format!("{api}/namespaces/{namespace}/{kind}"));
            for item in list["items"].as_array().cloned().unwrap_or_default() {
                all.push(format!(
                    "{kind}/{} {}",
                    item["metadata"]["name"].as_str().unwrap_or("?"),
                    item["metadata"]["resourceVersion"].as_str().unwrap_or("?")
                ));
            }
        }
        all.sort();
        all
    };
    // Quiet for 2 s: after a rollout the controllers write statuses for a moment, and only
    // objects at rest can prove a dry run wrote nothing.
    let (mut last, mut quiet) = (snapshot(), 0);
    for _ in 0..120 {
        std::thread::sleep(Duration::from_millis(500));
        let now = snapshot();
        quiet = if now == last { quiet + 1 } else { 0 };
        if quiet == 4 {
            return now;
        }
        last = now;
    }
    panic!("the objects of {namespace} kept changing for 60 s");
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
        serde_json::json!({"runbook": "payments-backlog", "step": 1})
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
        serde_json::json!({"runbook": "payments-backlog", "step": 1})
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

/// Every row of every table of the app's database, every Redis key, every silence: what the
/// runbooks' database, cache and silence steps could change.
fn data_of(w: &incidentctl_sandbox::world::World) -> Vec<String> {
    let tables = w
        .postgres
        .psql(
            "reconciliation_app",
            "SELECT string_agg(format('%I.%I', schemaname, tablename), ' ' ORDER BY 1) FROM pg_tables WHERE schemaname = 'public'",
        )
        .expect("the app's tables");
    let mut all = Vec::new();
    for table in tables.split_whitespace() {
        let rows = w
            .postgres
            .psql(
                "reconciliation_app",
                &format!("SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t"),
            )
            .expect("a table's rows");
        all.push(format!("{table}: {}", rows.trim()));
    }
    let keys = w.runtime().block_on(async {
        let client = redis::Client::open(w.redis.url()).expect("redis url");
        let mut c = client
            .get_multiplexed_async_connection()
            .await
            .expect("redis");
        let mut keys: Vec<String> = redis::cmd("KEYS")
            .arg("*")
            .query_async(&mut c)
            .await
            .expect("KEYS");
        keys.sort();
        keys
    });
    all.push(format!("redis: {} keys: {}", keys.len(), keys.join(",")));
    all.push(format!(
        "silences: {}",
        w.alertmanager.get("/api/v2/silences").expect("silences")
    ));
    all
}

#[test]
fn a_dry_run_of_every_runbook_changes_no_object_row_or_key() {
    // The healthy platform (read by other tests, never changed): the incident's PostgreSQL has
    // few connections to spare for the readers running beside this test. A dry run walks every
    // step, applicable or not, so every step is planned and validated all the same.
    let w = crate::support::healthy();
    let dir = team_dir(
        &format!("runbooks_dir = \"runbooks\"\n{}", w.config_text(&[])),
        &[("cache.toml", example("catalog-cache-stampede"))],
    );
    let config = dir.path().join("incidentctl.toml").display().to_string();
    let get = |path: &str| w.kube("GET", path, None).unwrap_or_else(|e| panic!("{e}"));
    let objects = settled_versions(&get, "reconciliation");
    let data = data_of(w);
    for runbook in [
        &["app-down"][..],
        &["database"],
        &["error-rate"],
        &["performance"],
        &["security", "--set", "cidr=198.51.100.7"],
        &["catalog-cache-stampede"],
    ] {
        let mut args = vec![
            "runbook",
            "run",
            "--dry-run",
            "-o",
            "json",
            "--config",
            &config,
        ];
        args.extend_from_slice(runbook);
        let dry = incidentctl(Some(w), &args, &[]);
        assert_eq!(dry.code, 0, "{runbook:?}: {}", dry.all());
        let doc = dry.json();
        // Every step planned (and validated by the API server where it can be): a dry run, or a
        // plan with nothing to change; one that does not apply now may be one that cannot be
        // planned (no earlier revision to roll back to), said, and not the run's failure.
        for step in doc["steps"].as_array().unwrap() {
            let planned = ["dry-run", "nothing-to-do"].contains(&step["result"].as_str().unwrap());
            let unplannable = step["applies"] == false && step["result"] == "failed";
            assert!(planned || unplannable, "{runbook:?}: {step:#}");
        }
        assert!(doc["symptoms_gone"].is_boolean(), "{doc:#}");
    }
    assert_eq!(
        settled_versions(&get, "reconciliation"),
        objects,
        "a dry run changed an object"
    );
    // Compared line by line: a difference names its table.
    let now = data_of(w);
    for (after, before) in now.iter().zip(&data) {
        assert!(
            after == before,
            "a dry run changed {}",
            before.split(':').next().unwrap_or("?")
        );
    }
    assert_eq!(now.len(), data.len());
}

#[test]
fn an_unknown_action_or_check_or_a_typo_is_exit_78_naming_the_file_and_line() {
    let good = example("payments-backlog");
    let line_of = |text: &str, needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("{needle} not in the example"))
    };
    for (what, from, to, said) in [
        (
            "an unknown action",
            "action = \"scale\"",
            "action = \"scael\"",
            "unknown action 'scael'; actions: restart, scale",
        ),
        (
            "an unknown check",
            "checks = [\"payments.queue_depth\"]",
            "checks = [\"payments.queue_dept\"]",
            "unknown check 'payments.queue_dept'; known: k8s.pods",
        ),
        (
            "a flag the run decides",
            "\"--replicas\", \"6\"]",
            "\"--replicas\", \"6\", \"--yes\"]",
            "--yes is not a step's to give",
        ),
        (
            "arguments the command refuses",
            "\"--replicas\", \"6\"]",
            "\"--replicas\", \"six\"]",
            "invalid value 'six'",
        ),
    ] {
        let bad = good.replacen(from, to, 1);
        let dir = team_dir(
            "runbooks_dir = \"runbooks\"\n",
            &[("payments.toml", bad.clone())],
        );
        let config = dir.path().join("incidentctl.toml").display().to_string();
        let r = incidentctl(None, &["--config", &config, "runbook", "list"], &[]);
        assert_eq!(r.code, 78, "{what}: {}", r.all());
        let file = dir.path().join("runbooks/payments.toml");
        let at = format!("{} line {}", file.display(), line_of(&bad, to));
        assert!(
            r.stderr.starts_with(&format!("error: {at}: ")),
            "{what}: {}",
            r.stderr
        );
        assert!(r.stderr.contains(said), "{what}: {}", r.stderr);
    }
    // A typo in a key: the TOML reader names it, the keys there are and the line; in the config
    // file's [[runbook]] tables as in a runbook file.
    let typo = good.replacen("when = {", "whne = {", 1);
    let dir = team_dir(&typo, &[]);
    let config = dir.path().join("incidentctl.toml");
    let r = incidentctl(
        None,
        &[
            "--config",
            &config.display().to_string(),
            "diagnose",
            "--list",
        ],
        &[],
    );
    assert_eq!(r.code, 78, "{}", r.all());
    assert!(
        r.stderr.starts_with(&format!(
            "error: {}: unknown field `whne`",
            config.display()
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("(line {})", line_of(&typo, "whne = {"))),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("`when`"), "{}", r.stderr);
    // A runbook file others may write is not read.
    let dir = team_dir("runbooks_dir = \"runbooks\"\n", &[("payments.toml", good)]);
    let file = dir.path().join("runbooks/payments.toml");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).unwrap();
    let config = dir.path().join("incidentctl.toml").display().to_string();
    let r = incidentctl(None, &["--config", &config, "runbook", "list"], &[]);
    assert_eq!(r.code, 78, "{}", r.all());
    assert!(r.stderr.contains("others may write it"), "{}", r.stderr);
}

#[test]
fn the_wiki_page_of_a_runbook_is_its_definition_and_asks_no_server() {
    let r = incidentctl(
        None,
        &["runbook", "show", "app-down", "-o", "markdown"],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let page = &r.stdout;
    for part in [
        "# Application down (`app-down`)",
        "## Symptoms\n\n- HTTP 5xx errors\n",
        "## Investigation",
        "1. **Check Service Status**",
        "| `k8s.pods` |",
        "## Resolution",
        "1. **Restart Application**: applies when `k8s.pods` is warning or worse.",
        "   incidentctl restart -n reconciliation\n",
        "   incidentctl scale backend --replicas 3 -n reconciliation\n",
        "## Verification",
        "- `prometheus.error_rate` is ok\n",
        "## Notes",
    ] {
        assert!(page.contains(part), "{part:?} in\n{page}");
    }
    // No live status: nothing was asked of the (unreachable) default servers.
    assert!(
        !page.contains("DOES NOT HOLD") && !page.contains("unreachable"),
        "{page}"
    );
    assert!(r.elapsed < Duration::from_secs(2), "{:?}", r.elapsed);
}
