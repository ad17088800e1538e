//! The app's request metrics: which family they follow (named, or found with one bounded
//! look-up), and what each request check asks — the team's own query with its placeholders
//! filled, or the family's built-in query for the app.

use super::families;
use crate::checks::{CheckError, Readings};
use crate::discovery::AppScope;
use crate::settings::Settings;
use crate::types::promql::{self, Placeholder};
use crate::types::{Dur, MetricFamily, MetricsChoice, RequestQuery};

/// When several families have the app's series, the first of these is read, for its reason.
const PREFERENCE: [(MetricFamily, &str); 6] = [
    (
        MetricFamily::Istio,
        "the app's sidecars count every request that reaches its pods, also those the app could not answer",
    ),
    (MetricFamily::Incidentctl, "the app's own server metrics"),
    (MetricFamily::OtelHttp, "the app's own server metrics"),
    (MetricFamily::Spring, "the app's own server metrics"),
    (
        MetricFamily::IngressNginx,
        "the ingress counts only the requests that come through it",
    ),
    (
        MetricFamily::Traefik,
        "the ingress counts only the requests that come through it",
    ),
];

/// How far back the look-up finds series: an app whose metrics stopped within the hour still
/// has its family.
const LOOK_BACK_SECS: i64 = 3600;

/// The family the request checks read, and how it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum FamilyChoice {
    /// `prometheus.metrics = "<family>"`.
    Named(MetricFamily),
    /// Found by `auto`; `also` had the app's series too.
    Found {
        family: MetricFamily,
        also: Vec<MetricFamily>,
    },
    /// `auto` found no family with the app's series.
    NoneFound,
    /// `prometheus.metrics = "custom"`: only the team's queries.
    Custom,
}

impl FamilyChoice {
    pub fn family(&self) -> Option<MetricFamily> {
        match self {
            FamilyChoice::Named(f) | FamilyChoice::Found { family: f, .. } => Some(*f),
            FamilyChoice::NoneFound | FamilyChoice::Custom => None,
        }
    }

    /// `istio (auto: also found ingress-nginx; istio preferred: …)`.
    pub fn describe(&self) -> String {
        match self {
            FamilyChoice::Named(f) => format!("{f} (set by prometheus.metrics)"),
            FamilyChoice::Found { family, also } if also.is_empty() => {
                format!("{family} (auto: the only family with the app's series)")
            }
            FamilyChoice::Found { family, also } => {
                let others: Vec<&str> = also.iter().map(|f| f.name()).collect();
                format!(
                    "{family} (auto: also found {}; {family} preferred: {}; prometheus.metrics chooses another)",
                    others.join(", "),
                    reason(*family)
                )
            }
            FamilyChoice::NoneFound => format!("none found (auto: looked for {})", looked_for()),
            FamilyChoice::Custom => "custom (the prometheus.*_query settings)".to_string(),
        }
    }
}

fn reason(family: MetricFamily) -> &'static str {
    PREFERENCE
        .iter()
        .find(|(f, _)| *f == family)
        .map_or("", |(_, why)| why)
}

/// `incidentctl (http_requests_total), ingress-nginx (nginx_ingress_controller_requests), …`.
fn looked_for() -> String {
    let each: Vec<String> = MetricFamily::ALL
        .iter()
        .map(|f| format!("{f} ({})", families::requests_metric(*f)))
        .collect();
    each.join(", ")
}

/// The family to read among those `found` with the app's series.
pub fn choose(found: &[MetricFamily]) -> FamilyChoice {
    let mut ranked: Vec<MetricFamily> = PREFERENCE
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| found.contains(f))
        .collect();
    if ranked.is_empty() {
        return FamilyChoice::NoneFound;
    }
    let family = ranked.remove(0);
    FamilyChoice::Found {
        family,
        also: ranked,
    }
}

/// What [`scope_of`] asks the API server: the app's workloads and the services selecting their
/// pods. Without them the scope comes from the config file, and the checks still run.
pub const SCOPE_PERMISSIONS: crate::types::KubePermissions = &[
    crate::discovery::permissions::WORKLOADS_PERMISSIONS,
    crate::discovery::permissions::SERVICES_PERMISSIONS,
];

