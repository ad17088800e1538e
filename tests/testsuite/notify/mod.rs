//! `report escalate` and `report ack` end to end, on both stores (a directory and a real
//! PostgreSQL): email to a real SMTP server (Debian's aiosmtpd, started here), Slack, PagerDuty
//! and Statuspage through the sandbox's stand-ins, which check the documented request schemas
//! and answer as the real APIs do. Clocks come from INCIDENTCTL_NOW, or from Debian's faketime
//! where an incident must really have been opened in the past.

mod email;
mod exactly_once;
mod policy;

use crate::support::{incidentctl, Run};
use incidentctl_sandbox::pagerduty::{self, PagerDutyStandIn};
use incidentctl_sandbox::slack::{self, SlackStandIn};
use incidentctl_sandbox::smtp::{SmtpOptions, SmtpServer};
use incidentctl_sandbox::statuspage::{self, StatuspageStandIn};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A routing key of the documented length (32 characters).
pub const PD_KEY: &str = "R0UTINGKEY0123456789abcdef012345";
pub const SP_KEY: &str = "sp-api-key-7c1f0e5d";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    Dir,
    Postgres,
}

pub const BOTH: [StoreKind; 2] = [StoreKind::Dir, StoreKind::Postgres];

/// Everything one test talks to: the SMTP server, the stand-ins, a fresh store, a config file.
pub struct Bench {
    pub dir: tempfile::TempDir,
    pub smtp: SmtpServer,
    pub slack: SlackStandIn,
    pub pd: PagerDutyStandIn,
    pub sp: StatuspageStandIn,
    pub store: String,
    pub config: PathBuf,
    // Last: the stand-ins' tasks run on it until they are dropped.
    _rt: tokio::runtime::Runtime,
}

impl Bench {
    pub fn start(kind: StoreKind, smtp: SmtpOptions) -> Bench {
        let dir = tempfile::tempdir().expect("temp dir");
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let smtp = SmtpServer::start(dir.path(), smtp)
            .unwrap_or_else(|e| panic!("the SMTP server could not start: {e}"));
        let (slack, pd, sp) = rt.block_on(async {
            let slack = slack::start(dir.path().join("slack-messages.jsonl")).await;
            let pd = pagerduty::start(dir.path()).await;
            let sp = statuspage::start(dir.path(), SP_KEY).await;
            (slack, pd, sp)
        });
        let store = match kind {
            StoreKind::Dir => dir.path().join("incidents").display().to_string(),
            StoreKind::Postgres => {
                static N: AtomicUsize = AtomicUsize::new(0);
                let db = format!(
                    "notify_{}_{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::SeqCst)
                );
                let pg = crate::report::postgres();
                pg.psql("postgres", &format!("CREATE DATABASE {db}"))
                    .expect("create database");
                pg.superuser_url(&db)
            }
        };
        for (name, value) in [("pd-key", PD_KEY), ("sp-key", SP_KEY)] {
            std::fs::write(dir.path().join(name), format!("{value}\n")).expect("secret file");
        }
        let config = dir.path().join("incidentctl.toml");
        Bench {
            slack: slack.expect("slack stand-in"),
            pd: pd.expect("PagerDuty stand-in"),
            sp: sp.expect("Statuspage stand-in"),
            smtp,
            store,
            config,
            dir,
            _rt: rt,
        }
    }

    /// Every audience routed: email for people (PagerDuty too for the on-call engineers), Slack
    /// for the team, the status page for users. `policy` lines go under [notify.policy].
    pub fn full_config(&self, policy: &str) -> String {
        let d = self.dir.path().display();
        format!(
            r#"[notify.smtp]
url = "{smtp}"
from = "Incidents <incidents@example.com>"

[notify.pagerduty]
url = "{pd}"
routing_key_file = "{d}/pd-key"

[notify.statuspage]
api_url = "{sp}"
page_id = "{page}"
api_key_file = "{d}/sp-key"

[notify.policy]
{policy}

[[notify.route]]
audience = "primary"
email = ["primary@example.com"]
pagerduty = true

[[notify.route]]
audience = "secondary"
email = ["secondary@example.com"]
pagerduty = true

[[notify.route]]
audience = "team-lead"
email = ["lead@example.com"]

[[notify.route]]
audience = "manager"
email = ["em@example.com"]

[[notify.route]]
audience = "executives"
email = ["cto@example.com", "stakeholders@example.com"]

[[notify.route]]
audience = "management"
email = ["management@example.com"]

[[notify.route]]
audience = "partners"
email = ["partners@example.net"]

[[notify.route]]
audience = "team"
slack = true

[[notify.route]]
audience = "status-page"
statuspage = true

[[notify.route]]
audience = "tracker"
email = ["tracker@example.com"]
"#,
            smtp = self.smtp.url("127.0.0.1"),
            pd = self.pd.url(),
            sp = self.sp.api_url(),
            page = statuspage::PAGE_ID,
        )
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(&self.config, text).expect("write the config");
    }

