//! incidentctl: parse → resolve settings → dispatch → map the outcome to an exit code (only here).

use clap::Parser;
use incidentctl::cli::{self, Cli, Command};
use incidentctl::error::{self, Error, ExitCode};
use incidentctl::output::redact;
use incidentctl::settings::{self, ProcessEnv, Settings};
use incidentctl::{clients, commands};
use std::sync::Arc;

fn main() -> std::process::ExitCode {
    install_panic_hook();
    let code = std::panic::catch_unwind(run).unwrap_or(ExitCode::Panic);
    std::process::ExitCode::from(code.code())
}

/// A panic is a bug: say so in one short message with what to report, instead of a backtrace
/// dump in the middle of an incident, and exit with its own code (101). A panic inside one check
/// is caught by its task and only makes that check unknown.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        incidentctl::say!(
            "incidentctl hit a bug{place}: {}\nhint: please report it with the command you ran and `incidentctl --version`; nothing else was changed by this failure",
            redact::secrets(&what)
        );
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            incidentctl::say!("{}", std::backtrace::Backtrace::force_capture());
        }
    }));
}

fn run() -> ExitCode {
    // The shell asking for completions (INCIDENTCTL_COMPLETE=bash incidentctl -- …): answer and
    // exit. Only in the form the completion scripts use: the variable left set in a CI job
    // must not turn `diagnose` into a script print that exits 0.
    let stray_completion_variable = match incidentctl::cli::completion::request() {
        incidentctl::cli::completion::Request::Completion => {
            clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
                .var(commands::docs::COMPLETE_VAR)
                .complete();
            false
        }
        incidentctl::cli::completion::Request::StrayVariable => true,
        incidentctl::cli::completion::Request::None => false,
    };
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    let overrides = settings::Overrides {
        objects: cli.command.object_names(),
        ..cli.global.overrides()
    };
    // Files read while settings are resolved (the config, secret files) get the timeout the
    // flag gives, if any; every later read the settings' own.
    if let Some(timeout) = overrides.timeout {
        incidentctl::files::bounded::set_timeout(timeout.0);
    }
    let settings = match Settings::resolve(
        &overrides,
        &ProcessEnv,
        incidentctl::output::printer::stdout_is_terminal(),
    ) {
        Ok(s) => Arc::new(s),
        Err(e) => return report(&e),
    };
    incidentctl::files::bounded::set_timeout(settings.timeout.0);
    if let Err(e) = incidentctl::checks::validate_declared(&settings)
        .and_then(|()| incidentctl::checks::validate_thresholds(&settings))
        .and_then(|()| {
            incidentctl::diagnose::severity::validate_check_ids(&settings.severity.rules, &settings)
        })
        .and_then(|()| incidentctl::runbooks::validate(&settings))
        .and_then(|()| commands::runbook::validate_steps(&settings))
    {
        return report(&e);
    }
    if let Some(path) = &settings.config_file {
        if let Some(mode) = settings::exposed_secret_file(path) {
            if settings.verbosity != settings::Verbosity::Quiet {
                incidentctl::say!(
                    "warning: {} holds a secret and is readable by others (mode {mode:o}); run: chmod 600 {}",
                    path.display(),
                    path.display()
                );
            }
        }
    }
    if settings.verbosity != settings::Verbosity::Quiet {
        if stray_completion_variable {
            incidentctl::say!(
                "warning: {} is set, but this is not a shell asking for completions (`incidentctl -- WORDS`): ignored",
                commands::docs::COMPLETE_VAR
            );
        }
        for warning in &settings.warnings {
            incidentctl::say!("warning: {warning}");
        }
    }
    if settings.verbosity == settings::Verbosity::Verbose {
        match &settings.config_file {
            Some(p) => incidentctl::say!("using config file {}", p.display()),
            None => {
                incidentctl::say!("no config file found: using defaults, environment and flags")
            }
        }
    }
    // Both rustls back-ends can end up compiled in; pick one explicitly so TLS never panics.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return report(&Error::Internal(format!("cannot start the runtime: {e}"))),
    };
    let ctx = Arc::new(clients::Context::new(settings));
    let change_in_progress = ctx.change_flag();
    let outcome = runtime.block_on(async {
        let work = dispatch(&cli.command, ctx);
        tokio::pin!(work);
        loop {
            tokio::select! {
                r = &mut work => break Some(r),
                _ = tokio::signal::ctrl_c() => {
                    // A change under way handles Ctrl-C itself, so it can say what was and was
                    // not changed; anything else just stops.
                    if !change_in_progress.load(std::sync::atomic::Ordering::SeqCst) {
                        break None;
                    }
                }
            }
        }
    });
    // Checks still waiting on a hung server must not hold the process open.
    runtime.shutdown_background();
    match outcome {
        Some(Ok(code)) => code,
        Some(Err(e)) => report(&e),
        None => {
            incidentctl::say!("interrupted");
            ExitCode::Interrupted
        }
    }
}

