//! A runbook as data: the five built in (the seed's) and a team's own are the same type, read
//! from the same TOML (`settings::runbooks`). Symptoms, investigation steps (checks), resolution
//! steps (an incidentctl action with its arguments, and when it applies), and verification
//! (checks and the level each must be at for the symptoms to be gone).

use super::status::Status;
use serde::Serialize;
use std::fmt;

/// Where something was written: a file and a line. Errors about a definition point here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}", self.file, self.line)
    }
}

/// A name a definition refers to (a check id, an action), with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Reference {
    pub name: String,
    #[serde(skip)]
    pub origin: Origin,
}

impl Reference {
    pub fn as_str(&self) -> &str {
        &self.name
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunbookDefinition {
    /// Lowercase letters, digits and '-' (`payments-backlog`): what `diagnose NAME` and
    /// `runbook run NAME` take.
    pub name: String,
    pub title: String,
    pub symptoms: Vec<String>,
    /// What a reader should know that is not a step (a seed step incidentctl has no action for).
    pub notes: Vec<String>,
    pub params: Vec<Param>,
    pub investigate: Vec<Investigation>,
    pub resolve: Vec<Step>,
    pub verify: Vec<Expectation>,
    /// Built into incidentctl (the seed's five), not a team's.
    pub built_in: bool,
    pub origin: Origin,
}

impl RunbookDefinition {
    /// The check ids its investigation names, in the order written, each once.
    pub fn investigation_checks(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for id in self
            .investigate
            .iter()
            .flat_map(|i| i.checks.iter().map(Reference::as_str))
        {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// Every check id it refers to: investigation, the resolution steps' conditions,
    /// verification.
    pub fn referenced_checks(&self) -> Vec<&Reference> {
        self.investigate
            .iter()
            .flat_map(|i| i.checks.iter())
            .chain(
                self.resolve
                    .iter()
                    .flat_map(|s| s.when.iter().map(|c| &c.check)),
            )
            .chain(self.verify.iter().map(|v| &v.check))
            .collect()
    }
}

/// A value the engineer gives when running the runbook (`--set cidr=198.51.100.7`), used in
/// step arguments as `{{cidr}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    pub name: String,
    pub description: String,
    /// A value of the right shape: the step commands are checked with it when loaded.
    pub example: String,
}

/// One investigation step: what the seed calls it, and the checks that do it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Investigation {
    pub title: String,
    pub checks: Vec<Reference>,
}

/// One resolution step: an incidentctl action (`scale`, `db kill-queries`) with its arguments,
/// run through that command's own plan, confirmation, apply, verification and audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub title: String,
    pub action: Reference,
    pub args: Vec<String>,
    /// Where `args` was written (the action's line when it was not).
    #[serde(skip)]
    pub args_origin: Origin,
    /// Every condition must hold for the step to apply; none: it always applies.
    pub when: Vec<Condition>,
    pub note: Option<String>,
}

/// `{ check = "payments.queue_depth", status = "warning" }`: the check is at that level (a
/// problem level or worse; `ok`: ok).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub check: Reference,
    pub status: Status,
}

impl Condition {
    /// Whether a check's status satisfies it; unknown never does (it could not be told).
    pub fn holds(&self, status: Status) -> bool {
        match self.status {
            Status::Ok => status == Status::Ok,
            least => status.is_problem() && status >= least,
        }
    }

    /// `warning or worse`
    pub fn level(&self) -> &'static str {
        match self.status {
            Status::Ok => "ok",
            Status::Warning => "warning or worse",
            Status::Critical => "critical",
            Status::Unknown => "unknown",
        }
    }

    /// `payments.queue_depth is warning or worse`
    pub fn describe(&self) -> String {
        format!("{} is {}", self.check.name, self.level())
    }
}

/// `{ check = "payments.queue_depth", expect = "ok" }`: for the symptoms to be gone, the check is
/// at most this level (ok, or warning).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expectation {
    pub check: Reference,
    pub expect: Status,
}

impl Expectation {
    /// Whether a check's status meets it; unknown never does.
    pub fn met(&self, status: Status) -> bool {
        status == Status::Ok || (self.expect == Status::Warning && status == Status::Warning)
    }

    /// `payments.queue_depth is ok`
    pub fn describe(&self) -> String {
        match self.expect {
            Status::Warning => format!("{} is ok or warning", self.check.name),
            _ => format!("{} is ok", self.check.name),
        }
    }
}

/// Which runbook step a change was made as: kept with the change in the audit log, so the
/// incident's timeline says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRef {
    #[serde(rename = "name")]
    pub runbook: String,
    /// 1 is the first resolution step.
    pub step: usize,
}

impl fmt::Display for StepRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "runbook {} step {}", self.runbook, self.step)
    }
}

/// `payments-backlog`: lowercase letters, digits and '-', starting with a letter, at most 63.
pub fn is_runbook_name(name: &str) -> bool {
    name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(name: &str) -> Reference {
        Reference {
            name: name.into(),
            origin: Origin {
                file: "t".into(),
                line: 1,
            },
        }
    }

    #[test]
    fn a_condition_holds_from_its_level_up_and_never_on_unknown() {
        let at = |status| Condition {
            check: reference("x.y"),
            status,
        };
        let warning = at(Status::Warning);
        assert!(warning.holds(Status::Warning) && warning.holds(Status::Critical));
        assert!(!warning.holds(Status::Ok) && !warning.holds(Status::Unknown));
        let critical = at(Status::Critical);
        assert!(critical.holds(Status::Critical) && !critical.holds(Status::Warning));
        let ok = at(Status::Ok);
        assert!(ok.holds(Status::Ok) && !ok.holds(Status::Warning));
        assert!(!ok.holds(Status::Unknown));
    }

    #[test]
    fn an_expectation_is_met_at_or_below_its_level_and_never_on_unknown() {
        let ok = Expectation {
            check: reference("x.y"),
            expect: Status::Ok,
        };
        assert!(ok.met(Status::Ok));
        assert!(!ok.met(Status::Warning) && !ok.met(Status::Unknown));
        let warning = Expectation {
            expect: Status::Warning,
            ..ok
        };
        assert!(warning.met(Status::Ok) && warning.met(Status::Warning));
        assert!(!warning.met(Status::Critical) && !warning.met(Status::Unknown));
    }

    #[test]
    fn runbook_names_are_lowercase_words_with_dashes() {
        for good in ["app-down", "payments-backlog", "a", "db2"] {
            assert!(is_runbook_name(good), "{good}");
        }
        for bad in ["", "App-down", "-x", "x-", "a_b", "2fa", &"a".repeat(64)] {
            assert!(!is_runbook_name(bad), "{bad}");
        }
    }
}
