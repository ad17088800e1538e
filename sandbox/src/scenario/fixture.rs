//! What a scenario seeds in Kubernetes ([`Fixture`]): the objects, the pods' logs and metrics,
//! and the permissions the simulated identity lacks. The real control plane has it written
//! through its API (`kubernetes::seed`); the stand-in (`standin`) serves it as it is.

use super::objects::{
    access_log, app_log, base64_encode, deployment, endpoints, event, node, node_metrics, pod,
    pod_metrics, service, PodSpec,
};
use super::{ts, Scenario, CONTROL_PAYLOAD, NAMESPACE, PG_PASSWORD, SECRET_VALUE};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What the simulated cluster holds.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
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

/// The simulated cluster for a scenario, with times relative to `now` (Unix seconds).
pub fn kube_fixture(scenario: Scenario, now: i64) -> Fixture {
    let incident = scenario.has_incident();
    let mut objects = Vec::new();
    add_pods(&mut objects, incident, now);
    add_controllers(&mut objects, incident, now);
    add_networking(&mut objects, incident, now);
    add_configuration(&mut objects);
    objects.push(node("node-1"));
    objects.push(node("node-2"));
    add_events(&mut objects, scenario, now);
    let logs = pod_logs(scenario, now);
    let (pod_metrics, node_metrics) = metrics(incident, now);
    let mut fixture = Fixture {
        objects,
        logs,
        pod_metrics,
        node_metrics,
        denied: Vec::new(),
    };
    if let Some((replicas, events)) = scenario.size() {
        add_scale(&mut fixture, now, replicas, events);
    }
    fixture
}

/// The app's pods: two backends (one crash-looping in the incident), two frontends, nginx.
fn add_pods(objects: &mut Vec<Value>, incident: bool, now: i64) {
    let backend_pods = [
        PodSpec {
            name: "backend-7c9d8f6b5-abcde",
            app: "backend",
            ready: true,
            waiting: None,
            restarts: 0,
            last_exit: None,
            cpu_limit: "1",
            memory_limit: "2Gi",
        },
        PodSpec {
            name: "backend-7c9d8f6b5-fghij",
            app: "backend",
            ready: !incident,
            waiting: incident.then_some("CrashLoopBackOff"),
            restarts: if incident { 12 } else { 0 },
            last_exit: incident.then_some("Error"),
            cpu_limit: "1",
            memory_limit: "2Gi",
        },
    ];
    let frontend_pods = [
        PodSpec {
            name: "frontend-5f6b7c8d9-klmno",
            app: "frontend",
            ready: true,
            waiting: None,
            restarts: 0,
            last_exit: None,
            cpu_limit: "500m",
            memory_limit: "512Mi",
        },
        PodSpec {
            name: "frontend-5f6b7c8d9-pqrst",
            app: "frontend",
            ready: true,
            waiting: None,
            restarts: 0,
            last_exit: None,
            cpu_limit: "500m",
            memory_limit: "512Mi",
        },
    ];
    let nginx = PodSpec {
        name: "nginx-6d5c4b3a2-uvwxy",
        app: "nginx",
        ready: true,
        waiting: None,
        restarts: 0,
        last_exit: None,
        cpu_limit: "500m",
        memory_limit: "256Mi",
    };
    for p in backend_pods
        .iter()
        .chain(frontend_pods.iter())
        .chain(std::iter::once(&nginx))
    {
        objects.push(pod(p, now));
    }
}

/// The deployments (backend's earlier revision in the incident) and PostgreSQL's statefulset.
fn add_controllers(objects: &mut Vec<Value>, incident: bool, now: i64) {
    objects.push(deployment("backend", 2, if incident { 1 } else { 2 }, now));
    if incident {
        crate::revisions::earlier_revision(objects, "backend", "2.3.0", now);
    }
    objects.push(deployment("frontend", 2, 2, now));
    // The access-log pods' deployment never finishes a rollout, so tests can see a wait time out.
    let mut nginx_deployment = deployment("nginx", 1, 1, now);
    nginx_deployment["metadata"]["annotations"] =
        json!({crate::rollout::STUCK_ANNOTATION: "stuck"});
    objects.push(nginx_deployment);
    objects.push(json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "postgres", "namespace": NAMESPACE, "uid": "uid-sts-postgres", "generation": 1, "labels": {"app": "postgres"}},
        "spec": {"replicas": 1, "serviceName": "postgres-service", "selector": {"matchLabels": {"app": "postgres"}},
                 "template": {"metadata": {"labels": {"app": "postgres"}},
                              "spec": {"containers": [{"name": "postgres", "image": "postgres:15"}]}}},
        "status": {"observedGeneration": 1, "replicas": 1, "readyReplicas": 1, "availableReplicas": 1, "updatedReplicas": 1, "currentReplicas": 1}
    }));
}

