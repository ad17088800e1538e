//! The node agent: what kubelets (and the scheduler and metrics-server) do in a cluster, played
//! for a control plane that has none, through the real API server:
//! - binds each new pod to a node, then writes its status as a kubelet would — Running and
//!   Ready, or what the scenario says of that pod (CrashLoopBackOff, restarts, last exit), or
//!   held unready for a deployment whose rollouts never finish;
//! - finishes the deletion of pods on its nodes (a kubelet's final `DELETE` with grace 0), so a
//!   rollout's old pods go away;
//! - posts the Warning events the scenario's pods would cause (BackOff, Unhealthy);
//! - serves, over HTTPS on the nodes' kubelet port, `containerLogs` (the API server's
//!   `pods/NAME/log` proxies there) and the metrics.k8s.io API (an APIService points there).
//!
//! Pods are matched to the scenario by their `app` label: the first pods of an app take the
//! scenario's pods of that app, in order; any later pod (a restart, a scale-up) is healthy.

use bytes::Bytes;
use futures::StreamExt;
use http::{Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams,
    WatchEvent, WatchParams,
};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

/// What the scenario says about the pods the controllers will create.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// By `namespace/app`: the scenario's pods of that app, in order (their JSON, status included).
    pub pods: BTreeMap<String, Vec<Value>>,
    /// Logs keyed `namespace/pod/container` or `namespace/pod`, by the scenario's pod names.
    pub logs: BTreeMap<String, String>,
    /// metrics.k8s.io PodMetrics by the scenario's pod names; NodeMetrics as they are.
    pub pod_metrics: Vec<Value>,
    pub node_metrics: Vec<Value>,
    /// Events about the scenario's pods, posted when a real pod takes that pod's place.
    pub pod_events: Vec<Value>,
    /// `namespace/app` of deployments whose new pods never become ready.
    pub stuck: BTreeSet<String>,
}

/// The scenario's pod a real pod stands for, if any.
#[derive(Debug, Clone)]
struct Placement {
    scenario_pod: Option<Value>,
    ip: String,
    /// Held unready (a stuck rollout).
    held: bool,
}

#[derive(Default)]
struct State {
    script: Script,
    /// How many of each app's scenario pods have been handed out.
    handed_out: HashMap<String, usize>,
    /// By pod uid.
    placed: HashMap<String, Placement>,
    /// Real pod name by `namespace/name`, for logs and metrics.
    by_name: HashMap<String, String>,
    /// `namespace/name` of the events this agent posted for the scenario.
    posted_events: BTreeSet<String>,
    /// Scenario pods whose status (and events) have been written.
    started_scenario_pods: usize,
    /// Container names of each real pod, `namespace/name`, for its metrics.
    containers: HashMap<String, Vec<String>>,
    /// Labels of each real pod, `namespace/name`: metrics are asked for by label selector.
    labels: HashMap<String, BTreeMap<String, String>>,
    next_ip: u32,
}

/// A running agent. Dropping it stops it.
pub struct Agent {
    pub port: u16,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    state: Arc<Mutex<State>>,
}

impl Drop for Agent {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

fn pods_resource() -> ApiResource {
    ApiResource {
        group: String::new(),
        version: "v1".into(),
        api_version: "v1".into(),
        kind: "Pod".into(),
        plural: "pods".into(),
    }
}

fn ts(offset_secs: i64) -> String {
    jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(offset_secs))
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

impl Agent {
    /// Starts serving (kubelet and metrics endpoints on one HTTPS port) and managing pods, on
    /// the current tokio runtime.
    pub async fn start(client: kube::Client, script: Script) -> Result<Agent, String> {
        let state = Arc::new(Mutex::new(State {
            script,
            next_ip: 10,
            ..State::default()
        }));
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(|e| format!("node agent: bind: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("node agent: {e}"))?
            .port();
        let serving = tokio::spawn(serve(
            listener,
            state.clone(),
            super::pki::node_agent_tls()?,
        ));
        let managing = tokio::spawn(manage_pods(client, state.clone()));
        Ok(Agent {
            port,
            tasks: vec![serving, managing],
            state,
        })
    }

    /// The real pod standing for the scenario's pod `scenario_pod` in `namespace`, if any.
    pub fn real_pod(&self, namespace: &str, scenario_pod: &str) -> Option<String> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let prefix = format!("{namespace}/");
        state.by_name.iter().find_map(|(real, scenario)| {
            (scenario == scenario_pod)
                .then(|| real.strip_prefix(&prefix).map(str::to_string))
                .flatten()
        })
    }

    /// `namespace/name` of the scenario's events this agent posted.
    pub fn posted_events(&self) -> BTreeSet<String> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.posted_events.clone()
    }

