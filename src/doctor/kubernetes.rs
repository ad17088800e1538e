//! The API server, each permission incidentctl uses (asked with SelfSubjectAccessReview), and
//! the app's objects as the commands will find them.

use super::{row, Row};
use crate::clients::Context;
use crate::types::Status;
use k8s_openapi::api::authorization::v1::SubjectAccessReviewStatus;
use serde::Serialize;

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
    ("apps", "replicasets", "", "list", true, Needed::Diagnose),
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
    (
        "networking.k8s.io",
        "networkpolicies",
        "",
        "create",
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
pub(super) async fn kubernetes(ctx: &Context) -> Vec<Row> {
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
            let e = crate::clients::kube::kube_error(e, "GET /version");
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
            let e = crate::clients::kube::kube_error(e, "SelfSubjectAccessReview");
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

/// The app's objects as the commands will find them: a named one that does not exist, or none
/// found, is worth fixing before the incident.
pub(super) async fn app_objects(ctx: &Context) -> Vec<Row> {
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
