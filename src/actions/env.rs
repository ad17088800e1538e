//! `db pool-size N` (Runbook 2) and `security log-level LEVEL` (Runbook 5): set one environment
//! variable of one container of a deployment. The seed's `kubectl patch -p '{"containers":[...]}'`
//! is a strategic merge that replaces the container list on servers that treat it as a merge
//! patch; this is a JSON patch that touches exactly one value, guarded by `test` operations on the
//! resourceVersion and on the container and variable it expects at those positions.

use super::restart::{wait_for_rollout, Kind};
use super::{kube, kube_error};
use crate::change::{Action, Applied, Change, Plan, Undo};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::types::{KubePermission, KubePermissions};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Container;
use kube::api::{Api, Patch, PatchParams};
use serde_json::{json, Value};
use std::time::Duration;

/// What `db pool-size` and `security log-level` ask the API server: the deployment, read then
/// patched, and read again while its rollout is waited for.
pub const KUBE_PERMISSIONS: KubePermissions = &[&[
    KubePermission::namespaced("get", "apps", "deployments"),
    KubePermission::namespaced("patch", "apps", "deployments"),
]];

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
    let wanted = Setting {
        action,
        variable,
        value,
    };
    let read = Current {
        namespace,
        name: deployment.to_string(),
        deployment: d,
    };
    plan_env(&read, &wanted, undo_command)
}

/// The deployment as read.
pub struct Current {
    pub namespace: String,
    pub name: String,
    pub deployment: Deployment,
}

/// What to set: the command's name, the variable and its new value.
pub struct Setting<'a> {
    pub action: &'a str,
    pub variable: &'a str,
    pub value: &'a str,
}