    fn args<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut all = vec![
            "--config",
            self.config.to_str().expect("UTF-8 path"),
            "report",
            "--store",
            &self.store,
        ];
        all.extend_from_slice(args);
        all
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![("SLACK_WEBHOOK_URL".into(), self.slack.webhook_url())]
    }

    /// `incidentctl report …` at `now` (None: the real clock).
    pub fn run(&self, now: Option<&str>, args: &[&str]) -> Run {
        let mut env = self.env();
        if let Some(now) = now {
            env.push(("INCIDENTCTL_NOW".into(), now.into()));
        }
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        incidentctl(None, &self.args(args), &env)
    }

    /// `incidentctl report …` started, not waited for (on the real clock).
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(None, args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start incidentctl")
    }

    /// The command, run through `faketime -f OFFSET` when one is given.
    pub fn command(&self, faketime: Option<&str>, args: &[&str]) -> Command {
        let bin = env!("CARGO_BIN_EXE_incidentctl");
        let mut cmd = match faketime {
            Some(offset) => {
                assert!(
                    std::path::Path::new("/usr/bin/faketime").exists(),
                    "faketime is missing: run scripts/install-deps.sh"
                );
                let mut c = Command::new("/usr/bin/faketime");
                c.args(["-f", offset, bin]);
                c
            }
            None => Command::new(bin),
        };
        cmd.args(self.args(args))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("no-config"))
            .envs(self.env())
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        cmd
    }

    /// An incident opened `offset` ago on the real clock (faketime's `-61m`), its id.
    pub fn open_in_the_past(&self, offset: &str, severity: &str) -> String {
        let out = self
            .command(
                Some(offset),
                &[
                    "new",
                    "--title",
                    "Checkout down — Zahlungsausfall",
                    "--severity",
                    severity,
                ],
            )
            .output()
            .expect("run incidentctl under faketime");
        let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            out.status.success() && stdout.starts_with("INC-"),
            "report new under faketime: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    /// An incident detected and opened at `now` (INCIDENTCTL_NOW), its id.
    pub fn open_at(&self, now: &str, severity: &str) -> String {
        let r = self.run(
            Some(now),
            &[
                "new",
                "--title",
                "Checkout down — Zahlungsausfall",
                "--severity",
                severity,
            ],
        );
        assert_eq!(r.code, 0, "{}", r.all());
        r.stdout.trim().to_string()
    }

    pub fn show(&self, now: Option<&str>, id: &str) -> Value {
        let r = self.run(now, &["show", id, "-o", "json"]);
        assert_eq!(r.code, 0, "{}", r.all());
        r.json()
    }

    /// The timeline entries of notifications, by kind (`notified`, `notify-failed`, …).
    pub fn entries(&self, id: &str, kind: &str) -> Vec<Value> {
        self.show(None, id)["incident"]["timeline"]
            .as_array()
            .expect("a timeline")
            .iter()
            .filter(|e| e["kind"] == kind)
            .cloned()
            .collect()
    }

    /// Messages the SMTP server took for `address`.
    pub fn mail_to(&self, address: &str) -> Vec<Value> {
        self.smtp
            .messages()
            .into_iter()
            .filter(|m| {
                m["rcpt_tos"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|a| a == address))
            })
            .collect()
    }

    /// PagerDuty events the stand-in accepted: (event_action, audience or "").
    pub fn pd_events(&self) -> Vec<(String, String)> {
        self.pd
            .accepted()
            .iter()
            .map(|e| {
                (
                    e["event_action"].as_str().unwrap_or("").to_string(),
                    e["payload"]["custom_details"]["audience"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                )
            })
            .collect()
    }

    pub fn slack_messages(&self) -> Vec<String> {
        std::fs::read_to_string(&self.slack.messages)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Changes the Statuspage stand-in accepted, as "METHOD status" (reads are not counted).
    pub fn statuspage_calls(&self) -> Vec<String> {
        self.sp
            .requests()
            .iter()
            .filter(|r| r["method"] != "GET" && r["status"].as_u64().is_some_and(|s| s < 300))
            .map(|r| {
                format!(
                    "{} {}",
                    r["method"].as_str().unwrap_or(""),
                    r["body"]["incident"]["status"].as_str().unwrap_or("")
                )
            })
            .collect()
    }

    /// Everything every channel received, as counts.
    pub fn totals(&self) -> (usize, usize, usize, usize) {
        (
            self.smtp.messages().len(),
            self.pd.accepted().len(),
            self.slack_messages().len(),
            self.statuspage_calls().len(),
        )
    }
}

/// `T0 + minutes`, RFC 3339.
pub fn at(t0: &str, minutes: i64) -> String {
    let t: jiff::Timestamp = t0.parse().expect("a time");
    t.checked_add(jiff::SignedDuration::from_mins(minutes))
        .expect("in range")
        .to_string()
}
