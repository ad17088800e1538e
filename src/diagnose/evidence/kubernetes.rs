//! The Kubernetes part of the bundle: the namespace's events, the app's pods (statuses and
//! restart reasons, never their specs: environment values may be secrets), the deployments with
//! their ReplicaSet revisions, and the logs of unhealthy pods, current and previous (bounded).

use super::{Collected, Piece};
use crate::clients::Context;
use k8s_openapi::api::core::v1::{ContainerState, Event, Pod};
use kube::api::{Api, ListParams};
use serde_json::{json, Value};
use std::sync::Arc;

/// Unhealthy pods whose logs are kept, at most.
const MAX_LOGGED_PODS: usize = 20;
/// Lines and bytes of each log kept, at most.
const LOG_LINES: i64 = 500;
const LOG_BYTES: i64 = 256 * 1024;
/// Newest events kept, at most.
const MAX_EVENTS: usize = 1000;

fn state_text(state: Option<&ContainerState>) -> Value {
    let Some(s) = state else {
        return Value::Null;
    };
    if let Some(w) = &s.waiting {
        return json!({"waiting": w.reason, "message": w.message});
    }
    if let Some(t) = &s.terminated {
        return json!({"terminated": t.reason, "exit_code": t.exit_code,
                       "finished_at": t.finished_at.as_ref().map(|f| f.0.to_string())});
    }
    if let Some(r) = &s.running {
        return json!({"running_since": r.started_at.as_ref().map(|t| t.0.to_string())});
    }
    Value::Null
}

/// A pod as the bundle keeps it: who it is, where, its phase and each container's state.
fn pod_summary(deployment: &str, pod: &Pod) -> Value {
    let status = pod.status.clone().unwrap_or_default();
    let containers: Vec<Value> = status
        .container_statuses
        .iter()
        .flatten()
        .map(|c| {
            json!({
                "name": c.name, "image": c.image, "ready": c.ready,
                "restart_count": c.restart_count,
                "state": state_text(c.state.as_ref()),
                "last_state": state_text(c.last_state.as_ref()),
            })
        })
        .collect();
    json!({
        "name": pod.metadata.name,
        "deployment": deployment,
        "node": pod.spec.as_ref().and_then(|s| s.node_name.clone()),
        "phase": status.phase,
        "started_at": status.start_time.as_ref().map(|t| t.0.to_string()),
        "conditions": status.conditions.iter().flatten()
            .map(|c| json!({"type": c.type_, "status": c.status, "reason": c.reason}))
            .collect::<Vec<_>>(),
        "containers": containers,
    })
}

/// Not ready, or restarted: its logs are worth keeping.
fn unhealthy(pod: &Pod) -> bool {
    let statuses = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.clone())
        .unwrap_or_default();
    statuses.is_empty() || statuses.iter().any(|c| !c.ready || c.restart_count > 0)
}

/// A deployment's pods as the bundle keeps them: counts by state and problem, and the worst
/// pods (the fold's samples) by name.
fn pods_of(w: &crate::discovery::AppWorkload) -> Value {
    json!({
        "deployment": w.name,
        "pods": w.pods.total,
        "ready": w.pods.ready,
        "unhealthy": w.pods.unhealthy,
        "by_state": w.pods.by_state,
        "by_problem": w.pods.by_reason,
        "worst": w.pods.samples.iter().map(|s| pod_summary(&w.name, &s.pod)).collect::<Vec<_>>(),
    })
}

pub async fn collect(ctx: Arc<Context>) -> Collected {
    let client = match ctx.kube().await {
        Ok(c) => c,
        Err(e) => return Collected::failed("kubernetes", e.message),
    };
    let ns = ctx.settings.namespace.clone();
    let page = ctx.settings.kubernetes.page_size;
    let mut out = Collected::default();
    out.withhold(
        "pod specs",
        "not kept: environment values may be secrets; pods.json keeps names, images and states",
    );

    match events(client.clone(), &ns, page).await {
        Ok((piece, older)) => {
            out.pieces.push(piece);
            if older > 0 {
                out.withhold(
                    format!("{older} older kubernetes events"),
                    format!("at most the newest {MAX_EVENTS} events are kept"),
                );
            }
        }
        Err(e) => out.withhold("kubernetes events", format!("could not be read: {e}")),
    }
    let workloads = match crate::discovery::app_workloads(client.clone(), &ctx.settings).await {
        Ok(w) => w,
        Err(e) => {
            out.withhold(
                "the app's pods and deployments",
                format!("could not be read: {}", e.message),
            );
            return out;
        }
    };
    let pods: Vec<Value> = workloads.list.iter().map(pods_of).collect();
    for w in workloads
        .list
        .iter()
        .filter(|w| w.pods.total > w.pods.samples.len())
    {
        out.withhold(
            format!(
                "{} more pods of {} by name",
                w.pods.total - w.pods.samples.len(),
                w.name
            ),
            format!(
                "pods.json counts every pod by state and problem, and keeps the worst {} by name",
                crate::discovery::pods::SAMPLES
            ),
        );
    }
    out.pieces.push(Piece::json(
        "kubernetes/pods.json",
        "kubernetes pods",
        &pods,
    ));

    let mut deployments = Vec::new();
    for w in &workloads.list {
        let Some(d) = &w.deployment else { continue };
        let revisions = match crate::discovery::revisions::revisions(client.clone(), d, &ns, page).await {
            Ok(r) => r
                .iter()
                .map(|r| {
                    json!({"revision": r.number,
                           "images": r.template.spec.iter().flat_map(|s| s.containers.iter()).map(|c| c.image.clone()).collect::<Vec<_>>()})
                })
                .collect::<Vec<_>>(),
            Err(e) => vec![json!({"error": crate::output::redact::error_chain(&e)})],
        };
        let status = d.status.clone().unwrap_or_default();
        deployments.push(json!({
            "name": w.name,
            "revision": d.metadata.annotations.as_ref().and_then(|a| a.get(crate::discovery::revisions::REVISION)),
            "desired": d.spec.as_ref().and_then(|s| s.replicas),
            "ready": status.ready_replicas, "available": status.available_replicas,
            "updated": status.updated_replicas,
            "images": d.spec.iter().flat_map(|s| s.template.spec.iter()).flat_map(|s| s.containers.iter()).map(|c| c.image.clone()).collect::<Vec<_>>(),
            "revisions": revisions,
        }));
    }
    out.pieces.push(Piece::json(
        "kubernetes/deployments.json",
        "kubernetes deployments and replicasets",
        &deployments,
    ));

    logs_of_unhealthy(&mut out, client, &ns, &workloads).await;
    out
}

