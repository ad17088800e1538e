//! The incident around the commands: its record, clocks, timeline, report and status updates.

pub mod attach;
pub mod diagnosis;
pub mod escalation;
pub mod lifecycle;
pub mod model;
pub mod notify;
pub mod picture;
pub mod postmortem;
pub mod render;
pub mod store;

use crate::error::{Error, Result};
use jiff::Timestamp;
use model::Entry;
use std::path::Path;

/// A time given on the command line: RFC 3339 (`2026-11-26T03:00:00Z`) or relative to now
/// (`15m ago`, `-15m`). Times in the future are refused: an incident cannot be detected later.
pub fn parse_time(input: &str, now: Timestamp, flag: &str) -> Result<Timestamp> {
    let text = input.trim();
    let relative = text.strip_suffix(" ago").or_else(|| text.strip_prefix('-'));
    let t = match relative {
        Some(d) => {
            let d = crate::types::duration::parse_duration(d)
                .map_err(|e| Error::usage(format!("invalid value for {flag}: {e}")))?;
            let d = jiff::SignedDuration::try_from(d)
                .map_err(|e| Error::usage(format!("invalid value for {flag}: {e}")))?;
            now.saturating_sub(d)
                .map_err(|e| Error::usage(format!("invalid value for {flag}: {e}")))?
        }
        None => text.parse::<Timestamp>().map_err(|e| {
            Error::usage(format!(
                "invalid value for {flag}: '{input}' is not a time ({e})"
            ))
            .with_hint("use RFC 3339 (2026-11-26T03:00:00Z) or a relative time (15m ago)")
        })?,
    };
    if t.as_second() > now.as_second() + 60 {
        return Err(Error::usage(format!(
            "invalid value for {flag}: {t} is in the future"
        )));
    }
    Ok(t)
}

/// The longest audit line kept: a plan with hundreds of changes is tens of kilobytes.
pub const MAX_AUDIT_LINE: usize = 4 * 1024 * 1024;

/// The changes made with `--incident ID`, from the audit log, as timeline entries, and how
/// many of the log's lines could not be read. The log is read line by line, keeping only the
/// lines that name this incident: memory does not grow with the log. No log is no changes; a
/// log that cannot be read is an error for the caller to report (the rest of the incident can
/// still be shown).
pub fn actions_from_audit(
    path: &Path,
    id: &str,
) -> Result<(Vec<Entry>, usize), crate::files::bounded::InputError> {
    let lines = audit_lines(path, id)?;
    let entries = lines
        .kept
        .iter()
        .filter_map(|l| audit_entry(l, id))
        .collect();
    Ok((entries, lines.unreadable))
}

/// Whether a change `action` (`silence add`) was applied for incident `id`, by the audit log.
pub fn applied_for_incident(
    path: &Path,
    id: &str,
    action: &str,
) -> Result<bool, crate::files::bounded::InputError> {
    Ok(audit_lines(path, id)?.kept.iter().any(|line| {
        serde_json::from_str::<serde_json::Value>(line)
            .is_ok_and(|v| v["incident"] == id && v["action"] == action && v["result"] == "applied")
    }))
}

/// The audit log's lines that mention `id` (a cheap test before parsing: most lines are other
/// incidents' or none's); none when there is no log.
fn audit_lines(
    path: &Path,
    id: &str,
) -> Result<crate::files::bounded::Lines, crate::files::bounded::InputError> {
    use crate::files::bounded::{lines_kept, Input, Problem};
    let wanted = id.to_string();
    match lines_kept(path, Input::AuditLog, MAX_AUDIT_LINE, move |l| {
        l.contains(&wanted)
    }) {
        Err(e) if e.problem == Problem::Missing => Ok(Default::default()),
        other => other,
    }
}

/// A change made for an incident, as the audit log recorded it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    pub at: Timestamp,
    pub action: String,
    pub target: String,
    pub summary: String,
    /// applied, dry-run, refused, failed, partial
    pub result: String,
    pub verified: Option<bool>,
}

impl Change {
    /// Applied and seen to take effect: what the resolution is made of.
    pub fn verified(&self) -> bool {
        self.result == "applied" && self.verified == Some(true)
    }
}

