//! TLS and credentials against real servers: PostgreSQL with `ssl=on` (client-certificate and
//! password roles, plaintext refused), Redis on `--tls-port` only (client certificates required,
//! an ACL user), Prometheus and Alertmanager behind a `--web.config.file` with TLS and basic
//! auth. Certificates are made by the test (support/pki.rs). Each target must connect with the
//! right CA and credentials and fail with one clear line, naming what to fix, with the wrong CA,
//! an expired certificate, or missing credentials; no secret ever reaches the output.

use crate::support::pki::Pki;
use crate::support::{closed_port, incidentctl, Run};
use incidentctl_sandbox::servers::{self, Alertmanager, Postgres, Prometheus, Redis};
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

const PG_PASSWORD: &str = "pg-TLS-secret-7f3a";
const REDIS_PASSWORD: &str = "redis-ACL-secret-91c2";
const WEB_PASSWORD: &str = "web-BASIC-secret-5d8e";
const TOKEN: &str = "bearer-TOKEN-secret-0b44";
const SECRETS: [&str; 4] = [PG_PASSWORD, REDIS_PASSWORD, WEB_PASSWORD, TOKEN];

struct Servers {
    pki: Pki,
    _root: tempfile::TempDir,
    postgres: Postgres,
    expired_postgres: Postgres,
    redis: Redis,
    expired_redis: Redis,
    prometheus: Prometheus,
    expired_prometheus: Prometheus,
    alertmanager: Alertmanager,
}

const PG_HBA: &str = "\
local all all trust
host all postgres 127.0.0.1/32 trust
hostssl all certuser 127.0.0.1/32 cert
hostssl all oncall 127.0.0.1/32 scram-sha-256
hostnossl all oncall 127.0.0.1/32 reject
";

fn web_config(cert: &Path, key: &Path) -> String {
    let hash = bcrypt::hash(WEB_PASSWORD, 4).expect("bcrypt");
    format!(
        "tls_server_config:\n  cert_file: {}\n  key_file: {}\nbasic_auth_users:\n  oncall: {hash}\n",
        cert.display(),
        key.display()
    )
}

fn start_postgres(root: &Path, pki: &Pki, cert: &Path, key: &Path) -> Result<Postgres, String> {
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("server.crt", Pki::read(cert)),
        ("server.key", Pki::read(key)),
        ("root.crt", Pki::read(&pki.ca)),
        ("pg_hba.conf", PG_HBA.as_bytes().to_vec()),
    ];
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, c)| (*n, c.as_slice())).collect();
    let pg =
        Postgres::start_with_files(root, &[("ssl", "on"), ("ssl_ca_file", "root.crt")], &files)
            .map_err(|e| e.to_string())?;
    pg.psql(
        "postgres",
        &format!(
            "CREATE ROLE oncall LOGIN PASSWORD '{PG_PASSWORD}'; CREATE ROLE certuser LOGIN; \
             GRANT pg_monitor, pg_signal_backend TO oncall, certuser;"
        ),
    )
    .map_err(|e| e.to_string())?;
    Ok(pg)
}

fn start_redis(root: &Path, pki: &Pki, cert: &Path, key: &Path) -> Result<Redis, String> {
    // One config directive, its words as separate arguments: `user oncall on >PASSWORD ...`.
    let password = format!(">{REDIS_PASSWORD}");
    Redis::start_tls(
        root,
        cert,
        key,
        &pki.ca,
        &[
            "--tls-auth-clients",
            "yes",
            "--user",
            "oncall",
            "on",
            &password,
            "~*",
            "&*",
            "+@all",
        ],
    )
    .map_err(|e| e.to_string())
}

fn join<T>(handle: std::thread::ScopedJoinHandle<'_, Result<T, String>>) -> Result<T, String> {
    handle
        .join()
        .map_err(|_| "a server start panicked".to_string())?
}

