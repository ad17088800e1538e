//! The seed's `kubectl top pods` step (Performance): each app container's CPU and memory use
//! against its limits, from metrics.k8s.io.

use super::{
    fmt_bytes, fmt_cpu, metrics_error, metrics_resource, name_of, parse_quantity, worst_usage,
    AppWorkloads, Usage, CPU, MEMORY,
};
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::settings::Settings;
use kube::api::{Api, DynamicObject, ListParams};
use std::collections::BTreeMap;
use std::sync::Arc;

pub const LEVELS: &[&Level] = &[&CPU, &MEMORY];

/// One container's use as metrics-server reports it (Kubernetes quantities).
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerUsage {
    pub container: String,
    pub cpu: Option<String>,
    pub memory: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub workloads: Arc<AppWorkloads>,
    /// By pod name.
    pub usage: BTreeMap<String, Vec<ContainerUsage>>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let workloads = r.app_workloads().await?;
    let client = r.ctx.kube().await?;
    let resource = metrics_resource("PodMetrics", "pods");
    let api = Api::<DynamicObject>::namespaced_with(client, &r.settings().namespace, &resource);
    let page = r.settings().kubernetes.page_size;
    // Only the app's pods' metrics, by each deployment's selector (metrics-server filters by
    // label): the namespace may hold thousands of other pods.
    let selectors: Vec<String> = workloads
        .iter()
        .filter_map(|w| w.deployment.as_ref().map(crate::discovery::label_selector))
        .filter(|selector| !selector.is_empty())
        .collect();
    let lists = selectors.iter().map(|selector| {
        let params = ListParams::default().labels(selector);
        let api = &api;
        async move {
            crate::kube_list::list_kept(api, &params, page, |m: DynamicObject| {
                Some((m.metadata.name?, containers_of(&m.data)?))
            })
            .await
        }
    });
    let mut usage = BTreeMap::new();
    for list in futures::future::join_all(lists).await {
        usage.extend(list.map_err(|e| metrics_error(e, "list pod metrics"))?);
    }
    Ok(Snapshot { workloads, usage })
}

/// The `containers` of a PodMetrics object; None when it has none in the expected shape.
fn containers_of(data: &serde_json::Value) -> Option<Vec<ContainerUsage>> {
    let quantity = |u: &serde_json::Value, resource: &str| {
        u.get("usage")?.get(resource)?.as_str().map(str::to_string)
    };
    let list = data.get("containers")?.as_array()?;
    Some(
        list.iter()
            .filter_map(|u| {
                Some(ContainerUsage {
                    container: u.get("name")?.as_str()?.to_string(),
                    cpu: quantity(u, "cpu"),
                    memory: quantity(u, "memory"),
                })
            })
            .collect(),
    )
}

