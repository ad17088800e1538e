//! Comparing runs: `diagnose --baseline` with `--fail-on-new`, `diagnose diff`, and
//! `diagnose --watch --until ok` while the problem is fixed. Redis is one of their own (its
//! memory is what changes), the rest of the incident sandbox is shared and left as it is.

use crate::support::{incident, incidentctl, Run};
use incidentctl_sandbox::servers::Redis;
use incidentctl_sandbox::world::World;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Checks whose status only Redis changes here: a comparison of them is exact.
const CHECKS: &[&str] = &[
    "--check",
    "redis.memory",
    "--check",
    "redis.ping",
    "--check",
    "postgres.ping",
];

/// Sets maxmemory so that Redis's memory is at `fraction` of it.
fn use_memory(redis: &Redis, fraction: f64) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let client = redis::Client::open(redis.url()).unwrap();
        let mut c = client.get_multiplexed_async_connection().await.unwrap();
        let info: String = redis::cmd("INFO")
            .arg("memory")
            .query_async(&mut c)
            .await
            .unwrap();
        let used: f64 = info
            .lines()
            .find_map(|l| l.strip_prefix("used_memory:"))
            .and_then(|v| v.trim().parse().ok())
            .expect("INFO memory has used_memory");
        redis::cmd("CONFIG")
            .arg("SET")
            .arg("maxmemory")
            .arg(((used / fraction) as u64).to_string())
            .query_async::<()>(&mut c)
            .await
            .unwrap();
    });
}

fn own_redis(dir: &std::path::Path) -> Redis {
    Redis::start(dir, &["--maxmemory-policy", "noeviction"]).expect("start a dedicated redis")
}

fn diagnose(w: &World, redis: &Redis, extra: &[&str]) -> Run {
    let mut args = vec!["diagnose"];
    args.extend(CHECKS);
    args.extend(extra);
    let url = redis.url();
    incidentctl(Some(w), &args, &[("INCIDENTCTL_REDIS_URL", &url)])
}

fn change_of(doc: &Value, id: &str) -> String {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .map(|c| c["change"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("{id} not compared: {doc:#}"))
}

#[test]
fn a_baseline_counts_only_what_is_new_or_worse_and_diff_says_the_same() {
    let w = incident();
    let dir = tempfile::tempdir().unwrap();
    let redis = own_redis(dir.path());
    use_memory(&redis, 0.90);
    let before = diagnose(w, &redis, &["-o", "json"]);
    assert_eq!(before.code, 1, "a warning to start from: {}", before.all());
    let a = dir.path().join("a.json");
    std::fs::write(&a, &before.stdout).unwrap();
    let a_path = a.display().to_string();

    // Nothing changed: a known warning does not fail the gate.
    let same = diagnose(w, &redis, &["--baseline", &a_path, "--fail-on-new"]);
    assert_eq!(same.code, 0, "{}", same.all());
    assert!(same.stdout.contains("3 same"), "{}", same.stdout);

    // Redis critical: worse, and the gate fails with the new status.
    use_memory(&redis, 0.98);
    let worse = diagnose(
        w,
        &redis,
        &["--baseline", &a_path, "--fail-on-new", "-o", "json"],
    );
    assert_eq!(worse.code, 2, "{}", worse.all());
    let doc = worse.json();
    assert_eq!(change_of(&doc["comparison"], "redis.memory"), "worse");
    assert_eq!(change_of(&doc["comparison"], "postgres.ping"), "same");
    assert_eq!(doc["comparison"]["counts"]["worse"], 1);
    // Still a saved diagnosis: the next run's baseline.
    assert_eq!(doc["schema"], "incidentctl.diagnose/v1");
    let b = dir.path().join("b.json");
    std::fs::write(&b, &worse.stdout).unwrap();
    let b_path = b.display().to_string();

    let table = diagnose(w, &redis, &["--baseline", &a_path, "--fail-on-new"]);
    assert_eq!(table.code, 2);
    assert!(
        table
            .stdout
            .lines()
            .any(|l| l.contains("WORSE") && l.contains("redis.memory")),
        "{}",
        table.stdout
    );

    let diff = incidentctl(
        None,
        &["diagnose", "diff", &a_path, &b_path, "-o", "json"],
        &[],
    );
    assert_eq!(diff.code, 2, "{}", diff.all());
    let doc = diff.json();
    assert_eq!(doc["schema"], "incidentctl.diagnose-diff/v1");
    assert_eq!(change_of(&doc, "redis.memory"), "worse");
    let md = incidentctl(
        None,
        &["diagnose", "diff", &a_path, &b_path, "-o", "markdown"],
        &[],
    );
    assert!(
        md.stdout.contains("| worse | `redis.memory` |"),
        "{}",
        md.stdout
    );
    let unchanged = incidentctl(None, &["diagnose", "diff", &b_path, &b_path], &[]);
    assert_eq!(unchanged.code, 0, "{}", unchanged.all());

    // Bad input names the file and runs nothing.
    let missing = incidentctl(
        None,
        &["diagnose", "diff", &a_path, "/nonexistent.json"],
        &[],
    );
    assert_eq!(missing.code, 66, "{}", missing.all());
    assert!(
        missing.stderr.contains("/nonexistent.json"),
        "{}",
        missing.stderr
    );
    let junk = dir.path().join("junk.json");
    std::fs::write(
        &junk,
        "{\"schema\":\"incidentctl.diagnose-contexts/v1\",\"checks\":[]}",
    )
    .unwrap();
    let wrong = diagnose(
        w,
        &redis,
        &["--baseline", &junk.display().to_string(), "--fail-on-new"],
    );
    assert_eq!(wrong.code, 65, "{}", wrong.all());
    assert!(wrong.stdout.is_empty(), "nothing ran: {}", wrong.stdout);
}

#[test]
fn watch_until_ok_exits_once_the_fix_shows() {
    let w = incident();
    let dir = tempfile::tempdir().unwrap();
    let redis = own_redis(dir.path());
    use_memory(&redis, 0.98);
    let interval = Duration::from_secs(2);
    let mut child = Command::new(env!("CARGO_BIN_EXE_incidentctl"))
        .args([
            "diagnose",
            "--check",
            "redis.memory",
            "--watch",
            "--interval",
            "2s",
            "--until",
            "ok",
        ])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .envs(w.env())
        .env("INCIDENTCTL_REDIS_URL", redis.url())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the watch");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a first run").unwrap();
    assert!(first.contains("run 1: 1 critical"), "{first}");
    let new = lines.next().expect("the finding").unwrap();
    assert!(new.contains("redis.memory new"), "{new}");

    use_memory(&redis, 0.10);
    let fixed = Instant::now();
    let resolved = lines.next().expect("the resolution").unwrap();
    assert!(
        resolved.contains("redis.memory resolved") && resolved.contains("-> ok"),
        "{resolved}"
    );
    let status = child.wait().unwrap();
    let waited = fixed.elapsed();
    assert_eq!(status.code(), Some(0), "exit 0 at --until ok");
    // Within two intervals of the fix (each run here takes milliseconds).
    assert!(waited < 2 * interval, "took {waited:?} after the fix");
}