fn servers() -> &'static Servers {
    static CELL: OnceLock<Result<Servers, String>> = OnceLock::new();
    let started = CELL.get_or_init(|| {
        servers::kill_all_at_exit();
        let pki = Pki::generate();
        let root = tempfile::Builder::new()
            .prefix("incidentctl-tls-")
            .tempdir_in("/tmp")
            .map_err(|e| e.to_string())?;
        // Kept in a static, never dropped: removed when the binary exits.
        servers::remove_at_exit(root.path());
        let r = root.path();
        let web = web_config(&pki.server_cert, &pki.server_key);
        let expired_web = web_config(&pki.expired_cert, &pki.expired_key);
        // Started side by side: each takes a second or more.
        let (pki_ref, web, expired_web) = (&pki, &web, &expired_web);
        let started = std::thread::scope(|s| {
            let pg = s.spawn(move || {
                start_postgres(r, pki_ref, &pki_ref.server_cert, &pki_ref.server_key)
            });
            let old_pg = s.spawn(move || {
                start_postgres(r, pki_ref, &pki_ref.expired_cert, &pki_ref.expired_key)
            });
            let redis =
                s.spawn(move || start_redis(r, pki_ref, &pki_ref.server_cert, &pki_ref.server_key));
            let old_redis = s.spawn(move || {
                start_redis(r, pki_ref, &pki_ref.expired_cert, &pki_ref.expired_key)
            });
            let prom = s.spawn(move || {
                Prometheus::start_with_web_config(r, None, Some(web)).map_err(|e| e.to_string())
            });
            let old_prom = s.spawn(move || {
                Prometheus::start_with_web_config(r, None, Some(expired_web))
                    .map_err(|e| e.to_string())
            });
            let am = s.spawn(move || {
                Alertmanager::start_with_web_config(r, Some(web)).map_err(|e| e.to_string())
            });
            Ok::<_, String>((
                join(pg)?,
                join(old_pg)?,
                join(redis)?,
                join(old_redis)?,
                join(prom)?,
                join(old_prom)?,
                join(am)?,
            ))
        });
        let (
            postgres,
            expired_postgres,
            redis,
            expired_redis,
            prometheus,
            expired_prometheus,
            alertmanager,
        ) = started?;
        Ok(Servers {
            pki,
            _root: root,
            postgres,
            expired_postgres,
            redis,
            expired_redis,
            prometheus,
            expired_prometheus,
            alertmanager,
        })
    });
    match started {
        Ok(s) => s,
        // Fail, never skip: a server that cannot start is a test failure with its reason.
        Err(e) => panic!("the TLS servers could not start: {e}"),
    }
}

/// Every target pointed at a closed loopback port (no DNS, no waiting), then `env` over it.
fn doctor(env: &[(&str, &str)], config: Option<&str>) -> Run {
    let closed = closed_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let config_path = dir.path().join("incidentctl.toml");
    write_file(&config_path, config.unwrap_or(""), 0o600);
    let mut all: Vec<(String, String)> = vec![
        ("KUBECONFIG".into(), "/nonexistent/kubeconfig".into()),
        (
            "INCIDENTCTL_POSTGRES_URL".into(),
            format!("postgres://x@127.0.0.1:{closed}/x?sslmode=disable"),
        ),
        (
            "INCIDENTCTL_REDIS_URL".into(),
            format!("redis://127.0.0.1:{closed}"),
        ),
        (
            "INCIDENTCTL_PROMETHEUS_URL".into(),
            format!("http://127.0.0.1:{closed}"),
        ),
        (
            "INCIDENTCTL_ALERTMANAGER_URL".into(),
            format!("http://127.0.0.1:{closed}"),
        ),
        (
            "INCIDENTCTL_CONFIG".into(),
            config_path.display().to_string(),
        ),
        (
            "INCIDENTCTL_AUDIT_LOG".into(),
            dir.path().join("audit.jsonl").display().to_string(),
        ),
    ];
    for (k, v) in env {
        all.retain(|(name, _)| name != k);
        all.push((k.to_string(), v.to_string()));
    }
    let env: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let run = incidentctl(None, &["doctor", "-o", "json", "--timeout", "3s"], &env);
    for secret in SECRETS {
        assert!(
            !run.all().contains(secret),
            "a secret reached the output:\n{}",
            run.all()
        );
    }
    run
}

