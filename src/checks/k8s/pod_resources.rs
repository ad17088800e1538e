//! The seed's `kubectl top pods` step (Performance): each app container's CPU and memory use
//! against its limits, from metrics.k8s.io. The metrics are asked for as soon as the app's
//! deployments are known, while their pods are being folded, and read once the fold is done:
//! each container is then judged against its pod's limits (from the fold) as it is read.
//! What is kept is a few numbers and the nearest few containers by name, whatever the
//! deployment's size.

use super::{
    fmt_bytes, fmt_cpu, metrics_error, metrics_resource, parse_quantity, worst_usage, Usage, CPU,
    MEMORY,
};
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::discovery::pods::ContainerLimits;
use crate::settings::Settings;
use crate::types::{KubePermission, KubePermissions, Threshold};
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

/// A container's use judged: its status, its percentage of the limit, the level it was
/// judged by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judged {
    pub status: Status,
    pub percent: f64,
    pub threshold: Threshold,
}

impl From<Usage> for Judged {
    fn from(u: Usage) -> Self {
        Judged {
            status: u.status,
            percent: u.percent,
            threshold: u.threshold,
        }
    }
}

/// The CPU or memory percentages of one container, judged by the run's levels: the worse of
/// the two (memory on a tie, as the verdict has always read them).
fn judge(levels: (Threshold, Threshold), cpu: Option<f64>, memory: Option<f64>) -> Option<Judged> {
    let items: Vec<_> = cpu
        .map(|p| (p, levels.0))
        .into_iter()
        .chain(memory.map(|p| (p, levels.1)))
        .collect();
    worst_usage(&items).map(Judged::from)
}

/// Worse is greater: the status, then the percentage.
fn worse(a: &Judged, b: &Judged) -> std::cmp::Ordering {
    a.status
        .cmp(&b.status)
        .then(a.percent.total_cmp(&b.percent))
}

/// The app's containers' use, folded from the metrics as they are read: counts, the worst,
/// and the nearest few, never a number per container.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The CPU and the memory level the containers are judged by (the run's).
    levels: (Threshold, Threshold),
    /// Containers compared: a use and a limit known for CPU or memory.
    pub compared: usize,
    /// Of those, the containers above a warning level.
    pub problems: usize,
    /// The worst container (the last of equals, in the order read).
    pub worst: Option<Judged>,
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

/// A PodMetrics object as this check reads it: the pod's name and each container's use. The
/// rest (labels, timestamps) is passed over as it is parsed.
#[derive(Debug, serde::Deserialize)]
pub struct PodMetrics {
    metadata: MetricsMeta,
    containers: Option<Vec<ContainerMetrics>>,
}

#[derive(Debug, serde::Deserialize)]
struct MetricsMeta {
    name: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct ContainerMetrics {
    name: Option<String>,
    usage: Option<Quantities>,
}

#[derive(Debug, serde::Deserialize)]
struct Quantities {
    cpu: Option<String>,
    memory: Option<String>,
}

impl Snapshot {
    /// Nothing read yet; containers will be judged by `settings`' CPU and memory levels.
    pub fn new(settings: &Settings) -> Self {
        Snapshot {
            levels: (
                settings.thresholds.level(&CPU),
                settings.thresholds.level(&MEMORY),
            ),
            compared: 0,
            problems: 0,
            worst: None,
            nearest_cpu: Vec::new(),
            nearest_memory: Vec::new(),
            no_limits: 0,
        }
    }

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
        let cpu = ContainerUse::percent(c.cpu);
        let memory = ContainerUse::percent(c.memory);
        let Some(judged) = judge(self.levels, cpu, memory) else {
            return;
        };
        self.compared += 1;
        if judged.status.is_problem() {
            self.problems += 1;
        }
        if self
            .worst
            .is_none_or(|w| worse(&judged, &w) != std::cmp::Ordering::Less)
        {
            self.worst = Some(judged);
        }
        keep_nearest(&mut self.nearest_cpu, &c, |u| ContainerUse::percent(u.cpu));
        keep_nearest(&mut self.nearest_memory, &c, |u| {
            ContainerUse::percent(u.memory)
        });
    }

