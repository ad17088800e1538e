//! The data a sandbox starts with: a realistic incident on the seed's platform, or the same
//! platform healthy (the "ok" side of every check), or a large namespace for the benchmark.

use crate::standin::Fixture;
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// A backend pod in CrashLoopBackOff, ERROR lines, Warning events, a long-running query,
    /// blocked sessions, held connections, Redis near maxmemory, ~7% 5xx, p95 ~3 s, alerts.
    Incident,
    /// Everything within its thresholds.
    Healthy,
    /// The incident with the app's backend deployment at 5,000 replicas, and 20,000 events in
    /// the namespace (benchmark).
    Scale,
    /// The same with 20,000 replicas and 80,000 events (benchmark: memory stays flat as the app
    /// grows).
    ScaleLarge,
    /// The incident, with a terminal's control sequences ([`CONTROL_PAYLOAD`]) in what servers
    /// and people wrote: a log line, an event message, a running query's text and an alert's
    /// annotation and label (issue 29: nothing printed may take over the terminal).
    Hostile,
    /// A healthy platform but for backend's revision 2, rolled out 12 minutes before the app's
    /// 5xx rate rose from 0.5 % to 8 % (`bad_rollout`).
    BadRollout,
}

impl Scenario {
    /// The backend's replicas and the events in the namespace, for the benchmark's scenarios.
    fn size(self) -> Option<(usize, usize)> {
        match self {
            Scenario::Scale => Some((5_000, 20_000)),
            Scenario::ScaleLarge => Some((20_000, 80_000)),
            Scenario::Incident | Scenario::Healthy | Scenario::Hostile | Scenario::BadRollout => {
                None
            }
        }
    }

    /// The seeded incident (a crash loop, locks, held connections, Redis near full, 7 % 5xx):
    /// every scenario but the healthy platform and the bad rollout.
    pub fn has_incident(self) -> bool {
        matches!(
            self,
            Scenario::Incident | Scenario::Scale | Scenario::ScaleLarge | Scenario::Hostile
        )
    }
}

impl std::str::FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "incident" => Ok(Scenario::Incident),
            "healthy" => Ok(Scenario::Healthy),
            "scale" => Ok(Scenario::Scale),
            "scale-large" => Ok(Scenario::ScaleLarge),
            "bad-rollout" => Ok(Scenario::BadRollout),
            "hostile" => Ok(Scenario::Hostile),
            other => Err(format!(
                "unknown scenario '{other}' (incident, healthy, scale, scale-large, bad-rollout, hostile)"
            )),
        }
    }
}

pub use crate::history::{alerts, openmetrics};

pub const NAMESPACE: &str = "reconciliation";
/// Password of the app's database user; tests check it never appears in any output.
pub const PG_PASSWORD: &str = "sandbox-pg-password-7Hq2";
/// A Kubernetes secret value; tests check it never appears in any output.
pub const SECRET_VALUE: &str = "sandbox-secret-value-Zx91";

/// What an attacker gets into a log line, an event or a query by sending a crafted request (a
/// User-Agent, a user name, a path): a window title (OSC … BEL), a clear screen and a colour
/// (CSI), a device control string (DCS), backspaces and a carriage return that overwrite, a C1
/// CSI (U+009B) and a right-to-left override. Its words ([`CONTROL_PAYLOAD_WORDS`]) must still
/// be readable wherever it is shown.
pub const CONTROL_PAYLOAD: &str = "\u{1b}]0;pwned-title\u{7}\u{1b}[2J\u{1b}[31mRED\u{1b}[0m \u{1b}P1$rdcs-string\u{1b}\\ x\u{8}\u{8}\roverwritten \u{9b}31mc1-csi \u{202e}evil-bidi\u{202c} all checks ok";
/// The words of [`CONTROL_PAYLOAD`].
pub const CONTROL_PAYLOAD_WORDS: &[&str] = &[
    "pwned-title",
    "RED",
    "dcs-string",
    "overwritten",
    "c1-csi",
    "evil-bidi",
];

pub(crate) fn ts(now: i64, offset_secs: i64) -> String {
    jiff::Timestamp::from_second(now + offset_secs)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| "2026-01-01T00:00:00Z".into())
}

