//! `incidentctl doctor`: is this set-up ready for the next incident? Each requirement is checked
//! against the real servers with the configured credentials and answered with a row: ok or what
//! is wrong, and the fix. Nothing is changed (unless --send-test, which posts one Slack message);
//! the notification routes are checked without sending anything.

use crate::context::Context;
use crate::types::Status;
use serde::Serialize;
use std::sync::Arc;

mod kubernetes;
mod notify;

use kubernetes::{app_objects, kubernetes};
pub use kubernetes::{kube_permissions, Needed};

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

/// The app's request metrics: the family the request checks will read, and for which app.
async fn request_metrics(ctx: Arc<Context>) -> Row {
    let requirement = "app request metrics found";
    let readings = crate::checks::Readings::new(ctx);
    match crate::checks::prometheus::request_metrics::found(&readings).await {
        Ok((found, true)) => row("prometheus", requirement, Status::Ok, found, None),
        Ok((found, false)) => row(
            "prometheus",
            requirement,
            Status::Warning,
            found,
            Some("set prometheus.metrics to the family the app's metrics follow, or the prometheus.*_query settings (docs/diagnose.md)".into()),
        ),
        Err(e) => row("prometheus", requirement, Status::Unknown, e.message, e.hint),
    }
}

fn local(ctx: &Context) -> Vec<Row> {
    let mut rows = Vec::new();
    let s = &ctx.settings;
    match crate::change::audit::AuditLog::open(&s.audit_log, s.file_modes()) {
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
    let (k, p, r, prom, am, sl, routes) = tokio::join!(
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
        notify::rows(&ctx),
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
    let prometheus_reachable = prom.status == Status::Ok;
    rows.push(prom);
    if prometheus_reachable {
        rows.push(request_metrics(ctx.clone()).await);
    }
    rows.push(am);
    rows.push(sl);
    rows.extend(routes);
    rows
}
