//! A Kubernetes API stand-in: kube-fake-client's in-memory store served over HTTP.
//!
//! No real kube-apiserver can be installed on these machines, so the sandbox and the tests talk to
//! this instead, through a kubeconfig, exactly as incidentctl talks to a cluster. It simulates a
//! cluster: nothing reconciles, statuses are whatever the fixture says.
//!
//! kube-fake-client's store handles CRUD, label selectors, resource versions and patches. This
//! layer adds what the library lacks and kubectl or incidentctl need:
//! - discovery (`/version`, `/api`, `/apis`, `/api/v1`, `/apis/G/V`),
//! - namespace objects (its path parser rejects `/api/v1/namespaces/NAME`),
//! - `pods/NAME/log` served from text fixtures (it would return the Pod JSON),
//! - metrics.k8s.io PodMetrics and NodeMetrics (NodeMetrics is cluster-scoped),
//! - field selectors with `=`, `==` and `!=` on any field path (it supports `=` on a fixed list),
//! - the `deployments/NAME/scale` subresource (it would return the whole Deployment).
//!
//! Every request is recorded so tests can check which API calls incidentctl makes.

use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

/// What the simulated cluster holds.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fixture {
    /// Kubernetes objects (Pods, Deployments, Events, …) as JSON, with apiVersion and kind.
    #[serde(default)]
    pub objects: Vec<Value>,
    /// Container logs, keyed `namespace/pod/container` or `namespace/pod` (first container).
    #[serde(default)]
    pub logs: BTreeMap<String, String>,
    /// metrics.k8s.io/v1beta1 PodMetrics objects.
    #[serde(default)]
    pub pod_metrics: Vec<Value>,
    /// metrics.k8s.io/v1beta1 NodeMetrics objects.
    #[serde(default)]
    pub node_metrics: Vec<Value>,
}

/// One request the stand-in answered: method, path and query, for API-coverage tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: String,
}

struct State {
    store: kube::Client,
    logs: BTreeMap<String, String>,
    pod_metrics: Vec<Value>,
    node_metrics: Vec<Value>,
    namespaces: BTreeSet<String>,
    requests: Mutex<Vec<RecordedRequest>>,
}

