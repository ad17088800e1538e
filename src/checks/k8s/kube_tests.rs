//! The Kubernetes checks' reads against a stubbed API server (a real `kube::Client` over
//! scripted answers): the requests each read makes, and the snapshot its assess judges.

use super::fixtures::{deployment, pod, PodState};
use crate::checks::{Readings, Status};
use crate::clients::stub::{kube_list, kube_not_found, Stub};
use crate::clients::Context;
use crate::settings::Settings;
use serde_json::json;
use std::sync::Arc;

const NAMESPACE: &str = "/api/v1/namespaces/reconciliation";
const DEPLOYMENTS: &str = "/apis/apps/v1/namespaces/reconciliation/deployments";

/// The readings of one run whose Kubernetes client is the stub's; the clock at `now`.
fn readings(stub: &Arc<Stub>, now: &str) -> Arc<Readings> {
    let mut settings = Settings::from_config_text("").expect("the defaults are valid");
    settings.now = Some(now.parse().expect("a time"));
    let ctx = Context::new(Arc::new(settings)).with_kube(stub.kube_client());
    Readings::new(Arc::new(ctx))
}

const NOW: &str = "2024-05-01T10:00:00Z";

/// The seed's app: backend (3 wanted, 1 available; one pod crash-looping, one pulling its
/// image), frontend missing.
fn app_stub() -> Arc<Stub> {
    let pods: Vec<serde_json::Value> = [
        pod("backend-1", PodState::Ready),
        pod("backend-2", PodState::CrashLoop { restarts: 12 }),
        pod("backend-3", PodState::ImagePull),
    ]
    .iter()
    .map(|p| serde_json::to_value(p).unwrap())
    .collect();
    let backend = serde_json::to_value(deployment("backend", 3, 1)).unwrap();
    Stub::new()
        .on_object(&format!("{DEPLOYMENTS}/backend"), Some(backend))
        .on_object(&format!("{DEPLOYMENTS}/frontend"), None)
        .on(
            "GET",
            &format!("{NAMESPACE}/pods?labelSelector=app=backend&resourceVersion=0"),
            200,
            kube_list("PodList", &pods, None),
        )
}

#[tokio::test]
async fn deployments_and_pods_read_the_app_once_and_judge_it() {
    let stub = app_stub();
    let r = readings(&stub, NOW);
    let deployments = super::deployments::read(&r).await.unwrap();
    let pods = super::pods::read(&r).await.unwrap();
    stub.assert_all_used();
    // Both checks judge the same read: two gets and one list, not twice that.
    assert_eq!(stub.seen().len(), 3);

    let d = super::deployments::assess(&deployments, r.settings()).unwrap();
    assert_eq!(d.status, Status::Critical);
    assert!(d.summary.contains("frontend not found"), "{}", d.summary);

    let p = super::pods::assess(&pods, r.settings()).unwrap();
    assert_eq!(p.status, Status::Warning, "{p:?}");
    assert!(
        p.summary.starts_with("2 of 3 app pods unhealthy"),
        "{}",
        p.summary
    );
    let evidence = p.evidence.join("\n");
    assert!(evidence.contains("backend-2"), "{evidence}");
    assert!(evidence.contains("CrashLoopBackOff"), "{evidence}");
    assert!(evidence.contains("ImagePullBackOff"), "{evidence}");
}

fn event(name: &str, reason: &str, at: &str) -> serde_json::Value {
    json!({
        "metadata": {"name": name, "namespace": "reconciliation"},
        "involvedObject": {"kind": "Pod", "name": "backend-2"},
        "reason": reason, "message": format!("{reason} happened"), "type": "Warning",
        "lastTimestamp": at, "count": 1,
    })
}

