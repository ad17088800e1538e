//! Writes a scenario into a real control plane through its API, as the objects would come to be
//! in a cluster: workloads, services, policies and configuration are created (their statuses
//! are the controllers' to write), ingress and node statuses are written through `…/status` as
//! their controllers would, and the pods the scenario describes for each workload become the
//! node agent's script: the controllers create the pods, the agent gives them those statuses.

use super::agent::{Agent, Script};
use crate::scenario::Fixture;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

/// How long a seeded world may take to settle (pods placed, rollouts observed).
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Requests in flight while seeding.
const SEED_CONCURRENCY: usize = 16;

/// The API path of `kind`'s collection in `namespace` (None for cluster-scoped kinds).
fn collection(api_version: &str, kind: &str, namespace: Option<&str>) -> Result<String, String> {
    let plural = match kind {
        "Pod" => "pods",
        "Deployment" => "deployments",
        "StatefulSet" => "statefulsets",
        "ReplicaSet" => "replicasets",
        "Service" => "services",
        "Endpoints" => "endpoints",
        "Ingress" => "ingresses",
        "ConfigMap" => "configmaps",
        "Secret" => "secrets",
        "NetworkPolicy" => "networkpolicies",
        "Event" => "events",
        "Node" => "nodes",
        "Namespace" => "namespaces",
        "APIService" => "apiservices",
        "Role" => "roles",
        "ClusterRole" => "clusterroles",
        "RoleBinding" => "rolebindings",
        "ClusterRoleBinding" => "clusterrolebindings",
        "ServiceAccount" => "serviceaccounts",
        other => return Err(format!("the seeder does not know the kind {other}")),
    };
    let base = if api_version.contains('/') {
        format!("/apis/{api_version}")
    } else {
        format!("/api/{api_version}")
    };
    Ok(match namespace {
        Some(ns) => format!("{base}/namespaces/{ns}/{plural}"),
        None => format!("{base}/{plural}"),
    })
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// POSTs an object (its status dropped: the server ignores it on create); an existing object
/// is left as it is. Returns the collection path.
pub async fn create(client: &kube::Client, object: &Value) -> Result<String, String> {
    let kind = str_at(object, "/kind");
    let ns = object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str);
    let path = collection(str_at(object, "/apiVersion"), kind, ns)?;
    let mut body = object.clone();
    if let Some(map) = body.as_object_mut() {
        map.remove("status");
    }
    if let Some(meta) = body["metadata"].as_object_mut() {
        for key in ["uid", "resourceVersion", "generation", "creationTimestamp"] {
            meta.remove(key);
        }
    }
    let request = http::Request::post(&path)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(body.to_string().into_bytes())
        .map_err(|e| e.to_string())?;
    match client.request::<Value>(request).await {
        Ok(_) => Ok(path),
        Err(kube::Error::Api(s)) if s.code == 409 => Ok(path),
        Err(e) => Err(format!(
            "creating {kind} {}: {e}",
            str_at(object, "/metadata/name")
        )),
    }
}

/// Writes `status` through the object's status subresource (a merge patch).
pub async fn write_status(
    client: &kube::Client,
    object: &Value,
    status: &Value,
) -> Result<(), String> {
    let kind = str_at(object, "/kind");
    let ns = object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str);
    let name = str_at(object, "/metadata/name");
    let path = format!(
        "{}/{name}/status",
        collection(str_at(object, "/apiVersion"), kind, ns)?
    );
    let request = http::Request::patch(&path)
        .header(http::header::CONTENT_TYPE, "application/merge-patch+json")
        .body(json!({ "status": status }).to_string().into_bytes())
        .map_err(|e| e.to_string())?;
    client
        .request::<Value>(request)
        .await
        .map(|_| ())
        .map_err(|e| format!("writing the status of {kind} {name}: {e}"))
}