    /// How many of the scenario's pods have a real pod standing for them, with its status and
    /// events written.
    pub fn started_scenario_pods(&self) -> usize {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.started_scenario_pods
    }
}

// ---------------------------------------------------------------------------------------------
// Pods
// ---------------------------------------------------------------------------------------------

/// List, then watch every pod, acting on each; a broken watch is listed again.
async fn manage_pods(client: kube::Client, state: Arc<Mutex<State>>) {
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &pods_resource());
    loop {
        let list = match api.list(&ListParams::default()).await {
            Ok(l) => l,
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                continue;
            }
        };
        let version = list.metadata.resource_version.clone().unwrap_or_default();
        for pod in list.items {
            act(&client, &state, pod).await;
        }
        let Ok(stream) = api
            .watch(&WatchParams::default().timeout(240), &version)
            .await
        else {
            continue;
        };
        let mut stream = stream.boxed();
        while let Some(event) = stream.next().await {
            match event {
                Ok(WatchEvent::Added(pod)) | Ok(WatchEvent::Modified(pod)) => {
                    act(&client, &state, pod).await
                }
                Ok(WatchEvent::Deleted(pod)) => forget(&state, &pod),
                Ok(WatchEvent::Bookmark(_)) => {}
                // Expired resource version and the like: list again.
                Ok(WatchEvent::Error(_)) | Err(_) => break,
            }
        }
    }
}

fn forget(state: &Arc<Mutex<State>>, pod: &DynamicObject) {
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(uid) = &pod.metadata.uid {
        s.placed.remove(uid);
    }
    if let (Some(ns), Some(name)) = (&pod.metadata.namespace, &pod.metadata.name) {
        s.by_name.remove(&format!("{ns}/{name}"));
        s.containers.remove(&format!("{ns}/{name}"));
        s.labels.remove(&format!("{ns}/{name}"));
    }
}

fn owner_kind(pod: &DynamicObject) -> Option<String> {
    pod.metadata
        .owner_references
        .as_ref()?
        .iter()
        .find(|o| o.controller == Some(true))
        .map(|o| o.kind.clone())
}

/// One step of a pod's life, as a kubelet (or the scheduler) would take it.
async fn act(client: &kube::Client, state: &Arc<Mutex<State>>, pod: DynamicObject) {
    // Pods the scenario wrote whole (with a node and a status) are not the agent's to manage.
    if owner_kind(&pod).is_none() {
        return;
    }
    let (Some(name), Some(namespace), Some(uid)) = (
        pod.metadata.name.clone(),
        pod.metadata.namespace.clone(),
        pod.metadata.uid.clone(),
    ) else {
        return;
    };
    let api: Api<DynamicObject> =
        Api::namespaced_with(client.clone(), &namespace, &pods_resource());
    let node = pod
        .data
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .map(str::to_string);
    if pod.metadata.deletion_timestamp.is_some() {
        if node.is_some() {
            // The kubelet's last word: the containers are gone, delete the object now.
            let params = DeleteParams {
                grace_period_seconds: Some(0),
                preconditions: Some(kube::api::Preconditions {
                    uid: Some(uid.clone()),
                    resource_version: None,
                }),
                ..DeleteParams::default()
            };
            let _ = api.delete(&name, &params).await;
        }
        forget(state, &pod);
        return;
    }
    let placement = place(state, &namespace, &name, &uid, &pod);
    let Some(node) = node else {
        let node = placement
            .scenario_pod
            .as_ref()
            .and_then(|p| p.pointer("/spec/nodeName"))
            .and_then(Value::as_str)
            .unwrap_or("node-1")
            .to_string();
        let binding = json!({"apiVersion": "v1", "kind": "Binding", "metadata": {"name": name},
                             "target": {"apiVersion": "v1", "kind": "Node", "name": node}});
        let _ = client
            .request::<Value>(
                http::Request::post(format!(
                    "/api/v1/namespaces/{namespace}/pods/{name}/binding"
                ))
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(binding.to_string().into_bytes())
                .unwrap_or_default(),
            )
            .await;
        return;
    };
    if pod.data.pointer("/status/podIP").is_some() {
        // Already started by this agent.
        return;
    }
    let status = status_for(&pod, &placement);
    let _ = api
        .patch_status(
            &name,
            &PatchParams::default(),
            &Patch::Merge(json!({"status": status})),
        )
        .await;
    if let Some(scenario) = &placement.scenario_pod {
        post_events(client, state, scenario, &namespace, &name, &uid, &node).await;
        state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .started_scenario_pods += 1;
    }
}

