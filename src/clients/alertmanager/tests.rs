//! The v2 API against a local stub: each call's method, path and query, and its failures typed
//! from the status code.

use super::*;
use crate::clients::stub::Stub;
use crate::types::failure::Refusal;
use std::sync::Arc;

pub(crate) const SILENCE_ID: &str = "9b6a4d1e-2f0c-4c55-8a63-0e1f2a3b4c5d";

/// A silence as Alertmanager 0.25 lists it.
pub(crate) fn silence_json(id: &str, state: &str) -> String {
    format!(
        r#"{{"id":"{id}","matchers":[{{"name":"alertname","value":"HighErrorRate","isRegex":false,"isEqual":true}},
        {{"name":"severity","value":"crit.*","isRegex":true,"isEqual":true}}],
        "startsAt":"2024-05-01T10:00:00.000Z","endsAt":"2024-05-01T12:00:00.000Z","updatedAt":"2024-05-01T10:00:00.000Z",
        "createdBy":"oncall","comment":"deploy rollback in progress","status":{{"state":"{state}"}}}}"#
    )
}

/// A context whose Alertmanager is the stub's server.
pub(crate) async fn context_on(stub: &Arc<Stub>) -> Context {
    let url = stub.serve().await;
    let text = format!("[alertmanager]\nurl = \"{url}\"\n");
    let settings = crate::settings::Settings::from_config_text(&text).expect("valid settings");
    Context::new(Arc::new(settings))
}

#[tokio::test]
async fn firing_asks_for_active_unsilenced_uninhibited_alerts() {
    let stub = Stub::new().on(
        "GET",
        "/api/v2/alerts?active=true&silenced=false&inhibited=false",
        200,
        r#"[{"labels":{"alertname":"HighErrorRate","severity":"critical"},"annotations":{},
            "startsAt":"2024-05-01T10:00:00.000Z","status":{"state":"active"}}]"#,
    );
    let ctx = context_on(&stub).await;
    let alerts = Alertmanager::of(&ctx)
        .await
        .unwrap()
        .firing()
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].labels["alertname"], "HighErrorRate");
    assert_eq!(alerts[0].starts_at, "2024-05-01T10:00:00.000Z");
    stub.assert_all_used();
}

#[tokio::test]
async fn unsilenced_keeps_inhibited_alerts() {
    let stub = Stub::new().on(
        "GET",
        "/api/v2/alerts?active=true&silenced=false",
        200,
        "[]",
    );
    let ctx = context_on(&stub).await;
    let api = Alertmanager::of(&ctx).await.unwrap();
    assert_eq!(api.unsilenced().await.unwrap(), vec![]);
    let uri = &stub.seen()[0].uri;
    assert!(!uri.contains("inhibited"), "{uri}");
    stub.assert_all_used();
}

