//! `incidentctl doctor`: is this set-up ready for the next incident? Each requirement is checked
//! against the real servers with the configured credentials and answered with a row: ok or what
//! is wrong, and the fix. Nothing is changed (unless --send-test, which posts one Slack message).

use crate::context::Context;
use crate::types::Status;
use k8s_openapi::api::authorization::v1::SubjectAccessReviewStatus;
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub area: &'static str,
    pub requirement: String,
    pub status: Status,
    pub detail: String,
    pub fix: Option<String>,
    /// For Kubernetes permissions: `group/resource[/subresource]/verb`, as RBAC names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
}

fn row(
    area: &'static str,
    requirement: impl Into<String>,
    status: Status,
    detail: impl Into<String>,
    fix: Option<String>,
) -> Row {
    Row {
        area,
        requirement: requirement.into(),
        status,
        detail: detail.into(),
        fix,
        permission: None,
    }
}

/// Whom a permission is for: the read-only diagnose role or the changing commands' role
/// (examples/kubernetes/rbac-*.yaml; tests/testsuite/rbac.rs keeps the three in step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Needed {
    Diagnose,
    Actions,
}

/// (API group, resource, subresource, verb, namespaced, needed by).
pub const KUBE_PERMISSIONS: &[Permission] = &[
    ("", "pods", "", "list", true, Needed::Diagnose),
    ("", "events", "", "list", true, Needed::Diagnose),
    ("", "services", "", "list", true, Needed::Diagnose),
    ("apps", "deployments", "", "list", true, Needed::Diagnose),
    ("", "pods", "log", "get", true, Needed::Diagnose),
    ("", "services", "", "get", true, Needed::Diagnose),
    ("", "endpoints", "", "get", true, Needed::Diagnose),
    ("", "configmaps", "", "get", true, Needed::Diagnose),
    ("", "secrets", "", "get", true, Needed::Diagnose),
    ("apps", "deployments", "", "get", true, Needed::Diagnose),
    (
        "networking.k8s.io",
        "ingresses",
        "",
        "get",
        true,
        Needed::Diagnose,
    ),
    (
        "networking.k8s.io",
        "networkpolicies",
        "",
        "get",
        true,
        Needed::Diagnose,
    ),
    (
        "networking.k8s.io",
        "ingresses",
        "",
        "list",
        true,
        Needed::Diagnose,
    ),
    (
        "networking.k8s.io",
        "networkpolicies",
        "",
        "list",
        true,
        Needed::Diagnose,
    ),
    ("metrics.k8s.io", "pods", "", "list", true, Needed::Diagnose),
    ("", "nodes", "", "list", false, Needed::Diagnose),
    (
        "metrics.k8s.io",
        "nodes",
        "",
        "list",
        false,
        Needed::Diagnose,
    ),
    ("apps", "deployments", "", "patch", true, Needed::Actions),
    ("apps", "statefulsets", "", "get", true, Needed::Actions),
    ("apps", "statefulsets", "", "patch", true, Needed::Actions),
    ("apps", "deployments", "scale", "get", true, Needed::Actions),
    (
        "apps",
        "deployments",
        "scale",
        "update",
        true,
        Needed::Actions,
    ),
    (
        "networking.k8s.io",
        "networkpolicies",
        "",
        "patch",
        true,
        Needed::Actions,
    ),
];

type Permission = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    Needed,
);
type AccessReviews = kube::Api<k8s_openapi::api::authorization::v1::SelfSubjectAccessReview>;

/// The API server answers, then one row per permission incidentctl uses.
async fn kubernetes(ctx: &Context) -> Vec<Row> {
    let (client, reachable) = match reachable_api_server(ctx).await {
        Ok(answer) => answer,
        Err(unreachable) => return vec![unreachable],
    };
    let mut rows = vec![reachable];
    let api: AccessReviews = kube::Api::all(client);
    for p in KUBE_PERMISSIONS {
        rows.push(permission_row(&api, &ctx.settings.namespace, p).await);
    }
    rows
}