fn meta(name: &str, uid: &str, labels: Value, now: i64) -> Value {
    json!({"name": name, "namespace": NAMESPACE, "uid": uid, "labels": labels,
           "creationTimestamp": ts(now, -86_400)})
}

struct PodSpec<'a> {
    name: &'a str,
    app: &'a str,
    ready: bool,
    /// Waiting reason of the main container (CrashLoopBackOff, ImagePullBackOff, …).
    waiting: Option<&'a str>,
    restarts: i32,
    last_exit: Option<&'a str>,
    cpu_limit: &'a str,
    memory_limit: &'a str,
}

fn pod(p: &PodSpec, now: i64) -> Value {
    let mut state = json!({"running": {"startedAt": ts(now, -3600)}});
    if let Some(reason) = p.waiting {
        state = json!({"waiting": {"reason": reason, "message": format!("back-off restarting failed container {}", p.app)}});
    }
    let mut status = json!({
        "name": p.app, "ready": p.ready, "restartCount": p.restarts, "image": format!("registry.example/{}:2.3.1", p.app),
        "imageID": "", "started": p.ready, "state": state,
    });
    if let Some(reason) = p.last_exit {
        status["lastState"] = json!({"terminated": {"reason": reason, "exitCode": if reason == "OOMKilled" {137} else {1},
                                                      "finishedAt": ts(now, -60)}});
    }
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": meta(p.name, &format!("uid-{}", p.name), json!({"app": p.app, "tier": "app"}), now),
        "spec": {"nodeName": "node-1", "containers": [{
            "name": p.app, "image": format!("registry.example/{}:2.3.1", p.app),
            "resources": {"limits": {"cpu": p.cpu_limit, "memory": p.memory_limit},
                          "requests": {"cpu": "100m", "memory": "128Mi"}}}]},
        "status": {
            "phase": "Running", "podIP": "10.1.0.10", "startTime": ts(now, -3600),
            "conditions": [{"type": "Ready", "status": if p.ready {"True"} else {"False"}}],
            "containerStatuses": [status],
        }
    })
}

/// The container limits of each app, as its pods carry them.
fn limits(app: &str) -> Value {
    let (cpu, memory) = match app {
        "backend" => ("1", "2Gi"),
        "frontend" => ("500m", "512Mi"),
        _ => ("500m", "256Mi"),
    };
    json!({"limits": {"cpu": cpu, "memory": memory}, "requests": {"cpu": "100m", "memory": "128Mi"}})
}

fn deployment(name: &str, replicas: i32, ready: i32, now: i64) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": NAMESPACE, "uid": format!("uid-deploy-{name}"),
                     "generation": 1, "labels": {"app": name}, "creationTimestamp": ts(now, -86_400)},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name, "tier": "app"}},
                              "spec": {"containers": [{"name": name, "image": format!("registry.example/{name}:2.3.1"),
                                        "resources": limits(name),
                                        "env": [{"name": "DB_POOL_SIZE", "value": "10"}, {"name": "LOG_LEVEL", "value": "info"}]}]}}},
        "status": {"observedGeneration": 1, "replicas": replicas, "updatedReplicas": replicas,
                   "readyReplicas": ready, "availableReplicas": ready,
                   "unavailableReplicas": replicas - ready}
    })
}

fn service(name: &str, app: &str, port: i32, now: i64) -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": name, "namespace": NAMESPACE, "uid": format!("uid-svc-{name}"), "creationTimestamp": ts(now, -86_400)},
           "spec": {"selector": {"app": app}, "ports": [{"port": port, "targetPort": port}]}})
}

fn endpoints(name: &str, ready: &[&str], not_ready: &[&str], port: i32) -> Value {
    let addr = |ip: &&str| json!({"ip": ip});
    let mut subset = json!({"ports": [{"port": port}]});
    if !ready.is_empty() {
        subset["addresses"] = Value::Array(ready.iter().map(addr).collect());
    }
    if !not_ready.is_empty() {
        subset["notReadyAddresses"] = Value::Array(not_ready.iter().map(addr).collect());
    }
    json!({"apiVersion": "v1", "kind": "Endpoints",
           "metadata": {"name": name, "namespace": NAMESPACE, "uid": format!("uid-ep-{name}")},
           "subsets": [subset]})
}

