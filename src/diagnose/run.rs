//! Running checks: concurrently, each under the per-check timeout, a check shared by two
//! runbooks once; and beside them the symptoms over the incident's window, for the onset and the
//! likely causes. The result is the [`Diagnosis`] every output renders.

use super::analysis::suspects::{Seen, Suspect};
use super::analysis::symptoms::SymptomSeries;
use super::analysis::{self, Onset, SymptomReading, Window};
use super::severity::{self, Assessment};
use crate::checks::{self, Check, CheckResult, Readings};
use crate::clients::Context;
use crate::runbooks::{investigates, names, of_check, page};
use crate::settings::Settings;
use crate::types::{RunbookDefinition, Status};
use serde::Serialize;
use std::sync::Arc;
use std::time::Instant;

/// Counts per status and the overall verdict: the JSON `summary`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub ok: usize,
    pub warning: usize,
    pub critical: usize,
    pub unknown: usize,
    /// critical > unknown > warning > ok: unknown means "could not rule out a problem".
    pub overall: Status,
    #[serde(flatten)]
    pub assessment: Assessment,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub schema: &'static str,
    pub namespace: String,
    pub runbooks: Vec<String>,
    pub checks: Vec<CheckResult>,
    pub summary: Summary,
    /// When the incident began and which signal says so (None: nothing crossed its level).
    pub onset: Option<Onset>,
    /// What probably caused it, ranked; empty when nothing has evidence.
    pub suspects: Vec<Suspect>,
    /// The symptoms over the window (for the sparklines; not part of the JSON).
    #[serde(skip)]
    pub symptoms: Vec<SymptomSeries>,
}

pub const DIAGNOSE_SCHEMA: &str = "incidentctl.diagnose/v1";

/// The overall status that decides the exit code.
pub fn overall(results: &[CheckResult]) -> Status {
    Status::overall(results.iter().map(|r| r.status))
}

/// Which checks a run runs: those of `runbooks` (every runbook when empty), and of those only
/// the ids in `only` when it is not empty (`diagnose --check ID`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Runbook names (known: `find` checked them).
    pub runbooks: Vec<String>,
    pub only: Vec<String>,
}

impl Selection {
    /// The runbooks as shown: the ones asked for, in the runbooks' order, or all of them.
    pub fn runbooks(&self, settings: &Settings) -> Vec<String> {
        names(settings)
            .into_iter()
            .filter(|r| self.runbooks.is_empty() || self.runbooks.iter().any(|s| s == r))
            .map(str::to_string)
            .collect()
    }

    /// The checks selected, built-in and declared, in the order they are shown.
    pub fn checks(&self, settings: &Settings) -> Vec<&'static Check> {
        let runbooks = self.runbooks(settings);
        let selected: Vec<&RunbookDefinition> = settings
            .runbooks
            .iter()
            .filter(|r| runbooks.contains(&r.name))
            .collect();
        checks::all(settings)
            .into_iter()
            .filter(|c| selected.iter().any(|r| investigates(settings, r, c.id)))
            .filter(|c| self.only.is_empty() || self.only.iter().any(|id| id == c.id))
            .collect()
    }
}

/// Runs every check the runbook's page needs (investigation, conditions, verification), as
/// diagnose runs them, with progress on a terminal.
pub async fn look(ctx: &Arc<Context>, runbook: &RunbookDefinition) -> Vec<CheckResult> {
    let checks = page::checks_to_run(&ctx.settings, runbook);
    let progress = crate::output::Progress::start(checks.len(), &ctx.console);
    let results = run_checks(ctx.clone(), &checks, &|r| progress.done(r.id)).await;
    progress.finish();
    results
}

