//! The API server, each permission incidentctl uses (asked with SelfSubjectAccessReview), and
//! the app's objects as the commands will find them.

use super::{row, Row};
use crate::clients::Context;
use crate::types::kube_permission::{self, KubePermission};
use crate::types::Status;
use k8s_openapi::api::authorization::v1::SubjectAccessReviewStatus;
use serde::Serialize;

/// Whom a permission is for: the read-only diagnose role or the changing commands' role
/// (examples/kubernetes/rbac-*.yaml, which the tests below keep in step with the declarations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Needed {
    Diagnose,
    Actions,
}

/// A permission doctor asks about, and whom it is for.
pub type Permission = (KubePermission, Needed);

/// Every permission a check or a changing command declares, once each: first the checks' (in the
/// order of `CHECKS`), then those only the commands ask for. One any check needs is for the
/// diagnose role, even when a command asks it too.
pub fn kube_permissions() -> Vec<Permission> {
    let checks = crate::checks::CHECKS
        .iter()
        .flat_map(|c| kube_permission::each(c.kube_permissions));
    let commands = crate::actions::KUBE_COMMANDS
        .iter()
        .flat_map(|c| kube_permission::each(c.permissions));
    let mut out: Vec<Permission> = Vec::new();
    for (p, needed) in checks
        .map(|p| (p, Needed::Diagnose))
        .chain(commands.map(|p| (p, Needed::Actions)))
    {
        if !out.iter().any(|(seen, _)| *seen == p) {
            out.push((p, needed));
        }
    }
    out
}

type AccessReviews = kube::Api<k8s_openapi::api::authorization::v1::SelfSubjectAccessReview>;

