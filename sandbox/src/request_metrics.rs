//! HTTP request metrics as each family writes them (names, labels, units), for Prometheus
//! history: an app's traffic next to other apps' in the same Prometheus, and the truth seeded
//! (error rate, 403 rate, p95), computed from the traffic alone.

use std::fmt::Write as _;

/// The families of request metrics a team's Prometheus may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Incidentctl,
    IngressNginx,
    Istio,
    OtelHttp,
    Spring,
    Traefik,
}

impl Family {
    pub const ALL: [Family; 6] = [
        Family::Incidentctl,
        Family::IngressNginx,
        Family::Istio,
        Family::OtelHttp,
        Family::Spring,
        Family::Traefik,
    ];

    /// Its name in incidentctl's `prometheus.metrics`.
    pub fn name(self) -> &'static str {
        match self {
            Family::Incidentctl => "incidentctl",
            Family::IngressNginx => "ingress-nginx",
            Family::Istio => "istio",
            Family::OtelHttp => "otel-http",
            Family::Spring => "spring",
            Family::Traefik => "traefik",
        }
    }
}

impl std::str::FromStr for Family {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Family::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Family::ALL.iter().map(|f| f.name()).collect();
                format!("unknown metrics family '{s}' ({})", names.join(", "))
            })
    }
}

/// The latency bounds (seconds) every app's histogram has, below +Inf.
pub const BOUNDS: [f64; 8] = [0.1, 0.25, 0.5, 1.0, 2.5, 3.5, 5.0, 10.0];

/// One workload's traffic: requests per second by status, and the share of requests answered
/// within each of [`BOUNDS`] (cumulative; +Inf is 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Traffic {
    pub namespace: String,
    pub service: String,
    pub workload: String,
    pub port: u16,
    pub per_second: Vec<(u16, f64)>,
    pub within: [f64; 8],
}

impl Traffic {
    fn total(&self) -> f64 {
        self.per_second.iter().map(|(_, r)| r).sum()
    }
}

/// What `apps` answer, computed from their traffic: the share of 5xx and of 403, and the 95th
/// percentile of latency in seconds (requests taken as spread evenly within a bucket, as
/// `histogram_quantile` reads a histogram).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Truth {
    pub error_ratio: f64,
    pub forbidden_ratio: f64,
    pub p95_seconds: f64,
}

pub fn truth(apps: &[Traffic]) -> Truth {
    let total: f64 = apps.iter().map(Traffic::total).sum();
    let share = |keep: &dyn Fn(u16) -> bool| {
        let matching: f64 = apps
            .iter()
            .flat_map(|a| a.per_second.iter())
            .filter(|(status, _)| keep(*status))
            .map(|(_, r)| r)
            .sum();
        matching / total
    };
    let rank = 0.95 * total;
    let mut below = 0.0;
    let mut lower = 0.0;
    let mut p95 = f64::INFINITY;
    for (i, upper) in BOUNDS.iter().enumerate() {
        let within: f64 = apps.iter().map(|a| a.total() * a.within[i]).sum();
        if within >= rank {
            p95 = lower + (upper - lower) * (rank - below) / (within - below);
            break;
        }
        below = within;
        lower = *upper;
    }
    Truth {
        error_ratio: share(&|s| (500..600).contains(&s)),
        forbidden_ratio: share(&|s| s == 403),
        p95_seconds: p95,
    }
}

fn traffic(
    namespace: &str,
    name: &str,
    port: u16,
    per_second: &[(u16, f64)],
    within: [f64; 8],
) -> Traffic {
    Traffic {
        namespace: namespace.into(),
        service: name.into(),
        workload: name.into(),
        port,
        per_second: per_second.to_vec(),
        within,
    }
}

/// The app of the family tests (`backend` and `frontend` in `namespace`): 6.5 % 5xx, 2.5 % 403,
/// p95 about 2.9 s.
pub fn the_app(namespace: &str) -> Vec<Traffic> {
    vec![
        traffic(
            namespace,
            "backend",
            8080,
            &[(200, 53.0), (500, 5.0), (503, 1.0), (403, 1.0)],
            [0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 1.0, 1.0],
        ),
        traffic(
            namespace,
            "frontend",
            80,
            &[(200, 38.0), (500, 0.5), (403, 1.5)],
            [0.6, 0.9, 0.97, 1.0, 1.0, 1.0, 1.0, 1.0],
        ),
    ]
}