/// The services, the endpoints behind them (one backend not ready in the incident), the ingress.
fn add_networking(objects: &mut Vec<Value>, incident: bool, now: i64) {
    for (name, app, port) in [
        ("backend", "backend", 8080),
        ("frontend", "frontend", 80),
        ("postgres-service", "postgres", 5432),
        ("redis-service", "redis", 6379),
    ] {
        objects.push(service(name, app, port, now));
    }
    if incident {
        objects.push(endpoints("backend", &["10.1.0.11"], &["10.1.0.12"], 8080));
    } else {
        objects.push(endpoints("backend", &["10.1.0.11", "10.1.0.12"], &[], 8080));
    }
    objects.push(endpoints("frontend", &["10.1.0.21", "10.1.0.22"], &[], 80));
    objects.push(json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "reconciliation-ingress", "namespace": NAMESPACE, "uid": "uid-ing"},
        "spec": {"rules": [{"host": "reconciliation.example.com", "http": {"paths": [
            {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "backend", "port": {"number": 8080}}}},
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "frontend", "port": {"number": 80}}}}]}}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}
    }));
}

/// The app's configmap (a credential in it), its secret, and its network policy.
fn add_configuration(objects: &mut Vec<Value>) {
    objects.push(json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "reconciliation-config", "namespace": NAMESPACE, "uid": "uid-cm"},
        // A credential in a configmap, as teams do put there: `security config` must hide it.
        "data": {"DB_HOST": "postgres-service", "REDIS_HOST": "redis-service", "LOG_LEVEL": "info",
                 "DATABASE_URL": format!("postgres://reconciliation_user:{PG_PASSWORD}@postgres-service/reconciliation_app")}
    }));
    let encoded = base64_encode(SECRET_VALUE.as_bytes());
    objects.push(json!({
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": "reconciliation-secrets", "namespace": NAMESPACE, "uid": "uid-secret",
                     "annotations": {"kubectl.kubernetes.io/last-applied-configuration":
                        format!("{{\"stringData\":{{\"DB_PASSWORD\":\"{SECRET_VALUE}\"}}}}")}},
        "data": {"DB_PASSWORD": encoded, "API_KEY": base64_encode(format!("{SECRET_VALUE}-api").as_bytes())}
    }));
    objects.push(json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "reconciliation-network-policy", "namespace": NAMESPACE, "uid": "uid-netpol", "generation": 1},
        "spec": {"podSelector": {"matchLabels": {"tier": "app"}}, "policyTypes": ["Ingress"],
                 "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.0.0.0/24"]}}]}]}
    }));
}

/// Events: Normal noise always; Warnings only in the incident. One old Warning (outside the
/// hour) and one with only eventTime set, as newer clusters write them.
/// The hostile scenario adds one whose message carries [`CONTROL_PAYLOAD`].
fn add_events(objects: &mut Vec<Value>, scenario: Scenario, now: i64) {
    let incident = scenario.has_incident();
    objects.push(event(
        "backend-pulled",
        "Normal",
        "Pulled",
        "backend-7c9d8f6b5-abcde",
        "Container image already present on machine",
        1,
        Some(ts(now, -300)),
        None,
    ));
    objects.push(event(
        "old-warning",
        "Warning",
        "FailedMount",
        "frontend-5f6b7c8d9-klmno",
        "MountVolume.SetUp failed for volume \"cache\"",
        1,
        Some(ts(now, -7200)),
        None,
    ));
    if incident {
        objects.push(event(
            "backend-backoff",
            "Warning",
            "BackOff",
            "backend-7c9d8f6b5-fghij",
            "Back-off restarting failed container backend in pod backend-7c9d8f6b5-fghij",
            12,
            Some(ts(now, -60)),
            None,
        ));
        objects.push(event(
            "backend-unhealthy",
            "Warning",
            "Unhealthy",
            "backend-7c9d8f6b5-fghij",
            // A probe's body can carry a secret: the bundle must hide it and stay valid JSON.
            &format!("Readiness probe failed: HTTP probe failed with statuscode: 503: auth failed password=\"{PG_PASSWORD}\""),
            30,
            None,
            Some(ts(now, -120)),
        ));
    }

    if scenario == Scenario::Hostile {
        objects.push(event(
            "backend-hostile",
            "Warning",
            "Failed",
            "backend-7c9d8f6b5-fghij",
            &format!("Error: image {CONTROL_PAYLOAD}"),
            3,
            Some(ts(now, -30)),
            None,
        ));
    }
}

