//! `incidentctl diagnose`: what runs the checks' findings into a verdict — severity, the
//! comparison with a baseline, the evidence bundle, the analysis of symptoms and suspects, and
//! the watch loop.

pub mod analysis;
pub mod compare;
pub mod evidence;
pub mod render;
pub mod run;
pub mod severity;
pub mod watch;

use crate::checks::CheckResult;
use crate::clients::Context;
use crate::error::{Error, ExitCode, Result};
use crate::settings::Settings;
use crate::types::output::FailOn;
use crate::types::Status;
pub use run::{Diagnosis, Selection, Summary, DIAGNOSE_SCHEMA};
use std::path::Path;
use std::sync::Arc;

/// `--check ID`: each names a check, built-in or declared.
pub fn check_ids_exist(ids: &[String], settings: &Settings) -> Result<()> {
    let all = crate::checks::all(settings);
    for id in ids {
        if !all.iter().any(|c| c.id == id) {
            return Err(
                Error::usage(format!("--check {id}: no such check")).with_hint(
                    "`incidentctl diagnose --list` lists every check id, built-in and declared",
                ),
            );
        }
    }
    Ok(())
}

/// The exit code of a run: the worst status of `statuses`; with --fail-on, 0 unless one of
/// them reaches the level.
pub fn gate(statuses: &[Status], fail_on: Option<FailOn>) -> ExitCode {
    if let Some(level) = fail_on {
        if !statuses
            .iter()
            .any(|s| render::automation::fails(*s, level))
        {
            return ExitCode::Ok;
        }
    }
    Status::overall(statuses.iter().copied()).into()
}

/// Clusters diagnosed at once: enough to hide latency, few enough for a laptop.
const CLUSTER_PARALLELISM: usize = 4;

/// `--all-contexts`: every context of the kubeconfig.
pub fn all_contexts() -> Result<Vec<String>> {
    let config = crate::clients::kube::kubeconfig::read()
        .map_err(|e| Error::config("--all-contexts", e.to_string()).with_hint(e.hint()))?
        .ok_or_else(|| {
            Error::config(
                "--all-contexts",
                "needs a kubeconfig: KUBECONFIG is not set and ~/.kube/config does not exist",
            )
        })?;
    let names: Vec<String> = config.contexts.iter().map(|c| c.name.clone()).collect();
    if names.is_empty() {
        return Err(Error::config(
            "KUBECONFIG",
            "the kubeconfig has no contexts",
        ));
    }
    Ok(names)
}

/// The same diagnosis in each cluster, concurrently, in the order given; one unreachable
/// cluster only makes its own Kubernetes checks unknown.
pub async fn in_clusters(
    ctx: &Context,
    selection: &Selection,
    contexts: Vec<String>,
) -> Vec<(String, Diagnosis)> {
    use futures::stream::{self, StreamExt};
    stream::iter(contexts)
        .map(|name| {
            let mut s = (*ctx.settings).clone();
            s.kubernetes.context = Some(name.clone());
            s.contexts.clear();
            let cluster = Arc::new(ctx.derived(Arc::new(s), ctx.console.clone()));
            async move { (name, run::diagnose(cluster, selection, &|_| {}).await) }
        })
        .buffered(CLUSTER_PARALLELISM)
        .collect()
        .await
}

/// The checks of every cluster's diagnosis, in one list.
pub fn all_checks(runs: &[(String, Diagnosis)]) -> Vec<CheckResult> {
    runs.iter()
        .flat_map(|(_, d)| d.checks.iter().cloned())
        .collect()
}

/// `--capture DIR`: the bundle, said on the console; its manifest.
pub async fn capture(
    ctx: Arc<Context>,
    diagnosis: &Diagnosis,
    dir: &Path,
) -> Result<evidence::Manifest> {
    let console = ctx.console.clone();
    let (manifest_path, manifest) = evidence::capture(ctx, diagnosis, dir).await?;
    console.done(format!(
        "evidence: {} files in {} ({} withheld, see {})",
        manifest.files.len(),
        dir.display(),
        manifest.withheld.len(),
        manifest_path.display()
    ));
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_code_is_the_worst_status_as_nagios_plugins_exit() {
        use Status::{Critical, Ok, Unknown, Warning};
        assert_eq!(gate(&[], None), ExitCode::Ok);
        assert_eq!(gate(&[Ok, Warning], None), ExitCode::Warning);
        assert_eq!(gate(&[Warning, Unknown], None), ExitCode::Unknown);
        assert_eq!(gate(&[Unknown, Critical, Ok], None), ExitCode::Critical);
        assert_eq!(ExitCode::from(Critical).code(), 2);
    }

    #[test]
    fn fail_on_passes_what_stays_below_its_level_and_keeps_the_worst_code_otherwise() {
        use Status::{Critical, Ok, Unknown, Warning};
        assert_eq!(gate(&[Ok, Warning], Some(FailOn::Critical)), ExitCode::Ok);
        assert_eq!(
            gate(&[Ok, Warning], Some(FailOn::Warning)),
            ExitCode::Warning
        );
        // Unknown could not rule a problem out: it fails any gate.
        assert_eq!(
            gate(&[Warning, Unknown], Some(FailOn::Critical)),
            ExitCode::Unknown
        );
        assert_eq!(
            gate(&[Critical], Some(FailOn::Critical)),
            ExitCode::Critical
        );
    }
}
