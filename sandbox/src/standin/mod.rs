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
//!
//! Here: the server, its state and the routing of requests. The store's answers are reworked in
//! `store` (field selectors, paging, dry runs, failed JSON patches), patches applied in
//! `patch`, what the store lacks served by `own_resources` and `discovery`, and Tables
//! printed by `table`.

mod discovery;
mod own_resources;
mod patch;
mod store;
mod table;

pub use patch::apply_patch;
pub use table::TableRequest;

use discovery::discovery;
use own_resources::{access_review, get_namespace, list_namespaces, metrics_reply, pod_log, scale};
use store::forward;

use crate::scenario::Fixture;
use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

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

/// The string at `pointer`, empty when absent (the printers and the paging read fields so).
fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}
