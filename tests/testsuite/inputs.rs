//! Every path incidentctl takes, given everything a path can name that is not a readable file
//! of its kind (issue 25): `/dev/zero`, a FIFO nobody writes, a directory, a 1 GiB sparse
//! file, a file that is not UTF-8, a file of mode 000. Each run must end within 2 s, under
//! 64 MB of RSS, saying what is wrong and naming the path, with nothing changed.
//!
//! The inputs are enumerated, not picked: the clap tree's arguments with a path value (a path
//! value hint or a `PathBuf` parser), the settings keys of `config show -o json` that end in
//! `_file`, `_cert`, `_key` or `_dir` or hold a path (shown for the defaults and for a config
//! that sets every optional table, which the config schema lists), and the environment
//! variables the source reads.
//! Each must have its case below (or a reason it has none): a path input added later fails
//! this test until it is tried too.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a run must end in.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// A command-ending error with one of these exit codes, naming the path on stderr.
    Exit(&'static [i32]),
    /// A check of diagnose fails (exit 2 or 3), its message naming the path.
    Check(&'static str),
    /// The input is optional: the command goes on (exit 0) and a warning names the path.
    Warning,
}

/// Where the hostile path goes.
#[derive(Debug, Clone, Copy)]
enum Given {
    /// The path is the value of a command-line argument: `{}` in `args` stands for it.
    Arg,
    /// A key of the config file (`section.key` or `section.sub.key`).
    Key(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// A file at this path under the directory an environment variable names.
    Under(&'static str, &'static str),
    /// A file named by a field of the kubeconfig's user or cluster.
    Kubeconfig(&'static str),
    /// The incident file of the store.
    IncidentFile,
    /// A file of the config's `runbooks_dir`.
    RunbookFile,
}

struct Case {
    /// How the inventory names the input: `--baseline`, `postgres.tls.ca_file`, `KUBECONFIG`.
    input: &'static str,
    given: Given,
    args: &'static [&'static str],
    expect: Expect,
    /// A directory is a valid value (a store directory).
    directory_is_valid: bool,
    /// More of the config file, after the key's line (its table's other keys, or other tables):
    /// what the key needs to be read at all.
    extra: &'static str,
}

const CONFIG: Expect = Expect::Exit(&[78]);
const DATA: Expect = Expect::Exit(&[65, 66]);
const SHOW: &[&str] = &["config", "show"];
const INCIDENT: &str = "INC-20260101-001";

const fn case(
    input: &'static str,
    given: Given,
    args: &'static [&'static str],
    expect: Expect,
) -> Case {
    Case {
        input,
        given,
        args,
        expect,
        directory_is_valid: false,
        extra: "",
    }
}

const fn store(input: &'static str, given: Given, args: &'static [&'static str]) -> Case {
    Case {
        input,
        given,
        args,
        expect: CONFIG,
        directory_is_valid: true,
        extra: "",
    }
}

/// `case` with more of the config file.
const fn with(extra: &'static str, case: Case) -> Case {
    Case { extra, ..case }
}

/// What the notification channels need to be checked by `doctor` (which reads their TLS files
/// before it connects): a route for each, to closed ports. GOOD_SECRET is a readable secret
/// file.
const NOTIFY_CHANNELS: &str = r#"
[notify.smtp]
url = "smtp://127.0.0.1:9"
from = "incidents@example.com"
[notify.pagerduty]
url = "https://127.0.0.1:9/v2/enqueue"
routing_key_file = "GOOD_SECRET"
[notify.statuspage]
kind = "webhook"
template = "{}"
webhook_url_file = "GOOD_SECRET"
[[notify.route]]
audience = "primary"
email = ["oncall@example.com"]
pagerduty = true
[[notify.route]]
audience = "status-page"
statuspage = true
"#;

/// A config that sets every optional table (the config schema's nullable objects), so that
/// `config show` shows every key: the inventory's second source.
const EVERY_TABLE: &str = r#"
runbooks_dir = "runbooks"
[[check]]
id = "payments.queue_depth"
runbooks = ["performance"]
kind = "promql"
query = 'sum(queue_depth{app="payments"})'
warning = 100
critical = 1000
[postgres]
password_file = "SECRET"
[redis]
password_file = "SECRET"
[prometheus.auth]
bearer_token_file = "SECRET"
[alertmanager.auth]
username = "oncall"
password_file = "SECRET"
[notify.smtp]
url = "smtp://127.0.0.1:9"
from = "incidents@example.com"
username = "incidents"
password_file = "SECRET"
[notify.pagerduty]
routing_key_file = "SECRET"
[notify.statuspage]
kind = "webhook"
template = "{}"
api_key_file = "SECRET"
webhook_url_file = "SECRET"
[[notify.route]]
audience = "team"
slack_webhook_file = "SECRET"
pagerduty_routing_key_file = "SECRET"
"#;

fn cases() -> Vec<Case> {
    use Given::*;
    let pg = &["diagnose", "--check", "postgres.ping", "-o", "json"][..];
    let redis = &["diagnose", "--check", "redis.ping", "-o", "json"][..];
    let prometheus = &["diagnose", "--check", "prometheus.error_rate", "-o", "json"][..];
    let alertmanager = &["diagnose", "--check", "alertmanager.alerts", "-o", "json"][..];
    let k8s = &["diagnose", "--check", "k8s.pods", "-o", "json"][..];
    let slack = &["report", "notify", INCIDENT][..];
    let show = &["report", "show", INCIDENT][..];
    let mut cases = vec![
        // The command line.
        case(
            "--config",
            Arg,
            &["config", "show", "--config", "{}"],
            CONFIG,
        ),
        case(
            "--baseline",
            Arg,
            &["diagnose", "--check", "redis.ping", "--baseline", "{}"],
            DATA,
        ),
        case(
            "diagnose diff <OLD>",
            Arg,
            &["diagnose", "diff", "{}", "GOOD"],
            DATA,
        ),
        case(
            "diagnose diff <NEW>",
            Arg,
            &["diagnose", "diff", "GOOD", "{}"],
            DATA,
        ),
        case(
            "--from-diagnose",
            Arg,
            &["report", "new", "--title", "t", "--from-diagnose", "{}"],
            DATA,
        ),
        // A new directory only: anything there already is refused before anything runs.
        Case {
            directory_is_valid: false,
            ..case(
                "--capture",
                Arg,
                &["diagnose", "--check", "redis.ping", "--capture", "{}"],
                Expect::Exit(&[64]),
            )
        },
        store("--store", Arg, &["report", "list", "--store", "{}"]),
        store("report.store", Key("report.store"), &["report", "list"]),
        store(
            "INCIDENTCTL_REPORT_STORE",
            Env("INCIDENTCTL_REPORT_STORE"),
            &["report", "list"],
        ),
        store(
            "XDG_DATA_HOME",
            Under("XDG_DATA_HOME", "incidentctl/incidents"),
            &["report", "list"],
        ),
        case("incident file", IncidentFile, show, DATA),
        // Secrets, read while settings are resolved.
        case(
            "INCIDENTCTL_CONFIG",
            Env("INCIDENTCTL_CONFIG"),
            SHOW,
            CONFIG,
        ),
        case(
            "XDG_CONFIG_HOME",
            Under("XDG_CONFIG_HOME", "incidentctl/config.toml"),
            SHOW,
            CONFIG,
        ),
        case(
            "postgres.password_file",
            Key("postgres.password_file"),
            SHOW,
            CONFIG,
        ),
        case(
            "redis.password_file",
            Key("redis.password_file"),
            SHOW,
            CONFIG,
        ),
        case(
            "prometheus.auth.bearer_token_file",
            Key("prometheus.auth.bearer_token_file"),
            SHOW,
            CONFIG,
        ),
        case(
            "prometheus.auth.password_file",
            Key("prometheus.auth.password_file"),
            SHOW,
            CONFIG,
        ),
        case(
            "alertmanager.auth.bearer_token_file",
            Key("alertmanager.auth.bearer_token_file"),
            SHOW,
            CONFIG,
        ),
        case(
            "alertmanager.auth.password_file",
            Key("alertmanager.auth.password_file"),
            SHOW,
            CONFIG,
        ),
        case("PGPASSFILE", Env("PGPASSFILE"), SHOW, Expect::Warning),
        case(
            "HOME (~/.pgpass)",
            Under("HOME", ".pgpass"),
            SHOW,
            Expect::Warning,
        ),
        // TLS files, read when the target's client is made.
        case(
            "PGSSLROOTCERT",
            Env("PGSSLROOTCERT"),
            pg,
            Expect::Check("postgres.ping"),
        ),
        case(
            "PGSSLCERT",
            Env("PGSSLCERT"),
            pg,
            Expect::Check("postgres.ping"),
        ),
        case(
            "PGSSLKEY",
            Env("PGSSLKEY"),
            pg,
            Expect::Check("postgres.ping"),
        ),
        // The kubeconfig and the files it names.
        case(
            "KUBECONFIG",
            Env("KUBECONFIG"),
            k8s,
            Expect::Check("k8s.pods"),
        ),
        case(
            "HOME (~/.kube/config)",
            Under("HOME", ".kube/config"),
            k8s,
            Expect::Check("k8s.pods"),
        ),
        case(
            "kubeconfig certificate-authority",
            Kubeconfig("certificate-authority"),
            k8s,
            Expect::Check("k8s.pods"),
        ),
        case(
            "kubeconfig client-certificate",
            Kubeconfig("client-certificate"),
            k8s,
            Expect::Check("k8s.pods"),
        ),
        case(
            "kubeconfig client-key",
            Kubeconfig("client-key"),
            k8s,
            Expect::Check("k8s.pods"),
        ),
        case(
            "kubeconfig tokenFile",
            Kubeconfig("tokenFile"),
            k8s,
            Expect::Check("k8s.pods"),
        ),
        // incidentctl's own files.
        case("audit.path", Key("audit.path"), show, Expect::Warning),
        case(
            "INCIDENTCTL_AUDIT_LOG",
            Env("INCIDENTCTL_AUDIT_LOG"),
            show,
            Expect::Warning,
        ),
        case(
            "XDG_STATE_HOME (audit.jsonl)",
            Under("XDG_STATE_HOME", "incidentctl/audit.jsonl"),
            show,
            Expect::Warning,
        ),
        case(
            "XDG_STATE_HOME (fingerprint.key)",
            Under("XDG_STATE_HOME", "incidentctl/fingerprint.key"),
            &["security", "config"],
            CONFIG,
        ),
        // The team's runbooks: the directory, and a file in it.
        store("runbooks_dir", Key("runbooks_dir"), SHOW),
        case("runbooks_dir file", RunbookFile, SHOW, CONFIG),
        // Notification secrets, read while settings are resolved.
        with(
            "url = \"smtp://127.0.0.1:9\"\nfrom = \"a@example.com\"\nusername = \"u\"\n",
            case(
                "notify.smtp.password_file",
                Key("notify.smtp.password_file"),
                SHOW,
                CONFIG,
            ),
        ),
        case(
            "notify.pagerduty.routing_key_file",
            Key("notify.pagerduty.routing_key_file"),
            SHOW,
            CONFIG,
        ),
        with(
            "kind = \"atlassian\"\npage_id = \"p\"\n",
            case(
                "notify.statuspage.api_key_file",
                Key("notify.statuspage.api_key_file"),
                SHOW,
                CONFIG,
            ),
        ),
        with(
            "kind = \"webhook\"\ntemplate = \"{}\"\n",
            case(
                "notify.statuspage.webhook_url_file",
                Key("notify.statuspage.webhook_url_file"),
                SHOW,
                CONFIG,
            ),
        ),
        with(
            "audience = \"team\"\n",
            case(
                "notify.route[].slack_webhook_file",
                Key("notify.route[].slack_webhook_file"),
                SHOW,
                CONFIG,
            ),
        ),
        with(
            "audience = \"primary\"\npagerduty = true\n",
            case(
                "notify.route[].pagerduty_routing_key_file",
                Key("notify.route[].pagerduty_routing_key_file"),
                SHOW,
                CONFIG,
            ),
        ),
    ];
    for (target, args) in [
        ("postgres", pg),
        ("redis", redis),
        ("prometheus", prometheus),
        ("alertmanager", alertmanager),
    ] {
        for file in ["ca_file", "client_cert", "client_key"] {
            let key: &'static str = Box::leak(format!("{target}.tls.{file}").into_boxed_str());
            let check: &'static str = Box::leak(format!("{target}.ping").into_boxed_str());
            let expect = match target {
                "prometheus" => Expect::Check("prometheus.error_rate"),
                "alertmanager" => Expect::Check("alertmanager.alerts"),
                _ => Expect::Check(check),
            };
            cases.push(case(key, Key(key), args, expect));
        }
    }
    for file in ["ca_file", "client_cert", "client_key"] {
        let key: &'static str = Box::leak(format!("report.slack_tls.{file}").into_boxed_str());
        cases.push(case(key, Key(key), slack, CONFIG));
        // The notification channels' TLS files: `doctor` checks each channel (exit 2, the row
        // naming the file).
        for channel in ["smtp", "pagerduty", "statuspage"] {
            let key: &'static str =
                Box::leak(format!("notify.{channel}.tls.{file}").into_boxed_str());
            cases.push(with(
                NOTIFY_CHANNELS,
                case(key, Key(key), &["doctor", "-o", "json"], Expect::Exit(&[2])),
            ));
        }
    }
    cases
}

/// Path inputs with no case, and why.
const NOT_TRIED: &[(&str, &str)] = &[(
    "generate-docs <DIR>",
    "a packager's command that writes the generated files into DIR; it reads nothing from there",
)];

/// Settings `config show` prints that hold a path but are not set as such (derived).
const DERIVED: &[(&str, &str)] = &[
    (
        "config_file",
        "--config / INCIDENTCTL_CONFIG / XDG_CONFIG_HOME",
    ),
    (
        "audit_log",
        "audit.path / INCIDENTCTL_AUDIT_LOG / XDG_STATE_HOME",
    ),
    ("fingerprint_key", "XDG_STATE_HOME (fingerprint.key)"),
    ("audit.path", "audit.path"),
    // Secrets themselves (shown redacted), read from their `_file` or the environment.
    (
        "notify.pagerduty.routing_key",
        "notify.pagerduty.routing_key_file / INCIDENTCTL_PAGERDUTY_ROUTING_KEY",
    ),
    (
        "notify.statuspage.api_key",
        "notify.statuspage.api_key_file / INCIDENTCTL_STATUSPAGE_API_KEY",
    ),
];

/// Environment variables the source reads that do not name a file (the first two are read
/// at build time, by `env!`).
const NOT_PATHS: &[&str] = &[
    "CARGO_PKG_VERSION",
    "INCIDENTCTL_VERSION",
    "INCIDENTCTL_ALERTMANAGER_URL",
    "INCIDENTCTL_COMPLETE",
    "INCIDENTCTL_INCIDENT",
    "INCIDENTCTL_NAMESPACE",
    "INCIDENTCTL_NOW",
    "INCIDENTCTL_OUTPUT",
    "INCIDENTCTL_PAGERDUTY_ROUTING_KEY",
    "INCIDENTCTL_POSTGRES_URL",
    "INCIDENTCTL_PROMETHEUS_URL",
    "INCIDENTCTL_REDIS_PASSWORD",
    "INCIDENTCTL_REDIS_URL",
    "INCIDENTCTL_SMTP_PASSWORD",
    "INCIDENTCTL_STATUSPAGE_API_KEY",
    "INCIDENTCTL_STATUSPAGE_WEBHOOK_URL",
    "INCIDENTCTL_TIMEOUT",
    "KUBERNETES_SERVICE_HOST",
    "KUBERNETES_SERVICE_PORT",
    "LOGNAME",
    "NO_COLOR",
    "PGPASSWORD",
    "PGSSLMODE",
    "REDISCLI_AUTH",
    "RUST_BACKTRACE",
    "SLACK_WEBHOOK_URL",
    "USER",
];

/// The clap tree's path arguments: `--flag`, or `command <NAME>` for a positional one.
fn path_arguments() -> BTreeSet<String> {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, found: &mut BTreeSet<String>) {
        for arg in cmd.get_arguments() {
            let hint = arg.get_value_hint();
            let by_hint = matches!(
                hint,
                clap::ValueHint::AnyPath | clap::ValueHint::FilePath | clap::ValueHint::DirPath
            );
            let by_type = arg.get_value_parser().type_id() == std::any::TypeId::of::<PathBuf>();
            if !(by_hint || by_type) {
                continue;
            }
            let name = match arg.get_long() {
                Some(long) => format!("--{long}"),
                None => format!(
                    "{path} <{}>",
                    arg.get_value_names()
                        .and_then(|n| n.first())
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| arg.get_id().to_string().to_uppercase())
                ),
            };
            found.insert(name.trim().to_string());
        }
        for sub in cmd.get_subcommands() {
            let path = format!("{path} {}", sub.get_name());
            walk(sub, path.trim(), found);
        }
    }
    let mut found = BTreeSet::new();
    walk(&incidentctl::cli::Cli::command(), "", &mut found);
    found
}

