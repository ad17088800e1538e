//! `incidentctl report` end to end, every test on both stores: a directory and a real
//! PostgreSQL server. Clocks are driven by INCIDENTCTL_NOW; Slack is a local HTTP server that
//! records what it is sent and answers as each test scripts it.

use crate::support::{incidentctl, own_postgres, Run};
use incidentctl_sandbox::servers::Postgres;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

const T0: &str = "2026-11-26T03:00:00Z";

fn at(minutes: i64) -> String {
    let t: jiff::Timestamp = T0.parse().unwrap();
    t.checked_add(jiff::SignedDuration::from_mins(minutes))
        .unwrap()
        .to_string()
}

/// One PostgreSQL server for the binary; each store gets a database of its own.
pub fn postgres() -> &'static Postgres {
    static PG: OnceLock<Result<(tempfile::TempDir, Postgres), String>> = OnceLock::new();
    own_postgres(&PG, "the team store", "")
}

/// A fresh, empty store of each kind.
fn stores() -> Vec<(String, Option<tempfile::TempDir>)> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = tempfile::tempdir().unwrap();
    let db = format!(
        "incidents_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    postgres()
        .psql("postgres", &format!("CREATE DATABASE {db}"))
        .expect("create database");
    vec![
        (
            dir.path().join("incidents").display().to_string(),
            Some(dir),
        ),
        (postgres().superuser_url(&db), None),
    ]
}

fn report(store: &str, now: &str, args: &[&str], extra: &[(&str, &str)]) -> Run {
    let mut all = vec!["report", "--store", store];
    all.extend_from_slice(args);
    let mut env = vec![("INCIDENTCTL_NOW", now)];
    env.extend_from_slice(extra);
    incidentctl(None, &all, &env)
}

