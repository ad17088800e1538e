//! One runbook as a page: its definition, and (when the checks were run) each investigation
//! step's live status, which resolution steps apply now and why, the exact command of each,
//! and whether the verification holds. Data only: `runbooks::render` renders it, `runbook run`
//! walks it.

use super::steps::{self, Values};
use crate::checks::{Check, CheckResult};
use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::types::runbook::{Condition, RunbookDefinition, Step};
use crate::types::Status;
use serde::Serialize;

pub const RUNBOOK_SCHEMA: &str = "incidentctl.runbook/v1";

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub schema: &'static str,
    pub name: String,
    pub title: String,
    pub built_in: bool,
    /// Where it is defined: `FILE line N`.
    pub source: String,
    pub namespace: String,
    pub symptoms: Vec<String>,
    pub notes: Vec<String>,
    pub params: Vec<ParamView>,
    pub investigate: Vec<InvestigationView>,
    pub resolve: Vec<StepView>,
    pub verify: Vec<ExpectationView>,
    /// Whether every verification line holds now; None when the checks were not run.
    pub symptoms_gone: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParamView {
    pub name: String,
    pub description: String,
    pub example: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InvestigationView {
    pub title: String,
    pub checks: Vec<CheckView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckView {
    pub id: String,
    pub description: String,
    /// Its levels as configured (`> 100 / 1000`).
    pub levels: String,
    /// Its result now; None when the checks were not run.
    pub result: Option<CheckResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    /// 1 is the first.
    pub step: usize,
    pub title: String,
    pub action: String,
    /// The words after `incidentctl` (a missing param shown as its name in capitals).
    pub words: Vec<String>,
    /// The exact command line it runs, shell-quoted, with the namespace.
    pub command: String,
    /// Whether it applies now; None when the checks were not run.
    pub applies: Option<bool>,
    /// Why (or when) it applies: the conditions and what the checks say now.
    pub why: String,
    /// Its conditions, each as `k8s.pods is warning or worse` (all must hold; none: always).
    pub when: Vec<String>,
    /// The params its command needs (`--set NAME=VALUE`).
    pub needs: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExpectationView {
    pub check: String,
    pub expect: Status,
    /// `payments.queue_depth is ok`
    pub description: String,
    pub status: Option<Status>,
    pub met: Option<bool>,
}

impl Page {
    /// The verification lines that do not hold now (all of them when the checks were not run).
    pub fn not_holding(&self) -> impl Iterator<Item = &ExpectationView> {
        self.verify.iter().filter(|v| v.met != Some(true))
    }
}

/// One resolution step as `runbook run` went through it.
#[derive(Debug, Clone, Serialize)]
pub struct Walked {
    pub step: usize,
    pub title: String,
    pub command: String,
    pub applies: Option<bool>,
    pub why: String,
    /// The change's own word from its audit line (applied, dry-run, nothing-to-do, refused,
    /// failed, partial, unknown, not-in-effect, interrupted), or `skipped`.
    pub result: String,
    pub verified: Option<bool>,
    pub error: Option<String>,
    /// The change's own document (`incidentctl.change/v1`), as `-o json` of its command.
    pub change: Option<serde_json::Value>,
}

impl Walked {
    pub fn new(view: &StepView, result: &str) -> Self {
        Walked {
            step: view.step,
            title: view.title.clone(),
            command: view.command.clone(),
            applies: view.applies,
            why: view.why.clone(),
            result: result.to_string(),
            verified: None,
            error: None,
            change: None,
        }
    }

    /// Whether the step changed something (wholly or in part).
    pub fn changed(&self) -> bool {
        matches!(
            self.result.as_str(),
            "applied" | "partial" | "not-in-effect"
        )
    }
}

/// Every check the page needs live: the investigation's, the steps' conditions', the
/// verification's; each once, in the order the checks are shown.
pub fn checks_to_run(settings: &Settings, runbook: &RunbookDefinition) -> Vec<&'static Check> {
    crate::checks::all(settings)
        .into_iter()
        .filter(|c| {
            super::investigates(settings, runbook, c.id)
                || runbook.referenced_checks().iter().any(|r| r.name == c.id)
        })
        .collect()
}

/// Only the verification's checks (to run again while waiting for the symptoms to go).
pub fn verification_checks(
    settings: &Settings,
    runbook: &RunbookDefinition,
) -> Vec<&'static Check> {
    let ids: Vec<&str> = runbook.verify.iter().map(|v| v.check.as_str()).collect();
    super::checks_named(settings, &ids)
}

/// The `--set NAME=VALUE` pairs, each a param of the runbook (64 otherwise).
pub fn values(runbook: &RunbookDefinition, given: &[(String, String)]) -> Result<Values> {
    for (name, _) in given {
        if !runbook.params.iter().any(|p| &p.name == name) {
            let known: Vec<&str> = runbook.params.iter().map(|p| p.name.as_str()).collect();
            return Err(Error::usage(format!(
                "--set {name}: runbook {} has no param '{name}'; its params: {}",
                runbook.name,
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    Ok(given.to_vec())
}

/// The page, live when `results` holds what the checks say now.
pub fn page(
    settings: &Settings,
    runbook: &RunbookDefinition,
    values: &Values,
    results: Option<&[CheckResult]>,
) -> Page {
    let result_of = |id: &str| results.and_then(|r| r.iter().find(|c| c.id == id));
    let all = crate::checks::all(settings);
    let view = |id: &str| {
        let check = all.iter().find(|c| c.id == id);
        CheckView {
            id: id.to_string(),
            description: check.map(|c| c.description.to_string()).unwrap_or_default(),
            levels: check
                .map(|c| crate::checks::levels_text(c, settings))
                .unwrap_or_default(),
            result: result_of(id).cloned(),
        }
    };
    let investigate = runbook
        .investigate
        .iter()
        .map(|i| InvestigationView {
            title: i.title.clone(),
            checks: i.checks.iter().map(|c| view(&c.name)).collect(),
        })
        // A [[check]] that names the runbook joins its investigation as a step of its own.
        .chain(declared_for(settings, runbook).map(|id| InvestigationView {
            title: format!("Check {id}"),
            checks: vec![view(id)],
        }))
        .collect();
    let verify: Vec<ExpectationView> = runbook
        .verify
        .iter()
        .map(|v| {
            let status = result_of(&v.check.name).map(|r| r.status);
            ExpectationView {
                check: v.check.name.clone(),
                expect: v.expect,
                description: v.describe(),
                status,
                met: status.map(|s| v.met(s)),
            }
        })
        .collect();
    Page {
        schema: RUNBOOK_SCHEMA,
        name: runbook.name.clone(),
        title: runbook.title.clone(),
        built_in: runbook.built_in,
        source: runbook.origin.to_string(),
        namespace: settings.namespace.clone(),
        symptoms: runbook.symptoms.clone(),
        notes: runbook.notes.clone(),
        params: runbook
            .params
            .iter()
            .map(|p| ParamView {
                name: p.name.clone(),
                description: p.description.clone(),
                example: p.example.clone(),
                value: values
                    .iter()
                    .find(|(n, _)| *n == p.name)
                    .map(|(_, v)| v.clone()),
            })
            .collect(),
        investigate,
        resolve: runbook
            .resolve
            .iter()
            .enumerate()
            .map(|(i, step)| step_view(settings, runbook, i, step, values, results))
            .collect(),
        symptoms_gone: results.map(|_| verify.iter().all(|v| v.met == Some(true))),
        verify,
    }
}

/// The `[[check]]` tables that name the runbook and that its `investigate` does not.
fn declared_for<'a>(
    settings: &'a Settings,
    runbook: &'a RunbookDefinition,
) -> impl Iterator<Item = &'a str> {
    let named = runbook.investigation_checks();
    settings
        .checks
        .iter()
        .filter(move |c| c.runbooks.contains(&runbook.name) && !named.contains(&c.id.as_str()))
        .map(|c| c.id.as_str())
}

fn step_view(
    settings: &Settings,
    runbook: &RunbookDefinition,
    index: usize,
    step: &Step,
    values: &Values,
    results: Option<&[CheckResult]>,
) -> StepView {
    let words = steps::shown_words(step, values);
    let (applies, why) = applicability(runbook, step, values, results);
    StepView {
        step: index + 1,
        title: step.title.clone(),
        action: step.action.name.clone(),
        command: steps::command_line(&words, settings),
        words,
        applies,
        why,
        when: step.when.iter().map(Condition::describe).collect(),
        needs: crate::settings::runbooks::placeholders(&step.args),
        note: step.note.clone(),
    }
}

/// Whether a step applies now, and why: a param without a value never does; no condition
/// always does; else every condition must hold on what the checks say now.
pub fn applicability(
    runbook: &RunbookDefinition,
    step: &Step,
    values: &Values,
    results: Option<&[CheckResult]>,
) -> (Option<bool>, String) {
    if let Err(missing) = steps::words(step, values) {
        let what = runbook
            .params
            .iter()
            .find(|p| p.name == missing)
            .map(|p| format!(" ({})", p.description))
            .unwrap_or_default();
        return (Some(false), format!("needs --set {missing}=VALUE{what}"));
    }
    if step.when.is_empty() {
        return (Some(true), "always (no condition)".into());
    }
    let Some(results) = results else {
        let when: Vec<String> = step.when.iter().map(Condition::describe).collect();
        return (None, format!("when {}", when.join(" and ")));
    };
    let mut holds = true;
    let mut said = Vec::new();
    for condition in &step.when {
        let status = results
            .iter()
            .find(|r| r.id == condition.check.name)
            .map_or(Status::Unknown, |r| r.status);
        let ok = condition.holds(status);
        holds &= ok;
        said.push(format!(
            "{} is {status} (applies when {})",
            condition.check.name,
            condition.level()
        ));
    }
    (Some(holds), said.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::runbook::{Origin, Reference};

    fn reference(name: &str) -> Reference {
        Reference {
            name: name.into(),
            origin: Origin {
                file: "f".into(),
                line: 1,
            },
        }
    }

    fn result(id: &'static str, status: Status) -> CheckResult {
        crate::checks::result_for_tests(id, status, None)
    }

    fn app_down() -> RunbookDefinition {
        crate::settings::runbooks::built_in()
            .into_iter()
            .find(|r| r.name == "app-down")
            .unwrap()
    }

    #[test]
    fn a_step_applies_when_every_condition_holds_and_says_why() {
        let runbook = app_down();
        let restart = &runbook.resolve[0];
        let results = [result("k8s.pods", Status::Critical)];
        let (applies, why) = applicability(&runbook, restart, &Vec::new(), Some(&results));
        assert_eq!(applies, Some(true));
        assert_eq!(why, "k8s.pods is critical (applies when warning or worse)");
        let results = [result("k8s.pods", Status::Ok)];
        let (applies, why) = applicability(&runbook, restart, &Vec::new(), Some(&results));
        assert_eq!(
            (applies, why.as_str()),
            (
                Some(false),
                "k8s.pods is ok (applies when warning or worse)"
            )
        );
        // A check that could not tell never makes a step apply.
        let results = [result("k8s.pods", Status::Unknown)];
        assert_eq!(
            applicability(&runbook, restart, &Vec::new(), Some(&results)).0,
            Some(false)
        );
        // Without the checks: when it would.
        let (applies, why) = applicability(&runbook, restart, &Vec::new(), None);
        assert_eq!(
            (applies, why.as_str()),
            (None, "when k8s.pods is warning or worse")
        );
    }

    #[test]
    fn a_step_missing_a_param_does_not_apply_and_says_which() {
        let mut runbook = app_down();
        runbook.params = vec![crate::types::runbook::Param {
            name: "cidr".into(),
            description: "the address to block".into(),
            example: "10.0.0.1".into(),
        }];
        let step = Step {
            title: "Block".into(),
            action: reference("security block-ip"),
            args: vec!["{{cidr}}".into()],
            args_origin: reference("x").origin,
            when: vec![],
            note: None,
        };
        let (applies, why) = applicability(&runbook, &step, &Vec::new(), Some(&[]));
        assert_eq!(applies, Some(false));
        assert_eq!(why, "needs --set cidr=VALUE (the address to block)");
        let given = vec![("cidr".to_string(), "10.0.0.1".to_string())];
        assert_eq!(
            applicability(&runbook, &step, &given, Some(&[])).0,
            Some(true)
        );
    }

    #[test]
    fn the_page_says_the_exact_command_and_whether_the_symptoms_are_gone() {
        let settings = crate::checks::default_settings();
        let runbook = app_down();
        let definition = page(&settings, &runbook, &Vec::new(), None);
        assert_eq!(definition.symptoms_gone, None);
        assert_eq!(
            definition.resolve[1].command,
            "incidentctl scale backend --replicas 3 -n reconciliation"
        );
        let ok: Vec<CheckResult> = ["k8s.endpoints", "k8s.deployments", "prometheus.error_rate"]
            .into_iter()
            .map(|id| result(id, Status::Ok))
            .collect();
        let live = page(&settings, &runbook, &Vec::new(), Some(&ok));
        assert_eq!(live.symptoms_gone, Some(true));
        let mut bad = ok.clone();
        bad[2].status = Status::Warning;
        let live = page(&settings, &runbook, &Vec::new(), Some(&bad));
        assert_eq!(live.symptoms_gone, Some(false));
        assert_eq!(live.verify[2].met, Some(false));
    }
}
