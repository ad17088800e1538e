//! The seed's severity levels (SEV1–SEV4) and its escalation ladder: one table each.

use super::status::Status;
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

/// What the seed says of one level.
pub struct Level {
    pub label: &'static str,
    /// The seed's name for the level.
    pub name: &'static str,
    pub definition: &'static str,
    pub response_time: &'static str,
    /// The response time in minutes from detection; None: by the next business day.
    pub response_minutes: Option<i64>,
    pub notify: &'static str,
}

const LEVELS: [Level; 4] = [
    Level {
        label: "SEV1",
        name: "CRITICAL",
        definition: "Complete service outage or data loss",
        response_time: "15 minutes",
        response_minutes: Some(15),
        notify: "on-call engineer and management, immediately",
    },
    Level {
        label: "SEV2",
        name: "HIGH",
        definition: "Significant service degradation affecting multiple users",
        response_time: "1 hour",
        response_minutes: Some(60),
        notify: "on-call engineer and team lead",
    },
    Level {
        label: "SEV3",
        name: "MEDIUM",
        definition: "Minor service issues affecting some users",
        response_time: "4 hours",
        response_minutes: Some(240),
        notify: "the team, during business hours",
    },
    Level {
        label: "SEV4",
        name: "LOW",
        definition: "Cosmetic issues or minor bugs",
        response_time: "next business day",
        response_minutes: None,
        notify: "standard bug tracking",
    },
];

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Sev1,
        Severity::Sev2,
        Severity::Sev3,
        Severity::Sev4,
    ];

    pub fn level(self) -> &'static Level {
        &LEVELS[self as usize]
    }

    pub fn label(self) -> &'static str {
        self.level().label
    }

    pub fn name(self) -> &'static str {
        self.level().name
    }

    pub fn definition(self) -> &'static str {
        self.level().definition
    }

    pub fn response_time(self) -> &'static str {
        self.level().response_time
    }

    pub fn notify(self) -> &'static str {
        self.level().notify
    }
}

/// One step of the seed's escalation timeline, from the moment the incident is detected.
pub struct Escalation {
    pub from_minute: i64,
    pub window: &'static str,
    pub who: &'static str,
}

pub const ESCALATION: [Escalation; 4] = [
    Escalation {
        from_minute: 0,
        window: "0-15 min",
        who: "primary on-call engineer responds",
    },
    Escalation {
        from_minute: 15,
        window: "15-30 min",
        who: "secondary on-call engineer notified",
    },
    Escalation {
        from_minute: 30,
        window: "30-60 min",
        who: "engineering manager notified",
    },
    Escalation {
        from_minute: 60,
        window: "60+ min",
        who: "CTO and stakeholders notified",
    },
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

pub fn rule(severity: Severity, check: &str, status: Status, reason: &str) -> SeverityRule {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_is_its_own_row() {
        for (i, s) in Severity::ALL.iter().enumerate() {
            assert_eq!(s.label(), format!("SEV{}", i + 1));
        }
        assert_eq!(Severity::Sev2.response_time(), "1 hour");
        assert!(ESCALATION
            .windows(2)
            .all(|w| w[0].from_minute < w[1].from_minute));
    }
}
