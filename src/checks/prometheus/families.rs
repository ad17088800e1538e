//! Each family's metric and label names, and the built-in queries written from them for one
//! app: every selector goes through [`app_selector`], so every query is the app's own.

use crate::discovery::AppScope;
use crate::types::promql::{selector, Matcher};
use crate::types::{MetricFamily, RequestQuery};

/// How a family's series name the app besides its namespace.
#[derive(Debug, Clone, Copy)]
enum AppLabel {
    /// A label holding one of the app's Kubernetes services.
    Service(&'static str),
    /// A label holding one of the app's workloads (deployments).
    Workload(&'static str),
    /// Traefik's `service`: `<namespace>-<service>-<port>@kubernetes` (`@kubernetescrd` for an
    /// IngressRoute): the namespace and the service in one value.
    TraefikService,
}

/// A family's names: what it counts requests and latency in, and how its series name the app.
#[derive(Debug, Clone, Copy)]
struct Names {
    /// A counter of requests with an HTTP status label.
    requests: &'static str,
    status: &'static str,
    /// The latency histogram's buckets.
    buckets: &'static str,
    /// Latency buckets per second (Istio's are milliseconds: 1000).
    per_second: u32,
    /// The label holding the app's namespace (Traefik has none: it is in `service`).
    namespace: Option<&'static str>,
    app: AppLabel,
    /// Matchers every query of the family carries.
    fixed: &'static [(&'static str, &'static str)],
}

fn names(family: MetricFamily) -> Names {
    match family {
        MetricFamily::Incidentctl => Names {
            requests: "http_requests_total",
            status: "status",
            buckets: "http_request_duration_seconds_bucket",
            per_second: 1,
            namespace: Some("namespace"),
            app: AppLabel::Service("service"),
            fixed: &[],
        },
        MetricFamily::IngressNginx => Names {
            requests: "nginx_ingress_controller_requests",
            status: "status",
            buckets: "nginx_ingress_controller_request_duration_seconds_bucket",
            per_second: 1,
            namespace: Some("namespace"),
            app: AppLabel::Service("service"),
            fixed: &[],
        },
        MetricFamily::Istio => Names {
            requests: "istio_requests_total",
            status: "response_code",
            buckets: "istio_request_duration_milliseconds_bucket",
            per_second: 1000,
            namespace: Some("destination_workload_namespace"),
            app: AppLabel::Workload("destination_workload"),
            // The app's own sidecar's report: the caller's (`source`) counts the same requests
            // again, with the network's time added.
            fixed: &[("reporter", "destination")],
        },
        MetricFamily::OtelHttp => Names {
            requests: "http_server_request_duration_seconds_count",
            status: "http_response_status_code",
            buckets: "http_server_request_duration_seconds_bucket",
            per_second: 1,
            namespace: Some("k8s_namespace_name"),
            app: AppLabel::Workload("service_name"),
            fixed: &[],
        },
        MetricFamily::Spring => Names {
            requests: "http_server_requests_seconds_count",
            status: "status",
            buckets: "http_server_requests_seconds_bucket",
            per_second: 1,
            namespace: Some("namespace"),
            app: AppLabel::Service("service"),
            fixed: &[],
        },
        MetricFamily::Traefik => Names {
            requests: "traefik_service_requests_total",
            status: "code",
            buckets: "traefik_service_request_duration_seconds_bucket",
            per_second: 1,
            namespace: None,
            app: AppLabel::TraefikService,
            fixed: &[],
        },
    }
}

/// The family's request counter, as the look-up and the messages name it.
pub fn requests_metric(family: MetricFamily) -> &'static str {
    names(family).requests
}

/// `http_requests_total{namespace, service}`: the family's request counter and the labels that
/// select the app, for messages.
pub fn described(family: MetricFamily) -> String {
    let n = names(family);
    let mut labels: Vec<String> = n.namespace.iter().map(|l| l.to_string()).collect();
    labels.push(match n.app {
        AppLabel::Service(l) => format!("{l} = a service"),
        AppLabel::Workload(l) => format!("{l} = a deployment"),
        AppLabel::TraefikService => "service = <namespace>-<service>-<port>@kubernetes".into(),
    });
    labels.extend(n.fixed.iter().map(|(l, v)| format!("{l}=\"{v}\"")));
    format!("{}{{{}}}", n.requests, labels.join(", "))
}

/// The matchers that select the app's series in `family`: its namespace, its services or
/// workloads, and the family's fixed matchers.
fn scope_matchers(n: &Names, scope: &AppScope) -> Vec<Matcher> {
    let mut matchers: Vec<Matcher> = n
        .fixed
        .iter()
        .map(|(label, value)| Matcher::Is(label, value.to_string()))
        .collect();
    if let Some(label) = n.namespace {
        matchers.push(Matcher::Is(label, scope.namespace.clone()));
    }
    matchers.push(match n.app {
        AppLabel::Service(label) => Matcher::OneOf(label, scope.services.clone()),
        AppLabel::Workload(label) => Matcher::OneOf(label, scope.workloads.clone()),
        AppLabel::TraefikService => Matcher::Matches(
            "service",
            // The port is a number or a name without '-', so `backend` never takes in
            // `backend-admin`'s series.
            format!(
                r"{}-(?:{})-[^-@]+@kubernetes[a-z]*",
                regex::escape(&scope.namespace),
                crate::types::promql::one_of(&scope.services)
            ),
        ),
    });
    matchers
}

/// `metric{<the app's scope>, extra}`: the one place a built-in query selects series.
fn app_selector(n: &Names, metric: &str, scope: &AppScope, extra: Option<Matcher>) -> String {
    let mut matchers = scope_matchers(n, scope);
    matchers.extend(extra);
    selector(metric, &matchers)
}

/// The selector of the family's request counter for the app: what the look-up asks for.
pub fn requests_selector(family: MetricFamily, scope: &AppScope) -> String {
    let n = names(family);
    app_selector(&n, n.requests, scope, None)
}

/// The selector of the family's request counter for the app's requests answered 5xx.
pub fn errors_selector(family: MetricFamily, scope: &AppScope) -> String {
    let n = names(family);
    app_selector(
        &n,
        n.requests,
        scope,
        Some(Matcher::Matches(n.status, "5..".into())),
    )
}

/// `sum(rate(<all the app's requests>[5m]))`: the app's requests per second.
pub fn request_rate_query(family: MetricFamily, scope: &AppScope) -> String {
    format!("sum(rate({}[5m]))", requests_selector(family, scope))
}

/// Whether a family names the app's series by its workloads (deployments) rather than by its
/// services.
pub fn by_workload(family: MetricFamily) -> bool {
    matches!(names(family).app, AppLabel::Workload(_))
}

/// Which of the app's services or workloads a series of `family` counts, by its labels.
pub fn app_of(
    family: MetricFamily,
    scope: &AppScope,
    labels: &[(String, String)],
) -> Option<String> {
    let n = names(family);
    let label = |key: &str| {
        labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    match n.app {
        AppLabel::Service(key) | AppLabel::Workload(key) => label(key).map(str::to_string),
        AppLabel::TraefikService => {
            let value = label("service")?;
            let rest = value.strip_prefix(&format!("{}-", scope.namespace))?;
            scope
                .services
                .iter()
                .filter(|s| {
                    rest.strip_prefix(s.as_str())
                        .is_some_and(|tail| tail.starts_with('-'))
                })
                .max_by_key(|s| s.len())
                .cloned()
        }
    }
}

/// The built-in query for `kind` on the app's series of `family`: a 0–1 ratio, or seconds.
pub fn query(family: MetricFamily, kind: RequestQuery, scope: &AppScope) -> String {
    let n = names(family);
    let ratio = |matching: Matcher| {
        format!(
            "sum(rate({}[5m])) / sum(rate({}[5m]))",
            app_selector(&n, n.requests, scope, Some(matching)),
            app_selector(&n, n.requests, scope, None)
        )
    };
    match kind {
        RequestQuery::ErrorRate => ratio(Matcher::Matches(n.status, "5..".into())),
        RequestQuery::ForbiddenRate => ratio(Matcher::Is(n.status, "403".into())),
        RequestQuery::LatencyP95 => {
            let p95 = format!(
                "histogram_quantile(0.95, sum by (le) (rate({}[5m])))",
                app_selector(&n, n.buckets, scope, None)
            );
            match n.per_second {
                1 => p95,
                per_second => format!("{p95} / {per_second}"),
            }
        }
    }
}

#[cfg(test)]
mod tests;