/// Each container's log, keyed `namespace/pod/container`: ERROR lines and failed logins on the
/// backends and denied requests in nginx's access log in the incident, quiet otherwise.
fn pod_logs(scenario: Scenario, now: i64) -> BTreeMap<String, String> {
    let incident = scenario.has_incident();
    let mut logs = BTreeMap::new();
    let (backend_errors, auth_failures, denied) = if incident { (60, 15, 45) } else { (0, 0, 2) };
    let mut crashing_log = app_log(now, backend_errors, auth_failures, incident);
    if scenario == Scenario::Hostile {
        // The last ERROR line, so it is among the lines shown.
        crashing_log.push_str(&format!(
            "\n{} ERROR http: bad request user-agent={CONTROL_PAYLOAD}",
            ts(now, -2)
        ));
    }
    logs.insert(
        format!("{NAMESPACE}/backend-7c9d8f6b5-fghij/backend"),
        crashing_log,
    );
    logs.insert(
        format!("{NAMESPACE}/backend-7c9d8f6b5-abcde/backend"),
        app_log(now, if incident { 4 } else { 0 }, 0, false),
    );
    logs.insert(
        format!("{NAMESPACE}/frontend-5f6b7c8d9-klmno/frontend"),
        app_log(now, 0, 0, false),
    );
    logs.insert(
        format!("{NAMESPACE}/frontend-5f6b7c8d9-pqrst/frontend"),
        app_log(now, 0, 0, false),
    );
    logs.insert(
        format!("{NAMESPACE}/nginx-6d5c4b3a2-uvwxy/nginx"),
        access_log(now, denied),
    );
    logs
}

/// PodMetrics and NodeMetrics: the healthy backend and node-1 busy in the incident.
fn metrics(incident: bool, now: i64) -> (Vec<Value>, Vec<Value>) {
    let (backend_cpu, node_cpu) = if incident {
        ("920m", "3400m")
    } else {
        ("250m", "1200m")
    };
    let pod_metrics_list = vec![
        pod_metrics(
            "backend-7c9d8f6b5-abcde",
            "backend",
            backend_cpu,
            "1200Mi",
            now,
        ),
        pod_metrics("backend-7c9d8f6b5-fghij", "backend", "5m", "64Mi", now),
        pod_metrics("frontend-5f6b7c8d9-klmno", "frontend", "100m", "200Mi", now),
        pod_metrics("frontend-5f6b7c8d9-pqrst", "frontend", "110m", "210Mi", now),
        pod_metrics("nginx-6d5c4b3a2-uvwxy", "nginx", "50m", "64Mi", now),
    ];
    let node_metrics_list = vec![
        node_metrics("node-1", node_cpu, "9Gi", now),
        node_metrics("node-2", "800m", "6Gi", now),
    ];
    (pod_metrics_list, node_metrics_list)
}