/// The logs (current and previous) of the worst unhealthy pods, at most `MAX_LOGGED_PODS`.
async fn logs_of_unhealthy(
    out: &mut Collected,
    client: kube::Client,
    ns: &str,
    workloads: &crate::discovery::AppWorkloads,
) {
    let sick: Vec<&Pod> = workloads
        .list
        .iter()
        .flat_map(|w| w.pods.samples.iter().map(|s| &s.pod))
        .filter(|p| unhealthy(p))
        .collect();
    let unhealthy_pods: usize = workloads.list.iter().map(|w| w.pods.unhealthy).sum();
    let logged = sick.len().min(MAX_LOGGED_PODS);
    if unhealthy_pods > logged {
        out.withhold(
            format!("logs of {} more unhealthy pods", unhealthy_pods - logged),
            format!("at most {MAX_LOGGED_PODS} pods' logs are kept, the worst first"),
        );
    }
    let pods_api: Api<Pod> = Api::namespaced(client, ns);
    for pod in sick.into_iter().take(MAX_LOGGED_PODS) {
        let name = pod.metadata.name.clone().unwrap_or_default();
        for previous in [false, true] {
            let params =
                crate::clients::kube::list::log_params(None, LOG_LINES, LOG_BYTES, previous);
            let suffix = if previous { ".previous" } else { "" };
            match pods_api.logs(&name, &params).await {
                Ok(text) => out.pieces.push(Piece::new(
                    format!("kubernetes/logs/{name}{suffix}.log"),
                    format!(
                        "kubernetes logs of {name}{}",
                        if previous {
                            " (previous container)"
                        } else {
                            ""
                        }
                    ),
                    text,
                )),
                // No previous container (400) is the usual case, not worth a line.
                Err(kube::Error::Api(s)) if previous && s.code == 400 => {}
                Err(e) => out.withhold(
                    format!("logs of {name}{suffix}"),
                    format!(
                        "could not be read: {}",
                        crate::output::redact::error_chain(&e)
                    ),
                ),
            }
        }
    }
}

/// The namespace's events, newest first: at most `MAX_EVENTS` are kept as the pages are read
/// (a namespace may hold 80,000); also how many older ones were left out.
async fn events(client: kube::Client, ns: &str, page: u32) -> Result<(Piece, usize), String> {
    let api: Api<Event> = Api::namespaced(client, ns);
    let mut newest: Vec<(String, Value)> = Vec::new();
    let mut older = 0usize;
    crate::clients::kube::list::list_kept(&api, &ListParams::default(), page, |e: Event| {
        let at = e
            .last_timestamp
            .as_ref()
            .map(|t| t.0.to_string())
            .or_else(|| e.event_time.as_ref().map(|t| t.0.to_string()))
            .or_else(|| e.first_timestamp.as_ref().map(|t| t.0.to_string()))
            .unwrap_or_default();
        let position = newest.partition_point(|(t, _)| *t >= at);
        if position >= MAX_EVENTS {
            older += 1;
            return None::<()>;
        }
        let row = json!({
            "at": at, "type": e.type_, "reason": e.reason,
            "object": format!("{}/{}", e.involved_object.kind.clone().unwrap_or_default(),
                              e.involved_object.name.clone().unwrap_or_default()),
            "count": e.count, "message": e.message,
        });
        newest.insert(position, (at, row));
        if newest.len() > MAX_EVENTS {
            newest.truncate(MAX_EVENTS);
            older += 1;
        }
        None
    })
    .await
    .map_err(|e| crate::output::redact::error_chain(&e))?;
    let rows: Vec<Value> = newest.into_iter().map(|(_, r)| r).collect();
    Ok((
        Piece::json("kubernetes/events.json", "kubernetes events", &rows),
        older,
    ))
}
