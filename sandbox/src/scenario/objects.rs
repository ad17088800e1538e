//! The objects of the seed's platform, one builder per kind, and the logs its pods write.

use super::{ts, NAMESPACE, PG_PASSWORD};
use serde_json::{json, Value};

fn meta(name: &str, uid: &str, labels: Value, now: i64) -> Value {
    json!({"name": name, "namespace": NAMESPACE, "uid": uid, "labels": labels,
           "creationTimestamp": ts(now, -86_400)})
}

pub(super) struct PodSpec<'a> {
    pub(super) name: &'a str,
    pub(super) app: &'a str,
    pub(super) ready: bool,
    /// Waiting reason of the main container (CrashLoopBackOff, ImagePullBackOff, …).
    pub(super) waiting: Option<&'a str>,
    pub(super) restarts: i32,
    pub(super) last_exit: Option<&'a str>,
    pub(super) cpu_limit: &'a str,
    pub(super) memory_limit: &'a str,
}

pub(super) fn pod(p: &PodSpec, now: i64) -> Value {
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

pub(super) fn deployment(name: &str, replicas: i32, ready: i32, now: i64) -> Value {
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

pub(super) fn service(name: &str, app: &str, port: i32, now: i64) -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": name, "namespace": NAMESPACE, "uid": format!("uid-svc-{name}"), "creationTimestamp": ts(now, -86_400)},
           "spec": {"selector": {"app": app}, "ports": [{"port": port, "targetPort": port}]}})
}

pub(super) fn endpoints(name: &str, ready: &[&str], not_ready: &[&str], port: i32) -> Value {
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
pub(super) fn event(
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

pub(super) fn node(name: &str) -> Value {
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

pub(super) fn pod_metrics(pod: &str, container: &str, cpu: &str, memory: &str, now: i64) -> Value {
    json!({"apiVersion": "metrics.k8s.io/v1beta1", "kind": "PodMetrics",
           "metadata": {"name": pod, "namespace": NAMESPACE},
           "timestamp": ts(now, -15), "window": "15s",
           "containers": [{"name": container, "usage": {"cpu": cpu, "memory": memory}}]})
}

pub(super) fn node_metrics(node: &str, cpu: &str, memory: &str, now: i64) -> Value {
    json!({"apiVersion": "metrics.k8s.io/v1beta1", "kind": "NodeMetrics",
           "metadata": {"name": node}, "timestamp": ts(now, -15), "window": "15s",
           "usage": {"cpu": cpu, "memory": memory}})
}

pub(super) fn app_log(now: i64, errors: usize, auth_failures: usize, with_secret: bool) -> String {
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

pub(super) fn access_log(now: i64, denied: usize) -> String {
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

pub(super) fn base64_encode(data: &[u8]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_encode(b"hi"), "aGk=");
        assert_eq!(base64_encode(b"abc"), "YWJj");
    }
}
