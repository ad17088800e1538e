//! The post-mortem writes itself, on the `bad-rollout` sandbox, as a new user would get there:
//! `report new --from-diagnose`, `rollback backend --yes`, the recovery (the live metrics see
//! the old image again and the 5xx rate falls; the 5-minute rate window takes about five
//! minutes to show it), `report status … resolved`, `report render` and `--format html`.
//! Every figure is compared with the scenario's own timeline (`bad_rollout::Timeline`), which
//! the backfill, the live scrape and this test's truth share; the HTML page is rendered by a
//! real headless chromium.

use crate::support::{incidentctl, world, Run};
use incidentctl_sandbox::scenario::Scenario;
use incidentctl_sandbox::world::World;
use serde_json::Value;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One scrape step of the sandbox's Prometheus: how close each time must be to the truth.
const SCRAPE_STEP: f64 = incidentctl_sandbox::bad_rollout::STEP as f64;

fn bad_rollout() -> &'static World {
    static CELL: OnceLock<Result<World, String>> = OnceLock::new();
    world(&CELL, Scenario::BadRollout)
}

fn run(w: &World, args: &[&str], id: &str) -> Run {
    let r = incidentctl(Some(w), args, &[("INCIDENTCTL_INCIDENT", id)]);
    assert!(
        r.code == 0 || args[0] == "diagnose",
        "{args:?} exited {}: {}",
        r.code,
        r.stderr
    );
    r
}

fn secs(v: &Value) -> f64 {
    let t: jiff::Timestamp = v
        .as_str()
        .unwrap_or_else(|| panic!("not a time: {v}"))
        .parse()
        .unwrap_or_else(|e| panic!("{v}: {e}"));
    t.as_millisecond() as f64 / 1000.0
}

/// Waits (real time) until the error-rate check is ok again: the recovery as Prometheus sees it.
fn wait_for_recovery(w: &World) {
    let deadline = Instant::now() + Duration::from_secs(9 * 60);
    loop {
        let r = incidentctl(
            Some(w),
            &["diagnose", "--check", "prometheus.error_rate", "-o", "json"],
            &[],
        );
        if r.code == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the 5xx rate never recovered: {}",
            r.stdout
        );
        std::thread::sleep(Duration::from_secs(10));
    }
}

/// A second apart at least, so the five stamps can differ.
fn tick() {
    std::thread::sleep(Duration::from_millis(1100));
}

#[test]
fn after_a_bad_rollout_the_postmortem_writes_itself_from_the_evidence() {
    let w = bad_rollout();
    let truth = w.bad_rollout.clone().expect("the bad-rollout timeline");

    let id = run(
        w,
        &["report", "new", "--title", "API 5xx", "--from-diagnose"],
        "",
    )
    .stdout
    .trim()
    .to_string();
    // Before anything is confirmed: the rollout of revision 2 is the first suspect.
    let md = run(w, &["report", "render", &id], &id).stdout;
    let root = section(&md, "## Root Cause");
    assert!(root.contains("Suspected, not confirmed"), "{root}");
    let first = root
        .lines()
        .find(|l| l.starts_with("1. "))
        .unwrap_or_default();
    assert!(
        first.starts_with("1. backend revision 2 rolled out (rollout, 12m"),
        "{root}"
    );
    assert!(
        first.contains("env LOG_LEVEL of backend changed"),
        "{first}"
    );
    assert!(
        first.contains("incidentctl rollback backend --to-revision 1"),
        "{first}"
    );
    assert!(
        !md.contains("debug"),
        "an environment value is never shown: {md}"
    );
    tick();
    run(w, &["report", "cause", "accept", &id, "1"], &id);
    tick();
    // Applied and verified (exit 0, else `run` fails): the audit log says so below.
    run(w, &["rollback", "backend", "--yes"], &id);
    wait_for_recovery(w);
    tick();
    run(w, &["report", "status", &id, "resolved"], &id);

    let shown = run(w, &["report", "show", &id, "-o", "json"], &id).json();
    let impact = &shown["impact"];
    assert_eq!(impact["unknown"], Value::Null, "{impact:#}");
    let onset = secs(&impact["onset"]);
    let recovery = secs(&impact["recovery"]);
    let recovered = truth
        .recovered_at()
        .expect("the live metrics saw the rollback");
    // Onset, duration and time to mitigate within one scrape step of the truth.
    assert!(
        (onset - truth.onset as f64).abs() < SCRAPE_STEP,
        "onset {onset} vs truth {}",
        truth.onset
    );
    assert!(
        (recovery - recovered).abs() < SCRAPE_STEP,
        "recovery {recovery} vs truth {recovered}"
    );
    // The duration is from that onset to that recovery; each end is within a step of the
    // truth, so the duration within two (one step each way was seen: 478 s for 499.8 s).
    let duration = impact["duration_s"].as_f64().unwrap();
    assert!(
        (duration - (recovery - onset)).abs() <= 1.0,
        "duration {duration} vs recovery - onset {}",
        recovery - onset
    );
    let true_duration = recovered - truth.onset as f64;
    assert!(
        (duration - true_duration).abs() < 2.0 * SCRAPE_STEP,
        "duration {duration} vs truth {true_duration}"
    );
    // Failed requests within 1 % of what the seeded series give between the same two times.
    let failed = impact["requests_failed"].as_f64().unwrap();
    let expected = truth.app_failed_between(onset, recovery);
    assert!(
        (failed - expected).abs() <= 0.01 * expected,
        "failed {failed} vs the series' {expected}"
    );
    let total = impact["requests_total"].as_f64().unwrap();
    let expected_total = truth.app_total_between(onset, recovery);
    assert!((total - expected_total).abs() <= 0.01 * expected_total);
    assert!(impact["queries"].as_array().is_some_and(|q| q.len() >= 4));
    eprintln!(
        "bad-rollout: failed {failed} vs {expected:.0} ({:+.3}%), onset {:+.1}s, recovery {:+.1}s, duration {:+.1}s",
        (failed - expected) / expected * 100.0,
        onset - truth.onset as f64,
        recovery - recovered,
        duration - true_duration
    );

    let md = run(w, &["report", "render", &id], &id).stdout;
    let impact_md = section(&md, "## Impact");
    assert!(
        impact_md.contains("- Services affected: backend ("),
        "{impact_md}"
    );
    assert!(
        impact_md.contains("- Deployments affected: backend ("),
        "{impact_md}"
    );
    assert!(impact_md.contains("- Users affected: unknown: set impact.users_query"));
    assert!(
        impact_md.contains(&format!("- Time to mitigate: {}", fmt_age(duration))),
        "{impact_md}"
    );
    let root = section(&md, "## Root Cause");
    assert!(
        root.starts_with("backend revision 2 rolled out (rollout)"),
        "{root}"
    );
    assert!(root.contains("Also considered:"), "{root}");
    let resolution = section(&md, "## Resolution");
    let line = resolution
        .lines()
        .find(|l| l.contains("deployment/backend in reconciliation from revision 2 to the pod template of revision 1"))
        .unwrap_or_else(|| panic!("no rollback in {resolution}"));
    assert!(line.starts_with("- [20"), "with its time: {line}");
    assert!(line.ends_with(": applied, verified"), "{line}");
    stamps_differ_and_are_right(&md, &shown);
    html_renders_in_chromium(w, &id);
}