async fn dispatch(command: &Command, ctx: Arc<clients::Context>) -> error::Result<ExitCode> {
    let settings = ctx.settings.clone();
    use cli::OutputFormat::{Junit, Nagios, Prometheus};
    if matches!(settings.output, Junit | Prometheus | Nagios)
        && !matches!(command, Command::Diagnose(_))
    {
        return Err(Error::usage(
            "-o junit, prometheus and nagios are diagnose's outputs; use table, json or markdown here",
        ));
    }
    if !settings.contexts.is_empty() && !matches!(command, Command::Diagnose(_)) {
        return Err(Error::usage(
            "--context more than once: only diagnose checks several clusters; a change goes to one",
        ));
    }
    match command {
        Command::Diagnose(args) => commands::diagnose::run(args, ctx).await,
        Command::Restart(_)
        | Command::Scale(_)
        | Command::Rollback(_)
        | Command::Db(_)
        | Command::Cache(_)
        | Command::Security(_)
        | Command::Silence(_) => commands::run_change(command, &ctx).await,
        Command::Runbook(cli::RunbookCommand::Run(args)) => {
            commands::runbook_run::run(args, ctx).await
        }
        Command::Runbook(cmd) => commands::runbook::run(cmd, ctx).await,
        Command::Report(args) => commands::report::run(args, ctx).await,
        Command::Config(cmd) => commands::config::run(cmd, ctx.clone()).await,
        Command::Doctor { send_test, .. } => commands::doctor::run(*send_test, ctx).await,
        Command::Completion { shell } => commands::docs::completion(*shell, &ctx.console),
        Command::GenerateDocs { dir } => commands::docs::generate(dir),
    }
}

/// Prints an error as one line (plus a hint) on stderr and returns its exit code.
fn report(e: &Error) -> ExitCode {
    incidentctl::say!("error: {e}");
    if let Some(hint) = e.hint() {
        incidentctl::say!("hint: {hint}");
    }
    e.exit_code()
}

/// clap's errors: help and version are not errors; everything else is a usage error (64, not
/// clap's 2, which would read as CRITICAL), shown as clap's whole message — the error and the
/// lines that belong to it (the missing arguments, the possible values, a tip) — then our hint.
fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::Usage
            } else {
                ExitCode::Ok
            }
        }
        _ => {
            let rendered = e.render().to_string();
            incidentctl::say!("{}", usage_error_text(&rendered));
            incidentctl::say!("hint: see 'incidentctl --help' (or 'incidentctl <command> --help')");
            ExitCode::Usage
        }
    }
}

/// The first paragraph of clap's rendered error: the error line and the lines that go with it.
/// The usage line and "For more information" after it are left to our hint.
fn usage_error_text(rendered: &str) -> String {
    let mut lines: Vec<&str> = rendered
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .collect();
    // clap puts "tip: a similar argument exists" in a paragraph of its own.
    lines.extend(
        rendered
            .lines()
            .filter(|l| l.trim_start().starts_with("tip:")),
    );
    lines.dedup();
    if lines.is_empty() {
        "error: invalid usage".into()
    } else {
        lines.join("\n")
    }
}