/// Which scenario pod `uid` stands for (decided once, on first sight).
fn place(
    state: &Arc<Mutex<State>>,
    namespace: &str,
    name: &str,
    uid: &str,
    pod: &DynamicObject,
) -> Placement {
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(p) = s.placed.get(uid) {
        return p.clone();
    }
    let app = pod
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get("app"))
        .cloned()
        .unwrap_or_default();
    let key = format!("{namespace}/{app}");
    let taken = s.handed_out.get(&key).copied().unwrap_or(0);
    let scenario_pod = s
        .script
        .pods
        .get(&key)
        .and_then(|pods| pods.get(taken))
        .cloned();
    if scenario_pod.is_some() {
        s.handed_out.insert(key.clone(), taken + 1);
    }
    let held = scenario_pod.is_none() && s.script.stuck.contains(&key);
    s.next_ip += 1;
    let ip = format!("10.1.{}.{}", s.next_ip / 250, s.next_ip % 250 + 2);
    let placement = Placement {
        scenario_pod: scenario_pod.clone(),
        ip,
        held,
    };
    s.placed.insert(uid.to_string(), placement.clone());
    let scenario_name = scenario_pod
        .as_ref()
        .and_then(|p| p.pointer("/metadata/name"))
        .and_then(Value::as_str)
        .unwrap_or(name)
        .to_string();
    s.by_name
        .insert(format!("{namespace}/{name}"), scenario_name);
    let containers = pod
        .data
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    s.containers
        .insert(format!("{namespace}/{name}"), containers);
    let labels = pod.metadata.labels.clone().unwrap_or_default();
    s.labels.insert(format!("{namespace}/{name}"), labels);
    placement
}

/// The status a kubelet would write: the scenario pod's, or Running and Ready, or held.
fn status_for(pod: &DynamicObject, placement: &Placement) -> Value {
    let started = ts(-3600);
    if let Some(scenario) = &placement.scenario_pod {
        let mut status = scenario.get("status").cloned().unwrap_or_else(|| json!({}));
        status["podIP"] = json!(placement.ip);
        status["podIPs"] = json!([{"ip": placement.ip}]);
        status["hostIP"] = json!("127.0.0.1");
        if status.get("startTime").is_none() {
            status["startTime"] = json!(started);
        }
        return status;
    }
    let containers: Vec<Value> = pod
        .data
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let now = ts(0);
    let statuses: Vec<Value> = containers
        .iter()
        .map(|c| {
            let state = if placement.held {
                json!({"waiting": {"reason": "ContainerCreating"}})
            } else {
                json!({"running": {"startedAt": now}})
            };
            json!({"name": c["name"], "image": c["image"], "imageID": "", "ready": !placement.held,
                   "started": !placement.held, "restartCount": 0, "state": state})
        })
        .collect();
    let ready = if placement.held { "False" } else { "True" };
    json!({
        "phase": if placement.held { "Pending" } else { "Running" },
        "hostIP": "127.0.0.1", "podIP": placement.ip, "podIPs": [{"ip": placement.ip}],
        "startTime": now,
        "conditions": [
            {"type": "PodScheduled", "status": "True", "lastTransitionTime": now},
            {"type": "Initialized", "status": "True", "lastTransitionTime": now},
            {"type": "ContainersReady", "status": ready, "lastTransitionTime": now},
            {"type": "Ready", "status": ready, "lastTransitionTime": now},
        ],
        "containerStatuses": statuses,
    })
}

