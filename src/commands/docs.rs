//! `incidentctl completion SHELL` and the hidden `generate-docs DIR`: completion scripts and man
//! pages come from the same clap tree as the parser, so they cannot drift from it (a test
//! regenerates the committed ones and fails on any difference). The completion scripts are
//! small: the shell asks the binary (`INCIDENTCTL_COMPLETE=SHELL incidentctl -- WORDS`), which
//! completes from the clap tree and, for names, from the cluster and the store
//! (src/cli/completion.rs).

use crate::cli::Cli;
use crate::error::{Error, ExitCode, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::Path;

pub use crate::cli::completion::COMPLETE_VAR;

/// The script a shell loads: it calls `incidentctl` (found on PATH) to complete.
fn registration(shell: Shell) -> Result<Vec<u8>> {
    use clap_complete::env::EnvCompleter;
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &clap_complete::env::Bash,
        Shell::Zsh => &clap_complete::env::Zsh,
        Shell::Fish => &clap_complete::env::Fish,
        Shell::Elvish => &clap_complete::env::Elvish,
        Shell::PowerShell => &clap_complete::env::Powershell,
        other => {
            return Err(Error::usage(format!(
                "no completion for {other}: bash, zsh, fish, elvish and powershell have one"
            )))
        }
    };
    let mut out = Vec::new();
    completer
        .write_registration(
            COMPLETE_VAR,
            "incidentctl",
            "incidentctl",
            "incidentctl",
            &mut out,
        )
        .map_err(|e| Error::Internal(format!("completion script: {e}")))?;
    Ok(out)
}

pub fn completion(shell: Shell, console: &crate::output::console::Console) -> Result<ExitCode> {
    let out = registration(shell)?;
    console.data(String::from_utf8_lossy(&out).as_ref())?;
    Ok(ExitCode::Ok)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    // Completions and man pages are for everyone to read.
    crate::files::replace(path, bytes, 0o644)
        .map_err(|e| Error::usage(format!("cannot write {}: {e}", path.display())))
}

/// Man pages: incidentctl.1 and one page per command and subcommand (incidentctl-db-kill-queries.1).
fn man_pages(cmd: &clap::Command, prefix: &str, dir: &Path) -> Result<()> {
    let name = if prefix.is_empty() {
        cmd.get_name().to_string()
    } else {
        format!("{prefix}-{}", cmd.get_name())
    };
    // The package version, not the git revision: the committed pages must not change with
    // every commit.
    let page = cmd
        .clone()
        .name(name.clone())
        .version(env!("CARGO_PKG_VERSION"));
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(|e| Error::Internal(format!("man page {name}: {e}")))?;
    write(&dir.join(format!("{name}.1")), &out)?;
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        man_pages(sub, &name, dir)?;
    }
    Ok(())
}

pub fn generate(dir: &Path) -> Result<ExitCode> {
    let man = dir.join("man");
    let completions = dir.join("completions");
    for d in [&man, &completions] {
        crate::files::create_dir_private(d)
            .map_err(|e| Error::usage(format!("cannot create {}: {e}", d.display())))?;
    }
    let mut cmd = Cli::command();
    cmd.build();
    man_pages(&cmd, "", &man)?;
    for (shell, file) in [
        (Shell::Bash, "incidentctl.bash"),
        (Shell::Zsh, "_incidentctl"),
        (Shell::Fish, "incidentctl.fish"),
        (Shell::Elvish, "incidentctl.elv"),
        (Shell::PowerShell, "_incidentctl.ps1"),
    ] {
        write(&completions.join(file), &registration(shell)?)?;
    }
    Ok(ExitCode::Ok)
}