/// The app's backend deployment at `replicas` (the scenario's two backend pods, the rest
/// running and ready), and `events` events in the namespace: other teams' batch workers'
/// chatter (one event in ten a Warning). On the real control plane the controllers create the
/// pods and the node agent plays these; the stand-in serves them as they are.
fn add_scale(f: &mut Fixture, now: i64, replicas: usize, events: usize) {
    let existing = f
        .objects
        .iter()
        .filter(|o| o["kind"] == "Pod" && o["metadata"]["labels"]["app"] == "backend")
        .count();
    for i in 0..replicas.saturating_sub(existing) {
        let name = format!("backend-7c9d8f6b5-s{i:05}");
        f.objects.push(pod(
            &PodSpec {
                name: &name,
                app: "backend",
                ready: true,
                waiting: None,
                restarts: 0,
                last_exit: None,
                cpu_limit: "1",
                memory_limit: "2Gi",
            },
            now,
        ));
    }
    let wanted = replicas as i64;
    for d in f
        .objects
        .iter_mut()
        .filter(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == "backend")
    {
        d["spec"]["replicas"] = json!(wanted);
        let ready = d["status"]["readyReplicas"].as_i64().unwrap_or(0) + wanted - 2;
        d["status"] = json!({"observedGeneration": 1, "replicas": wanted, "updatedReplicas": wanted,
                             "readyReplicas": ready, "availableReplicas": ready,
                             "unavailableReplicas": wanted - ready});
    }
    let existing = f.objects.iter().filter(|o| o["kind"] == "Event").count();
    for i in 0..(events - existing) {
        let warning = i % 10 == 0;
        f.objects.push(event(
            &format!("batch-worker-{i:05}.ev"),
            if warning { "Warning" } else { "Normal" },
            if warning {
                "FailedScheduling"
            } else {
                "Scheduled"
            },
            &format!("batch-worker-{:04}-{:05}", (i % 4990) / 50, i % 4990),
            "0/2 nodes are available: 2 Insufficient cpu.",
            1,
            Some(ts(now, -((i % 3000) as i64))),
            None,
        ));
    }
}

/// How the app's objects are named: as the seed names them, or as another team might, so that
/// only discovery can find them (ingress `web`, configmap `payments-env`, secret `payments-db`,
/// policy `allow-office`; the deployments use the configmap and the secret, as apps do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    Seed,
    Team,
}

/// The seed's object names and a team's, for [`Naming::Team`].
pub const TEAM_NAMES: [(&str, &str, &str); 4] = [
    ("Ingress", "reconciliation-ingress", "web"),
    ("ConfigMap", "reconciliation-config", "payments-env"),
    ("Secret", "reconciliation-secrets", "payments-db"),
    (
        "NetworkPolicy",
        "reconciliation-network-policy",
        "allow-office",
    ),
];

/// Renames the app's objects as a team might, and has the app's pod templates use the
/// configmap and the secret.
pub fn rename_for_team(f: &mut Fixture) {
    for obj in f.objects.iter_mut() {
        let kind = obj["kind"].as_str().unwrap_or("").to_string();
        let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
        if let Some((_, _, team)) = TEAM_NAMES
            .iter()
            .find(|(k, seed, _)| *k == kind && *seed == name)
        {
            obj["metadata"]["name"] = json!(team);
        }
        let app = name == "backend" || name == "frontend";
        if kind == "Deployment" && app {
            let container = &mut obj["spec"]["template"]["spec"]["containers"][0];
            container["envFrom"] = json!([{"configMapRef": {"name": "payments-env"}}]);
            if let Some(env) = container["env"].as_array_mut() {
                env.push(json!({"name": "DB_PASSWORD", "valueFrom":
                    {"secretKeyRef": {"name": "payments-db", "key": "DB_PASSWORD"}}}));
            }
        }
    }
}

/// Moves every namespaced object (and its logs and metrics) to `namespace`.
pub fn move_to_namespace(f: &mut Fixture, namespace: &str) {
    let items = f.objects.iter_mut().chain(f.pod_metrics.iter_mut());
    for obj in items {
        if obj.pointer("/metadata/namespace").is_some() {
            obj["metadata"]["namespace"] = json!(namespace);
        }
        if obj.pointer("/involvedObject/namespace").is_some() {
            obj["involvedObject"]["namespace"] = json!(namespace);
        }
    }
    f.logs = std::mem::take(&mut f.logs)
        .into_iter()
        .map(|(k, v)| {
            (
                k.replacen(&format!("{NAMESPACE}/"), &format!("{namespace}/"), 1),
                v,
            )
        })
        .collect();
}
