//! Two diagnoses side by side: for each check, whether it is new, worse, the same, better or
//! resolved. Used by `diagnose --baseline`, `diagnose diff` and `diagnose --watch`, so that a
//! cron job can page on a change rather than on a problem everyone already knows.

use super::{Diagnosis, DIAGNOSE_SCHEMA};
use crate::error::{Error, Result};
use crate::types::Status;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One check as a diagnosis reports it: what a comparison needs of a run, fresh or saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckState {
    pub id: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default)]
    pub summary: String,
}

/// A diagnosis as `diagnose -o json` saved it; other fields are ignored.
#[derive(Debug, Deserialize)]
struct SavedDiagnosis {
    schema: String,
    checks: Vec<CheckState>,
}

/// The checks of a fresh run.
pub fn states(diagnosis: &Diagnosis) -> Vec<CheckState> {
    diagnosis
        .checks
        .iter()
        .map(|c| CheckState {
            id: c.id.to_string(),
            status: c.status,
            value: c.value,
            unit: c.unit.map(str::to_string),
            summary: c.summary.clone(),
        })
        .collect()
}

/// Reads a run saved with `diagnose -o json`. A file that is not one is a data error (65).
pub fn read_saved(path: &Path) -> Result<Vec<CheckState>> {
    use crate::files::bounded::{read_text, Input, Problem};
    let text = read_text(path, Input::SavedDiagnosis).map_err(|e| {
        let missing = e.problem == Problem::Missing;
        let err = Error::from(e);
        if missing {
            err.with_hint("save a run first: incidentctl diagnose -o json > FILE")
        } else {
            err
        }
    })?;
    parse_saved(&text).map_err(|message| Error::Data {
        message: format!("{}: {message}", path.display()),
        hint: Some("compare files written by `incidentctl diagnose -o json`".into()),
    })
}

fn parse_saved(text: &str) -> std::result::Result<Vec<CheckState>, String> {
    let saved: SavedDiagnosis = serde_json::from_str(text)
        .map_err(|e| format!("not a saved diagnosis (`diagnose -o json`): {e}"))?;
    if saved.schema != DIAGNOSE_SCHEMA {
        return Err(format!(
            "schema {} is not {DIAGNOSE_SCHEMA}: runs of several contexts are compared one context at a time",
            saved.schema
        ));
    }
    Ok(saved.checks)
}

/// What became of a check between two runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// A problem now that was not one before (or the check did not run before).
    New,
    /// Still a problem, and a worse one.
    Worse,
    Same,
    /// Still a problem, but a lesser one.
    Better,
    /// A problem before, ok now.
    Resolved,
    /// In the earlier run only: not run this time, so nothing is known of it.
    Gone,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Worse => "worse",
            Change::Same => "same",
            Change::Better => "better",
            Change::Resolved => "resolved",
            Change::Gone => "gone",
        }
    }

    /// New and worse findings are what `--fail-on-new` counts.
    pub fn is_regression(self) -> bool {
        matches!(self, Change::New | Change::Worse)
    }
}

/// How bad a status is, in the order the overall verdict uses: critical > unknown > warning >
/// ok (unknown: a problem could not be ruled out).
fn badness(status: Status) -> u8 {
    match status {
        Status::Ok => 0,
        Status::Warning => 1,
        Status::Unknown => 2,
        Status::Critical => 3,
    }
}

/// Classifies one check. `before` is None when the earlier run did not have it.
pub fn change(before: Option<Status>, after: Status) -> Change {
    let Some(before) = before else {
        return if after == Status::Ok {
            Change::Same
        } else {
            Change::New
        };
    };
    match (badness(before), badness(after)) {
        (b, a) if a == b => Change::Same,
        (0, _) => Change::New,
        (_, 0) => Change::Resolved,
        (b, a) if a > b => Change::Worse,
        _ => Change::Better,
    }
}

/// One check compared.
#[derive(Debug, Clone, Serialize)]
pub struct CheckChange {
    pub id: String,
    pub change: Change,
    pub before: Option<CheckState>,
    pub after: Option<CheckState>,
}

impl CheckChange {
    /// The status that counts for an exit code: the one now (a gone check counts as ok).
    pub fn status_now(&self) -> Status {
        self.after.as_ref().map_or(Status::Ok, |a| a.status)
    }
}

/// Counts per kind of change: the JSON `counts`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub new: usize,
    pub worse: usize,
    pub same: usize,
    pub better: usize,
    pub resolved: usize,
    pub gone: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Where the earlier run came from (a file name, or "previous run").
    pub baseline: String,
    pub counts: Counts,
    /// In the order of the later run; checks gone since the earlier one last.
    pub checks: Vec<CheckChange>,
}

