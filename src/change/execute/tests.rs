//! Every path of a change through `execute`, with a scripted action, a scripted terminal and a
//! console printing into memory: what is printed, what is applied, what is recorded.

use super::*;
use crate::change::{Change, Confirm, Undo};
use crate::output::console::{Capture, Console, Prompter};
use crate::output::scripted::{terminal, Scripted};
use crate::settings::Verbosity;
use crate::types::failure::Cause;
use crate::types::output::OutputFormat;
use serde_json::Value;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

type Script<T> = Box<dyn Fn() -> Result<T> + Send + Sync>;

/// An action whose every step answers from a script, counting its calls.
struct Fake {
    plan: Plan,
    validate: Script<Option<String>>,
    apply: Script<Applied>,
    verify: Script<Vec<String>>,
    verifies: bool,
    /// Interrupts sent while applying (Ctrl-C pressed that many times).
    interrupts_while_applying: usize,
    interrupt: Arc<Notify>,
    calls: Arc<Calls>,
}

#[derive(Default)]
struct Calls {
    validate: AtomicUsize,
    apply: AtomicUsize,
    verify: AtomicUsize,
}

impl Calls {
    fn counts(&self) -> (usize, usize, usize) {
        (
            self.validate.load(Ordering::SeqCst),
            self.apply.load(Ordering::SeqCst),
            self.verify.load(Ordering::SeqCst),
        )
    }
}

impl Action for Fake {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn validate(&self, _ctx: &Context) -> Result<Option<String>> {
        self.calls.validate.fetch_add(1, Ordering::SeqCst);
        (self.validate)()
    }

    async fn apply(&self, _ctx: &Context) -> Result<Applied> {
        self.calls.apply.fetch_add(1, Ordering::SeqCst);
        for _ in 0..self.interrupts_while_applying {
            self.interrupt.notify_one();
            // The change is still under way when the interrupt is seen.
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        (self.apply)()
    }

    async fn verify(&self, _ctx: &Context, _timeout: Duration) -> Result<Vec<String>> {
        self.calls.verify.fetch_add(1, Ordering::SeqCst);
        (self.verify)()
    }

    fn verifies(&self) -> bool {
        self.verifies
    }
}

fn a_plan(confirm: Confirm) -> Plan {
    let mut plan = Plan::new(
        "scale",
        "deployment/backend in payments",
        "scale deployment/backend from 3 to 5",
    );
    plan.changes
        .push(Change::new("deployment/backend", "replicas").was_now("3", "5"));
    plan.confirm = confirm;
    plan.undo = Undo::command(["incidentctl", "scale", "backend", "--replicas", "3"]);
    plan
}

fn fake(plan: Plan) -> Fake {
    Fake {
        plan,
        validate: Box::new(|| {
            Ok(Some(
                "(server dry run) the API server accepted the change".into(),
            ))
        }),
        apply: Box::new(|| {
            Ok(Applied::done(vec![
                "deployment/backend scaled from 3 to 5".into()
            ]))
        }),
        verify: Box::new(|| {
            Ok(vec![
                "deployment/backend: rollout complete, 5/5 available".into()
            ])
        }),
        verifies: true,
        interrupts_while_applying: 0,
        interrupt: Arc::new(Notify::new()),
        calls: Arc::default(),
    }
}

/// One run of `execute` and everything it left behind.
struct Run {
    result: Result<ExitCode>,
    out: crate::output::console::Captured,
    audit: Vec<Value>,
    calls: (usize, usize, usize),
}

impl Run {
    fn code(&self) -> ExitCode {
        match &self.result {
            Ok(code) => *code,
            Err(e) => e.exit_code(),
        }
    }

    /// The one audit line this run wrote.
    fn record(&self) -> &Value {
        assert_eq!(self.audit.len(), 1, "{:?}", self.audit);
        &self.audit[0]
    }

    /// The exit code, the (validate, apply, verify) calls, and the audit line's result.
    fn seen(&self) -> (ExitCode, (usize, usize, usize), &str) {
        let result = self.record()["result"].as_str().unwrap();
        (self.code(), self.calls, result)
    }