/// The container nearest its limit decides; containers without limits are counted, not judged.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let levels = [
        (
            "cpu",
            settings.thresholds.level(&CPU),
            fmt_cpu as fn(f64) -> String,
        ),
        (
            "memory",
            settings.thresholds.level(&MEMORY),
            fmt_bytes as fn(f64) -> String,
        ),
    ];
    let mut measured: Vec<Usage> = Vec::new();
    let mut evidence = Vec::new();
    let mut no_limits = 0;
    for pod in s.workloads.iter().flat_map(|w| w.pods.iter()) {
        let pod_name = name_of(&pod.metadata);
        let Some(containers) = s.usage.get(pod_name) else {
            continue;
        };
        for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
            let Some(used) = containers.iter().find(|u| u.container == c.name) else {
                continue;
            };
            let Some(limits) = c.resources.as_ref().and_then(|r| r.limits.as_ref()) else {
                no_limits += 1;
                continue;
            };
            let mut parts = Vec::new();
            let mut items = Vec::new();
            for (resource, level, fmt) in levels {
                let u = match resource {
                    "cpu" => used.cpu.as_deref(),
                    _ => used.memory.as_deref(),
                }
                .and_then(parse_quantity);
                let l = limits.get(resource).and_then(|q| parse_quantity(&q.0));
                if let (Some(u), Some(l)) = (u, l) {
                    if l > 0.0 {
                        let pct = u / l * 100.0;
                        items.push((pct, level));
                        parts.push(format!(
                            "{resource} {} of {} ({}%)",
                            fmt(u),
                            fmt(l),
                            fmt_num(pct, 0)
                        ));
                    }
                }
            }
            if let Some(w) = worst_usage(&items) {
                if w.status.is_problem() {
                    evidence.push(format!("{pod_name}/{}: {}", c.name, parts.join(", ")));
                }
                measured.push(w);
            }
        }
    }
    if no_limits > 0 {
        evidence.push(format!(
            "{no_limits} container(s) without limits not compared"
        ));
    }
    let Some(worst) = measured.into_iter().max_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(a.percent.total_cmp(&b.percent))
    }) else {
        return Ok(
            Finding::new(Status::Unknown, "no usage metrics for app pods with limits")
                .evidence(evidence),
        );
    };
    let summary = format!(
        "highest container use {}% of its limit",
        fmt_num(worst.percent, 0)
    );
    let mut finding =
        Finding::measured(worst.percent, "%", worst.threshold, summary).evidence(evidence);
    finding.status = worst.status;
    Ok(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::checks::k8s::fixtures::{pod, PodState};
    use crate::discovery::AppWorkload;
    use crate::types::Threshold;

    /// backend-1 (limits 500m CPU, 512Mi memory) using `cpu` and `memory`.
    fn snapshot(cpu: &str, memory: &str) -> Snapshot {
        let workloads = vec![AppWorkload {
            name: "backend".into(),
            deployment: None,
            pods: vec![pod("backend-1", PodState::Ready)],
        }];
        let usage = BTreeMap::from([(
            "backend-1".to_string(),
            vec![ContainerUsage {
                container: "app".into(),
                cpu: Some(cpu.into()),
                memory: Some(memory.into()),
            }],
        )]);
        Snapshot {
            workloads: Arc::new(AppWorkloads::from(workloads)),
            usage,
        }
    }

    #[test]
    fn use_below_the_levels_is_ok() {
        let f = assess(&snapshot("100m", "128Mi"), &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "highest container use 25% of its limit");
        assert_eq!(f.value, Some(25.0));
        assert_eq!(f.threshold, Some(Threshold::new(85.0, 95.0)));
        assert!(f.evidence.is_empty());
    }

    #[test]
    fn cpu_at_the_warning_level_is_ok_and_above_it_warns() {
        let settings = default_settings();
        // 400m of 500m is exactly 80%: not above the level.
        assert_eq!(
            assess(&snapshot("400m", "1Mi"), &settings).unwrap().status,
            Status::Ok
        );
        let f = assess(&snapshot("405m", "1Mi"), &settings).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(
            f.evidence,
            vec!["backend-1/app: cpu 405m of 500m (81%), memory 1Mi of 512Mi (0%)"]
        );
    }

    #[test]
    fn memory_near_its_limit_is_critical_and_wins() {
        let f = assess(&snapshot("450m", "500Mi"), &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "highest container use 98% of its limit");
        assert_eq!(f.threshold, Some(Threshold::new(85.0, 95.0)));
    }

    #[test]
    fn a_configured_level_changes_the_verdict() {
        let mut settings = default_settings();
        settings
            .thresholds
            .0
            .insert("cpu".into(), Threshold::new(90.0, 99.0));
        assert_eq!(
            assess(&snapshot("405m", "1Mi"), &settings).unwrap().status,
            Status::Ok
        );
    }

    #[test]
    fn no_metrics_is_unknown() {
        let mut s = snapshot("1m", "1Mi");
        s.usage.clear();
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Unknown);
        assert_eq!(f.summary, "no usage metrics for app pods with limits");
    }

    #[test]
    fn metrics_objects_are_read_by_container() {
        let data = serde_json::json!({"containers": [
            {"name": "app", "usage": {"cpu": "12m", "memory": "30Mi"}},
            {"usage": {"cpu": "1m"}}
        ]});
        assert_eq!(
            containers_of(&data),
            Some(vec![ContainerUsage {
                container: "app".into(),
                cpu: Some("12m".into()),
                memory: Some("30Mi".into()),
            }])
        );
    }
}
