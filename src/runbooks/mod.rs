//! Runbooks as data (built in and the team's, `settings.runbooks`): which checks each one's
//! investigation runs (diagnose's runner runs them). `steps` reads a resolution step as the command it names;
//! `page` is what `runbook show` and `run` say about one runbook, live.

pub mod page;
pub mod render;
pub mod steps;
mod validate;

use crate::checks::{self, Check};
use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::types::RunbookDefinition;

pub use validate::validate;

/// The runbook of that name, or a usage error listing the names there are.
pub fn find<'a>(settings: &'a Settings, name: &str) -> Result<&'a RunbookDefinition> {
    settings
        .runbooks
        .iter()
        .find(|r| r.name == name)
        .ok_or_else(|| {
            Error::usage(format!(
                "no runbook '{name}'; known: {}",
                names(settings).join(", ")
            ))
            .with_hint("`incidentctl runbook list` lists every runbook, built-in and the team's")
        })
}

/// Every runbook's name, built-in first.
pub fn names(settings: &Settings) -> Vec<&str> {
    settings.runbooks.iter().map(|r| r.name.as_str()).collect()
}

/// Whether the check of `id` is part of the runbook's investigation: named in its
/// `investigate`, or a `[[check]]` that names the runbook.
pub fn investigates(settings: &Settings, runbook: &RunbookDefinition, id: &str) -> bool {
    runbook.investigation_checks().contains(&id)
        || settings
            .checks
            .iter()
            .any(|c| c.id == id && c.runbooks.contains(&runbook.name))
}

/// The runbooks whose investigation includes the check of `id`, in the runbooks' order.
pub fn of_check(settings: &Settings, id: &str) -> Vec<String> {
    settings
        .runbooks
        .iter()
        .filter(|r| investigates(settings, r, id))
        .map(|r| r.name.clone())
        .collect()
}

/// The checks of `ids`, built-in or declared, in the order the checks are shown (unknown ids
/// were refused when the runbooks were loaded).
pub fn checks_named(settings: &Settings, ids: &[&str]) -> Vec<&'static Check> {
    checks::all(settings)
        .into_iter()
        .filter(|c| ids.contains(&c.id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks;

    #[test]
    fn every_built_in_check_is_in_a_built_in_runbooks_investigation() {
        let settings = checks::default_settings();
        for check in checks::CHECKS {
            assert!(
                !of_check(&settings, check.id).is_empty(),
                "{} is in no runbook",
                check.id
            );
        }
        validate(&settings).expect("the built-in runbooks name only checks that exist");
    }
}
