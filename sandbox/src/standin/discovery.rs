//! Discovery, as kubectl needs it before anything else: `/version`, `/api`, `/apis`, `/api/v1`
//! and `/apis/GROUP/VERSION`, with the short names and categories kube-apiserver advertises.

use super::{json_reply, Reply};
use http::StatusCode;
use serde_json::{json, Value};

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

pub(super) fn discovery(parts: &[&str]) -> Option<Reply> {
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
}
