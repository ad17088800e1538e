//! Plan, then apply. Every change incidentctl makes goes through `execute`: the plan is shown,
//! a dry run stops there, a change is confirmed (or refused without a terminal and --yes),
//! audited, applied once, verified, and its undo printed. Actions never apply anything
//! themselves outside `Action::apply`, which only this module calls.

use crate::audit::{self, AuditLog, Record};
use crate::cli::{ChangeArgs, OutputFormat};
use crate::context::Context;
use crate::error::{Error, ExitCode, Result};
use crate::output;
use serde::Serialize;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Set from confirmation to verification: Ctrl-C is then `execute`'s to handle (it must record
/// what was and was not changed), not main's to cut short.
static CHANGE_IN_PROGRESS: AtomicBool = AtomicBool::new(false);

pub fn change_in_progress() -> bool {
    CHANGE_IN_PROGRESS.load(Ordering::SeqCst)
}

/// Marks a change in progress for as long as it lives.
struct InProgress;

impl InProgress {
    fn start() -> Self {
        CHANGE_IN_PROGRESS.store(true, Ordering::SeqCst);
        InProgress
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        CHANGE_IN_PROGRESS.store(false, Ordering::SeqCst);
    }
}

/// What a change did, decided once and told the same way on the terminal, in `-o json` and in
/// the audit log (`result`, `verified`), each with its exit code (README: "Outcomes").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The plan had no changes.
    NothingToDo,
    DryRun,
    /// Not confirmed (no terminal and no --yes, or the answer was no).
    NotConfirmed,
    /// Ctrl-C at the confirmation: nothing was sent.
    InterruptedAtPrompt,
    /// Provably nothing was changed: the server was never reached, or it refused.
    NotApplied(NotApplied),
    /// The request may have gone out and its answer was lost.
    Unknown,
    /// Ctrl-C twice while the change was being sent: it may be partly or wholly done.
    InterruptedWhileApplying,
    /// The server took the change, but its answer shows the value is not there (an admission
    /// webhook or a controller put it back).
    AcceptedNotInEffect,
    /// Some targets were changed and some failed.
    Partial,
    /// Applied; `verified` is Some when it was waited for (false: not seen in time).
    Applied {
        verified: Option<bool>,
    },
}

/// How it is proven that nothing was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotApplied {
    Unreached,
    Refused,
}

impl Outcome {
    /// The audit log's and `-o json`'s `result`.
    pub fn result(&self) -> &'static str {
        match self {
            Outcome::NothingToDo => "nothing-to-do",
            Outcome::DryRun => "dry-run",
            Outcome::NotConfirmed => "refused",
            Outcome::InterruptedAtPrompt | Outcome::InterruptedWhileApplying => "interrupted",
            Outcome::NotApplied(_) => "failed",
            Outcome::Unknown => "unknown",
            Outcome::AcceptedNotInEffect => "not-in-effect",
            Outcome::Partial => "partial",
            Outcome::Applied { .. } => "applied",
        }
    }

    pub fn verified(&self) -> Option<bool> {
        match self {
            Outcome::Applied { verified } => *verified,
            _ => None,
        }
    }

    /// The sentence that says what became of the change, when it did not simply happen.
    pub fn statement(&self) -> Option<&'static str> {
        Some(match self {
            Outcome::NotApplied(NotApplied::Unreached) => "nothing was changed: the server could not be reached",
            Outcome::NotApplied(NotApplied::Refused) => "nothing was changed: the server refused it",
            Outcome::Unknown => "the outcome is unknown: the connection failed after the request may have been sent; check before trying again (--dry-run shows what is left to change)",
            Outcome::AcceptedNotInEffect => "the server accepted the change, but the value is not in effect (an admission webhook or a controller may have put it back); nothing needs undoing, and trying again will not help until that is found",
            _ => return None,
        })
    }

    /// What a failed apply says about the change, from the error's cause (never its wording).
    pub fn after_failure(e: &Error) -> Outcome {
        use crate::failure::Cause;
        match (e, e.cause()) {
            (Error::NotInEffect(_), _) => Outcome::AcceptedNotInEffect,
            (_, Some(Cause::NotReached(_) | Cause::Tls(_))) => {
                Outcome::NotApplied(NotApplied::Unreached)
            }
            (_, Some(Cause::Refused(_))) => Outcome::NotApplied(NotApplied::Refused),
            (_, Some(Cause::NotTheProtocol | Cause::Lost | Cause::TimedOut)) => Outcome::Unknown,
            // Refused by incidentctl itself before anything was sent (bad input, configuration).
            (Error::Usage { .. } | Error::Config { .. } | Error::Data { .. }, None) => {
                Outcome::NotApplied(NotApplied::Refused)
            }
            // A failure without a known cause: saying "nothing changed" could be a lie.
            _ => Outcome::Unknown,
        }
    }
}

