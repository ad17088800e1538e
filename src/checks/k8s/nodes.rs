//! The seed's `kubectl top nodes` and `kubectl describe nodes` steps (Performance): node
//! conditions, and use against allocatable when metrics.k8s.io answers.

use super::{metrics_error, metrics_resource, name_of, parse_quantity, worst_usage, CPU, MEMORY};
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::context::kube_error;
use crate::settings::Settings;
use crate::types::sign::Sign;
use crate::types::{KubePermission, KubePermissions};
use k8s_openapi::api::core::v1::Node;
use kube::api::{Api, DynamicObject, ListParams};
use std::collections::BTreeMap;

pub const LEVELS: &[&Level] = &[&CPU, &MEMORY];

/// What `read` asks the API server: the nodes and their metrics, cluster-wide.
pub const KUBE_PERMISSIONS: KubePermissions = &[&[
    KubePermission::cluster("list", "", "nodes"),
    KubePermission::cluster("list", "metrics.k8s.io", "nodes"),
]];

/// A node's use as metrics-server reports it (Kubernetes quantities).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeUsage {
    pub cpu: Option<String>,
    pub memory: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub nodes: Vec<Node>,
    /// By node name; Err says why there are no metrics (conditions are judged anyway).
    pub usage: Result<BTreeMap<String, NodeUsage>, String>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let client = r.ctx.kube().await?;
    let page = r.settings().kubernetes.page_size;
    let nodes = crate::kube_list::list_all(
        &Api::<Node>::all(client.clone()),
        &ListParams::default(),
        page,
    )
    .await
    .map_err(|e| kube_error(e, "list nodes"))?;
    let resource = metrics_resource("NodeMetrics", "nodes");
    let metrics = Api::<DynamicObject>::all_with(client, &resource);
    let usage = match crate::kube_list::list_all(&metrics, &ListParams::default(), page).await {
        Ok(list) => Ok(list
            .iter()
            .filter_map(|m| {
                let usage = m.data.get("usage")?;
                let quantity = |k: &str| usage.get(k).and_then(|v| v.as_str()).map(str::to_string);
                let node = NodeUsage {
                    cpu: quantity("cpu"),
                    memory: quantity("memory"),
                };
                Some((m.metadata.name.clone()?, node))
            })
            .collect()),
        // Say why: a missing metrics-server and a missing permission need different fixes.
        Err(e) => Err(metrics_error(e, "list node metrics").message),
    };
    Ok(Snapshot { nodes, usage })
}

/// A node condition's verdict: not Ready is critical, any pressure a warning.
fn condition_status(type_: &str, status: &str) -> Option<Status> {
    match type_ {
        "Ready" => (status != "True").then_some(Status::Critical),
        "MemoryPressure" | "DiskPressure" | "PIDPressure" | "NetworkUnavailable" => {
            (status == "True").then_some(Status::Warning)
        }
        _ => None,
    }
}

pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let levels = [
        ("cpu", settings.thresholds.level(&CPU)),
        ("memory", settings.thresholds.level(&MEMORY)),
    ];
    let mut status = Status::Ok;
    let mut evidence = Vec::new();
    let mut signs = Vec::new();
    let mut measured = Vec::new();
    let no_usage = BTreeMap::new();
    let usage = match &s.usage {
        Ok(usage) => usage,
        Err(why) => {
            evidence.push(format!("node metrics unavailable, conditions only: {why}"));
            &no_usage
        }
    };
    for node in &s.nodes {
        let name = name_of(&node.metadata);
        let conditions = node.status.as_ref().and_then(|s| s.conditions.as_ref());
        for c in conditions.into_iter().flatten() {
            if let Some(bad) = condition_status(&c.type_, &c.status) {
                status = status.max(bad);
                evidence.push(format!("{name}: {} is {}", c.type_, c.status));
                if c.type_.ends_with("Pressure") {
                    signs.push(Sign::NodePressure {
                        node: name.to_string(),
                        condition: c.type_.clone(),
                        since: c.last_transition_time.as_ref().map(|t| t.0),
                    });
                }
            }
        }
        let allocatable = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
        let (Some(used), Some(alloc)) = (usage.get(name), allocatable) else {
            continue;
        };
        let mut items = Vec::new();
        let mut parts = Vec::new();
        for (resource, level) in levels {
            let u = match resource {
                "cpu" => used.cpu.as_deref(),
                _ => used.memory.as_deref(),
            }
            .and_then(parse_quantity);
            let a = alloc.get(resource).and_then(|q| parse_quantity(&q.0));
            if let (Some(u), Some(a)) = (u, a) {
                if a > 0.0 {
                    items.push((u / a * 100.0, level));
                    parts.push(format!("{resource} {}%", fmt_num(u / a * 100.0, 0)));
                }
            }
        }
        if let Some(w) = worst_usage(&items) {
            if w.status.is_problem() {
                evidence.push(format!("{name}: {}", parts.join(", ")));
            }
            measured.push(w);
        }
    }
    let worst = measured.into_iter().max_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(a.percent.total_cmp(&b.percent))
    });
    let n = s.nodes.len();
    let mut finding = match &worst {
        Some(w) => Finding::measured(
            w.percent,
            "%",
            w.threshold,
            format!(
                "{n} node(s); highest use {}% of allocatable",
                fmt_num(w.percent, 0)
            ),
        ),
        None => Finding::ok(format!("{n} node(s)")),
    };
    finding.status = status.max(worst.map_or(Status::Ok, |w| w.status));
    if status == Status::Critical {
        finding.summary = format!("{n} node(s); some not Ready");
    }
    Ok(finding.evidence(evidence).signs(signs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::checks::k8s::fixtures::object;
    use serde_json::json;

    fn node(name: &str, ready: &str, memory_pressure: &str) -> Node {
        object(json!({
            "metadata": {"name": name},
            "status": {
                "allocatable": {"cpu": "2", "memory": "4Gi"},
                "conditions": [
                    {"type": "MemoryPressure", "status": memory_pressure},
                    {"type": "Ready", "status": ready}
                ]
            }
        }))
    }

    fn using(cpu: &str, memory: &str) -> Result<BTreeMap<String, NodeUsage>, String> {
        Ok(BTreeMap::from([(
            "node-1".to_string(),
            NodeUsage {
                cpu: Some(cpu.into()),
                memory: Some(memory.into()),
            },
        )]))
    }

    #[test]
    fn healthy_nodes_are_ok() {
        let s = Snapshot {
            nodes: vec![node("node-1", "True", "False")],
            usage: using("500m", "1Gi"),
        };
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "1 node(s); highest use 25% of allocatable");
        assert!(f.evidence.is_empty());
    }

    #[test]
    fn cpu_at_the_level_is_ok_above_it_warns() {
        let settings = default_settings();
        let at = Snapshot {
            nodes: vec![node("node-1", "True", "False")],
            usage: using("1600m", "1Gi"),
        };
        assert_eq!(assess(&at, &settings).unwrap().status, Status::Ok);
        let above = Snapshot {
            usage: using("1620m", "1Gi"),
            ..at
        };
        let f = assess(&above, &settings).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.evidence, vec!["node-1: cpu 81%, memory 25%"]);
    }

    #[test]
    fn a_node_not_ready_is_critical_and_pressure_is_named() {
        let s = Snapshot {
            nodes: vec![node("node-1", "False", "True")],
            usage: Err("list node metrics: 403 from the API server: forbidden".into()),
        };
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "1 node(s); some not Ready");
        assert_eq!(
            f.evidence,
            vec![
                "node metrics unavailable, conditions only: list node metrics: 403 from the API server: forbidden",
                "node-1: MemoryPressure is True",
                "node-1: Ready is False",
            ]
        );
    }
}
