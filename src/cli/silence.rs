//! `incidentctl silence …`: Alertmanager silences, as changes.

use super::ChangeArgs;
use crate::types::Dur;
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum SilenceCommand {
    /// Silence the alerts matching every --matcher, for --duration
    #[command(after_help = concat!("Replaces: amtool silence add (Alertmanager API v2). The plan lists the alerts firing now that
the silence would cover, and warns when none does (a typo in a label silences nothing). A silence
made with --incident carries the incident's id in its comment: `report close` lists those still
active, with the command that expires each. Alertmanager has no dry run: --dry-run only checks it
answers, and creates nothing.

Matchers: NAME=VALUE, NAME!=VALUE, NAME=~REGEX, NAME!~REGEX (regexes anchored, as Alertmanager
does). At least one must name something: matchers that match every alert are refused.

Examples:
  incidentctl silence add --matcher alertname=HighErrorRate --duration 1h --comment 'fix rolling out' --dry-run
  incidentctl silence add --matcher alertname=HighLatency --matcher severity=warning --duration 30m --comment 'INC-42: scaling' --incident INC-42 --yes

", change_help!()))]
    Add(SilenceAddArgs),

    /// List silences: active and pending (--all: expired too)
    #[command(
        after_help = "Examples:\n  incidentctl silence list\n  incidentctl silence list --all -o json | jq '.[] | select(.status.state == \"active\")'"
    )]
    List {
        /// Expired silences too
        #[arg(long)]
        all: bool,
    },

    /// End a silence now
    #[command(after_help = concat!("Examples:
  incidentctl silence expire 8c1b2a9e-3f0d-4c55-9a43-5e0f7d1c2b11 --dry-run
  incidentctl silence expire 8c1b2a9e-3f0d-4c55-9a43-5e0f7d1c2b11 --yes

", change_help!()))]
    Expire {
        /// The silence's id (incidentctl silence list)
        id: String,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

#[derive(Debug, Clone, Args)]
pub struct SilenceAddArgs {
    /// A label matcher: NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX (repeatable)
    #[arg(long = "matcher", short = 'm', value_name = "MATCHER", required = true, value_parser = matcher)]
    pub matchers: Vec<crate::actions::silence::Matcher>,

    /// How long the silence lasts
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub duration: Dur,

    /// Why: shown to whoever finds the silence later
    #[arg(long, value_name = "TEXT")]
    pub comment: String,

    #[command(flatten)]
    pub change: ChangeArgs,
}

fn matcher(s: &str) -> Result<crate::actions::silence::Matcher, String> {
    crate::actions::silence::parse_matcher(s)
}
