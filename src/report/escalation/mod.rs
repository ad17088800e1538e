//! Who must know, told once, on time: the runbook's notification and escalation matrix, run by
//! `report escalate` (from cron) and `report ack`.
//!
//! One run: for each incident, [`policy::plan`] says what is due from the incident, the policy
//! and the [`ledger`]'s records (a pure function, so a dry run shows exactly what a real run
//! would do); each due send is claimed in the ledger before it goes out — the claim commits
//! first, so of any number of processes on any number of machines one sends it; the
//! [`channels`] send it and say what became of it (from typed errors: sent, failed, or may have
//! been sent); the ledger records that, and the incident's timeline gets one entry per send.

pub mod channels;
pub mod ledger;
pub mod message;
pub mod policy;
pub mod render;
pub mod routes;
pub mod run;
pub mod timeline;

use crate::types::{Audience, Severity};
use serde::{Deserialize, Serialize};

/// A way to reach an audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChannelKind {
    Email,
    Slack,
    Pagerduty,
    Statuspage,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Email => "email",
            ChannelKind::Slack => "slack",
            ChannelKind::Pagerduty => "pagerduty",
            ChannelKind::Statuspage => "statuspage",
        }
    }

    pub fn parse(text: &str) -> Option<ChannelKind> {
        [
            ChannelKind::Email,
            ChannelKind::Slack,
            ChannelKind::Pagerduty,
            ChannelKind::Statuspage,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }
}

/// What a notification is about. Its [`Step::key`] is part of the claim, so the same step is
/// never sent twice to the same audience on the same channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// The incident at this severity, for that severity's audiences: the opening, or a raise.
    Severity(Severity),
    /// The escalation ladder's step this many minutes after detection.
    Escalation { minutes: i64 },
    /// The n-th status update: n update intervals after the incident was opened.
    Update(u32),
    /// The incident was acknowledged (PagerDuty's acknowledge).
    Acknowledged,
    /// The incident was resolved: everyone told hears it, PagerDuty resolves.
    Resolved,
}

impl Step {
    /// `SEV1`, `escalation-30m`, `update-2`, `acknowledged`, `resolved`.
    pub fn key(self) -> String {
        match self {
            Step::Severity(s) => s.label().to_string(),
            Step::Escalation { minutes } => format!("escalation-{minutes}m"),
            Step::Update(n) => format!("update-{n}"),
            Step::Acknowledged => "acknowledged".into(),
            Step::Resolved => "resolved".into(),
        }
    }

    pub fn parse(text: &str) -> Option<Step> {
        if let Some(s) = Severity::ALL.into_iter().find(|s| s.label() == text) {
            return Some(Step::Severity(s));
        }
        if let Some(m) = text
            .strip_prefix("escalation-")
            .and_then(|t| t.strip_suffix('m'))
        {
            return m.parse().ok().map(|minutes| Step::Escalation { minutes });
        }
        if let Some(n) = text.strip_prefix("update-") {
            return n.parse().ok().map(Step::Update);
        }
        match text {
            "acknowledged" => Some(Step::Acknowledged),
            "resolved" => Some(Step::Resolved),
            _ => None,
        }
    }

    /// Words for people: "SEV1 notice", "escalation after 30 min".
    pub fn described(self) -> String {
        match self {
            Step::Severity(s) => format!("{} notice", s.label()),
            Step::Escalation { minutes } => format!("escalation after {minutes} min"),
            Step::Update(n) => format!("status update {n}"),
            Step::Acknowledged => "acknowledgement".into(),
            Step::Resolved => "resolution".into(),
        }
    }
}

impl Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.key())
    }
}

/// One notification: this step, to this audience, on this channel, of this incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub incident: String,
    pub step: Step,
    pub audience: Audience,
    pub channel: ChannelKind,
}

impl Key {
    /// `step/audience/channel`, unique within the incident.
    pub fn name(&self) -> String {
        format!(
            "{}/{}/{}",
            self.step.key(),
            self.audience,
            self.channel.as_str()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_keys_round_trip() {
        for step in [
            Step::Severity(Severity::Sev1),
            Step::Severity(Severity::Sev4),
            Step::Escalation { minutes: 15 },
            Step::Update(3),
            Step::Acknowledged,
            Step::Resolved,
        ] {
            assert_eq!(Step::parse(&step.key()), Some(step), "{}", step.key());
        }
        assert_eq!(Step::parse("escalation-x"), None);
        assert_eq!(Step::parse("SEV5"), None);
    }
}