/// What a change will do, before it does it.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The command, e.g. `restart`, `db kill-queries`.
    pub action: String,
    /// What it acts on, e.g. `deployment/backend in reconciliation`.
    pub target: String,
    pub summary: String,
    pub changes: Vec<Change>,
    /// Things the engineer should know before saying yes.
    pub warnings: Vec<String>,
    /// How strongly the change must be confirmed.
    pub confirm: Confirm,
    /// A command that undoes the change, when there is one.
    pub undo: Option<String>,
}

impl Plan {
    pub fn new(action: &str, target: &str, summary: &str) -> Self {
        Plan {
            action: action.into(),
            target: target.into(),
            summary: summary.into(),
            changes: Vec::new(),
            warnings: Vec::new(),
            confirm: Confirm::YesNo,
            undo: None,
        }
    }
}

/// One object, row set or key set that changes, and how.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub object: String,
    pub change: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Change {
    pub fn new(object: impl Into<String>, change: impl Into<String>) -> Self {
        Change {
            object: object.into(),
            change: change.into(),
            from: None,
            to: None,
        }
    }

    pub fn was_now(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.from = Some(from.into());
        self.to = Some(to.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "name")]
pub enum Confirm {
    /// y/N on a terminal; --yes otherwise.
    YesNo,
    /// The most destructive changes: type this name on a terminal; --yes --confirm NAME otherwise.
    TypeName(String),
}

/// What applying did.
#[derive(Debug, Default)]
pub struct Applied {
    /// One line per object changed, skipped or failed.
    pub details: Vec<String>,
    /// The failures, each whole (every one is in `details` and the audit log, not only the
    /// first).
    pub failures: Vec<Error>,
    /// How many parts were done. Failures with nothing done are a failure of the change.
    pub succeeded: usize,
}

impl Applied {
    /// Everything done, one line per part.
    pub fn done(details: Vec<String>) -> Self {
        Applied {
            succeeded: details.len(),
            details,
            failures: Vec::new(),
        }
    }

    /// One part done.
    pub fn ok(&mut self, line: String) {
        self.details.push(line);
        self.succeeded += 1;
    }

    /// One part left alone (nothing to do for it any more).
    pub fn skipped(&mut self, line: String) {
        self.details.push(line);
    }

    /// One part failed: its line, and the error.
    pub fn failed(&mut self, target: &str, e: Error) {
        self.details.push(format!("{target}: {e}"));
        self.failures.push(e);
    }
}

/// A change incidentctl can make: it has a plan, can be validated without changing anything,
/// applied once, and verified.
// Used only inside this crate with concrete types, so the futures' Send bounds need no spelling.
#[allow(async_fn_in_trait)]
pub trait Action {
    fn plan(&self) -> &Plan;

    /// Validates the change without applying it (Kubernetes server-side dry run). Returns a note
    /// for the engineer, e.g. "(server dry run) accepted by the API server". PostgreSQL and
    /// Redis have no such mode: their plan is the validation.
    async fn validate(&self, _ctx: &Context) -> Result<Option<String>> {
        Ok(None)
    }

    /// Applies exactly the plan. Preconditions (resourceVersion, current replicas) make a stale
    /// plan fail instead of clobbering.
    async fn apply(&self, ctx: &Context) -> Result<Applied>;

    /// Waits until the change is seen complete, within `timeout`.
    async fn verify(&self, _ctx: &Context, _timeout: Duration) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// Whether `verify` does anything (and so whether --wait means something).
    fn verifies(&self) -> bool {
        false
    }
}

/// How to run a change, from the flags.
#[derive(Debug, Clone)]
pub struct ExecuteOptions {
    pub dry_run: bool,
    pub yes: bool,
    pub confirm_name: Option<String>,
    pub incident: Option<String>,
    pub wait: Option<Duration>,
}

impl ExecuteOptions {
    pub fn from_args(args: &ChangeArgs, waits_by_default: bool) -> Result<Self> {
        let wait = if args.no_wait || !waits_by_default && !args.wait {
            None
        } else {
            Some(
                crate::settings::parse_duration(&args.wait_timeout)
                    .map_err(|e| Error::usage(format!("invalid value for --wait-timeout: {e}")))?,
            )
        };
        Ok(ExecuteOptions {
            dry_run: args.dry_run,
            yes: args.yes,
            confirm_name: args.confirm.clone(),
            incident: args.incident.clone(),
            wait,
        })
    }
}

/// The JSON document a change prints with `-o json`.
#[derive(Debug, Serialize)]
struct Report<'a> {
    schema: &'static str,
    plan: &'a Plan,
    dry_run: bool,
    result: &'a str,
    details: &'a [String],
    verified: Option<bool>,
    undo: Option<&'a str>,
    audit_log: String,
}