/// Keys of `config show -o json` that name a file: ending in `_file`, `_cert`, `_key` or
/// `_dir`, or holding an absolute path by default. The keys of an array of tables are
/// `table[].key`.
fn path_keys(doc: &serde_json::Value) -> BTreeSet<String> {
    fn walk(v: &serde_json::Value, prefix: &str, found: &mut BTreeSet<String>) {
        let Some(map) = v.as_object() else { return };
        for (k, v) in map {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if v.is_object() {
                walk(v, &key, found);
                continue;
            }
            if let Some(items) = v.as_array().filter(|a| a.iter().any(|i| i.is_object())) {
                for item in items {
                    walk(item, &format!("{key}[]"), found);
                }
                continue;
            }
            let named = k.ends_with("_file")
                || k.ends_with("_cert")
                || k.ends_with("_key")
                || k.ends_with("_dir");
            let holds = v.as_str().is_some_and(|s| s.starts_with('/'));
            if named || holds {
                found.insert(key);
            }
        }
    }
    let mut found = BTreeSet::new();
    walk(doc, "", &mut found);
    found
}

/// The environment variables named in `src/`: `var("X")`, `var_os("X")`, clap's `env = "X"`,
/// and the `("X", &mut …)` tables settings go through.
fn environment_variables() -> BTreeSet<String> {
    let pattern = regex::Regex::new(
        r#"(?:var(?:_os)?\(\s*|env\s*=\s*)"([A-Z][A-Z0-9_]{2,})"|\(\s*"([A-Z][A-Z0-9_]{2,})",\s*&mut"#,
    )
    .unwrap();
    let constant =
        regex::Regex::new(r#"const [A-Z_]+: &str = "([A-Z][A-Z0-9]*_[A-Z0-9_]+)";"#).unwrap();
    let mut found = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for c in pattern.captures_iter(code) {
                found.extend(c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()));
            }
            for c in constant.captures_iter(code) {
                if c[1].starts_with("INCIDENTCTL_") {
                    found.insert(c[1].to_string());
                }
            }
        }
    }
    found
}

