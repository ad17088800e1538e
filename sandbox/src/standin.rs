//! A Kubernetes API stand-in: kube-fake-client's in-memory store served over HTTP.
//!
//! The sandbox can run a real control plane (`kubernetes`), which is what the tests use; the
//! stand-in starts at once and needs no build, so the demo uses it. incidentctl talks to it
//! through a kubeconfig exactly as to a cluster. It simulates one: nothing reconciles, statuses
//! are whatever the fixture says, and where it could differ from kube-apiserver, the real one
//! decides (a failed JSON-patch `test`, for one, is answered as 1.20 answers it).
//!
//! kube-fake-client's store handles CRUD, label selectors, resource versions and patches. This
//! layer adds what the library lacks and kubectl or incidentctl need:
//! - discovery (`/version`, `/api`, `/apis`, `/api/v1`, `/apis/G/V`),
//! - namespace objects (its path parser rejects `/api/v1/namespaces/NAME`),
//! - `pods/NAME/log` served from text fixtures (it would return the Pod JSON),
//! - metrics.k8s.io PodMetrics and NodeMetrics (NodeMetrics is cluster-scoped),
//! - field selectors with `=`, `==` and `!=` on any field path (it supports `=` on a fixed list),
//! - the `deployments/NAME/scale` subresource (it would return the whole Deployment),
//! - `limit`/`continue` paging (it truncates to `limit` with no `continue`, so kubectl, which
//!   lists 500 at a time, saw only the first 500 of a large namespace),
//! - server-side printing: a `meta.k8s.io/v1` Table when the client asks for `as=Table`, as kubectl
//!   `get` does (it returns plain lists, which kubectl prints as NAME and AGE only), with the
//!   columns of kube-apiserver's printers for the kinds the runbooks look at.
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
    /// Permissions the simulated identity lacks, as `group/resource/verb` (`/pods/list` for the
    /// core group, `apps/deployments/patch`): SelfSubjectAccessReview answers "denied" for them
    /// and "allowed" for everything else.
    #[serde(default)]
    pub denied: Vec<String>,
}

/// One request the stand-in answered: method, path and query, for API-coverage tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: String,
}

/// How the stand-in guards itself, as a real API server would: TLS (with or without client
/// certificates) and a bearer token every request must carry.
#[derive(Clone, Default)]
pub struct Security {
    pub tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
    pub bearer_token: Option<String>,
}

struct State {
    bearer_token: Option<String>,
    store: kube::Client,
    logs: BTreeMap<String, String>,
    pod_metrics: Vec<Value>,
    node_metrics: Vec<Value>,
    denied: Vec<String>,
    namespaces: BTreeSet<String>,
    requests: Mutex<Vec<RecordedRequest>>,
}

