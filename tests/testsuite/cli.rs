//! The command line's contract without servers: usage and config errors, exit codes, help.

use crate::support::incidentctl;

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn one_error_line(stderr: &str) -> &str {
    stderr.lines().next().unwrap_or("")
}

#[test]
fn a_bad_flag_value_is_a_usage_error_64_naming_the_flag() {
    let run = incidentctl(None, &["diagnose", "--timeout", "soon"], &[]);
    assert_eq!(run.code, 64, "{}", run.stderr);
    assert!(
        one_error_line(&run.stderr).contains("--timeout"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn an_unknown_runbook_is_a_usage_error_not_a_diagnose_result() {
    let run = incidentctl(None, &["diagnose", "databse"], &[]);
    assert_eq!(run.code, 64, "{}", run.stderr);
    assert!(
        one_error_line(&run.stderr).contains("databse"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("database"),
        "suggests the right name: {}",
        run.stderr
    );
}

#[test]
fn an_unknown_flag_and_a_missing_command_are_usage_errors() {
    assert_eq!(incidentctl(None, &["diagnose", "--colour"], &[]).code, 64);
    assert_eq!(incidentctl(None, &[], &[]).code, 64);
    assert_eq!(
        incidentctl(None, &["report"], &[]).code,
        64,
        "commands that do not work yet do not exist"
    );
}

#[test]
fn an_unknown_config_key_is_a_config_error_78_naming_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "c.toml",
        "namespace = \"x\"\n[redis]\nurl = \"redis://h:1\"\nport = 6379\n",
    );
    let run = incidentctl(None, &["diagnose", "--config", &cfg], &[]);
    assert_eq!(run.code, 78, "{}", run.stderr);
    let line = one_error_line(&run.stderr);
    assert!(line.contains("port") && line.contains("line 4"), "{line}");
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

#[test]
fn a_bad_environment_url_is_a_config_error_naming_the_variable() {
    let run = incidentctl(
        None,
        &["diagnose"],
        &[("INCIDENTCTL_PROMETHEUS_URL", "not a url")],
    );
    assert_eq!(run.code, 78, "{}", run.stderr);
    assert!(
        one_error_line(&run.stderr).starts_with("error: INCIDENTCTL_PROMETHEUS_URL:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_config_file_is_a_config_error() {
    let run = incidentctl(
        None,
        &["diagnose", "--config", "/nonexistent/incidentctl.toml"],
        &[],
    );
    assert_eq!(run.code, 78);
    assert!(
        run.stderr
            .contains("/nonexistent/incidentctl.toml: no such file"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_invalid_severity_rule_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "c.toml",
        "[[severity.rules]]\nseverity = \"SEV1\"\ncheck = \"k8s.podz\"\nreason = \"typo\"\n",
    );
    let run = incidentctl(None, &["diagnose", "--config", &cfg], &[]);
    assert_eq!(run.code, 78, "{}", run.stderr);
    assert!(
        run.stderr.contains("severity.rules[0]") && run.stderr.contains("k8s.podz"),
        "{}",
        run.stderr
    );
}

#[test]
fn help_documents_exit_codes_environment_and_examples() {
    let run = incidentctl(None, &["diagnose", "--help"], &[]);
    assert_eq!(run.code, 0);
    for needle in [
        "Exit codes",
        "2 worst is critical",
        "Examples:",
        "incidentctl diagnose -o json",
        "app-down",
    ] {
        assert!(run.stdout.contains(needle), "{needle}: {}", run.stdout);
    }
    let top = incidentctl(None, &["--help"], &[]);
    for needle in [
        "INCIDENTCTL_POSTGRES_URL",
        "78  configuration error",
        "Examples:",
    ] {
        assert!(top.stdout.contains(needle), "{needle}: {}", top.stdout);
    }
}

#[test]
fn version_prints_and_exits_0() {
    let run = incidentctl(None, &["--version"], &[]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("incidentctl "), "{}", run.stdout);
}

#[test]
fn config_show_redacts_passwords_from_every_source() {
    let dir = tempfile::tempdir().unwrap();
    let pw = write(dir.path(), "pw", "file-password-xyz\n");
    let cfg = write(
        dir.path(),
        "c.toml",
        &format!("[postgres]\npassword_file = \"{pw}\"\n"),
    );
    let run = incidentctl(
        None,
        &["config", "show", "--config", &cfg],
        &[
            (
                "INCIDENTCTL_REDIS_URL",
                "redis://:redis-pass-xyz@cache:6379",
            ),
            ("PGPASSWORD", "env-pass-xyz"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("xyz"), "{}", run.stdout);
    assert!(
        run.stdout.contains("redis://:***@cache:6379"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("password = \"<redacted>\""),
        "{}",
        run.stdout
    );
}

/// clap's whole message is kept: the missing arguments, the possible values, a tip.
#[test]
fn usage_errors_name_what_is_missing_and_list_the_valid_values() {
    let run = incidentctl(None, &["report", "new", "--title", "t"], &[]);
    assert_eq!(run.code, 64, "{}", run.stderr);
    assert!(
        run.stderr.contains("--severity") && run.stderr.contains("--from-diagnose"),
        "names what is missing: {}",
        run.stderr
    );
    let run = incidentctl(None, &["diagnose", "--output", "bogus"], &[]);
    assert_eq!(run.code, 64, "{}", run.stderr);
    for format in ["table", "json", "markdown", "junit", "prometheus", "nagios"] {
        assert!(run.stderr.contains(format), "{format}: {}", run.stderr);
    }
    let run = incidentctl(None, &["diagnose", "no-such-runbook"], &[]);
    for runbook in [
        "app-down",
        "database",
        "error-rate",
        "performance",
        "security",
    ] {
        assert!(run.stderr.contains(runbook), "{runbook}: {}", run.stderr);
    }
    let run = incidentctl(None, &["diagnose", "--timeuot", "5s"], &[]);
    assert!(
        run.stderr.contains("tip:") && run.stderr.contains("--timeout"),
        "{}",
        run.stderr
    );
}