pub async fn execute<A: Action>(
    ctx: &Context,
    opts: &ExecuteOptions,
    action: A,
) -> Result<ExitCode> {
    let settings = &ctx.settings;
    let plan = action.plan();
    let json = settings.output == OutputFormat::Json;
    if !json {
        output::write_stdout(&render_plan(plan))?;
    }
    // Opened before anything is applied: no audit, no change.
    let mut record = Recorder::open(ctx, opts, plan)?;

    if plan.changes.is_empty() {
        if !json {
            output::write_stdout("Nothing to change.\n")?;
        }
        record.outcome(&Outcome::NothingToDo, &[])?;
        return Ok(ExitCode::Ok);
    }

    if opts.dry_run {
        let note = action.validate(ctx).await;
        let details: Vec<String> = match &note {
            Ok(Some(n)) => vec![n.clone()],
            Ok(None) => Vec::new(),
            Err(e) => vec![format!("rejected: {e}")],
        };
        if let Ok(note) = &note {
            if !json {
                let mut text = String::from("Dry run: nothing was changed.");
                if let Some(n) = note {
                    text.push_str(&format!(" {n}"));
                }
                output::write_stdout(&format!("{text}\n"))?;
            }
        }
        record.outcome(&Outcome::DryRun, &details)?;
        note?;
        return Ok(ExitCode::Ok);
    }

    let _in_progress = InProgress::start();
    let confirmed = tokio::select! {
        r = confirm(plan, opts) => r,
        _ = tokio::signal::ctrl_c() => Err(Error::Interrupted(
            "interrupted at the confirmation; nothing was changed".into(),
        )),
    };
    if let Err(e) = confirmed {
        let outcome = if matches!(e, Error::Interrupted(_)) {
            Outcome::InterruptedAtPrompt
        } else {
            Outcome::NotConfirmed
        };
        record.outcome(&outcome, &[e.to_string()])?;
        return Err(e);
    }

    // The first Ctrl-C lets a change already sent finish, so its outcome is known and recorded;
    // a second one abandons it, and the record says the outcome is unknown.
    let apply = action.apply(ctx);
    tokio::pin!(apply);
    let mut interrupted = false;
    let applied = loop {
        tokio::select! {
            r = &mut apply => break Some(r),
            _ = tokio::signal::ctrl_c() => {
                if interrupted {
                    break None;
                }
                interrupted = true;
                eprintln!("interrupt: the change is under way; letting it finish so its outcome is known (Ctrl-C again abandons it)");
            }
        }
    };
    let mut applied = match applied {
        Some(Ok(a)) => a,
        Some(Err(e)) => return record.failure(e, Vec::new()),
        None => {
            let statement = format!(
                "interrupted while the change was being applied: {} may be partly or wholly changed; check it before trying again (--dry-run shows what is left to change)",
                plan.target
            );
            record.outcome(
                &Outcome::InterruptedWhileApplying,
                std::slice::from_ref(&statement),
            )?;
            return Err(Error::Interrupted(statement));
        }
    };
    if !applied.failures.is_empty() && applied.succeeded == 0 {
        // Nothing was done: a failure of the whole, with every target's reason recorded.
        let worst = worst_failure(std::mem::take(&mut applied.failures));
        return record.failure(worst, applied.details);
    }
    if !json {
        output::write_stdout(&lines(&applied.details))?;
    }
    let mut details = applied.details;
    let mut verified = None;
    let mut verify_error = None;
    if interrupted {
        details.push("interrupted: the change was applied; it was not verified".into());
    } else if let (Some(timeout), true) = (opts.wait, action.verifies()) {
        if !json && settings.verbosity != crate::settings::Verbosity::Quiet {
            eprintln!(
                "waiting up to {} for the change to complete...",
                crate::settings::Dur(timeout)
            );
        }
        let outcome = tokio::select! {
            r = action.verify(ctx, timeout) => Some(r),
            _ = tokio::signal::ctrl_c() => None,
        };
        let verify_lines = match outcome {
            Some(Ok(lines)) => {
                verified = Some(true);
                lines
            }
            Some(Err(e)) => {
                verified = Some(false);
                let line = vec![format!("not verified: {e}")];
                verify_error = Some(e);
                line
            }
            None => {
                interrupted = true;
                vec![
                    "interrupted while waiting: the change was applied; it was not verified".into(),
                ]
            }
        };
        if !json {
            output::write_stdout(&lines(&verify_lines))?;
        }
        details.extend(verify_lines);
    }
    let outcome = if applied.failures.is_empty() {
        Outcome::Applied { verified }
    } else {
        Outcome::Partial
    };
    record.outcome(&outcome, &details)?;
    if !json {
        if let Some(undo) = &plan.undo {
            output::write_stdout(&format!("To undo: {undo}\n"))?;
        }
    }
    if interrupted {
        return Err(Error::Interrupted(
            "interrupted: the change was applied, not verified (see above)".into(),
        ));
    }
    if !applied.failures.is_empty() {
        return Err(Error::PartialFailure(format!(
            "{} of {} changes failed (see above)",
            applied.failures.len(),
            plan.changes.len()
        )));
    }
    if let Some(e) = verify_error {
        return Err(Error::VerifyFailed(format!(
            "applied, but not verified: {e}"
        )));
    }
    Ok(ExitCode::Ok)
}

