//! The policy as it runs: business hours in a time zone, a severity raised, acknowledgement and
//! resolution reaching PagerDuty, the dry run, the minimal config as written, and the
//! doctor's and `config show`'s view of the routes.

use super::{at, Bench, StoreKind, BOTH, PD_KEY, SP_KEY};
use incidentctl_sandbox::http_standin::Scripted;
use incidentctl_sandbox::smtp::SmtpOptions;
use std::collections::BTreeSet;

/// 23:00 in Berlin on Wednesday 2 December 2026 (22:00 UTC).
const NIGHT: &str = "2026-12-02T22:00:00Z";
/// 09:00 in Berlin the next morning.
const MORNING: &str = "2026-12-03T08:00:00Z";

#[test]
fn a_sev3_at_night_waits_for_business_hours_then_a_raise_and_the_resolution_reach_everyone_once() {
    for kind in BOTH {
        let b = Bench::start(kind, SmtpOptions::plain());
        b.write_config(&b.full_config("time_zone = \"Europe/Berlin\""));
        let id = b.open_at(NIGHT, "SEV3");
        for now in [NIGHT.to_string(), at(NIGHT, 300), at(MORNING, -1)] {
            let r = b.run(Some(&now), &["escalate"]);
            assert_eq!(r.code, 0, "{}", r.all());
            assert!(
                r.stderr
                    .contains("waits for business hours (2026-12-03 08:00 UTC)"),
                "at {now}: {}",
                r.stderr
            );
            assert_eq!(
                b.totals(),
                (0, 0, 0, 0),
                "nothing before business hours on {kind:?}"
            );
        }
        let r = b.run(Some(MORNING), &["escalate"]);
        assert_eq!(r.code, 0, "{}", r.all());
        assert_eq!(
            b.totals(),
            (0, 0, 1, 0),
            "the team, on Slack, at 09:00 on {kind:?}"
        );
        assert!(b.slack_messages()[0].contains("[SEV3]"));

        // Raised to SEV1: its audiences hear it once (the team too: it is news to them).
        let raise = b.run(
            Some(&at(MORNING, 5)),
            &["severity", &id, "SEV1", "--reason", "payments down"],
        );
        assert_eq!(raise.code, 0, "{}", raise.all());
        for _ in 0..2 {
            assert_eq!(b.run(Some(&at(MORNING, 6)), &["escalate"]).code, 0);
        }
        for address in [
            "primary@example.com",
            "management@example.com",
            "partners@example.net",
        ] {
            let mail = b.mail_to(address);
            let subjects: Vec<&str> = mail
                .iter()
                .map(|m| m["subject"].as_str().unwrap())
                .collect();
            assert_eq!(subjects.len(), 1, "{address} on {kind:?}: {subjects:?}");
            assert!(
                subjects[0].starts_with(&format!("[SEV1] {id} raised from SEV3")),
                "{subjects:?}"
            );
        }
        // Detected ten hours ago: the whole ladder is due at once.
        for address in ["secondary@example.com", "em@example.com", "cto@example.com"] {
            assert_eq!(b.mail_to(address).len(), 1, "{address} on {kind:?}");
        }
        assert_eq!(b.slack_messages().len(), 2);
        assert!(b.slack_messages()[1].contains("raised from SEV3"));
        assert_eq!(b.statuspage_calls(), ["POST investigating"]);
        assert_eq!(b.pd_events().len(), 2, "primary and secondary triggered");

        // Acknowledged: PagerDuty hears it once, from `report ack`.
        let ack = b.run(Some(&at(MORNING, 8)), &["ack", &id]);
        assert_eq!(ack.code, 0, "{}", ack.all());
        assert!(
            ack.stderr.contains("PagerDuty acknowledged"),
            "{}",
            ack.stderr
        );
        assert_eq!(b.run(Some(&at(MORNING, 9)), &["escalate"]).code, 0);
        let acks: Vec<_> = b
            .pd_events()
            .into_iter()
            .filter(|(a, _)| a == "acknowledge")
            .collect();
        assert_eq!(acks.len(), 2, "one per triggered PagerDuty route: {acks:?}");

        // Resolved: the resolution to everyone told, on each channel that told them, and a
        // PagerDuty resolve with the incident's id as dedup_key.
        assert_eq!(
            b.run(Some(&at(MORNING, 40)), &["status", &id, "resolved"])
                .code,
            0
        );
        let before = b.totals();
        for _ in 0..2 {
            let r = b.run(Some(&at(MORNING, 41)), &["escalate"]);
            assert_eq!(r.code, 0, "{}", r.all());
        }
        let after = b.totals();
        assert_eq!(
            after.0 - before.0,
            6,
            "primary, secondary, manager, executives, management, partners"
        );
        assert_eq!(after.2 - before.2, 1, "the team on Slack");
        assert_eq!(
            b.statuspage_calls().last().map(String::as_str),
            Some("PATCH resolved")
        );
        let resolves: Vec<_> =
            b.pd.accepted()
                .into_iter()
                .filter(|e| e["event_action"] == "resolve")
                .collect();
        assert_eq!(resolves.len(), 2, "{resolves:#?}");
        assert!(resolves.iter().all(|e| e["dedup_key"] == id.as_str()));
        assert!(b.mail_to("em@example.com").last().unwrap()["subject"]
            .as_str()
            .unwrap()
            .contains("resolved"));
        assert_eq!(
            b.sp.incidents().values().next().unwrap()["status"],
            "resolved"
        );
    }
}