#[tokio::test]
async fn silences_are_listed_read_one_by_one_created_and_expired() {
    let listed = format!("[{}]", silence_json(SILENCE_ID, "active"));
    let stub = Stub::new()
        .on("GET", "/api/v2/silences", 200, listed)
        .on(
            "GET",
            &format!("/api/v2/silence/{SILENCE_ID}"),
            200,
            silence_json(SILENCE_ID, "expired"),
        )
        .on(
            "POST",
            "/api/v2/silences",
            200,
            format!(r#"{{"silenceID":"{SILENCE_ID}"}}"#),
        )
        .on("DELETE", &format!("/api/v2/silence/{SILENCE_ID}"), 200, "");
    let ctx = context_on(&stub).await;
    let api = Alertmanager::of(&ctx).await.unwrap();

    let silences = api.silences().await.unwrap();
    assert_eq!(silences.len(), 1);
    assert_eq!(
        silences[0].matchers_text(),
        "alertname=\"HighErrorRate\", severity=~\"crit.*\""
    );
    assert_eq!(
        api.silence(SILENCE_ID).await.unwrap().status.state,
        "expired"
    );

    let new = NewSilence {
        matchers: silences[0].matchers.clone(),
        starts_at: "2024-05-01T10:00:00Z".into(),
        ends_at: "2024-05-01T11:00:00Z".into(),
        created_by: "oncall".into(),
        comment: "why".into(),
    };
    assert_eq!(api.create(&new).await.unwrap(), SILENCE_ID);
    api.expire(SILENCE_ID).await.unwrap();

    let posted: serde_json::Value =
        serde_json::from_str(&stub.seen()[2].body).expect("a JSON body");
    assert_eq!(posted["matchers"][1]["isRegex"], true);
    assert_eq!(posted["endsAt"], "2024-05-01T11:00:00Z");
    assert_eq!(posted["createdBy"], "oncall");
    stub.assert_all_used();
}

#[tokio::test]
async fn an_id_is_cut_to_what_ids_are_made_of_before_it_goes_into_a_path() {
    let stub = Stub::new().on("DELETE", "/api/v2/silence/abc-1silences", 200, "");
    let ctx = context_on(&stub).await;
    let api = Alertmanager::of(&ctx).await.unwrap();
    api.expire("abc-1/../silences").await.unwrap();
    stub.assert_all_used();
    assert!(!is_silence_id("abc-1/../silences"));
    assert!(is_silence_id(SILENCE_ID));
    assert!(!is_silence_id(""));
}

#[tokio::test]
async fn failures_are_typed_by_status_code_and_answers_that_are_not_the_api_say_so() {
    let stub = Stub::new()
        .on("GET", "/api/v2/silence/gone", 404, "silence not found")
        .on(
            "POST",
            "/api/v2/silences",
            400,
            "bad matchers password=hunter2",
        )
        .on("GET", "/api/v2/status", 401, "")
        .on("GET", "/api/v2/silences", 200, "<html>a login page</html>");
    let ctx = context_on(&stub).await;
    let api = Alertmanager::of(&ctx).await.unwrap();

    let gone = api.silence("gone").await.unwrap_err();
    assert_eq!(gone.cause, Some(Cause::Refused(Refusal::NotFound)));
    assert_eq!(gone.hint.as_deref(), Some(API_HINT));

    let new = NewSilence {
        matchers: vec![],
        starts_at: String::new(),
        ends_at: String::new(),
        created_by: String::new(),
        comment: String::new(),
    };
    let refused = api.create(&new).await.unwrap_err();
    assert_eq!(refused.cause, Some(Cause::Refused(Refusal::Invalid)));
    assert!(
        refused
            .message
            .ends_with("HTTP 400 Bad Request: bad matchers password=***"),
        "{}",
        refused.message
    );
    assert_eq!(refused.hint, None);

    let unauthenticated = api.status().await.unwrap_err();
    assert!(
        unauthenticated.message.contains("wants credentials"),
        "{}",
        unauthenticated.message
    );

    let not_the_api = api.silences().await.unwrap_err();
    assert_eq!(not_the_api.cause, Some(Cause::NotTheProtocol));
    assert!(not_the_api
        .message
        .contains("not an Alertmanager v2 answer: <html>a login page</html>"));
    stub.assert_all_used();
}

#[test]
fn matchers_match_as_alertmanager_matches() {
    let labels = BTreeMap::from([
        ("alertname".to_string(), "HighErrorRate".to_string()),
        ("severity".to_string(), "critical".to_string()),
    ]);
    let m = |name: &str, value: &str, is_regex, is_equal| Matcher {
        name: name.into(),
        value: value.into(),
        is_regex,
        is_equal,
    };
    assert!(m("alertname", "HighErrorRate", false, true).matches(&labels));
    assert!(m("severity", "crit.*", true, true).matches(&labels));
    assert!(
        !m("severity", "crit", true, true).matches(&labels),
        "anchored"
    );
    assert!(
        m("env", "prod", false, false).matches(&labels),
        "a missing label is empty"
    );
    assert!(m("env", "", false, true).matches(&labels));
    assert_eq!(m("env", "prod", true, false).as_argument(), "env!~prod");
}
