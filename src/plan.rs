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

/// What a failed apply says about the change. Only a server that was never reached, or that
/// answered with a refusal, proves nothing changed; a connection lost after the request may have
/// gone out leaves the outcome unknown, and saying otherwise would mislead the next step.
pub fn after_failed_apply(e: &Error) -> (&'static str, &'static str) {
    const NOTHING_UNREACHED: &str = "nothing was changed: the server could not be reached";
    const NOTHING_REFUSED: &str = "nothing was changed: the server refused it";
    const UNKNOWN: &str = "the outcome is unknown: the connection failed after the request may have been sent; check before trying again (--dry-run shows what is left to change)";
    match e {
        Error::Unavailable { message, .. } => {
            let m = message.to_ascii_lowercase();
            let unreached = [
                "connection refused",
                "error connecting",
                "tcp connect error",
                "client error (connect)",
                "failed to lookup address",
                "dns error",
                "cannot connect",
                "could not connect",
                "tls:",
            ];
            let refused = [
                "from the api server",
                "signalled by the server",
                "lock timeout",
                "canceling statement",
            ];
            if unreached.iter().any(|w| m.contains(w)) {
                ("failed", NOTHING_UNREACHED)
            } else if refused.iter().any(|w| m.contains(w)) || has_sqlstate(&m) {
                ("failed", NOTHING_REFUSED)
            } else {
                ("unknown", UNKNOWN)
            }
        }
        Error::Internal(_) | Error::Output(_) | Error::PartialFailure(_) => ("unknown", UNKNOWN),
        _ => ("failed", NOTHING_REFUSED),
    }
}