/// Of several failures, the one to report: one whose outcome is unknown first (it decides
/// that the whole is unknown), else the first.
fn worst_failure(mut failures: Vec<Error>) -> Error {
    let unknown = failures
        .iter()
        .position(|e| Outcome::after_failure(e) == Outcome::Unknown);
    failures.swap_remove(unknown.unwrap_or(0))
}

/// Writes what became of a change, once, to the audit log and (with `-o json`) stdout.
struct Recorder<'a> {
    log: AuditLog,
    plan: &'a Plan,
    opts: &'a ExecuteOptions,
    json: bool,
    audit_path: std::path::PathBuf,
    kube_context: Option<String>,
    kube_user: Option<String>,
}

impl<'a> Recorder<'a> {
    fn open(ctx: &Context, opts: &'a ExecuteOptions, plan: &'a Plan) -> Result<Recorder<'a>> {
        let settings = &ctx.settings;
        // Reading the kubeconfig is file I/O: off the async threads.
        let (kube_context, kube_user) = tokio::task::block_in_place(|| {
            audit::kube_identity(settings.kubernetes.context.as_deref())
        });
        Ok(Recorder {
            log: AuditLog::open(&settings.audit_log)?,
            plan,
            opts,
            json: settings.output == OutputFormat::Json,
            audit_path: settings.audit_log.clone(),
            kube_context,
            kube_user,
        })
    }

    fn outcome(&mut self, outcome: &Outcome, details: &[String]) -> Result<()> {
        let (plan, result, verified) = (self.plan, outcome.result(), outcome.verified());
        self.log.append(&Record {
            time: jiff::Timestamp::now().to_string(),
            user: audit::os_user(),
            host: audit::host(),
            kube_context: self.kube_context.clone(),
            kube_user: self.kube_user.clone(),
            action: &plan.action,
            target: &plan.target,
            argv: audit::argv(),
            plan,
            result,
            details,
            verified,
            undo: plan.undo.as_deref(),
            incident: self.opts.incident.as_deref(),
        })?;
        if self.json {
            let doc = Report {
                schema: "incidentctl.change/v1",
                plan,
                dry_run: self.opts.dry_run,
                result,
                details,
                verified,
                undo: match outcome {
                    Outcome::Applied { .. } | Outcome::Partial => plan.undo.as_deref(),
                    _ => None,
                },
                audit_log: self.audit_path.display().to_string(),
            };
            output::write_stdout(&output::json::to_string(&doc)?)?;
        }
        Ok(())
    }

    /// A change that failed as a whole: what it proves about the target, then the error.
    fn failure(&mut self, e: Error, mut details: Vec<String>) -> Result<ExitCode> {
        let outcome = Outcome::after_failure(&e);
        let statement = outcome.statement().unwrap_or("failed");
        details.insert(0, format!("{statement} ({e})"));
        if !self.json {
            let verdict = match outcome {
                Outcome::AcceptedNotInEffect => "Accepted, not in effect",
                _ => "Not applied",
            };
            output::write_stdout(&format!("{verdict}: {statement}.\n"))?;
        }
        self.outcome(&outcome, &details)?;
        Err(e)
    }
}

