//! Which names an app's request metrics follow: the families of HTTP server metrics teams
//! actually have, and the `prometheus.metrics` setting that picks one (or looks for it).

use serde::{Deserialize, Serialize};

/// A family of request metrics: a request counter with an HTTP status label and a latency
/// histogram, named and labelled the way one stack writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetricFamily {
    /// Ours (and the seed runbook's): `http_requests_total`, `http_request_duration_seconds`.
    Incidentctl,
    IngressNginx,
    Istio,
    /// OpenTelemetry's HTTP semantic conventions through a Prometheus exporter.
    OtelHttp,
    /// Spring Boot's Micrometer `http.server.requests`.
    Spring,
    Traefik,
}

impl MetricFamily {
    pub const ALL: [MetricFamily; 6] = [
        MetricFamily::Incidentctl,
        MetricFamily::IngressNginx,
        MetricFamily::Istio,
        MetricFamily::OtelHttp,
        MetricFamily::Spring,
        MetricFamily::Traefik,
    ];

    /// Its name in the config file and the output.
    pub fn name(self) -> &'static str {
        match self {
            MetricFamily::Incidentctl => "incidentctl",
            MetricFamily::IngressNginx => "ingress-nginx",
            MetricFamily::Istio => "istio",
            MetricFamily::OtelHttp => "otel-http",
            MetricFamily::Spring => "spring",
            MetricFamily::Traefik => "traefik",
        }
    }
}

impl std::fmt::Display for MetricFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `prometheus.metrics`: look the family up (`auto`), use a named one, or only the team's own
/// queries (`custom`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum MetricsChoice {
    #[default]
    Auto,
    Family(MetricFamily),
    Custom,
}

impl MetricsChoice {
    /// Every value the setting takes, for messages.
    pub fn accepted() -> String {
        let mut names = vec!["auto"];
        names.extend(MetricFamily::ALL.iter().map(|f| f.name()));
        names.push("custom");
        names.join(", ")
    }
}

impl TryFrom<String> for MetricsChoice {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        match value.as_str() {
            "auto" => Ok(MetricsChoice::Auto),
            "custom" => Ok(MetricsChoice::Custom),
            name => MetricFamily::ALL
                .into_iter()
                .find(|f| f.name() == name)
                .map(MetricsChoice::Family)
                .ok_or_else(|| {
                    format!(
                        "unknown metrics family '{name}'; one of: {}",
                        MetricsChoice::accepted()
                    )
                }),
        }
    }
}

impl From<MetricsChoice> for String {
    fn from(choice: MetricsChoice) -> String {
        match choice {
            MetricsChoice::Auto => "auto".into(),
            MetricsChoice::Custom => "custom".into(),
            MetricsChoice::Family(f) => f.name().into(),
        }
    }
}

/// The three questions asked of an app's request metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestQuery {
    /// The share of requests answered 5xx (0–1).
    ErrorRate,
    /// The 95th percentile of latency, in seconds.
    LatencyP95,
    /// The share of requests answered 403 (0–1).
    ForbiddenRate,
}

impl RequestQuery {
    pub const ALL: [RequestQuery; 3] = [
        RequestQuery::ErrorRate,
        RequestQuery::LatencyP95,
        RequestQuery::ForbiddenRate,
    ];

    /// Its key under `[prometheus]`: the team's own query for it.
    pub fn key(self) -> &'static str {
        match self {
            RequestQuery::ErrorRate => "error_rate_query",
            RequestQuery::LatencyP95 => "latency_p95_query",
            RequestQuery::ForbiddenRate => "forbidden_rate_query",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_reads_back_as_written() {
        let mut all = vec![MetricsChoice::Auto, MetricsChoice::Custom];
        all.extend(MetricFamily::ALL.map(MetricsChoice::Family));
        for choice in all {
            let text = String::from(choice);
            assert_eq!(MetricsChoice::try_from(text.clone()), Ok(choice), "{text}");
            assert!(MetricsChoice::accepted().contains(&text));
        }
        for family in MetricFamily::ALL {
            let json = serde_json::to_value(family).unwrap();
            assert_eq!(json, family.name());
        }
    }

    #[test]
    fn an_unknown_family_names_the_accepted_ones() {
        let err = MetricsChoice::try_from("nginx".to_string()).unwrap_err();
        assert_eq!(
            err,
            "unknown metrics family 'nginx'; one of: auto, incidentctl, ingress-nginx, istio, otel-http, spring, traefik, custom"
        );
    }
}
