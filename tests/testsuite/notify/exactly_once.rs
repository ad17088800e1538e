//! Exactly once, across processes: the ladder run by pairs of concurrent processes, a send
//! killed in the middle of SMTP DATA, and a mail server that is down and comes back.

use super::{at, Bench, StoreKind, BOTH};
use incidentctl_sandbox::smtp::SmtpOptions;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// What each audience of a SEV1 an hour old must get, once: the SEV1 notice (primary,
/// management, partners, team, status page) and the ladder (secondary at 15 min, the manager at
/// 30, executives at 60), on each of its channels.
fn expected_ladder() -> BTreeMap<&'static str, usize> {
    BTreeMap::from([
        ("primary@example.com", 1),
        ("secondary@example.com", 1),
        ("em@example.com", 1),
        ("cto@example.com", 1),
        ("stakeholders@example.com", 1),
        ("management@example.com", 1),
        ("partners@example.net", 1),
        ("lead@example.com", 0),
        ("tracker@example.com", 0),
    ])
}

fn ladder(kind: StoreKind, pairs: usize) {
    let b = Bench::start(kind, SmtpOptions::plain());
    b.write_config(&b.full_config(""));
    let id = b.open_in_the_past("-61m", "SEV1");
    let batch = |n: usize| {
        let mut codes = Vec::new();
        for _ in 0..n {
            // Two processes at the same moment.
            let children = [b.spawn(&["escalate", "-q"]), b.spawn(&["escalate", "-q"])];
            for child in children {
                let out = child.wait_with_output().expect("wait for escalate");
                codes.push(out.status.code().unwrap_or(-1));
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(
                    out.status.success(),
                    "escalate on {kind:?} exited {:?}: {stderr}",
                    out.status.code()
                );
            }
        }
        codes
    };
    let started = Instant::now();
    let codes = batch(pairs);
    eprintln!(
        "ladder on {kind:?}: {} runs in {:.1} s",
        codes.len(),
        started.elapsed().as_secs_f64()
    );
    let check = || {
        for (address, n) in expected_ladder() {
            assert_eq!(b.mail_to(address).len(), n, "mail to {address} on {kind:?}");
        }
        let mut pd = b.pd_events();
        pd.sort();
        let want = [("trigger", "primary"), ("trigger", "secondary")]
            .map(|(a, b)| (a.to_string(), b.to_string()));
        assert_eq!(pd, want, "PagerDuty events on {kind:?}");
        assert_eq!(
            b.slack_messages().len(),
            1,
            "Slack messages to the team on {kind:?}"
        );
        assert_eq!(b.statuspage_calls(), ["POST investigating"], "on {kind:?}");
        assert_eq!(b.sp.incidents().len(), 1);
        // One timeline entry per send: one per audience and channel.
        let entries = b.entries(&id, "notified");
        assert_eq!(entries.len(), 10, "on {kind:?}: {entries:#?}");
        assert!(b.entries(&id, "notify-failed").is_empty());
        assert!(b.entries(&id, "notify-unknown").is_empty());
    };
    check();
    let emails = b.smtp.messages().len();
    assert_eq!(
        emails, 6,
        "one email per audience (executives' has two recipients)"
    );
    // A second batch sends nothing.
    batch(pairs);
    check();
    assert_eq!(b.smtp.messages().len(), emails);
}

#[test]
fn the_ladder_from_fifty_pairs_of_concurrent_runs_tells_each_audience_once_in_postgres() {
    ladder(StoreKind::Postgres, 50);
}

#[test]
fn the_ladder_from_concurrent_runs_tells_each_audience_once_in_a_directory() {
    ladder(StoreKind::Dir, 25);
}

/// Only the manager, by email: the minimal config.
fn manager_only(b: &Bench) -> String {
    format!(
        "[notify.smtp]\nurl = \"{}\"\nfrom = \"incidents@example.com\"\n\n[[notify.route]]\naudience = \"manager\"\nemail = [\"em@example.com\"]\n",
        b.smtp.url("127.0.0.1")
    )
}