/// The client and an ok row, or the row saying why the API server cannot be used.
async fn reachable_api_server(ctx: &Context) -> Result<(kube::Client, Row), Row> {
    let requirement = "API server reachable";
    let client = ctx.kube().await.map_err(|e| {
        row(
            "kubernetes",
            requirement,
            Status::Critical,
            e.message,
            e.hint,
        )
    })?;
    match tokio::time::timeout(ctx.settings.timeout.0, client.apiserver_version()).await {
        Ok(Ok(v)) => {
            let detail = format!("Kubernetes {}", v.git_version);
            Ok((
                client,
                row("kubernetes", requirement, Status::Ok, detail, None),
            ))
        }
        Ok(Err(e)) => {
            let e = crate::context::kube_error(e, "GET /version");
            Err(row(
                "kubernetes",
                requirement,
                Status::Critical,
                e.message,
                e.hint,
            ))
        }
        Err(_) => {
            let detail = format!("timed out after {}", ctx.settings.timeout);
            Err(row(
                "kubernetes",
                requirement,
                Status::Critical,
                detail,
                None,
            ))
        }
    }
}

/// `verb group/resource[/sub] in ns` as a person reads it.
fn permission_text(p: &Permission, ns: &str) -> String {
    let (group, resource, sub, verb, namespaced, _) = p;
    let group = if group.is_empty() {
        String::new()
    } else {
        format!("{group}/")
    };
    let sub = if sub.is_empty() {
        String::new()
    } else {
        format!("/{sub}")
    };
    let scope = if *namespaced {
        format!(" in {ns}")
    } else {
        " (cluster)".into()
    };
    format!("{verb} {group}{resource}{sub}{scope}")
}

/// Asks the API server (SelfSubjectAccessReview) whether this identity has one permission.
async fn permission_row(api: &AccessReviews, ns: &str, p: &Permission) -> Row {
    use k8s_openapi::api::authorization::v1::{
        ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
    };
    let (group, resource, sub, verb, namespaced, needed) = *p;
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                group: Some(group.to_string()),
                resource: Some(resource.to_string()),
                subresource: (!sub.is_empty()).then(|| sub.to_string()),
                verb: Some(verb.to_string()),
                namespace: namespaced.then(|| ns.to_string()),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let role = match needed {
        Needed::Diagnose => "examples/kubernetes/rbac-diagnose.yaml",
        Needed::Actions => "examples/kubernetes/rbac-actions.yaml",
    };
    let requirement = format!(
        "can {} ({})",
        permission_text(p, ns),
        serde_json::to_value(needed)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    );
    let mut r = match api.create(&Default::default(), &review).await {
        Ok(answer) if answer.status.as_ref().is_some_and(|s| s.allowed) => {
            row("kubernetes", requirement, Status::Ok, "allowed", None)
        }
        Ok(answer) => {
            let reason = denial(answer.status.as_ref());
            // Without a diagnose permission a check is blind; without an action's, one
            // resolution step is unavailable.
            let status = if needed == Needed::Diagnose {
                Status::Critical
            } else {
                Status::Warning
            };
            let fix = Some(format!("bind the identity to the role in {role}"));
            row("kubernetes", requirement, status, reason, fix)
        }
        Err(e) => {
            let e = crate::context::kube_error(e, "SelfSubjectAccessReview");
            row(
                "kubernetes",
                requirement,
                Status::Unknown,
                e.message,
                e.hint,
            )
        }
    };
    let resource = if sub.is_empty() {
        resource.to_string()
    } else {
        format!("{resource}/{sub}")
    };
    r.permission = Some(format!("{group}/{resource}/{verb}"));
    r
}

/// Why the server denied a permission, in its own words when it gave any: its reason, else the
/// authorizer's evaluation error. Real RBAC usually says nothing when no rule matches.
fn denial(status: Option<&SubjectAccessReviewStatus>) -> String {
    let said = |s: Option<&String>| s.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let reason = status.and_then(|s| said(s.reason.as_ref()));
    let error = status.and_then(|s| said(s.evaluation_error.as_ref()));
    match (reason, error) {
        (Some(r), Some(e)) => format!("denied: {r} (evaluation error: {e})"),
        (Some(r), None) => format!("denied: {r}"),
        (None, Some(e)) => format!("denied: evaluation error: {e}"),
        (None, None) => {
            "denied (the server gave no reason: no role bound to this identity grants it)".into()
        }
    }
}