/// The scenario's events about the pod this one stands for, about this one.
async fn post_events(
    client: &kube::Client,
    state: &Arc<Mutex<State>>,
    scenario: &Value,
    namespace: &str,
    name: &str,
    uid: &str,
    node: &str,
) {
    let scenario_name = scenario
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let events: Vec<Value> = {
        let s = state.lock().unwrap_or_else(|e| e.into_inner());
        s.script
            .pod_events
            .iter()
            .filter(|e| {
                e.pointer("/involvedObject/name").and_then(Value::as_str) == Some(scenario_name)
            })
            .cloned()
            .collect()
    };
    let api: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        namespace,
        &ApiResource {
            group: String::new(),
            version: "v1".into(),
            api_version: "v1".into(),
            kind: "Event".into(),
            plural: "events".into(),
        },
    );
    for (i, mut event) in events.into_iter().enumerate() {
        let reason = event["reason"]
            .as_str()
            .unwrap_or("event")
            .to_ascii_lowercase();
        event["metadata"] = json!({"name": format!("{name}.{reason}.{i}"), "namespace": namespace});
        event["involvedObject"]["name"] = json!(name);
        event["involvedObject"]["uid"] = json!(uid);
        event["involvedObject"]["namespace"] = json!(namespace);
        if let Some(message) = event["message"].as_str() {
            event["message"] = json!(message.replace(scenario_name, name));
        }
        event["source"] = json!({"component": "kubelet", "host": node});
        if let Ok(obj) = serde_json::from_value::<DynamicObject>(event) {
            if api.create(&PostParams::default(), &obj).await.is_ok() {
                let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                s.posted_events.insert(format!(
                    "{namespace}/{}",
                    obj.metadata.name.unwrap_or_default()
                ));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The kubelet's logs and the metrics API
// ---------------------------------------------------------------------------------------------

async fn serve(
    listener: TcpListener,
    state: Arc<Mutex<State>>,
    acceptor: tokio_rustls::TlsAcceptor,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = state.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(stream).await else {
                return;
            };
            let service = hyper::service::service_fn(move |req| {
                let state = state.clone();
                async move { Ok::<_, std::convert::Infallible>(answer(&state, &req)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}

fn reply(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, content_type)
        .body(Full::new(body.into()))
        .unwrap_or_default()
}

fn query_param(query: &str, key: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn answer(state: &Arc<Mutex<State>>, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    let path = req.uri().path().trim_end_matches('/').to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let s = state.lock().unwrap_or_else(|e| e.into_inner());
    let json = |v: Value| reply(StatusCode::OK, "application/json", v.to_string());
    match parts.as_slice() {
        ["containerLogs", ns, pod, container] => {
            let scenario = s
                .by_name
                .get(&format!("{ns}/{pod}"))
                .cloned()
                .unwrap_or_default();
            let text = s
                .script
                .logs
                .get(&format!("{ns}/{scenario}/{container}"))
                .or_else(|| s.script.logs.get(&format!("{ns}/{scenario}")))
                .cloned()
                .unwrap_or_else(|| format!("{} INFO {container} started in pod {pod}", ts(-60)));
            let tail = query_param(&query, "tailLines").and_then(|n| n.parse::<usize>().ok());
            let lines: Vec<&str> = text.lines().collect();
            let start = tail.map(|n| lines.len().saturating_sub(n)).unwrap_or(0);
            let mut body = lines[start..].join("\n");
            body.push('\n');
            // As the kubelet: never more than limitBytes, even mid-line.
            let mut body = body.into_bytes();
            if let Some(limit) = query_param(&query, "limitBytes").and_then(|n| n.parse().ok()) {
                body.truncate(limit);
            }
            reply(StatusCode::OK, "text/plain", body)
        }
        ["apis", "metrics.k8s.io", "v1beta1"] => json(json!({
        "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "metrics.k8s.io/v1beta1",
        "resources": [
            {"name": "nodes", "singularName": "", "namespaced": false, "kind": "NodeMetrics", "verbs": ["get", "list"]},
            {"name": "pods", "singularName": "", "namespaced": true, "kind": "PodMetrics", "verbs": ["get", "list"]}
        ]})),
        ["apis", "metrics.k8s.io", "v1beta1", "nodes"] => json(json!({
            "kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {},
            "items": s.script.node_metrics})),
        ["apis", "metrics.k8s.io", "v1beta1", "nodes", node] => {
            match s
                .script
                .node_metrics
                .iter()
                .find(|m| m.pointer("/metadata/name").and_then(Value::as_str) == Some(node))
            {
                Some(m) => json(m.clone()),
                None => not_found(&format!("nodemetrics {node}")),
            }
        }
        ["apis", "metrics.k8s.io", "v1beta1", "namespaces", ns, "pods"] => {
            // As metrics-server: only the pods the label selector selects.
            let selector = query_param(&query, "labelSelector").unwrap_or_default();
            let no_labels = BTreeMap::new();
            let items = pod_metrics(&s, ns, |name| {
                let labels = s.labels.get(&format!("{ns}/{name}"));
                selects(&selector, labels.unwrap_or(&no_labels))
            });
            json(
                json!({"kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {}, "items": items}),
            )
        }
        ["apis", "metrics.k8s.io", "v1beta1", "namespaces", ns, "pods", pod] => {
            match pod_metrics(&s, ns, |name| name == *pod).into_iter().next() {
                Some(m) => json(m),
                None => not_found(&format!("podmetrics {pod}")),
            }
        }
        _ => not_found(&path),
    }
}

fn not_found(what: &str) -> Response<Full<Bytes>> {
    reply(
        StatusCode::NOT_FOUND,
        "application/json",
        json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound",
               "code": 404, "message": format!("{what} not found")})
        .to_string(),
    )
}

/// Whether an equality-based label selector (`app=backend,tier!=db`, `canary`, `!canary`;
/// empty: everything) selects `labels`.
fn selects(selector: &str, labels: &BTreeMap<String, String>) -> bool {
    selector
        .split(',')
        .map(str::trim)
        .filter(|term| !term.is_empty())
        .all(|term| {
            if let Some((k, v)) = term.split_once("!=") {
                labels.get(k.trim()).map(String::as_str) != Some(v.trim())
            } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
                labels.get(k.trim()).map(String::as_str) == Some(v.trim())
            } else if let Some(k) = term.strip_prefix('!') {
                !labels.contains_key(k.trim())
            } else {
                labels.contains_key(term)
            }
        })
}

/// PodMetrics of the real pods of `ns` whose name `selected` takes, by name: the scenario's
/// figures for pods that stand for its pods, a small usage for the rest. Only the selected
/// pods are built, as metrics-server answers from its cache: this agent shares the machine
/// with the tool a benchmark measures, and should cost it no more than its part.
fn pod_metrics(s: &State, ns: &str, selected: impl Fn(&str) -> bool) -> Vec<Value> {
    let prefix = format!("{ns}/");
    let at = ts(-15);
    let mut chosen: Vec<(&str, &String)> = s
        .by_name
        .iter()
        .filter_map(|(real, scenario)| Some((real.strip_prefix(&prefix)?, scenario)))
        .filter(|(real, _)| selected(real))
        .collect();
    chosen.sort_unstable_by_key(|(real, _)| *real);
    chosen
        .into_iter()
        .map(|(real, scenario)| {
            let found = s.script.pod_metrics.iter().find(|m| {
                m.pointer("/metadata/name").and_then(Value::as_str) == Some(scenario.as_str())
            });
            match found {
                Some(m) => {
                    let mut m = m.clone();
                    m["metadata"]["name"] = json!(real);
                    m["metadata"]["namespace"] = json!(ns);
                    m
                }
                None => json!({"apiVersion": "metrics.k8s.io/v1beta1", "kind": "PodMetrics",
                    "metadata": {"name": real, "namespace": ns}, "timestamp": at, "window": "15s",
                    "containers": s.containers.get(&format!("{ns}/{real}")).map(|names| names.iter()
                        .map(|c| json!({"name": c, "usage": {"cpu": "10m", "memory": "32Mi"}}))
                        .collect::<Vec<_>>()).unwrap_or_default()}),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_metrics_are_selected_by_label_as_metrics_server_does() {
        let labels: BTreeMap<String, String> = [("app", "backend"), ("tier", "api")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
        for (selector, selected) in [
            ("", true),
            ("app=backend", true),
            ("app==backend,tier=api", true),
            ("app=frontend", false),
            ("app=backend,tier!=api", false),
            ("tier!=db", true),
            ("canary", false),
            ("!canary", true),
        ] {
            assert_eq!(selects(selector, &labels), selected, "{selector}");
        }
    }
}