/// A running stand-in. Dropping it stops the server.
pub struct StandIn {
    pub addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl StandIn {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request answered so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state
            .requests
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// A kubeconfig document pointing a context of this name at the stand-in.
    pub fn kubeconfig(&self, context: &str, namespace: &str) -> String {
        kubeconfig_for(&self.url(), context, namespace)
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A kubeconfig with one cluster, user and context, all named `context`.
pub fn kubeconfig_for(server: &str, context: &str, namespace: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: {context}\n  cluster:\n    server: {server}\n\
         users:\n- name: {context}\n  user:\n    token: sandbox-token\n\
         contexts:\n- name: {context}\n  context:\n    cluster: {context}\n    user: {context}\n    namespace: {namespace}\n\
         current-context: {context}\n"
    )
}

/// Starts the stand-in on `listen` (port 0 picks a free one) inside the current tokio runtime.
pub async fn start(fixture: Fixture, listen: SocketAddr) -> std::io::Result<StandIn> {
    let mut namespaces = BTreeSet::new();
    for obj in &fixture.objects {
        if let Some(ns) = obj.pointer("/metadata/namespace").and_then(Value::as_str) {
            namespaces.insert(ns.to_string());
        }
    }
    let store = kube_fake_client::ClientBuilder::new()
        .with_runtime_objects(fixture.objects)
        .build()
        .await
        .map_err(|e| std::io::Error::other(format!("fixture rejected: {e}")))?;
    let state = Arc::new(State {
        store,
        logs: fixture.logs,
        pod_metrics: fixture.pod_metrics,
        node_metrics: fixture.node_metrics,
        namespaces,
        requests: Mutex::new(Vec::new()),
    });
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let serving = state.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let state = serving.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let state = state.clone();
                    async move { Ok::<_, std::convert::Infallible>(handle(&state, req).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(StandIn { addr, state, task })
}

type Reply = Response<Full<Bytes>>;

fn json_reply(status: StatusCode, body: &Value) -> Reply {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap_or_default()
}

fn status_reply(code: StatusCode, reason: &str, message: &str) -> Reply {
    json_reply(
        code,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": message, "reason": reason, "code": code.as_u16()}),
    )
}

fn query_param(query: &str, key: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

async fn handle(state: &State, req: Request<Incoming>) -> Reply {
    let method = req.method().clone();
    let path = req.uri().path().trim_end_matches('/').to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    if let Ok(mut log) = state.requests.lock() {
        log.push(RecordedRequest {
            method: method.to_string(),
            path: path.clone(),
            query: query.clone(),
        });
    }
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();

    if method == Method::GET {
        if let Some(reply) = discovery(&parts) {
            return reply;
        }
        match parts.as_slice() {
            ["api", "v1", "namespaces"] => return list_namespaces(state),
            ["api", "v1", "namespaces", ns] => return get_namespace(state, ns),
            ["api", "v1", "namespaces", ns, "pods", pod, "log"] => {
                return pod_log(state, ns, pod, &query).await
            }
            ["apis", "metrics.k8s.io", "v1beta1", "namespaces", ns, "pods", rest @ ..] => {
                let items: Vec<&Value> = state
                    .pod_metrics
                    .iter()
                    .filter(|m| {
                        m.pointer("/metadata/namespace").and_then(Value::as_str) == Some(ns)
                    })
                    .collect();
                return metrics_reply(items, rest.first().copied(), "PodMetrics");
            }
            ["apis", "metrics.k8s.io", "v1beta1", "pods"] => {
                return metrics_reply(state.pod_metrics.iter().collect(), None, "PodMetrics")
            }
            ["apis", "metrics.k8s.io", "v1beta1", "nodes", rest @ ..] => {
                return metrics_reply(
                    state.node_metrics.iter().collect(),
                    rest.first().copied(),
                    "NodeMetrics",
                )
            }
            _ => {}
        }
    }
    if let ["apis", "apps", "v1", "namespaces", ns, "deployments", name, "scale"] = parts.as_slice()
    {
        return scale(state, req, ns, name).await;
    }
    forward(state, req, &query).await
}

/// Sends the request to kube-fake-client's store, applying field selectors itself.
async fn forward(state: &State, req: Request<Incoming>, query: &str) -> Reply {
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
    };
    let field_selector = query_param(query, "fieldSelector");
    // The store understands only `=` on a few fields; strip the selector and filter here.
    let forwarded_query: String = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "fieldSelector" && k != "dryRun")
        .fold(
            url::form_urlencoded::Serializer::new(String::new()),
            |mut s, (k, v)| {
                s.append_pair(&k, &v);
                s
            },
        )
        .finish();
    let dry_run = query_param(query, "dryRun").is_some();
    let uri = if forwarded_query.is_empty() {
        parts.uri.path().to_string()
    } else {
        format!("{}?{}", parts.uri.path(), forwarded_query)
    };

    // A server-side dry run validates by applying to a throwaway copy: answer with what the
    // store would return, without keeping it. The store cannot roll back, so reads decide.
    if dry_run && parts.method != Method::GET {
        return dry_run_reply(state, &parts, &uri, body).await;
    }

    let mut builder = Request::builder().method(parts.method.clone()).uri(&uri);
    for (name, value) in parts.headers.iter() {
        builder = builder.header(name, value);
    }
    let request = match builder.body(kube::client::Body::from(body.to_vec())) {
        Ok(r) => r,
        Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
    };
    let response = match state.store.send(request).await {
        Ok(r) => r,
        Err(e) => {
            return status_reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                &e.to_string(),
            )
        }
    };
    let (rparts, rbody) = response.into_parts();
    let bytes = match rbody.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            return status_reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                &e.to_string(),
            )
        }
    };
    let bytes = match (&field_selector, parts.method == Method::GET) {
        (Some(selector), true) => filter_list(&bytes, selector).unwrap_or(bytes),
        _ => bytes,
    };
    let mut reply = Response::builder().status(rparts.status);
    reply = reply.header(header::CONTENT_TYPE, "application/json");
    reply.body(Full::new(bytes)).unwrap_or_default()
}

async fn dry_run_reply(
    state: &State,
    parts: &http::request::Parts,
    uri: &str,
    body: Bytes,
) -> Reply {
    let path = uri.split('?').next().unwrap_or(uri).to_string();
    let current = match get_json(state, &path).await {
        Ok(v) => v,
        Err(reply) => return reply,
    };
    if parts.method == Method::PATCH {
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let patch: Value = match serde_json::from_slice(&body) {
            Ok(p) => p,
            Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
        };
        let mut patched = current;
        if let Err(message) = apply_patch(&mut patched, &patch, content_type) {
            return status_reply(StatusCode::UNPROCESSABLE_ENTITY, "Invalid", &message);
        }
        return json_reply(StatusCode::OK, &patched);
    }
    json_reply(StatusCode::OK, &current)
}

