//! The one controller the stand-in simulates: a Deployment or StatefulSet whose spec is written
//! rolls out shortly after, as the real controllers would make it do — its status catches up with
//! the new generation and the desired replica count. Without this, `kubectl rollout status` and
//! incidentctl's `--wait` could never see a rollout finish.
//!
//! A workload annotated `sandbox.incidentctl.dev/rollout: stuck` never rolls out, so tests can
//! see a wait time out.

use bytes::Bytes;
use http::{header, Method, Request};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::time::Duration;

pub const STUCK_ANNOTATION: &str = "sandbox.incidentctl.dev/rollout";
/// How long a simulated rollout takes.
pub const ROLLOUT_DELAY: Duration = Duration::from_millis(300);

/// The object path of a write to a Deployment or StatefulSet spec, if `path` is one.
pub fn workload_written(method: &Method, path: &str) -> Option<String> {
    if !(method == Method::PATCH || method == Method::PUT) {
        return None;
    }
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match parts.as_slice() {
        ["apis", "apps", "v1", "namespaces", ns, kind @ ("deployments" | "statefulsets"), name]
        | ["apis", "apps", "v1", "namespaces", ns, kind @ ("deployments" | "statefulsets"), name, "scale"] => {
            Some(format!("/apis/apps/v1/namespaces/{ns}/{kind}/{name}"))
        }
        _ => None,
    }
}

/// Completes the rollout of the workload at `path` after `ROLLOUT_DELAY`, in the background.
pub fn complete_later(store: kube::Client, path: String) {
    tokio::spawn(async move {
        tokio::time::sleep(ROLLOUT_DELAY).await;
        // Nothing to report to: a failure here shows as a rollout that never completes.
        let _ = complete(&store, &path).await;
    });
}

async fn send(
    store: &kube::Client,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> Option<Value> {
    let mut builder = Request::builder().method(method).uri(uri);
    let body = match body {
        Some(b) => {
            builder = builder.header(header::CONTENT_TYPE, "application/merge-patch+json");
            kube::client::Body::from(b.to_string().into_bytes())
        }
        None => kube::client::Body::empty(),
    };
    let response = store.send(builder.body(body).ok()?).await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let bytes: Bytes = response.into_body().collect().await.ok()?.to_bytes();
    serde_json::from_slice(&bytes).ok()
}

async fn complete(store: &kube::Client, path: &str) -> Option<()> {
    let workload = send(store, Method::GET, path, None).await?;
    let stuck = workload
        .pointer(&format!(
            "/metadata/annotations/{}",
            STUCK_ANNOTATION.replace('/', "~1")
        ))
        .and_then(Value::as_str)
        == Some("stuck");
    if stuck {
        return None;
    }
    let generation = workload
        .pointer("/metadata/generation")
        .cloned()
        .unwrap_or(json!(1));
    let replicas = workload
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let status = json!({"status": {
        "observedGeneration": generation,
        "replicas": replicas,
        "updatedReplicas": replicas,
        "readyReplicas": replicas,
        "availableReplicas": replicas,
        "currentReplicas": replicas,
        "unavailableReplicas": null,
    }});
    // The status subresource keeps the generation, as the real API server does.
    send(
        store,
        Method::PATCH,
        &format!("{path}/status"),
        Some(status),
    )
    .await?;
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_workload_spec_writes_trigger_a_rollout() {
        let p = "/apis/apps/v1/namespaces/ns/deployments/backend";
        assert_eq!(workload_written(&Method::PATCH, p).as_deref(), Some(p));
        assert_eq!(
            workload_written(&Method::PATCH, &format!("{p}/scale")).as_deref(),
            Some(p)
        );
        assert_eq!(workload_written(&Method::GET, p), None);
        assert_eq!(
            workload_written(&Method::PATCH, &format!("{p}/status")),
            None
        );
        assert_eq!(
            workload_written(&Method::PATCH, "/api/v1/namespaces/ns/pods/x"),
            None
        );
    }
}