/// A running stand-in. Dropping it stops the server.
pub struct StandIn {
    pub addr: SocketAddr,
    scheme: &'static str,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl StandIn {
    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` over TLS (the name a test
    /// certificate lists).
    pub fn url(&self) -> String {
        match self.scheme {
            "https" => format!("https://localhost:{}", self.addr.port()),
            _ => format!("http://{}", self.addr),
        }
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
    start_secured(fixture, listen, Security::default()).await
}

/// As `start`, served over TLS and/or requiring a bearer token (401 without it).
pub async fn start_secured(
    fixture: Fixture,
    listen: SocketAddr,
    security: Security,
) -> std::io::Result<StandIn> {
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
        bearer_token: security.bearer_token,
        store,
        logs: fixture.logs,
        pod_metrics: fixture.pod_metrics,
        node_metrics: fixture.node_metrics,
        denied: fixture.denied,
        namespaces,
        requests: Mutex::new(Vec::new()),
    });
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let serving = state.clone();
    let acceptor = security.tls.map(tokio_rustls::TlsAcceptor::from);
    let scheme = if acceptor.is_some() { "https" } else { "http" };
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let state = serving.clone();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let state = state.clone();
                    async move { Ok::<_, std::convert::Infallible>(handle(&state, req).await) }
                });
                let http = hyper::server::conn::http1::Builder::new();
                match acceptor {
                    None => {
                        let _ = http.serve_connection(TokioIo::new(stream), service).await;
                    }
                    Some(acceptor) => {
                        // A failed handshake (an untrusted client certificate) ends here.
                        if let Ok(tls) = acceptor.accept(stream).await {
                            let _ = http.serve_connection(TokioIo::new(tls), service).await;
                        }
                    }
                }
            });
        }
    });
    Ok(StandIn {
        addr,
        scheme,
        state,
        task,
    })
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
    if let Some(token) = &state.bearer_token {
        let presented = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if presented != Some(format!("Bearer {token}").as_str()) {
            return status_reply(StatusCode::UNAUTHORIZED, "Unauthorized", "Unauthorized");
        }
    }
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let table = TableRequest::from_request(&req, &query);

    if method == Method::GET {
        if let Some(reply) = discovery(&parts) {
            return reply;
        }
        match parts.as_slice() {
            ["api", "v1", "namespaces"] => return list_namespaces(state, table.as_ref()),
            ["api", "v1", "namespaces", ns] => return get_namespace(state, ns, table.as_ref()),
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
    if method == Method::POST
        && parts.as_slice()
            == [
                "apis",
                "authorization.k8s.io",
                "v1",
                "selfsubjectaccessreviews",
            ]
    {
        return access_review(state, req).await;
    }
    if let ["apis", "apps", "v1", "namespaces", ns, "deployments", name, "scale"] = parts.as_slice()
    {
        return scale(state, req, ns, name).await;
    }
    forward(state, req, &query, table.as_ref()).await
}

/// Sends the request to kube-fake-client's store, applying field selectors itself.
async fn forward(
    state: &State,
    req: Request<Incoming>,
    query: &str,
    table: Option<&TableRequest>,
) -> Reply {
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
    };
    let field_selector = query_param(query, "fieldSelector");
    let is_get = parts.method == Method::GET;
    let limit = query_param(query, "limit").and_then(|l| l.parse::<usize>().ok());
    let after = query_param(query, "continue").filter(|c| !c.is_empty());
    // The store understands only `=` on a few fields; strip the selector and filter here. It
    // honours `limit` but never says there is more, so paging is done here too, after filtering.
    let forwarded_query: String = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "fieldSelector" && k != "dryRun" && k != "includeObject")
        .filter(|(k, _)| !(is_get && (k == "limit" || k == "continue")))
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

    // A JSON patch that does not apply (a failed `test`) is refused as kube-apiserver refuses
    // it; the store would say something else.
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if parts.method == Method::PATCH && content_type.contains("json-patch") {
        let path = uri.split('?').next().unwrap_or(&uri).to_string();
        if let (Ok(mut current), Ok(patch)) = (
            get_json(state, &path).await,
            serde_json::from_slice::<Value>(&body),
        ) {
            if let Err(message) = apply_patch(&mut current, &patch, &content_type) {
                return patch_failed_reply(&content_type, &message);
            }
        }
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
    if response.status().is_success() {
        if let Some(workload) = crate::rollout::workload_written(&parts.method, parts.uri.path()) {
            crate::rollout::complete_later(state.store.clone(), workload);
        }
    }
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
    let paging = limit.is_some() || after.is_some();
    let rework = is_get && (field_selector.is_some() || paging || table.is_some());
    let parsed = match rework && rparts.status.is_success() {
        true => serde_json::from_slice::<Value>(&bytes).ok(),
        false => None,
    };
    let bytes = match parsed {
        Some(mut body) => {
            if let Some(selector) = &field_selector {
                filter_items(&mut body, selector);
            }
            if paging {
                page_list(&mut body, limit, after.as_deref());
            }
            if let Some(t) = table {
                body = as_table(&body, t, jiff::Timestamp::now());
            }
            Bytes::from(body.to_string())
        }
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
            return patch_failed_reply(content_type, &message);
        }
        return json_reply(StatusCode::OK, &patched);
    }
    json_reply(StatusCode::OK, &current)
}

/// A patch that does not apply. For a JSON patch, kube-apiserver (1.20, checked) answers 422
/// Invalid with a generic message and details naming no object; other patches keep our message.
fn patch_failed_reply(content_type: &str, message: &str) -> Reply {
    if content_type.contains("json-patch") {
        return json_reply(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": "the server rejected our request due to an error in our request",
                    "reason": "Invalid", "details": {}, "code": 422}),
        );
    }
    status_reply(StatusCode::UNPROCESSABLE_ENTITY, "Invalid", message)
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
async fn access_review(state: &State, req: Request<Incoming>) -> Reply {
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

/// Keeps the items of a list response that match a field selector (`a=b`, `a==b`, `a!=b`, joined
/// by commas), reading each field path (`type`, `involvedObject.name`, `status.phase`) from the item.
#[cfg(test)]
fn filter_list(bytes: &Bytes, selector: &str) -> Option<Bytes> {
    let mut list: Value = serde_json::from_slice(bytes).ok()?;
    filter_items(&mut list, selector)?;
    Some(Bytes::from(list.to_string()))
}

/// `filter_list` on a parsed list; `None` when it is not a list.
fn filter_items(list: &mut Value, selector: &str) -> Option<()> {
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
    Some(())
}

/// One page of a list, as kube-apiserver serves `limit` and `continue`: items in the order of
/// their storage keys (namespace, then name), at most `limit` of them after the key named by the
/// continue token, and `metadata.continue` plus `remainingItemCount` when more follow. The token is
/// the last key served (opaque to clients, as the API server's is).
fn page_list(list: &mut Value, limit: Option<usize>, after: Option<&str>) -> Option<()> {
    let key = |item: &Value| {
        format!(
            "{}/{}",
            text(item, "/metadata/namespace"),
            text(item, "/metadata/name")
        )
    };
    let items = list.get_mut("items")?.as_array_mut()?;
    let mut keyed: Vec<(String, Value)> = items.drain(..).map(|i| (key(&i), i)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(after) = after {
        keyed.retain(|(k, _)| k.as_str() > after);
    }
    let limit = limit.filter(|l| *l > 0).unwrap_or(usize::MAX);
    let remaining = keyed.len().saturating_sub(limit);
    keyed.truncate(limit);
    let last = keyed.last().map(|(k, _)| k.clone());
    items.extend(keyed.into_iter().map(|(_, i)| i));
    let metadata = list
        .as_object_mut()?
        .entry("metadata")
        .or_insert_with(|| json!({}));
    if let (true, Some(last), Some(m)) = (remaining > 0, last, metadata.as_object_mut()) {
        m.insert("continue".into(), json!(last));
        m.insert("remainingItemCount".into(), json!(remaining));
    } else if let Some(m) = metadata.as_object_mut() {
        m.remove("continue");
        m.remove("remainingItemCount");
    }
    Some(())
}

/// A request for server-side printing: kubectl `get` sends
/// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io,…` and maybe `includeObject`.
pub struct TableRequest {
    /// `None`, `Metadata` (the default) or `Object`: what each row carries besides its cells.
    include_object: String,
}

impl TableRequest {
    fn from_request<B>(req: &Request<B>, query: &str) -> Option<TableRequest> {
        let accept = req.headers().get(header::ACCEPT)?.to_str().ok()?;
        // Only the first choice counts: a client listing Table after plain JSON prefers JSON.
        let first = accept.split(',').next()?;
        if !first.split(';').any(|p| p.trim() == "as=Table") {
            return None;
        }
        Some(TableRequest {
            include_object: query_param(query, "includeObject")
                .unwrap_or_else(|| "Metadata".to_string()),
        })
    }
}

/// (name, type, priority) of each column, as kube-apiserver's printers define them for the kind.
fn table_columns(kind: &str) -> &'static [(&'static str, &'static str, u8)] {
    match kind {
        "Pod" => &[
            ("Name", "string", 0),
            ("Ready", "string", 0),
            ("Status", "string", 0),
            ("Restarts", "string", 0),
            ("Age", "string", 0),
            ("IP", "string", 1),
            ("Node", "string", 1),
            ("Nominated Node", "string", 1),
            ("Readiness Gates", "string", 1),
        ],
        "Event" => &[
            ("Last Seen", "string", 0),
            ("Type", "string", 0),
            ("Reason", "string", 0),
            ("Object", "string", 0),
            ("Subobject", "string", 1),
            ("Source", "string", 1),
            ("Message", "string", 0),
            ("First Seen", "string", 1),
            ("Count", "integer", 1),
            ("Name", "string", 1),
        ],
        "Deployment" => &[
            ("Name", "string", 0),
            ("Ready", "string", 0),
            ("Up-to-date", "integer", 0),
            ("Available", "integer", 0),
            ("Age", "string", 0),
            ("Containers", "string", 1),
            ("Images", "string", 1),
            ("Selector", "string", 1),
        ],
        "StatefulSet" => &[
            ("Name", "string", 0),
            ("Ready", "string", 0),
            ("Age", "string", 0),
            ("Containers", "string", 1),
            ("Images", "string", 1),
        ],
        "ReplicaSet" => &[
            ("Name", "string", 0),
            ("Desired", "integer", 0),
            ("Current", "integer", 0),
            ("Ready", "integer", 0),
            ("Age", "string", 0),
            ("Containers", "string", 1),
            ("Images", "string", 1),
            ("Selector", "string", 1),
        ],
        "Service" => &[
            ("Name", "string", 0),
            ("Type", "string", 0),
            ("Cluster-IP", "string", 0),
            ("External-IP", "string", 0),
            ("Port(s)", "string", 0),
            ("Age", "string", 0),
            ("Selector", "string", 1),
        ],
        "Endpoints" => &[
            ("Name", "string", 0),
            ("Endpoints", "string", 0),
            ("Age", "string", 0),
        ],
        "Ingress" => &[
            ("Name", "string", 0),
            ("Class", "string", 0),
            ("Hosts", "string", 0),
            ("Address", "string", 0),
            ("Ports", "string", 0),
            ("Age", "string", 0),
        ],
        "NetworkPolicy" => &[
            ("Name", "string", 0),
            ("Pod-Selector", "string", 0),
            ("Age", "string", 0),
        ],
        "ConfigMap" => &[
            ("Name", "string", 0),
            ("Data", "integer", 0),
            ("Age", "string", 0),
        ],
        "Secret" => &[
            ("Name", "string", 0),
            ("Type", "string", 0),
            ("Data", "integer", 0),
            ("Age", "string", 0),
        ],
        "Node" => &[
            ("Name", "string", 0),
            ("Status", "string", 0),
            ("Roles", "string", 0),
            ("Age", "string", 0),
            ("Version", "string", 0),
            ("Internal-IP", "string", 1),
            ("External-IP", "string", 1),
            ("OS-Image", "string", 1),
            ("Kernel-Version", "string", 1),
            ("Container-Runtime", "string", 1),
        ],
        "Namespace" => &[
            ("Name", "string", 0),
            ("Status", "string", 0),
            ("Age", "string", 0),
        ],
        // kube-apiserver's default for kinds without a printer.
        _ => &[("Name", "string", 0), ("Created At", "date", 0)],
    }
}

