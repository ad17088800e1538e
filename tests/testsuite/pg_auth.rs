//! A password goes to PostgreSQL in a form that gives it away (cleartext or MD5) only over a
//! connection whose server was verified, unless `postgres.allow_insecure_password_auth` says
//! otherwise; SCRAM-SHA-256 goes anywhere. Against a real server with TLS whose roles log in
//! with each method, and against an impostor that declines TLS and records what it is sent.

use crate::support::pki::Pki;
use crate::support::{incidentctl, Run};
use incidentctl_sandbox::pg_impostor::{Ask, Impostor, Tls};
use incidentctl_sandbox::servers::{self, Postgres};
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

const PASSWORD: &str = "pg-AUTH-secret-2b9d";

/// `host` matches with and without TLS: the client's sslmode decides.
const PG_HBA: &str = "\
local all md5_user md5
local all all trust
host all postgres 127.0.0.1/32 trust
host all scram_user 127.0.0.1/32 scram-sha-256
host all md5_user 127.0.0.1/32 md5
host all cleartext_user 127.0.0.1/32 password
";

struct Server {
    pki: Pki,
    _root: tempfile::TempDir,
    postgres: Postgres,
}

fn server() -> &'static Server {
    static CELL: OnceLock<Result<Server, String>> = OnceLock::new();
    let started = CELL.get_or_init(|| {
        servers::kill_all_at_exit();
        let pki = Pki::generate();
        let root = tempfile::Builder::new()
            .prefix("incidentctl-pgauth-")
            .tempdir_in("/tmp")
            .map_err(|e| e.to_string())?;
        servers::remove_at_exit(root.path());
        let files = [
            ("server.crt", Pki::read(&pki.server_cert)),
            ("server.key", Pki::read(&pki.server_key)),
            ("pg_hba.conf", PG_HBA.as_bytes().to_vec()),
        ];
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (*n, c.as_slice())).collect();
        let postgres = Postgres::start_with_files(root.path(), &[("ssl", "on")], &files)
            .map_err(|e| e.to_string())?;
        // An MD5 request needs an MD5-stored password: a SCRAM one makes `md5` ask for SCRAM.
        postgres
            .psql(
                "postgres",
                &format!(
                    "CREATE ROLE scram_user LOGIN PASSWORD '{PASSWORD}'; \
                     CREATE ROLE cleartext_user LOGIN PASSWORD '{PASSWORD}'; \
                     SET password_encryption = 'md5'; \
                     CREATE ROLE md5_user LOGIN PASSWORD '{PASSWORD}';"
                ),
            )
            .map_err(|e| e.to_string())?;
        Ok(Server {
            pki,
            _root: root,
            postgres,
        })
    });
    match started {
        Ok(s) => s,
        // Fail, never skip: a server that cannot start is a test failure with its reason.
        Err(e) => panic!("PostgreSQL could not start: {e}"),
    }
}

/// `diagnose --check postgres.ping -o json` against `url`, with `config` as the config file.
fn ping(url: &str, config: &str) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("incidentctl.toml");
    std::fs::write(&file, config).expect("write the config file");
    let run = incidentctl(
        None,
        &[
            "diagnose",
            "--check",
            "postgres.ping",
            "-o",
            "json",
            "--timeout",
            "5s",
        ],
        &[
            ("INCIDENTCTL_POSTGRES_URL", url),
            ("PGPASSWORD", PASSWORD),
            ("INCIDENTCTL_CONFIG", &file.display().to_string()),
            ("INCIDENTCTL_AUDIT_LOG", &path(&dir.path().join("audit"))),
        ],
    );
    assert!(
        !run.all().contains(PASSWORD),
        "the password reached the output:\n{}",
        run.all()
    );
    run
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// The ping's (status, error and hint).
fn outcome(run: &Run) -> (String, String) {
    let doc = run.json();
    let check = crate::support::check(&doc, "postgres.ping");
    (
        check["status"].as_str().unwrap_or("?").to_string(),
        format!(
            "{} | hint: {}",
            check["error"].as_str().unwrap_or(""),
            check["hint"].as_str().unwrap_or("")
        ),
    )
}

fn assert_connects(run: &Run, what: &str) {
    let (status, text) = outcome(run);
    assert_eq!(status, "ok", "{what}: {text}\n{}", run.stderr);
    assert_eq!(run.code, 0, "{what}");
}

/// Critical, exit 2, one line saying what was asked and that nothing was sent, and the hint.
fn assert_withheld(run: &Run, what: &str, asked: &str, over: &str) {
    let (status, text) = outcome(run);
    assert_eq!(status, "critical", "{what}: {text}");
    assert_eq!(run.code, 2, "{what}: {}", run.stderr);
    for words in [
        asked,
        over,
        "no password was sent",
        "sslmode=verify-full",
        "scram-sha-256",
        "postgres.allow_insecure_password_auth = true",
    ] {
        assert!(text.contains(words), "{what}: {words:?} in: {text}");
    }
}

