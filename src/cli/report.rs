//! `incidentctl report …`: the incident record's verbs and their flags.

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Args)]
#[command(
    after_help = "Incidents live in a directory (default $XDG_DATA_HOME/incidentctl/incidents, one JSON file
each, safe to keep in git) or, for a team on several machines, in PostgreSQL:
report.store = \"postgres://...\" in the config, INCIDENTCTL_REPORT_STORE, or --store.

The clocks follow the seed: response within 15 min (SEV1), 1 h (SEV2), 4 h (SEV3), next business
day (SEV4); escalation 0-15 min primary on-call, 15-30 secondary, 30-60 engineering manager, 60+
CTO; a status update every 30 minutes (report.update_interval). `diagnose --incident ID` and every
change made with --incident ID (or INCIDENTCTL_INCIDENT) appear in the timeline. `report escalate`,
run from cron, tells whoever the notification policy says must know, once ([notify] in the config).

Examples:
  export INCIDENTCTL_INCIDENT=$(incidentctl report new --title \"Backend 5xx\" --from-diagnose)   # prints its id
  incidentctl report ack $INCIDENTCTL_INCIDENT
  incidentctl diagnose --incident $INCIDENTCTL_INCIDENT
  incidentctl restart backend --yes                                  # recorded in the timeline
  incidentctl report log $INCIDENTCTL_INCIDENT \"rolled back release 2.3.1\"
  incidentctl report notify $INCIDENTCTL_INCIDENT
  incidentctl report escalate --dry-run                              # who would be told what
  incidentctl report status $INCIDENTCTL_INCIDENT resolved
  incidentctl report set $INCIDENTCTL_INCIDENT --root-cause \"...\" --resolution \"...\"
  incidentctl report close $INCIDENTCTL_INCIDENT
  incidentctl report render $INCIDENTCTL_INCIDENT > postmortem.md"
)]
pub struct ReportArgs {
    /// Incident store: a directory or a postgres:// URL
    #[arg(long, global = true, value_name = "DIR|URL", value_hint = clap::ValueHint::DirPath)]
    pub store: Option<String>,

    #[command(subcommand)]
    pub command: ReportCommand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    #[value(name = "SEV1", alias = "sev1")]
    Sev1,
    #[value(name = "SEV2", alias = "sev2")]
    Sev2,
    #[value(name = "SEV3", alias = "sev3")]
    Sev3,
    #[value(name = "SEV4", alias = "sev4")]
    Sev4,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IncidentStatusArg {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Commander,
    TechnicalLead,
    CommunicationsLead,
    DocumentationLead,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Open an incident; prints its id
    #[command(
        after_help = "Examples:\n  incidentctl report new --title \"Backend 5xx\" --severity SEV2 --commander alice\n  incidentctl report new --title \"Backend 5xx\" --from-diagnose\n  incidentctl report new --title \"Login failures\" --severity SEV3 --detected-at \"20m ago\"\n  ID=$(incidentctl report new --title \"DB down\" --severity SEV1)",
        group(clap::ArgGroup::new("how_severe").required(true).args(["severity", "from_diagnose"]))
    )]
    New {
        #[arg(long)]
        title: String,
        /// SEV1..SEV4 (or take diagnose's suggestion with --from-diagnose)
        #[arg(long, value_enum)]
        severity: Option<SeverityArg>,
        /// Incident commander
        #[arg(long, value_name = "NAME")]
        commander: Option<String>,
        /// When it was detected: RFC 3339, or '15m ago' (default: now)
        #[arg(long, value_name = "TIME")]
        detected_at: Option<String>,
        /// Take the severity from diagnose: run it now, or read a saved `diagnose -o json`
        #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-run-", value_hint = clap::ValueHint::FilePath)]
        from_diagnose: Option<String>,
    },
    /// Incidents with severity, status, age, next update and escalation level
    #[command(
        after_help = "Examples:\n  incidentctl report list --open\n  incidentctl report list -o json | jq '.[] | select(.clocks.update_overdue)'"
    )]
    List {
        /// Only incidents not yet resolved
        #[arg(long)]
        open: bool,
    },
    /// One incident with its clocks and timeline
    #[command(
        after_help = "Examples:\n  incidentctl report show INC-20261126-001\n  incidentctl report show INC-20261126-001 -o json | jq .clocks"
    )]
    Show {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
    },
    /// Acknowledge: stops the response-time clock; PagerDuty hears it (acknowledge)
    #[command(
        after_help = "Sends PagerDuty's acknowledge (dedup_key = the incident id) to every PagerDuty route that