#[tokio::test]
async fn events_are_read_page_by_page_with_the_server_filtering_out_normal_ones() {
    let first = [
        event("e1", "BackOff", "2024-05-01T09:58:00Z"),
        event("e2", "Unhealthy", "2024-05-01T09:59:00Z"),
    ];
    let second = [
        event("e3", "BackOff", "2024-05-01T09:59:30Z"),
        // Older than the hour the check looks at: read, not counted.
        event("e4", "FailedMount", "2024-05-01T08:00:00Z"),
    ];
    let events = format!("{NAMESPACE}/events?fieldSelector=type!=Normal&limit=2500");
    let stub = Stub::new()
        .on(
            "GET",
            &format!("{events}&continue=page-2"),
            200,
            kube_list("EventList", &second, None),
        )
        .on(
            "GET",
            &events,
            200,
            kube_list("EventList", &first, Some("page-2")),
        );
    let r = readings(&stub, NOW);
    let snapshot = super::events::read(&r).await.unwrap();
    stub.assert_all_used();
    assert_eq!(stub.seen().len(), 2);
    assert_eq!(snapshot.recent, 3);
    assert!(!snapshot.incomplete);
    assert_eq!(snapshot.reasons.get("BackOff"), Some(&2));
    assert_eq!(snapshot.reasons.get("FailedMount"), None);
    let newest: Vec<_> = snapshot
        .newest
        .iter()
        .map(|(_, e)| e.metadata.name.as_deref().unwrap())
        .collect();
    assert_eq!(newest, ["e3", "e2", "e1"]);
    let f = super::events::assess(&snapshot, r.settings()).unwrap();
    assert_eq!(f.status, Status::Warning);
}

fn node(name: &str, memory_pressure: &str) -> serde_json::Value {
    json!({
        "metadata": {"name": name},
        "status": {
            "allocatable": {"cpu": "2", "memory": "4Gi"},
            "conditions": [
                {"type": "Ready", "status": "True"},
                {"type": "MemoryPressure", "status": memory_pressure,
                 "lastTransitionTime": "2024-05-01T09:50:00Z"},
            ],
        },
    })
}

#[tokio::test]
async fn nodes_are_judged_on_their_conditions_when_the_metrics_api_is_missing() {
    let stub = Stub::new()
        .on(
            "GET",
            "/api/v1/nodes?limit=5000",
            200,
            kube_list("NodeList", &[node("n1", "False"), node("n2", "True")], None),
        )
        .on(
            "GET",
            "/apis/metrics.k8s.io/v1beta1/nodes",
            404,
            kube_not_found("nodes.metrics.k8s.io", ""),
        );
    let r = readings(&stub, NOW);
    let snapshot = super::nodes::read(&r).await.unwrap();
    stub.assert_all_used();
    assert_eq!(snapshot.nodes.len(), 2);
    let why = snapshot.usage.clone().unwrap_err();
    assert!(
        why.contains("metrics.k8s.io) is not available (404)"),
        "{why}"
    );
    let f = super::nodes::assess(&snapshot, r.settings()).unwrap();
    assert_eq!(f.status, Status::Warning);
    assert!(f
        .evidence
        .contains(&"n2: MemoryPressure is True".to_string()));
    assert!(f.evidence[0].starts_with("node metrics unavailable, conditions only"));
}

#[tokio::test]
async fn nodes_use_is_read_from_the_metrics_api_and_judged_against_allocatable() {
    let usage = [json!({
        "metadata": {"name": "n1"}, "usage": {"cpu": "1980m", "memory": "1Gi"},
    })];
    let stub = Stub::new()
        .on(
            "GET",
            "/api/v1/nodes?limit=5000",
            200,
            kube_list("NodeList", &[node("n1", "False")], None),
        )
        .on(
            "GET",
            "/apis/metrics.k8s.io/v1beta1/nodes?limit=5000",
            200,
            kube_list("NodeMetricsList", &usage, None),
        );
    let r = readings(&stub, NOW);
    let snapshot = super::nodes::read(&r).await.unwrap();
    stub.assert_all_used();
    let usage = snapshot.usage.as_ref().unwrap();
    assert_eq!(usage["n1"].cpu.as_deref(), Some("1980m"));
    let f = super::nodes::assess(&snapshot, r.settings()).unwrap();
    // 99 % of the CPU: past the default critical level (95 %).
    assert_eq!(f.status, Status::Critical, "{f:?}");
    assert_eq!(f.evidence, ["n1: cpu 99%, memory 25%"]);
}

#[tokio::test]
async fn an_api_server_that_is_not_kubernetes_is_said_plainly() {
    let stub = Stub::new().on("GET", "/api/v1/nodes", 200, "<html>sign in</html>");
    let r = readings(&stub, NOW);
    let err = super::nodes::read(&r).await.unwrap_err();
    assert!(
        err.message.contains("not valid Kubernetes JSON"),
        "{}",
        err.message
    );
    assert_eq!(err.cause, Some(crate::types::Cause::NotTheProtocol));
}
