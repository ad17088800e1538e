//! Starts a local incident to practise on (real PostgreSQL, Redis, Prometheus and Alertmanager,
//! and Kubernetes: a real control plane or the stand-in), then either runs one command against
//! it or waits.
//!
//!   incidentctl-sandbox run [--scenario incident|healthy|scale|scale-large|bad-rollout] [--kubernetes real|standin] [--metrics FAMILY] -- COMMAND [ARGS...]
//!   incidentctl-sandbox up  [--scenario incident|healthy|scale|scale-large|bad-rollout] [--kubernetes real|standin] [--metrics FAMILY] [--env-file PATH]
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

use incidentctl_sandbox::request_metrics::{self, Family};
use incidentctl_sandbox::scenario::{Scenario, NAMESPACE};
use incidentctl_sandbox::servers;
use incidentctl_sandbox::servers::Prometheus;
use incidentctl_sandbox::world::{Kubernetes, World};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: incidentctl-sandbox run [--scenario incident|healthy|scale|scale-large|bad-rollout] [--kubernetes real|standin] [--metrics FAMILY] -- COMMAND [ARGS...]\n       incidentctl-sandbox up [--scenario incident|healthy|scale|scale-large|bad-rollout] [--kubernetes real|standin] [--metrics FAMILY] [--env-file PATH]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("incidentctl-sandbox: {message}");
            ExitCode::from(70)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some(mode) = args.first() else {
        eprintln!("{USAGE}");
        return Ok(ExitCode::from(64));
    };
    let mut scenario = Scenario::Incident;
    // The real control plane when it has been built (scripts/install-deps.sh does), else the
    // stand-in, which needs no build.
    let built = incidentctl_sandbox::kubernetes::bin_dir()
        .join("kube-apiserver")
        .is_file();
    let mut kubernetes = if built {
        Kubernetes::Real
    } else {
        Kubernetes::StandIn
    };
    let mut env_file: Option<std::path::PathBuf> = None;
    let mut metrics: Option<Family> = None;
    let mut rest = &args[1..];
    loop {
        match rest.first().map(String::as_str) {
            Some("--scenario") => {
                scenario = rest.get(1).ok_or("--scenario needs a value")?.parse()?;
                rest = &rest[2..];
            }
            Some("--kubernetes") => {
                kubernetes = rest.get(1).ok_or("--kubernetes needs a value")?.parse()?;
                rest = &rest[2..];
            }
            Some("--metrics") => {
                metrics = Some(rest.get(1).ok_or("--metrics needs a family")?.parse()?);
                rest = &rest[2..];
            }
            Some("--env-file") if mode == "up" => {
                env_file = Some(rest.get(1).ok_or("--env-file needs a path")?.into());
                rest = &rest[2..];
            }
            _ => break,
        }
    }
    servers::kill_all_at_exit();
    let which = match kubernetes {
        Kubernetes::Real => "a Kubernetes control plane",
        Kubernetes::StandIn => "the Kubernetes stand-in",
    };
    if kubernetes == Kubernetes::StandIn && !built {
        eprintln!("incidentctl-sandbox: the real control plane is not built (scripts/build-kubernetes.sh builds it once); using the stand-in");
    }
    eprintln!("incidentctl-sandbox: starting PostgreSQL, Redis, Prometheus, Alertmanager and {which} ({scenario:?})...");
    match mode.as_str() {
        "run" => {
            let command = match rest.first().map(String::as_str) {
                Some("--") => &rest[1..],
                _ => rest,
            };
            let Some(program) = command.first() else {
                eprintln!("{USAGE}");
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
        "up" => {
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
        other => Err(format!("unknown mode '{other}'\n{USAGE}")),
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
