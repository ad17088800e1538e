//! What the stand-in serves itself, because the store would answer wrongly or not at all:
//! namespaces, `pods/NAME/log`, metrics.k8s.io, `deployments/NAME/scale` and
//! SelfSubjectAccessReview.

use super::patch::apply_patch;
use super::store::get_json;
use super::table::{as_table, TableRequest};
use super::{json_reply, query_param, status_reply, Reply, State};
use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use serde_json::{json, Value};

/// `deployments/NAME/scale`: GET answers an autoscaling/v1 Scale; PATCH and PUT set spec.replicas.
pub(super) async fn scale(state: &State, req: Request<Incoming>, ns: &str, name: &str) -> Reply {
    let path = format!("/apis/apps/v1/namespaces/{ns}/deployments/{name}");
    let query = req.uri().query().unwrap_or("").to_string();
    let method = req.method().clone();
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
    };
    let deployment = match get_json(state, &path).await {
        Ok(d) => d,
        Err(reply) => return reply,
    };
    let as_scale = |d: &Value| {
        json!({
            "kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {"name": name, "namespace": ns,
                         "resourceVersion": d.pointer("/metadata/resourceVersion"),
                         "uid": d.pointer("/metadata/uid")},
            "spec": {"replicas": d.pointer("/spec/replicas").cloned().unwrap_or(json!(1))},
            "status": {"replicas": d.pointer("/status/replicas").cloned().unwrap_or(json!(0))},
        })
    };
    if method == Method::GET {
        return json_reply(StatusCode::OK, &as_scale(&deployment));
    }
    let incoming: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
    };
    let mut scale_obj = as_scale(&deployment);
    if method == Method::PATCH {
        if let Err(message) = apply_patch(&mut scale_obj, &incoming, &content_type) {
            return status_reply(StatusCode::UNPROCESSABLE_ENTITY, "Invalid", &message);
        }
    } else {
        scale_obj = incoming;
    }
    // A stale precondition fails as the API server's optimistic concurrency would.
    let wanted_rv = scale_obj.pointer("/metadata/resourceVersion").cloned();
    if let Some(rv) = wanted_rv.filter(|v| !v.is_null()) {
        if Some(&rv) != deployment.pointer("/metadata/resourceVersion") {
            return status_reply(
                StatusCode::CONFLICT,
                "Conflict",
                &format!("Operation cannot be fulfilled on deployments.apps \"{name}\": the object has been modified; please apply your changes to the latest version and try again"),
            );
        }
    }
    let Some(replicas) = scale_obj.pointer("/spec/replicas").and_then(Value::as_i64) else {
        return status_reply(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid",
            "spec.replicas: Required value",
        );
    };
    if replicas < 0 {
        return status_reply(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid",
            "spec.replicas: Invalid value: must be greater than or equal to 0",
        );
    }
    if query_param(&query, "dryRun").is_some() {
        let mut preview = deployment.clone();
        preview["spec"]["replicas"] = json!(replicas);
        return json_reply(StatusCode::OK, &as_scale(&preview));
    }
    let patch = json!({"spec": {"replicas": replicas}});
    let request = Request::builder()
        .method(Method::PATCH)
        .uri(&path)
        .header(header::CONTENT_TYPE, "application/merge-patch+json")
        .body(kube::client::Body::from(patch.to_string().into_bytes()));
    let Ok(request) = request else {
        return status_reply(StatusCode::BAD_REQUEST, "BadRequest", "bad scale request");
    };
    match state.store.send(request).await {
        Ok(r) if r.status().is_success() => match get_json(state, &path).await {
            Ok(updated) if method != Method::GET => {
                crate::rollout::complete_later(state.store.clone(), path.clone());
                json_reply(StatusCode::OK, &as_scale(&updated))
            }
            Ok(updated) => json_reply(StatusCode::OK, &as_scale(&updated)),
            Err(reply) => reply,
        },
        Ok(r) => status_reply(r.status(), "Invalid", "scale rejected by the store"),
        Err(e) => status_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            &e.to_string(),
        ),
    }
}