#[test]
fn a_send_killed_in_the_middle_of_smtp_data_may_have_been_sent_and_is_not_sent_again() {
    for kind in BOTH {
        let b = Bench::start(kind, SmtpOptions::plain());
        b.write_config(&manager_only(&b));
        let id = b.open_in_the_past("-61m", "SEV1");
        b.smtp.stall_data().expect("stall DATA");
        let mut child = b.spawn(&["escalate"]);
        let deadline = Instant::now() + Duration::from_secs(20);
        while !b.smtp.data_stalled() {
            assert!(
                Instant::now() < deadline,
                "escalate never reached DATA on {kind:?}"
            );
            assert!(
                child.try_wait().expect("poll").is_none(),
                "escalate ended before DATA"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        // The whole message is at the server, which has not answered the final dot yet.
        child.kill().expect("SIGKILL escalate");
        let status = child.wait().expect("reap");
        assert!(status.code().is_none(), "killed by a signal: {status:?}");
        b.smtp.release_data();
        std::thread::sleep(Duration::from_millis(300));
        let delivered = b.mail_to("em@example.com").len();
        assert!(delivered <= 1);

        let next = b.run(None, &["escalate", "-o", "json"]);
        assert_eq!(
            next.code,
            12,
            "a send that may have been sent is not all sent: {}",
            next.all()
        );
        let doc = next.json();
        let sends = doc["sends"].as_array().expect("sends");
        assert_eq!(sends.len(), 1, "{doc:#}");
        assert_eq!(sends[0]["result"], "may-have-been-sent", "{doc:#}");
        assert_eq!(sends[0]["audience"], "manager");
        let unknown = b.entries(&id, "notify-unknown");
        assert_eq!(unknown.len(), 1, "{unknown:#?}");
        assert!(unknown[0]["text"]
            .as_str()
            .unwrap()
            .contains("may have been sent"));

        // Not sent again, however often cron runs.
        for _ in 0..3 {
            let r = b.run(None, &["escalate"]);
            assert_eq!(r.code, 0, "{}", r.all());
            assert!(
                r.stderr.contains("may have been sent; not sent again"),
                "{}",
                r.stderr
            );
        }
        assert_eq!(
            b.mail_to("em@example.com").len(),
            delivered,
            "resent on {kind:?}"
        );
        assert_eq!(b.entries(&id, "notify-unknown").len(), 1);
        // Unless asked.
        let resend = b.run(None, &["escalate", "--resend"]);
        assert_eq!(resend.code, 0, "{}", resend.all());
        assert_eq!(b.mail_to("em@example.com").len(), delivered + 1);
        assert_eq!(b.entries(&id, "notified").len(), 1);
    }
}

#[test]
fn a_mail_server_that_is_down_fails_with_12_then_gets_the_message_once_when_back() {
    const T0: &str = "2026-12-02T10:00:00Z";
    for kind in BOTH {
        let mut b = Bench::start(kind, SmtpOptions::plain());
        b.write_config(&b.full_config(""));
        let id = b.open_at(T0, "SEV2");
        b.smtp.stop();
        let first = b.run(Some(&at(T0, 1)), &["escalate", "-o", "json"]);
        assert_eq!(
            first.code,
            12,
            "PagerDuty, Slack and the page took theirs, email failed: {}",
            first.all()
        );
        let doc = first.json();
        let results: Vec<(String, String)> = doc["sends"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["channel"].as_str().unwrap().into(),
                    s["result"].as_str().unwrap().into(),
                )
            })
            .collect();
        for (channel, result) in &results {
            let want = if channel == "email" { "failed" } else { "sent" };
            assert_eq!(result, want, "{channel} on {kind:?}: {doc:#}");
        }
        let failed = b.entries(&id, "notify-failed");
        assert_eq!(
            failed.len(),
            3,
            "primary, team lead, management: {failed:#?}"
        );
        assert!(
            failed[0]["text"]
                .as_str()
                .unwrap()
                .contains("connection refused"),
            "{failed:#?}"
        );
        // Within the backoff, nothing is tried.
        let waiting = b.run(Some(&at(T0, 1)), &["escalate"]);
        assert_eq!(waiting.code, 0, "{}", waiting.all());
        assert!(
            waiting.stderr.contains("tried again after"),
            "{}",
            waiting.stderr
        );
        b.smtp.restart().expect("restart the SMTP server");
        let back = b.run(Some(&at(T0, 3)), &["escalate", "-o", "json"]);
        assert_eq!(back.code, 0, "{}", back.all());
        let resent = back.json()["sends"].as_array().unwrap().len();
        assert_eq!(resent, 3);
        for _ in 0..2 {
            assert_eq!(b.run(Some(&at(T0, 4)), &["escalate"]).code, 0);
        }
        for address in [
            "primary@example.com",
            "lead@example.com",
            "management@example.com",
        ] {
            assert_eq!(b.mail_to(address).len(), 1, "{address} on {kind:?}");
        }
        // PagerDuty, Slack and the page at once, then the 3 emails at their second attempt.
        assert_eq!(b.entries(&id, "notified").len(), 6);
    }
}

#[test]
fn when_no_channel_answers_the_exit_code_is_69() {
    let mut b = Bench::start(StoreKind::Dir, SmtpOptions::plain());
    b.write_config(&manager_only(&b));
    b.open_in_the_past("-31m", "SEV1");
    b.smtp.stop();
    let r = b.run(None, &["escalate"]);
    assert_eq!(r.code, 69, "{}", r.all());
    assert!(r.stdout.contains("failed"), "{}", r.stdout);
    b.smtp.restart().expect("restart");
    // The failure waits for its backoff (a minute): an hour later it goes.
    let later = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_mins(2))
        .unwrap()
        .to_string();
    let r = b.run(Some(&later), &["escalate"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(b.mail_to("em@example.com").len(), 1);
}
