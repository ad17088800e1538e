//! Asking before a change: y/N on a terminal, the target's name for the most destructive ones;
//! without a terminal only --yes (and --confirm NAME) lets a change through. Nothing is ever read
//! from a stdin that is not a terminal.

use super::{Confirm, ExecuteOptions, Plan};
use crate::error::{Error, Result, Unconfirmed};
use crate::output::console::Prompter;
use std::sync::Arc;

/// Whether the change may go ahead: Ok, or NotConfirmed saying why not.
pub async fn confirm(
    plan: &Plan,
    opts: &ExecuteOptions,
    prompter: Arc<dyn Prompter>,
) -> Result<()> {
    let interactive = prompter.interactive();
    match &plan.confirm {
        Confirm::YesNo if opts.yes => Ok(()),
        Confirm::TypeName(name) if opts.yes && opts.confirm_name.as_deref() == Some(name) => Ok(()),
        Confirm::TypeName(name) if opts.yes && !interactive => {
            Err(Error::NotConfirmed(Unconfirmed::NameNeeded {
                name: name.clone(),
                given: opts.confirm_name.clone(),
            }))
        }
        _ if !interactive => Err(Error::NotConfirmed(Unconfirmed::NoTerminal)),
        Confirm::YesNo => {
            let question = format!("Apply this change to {}? [y/N] ", plan.target);
            let answer = ask(prompter, question).await?;
            if matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
                Ok(())
            } else {
                Err(Error::NotConfirmed(Unconfirmed::Declined))
            }
        }
        Confirm::TypeName(name) => {
            let question = format!("This cannot be undone. Type {name} to confirm: ");
            let answer = ask(prompter, question).await?;
            if answer.trim() == name {
                Ok(())
            } else {
                Err(Error::NotConfirmed(Unconfirmed::WrongName {
                    name: name.clone(),
                    typed: answer.trim().to_string(),
                }))
            }
        }
    }
}

/// Reading a terminal blocks: off the async threads, so Ctrl-C can still be handled.
async fn ask(prompter: Arc<dyn Prompter>, question: String) -> Result<String> {
    tokio::task::spawn_blocking(move || prompter.ask(&question))
        .await
        .map_err(|e| Error::Internal(format!("prompt failed: {e}")))?
        .map_err(|e| Error::NotConfirmed(Unconfirmed::Unreadable(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::output::scripted::{terminal, Scripted};

    fn options(yes: bool, confirm_name: Option<&str>) -> ExecuteOptions {
        ExecuteOptions {
            dry_run: false,
            yes,
            confirm_name: confirm_name.map(str::to_string),
            incident: None,
            wait: None,
            runbook: None,
        }
    }

    fn plan(confirm: Confirm) -> Plan {
        let mut p = Plan::new("test", "deployment/x in ns", "a test change");
        p.confirm = confirm;
        p
    }

    fn run(plan: &Plan, opts: &ExecuteOptions, t: &Arc<Scripted>) -> Result<()> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(confirm(plan, opts, t.clone()))
    }

    #[test]
    fn a_terminal_is_asked_and_only_yes_goes_ahead() {
        let yes_no = plan(Confirm::YesNo);
        let t = terminal(true, "y");
        assert!(run(&yes_no, &options(false, None), &t).is_ok());
        assert_eq!(
            t.asked()[0],
            "Apply this change to deployment/x in ns? [y/N] "
        );
        let no = run(&yes_no, &options(false, None), &terminal(true, "n")).unwrap_err();
        assert!(matches!(no, Error::NotConfirmed(_)), "{no}");
        // Answered on a terminal: no hint to find one.
        assert_eq!(no.hint(), None, "{no}");
    }

    #[test]
    fn the_most_destructive_changes_need_the_name_typed() {
        let typed = plan(Confirm::TypeName("postgres".into()));
        assert!(run(&typed, &options(false, None), &terminal(true, "postgres")).is_ok());
        let wrong = run(&typed, &options(false, None), &terminal(true, "postgre")).unwrap_err();
        assert!(wrong.to_string().contains("is not postgres"), "{wrong}");
        let hint = wrong.hint().unwrap_or_default();
        assert!(
            !hint.contains("terminal") && !hint.contains("--yes"),
            "{hint}"
        );
    }

    #[test]
    fn without_a_terminal_nothing_is_asked_and_only_yes_goes_ahead() {
        let t = terminal(false, "y");
        let refused = run(&plan(Confirm::YesNo), &options(false, None), &t).unwrap_err();
        assert!(refused.to_string().contains("no terminal"), "{refused}");
        assert!(run(&plan(Confirm::YesNo), &options(true, None), &t).is_ok());
        let typed = plan(Confirm::TypeName("db".into()));
        let needs_name = run(&typed, &options(true, None), &t).unwrap_err();
        assert!(
            needs_name.to_string().contains("--confirm db"),
            "{needs_name}"
        );
        // --yes was given: the hint asks only for what is missing.
        let hint = needs_name.hint().unwrap_or_default();
        assert!(
            hint.contains("--confirm") && !hint.contains("pass --yes"),
            "{hint}"
        );
        let other = run(&typed, &options(true, Some("dc")), &t).unwrap_err();
        assert!(
            other
                .to_string()
                .contains("--confirm dc does not name the target db"),
            "{other}"
        );
        assert!(run(&typed, &options(true, Some("db")), &t).is_ok());
        assert!(t.asked().is_empty(), "nothing is ever asked");
    }
}