/// The reachability row of `area`: (status, detail and fix in one text).
fn reach(run: &Run, area: &str) -> (String, String) {
    let rows = run.json();
    let row = rows
        .as_array()
        .and_then(|rows| {
            rows.iter().find(|r| {
                r["area"] == area
                    && r["requirement"]
                        .as_str()
                        .is_some_and(|t| t.contains("reachable") || t.contains("test message"))
            })
        })
        .cloned()
        .unwrap_or_else(|| panic!("no {area} reachability row:\n{}", run.all()));
    let text = format!(
        "{} | fix: {}",
        row["detail"].as_str().unwrap_or(""),
        row["fix"].as_str().unwrap_or("")
    );
    (row["status"].as_str().unwrap_or("?").to_string(), text)
}

fn assert_ok(run: &Run, area: &str) {
    let (status, text) = reach(run, area);
    assert_eq!(status, "ok", "{area}: {text}\n{}", run.stderr);
}

/// Fails, and the message holds every one of `words`.
fn assert_fails(run: &Run, area: &str, words: &[&str]) {
    let (status, text) = reach(run, area);
    assert_eq!(status, "critical", "{area} must fail: {text}");
    for word in words {
        assert!(
            text.contains(word),
            "{area}: the message should say {word:?}: {text}"
        );
    }
}

/// Writes `text` to `path` with permissions `mode` (secrets 0600; what others may read 0644).
fn write_file(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).expect("write a test file");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

fn pg_url(pg: &Postgres, host: &str, user: &str, params: &str) -> String {
    format!("postgres://{user}@{host}:{}/postgres?{params}", pg.port)
}

#[test]
fn postgres_verify_full_connects_with_the_ca_and_checks_the_name() {
    let s = servers();
    let ca = path(&s.pki.ca);
    let run = doctor(
        &[
            (
                "INCIDENTCTL_POSTGRES_URL",
                &pg_url(
                    &s.postgres,
                    "localhost",
                    "oncall",
                    &format!("sslmode=verify-full&sslrootcert={ca}"),
                ),
            ),
            ("PGPASSWORD", PG_PASSWORD),
        ],
        None,
    );
    assert_ok(&run, "postgres");

    // 127.0.0.1 is not a name the certificate lists: verify-full refuses, verify-ca accepts.
    let by_ip = |mode: &str| {
        doctor(
            &[
                (
                    "INCIDENTCTL_POSTGRES_URL",
                    &pg_url(
                        &s.postgres,
                        "127.0.0.1",
                        "oncall",
                        &format!("sslmode={mode}"),
                    ),
                ),
                ("PGSSLROOTCERT", &ca),
                ("PGPASSWORD", PG_PASSWORD),
            ],
            None,
        )
    };
    assert_fails(
        &by_ip("verify-full"),
        "postgres",
        &["TLS", "does not name this host"],
    );
    assert_ok(&by_ip("verify-ca"), "postgres");
}

#[test]
fn postgres_require_encrypts_without_a_ca_and_disable_is_refused_by_the_server() {
    let s = servers();
    let run = |mode: &str| {
        doctor(
            &[
                (
                    "INCIDENTCTL_POSTGRES_URL",
                    &pg_url(
                        &s.postgres,
                        "127.0.0.1",
                        "oncall",
                        &format!("sslmode={mode}"),
                    ),
                ),
                ("PGPASSWORD", PG_PASSWORD),
            ],
            None,
        )
    };
    assert_ok(&run("require"), "postgres");
    assert_ok(&run("prefer"), "postgres");
    // The server's pg_hba.conf rejects this role without encryption.
    assert_fails(&run("disable"), "postgres", &["no encryption"]);
}