was triggered for the incident; if it cannot, `report escalate` sends it on its next run.

Examples:\n  incidentctl report ack INC-20261126-001"
    )]
    Ack {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
    },
    /// Move the incident to a status
    #[command(
        after_help = "Examples:\n  incidentctl report status INC-20261126-001 identified\n  incidentctl report status INC-20261126-001 resolved"
    )]
    Status {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
        #[arg(value_enum)]
        status: IncidentStatusArg,
    },
    /// Change the severity (recorded in the timeline)
    #[command(
        after_help = "Examples:\n  incidentctl report severity INC-20261126-001 SEV1 --reason \"payments affected too\""
    )]
    Severity {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
        #[arg(value_enum)]
        severity: SeverityArg,
        /// Why
        #[arg(long)]
        reason: Option<String>,
    },
    /// Give a role to a person
    #[command(
        after_help = "Examples:\n  incidentctl report assign INC-20261126-001 commander alice\n  incidentctl report assign INC-20261126-001 communications-lead carol"
    )]
    Assign {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
        #[arg(value_enum)]
        role: RoleArg,
        name: String,
    },
    /// Add a timeline entry
    #[command(
        after_help = "Examples:\n  incidentctl report log INC-20261126-001 \"rolled back to 2.3.0\"\n  incidentctl report log INC-20261126-001 \"first 502s in the LB logs\" --at \"25m ago\""
    )]
    Log {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
        text: String,
        /// When it happened: RFC 3339, or '10m ago' (default: now)
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Fill in the report template's fields
    #[command(
        after_help = "Examples:\n  incidentctl report set INC-20261126-001 --root-cause \"pool exhausted\" --resolution \"killed the query\"\n  incidentctl report set INC-20261126-001 --users-affected 1200 --services backend,frontend"
    )]
    Set(SetArgs),
    /// Add a follow-up action (a checkbox in the report)
    #[command(
        after_help = "Examples:\n  incidentctl report follow-up INC-20261126-001 \"alert on DB pool saturation\""
    )]
    FollowUp {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
        text: String,
    },
    /// The post-mortem report: the seed's template, filled in from the evidence
    #[command(
        after_help = "Impact (onset, recovery, requests failed, peaks, services, users) is measured in Prometheus
over the incident's window (6 h before it was opened, until it was resolved), each figure with
its query; at `report close` it is frozen into the incident. Root Cause lists the suspects of
the diagnoses attached, suspected and not confirmed, until `report set --root-cause` or
`report cause accept`. Resolution lists the changes made with --incident, with their outcome.
Markdown links to a picture of the symptoms (an SVG kept with the incident's evidence); HTML is
one self-contained page with the picture inside.

Examples:\n  incidentctl report render INC-20261126-001 > postmortem.md\n  incidentctl report render INC-20261126-001 --format html > postmortem.html\n  incidentctl report render INC-20261126-001 -o json"
    )]
    Render {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
        /// markdown (default), html (one self-contained page), or json (as -o json)
        #[arg(long, value_enum)]
        format: Option<RenderFormat>,
    },
    /// The suspected causes: accept one as the root cause
    #[command(
        subcommand,
        after_help = "The suspects are those of the first diagnosis attached to the incident (report new
