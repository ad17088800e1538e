//! The matrix as a table: each case an incident, its records and a time, and what is due.

use super::*;
use crate::report::escalation::routes::Destination;
use crate::report::lifecycle::{Act, Opening};
use crate::settings::Secret;
use std::collections::BTreeMap;

const T0: &str = "2026-12-02T03:00:00Z"; // a Wednesday

fn at(minutes: i64) -> Timestamp {
    T0.parse::<Timestamp>()
        .unwrap()
        .checked_add(SignedDuration::from_mins(minutes))
        .unwrap()
}

fn incident(severity: Severity, detected_minutes: i64) -> Incident {
    let opening = Opening {
        title: "Backend down".into(),
        severity,
        severity_reason: None,
        commander: None,
        detected_at: at(detected_minutes),
    };
    let act = Act {
        now: at(detected_minutes),
        author: "oncall",
    };
    Incident::open("INC-20261202-001".into(), &opening, act)
}

fn hook() -> Secret {
    serde_json::from_str("\"https://hooks.example/x\"").unwrap()
}

/// Every audience routed: email for people, Slack for the team, PagerDuty for the on-call
/// engineers, the status page for users.
fn routes() -> Routes {
    use Audience::*;
    let mut by = BTreeMap::new();
    for a in [TeamLead, Manager, Executives, Management, Partners, Tracker] {
        by.insert(
            a,
            vec![Destination::Email(vec![format!("{a}@example.com")])],
        );
    }
    for a in [Primary, Secondary] {
        by.insert(
            a,
            vec![
                Destination::Email(vec![format!("{a}@example.com")]),
                Destination::Pagerduty(hook()),
            ],
        );
    }
    by.insert(Team, vec![Destination::Slack(hook())]);
    by.insert(StatusPage, vec![Destination::Statuspage]);
    Routes::new(by)
}

fn policy(rules: &NotifyPolicy) -> Policy<'_> {
    Policy {
        rules,
        hours: rules.business_hours().unwrap(),
        update_interval: SignedDuration::from_mins(30),
    }
}

fn record(
    step: Step,
    audience: Audience,
    channel: ChannelKind,
    state: State,
    minute: i64,
) -> Record {
    Record {
        step,
        audience,
        channel,
        state,
        attempts: 1,
        first_attempt_at: at(minute),
        last_attempt_at: at(minute),
        next_attempt_at: None,
        detail: String::new(),
        reference: None,
    }
}

fn due(
    p: &Policy,
    i: &Incident,
    records: &[Record],
    routes: &Routes,
    now: Timestamp,
    resend: bool,
) -> Plan {
    plan(
        p,
        &Inputs {
            incident: i,
            records,
            routes,
            now,
            resend,
            scope: Scope::All,
        },
    )
}

fn names(plan: &Plan) -> Vec<String> {
    plan.due
        .iter()
        .map(|d| format!("{}/{}/{}", d.step.key(), d.audience, d.channel.as_str()))
        .collect()
}

/// Records of everything in `plan` sent at `minute`.
fn sent(plan: &Plan, minute: i64) -> Vec<Record> {
    plan.due
        .iter()
        .map(|d| record(d.step, d.audience, d.channel, State::Sent, minute))
        .collect()
}

#[test]
fn a_sev1_an_hour_old_gets_its_notice_and_the_whole_ladder_once() {
    let rules = NotifyPolicy::default();
    let p = policy(&rules);
    let i = incident(Severity::Sev1, 0);
    let first = due(&p, &i, &[], &routes(), at(61), false);
    assert_eq!(
        names(&first),
        [
            "SEV1/primary/email",
            "SEV1/primary/pagerduty",
            "SEV1/management/email",
            "SEV1/partners/email",
            "SEV1/team/slack",
            "SEV1/status-page/statuspage",
            "escalation-15m/secondary/email",
            "escalation-15m/secondary/pagerduty",
            "escalation-30m/manager/email",
            "escalation-60m/executives/email",
        ]
    );
    assert!(first.unrouted.is_empty() && first.waiting.is_empty());
    // Sent: the next run, a minute later, has nothing to send.
    let records = sent(&first, 61);
    assert!(due(&p, &i, &records, &routes(), at(62), false)
        .due
        .is_empty());
    // Half an hour after they were told, the status update is due for its audiences.
    let later = due(&p, &i, &records, &routes(), at(91), false);
    assert_eq!(
        names(&later),
        [
            "update-3/management/email",
            "update-3/team/slack",
            "update-3/status-page/statuspage"
        ]
    );
}

