//! What packagers and automation consume: the committed completions and man pages are exactly
//! what the binary generates, they load in real shells and render with man, and diagnose's
//! JUnit, Prometheus and Nagios outputs are accepted by their real consumers.

use crate::support::{healthy, incident, incidentctl};
use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn committed_completions_and_man_pages_are_up_to_date() {
    let out = tempfile::tempdir().unwrap();
    let run = incidentctl(None, &["generate-docs", out.path().to_str().unwrap()], &[]);
    assert_eq!(run.code, 0, "{}", run.all());
    for sub in ["completions", "man"] {
        let (fresh, committed) = (out.path().join(sub), repo().join(sub));
        assert_eq!(
            files(&fresh),
            files(&committed),
            "{sub}/: run `cargo run -- generate-docs .` and commit"
        );
        for name in files(&fresh) {
            let a = std::fs::read(fresh.join(&name)).unwrap();
            let b = std::fs::read(committed.join(&name)).unwrap();
            assert!(
                a == b,
                "{sub}/{name} is stale: run `cargo run -- generate-docs .` and commit"
            );
        }
    }
}

#[test]
fn man_pages_render_with_man() {
    // Every command has a page, and every page (so every command's --help) has examples.
    for page in files(&repo().join("man")) {
        let page = page.as_str();
        let out = Command::new("man")
            .args(["-l", repo().join("man").join(page).to_str().unwrap()])
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .expect("man");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{page}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("SYNOPSIS") && text.contains("Examples:"),
            "{page}:\n{text}"
        );
    }
    let top = Command::new("man")
        .args(["-l", repo().join("man/incidentctl.1").to_str().unwrap()])
        .env("MANPAGER", "cat")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&top.stdout);
    for section in ["Exit codes:", "Environment:", "Files:", "Examples:"] {
        assert!(
            text.contains(section),
            "incidentctl(1) has {section}:\n{text}"
        );
    }
}

#[test]
fn junit_output_is_well_formed_xml_with_one_testcase_per_check() {
    let run = incidentctl(
        Some(incident()),
        &["diagnose", "-o", "junit", "--fail-on", "critical"],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &run.stdout).unwrap();
    let lint = Command::new("xmllint")
        .args(["--noout", file.path().to_str().unwrap()])
        .output()
        .expect("xmllint (libxml2-utils)");
    assert!(
        lint.status.success(),
        "xmllint: {}",
        String::from_utf8_lossy(&lint.stderr)
    );
    let count = |xpath: &str| -> String {
        let out = Command::new("xmllint")
            .args(["--xpath", xpath, file.path().to_str().unwrap()])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    // One testcase per check the run runs, as `--list` counts them.
    let listed = incidentctl(Some(incident()), &["diagnose", "--list", "-o", "json"], &[]).json();
    let checks = listed.as_array().unwrap().len();
    assert!(checks > 20, "{listed:#}");
    assert_eq!(count("count(//testsuite/testcase)"), checks.to_string());
    assert_eq!(
        count("count(//testcase/failure)"),
        "3",
        "critical only with --fail-on critical"
    );
    assert_eq!(count("string(//testsuites/@failures)"), "3");
    assert_eq!(
        count("count(//testcase[@name='prometheus.error_rate']/failure[@type='critical'])"),
        "1"
    );
    let warn = incidentctl(
        Some(incident()),
        &["diagnose", "-o", "junit", "--fail-on", "warning"],
        &[],
    );
    std::fs::write(file.path(), &warn.stdout).unwrap();
    assert_eq!(
        count("count(//testcase/failure)"),
        "19",
        "warnings fail too with --fail-on warning"
    );
}

#[test]
fn fail_on_critical_passes_a_platform_with_only_warnings() {
    let w = healthy();
    let cfg = w
        .write_config(
            "fail-on.toml",
            &[("kubernetes", "network_policy = \"gone\"")],
        )
        .unwrap();
    let cfg = cfg.to_str().unwrap();
    let plain = incidentctl(
        Some(w),
        &["diagnose", "security", "--config", cfg, "-q"],
        &[],
    );
    assert_eq!(plain.code, 1, "{}", plain.stderr);
    let gated = incidentctl(
        Some(w),
        &[
            "diagnose",
            "security",
            "--config",
            cfg,
            "--fail-on",
            "critical",
            "-q",
        ],
        &[],
    );
    assert_eq!(gated.code, 0, "{}", gated.stderr);
    let strict = incidentctl(
        Some(w),
        &[
            "diagnose",
            "security",
            "--config",
            cfg,
            "--fail-on",
            "warning",
            "-q",
        ],
        &[],
    );
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn prometheus_output_passes_promtool_check_metrics() {
    let run = incidentctl(Some(incident()), &["diagnose", "-o", "prometheus"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(run.stdout.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool: {}{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        run.stdout
    );
    assert!(run.stdout.contains("incidentctl_check_status{namespace=\"reconciliation\",check=\"prometheus.error_rate\",runbooks=\"error-rate\"} 2"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("incidentctl_diagnose_severity{namespace=\"reconciliation\"} 2"),
        "{}",
        run.stdout
    );
}

#[test]
fn nagios_output_is_one_plugin_line_with_valid_perfdata() {
    let run = incidentctl(Some(incident()), &["diagnose", "-o", "nagios"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let (text, perf) = lines[0].split_once(" | ").expect("perfdata after ' | '");
    assert!(
        text.starts_with("INCIDENTCTL CRITICAL - 3 critical"),
        "{text}"
    );
    let item =
        regex::Regex::new(r"^'[^'=]+'=-?[0-9.]+(%|s|ms|B|KB|MB|TB|c)?(;[0-9.]*){0,4}$").unwrap();
    let items: Vec<&str> = perf.split(' ').collect();
    assert!(items.len() >= 15, "{perf}");
    for i in &items {
        assert!(
            item.is_match(i),
            "perfdata item {i:?} breaks the plugin guidelines"
        );
    }
    assert!(
        items.contains(&"'prometheus.error_rate'=6.796117%;1;5"),
        "{perf}"
    );
}

#[test]
fn automation_outputs_are_refused_outside_diagnose() {
    let run = incidentctl(None, &["config", "show", "-o", "junit"], &[]);
    assert_eq!(run.code, 64, "{}", run.all());
    assert!(run.stderr.contains("diagnose's outputs"), "{}", run.stderr);
}
