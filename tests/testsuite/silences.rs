//! `silence add | list | expire` against a real Alertmanager of their own (a silence in the
//! shared sandbox would hide alerts from the other tests): the dry run creates nothing, the
//! applied silence is active as Alertmanager's own API shows, the audit log records it, `report
//! close` names it while it is active, and `expire` ends it.

use crate::support::incidentctl;
use incidentctl_sandbox::scenario::{self, Scenario};
use incidentctl_sandbox::servers::Alertmanager;
use serde_json::Value;

struct Setup {
    _dir: tempfile::TempDir,
    alertmanager: Alertmanager,
    env: Vec<(String, String)>,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let alertmanager = Alertmanager::start(&dir.path().join("am")).expect("start alertmanager");
    let now = jiff::Timestamp::now().as_second();
    alertmanager
        .post_alerts(&scenario::alerts(Scenario::Incident, now).to_string())
        .expect("post the incident's alerts");
    let env = vec![
        ("INCIDENTCTL_ALERTMANAGER_URL".into(), alertmanager.url()),
        (
            "INCIDENTCTL_AUDIT_LOG".into(),
            dir.path().join("audit.jsonl").display().to_string(),
        ),
        (
            "INCIDENTCTL_REPORT_STORE".into(),
            dir.path().join("incidents").display().to_string(),
        ),
    ];
    Setup {
        _dir: dir,
        alertmanager,
        env,
    }
}

impl Setup {
    fn run(&self, args: &[&str]) -> crate::support::Run {
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        incidentctl(None, args, &env)
    }

