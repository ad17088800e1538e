//! Kubernetes objects for the checks' unit tests, built from the JSON the API server sends, so
//! a fixture reads like `kubectl get -o json`.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use serde_json::{json, Value};

/// An object from its JSON; a fixture that does not parse is a bug in the test.
pub fn object<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("fixture is a valid Kubernetes object")
}

/// A deployment of `desired` replicas, `available` of them available.
pub fn deployment(name: &str, desired: i32, available: i32) -> Deployment {
    object(json!({
        "metadata": {"name": name, "namespace": "reconciliation"},
        "spec": {
            "replicas": desired,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "app"}]}}
        },
        "status": {"availableReplicas": available, "readyReplicas": available, "updatedReplicas": desired}
    }))
}

/// How a fixture pod's one container (`app`) is doing.
#[derive(Debug, Clone, Copy)]
pub enum PodState {
    Ready,
    /// Running and ready after some restarts.
    Restarted {
        restarts: i32,
    },
    CrashLoop {
        restarts: i32,
    },
    ImagePull,
    /// Running again after its last run was killed for memory; not ready yet.
    OomKilled,
}

pub fn pod(name: &str, state: PodState) -> Pod {
    let (phase, ready, container_state, last_state, restarts) = match state {
        PodState::Ready => ("Running", true, json!({"running": {}}), json!({}), 0),
        PodState::Restarted { restarts } => {
            ("Running", true, json!({"running": {}}), json!({}), restarts)
        }
        PodState::CrashLoop { restarts } => (
            "Running",
            false,
            json!({"waiting": {"reason": "CrashLoopBackOff"}}),
            json!({"terminated": {"exitCode": 1, "reason": "Error"}}),
            restarts,
        ),
        PodState::ImagePull => (
            "Pending",
            false,
            json!({"waiting": {"reason": "ImagePullBackOff"}}),
            json!({}),
            0,
        ),
        PodState::OomKilled => (
            "Running",
            false,
            json!({"running": {}}),
            json!({"terminated": {"exitCode": 137, "reason": "OOMKilled"}}),
            1,
        ),
    };
    object(json!({
        "metadata": {"name": name, "namespace": "reconciliation", "labels": {"app": "backend"}},
        "spec": {"containers": [{"name": "app", "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}}}]},
        "status": {
            "phase": phase,
            "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}],
            "containerStatuses": [{
                "name": "app", "ready": ready, "restartCount": restarts, "image": "app:1", "imageID": "",
                "state": container_state, "lastState": last_state
            }]
        }
    }))
}
