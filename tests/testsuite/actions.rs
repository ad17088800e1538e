//! End-to-end tests of the changing commands against the sandbox's real PostgreSQL and Redis and
//! the Kubernetes stand-in: dry run changes nothing (state read back), no terminal and no --yes
//! refuses and changes nothing, --yes applies exactly the plan, and the audit log has the line.
//! The tests share one world and change it, so they run one at a time.

use crate::support;
use crate::support::{incidentctl, Run};
use incidentctl_sandbox::scenario::Scenario;
use incidentctl_sandbox::scenario::{PG_PASSWORD, SECRET_VALUE};
use incidentctl_sandbox::world::{Kubernetes, StandaloneCluster, World};
use serde_json::Value;
use std::sync::{Mutex, MutexGuard};

/// This module's own healthy platform: its tests change it, so it is not the one the reading
/// modules share.
pub(crate) fn healthy() -> &'static World {
    static CELL: std::sync::OnceLock<Result<World, String>> = std::sync::OnceLock::new();
    support::world(&CELL, Scenario::Healthy)
}

/// One test at a time: they change the same world.
pub(crate) fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs incidentctl against the world with a private audit log; returns the run and the log.
fn run(world: &World, args: &[&str]) -> (Run, Vec<Value>) {
    let log = tempfile::NamedTempFile::new().expect("temp audit log");
    let path = log.path().display().to_string();
    let run = incidentctl(Some(world), args, &[("INCIDENTCTL_AUDIT_LOG", &path)]);
    let lines = std::fs::read_to_string(log.path())
        .unwrap_or_default()
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("audit line is not JSON ({e}): {l}"))
        })
        .collect();
    (run, lines)
}

/// GET from the Kubernetes API (as its admin), as JSON.
fn kube_get(world: &World, path: &str) -> Value {
    world
        .kube("GET", path, None)
        .unwrap_or_else(|e| panic!("{e}"))
}

pub(crate) fn deployment(world: &World, name: &str) -> Value {
    kube_get(
        world,
        &format!("/apis/apps/v1/namespaces/reconciliation/deployments/{name}"),
    )
}

fn psql(world: &World, sql: &str) -> String {
    world
        .postgres
        .psql("reconciliation_app", sql)
        .expect("psql")
        .trim()
        .to_string()
}

fn redis_cmd(world: &World, args: &[&str]) -> redis::Value {
    let url = world.redis.url();
    world.runtime().block_on(async {
        let client = redis::Client::open(url).expect("redis url");
        let mut c = client
            .get_multiplexed_async_connection()
            .await
            .expect("redis connect");
        let mut cmd = redis::cmd(args[0]);
        for a in &args[1..] {
            cmd.arg(*a);
        }
        cmd.query_async(&mut c).await.expect("redis command")
    })
}

fn redis_int(world: &World, args: &[&str]) -> i64 {
    match redis_cmd(world, args) {
        redis::Value::Int(n) => n,
        other => panic!("expected an integer from {args:?}, got {other:?}"),
    }
}

fn redis_host(world: &World) -> String {
    world.redis.url().trim_start_matches("redis://").to_string()
}