    /// The silences as Alertmanager itself lists them.
    fn silences(&self) -> Vec<Value> {
        let body = self.alertmanager.get("/api/v2/silences").unwrap();
        serde_json::from_str::<Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    fn audit(&self) -> Vec<Value> {
        let path = &self.env[1].1;
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

const ADD: &[&str] = &[
    "silence",
    "add",
    "--matcher",
    "alertname=HighErrorRate",
    "--duration",
    "1h",
    "--comment",
    "fix rolling out",
];

fn with<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    ADD.iter().copied().chain(extra.iter().copied()).collect()
}

#[test]
fn a_silence_is_planned_created_listed_recorded_and_expired() {
    let s = setup();

    // Dry run: the plan names the firing alert it covers; nothing is created.
    let dry = s.run(&with(&["--dry-run"]));
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(
        dry.all()
            .contains("silences 1 alert(s) firing now: HighErrorRate critical"),
        "{}",
        dry.all()
    );
    assert!(s.silences().is_empty(), "a dry run created a silence");

    // No terminal and no --yes: refused, nothing created.
    let refused = s.run(ADD);
    assert_eq!(refused.code, 10, "{}", refused.all());
    assert!(s.silences().is_empty());

    // Bad input: one line naming it, nothing created.
    let bad = s.run(&[
        "silence",
        "add",
        "--matcher",
        "alertname",
        "--comment",
        "x",
        "--yes",
    ]);
    assert_eq!(bad.code, 64, "{}", bad.all());
    assert!(bad.stderr.contains("NAME=VALUE"), "{}", bad.stderr);
    let everything = s.run(&[
        "silence",
        "add",
        "-m",
        "alertname=~.*",
        "--comment",
        "x",
        "--yes",
    ]);
    assert_eq!(everything.code, 64, "{}", everything.all());
    assert!(s.silences().is_empty());

    // Applied for an incident.
    let new = s.run(&[
        "report",
        "new",
        "--title",
        "errors",
        "--severity",
        "sev2",
        "-o",
        "json",
    ]);
    assert_eq!(new.code, 0, "{}", new.all());
    let incident = new.json()["id"].as_str().unwrap().to_string();
    let added = s.run(&with(&["--yes", "--incident", &incident]));
    assert_eq!(added.code, 0, "{}", added.all());
    let silences = s.silences();
    assert_eq!(silences.len(), 1, "{silences:#?}");
    let silence = &silences[0];
    assert_eq!(silence["status"]["state"], "active", "{silence:#}");
    assert_eq!(silence["matchers"][0]["name"], "alertname");
    assert_eq!(silence["matchers"][0]["value"], "HighErrorRate");
    let id = silence["id"].as_str().unwrap().to_string();
    assert!(
        added.stdout.contains(&id),
        "the id is printed: {}",
        added.all()
    );
    assert!(
        added.all().contains("is active"),
        "verified: {}",
        added.all()
    );
    // Alertmanager now holds the alert back.
    let firing: Value = serde_json::from_str(
        &s.alertmanager
            .get("/api/v2/alerts?silenced=false&active=true")
            .unwrap(),
    )
    .unwrap();
    assert!(!firing.to_string().contains("HighErrorRate"), "{firing:#}");

    let audit = s.audit();
    let applied: Vec<&Value> = audit
        .iter()
        .filter(|l| l["action"] == "silence add")
        .collect();
    assert_eq!(
        applied
            .iter()
            .map(|l| l["result"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["dry-run", "refused", "applied"],
        "{audit:#?}"
    );
    assert_eq!(applied[2]["incident"], incident.as_str());
    assert!(applied[2]["details"].to_string().contains(&id));

    let listed = s.run(&["silence", "list", "-o", "json"]);
    assert_eq!(listed.code, 0, "{}", listed.all());
    assert_eq!(listed.json()[0]["id"], id.as_str());

    // Closing the incident names the silence still active, with the command that ends it.
    let closed = s.run(&["report", "close", &incident, "--force", "--reason", "test"]);
    assert_eq!(closed.code, 0, "{}", closed.all());
    assert!(
        closed
            .stderr
            .contains(&format!("incidentctl silence expire {id}")),
        "{}",
        closed.all()
    );

    // Expire: dry run first (still active), then for real.
    let dry = s.run(&["silence", "expire", &id, "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert_eq!(s.silences()[0]["status"]["state"], "active");
    let expired = s.run(&["silence", "expire", &id, "--yes"]);
    assert_eq!(expired.code, 0, "{}", expired.all());
    assert_eq!(s.silences()[0]["status"]["state"], "expired");
    let again = s.run(&["silence", "expire", &id, "--yes"]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.all().contains("already expired"), "{}", again.all());
    let missing = s.run(&[
        "silence",
        "expire",
        "00000000-0000-0000-0000-000000000000",
        "--yes",
    ]);
    assert_eq!(missing.code, 66, "{}", missing.all());
}

/// `report close` offers to expire what the incident silenced: on a terminal it shows the
/// expiry's plan and asks; `--expire-silences` expires without asking; each expiry goes through
/// the change pipeline, so the audit log records it with the incident.
#[test]
fn closing_an_incident_offers_to_expire_its_silences() {
    let s = setup();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let new = s.run(&["report", "new", "--title", "5xx", "--severity", "sev3"]);
        assert_eq!(new.code, 0, "{}", new.all());
        let incident = new.stdout.trim().to_string();
        let added = s.run(&with(&["--yes", "--incident", &incident, "-o", "json"]));
        assert_eq!(added.code, 0, "{}", added.all());
        ids.push((incident, added.json()["details"].to_string()));
    }
    let state = |s: &Setup, incident: &str| -> Vec<String> {
        s.silences()
            .iter()
            .filter(|x| x["comment"].to_string().contains(incident))
            .map(|x| x["status"]["state"].as_str().unwrap().to_string())
            .collect()
    };

    // Without asking.
    let (first, _) = &ids[0];
    let closed = s.run(&[
        "report",
        "close",
        first,
        "--force",
        "--reason",
        "test",
        "--expire-silences",
    ]);
    assert_eq!(closed.code, 0, "{}", closed.all());
    assert_eq!(state(&s, first), ["expired"], "{}", closed.all());

    // On a terminal: the plan, the question, yes.
    let (second, _) = &ids[1];
    let mut terminal = crate::support::Terminal::start(
        &format!("report close {second} --force --reason test"),
        &s.env,
    );
    terminal.wait_for_question();
    terminal.answer("y\n");
    let run = terminal.finish();
    let screen = run.stdout.clone();
    assert_eq!(run.code, 0, "{screen}");
    assert_eq!(state(&s, second), ["expired"], "{screen}");
    let expiries: Vec<Value> = s
        .audit()
        .into_iter()
        .filter(|l| l["action"] == "silence expire" && l["result"] == "applied")
        .collect();
    assert_eq!(expiries.len(), 2, "{expiries:#?}");
    assert_eq!(expiries[0]["incident"], first.as_str());
    assert_eq!(expiries[1]["incident"], second.as_str());
}