/// The app's scope, from the cluster within half the check timeout (the rest is Prometheus's),
/// else from the config file with the reason.
pub async fn scope_of(r: &Readings) -> AppScope {
    let settings = r.settings();
    let limit = settings.timeout.0 / 2;
    let from_cluster = async {
        let client = r.ctx.kube().await?;
        let deployments = r.app_deployments().await?;
        crate::discovery::app_scope(client, settings, &deployments).await
    };
    match tokio::time::timeout(limit, from_cluster).await {
        Ok(Ok(scope)) => scope,
        Ok(Err(e)) => AppScope::configured(
            settings,
            &format!("the app's services were not found: {}", e.message),
        ),
        Err(_) => AppScope::configured(
            settings,
            &format!("the Kubernetes API did not answer within {}", Dur(limit)),
        ),
    }
}

/// The family as `prometheus.metrics` says, looking it up for `auto`.
pub async fn family_of(r: &Readings) -> Result<FamilyChoice, CheckError> {
    match r.settings().prometheus.metrics {
        MetricsChoice::Family(f) => Ok(FamilyChoice::Named(f)),
        MetricsChoice::Custom => Ok(FamilyChoice::Custom),
        MetricsChoice::Auto => {
            let scope = r.app_scope().await;
            Ok(choose(&look_up(r, &scope).await?))
        }
    }
}

/// The families that have series for the app: one call of the label-values API for metric
/// names, one `match[]` per family (its request counter in the app's scope), over the last
/// hour. The answer holds at most one name per family.
async fn look_up(r: &Readings, scope: &AppScope) -> Result<Vec<MetricFamily>, CheckError> {
    let now = jiff::Timestamp::now().as_second();
    let (start, end) = ((now - LOOK_BACK_SECS).to_string(), now.to_string());
    let selectors: Vec<String> = MetricFamily::ALL
        .iter()
        .map(|f| families::requests_selector(*f, scope))
        .collect();
    let names = crate::clients::prometheus::metric_names(&r.ctx, &selectors, &start, &end).await?;
    Ok(MetricFamily::ALL
        .into_iter()
        .filter(|f| names.iter().any(|n| n == families::requests_metric(*f)))
        .collect())
}

/// What a request check asks Prometheus, and where the query comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    pub query: String,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// The team's `prometheus.<key>`.
    Custom(RequestQuery),
    /// The family's built-in query; `how` says how the family was chosen, `scope` the app.
    Family {
        family: MetricFamily,
        how: String,
        scope: String,
    },
}

impl Asked {
    /// The evidence lines: the query, and where it comes from.
    pub fn evidence(&self) -> Vec<String> {
        let mut lines = vec![format!("query: {}", self.query)];
        match &self.source {
            Source::Custom(kind) => lines.push(format!("metrics: prometheus.{}", kind.key())),
            Source::Family { how, scope, .. } => {
                lines.push(format!("metrics: {how}"));
                lines.push(format!("app: {scope}"));
            }
        }
        lines
    }

    /// What to look at when the query returned no series.
    pub fn no_data_hint(&self, kind: RequestQuery) -> String {
        match &self.source {
            Source::Custom(kind) => format!(
                "check prometheus.{}: is what it selects scraped?",
                kind.key()
            ),
            Source::Family { family, .. } => format!(
                "is {} scraped for the app? Set prometheus.metrics to the family the app's metrics follow, or prometheus.{} ({})",
                families::described(*family),
                kind.key(),
                PLACEHOLDERS_TEXT
            ),
        }
    }
}

const PLACEHOLDERS_TEXT: &str =
    "it may use {{namespace}}, {{service}} and {{workload}} inside label values";

