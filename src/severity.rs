//! The seed's severity levels (SEV1–SEV4), and the rules that suggest one from diagnose's findings.
//!
//! Rules are data: `[[severity.rules]]` in the config file replaces the built-in list. A rule
//! matches a finding when the check id matches (`*` is any check), its status is at least the
//! rule's status, and (if given) its value is at least `value_at_least`. The most severe matching
//! rule wins; every rule matching at that level is given as a reason.

use crate::checks::{CheckResult, Status};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    #[serde(rename = "SEV1")]
    Sev1,
    #[serde(rename = "SEV2")]
    Sev2,
    #[serde(rename = "SEV3")]
    Sev3,
    #[serde(rename = "SEV4")]
    Sev4,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Sev1 => "SEV1",
            Severity::Sev2 => "SEV2",
            Severity::Sev3 => "SEV3",
            Severity::Sev4 => "SEV4",
        }
    }

    /// The seed's name for the level.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Sev1 => "CRITICAL",
            Severity::Sev2 => "HIGH",
            Severity::Sev3 => "MEDIUM",
            Severity::Sev4 => "LOW",
        }
    }

    pub fn definition(self) -> &'static str {
        match self {
            Severity::Sev1 => "Complete service outage or data loss",
            Severity::Sev2 => "Significant service degradation affecting multiple users",
            Severity::Sev3 => "Minor service issues affecting some users",
            Severity::Sev4 => "Cosmetic issues or minor bugs",
        }
    }

    pub fn response_time(self) -> &'static str {
        match self {
            Severity::Sev1 => "15 minutes",
            Severity::Sev2 => "1 hour",
            Severity::Sev3 => "4 hours",
            Severity::Sev4 => "next business day",
        }
    }

    pub fn notify(self) -> &'static str {
        match self {
            Severity::Sev1 => "on-call engineer and management, immediately",
            Severity::Sev2 => "on-call engineer and team lead",
            Severity::Sev3 => "the team, during business hours",
            Severity::Sev4 => "standard bug tracking",
        }
    }
}

/// The seed's escalation timeline, from the moment the incident is detected.
pub const ESCALATION: &[(&str, &str)] = &[
    ("0-15 min", "primary on-call engineer responds"),
    ("15-30 min", "secondary on-call engineer notified"),
    ("30-60 min", "engineering manager notified"),
    ("60+ min", "CTO and stakeholders notified"),
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeverityRule {
    pub severity: Severity,
    /// A check id, or `*` for any check.
    pub check: String,
    /// The least status that matches: `warning` or `critical`.
    #[serde(default = "critical")]
    pub status: Status,
    /// The least measured value that matches (in the check's unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_at_least: Option<f64>,
    pub reason: String,
}

fn critical() -> Status {
    Status::Critical
}

fn rule(severity: Severity, check: &str, status: Status, reason: &str) -> SeverityRule {
    SeverityRule {
        severity,
        check: check.into(),
        status,
        value_at_least: None,
        reason: reason.into(),
    }
}

/// The seed's definitions as rules: SEV1 is an outage, SEV2 a significant degradation
/// (≥ 50% errors, a partial outage, latency past critical), SEV3 anything else wrong.
pub fn default_rules() -> Vec<SeverityRule> {
    use Severity::*;
    use Status::{Critical, Warning};
    vec![
        rule(
            Sev1,
            "k8s.deployments",
            Critical,
            "an app deployment has no available replica",
        ),
        rule(
            Sev1,
            "k8s.pods",
            Critical,
            "an app deployment has no ready pod",
        ),
        rule(
            Sev1,
            "k8s.endpoints",
            Critical,
            "a service behind the ingress has no ready endpoint",
        ),
        rule(Sev1, "postgres.ping", Critical, "PostgreSQL is unreachable"),
        SeverityRule {
            value_at_least: Some(50.0),
            ..rule(
                Sev2,
                "prometheus.error_rate",
                Warning,
                "error rate at or above 50%",
            )
        },
        rule(
            Sev2,
            "k8s.deployments",
            Warning,
            "partial outage: a deployment is below its desired replicas",
        ),
        rule(
            Sev2,
            "prometheus.latency_p95",
            Critical,
            "p95 latency past its critical level",
        ),
        rule(Sev2, "redis.ping", Critical, "Redis is unreachable"),
        rule(Sev3, "*", Critical, "a critical finding"),
        rule(Sev3, "*", Warning, "a warning finding"),
    ]
}

pub fn validate_rules(rules: &[SeverityRule]) -> Result<()> {
    for (i, r) in rules.iter().enumerate() {
        let key = format!("severity.rules[{i}]");
        if !matches!(r.status, Status::Warning | Status::Critical) {
            return Err(Error::config(
                key,
                "status must be \"warning\" or \"critical\"",
            ));
        }
        if r.check != "*" && !crate::checks::CHECKS.iter().any(|c| c.id == r.check) {
            return Err(Error::config(
                key,
                format!("unknown check id '{}'", r.check),
            )
            .with_hint("`incidentctl diagnose --help` lists the runbooks; the README lists every check id"));
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
    for r in rules.iter().filter(|r| r.severity == level) {
        let ids: Vec<&str> = findings
            .iter()
            .filter(|f| matches(r, f))
            .map(|f| f.id)
            .collect();
        if !ids.is_empty() {
            reasons.push(format!("{} ({})", r.reason, ids.join(", ")));
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

    fn finding(id: &'static str, status: Status, value: Option<f64>) -> CheckResult {
        CheckResult {
            id,
            runbooks: vec![],
            status,
            summary: String::new(),
            value,
            unit: None,
            warning: None,
            critical: None,
            evidence: vec![],
            error: None,
            hint: None,
            duration_ms: 0,
        }
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
        assert!(validate_rules(&rules).is_err());
    }
}
