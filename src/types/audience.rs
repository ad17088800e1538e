//! Who is told about an incident: the runbook's people and groups, by the names the config uses.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// The primary on-call engineer (24/7).
    Primary,
    /// The secondary on-call engineer.
    Secondary,
    TeamLead,
    /// The engineering manager (the ladder's third step).
    Manager,
    /// The CTO and the stakeholders the ladder reaches at 60 minutes.
    Executives,
    /// Management, told by email of SEV1 and SEV2.
    Management,
    /// External partners, told by email of SEV1.
    Partners,
    /// The team (Slack).
    Team,
    /// The users, through the status page.
    StatusPage,
    /// The bug tracker (SEV4's "standard bug tracking").
    Tracker,
}

impl Audience {
    pub const ALL: [Audience; 10] = [
        Audience::Primary,
        Audience::Secondary,
        Audience::TeamLead,
        Audience::Manager,
        Audience::Executives,
        Audience::Management,
        Audience::Partners,
        Audience::Team,
        Audience::StatusPage,
        Audience::Tracker,
    ];

    /// The name the config file and every output use.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Primary => "primary",
            Audience::Secondary => "secondary",
            Audience::TeamLead => "team-lead",
            Audience::Manager => "manager",
            Audience::Executives => "executives",
            Audience::Management => "management",
            Audience::Partners => "partners",
            Audience::Team => "team",
            Audience::StatusPage => "status-page",
            Audience::Tracker => "tracker",
        }
    }

    pub fn parse(text: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// How a message names the reader: "the engineering manager".
    pub fn described(self) -> &'static str {
        match self {
            Audience::Primary => "the primary on-call engineer",
            Audience::Secondary => "the secondary on-call engineer",
            Audience::TeamLead => "the team lead",
            Audience::Manager => "the engineering manager",
            Audience::Executives => "the CTO and stakeholders",
            Audience::Management => "management",
            Audience::Partners => "our partners",
            Audience::Team => "the team",
            Audience::StatusPage => "our users",
            Audience::Tracker => "the bug tracker",
        }
    }
}

impl std::fmt::Display for Audience {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_parse() {
        for a in Audience::ALL {
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.as_str()));
            assert_eq!(Audience::parse(a.as_str()), Some(a));
        }
        assert_eq!(Audience::parse("cto"), None);
    }
}
