//! Nothing incidentctl prints can take over the engineer's terminal (issue 29). The hostile
//! sandbox has a terminal's control sequences (`CONTROL_PAYLOAD`: OSC, CSI, DCS, BEL,
//! backspace, carriage return, a C1 CSI, a bidi override) in a pod's log line, an event
//! message, a running query's text and an alert's annotation and label; the tests add them to
//! a silence comment and an incident title as people would. Every human output must then hold
//! no control character but newline and tab, and still show the payload's words; JSON keeps
//! the exact text, escaped.

use crate::support::{self, incidentctl, Run};
use incidentctl_sandbox::scenario::{Scenario, CONTROL_PAYLOAD, CONTROL_PAYLOAD_WORDS};
use incidentctl_sandbox::world::World;
use serde_json::Value;
use std::sync::OnceLock;

fn world() -> &'static World {
    static CELL: OnceLock<Result<World, String>> = OnceLock::new();
    support::world(&CELL, Scenario::Hostile)
}

fn run(args: &[&str]) -> Run {
    incidentctl(Some(world()), args, &[])
}

/// What a terminal could act on: every C0 and C1 control character but newline and tab (DEL
/// too), and the invisible formatting characters that reorder or hide text.
fn obeyed(text: &str) -> Vec<(usize, char)> {
    text.char_indices()
        .filter(|&(_, c)| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
        })
        .collect()
}

/// `text` is safe to print and still says what the payload said.
fn assert_shown(what: &str, text: &str, words: usize) {
    let bad = obeyed(text);
    assert!(
        bad.is_empty(),
        "{what}: raw control characters {bad:?} in:\n{text}"
    );
    for word in CONTROL_PAYLOAD_WORDS {
        let seen = text.matches(word).count();
        assert!(
            seen >= words,
            "{what}: {word:?} shown {seen} times, expected {words}:\n{text}"
        );
    }
}

/// A run's stdout and stderr both printable, the payload's words `words` times on stdout.
fn assert_run(what: &str, r: &Run, words: usize) {
    assert_shown(what, &r.stdout, words);
    assert_shown(&format!("{what} (stderr)"), &r.stderr, 0);
}

#[test]
fn diagnose_shows_the_evidence_without_obeying_it() {
    // -v: every evidence line, so each place the payload sits is shown (log line, event,
    // query, alert).
    let table = run(&["diagnose", "-v"]);
    assert_eq!(table.code, 2, "{}", table.all());
    assert_run("diagnose table", &table, 4);
    assert!(
        table.stdout.contains("\\u{1b}]0;pwned-title\\u{7}"),
        "{}",
        table.stdout
    );

    let markdown = run(&["diagnose", "-o", "markdown"]);
    assert_eq!(markdown.code, 2, "{}", markdown.all());
    assert_run("diagnose -o markdown", &markdown, 4);

    // JSON: the exact text, every control character escaped (serde's \u001b, and \u009b and
    // \u202e for what serde leaves raw).
    let json = run(&["diagnose", "-o", "json"]);
    assert_eq!(json.code, 2, "{}", json.all());
    assert!(obeyed(&json.stdout).is_empty(), "{}", json.stdout);
    let doc = json.json();
    let log = support::check(&doc, "k8s.log_errors")["evidence"].to_string();
    let exact = serde_json::to_string(&format!("user-agent={CONTROL_PAYLOAD}")).unwrap();
    assert!(
        log.contains(exact.trim_matches('"')),
        "the log line kept whole in JSON: {log}"
    );
}

#[test]
fn reports_plans_and_slack_show_what_people_typed_without_obeying_it() {
    // An incident titled with the payload: report show, list, render (Markdown) and notify.
    let opened = run(&[
        "report",
        "new",
        "--title",
        CONTROL_PAYLOAD,
        "--severity",
        "sev2",
    ]);
    assert_eq!(opened.code, 0, "{}", opened.all());
    let id = opened.stdout.trim().to_string();
    let noted = run(&["report", "log", &id, CONTROL_PAYLOAD]);
    assert_eq!(noted.code, 0, "{}", noted.all());

    let show = run(&["report", "show", &id]);
    assert_eq!(show.code, 0, "{}", show.all());
    assert_run("report show", &show, 2);
    let list = run(&["report", "list"]);
    assert_eq!(list.code, 0, "{}", list.all());
    assert_run("report list", &list, 1);
    let render = run(&["report", "render", &id]);
    assert_eq!(render.code, 0, "{}", render.all());
    assert_run("report render", &render, 2);
    let html = run(&["report", "render", &id, "--format", "html"]);
    assert_eq!(html.code, 0, "{}", html.all());
    assert_run("report render --format html", &html, 2);

    let notify = run(&["report", "notify", &id]);
    assert_eq!(notify.code, 0, "{}", notify.all());
    assert_run("report notify", &notify, 0);
    let bodies = std::fs::read_to_string(&world().slack.messages).unwrap();
    let body = bodies
        .lines()
        .last()
        .expect("a message reached the Slack stand-in");
    assert!(obeyed(body).is_empty(), "{body}");
    let text = serde_json::from_str::<Value>(body).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert_shown("the Slack message", &text, 2);

    // A silence whose comment is the payload, then the list.
    let added = run(&[
        "silence",
        "add",
        "-m",
        "alertname=HighLatencyP95",
        "--duration",
        "1h",
        "--comment",
        CONTROL_PAYLOAD,
        "--yes",
    ]);
    assert_eq!(added.code, 0, "{}", added.all());
    assert_run("silence add --yes", &added, 0);
    let listed = run(&["silence", "list"]);
    assert_eq!(listed.code, 0, "{}", listed.all());
    assert_run("silence list", &listed, 1);

    // A plan table quoting the payload's query (cut to 100 characters: its first words).
    let plan = run(&["db", "kill-queries", "--older-than", "1s", "--dry-run"]);
    assert_eq!(plan.code, 0, "{}", plan.all());
    assert!(obeyed(&plan.all()).is_empty(), "{}", plan.all());
    for word in &CONTROL_PAYLOAD_WORDS[..3] {
        assert!(plan.stdout.contains(word), "{word}: {}", plan.stdout);
    }

    // Errors quote what was typed: shown, not obeyed.
    let missing = run(&["report", "show", &format!("INC-{CONTROL_PAYLOAD}")]);
    assert_ne!(missing.code, 0, "{}", missing.all());
    assert_shown("an error", &missing.stderr, 1);
}