#[test]
fn postgres_with_the_wrong_ca_or_an_expired_certificate_fails_clearly() {
    let s = servers();
    let wrong_ca = doctor(
        &[
            (
                "INCIDENTCTL_POSTGRES_URL",
                &pg_url(&s.postgres, "localhost", "oncall", "sslmode=verify-full"),
            ),
            ("PGSSLROOTCERT", &path(&s.pki.other_ca)),
            ("PGPASSWORD", PG_PASSWORD),
        ],
        None,
    );
    assert_fails(&wrong_ca, "postgres", &["TLS", "postgres.tls.ca_file"]);

    let expired = doctor(
        &[
            (
                "INCIDENTCTL_POSTGRES_URL",
                &pg_url(
                    &s.expired_postgres,
                    "localhost",
                    "oncall",
                    "sslmode=verify-full",
                ),
            ),
            ("PGSSLROOTCERT", &path(&s.pki.ca)),
            ("PGPASSWORD", PG_PASSWORD),
        ],
        None,
    );
    assert_fails(&expired, "postgres", &["TLS", "expired"]);
}

#[test]
fn postgres_client_certificate_from_the_config_file_authenticates() {
    let s = servers();
    let config = format!(
        "[postgres]\nsslmode = \"verify-full\"\n[postgres.tls]\nca_file = \"{}\"\nclient_cert = \"{}\"\nclient_key = \"{}\"\n",
        path(&s.pki.ca),
        path(&s.pki.client_cert),
        path(&s.pki.client_key)
    );
    let url = pg_url(&s.postgres, "localhost", "certuser", "");
    let run = doctor(&[("INCIDENTCTL_POSTGRES_URL", &url)], Some(&config));
    assert_ok(&run, "postgres");

    // Without the certificate the server turns the role away.
    let without = format!(
        "[postgres]\nsslmode = \"verify-full\"\n[postgres.tls]\nca_file = \"{}\"\n",
        path(&s.pki.ca)
    );
    let run = doctor(&[("INCIDENTCTL_POSTGRES_URL", &url)], Some(&without));
    assert_fails(&run, "postgres", &["certificate"]);
}

#[test]
fn postgres_password_comes_from_pgpassfile_unless_others_can_read_it() {
    let s = servers();
    let dir = tempfile::tempdir().unwrap();
    let pgpass = dir.path().join("pgpass");
    let line = format!(
        "# on-call\nlocalhost:{}:postgres:oncall:{PG_PASSWORD}\n",
        s.postgres.port
    );
    write_file(&pgpass, &line, 0o600);
    let url = pg_url(&s.postgres, "localhost", "oncall", "sslmode=require");
    let env = [
        ("INCIDENTCTL_POSTGRES_URL", url.as_str()),
        ("PGPASSFILE", pgpass.to_str().unwrap()),
    ];
    assert_ok(&doctor(&env, None), "postgres");

    write_file(&pgpass, &line, 0o644);
    let run = doctor(&env, None);
    assert!(
        run.stderr.contains("readable by others and was ignored"),
        "{}",
        run.stderr
    );
    assert_fails(&run, "postgres", &["password"]);
}

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------

fn redis_tls_config(pki: &Pki, ca: &Path, client: bool) -> String {
    let mut text = format!("[redis.tls]\nca_file = \"{}\"\n", path(ca));
    if client {
        text.push_str(&format!(
            "client_cert = \"{}\"\nclient_key = \"{}\"\n",
            path(&pki.client_cert),
            path(&pki.client_key)
        ));
    }
    text
}

#[test]
fn redis_over_tls_with_client_certificate_and_acl_user() {
    let s = servers();
    let url = format!("rediss://oncall@localhost:{}", s.redis.port);
    let config = redis_tls_config(&s.pki, &s.pki.ca, true);
    let run = doctor(
        &[
            ("INCIDENTCTL_REDIS_URL", &url),
            ("INCIDENTCTL_REDIS_PASSWORD", REDIS_PASSWORD),
        ],
        Some(&config),
    );
    assert_ok(&run, "redis");

    let wrong_password = doctor(
        &[
            ("INCIDENTCTL_REDIS_URL", &url),
            ("INCIDENTCTL_REDIS_PASSWORD", "not-the-password"),
        ],
        Some(&config),
    );
    assert_fails(
        &wrong_password,
        "redis",
        &["authentication failed", "INCIDENTCTL_REDIS_PASSWORD"],
    );
}