async fn postgres(ctx: &Context) -> Vec<Row> {
    let db = match ctx.postgres().await {
        Ok(db) => db,
        Err(e) => {
            return vec![row(
                "postgres",
                "reachable and authenticated",
                Status::Critical,
                e.message,
                e.hint,
            )]
        }
    };
    let mut rows = vec![row(
        "postgres",
        "reachable and authenticated",
        Status::Ok,
        ctx.settings.postgres.url.redacted(),
        None,
    )];
    let q = db
        .query_one(
            "SELECT current_user::text, r.rolsuper,
                    pg_has_role(current_user, 'pg_monitor', 'MEMBER'),
                    pg_has_role(current_user, 'pg_signal_backend', 'MEMBER')
             FROM pg_roles r WHERE r.rolname = current_user",
            &[],
        )
        .await;
    match q {
        Ok(r) => {
            let (user, superuser, monitor, signal): (String, bool, bool, bool) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            for (role, has, why) in [
                (
                    "pg_monitor",
                    monitor || superuser,
                    "diagnose reads every session's query and pg_stat_statements",
                ),
                (
                    "pg_signal_backend",
                    signal || superuser,
                    "db kill-queries ends other sessions",
                ),
            ] {
                let (status, fix) = if has {
                    (Status::Ok, None)
                } else {
                    (Status::Critical, Some(format!("GRANT {role} TO {user};")))
                };
                rows.push(row(
                    "postgres",
                    format!("role {user} has {role}"),
                    status,
                    if has {
                        "granted".to_string()
                    } else {
                        format!("missing: {why}")
                    },
                    fix,
                ));
            }
        }
        Err(e) => rows.push(row(
            "postgres",
            "role privileges",
            Status::Unknown,
            crate::context::pg_error(&e, "postgres").message,
            None,
        )),
    }
    let ext = db
        .query_opt(
            "SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'",
            &[],
        )
        .await;
    match ext {
        Ok(Some(r)) => {
            let loaded = db
                .query_one("SELECT count(*) FROM pg_stat_statements LIMIT 1", &[])
                .await;
            match loaded {
                Ok(_) => rows.push(row(
                    "postgres",
                    "pg_stat_statements installed and loaded",
                    Status::Ok,
                    format!("version {}", r.get::<_, String>(0)),
                    None,
                )),
                Err(e) => rows.push(row(
                    "postgres",
                    "pg_stat_statements installed and loaded",
                    Status::Warning,
                    crate::context::pg_error(&e, "postgres").message,
                    Some(
                        "add pg_stat_statements to shared_preload_libraries and restart PostgreSQL"
                            .into(),
                    ),
                )),
            }
        }
        Ok(None) => rows.push(row(
            "postgres",
            "pg_stat_statements installed and loaded",
            Status::Warning,
            "not installed in this database",
            Some("CREATE EXTENSION pg_stat_statements; (needs shared_preload_libraries)".into()),
        )),
        Err(e) => rows.push(row(
            "postgres",
            "pg_stat_statements installed and loaded",
            Status::Unknown,
            crate::context::pg_error(&e, "postgres").message,
            None,
        )),
    }
    rows
}

async fn http_target(
    http: Result<reqwest::Client, crate::types::CheckError>,
    area: &'static str,
    url: &crate::settings::SecretUrl,
    path: &str,
) -> Row {
    let requirement = format!("{} reachable", area);
    let http = match http {
        Ok(h) => h,
        Err(e) => return row(area, requirement, Status::Unknown, e.message, None),
    };
    let target = format!("{}{path}", url.expose().trim_end_matches('/'));
    match http.get(target).send().await {
        Ok(r) if r.status().is_success() => {
            row(area, requirement, Status::Ok, url.redacted(), None)
        }
        Ok(r) => {
            let e = crate::context::refused_credentials(r.status(), &url.redacted(), area)
                .err()
                .unwrap_or_else(|| {
                    crate::types::CheckError::new(format!(
                        "{}: HTTP {}",
                        url.redacted(),
                        r.status()
                    ))
                    .hint(format!("check {area}.url"))
                });
            row(area, requirement, Status::Critical, e.message, e.hint)
        }
        Err(e) => {
            let e = crate::context::http_error(e, &url.redacted(), area);
            row(area, requirement, Status::Critical, e.message, e.hint)
        }
    }
}

