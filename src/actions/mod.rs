//! The runbooks' resolution steps. Each action reads the live state into a `Plan` and implements
//! `change::Action`; `change::execute` is the one place any of them is applied.

pub mod cache;
pub mod config_view;
pub mod db;
pub mod env;
pub mod network;
pub mod restart;
pub mod rollback;
pub mod scale;
pub mod silence;

use crate::clients::Context;
use crate::error::Error;
use crate::types::KubePermissions;
use std::time::Duration;

/// A command that works through an action and what it asks the API server, declared beside the
/// action. `doctor` asks for these, and the RBAC test takes each away to see its command fail.
#[derive(Debug)]
pub struct KubeCommand {
    /// As typed after `incidentctl`: `security block-ip`.
    pub command: &'static str,
    pub permissions: KubePermissions,
}

/// Every command whose action reaches the API server. `cache`, `silence` and the `db` commands
/// other than `pool-size` and `restart` talk to Redis, Alertmanager and PostgreSQL only.
pub const KUBE_COMMANDS: &[KubeCommand] = &[
    KubeCommand {
        command: "restart",
        permissions: &[restart::DEPLOYMENT_PERMISSIONS],
    },
    KubeCommand {
        command: "scale",
        permissions: scale::KUBE_PERMISSIONS,
    },
    KubeCommand {
        command: "rollback",
        permissions: rollback::KUBE_PERMISSIONS,
    },
    KubeCommand {
        command: "db pool-size",
        permissions: env::KUBE_PERMISSIONS,
    },
    KubeCommand {
        command: "db restart",
        permissions: restart::DATABASE_PERMISSIONS,
    },
    KubeCommand {
        command: "security log-level",
        permissions: env::KUBE_PERMISSIONS,
    },
    KubeCommand {
        command: "security block-ip",
        permissions: network::BLOCK_PERMISSIONS,
    },
    KubeCommand {
        command: "security unblock-ip",
        permissions: network::UNBLOCK_PERMISSIONS,
    },
    KubeCommand {
        command: "security config",
        permissions: config_view::KUBE_PERMISSIONS,
    },
];

/// How often a wait polls the server.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

pub async fn kube(ctx: &Context) -> Result<kube::Client, Error> {
    ctx.kube().await.map_err(|e| e.into_error("Kubernetes"))
}

/// Whether the API server refused a JSON patch because it does not apply to the object as it is
/// now: 422 Invalid about no object (`details` names no kind and gives no field causes), which is
/// how kube-apiserver answers a failed `test` operation. An object that fails validation is also
/// 422 Invalid, but names its kind and the fields at fault. Our JSON patches test every position
/// they touch and the resourceVersion, so for them this means the object changed since the plan.
pub fn json_patch_not_applicable(status: &kube::core::Status) -> bool {
    let about_no_object = status
        .details
        .as_ref()
        .is_none_or(|d| d.kind.is_empty() && d.name.is_empty() && d.causes.is_empty());
    status.code == 422 && status.reason == "Invalid" && about_no_object
}

/// A Kubernetes error while changing `what` (e.g. "patch deployments/backend"), typed so the
/// exit code says what happened. `resource` may name a subresource (`deployments/scale`).
pub fn kube_error(
    e: kube::Error,
    verb: &str,
    resource: &str,
    name: &str,
    namespace: &str,
) -> Error {
    let (kind, object) = match resource.split_once('/') {
        Some((kind, sub)) => (kind, format!("{kind}/{name} ({sub})")),
        None => (resource, format!("{resource}/{name}")),
    };
    let what = format!("{verb} {object} in {namespace}");
    match e {
        // Every write incidentctl sends is guarded (a resourceVersion in a merge patch or a
        // replace, `test` operations in a JSON patch): a conflict, or a JSON patch that no
        // longer applies, means someone changed the object after the plan was shown.
        kube::Error::Api(s) if verb == "patch" && json_patch_not_applicable(&s) => {
            Error::stale(format!("{object} in {namespace}"))
        }
        kube::Error::Api(s) => {
            // The server's message can quote the request (and so a value): scrub it.
            let said = crate::output::redact::secrets(&s.message);
            match s.code {
                404 => Error::not_found(format!("{kind}/{name} not found in namespace {namespace}"))
                    .with_hint(format!("list them with: kubectl get {kind} -n {namespace}")),
                409 => Error::stale(format!("{object} in {namespace}")),
                401 | 403 => Error::PermissionDenied {
                    message: format!("{what}: {} from the API server: {said}", s.code),
                    hint: Some(format!(
                        "the identity lacks `{verb}` on `{resource}` in namespace {namespace}; see the RBAC roles in examples/"
                    )),
                },
                422 | 400 => Error::usage(format!("{what}: rejected by the API server: {said}")),
                code => Error::remote(
                    crate::types::failure::of_http_status(code),
                    format!("{what}: {code} from the API server: {said}"),
                ),
            }
        }
        other => {
            let cause = crate::types::failure::of_kube(&other);
            let text = crate::output::redact::error_chain(&other);
            let err = Error::remote(
                cause,
                format!(
                    "{what}: {}: {text}",
                    match cause {
                        crate::types::failure::Cause::Lost
                        | crate::types::failure::Cause::TimedOut =>
                            "the connection to the API server failed",
                        _ => "cannot reach the API server",
                    }
                ),
            );
            err.with_hint("check the cluster address in the kubeconfig (kubectl cluster-info)")
        }
    }
}
