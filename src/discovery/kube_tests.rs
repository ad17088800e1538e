//! Discovery against a stubbed API server: which requests it makes (each asserted, none
//! unexpected) and what it makes of the answers.

use super::*;
use crate::clients::stub::{kube_list, Stub};
use serde_json::{json, Value};

const DEPLOYMENTS: &str = "/apis/apps/v1/namespaces/reconciliation/deployments";
const PODS: &str = "/api/v1/namespaces/reconciliation/pods";

fn settings(config: &str) -> Settings {
    Settings::from_config_text(config).expect("valid settings")
}

/// A deployment selecting `app=<name>`, `available` of its `desired` replicas available.
fn deployment(name: &str, desired: i32, available: i32) -> Value {
    json!({
        "metadata": {"name": name, "namespace": "reconciliation"},
        "spec": {"replicas": desired, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "app"}]}}},
        "status": {"availableReplicas": available, "readyReplicas": available},
    })
}

/// A running pod of the backend, ready or crash-looping.
fn pod(name: &str, ready: bool) -> Value {
    let state = if ready {
        json!({"running": {}})
    } else {
        json!({"waiting": {"reason": "CrashLoopBackOff"}})
    };
    json!({
        "metadata": {"name": name, "labels": {"app": "backend"}},
        "spec": {"containers": [{"name": "app"}]},
        "status": {"phase": "Running",
                   "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}],
                   "containerStatuses": [{"name": "app", "ready": ready, "restartCount": if ready { 0 } else { 9 },
                                          "image": "app:1", "imageID": "", "state": state}]},
    })
}

/// The seed's two default deployments, each there (`Some`) or not.
fn defaults(backend: Option<Value>, frontend: Option<Value>) -> std::sync::Arc<Stub> {
    Stub::new()
        .on_object(&format!("{DEPLOYMENTS}/backend"), backend)
        .on_object(&format!("{DEPLOYMENTS}/frontend"), frontend)
}

#[tokio::test]
async fn the_default_deployments_are_read_with_their_pods_from_the_watch_cache() {
    let pods = [pod("backend-1", true), pod("backend-2", false)];
    let stub = defaults(Some(deployment("backend", 2, 1)), None).on(
        "GET",
        &format!("{PODS}?labelSelector=app=backend&resourceVersion=0"),
        200,
        kube_list("PodList", &pods, None),
    );
    let found = app_workloads(stub.kube_client(), &settings(""))
        .await
        .unwrap();
    stub.assert_all_used();
    // The seed's defaults, one of them missing: no need to look further, nothing to say how.
    assert_eq!(found.how, None);
    let names: Vec<(&str, bool)> = found
        .iter()
        .map(|w| (w.name.as_str(), w.deployment.is_some()))
        .collect();
    assert_eq!(names, [("backend", true), ("frontend", false)]);
    let backend = &found[0].pods;
    assert_eq!((backend.total, backend.ready, backend.unhealthy), (2, 1, 1));
    assert_eq!(backend.by_reason.get("CrashLoopBackOff"), Some(&1));
    // No limit on a watch-cache read: with one the server would read etcd.
    let pod_list = stub
        .seen()
        .into_iter()
        .find(|s| s.uri.starts_with(PODS))
        .unwrap();
    assert!(!pod_list.uri.contains("limit="), "{}", pod_list.uri);
}

#[tokio::test]
async fn without_the_defaults_every_deployment_of_the_namespace_is_the_app() {
    let names = [json!({"metadata": {"name": "api"}})];
    let stub = defaults(None, None)
        .on(
            "GET",
            &format!("{DEPLOYMENTS}?limit=5000"),
            200,
            kube_list("PartialObjectMetadataList", &names, None),
        )
        .on_object(&format!("{DEPLOYMENTS}/api"), Some(deployment("api", 1, 1)))
        .on(
            "GET",
            &format!("{PODS}?labelSelector=app=api"),
            200,
            kube_list("PodList", &[], None),
        );
    let found = app_workloads(stub.kube_client(), &settings(""))
        .await
        .unwrap();
    stub.assert_all_used();
    assert_eq!(
        found.how.as_deref(),
        Some("backend, frontend not found: using every deployment of the namespace")
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "api");
    assert_eq!(found[0].pods.total, 0);
}

#[tokio::test]
async fn a_named_deployment_that_is_missing_is_kept_as_missing_and_nothing_else_is_looked_for() {
    let stub = Stub::new().on_object(&format!("{DEPLOYMENTS}/payments"), None);
    let mut s = settings("[kubernetes]\ndeployments = [\"payments\"]\n");
    s.kubernetes.given.insert(AppObject::Deployments);
    let found = app_workloads(stub.kube_client(), &s).await.unwrap();
    stub.assert_all_used();
    assert_eq!(found.len(), 1);
    assert!(found[0].deployment.is_none());
}

#[tokio::test]
async fn a_forbidden_list_is_an_error_that_names_the_request_and_the_permission() {
    let forbidden = json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": "pods is forbidden: User \"oncall\" cannot list resource \"pods\"",
        "reason": "Forbidden", "code": 403,
    });
    let stub = defaults(Some(deployment("backend", 1, 1)), None).on(
        "GET",
        PODS,
        403,
        forbidden.to_string(),
    );
    let err = app_workloads(stub.kube_client(), &settings(""))
        .await
        .unwrap_err();
    stub.assert_all_used();
    assert!(
        err.message
            .starts_with("list pods of backend: 403 from the API server"),
        "{}",
        err.message
    );
    assert_eq!(
        err.cause,
        Some(crate::types::Cause::Refused(
            crate::types::failure::Refusal::Forbidden
        ))
    );
    assert!(err.hint.unwrap().contains("lacks permission"));
}

#[tokio::test]
async fn services_selecting_the_app_are_found_from_one_list() {
    let services = [
        json!({"metadata": {"name": "backend"}, "spec": {"selector": {"app": "backend"}}}),
        json!({"metadata": {"name": "other"}, "spec": {"selector": {"app": "other"}}}),
        json!({"metadata": {"name": "headless"}, "spec": {}}),
    ];
    let stub = Stub::new().on(
        "GET",
        "/api/v1/namespaces/reconciliation/services?limit=5000",
        200,
        kube_list("ServiceList", &services, None),
    );
    let app = templates(&[AppWorkload {
        name: "backend".into(),
        deployment: Some(serde_json::from_value(deployment("backend", 1, 1)).unwrap()),
        pods: PodFold::default(),
    }]);
    let found = app_services(stub.kube_client(), &settings(""), &app)
        .await
        .unwrap();
    stub.assert_all_used();
    assert_eq!(found, ["backend"]);
}