/// Runs the selected checks, and beside them reads the symptoms over the incident's window for
/// the onset and the likely causes. `on_done` is told as each check finishes.
pub async fn diagnose(
    ctx: Arc<Context>,
    selection: &Selection,
    on_done: &(dyn Fn(&CheckResult) + Sync),
) -> Diagnosis {
    let started = Instant::now();
    let runbooks = selection.runbooks(&ctx.settings);
    let selected = selection.checks(&ctx.settings);
    let timeout = ctx.settings.timeout.0;
    let readings = Readings::new(ctx.clone());
    let now = ctx.settings.now();
    let window = Window::around(now, now);
    // The symptoms over the window are read beside the checks (a run of chosen checks only,
    // `--check`, reads none), within the same time limit.
    let symptoms = selection.only.is_empty().then(|| {
        let readings = readings.clone();
        tokio::spawn(async move {
            tokio::time::timeout(timeout, analysis::read_all(&readings, window, now)).await
        })
    });
    let results = run_checks_with(&ctx, &readings, &selected, on_done).await;

    let reading = match symptoms {
        Some(task) => match task.await {
            Ok(Ok(reading)) => Some(reading),
            Ok(Err(_)) => Some(SymptomReading {
                unreachable: Some(format!("did not answer within {}", ctx.settings.timeout)),
                ..SymptomReading::default()
            }),
            Err(e) => Some(SymptomReading {
                unreachable: Some(format!("the reading failed: {e}")),
                ..SymptomReading::default()
            }),
        },
        None => None,
    };
    let (onset, suspects, symptoms) = match reading {
        Some(reading) => {
            let (onset, suspects) =
                analysis::conclude(&reading, &seen(&results), window, &ctx.settings);
            (onset, suspects, reading.symptoms)
        }
        None => (None, Vec::new(), Vec::new()),
    };
    let summary = summarise(&results, &ctx.settings.severity.rules, started);
    Diagnosis {
        schema: DIAGNOSE_SCHEMA,
        namespace: ctx.settings.namespace.clone(),
        runbooks,
        checks: results,
        summary,
        onset,
        suspects,
        symptoms,
    }
}

