//! What can be checked about the runbooks once the checks are known: every check a runbook
//! names exists. An unknown one is a configuration error naming the file, the line and the
//! checks there are. (`commands::runbook::validate_steps` checks the steps against the command
//! tree.)

use crate::error::Result;
use crate::settings::Settings;
use crate::types::runbook::Reference;

fn at(reference: &Reference, message: impl std::fmt::Display) -> crate::error::Error {
    crate::settings::runbooks::at(&reference.origin, message)
}

/// Every check a runbook refers to (investigation, conditions, verification) exists.
pub fn validate(settings: &Settings) -> Result<()> {
    let known: Vec<&str> = crate::checks::all(settings).iter().map(|c| c.id).collect();
    for runbook in &settings.runbooks {
        for reference in runbook.referenced_checks() {
            if !known.contains(&reference.as_str()) {
                return Err(at(
                    reference,
                    format!(
                        "runbook {}: unknown check '{}'; known: {}",
                        runbook.name,
                        reference.name,
                        known.join(", ")
                    ),
                )
                .with_hint("`incidentctl diagnose --list` lists every check, built-in and declared with [[check]]"));
            }
        }
    }
    Ok(())
}