async fn redis(ctx: Arc<Context>) -> Row {
    let readings = crate::checks::Readings::new(ctx);
    let ping = crate::checks::redis::ping::read(&readings)
        .await
        .and_then(|snapshot| crate::checks::redis::ping::assess(&snapshot, readings.settings()));
    match ping {
        Ok(f) => row(
            "redis",
            "reachable and authenticated",
            Status::Ok,
            f.summary,
            None,
        ),
        Err(e) => row(
            "redis",
            "reachable and authenticated",
            Status::Critical,
            e.message,
            e.hint,
        ),
    }
}

async fn slack(ctx: &Context, send_test: bool) -> Row {
    let Some(hook) = &ctx.settings.report.slack_webhook else {
        return row(
            "slack",
            "incoming webhook configured",
            Status::Warning,
            "not configured: report notify cannot post",
            Some("set SLACK_WEBHOOK_URL or report.slack_webhook".into()),
        );
    };
    if send_test {
        let payload =
            serde_json::json!({"text": "incidentctl doctor: test message (nothing is wrong)"});
        return match crate::report::notify::post(&ctx.settings, hook, &payload).await {
            Ok(crate::report::notify::Delivery::Posted { .. }) => row(
                "slack",
                "test message posted",
                Status::Ok,
                "the webhook accepted it",
                None,
            ),
            // Not confirmed is not posted, as far as readiness goes: real updates would be lost
            // the same way.
            Ok(crate::report::notify::Delivery::MaybePosted { why }) => row(
                "slack",
                "test message posted",
                Status::Critical,
                format!("Slack webhook did not confirm the test message (it may have been posted): {why}"),
                Some("look in the channel; the path to Slack is slow or cuts answers off".into()),
            ),
            Err(e) => row(
                "slack",
                "test message posted",
                Status::Critical,
                e.to_string(),
                e.hint().map(str::to_string),
            ),
        };
    }
    // Reachable without posting: any HTTP answer to a GET means the endpoint is there. The URL is
    // a secret and is never shown.
    let answer = match crate::report::notify::client(&ctx.settings) {
        Ok(c) => c.get(hook.expose()).send().await.map_err(|e| {
            let cause = crate::types::failure::of_http(&e);
            (
                cause,
                crate::report::notify::describe(e, ctx.settings.timeout.0),
            )
        }),
        Err(e) => Err((
            crate::types::failure::Cause::NotReached(crate::types::failure::NotReached::Other),
            e.to_string(),
        )),
    };
    match answer {
        Ok(r) => row(
            "slack",
            "webhook endpoint reachable",
            Status::Ok,
            format!(
                "answered HTTP {} (nothing posted; --send-test posts one)",
                r.status().as_u16()
            ),
            None,
        ),
        Err((cause, e)) => {
            let (detail, fix) = match cause {
                crate::types::failure::Cause::Tls(problem) => (
                    format!("TLS: {e}"),
                    crate::tls::hint(problem, "report.slack_tls"),
                ),
                _ => (
                    e,
                    "check the webhook URL and the network path to Slack".into(),
                ),
            };
            row(
                "slack",
                "webhook endpoint reachable",
                Status::Critical,
                detail,
                Some(fix),
            )
        }
    }
}