/// The hostile things a path can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hostile {
    DevZero,
    Fifo,
    Directory,
    Sparse,
    NotUtf8,
    Mode000,
}

const HOSTILE: [Hostile; 6] = [
    Hostile::DevZero,
    Hostile::Fifo,
    Hostile::Directory,
    Hostile::Sparse,
    Hostile::NotUtf8,
    Hostile::Mode000,
];

/// Who the runs are: when the tests run as root, `nobody`, so that mode 000 means something.
fn runs_as() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    (unsafe { libc::geteuid() } == 0).then_some((65534, 65534))
}

fn chown_tree(path: &Path) {
    let Some((uid, gid)) = runs_as() else { return };
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    unsafe { libc::lchown(c.as_ptr(), uid, gid) };
    if path.is_dir() && !path.is_symlink() {
        for e in std::fs::read_dir(path).unwrap() {
            chown_tree(&e.unwrap().path());
        }
    }
}

/// Makes the hostile thing at `at` (a new path in the run's directory).
fn make(hostile: Hostile, at: &Path) {
    if let Some(parent) = at.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    match hostile {
        Hostile::DevZero => std::os::unix::fs::symlink("/dev/zero", at).unwrap(),
        Hostile::Fifo => {
            let c = std::ffi::CString::new(at.as_os_str().as_encoded_bytes()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        }
        Hostile::Directory => std::fs::create_dir_all(at).unwrap(),
        Hostile::Sparse => std::fs::File::create(at).unwrap().set_len(1 << 30).unwrap(),
        Hostile::NotUtf8 => std::fs::write(at, b"\xff\xfe\x00\xc3\x28 not text \xa0\xa1").unwrap(),
        Hostile::Mode000 => {
            std::fs::write(at, "[kubernetes]\nnamespace = \"x\"\n").unwrap();
            std::fs::set_permissions(at, std::fs::Permissions::from_mode(0o000)).unwrap();
        }
    }
}

/// Every entry under `root`: its kind, size, mode and modification time.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (String, u64, u32, i64)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let m = std::fs::symlink_metadata(&path).unwrap();
            if m.is_dir() {
                stack.push(path.clone());
            }
            out.insert(
                path,
                (
                    format!("{:?}", m.file_type()),
                    m.size(),
                    m.mode(),
                    m.mtime_nsec() + m.mtime() * 1_000_000_000,
                ),
            );
        }
    }
    out
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    rss_kb: i64,
}

