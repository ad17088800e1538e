//! Server-side printing: a list or an object as a `meta.k8s.io/v1` Table, with the columns of
//! kube-apiserver's printers (pkg/printers/internalversion) for the kinds the runbooks look at.
//! The cells of each kind's rows are in `cells`.

mod cells;

use super::{query_param, text};
use cells::table_cells;
use http::{header, Request};
use serde_json::{json, Value};

/// A request for server-side printing: kubectl `get` sends
/// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io,…` and maybe `includeObject`.
pub struct TableRequest {
    /// `None`, `Metadata` (the default) or `Object`: what each row carries besides its cells.
    include_object: String,
}

impl TableRequest {
    pub(super) fn from_request<B>(req: &Request<B>, query: &str) -> Option<TableRequest> {
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
pub(super) fn as_table(body: &Value, request: &TableRequest, now: jiff::Timestamp) -> Value {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
