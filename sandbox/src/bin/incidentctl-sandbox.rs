//! Starts a local incident to practise on (real PostgreSQL, Redis, Prometheus and Alertmanager,
//! and Kubernetes: a real control plane or the stand-in), then either runs one command against
//! it or waits.
//!
//!   incidentctl-sandbox run [--scenario incident|healthy|scale|scale-large|bad-rollout|hostile] [--kubernetes real|standin] [--metrics FAMILY] -- COMMAND [ARGS...]
//!   incidentctl-sandbox up  [--scenario incident|healthy|scale|scale-large|bad-rollout|hostile] [--kubernetes real|standin] [--metrics FAMILY] [--env-file PATH]
//!
//! `--metrics FAMILY` (incidentctl, ingress-nginx, istio, otel-http, spring, traefik) points
//! incidentctl at a second Prometheus whose request metrics follow that family's names, labels
//! and units: the app (`backend`, `frontend`) at 6.5 % 5xx next to two other apps.
//!
//! `--kubernetes real` (the default when `scripts/build-kubernetes.sh` has built it) runs
//! kube-apiserver, etcd and kube-controller-manager with a node agent; `standin` the simulated API.
//! `run` exits with COMMAND's exit code. `up` prints `export` lines for a shell and waits for
//! Ctrl-C or SIGTERM; with `--env-file` it also writes those lines to PATH, all at once (written
//! aside, then renamed) when the sandbox is ready, so a script can wait for the file to appear.
//! Everything lives in a temp dir, on loopback, and is removed on exit.

use clap::{Args, Parser, Subcommand};
use incidentctl_sandbox::request_metrics::{self, Family};
use incidentctl_sandbox::scenario::{Scenario, NAMESPACE};
use incidentctl_sandbox::servers;
use incidentctl_sandbox::servers::Prometheus;
use incidentctl_sandbox::world::{Kubernetes, World};
use std::process::{Command, ExitCode};

/// A local incident to practise on: real PostgreSQL, Redis, Prometheus and Alertmanager, and
/// Kubernetes (a real control plane or the stand-in), on loopback in a temp dir, removed on exit.
#[derive(Parser)]
#[command(name = "incidentctl-sandbox", version)]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// Start the sandbox, run COMMAND against it (its environment points incidentctl there),
    /// stop the sandbox, and exit with COMMAND's exit code.
    #[command(
        after_help = "Example:\n  incidentctl-sandbox run -- target/debug/incidentctl diagnose   # exits 2: the incident is critical"
    )]
    Run {
        #[command(flatten)]
        world: WorldArgs,
        /// The command and its arguments (after `--`).
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        command: Vec<String>,
    },
    /// Start the sandbox and keep it running: prints `export` lines for a shell and waits for
    /// Ctrl-C or SIGTERM.
    #[command(
        after_help = "Example:\n  target/debug/incidentctl-sandbox up --env-file /tmp/sandbox.env &\n  until [ -f /tmp/sandbox.env ]; do sleep 1; done; source /tmp/sandbox.env"
    )]
    Up {
        #[command(flatten)]
        world: WorldArgs,
        /// Also write the export lines to PATH, all at once when the sandbox is ready (written
        /// aside, then renamed), so a script can wait for the file to appear.
        #[arg(long, value_name = "PATH")]
        env_file: Option<std::path::PathBuf>,
    },
}

#[derive(Args)]
struct WorldArgs {
    /// incident, healthy, scale (5,000 pods, 20,000 events), scale-large (20,000 pods,
    /// 80,000 events), bad-rollout (backend revision 2 rolled out 12 min before its 5xx rate
    /// rose; the series backfilled to match) or hostile (the incident with terminal control
    /// sequences in a log line, an event, a query and an alert).
    #[arg(long, default_value = "incident", value_parser = parse::<Scenario>)]
    scenario: Scenario,
    /// real (kube-apiserver, etcd and kube-controller-manager with a node agent; the default
    /// once scripts/build-kubernetes.sh has built it) or standin (simulated, needs no build).
    #[arg(long, value_parser = parse::<Kubernetes>)]
    kubernetes: Option<Kubernetes>,
    /// Point incidentctl at a second Prometheus whose request metrics follow this family's
    /// names, labels and units: incidentctl, ingress-nginx, istio, otel-http, spring, traefik.
    #[arg(long, value_name = "FAMILY", value_parser = parse::<Family>)]
    metrics: Option<Family>,
}

fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let _ = e.print();
            // Help and version are answers; any other mistake is a usage error (64), as in
            // incidentctl, and starts nothing.
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::from(64),
            };
        }
    };
    match run(cli.mode) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("incidentctl-sandbox: {message}");
            ExitCode::from(70)
        }
    }
}

fn run(mode: Mode) -> Result<ExitCode, String> {
    let (Mode::Run { world, .. } | Mode::Up { world, .. }) = &mode;
    let (scenario, metrics) = (world.scenario, world.metrics);
    // The real control plane when it has been built (scripts/install-deps.sh does), else the
    // stand-in, which needs no build.
    let built = incidentctl_sandbox::kubernetes::bin_dir()
        .join("kube-apiserver")
        .is_file();
    let kubernetes = world.kubernetes.unwrap_or(if built {
        Kubernetes::Real
    } else {
        Kubernetes::StandIn
    });
    servers::kill_all_at_exit();
    let which = match kubernetes {
        Kubernetes::Real => "a Kubernetes control plane",
        Kubernetes::StandIn => "the Kubernetes stand-in",
    };
    if kubernetes == Kubernetes::StandIn && !built {
        eprintln!("incidentctl-sandbox: the real control plane is not built (scripts/build-kubernetes.sh builds it once); using the stand-in");
    }
    eprintln!("incidentctl-sandbox: starting PostgreSQL, Redis, Prometheus, Alertmanager and {which} ({scenario:?})...");
    match mode {
        Mode::Run { command, .. } => {
            let command = match command.first().map(String::as_str) {
                Some("--") => &command[1..],
                _ => &command[..],
            };
            let Some(program) = command.first() else {
                eprintln!("incidentctl-sandbox run: no COMMAND given (see --help)");
                return Ok(ExitCode::from(64));
            };
            let world = World::start(scenario, kubernetes)?;
            let (env, _family_prometheus) = environment(&world, metrics)?;
            eprintln!("incidentctl-sandbox: ready; running {}", command.join(" "));
            let status = Command::new(program)
                .args(&command[1..])
                .envs(env)
                .status()
                .map_err(|e| format!("cannot run {program}: {e}"))?;
            drop(world);
            Ok(ExitCode::from(
                status.code().unwrap_or(70).clamp(0, 255) as u8
            ))
        }
        Mode::Up { env_file, .. } => {
            let world = World::start(scenario, kubernetes)?;
            let (env, _family_prometheus) = environment(&world, metrics)?;
            let exports: String = env
                .iter()
                .map(|(k, v)| format!("export {k}='{v}'\n"))
                .collect();
            print!("{exports}");
            if let Some(path) = &env_file {
                let aside = path.with_extension("partial");
                std::fs::write(&aside, &exports)
                    .and_then(|()| std::fs::rename(&aside, path))
                    .map_err(|e| format!("writing {}: {e}", path.display()))?;
            }
            eprintln!("incidentctl-sandbox: ready in {}; paste the export lines above into another shell, then run incidentctl diagnose. Ctrl-C stops it.", world.dir().display());
            world.runtime().block_on(async {
                let mut term =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                        .map_err(|e| e.to_string())?;
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
                Ok::<(), String>(())
            })?;
            eprintln!("incidentctl-sandbox: stopping");
            drop(world);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Environment variables for incidentctl, as `(name, value)`.
type Environment = Vec<(String, String)>;

/// The world's environment; with a family, incidentctl's Prometheus is one holding that
/// family's request metrics (kept running while the returned server lives).
fn environment(
    world: &World,
    family: Option<Family>,
) -> Result<(Environment, Option<Prometheus>), String> {
    let mut env = world.env();
    let Some(family) = family else {
        return Ok((env, None));
    };
    let prometheus = request_metrics::start_prometheus(world.dir(), family, NAMESPACE)?;
    for (key, value) in env.iter_mut() {
        if key == "INCIDENTCTL_PROMETHEUS_URL" {
            *value = prometheus.url();
        }
    }
    Ok((env, Some(prometheus)))
}
