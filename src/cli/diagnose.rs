//! `incidentctl diagnose`: the runbooks' investigation steps.

use super::{FailOn, ObjectArgs};
use clap::{Args, ValueEnum};

pub(super) const DIAGNOSE_AFTER_HELP: &str = "\
Runbooks:
  app-down     pods, deployments, ingress, endpoints, events, PostgreSQL and Redis reachability
  database     connections, long-running queries, slow queries, replication, locks
  error-rate   5xx ratio, ERROR lines in app logs, Warning events, firing alerts, config and secret
  performance  p95 latency, pod and node resources, disk, Redis memory, slow queries, locks
  security     401/403 and auth lines in logs, 403 rate, audit_logs, the network policy

Every selected check runs concurrently, each within --timeout; a check shared by two runbooks runs
once. A target that is down or hangs makes its own checks unknown (critical where reachability is
the check) and never hides the other results.

Exit codes (Nagios convention):
  0 all ok, 1 worst is warning, 2 worst is critical, 3 unknown (nothing critical, some check could
  not run). 64 usage error, 78 configuration error.

Examples:
  incidentctl diagnose
  incidentctl diagnose app-down database
  incidentctl diagnose -o json | jq '.checks[] | select(.status != \"ok\")'
  incidentctl diagnose -o markdown > findings.md
  INCIDENTCTL_POSTGRES_URL=postgres://monitor@db.internal/app incidentctl diagnose database
  incidentctl diagnose --timeout 2s -q || page-oncall
  incidentctl diagnose security --list      # which checks a runbook runs
  incidentctl diagnose --fail-on critical -o junit > diagnose.xml   # CI gate
  incidentctl diagnose -o prometheus > /var/lib/node_exporter/incidentctl.prom
  incidentctl diagnose -o nagios            # one line with perfdata, for Nagios/Icinga
  incidentctl diagnose --context prod-eu --context prod-us   # several clusters at once
  incidentctl diagnose --all-contexts -o json";

#[derive(Debug, Clone, Args)]
pub struct DiagnoseArgs {
    /// Runbooks to investigate (default: all)
    #[arg(value_enum, value_name = "RUNBOOK")]
    pub runbooks: Vec<RunbookArg>,

    /// List the checks these runbooks would run, without running them
    #[arg(long)]
    pub list: bool,

    /// Run only this check (repeat for several), built-in or declared with [[check]]
    #[arg(long = "check", value_name = "ID")]
    pub checks: Vec<String>,

    /// Attach the findings to this incident (evidence file and a timeline entry)
    #[arg(long, value_name = "ID", env = "INCIDENTCTL_INCIDENT")]
    pub incident: Option<String>,

    /// Diagnose every context of the kubeconfig (concurrently, results grouped by context)
    #[arg(long, conflicts_with = "list")]
    pub all_contexts: bool,

    /// Exit 0 unless a check reaches this level (unknown always fails); marks JUnit failures
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,

    #[command(flatten)]
    pub objects: ObjectArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunbookArg {
    AppDown,
    Database,
    ErrorRate,
    Performance,
    Security,
}