/// Runs the binary (as `runs_as`, through util-linux `setpriv`), under GNU time for its peak
/// RSS, killed after 10 s (the limit is 2). Not wait4's own figure: a child forked or spawned
/// from this test process starts with the test's memory, and Linux keeps that in its peak.
fn run(args: &[String], env: &[(String, String)], cwd: &Path, outputs: &Path) -> Outcome {
    let out_path = outputs.join("stdout");
    let err_path = outputs.join("stderr");
    let rss_path = outputs.join("rss");
    let _ = std::fs::remove_file(&rss_path);
    let mut cmd = std::process::Command::new("timeout");
    cmd.args(["-s", "KILL", "10", "/usr/bin/time", "-f", "%M", "-o"])
        .arg(&rss_path);
    if let Some((uid, gid)) = runs_as() {
        cmd.args([
            "setpriv",
            &format!("--reuid={uid}"),
            &format!("--regid={gid}"),
            "--clear-groups",
        ]);
    }
    cmd.arg(env!("CARGO_BIN_EXE_incidentctl"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(cwd)
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    let started = Instant::now();
    let status = cmd
        .status()
        .expect("start incidentctl under timeout and GNU time");
    let elapsed = started.elapsed();
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let rss_kb = read(&rss_path)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(i64::MAX);
    let outcome = Outcome {
        code: status.code().unwrap_or(-1),
        stdout: read(&out_path),
        stderr: read(&err_path),
        elapsed,
        rss_kb,
    };
    let _ = std::fs::remove_file(out_path);
    let _ = std::fs::remove_file(err_path);
    outcome
}

/// A self-signed certificate and its key (PEM), for the half of a pair that is not tried.
fn pem_pair() -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    (cert.pem(), key.serialize_pem())
}

/// The slowest run and the largest peak RSS (KiB) seen, for the figures the test prints.
static WORST: std::sync::Mutex<(Duration, i64)> = std::sync::Mutex::new((Duration::ZERO, 0));

/// One run of `case` with `hostile`: the problems found, if any.
fn try_case(case: &Case, hostile: Hostile, pem: &(String, String)) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Reachable by the user the runs are (nobody, when the tests are root).
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let closed = crate::support::closed_port();
    let home = root.join("home");
    let mut env: Vec<(String, String)> = vec![
        ("HOME".into(), home.display().to_string()),
        (
            "XDG_CONFIG_HOME".into(),
            root.join("config").display().to_string(),
        ),
        (
            "XDG_STATE_HOME".into(),
            root.join("state").display().to_string(),
        ),
        (
            "XDG_DATA_HOME".into(),
            root.join("data").display().to_string(),
        ),
        (
            "INCIDENTCTL_POSTGRES_URL".into(),
            format!("postgres://app@127.0.0.1:{closed}/app?sslmode=verify-full"),
        ),
        (
            "INCIDENTCTL_REDIS_URL".into(),
            format!("rediss://127.0.0.1:{closed}"),
        ),
        (
            "INCIDENTCTL_PROMETHEUS_URL".into(),
            format!("https://127.0.0.1:{closed}"),
        ),
        (
            "INCIDENTCTL_ALERTMANAGER_URL".into(),
            format!("https://127.0.0.1:{closed}"),
        ),
        (
            "SLACK_WEBHOOK_URL".into(),
            format!("https://127.0.0.1:{closed}/services/x"),
        ),
        ("INCIDENTCTL_TIMEOUT".into(), "1s".into()),
    ];
    for d in ["home", "config", "state", "data"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    let cert = root.join("good-cert.pem");
    let key = root.join("good-key.pem");
    std::fs::write(&cert, &pem.0).unwrap();
    std::fs::write(&key, &pem.1).unwrap();
    let good = root.join("good.json");
    std::fs::write(
        &good,
        r#"{"schema": "incidentctl.diagnose/v1", "checks": []}"#,
    )
    .unwrap();
    let target = root.join("target");
    let outputs = tempfile::tempdir().unwrap();
    let mut config = String::new();
    let mut kubeconfig_user = String::new();
    let mut kubeconfig_cluster = String::new();
    match case.given {
        Given::Arg => {}
        Given::Key(key_path) if !key_path.contains('.') => {
            // A top-level key, before any table.
            config.push_str(&format!("{key_path} = \"{}\"\n", target.display()));
        }
        Given::Key(key_path) => {
            let (table, key_name) = key_path.rsplit_once('.').unwrap();
            let header = match table.strip_suffix("[]") {
                Some(array) => format!("[[{array}]]"),
                None => format!("[{table}]"),
            };
            if let Some(pair) = key_name.strip_prefix("client_") {
                // The other half of the pair, valid.
                let other = if pair == "cert" {
                    ("client_key", &key)
                } else {
                    ("client_cert", &cert)
                };
                config.push_str(&format!(
                    "{header}\n{} = \"{}\"\n",
                    other.0,
                    other.1.display()
                ));
            } else {
                config.push_str(&format!("{header}\n"));
            }
            config.push_str(&format!("{key_name} = \"{}\"\n", target.display()));
            if table.ends_with(".auth") && key_name == "password_file" {
                config.push_str("username = \"oncall\"\n");
            }
        }
        Given::RunbookFile => {
            config.push_str(&format!(
                "runbooks_dir = \"{}\"\n",
                root.join("runbooks").display()
            ));
        }
        Given::Env(var) => {
            env.retain(|(k, _)| k != var);
            env.push((var.into(), target.display().to_string()));
            if var == "PGSSLCERT" {
                env.push(("PGSSLKEY".into(), key.display().to_string()));
            }
            if var == "PGSSLKEY" {
                env.push(("PGSSLCERT".into(), cert.display().to_string()));
            }
        }
        Given::Under(..) | Given::IncidentFile => {}
        Given::Kubeconfig(field) => match field {
            "certificate-authority" => {
                kubeconfig_cluster = format!("    certificate-authority: {}\n", target.display())
            }
            "client-certificate" => {
                kubeconfig_user = format!(
                    "    client-certificate: {}\n    client-key: {}\n",
                    target.display(),
                    key.display()
                )
            }
            "client-key" => {
                kubeconfig_user = format!(
                    "    client-certificate: {}\n    client-key: {}\n",
                    cert.display(),
                    target.display()
                )
            }
            _ => kubeconfig_user = format!("    tokenFile: {}\n", target.display()),
        },
    }
    if !case.extra.is_empty() {
        let secret = root.join("good-secret");
        std::fs::write(&secret, "https://127.0.0.1:9/hook\n").unwrap();
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
        config.push_str(
            &case
                .extra
                .replace("GOOD_SECRET", &secret.display().to_string()),
        );
    }
    // A kubeconfig pointing at nothing, unless the case is about it.
    let kubeconfig = root.join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: reconciliation\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:{closed}\n{kubeconfig_cluster}users:\n- name: u\n  user:\n{}",
            if kubeconfig_user.is_empty() { "    token: t\n".to_string() } else { kubeconfig_user }
        ),
    )
    .unwrap();
    if !matches!(
        case.given,
        Given::Env("KUBECONFIG") | Given::Under("HOME", ".kube/config")
    ) {
        env.push(("KUBECONFIG".into(), kubeconfig.display().to_string()));
    }
    if !config.is_empty() {
        let path = root.join("config.toml");
        std::fs::write(&path, &config).unwrap();
        env.push(("INCIDENTCTL_CONFIG".into(), path.display().to_string()));
    }
    let base_env: Vec<(String, String)> = env
        .iter()
        .filter(|(k, _)| {
            k != "INCIDENTCTL_CONFIG" && !matches!(case.given, Given::Env(v) if v == k)
        })
        .cloned()
        .collect();
    // The store holds an incident, for the commands that show one.
    let store_dir = root.join("data/incidentctl/incidents");
    let store_is_target = matches!(case.given, Given::Under("XDG_DATA_HOME", _));
    chown_tree(root);
    if !store_is_target {
        // Written by incidentctl itself, as the user the runs are, before the case's own
        // settings are in place.
        let made = run(
            &["report", "new", "--title", "t", "--severity", "SEV3"].map(String::from),
            &[
                base_env.clone(),
                vec![("INCIDENTCTL_NOW".into(), "2026-01-01T00:00:00Z".into())],
            ]
            .concat(),
            root,
            outputs.path(),
        );
        assert_eq!(made.code, 0, "setting up {}: {}", case.input, made.stderr);
        assert_eq!(made.stdout.trim(), INCIDENT, "{}", made.stderr);
    }
    // The hostile thing, where the case puts it.
    let at = match case.given {
        Given::Arg | Given::Key(_) | Given::Env(_) | Given::Kubeconfig(_) => target.clone(),
        Given::Under(var, rest) => {
            let base = env
                .iter()
                .find(|(k, _)| k == var)
                .map(|(_, v)| PathBuf::from(v))
                .unwrap();
            base.join(rest)
        }
        Given::IncidentFile => {
            let file = store_dir.join(format!("{INCIDENT}.json"));
            std::fs::remove_file(&file).unwrap();
            file
        }
        Given::RunbookFile => root.join("runbooks/team.toml"),
    };
    make(hostile, &at);
    if hostile != Hostile::Mode000 {
        chown_tree(root);
    }
    let at_text = at.display().to_string();
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| match *a {
            "{}" => at_text.clone(),
            "GOOD" => good.display().to_string(),
            other => other.to_string(),
        })
        .collect();
    if case.args.first() == Some(&"doctor") {
        // doctor opens the audit log to see that it can write it, creating it when missing:
        // made beforehand, so that the run has nothing of its own to create.
        let log = root.join("state/incidentctl/audit.jsonl");
        std::fs::create_dir_all(log.parent().unwrap()).unwrap();
        std::fs::write(&log, "").unwrap();
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o600)).unwrap();
        chown_tree(&root.join("state"));
    }
    let before = snapshot(root);
    let outcome = run(&args, &env, root, outputs.path());
    let after = snapshot(root);

    {
        let mut worst = WORST.lock().unwrap();
        worst.0 = worst.0.max(outcome.elapsed);
        worst.1 = worst.1.max(outcome.rss_kb);
    }
    let what = format!("{} / {hostile:?} ({})", case.input, args.join(" "));
    let mut problems = Vec::new();
    if outcome.elapsed > Duration::from_secs(2) {
        problems.push(format!("{what}: took {:?}", outcome.elapsed));
    }
    if outcome.rss_kb * 1024 >= 64_000_000 {
        problems.push(format!("{what}: peak RSS {} KiB", outcome.rss_kb));
    }
    if before != after {
        let changed: Vec<_> = after
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(v))
            .map(|(k, _)| k.display().to_string())
            .chain(
                before
                    .keys()
                    .filter(|k| !after.contains_key(*k))
                    .map(|k| format!("gone: {}", k.display())),
            )
            .collect();
        problems.push(format!("{what}: changed {changed:?}"));
    }
    let all = format!("{}\n{}", outcome.stdout, outcome.stderr);
    let names_path = all.contains(&at_text)
        || all.contains(&at.file_name().unwrap().to_string_lossy().to_string());
    let valid_directory = hostile == Hostile::Directory && case.directory_is_valid;
    let fine = if valid_directory {
        outcome.code == 0
    } else {
        match case.expect {
            Expect::Exit(codes) => codes.contains(&outcome.code) && names_path,
            Expect::Check(id) => {
                let doc: serde_json::Value =
                    serde_json::from_str(&outcome.stdout).unwrap_or_default();
                let message = doc["checks"]
                    .as_array()
                    .and_then(|a| a.iter().find(|c| c["id"] == id))
                    .map(|c| c.to_string())
                    .unwrap_or_default();
                (outcome.code == 2 || outcome.code == 3) && message.contains(&at_text)
            }
            Expect::Warning => {
                outcome.code == 0
                    && outcome.stderr.contains("warning:")
                    && outcome.stderr.contains(&at_text)
            }
        }
    };
    if !fine {
        problems.push(format!(
            "{what}: exit {}, expected {:?}{}:\nstdout: {}\nstderr: {}",
            outcome.code,
            case.expect,
            if valid_directory {
                " (a directory is valid here: 0)"
            } else {
                ""
            },
            outcome.stdout.chars().take(600).collect::<String>(),
            outcome.stderr
        ));
    }
    problems
}