/// Splits a scenario into what is created through the API and what the node agent plays.
pub fn script(fixture: &Fixture) -> (Vec<Value>, Script) {
    let workloads: BTreeSet<String> = fixture
        .objects
        .iter()
        .filter(|o| matches!(str_at(o, "/kind"), "Deployment" | "StatefulSet"))
        .map(|o| {
            format!(
                "{}/{}",
                str_at(o, "/metadata/namespace"),
                str_at(o, "/spec/selector/matchLabels/app")
            )
        })
        .collect();
    let mut script = Script {
        logs: fixture.logs.clone(),
        pod_metrics: fixture.pod_metrics.clone(),
        node_metrics: fixture.node_metrics.clone(),
        ..Script::default()
    };
    let mut played_pods = BTreeSet::new();
    let mut objects = Vec::new();
    for o in &fixture.objects {
        let key = format!(
            "{}/{}",
            str_at(o, "/metadata/namespace"),
            str_at(o, "/metadata/labels/app")
        );
        match str_at(o, "/kind") {
            "Pod" if workloads.contains(&key) => {
                played_pods.insert(str_at(o, "/metadata/name").to_string());
                script.pods.entry(key).or_default().push(o.clone());
            }
            // The endpoints controller writes these from the pods.
            "Endpoints" => {}
            "Deployment" => {
                if o.pointer(&format!(
                    "/metadata/annotations/{}",
                    crate::rollout::STUCK_ANNOTATION.replace('/', "~1")
                ))
                .is_some()
                {
                    script.stuck.insert(format!(
                        "{}/{}",
                        str_at(o, "/metadata/namespace"),
                        str_at(o, "/spec/selector/matchLabels/app")
                    ));
                }
                objects.push(o.clone());
            }
            _ => objects.push(o.clone()),
        }
    }
    // Events about pods the controllers will create are the agent's to post.
    let (pod_events, rest): (Vec<Value>, Vec<Value>) = objects.into_iter().partition(|o| {
        str_at(o, "/kind") == "Event" && played_pods.contains(str_at(o, "/involvedObject/name"))
    });
    script.pod_events = pod_events;
    (rest, script)
}

/// Seeds `objects` (from [`script`]) with the agent running on `agent_port`, then waits until
/// the scenario's pods have real pods standing for them.
pub async fn seed(
    client: &kube::Client,
    objects: &[Value],
    agent: &Agent,
    expected_pods: usize,
) -> Result<(), String> {
    let namespaces: BTreeSet<&str> = objects
        .iter()
        .filter_map(|o| o.pointer("/metadata/namespace").and_then(Value::as_str))
        .collect();
    for ns in namespaces {
        create(
            client,
            &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        )
        .await?;
    }
    // Nodes first, reachable at the agent's kubelet port, so pods can be bound to them.
    for node in objects.iter().filter(|o| str_at(o, "/kind") == "Node") {
        create(client, node).await?;
        let mut status = node.get("status").cloned().unwrap_or_else(|| json!({}));
        status["addresses"] = json!([
            {"type": "InternalIP", "address": "127.0.0.1"},
            {"type": "Hostname", "address": str_at(node, "/metadata/name")}
        ]);
        status["daemonEndpoints"] = json!({"kubeletEndpoint": {"Port": agent.port}});
        status["nodeInfo"] = json!({"machineID": "", "systemUUID": "", "bootID": "", "kernelVersion": "6.1.0",
            "osImage": "incidentctl-sandbox node agent", "containerRuntimeVersion": "sandbox://1",
            "kubeletVersion": format!("v{}", super::VERSION), "kubeProxyVersion": format!("v{}", super::VERSION),
            "operatingSystem": "linux", "architecture": "amd64"});
        write_status(client, node, &status).await?;
    }
    register_metrics_api(client, agent.port).await?;
    // Deployments with earlier revisions first, rolled through them so the controller numbers
    // them as it would have; the scenario's ReplicaSets are the controller's to make.
    for (deployment, templates) in earlier_revisions(objects) {
        roll_through(client, deployment, &templates).await?;
    }
    // Standalone pods (no workload) first, so the rest of the scenario finds them. A few
    // requests at a time: the benchmark's namespaces hold 100,000 objects.
    let pods = objects.iter().filter(|o| str_at(o, "/kind") == "Pod");
    create_all(client, pods, SEED_CONCURRENCY, |o| o.get("status")).await?;
    // The platform's objects one by one, in the scenario's order (a workload after what its
    // pods use), then the events.
    let platform = objects
        .iter()
        .filter(|o| !matches!(str_at(o, "/kind"), "Node" | "Pod" | "Event" | "ReplicaSet"));
    create_all(client, platform, 1, |o| {
        (str_at(o, "/kind") == "Ingress")
            .then(|| o.get("status"))
            .flatten()
    })
    .await?;
    let events = objects.iter().filter(|o| str_at(o, "/kind") == "Event");
    create_all(client, events, SEED_CONCURRENCY, |_| None).await?;
    // The benchmark's deployments of thousands of replicas take the controllers and the agent
    // a while: some more time per pod.
    let settle = SETTLE_TIMEOUT + Duration::from_millis(30 * expected_pods as u64);
    let settled = super::eventually(settle, || async {
        agent.started_scenario_pods() >= expected_pods
    })
    .await;
    if !settled {
        return Err(format!(
            "only {} of the scenario's {expected_pods} pods were created by the controllers within {} s (see kube-controller-manager.log)",
            agent.started_scenario_pods(),
            settle.as_secs()
        ));
    }
    // Let the controllers settle (their start-up races show within a second).
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let scenario_events: BTreeSet<String> = objects
        .iter()
        .filter(|o| str_at(o, "/kind") == "Event")
        .map(|o| {
            format!(
                "{}/{}",
                str_at(o, "/metadata/namespace"),
                str_at(o, "/metadata/name")
            )
        })
        .chain(agent.posted_events())
        .collect();
    clear_seeding_warnings(client, &scenario_events).await
}

