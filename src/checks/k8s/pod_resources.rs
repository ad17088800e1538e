//! The seed's `kubectl top pods` step (Performance): each app container's CPU and memory use
//! against its limits, from metrics.k8s.io. The metrics are folded as they are read, each
//! container judged against its pod's limits (from the pods' fold): memory holds a number per
//! container and the nearest few by name, whatever the deployment's size.

use super::{
    fmt_bytes, fmt_cpu, metrics_error, metrics_resource, parse_quantity, worst_usage, Usage, CPU,
    MEMORY,
};
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::discovery::pods::ContainerLimits;
use crate::settings::Settings;
use crate::types::{KubePermission, KubePermissions};
use kube::api::{Api, DynamicObject, ListParams};

pub const LEVELS: &[&Level] = &[&CPU, &MEMORY];

/// What `read` asks the API server: the app's pods, then their metrics by each deployment's selector.
pub const KUBE_PERMISSIONS: KubePermissions = &[
    crate::discovery::permissions::WORKLOADS_PERMISSIONS,
    &[KubePermission::namespaced("list", "metrics.k8s.io", "pods")],
];

/// Containers nearest a limit kept by name, for each resource; and shown in the evidence.
const NEAREST: usize = 10;

/// One container's use and limit (cores, bytes), where both are known.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerUse {
    pub pod: String,
    pub container: String,
    pub cpu: Option<(f64, f64)>,
    pub memory: Option<(f64, f64)>,
}

impl ContainerUse {
    fn percent(pair: Option<(f64, f64)>) -> Option<f64> {
        pair.filter(|(_, limit)| *limit > 0.0)
            .map(|(used, limit)| used / limit * 100.0)
    }
}

/// The app's containers' use, folded from the metrics as they are read.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Each container compared: its percentages of the CPU and the memory limit.
    pub percents: Vec<(Option<f64>, Option<f64>)>,
    /// The containers nearest their CPU limit, nearest first, by name.
    pub nearest_cpu: Vec<ContainerUse>,
    /// The same for memory.
    pub nearest_memory: Vec<ContainerUse>,
    /// Containers measured that have no limits (counted, not judged).
    pub no_limits: usize,
}

/// Puts `c` into `list` (nearest first) when it is among the `NEAREST` by `pick`.
fn keep_nearest(
    list: &mut Vec<ContainerUse>,
    c: &ContainerUse,
    pick: fn(&ContainerUse) -> Option<f64>,
) {
    let Some(mine) = pick(c) else { return };
    let position = list.partition_point(|k| pick(k).is_some_and(|p| p >= mine));
    if position < NEAREST {
        list.insert(position, c.clone());
        list.truncate(NEAREST);
    }
}

impl Snapshot {
    /// Folds one container's use in (quantities); `limits` are its pod's (None: no limits).
    pub fn add(
        &mut self,
        pod: &str,
        container: &str,
        usage: (Option<&str>, Option<&str>),
        limits: Option<(Option<&str>, Option<&str>)>,
    ) {
        let Some((cpu_limit, memory_limit)) = limits else {
            self.no_limits += 1;
            return;
        };
        let pair = |used: Option<&str>, limit: Option<&str>| {
            Some((parse_quantity(used?)?, parse_quantity(limit?)?))
        };
        let c = ContainerUse {
            pod: pod.to_string(),
            container: container.to_string(),
            cpu: pair(usage.0, cpu_limit),
            memory: pair(usage.1, memory_limit),
        };
        let percents = (
            ContainerUse::percent(c.cpu),
            ContainerUse::percent(c.memory),
        );
        if percents == (None, None) {
            return;
        }
        self.percents.push(percents);
        keep_nearest(&mut self.nearest_cpu, &c, |u| ContainerUse::percent(u.cpu));
        keep_nearest(&mut self.nearest_memory, &c, |u| {
            ContainerUse::percent(u.memory)
        });
    }

    /// The metrics of one PodMetrics object, judged against `limits`.
    fn add_pod_metrics(&mut self, m: &DynamicObject, limits: &ContainerLimits) {
        let Some(pod) = m.metadata.name.as_deref() else {
            return;
        };
        let list = m.data.get("containers").and_then(|c| c.as_array());
        for u in list.into_iter().flatten() {
            let Some(container) = u.get("name").and_then(|n| n.as_str()) else {
                continue;
            };
            if !limits.knows(container) {
                continue;
            }
            let quantity = |resource: &str| u.get("usage")?.get(resource)?.as_str();
            let limit = limits
                .of(pod, container)
                .map(|l| (l.cpu.as_deref(), l.memory.as_deref()));
            self.add(pod, container, (quantity("cpu"), quantity("memory")), limit);
        }
    }
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let workloads = r.app_workloads().await?;
    let client = r.ctx.kube().await?;
    let resource = metrics_resource("PodMetrics", "pods");
    let api = Api::<DynamicObject>::namespaced_with(client, &r.settings().namespace, &resource);
    let page = r.settings().kubernetes.page_size;
    let mut snapshot = Snapshot::default();
    // Only the app's pods' metrics, by each deployment's selector (metrics-server filters by
    // label): the namespace may hold thousands of other pods.
    for w in workloads.iter() {
        let Some(selector) = w.deployment.as_ref().map(crate::discovery::label_selector) else {
            continue;
        };
        if selector.is_empty() {
            continue;
        }
        let params = ListParams::default().labels(&selector);
        crate::kube_list::list_kept(&api, &params, page, |m: DynamicObject| {
            snapshot.add_pod_metrics(&m, &w.pods.limits);
            None::<()>
        })
        .await
        .map_err(|e| metrics_error(e, "list pod metrics"))?;
    }
    Ok(snapshot)
}