/// SelfSubjectAccessReview: "may I <verb> <group>/<resource>[/<subresource>]?", answered from
/// the fixture's denied list (there is no RBAC in the store to consult).
pub(super) async fn access_review(state: &State, req: Request<Incoming>) -> Reply {
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
    };
    let mut review: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
    };
    let attr = |k: &str| {
        review
            .pointer(&format!("/spec/resourceAttributes/{k}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let resource = match attr("subresource").as_str() {
        "" => attr("resource"),
        sub => format!("{}/{sub}", attr("resource")),
    };
    let key = format!("{}/{resource}/{}", attr("group"), attr("verb"));
    let allowed = !state.denied.contains(&key);
    review["status"] = json!({"allowed": allowed, "reason": if allowed { "sandbox: allowed" } else { "sandbox: denied by the fixture" }});
    json_reply(StatusCode::CREATED, &review)
}

pub(super) async fn pod_log(state: &State, ns: &str, pod: &str, query: &str) -> Reply {
    let container = query_param(query, "container");
    let text = container
        .as_ref()
        .and_then(|c| state.logs.get(&format!("{ns}/{pod}/{c}")))
        .or_else(|| state.logs.get(&format!("{ns}/{pod}")));
    let text = match text {
        Some(t) => t.clone(),
        None => {
            // A pod that exists but has no fixture logs has an empty log, as a quiet container does.
            match get_json(state, &format!("/api/v1/namespaces/{ns}/pods/{pod}")).await {
                Ok(_) => String::new(),
                Err(reply) => return reply,
            }
        }
    };
    let mut lines: Vec<&str> = text.lines().collect();
    if let Some(tail) = query_param(query, "tailLines").and_then(|t| t.parse::<usize>().ok()) {
        let skip = lines.len().saturating_sub(tail);
        lines.drain(..skip);
    }
    let mut body = lines.join("\n");
    if !body.is_empty() {
        body.push('\n');
    }
    // As the kubelet: never more than limitBytes, even mid-line.
    let mut body = body.into_bytes();
    if let Some(limit) = query_param(query, "limitBytes").and_then(|n| n.parse().ok()) {
        body.truncate(limit);
    }
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
}

pub(super) fn metrics_reply(items: Vec<&Value>, name: Option<&str>, kind: &str) -> Reply {
    if let Some(name) = name {
        return match items
            .into_iter()
            .find(|m| m.pointer("/metadata/name").and_then(Value::as_str) == Some(name))
        {
            Some(item) => json_reply(StatusCode::OK, item),
            None => status_reply(
                StatusCode::NOT_FOUND,
                "NotFound",
                &format!("{kind} \"{name}\" not found"),
            ),
        };
    }
    json_reply(
        StatusCode::OK,
        &json!({"kind": format!("{kind}List"), "apiVersion": "metrics.k8s.io/v1beta1",
                "metadata": {}, "items": items}),
    )
}

fn namespace_object(name: &str) -> Value {
    json!({"kind": "Namespace", "apiVersion": "v1",
           "metadata": {"name": name, "uid": format!("ns-{name}")},
           "status": {"phase": "Active"}})
}

/// The object as is, or as a Table when the client asked for one.
fn object_reply(body: Value, table: Option<&TableRequest>) -> Reply {
    match table {
        Some(t) => json_reply(StatusCode::OK, &as_table(&body, t, jiff::Timestamp::now())),
        None => json_reply(StatusCode::OK, &body),
    }
}

pub(super) fn list_namespaces(state: &State, table: Option<&TableRequest>) -> Reply {
    let items: Vec<Value> = state
        .namespaces
        .iter()
        .map(|n| namespace_object(n))
        .collect();
    object_reply(
        json!({"kind": "NamespaceList", "apiVersion": "v1", "metadata": {}, "items": items}),
        table,
    )
}

pub(super) fn get_namespace(state: &State, name: &str, table: Option<&TableRequest>) -> Reply {
    if state.namespaces.contains(name) || name == "default" {
        object_reply(namespace_object(name), table)
    } else {
        status_reply(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("namespaces \"{name}\" not found"),
        )
    }
}