#[test]
fn the_status_update_every_half_hour_goes_to_those_told_with_the_summary() {
    const T0: &str = "2026-12-02T10:00:00Z";
    let b = Bench::start(StoreKind::Postgres, SmtpOptions::plain());
    b.write_config(&b.full_config(""));
    let id = b.open_at(T0, "SEV2");
    let set = b.run(
        Some(&at(T0, 2)),
        &[
            "set",
            &id,
            "--summary",
            "DB pool exhausted by a stuck export",
        ],
    );
    assert_eq!(set.code, 0, "{}", set.all());
    let updates = |minute: i64| -> Vec<String> {
        let r = b.run(Some(&at(T0, minute)), &["escalate", "-o", "json"]);
        assert_eq!(r.code, 0, "{}", r.all());
        r.json()["sends"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["step"].as_str().unwrap().starts_with("update-"))
            .map(|s| format!("{}/{}/{}", s["step"], s["audience"], s["channel"]).replace('"', ""))
            .collect()
    };
    assert!(
        updates(1).is_empty(),
        "the opening is not followed by an update at once"
    );
    assert!(updates(29).is_empty());
    let first = updates(31);
    assert_eq!(
        first,
        [
            "update-1/management/email",
            "update-1/team/slack",
            "update-1/status-page/statuspage"
        ]
    );
    assert!(updates(45).is_empty(), "once per interval");
    assert_eq!(updates(61).len(), 3, "the next interval's");
    let mail = b.mail_to("management@example.com");
    let update = mail
        .iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .unwrap()
                .contains("update (investigating)")
        })
        .expect("the update email");
    assert!(
        update["body"]
            .as_str()
            .unwrap()
            .contains("Summary: DB pool exhausted by a stuck export"),
        "{update:#}"
    );
    assert_eq!(
        b.statuspage_calls(),
        [
            "POST investigating",
            "PATCH investigating",
            "PATCH investigating"
        ]
    );
    // The update clock of `report list` follows the updates sent.
    let clocks = &b.show(Some(&at(T0, 62)), &id)["clocks"];
    assert_eq!(clocks["next_update_due"], at(T0, 91), "{clocks:#}");
}

#[test]
fn a_dry_run_lists_exactly_what_a_run_sends_and_sends_nothing() {
    const T0: &str = "2026-12-02T10:00:00Z";
    for kind in BOTH {
        let b = Bench::start(kind, SmtpOptions::plain());
        b.write_config(&b.full_config(""));
        let id = b.open_at(T0, "SEV1");
        let now = at(T0, 61);
        let dry = b.run(Some(&now), &["escalate", "--dry-run", "-o", "json"]);
        assert_eq!(dry.code, 0, "{}", dry.all());
        let planned: BTreeSet<String> = dry.json()["sends"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                assert_eq!(s["result"], "would-send");
                format!("{}/{}/{}", s["step"], s["audience"], s["channel"])
            })
            .collect();
        assert_eq!(planned.len(), 10, "{planned:#?}");
        let text = b.run(Some(&now), &["escalate", "--dry-run"]);
        assert!(
            text.stderr
                .contains("dry run: 10 send(s) would go out; nothing was sent"),
            "{}",
            text.stderr
        );
        assert_eq!(
            b.totals(),
            (0, 0, 0, 0),
            "a dry run sends nothing on {kind:?}"
        );
        assert!(
            b.entries(&id, "notified").is_empty(),
            "a dry run records nothing"
        );
        let real = b.run(Some(&now), &["escalate", "-o", "json"]);
        assert_eq!(real.code, 0, "{}", real.all());
        let sent: BTreeSet<String> = real.json()["sends"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                assert_eq!(s["result"], "sent", "{s:#}");
                format!("{}/{}/{}", s["step"], s["audience"], s["channel"])
            })
            .collect();
        assert_eq!(sent, planned);
        let (mail, pd, slack, page) = b.totals();
        assert_eq!(mail + pd + slack + page, 10);
        let after = b.run(Some(&now), &["escalate", "--dry-run", "-o", "json"]);
        assert_eq!(after.json()["sends"].as_array().unwrap().len(), 0);
    }
}