/// `config show -o json` of a config that sets every optional table. The config schema's
/// nullable objects and arrays of objects must all be set in it: a table added later fails
/// here until EVERY_TABLE sets it, so its path keys are enumerated too.
fn every_table_shown() -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "s3cret\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::create_dir(dir.path().join("runbooks")).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        EVERY_TABLE.replace("SECRET", &secret.display().to_string()),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let config = config.display().to_string();
    let shown = crate::support::incidentctl(
        None,
        &["config", "show", "-o", "json", "--config", &config],
        &[],
    );
    assert_eq!(shown.code, 0, "EVERY_TABLE: {}", shown.stderr);
    let doc = shown.json();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/config-v1.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut unset = Vec::new();
    optional_tables_unset(&schema, &doc, "", &mut unset);
    assert!(
        unset.is_empty(),
        "EVERY_TABLE does not set these optional tables, so their path keys are not enumerated: {unset:?}"
    );
    doc
}

/// The schema's nullable objects and arrays of objects that `doc` leaves null or empty.
fn optional_tables_unset(
    schema: &serde_json::Value,
    doc: &serde_json::Value,
    prefix: &str,
    unset: &mut Vec<String>,
) {
    let Some(properties) = schema["properties"].as_object() else {
        return;
    };
    for (k, sub) in properties {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let types: Vec<&str> = match &sub["type"] {
            serde_json::Value::String(t) => vec![t.as_str()],
            serde_json::Value::Array(a) => a.iter().filter_map(|t| t.as_str()).collect(),
            _ => Vec::new(),
        };
        let value = &doc[k];
        if types.contains(&"object") {
            if value.is_null() && types.contains(&"null") {
                unset.push(key.clone());
            }
            optional_tables_unset(sub, value, &key, unset);
        } else if types.contains(&"array") && sub["items"]["type"] == "object" {
            match value.as_array().and_then(|a| a.first()) {
                Some(first) => {
                    optional_tables_unset(&sub["items"], first, &format!("{key}[]"), unset)
                }
                None => unset.push(key),
            }
        }
    }
}