/// Runs `selected` concurrently, each under the per-check timeout; the results in their order.
pub async fn run_checks(
    ctx: Arc<Context>,
    selected: &[&'static Check],
    on_done: &(dyn Fn(&CheckResult) + Sync),
) -> Vec<CheckResult> {
    let readings = Readings::new(ctx.clone());
    run_checks_with(&ctx, &readings, selected, on_done).await
}

/// `run_checks` over readings shared with another reader of the same servers.
async fn run_checks_with(
    ctx: &Arc<Context>,
    readings: &Arc<Readings>,
    selected: &[&'static Check],
    on_done: &(dyn Fn(&CheckResult) + Sync),
) -> Vec<CheckResult> {
    let timeout = ctx.settings.timeout.0;
    let mut handles = Vec::with_capacity(selected.len());
    for spec in selected {
        let ctx = ctx.clone();
        let readings = readings.clone();
        let spec: &'static Check = spec;
        // Each check on its own task, so one that blocks never holds up the others.
        handles.push(tokio::spawn(async move {
            let t0 = Instant::now();
            let outcome = tokio::time::timeout(timeout, (spec.run)(readings, spec)).await;
            let outcome = match outcome {
                Ok(o) => o,
                Err(_) => Err(checks::CheckError::new(format!(
                    "{}: timed out after {}",
                    target_address(spec, &ctx.settings),
                    ctx.settings.timeout
                ))
                .hint(format!(
                    "{} did not answer in time; raise --timeout or check the server",
                    spec.target.name()
                ))),
            };
            let runbooks = of_check(&ctx.settings, spec.id);
            to_result(spec, runbooks, outcome, t0.elapsed().as_millis() as u64)
        }));
    }

    let mut results = Vec::with_capacity(handles.len());
    for (spec, handle) in selected.iter().zip(handles) {
        let result = match handle.await {
            Ok(r) => r,
            Err(e) => to_result(
                spec,
                of_check(&ctx.settings, spec.id),
                Err(checks::CheckError::new(format!("check failed: {e}"))
                    .hint("this is a bug in incidentctl; please report it")),
                0,
            ),
        };
        on_done(&result);
        results.push(result);
    }
    results
}

/// Every sign the checks saw, with the status of the check that saw it.
fn seen(results: &[CheckResult]) -> Vec<Seen> {
    results
        .iter()
        .flat_map(|r| {
            r.signs.iter().map(|sign| Seen {
                sign: sign.clone(),
                status: r.status,
                check: r.id,
            })
        })
        .collect()
}

/// Where a target is, for messages (credentials redacted).
fn target_address(check: &Check, settings: &crate::settings::Settings) -> String {
    use checks::Target;
    match check.target {
        Target::Http => settings
            .checks
            .iter()
            .find(|d| d.id == check.id)
            .and_then(|d| d.url.as_ref())
            .map_or_else(|| "the HTTP endpoint".to_string(), |u| u.redacted()),
        Target::Postgres => settings.postgres.url.redacted(),
        Target::Redis => settings.redis.url.redacted(),
        Target::Prometheus => settings.prometheus.url.redacted(),
        Target::Alertmanager => settings.alertmanager.url.redacted(),
        Target::Kubernetes => match &settings.kubernetes.context {
            Some(c) => format!("the Kubernetes API server (context {c})"),
            None => "the Kubernetes API server".to_string(),
        },
    }
}

pub(crate) fn summarise(
    results: &[CheckResult],
    rules: &[severity::SeverityRule],
    started: Instant,
) -> Summary {
    let count = |s: Status| results.iter().filter(|r| r.status == s).count();
    Summary {
        ok: count(Status::Ok),
        warning: count(Status::Warning),
        critical: count(Status::Critical),
        unknown: count(Status::Unknown),
        overall: overall(results),
        assessment: severity::assess(rules, results),
        duration_ms: started.elapsed().as_millis() as u64,
    }
}

fn to_result(
    spec: &Check,
    runbooks: Vec<String>,
    outcome: checks::CheckOutcome,
    duration_ms: u64,
) -> CheckResult {
    match outcome {
        Ok(f) => CheckResult {
            id: spec.id,
            runbooks,
            status: f.status,
            summary: f.summary,
            value: f.value.map(|v| (v * 1e6).round() / 1e6),
            unit: f.unit,
            warning: f.threshold.map(|t| t.warning),
            critical: f.threshold.map(|t| t.critical),
            direction: f.threshold.map(|t| t.direction).unwrap_or_default(),
            evidence: f.evidence,
            error: None,
            hint: None,
            duration_ms,
            signs: f.signs,
        },
        Err(e) => {
            let status = if spec.reachability {
                Status::Critical
            } else {
                Status::Unknown
            };
            let summary = if spec.reachability {
                format!("{} unreachable: {}", spec.target.name(), e.message)
            } else {
                format!("could not check: {}", e.message)
            };
            CheckResult {
                id: spec.id,
                runbooks,
                status,
                summary,
                value: None,
                unit: None,
                warning: None,
                critical: None,
                direction: Default::default(),
                evidence: Vec::new(),
                error: Some(e.message),
                hint: e.hint,
                duration_ms,
                signs: Vec::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::CheckError;

    fn check(id: &str) -> &'static Check {
        checks::CHECKS
            .iter()
            .find(|c| c.id == id)
            .expect("a check of that id")
    }

    #[test]
    fn an_unreachable_target_is_critical_for_its_ping_and_unknown_for_the_rest() {
        let down =
            || Err(CheckError::new("127.0.0.1:5432: connection refused").hint("is it running?"));
        for ping in ["postgres.ping", "redis.ping"] {
            let r = to_result(check(ping), vec![], down(), 3);
            assert_eq!(r.status, Status::Critical, "{ping}");
            assert!(
                r.summary
                    .ends_with("unreachable: 127.0.0.1:5432: connection refused"),
                "{}",
                r.summary
            );
            assert_eq!(r.hint.as_deref(), Some("is it running?"));
        }
        let r = to_result(check("postgres.connections"), vec![], down(), 3);
        assert_eq!(r.status, Status::Unknown);
        assert_eq!(
            r.summary,
            "could not check: 127.0.0.1:5432: connection refused"
        );
    }

    #[test]
    fn values_are_rounded_and_levels_reported() {
        let finding = crate::types::Finding::measured(
            12.3456789,
            "%",
            crate::types::Threshold::new(80.0, 95.0),
            "x",
        );
        let r = to_result(check("postgres.connections"), vec![], Ok(finding), 1);
        assert_eq!(r.value, Some(12.345679));
        assert_eq!((r.warning, r.critical), (Some(80.0), Some(95.0)));
    }
}