/// The API server answers, then one row per permission incidentctl uses.
pub(super) async fn kubernetes(ctx: &Context) -> Vec<Row> {
    let (client, reachable) = match reachable_api_server(ctx).await {
        Ok(answer) => answer,
        Err(unreachable) => return vec![unreachable],
    };
    let mut rows = vec![reachable];
    let api: AccessReviews = kube::Api::all(client);
    for p in kube_permissions() {
        rows.push(permission_row(&api, &ctx.settings.namespace, &p).await);
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
fn permission_text(p: &KubePermission, ns: &str) -> String {
    let group = if p.group.is_empty() {
        String::new()
    } else {
        format!("{}/", p.group)
    };
    let scope = if p.namespaced {
        format!(" in {ns}")
    } else {
        " (cluster)".into()
    };
    format!("{} {group}{}{scope}", p.verb, p.rbac_resource())
}

/// Asks the API server (SelfSubjectAccessReview) whether this identity has one permission.
async fn permission_row(api: &AccessReviews, ns: &str, p: &Permission) -> Row {
    use k8s_openapi::api::authorization::v1::{
        ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
    };
    let (p, needed) = *p;
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                group: Some(p.group.to_string()),
                resource: Some(p.resource.to_string()),
                subresource: (!p.subresource.is_empty()).then(|| p.subresource.to_string()),
                verb: Some(p.verb.to_string()),
                namespace: p.namespaced.then(|| ns.to_string()),
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
        permission_text(&p, ns),
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
    r.permission = Some(format!("{}/{}/{}", p.group, p.rbac_resource(), p.verb));
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
    use std::collections::BTreeSet;

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

    /// (group, resource[/subresource], verb, namespaced) as RBAC names them.
    type Rule = (String, String, String, bool);

    fn rule(p: &KubePermission) -> Rule {
        let (group, verb) = (p.group.to_string(), p.verb.to_string());
        (group, p.rbac_resource(), verb, p.namespaced)
    }

    /// What the Roles (namespaced) and ClusterRoles of a shipped example grant.
    fn granted(yaml: &str) -> BTreeSet<Rule> {
        let doc: serde_json::Value = serde_saphyr::from_str(yaml).expect("the example parses");
        let items = match doc["items"].as_array() {
            Some(items) => items.clone(),
            None => vec![doc],
        };
        let mut out = BTreeSet::new();
        for role in items
            .iter()
            .filter(|i| i["kind"].as_str().is_some_and(|k| k.ends_with("Role")))
        {
            let namespaced = role["kind"] == "Role";
            for r in role["rules"].as_array().expect("rules") {
                let each = |key: &str| -> Vec<String> {
                    let list = r[key].as_array().expect(key).iter();
                    list.map(|v| v.as_str().expect(key).to_string()).collect()
                };
                for g in each("apiGroups") {
                    for res in each("resources") {
                        for v in each("verbs") {
                            out.insert((g.clone(), res.clone(), v, namespaced));
                        }
                    }
                }
            }
        }
        out
    }

    const DIAGNOSE_ROLES: &str = include_str!("../../examples/kubernetes/rbac-diagnose.yaml");
    const ACTIONS_ROLE: &str = include_str!("../../examples/kubernetes/rbac-actions.yaml");

    /// Doctor asks for what the shipped roles grant, no more and no less: the diagnose roles
    /// grant exactly what the checks declare, and with the actions role, what every command
    /// declares. (When the declarations replaced doctor's hand-kept list, they gave that list
    /// exactly, each permission for the same role.)
    #[test]
    fn doctor_asks_for_exactly_what_the_shipped_roles_grant() {
        let asked = kube_permissions();
        let diagnose: BTreeSet<Rule> = asked
            .iter()
            .filter(|(_, needed)| *needed == Needed::Diagnose)
            .map(|(p, _)| rule(p))
            .collect();
        assert_eq!(
            diagnose,
            granted(DIAGNOSE_ROLES),
            "declared by checks vs rbac-diagnose.yaml"
        );
        let all: BTreeSet<Rule> = asked.iter().map(|(p, _)| rule(p)).collect();
        let shipped: BTreeSet<Rule> = granted(DIAGNOSE_ROLES)
            .union(&granted(ACTIONS_ROLE))
            .cloned()
            .collect();
        assert_eq!(
            all, shipped,
            "declared by checks and commands vs the shipped roles"
        );
        // What the actions role adds is what only the commands ask for.
        for (p, needed) in &asked {
            let in_actions_role = granted(ACTIONS_ROLE).contains(&rule(p));
            if *needed == Needed::Actions {
                assert!(
                    in_actions_role,
                    "{p:?}: only commands ask, rbac-actions.yaml must grant it"
                );
            }
        }
        assert_eq!(asked.len(), all.len(), "each permission is asked once");
    }

    /// Files that reach the API server: through the context's client, or the readings' shared
    /// reads of the cluster.
    const REACHES_KUBERNETES: &[&str] = &[
        ".kube().await",
        "kube(ctx).await",
        ".app_workloads()",
        ".app_ingresses()",
        ".warning_events()",
        ".app_scope()",
    ];

    #[test]
    fn every_check_and_command_that_reaches_kubernetes_declares_what_it_asks() {
        for c in crate::checks::CHECKS {
            let declared = kube_permission::each(c.kube_permissions).count();
            let kubernetes = c.target == crate::checks::Target::Kubernetes;
            assert!(
                !kubernetes || declared > 0,
                "{} declares no Kubernetes permission",
                c.id
            );
        }
        for c in crate::actions::KUBE_COMMANDS {
            let declared = kube_permission::each(c.permissions).count();
            assert!(
                declared > 0,
                "{} declares no Kubernetes permission",
                c.command
            );
        }
        // Each check or action file that reaches the API server declares what it asks, and an
        // action's declaration is in the table of commands. The readings themselves, the
        // declared checks (the team's resource) and the actions' shared client are not checks.
        let skipped = ["checks/mod.rs", "checks/custom.rs", "actions/mod.rs"];
        let mut files: Vec<String> =
            crate::files::source_scan::lines_with(REACHES_KUBERNETES, &skipped)
                .into_iter()
                .filter_map(|l| l.split_once(':').map(|(file, _)| file.to_string()))
                .filter(|f| f.contains("/src/checks/") || f.contains("/src/actions/"))
                .collect();
        files.dedup();
        assert!(files.len() >= 15, "{files:?}");
        let table = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/actions/mod.rs"),
        )
        .expect("src/actions/mod.rs");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a source file");
            assert!(
                text.contains("_PERMISSIONS: ") && text.contains("KubePermission"),
                "{file} reaches the API server but declares no permission"
            );
            if let Some(action) = file.split("/src/actions/").nth(1) {
                let module = action.trim_end_matches(".rs").trim_end_matches("/mod");
                assert!(
                    table.contains(&format!("{module}::")),
                    "{file}: its permissions are not in actions::KUBE_COMMANDS"
                );
            }
        }
    }
}
