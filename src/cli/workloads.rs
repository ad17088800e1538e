//! `incidentctl restart` and `incidentctl scale`: the App Down and Performance runbooks'
//! workload steps.

use super::ChangeArgs;
use clap::Args;

pub(super) const RESTART_AFTER_HELP: &str = concat!(
    "Replaces: kubectl rollout restart deployment/backend -n reconciliation (Runbooks 1 and 3)

Sets the pod template annotation kubectl.kubernetes.io/restartedAt, as kubectl does, with the
deployment's resourceVersion as a precondition, then waits (up to --wait-timeout) until the
rollout is complete: observedGeneration caught up, and updated, ready and available replicas
equal to the desired count.

",
    "Examples:
  incidentctl restart --dry-run                 # the app deployments (backend, frontend)
  incidentctl restart backend                   # asks y/N on a terminal
  incidentctl restart backend --yes --incident INC-20261126-001
  incidentctl restart backend --no-wait -o json

",
    change_help!()
);

pub(super) const SCALE_AFTER_HELP: &str = concat!(
    "Replaces: kubectl scale deployment backend --replicas=5 -n reconciliation (Runbooks 1, 3, 4)

Shows current -> new replicas; applies with the current count as a precondition (as kubectl's
--current-replicas), so a plan made stale by someone else fails instead of clobbering; waits
until the new count is ready. The count must be within actions.scale_min..scale_max (1..50 by
default); 0 needs --allow-zero.

Examples:
  incidentctl scale backend --replicas 5 --dry-run
  incidentctl scale backend --replicas 5
  incidentctl scale frontend --replicas 3 --yes --incident INC-20261126-001
  incidentctl scale backend --replicas 0 --allow-zero --yes

",
    change_help!()
);

pub(super) const ROLLBACK_AFTER_HELP: &str = concat!(
    "Replaces: kubectl rollout undo deployment/backend [--to-revision N] -n reconciliation

Returns the deployment's pod template to the one of an earlier revision (the newest before the
current one, or --to-revision N), read from the ReplicaSets the deployment owns. The plan shows
what differs: images, the names of environment variables added, removed or changed, configmaps
and secrets referenced (never a value). Applied with the resourceVersion as a precondition,
then waits for the rollout; the undo returns to the revision that was current.

Examples:
  incidentctl rollback backend --dry-run
  incidentctl rollback backend --to-revision 3
  incidentctl rollback backend --yes --incident INC-20261126-001

",
    change_help!()
);

#[derive(Debug, Clone, Args)]
pub struct RollbackArgs {
    /// The deployment to roll back
    #[arg(value_name = "DEPLOYMENT", add = clap_complete::ArgValueCandidates::new(crate::cli::completion::deployments))]
    pub deployment: String,

    /// The revision to return to (default: the one before the current)
    #[arg(long, value_name = "N")]
    pub to_revision: Option<i64>,

    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct RestartArgs {
    /// Deployments to restart (default: the configured app deployments)
    #[arg(value_name = "DEPLOYMENT", add = clap_complete::ArgValueCandidates::new(crate::cli::completion::deployments))]
    pub deployments: Vec<String>,

    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ScaleArgs {
    /// The deployment to scale
    #[arg(value_name = "DEPLOYMENT", add = clap_complete::ArgValueCandidates::new(crate::cli::completion::deployments))]
    pub deployment: String,

    /// The new replica count
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub replicas: i64,

    /// Allow scaling to 0 replicas (takes the app down)
    #[arg(long)]
    pub allow_zero: bool,

    #[command(flatten)]
    pub change: ChangeArgs,
}