    fn details(&self) -> Vec<&str> {
        self.record()["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect()
    }
}

/// The options a command line of flags gives: `--yes`, `--dry-run`, `--wait` (5 s).
fn flags(line: &str) -> ExecuteOptions {
    let given: Vec<&str> = line.split_whitespace().collect();
    ExecuteOptions {
        dry_run: given.contains(&"--dry-run"),
        yes: given.contains(&"--yes"),
        confirm_name: None,
        incident: None,
        wait: given.contains(&"--wait").then(|| Duration::from_secs(5)),
        runbook: None,
    }
}

fn context(format: OutputFormat, prompter: Arc<dyn Prompter>, audit: &Path) -> (Context, Capture) {
    let mut settings = crate::checks::default_settings();
    settings.audit_log = audit.to_path_buf();
    let mut ctx = Context::new(Arc::new(settings));
    let (console, capture) = Console::in_memory(format, Verbosity::Normal, prompter);
    ctx.console = console;
    (ctx, capture)
}

async fn run_in(
    format: OutputFormat,
    action: Fake,
    opts: ExecuteOptions,
    t: Arc<dyn Prompter>,
) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let audit_path = dir.path().join("audit.jsonl");
    let (ctx, capture) = context(format, t, &audit_path);
    let calls = action.calls.clone();
    let interrupts = Interrupts::Scripted(action.interrupt.clone());
    let result = execute_with(&ctx, &opts, action, &interrupts).await;
    let audit = std::fs::read_to_string(&audit_path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Run {
        result,
        out: capture.get(),
        audit,
        calls: calls.counts(),
    }
}

async fn run(action: Fake, opts: ExecuteOptions, t: Arc<dyn Prompter>) -> Run {
    run_in(OutputFormat::Table, action, opts, t).await
}

/// The scale of 3 to 5 replicas, confirmed by y/N.
fn scale() -> Fake {
    fake(a_plan(Confirm::YesNo))
}

/// No terminal.
fn none() -> Arc<Scripted> {
    terminal(false, "")
}

const PLAN_SHOWN: &str = "Plan: scale deployment/backend from 3 to 5\n";
const UNDO_SHOWN: &str = "To undo: incidentctl scale backend --replicas 3\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_without_changes_is_nothing_to_do_and_applies_nothing() {
    let mut action = scale();
    action.plan.changes.clear();
    let r = run(action, flags("--yes --wait"), none()).await;
    assert_eq!(r.seen(), (ExitCode::Ok, (0, 0, 0), "nothing-to-do"));
    assert_eq!(r.out.stdout, format!("{PLAN_SHOWN}Nothing to change.\n"));
    assert_eq!(r.record()["action"], "scale");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_validates_on_the_server_and_applies_nothing() {
    let r = run(scale(), flags("--dry-run"), none()).await;
    assert_eq!(r.seen(), (ExitCode::Ok, (1, 0, 0), "dry-run"));
    assert!(r.out.stdout.starts_with(PLAN_SHOWN), "{}", r.out.stdout);
    assert!(r.out.stdout.ends_with(
        "Dry run: nothing was changed. (server dry run) the API server accepted the change\n"
    ));
    assert_eq!(
        r.details(),
        ["(server dry run) the API server accepted the change"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_the_server_rejects_is_recorded_and_fails() {
    let rejecting = Fake {
        validate: Box::new(|| Err(Error::stale("deployment/backend in payments"))),
        ..scale()
    };
    let r = run(rejecting, flags("--dry-run --yes"), none()).await;
    assert_eq!(r.seen(), (ExitCode::Conflict, (1, 0, 0), "dry-run"));
    assert!(!r.out.stdout.contains("Dry run"), "{}", r.out.stdout);
    let rejected =
        "rejected: deployment/backend in payments changed since the plan; nothing was applied";
    assert_eq!(r.details(), [rejected]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_terminal_or_yes_it_is_refused_and_nothing_is_asked() {
    let t = terminal(false, "y");
    let r = run(scale(), flags(""), t.clone()).await;
    assert_eq!(r.seen(), (ExitCode::NotConfirmed, (0, 0, 0), "refused"));
    assert_eq!(r.out.stdout, render_plan(&a_plan(Confirm::YesNo)));
    assert!(t.asked().is_empty());
    let why = "refused: no terminal to confirm on and no --yes; nothing was changed";
    assert_eq!(r.details(), [why]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answering_no_applies_nothing_and_yes_applies_once() {
    let no = terminal(true, "n");
    let declined = run(scale(), flags(""), no.clone()).await;
    assert_eq!(
        declined.seen(),
        (ExitCode::NotConfirmed, (0, 0, 0), "refused")
    );
    let question = "Apply this change to deployment/backend in payments? [y/N] ";
    assert_eq!(no.asked(), [question]);
    let yes = terminal(true, "y");
    let accepted = run(scale(), flags(""), yes.clone()).await;
    assert_eq!(accepted.seen(), (ExitCode::Ok, (0, 1, 0), "applied"));
    assert_eq!(yes.asked(), [question]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_most_destructive_change_goes_ahead_only_with_its_name_typed() {
    let typed = || fake(a_plan(Confirm::TypeName("postgres".into())));
    let wrong = terminal(true, "postgre");
    let r = run(typed(), flags(""), wrong.clone()).await;
    assert_eq!(r.seen(), (ExitCode::NotConfirmed, (0, 0, 0), "refused"));
    assert_eq!(
        wrong.asked(),
        ["This cannot be undone. Type postgres to confirm: "]
    );
    assert_eq!(
        r.details(),
        ["'postgre' is not postgres; nothing was changed"]
    );
    let right = run(typed(), flags(""), terminal(true, "postgres")).await;
    assert_eq!(right.seen(), (ExitCode::Ok, (0, 1, 0), "applied"));
    // --yes alone is not enough without a terminal: the name must be given too.
    let yes_only = run(typed(), flags("--yes"), none()).await;
    assert_eq!(
        yes_only.seen(),
        (ExitCode::NotConfirmed, (0, 0, 0), "refused")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_applied_change_is_verified_recorded_and_its_undo_printed() {
    let r = run(scale(), flags("--yes --wait"), none()).await;
    assert_eq!(r.seen(), (ExitCode::Ok, (0, 1, 1), "applied"));
    let stdout = &r.out.stdout;
    assert!(stdout.starts_with(PLAN_SHOWN), "{stdout}");
    let tail = format!(
        "deployment/backend scaled from 3 to 5\n\
         deployment/backend: rollout complete, 5/5 available\n{UNDO_SHOWN}"
    );
    assert!(stdout.ends_with(&tail), "{stdout}");
    assert_eq!(
        r.out.stderr,
        "waiting up to 5s for the change to complete...\n"
    );
    let record = r.record();
    assert_eq!(record["verified"], true);
    assert_eq!(record["undo"], "incidentctl scale backend --replicas 3");
    assert_eq!(record["plan"]["changes"][0]["to"], "5");
    assert_eq!(r.details().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_wait_nothing_is_verified() {
    let r = run(scale(), flags("--yes"), none()).await;
    assert_eq!(r.seen(), (ExitCode::Ok, (0, 1, 0), "applied"));
    assert_eq!(r.record()["verified"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_not_seen_complete_is_applied_but_not_verified() {
    let mut action = scale();
    action.verify = Box::new(|| Err(Error::VerifyFailed("1 of 5 new replicas updated".into())));
    let r = run(action, flags("--yes --wait"), none()).await;
    assert_eq!(r.seen(), (ExitCode::VerifyFailed, (0, 1, 1), "applied"));
    assert_eq!(r.record()["verified"], false);
    assert_eq!(r.details()[1], "not verified: 1 of 5 new replicas updated");
    // Applied all the same: the way back is shown.
    assert!(r.out.stdout.ends_with(UNDO_SHOWN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_put_back_after_the_server_took_it_is_not_in_effect() {
    let mut action = scale();
    action.apply = Box::new(|| Err(Error::NotInEffect("answered without the value".into())));
    let r = run(action, flags("--yes --wait"), none()).await;
    assert_eq!(
        r.seen(),
        (ExitCode::NotInEffect, (0, 1, 0), "not-in-effect")
    );
    let said =
        "\nAccepted, not in effect: the server accepted the change, but the value is not in effect";
    assert!(r.out.stdout.contains(said), "{}", r.out.stdout);
    assert!(!r.out.stdout.contains("To undo"), "{}", r.out.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn some_targets_failing_is_a_partial_change_with_every_failure_recorded() {
    let mut action = scale();
    action
        .plan
        .changes
        .push(Change::new("deployment/worker", "restart"));
    action.apply = Box::new(|| {
        let mut applied = Applied::default();
        applied.ok("deployment/backend restarted".into());
        applied.failed(
            "deployment/worker",
            Error::stale("deployment/worker in payments"),
        );
        Ok(applied)
    });
    let r = run(action, flags("--yes --wait"), none()).await;
    assert_eq!(r.seen(), (ExitCode::PartialFailure, (0, 1, 1), "partial"));
    assert_eq!(
        r.result.as_ref().unwrap_err().to_string(),
        "1 of 2 changes failed (see above)"
    );
    let failed = "deployment/worker: deployment/worker in payments changed since the plan; nothing was applied";
    assert_eq!(r.details()[..2], ["deployment/backend restarted", failed]);
    assert!(r.out.stdout.ends_with(UNDO_SHOWN), "{}", r.out.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_plan_is_refused_by_the_server_and_nothing_changed() {
    let mut action = scale();
    action.apply = Box::new(|| Err(Error::stale("deployment/backend in payments")));
    let r = run(action, flags("--yes --wait"), none()).await;
    assert_eq!(r.seen(), (ExitCode::Conflict, (0, 1, 0), "failed"));
    let said = "Not applied: nothing was changed: the server refused it.\n";
    assert!(r.out.stdout.ends_with(said), "{}", r.out.stdout);
    assert!(r.details()[0].starts_with("nothing was changed: the server refused it ("));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_target_failing_reports_the_unknown_one() {
    let mut action = scale();
    action.apply = Box::new(|| {
        let mut applied = Applied::default();
        applied.failed(
            "deployment/backend",
            Error::stale("deployment/backend in payments"),
        );
        applied.failed(
            "deployment/worker",
            Error::remote(Cause::Lost, "connection reset"),
        );
        Ok(applied)
    });
    let r = run(action, flags("--yes"), none()).await;
    assert_eq!(r.seen().2, "unknown");
    assert_eq!(
        r.details().len(),
        3,
        "the statement, then each target: {:?}",
        r.details()
    );
    assert!(
        r.out.stdout.contains("Not applied: the outcome is unknown"),
        "{}",
        r.out.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_at_the_question_changes_nothing() {
    let action = scale();
    let t = Arc::new(Scripted {
        interactive: true,
        answer: "y",
        asked: Mutex::new(Vec::new()),
        interrupt: Some(action.interrupt.clone()),
    });
    let r = run(action, flags(""), t).await;
    assert_eq!(r.seen(), (ExitCode::Interrupted, (0, 0, 0), "interrupted"));
    assert_eq!(
        r.details(),
        ["interrupted at the confirmation; nothing was changed"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_while_applying_lets_the_change_finish_and_a_second_abandons_it() {
    let pressed = |times| {
        let mut action = scale();
        action.interrupts_while_applying = times;
        run(action, flags("--yes --wait"), none())
    };
    let once = pressed(1).await;
    // Applied, not waited for.
    assert_eq!(once.seen(), (ExitCode::Interrupted, (0, 1, 0), "applied"));
    let told = "interrupt: the change is under way";
    assert!(once.out.stderr.starts_with(told), "{}", once.out.stderr);
    let unverified = "interrupted: the change was applied; it was not verified";
    assert_eq!(
        once.details(),
        ["deployment/backend scaled from 3 to 5", unverified]
    );
    assert!(once.out.stdout.ends_with(UNDO_SHOWN));

    let twice = pressed(2).await;
    assert_eq!(
        twice.seen(),
        (ExitCode::Interrupted, (0, 1, 0), "interrupted")
    );
    let said = "interrupted while the change was being applied: deployment/backend in payments may be partly or wholly changed";
    assert!(
        twice.details()[0].starts_with(said),
        "{:?}",
        twice.details()
    );
    assert!(
        !twice.out.stdout.contains("To undo"),
        "{}",
        twice.out.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_json_output_stdout_is_one_change_document() {
    let r = run_in(OutputFormat::Json, scale(), flags("--yes --wait"), none()).await;
    assert_eq!(r.seen(), (ExitCode::Ok, (0, 1, 1), "applied"));
    let doc: Value = serde_json::from_str(&r.out.stdout).unwrap();
    assert_eq!(doc["schema"], "incidentctl.change/v1");
    assert_eq!(doc["result"], "applied");
    assert_eq!(doc["verified"], true);
    assert_eq!(doc["undo"], "incidentctl scale backend --replicas 3");
    assert_eq!(
        doc["plan"]["summary"],
        "scale deployment/backend from 3 to 5"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_log_that_cannot_be_written_stops_the_change() {
    let unwritable = Path::new("/proc/version/audit.jsonl");
    let (ctx, capture) = context(OutputFormat::Table, none(), unwritable);
    let action = scale();
    let calls = action.calls.clone();
    let interrupts = Interrupts::Scripted(Arc::default());
    let result = execute_with(&ctx, &flags("--yes"), action, &interrupts).await;
    assert_eq!(result.unwrap_err().exit_code(), ExitCode::AuditLog);
    assert_eq!(calls.counts(), (0, 0, 0));
    assert!(capture.get().stdout.starts_with(PLAN_SHOWN));
}