fn url(user: &str, host: &str, params: &str) -> String {
    format!(
        "postgres://{user}@{host}:{}/postgres?{params}",
        server().postgres.port
    )
}

const ALLOW: &str = "[postgres]\nallow_insecure_password_auth = true\n";

#[test]
fn scram_logs_in_without_tls_and_over_unverified_tls() {
    for mode in ["disable", "prefer", "require"] {
        let run = ping(
            &url("scram_user", "127.0.0.1", &format!("sslmode={mode}")),
            "",
        );
        assert_connects(&run, &format!("scram-sha-256, sslmode={mode}"));
    }
}

/// The host as a Unix socket directory, percent-encoded as the URL's host.
fn socket_host() -> String {
    path(&server().postgres.socket_dir).replace('/', "%2F")
}

#[test]
fn a_unix_socket_uses_no_tls_as_libpq_and_is_watched_too() {
    // sslmode=prefer (the default) would fail on a socket if TLS were tried there.
    assert_connects(&ping(&url("postgres", &socket_host(), ""), ""), "trust");
    assert_withheld(
        &ping(&url("md5_user", &socket_host(), ""), ""),
        "md5 over a Unix socket",
        "asked for an MD5 password",
        "(no TLS)",
    );
}

#[test]
fn target_session_attrs_is_still_asked_for() {
    let primary = url("scram_user", "127.0.0.1", "target_session_attrs=read-write");
    assert_connects(&ping(&primary, ""), "read-write");
    let run = ping(
        &url("scram_user", "127.0.0.1", "target_session_attrs=read-only"),
        "",
    );
    let (status, text) = outcome(&run);
    assert_eq!(status, "critical", "{text}");
    assert!(text.contains("database is not read only"), "{text}");
}

#[test]
fn md5_and_cleartext_are_refused_unverified_and_allowed_verified_or_by_the_opt_out() {
    let ca = path(&server().pki.ca);
    for (user, asked) in [
        ("md5_user", "asked for an MD5 password"),
        ("cleartext_user", "asked for a cleartext password"),
    ] {
        let over_plain = ping(&url(user, "127.0.0.1", "sslmode=disable"), "");
        assert_withheld(&over_plain, user, asked, "(no TLS)");
        // libpq's default: TLS, the certificate not checked.
        let over_tls = ping(&url(user, "127.0.0.1", ""), "");
        assert_withheld(&over_tls, user, asked, "its certificate was not verified");
        // The config file's sslmode counts as the URL's does.
        let from_file = "[postgres]\nsslmode = \"require\"\n";
        assert_withheld(
            &ping(&url(user, "127.0.0.1", ""), from_file),
            user,
            asked,
            "its certificate was not verified",
        );

        let verified = format!("sslmode=verify-full&sslrootcert={ca}");
        assert_connects(&ping(&url(user, "localhost", &verified), ""), user);
        assert_connects(
            &ping(&url(user, "127.0.0.1", "sslmode=disable"), ALLOW),
            user,
        );
    }
}

#[test]
fn an_impostor_that_declines_tls_gets_no_password_and_diagnose_says_so_in_one_line() {
    let impostor = Impostor::start(Ask::Cleartext, Tls::Decline)
        .unwrap_or_else(|e| panic!("the impostor could not start: {e}"));
    let url = format!("postgres://oncall@{}/app", impostor.addr);
    let run = ping(&url, "");
    let seen = impostor
        .next(Duration::from_secs(10))
        .expect("the impostor saw no connection");
    assert_eq!(seen.user.as_deref(), Some("oncall"), "{seen:?}");
    assert_eq!(seen.password, None, "the password was sent");
    assert_withheld(
        &run,
        "impostor",
        "asked for a cleartext password over an unverified connection",
        "(no TLS: the server declined it)",
    );
    let (_, text) = outcome(&run);
    assert!(
        text.contains(&impostor.addr.to_string()) && !text.contains('\n'),
        "{text}"
    );

    // The table says it on the check's own line; the password is nowhere.
    let table = incidentctl(
        None,
        &["diagnose", "--check", "postgres.ping", "--timeout", "5s"],
        &[
            ("INCIDENTCTL_POSTGRES_URL", url.as_str()),
            ("PGPASSWORD", PASSWORD),
        ],
    );
    assert_eq!(table.code, 2, "{}", table.all());
    assert!(
        table.stdout.lines().any(|l| l.contains("postgres.ping")
            && l.contains("cleartext password")
            && l.contains("no password was sent")),
        "{}",
        table.stdout
    );
    assert!(!table.all().contains(PASSWORD));
    assert_eq!(
        impostor.next(Duration::from_secs(10)).map(|s| s.password),
        Some(None)
    );
}
