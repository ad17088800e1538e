//! The runbooks' resolution steps. Each action reads the live state into a `Plan` and implements
//! `plan::Action`; `plan::execute` is the one place any of them is applied.

pub mod cache;
pub mod config_view;
pub mod db;
pub mod env;
pub mod network;
pub mod restart;
pub mod scale;

use crate::context::Context;
use crate::error::Error;
use std::time::Duration;

/// How often a wait polls the server.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

pub async fn kube(ctx: &Context) -> Result<kube::Client, Error> {
    ctx.kube().await.map_err(|e| {
        let err = Error::unavailable(format!("Kubernetes: {}", e.message));
        match e.hint {
            Some(h) => err.with_hint(h),
            None => err,
        }
    })
}

/// A Kubernetes error while changing `what` (e.g. "patch deployments/backend"), typed so the
/// exit code says what happened.
pub fn kube_error(
    e: kube::Error,
    verb: &str,
    resource: &str,
    name: &str,
    namespace: &str,
) -> Error {
    let what = format!("{verb} {resource}/{name} in {namespace}");
    match e {
        kube::Error::Api(s) => match s.code {
            404 => Error::not_found(format!("{resource}/{name} not found in namespace {namespace}"))
                .with_hint(format!("list them with: kubectl get {resource} -n {namespace}")),
            409 => Error::Conflict {
                message: format!("{what}: it changed since the plan was made; nothing was applied"),
                hint: Some("run the command again to see a fresh plan".into()),
            },
            401 | 403 => Error::PermissionDenied {
                message: format!("{what}: {} from the API server: {}", s.code, s.message),
                hint: Some(format!(
                    "the identity lacks `{verb}` on `{resource}` in namespace {namespace}; see the RBAC roles in examples/"
                )),
            },
            422 | 400 => Error::usage(format!("{what}: rejected by the API server: {}", s.message)),
            _ => Error::unavailable(format!("{what}: {} from the API server: {}", s.code, s.message)),
        },
        other => {
            Error::unavailable(format!(
                "{what}: cannot reach the API server: {}",
                crate::redact::error_chain(&other)
            ))
            .with_hint("check the cluster address in the kubeconfig (kubectl cluster-info)")
        }
    }
}
