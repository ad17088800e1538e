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

/// Every check a runbook refers to (investigation, conditions, verification) exists, and every
/// `[[check]]` is part of some runbook's investigation (else no diagnose would run it).
pub fn validate(settings: &Settings) -> Result<()> {
    references(settings)?;
    for (i, c) in settings.checks.iter().enumerate() {
        if super::of_check(settings, &c.id).is_empty() {
            let message = format!(
                "check {} is in no runbook: name one in its runbooks, or in a [[runbook]]'s investigate",
                c.id
            );
            return Err(match &c.origin {
                Some(origin) => crate::settings::runbooks::at(origin, message),
                None => {
                    crate::error::Error::config(format!("check[{i}] ({}).runbooks", c.id), message)
                }
            });
        }
    }
    Ok(())
}

fn references(settings: &Settings) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

    const QUEUE: &str = "[[check]]\nid = \"payments.queue_depth\"\nkind = \"promql\"\nquery = 'up'\nwarning = 1\ncritical = 2\n";

    #[test]
    fn a_check_in_no_runbook_is_refused_and_one_a_runbook_names_is_not() {
        let alone = Settings::from_config_text(QUEUE).unwrap();
        let e = validate(&alone).unwrap_err().to_string();
        assert!(
            e.starts_with("config line 2: check payments.queue_depth is in no runbook"),
            "{e}"
        );
        let named = format!("{QUEUE}\n[[runbook]]\nname = \"payments\"\ntitle = \"t\"\n[[runbook.investigate]]\ntitle = \"q\"\nchecks = [\"payments.queue_depth\"]\n");
        let settings = Settings::from_config_text(&named).unwrap();
        validate(&settings).unwrap();
        assert_eq!(
            super::super::of_check(&settings, "payments.queue_depth"),
            ["payments"]
        );
        let typo = named.replace(
            "checks = [\"payments.queue_depth\"]",
            "checks = [\"payments.queue_dept\"]",
        );
        let e = validate(&Settings::from_config_text(&typo).unwrap())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("config line 13: runbook payments: unknown check 'payments.queue_dept'; known: k8s.pods"), "{e}");
    }
}