/// The container the variable is set on: the one named like the deployment, else the only one.
fn chosen_container(d: &Deployment, deployment: &str) -> Result<(usize, Container)> {
    let containers = d
        .spec
        .as_ref()
        .and_then(|s| s.template.spec.as_ref())
        .map(|p| p.containers.clone())
        .unwrap_or_default();
    let found = containers
        .iter()
        .position(|c| c.name == deployment)
        .or((containers.len() == 1).then_some(0));
    match found {
        Some(i) => Ok((i, containers[i].clone())),
        None => Err(Error::not_found(format!(
            "deployment/{deployment} has no container named {deployment} (containers: {})",
            containers
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Setting the variable on the deployment as read: the JSON patch (guarded by `test`s on the
/// resourceVersion and on the container and variable at the positions it writes) and the plan.
pub fn plan_env(
    read: &Current,
    wanted: &Setting,
    undo_command: impl Fn(&str) -> Option<Undo>,
) -> Result<SetEnv> {
    let (namespace, deployment, d) = (&read.namespace, read.name.as_str(), &read.deployment);
    let Setting {
        action,
        variable,
        value,
    } = *wanted;
    let (index, container) = chosen_container(d, deployment)?;
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
        namespace: namespace.clone(),
        deployment: deployment.to_string(),
        ops: Value::Array(ops),
        variable: variable.to_string(),
        value: value.to_string(),
    })
}

impl SetEnv {
    /// Whether the deployment the server answered with carries the value.
    fn in_effect(&self, updated: &Deployment) -> bool {
        updated
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.as_ref())
            .is_some_and(|p| {
                p.containers
                    .iter()
                    .flat_map(|c| c.env.iter().flatten())
                    .any(|e| {
                        e.name == self.variable && e.value.as_deref() == Some(self.value.as_str())
                    })
            })
    }

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
        let now = self.in_effect(&updated);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(containers: Value) -> Deployment {
        serde_json::from_value(json!({
            "metadata": {"name": "backend", "resourceVersion": "1234"},
            "spec": {"selector": {}, "template": {"spec": {"containers": containers}}}
        }))
        .unwrap()
    }

    /// The deployment with one container, `backend`, and its `env` list.
    fn with_env(env: Value) -> Deployment {
        deployment(json!([{"name": "backend", "image": "app", "env": env}]))
    }

    const LOG_LEVEL: Setting = Setting {
        action: "security log-level",
        variable: "LOG_LEVEL",
        value: "debug",
    };

    fn undo(old: &str) -> Option<Undo> {
        Undo::command([
            "incidentctl",
            "security",
            "log-level",
            "-n",
            "payments",
            "--",
            old,
        ])
    }

    fn current(d: &Deployment) -> Current {
        Current {
            namespace: "payments".into(),
            name: "backend".into(),
            deployment: d.clone(),
        }
    }

    fn plan_for(d: &Deployment, wanted: &Setting) -> Result<SetEnv> {
        plan_env(&current(d), wanted, undo)
    }

    fn ops(s: &SetEnv) -> &Vec<Value> {
        s.ops.as_array().unwrap()
    }

    #[test]
    fn an_existing_variable_is_replaced_behind_tests_of_version_container_and_name() {
        let d = deployment(json!([
            {"name": "sidecar", "image": "envoy"},
            {"name": "backend", "image": "app", "env": [
                {"name": "DB_POOL", "value": "10"}, {"name": "LOG_LEVEL", "value": "info"}]}
        ]));
        let s = plan_for(&d, &LOG_LEVEL).unwrap();
        assert_eq!(
            ops(&s),
            &vec![
                json!({"op": "test", "path": "/metadata/resourceVersion", "value": "1234"}),
                json!({"op": "test", "path": "/spec/template/spec/containers/1/name", "value": "backend"}),
                json!({"op": "test", "path": "/spec/template/spec/containers/1/env/1/name", "value": "LOG_LEVEL"}),
                json!({"op": "replace", "path": "/spec/template/spec/containers/1/env/1/value", "value": "debug"}),
            ]
        );
        // The ops are a valid JSON patch.
        assert!(s.patch().is_ok());
        let p = s.plan();
        assert_eq!(p.target, "deployment/backend in payments");
        assert_eq!(
            p.rows(),
            [[
                "deployment/backend container backend",
                "env LOG_LEVEL",
                "info",
                "debug"
            ]]
        );
        assert_eq!(
            p.undo_line(),
            Some("incidentctl security log-level -n payments -- info")
        );
    }

    #[test]
    fn a_new_variable_is_appended_or_the_env_list_created() {
        let only_app = deployment(json!([{"name": "app", "image": "app",
            "env": [{"name": "DB_POOL", "value": "10"}]}]));
        let s = plan_for(&only_app, &LOG_LEVEL).unwrap();
        // The only container is used even when named otherwise.
        assert_eq!(
            ops(&s)[1],
            json!({"op": "test", "path": "/spec/template/spec/containers/0/name", "value": "app"})
        );
        assert_eq!(
            ops(&s)[2],
            json!({"op": "add", "path": "/spec/template/spec/containers/0/env/-",
                   "value": {"name": "LOG_LEVEL", "value": "debug"}})
        );
        assert_eq!(ops(&s).len(), 3);
        // Unset before: shown as such, and nothing to set back.
        assert_eq!(s.plan().changes[0].from.as_deref(), Some("(unset)"));
        assert!(s.plan().undo.is_none());
        let without = deployment(json!([{"name": "backend", "image": "app"}]));
        let s = plan_for(&without, &LOG_LEVEL).unwrap();
        assert_eq!(
            ops(&s)[2],
            json!({"op": "add", "path": "/spec/template/spec/containers/0/env",
                   "value": [{"name": "LOG_LEVEL", "value": "debug"}]})
        );
    }

    #[test]
    fn the_value_already_set_is_nothing_to_do() {
        let d = with_env(json!([{"name": "LOG_LEVEL", "value": "debug"}]));
        let s = plan_for(&d, &LOG_LEVEL).unwrap();
        assert!(s.plan().changes.is_empty());
        assert!(s.plan().undo.is_none());
        assert!(s.plan().warnings.is_empty());
    }

    #[test]
    fn a_value_from_a_secret_or_an_unknown_container_is_refused() {
        let from_secret = with_env(json!([
            {"name": "LOG_LEVEL", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]));
        let e = plan_for(&from_secret, &LOG_LEVEL).err().unwrap();
        assert_eq!(e.exit_code(), crate::error::ExitCode::Usage);
        assert!(
            e.to_string().contains("comes from a ConfigMap or Secret"),
            "{e}"
        );
        let two =
            deployment(json!([{"name": "web", "image": "a"}, {"name": "envoy", "image": "b"}]));
        let e = plan_for(&two, &LOG_LEVEL).err().unwrap();
        assert_eq!(
            e.to_string(),
            "deployment/backend has no container named backend (containers: web, envoy)"
        );
    }

    #[test]
    fn a_pool_size_plan_undoes_with_its_own_command() {
        let d = with_env(json!([{"name": "DB_POOL_SIZE", "value": "10"}]));
        let pool = Setting {
            action: "db pool-size",
            variable: "DB_POOL_SIZE",
            value: "40",
        };
        let s = plan_env(&current(&d), &pool, |old| {
            Undo::command([
                "incidentctl",
                "db",
                "pool-size",
                "-n",
                "payments",
                "--",
                old,
            ])
        })
        .unwrap();
        assert_eq!(s.plan().action, "db pool-size");
        assert_eq!(
            s.plan().summary,
            "set DB_POOL_SIZE=40 on deployment/backend (container backend): its pods are replaced"
        );
        assert_eq!(
            s.plan().undo_line(),
            Some("incidentctl db pool-size -n payments -- 10")
        );
    }

    #[test]
    fn the_answer_without_the_value_is_not_in_effect() {
        let d = with_env(json!([{"name": "LOG_LEVEL", "value": "info"}]));
        let s = plan_for(&d, &LOG_LEVEL).unwrap();
        assert!(!s.in_effect(&d), "the old value is not the new one");
        let after = with_env(json!([{"name": "LOG_LEVEL", "value": "debug"}]));
        assert!(s.in_effect(&after));
    }
}