#[test]
fn redis_without_a_client_certificate_or_with_the_wrong_ca_or_expired_fails_clearly() {
    let s = servers();
    let env = |port: u16| {
        vec![
            (
                "INCIDENTCTL_REDIS_URL".to_string(),
                format!("rediss://oncall@localhost:{port}"),
            ),
            (
                "INCIDENTCTL_REDIS_PASSWORD".to_string(),
                REDIS_PASSWORD.to_string(),
            ),
        ]
    };
    let run = |port: u16, config: String| {
        let env = env(port);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        doctor(&env, Some(&config))
    };
    let no_client = run(s.redis.port, redis_tls_config(&s.pki, &s.pki.ca, false));
    assert_fails(&no_client, "redis", &["TLS", "redis.tls.client_cert"]);
    let wrong_ca = run(
        s.redis.port,
        redis_tls_config(&s.pki, &s.pki.other_ca, true),
    );
    assert_fails(&wrong_ca, "redis", &["TLS", "redis.tls.ca_file"]);
    let expired = run(
        s.expired_redis.port,
        redis_tls_config(&s.pki, &s.pki.ca, true),
    );
    assert_fails(&expired, "redis", &["TLS", "expired"]);
}

// ---------------------------------------------------------------------------------------------
// Prometheus, Alertmanager, Slack (HTTPS, basic auth, bearer token)
// ---------------------------------------------------------------------------------------------

fn https_config(target: &str, ca: &Path) -> String {
    format!(
        "[{target}.tls]\nca_file = \"{}\"\n[{target}.auth]\nusername = \"oncall\"\n",
        path(ca)
    )
}

#[test]
fn prometheus_and_alertmanager_over_https_with_basic_auth() {
    let s = servers();
    let config = format!(
        "{}{}",
        https_config("prometheus", &s.pki.ca),
        https_config("alertmanager", &s.pki.ca)
    );
    let env = [
        (
            "INCIDENTCTL_PROMETHEUS_URL",
            format!("https://localhost:{}", s.prometheus.port),
        ),
        (
            "INCIDENTCTL_ALERTMANAGER_URL",
            format!("https://localhost:{}", s.alertmanager.port),
        ),
        ("INCIDENTCTL_PROMETHEUS_PASSWORD", WEB_PASSWORD.to_string()),
        (
            "INCIDENTCTL_ALERTMANAGER_PASSWORD",
            WEB_PASSWORD.to_string(),
        ),
    ];
    let env_refs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = doctor(&env_refs, Some(&config));
    assert_ok(&run, "prometheus");
    assert_ok(&run, "alertmanager");

    // The same, the password from a private file instead of the environment.
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("prometheus-password");
    std::fs::write(&secret, format!("{WEB_PASSWORD}\n")).unwrap();
    let config = format!(
        "{}password_file = \"{}\"\n",
        https_config("prometheus", &s.pki.ca),
        path(&secret)
    );
    let run = doctor(&env_refs[..1], Some(&config));
    assert_ok(&run, "prometheus");

    // No credentials: 401, and the fix names the settings.
    let run = doctor(
        &env_refs[..2],
        Some(&format!(
            "[prometheus.tls]\nca_file = \"{}\"\n",
            path(&s.pki.ca)
        )),
    );
    assert_fails(&run, "prometheus", &["401", "prometheus.auth"]);
}

#[test]
fn https_with_the_wrong_ca_or_an_expired_certificate_fails_clearly() {
    let s = servers();
    let url = format!("https://localhost:{}", s.prometheus.port);
    let env = [
        ("INCIDENTCTL_PROMETHEUS_URL", url.as_str()),
        ("INCIDENTCTL_PROMETHEUS_PASSWORD", WEB_PASSWORD),
    ];
    // Neither the system's CAs nor another CA vouch for the test CA's certificates.
    let system = doctor(&env, Some("[prometheus.auth]\nusername = \"oncall\"\n"));
    assert_fails(&system, "prometheus", &["TLS", "prometheus.tls.ca_file"]);
    let wrong = doctor(&env, Some(&https_config("prometheus", &s.pki.other_ca)));
    assert_fails(&wrong, "prometheus", &["TLS", "prometheus.tls.ca_file"]);

    let expired_url = format!("https://localhost:{}", s.expired_prometheus.port);
    let expired = doctor(
        &[
            ("INCIDENTCTL_PROMETHEUS_URL", expired_url.as_str()),
            ("INCIDENTCTL_PROMETHEUS_PASSWORD", WEB_PASSWORD),
        ],
        Some(&https_config("prometheus", &s.pki.ca)),
    );
    assert_fails(&expired, "prometheus", &["TLS", "expired"]);
}