#[test]
fn every_path_input_refuses_what_is_not_a_readable_file_of_its_kind_at_once() {
    let cases = cases();
    // 1. The inventory: every path input has a case, and every case is a path input.
    let tried: BTreeSet<&str> = cases.iter().map(|c| c.input).collect();
    let mut missing = Vec::new();
    let arguments = path_arguments();
    for arg in &arguments {
        if !tried.contains(arg.as_str()) && !NOT_TRIED.iter().any(|(n, _)| n == arg) {
            missing.push(format!("command-line argument {arg}"));
        }
    }
    let shown = crate::support::incidentctl(None, &["config", "show", "-o", "json"], &[]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let mut keys = path_keys(&shown.json());
    let every_table = every_table_shown();
    keys.extend(path_keys(&every_table));
    for key in &keys {
        if !tried.contains(key.as_str()) && !DERIVED.iter().any(|(k, _)| k == key) {
            missing.push(format!("setting {key}"));
        }
    }
    let variables = environment_variables();
    for var in &variables {
        let covered = cases
            .iter()
            .any(|c| matches!(c.given, Given::Env(v) | Given::Under(v, _) if v == var));
        if !covered && !NOT_PATHS.contains(&var.as_str()) {
            missing.push(format!("environment variable {var}"));
        }
    }
    assert!(
        missing.is_empty(),
        "path inputs without a case here (add one, or say why not):\n{}",
        missing.join("\n")
    );
    for c in &cases {
        if let Given::Key(k) = c.given {
            assert!(
                keys.contains(k) || c.input == "audit.path",
                "{k} is not a setting: {keys:?}"
            );
        }
        if let Given::Env(v) | Given::Under(v, _) = c.given {
            assert!(
                variables.contains(v),
                "{v} is not read by the source: {variables:?}"
            );
        }
    }

    // 2. Every case, with every hostile thing; two at a time.
    let pem = pem_pair();
    let jobs: Vec<(usize, Hostile)> = (0..cases.len())
        .flat_map(|i| HOSTILE.iter().map(move |h| (i, *h)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let problems = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((c, h)) = jobs.get(i) else { break };
                let found = try_case(&cases[*c], *h, &pem);
                problems.lock().unwrap().extend(found);
            });
        }
    });
    let problems = problems.into_inner().unwrap();
    let (slowest, largest) = *WORST.lock().unwrap();
    println!("slowest run {slowest:?}, largest peak RSS {} KiB", largest);
    println!(
        "inputs: {} ({} command-line arguments, {} settings, {} environment variables found in the source; {} not tried: {:?}); runs: {} ({} inputs × {} hostile paths)",
        cases.len(),
        arguments.len(),
        keys.len(),
        variables.len(),
        NOT_TRIED.len(),
        NOT_TRIED.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        jobs.len(),
        cases.len(),
        HOSTILE.len()
    );
    assert!(
        problems.is_empty(),
        "{} of {} runs failed:\n{}",
        problems.len(),
        jobs.len(),
        problems.join("\n\n")
    );
}