/// The query `kind` asks: the team's own when given (placeholders filled from the app's scope,
/// read only when it has some), else the family's for the app.
pub async fn asked(r: &Readings, kind: RequestQuery) -> Result<Asked, CheckError> {
    let settings = r.settings();
    if let Some(own) = settings.prometheus.query(kind) {
        let needs_scope = !promql::placeholders(own)
            .map_err(|e| CheckError::new(format!("prometheus.{}: {e}", kind.key())))?
            .is_empty();
        let query = if needs_scope {
            let scope = r.app_scope().await;
            fill(own, &scope)
                .map_err(|e| CheckError::new(format!("prometheus.{}: {e}", kind.key())))?
        } else {
            own.to_string()
        };
        return Ok(Asked {
            query,
            source: Source::Custom(kind),
        });
    }
    let choice = r.metric_family().await?;
    let scope = r.app_scope().await;
    let Some(family) = choice.family() else {
        return Err(no_metrics(settings, kind, &scope));
    };
    Ok(Asked {
        query: families::query(family, kind, &scope),
        source: Source::Family {
            family,
            how: choice.describe(),
            scope: scope.describe(),
        },
    })
}

/// What `config show` and `doctor` say of the app's request metrics: the family, how it was
/// chosen and the app it was looked up for; false when no family has the app's series.
pub async fn found(r: &Readings) -> Result<(String, bool), CheckError> {
    let choice = r.metric_family().await?;
    let scope = r.app_scope().await;
    let ok = choice.family().is_some() || *choice == FamilyChoice::Custom;
    Ok((
        format!("{} for {}", choice.describe(), scope.describe()),
        ok,
    ))
}

/// The team's query with the app's namespace, services and workloads in its placeholders.
pub fn fill(query: &str, scope: &AppScope) -> Result<String, String> {
    promql::fill(query, |p| match p {
        Placeholder::Namespace => scope.namespace.clone(),
        Placeholder::Service => promql::one_of(&scope.services),
        Placeholder::Workload => promql::one_of(&scope.workloads),
    })
}

/// No family has the app's series (or `custom` without this query): unknown, saying what was
/// looked for and how to set a query.
fn no_metrics(settings: &Settings, kind: RequestQuery, scope: &AppScope) -> CheckError {
    let message = match settings.prometheus.metrics {
        MetricsChoice::Custom => format!(
            "prometheus.metrics is \"custom\" and prometheus.{} is not set",
            kind.key()
        ),
        _ => format!(
            "no request metrics for the app ({}): looked for {}",
            scope.describe(),
            looked_for()
        ),
    };
    CheckError::new(message).hint(format!(
        "set prometheus.metrics to the family the app's metrics follow, or prometheus.{} ({}); see docs/diagnose.md",
        kind.key(),
        PLACEHOLDERS_TEXT
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preference_orders_every_family_once() {
        let mut ranked: Vec<MetricFamily> = PREFERENCE.iter().map(|(f, _)| *f).collect();
        ranked.sort();
        assert_eq!(ranked, MetricFamily::ALL.to_vec());
    }

    #[test]
    fn several_families_found_choose_the_preferred_and_say_why() {
        let choice = choose(&[MetricFamily::IngressNginx, MetricFamily::Istio]);
        assert_eq!(
            choice,
            FamilyChoice::Found {
                family: MetricFamily::Istio,
                also: vec![MetricFamily::IngressNginx]
            }
        );
        assert_eq!(
            choice.describe(),
            "istio (auto: also found ingress-nginx; istio preferred: the app's sidecars count every request that reaches its pods, also those the app could not answer; prometheus.metrics chooses another)"
        );
        let one = choose(&[MetricFamily::Traefik]);
        assert_eq!(
            one.describe(),
            "traefik (auto: the only family with the app's series)"
        );
        assert_eq!(choose(&[]), FamilyChoice::NoneFound);
        assert!(FamilyChoice::NoneFound
            .describe()
            .contains("otel-http (http_server_request_duration_seconds_count)"));
    }

    #[test]
    fn a_team_query_gets_the_apps_scope_escaped() {
        let scope = AppScope {
            namespace: "pay\"ments".into(),
            services: vec!["api".into(), "web".into()],
            workloads: vec!["api".into()],
            how: None,
        };
        let q = r#"sum(rate(x{namespace="{{namespace}}",service=~"{{service}}",w=~"{{workload}}"}[5m]))"#;
        assert_eq!(
            fill(q, &scope).unwrap(),
            r#"sum(rate(x{namespace="pay\"ments",service=~"api|web",w=~"api"}[5m]))"#
        );
        let parsed = promql_parser::parser::parse(&fill(q, &scope).unwrap());
        assert!(parsed.is_ok(), "{parsed:?}");
    }
}