#[allow(clippy::too_many_arguments)]
fn event(
    name: &str,
    type_: &str,
    reason: &str,
    pod: &str,
    message: &str,
    count: i32,
    last: Option<String>,
    event_time: Option<String>,
) -> Value {
    let mut e = json!({
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": name, "namespace": NAMESPACE, "uid": format!("uid-ev-{name}")},
        "involvedObject": {"kind": "Pod", "name": pod, "namespace": NAMESPACE, "uid": format!("uid-{pod}")},
        "type": type_, "reason": reason, "message": message, "count": count,
        "source": {"component": "kubelet", "host": "node-1"},
    });
    if let Some(l) = last {
        e["lastTimestamp"] = json!(l.clone());
        e["firstTimestamp"] = json!(l);
    }
    if let Some(t) = event_time {
        e["eventTime"] = json!(t.replace('Z', ".000000Z"));
        e["reportingComponent"] = json!("kubelet");
        e["reportingInstance"] = json!("node-1");
        e["action"] = json!("Probe");
    }
    e
}

fn node(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node",
           "metadata": {"name": name, "uid": format!("uid-{name}"), "labels": {"kubernetes.io/hostname": name}},
           "status": {"allocatable": {"cpu": "4", "memory": "16Gi", "pods": "110"},
                      "capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
                      "conditions": [
                          {"type": "Ready", "status": "True", "reason": "KubeletReady"},
                          {"type": "MemoryPressure", "status": "False"},
                          {"type": "DiskPressure", "status": "False"},
                          {"type": "PIDPressure", "status": "False"}]}})
}

fn pod_metrics(pod: &str, container: &str, cpu: &str, memory: &str, now: i64) -> Value {
    json!({"apiVersion": "metrics.k8s.io/v1beta1", "kind": "PodMetrics",
           "metadata": {"name": pod, "namespace": NAMESPACE},
           "timestamp": ts(now, -15), "window": "15s",
           "containers": [{"name": container, "usage": {"cpu": cpu, "memory": memory}}]})
}

fn node_metrics(node: &str, cpu: &str, memory: &str, now: i64) -> Value {
    json!({"apiVersion": "metrics.k8s.io/v1beta1", "kind": "NodeMetrics",
           "metadata": {"name": node}, "timestamp": ts(now, -15), "window": "15s",
           "usage": {"cpu": cpu, "memory": memory}})
}

fn app_log(now: i64, errors: usize, auth_failures: usize, with_secret: bool) -> String {
    let mut lines = Vec::new();
    for i in 0..200 {
        lines.push(format!(
            "{} INFO request handled path=/api/reconcile status=200 duration_ms={}",
            ts(now, -600 + i),
            20 + i % 30
        ));
    }
    for i in 0..auth_failures {
        lines.push(format!(
            "{} WARN auth: login failed for user=user{} from 198.51.100.{}: invalid credentials",
            ts(now, -300 + i as i64),
            i % 7,
            7 + i % 3
        ));
    }
    for i in 0..errors {
        lines.push(format!(
            "{} ERROR db: connection pool exhausted (size=10, waiting={}) acquiring connection to postgres-service:5432",
            ts(now, -120 + i as i64),
            30 + i
        ));
    }
    if with_secret {
        lines.push(format!(
            "{} ERROR config: retrying with DATABASE_URL=postgres://reconciliation_user:{PG_PASSWORD}@postgres-service/reconciliation_app password={PG_PASSWORD}",
            ts(now, -5)
        ));
    }
    lines.join("\n")
}

fn access_log(now: i64, denied: usize) -> String {
    let mut lines = Vec::new();
    for i in 0..100 {
        lines.push(format!(
            "10.2.0.{} - - [{}] \"GET /api/reconcile HTTP/1.1\" 200 512 \"-\" \"client/1.0\"",
            i % 50,
            ts(now, -300 + i)
        ));
    }
    for i in 0..denied {
        let code = if i % 3 == 0 { 403 } else { 401 };
        lines.push(format!(
            "198.51.100.{} - - [{}] \"POST /api/login HTTP/1.1\" {code} 64 \"-\" \"python-requests/2.31\"",
            7 + i % 3,
            ts(now, -200 + i as i64)
        ));
    }
    lines.join("\n")
}