    /// The metrics of one pod, judged against `limits`.
    fn add_pod_metrics(&mut self, m: &PodMetrics, limits: &ContainerLimits) {
        let Some(pod) = m.metadata.name.as_deref() else {
            return;
        };
        for u in m.containers.iter().flatten() {
            let Some(container) = u.name.as_deref() else {
                continue;
            };
            if !limits.knows(container) {
                continue;
            }
            let quantity = |pick: fn(&Quantities) -> &Option<String>| {
                u.usage.as_ref().and_then(|q| pick(q).as_deref())
            };
            let limit = limits
                .of(pod, container)
                .map(|l| (l.cpu.as_deref(), l.memory.as_deref()));
            let usage = (quantity(|q| &q.cpu), quantity(|q| &q.memory));
            self.add(pod, container, usage, limit);
        }
    }

    /// Folds in what `other` read after this one (another deployment's containers), as if
    /// they had been read one after the other.
    fn then(mut self, other: Snapshot) -> Snapshot {
        self.compared += other.compared;
        self.problems += other.problems;
        self.no_limits += other.no_limits;
        if let Some(w) = other.worst {
            if self
                .worst
                .is_none_or(|mine| worse(&w, &mine) != std::cmp::Ordering::Less)
            {
                self.worst = Some(w);
            }
        }
        for c in &other.nearest_cpu {
            keep_nearest(&mut self.nearest_cpu, c, |u| ContainerUse::percent(u.cpu));
        }
        for c in &other.nearest_memory {
            keep_nearest(&mut self.nearest_memory, c, |u| {
                ContainerUse::percent(u.memory)
            });
        }
        self
    }
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let deployments = r.app_deployments().await?;
    let client = r.ctx.kube().await?;
    let resource = metrics_resource("PodMetrics", "pods");
    let api = Api::<DynamicObject>::namespaced_with(client, &r.settings().namespace, &resource);
    let page = r.settings().kubernetes.page_size;
    // Only the app's pods' metrics, by each deployment's selector (metrics-server filters by
    // label): the namespace may hold thousands of other pods.
    let selected: Vec<(usize, ListParams)> = deployments
        .list
        .iter()
        .enumerate()
        .filter_map(|(i, (_, d))| Some((i, crate::discovery::label_selector(d.as_ref()?))))
        .filter(|(_, selector)| !selector.is_empty())
        .map(|(i, selector)| (i, ListParams::default().labels(&selector)))
        .collect();
    // Asked for now, read once the pods' limits are known: the server's time to answer is
    // spent while the pods are folded, not after.
    let asked = futures::future::join_all(
        selected
            .iter()
            .map(|(_, params)| crate::clients::kube::list::ask_list(&api, params, page)),
    );
    let (asked, workloads) = futures::join!(asked, r.app_workloads());
    let workloads = workloads?;
    let reads = asked.into_iter().zip(&selected).map(|(asked, (i, _))| {
        let limits = &workloads[*i].pods.limits;
        async move {
            let asked = asked.map_err(|e| metrics_error(e, "list pod metrics"))?;
            let mut snapshot = Snapshot::new(r.settings());
            asked
                .fold(|m: PodMetrics| snapshot.add_pod_metrics(&m, limits))
                .await
                .map_err(|e| metrics_error(e, "list pod metrics"))?;
            Ok::<_, CheckError>(snapshot)
        }
    });
    let mut snapshot = Snapshot::new(r.settings());
    for read in futures::future::join_all(reads).await {
        snapshot = snapshot.then(read?);
    }
    Ok(snapshot)
}