#[test]
fn restart_dry_run_changes_nothing_refuses_without_yes_and_applies_with_it() {
    let _serial = serial();
    let w = healthy();
    // Specs, not whole objects: the simulated controller writes status after earlier tests' changes.
    let before = deployment(w, "frontend")["spec"].clone();

    let (dry, log) = run(w, &["restart", "frontend", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(dry.stdout.contains("(server dry run)"), "{}", dry.stdout);
    assert_eq!(
        deployment(w, "frontend")["spec"],
        before,
        "dry run changed the deployment"
    );
    assert_eq!(log[0]["result"], "dry-run");

    let (refused, log) = run(w, &["restart", "frontend"]);
    assert_eq!(refused.code, 10, "{}", refused.all());
    assert!(
        refused.stderr.contains("no terminal") && refused.stderr.contains("--yes"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        deployment(w, "frontend")["spec"],
        before,
        "a refused change changed the deployment"
    );
    assert_eq!(log[0]["result"], "refused");

    // An incident that is not in the store is refused before anything is planned or audited.
    let (made_up, log) = run(
        w,
        &[
            "restart",
            "frontend",
            "--yes",
            "--incident",
            "INC-20261126-007",
        ],
    );
    assert_eq!(made_up.code, 66, "{}", made_up.all());
    let store = w.dir().join("incidents").display().to_string();
    assert!(
        made_up.stderr.contains("no incident INC-20261126-007 in")
            && made_up.stderr.contains(&store),
        "{}",
        made_up.stderr
    );
    assert!(log.is_empty(), "{log:?}");
    let id = incidentctl(
        Some(w),
        &[
            "report",
            "new",
            "--title",
            "frontend restart",
            "--severity",
            "sev3",
        ],
        &[],
    );
    assert_eq!(id.code, 0, "{}", id.all());
    let id = id.stdout.trim().to_string();
    let (applied, log) = run(
        w,
        &[
            "restart",
            "frontend",
            "--yes",
            "--incident",
            &id,
            "--wait-timeout",
            "20s",
        ],
    );
    assert_eq!(applied.code, 0, "{}", applied.all());
    assert!(
        applied
            .stdout
            .contains("deployment/frontend: rollout complete, 2/2 available"),
        "{}",
        applied.stdout
    );
    assert_eq!(log[0]["verified"], true);
    let after = deployment(w, "frontend");
    let at = after["spec"]["template"]["metadata"]["annotations"]
        ["kubectl.kubernetes.io/restartedAt"]
        .as_str();
    assert!(
        at.is_some_and(|t| t.ends_with('Z')),
        "restartedAt not set: {after:#}"
    );
    assert_eq!(
        after["spec"]["template"]["spec"], before["template"]["spec"],
        "only the annotation changes"
    );
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["result"], "applied");
    assert_eq!(log[0]["incident"], id.as_str());
    assert_eq!(log[0]["action"], "restart");
    assert_eq!(log[0]["kube_context"], "sandbox");
    assert!(
        log[0]["argv"].to_string().contains("--incident"),
        "{:#}",
        log[0]
    );
}

#[test]
fn scale_shows_current_to_new_applies_and_prints_the_undo() {
    let _serial = serial();
    let w = healthy();
    let from = deployment(w, "frontend")["spec"]["replicas"]
        .as_i64()
        .unwrap();
    let (dry, _) = run(
        w,
        &[
            "scale",
            "frontend",
            "--replicas",
            "3",
            "--dry-run",
            "-o",
            "json",
        ],
    );
    assert_eq!(dry.code, 0, "{}", dry.all());
    let doc = dry.json();
    assert_eq!(doc["schema"], "incidentctl.change/v1");
    assert_eq!(doc["result"], "dry-run");
    assert_eq!(doc["plan"]["changes"][0]["from"], from.to_string());
    assert_eq!(doc["plan"]["changes"][0]["to"], "3");
    assert_eq!(deployment(w, "frontend")["spec"]["replicas"], from);

    let (applied, log) = run(
        w,
        &[
            "scale",
            "frontend",
            "--replicas",
            "3",
            "--yes",
            "--wait-timeout",
            "20s",
        ],
    );
    assert_eq!(applied.code, 0, "{}", applied.all());
    assert_eq!(deployment(w, "frontend")["spec"]["replicas"], 3);
    let undo = format!("incidentctl scale frontend --replicas {from} -n reconciliation");
    assert!(
        applied.stdout.contains(&format!("To undo: {undo}")),
        "{}",
        applied.stdout
    );
    assert_eq!(log[0]["undo"], undo);

    // Put it back for the other tests.
    let (back, _) = run(
        w,
        &[
            "scale",
            "frontend",
            "--replicas",
            &from.to_string(),
            "--yes",
            "--wait-timeout",
            "20s",
        ],
    );
    assert_eq!(back.code, 0, "{}", back.all());
}

#[test]
fn bad_scale_inputs_are_refused_with_no_change() {
    let _serial = serial();
    let w = healthy();
    let before = deployment(w, "backend")["spec"].clone();
    for (args, code, says) in [
        (
            vec!["scale", "backend", "--replicas", "-1", "--yes"],
            64,
            "cannot be negative",
        ),
        (
            vec!["scale", "backend", "--replicas", "0", "--yes"],
            64,
            "--allow-zero",
        ),
        (
            vec!["scale", "backend", "--replicas", "500", "--yes"],
            64,
            "outside the allowed range",
        ),
        (
            vec!["scale", "payments", "--replicas", "2", "--yes"],
            66,
            "payments not found",
        ),
        (
            vec!["scale", "backend", "--replicas", "two"],
            64,
            "--replicas",
        ),
    ] {
        let (r, _) = run(w, &args);
        assert_eq!(r.code, code, "{args:?}: {}", r.all());
        assert!(
            r.stderr.lines().next().unwrap_or("").contains(says),
            "{args:?}: {}",
            r.stderr
        );
    }
    assert_eq!(deployment(w, "backend")["spec"], before);
}

#[test]
fn pool_size_changes_one_variable_and_keeps_the_container() {
    let _serial = serial();
    let w = healthy();
    let before = deployment(w, "backend");
    let (dry, _) = run(w, &["db", "pool-size", "25", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert_eq!(deployment(w, "backend")["spec"], before["spec"]);
    let (r, _) = run(
        w,
        &["db", "pool-size", "25", "--yes", "--wait-timeout", "20s"],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let container = &deployment(w, "backend")["spec"]["template"]["spec"]["containers"][0];
    let old = &before["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], old["image"], "the image must survive");
    let env = container["env"].as_array().unwrap();
    assert_eq!(env.len(), old["env"].as_array().unwrap().len());
    assert!(
        env.iter()
            .any(|e| e["name"] == "DB_POOL_SIZE" && e["value"] == "25"),
        "{env:?}"
    );
    assert!(
        env.iter().any(|e| e["name"] == "LOG_LEVEL"),
        "other variables kept: {env:?}"
    );
    assert!(
        r.stdout.contains("To undo: incidentctl db pool-size"),
        "{}",
        r.stdout
    );
}

#[test]
fn block_ip_keeps_existing_rules_and_unblock_undoes_it() {
    let _serial = serial();
    let w = healthy();
    let path = "/apis/networking.k8s.io/v1/namespaces/reconciliation/networkpolicies/reconciliation-network-policy";
    let before = kube_get(w, path);
    let (dry, _) = run(w, &["security", "block-ip", "10.9.9.9", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert_eq!(kube_get(w, path)["spec"], before["spec"]);

    let (r, log) = run(w, &["security", "block-ip", "10.9.9.9", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let after = kube_get(w, path);
    let block = &after["spec"]["ingress"][0]["from"][0]["ipBlock"];
    assert_eq!(block["cidr"], "10.0.0.0/8", "the allowed range is kept");
    assert_eq!(
        block["except"],
        serde_json::json!(["10.0.0.0/24", "10.9.9.9/32"]),
        "existing except kept"
    );
    assert_eq!(
        after["spec"]["ingress"].as_array().unwrap().len(),
        before["spec"]["ingress"].as_array().unwrap().len()
    );
    assert_eq!(
        log[0]["undo"],
        "incidentctl security unblock-ip 10.9.9.9/32 -n reconciliation"
    );

    let (u, _) = run(w, &["security", "unblock-ip", "10.9.9.9", "--yes"]);
    assert_eq!(u.code, 0, "{}", u.all());
    assert_eq!(kube_get(w, path)["spec"], before["spec"]);
}

#[test]
fn block_ip_refuses_bad_and_overbroad_cidrs_with_no_change() {
    let _serial = serial();
    let w = healthy();
    let path = "/apis/networking.k8s.io/v1/namespaces/reconciliation/networkpolicies/reconciliation-network-policy";
    let before = kube_get(w, path);
    for (cidr, says) in [
        ("10.0.0.999", "not an IP address"),
        ("0.0.0.0/0", "every address"),
        ("10.0.0.0/7", "whole allowed range"),
    ] {
        let (r, _) = run(w, &["security", "block-ip", cidr, "--yes"]);
        assert_eq!(r.code, 64, "{cidr}: {}", r.all());
        assert!(r.stderr.contains(says), "{cidr}: {}", r.stderr);
    }
    assert_eq!(kube_get(w, path), before);
}

#[test]
fn kill_queries_ends_only_old_client_queries_never_walsenders_or_itself() {
    let _serial = serial();
    let w = healthy();
    // A client query to end, started by the test, and a replication connection (walsender).
    let url = w.postgres_url();
    let victim = w.runtime().spawn(async move {
        let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .expect("connect");
        tokio::spawn(conn);
        c.simple_query("SET application_name = 'kill-me'; SELECT pg_sleep(600)")
            .await
    });
    let wal_dir = tempfile::tempdir().unwrap();
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .unwrap()
        .flatten()
        .map(|e| e.path().join("bin"))
        .max()
        .unwrap();
    let mut receiver = std::process::Command::new(bin.join("pg_receivewal"))
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &w.postgres.port.to_string(),
            "-U",
            "postgres",
            "--no-sync",
            "-D",
        ])
        .arg(wal_dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("pg_receivewal");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let walsender = psql(
        w,
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender'",
    );
    assert_eq!(walsender, "1", "the replication connection is up");

    let (dry, _) = run(
        w,
        &[
            "db",
            "kill-queries",
            "--older-than",
            "1s",
            "--dry-run",
            "-o",
            "json",
        ],
    );
    assert_eq!(dry.code, 0, "{}", dry.all());
    let plan = dry.json()["plan"].clone();
    let changes = plan["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "only the client query: {plan:#}");
    assert!(
        changes[0]["change"].as_str().unwrap().contains("pg_sleep"),
        "{plan:#}"
    );
    assert_eq!(
        psql(
            w,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kill-me'"
        ),
        "1"
    );

    let (r, log) = run(
        w,
        &[
            "db",
            "kill-queries",
            "--older-than",
            "1s",
            "--yes",
            "--wait-timeout",
            "5s",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(r.stdout.contains("session terminated"), "{}", r.stdout);
    assert!(r.stdout.contains("verified"), "{}", r.stdout);
    assert_eq!(
        psql(
            w,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kill-me'"
        ),
        "0"
    );
    assert_eq!(
        psql(
            w,
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender'"
        ),
        "1",
        "walsender untouched"
    );
    assert_eq!(log[0]["verified"], true);
    let _ = receiver.kill();
    let _ = receiver.wait();
    let outcome = w.runtime().block_on(victim).expect("join");
    assert!(outcome.is_err(), "the victim's query was ended");
}

#[test]
fn cache_flush_by_pattern_deletes_only_matching_keys_and_needs_the_typed_name() {
    let _serial = serial();
    let w = healthy();
    redis_cmd(w, &["SELECT", "5"]);
    let url5 = format!("{}/5", w.redis.url());
    w.runtime().block_on(async {
        let client = redis::Client::open(url5).unwrap();
        let mut c = client.get_multiplexed_async_connection().await.unwrap();
        let mut pipe = redis::pipe();
        for i in 0..1200 {
            pipe.cmd("SET").arg(format!("report:{i}")).arg("x").ignore();
        }
        for i in 0..10 {
            pipe.cmd("SET").arg(format!("keep:{i}")).arg("x").ignore();
        }
        pipe.query_async::<()>(&mut c).await.unwrap();
    });
    let dbsize = |w: &World| -> i64 {
        let url5 = format!("{}/5", w.redis.url());
        w.runtime().block_on(async {
            let client = redis::Client::open(url5).unwrap();
            let mut c = client.get_multiplexed_async_connection().await.unwrap();
            redis::cmd("DBSIZE").query_async(&mut c).await.unwrap()
        })
    };
    assert_eq!(dbsize(w), 1210);
    let (dry, _) = run(
        w,
        &[
            "cache",
            "flush",
            "--db",
            "5",
            "--pattern",
            "report:*",
            "--dry-run",
        ],
    );
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(
        dry.stdout
            .contains("delete the 1200 keys matching 'report:*' in db5"),
        "{}",
        dry.stdout
    );
    assert_eq!(dbsize(w), 1210);

    let (refused, _) = run(
        w,
        &[
            "cache",
            "flush",
            "--db",
            "5",
            "--pattern",
            "report:*",
            "--yes",
        ],
    );
    assert_eq!(
        refused.code,
        10,
        "needs --confirm without a terminal: {}",
        refused.all()
    );
    assert_eq!(dbsize(w), 1210);
    // --yes was given: the hint asks for what is missing, not for --yes.
    assert!(
        refused.stderr.contains("hint: add --confirm") && !refused.stderr.contains("pass --yes"),
        "{}",
        refused.stderr
    );

    let host = redis_host(w);
    let (r, log) = run(
        w,
        &[
            "cache",
            "flush",
            "--db",
            "5",
            "--pattern",
            "report:*",
            "--yes",
            "--confirm",
            &host,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(dbsize(w), 10, "only the keep:* keys remain");
    assert!(r.stdout.contains("unlinked 1200 key(s)"), "{}", r.stdout);
    assert_eq!(log[0]["result"], "applied");
    assert_eq!(log[0]["verified"], true);
    let others = redis_int(w, &["DBSIZE"]);
    assert!(others > 0, "db0 untouched");
}

#[test]
fn reset_sessions_deletes_exactly_the_old_rows_in_a_transaction() {
    let _serial = serial();
    let w = healthy();
    let count = |w: &World| psql(w, "SELECT count(*) FROM sessions");
    let old = psql(
        w,
        "SELECT count(*) FROM sessions WHERE created_at < now() - interval '150 minutes'",
    );
    let total = count(w);
    let (dry, _) = run(
        w,
        &[
            "security",
            "reset-sessions",
            "--older-than",
            "150m",
            "--dry-run",
        ],
    );
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(
        dry.stdout
            .contains(&format!("delete {old} of {total} session(s)")),
        "{}",
        dry.stdout
    );
    assert_eq!(count(w), total);
    let (r, _) = run(
        w,
        &[
            "security",
            "reset-sessions",
            "--older-than",
            "150m",
            "--yes",
            "--confirm",
            "sessions",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let left: i64 = count(w).parse().unwrap();
    assert_eq!(
        left,
        total.parse::<i64>().unwrap() - old.parse::<i64>().unwrap()
    );
}

#[test]
fn analyze_and_concurrent_reindex_run_on_a_quiet_database() {
    let _serial = serial();
    let w = healthy();
    let (a, _) = run(w, &["db", "analyze", "--yes"]);
    assert_eq!(a.code, 0, "{}", a.all());
    assert!(a.stdout.contains("ANALYZE: done"), "{}", a.stdout);
    let (r, _) = run(w, &["db", "reindex", "--concurrently", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout
            .contains("REINDEX INDEX CONCURRENTLY public.accounts_pkey: done"),
        "{}",
        r.stdout
    );
    let (full, _) = run(w, &["db", "reindex", "--yes"]);
    assert_eq!(
        full.code,
        10,
        "REINDEX DATABASE needs the typed name: {}",
        full.all()
    );
}

#[test]
fn an_unwritable_audit_log_means_nothing_is_applied() {
    let _serial = serial();
    let w = healthy();
    let before = deployment(w, "frontend")["spec"].clone();
    let r = incidentctl(
        Some(w),
        &["restart", "frontend", "--yes", "--wait-timeout", "20s"],
        &[("INCIDENTCTL_AUDIT_LOG", "/proc/version/audit.jsonl")],
    );
    assert_eq!(r.code, 73, "{}", r.all());
    assert!(r.stderr.contains("nothing was applied"), "{}", r.stderr);
    assert_eq!(deployment(w, "frontend")["spec"], before);
}

#[test]
fn security_config_shows_fingerprints_never_values() {
    let _serial = serial();
    let w = healthy();
    for args in [
        vec!["security", "config"],
        vec!["security", "config", "-o", "json"],
    ] {
        let (r, _) = run(w, &args);
        assert_eq!(r.code, 0, "{}", r.all());
        assert!(
            r.stdout.contains("DB_PASSWORD") && r.stdout.contains("sha256:"),
            "{}",
            r.stdout
        );
        assert!(
            !r.all().contains(SECRET_VALUE),
            "secret value leaked: {}",
            r.all()
        );
        assert!(
            !r.all().contains("c2FuZGJveC1zZWNyZXQtdmFsdWUtWng5MQ"),
            "encoded secret leaked"
        );
        // A credential in a configmap value is redacted too (issue 30, finding 7).
        assert!(
            r.stdout.contains("DATABASE_URL") && r.stdout.contains("reconciliation_user:***@"),
            "{}",
            r.stdout
        );
        assert!(!r.all().contains(PG_PASSWORD), "{}", r.all());
        assert!(r.stdout.contains("hmac-sha256:"), "{}", r.stdout);
    }
}

#[test]
fn a_rollout_that_never_completes_fails_verification_with_exit_13_and_says_so() {
    let _serial = serial();
    let w = healthy();
    // The sandbox's nginx deployment is marked never to finish a rollout: the node agent holds
    // its new pods unready.
    let (r, log) = run(w, &["restart", "nginx", "--yes", "--wait-timeout", "5s"]);
    assert_eq!(r.code, 13, "{}", r.all());
    assert!(
        r.stdout.contains("deployment/nginx restarted"),
        "what was done is said: {}",
        r.stdout
    );
    assert!(
        r.stderr.contains("not verified") && r.stderr.contains("rollout not complete after 5s"),
        "{}",
        r.stderr
    );
    assert_eq!(log[0]["result"], "applied");
    assert_eq!(log[0]["verified"], false);
}

#[test]
fn scale_waits_until_the_new_replicas_are_ready() {
    let _serial = serial();
    let w = healthy();
    let (r, _) = run(
        w,
        &[
            "scale",
            "backend",
            "--replicas",
            "4",
            "--yes",
            "--wait-timeout",
            "20s",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout
            .contains("deployment/backend: rollout complete, 4/4 available"),
        "{}",
        r.stdout
    );
    let d = deployment(w, "backend");
    assert_eq!(d["status"]["readyReplicas"], 4);
    let (back, _) = run(
        w,
        &[
            "scale",
            "backend",
            "--replicas",
            "2",
            "--yes",
            "--wait-timeout",
            "20s",
        ],
    );
    assert_eq!(back.code, 0, "{}", back.all());
}

#[test]
fn db_restart_needs_the_typed_name_and_waits_for_the_statefulset() {
    let _serial = serial();
    let w = healthy();
    let (refused, _) = run(w, &["db", "restart", "--yes"]);
    assert_eq!(refused.code, 10, "{}", refused.all());
    assert!(
        refused.stderr.contains("--confirm postgres"),
        "{}",
        refused.stderr
    );
    let (r, log) = run(
        w,
        &[
            "db",
            "restart",
            "--yes",
            "--confirm",
            "postgres",
            "--wait-timeout",
            "20s",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("statefulset/postgres: rollout complete"),
        "{}",
        r.stdout
    );
    assert_eq!(log[0]["action"], "db restart");
}

/// A Redis of its own, so FLUSHALL cannot disturb the other tests.
fn own_redis(dir: &std::path::Path, args: &[&str]) -> incidentctl_sandbox::servers::Redis {
    let redis =
        incidentctl_sandbox::servers::Redis::start(dir, args).expect("start a dedicated redis");
    let url = redis.url();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let client = redis::Client::open(url).unwrap();
        let mut c = client.get_multiplexed_async_connection().await.unwrap();
        for db in [0, 2] {
            redis::cmd("SELECT")
                .arg(db)
                .query_async::<()>(&mut c)
                .await
                .unwrap();
            for i in 0..20 {
                redis::cmd("SET")
                    .arg(format!("k{i}"))
                    .arg("v")
                    .query_async::<()>(&mut c)
                    .await
                    .unwrap();
            }
        }
    });
    redis
}

#[test]
fn flushall_warns_about_the_snapshot_and_empties_every_database() {
    let _serial = serial();
    let w = healthy();
    let dir = tempfile::tempdir().unwrap();
    let redis = own_redis(dir.path(), &["--save", "3600 1"]);
    let url = redis.url();
    let host = url.trim_start_matches("redis://").to_string();
    let log = tempfile::NamedTempFile::new().unwrap();
    let env = [
        ("INCIDENTCTL_REDIS_URL", url.as_str()),
        ("INCIDENTCTL_AUDIT_LOG", log.path().to_str().unwrap()),
    ];
    let dry = incidentctl(Some(w), &["cache", "flush", "--dry-run"], &env);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(
        dry.stdout
            .contains("FLUSHALL: delete every key of every database"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("db0") && dry.stdout.contains("db2"),
        "keys per database: {}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("writes an empty RDB snapshot"),
        "{}",
        dry.stdout
    );
    let star = incidentctl(
        Some(w),
        &["cache", "flush", "--pattern", "*", "--yes"],
        &env,
    );
    assert_eq!(
        star.code,
        10,
        "a pattern of * without the full confirmation: {}",
        star.all()
    );
    let r = incidentctl(
        Some(w),
        &["cache", "flush", "--yes", "--confirm", &host],
        &env,
    );
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains("FLUSHALL done") && r.stdout.contains("verified"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_disabled_flush_command_is_reported_as_such() {
    let _serial = serial();
    let w = healthy();
    let dir = tempfile::tempdir().unwrap();
    let redis = own_redis(dir.path(), &["--rename-command", "FLUSHDB", ""]);
    let url = redis.url();
    let host = url.trim_start_matches("redis://").to_string();
    let env = [("INCIDENTCTL_REDIS_URL", url.as_str())];
    let r = incidentctl(
        Some(w),
        &["cache", "flush", "--db", "2", "--yes", "--confirm", &host],
        &env,
    );
    assert_eq!(r.code, 69, "{}", r.all());
    assert!(r.stderr.contains("renamed or disabled"), "{}", r.stderr);
}

/// Runs incidentctl on a pseudo-terminal (util-linux `script`), typing `answer` at the prompt.
fn on_a_terminal(world: &World, args: &str, answer: &str) -> Run {
    on_a_terminal_with(world, args, &[], || {}, answer)
}

/// As `on_a_terminal`, with `env` over the world's, and `meanwhile` run while the prompt waits.
fn on_a_terminal_with(
    world: &World,
    args: &str,
    env: &[(&str, &str)],
    meanwhile: impl FnOnce(),
    answer: &str,
) -> Run {
    let bin = env!("CARGO_BIN_EXE_incidentctl");
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &format!("{bin} {args}"), "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("TERM", "dumb")
        .envs(world.env())
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("script (util-linux) runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        // Give the prompt time to appear before answering, as a person would.
        std::thread::sleep(std::time::Duration::from_millis(1500));
        meanwhile();
        let _ = stdin.write_all(answer.as_bytes());
    }
    let started = std::time::Instant::now();
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

#[test]
fn on_a_terminal_it_asks_and_takes_no_for_an_answer() {
    let _serial = serial();
    let w = healthy();
    let before = deployment(w, "frontend");
    let no = on_a_terminal(w, "scale frontend --replicas 3", "n\n");
    assert!(
        no.stdout
            .contains("Apply this change to deployment/frontend in reconciliation? [y/N]"),
        "{}",
        no.all()
    );
    assert_eq!(no.code, 10, "{}", no.all());
    assert_eq!(deployment(w, "frontend")["spec"], before["spec"]);
    // Asked on a terminal and answered: no hint to go and find one.
    assert!(
        !no.all().contains("on a terminal to be asked"),
        "{}",
        no.all()
    );
    let wrong = on_a_terminal(w, "db restart", "postgre\n");
    assert!(
        wrong.stdout.contains("Type postgres to confirm"),
        "{}",
        wrong.all()
    );
    assert_eq!(wrong.code, 10, "{}", wrong.all());
    let yes = on_a_terminal(w, "scale frontend --replicas 3 --wait-timeout 20s", "y\n");
    assert_eq!(yes.code, 0, "{}", yes.all());
    assert_eq!(deployment(w, "frontend")["spec"]["replicas"], 3);
    let back = on_a_terminal(w, "scale frontend --replicas 2 --wait-timeout 20s", "y\n");
    assert_eq!(back.code, 0, "{}", back.all());
}

#[test]
fn every_changing_command_without_a_terminal_or_yes_changes_nothing_and_exits_10() {
    let _serial = serial();
    let w = healthy();
    let policy = "/apis/networking.k8s.io/v1/namespaces/reconciliation/networkpolicies/reconciliation-network-policy";
    let snapshot = |w: &World| {
        (
            deployment(w, "backend")["spec"].clone(),
            kube_get(w, policy),
            psql(w, "SELECT count(*) FROM sessions"),
            redis_int(w, &["DBSIZE"]),
        )
    };
    // A restart stamped this second or the last is someone else's, still rolling out: refused
    // at the plan (exit 11, tests/testsuite/two_engineers.rs). The test before may have just
    // restarted backend or postgres; this one is about the confirmation.
    std::thread::sleep(std::time::Duration::from_secs(2));
    let before = snapshot(w);
    for args in [
        vec!["restart", "backend"],
        vec!["scale", "backend", "--replicas", "3"],
        vec!["db", "pool-size", "30"],
        vec!["db", "analyze"],
        vec!["db", "reindex", "--concurrently"],
        vec!["db", "restart"],
        vec!["cache", "flush", "--db", "0"],
        vec!["cache", "flush"],
        vec!["security", "block-ip", "10.7.7.7"],
        vec!["security", "reset-sessions", "--older-than", "1m"],
        vec!["security", "log-level", "debug"],
    ] {
        let (r, log) = run(w, &args);
        assert_eq!(r.code, 10, "{args:?}: {}", r.all());
        assert!(
            r.stderr.starts_with("error: refused"),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(log.len(), 1, "{args:?}: one audit line");
        assert_eq!(log[0]["result"], "refused", "{args:?}");
    }
    assert_eq!(snapshot(w), before, "a refused command changed something");
}

fn audit_lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("audit line is JSON"))
        .collect()
}

/// A healthy cluster of its own (a real control plane), so a test can take it away mid-command.
struct DoomedCluster {
    cluster: StandaloneCluster,
    kubeconfig: std::path::PathBuf,
}

impl DoomedCluster {
    fn start() -> Self {
        let cluster = StandaloneCluster::start(Scenario::Healthy, Kubernetes::Real)
            .unwrap_or_else(|e| panic!("a cluster to take away could not start: {e}"));
        DoomedCluster {
            kubeconfig: cluster.kubeconfig.clone(),
            cluster,
        }
    }
}

/// Starts incidentctl in the background with the world's environment and `env` over it.
fn spawn_incidentctl(
    w: &World,
    args: &[&str],
    env: &[(&str, &std::path::Path)],
) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_incidentctl"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .envs(w.env())
        .envs(env.iter().map(|(k, v)| (*k, *v)))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn the_cluster_lost_between_plan_and_apply_changes_nothing_and_says_so() {
    let _serial = serial();
    let w = healthy();
    let DoomedCluster {
        cluster,
        kubeconfig,
    } = DoomedCluster::start();
    // The audit log outlives the cluster's directory.
    let kept = tempfile::tempdir().unwrap();
    let audit_copy = kept.path().join("audit.jsonl");
    let run = on_a_terminal_with(
        w,
        "scale frontend --replicas 3",
        &[
            ("KUBECONFIG", kubeconfig.to_str().unwrap()),
            ("INCIDENTCTL_AUDIT_LOG", audit_copy.to_str().unwrap()),
        ],
        // The plan is on the screen; the API server goes away before the answer.
        move || cluster.take_away(),
        "y\n",
    );
    assert!(run.stdout.contains("[y/N]"), "{}", run.all());
    assert_eq!(run.code, 69, "{}", run.all());
    assert!(
        run.stdout
            .contains("Not applied: nothing was changed: the server could not be reached"),
        "{}",
        run.all()
    );
    let log = audit_lines(&audit_copy);
    let last = log.last().expect("an audit line");
    assert_eq!(last["result"], "failed", "{last:#}");
    assert!(
        last["details"][0]
            .as_str()
            .unwrap()
            .starts_with("nothing was changed: the server could not be reached"),
        "{last:#}"
    );
}

#[test]
fn ctrl_c_at_the_prompt_changes_nothing_and_is_recorded() {
    let _serial = serial();
    let w = healthy();
    let before = deployment(w, "frontend");
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    // ^C on the terminal: the line discipline sends SIGINT to incidentctl.
    let run = on_a_terminal_with(
        w,
        "scale frontend --replicas 3",
        &[("INCIDENTCTL_AUDIT_LOG", audit.to_str().unwrap())],
        || {},
        "\u{3}",
    );
    assert_eq!(run.code, 130, "{}", run.all());
    assert!(
        run.all()
            .contains("interrupted at the confirmation; nothing was changed"),
        "{}",
        run.all()
    );
    assert_eq!(deployment(w, "frontend")["spec"], before["spec"]);
    let log = audit_lines(&audit);
    assert_eq!(log.last().expect("an audit line")["result"], "interrupted");
}

#[test]
fn ctrl_c_while_waiting_says_applied_not_verified_in_output_and_audit() {
    let _serial = serial();
    let w = healthy();
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    // nginx's rollout never completes in the sandbox, so the wait is still on when ^C comes.
    let child = spawn_incidentctl(
        w,
        &["restart", "nginx", "--yes", "--wait-timeout", "60s"],
        &[("INCIDENTCTL_AUDIT_LOG", &audit)],
    );
    std::thread::sleep(std::time::Duration::from_millis(2000));
    // SAFETY: kill(2) on our own child's pid.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let started = std::time::Instant::now();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "stops promptly"
    );
    assert_eq!(out.status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("interrupted while waiting: the change was applied; it was not verified"),
        "{stdout}\n{stderr}"
    );
    let log = audit_lines(&audit);
    let last = log.last().expect("an audit line");
    assert_eq!(last["result"], "applied", "{last:#}");
    assert_eq!(last["verified"], Value::Null, "{last:#}");
    assert!(
        last["details"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d.as_str().unwrap().contains("interrupted while waiting")),
        "{last:#}"
    );
}

#[test]
fn the_cluster_lost_while_waiting_says_applied_not_verified() {
    let _serial = serial();
    let w = healthy();
    let d = DoomedCluster::start();
    let kept = tempfile::tempdir().unwrap();
    let audit = kept.path().join("audit.jsonl");
    // nginx's rollout never completes in the sandbox: the wait is on when the cluster goes.
    let child = spawn_incidentctl(
        w,
        &[
            "restart",
            "nginx",
            "--yes",
            "--wait-timeout",
            "4s",
            "--timeout",
            "1s",
        ],
        &[
            ("KUBECONFIG", &d.kubeconfig),
            ("INCIDENTCTL_AUDIT_LOG", &audit),
        ],
    );
    std::thread::sleep(std::time::Duration::from_millis(1500));
    d.cluster.take_away();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(13), "{stdout}\n{stderr}");
    assert!(stdout.contains("not verified:"), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("applied, but not verified"),
        "{stdout}\n{stderr}"
    );
    let log = audit_lines(&audit);
    let last = log.last().expect("an audit line");
    assert_eq!(last["result"], "applied", "{last:#}");
    assert_eq!(last["verified"], false, "{last:#}");
}

const FRONTEND: &str = "/apis/apps/v1/namespaces/reconciliation/deployments/frontend";
const BACKEND: &str = "/apis/apps/v1/namespaces/reconciliation/deployments/backend";
const POSTGRES_STS: &str = "/apis/apps/v1/namespaces/reconciliation/statefulsets/postgres";
const POLICY: &str = "/apis/networking.k8s.io/v1/namespaces/reconciliation/networkpolicies/reconciliation-network-policy";

/// The object's resourceVersion once it has stopped changing: after a rollout the controllers
/// write statuses for a moment, and only a quiet object can prove a dry run wrote nothing.
fn settled_version(w: &World, path: &str) -> String {
    let version = |w: &World| kube_get(w, path)["metadata"]["resourceVersion"].to_string();
    let mut last = version(w);
    for _ in 0..40 {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let now = version(w);
        if now == last {
            return now;
        }
        last = now;
    }
    panic!("{path} kept changing for 20 s");
}

/// Someone else changes the object, as `kubectl annotate` would: its resourceVersion moves on.
fn touch(w: &World, path: &str) {
    // A new value each time: writing the same value again changes nothing, not even the version.
    static TOUCHES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = TOUCHES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let patch = serde_json::json!({"metadata": {"annotations": {"example.com/touched-by": format!("another engineer, edit {n}")}}});
    w.kube("PATCH", path, Some(&patch))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn every_dry_run_leaves_the_objects_resource_version_unchanged() {
    let _serial = serial();
    let w = healthy();
    let (blocked, _) = run(w, &["security", "block-ip", "10.9.9.6", "--yes"]);
    assert_eq!(blocked.code, 0, "{}", blocked.all());
    for (args, path) in [
        (vec!["restart", "frontend"], FRONTEND),
        (vec!["scale", "frontend", "--replicas", "3"], FRONTEND),
        (vec!["db", "pool-size", "31"], BACKEND),
        (vec!["security", "log-level", "warn"], BACKEND),
        (vec!["security", "block-ip", "10.8.8.8"], POLICY),
        (vec!["security", "unblock-ip", "10.9.9.6"], POLICY),
        (vec!["db", "restart"], POSTGRES_STS),
    ] {
        let before = settled_version(w, path);
        let mut dry = args.clone();
        dry.push("--dry-run");
        let (r, log) = run(w, &dry);
        assert_eq!(r.code, 0, "{args:?}: {}", r.all());
        assert!(
            r.stdout.contains("(server dry run)"),
            "{args:?}: {}",
            r.stdout
        );
        assert_eq!(log[0]["result"], "dry-run", "{args:?}");
        let after = kube_get(w, path)["metadata"]["resourceVersion"].to_string();
        assert_eq!(after, before, "{args:?}: the dry run changed {path}");
    }
    let (u, _) = run(w, &["security", "unblock-ip", "10.9.9.6", "--yes"]);
    assert_eq!(u.code, 0, "{}", u.all());
}

#[test]
fn a_plan_made_stale_by_someone_else_applies_nothing_and_exits_11() {
    let _serial = serial();
    let w = healthy();
    let (blocked, _) = run(w, &["security", "block-ip", "10.9.9.7", "--yes"]);
    assert_eq!(blocked.code, 0, "{}", blocked.all());
    // Every kind of guarded write: merge patch with a resourceVersion (scale subresource,
    // restart), JSON patch with `test` operations (env, network policy).
    for (args, path, answer) in [
        ("restart frontend", FRONTEND, "y\n"),
        ("scale frontend --replicas 3", FRONTEND, "y\n"),
        ("db pool-size 31", BACKEND, "y\n"),
        ("security log-level warn", BACKEND, "y\n"),
        ("security block-ip 10.8.8.8", POLICY, "y\n"),
        ("security unblock-ip 10.9.9.7", POLICY, "y\n"),
        ("db restart", POSTGRES_STS, "postgres\n"),
    ] {
        settled_version(w, path);
        let spec_before = kube_get(w, path)["spec"].clone();
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.jsonl");
        let r = on_a_terminal_with(
            w,
            args,
            &[("INCIDENTCTL_AUDIT_LOG", audit.to_str().unwrap())],
            // The plan is on the screen; another engineer changes the object.
            || touch(w, path),
            answer,
        );
        assert_eq!(r.code, 11, "{args}: {}", r.all());
        assert!(
            r.all()
                .contains("changed since the plan; nothing was applied"),
            "{args}: {}",
            r.all()
        );
        assert_eq!(
            kube_get(w, path)["spec"],
            spec_before,
            "{args}: the stale plan changed the object"
        );
        let log = audit_lines(&audit);
        assert_eq!(
            log.last().expect("an audit line")["result"],
            "failed",
            "{args}"
        );
    }
    let (u, _) = run(w, &["security", "unblock-ip", "10.9.9.7", "--yes"]);
    assert_eq!(u.code, 0, "{}", u.all());
}

/// What an admission webhook (or a controller) does to a value it owns: the API server takes
/// the change, answers 200, and stores the object without it.
#[test]
fn a_change_the_server_accepts_but_puts_back_is_reported_as_not_in_effect() {
    let _serial = serial();
    let w = healthy();
    let pki = support::pki::Pki::generate();
    let url = support::admission_webhook(&pki, |request| {
        let env = |obj: &Value| -> Vec<Value> {
            obj["spec"]["template"]["spec"]["containers"][0]["env"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        };
        let (new, old) = (env(&request["object"]), env(&request["oldObject"]));
        let i = new.iter().position(|e| e["name"] == "DB_POOL_SIZE")?;
        let before = old.iter().find(|e| e["name"] == "DB_POOL_SIZE")?;
        (new[i]["value"] != before["value"]).then(|| {
            serde_json::json!([{"op": "replace",
                "path": format!("/spec/template/spec/containers/0/env/{i}/value"),
                "value": before["value"]}])
        })
    });
    use base64::Engine;
    let ca = base64::engine::general_purpose::STANDARD.encode(support::pki::Pki::read(&pki.ca));
    let webhook = serde_json::json!({
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
        "metadata": {"name": "keeps-the-pool-size"},
        "webhooks": [{"name": "pool-size.example.com", "clientConfig": {"url": url, "caBundle": ca},
            "rules": [{"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["UPDATE"],
                       "resources": ["deployments"]}],
            "objectSelector": {"matchLabels": {"app": "backend"}},
            "sideEffects": "None", "admissionReviewVersions": ["v1"],
            "failurePolicy": "Fail", "timeoutSeconds": 5}]});
    let configs = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";
    w.kube("POST", configs, Some(&webhook))
        .unwrap_or_else(|e| panic!("{e}"));
    struct Remove<'a>(&'a World, String);
    impl Drop for Remove<'_> {
        fn drop(&mut self) {
            let _ = self.0.kube("DELETE", &self.1, None);
        }
    }
    let _remove = Remove(w, format!("{configs}/keeps-the-pool-size"));
    let pool = |w: &World| -> Value {
        deployment(w, "backend")["spec"]["template"]["spec"]["containers"][0]["env"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "DB_POOL_SIZE")
            .map(|e| e["value"].clone())
            .unwrap()
    };
    let before = pool(w);
    // The API server learns of webhooks through a cache: wait until a server-side dry run of
    // the change comes back reverted.
    let in_effect = (0..100).any(|_| {
        let env = &deployment(w, "backend")["spec"]["template"]["spec"]["containers"][0]["env"];
        let i = env
            .as_array()
            .and_then(|e| e.iter().position(|e| e["name"] == "DB_POOL_SIZE"))
            .unwrap();
        let probe = w.kube(
            "JSON-PATCH",
            &format!("{BACKEND}?dryRun=All"),
            Some(&serde_json::json!([{"op": "replace",
                "path": format!("/spec/template/spec/containers/0/env/{i}/value"), "value": "99"}])),
        );
        let reverted = probe.is_ok_and(|d| {
            d["spec"]["template"]["spec"]["containers"][0]["env"][i]["value"] != "99"
        });
        if !reverted {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        reverted
    });
    assert!(in_effect, "the webhook never took effect");

    let (r, log) = run(w, &["db", "pool-size", "27", "--yes", "--no-wait"]);
    assert_eq!(r.code, 14, "{}", r.all());
    assert!(r.stdout.contains("Accepted, not in effect"), "{}", r.stdout);
    assert!(
        !r.all().contains("nothing was changed"),
        "the server took it: {}",
        r.all()
    );
    assert_eq!(log[0]["result"], "not-in-effect", "{:#}", log[0]);
    assert_eq!(pool(w), before, "the webhook put the value back");
}