fn lines(items: &[String]) -> String {
    items.iter().map(|l| format!("{l}\n")).collect()
}

/// The plan as people read it: what, then each change, then warnings.
pub fn render_plan(plan: &Plan) -> String {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.force_no_tty();
    table.set_header(vec!["OBJECT", "CHANGE", "FROM", "TO"]);
    for c in &plan.changes {
        table.add_row(vec![
            c.object.clone(),
            c.change.clone(),
            c.from.clone().unwrap_or_default(),
            c.to.clone().unwrap_or_default(),
        ]);
    }
    let mut out = format!("Plan: {}\n", plan.summary);
    if !plan.changes.is_empty() {
        out.push_str(&format!("{table}\n"));
    }
    for w in &plan.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}

/// Asks on a terminal; without one, only --yes (and --confirm NAME for the most destructive
/// changes) lets a change through. Never waits on stdin that is not a terminal.
async fn confirm(plan: &Plan, opts: &ExecuteOptions) -> Result<()> {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    match &plan.confirm {
        Confirm::YesNo if opts.yes => Ok(()),
        Confirm::TypeName(name) if opts.yes && opts.confirm_name.as_deref() == Some(name) => Ok(()),
        Confirm::TypeName(name) if opts.yes && !interactive => Err(Error::NotConfirmed(format!(
            "refused: this change is destructive; without a terminal it needs --yes --confirm {name}"
        ))),
        _ if !interactive => Err(Error::NotConfirmed(
            "refused: no terminal to confirm on and no --yes; nothing was changed".into(),
        )),
        Confirm::YesNo => {
            let answer = prompt(&format!("Apply this change to {}? [y/N] ", plan.target)).await?;
            if matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
                Ok(())
            } else {
                Err(Error::NotConfirmed("not confirmed; nothing was changed".into()))
            }
        }
        Confirm::TypeName(name) => {
            let answer = prompt(&format!(
                "This cannot be undone. Type {name} to confirm: "
            ))
            .await?;
            if answer.trim() == name {
                Ok(())
            } else {
                Err(Error::NotConfirmed(format!(
                    "'{}' is not {name}; nothing was changed",
                    answer.trim()
                )))
            }
        }
    }
}