/// The container nearest its limit decides; containers without limits are counted, not judged.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let cpu_level = settings.thresholds.level(&CPU);
    let memory_level = settings.thresholds.level(&MEMORY);
    let judge = |cpu: Option<f64>, memory: Option<f64>| {
        let items: Vec<_> = cpu
            .map(|p| (p, cpu_level))
            .into_iter()
            .chain(memory.map(|p| (p, memory_level)))
            .collect();
        worst_usage(&items)
    };
    let judged: Vec<Usage> = s
        .percents
        .iter()
        .filter_map(|(cpu, memory)| judge(*cpu, *memory))
        .collect();
    let problems = judged.iter().filter(|u| u.status.is_problem()).count();
    let mut nearest: Vec<&ContainerUse> = s.nearest_cpu.iter().collect();
    for c in &s.nearest_memory {
        if !nearest
            .iter()
            .any(|n| n.pod == c.pod && n.container == c.container)
        {
            nearest.push(c);
        }
    }
    let mut shown: Vec<(Usage, &ContainerUse)> = nearest
        .into_iter()
        .filter_map(|c| {
            judge(
                ContainerUse::percent(c.cpu),
                ContainerUse::percent(c.memory),
            )
            .map(|u| (u, c))
        })
        .filter(|(u, _)| u.status.is_problem())
        .collect();
    shown.sort_by(|a, b| {
        b.0.status
            .cmp(&a.0.status)
            .then(b.0.percent.total_cmp(&a.0.percent))
    });
    let mut evidence: Vec<String> = shown
        .iter()
        .take(NEAREST)
        .map(|(_, c)| describe(c))
        .collect();
    if problems > evidence.len() {
        evidence.push(format!(
            "{} more container(s) above a warning level",
            problems - evidence.len()
        ));
    }
    if s.no_limits > 0 {
        evidence.push(format!(
            "{} container(s) without limits not compared",
            s.no_limits
        ));
    }
    let Some(worst) = judged.into_iter().max_by(|a, b| {
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

/// `backend-1/app: cpu 405m of 500m (81%), memory 1Mi of 512Mi (0%)`.
fn describe(c: &ContainerUse) -> String {
    let mut parts = Vec::new();
    for (resource, pair, fmt) in [
        ("cpu", c.cpu, fmt_cpu as fn(f64) -> String),
        ("memory", c.memory, fmt_bytes as fn(f64) -> String),
    ] {
        if let (Some((used, limit)), Some(pct)) = (pair, ContainerUse::percent(pair)) {
            parts.push(format!(
                "{resource} {} of {} ({}%)",
                fmt(used),
                fmt(limit),
                fmt_num(pct, 0)
            ));
        }
    }
    format!("{}/{}: {}", c.pod, c.container, parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::types::Threshold;

    /// backend-1 (limits 500m CPU, 512Mi memory) using `cpu` and `memory`.
    fn snapshot(cpu: &str, memory: &str) -> Snapshot {
        let mut s = Snapshot::default();
        s.add(
            "backend-1",
            "app",
            (Some(cpu), Some(memory)),
            Some((Some("500m"), Some("512Mi"))),
        );
        s
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
    fn no_metrics_is_unknown_and_containers_without_limits_are_counted() {
        let mut s = Snapshot::default();
        s.add("backend-1", "app", (Some("1m"), Some("1Mi")), None);
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Unknown);
        assert_eq!(f.summary, "no usage metrics for app pods with limits");
        assert_eq!(
            f.evidence,
            vec!["1 container(s) without limits not compared"]
        );
    }

    /// Thousands of containers: the verdict counts them all, memory keeps the nearest by name.
    #[test]
    fn many_containers_are_judged_all_and_the_nearest_shown() {
        let mut s = Snapshot::default();
        for i in 0..5000 {
            // CPU 100m..599m of 1 core; one in a thousand near its memory limit.
            let cpu = format!("{}m", 100 + i % 500);
            let memory = if i % 1000 == 7 { "1000Mi" } else { "100Mi" };
            s.add(
                &format!("backend-{i:04}"),
                "app",
                (Some(&cpu), Some(memory)),
                Some((Some("600m"), Some("1Gi"))),
            );
        }
        assert_eq!(s.percents.len(), 5000);
        assert_eq!(
            (s.nearest_cpu.len(), s.nearest_memory.len()),
            (NEAREST, NEAREST)
        );
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "highest container use 100% of its limit");
        // 5 near memory (97.7%), and every container above 80% of its CPU limit (480m+).
        let over_cpu = (0..5000)
            .filter(|i| (100 + i % 500) as f64 / 600.0 > 0.8)
            .count();
        let problems = over_cpu + 5
            - (0..5000)
                .filter(|i| i % 1000 == 7 && (100 + i % 500) as f64 / 600.0 > 0.8)
                .count();
        assert_eq!(f.evidence.len(), NEAREST + 1, "{:?}", f.evidence);
        assert_eq!(
            f.evidence[NEAREST],
            format!(
                "{} more container(s) above a warning level",
                problems - NEAREST
            )
        );
        assert!(
            f.evidence[0].contains("cpu 599m of 600m (100%)"),
            "{:?}",
            f.evidence
        );
    }
}