/// A list (or one object) as a `meta.k8s.io/v1` Table; anything else (a Status) is left as is.
fn as_table(body: &Value, request: &TableRequest, now: jiff::Timestamp) -> Value {
    let list_kind = body.get("kind").and_then(Value::as_str).unwrap_or("");
    let (items, kind): (Vec<&Value>, String) = match body.get("items").and_then(Value::as_array) {
        Some(items) => {
            let kind = items
                .first()
                .and_then(|i| i.get("kind"))
                .and_then(Value::as_str)
                .or_else(|| list_kind.strip_suffix("List"))
                .unwrap_or("")
                .to_string();
            (items.iter().collect(), kind)
        }
        None if list_kind.is_empty() || list_kind == "Status" => return body.clone(),
        None => (vec![body], list_kind.to_string()),
    };
    let columns: Vec<Value> = table_columns(&kind)
        .iter()
        .map(|(name, type_, priority)| {
            let format = if *name == "Name" { "name" } else { "" };
            json!({"name": name, "type": type_, "format": format, "description": "",
                   "priority": priority})
        })
        .collect();
    let rows: Vec<Value> = items
        .iter()
        .map(|item| {
            let mut row = json!({"cells": table_cells(&kind, item, now)});
            match request.include_object.as_str() {
                "None" => {}
                "Object" => row["object"] = (*item).clone(),
                _ => {
                    row["object"] = json!({"kind": "PartialObjectMetadata",
                                           "apiVersion": "meta.k8s.io/v1",
                                           "metadata": item.get("metadata").cloned().unwrap_or(json!({}))})
                }
            }
            row
        })
        .collect();
    let mut metadata = json!({});
    for key in ["resourceVersion", "continue", "remainingItemCount"] {
        if let Some(v) = body
            .pointer(&format!("/metadata/{key}"))
            .filter(|_| body.get("items").is_some())
        {
            metadata[key] = v.clone();
        }
    }
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
           "columnDefinitions": columns, "rows": rows})
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn int(v: &Value, pointer: &str) -> i64 {
    v.pointer(pointer).and_then(Value::as_i64).unwrap_or(0)
}