#[test]
fn the_ladder_steps_come_due_as_the_minutes_pass() {
    let rules = NotifyPolicy::default();
    let p = policy(&rules);
    let i = incident(Severity::Sev2, 0);
    let steps = |minute: i64| -> Vec<String> {
        let plan = due(&p, &i, &[], &routes(), at(minute), false);
        let mut s: Vec<String> = plan.due.iter().map(|d| d.step.key()).collect();
        s.dedup();
        s
    };
    assert_eq!(steps(0), ["SEV2"]);
    assert_eq!(steps(14), ["SEV2"]);
    assert_eq!(steps(15), ["SEV2", "escalation-15m"]);
    assert_eq!(steps(30), ["SEV2", "escalation-15m", "escalation-30m"]);
    assert_eq!(
        steps(60),
        ["SEV2", "escalation-15m", "escalation-30m", "escalation-60m"]
    );
    // SEV3 does not escalate by default; a policy can stop the ladder at acknowledgement.
    let sev3 = incident(Severity::Sev3, 0);
    let noon = "2026-12-02T12:00:00Z".parse::<Timestamp>().unwrap();
    let plan = due(&p, &sev3, &[], &routes(), noon, false);
    assert_eq!(names(&plan), ["SEV3/team/slack"]);
    let rules = NotifyPolicy {
        escalate_until: EscalateUntil::Acknowledged,
        ..NotifyPolicy::default()
    };
    let p = policy(&rules);
    let mut acked = incident(Severity::Sev1, 0);
    acked.acknowledged_at = Some(at(5));
    let plan = due(&p, &acked, &[], &routes(), at(61), false);
    assert!(
        plan.due.iter().all(|d| matches!(d.step, Step::Severity(_))),
        "{:?}",
        names(&plan)
    );
}

#[test]
fn a_sev3_at_night_waits_for_business_hours_in_the_configured_zone() {
    let rules = NotifyPolicy {
        time_zone: "Europe/Berlin".into(),
        ..NotifyPolicy::default()
    };
    let p = policy(&rules);
    // 23:00 in Berlin on Wednesday 2 December is 22:00 UTC.
    let night: Timestamp = "2026-12-02T22:00:00Z".parse().unwrap();
    let mut i = incident(Severity::Sev3, 0);
    i.detected_at = night;
    i.created_at = night;
    let plan = due(&p, &i, &[], &routes(), night, false);
    assert!(plan.due.is_empty());
    let opens: Timestamp = "2026-12-03T08:00:00Z".parse().unwrap(); // 09:00 Berlin
    assert_eq!(
        plan.waiting,
        [Waiting {
            step: Step::Severity(Severity::Sev3),
            audience: Audience::Team,
            channel: ChannelKind::Slack,
            wait: Wait::BusinessHours { from: opens }
        }]
    );
    let just_before = opens.checked_sub(SignedDuration::from_secs(1)).unwrap();
    assert!(due(&p, &i, &[], &routes(), just_before, false)
        .due
        .is_empty());
    assert_eq!(
        names(&due(&p, &i, &[], &routes(), opens, false)),
        ["SEV3/team/slack"]
    );
    // Friday night waits for Monday.
    let friday: Timestamp = "2026-12-04T22:00:00Z".parse().unwrap();
    let monday: Timestamp = "2026-12-07T08:00:00Z".parse().unwrap();
    assert_eq!(next_business_start(&p.hours, friday), monday);
}

#[test]
fn raising_the_severity_tells_the_new_severitys_audiences_once() {
    let rules = NotifyPolicy::default();
    let p = policy(&rules);
    let mut i = incident(Severity::Sev3, 0);
    let noon = "2026-12-02T12:00:00Z".parse::<Timestamp>().unwrap();
    i.detected_at = noon;
    i.created_at = noon;
    let records = sent(&due(&p, &i, &[], &routes(), noon, false), 0);
    assert_eq!(records.len(), 1);
    i.severity = Severity::Sev1;
    let raised = due(&p, &i, &records, &routes(), noon, false);
    assert_eq!(
        names(&raised),
        [
            "SEV1/primary/email",
            "SEV1/primary/pagerduty",
            "SEV1/management/email",
            "SEV1/partners/email",
            "SEV1/team/slack",
            "SEV1/status-page/statuspage",
        ]
    );
    let mut all = records.clone();
    all.extend(sent(&raised, 0));
    assert!(due(&p, &i, &all, &routes(), noon, false).due.is_empty());
}