--from-diagnose, diagnose --incident); report show and report render list them, ranked.

Examples:\n  incidentctl report cause accept INC-20261126-001 1"
    )]
    Cause(CauseCommand),
    /// Post a status update to Slack (report.slack_webhook or SLACK_WEBHOOK_URL)
    #[command(
        after_help = "Examples:\n  incidentctl report notify INC-20261126-001 --dry-run\n  SLACK_WEBHOOK_URL=$(cat ~/.slack-hook) incidentctl report notify INC-20261126-001"
    )]
    Notify {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
        /// Print the message; post nothing, record nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Tell whoever must know what is due now (from cron): notices, escalation, updates, resolution
    #[command(
        after_help = "Goes through every open incident (or the one named) and sends what the notification policy
([notify.policy], the runbook's matrix by default) says is due now, through the channels of the
[[notify.route]] tables: the notice for its severity (again to the new audiences when it rises),
each escalation step whose minute has passed (15 min secondary, 30 min manager, 60 min
executives), the status update every report.update_interval, and once resolved, the resolution
to everyone told and a PagerDuty resolve. Severities in business_hours_only wait for business
hours.

Each send is claimed in the incident store before it goes out, so any number of runs on any
number of machines send it once. A send that failed (refused, or never connected) is tried again
on a later run, after a backoff; one that may have been sent (the connection was lost after it
went out) is not, unless --resend. Every send is a timeline entry.

Exit codes: 0 all sent or nothing due, 12 some sends failed or may have been sent, 69 nothing
could be sent and no channel's server answered.

Examples:
  incidentctl report escalate --dry-run                # who would be told what, now
  * * * * * incidentctl report escalate -q             # crontab: every minute
  incidentctl report escalate INC-20261126-001 -o json
  incidentctl report escalate INC-20261126-001 --resend  # also what may have been sent"
    )]
    Escalate {
        /// Only this incident
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: Option<String>,
        /// List what would go to whom; send nothing, record nothing
        #[arg(long)]
        dry_run: bool,
        /// Send again what may have been sent (its answer was lost)
        #[arg(long)]
        resend: bool,
    },
    /// Close a resolved incident (root cause and resolution filled in, or --force --reason)
    #[command(
        after_help = "Silences made for the incident (silence add --incident) that are still active are offered\nfor expiry one by one on a terminal (the plan, then y/N); without one they are listed with the\ncommand that ends each, or expired with --expire-silences.\n\nExamples:\n  incidentctl report close INC-20261126-001\n  incidentctl report close INC-20261126-001 --expire-silences\n  incidentctl report close INC-20261126-001 --force --reason \"duplicate of INC-20261126-002\""
    )]
    Close {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
        #[arg(long, requires = "reason")]
        force: bool,
        #[arg(long)]
        reason: Option<String>,
        /// Expire the incident's silences that are still active, without asking
        #[arg(long)]
        expire_silences: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    Markdown,
    Html,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum CauseCommand {
    /// Make suspect N (as `report show` and `report render` list them) the root cause
    #[command(after_help = "Examples:\n  incidentctl report cause accept INC-20261126-001 1")]
    Accept {
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
        id: String,
        /// The suspect's rank
        #[arg(value_name = "N")]
        rank: usize,
    },
}

#[derive(Debug, Clone, Args)]
pub struct SetArgs {
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::cli::completion::incidents))]
    pub id: String,
    #[arg(long)]
    pub summary: Option<String>,
    #[arg(long)]
    pub impact: Option<String>,
    #[arg(long, value_name = "N")]
    pub users_affected: Option<u64>,
    /// Comma-separated
    #[arg(long, value_delimiter = ',')]
    pub services: Option<Vec<String>>,
    #[arg(long)]
    pub root_cause: Option<String>,
    #[arg(long)]
    pub resolution: Option<String>,
    #[arg(long)]
    pub lessons: Option<String>,
}
