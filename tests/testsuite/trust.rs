//! A privileged tool no one else can steer (issue 30): what someone who can write a file in a
//! shared directory, put text into a log or an event, or name a silence could make incidentctl
//! do, each tried as an attacker would, against real servers where there is one.

use crate::support::{check, incidentctl, incidentctl_in, own_postgres};
use incidentctl_sandbox::servers::{self, Postgres};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// A listener that keeps every byte any client sends it and answers each request with an
/// empty Prometheus answer: where a planted config would send the engineer's token.
fn recording_listener() -> (String, Arc<Mutex<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            record.lock().unwrap().extend_from_slice(&request);
            let body = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}

const TOKEN: &str = "canary-token-0f9e8d7c";

/// Runs a Prometheus check in `dir`, where `./incidentctl.toml` points Prometheus at the
/// listener, with the engineer's token in the environment; what the listener received.
fn diagnose_beside_config(dir: &Path, seen: &Arc<Mutex<Vec<u8>>>) -> (crate::support::Run, String) {
    let run = incidentctl_in(
        dir,
        None,
        &[
            "diagnose",
            "--check",
            "prometheus.error_rate",
            "--timeout",
            "2s",
            "-o",
            "json",
        ],
        &[("INCIDENTCTL_PROMETHEUS_TOKEN", TOKEN)],
    );
    let received = String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
    (run, received)
}