pub const DIFF_SCHEMA: &str = "incidentctl.diagnose-diff/v1";

impl Comparison {
    pub fn new(baseline: impl Into<String>, before: &[CheckState], after: &[CheckState]) -> Self {
        let mut checks: Vec<CheckChange> = after
            .iter()
            .map(|a| {
                let b = before.iter().find(|b| b.id == a.id);
                CheckChange {
                    id: a.id.clone(),
                    change: change(b.map(|b| b.status), a.status),
                    before: b.cloned(),
                    after: Some(a.clone()),
                }
            })
            .collect();
        checks.extend(
            before
                .iter()
                .filter(|b| !after.iter().any(|a| a.id == b.id))
                .map(|b| CheckChange {
                    id: b.id.clone(),
                    change: Change::Gone,
                    before: Some(b.clone()),
                    after: None,
                }),
        );
        let mut counts = Counts::default();
        for c in &checks {
            *match c.change {
                Change::New => &mut counts.new,
                Change::Worse => &mut counts.worse,
                Change::Same => &mut counts.same,
                Change::Better => &mut counts.better,
                Change::Resolved => &mut counts.resolved,
                Change::Gone => &mut counts.gone,
            } += 1;
        }
        Comparison {
            baseline: baseline.into(),
            counts,
            checks,
        }
    }

    /// The new and worse findings.
    pub fn regressions(&self) -> impl Iterator<Item = &CheckChange> {
        self.checks.iter().filter(|c| c.change.is_regression())
    }

    /// The worst status among new and worse findings (ok when there are none): the exit code
    /// of `--fail-on-new` and `diagnose diff`.
    pub fn regression_status(&self) -> Status {
        Status::overall(self.regressions().map(CheckChange::status_now))
    }

    /// The checks whose status moved (everything but `same`).
    pub fn moved(&self) -> impl Iterator<Item = &CheckChange> {
        self.checks.iter().filter(|c| c.change != Change::Same)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    fn state(id: &str, status: Status) -> CheckState {
        CheckState {
            id: id.into(),
            status,
            value: None,
            unit: None,
            summary: String::new(),
        }
    }

    #[test]
    fn each_pair_of_statuses_is_one_kind_of_change() {
        assert_eq!(change(None, Ok), Change::Same);
        assert_eq!(change(None, Warning), Change::New);
        assert_eq!(change(Some(Ok), Ok), Change::Same);
        assert_eq!(change(Some(Ok), Unknown), Change::New);
        assert_eq!(change(Some(Warning), Critical), Change::Worse);
        assert_eq!(change(Some(Warning), Unknown), Change::Worse);
        assert_eq!(change(Some(Critical), Warning), Change::Better);
        assert_eq!(change(Some(Critical), Critical), Change::Same);
        assert_eq!(change(Some(Critical), Ok), Change::Resolved);
    }

    #[test]
    fn only_new_and_worse_findings_count_for_the_exit_code() {
        let before = [
            state("redis.memory", Warning),
            state("k8s.pods", Critical),
            state("postgres.locks", Warning),
        ];
        let after = [
            state("redis.memory", Critical),
            state("k8s.pods", Critical),
            state("k8s.events", Ok),
        ];
        let c = Comparison::new("a.json", &before, &after);
        let kinds: Vec<(&str, Change)> = c.checks.iter().map(|c| (&*c.id, c.change)).collect();
        assert_eq!(
            kinds,
            [
                ("redis.memory", Change::Worse),
                ("k8s.pods", Change::Same),
                ("k8s.events", Change::Same),
                ("postgres.locks", Change::Gone),
            ]
        );
        assert_eq!(c.regression_status(), Critical);
        assert_eq!((c.counts.worse, c.counts.same, c.counts.gone), (1, 2, 1));

        let unchanged = Comparison::new("a.json", &after, &after);
        assert_eq!(unchanged.regression_status(), Ok);
        assert_eq!(unchanged.moved().count(), 0);
    }

    #[test]
    fn a_saved_run_of_several_contexts_or_another_file_is_refused_with_the_reason() {
        let many = r#"{"schema":"incidentctl.diagnose-contexts/v1","checks":[]}"#;
        assert!(parse_saved(many)
            .unwrap_err()
            .contains("one context at a time"));
        assert!(parse_saved("[1,2]")
            .unwrap_err()
            .contains("not a saved diagnosis"));
        let one = r#"{"schema":"incidentctl.diagnose/v1","namespace":"x","checks":[{"id":"redis.memory","status":"warning","value":87.5,"unit":"%","summary":"s","evidence":[]}]}"#;
        let read = parse_saved(one).unwrap();
        assert_eq!(read[0].status, Warning);
        assert_eq!(read[0].value, Some(87.5));
    }
}