#[test]
fn pagerduty_answers_are_read_as_the_api_means_them() {
    const T0: &str = "2026-12-02T10:00:00Z";
    let b = Bench::start(StoreKind::Dir, SmtpOptions::plain());
    let config = format!(
        "[notify.pagerduty]\nurl = \"{}\"\nrouting_key_file = \"{}/pd-key\"\n\n[[notify.route]]\naudience = \"primary\"\npagerduty = true\n",
        b.pd.url(),
        b.dir.path().display()
    );
    b.write_config(&config);
    let id = b.open_at(T0, "SEV1");
    // 429 with Retry-After: not taken; tried again no sooner than it says.
    b.pd.then(Scripted::RateLimited {
        retry_after_secs: 300,
    });
    let r = b.run(Some(&at(T0, 1)), &["escalate", "-o", "json"]);
    assert_eq!(r.code, 12, "{}", r.all());
    assert_eq!(r.json()["sends"][0]["result"], "failed");
    assert!(r.json()["sends"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("HTTP 429"));
    let early = b.run(Some(&at(T0, 5)), &["escalate"]);
    assert!(
        early
            .stderr
            .contains("tried again after 2026-12-02 10:06 UTC"),
        "{}",
        early.stderr
    );
    assert!(b.pd.accepted().is_empty());
    // 202 with the dedup key: taken, once.
    let r = b.run(Some(&at(T0, 7)), &["escalate", "-o", "json"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let events = b.pd.accepted();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["dedup_key"], id.as_str());
    assert_eq!(events[0]["payload"]["severity"], "critical");
    assert_eq!(events[0]["routing_key"], PD_KEY);
    // A routing key of the wrong length: 400 "invalid event", not taken; the key never shows.
    std::fs::write(b.dir.path().join("pd-key"), "short-key\n").unwrap();
    let id2 = b.open_at(&at(T0, 8), "SEV2");
    let r = b.run(Some(&at(T0, 9)), &["escalate", id2.as_str(), "-o", "json"]);
    assert_eq!(r.code, 12, "{}", r.all());
    let detail = r.json()["sends"][0]["detail"].as_str().unwrap().to_string();
    assert!(
        detail.contains("HTTP 400") && detail.contains("routing_key"),
        "{detail}"
    );
    assert!(!r.all().contains("short-key"), "{}", r.all());
    assert_eq!(b.pd.accepted().len(), 1);
}

/// The minimal config, as examples/incidentctl.toml documents it (commented there, so
/// the file states the defaults), must work as written.
#[test]
fn the_minimal_config_works_as_written() {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/incidentctl.toml"
    ))
    .unwrap();
    let start = example
        .find("# [notify.smtp]")
        .expect("the minimal config in the example");
    let block: String = example[start..]
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.strip_prefix("# ").unwrap_or(l.trim_start_matches('#')))
        .collect::<Vec<_>>()
        .join("\n");
    let written = "[notify.smtp]\nurl = \"smtp://127.0.0.1:2525\"      # smtps:// for implicit TLS\nfrom = \"incidents@example.com\"\n\n[[notify.route]]\naudience = \"manager\"                # primary, secondary, team-lead, manager, executives, ...\nemail = [\"em@example.com\"]";
    assert_eq!(
        block.trim(),
        written,
        "examples/incidentctl.toml must hold the issue's minimal config as written"
    );
    for kind in BOTH {
        let b = Bench::start(kind, SmtpOptions::plain());
        // Only the port differs: 2525 may be taken on a machine running tests in parallel.
        b.write_config(&written.replace("2525", &b.smtp.port.to_string()));
        let id = b.open_in_the_past("-31m", "SEV1");
        let r = b.run(None, &["escalate"]);
        assert_eq!(r.code, 0, "{}", r.all());
        let mail = b.mail_to("em@example.com");
        assert_eq!(mail.len(), 1, "on {kind:?}");
        assert_eq!(mail[0]["from"], "incidents@example.com");
        assert!(mail[0]["subject"]
            .as_str()
            .unwrap()
            .contains(&format!("{id} unresolved after 30 min")));
        assert!(
            r.stderr
                .contains("not told (no [[notify.route]] for them): management, partners, primary"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn doctor_and_config_show_the_routes_and_the_doctor_sends_nothing() {
    let b = Bench::start(StoreKind::Dir, SmtpOptions::plain());
    b.write_config(&b.full_config(""));
    let cfg = b.config.to_str().unwrap();
    let env = [("SLACK_WEBHOOK_URL", b.slack.webhook_url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let doctor =
        crate::support::incidentctl(None, &["--config", cfg, "doctor", "-o", "json"], &env);
    let rows: Vec<serde_json::Value> = doctor
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["area"] == "notify")
        .cloned()
        .collect();
    let requirements: Vec<&str> = rows
        .iter()
        .map(|r| r["requirement"].as_str().unwrap())
        .collect();
    for want in [
        "primary by email (primary@example.com)",
        "primary by pagerduty (PagerDuty service)",
        "team by slack (Slack webhook)",
        "status-page by statuspage (status page)",
        "executives by email (cto@example.com, stakeholders@example.com)",
    ] {
        assert!(
            requirements.contains(&want),
            "{want} missing: {requirements:#?}"
        );
    }
    for r in &rows {
        assert_eq!(r["status"], "ok", "{r:#}");
    }
    assert_eq!(b.totals(), (0, 0, 0, 0), "the doctor sends nothing");
    assert!(!doctor.all().contains(PD_KEY) && !doctor.all().contains(SP_KEY));
    // A route that cannot work is critical, with the fix.
    let mut broken = b.full_config("");
    broken = broken.replace(
        &b.smtp.url("127.0.0.1"),
        &format!("smtp://127.0.0.1:{}", crate::support::closed_port()),
    );
    b.write_config(&broken);
    let doctor =
        crate::support::incidentctl(None, &["--config", cfg, "doctor", "-o", "json"], &env);
    let manager = doctor
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == "manager by email (em@example.com)")
        .cloned()
        .unwrap();
    assert_eq!(manager["status"], "critical", "{manager:#}");
    assert!(
        manager["detail"]
            .as_str()
            .unwrap()
            .contains("connection refused"),
        "{manager:#}"
    );

    let show = crate::support::incidentctl(
        None,
        &["--config", cfg, "config", "show", "-o", "json"],
        &env,
    );
    assert_eq!(show.code, 0, "{}", show.all());
    let notify = &show.json()["notify"];
    assert_eq!(notify["route"].as_array().unwrap().len(), 10);
    assert_eq!(notify["pagerduty"]["routing_key"], "<redacted>");
    assert_eq!(notify["policy"]["escalation"][1]["after"], "30m");
    assert!(!show.all().contains(PD_KEY) && !show.all().contains(SP_KEY));
}

#[test]
fn routes_that_cannot_work_are_configuration_errors_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    for (text, says) in [
        ("[[notify.route]]\naudience = \"manager\"\nemail = [\"em@example.com\"]\n", "notify.route[0]: email needs [notify.smtp]"),
        ("[notify.smtp]\nurl = \"smtp://h:25\"\nfrom = \"x@example.com\"\n[[notify.route]]\naudience = \"manager\"\nemail = [\"not an address\"]\n", "notify.route[0].email: 'not an address' is not an email address"),
        ("[[notify.route]]\naudience = \"cto\"\nslack = true\n", "unknown variant `cto`"),
        ("[[notify.route]]\naudience = \"team\"\nslack = true\n", "slack = true needs report.slack_webhook or SLACK_WEBHOOK_URL"),
        ("[[notify.route]]\naudience = \"primary\"\npagerduty = true\n", "no routing key"),
        ("[notify.smtp]\nurl = \"http://h\"\nfrom = \"x@example.com\"\n", "notify.smtp.url"),
        ("[notify.policy]\ntime_zone = \"Mars/Olympus\"\n", "notify.policy.time_zone"),
        ("[notify.policy]\nbusiness_hours = \"17:00-09:00\"\n", "notify.policy.business_hours"),
        ("[[notify.policy.escalation]]\nafter = \"90s\"\naudiences = [\"manager\"]\n", "not a whole number of minutes"),
        ("[notify.smtp]\nurl = \"smtp://u:pw@h:25\"\nfrom = \"x@example.com\"\nstarttls = \"never\"\n", "clear text"),
    ] {
        std::fs::write(&path, text).unwrap();
        let r = crate::support::incidentctl(None, &["--config", path.to_str().unwrap(), "config", "show"], &[]);
        assert_eq!(r.code, 78, "{text}: {}", r.all());
        assert!(r.stderr.contains(says), "{text}: {}", r.stderr);
        assert!(!r.stderr.contains(":pw@"), "{}", r.stderr);
    }
    // Without any route, escalate says so (exit 78) rather than doing nothing quietly.
    std::fs::write(&path, "").unwrap();
    let store = dir.path().join("s").display().to_string();
    let r = crate::support::incidentctl(
        None,
        &[
            "--config",
            path.to_str().unwrap(),
            "report",
            "--store",
            &store,
            "escalate",
        ],
        &[],
    );
    assert_eq!(r.code, 78, "{}", r.all());
}