/// Each deployment of `objects` whose ReplicaSets (owned by its uid) include revisions before
/// its own, with those revisions' pod templates, oldest first.
fn earlier_revisions(objects: &[Value]) -> Vec<(&Value, Vec<Value>)> {
    let revision = |o: &Value| {
        str_at(
            o,
            "/metadata/annotations/deployment.kubernetes.io~1revision",
        )
        .parse::<i64>()
        .unwrap_or(0)
    };
    objects
        .iter()
        .filter(|d| str_at(d, "/kind") == "Deployment")
        .filter_map(|d| {
            let uid = str_at(d, "/metadata/uid");
            let mut sets: Vec<&Value> = objects
                .iter()
                .filter(|rs| str_at(rs, "/kind") == "ReplicaSet")
                .filter(|rs| {
                    rs.pointer("/metadata/ownerReferences")
                        .and_then(Value::as_array)
                        .is_some_and(|owners| {
                            owners.iter().any(|o| {
                                str_at(o, "/uid") == uid && o["controller"] == Value::Bool(true)
                            })
                        })
                })
                .filter(|rs| revision(rs) < revision(d))
                .collect();
            sets.sort_by_key(|rs| revision(rs));
            let templates: Vec<Value> = sets
                .iter()
                .map(|rs| rs["spec"]["template"].clone())
                .collect();
            (!templates.is_empty()).then_some((d, templates))
        })
        .collect()
}

/// Creates `deployment` with each of `templates` in turn and no replicas, waiting until the
/// controller has numbered each revision, then gives it its own template and replicas.
async fn roll_through(
    client: &kube::Client,
    deployment: &Value,
    templates: &[Value],
) -> Result<(), String> {
    let name = str_at(deployment, "/metadata/name");
    let ns = str_at(deployment, "/metadata/namespace");
    let path = format!("/apis/apps/v1/namespaces/{ns}/deployments/{name}");
    let patch = |template: &Value, replicas: &Value| {
        json!([
            {"op": "replace", "path": "/spec/template", "value": template},
            {"op": "replace", "path": "/spec/replicas", "value": replicas},
        ])
    };
    let mut first = deployment.clone();
    first["spec"]["template"] = templates[0].clone();
    first["spec"]["replicas"] = json!(0);
    if let Some(annotations) = first["metadata"]["annotations"].as_object_mut() {
        annotations.remove("deployment.kubernetes.io/revision");
    }
    create(client, &first).await?;
    let numbered = |revision: usize| {
        let path = path.clone();
        async move {
            let request = http::Request::get(&path).body(Vec::new()).ok()?;
            let d: Value = client.request(request).await.ok()?;
            let now = str_at(
                &d,
                "/metadata/annotations/deployment.kubernetes.io~1revision",
            );
            (now == revision.to_string()).then_some(())
        }
    };
    let steps = templates[1..]
        .iter()
        .map(|t| (t, json!(0)))
        .chain(std::iter::once((
            &deployment["spec"]["template"],
            deployment["spec"]["replicas"].clone(),
        )));
    for (revision, (template, replicas)) in steps.enumerate() {
        if !super::eventually(SETTLE_TIMEOUT, || async {
            numbered(revision + 1).await.is_some()
        })
        .await
        {
            return Err(format!(
                "deployment {ns}/{name} never reached revision {} (see kube-controller-manager.log)",
                revision + 1
            ));
        }
        let request = http::Request::patch(&path)
            .header(http::header::CONTENT_TYPE, "application/json-patch+json")
            .body(patch(template, &replicas).to_string().into_bytes())
            .map_err(|e| e.to_string())?;
        client
            .request::<Value>(request)
            .await
            .map_err(|e| format!("rolling {ns}/{name} to its next revision: {e}"))?;
    }
    Ok(())
}