fn or_none(s: String) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    }
}

fn array<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// `k=v,k2=v2` from a map of labels (metav1.FormatLabelSelector for matchLabels only).
fn labels_text(v: Option<&Value>) -> String {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

/// apimachinery's duration.HumanDuration: `42s`, `3m5s`, `25m`, `5h10m`, `24h`, `3d4h`, `40d`.
fn human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        return match seconds % 60 {
            0 => format!("{minutes}m"),
            s => format!("{minutes}m{s}s"),
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        return match minutes % 60 {
            0 => format!("{hours}h"),
            m => format!("{hours}h{m}m"),
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        return match hours % 24 {
            0 => format!("{days}d"),
            h => format!("{days}d{h}h"),
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    if hours < 24 * 365 * 8 {
        return match days % 365 {
            0 => format!("{}y", days / 365),
            d => format!("{}y{d}d", days / 365),
        };
    }
    format!("{}y", days / 365)
}

/// Time since an RFC 3339 timestamp, `<unknown>` when it is empty or unreadable.
fn since(timestamp: &str, now: jiff::Timestamp) -> String {
    match timestamp.parse::<jiff::Timestamp>() {
        Ok(t) => human_duration(now.as_second() - t.as_second()),
        Err(_) => "<unknown>".to_string(),
    }
}

/// The cells of one row, as kube-apiserver's printers (pkg/printers/internalversion) fill them.
fn table_cells(kind: &str, o: &Value, now: jiff::Timestamp) -> Vec<Value> {
    let name = text(o, "/metadata/name");
    let age = since(text(o, "/metadata/creationTimestamp"), now);
    let containers = |spec: &str| {
        let list = array(o, spec);
        let names = list
            .iter()
            .map(|c| text(c, "/name"))
            .collect::<Vec<_>>()
            .join(",");
        let images = list
            .iter()
            .map(|c| text(c, "/image"))
            .collect::<Vec<_>>()
            .join(",");
        (names, images)
    };
    match kind {
        "Pod" => {
            let statuses = array(o, "/status/containerStatuses");
            let total = array(o, "/spec/containers").len();
            let mut reason = text(o, "/status/phase").to_string();
            if !text(o, "/status/reason").is_empty() {
                reason = text(o, "/status/reason").to_string();
            }
            let (mut ready, mut restarts, mut has_running) = (0, 0, false);
            let mut last_restart: Option<jiff::Timestamp> = None;
            for c in statuses.iter().rev() {
                restarts += int(c, "/restartCount");
                if let Ok(t) =
                    text(c, "/lastState/terminated/finishedAt").parse::<jiff::Timestamp>()
                {
                    last_restart = Some(last_restart.map_or(t, |l| l.max(t)));
                }
                let waiting = text(c, "/state/waiting/reason");
                let terminated = c.pointer("/state/terminated");
                if !waiting.is_empty() {
                    reason = waiting.to_string();
                } else if let Some(t) = terminated {
                    reason = match (text(t, "/reason"), int(t, "/signal")) {
                        ("", 0) => format!("ExitCode:{}", int(t, "/exitCode")),
                        ("", signal) => format!("Signal:{signal}"),
                        (r, _) => r.to_string(),
                    };
                } else if c.get("ready") == Some(&json!(true))
                    && c.pointer("/state/running").is_some()
                {
                    has_running = true;
                    ready += 1;
                }
            }
            if reason == "Completed" && has_running {
                let pod_ready = array(o, "/status/conditions")
                    .iter()
                    .any(|c| text(c, "/type") == "Ready" && text(c, "/status") == "True");
                reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
            }
            if o.pointer("/metadata/deletionTimestamp").is_some() {
                reason = "Terminating".to_string();
            }
            let restarts_text = match last_restart {
                Some(t) if restarts != 0 => format!(
                    "{restarts} ({} ago)",
                    human_duration(now.as_second() - t.as_second())
                ),
                _ => restarts.to_string(),
            };
            vec![
                json!(name),
                json!(format!("{ready}/{total}")),
                json!(reason),
                json!(restarts_text),
                json!(age),
                json!(or_none(text(o, "/status/podIP").to_string())),
                json!(or_none(text(o, "/spec/nodeName").to_string())),
                json!(or_none(text(o, "/status/nominatedNodeName").to_string())),
                json!("<none>"),
            ]
        }
        "Event" => {
            let mut first = since(text(o, "/firstTimestamp"), now);
            if text(o, "/firstTimestamp").is_empty() {
                first = since(text(o, "/eventTime"), now);
            }
            let last = if text(o, "/lastTimestamp").is_empty() {
                first.clone()
            } else {
                since(text(o, "/lastTimestamp"), now)
            };
            let (last, count) = match o.get("series").filter(|s| !s.is_null()) {
                Some(series) => (
                    since(text(series, "/lastObservedTime"), now),
                    int(series, "/count"),
                ),
                None => (last, int(o, "/count").max(1)),
            };
            let involved_kind = text(o, "/involvedObject/kind").to_lowercase();
            let target = match text(o, "/involvedObject/name") {
                "" => involved_kind,
                n => format!("{involved_kind}/{n}"),
            };
            let source = if !text(o, "/source/component").is_empty() {
                let host = text(o, "/source/host");
                let component = text(o, "/source/component");
                if host.is_empty() {
                    component.to_string()
                } else {
                    format!("{component}, {host}")
                }
            } else {
                let controller = text(o, "/reportingController");
                let instance = text(o, "/reportingInstance");
                if instance.is_empty() {
                    controller.to_string()
                } else {
                    format!("{controller}, {instance}")
                }
            };
            vec![
                json!(last),
                json!(text(o, "/type")),
                json!(text(o, "/reason")),
                json!(target),
                json!(text(o, "/involvedObject/fieldPath")),
                json!(source),
                json!(text(o, "/message").trim()),
                json!(first),
                json!(count),
                json!(name),
            ]
        }
        "Deployment" => {
            let (names, images) = containers("/spec/template/spec/containers");
            vec![
                json!(name),
                json!(format!(
                    "{}/{}",
                    int(o, "/status/readyReplicas"),
                    int(o, "/spec/replicas")
                )),
                json!(int(o, "/status/updatedReplicas")),
                json!(int(o, "/status/availableReplicas")),
                json!(age),
                json!(names),
                json!(images),
                json!(or_none(labels_text(
                    o.pointer("/spec/selector/matchLabels")
                ))),
            ]
        }
        "StatefulSet" => {
            let (names, images) = containers("/spec/template/spec/containers");
            vec![
                json!(name),
                json!(format!(
                    "{}/{}",
                    int(o, "/status/readyReplicas"),
                    int(o, "/spec/replicas")
                )),
                json!(age),
                json!(names),
                json!(images),
            ]
        }
        "ReplicaSet" => {
            let (names, images) = containers("/spec/template/spec/containers");
            vec![
                json!(name),
                json!(int(o, "/spec/replicas")),
                json!(int(o, "/status/replicas")),
                json!(int(o, "/status/readyReplicas")),
                json!(age),
                json!(names),
                json!(images),
                json!(or_none(labels_text(
                    o.pointer("/spec/selector/matchLabels")
                ))),
            ]
        }
        "Service" => {
            let type_ = match text(o, "/spec/type") {
                "" => "ClusterIP",
                t => t,
            };
            let external: Vec<&str> = array(o, "/status/loadBalancer/ingress")
                .iter()
                .map(|i| {
                    if text(i, "/ip").is_empty() {
                        text(i, "/hostname")
                    } else {
                        text(i, "/ip")
                    }
                })
                .chain(
                    array(o, "/spec/externalIPs")
                        .iter()
                        .filter_map(Value::as_str),
                )
                .collect();
            let external = match (external.is_empty(), type_) {
                (false, _) => external.join(","),
                (true, "LoadBalancer") => "<pending>".to_string(),
                (true, _) => "<none>".to_string(),
            };
            let ports: Vec<String> = array(o, "/spec/ports")
                .iter()
                .map(|p| {
                    let protocol = match text(p, "/protocol") {
                        "" => "TCP",
                        x => x,
                    };
                    match int(p, "/nodePort") {
                        0 => format!("{}/{protocol}", int(p, "/port")),
                        n => format!("{}:{n}/{protocol}", int(p, "/port")),
                    }
                })
                .collect();
            vec![
                json!(name),
                json!(type_),
                json!(or_none(text(o, "/spec/clusterIP").to_string())),
                json!(external),
                json!(or_none(ports.join(","))),
                json!(age),
                json!(or_none(labels_text(o.pointer("/spec/selector")))),
            ]
        }
        "Endpoints" => {
            let mut addresses = Vec::new();
            for subset in array(o, "/subsets") {
                for address in array(subset, "/addresses") {
                    for port in array(subset, "/ports") {
                        addresses.push(format!("{}:{}", text(address, "/ip"), int(port, "/port")));
                    }
                }
            }
            let shown = match addresses.len() {
                0 => "<none>".to_string(),
                n if n > 3 => format!("{} + {} more...", addresses[..3].join(","), n - 3),
                _ => addresses.join(","),
            };
            vec![json!(name), json!(shown), json!(age)]
        }
        "Ingress" => {
            let rules = array(o, "/spec/rules");
            let mut hosts: Vec<&str> = rules
                .iter()
                .map(|r| match text(r, "/host") {
                    "" => "*",
                    h => h,
                })
                .collect();
            if hosts.is_empty() {
                hosts.push("*");
            }
            let hosts = if hosts.len() > 3 {
                format!("{} + {} more...", hosts[..3].join(","), hosts.len() - 3)
            } else {
                hosts.join(",")
            };
            let address: Vec<&str> = array(o, "/status/loadBalancer/ingress")
                .iter()
                .map(|i| {
                    if text(i, "/ip").is_empty() {
                        text(i, "/hostname")
                    } else {
                        text(i, "/ip")
                    }
                })
                .collect();
            let ports = if array(o, "/spec/tls").is_empty() {
                "80"
            } else {
                "80, 443"
            };
            vec![
                json!(name),
                json!(or_none(text(o, "/spec/ingressClassName").to_string())),
                json!(hosts),
                json!(address.join(",")),
                json!(ports),
                json!(age),
            ]
        }
        "NetworkPolicy" => vec![
            json!(name),
            json!(or_none(labels_text(
                o.pointer("/spec/podSelector/matchLabels")
            ))),
            json!(age),
        ],
        "ConfigMap" => {
            let count = ["/data", "/binaryData"]
                .iter()
                .filter_map(|p| o.pointer(p).and_then(Value::as_object))
                .map(|m| m.len())
                .sum::<usize>();
            vec![json!(name), json!(count), json!(age)]
        }
        "Secret" => {
            let count = o
                .get("data")
                .and_then(Value::as_object)
                .map_or(0, |m| m.len());
            vec![
                json!(name),
                json!(text(o, "/type")),
                json!(count),
                json!(age),
            ]
        }
        "Node" => {
            let mut status: Vec<&str> = array(o, "/status/conditions")
                .iter()
                .filter(|c| text(c, "/type") == "Ready")
                .map(|c| {
                    if text(c, "/status") == "True" {
                        "Ready"
                    } else {
                        "NotReady"
                    }
                })
                .collect();
            if status.is_empty() {
                status.push("Unknown");
            }
            if o.pointer("/spec/unschedulable") == Some(&json!(true)) {
                status.push("SchedulingDisabled");
            }
            let mut roles: Vec<&str> = o
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .map(|m| {
                    m.keys()
                        .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                        .collect()
                })
                .unwrap_or_default();
            roles.sort_unstable();
            let address = |kind: &str| {
                array(o, "/status/addresses")
                    .iter()
                    .find(|a| text(a, "/type") == kind)
                    .map(|a| text(a, "/address").to_string())
                    .unwrap_or_default()
            };
            vec![
                json!(name),
                json!(status.join(",")),
                json!(or_none(roles.join(","))),
                json!(age),
                json!(text(o, "/status/nodeInfo/kubeletVersion")),
                json!(or_none(address("InternalIP"))),
                json!(or_none(address("ExternalIP"))),
                json!(or_none(text(o, "/status/nodeInfo/osImage").to_string())),
                json!(or_none(
                    text(o, "/status/nodeInfo/kernelVersion").to_string()
                )),
                json!(or_none(
                    text(o, "/status/nodeInfo/containerRuntimeVersion").to_string()
                )),
            ]
        }
        "Namespace" => vec![json!(name), json!(text(o, "/status/phase")), json!(age)],
        _ => vec![json!(name), json!(text(o, "/metadata/creationTimestamp"))],
    }
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

/// The object as is, or as a Table when the client asked for one.
fn object_reply(body: Value, table: Option<&TableRequest>) -> Reply {
    match table {
        Some(t) => json_reply(StatusCode::OK, &as_table(&body, t, jiff::Timestamp::now())),
        None => json_reply(StatusCode::OK, &body),
    }
}

fn list_namespaces(state: &State, table: Option<&TableRequest>) -> Reply {
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

fn get_namespace(state: &State, name: &str, table: Option<&TableRequest>) -> Reply {
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

/// (name, kind, namespaced, verbs, subresource-of) for each resource served.
/// A served resource: (plural name, kind, namespaced).
type ResourceInfo = (&'static str, &'static str, bool);

const CORE_RESOURCES: &[ResourceInfo] = &[
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

const GROUPS: &[(&str, &str, &[ResourceInfo])] = &[
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
            let mut resource = json!({"name": name, "singularName": "", "namespaced": namespaced,
                                      "kind": kind, "verbs": verbs});
            // kubectl resolves `svc`, `deploy`, `cm`, … and `get all` from discovery alone.
            if let Some(short) = short_names(group_version, name) {
                resource["shortNames"] = json!(short);
            }
            if matches!(
                (group_version, *name),
                ("v1", "pods" | "services")
                    | ("apps/v1", "deployments" | "statefulsets" | "replicasets")
            ) {
                resource["categories"] = json!(["all"]);
            }
            resource
        })
        .collect();
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
           "resources": resources})
}

/// The short names kube-apiserver advertises for the resources served.
fn short_names(group_version: &str, resource: &str) -> Option<&'static [&'static str]> {
    Some(match (group_version, resource) {
        ("v1", "pods") => &["po"],
        ("v1", "services") => &["svc"],
        ("v1", "endpoints") => &["ep"],
        ("v1", "events") | ("events.k8s.io/v1", "events") => &["ev"],
        ("v1", "configmaps") => &["cm"],
        ("v1", "nodes") => &["no"],
        ("v1", "namespaces") => &["ns"],
        ("apps/v1", "deployments") => &["deploy"],
        ("apps/v1", "statefulsets") => &["sts"],
        ("apps/v1", "replicasets") => &["rs"],
        ("networking.k8s.io/v1", "ingresses") => &["ing"],
        ("networking.k8s.io/v1", "networkpolicies") => &["netpol"],
        _ => return None,
    })
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

    fn table_request(include: &str) -> TableRequest {
        TableRequest {
            include_object: include.to_string(),
        }
    }

    #[test]
    fn table_request_needs_as_table_first() {
        let req = |accept: &str| {
            Request::builder()
                .header(header::ACCEPT, accept)
                .body(())
                .unwrap()
        };
        let kubectl = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        let t = TableRequest::from_request(&req(kubectl), "includeObject=Object").unwrap();
        assert_eq!(t.include_object, "Object");
        assert!(TableRequest::from_request(&req("application/json"), "").is_none());
        assert!(TableRequest::from_request(
            &req("application/json, application/json;as=Table;v=v1;g=meta.k8s.io"),
            ""
        )
        .is_none());
    }

    #[test]
    fn human_duration_matches_apimachinery() {
        let cases = [
            (5, "5s"),
            (119, "119s"),
            (185, "3m5s"),
            (600, "10m"),
            (179 * 60, "179m"),
            (3 * 3600 + 600, "3h10m"),
            (8 * 3600, "8h"),
            (86_400, "24h"),
            (3 * 86_400 + 3600 * 4, "3d4h"),
            (40 * 86_400, "40d"),
            (-5, "<invalid>"),
        ];
        for (seconds, want) in cases {
            assert_eq!(human_duration(seconds), want, "{seconds}s");
        }
    }

    #[test]
    fn pod_table_shows_crash_loop_and_restarts() {
        let now: jiff::Timestamp = "2026-01-02T00:00:00Z".parse().unwrap();
        let list = json!({"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "9"}, "items": [{
            "kind": "Pod", "apiVersion": "v1",
            "metadata": {"name": "backend-x", "namespace": "ns", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"nodeName": "node-1", "containers": [{"name": "backend"}]},
            "status": {"phase": "Running", "podIP": "10.1.0.10", "containerStatuses": [{
                "name": "backend", "ready": false, "restartCount": 12,
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {"terminated": {"reason": "Error", "finishedAt": "2026-01-01T23:59:00Z"}}}]}}]});
        let table = as_table(&list, &table_request("Metadata"), now);
        assert_eq!(table["kind"], "Table");
        assert_eq!(table["metadata"]["resourceVersion"], "9");
        assert_eq!(table["columnDefinitions"][2]["name"], "Status");
        assert_eq!(
            table["rows"][0]["cells"],
            json!([
                "backend-x",
                "0/1",
                "CrashLoopBackOff",
                "12 (60s ago)",
                "24h",
                "10.1.0.10",
                "node-1",
                "<none>",
                "<none>"
            ])
        );
        assert_eq!(table["rows"][0]["object"]["kind"], "PartialObjectMetadata");
        assert_eq!(table["rows"][0]["object"]["metadata"]["name"], "backend-x");
    }

    #[test]
    fn event_table_falls_back_to_event_time_and_carries_the_object() {
        let now: jiff::Timestamp = "2026-01-01T00:01:30Z".parse().unwrap();
        let event = json!({"kind": "Event", "apiVersion": "v1", "metadata": {"name": "e1"},
            "involvedObject": {"kind": "Pod", "name": "backend-x"}, "type": "Warning", "reason": "Unhealthy",
            "message": "probe failed ", "count": 30, "eventTime": "2026-01-01T00:00:00.000000Z",
            "reportingController": "kubelet", "reportingInstance": "node-1"});
        let table = as_table(
            &json!({"kind": "EventList", "items": [event]}),
            &table_request("Object"),
            now,
        );
        assert_eq!(
            table["rows"][0]["cells"],
            json!([
                "90s",
                "Warning",
                "Unhealthy",
                "pod/backend-x",
                "",
                "kubelet, node-1",
                "probe failed",
                "90s",
                30,
                "e1"
            ])
        );
        assert_eq!(table["rows"][0]["object"]["reason"], "Unhealthy");
    }

    #[test]
    fn status_replies_are_not_tables() {
        let status = json!({"kind": "Status", "status": "Failure", "code": 404});
        assert_eq!(
            as_table(&status, &table_request("Metadata"), jiff::Timestamp::now()),
            status
        );
    }

    #[test]
    fn discovery_advertises_short_names() {
        let core = resource_list("v1", CORE_RESOURCES);
        let svc = core["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "services")
            .unwrap();
        assert_eq!(svc["shortNames"], json!(["svc"]));
        assert_eq!(svc["categories"], json!(["all"]));
    }

    #[test]
    fn paging_walks_the_whole_list_in_key_order() {
        let items: Vec<Value> = [5, 3, 1, 4, 2]
            .iter()
            .map(|i| json!({"metadata": {"namespace": "ns", "name": format!("pod-{i}")}}))
            .collect();
        let full = json!({"kind": "PodList", "metadata": {"resourceVersion": "7"}, "items": items});
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut page = full.clone();
            page_list(&mut page, Some(2), token.as_deref()).unwrap();
            for item in page["items"].as_array().unwrap() {
                seen.push(item["metadata"]["name"].as_str().unwrap().to_string());
            }
            match page["metadata"]["continue"].as_str() {
                Some(next) => {
                    assert!(page["metadata"]["remainingItemCount"].as_u64().unwrap() > 0);
                    token = Some(next.to_string());
                }
                None => break,
            }
        }
        assert_eq!(seen, ["pod-1", "pod-2", "pod-3", "pod-4", "pod-5"]);
    }
}
