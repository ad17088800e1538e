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
use std::time::Duration;

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

    if let Err(e) = confirm(plan, opts).await {
        write_audit("refused", &[e.to_string()], None)?;
        finish("refused", &[e.to_string()], None)?;
        return Err(e);
    }

    let applied = action.apply(ctx).await;
    let applied = match applied {
        Ok(a) => a,
        Err(e) => {
            let details = vec![format!("failed, nothing changed: {e}")];
            write_audit("failed", &details, None)?;
            finish("failed", &details, None)?;
            return Err(e);
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
    if let (Some(timeout), true) = (opts.wait, action.verifies()) {
        if !json && settings.verbosity != crate::settings::Verbosity::Quiet {
            eprintln!(
                "waiting up to {} for the change to complete...",
                crate::settings::Dur(timeout)
            );
        }
        let outcome = action.verify(ctx, timeout).await;
        let verify_lines = match outcome {
            Ok(lines) => {
                verified = Some(true);
                lines
            }
            Err(e) => {
                verified = Some(false);
                let line = vec![format!("not verified: {e}")];
                verify_error = Some(e);
                line
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