/// Creates `objects`, `concurrency` at a time, writing the status `status_of` gives (the
/// server ignores a status on create).
async fn create_all<'a>(
    client: &kube::Client,
    objects: impl Iterator<Item = &'a Value>,
    concurrency: usize,
    status_of: impl Fn(&'a Value) -> Option<&'a Value>,
) -> Result<(), String> {
    use futures::{StreamExt, TryStreamExt};
    futures::stream::iter(objects)
        .map(|o| {
            let status = status_of(o);
            async move {
                create(client, o).await?;
                match status {
                    Some(status) => write_status(client, o, status).await,
                    None => Ok(()),
                }
            }
        })
        .buffered(concurrency)
        .try_collect()
        .await
}

/// Creating a whole platform at once makes the controllers race (the endpoints controller's
/// "FailedToCreateEndpoint", for one): Warning events about the seeding itself, not about the
/// scenario. They are removed once the controllers have settled, so a healthy scenario is
/// healthy; the scenario's own Warning events stay.
async fn clear_seeding_warnings(
    client: &kube::Client,
    scenario_events: &BTreeSet<String>,
) -> Result<(), String> {
    let list: Value = client
        .request(
            http::Request::get("/api/v1/events?fieldSelector=type%3DWarning")
                .body(Vec::new())
                .map_err(|e| e.to_string())?,
        )
        .await
        .map_err(|e| format!("listing events: {e}"))?;
    for event in list["items"].as_array().into_iter().flatten() {
        let ns = str_at(event, "/metadata/namespace");
        let name = str_at(event, "/metadata/name");
        if scenario_events.contains(&format!("{ns}/{name}")) {
            continue;
        }
        let request = http::Request::delete(format!("/api/v1/namespaces/{ns}/events/{name}"))
            .body(Vec::new())
            .map_err(|e| e.to_string())?;
        let _ = client.request::<Value>(request).await;
    }
    Ok(())
}

/// metrics.k8s.io served by the node agent: an APIService whose service is an ExternalName for
/// localhost at the agent's port (the aggregator then proxies there over HTTPS).
async fn register_metrics_api(client: &kube::Client, port: u16) -> Result<(), String> {
    create(
        client,
        &json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "metrics-server", "namespace": "kube-system"},
                "spec": {"type": "ExternalName", "externalName": "localhost", "ports": [{"port": port}]}}),
    )
    .await?;
    create(
        client,
        &json!({"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
                "metadata": {"name": "v1beta1.metrics.k8s.io"},
                "spec": {"service": {"namespace": "kube-system", "name": "metrics-server", "port": port},
                         "group": "metrics.k8s.io", "version": "v1beta1", "insecureSkipTLSVerify": true,
                         "groupPriorityMinimum": 100, "versionPriority": 100}}),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{kube_fixture, Scenario};

    #[test]
    fn workload_pods_and_their_events_go_to_the_agent_and_endpoints_to_the_controllers() {
        let fixture = kube_fixture(Scenario::Incident, 1_800_000_000);
        let (objects, script) = script(&fixture);
        let kinds = |kind: &str| {
            objects
                .iter()
                .filter(|o| str_at(o, "/kind") == kind)
                .count()
        };
        assert_eq!(kinds("Pod"), 0, "every fixture pod belongs to a workload");
        assert_eq!(
            kinds("Endpoints"),
            0,
            "the endpoints controller writes them"
        );
        assert_eq!(kinds("Deployment"), 3);
        assert_eq!(script.pods["reconciliation/backend"].len(), 2);
        assert_eq!(script.pods["reconciliation/frontend"].len(), 2);
        assert!(script.stuck.contains("reconciliation/nginx"));
        assert!(script
            .pod_events
            .iter()
            .all(|e| str_at(e, "/involvedObject/kind") == "Pod"));
        assert!(script
            .pod_events
            .iter()
            .any(|e| str_at(e, "/reason") == "BackOff"));
    }

    #[test]
    fn collection_paths_follow_the_api_group_and_scope() {
        assert_eq!(
            collection("apps/v1", "Deployment", Some("ns")).unwrap(),
            "/apis/apps/v1/namespaces/ns/deployments"
        );
        assert_eq!(collection("v1", "Node", None).unwrap(), "/api/v1/nodes");
        assert!(collection("v1", "Widget", None).is_err());
    }
}
