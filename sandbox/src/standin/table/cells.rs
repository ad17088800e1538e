//! The cells of a Table's rows, one function per kind, as kube-apiserver's printers
//! (pkg/printers/internalversion) fill them; the columns they fill are `table_columns`.

use super::{array, human_duration, int, labels_text, or_none, since, text};
use serde_json::{json, Value};

/// The object a row is printed for, with what most kinds show: its name and age.
struct Row<'a> {
    o: &'a Value,
    name: &'a str,
    age: String,
    now: jiff::Timestamp,
}

impl Row<'_> {
    /// The names and the images of the containers listed at `spec`, comma-separated.
    fn containers(&self, spec: &str) -> (String, String) {
        let list = array(self.o, spec);
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
    }
}

/// The cells of one row, as kube-apiserver's printers (pkg/printers/internalversion) fill them.
pub(super) fn table_cells(kind: &str, o: &Value, now: jiff::Timestamp) -> Vec<Value> {
    let row = Row {
        o,
        name: text(o, "/metadata/name"),
        age: since(text(o, "/metadata/creationTimestamp"), now),
        now,
    };
    let cells: fn(&Row) -> Vec<Value> = match kind {
        "Pod" => pod,
        "Event" => event,
        "Deployment" => deployment,
        "StatefulSet" => stateful_set,
        "ReplicaSet" => replica_set,
        "Service" => service,
        "Endpoints" => endpoints,
        "Ingress" => ingress,
        "NetworkPolicy" => network_policy,
        "ConfigMap" => config_map,
        "Secret" => secret,
        "Node" => node,
        "Namespace" => namespace,
        _ => without_printer,
    };
    cells(&row)
}

/// NAME READY STATUS RESTARTS AGE, and IP, NODE, NOMINATED NODE, READINESS GATES. STATUS is the
/// phase unless a container waits or has terminated (the first container's reason wins): that is
/// how kubectl shows CrashLoopBackOff.
fn pod(row: &Row) -> Vec<Value> {
    let Row {
        o,
        name,
        ref age,
        now,
    } = *row;
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
        if let Ok(t) = text(c, "/lastState/terminated/finishedAt").parse::<jiff::Timestamp>() {
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
        } else if c.get("ready") == Some(&json!(true)) && c.pointer("/state/running").is_some() {
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

/// LAST SEEN TYPE REASON OBJECT MESSAGE, and SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME. FIRST
/// SEEN falls back to eventTime and a series gives LAST SEEN and COUNT, as newer clusters write
/// events.
fn event(row: &Row) -> Vec<Value> {
    let Row { o, name, now, .. } = *row;
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

/// NAME READY UP-TO-DATE AVAILABLE AGE, and CONTAINERS, IMAGES, SELECTOR.
fn deployment(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
    let (names, images) = row.containers("/spec/template/spec/containers");
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

/// NAME READY AGE, and CONTAINERS, IMAGES.
fn stateful_set(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
    let (names, images) = row.containers("/spec/template/spec/containers");
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

/// NAME DESIRED CURRENT READY AGE, and CONTAINERS, IMAGES, SELECTOR.
fn replica_set(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
    let (names, images) = row.containers("/spec/template/spec/containers");
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

/// NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, and SELECTOR.
fn service(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
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

/// NAME ENDPOINTS AGE: the first three addresses and how many more.
fn endpoints(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
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

/// NAME CLASS HOSTS ADDRESS PORTS AGE.
fn ingress(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
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

/// NAME POD-SELECTOR AGE.
fn network_policy(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
    vec![
        json!(name),
        json!(or_none(labels_text(
            o.pointer("/spec/podSelector/matchLabels")
        ))),
        json!(age),
    ]
}

/// NAME DATA AGE.
fn config_map(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
    let count = ["/data", "/binaryData"]
        .iter()
        .filter_map(|p| o.pointer(p).and_then(Value::as_object))
        .map(|m| m.len())
        .sum::<usize>();
    vec![json!(name), json!(count), json!(age)]
}

/// NAME TYPE DATA AGE.
fn secret(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
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

/// NAME STATUS ROLES AGE VERSION, and INTERNAL-IP, EXTERNAL-IP, OS-IMAGE, KERNEL-VERSION,
/// CONTAINER-RUNTIME.
fn node(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
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

/// NAME STATUS AGE.
fn namespace(row: &Row) -> Vec<Value> {
    let Row {
        o, name, ref age, ..
    } = *row;
    vec![json!(name), json!(text(o, "/status/phase")), json!(age)]
}

/// NAME and CREATED AT: kube-apiserver's default for kinds without a printer.
fn without_printer(row: &Row) -> Vec<Value> {
    let Row { o, name, .. } = *row;
    vec![json!(name), json!(text(o, "/metadata/creationTimestamp"))]
}
