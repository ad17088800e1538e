//! `db pool-size N` (Runbook 2) and `security log-level LEVEL` (Runbook 5): set one environment
//! variable of one container of a deployment. The seed's `kubectl patch -p '{"containers":[...]}'`
//! is a strategic merge that replaces the container list on servers that treat it as a merge
//! patch; this is a JSON patch that touches exactly one value, guarded by `test` operations on the
//! resourceVersion and on the container and variable it expects at those positions.

use super::restart::{wait_for_rollout, Kind};
use super::{kube, kube_error};
use crate::change::{Action, Applied, Change, Plan, Undo};
use crate::clients::Context;
use crate::error::{Error, Result};
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, Patch, PatchParams};
use serde_json::{json, Value};
use std::time::Duration;

pub struct SetEnv {
    plan: Plan,
    namespace: String,
    deployment: String,
    ops: Value,
    variable: String,
    value: String,
}

/// Plans setting `variable` to `value` on the deployment's container named like the deployment
/// (or its only container). `undo_command` renders the command that sets the old value back.
pub async fn plan(
    ctx: &Context,
    action: &str,
    deployment: &str,
    variable: &str,
    value: &str,
    undo_command: impl Fn(&str) -> Option<Undo>,
) -> Result<SetEnv> {
    let namespace = ctx.settings.namespace.clone();
    let api: Api<Deployment> = Api::namespaced(kube(ctx).await?, &namespace);
    let d = api
        .get(deployment)
        .await
        .map_err(|e| kube_error(e, "get", "deployments", deployment, &namespace))?;
    let containers = d
        .spec
        .as_ref()
        .map(|s| {
            s.template
                .spec
                .as_ref()
                .map(|p| p.containers.clone())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let (index, container) = containers
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == deployment)
        .or_else(|| {
            if containers.len() == 1 {
                containers.iter().enumerate().next()
            } else {
                None
            }
        })
        .ok_or_else(|| {
            Error::not_found(format!(
                "deployment/{deployment} has no container named {deployment} (containers: {})",
                containers
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    let env = container.env.clone().unwrap_or_default();
    let position = env.iter().position(|e| e.name == variable);
    let current = position.and_then(|i| env[i].value.clone());
    if position.is_some_and(|i| env[i].value_from.is_some()) {
        return Err(Error::usage(format!(
            "{variable} on deployment/{deployment} comes from a ConfigMap or Secret (valueFrom); change it there"
        )));
    }
    let rv = d.metadata.resource_version.clone().unwrap_or_default();
    let base = format!("/spec/template/spec/containers/{index}");
    let mut ops = vec![
        json!({"op": "test", "path": "/metadata/resourceVersion", "value": rv}),
        json!({"op": "test", "path": format!("{base}/name"), "value": container.name}),
    ];
    match position {
        Some(i) => {
            ops.push(json!({"op": "test", "path": format!("{base}/env/{i}/name"), "value": variable}));
            ops.push(json!({"op": "replace", "path": format!("{base}/env/{i}/value"), "value": value}));
        }
        None if container.env.is_some() => {
            ops.push(json!({"op": "add", "path": format!("{base}/env/-"), "value": {"name": variable, "value": value}}))
        }
        None => ops.push(json!({"op": "add", "path": format!("{base}/env"), "value": [{"name": variable, "value": value}]})),
    }
    let from = current.clone().unwrap_or_else(|| "(unset)".into());
    let mut plan = Plan::new(
        action,
        &format!("deployment/{deployment} in {namespace}"),
        &format!("set {variable}={value} on deployment/{deployment} (container {}): its pods are replaced", container.name),
    );
    if current.as_deref() != Some(value) {
        plan.changes.push(
            Change::new(
                format!("deployment/{deployment} container {}", container.name),
                format!("env {variable}"),
            )
            .was_now(from, value),
        );
        plan.undo = current.as_deref().and_then(&undo_command);
        plan.warnings
            .push("changing the pod template rolls out new pods, like a restart".into());
    }
    Ok(SetEnv {
        plan,
        namespace,
        deployment: deployment.to_string(),
        ops: Value::Array(ops),
        variable: variable.to_string(),
        value: value.to_string(),
    })
}

impl SetEnv {
    fn patch(&self) -> Result<Patch<()>> {
        let ops: json_patch::Patch = serde_json::from_value(self.ops.clone())
            .map_err(|e| Error::Internal(format!("bad JSON patch: {e}")))?;
        Ok(Patch::Json(ops))
    }
}

impl Action for SetEnv {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn validate(&self, ctx: &Context) -> Result<Option<String>> {
        let api: Api<Deployment> = Api::namespaced(kube(ctx).await?, &self.namespace);
        api.patch(
            &self.deployment,
            &PatchParams::default().dry_run(),
            &self.patch()?,
        )
        .await
        .map_err(|e| kube_error(e, "patch", "deployments", &self.deployment, &self.namespace))?;
        Ok(Some(
            "(server dry run) the API server accepted the change".into(),
        ))
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        let api: Api<Deployment> = Api::namespaced(kube(ctx).await?, &self.namespace);
        let updated = api
            .patch(&self.deployment, &PatchParams::default(), &self.patch()?)
            .await
            .map_err(|e| {
                kube_error(e, "patch", "deployments", &self.deployment, &self.namespace)
            })?;
        let now = updated
            .spec
            .and_then(|s| s.template.spec)
            .map(|p| {
                p.containers
                    .iter()
                    .flat_map(|c| c.env.iter().flatten())
                    .any(|e| {
                        e.name == self.variable && e.value.as_deref() == Some(self.value.as_str())
                    })
            })
            .unwrap_or(false);
        if !now {
            // The server took the request (200) and answered with the object as it stored it:
            // without the value. Not refused, not lost: something put the value back.
            return Err(Error::NotInEffect(format!(
                "deployment/{}: the API server accepted the change but answered without {}={}",
                self.deployment, self.variable, self.value
            )));
        }
        Ok(Applied::done(vec![format!(
            "deployment/{}: {}={}",
            self.deployment, self.variable, self.value
        )]))
    }

    async fn verify(&self, ctx: &Context, timeout: Duration) -> Result<Vec<String>> {
        wait_for_rollout(
            kube(ctx).await?,
            &self.namespace,
            Kind::Deployment,
            &[&self.deployment],
            None,
            timeout,
        )
        .await
    }

    fn verifies(&self) -> bool {
        true
    }
}