fn fmt_age(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

/// The text of a `## ` section, without its heading.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading} in {md}"))
        + heading.len();
    let rest = &md[start..];
    rest[..rest.find("\n## ").unwrap_or(rest.len())].trim()
}

fn stamps_differ_and_are_right(md: &str, shown: &Value) {
    let timeline = section(md, "## Timeline");
    let stamp = |what: &str| -> String {
        let line = timeline
            .lines()
            .find(|l| l.contains(&format!("] - {what}")))
            .unwrap_or_else(|| panic!("no {what} in {timeline}"));
        line[3..line.find(']').unwrap()].to_string()
    };
    let names = [
        "Incident detected",
        "Investigation started",
        "Root cause identified",
        "Resolution implemented",
        "Incident resolved",
    ];
    let shown_stamps: Vec<String> = names.iter().map(|n| stamp(n)).collect();
    let mut sorted = shown_stamps.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), 5, "the stamps differ: {shown_stamps:?}");
    let mut ordered = shown_stamps.clone();
    ordered.sort();
    assert_eq!(ordered, shown_stamps, "in the order things happened");
    let utc = |v: &Value| {
        let t: jiff::Timestamp = v.as_str().unwrap().parse().unwrap();
        t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
    };
    let s = &shown["stamps"];
    assert_eq!(
        shown_stamps[0],
        utc(&shown["impact"]["onset"]),
        "detected = onset"
    );
    assert_eq!(shown_stamps[0], utc(&s["detected"][0]));
    let diagnosed = shown["incident"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "diagnose")
        .unwrap();
    assert_eq!(
        shown_stamps[1],
        utc(&diagnosed["at"]),
        "investigation = first diagnosis"
    );
    assert_eq!(shown_stamps[2], utc(&shown["incident"]["root_cause_at"]));
    let rollback = shown["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "rollback")
        .unwrap();
    assert_eq!(
        shown_stamps[3],
        utc(&rollback["at"]),
        "resolution = the rollback"
    );
    assert_eq!(shown_stamps[4], utc(&shown["incident"]["resolved_at"]));
}

fn html_renders_in_chromium(w: &World, id: &str) {
    let html = run(w, &["report", "render", id, "--format", "html"], id).stdout;
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    assert!(html.contains("<svg"), "the picture is inside the page");
    assert!(
        !html.contains("<img") && !html.contains("src="),
        "self-contained"
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("postmortem.html");
    std::fs::write(&page, &html).unwrap();
    let png = dir.path().join("postmortem.png");
    let url = format!("file://{}", page.display());
    let chromium = |args: &[&str]| {
        std::process::Command::new("chromium")
            .args(["--headless", "--no-sandbox", "--disable-gpu"])
            .args(args)
            .arg(&url)
            .output()
            .unwrap_or_else(|e| {
                panic!("chromium could not run (scripts/install-deps.sh installs it): {e}")
            })
    };
    let dom = chromium(&["--dump-dom"]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("5xx error rate (%)"),
        "the browser parsed the picture"
    );
    assert!(dom.contains("Incident Report: "), "{dom}");
    let shot = chromium(&[
        "--window-size=1200,2600",
        &format!("--screenshot={}", png.display()),
    ]);
    let bytes = std::fs::read(&png).unwrap_or_else(|e| {
        panic!(
            "no screenshot ({e}): {}",
            String::from_utf8_lossy(&shot.stderr)
        )
    });
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(
        bytes.len() > 50_000,
        "a page with text and a chart: {} bytes",
        bytes.len()
    );
    if let Some(keep) = std::env::var_os("INCIDENTCTL_KEEP_SCREENSHOT") {
        let _ = std::fs::copy(&png, keep);
    }
}