fn new_incident(store: &str, severity: &str) -> String {
    let r = report(
        store,
        &at(0),
        &[
            "new",
            "--title",
            "Backend down",
            "--severity",
            severity,
            "--detected-at",
            T0,
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.all());
    let id = r.stdout.trim().to_string();
    assert!(id.starts_with("INC-20261126-"), "{id}");
    id
}

fn show(store: &str, now: &str, id: &str) -> Value {
    let r = report(store, now, &["show", id, "-o", "json"], &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    r.json()
}

#[test]
fn a_whole_incident_lifecycle_renders_the_seed_template() {
    for (store, _keep) in stores() {
        let id = new_incident(&store, "SEV2");
        let ok = |args: &[&str], minute: i64| {
            let r = report(&store, &at(minute), args, &[]);
            assert_eq!(r.code, 0, "{args:?} on {store}: {}", r.all());
        };
        ok(&["ack", &id], 5);
        ok(&["assign", &id, "commander", "alice"], 6);
        ok(
            &["log", &id, "rolled back release 2.3.1", "--at", &at(20)],
            21,
        );
        ok(&["status", &id, "identified"], 25);
        ok(&["status", &id, "monitoring"], 40);
        ok(&["status", &id, "resolved"], 65);
        let refused = report(&store, &at(66), &["close", &id], &[]);
        assert_eq!(
            refused.code,
            64,
            "closing needs root cause and resolution: {}",
            refused.all()
        );
        ok(
            &[
                "set",
                &id,
                "--root-cause",
                "pool exhausted",
                "--resolution",
                "rolled back",
                "--users-affected",
                "1200",
                "--services",
                "backend,frontend",
                "--lessons",
                "alert on the pool",
                "--impact",
                "checkout failed",
            ],
            70,
        );
        ok(&["follow-up", &id, "alert on DB pool saturation"], 71);
        ok(&["close", &id], 72);
        let md = report(&store, &at(80), &["render", &id], &[]);
        assert_eq!(md.code, 0, "{}", md.all());
        let text = md.stdout;
        let sections = [
            "# Incident Report: ",
            "## Summary",
            "## Timeline",
            "## Impact",
            "## Root Cause",
            "## Resolution",
            "## Lessons Learned",
            "## Follow-up Actions",
        ];
        let mut last = 0;
        for s in sections {
            let pos = text
                .find(s)
                .unwrap_or_else(|| panic!("{s} missing on {store}:\n{text}"));
            assert!(pos >= last, "{s} out of order on {store}");
            last = pos;
        }
        for line in [
            &format!("# Incident Report: {id}"),
            "- [2026-11-26 03:00:00 UTC] - Incident detected",
            "- [2026-11-26 03:05:00 UTC] - Investigation started",
            "- [2026-11-26 03:25:00 UTC] - Root cause identified",
            "- [2026-11-26 03:40:00 UTC] - Resolution implemented",
            "- [2026-11-26 04:05:00 UTC] - Incident resolved",
            "- [2026-11-26 03:20 UTC] note: rolled back release 2.3.1",
            "- Users affected: 1200",
            "- Duration: 1h05m",
            "- Services affected: backend, frontend",
            "- Time to acknowledge: 5m00s",
            "- Time to mitigate: 40m00s",
            "pool exhausted",
            "- [ ] alert on DB pool saturation",
            "- Response time (1 hour): met",
        ] {
            assert!(text.contains(line), "{line:?} missing on {store}:\n{text}");
        }
    }
}

#[test]
fn clocks_follow_the_seed_escalation_ladder_and_response_times() {
    for (store, _keep) in stores() {
        let id = new_incident(&store, "SEV1");
        for (minute, level) in [(0, 1), (16, 2), (31, 3), (61, 4)] {
            let c = &show(&store, &at(minute), &id)["clocks"];
            assert_eq!(
                c["escalation_level"], level,
                "at {minute} min on {store}: {c:#}"
            );
        }
        assert_eq!(show(&store, &at(10), &id)["clocks"]["response"], "pending");
        assert_eq!(show(&store, &at(16), &id)["clocks"]["response"], "breached");
        let c = &show(&store, &at(10), &id)["clocks"];
        assert_eq!(c["next_update_due"], at(30), "{c:#}");
        assert_eq!(show(&store, &at(31), &id)["clocks"]["update_overdue"], true);
        let late = new_incident(&store, "SEV1");
        assert_eq!(report(&store, &at(20), &["ack", &late], &[]).code, 0);
        let c = &show(&store, &at(21), &late)["clocks"];
        assert_eq!(
            c["response"], "breached",
            "acknowledged after 20 min: {c:#}"
        );
        let list = report(&store, &at(31), &["list", "--open"], &[]);
        assert!(
            list.stdout.contains("level 3") && list.stdout.contains("overdue"),
            "{}",
            list.stdout
        );
    }
}

#[test]
fn bad_input_is_refused_with_no_change() {
    for (store, _keep) in stores() {
        let id = new_incident(&store, "SEV3");
        let before = show(&store, &at(1), &id)["incident"].clone();
        for (args, code, says) in [
            (
                vec!["ack", "INC-20261126-999"],
                66,
                "no incident INC-20261126-999",
            ),
            (vec!["ack", "../../etc/passwd"], 64, "not an incident id"),
            // Found by the fuzzer: a multi-byte character where a digit belongs once panicked.
            (vec!["show", "INC-1234567é000"], 64, "not an incident id"),
            (vec!["severity", &id, "SEV5"], 64, "SEV5"),
            (
                vec![
                    "new",
                    "--title",
                    "x",
                    "--severity",
                    "SEV2",
                    "--detected-at",
                    &at(30),
                ],
                64,
                "in the future",
            ),
            (
                vec!["log", &id, "x", "--at", "yesterday-ish"],
                64,
                "not a time",
            ),
            (
                vec!["status", &id, "investigating"],
                64,
                "already investigating",
            ),
        ] {
            let r = report(&store, &at(1), &args, &[]);
            assert_eq!(r.code, code, "{args:?} on {store}: {}", r.all());
            assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        }
        assert_eq!(show(&store, &at(1), &id)["incident"], before);
        let list = report(&store, &at(1), &["list", "-o", "json"], &[]);
        assert_eq!(
            list.json().as_array().unwrap().len(),
            1,
            "the refused `new` created nothing"
        );
    }
}

/// The texts of the incident's notes, in timeline order.
fn notes(store: &str, id: &str) -> Vec<String> {
    show(store, &at(3), id)["incident"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "note")
        .map(|e| e["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fifty_concurrent_loggers_lose_no_entry() {
    for (store, _keep) in stores() {
        let id = new_incident(&store, "SEV2");
        let handles: Vec<_> = (0..50)
            .map(|n| {
                let (store, id) = (store.clone(), id.clone());
                std::thread::spawn(move || {
                    report(&store, &at(2), &["log", &id, &format!("entry {n}")], &[])
                })
            })
            .collect();
        for h in handles {
            let r = h.join().unwrap();
            assert_eq!(r.code, 0, "{}", r.all());
        }
        let notes = notes(&store, &id);
        assert_eq!(notes.len(), 50, "on {store}");
        for n in 0..50 {
            assert!(
                notes.contains(&format!("entry {n}")),
                "entry {n} lost on {store}"
            );
        }
    }
}

/// Two engineers logging at once on the team's PostgreSQL store, 50 entries each: all 100 kept.
#[test]
fn two_writers_of_fifty_entries_each_on_the_postgres_store_keep_all_hundred() {
    let (store, _keep) = stores()
        .into_iter()
        .find(|(s, _)| s.starts_with("postgres://"))
        .expect("a PostgreSQL store");
    let id = new_incident(&store, "SEV2");
    let writers: Vec<_> = ["alice", "bob"]
        .into_iter()
        .map(|who| {
            let (store, id) = (store.clone(), id.clone());
            std::thread::spawn(move || {
                for n in 0..50 {
                    let text = format!("{who} {n}");
                    let r = report(&store, &at(2), &["log", &id, &text], &[]);
                    assert_eq!(r.code, 0, "{text}: {}", r.all());
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let notes: std::collections::BTreeSet<String> = notes(&store, &id).into_iter().collect();
    assert_eq!(notes.len(), 100, "{notes:?}");
}

#[test]
fn ids_are_unique_across_concurrent_writers() {
    for (store, _keep) in stores() {
        let handles: Vec<_> = (0..12)
            .map(|_| {
                let store = store.clone();
                std::thread::spawn(move || {
                    report(
                        &store,
                        &at(0),
                        &["new", "--title", "t", "--severity", "SEV3"],
                        &[],
                    )
                })
            })
            .collect();
        let mut ids: Vec<String> = handles
            .into_iter()
            .map(|h| h.join().unwrap().stdout.trim().to_string())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 12, "duplicate ids on {store}: {ids:?}");
    }
}

#[test]
fn a_corrupted_incident_file_names_the_file_and_spares_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().display().to_string();
    let good = new_incident(&store, "SEV2");
    let bad = new_incident(&store, "SEV3");
    let path = dir.path().join(format!("{bad}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    let r = report(&store, &at(1), &["show", &bad], &[]);
    assert_eq!(r.code, 65, "{}", r.all());
    assert!(r.stderr.contains(&format!("{bad}.json")), "{}", r.stderr);
    assert!(
        r.stderr.contains("other incidents are unaffected"),
        "{}",
        r.stderr
    );
    let list = report(&store, &at(1), &["list"], &[]);
    assert_eq!(list.code, 0, "{}", list.all());
    assert!(
        list.stdout.contains(&good) && list.stderr.contains("skipped"),
        "{}",
        list.all()
    );
    assert_eq!(
        report(&store, &at(1), &["log", &good, "still fine"], &[]).code,
        0
    );
}

/// A stand-in for Slack's webhook: records each body and answers from `script` in turn
/// (then 200), or never answers when the script says "hang".
fn slack(script: Vec<&'static str>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/services/T000SECRET/B000/XXXXSECRETXXXX",
        listener.local_addr().unwrap()
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        let mut answers = script.into_iter();
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            record
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            let answer = answers.next().unwrap_or("200");
            let mut s = stream;
            match answer {
                "hang" => held.push(s),
                "429" => {
                    let _ = s.write_all(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n");
                }
                "500" => {
                    let _ = s.write_all(
                        b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n",
                    );
                }
                _ => {
                    let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                }
            }
        }
    });
    (url, seen)
}

#[test]
fn notify_posts_retries_429_and_records_the_update_without_showing_the_webhook() {
    for (store, _keep) in stores() {
        let id = new_incident(&store, "SEV2");
        report(&store, &at(3), &["log", &id, "restarted backend"], &[]);
        let (url, seen) = slack(vec!["429"]);
        let r = report(
            &store,
            &at(5),
            &["notify", &id],
            &[("SLACK_WEBHOOK_URL", &url)],
        );
        assert_eq!(r.code, 0, "{}", r.all());
        assert!(r.stdout.contains("after 2 tries"), "{}", r.stdout);
        assert!(!r.all().contains("SECRET"), "webhook leaked: {}", r.all());
        let bodies = seen.lock().unwrap().clone();
        assert_eq!(bodies.len(), 2, "one 429, one retry");
        let text = serde_json::from_str::<Value>(&bodies[1]).unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string();
        for needle in [
            "[SEV2]",
            &id,
            "Status: *investigating*",
            "restarted backend",
            "Next update by 03:35 UTC",
        ] {
            assert!(text.contains(needle), "{needle:?} not in {text}");
        }
        let shown = show(&store, &at(6), &id);
        assert_eq!(shown["incident"]["last_notified_at"], at(5));
        assert_eq!(shown["clocks"]["next_update_due"], at(35));
        assert!(shown["incident"]["timeline"]
            .to_string()
            .contains("status update posted"));
        let dry = report(&store, &at(7), &["notify", &id, "--dry-run"], &[]);
        assert!(dry.json()["text"].as_str().unwrap().contains(&id));
    }
}

#[test]
fn notify_failures_are_bounded_and_a_lost_answer_is_never_posted_twice() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().display().to_string();
    let id = new_incident(&store, "SEV2");
    let (url, seen) = slack(vec!["500", "500", "500", "500"]);
    let r = report(
        &store,
        &at(5),
        &["notify", &id],
        &[("SLACK_WEBHOOK_URL", &url)],
    );
    assert_eq!(r.code, 69, "{}", r.all());
    assert!(r.stderr.contains("after 3 tries"), "{}", r.stderr);
    assert_eq!(seen.lock().unwrap().len(), 3, "bounded retries");
    assert!(!r.all().contains("SECRET"), "{}", r.all());
    let (hang, hung_posts) = slack(vec!["hang", "hang", "hang"]);
    let started = std::time::Instant::now();
    let r = incidentctl(
        None,
        &[
            "report",
            "--store",
            &store,
            "--timeout",
            "1s",
            "notify",
            &id,
        ],
        &[("SLACK_WEBHOOK_URL", &hang), ("INCIDENTCTL_NOW", &at(6))],
    );
    assert_eq!(r.code, 69, "{}", r.all());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert!(r.stderr.contains("timed out"), "{}", r.stderr);
    assert!(r.stderr.contains("may have been posted"), "{}", r.stderr);
    assert!(!r.all().contains("SECRET"), "{}", r.all());
    // Sent, then no answer: Slack may have posted it, so it is not sent again.
    assert_eq!(
        hung_posts.lock().unwrap().len(),
        1,
        "a timeout is not retried"
    );
    let shown = show(&store, &at(7), &id);
    assert_eq!(shown["incident"]["last_notified_at"], Value::Null);
    assert!(
        shown["timeline"]
            .to_string()
            .contains("status update may have been posted"),
        "{:#}",
        shown["timeline"]
    );
}

/// Found running the README's incident block: diagnoses attached in the same second shared one
/// file name, and each replaced the last. Three at once, on a clock that does not move.
#[test]
fn diagnoses_in_the_same_second_keep_every_document() {
    for (store, keep) in stores() {
        let id = new_incident(&store, "SEV2");
        let database = postgres().superuser_url("postgres");
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let (store, id, database) = (store.clone(), id.clone(), database.clone());
                std::thread::spawn(move || {
                    incidentctl(
                        None,
                        &["diagnose", "database", "-o", "json", "--incident", &id],
                        &[
                            ("INCIDENTCTL_NOW", &at(1)),
                            ("INCIDENTCTL_REPORT_STORE", &store),
                            ("INCIDENTCTL_POSTGRES_URL", &database),
                        ],
                    )
                })
            })
            .collect();
        for h in handles {
            let r = h.join().unwrap();
            assert!(
                r.stderr.contains(&format!("findings attached to {id}")),
                "on {store}: {}",
                r.all()
            );
            assert_eq!(
                r.json()["schema"],
                "incidentctl.diagnose/v1",
                "{}",
                r.stderr
            );
        }
        let incident = show(&store, &at(2), &id)["incident"].clone();
        let mut names: Vec<String> = incident["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect();
        assert_eq!(names.len(), 3, "on {store}: {incident:#}");
        names.sort();
        names.dedup();
        assert_eq!(
            names.len(),
            3,
            "evidence names collide on {store}: {names:?}"
        );
        let pointed: Vec<&str> = incident["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "diagnose")
            .map(|e| {
                e["evidence"]
                    .as_str()
                    .expect("a diagnose entry names its file")
            })
            .collect();
        let mut pointed_sorted = pointed.clone();
        pointed_sorted.sort();
        assert_eq!(
            pointed_sorted, names,
            "each entry points at its own file on {store}"
        );
        // Every document is kept whole, and they are the three runs' documents.
        let kept: Vec<Value> = match &keep {
            Some(dir) => names
                .iter()
                .map(|n| {
                    let path = dir.path().join("incidents").join(&id).join(n);
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
                })
                .collect(),
            None => {
                let db = store.rsplit('/').next().unwrap();
                let out = postgres()
                    .psql(
                        db,
                        &format!("SELECT convert_from(body, 'UTF8') FROM incidentctl_evidence WHERE incident = '{id}' ORDER BY name"),
                    )
                    .expect("read the evidence rows");
                out.lines()
                    .filter(|l| l.trim_start().starts_with('{'))
                    .map(|l| serde_json::from_str(l.trim()).unwrap())
                    .collect()
            }
        };
        assert_eq!(kept.len(), 3, "three documents stored on {store}");
        for doc in &kept {
            assert_eq!(doc["schema"], "incidentctl.diagnose/v1", "on {store}");
        }
        let rendered = report(&store, &at(3), &["render", &id], &[]);
        assert_eq!(rendered.code, 0, "{}", rendered.all());
        for name in &names {
            assert_eq!(
                rendered.stdout.matches(&format!("- `{name}`")).count(),
                1,
                "{name} listed once in the render on {store}:\n{}",
                rendered.stdout
            );
        }
    }
}

#[test]
fn a_diagnosis_that_never_ends_is_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().display().to_string();
    let started = std::time::Instant::now();
    let r = report(
        &store,
        &at(0),
        &["new", "--title", "t", "--from-diagnose", "/dev/zero"],
        &[],
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "it must end: {:?}",
        started.elapsed()
    );
    // A device is not read at all; a file past the limit is refused before it is read.
    assert_eq!(r.code, 65, "{}", r.all());
    assert!(
        r.stderr.contains("a character device") && r.stderr.contains("16 MiB"),
        "{}",
        r.stderr
    );
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(17 * 1024 * 1024)
        .unwrap();
    let r = report(
        &store,
        &at(0),
        &[
            "new",
            "--title",
            "t",
            "--from-diagnose",
            big.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(r.code, 65, "{}", r.all());
    assert!(r.stderr.contains("larger than 16 MiB"), "{}", r.stderr);
    let list = report(&store, &at(0), &["list", "-o", "json"], &[]);
    assert_eq!(
        list.json().as_array().unwrap().len(),
        0,
        "nothing was created"
    );
}

/// The audit log is read line by line: the incident's changes are found among any number of
/// other lines, an over-long line is skipped, and a damaged one does not hide the rest.
#[test]
fn the_incidents_changes_are_found_in_a_large_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("incidents").display().to_string();
    let id = new_incident(&store, "SEV2");
    let audit = dir.path().join("audit.jsonl");
    let line = |incident: &str, summary: &str| {
        serde_json::json!({"time": at(1), "user": "oncall", "incident": incident,
            "result": "applied", "verified": true, "target": "deployment/backend",
            "plan": {"summary": summary}})
        .to_string()
    };
    let mut text = String::new();
    for n in 0..20_000 {
        text.push_str(&line(
            "INC-20261126-999",
            &format!("someone else's change {n}"),
        ));
        text.push('\n');
    }
    text.push_str(&format!("{}\n", "x".repeat(5 * 1024 * 1024)));
    text.push_str("{\"not\": \"closed\n");
    text.push_str(&line(&id, "restarted backend for this incident"));
    text.push('\n');
    std::fs::write(&audit, text).unwrap();
    let audit = audit.display().to_string();
    let shown = report(
        &store,
        &at(2),
        &["show", &id, "-o", "json"],
        &[("INCIDENTCTL_AUDIT_LOG", &audit)],
    );
    assert_eq!(shown.code, 0, "{}", shown.all());
    let timeline = shown.json()["timeline"].to_string();
    assert!(
        timeline.contains("restarted backend for this incident"),
        "{timeline}"
    );
    assert!(!timeline.contains("someone else's change"), "{timeline}");
}