/// Two other apps in the same Prometheus, at other error rates: `backend-admin` next to the app
/// in its namespace (40 % 5xx, slow), and `backend` in namespace `billing` (30 % 403).
pub fn other_apps(namespace: &str) -> Vec<Traffic> {
    vec![
        traffic(
            namespace,
            "backend-admin",
            80,
            &[(200, 30.0), (500, 20.0)],
            [0.05, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.9],
        ),
        traffic(
            "billing",
            "backend",
            8080,
            &[(200, 70.0), (500, 0.3), (403, 30.0)],
            [0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        ),
    ]
}

/// Prometheus history for the family tests: the app ([`the_app`]) and [`other_apps`] in
/// `family`'s names, from 20 minutes before `now` to an hour after it (so `rate(…[5m])` at
/// "now" has samples while the tests run).
pub fn family_history(family: Family, namespace: &str, now: i64) -> String {
    let mut apps = the_app(namespace);
    apps.extend(other_apps(namespace));
    let mut text = openmetrics(family, &apps, now - 1200, now + 3600);
    text.push_str("# EOF\n");
    text
}

/// A Prometheus in `root` holding [`family_history`] for the app in `namespace`: what
/// `incidentctl-sandbox --metrics FAMILY` points incidentctl at instead of the world's own.
pub fn start_prometheus(
    root: &std::path::Path,
    family: Family,
    namespace: &str,
) -> Result<crate::servers::Prometheus, String> {
    let now = jiff::Timestamp::now().as_second();
    crate::servers::Prometheus::start(root, Some(&family_history(family, namespace, now)))
        .map_err(|e| format!("the {} Prometheus: {e}", family.name()))
}

/// A family's names, and the labels of one workload's series besides its status.
struct Writer {
    family: Family,
    /// Requests are a histogram's `_count` (OpenTelemetry, Spring) rather than a counter.
    requests: Option<(&'static str, &'static str)>,
    histogram: &'static str,
    status: &'static str,
    /// Histogram bounds per second (Istio's are milliseconds).
    per_second: f64,
}

fn writer(family: Family) -> Writer {
    let w = |requests, histogram, status, per_second| Writer {
        family,
        requests,
        histogram,
        status,
        per_second,
    };
    match family {
        Family::Incidentctl => w(
            Some(("http_requests", "http_requests_total")),
            "http_request_duration_seconds",
            "status",
            1.0,
        ),
        // No `_total`: typed a gauge, as OpenMetrics requires a counter's samples to end so.
        Family::IngressNginx => w(
            Some((
                "nginx_ingress_controller_requests",
                "nginx_ingress_controller_requests",
            )),
            "nginx_ingress_controller_request_duration_seconds",
            "status",
            1.0,
        ),
        Family::Istio => w(
            Some(("istio_requests", "istio_requests_total")),
            "istio_request_duration_milliseconds",
            "response_code",
            1000.0,
        ),
        Family::OtelHttp => w(
            None,
            "http_server_request_duration_seconds",
            "http_response_status_code",
            1.0,
        ),
        Family::Spring => w(None, "http_server_requests_seconds", "status", 1.0),
        Family::Traefik => w(
            Some(("traefik_service_requests", "traefik_service_requests_total")),
            "traefik_service_request_duration_seconds",
            "code",
            1.0,
        ),
    }
}

impl Writer {
    /// The labels of `t`'s series as this family writes them (without status or `le`), one set
    /// per reporter for Istio.
    fn label_sets(&self, t: &Traffic) -> Vec<(String, f64)> {
        let (ns, svc, wl) = (&t.namespace, &t.service, &t.workload);
        match self.family {
            Family::Incidentctl => vec![(
                format!(r#"job="{svc}",namespace="{ns}",service="{svc}""#),
                1.0,
            )],
            Family::IngressNginx => vec![(
                format!(
                    r#"controller_namespace="ingress-nginx",ingress="{svc}-ingress",method="GET",namespace="{ns}",service="{svc}""#
                ),
                1.0,
            )],
            // The caller's sidecar reports the same requests (and, in the extra share, those
            // its circuit breaker refused: 503s that never reached the app).
            Family::Istio => vec![
                (
                    format!(
                        r#"destination_service_name="{svc}",destination_workload="{wl}",destination_workload_namespace="{ns}",reporter="destination""#
                    ),
                    1.0,
                ),
                (
                    format!(
                        r#"destination_service_name="{svc}",destination_workload="{wl}",destination_workload_namespace="{ns}",reporter="source""#
                    ),
                    1.5,
                ),
            ],
            Family::OtelHttp => vec![(
                format!(
                    r#"http_request_method="GET",k8s_namespace_name="{ns}",service_name="{wl}""#
                ),
                1.0,
            )],
            Family::Spring => vec![(
                format!(
                    r#"application="{wl}",method="GET",namespace="{ns}",service="{svc}",uri="/api""#
                ),
                1.0,
            )],
            Family::Traefik => vec![(
                format!(
                    r#"method="GET",protocol="http",service="{ns}-{svc}-{}@kubernetes""#,
                    t.port
                ),
                1.0,
            )],
        }
    }

    /// `t`'s requests per second by status in one label set: the source reporter's extra
    /// share are 503s.
    fn rates(t: &Traffic, extra: f64) -> Vec<(u16, f64)> {
        let mut rates = t.per_second.clone();
        if extra > 1.0 {
            let more = t.total() * (extra - 1.0);
            match rates.iter_mut().find(|(s, _)| *s == 503) {
                Some((_, r)) => *r += more,
                None => rates.push((503, more)),
            }
        }
        rates
    }
}

/// Every 15 s from `start` to `end` (unix seconds).
fn steps(start: i64, end: i64) -> Vec<i64> {
    (0..)
        .map(|i| start + i * 15)
        .take_while(|t| *t <= end)
        .collect()
}

/// The family's OpenMetrics text for `apps` (without `# EOF`): counters growing at each
/// status's rate, histograms at each bound's share, every 15 s from `start` to `end`.
pub fn openmetrics(family: Family, apps: &[Traffic], start: i64, end: i64) -> String {
    let w = writer(family);
    let times = steps(start, end);
    let mut out = String::new();
    let series = |out: &mut String, name: &str, labels: &str, per_step: f64| {
        for (i, t) in times.iter().enumerate() {
            let _ = writeln!(out, "{name}{{{labels}}} {} {t}", per_step * i as f64);
        }
    };
    if let Some((base, sample)) = w.requests {
        let kind = if base == sample { "gauge" } else { "counter" };
        let _ = writeln!(out, "# TYPE {base} {kind}");
        for t in apps {
            for (labels, extra) in w.label_sets(t) {
                for (status, rate) in Writer::rates(t, extra) {
                    let labels = format!(r#"{labels},{}="{status}""#, w.status);
                    series(&mut out, sample, &labels, rate * 15.0);
                }
            }
        }
    }
    let h = w.histogram;
    let _ = writeln!(out, "# TYPE {h} histogram");
    for t in apps {
        for (labels, extra) in w.label_sets(t) {
            for (status, rate) in Writer::rates(t, extra) {
                let labels = format!(r#"{labels},{}="{status}""#, w.status);
                for (bound, share) in BOUNDS.iter().zip(t.within) {
                    let le = format!(r#"{labels},le="{}""#, bound * w.per_second);
                    series(&mut out, &format!("{h}_bucket"), &le, rate * share * 15.0);
                }
                let inf = format!(r#"{labels},le="+Inf""#);
                series(&mut out, &format!("{h}_bucket"), &inf, rate * 15.0);
                series(&mut out, &format!("{h}_count"), &labels, rate * 15.0);
                series(&mut out, &format!("{h}_sum"), &labels, rate * 15.0);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apps_truth_differs_from_the_whole_servers() {
        let app = truth(&the_app("shop"));
        assert!((app.error_ratio - 0.065).abs() < 1e-9, "{app:?}");
        assert!((app.forbidden_ratio - 0.025).abs() < 1e-9, "{app:?}");
        // 94 of 100 requests within 2.5 s, 97 within 3.5 s: the 95th is a third of the way.
        assert!(
            (app.p95_seconds - (2.5 + 1.0 / 3.0)).abs() < 1e-9,
            "{app:?}"
        );
        let mut all = the_app("shop");
        all.extend(other_apps("shop"));
        let whole = truth(&all);
        assert!(
            whole.error_ratio > 0.09 && whole.forbidden_ratio > 0.1,
            "{whole:?}"
        );
        assert!(whole.p95_seconds > 5.0, "{whole:?}");
    }

    #[test]
    fn families_by_name() {
        for f in Family::ALL {
            assert_eq!(f.name().parse::<Family>(), Ok(f));
        }
        assert!("nginx".parse::<Family>().is_err());
    }
}