#[test]
fn resolution_goes_to_every_channel_that_told_someone_and_acknowledgement_to_pagerduty() {
    let rules = NotifyPolicy::default();
    let p = policy(&rules);
    let mut i = incident(Severity::Sev1, 0);
    let mut records = sent(&due(&p, &i, &[], &routes(), at(16), false), 16);
    // One that may have been sent counts as told; one that failed does not.
    records[2].state = State::MayHaveBeenSent;
    records[3].state = State::Failed;
    i.acknowledged_at = Some(at(17));
    let ack = plan(
        &p,
        &Inputs {
            incident: &i,
            records: &records,
            routes: &routes(),
            now: at(17),
            resend: false,
            scope: Scope::Acknowledge,
        },
    );
    assert_eq!(
        names(&ack),
        [
            "acknowledged/primary/pagerduty",
            "acknowledged/secondary/pagerduty"
        ]
    );
    i.set_status(crate::report::model::Status::Resolved, at(40), "oncall");
    let resolved = due(&p, &i, &records, &routes(), at(41), false);
    assert_eq!(
        names(&resolved),
        [
            "resolved/primary/email",
            "resolved/primary/pagerduty",
            "resolved/secondary/email",
            "resolved/secondary/pagerduty",
            "resolved/management/email",
            "resolved/team/slack",
            "resolved/status-page/statuspage",
        ]
    );
}

#[test]
fn failures_wait_for_their_backoff_and_lost_sends_for_resend() {
    let rules = NotifyPolicy::default();
    let p = policy(&rules);
    let i = incident(Severity::Sev4, 0);
    let mut failed = record(
        Step::Severity(Severity::Sev4),
        Audience::Tracker,
        ChannelKind::Email,
        State::Failed,
        0,
    );
    failed.next_attempt_at = Some(at(2));
    let plan1 = due(
        &p,
        &i,
        std::slice::from_ref(&failed),
        &routes(),
        at(1),
        false,
    );
    assert!(plan1.due.is_empty());
    assert_eq!(
        plan1.waiting[0].wait,
        Wait::Backoff {
            until: at(2),
            attempts: 1
        }
    );
    let plan2 = due(
        &p,
        &i,
        std::slice::from_ref(&failed),
        &routes(),
        at(2),
        false,
    );
    assert_eq!(plan2.due[0].attempt, 2);
    let lost = record(
        Step::Severity(Severity::Sev4),
        Audience::Tracker,
        ChannelKind::Email,
        State::MayHaveBeenSent,
        0,
    );
    let plan3 = due(&p, &i, std::slice::from_ref(&lost), &routes(), at(5), false);
    assert_eq!(plan3.waiting[0].wait, Wait::MayHaveBeenSent);
    let plan4 = due(&p, &i, std::slice::from_ref(&lost), &routes(), at(5), true);
    assert_eq!(plan4.due[0].attempt, 2);
}

#[test]
fn audiences_without_a_route_are_listed_not_sent() {
    let rules = NotifyPolicy::default();
    let p = policy(&rules);
    let i = incident(Severity::Sev1, 0);
    let only_manager = Routes::new(BTreeMap::from([(
        Audience::Manager,
        vec![Destination::Email(vec!["em@example.com".into()])],
    )]));
    let plan = due(&p, &i, &[], &only_manager, at(61), false);
    assert_eq!(names(&plan), ["escalation-30m/manager/email"]);
    let unrouted: Vec<Audience> = plan.unrouted.iter().map(|(_, a)| *a).collect();
    assert_eq!(
        unrouted,
        [
            Audience::Primary,
            Audience::Management,
            Audience::Partners,
            Audience::Team,
            Audience::StatusPage,
            Audience::Secondary,
            Audience::Executives
        ]
    );
}