/// The changes made for incident `id`, from the audit log, oldest first (none when the log
/// cannot be read: `report show` says why through `actions_from_audit`).
pub fn changes_from_audit(path: &Path, id: &str) -> Vec<Change> {
    let Ok(lines) = audit_lines(path, id) else {
        return Vec::new();
    };
    let mut changes: Vec<Change> = lines
        .kept
        .iter()
        .filter_map(|line| {
            let v = serde_json::from_str::<serde_json::Value>(line).ok()?;
            let at = v["time"].as_str()?.parse::<Timestamp>().ok()?;
            let text = |key: &str| v[key].as_str().unwrap_or("?").to_string();
            (v["incident"] == id).then(|| Change {
                at,
                action: text("action"),
                target: text("target"),
                summary: v["plan"]["summary"].as_str().unwrap_or("?").to_string(),
                result: text("result"),
                verified: v["verified"].as_bool(),
            })
        })
        .collect();
    changes.sort_by_key(|c| c.at);
    changes
}

/// One audit line as a timeline entry, if it is about incident `id`.
fn audit_entry(line: &str, id: &str) -> Option<Entry> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    if v["incident"] != id {
        return None;
    }
    let at: Timestamp = v["time"].as_str()?.parse().ok()?;
    let result = v["result"].as_str().unwrap_or("?");
    let verified = match v["verified"].as_bool() {
        Some(true) => ", verified",
        Some(false) => ", NOT verified",
        None => "",
    };
    // A change made as a runbook's step says which.
    let step = match (v["runbook"]["name"].as_str(), v["runbook"]["step"].as_u64()) {
        (Some(runbook), Some(step)) => format!("runbook {runbook} step {step}: "),
        _ => String::new(),
    };
    Some(Entry {
        at,
        kind: model::EntryKind::Action,
        text: format!(
            "{step}{} ({}): {result}{verified}",
            v["plan"]["summary"].as_str().unwrap_or("?"),
            v["target"].as_str().unwrap_or("?")
        ),
        author: v["user"].as_str().unwrap_or("").to_string(),
        evidence: None,
        notification: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_is_an_incident_id_or_a_usage_error(text in "\\PC{0,24}") {
            if store::check_id(&text).is_ok() {
                prop_assert!(text.is_ascii() && text.starts_with("INC-"));
            }
        }

        #[test]
        fn ids_with_a_multibyte_character_anywhere_are_refused(prefix in "INC-[0-9]{0,8}", tail in "[0-9-]{0,6}") {
            let id = format!("{prefix}é{tail}");
            prop_assert!(store::check_id(&id).is_err());
        }

        #[test]
        fn any_time_text_parses_to_the_past_or_is_refused(text in ".{0,40}") {
            let now: Timestamp = "2026-11-26T03:00:00Z".parse().unwrap();
            if let Ok(t) = parse_time(&text, now, "--at") {
                prop_assert!(t.as_second() <= now.as_second() + 60);
            }
        }

        #[test]
        fn relative_times_count_back_from_now(minutes in 0i64..100_000) {
            let now: Timestamp = "2026-11-26T03:00:00Z".parse().unwrap();
            let t = parse_time(&format!("{minutes}m ago"), now, "--at").unwrap();
            prop_assert_eq!(now.as_second() - t.as_second(), minutes * 60);
        }

        #[test]
        fn only_well_formed_incident_ids_pass(text in ".{0,30}", day in 10_000_000u32..99_999_999, n in 1u32..10_000) {
            if store::check_id(&text).is_ok() {
                prop_assert!(text.starts_with("INC-") && !text.contains('/') && !text.contains('.'));
            }
            let id = format!("INC-{day}-{n:03}");
            prop_assert!(store::check_id(&id).is_ok(), "{}", id);
        }
    }

    #[test]
    fn times_parse_absolute_and_relative_and_refuse_the_future() {
        let now: Timestamp = "2026-11-26T03:00:00Z".parse().unwrap();
        assert_eq!(
            parse_time("15m ago", now, "--at").unwrap(),
            "2026-11-26T02:45:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            parse_time("-1h", now, "--at").unwrap(),
            "2026-11-26T02:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert!(parse_time("2026-11-26T02:00:00Z", now, "--at").is_ok());
        assert!(parse_time("2026-11-26T04:00:00Z", now, "--at").is_err());
        assert!(parse_time("yesterday", now, "--at").is_err());
    }
}