/// The simulated cluster for a scenario, with times relative to `now` (Unix seconds).
pub fn kube_fixture(scenario: Scenario, now: i64) -> Fixture {
    let incident = scenario.has_incident();
    let mut objects = Vec::new();
    let mut logs = BTreeMap::new();

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
    objects.push(deployment("backend", 2, if incident { 1 } else { 2 }, now));
    if incident {
        crate::revisions::earlier_revision(&mut objects, "backend", "2.3.0", now);
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
    objects.push(node("node-1"));
    objects.push(node("node-2"));

    // Events: Normal noise always; Warnings only in the incident. One old Warning (outside the
    // hour) and one with only eventTime set, as newer clusters write them.
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

    let (backend_errors, auth_failures, denied) = if incident { (60, 15, 45) } else { (0, 0, 2) };
    let mut crashing_log = app_log(now, backend_errors, auth_failures, incident);
    if scenario == Scenario::Hostile {
        // The last ERROR line, so it is among the lines shown.
        crashing_log.push_str(&format!(
            "\n{} ERROR http: bad request user-agent={CONTROL_PAYLOAD}",
            ts(now, -2)
        ));
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

    let mut fixture = Fixture {
        objects,
        logs,
        pod_metrics: pod_metrics_list,
        node_metrics: node_metrics_list,
        denied: Vec::new(),
    };
    if let Some((replicas, events)) = scenario.size() {
        add_scale(&mut fixture, now, replicas, events);
    }
    fixture
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

/// Moves every namespaced object (and its logs and metrics) to `namespace`.
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

fn base64_encode(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// SQL run as the superuser: the app's role, database and tables (incl. the seed's audit_logs
/// and sessions), and pg_stat_statements.
pub fn database_setup(scenario: Scenario) -> Vec<(&'static str, String)> {
    let failures = if scenario.has_incident() { 40 } else { 2 };
    vec![
        ("postgres", format!("CREATE ROLE reconciliation_user LOGIN PASSWORD '{PG_PASSWORD}'")),
        ("postgres", "CREATE DATABASE reconciliation_app OWNER reconciliation_user".to_string()),
        ("postgres", "GRANT pg_monitor, pg_signal_backend TO reconciliation_user".to_string()),
        ("reconciliation_app", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements".to_string()),
        ("reconciliation_app", "CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL, balance numeric NOT NULL DEFAULT 0);
             INSERT INTO accounts (name, balance) SELECT 'account ' || g, g * 10 FROM generate_series(1, 1000) g;
             CREATE TABLE sessions (id bigserial PRIMARY KEY, user_id bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
             INSERT INTO sessions (user_id, created_at) SELECT g % 50, now() - (g || ' minutes')::interval FROM generate_series(1, 200) g;
             CREATE TABLE audit_logs (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), actor text, action text, ip inet, detail text);
             ALTER TABLE accounts OWNER TO reconciliation_user; ALTER TABLE sessions OWNER TO reconciliation_user; ALTER TABLE audit_logs OWNER TO reconciliation_user;".to_string()),
        ("reconciliation_app", format!(
            "INSERT INTO audit_logs (created_at, actor, action, ip, detail)
               SELECT now() - (g || ' seconds')::interval, 'user' || (g % 7), 'login_failed', '198.51.100.7', 'invalid password'
               FROM generate_series(1, {failures}) g;
             INSERT INTO audit_logs (created_at, actor, action, ip, detail)
               SELECT now() - (g || ' seconds')::interval, 'user' || (g % 20), 'login', ('10.2.0.' || (g % 50))::inet, 'ok'
               FROM generate_series(1, 100) g;")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_encode(b"hi"), "aGk=");
        assert_eq!(base64_encode(b"abc"), "YWJj");
    }

    #[test]
    fn incident_error_ratio_is_about_seven_percent() {
        let ratio: f64 = (5.0 + 2.0) / (93.0 + 5.0 + 2.0 + 3.0);
        assert!((0.06..0.08).contains(&ratio));
    }
}
