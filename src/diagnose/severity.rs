//! The rules that suggest a severity level (SEV1–SEV4) from diagnose's findings.
//!
//! Rules are data: `[[severity.rules]]` in the config file replaces the built-in list. A rule
//! matches a finding when the check id matches (`*` is any check), its status is at least the
//! rule's status, and (if given) its value is at least `value_at_least`. The most severe matching
//! rule wins; every rule matching at that level is given as a reason, each finding under the
//! first of them it matches (a critical finding is not also "a warning finding").

use crate::checks::CheckResult;
use crate::error::{Error, Result};
pub use crate::types::severity::{default_rules, SeverityRule};
use crate::types::Severity;
use serde::Serialize;

/// Every rule names a check that exists (or `*`): a typo would otherwise never match, silently.
/// The rules' other fields are checked with the rest of the configuration.
pub fn validate_check_ids(
    rules: &[SeverityRule],
    settings: &crate::settings::Settings,
) -> Result<()> {
    let checks = crate::checks::all(settings);
    for (i, r) in rules.iter().enumerate() {
        if r.check != "*" && !checks.iter().any(|c| c.id == r.check) {
            return Err(Error::config(
                format!("severity.rules[{i}]"),
                format!("unknown check id '{}'", r.check),
            )
            .with_hint("`incidentctl diagnose --list` lists every check id"));
        }
    }
    Ok(())
}

/// The suggested severity and why.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// None: no incident.
    pub severity: Option<Severity>,
    pub name: Option<&'static str>,
    pub definition: Option<&'static str>,
    pub response_time: Option<&'static str>,
    pub notify: Option<&'static str>,
    /// The rules that decided the level, with the checks that matched them.
    pub reasons: Vec<String>,
}

fn matches(rule: &SeverityRule, finding: &CheckResult) -> bool {
    (rule.check == "*" || rule.check == finding.id)
        && finding.status.is_problem()
        && finding.status >= rule.status
        && rule
            .value_at_least
            .is_none_or(|least| finding.value.is_some_and(|v| v >= least))
}

pub fn assess(rules: &[SeverityRule], findings: &[CheckResult]) -> Assessment {
    let level = rules
        .iter()
        .filter(|r| findings.iter().any(|f| matches(r, f)))
        .map(|r| r.severity)
        .min();
    let Some(level) = level else {
        return Assessment {
            severity: None,
            name: None,
            definition: None,
            response_time: None,
            notify: None,
            reasons: Vec::new(),
        };
    };
    let mut reasons = Vec::new();
    let mut given: Vec<&str> = Vec::new();
    for r in rules.iter().filter(|r| r.severity == level) {
        let ids: Vec<&str> = findings
            .iter()
            .filter(|f| matches(r, f) && !given.contains(&f.id))
            .map(|f| f.id)
            .collect();
        if !ids.is_empty() {
            reasons.push(format!("{} ({})", r.reason, ids.join(", ")));
            given.extend(ids);
        }
    }
    Assessment {
        severity: Some(level),
        name: Some(level.name()),
        definition: Some(level.definition()),
        response_time: Some(level.response_time()),
        notify: Some(level.notify()),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::severity::rule;
    use crate::types::Status;

    fn finding(id: &'static str, status: Status, value: Option<f64>) -> CheckResult {
        crate::checks::result_for_tests(id, status, value)
    }

    #[test]
    fn each_finding_is_a_reason_once_under_its_own_level() {
        let a = assess(
            &default_rules(),
            &[
                finding("postgres.locks", Status::Critical, None),
                finding("redis.memory", Status::Warning, None),
            ],
        );
        assert_eq!(a.severity, Some(Severity::Sev3));
        assert_eq!(
            a.reasons,
            vec![
                "a critical finding (postgres.locks)",
                "a warning finding (redis.memory)"
            ]
        );
    }

    #[test]
    fn all_ok_is_no_incident() {
        let a = assess(
            &default_rules(),
            &[finding("postgres.ping", Status::Ok, None)],
        );
        assert_eq!(a.severity, None);
    }

    #[test]
    fn unknown_alone_is_no_incident() {
        let a = assess(
            &default_rules(),
            &[finding("postgres.ping", Status::Unknown, None)],
        );
        assert_eq!(a.severity, None);
    }

    #[test]
    fn database_unreachable_is_sev1() {
        let a = assess(
            &default_rules(),
            &[
                finding("postgres.ping", Status::Critical, None),
                finding("redis.memory", Status::Warning, None),
            ],
        );
        assert_eq!(a.severity, Some(Severity::Sev1));
        assert_eq!(a.response_time, Some("15 minutes"));
        assert_eq!(a.reasons, vec!["PostgreSQL is unreachable (postgres.ping)"]);
    }

    #[test]
    fn error_rate_at_fifty_percent_is_sev2_and_just_below_is_sev3() {
        let rules = default_rules();
        let at = assess(
            &rules,
            &[finding(
                "prometheus.error_rate",
                Status::Critical,
                Some(50.0),
            )],
        );
        assert_eq!(at.severity, Some(Severity::Sev2));
        let below = assess(
            &rules,
            &[finding(
                "prometheus.error_rate",
                Status::Critical,
                Some(49.9),
            )],
        );
        assert_eq!(below.severity, Some(Severity::Sev3));
    }

    #[test]
    fn partial_outage_is_sev2() {
        let a = assess(
            &default_rules(),
            &[finding("k8s.deployments", Status::Warning, None)],
        );
        assert_eq!(a.severity, Some(Severity::Sev2));
        assert_eq!(a.response_time, Some("1 hour"));
    }

    #[test]
    fn warnings_only_are_sev3() {
        let a = assess(
            &default_rules(),
            &[finding("redis.memory", Status::Warning, None)],
        );
        assert_eq!(a.severity, Some(Severity::Sev3));
        assert_eq!(a.response_time, Some("4 hours"));
    }

    #[test]
    fn configured_rules_replace_the_defaults() {
        let rules = vec![rule(Severity::Sev4, "*", Status::Warning, "anything")];
        let a = assess(&rules, &[finding("postgres.ping", Status::Critical, None)]);
        assert_eq!(a.severity, Some(Severity::Sev4));
        assert_eq!(a.response_time, Some("next business day"));
    }

    #[test]
    fn rules_naming_unknown_checks_are_rejected() {
        let rules = vec![rule(Severity::Sev1, "k8s.podz", Status::Critical, "typo")];
        assert!(validate_check_ids(&rules, &crate::checks::default_settings()).is_err());
    }
}
