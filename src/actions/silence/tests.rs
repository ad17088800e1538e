//! Matchers parsed, and both plans built from fixtures: what Alertmanager has, what was asked.

use super::*;

#[test]
fn matchers_parse_with_each_operator_and_bad_ones_say_why() {
    let m = parse_matcher("alertname=HighErrorRate").unwrap();
    assert_eq!(
        (m.is_equal, m.is_regex, &*m.value),
        (true, false, "HighErrorRate")
    );
    let m = parse_matcher("severity!~\"warn.*\"").unwrap();
    assert_eq!((m.is_equal, m.is_regex, &*m.value), (false, true, "warn.*"));
    assert_eq!(
        parse_matcher("env!=prod").unwrap().to_string(),
        "env!=\"prod\""
    );
    assert!(parse_matcher("alertname")
        .unwrap_err()
        .contains("NAME=VALUE"));
    assert!(parse_matcher("1x=y").unwrap_err().contains("label name"));
    assert!(parse_matcher("x=~(")
        .unwrap_err()
        .contains("regular expression"));
}

#[test]
fn matchers_that_match_every_alert_are_refused() {
    let everything = vec![parse_matcher("alertname=~.*").unwrap()];
    assert!(check_matchers(&everything).is_err());
    assert!(check_matchers(&[]).is_err());
    let one = vec![parse_matcher("alertname=HighErrorRate").unwrap()];
    assert!(check_matchers(&one).is_ok());
}

#[test]
fn regex_matchers_are_anchored_as_in_alertmanager() {
    let m = parse_matcher("alertname=~High").unwrap();
    let labels = |v: &str| BTreeMap::from([("alertname".to_string(), v.to_string())]);
    assert!(m.matches(&labels("High")));
    assert!(!m.matches(&labels("HighErrorRate")));
}

fn alert(name: &str, severity: &str) -> Alert {
    Alert {
        labels: BTreeMap::from([
            ("alertname".to_string(), name.to_string()),
            ("severity".to_string(), severity.to_string()),
        ]),
        ..Alert::default()
    }
}

fn silence(id: &str, state: &str, comment: &str) -> Silence {
    Silence {
        id: id.into(),
        matchers: vec![
            parse_matcher("alertname=HighErrorRate").unwrap(),
            parse_matcher("severity=~crit.*").unwrap(),
        ],
        starts_at: "2024-05-01T10:00:00.000Z".into(),
        ends_at: "2024-05-01T12:00:00.000Z".into(),
        created_by: "oncall".into(),
        comment: comment.into(),
        status: crate::clients::alertmanager::SilenceStatus {
            state: state.into(),
        },
    }
}

/// The plan's one change: its object, and what it was and will be.
fn only_change(plan: &Plan) -> (&str, Option<&str>, Option<&str>) {
    assert_eq!(plan.changes.len(), 1, "{:?}", plan.changes);
    let c = &plan.changes[0];
    (c.object.as_str(), c.from.as_deref(), c.to.as_deref())
}

const NOW: &str = "2024-05-01T10:00:00Z";
const SERVER: &str = "http://am:9093";

fn request(matchers: &[&str], incident: Option<&str>) -> AddRequest {
    let matchers = matchers.iter().map(|m| parse_matcher(m).unwrap()).collect();
    AddRequest::new(
        matchers,
        Dur(Duration::from_secs(2 * 3600)),
        "  rollback in progress ",
        incident,
    )
    .unwrap()
}

#[test]
fn add_plans_the_silence_and_names_the_firing_alerts_it_would_silence() {
    let firing = [
        alert("HighErrorRate", "critical"),
        alert("HighErrorRate", "warning"),
        alert("DiskFilling", "critical"),
    ];
    let req = request(&["alertname=HighErrorRate", "severity=~crit.*"], None);
    let plan = plan_add(&req, &firing, NOW.parse().unwrap(), SERVER);
    assert_eq!(plan.action, "silence add");
    assert_eq!(plan.target, "alertmanager http://am:9093");
    assert_eq!(
        plan.summary,
        "silence alerts matching alertname=\"HighErrorRate\", severity=~\"crit.*\" for 2h (until 2024-05-01T12:00:00Z)"
    );
    assert_eq!(
        only_change(&plan),
        (
            "silence",
            Some("-"),
            Some("alertname=\"HighErrorRate\", severity=~\"crit.*\" until 12:00:00Z")
        )
    );
    assert_eq!(
        plan.notes,
        vec!["silences 1 alert(s) firing now: HighErrorRate critical"]
    );
    assert!(plan.warnings.is_empty());
    // The undo is known once Alertmanager has given the silence its id.
    assert!(plan.undo.is_none());
}