/// The app's objects as the commands will find them: a named one that does not exist, or none
/// found, is worth fixing before the incident.
async fn app_objects(ctx: &Context) -> Vec<Row> {
    let Ok(client) = ctx.kube().await else {
        return Vec::new();
    };
    let look = crate::discovery::describe(client, &ctx.settings);
    match tokio::time::timeout(ctx.settings.timeout.0, look).await {
        Ok(Ok(found)) => found
            .into_iter()
            .map(|f| {
                let (status, fix) = if f.ok {
                    (Status::Ok, None)
                } else {
                    let fix = "name it in [kubernetes] of the config file, or with its flag (--deployment, --ingress, --policy)";
                    (Status::Warning, Some(fix.to_string()))
                };
                row("kubernetes", format!("app {}", f.object), status, f.found, fix)
            })
            .collect(),
        Ok(Err(e)) => vec![row("kubernetes", "app objects found", Status::Unknown, e.message, e.hint)],
        Err(_) => vec![row(
            "kubernetes",
            "app objects found",
            Status::Unknown,
            format!("timed out after {}", ctx.settings.timeout),
            None,
        )],
    }
}

fn local(ctx: &Context) -> Vec<Row> {
    let mut rows = Vec::new();
    let s = &ctx.settings;
    match crate::change::audit::AuditLog::open(&s.audit_log) {
        Ok(_) => rows.push(row(
            "local",
            "audit log writable",
            Status::Ok,
            s.audit_log.display().to_string(),
            None,
        )),
        Err(e) => rows.push(row(
            "local",
            "audit log writable",
            Status::Critical,
            e.to_string(),
            e.hint().map(str::to_string),
        )),
    }
    if let Some(path) = &s.config_file {
        match crate::settings::exposed_secret_file(path) {
            Some(mode) => rows.push(row(
                "local",
                "config file with secrets is private",
                Status::Warning,
                format!(
                    "{} holds a secret and is readable by others (mode {mode:o})",
                    path.display()
                ),
                Some(format!("chmod 600 {}", path.display())),
            )),
            None => rows.push(row(
                "local",
                "config file",
                Status::Ok,
                path.display().to_string(),
                None,
            )),
        }
    }
    rows
}

pub async fn run(ctx: Arc<Context>, send_test: bool) -> Vec<Row> {
    let s = &ctx.settings;
    let (k, p, r, prom, am, sl) = tokio::join!(
        kubernetes(&ctx),
        postgres(&ctx),
        redis(ctx.clone()),
        async {
            http_target(
                ctx.prometheus_http().await,
                "prometheus",
                &s.prometheus.url,
                "/api/v1/status/buildinfo",
            )
            .await
        },
        async {
            http_target(
                ctx.alertmanager_http().await,
                "alertmanager",
                &s.alertmanager.url,
                "/api/v2/status",
            )
            .await
        },
        slack(&ctx, send_test),
    );
    let mut rows = local(&ctx);
    // The app's objects, once the API server has answered.
    let reachable = k.first().is_some_and(|r| r.status == Status::Ok);
    rows.extend(k);
    if reachable {
        rows.extend(app_objects(&ctx).await);
    }
    rows.extend(p);
    rows.push(r);
    rows.push(prom);
    rows.push(am);
    rows.push(sl);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(reason: Option<&str>, error: Option<&str>) -> SubjectAccessReviewStatus {
        SubjectAccessReviewStatus {
            allowed: false,
            reason: reason.map(str::to_string),
            evaluation_error: error.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn a_denial_says_why_when_the_server_says_and_never_ends_in_a_bare_colon() {
        assert_eq!(
            denial(Some(&status(Some("no RBAC policy matched"), None))),
            "denied: no RBAC policy matched"
        );
        assert_eq!(
            denial(Some(&status(None, Some("role \"x\" not found")))),
            "denied: evaluation error: role \"x\" not found"
        );
        assert_eq!(
            denial(Some(&status(Some("webhook said no"), Some("timeout")))),
            "denied: webhook said no (evaluation error: timeout)"
        );
        for empty in [
            denial(None),
            denial(Some(&status(Some(""), None))),
            denial(Some(&status(Some("  "), Some("")))),
        ] {
            assert!(
                empty.starts_with("denied (the server gave no reason"),
                "{empty}"
            );
        }
    }
}