/// Applies a patch as the API server would for the content type.
pub fn apply_patch(target: &mut Value, patch: &Value, content_type: &str) -> Result<(), String> {
    if content_type.contains("json-patch") {
        let ops: json_patch::Patch =
            serde_json::from_value(patch.clone()).map_err(|e| e.to_string())?;
        json_patch::patch(target, &ops).map_err(|e| e.to_string())
    } else if content_type.contains("strategic-merge-patch") {
        strategic_merge(target, patch);
        Ok(())
    } else {
        json_patch::merge(target, patch);
        Ok(())
    }
}

/// Strategic merge for the lists incidentctl patches: lists of objects with a `name` (containers,
/// env, ports, volumes) merge by name instead of being replaced, as the API server does.
fn strategic_merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (key, pv) in p {
                if pv.is_null() {
                    t.remove(key);
                } else if let Some(tv) = t.get_mut(key) {
                    strategic_merge(tv, pv);
                } else {
                    t.insert(key.clone(), pv.clone());
                }
            }
        }
        (Value::Array(t), Value::Array(p))
            if p.iter().all(|v| v.get("name").is_some())
                && t.iter().all(|v| v.get("name").is_some()) =>
        {
            for item in p {
                let name = item.get("name");
                match t.iter_mut().find(|existing| existing.get("name") == name) {
                    Some(existing) => strategic_merge(existing, item),
                    None => t.push(item.clone()),
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

async fn get_json(state: &State, path: &str) -> Result<Value, Reply> {
    let request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .body(kube::client::Body::empty())
        .map_err(|e| status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()))?;
    let response = state.store.send(request).await.map_err(|e| {
        status_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            &e.to_string(),
        )
    })?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| {
            status_reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                &e.to_string(),
            )
        })?
        .to_bytes();
    if !status.is_success() {
        return Err(Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(bytes))
            .unwrap_or_default());
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        status_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            &e.to_string(),
        )
    })
}