async fn prompt(question: &str) -> Result<String> {
    let question = question.to_string();
    tokio::task::spawn_blocking(move || {
        eprint!("{question}");
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await
    .map_err(|e| Error::Internal(format!("prompt failed: {e}")))?
    .map_err(|e| {
        Error::NotConfirmed(format!(
            "could not read an answer: {e}; nothing was changed"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{Cause, NotReached, Refusal, TlsProblem};

    #[test]
    fn only_an_unreached_or_refusing_server_proves_nothing_changed() {
        let remote = |c: Cause| Outcome::after_failure(&Error::remote(c, "x"));
        for unreached in [
            Cause::NotReached(NotReached::ConnectionRefused),
            Cause::NotReached(NotReached::NameNotResolved),
            Cause::Tls(TlsProblem::UnknownIssuer),
        ] {
            assert_eq!(
                remote(unreached),
                Outcome::NotApplied(NotApplied::Unreached)
            );
        }
        for refused in [
            Refusal::Conflict,
            Refusal::Forbidden,
            Refusal::Locked,
            Refusal::ServerError,
            Refusal::ReadOnly,
        ] {
            assert_eq!(
                remote(Cause::Refused(refused)),
                Outcome::NotApplied(NotApplied::Refused),
                "{refused:?}"
            );
        }
        for unknown in [Cause::Lost, Cause::TimedOut, Cause::NotTheProtocol] {
            assert_eq!(remote(unknown), Outcome::Unknown, "{unknown:?}");
        }
        assert_eq!(
            Outcome::after_failure(&Error::NotInEffect("reverted".into())),
            Outcome::AcceptedNotInEffect
        );
        assert_eq!(
            Outcome::after_failure(&Error::unavailable("no cause known")),
            Outcome::Unknown
        );
        assert_eq!(
            Outcome::after_failure(&Error::Internal("bug".into())),
            Outcome::Unknown
        );
        assert_eq!(
            Outcome::after_failure(&Error::usage("bad input")),
            Outcome::NotApplied(NotApplied::Refused)
        );
    }

    #[test]
    fn every_outcome_has_its_audit_word() {
        let all = [
            (Outcome::NothingToDo, "nothing-to-do"),
            (Outcome::DryRun, "dry-run"),
            (Outcome::NotConfirmed, "refused"),
            (Outcome::InterruptedAtPrompt, "interrupted"),
            (Outcome::NotApplied(NotApplied::Unreached), "failed"),
            (Outcome::Unknown, "unknown"),
            (Outcome::InterruptedWhileApplying, "interrupted"),
            (Outcome::AcceptedNotInEffect, "not-in-effect"),
            (Outcome::Partial, "partial"),
            (
                Outcome::Applied {
                    verified: Some(false),
                },
                "applied",
            ),
        ];
        for (outcome, word) in all {
            assert_eq!(outcome.result(), word, "{outcome:?}");
        }
    }

    #[test]
    fn of_several_failures_an_unknown_one_is_reported() {
        let worst = worst_failure(vec![
            Error::remote(Cause::Refused(Refusal::Conflict), "a"),
            Error::remote(Cause::Lost, "b"),
        ]);
        assert_eq!(Outcome::after_failure(&worst), Outcome::Unknown);
    }
}