#[test]
fn add_warns_when_no_firing_alert_matches() {
    let req = request(&["alertname=NoSuchAlert"], None);
    let plan = plan_add(
        &req,
        &[alert("HighErrorRate", "critical")],
        NOW.parse().unwrap(),
        SERVER,
    );
    assert!(plan.notes.is_empty());
    assert_eq!(plan.warnings.len(), 1);
    assert!(plan.warnings[0].starts_with("no alert firing now matches"));
}

#[test]
fn add_refuses_requests_before_asking_alertmanager() {
    let one = || vec![parse_matcher("alertname=X").unwrap()];
    let hour = Dur(Duration::from_secs(3600));
    let usage = |r: Result<AddRequest>| matches!(r, Err(Error::Usage { .. }));
    assert!(usage(AddRequest::new(vec![], hour, "why", None)));
    assert!(usage(AddRequest::new(
        one(),
        Dur(Duration::ZERO),
        "why",
        None
    )));
    assert!(usage(AddRequest::new(one(), hour, "  ", None)));
    assert!(AddRequest::new(one(), hour, "why", None).is_ok());
}

#[test]
fn the_comment_carries_the_incident_marker() {
    let req = request(&["alertname=X"], Some("INC-20240501-0001"));
    assert_eq!(
        req.comment(),
        "rollback in progress [incidentctl incident INC-20240501-0001]"
    );
    assert_eq!(
        request(&["alertname=X"], None).comment(),
        "rollback in progress"
    );
}

#[test]
fn the_undo_of_a_created_silence_expires_it_and_only_a_real_id_goes_into_it() {
    let undo = undo_of_created("9b6a4d1e-2f0c").unwrap().unwrap();
    assert_eq!(
        undo.words(),
        ["incidentctl", "silence", "expire", "9b6a4d1e-2f0c"]
    );
    assert_eq!(undo.line(), "incidentctl silence expire 9b6a4d1e-2f0c");
    let refused = undo_of_created("x; rm -rf /").unwrap_err();
    assert!(refused.contains("no undo command is offered"));
}

#[test]
fn expire_plans_the_change_and_an_undo_that_makes_the_silence_again() {
    let s = silence("abc-123", "active", "deploy rollback; it's $HOME");
    let plan = plan_expire(&s, SERVER);
    assert_eq!(plan.action, "silence expire");
    assert_eq!(
        plan.summary,
        "expire silence abc-123 (alertname=\"HighErrorRate\", severity=~\"crit.*\")"
    );
    assert_eq!(
        only_change(&plan),
        (
            "silence/abc-123",
            Some("active until 2024-05-01T12:00:00.000Z"),
            Some("expired")
        )
    );
    assert_eq!(
        plan.notes,
        vec!["created by oncall: deploy rollback; it's $HOME"]
    );
    let undo = plan.undo.expect("an undo");
    assert_eq!(
        undo.words(),
        [
            "incidentctl",
            "silence",
            "add",
            "--matcher=alertname=HighErrorRate",
            "--matcher=severity=~crit.*",
            "--comment=deploy rollback; it's $HOME",
        ]
    );
    // Quoted for a shell: the comment's words stay one argument, $HOME is not expanded.
    let back = shlex::split(undo.line()).unwrap();
    assert_eq!(back, undo.words());
}

