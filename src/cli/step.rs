//! A runbook's resolution step read as the command it names: the words after `incidentctl`,
//! parsed by the same command tree as a typed command. So a step can only be a command
//! incidentctl has, with arguments that command accepts; the flags that decide how it runs
//! (--yes, --dry-run, --confirm, --incident, the namespace…) are the runbook run's to give, never
//! the step's.

use super::{Cli, Command};
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

/// The flags a step may not give: how a change runs, and what it runs against, are decided
/// when the runbook is run (and confirmed by the person running it).
const RUN_FLAGS: &[&str] = &[
    "dry_run",
    "yes",
    "confirm",
    "incident",
    "wait",
    "no_wait",
    "wait_timeout",
    "config",
    "context",
    "namespace",
    "output",
    "timeout",
    "quiet",
    "verbose",
    "no_color",
];

/// Every action a step may name: each command that changes something (it takes --yes), as the
/// words that name it (`scale`, `db kill-queries`), in the command tree's order; never
/// `runbook run`.
pub fn actions() -> Vec<String> {
    fn walk(cmd: &clap::Command, path: &[&str], out: &mut Vec<String>) {
        let subcommands: Vec<&clap::Command> = cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
            .collect();
        if subcommands.is_empty() {
            if cmd.get_arguments().any(|a| a.get_id() == "yes") {
                out.push(path.join(" "));
            }
            return;
        }
        // A step never runs a runbook: one runbook's step could start another, without end.
        for sub in subcommands
            .into_iter()
            .filter(|s| s.get_name() != "runbook")
        {
            let mut next = path.to_vec();
            next.push(sub.get_name());
            walk(sub, &next, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &[], &mut out);
    out
}

/// The step parsed as the command it names. Errors are clap's message (a missing argument, a
/// bad value, an unknown flag) or the flag the step may not give.
pub fn parse(words: &[String]) -> Result<Command, String> {
    parse_with(&mut Cli::command(), words)
}

/// As `parse`, with a command tree already built (`Cli::command()`), for many steps at once.
pub fn parse_with(tree: &mut clap::Command, words: &[String]) -> Result<Command, String> {
    let argv = std::iter::once("incidentctl".to_string()).chain(words.iter().cloned());
    let matches = tree
        .try_get_matches_from_mut(argv)
        .map_err(|e| first_paragraph(&e.render().to_string()))?;
    let mut level = Some(&matches);
    while let Some(m) = level {
        for id in m.ids() {
            let id = id.as_str();
            if RUN_FLAGS.contains(&id) && m.value_source(id) == Some(ValueSource::CommandLine) {
                return Err(format!(
                    "--{} is not a step's to give: `runbook run` decides how a step runs (--dry-run, --yes, --confirm, --incident, --wait…) and what against (-n, --context, --config)",
                    id.replace('_', "-")
                ));
            }
        }
        level = m.subcommand().map(|(_, sub)| sub);
    }
    let cli = Cli::from_arg_matches(&matches).map_err(|e| first_paragraph(&e.to_string()))?;
    let mut command = cli.command;
    if command.change_args_mut().is_none() {
        return Err("not a command that changes something".into());
    }
    Ok(command)
}

/// clap's message without its usage lines: `error: …` and the lines that go with it, on one
/// line.
fn first_paragraph(rendered: &str) -> String {
    rendered
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim_start_matches("error: ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(words: &[&str]) -> Result<Command, String> {
        parse(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn the_actions_are_the_commands_that_take_yes() {
        let actions = actions();
        for a in [
            "restart",
            "scale",
            "db kill-queries",
            "cache flush",
            "security block-ip",
            "silence expire",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
        for not in [
            "diagnose",
            "security config",
            "silence list",
            "report new",
            "runbook run",
        ] {
            assert!(!actions.iter().any(|x| x == not), "{not} in {actions:?}");
        }
        // Each is a command `runbook run` can hand its flags to.
        for a in &actions {
            let mut cmd = Cli::command();
            let leaf = a
                .split(' ')
                .fold(&mut cmd, |c, w| c.find_subcommand_mut(w).unwrap());
            assert!(leaf.get_arguments().any(|x| x.get_id() == "yes"), "{a}");
        }
    }

    #[test]
    fn a_step_parses_as_its_command_and_is_refused_as_clap_refuses_it() {
        let Ok(Command::Scale(scale)) = parsed(&["scale", "backend", "--replicas", "3"]) else {
            panic!("scale parses");
        };
        assert_eq!((scale.deployment.as_str(), scale.replicas), ("backend", 3));
        assert!(parsed(&["db", "kill-queries", "--older-than", "5m"]).is_ok());
        let missing = parsed(&["scale", "backend"]).unwrap_err();
        assert!(missing.contains("--replicas"), "{missing}");
        let bad = parsed(&["scale", "backend", "--replicas", "many"]).unwrap_err();
        assert!(bad.contains("invalid value 'many'"), "{bad}");
        let unknown = parsed(&["scael"]).unwrap_err();
        assert!(
            unknown.contains("unrecognized subcommand 'scael'"),
            "{unknown}"
        );
        assert!(parsed(&["security", "config"])
            .unwrap_err()
            .contains("not a command that changes"));
    }

    #[test]
    fn the_flags_of_the_run_are_never_a_steps() {
        for flag in [
            &["--yes"][..],
            &["-y"],
            &["--dry-run"],
            &["--confirm", "postgres"],
            &["--incident", "INC-1"],
            &["-n", "other"],
            &["--context", "prod"],
            &["--no-wait"],
        ] {
            let mut words = vec!["scale", "backend", "--replicas", "3"];
            words.extend_from_slice(flag);
            let e = parsed(&words).unwrap_err();
            assert!(e.contains("is not a step's to give"), "{flag:?}: {e}");
        }
    }
}
