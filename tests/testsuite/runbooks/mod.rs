//! Runbooks as data: the seed's five built in, in the format a team writes, select exactly the
//! checks they selected when they were code; a team's own runbooks (from docs/runbooks.md) are
//! diagnosed, shown live and run step by step through each command's own pipeline on the
//! sandbox's real servers; a bad definition is a configuration error naming its file and line.

mod team;

use crate::support::incidentctl;
use serde_json::Value;
use std::time::Duration;

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
        "| 1. Check Service Status | `k8s.pods` | app pods not Running/Ready",
        "| 2. Check Load Balancer | `k8s.ingress` |",
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