/// A PostgreSQL error code in parentheses, e.g. "(55p03)": the server answered, the transaction
/// rolled back.
fn has_sqlstate(message: &str) -> bool {
    message.match_indices('(').any(|(i, _)| {
        let code = message.get(i + 1..i + 7).unwrap_or("");
        code.len() == 6
            && code.ends_with(')')
            && code[..5].chars().all(|c| c.is_ascii_alphanumeric())
            && code[..5].chars().any(|c| c.is_ascii_digit())
    })
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

/// What applying (and verifying) did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Applied {
    /// One line per object changed or failed.
    pub details: Vec<String>,
    /// Objects that failed while others were changed.
    pub failed: usize,
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
    let audit_path = settings.audit_log.clone();
    let (kube_context, kube_user) = audit::kube_identity(settings.kubernetes.context.as_deref());
    // Opened before anything is applied: no audit, no change.
    let mut log = AuditLog::open(&audit_path)?;
    let mut write_audit = |result: &str, details: &[String], verified: Option<bool>| {
        log.append(&Record {
            time: jiff::Timestamp::now().to_string(),
            user: audit::os_user(),
            host: audit::host(),
            kube_context: kube_context.clone(),
            kube_user: kube_user.clone(),
            action: &plan.action,
            target: &plan.target,
            argv: audit::argv(),
            plan,
            result,
            details,
            verified,
            undo: plan.undo.as_deref(),
            incident: opts.incident.as_deref(),
        })
    };
    let finish = |result: &str, details: &[String], verified: Option<bool>| -> Result<()> {
        if json {
            let doc = Report {
                schema: "incidentctl.change/v1",
                plan,
                dry_run: opts.dry_run,
                result,
                details,
                verified,
                undo: if result == "applied" || result == "partial" {
                    plan.undo.as_deref()
                } else {
                    None
                },
                audit_log: audit_path.display().to_string(),
            };
            output::write_stdout(&output::json::to_string(&doc)?)?;
        }
        Ok(())
    };

    if plan.changes.is_empty() {
        write_audit("nothing-to-do", &[], None)?;
        if !json {
            output::write_stdout("Nothing to change.\n")?;
        }
        finish("nothing-to-do", &[], None)?;
        return Ok(ExitCode::Ok);
    }

    if opts.dry_run {
        let note = action.validate(ctx).await;
        let details: Vec<String> = match &note {
            Ok(Some(n)) => vec![n.clone()],
            Ok(None) => Vec::new(),
            Err(e) => vec![format!("rejected: {e}")],
        };
        write_audit("dry-run", &details, None)?;
        let note = note?;
        if !json {
            let mut text = String::from("Dry run: nothing was changed.");
            if let Some(n) = note {
                text.push_str(&format!(" {n}"));
            }
            output::write_stdout(&format!("{text}\n"))?;
        }
        finish("dry-run", &details, None)?;
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
        let result = if matches!(e, Error::Interrupted(_)) {
            "interrupted"
        } else {
            "refused"
        };
        write_audit(result, &[e.to_string()], None)?;
        finish(result, &[e.to_string()], None)?;
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
    let applied = match applied {
        Some(Ok(a)) => a,
        Some(Err(e)) => {
            let (result, statement) = after_failed_apply(&e);
            let details = vec![format!("{statement} ({e})")];
            write_audit(result, &details, None)?;
            if !json {
                output::write_stdout(&format!("Not applied: {statement}.\n"))?;
            }
            finish(result, &details, None)?;
            return Err(e);
        }
        None => {
            let statement = format!(
                "interrupted while the change was being applied: {} may be partly or wholly changed; check it before trying again (--dry-run shows what is left to change)",
                plan.target
            );
            let details = vec![statement.clone()];
            write_audit("interrupted", &details, None)?;
            finish("interrupted", &details, None)?;
            return Err(Error::Interrupted(statement));
        }
    };
    let mut details = applied.details.clone();
    let result = if applied.failed > 0 {
        "partial"
    } else {
        "applied"
    };
    if !json {
        output::write_stdout(&lines(&applied.details))?;
    }
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
    write_audit(result, &details, verified)?;
    if !json {
        if let Some(undo) = &plan.undo {
            output::write_stdout(&format!("To undo: {undo}\n"))?;
        }
    }
    finish(result, &details, verified)?;
    if interrupted {
        return Err(Error::Interrupted(
            "interrupted: the change was applied, not verified (see above)".into(),
        ));
    }
    if applied.failed > 0 {
        return Err(Error::PartialFailure(format!(
            "{} of {} changes failed (see above)",
            applied.failed,
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

    fn result_of(e: Error) -> &'static str {
        after_failed_apply(&e).0
    }

    #[test]
    fn only_an_unreached_or_refusing_server_means_nothing_changed() {
        for unreached in [
            "patch deployments/x: cannot reach the API server: client error (Connect): tcp connect error: Connection refused (os error 111)",
            "redis://127.0.0.1:1: failed to lookup address information",
            "postgres://x@db/app: TLS: invalid peer certificate: UnknownIssuer",
        ] {
            assert_eq!(result_of(Error::unavailable(unreached)), "failed", "{unreached}");
        }
        for refused in [
            "analyze: canceling statement due to lock timeout (55P03)",
            "patch deployments/x: 500 from the API server: boom",
            "An error was signalled by the server - ResponseError: NOPERM",
        ] {
            assert_eq!(
                result_of(Error::unavailable(refused)),
                "failed",
                "{refused}"
            );
        }
        for unknown in [
            "redis://127.0.0.1:6379: broken pipe",
            "postgres://x@db/app: connection closed",
            "patch deployments/x: cannot reach the API server: operation timed out",
        ] {
            assert_eq!(
                result_of(Error::unavailable(unknown)),
                "unknown",
                "{unknown}"
            );
        }
        assert_eq!(result_of(Error::not_found("deployment/x")), "failed");
        assert_eq!(result_of(Error::Internal("bug".into())), "unknown");
    }

    #[test]
    fn sqlstates_are_recognised_and_other_parentheses_are_not() {
        assert!(has_sqlstate("lock timeout (55p03)"));
        assert!(!has_sqlstate("client error (connect)"));
        assert!(!has_sqlstate("(abcde)"));
    }
}