/// The container nearest its limit decides; containers without limits are counted, not judged.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let levels = (
        settings.thresholds.level(&CPU),
        settings.thresholds.level(&MEMORY),
    );
    let mut nearest: Vec<&ContainerUse> = s.nearest_cpu.iter().collect();
    for c in &s.nearest_memory {
        if !nearest
            .iter()
            .any(|n| n.pod == c.pod && n.container == c.container)
        {
            nearest.push(c);
        }
    }
    let mut shown: Vec<(Judged, &ContainerUse)> = nearest
        .into_iter()
        .filter_map(|c| {
            judge(
                levels,
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
    if s.problems > evidence.len() {
        evidence.push(format!(
            "{} more container(s) above a warning level",
            s.problems - evidence.len()
        ));
    }
    if s.no_limits > 0 {
        evidence.push(format!(
            "{} container(s) without limits not compared",
            s.no_limits
        ));
    }
    let Some(worst) = s.worst else {
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

    /// backend-1 (limits 500m CPU, 512Mi memory) using `cpu` and `memory`, judged by the
    /// default levels.
    fn snapshot(cpu: &str, memory: &str) -> Snapshot {
        snapshot_by(cpu, memory, &default_settings())
    }

    fn snapshot_by(cpu: &str, memory: &str, settings: &Settings) -> Snapshot {
        let mut s = Snapshot::new(settings);
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
            assess(&snapshot_by("405m", "1Mi", &settings), &settings)
                .unwrap()
                .status,
            Status::Ok
        );
    }

    #[test]
    fn no_metrics_is_unknown_and_containers_without_limits_are_counted() {
        let mut s = Snapshot::new(&default_settings());
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
        let mut s = Snapshot::new(&default_settings());
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
        assert_eq!(s.compared, 5000);
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

    /// Metrics as metrics-server sends them, folded against the pods' limits: containers of
    /// other deployments are not the app's, a pod whose limits differ is judged by its own.
    #[test]
    fn pod_metrics_are_judged_against_their_own_pods_limits() {
        use crate::checks::k8s::fixtures::object;
        use crate::discovery::PodFold;
        use k8s_openapi::api::core::v1::Pod;
        use serde_json::json;
        let pod = |name: &str, cpu: &str| -> Pod {
            object(json!({"metadata": {"name": name},
                "spec": {"containers": [{"name": "app", "resources": {"limits": {"cpu": cpu, "memory": "1Gi"}}}]}}))
        };
        let fold = PodFold::of(vec![pod("a", "1"), pod("b", "1"), pod("c", "500m")], 5);
        let metrics: Vec<PodMetrics> = [
            ("a", "app", "100m"),
            ("b", "app", "850m"),
            ("c", "app", "450m"),
            ("c", "sidecar", "900m"),
        ]
        .iter()
        .map(|(pod, container, cpu)| {
            object(
                json!({"kind": "PodMetrics", "metadata": {"name": pod, "labels": {"app": "x"}},
                "timestamp": "2026-01-01T00:00:00Z", "window": "15s",
                "containers": [{"name": container, "usage": {"cpu": cpu, "memory": "100Mi"}}]}),
            )
        })
        .collect();
        let mut s = Snapshot::new(&default_settings());
        for m in &metrics {
            s.add_pod_metrics(m, &fold.limits);
        }
        // a 10%, b 85% (warning), c 90% of its own 500m (warning); the sidecar is not the app's.
        assert_eq!((s.compared, s.problems, s.no_limits), (3, 2, 0));
        let worst = s.worst.unwrap();
        assert_eq!((worst.status, worst.percent), (Status::Warning, 90.0));
        let nearest: Vec<&str> = s.nearest_cpu.iter().map(|c| c.pod.as_str()).collect();
        assert_eq!(nearest, ["c", "b", "a"]);
    }

    /// Two deployments read at once, then put together, give what reading them one after the
    /// other gives: the same counts, the same worst, the same nearest in the same order.
    #[test]
    fn snapshots_put_together_are_the_snapshot_of_both() {
        let settings = default_settings();
        let add = |s: &mut Snapshot, from: usize, to: usize| {
            for i in from..to {
                let cpu = format!("{}m", 300 + (i * 37) % 300);
                s.add(
                    &format!("p-{i:03}"),
                    "app",
                    (Some(&cpu), Some("900Mi")),
                    Some((Some("600m"), Some("1Gi"))),
                );
            }
        };
        let mut whole = Snapshot::new(&settings);
        add(&mut whole, 0, 200);
        let (mut first, mut second) = (Snapshot::new(&settings), Snapshot::new(&settings));
        add(&mut first, 0, 120);
        add(&mut second, 120, 200);
        let joined = first.then(second);
        assert_eq!(
            (joined.compared, joined.problems, joined.worst),
            (whole.compared, whole.problems, whole.worst)
        );
        assert_eq!(joined.nearest_cpu, whole.nearest_cpu);
        assert_eq!(joined.nearest_memory, whole.nearest_memory);
        assert_eq!(
            assess(&joined, &settings).unwrap(),
            assess(&whole, &settings).unwrap()
        );
    }
}