#[test]
fn slack_webhook_behind_a_private_ca_needs_report_slack_tls() {
    let s = servers();
    // Any https endpoint of the test CA stands in for a TLS-inspecting proxy in front of Slack:
    // doctor's check is that the endpoint answers over TLS, without posting.
    let hook = format!(
        "https://localhost:{}/services/T000/B000/{TOKEN}",
        s.alertmanager.port
    );
    let trusted = doctor(
        &[("SLACK_WEBHOOK_URL", &hook)],
        Some(&format!(
            "[report.slack_tls]\nca_file = \"{}\"\n",
            path(&s.pki.ca)
        )),
    );
    assert_ok(&trusted, "slack");
    let untrusted = doctor(&[("SLACK_WEBHOOK_URL", &hook)], None);
    assert_fails(&untrusted, "slack", &["TLS", "report.slack_tls.ca_file"]);
}

#[test]
fn bearer_token_from_a_file_is_sent_and_never_shown() {
    // A recording endpoint: what matters is the header incidentctl sends.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let recorded = seen.clone();
    std::thread::spawn(move || {
        use std::io::{BufRead, BufReader, Write};
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                if line.to_ascii_lowercase().starts_with("authorization:") {
                    recorded.lock().unwrap().push(line.trim().to_string());
                }
                line.clear();
            }
            let body = r#"{"status":"success","data":{"version":"2.42.0"}}"#;
            let _ = write!(
                &stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let run = doctor(
        &[("INCIDENTCTL_PROMETHEUS_URL", &format!("http://{addr}"))],
        Some(&format!(
            "[prometheus.auth]\nbearer_token_file = \"{}\"\n",
            path(&token_file)
        )),
    );
    assert_ok(&run, "prometheus");
    // doctor asks twice: whether Prometheus answers, then which request metrics the app has.
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        vec![format!("authorization: Bearer {TOKEN}"); 2],
        "each request, with the token"
    );
}

#[test]
fn config_show_redacts_every_new_secret() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("incidentctl.toml");
    write_file(
        &config,
        &format!(
            "[prometheus.auth]\nbearer_token = \"{TOKEN}\"\n[alertmanager.auth]\nusername = \"oncall\"\npassword = \"{WEB_PASSWORD}\"\n"
        ),
        0o644,
    );
    let run = incidentctl(
        None,
        &["config", "show", "-o", "json"],
        &[
            ("INCIDENTCTL_CONFIG", config.to_str().unwrap()),
            ("INCIDENTCTL_REDIS_PASSWORD", REDIS_PASSWORD),
            ("PGPASSWORD", PG_PASSWORD),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for secret in SECRETS {
        assert!(
            !run.all().contains(secret),
            "{secret} shown:\n{}",
            run.all()
        );
    }
    let doc: Value = run.json();
    assert_eq!(doc["prometheus"]["auth"]["bearer_token"], "<redacted>");
    assert_eq!(doc["redis"]["password"], "<redacted>");
    // The file holds secrets and others can read it: say so.
    assert!(run.stderr.contains("readable by others"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Kubernetes: whatever the kubeconfig says (client certificates, token files, exec plugins)
// ---------------------------------------------------------------------------------------------

/// A real API server: TLS with its own CA, users by client certificate (signed by that CA) and
/// by bearer token (its token file).
fn cluster() -> &'static incidentctl_sandbox::kubernetes::ControlPlane {
    static CELL: OnceLock<
        Result<
            (
                tempfile::TempDir,
                incidentctl_sandbox::kubernetes::ControlPlane,
            ),
            String,
        >,
    > = OnceLock::new();
    let started = CELL.get_or_init(|| {
        servers::kill_all_at_exit();
        let root = tempfile::tempdir().map_err(|e| e.to_string())?;
        servers::remove_at_exit(root.path());
        let plane = incidentctl_sandbox::kubernetes::ControlPlane::start(root.path())
            .map_err(|e| e.to_string())?;
        Ok((root, plane))
    });
    match started {
        Ok((_, plane)) => plane,
        Err(e) => panic!("the Kubernetes API server could not start: {e}"),
    }
}

/// A user the API server knows by this bearer token (its token file).
const KUBE_TOKEN: &str = incidentctl_sandbox::kubernetes::TOKEN_USERS[0].0;

fn kubeconfig(dir: &Path, server: &str, cluster_extra: &str, user: &str) -> String {
    let path = dir.join("kubeconfig");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n{cluster_extra}\
             users:\n- name: u\n  user:\n{user}\
             contexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: reconciliation\n\
             current-context: c\n"
        ),
    )
    .expect("write kubeconfig");
    path.display().to_string()
}

#[test]
fn kubernetes_client_certificate_and_ca_come_from_the_kubeconfig() {
    let s = servers();
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let user = c.pki.client("certuser", &[]).expect("a client certificate");
    let (cert, key) = (dir.path().join("client.crt"), dir.path().join("client.key"));
    write_file(&cert, &user.cert_pem, 0o600);
    write_file(&key, &user.key_pem, 0o600);
    let client = format!(
        "    client-certificate: {}\n    client-key: {}\n",
        path(&cert),
        path(&key)
    );
    let trusted = kubeconfig(
        dir.path(),
        &c.url(),
        &format!("    certificate-authority: {}\n", path(&c.pki.ca_file)),
        &client,
    );
    let run = doctor(&[("KUBECONFIG", &trusted)], None);
    assert_ok(&run, "kubernetes");

    let other = tempfile::tempdir().unwrap();
    let wrong_ca = kubeconfig(
        other.path(),
        &c.url(),
        &format!("    certificate-authority: {}\n", path(&s.pki.other_ca)),
        &client,
    );
    let run = doctor(&[("KUBECONFIG", &wrong_ca)], None);
    assert_fails(&run, "kubernetes", &["TLS", "certificate-authority"]);
}

#[test]
fn kubernetes_token_file_and_exec_plugin_credentials_are_used_and_never_shown() {
    let c = cluster();
    let ca = format!("    certificate-authority: {}\n", path(&c.pki.ca_file));
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, KUBE_TOKEN).unwrap();
    let with_file = kubeconfig(
        dir.path(),
        &c.url(),
        &ca,
        &format!("    tokenFile: {}\n", path(&token_file)),
    );
    let run = doctor(&[("KUBECONFIG", &with_file)], None);
    assert_ok(&run, "kubernetes");
    assert!(!run.all().contains(KUBE_TOKEN));

    // An exec plugin, as cloud providers ship them: it prints an ExecCredential.
    let plugin_dir = tempfile::tempdir().unwrap();
    let plugin = plugin_dir.path().join("credential-plugin");
    write_file(
        &plugin,
        &format!(
            "#!/bin/sh\nprintf '%s' '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{KUBE_TOKEN}\"}}}}'\n"
        ),
        0o755,
    );
    let with_exec = kubeconfig(
        plugin_dir.path(),
        &c.url(),
        &ca,
        &format!(
            "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: Never\n",
            path(&plugin)
        ),
    );
    let run = doctor(&[("KUBECONFIG", &with_exec)], None);
    assert_ok(&run, "kubernetes");
    assert!(!run.all().contains(KUBE_TOKEN));

    let wrong_dir = tempfile::tempdir().unwrap();
    let wrong = kubeconfig(
        wrong_dir.path(),
        &c.url(),
        &ca,
        "    token: not-the-token\n",
    );
    let run = doctor(&[("KUBECONFIG", &wrong)], None);
    assert_fails(&run, "kubernetes", &["401"]);
}