/// `deployments/NAME/scale`: GET answers an autoscaling/v1 Scale; PATCH and PUT set spec.replicas.
async fn scale(state: &State, req: Request<Incoming>, ns: &str, name: &str) -> Reply {
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

/// Keeps the items of a list response that match a field selector (`a=b`, `a==b`, `a!=b`, joined
/// by commas), reading each field path (`type`, `involvedObject.name`, `status.phase`) from the item.
fn filter_list(bytes: &Bytes, selector: &str) -> Option<Bytes> {
    let mut list: Value = serde_json::from_slice(bytes).ok()?;
    let items = list.get_mut("items")?.as_array_mut()?;
    let requirements: Vec<(String, bool, String)> = selector
        .split(',')
        .filter(|r| !r.trim().is_empty())
        .filter_map(|r| {
            if let Some((f, v)) = r.split_once("!=") {
                Some((f.trim().to_string(), false, v.trim().to_string()))
            } else if let Some((f, v)) = r.split_once("==") {
                Some((f.trim().to_string(), true, v.trim().to_string()))
            } else {
                r.split_once('=')
                    .map(|(f, v)| (f.trim().to_string(), true, v.trim().to_string()))
            }
        })
        .collect();
    items.retain(|item| {
        requirements.iter().all(|(field, equal, wanted)| {
            let pointer = format!("/{}", field.replace('.', "/"));
            let actual = match item.pointer(&pointer) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            (actual == *wanted) == *equal
        })
    });
    Some(Bytes::from(list.to_string()))
}

async fn pod_log(state: &State, ns: &str, pod: &str, query: &str) -> Reply {
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
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
}

fn metrics_reply(items: Vec<&Value>, name: Option<&str>, kind: &str) -> Reply {
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

fn list_namespaces(state: &State) -> Reply {
    let items: Vec<Value> = state
        .namespaces
        .iter()
        .map(|n| namespace_object(n))
        .collect();
    json_reply(
        StatusCode::OK,
        &json!({"kind": "NamespaceList", "apiVersion": "v1", "metadata": {}, "items": items}),
    )
}

fn get_namespace(state: &State, name: &str) -> Reply {
    if state.namespaces.contains(name) || name == "default" {
        json_reply(StatusCode::OK, &namespace_object(name))
    } else {
        status_reply(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("namespaces \"{name}\" not found"),
        )
    }
}

/// (name, kind, namespaced, verbs, subresource-of) for each resource served.
const CORE_RESOURCES: &[(&str, &str, bool)] = &[
    ("pods", "Pod", true),
    ("pods/log", "Pod", true),
    ("services", "Service", true),
    ("endpoints", "Endpoints", true),
    ("events", "Event", true),
    ("configmaps", "ConfigMap", true),
    ("secrets", "Secret", true),
    ("nodes", "Node", false),
    ("namespaces", "Namespace", false),
];

const GROUPS: &[(&str, &str, &[(&str, &str, bool)])] = &[
    (
        "apps",
        "v1",
        &[
            ("deployments", "Deployment", true),
            ("deployments/scale", "Scale", true),
            ("statefulsets", "StatefulSet", true),
            ("statefulsets/scale", "Scale", true),
            ("replicasets", "ReplicaSet", true),
        ],
    ),
    (
        "networking.k8s.io",
        "v1",
        &[
            ("ingresses", "Ingress", true),
            ("networkpolicies", "NetworkPolicy", true),
        ],
    ),
    ("events.k8s.io", "v1", &[("events", "Event", true)]),
    (
        "metrics.k8s.io",
        "v1beta1",
        &[
            ("pods", "PodMetrics", true),
            ("nodes", "NodeMetrics", false),
        ],
    ),
];

fn resource_list(group_version: &str, resources: &[(&str, &str, bool)]) -> Value {
    let resources: Vec<Value> = resources
        .iter()
        .map(|(name, kind, namespaced)| {
            let verbs: Vec<&str> = if name.contains('/') {
                vec!["get", "patch", "update"]
            } else if group_version.starts_with("metrics") {
                vec!["get", "list"]
            } else {
                vec![
                    "create", "delete", "get", "list", "patch", "update", "watch",
                ]
            };
            json!({"name": name, "singularName": "", "namespaced": namespaced, "kind": kind,
                   "verbs": verbs})
        })
        .collect();
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
           "resources": resources})
}

fn discovery(parts: &[&str]) -> Option<Reply> {
    let body = match parts {
        ["version"] => {
            json!({"major": "1", "minor": "32", "gitVersion": "v1.32.0-incidentctl-standin",
                               "platform": "linux/amd64", "goVersion": "n/a", "compiler": "n/a",
                               "gitCommit": "", "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z"})
        }
        ["api"] => json!({"kind": "APIVersions", "versions": ["v1"],
                           "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": ""}]}),
        ["apis"] => {
            let groups: Vec<Value> = GROUPS
                .iter()
                .map(|(g, v, _)| {
                    let gv = json!({"groupVersion": format!("{g}/{v}"), "version": v});
                    json!({"name": g, "versions": [gv.clone()], "preferredVersion": gv})
                })
                .collect();
            json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
        }
        ["api", "v1"] => resource_list("v1", CORE_RESOURCES),
        ["apis", group, version] => {
            let (g, v, resources) = GROUPS.iter().find(|(g, v, _)| g == group && v == version)?;
            resource_list(&format!("{g}/{v}"), resources)
        }
        _ => return None,
    };
    Some(json_reply(StatusCode::OK, &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_selector_not_equal_excludes_matching_items() {
        let list = json!({"items": [{"type": "Normal"}, {"type": "Warning"}, {}]});
        let out = filter_list(&Bytes::from(list.to_string()), "type!=Normal").unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["items"], json!([{"type": "Warning"}, {}]));
    }

    #[test]
    fn strategic_merge_keeps_other_containers_fields() {
        let mut dep = json!({"containers": [{"name": "backend", "image": "app:1",
                                              "env": [{"name": "A", "value": "1"}]}]});
        let patch = json!({"containers": [{"name": "backend",
                                            "env": [{"name": "DB_POOL_SIZE", "value": "20"}]}]});
        strategic_merge(&mut dep, &patch);
        assert_eq!(dep["containers"][0]["image"], "app:1");
        assert_eq!(dep["containers"][0]["env"].as_array().unwrap().len(), 2);
    }
}