fn planted_config(url: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("incidentctl.toml");
    std::fs::write(&path, format!("[prometheus]\nurl = \"{url}\"\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    (dir, path)
}

#[test]
fn a_config_planted_by_another_user_gets_no_token() {
    // SAFETY: geteuid has no preconditions.
    assert_eq!(
        unsafe { libc::geteuid() },
        0,
        "this test plants a file owned by another user (uid 65534): it needs root, as CI has"
    );
    let (url, seen) = recording_listener();
    let (dir, path) = planted_config(&url);
    std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    let (run, received) = diagnose_beside_config(dir.path(), &seen);
    assert!(
        received.is_empty(),
        "the planted config was used: {received}"
    );
    assert!(
        run.stderr
            .contains("ignoring ./incidentctl.toml: it belongs to uid 65534"),
        "{}",
        run.all()
    );
}

#[test]
fn a_config_others_may_write_gets_no_token() {
    let (url, seen) = recording_listener();
    let (dir, path) = planted_config(&url);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    let (run, received) = diagnose_beside_config(dir.path(), &seen);
    assert!(
        received.is_empty(),
        "the writable config was used: {received}"
    );
    assert!(
        run.stderr
            .contains("ignoring ./incidentctl.toml: others may write it (mode 666)"),
        "{}",
        run.all()
    );
}

#[test]
fn the_engineers_own_config_in_the_directory_is_used_and_said() {
    let (url, seen) = recording_listener();
    let (dir, _) = planted_config(&url);
    let (run, received) = diagnose_beside_config(dir.path(), &seen);
    // The listener sees the token when the file is used: the two tests above could fail.
    assert!(
        received.contains(&format!("authorization: Bearer {TOKEN}"))
            || received.contains(&format!("Authorization: Bearer {TOKEN}")),
        "{received}\n{}",
        run.all()
    );
    assert!(
        run.stderr
            .contains("using ./incidentctl.toml from the current directory"),
        "{}",
        run.all()
    );
    // Named with --config, any file is used: the engineer chose it.
    std::fs::set_permissions(
        dir.path().join("incidentctl.toml"),
        std::fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    let named = incidentctl_in(
        dir.path(),
        None,
        &[
            "config",
            "show",
            "--config",
            "./incidentctl.toml",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(
        named.json()["prometheus"]["url"],
        format!("{url}/"),
        "{}",
        named.all()
    );
}

/// One PostgreSQL server for the SQL tests, with a table of three rows to protect.
fn postgres() -> &'static Postgres {
    static PG: OnceLock<Result<(tempfile::TempDir, Postgres), String>> = OnceLock::new();
    own_postgres(
        &PG,
        "the SQL checks",
        "CREATE TABLE ledger (x int); INSERT INTO ledger VALUES (1), (2), (3);
         CREATE FUNCTION wipe() RETURNS int LANGUAGE sql AS 'DELETE FROM ledger RETURNING 1';",
    )
}

/// `[[check]]` tables of kind sql, one per (id, query).
fn sql_checks(queries: &[(&str, &str)]) -> String {
    queries
        .iter()
        .map(|(id, query)| {
            format!(
                "[[check]]\nid = \"{id}\"\nrunbooks = [\"database\"]\nkind = \"sql\"\nquery = '''{query}'''\nwarning = 10\ncritical = 20\n\n"
            )
        })
        .collect()
}

/// Runs the `[[check]]` sql queries (id, query) against the test's PostgreSQL, each alone.
fn run_sql_checks(queries: &[(&str, &str)]) -> crate::support::Run {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("checks.toml");
    std::fs::write(&config, sql_checks(queries)).unwrap();
    let mut args = vec![
        "diagnose",
        "--config",
        config.to_str().unwrap(),
        "-o",
        "json",
    ];
    for (id, _) in queries {
        args.extend(["--check", id]);
    }
    let url = postgres().superuser_url("postgres");
    incidentctl(None, &args, &[("INCIDENTCTL_POSTGRES_URL", &url)])
}

#[test]
fn a_sql_check_cannot_change_a_row_whatever_its_quoting() {
    let run = run_sql_checks(&[
        // The finding: E'\'' fooled the client-side reading into one statement.
        (
            "team.escaped",
            r"SELECT E'\'' ; COMMIT; DELETE FROM ledger; SELECT ''",
        ),
        ("team.function", "SELECT wipe()"),
        (
            "team.cte",
            "WITH d AS (DELETE FROM ledger RETURNING 1) SELECT count(*) FROM d",
        ),
        ("team.count", "SELECT count(*) FROM ledger"),
    ]);
    let doc = run.json();
    assert_eq!(
        postgres()
            .psql("postgres", "SELECT count(*) FROM ledger")
            .unwrap()
            .trim(),
        "3",
        "a check changed rows:\n{}",
        run.all()
    );
    for (id, sqlstate) in [
        ("team.escaped", "42601"),
        ("team.function", "25006"),
        ("team.cte", "0A000"),
    ] {
        let c = check(&doc, id);
        assert_eq!(c["status"], "unknown", "{c:#}");
        assert!(
            c["error"].as_str().unwrap_or_default().contains(sqlstate),
            "{id}: {c:#}"
        );
    }
    assert_eq!(check(&doc, "team.count")["value"], 3.0, "{doc:#}");
    // The client-side reading is a hint on stderr, not the guard.
    assert!(
        run.stderr
            .contains("check[0] (team.escaped).query: looks like more than one statement"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_sql_check_counts_every_row_but_keeps_a_few() {
    let run = run_sql_checks(&[(
        "team.many",
        "SELECT g, 'password=hunter2' FROM generate_series(1, 250000) g",
    )]);
    let c = check(&run.json(), "team.many").clone();
    assert_eq!(c["value"], 250000.0, "{c:#}");
    assert_eq!(c["status"], "critical", "{c:#}");
    let evidence = c["evidence"].to_string();
    assert!(evidence.contains("250000 row(s)"), "{evidence}");
    assert!(!evidence.contains("hunter2"), "{evidence}");
}

/// The words a real shell reads from `line`, run in `dir` (where an injected command would
/// leave its file).
fn shell_words(line: &str, dir: &Path) -> Vec<String> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("printf '%s\\0' {line}"))
        .current_dir(dir)
        .output()
        .expect("run sh");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_terminator('\0')
        .map(str::to_string)
        .collect()
}

fn audit_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_printed_undo_pasted_into_a_shell_runs_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let am = servers::Alertmanager::start(&dir.path().join("am")).expect("start alertmanager");
    let audit = dir.path().join("audit.jsonl");
    let audit_s = audit.display().to_string();
    let url = am.url();
    let env = [
        ("INCIDENTCTL_ALERTMANAGER_URL", url.as_str()),
        ("INCIDENTCTL_AUDIT_LOG", audit_s.as_str()),
        // Anyone can claim to be someone else: the audit keeps the real user apart.
        ("USER", "mallory"),
    ];
    let hostile = "x'; touch P; echo '";
    let matcher = format!("alertname={hostile}");
    let add = incidentctl(
        None,
        &[
            "silence",
            "add",
            "-m",
            &matcher,
            "--duration",
            "1h",
            "--comment",
            "$(touch P)",
            "--yes",
        ],
        &env,
    );
    assert_eq!(add.code, 0, "{}", add.all());
    let lines = audit_lines(&audit);
    let undo = lines[0]["undo"]
        .as_str()
        .expect("an undo command")
        .to_string();
    let scratch = tempfile::tempdir().unwrap();
    let words = shell_words(&undo, scratch.path());
    assert_eq!(words[..3], ["incidentctl", "silence", "expire"], "{undo}");
    let id = words[3].clone();

    let expire = incidentctl(None, &["silence", "expire", &id, "--yes"], &env);
    assert_eq!(expire.code, 0, "{}", expire.all());
    let lines = audit_lines(&audit);
    let undo = lines[1]["undo"]
        .as_str()
        .expect("an undo command")
        .to_string();
    assert!(
        expire.stdout.contains(&format!("To undo: {undo}"))
            || expire.stderr.contains(&format!("To undo: {undo}")),
        "{}",
        expire.all()
    );
    assert_eq!(
        shell_words(&undo, scratch.path()),
        [
            "incidentctl".to_string(),
            "silence".into(),
            "add".into(),
            format!("--matcher={matcher}"),
            "--comment=$(touch P)".into(),
        ],
        "{undo}"
    );
    assert!(
        !scratch.path().join("P").exists(),
        "the undo ran a command: {undo}"
    );

    // The real user, and the claim beside it.
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    assert_eq!(lines[1]["uid"], uid);
    assert_ne!(lines[1]["user"], "mallory", "{:#}", lines[1]);
    assert_eq!(lines[1]["claimed_user"], "mallory", "{:#}", lines[1]);
}

#[test]
fn no_write_follows_a_planted_link() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "kept\n").unwrap();
    let kept = || std::fs::read_to_string(&victim).unwrap();

    // The audit log.
    let am = servers::Alertmanager::start(&dir.path().join("am")).expect("start alertmanager");
    let link = dir.path().join("audit.jsonl");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let (url, link_s) = (am.url(), link.display().to_string());
    let run = incidentctl(
        None,
        &[
            "silence",
            "add",
            "-m",
            "alertname=X",
            "--duration",
            "1h",
            "--comment",
            "c",
            "--yes",
        ],
        &[
            ("INCIDENTCTL_ALERTMANAGER_URL", &url),
            ("INCIDENTCTL_AUDIT_LOG", &link_s),
        ],
    );
    assert_eq!(run.code, 73, "{}", run.all());
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(kept(), "kept\n");

    // The incident store's lock.
    let store = dir.path().join("incidents");
    std::fs::create_dir(&store).unwrap();
    std::os::unix::fs::symlink(&victim, store.join(".lock")).unwrap();
    let store_s = store.display().to_string();
    let run = incidentctl(
        None,
        &["report", "new", "--title", "t", "--severity", "sev3"],
        &[("INCIDENTCTL_REPORT_STORE", &store_s)],
    );
    assert_ne!(run.code, 0, "{}", run.all());
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(kept(), "kept\n");

    // The capture directory: a new one, never one that is there (empty or a link).
    for taken in [dir.path().join("empty"), dir.path().join("linked")] {
        if taken.ends_with("empty") {
            std::fs::create_dir(&taken).unwrap();
        } else {
            std::os::unix::fs::symlink(dir.path().join("empty"), &taken).unwrap();
        }
        let taken_s = taken.display().to_string();
        let run = incidentctl(None, &["diagnose", "--capture", &taken_s], &[]);
        assert_eq!(run.code, 64, "{}", run.all());
        assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    }
    assert_eq!(
        std::fs::read_dir(dir.path().join("empty")).unwrap().count(),
        0
    );
}

#[test]
fn no_password_is_printed_from_settings() {
    let canary = "hunter2-canary-9d8c";
    let store = format!("postgres://incidents:{canary}@127.0.0.1:1/incidents");
    for output in ["table", "json"] {
        let run = incidentctl(
            None,
            &["config", "show", "-o", output],
            &[("INCIDENTCTL_REPORT_STORE", &store)],
        );
        assert_eq!(run.code, 0, "{}", run.all());
        assert!(!run.all().contains(canary), "{}", run.all());
        assert!(
            run.stdout
                .contains("postgres://incidents:***@127.0.0.1:1/incidents"),
            "{}",
            run.stdout
        );
    }
    // A malformed key=value connection string is named in the error, without its password.
    let dsn = format!("host=db user=app password={canary}");
    let run = incidentctl(
        None,
        &["diagnose", "--check", "postgres.ping"],
        &[("INCIDENTCTL_POSTGRES_URL", &dsn)],
    );
    assert_eq!(run.code, 78, "{}", run.all());
    assert!(
        run.stderr.contains("INCIDENTCTL_POSTGRES_URL"),
        "{}",
        run.stderr
    );
    assert!(!run.all().contains(canary), "{}", run.all());
}

#[test]
fn a_completion_variable_left_set_changes_no_command() {
    let run = incidentctl(
        None,
        &["diagnose", "--check", "no.such"],
        &[("INCIDENTCTL_COMPLETE", "bash")],
    );
    // The command runs as without the variable (a usage error here), not a script print.
    assert_eq!(run.code, 64, "{}", run.all());
    assert!(!run.stdout.contains("complete"), "{}", run.stdout);
    assert!(
        run.stderr.contains("INCIDENTCTL_COMPLETE is set"),
        "{}",
        run.stderr
    );
    // The shell's own form still completes.
    let asked = incidentctl(
        None,
        &["--", "incidentctl", "diag"],
        &[
            ("INCIDENTCTL_COMPLETE", "bash"),
            ("_CLAP_COMPLETE_INDEX", "1"),
        ],
    );
    assert!(asked.stdout.contains("diagnose"), "{}", asked.all());
}

#[test]
fn a_fifo_planted_as_the_config_hangs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let fifo =
        std::ffi::CString::new(dir.path().join("incidentctl.toml").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let run = incidentctl_in(dir.path(), None, &["config", "show", "-o", "json"], &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stderr
            .contains("ignoring ./incidentctl.toml: it is not a regular file"),
        "{}",
        run.stderr
    );
    assert!(run.elapsed < Duration::from_secs(5), "{:?}", run.elapsed);
}

/// A `[[check]]` query needs a connection of its own (its transaction must not take in the
/// built-in checks' queries); when the server has no slot left it asks again, within the check's
/// time, instead of failing at once.
#[test]
fn a_sql_check_waits_for_a_free_slot_within_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let pg = Postgres::start(
        dir.path(),
        &[
            ("max_connections", "4"),
            ("superuser_reserved_connections", "0"),
        ],
    )
    .expect("start PostgreSQL");
    let url = pg.superuser_url("postgres");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // Every slot taken; one freed after a second.
    let mut held = Vec::new();
    for _ in 0..4 {
        let (client, conn) = runtime
            .block_on(tokio_postgres::connect(&url, tokio_postgres::NoTls))
            .expect("take a slot");
        runtime.spawn(conn);
        held.push(client);
    }
    let freed = held.pop();
    runtime.spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        drop(freed);
    });
    let config = dir.path().join("checks.toml");
    std::fs::write(&config, sql_checks(&[("team.one", "SELECT 1")])).unwrap();
    let run = incidentctl(
        None,
        &[
            "diagnose",
            "--config",
            config.to_str().unwrap(),
            "-o",
            "json",
            "--check",
            "team.one",
            "--timeout",
            "6s",
        ],
        &[("INCIDENTCTL_POSTGRES_URL", &url)],
    );
    let c = check(&run.json(), "team.one").clone();
    assert_eq!(c["value"], 1.0, "{c:#}\n{}", run.stderr);
    drop(held);
}
