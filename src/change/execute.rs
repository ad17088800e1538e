//! Plan, then apply. Every change incidentctl makes goes through `execute`: the plan is shown,
//! a dry run stops there, a change is confirmed (or refused without a terminal and --yes),
//! audited, applied once, verified, and its undo printed. Actions never apply anything
//! themselves outside `Action::apply`, which only this module calls.

use super::audit::{self, AuditLog, Record};
use super::confirm::confirm;
use super::{render_plan, Action, Applied, Outcome, Plan};
use crate::clients::Context;
use crate::error::{Error, ExitCode, Result};
use serde::Serialize;
use std::time::Duration;

/// How to run a change, from the flags.
#[derive(Debug, Clone)]
pub struct ExecuteOptions {
    pub dry_run: bool,
    pub yes: bool,
    pub confirm_name: Option<String>,
    pub incident: Option<String>,
    pub wait: Option<Duration>,
    /// The runbook step this change is made as, recorded with it.
    pub runbook: Option<crate::types::runbook::StepRef>,
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

/// Where an interrupt comes from: the process's Ctrl-C, or (in tests) a script.
pub(crate) enum Interrupts {
    CtrlC,
    #[cfg(test)]
    Scripted(std::sync::Arc<tokio::sync::Notify>),
}

impl Interrupts {
    /// Resolves at the next interrupt. A Ctrl-C handler that cannot be installed counts as
    /// one, as before: the change must not go ahead unable to be stopped.
    async fn next(&self) {
        match self {
            Interrupts::CtrlC => {
                let _ = tokio::signal::ctrl_c().await;
            }
            #[cfg(test)]
            Interrupts::Scripted(notify) => notify.notified().await,
        }
    }
}

/// Runs a change: shows the plan, stops at a dry run, confirms, applies once, waits, records.
pub async fn execute<A: Action>(
    ctx: &Context,
    opts: &ExecuteOptions,
    action: A,
) -> Result<ExitCode> {
    execute_with(ctx, opts, action, &Interrupts::CtrlC).await
}

/// `execute`, interrupted from `interrupts`.
pub(crate) async fn execute_with<A: Action>(
    ctx: &Context,
    opts: &ExecuteOptions,
    action: A,
    interrupts: &Interrupts,
) -> Result<ExitCode> {
    if let Some(id) = &opts.incident {
        crate::report::store::Store::require(&ctx.settings, id).await?;
    }
    let console = &ctx.console;
    let plan = action.plan();
    console.text(render_plan(plan))?;
    // Opened before anything is applied: no audit, no change.
    let mut record = Recorder::open(ctx, opts, plan)?;
    if plan.changes.is_empty() {
        console.text("Nothing to change.\n")?;
        record.outcome(&Outcome::NothingToDo, &[])?;
        return Ok(ExitCode::Ok);
    }
    if opts.dry_run {
        return dry_run(ctx, &action, &mut record).await;
    }
    // From here, Ctrl-C is this function's to handle: it must record what was and was not
    // changed, not have main cut it short.
    let _in_progress = ctx.change_in_progress();
    let confirmed = tokio::select! {
        r = confirm(plan, opts, console.prompter.clone()) => r,
        () = interrupts.next() => Err(Error::Interrupted(
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
    let (mut applied, interrupted) = match apply_once(ctx, &action, interrupts).await {
        Some(Ok(done)) => done,
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
    console.text(lines(&applied.details))?;
    let after = After {
        applied,
        interrupted,
        interrupts,
    };
    finish(ctx, opts, &action, after, &mut record).await
}

/// `--dry-run`: the API server validates (server-side dry run) where it can; nothing changes.
async fn dry_run<A: Action>(
    ctx: &Context,
    action: &A,
    record: &mut Recorder<'_>,
) -> Result<ExitCode> {
    let note = action.validate(ctx).await;
    let details: Vec<String> = match &note {
        Ok(Some(n)) => vec![n.clone()],
        Ok(None) => Vec::new(),
        Err(e) => vec![format!("rejected: {e}")],
    };
    if let Ok(note) = &note {
        let mut text = String::from("Dry run: nothing was changed.");
        if let Some(n) = note {
            text.push_str(&format!(" {n}"));
        }
        ctx.console.text(format!("{text}\n"))?;
    }
    record.outcome(&Outcome::DryRun, &details)?;
    note?;
    Ok(ExitCode::Ok)
}

/// Applies the change. The first Ctrl-C lets a change already sent finish, so its outcome is
/// known and recorded (the flag says it came); a second one abandons it (None).
async fn apply_once<A: Action>(
    ctx: &Context,
    action: &A,
    interrupts: &Interrupts,
) -> Option<Result<(Applied, bool)>> {
    let apply = action.apply(ctx);
    tokio::pin!(apply);
    let mut interrupted = false;
    loop {
        tokio::select! {
            r = &mut apply => return Some(r.map(|a| (a, interrupted))),
            () = interrupts.next() => {
                if interrupted {
                    return None;
                }
                interrupted = true;
                ctx.console.alert("interrupt: the change is under way; letting it finish so its outcome is known (Ctrl-C again abandons it)");
            }
        }
    }
}

/// What applying left: its result, whether an interrupt came meanwhile, and where the next
/// one would come from.
struct After<'a> {
    applied: Applied,
    interrupted: bool,
    interrupts: &'a Interrupts,
}

/// After the change is applied: the wait (when asked for and the action has one), the audit
/// line, the undo command, and the exit code.
async fn finish<A: Action>(
    ctx: &Context,
    opts: &ExecuteOptions,
    action: &A,
    after: After<'_>,
    record: &mut Recorder<'_>,
) -> Result<ExitCode> {
    let After {
        applied,
        mut interrupted,
        interrupts,
    } = after;
    let console = &ctx.console;
    let plan = action.plan();
    let mut details = applied.details;
    let mut verified = None;
    let mut verify_error = None;
    if interrupted {
        details.push("interrupted: the change was applied; it was not verified".into());
    } else if let (Some(timeout), true) = (opts.wait, action.verifies()) {
        console.note(format!(
            "waiting up to {} for the change to complete...",
            crate::types::Dur(timeout)
        ));
        let outcome = tokio::select! {
            r = action.verify(ctx, timeout) => Some(r),
            () = interrupts.next() => None,
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
        console.text(lines(&verify_lines))?;
        details.extend(verify_lines);
    }
    let outcome = if applied.failures.is_empty() {
        Outcome::Applied { verified }
    } else {
        Outcome::Partial
    };
    if applied.undo.is_some() {
        record.undo = applied.undo;
    }
    record.outcome(&outcome, &details)?;
    if let Some(undo) = &record.undo {
        console.text(format!("To undo: {undo}\n"))?;
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
pub(super) fn worst_failure(mut failures: Vec<Error>) -> Error {
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
    console: &'a crate::output::console::Console,
    audit_path: std::path::PathBuf,
    kube_context: Option<String>,
    kube_user: Option<String>,
    /// The undo command, once known: the plan's, or one only the apply could tell.
    undo: Option<super::Undo>,
}

impl<'a> Recorder<'a> {
    fn open(ctx: &'a Context, opts: &'a ExecuteOptions, plan: &'a Plan) -> Result<Recorder<'a>> {
        let settings = &ctx.settings;
        // Reading the kubeconfig is file I/O: off the async threads.
        let (kube_context, kube_user) = tokio::task::block_in_place(|| {
            audit::kube_identity(settings.kubernetes.context.as_deref())
        });
        Ok(Recorder {
            log: AuditLog::open(&settings.audit_log, settings.file_modes())?,
            plan,
            opts,
            console: &ctx.console,
            audit_path: settings.audit_log.clone(),
            kube_context,
            kube_user,
            undo: plan.undo.clone(),
        })
    }

    fn outcome(&mut self, outcome: &Outcome, details: &[String]) -> Result<()> {
        let (plan, result, verified) = (self.plan, outcome.result(), outcome.verified());
        self.log.append(&Record {
            time: jiff::Timestamp::now().to_string(),
            user: audit::os_user(),
            claimed_user: audit::claimed_user(),
            uid: audit::uid(),
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
            undo: self.undo.as_ref().map(super::Undo::line),
            incident: self.opts.incident.as_deref(),
            runbook: self.opts.runbook.as_ref(),
        })?;
        // A change run as a runbook's step gives its document to the run, whatever the format.
        if self.console.json() || self.console.keeps_documents() {
            let doc = Report {
                schema: "incidentctl.change/v1",
                plan,
                dry_run: self.opts.dry_run,
                result,
                details,
                verified,
                undo: match outcome {
                    Outcome::Applied { .. } | Outcome::Partial => {
                        self.undo.as_ref().map(super::Undo::line)
                    }
                    _ => None,
                },
                audit_log: self.audit_path.display().to_string(),
            };
            self.console.document(&doc)?;
        }
        Ok(())
    }

    /// A change that failed as a whole: what it proves about the target, then the error.
    fn failure(&mut self, e: Error, mut details: Vec<String>) -> Result<ExitCode> {
        let outcome = Outcome::after_failure(&e);
        let statement = outcome.statement().unwrap_or("failed");
        details.insert(0, format!("{statement} ({e})"));
        let verdict = match outcome {
            Outcome::AcceptedNotInEffect => "Accepted, not in effect",
            _ => "Not applied",
        };
        self.console.text(format!("{verdict}: {statement}.\n"))?;
        self.outcome(&outcome, &details)?;
        Err(e)
    }
}

fn lines(items: &[String]) -> String {
    items.iter().map(|l| format!("{l}\n")).collect()
}

#[cfg(test)]
mod tests;