#[test]
fn expiring_an_expired_silence_changes_nothing_and_offers_no_undo() {
    let plan = plan_expire(&silence("abc-123", "expired", "done"), SERVER);
    assert!(plan.changes.is_empty());
    assert!(plan.undo.is_none());
    assert_eq!(
        plan.notes,
        vec!["silence abc-123 is already expired (ended 2024-05-01T12:00:00.000Z)"]
    );
}

#[test]
fn a_comment_with_a_control_character_gets_no_undo() {
    let plan = plan_expire(
        &silence("abc-123", "pending", "line\n\x1b[2Jcleared"),
        SERVER,
    );
    assert_eq!(plan.changes.len(), 1);
    assert!(plan.undo.is_none());
}

#[test]
fn silences_are_listed_active_then_pending_then_expired_each_by_end() {
    let mut a = silence("a", "expired", "");
    a.ends_at = "2024-05-01T09:00:00Z".into();
    let mut b = silence("b", "active", "");
    b.ends_at = "2024-05-01T13:00:00Z".into();
    let mut c = silence("c", "active", "");
    c.ends_at = "2024-05-01T11:00:00Z".into();
    let d = silence("d", "pending", "");
    let all = vec![a, b, c, d];
    let ids = |v: Vec<Silence>| v.into_iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(ids(for_people(all.clone(), true)), ["c", "b", "d", "a"]);
    assert_eq!(ids(for_people(all, false)), ["c", "b", "d"]);
}

/// The whole add against a stub Alertmanager: the read it plans from, the silence it posts,
/// the undo it offers from the id given, and the read-back that verifies.
#[tokio::test]
async fn add_reads_posts_and_offers_the_undo_from_the_given_id() {
    use crate::clients::alertmanager::tests::{context_on, silence_json, SILENCE_ID};
    use crate::clients::stub::Stub;
    let stub = Stub::new()
        .on(
            "GET",
            "/api/v2/alerts?active=true&silenced=false",
            200,
            r#"[{"labels":{"alertname":"HighErrorRate","severity":"critical"}}]"#,
        )
        .on(
            "POST",
            "/api/v2/silences",
            200,
            format!(r#"{{"silenceID":"{SILENCE_ID}"}}"#),
        )
        .on(
            "GET",
            &format!("/api/v2/silence/{SILENCE_ID}"),
            200,
            silence_json(SILENCE_ID, "active"),
        );
    let ctx = context_on(&stub).await;
    let matchers = vec![parse_matcher("alertname=HighErrorRate").unwrap()];
    let hour = Dur(Duration::from_secs(3600));
    let action = add(&ctx, matchers, hour, "rollback", Some("INC-1"))
        .await
        .unwrap();
    assert_eq!(
        action.plan().notes,
        vec!["silences 1 alert(s) firing now: HighErrorRate critical"]
    );
    let applied = action.apply(&ctx).await.unwrap();
    assert!(applied.details[0].starts_with(&format!("silence {SILENCE_ID} created, ends ")));
    assert_eq!(
        applied.undo.unwrap().words(),
        ["incidentctl", "silence", "expire", SILENCE_ID]
    );
    let verified = action.verify(&ctx, Duration::from_secs(1)).await.unwrap();
    assert_eq!(verified, vec![format!("silence {SILENCE_ID} is active")]);
    let posted: serde_json::Value = serde_json::from_str(&stub.seen()[1].body).unwrap();
    assert_eq!(posted["comment"], "rollback [incidentctl incident INC-1]");
    assert_eq!(posted["matchers"][0]["name"], "alertname");
    stub.assert_all_used();
}

/// Expire against a stub: a silence Alertmanager does not know is "not found" with a hint.
#[tokio::test]
async fn expire_of_an_unknown_silence_is_not_found() {
    use crate::clients::alertmanager::tests::context_on;
    use crate::clients::stub::Stub;
    let stub = Stub::new().on("GET", "/api/v2/silence/abc-404", 404, "not found");
    let ctx = context_on(&stub).await;
    let Err(e) = expire(&ctx, "abc-404").await else {
        panic!("an unknown silence must not plan");
    };
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
    assert_eq!(e.to_string(), "silence abc-404 not found");
    stub.assert_all_used();
}
