//! `rollback DEPLOYMENT [--to-revision N]`: `kubectl rollout undo` with a plan. The pod template
//! of an earlier ReplicaSet revision is written back to the deployment by a JSON patch guarded
//! by the generation the plan read (someone else's change of the spec makes it fail); the plan
//! shows what differs (images, environment variable names, configmap and secret references —
//! never a value), and the rollout is waited for.

use super::restart::{wait_for_rollout, Kind};
use super::{kube, kube_error};
use crate::change::{Action, Applied, Change, Plan, Undo};
use crate::context::Context;
use crate::discovery::revisions::{
    differences, revision_of, revisions, Difference, Revision, REVISION,
};
use crate::error::{Error, Result};
use crate::types::{KubePermission, KubePermissions};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::PodTemplateSpec;
use kube::api::{Api, Patch, PatchParams};

/// What `rollback` asks the API server: the deployment and its ReplicaSets (the revisions), then
/// a patch of its pod template, and the deployment again while its rollout is waited for.
pub const KUBE_PERMISSIONS: KubePermissions = &[
    &[KubePermission::namespaced("get", "apps", "deployments")],
    crate::discovery::revisions::REVISIONS_PERMISSIONS,
    &[KubePermission::namespaced("patch", "apps", "deployments")],
];
use serde_json::{json, Value};
use std::time::Duration;

pub struct Rollback {
    plan: Plan,
    namespace: String,
    name: String,
    ops: Value,
}

/// The revision to return to: the one asked for, or the newest before the current one.
pub fn choose(
    revisions: &[Revision],
    current: i64,
    asked: Option<i64>,
    name: &str,
) -> Result<Revision> {
    let known = || {
        revisions
            .iter()
            .map(|r| r.number.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match asked {
        Some(n) => revisions.iter().find(|r| r.number == n).cloned().ok_or_else(|| {
            Error::not_found(format!(
                "deployment/{name} has no revision {n} (revisions kept: {})",
                known()
            ))
            .with_hint("a deployment keeps spec.revisionHistoryLimit old ReplicaSets (10 by default)")
        }),
        None => revisions
            .iter()
            .rev()
            .find(|r| r.number < current)
            .cloned()
            .ok_or_else(|| {
                Error::not_found(format!(
                    "deployment/{name} has no revision before {current} to return to (revisions kept: {})",
                    known()
                ))
            }),
    }
}

/// The plan's rows: what differs between the template now and the one returned to.
pub fn template_diff(now: &PodTemplateSpec, to: &PodTemplateSpec) -> Vec<Change> {
    differences(now, to)
        .into_iter()
        .map(|d| match d {
            Difference::Image {
                container,
                from,
                to,
            } => Change::new(format!("container {container}"), "image").was_now(from, to),
            Difference::Env {
                container,
                name,
                how,
            } => Change::new(format!("container {container}"), format!("env {name}"))
                .was_now("", how),
            Difference::ContainerAdded { container, image } => {
                Change::new(format!("container {container}"), "added").was_now("", image)
            }
            Difference::ContainerRemoved { container, image } => {
                Change::new(format!("container {container}"), "removed").was_now(image, "")
            }
            Difference::Reference { object, referenced } => Change::new(
                object,
                if referenced {
                    "referenced"
                } else {
                    "no longer referenced"
                },
            ),
            Difference::Other => Change::new("pod template", "other fields differ"),
        })
        .collect()
}

pub async fn plan(ctx: &Context, name: &str, to_revision: Option<i64>) -> Result<Rollback> {
    if to_revision.is_some_and(|n| n < 1) {
        return Err(Error::usage("--to-revision counts from 1"));
    }
    let namespace = ctx.settings.namespace.clone();
    let client = kube(ctx).await?;
    let api: Api<Deployment> = Api::namespaced(client.clone(), &namespace);
    let deployment = api
        .get(name)
        .await
        .map_err(|e| kube_error(e, "get", "deployments", name, &namespace))?;
    let revisions = revisions(
        client,
        &deployment,
        &namespace,
        ctx.settings.kubernetes.page_size,
    )
    .await
    .map_err(|e| kube_error(e, "list", "replicasets", name, &namespace))?;
    let read = History {
        namespace,
        name: name.to_string(),
        deployment,
        revisions,
    };
    plan_rollback(&read, to_revision)
}

/// A deployment as read, with the revisions its ReplicaSets keep (oldest first).
#[derive(Debug, Clone, Default)]
pub struct History {
    pub namespace: String,
    pub name: String,
    pub deployment: Deployment,
    pub revisions: Vec<Revision>,
}

/// Returning the deployment read to a kept revision: the one asked for, or the one before.
pub fn plan_rollback(read: &History, to_revision: Option<i64>) -> Result<Rollback> {
    let (namespace, name, d) = (&read.namespace, read.name.as_str(), &read.deployment);
    let current = revision_of(&d.metadata).ok_or_else(|| Error::Data {
        message: format!("deployment/{name} has no {REVISION} annotation yet"),
        hint: Some(
            "the deployment controller numbers revisions; is kube-controller-manager running?"
                .into(),
        ),
    })?;
    let target = choose(&read.revisions, current, to_revision, name)?;
    let now = d
        .spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default();
    let mut plan = Plan::new(
        "rollback",
        &format!("deployment/{name} in {namespace}"),
        &format!(
            "return deployment/{name} in {namespace} from revision {current} to the pod template of revision {}",
            target.number
        ),
    );
    if target.number == current || now == target.template {
        plan.notes.push(format!(
            "deployment/{name} already runs the template of revision {}",
            target.number
        ));
    } else {
        plan.changes = template_diff(&now, &target.template);
        plan.warnings
            .push("changing the pod template rolls out new pods, like a restart".into());
        plan.undo = Undo::command([
            "incidentctl".to_string(),
            "rollback".into(),
            name.to_string(),
            "--to-revision".into(),
            current.to_string(),
            "-n".into(),
            namespace.to_string(),
        ]);
    }
    // The precondition is the generation, which only a change of the spec moves: while the
    // current revision rolls out, the controller rewrites the status (and so the
    // resourceVersion) many times a second, and a rollback must not be refused for that.
    let generation = d.metadata.generation.unwrap_or_default();
    let ops = json!([
        {"op": "test", "path": "/metadata/generation", "value": generation},
        {"op": "replace", "path": "/spec/template", "value": target.template},
    ]);
    Ok(Rollback {
        plan,
        namespace: namespace.clone(),
        name: name.to_string(),
        ops,
    })
}

impl Rollback {
    fn patch(&self) -> Result<Patch<()>> {
        let ops: json_patch::Patch = serde_json::from_value(self.ops.clone())
            .map_err(|e| Error::Internal(format!("bad JSON patch: {e}")))?;
        Ok(Patch::Json(ops))
    }

    async fn send(&self, ctx: &Context, params: &PatchParams) -> Result<Deployment> {
        let api: Api<Deployment> = Api::namespaced(kube(ctx).await?, &self.namespace);
        api.patch(&self.name, params, &self.patch()?)
            .await
            .map_err(|e| kube_error(e, "patch", "deployments", &self.name, &self.namespace))
    }
}

impl Action for Rollback {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn validate(&self, ctx: &Context) -> Result<Option<String>> {
        self.send(ctx, &PatchParams::default().dry_run()).await?;
        Ok(Some(
            "(server dry run) the API server accepted the change".into(),
        ))
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        self.send(ctx, &PatchParams::default()).await?;
        Ok(Applied::done(vec![format!(
            "deployment/{}: pod template replaced",
            self.name
        )]))
    }

    async fn verify(&self, ctx: &Context, timeout: Duration) -> Result<Vec<String>> {
        wait_for_rollout(
            kube(ctx).await?,
            &self.namespace,
            Kind::Deployment,
            &[&self.name],
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

    #[test]
    fn the_revision_is_the_one_asked_for_or_the_newest_before_the_current() {
        let rev = |n| Revision {
            number: n,
            ..Revision::default()
        };
        let kept = [rev(1), rev(3), rev(4)];
        assert_eq!(choose(&kept, 4, None, "b").unwrap().number, 3);
        assert_eq!(choose(&kept, 4, Some(1), "b").unwrap().number, 1);
        let missing = choose(&kept, 4, Some(2), "b").unwrap_err().to_string();
        assert!(
            missing.contains("no revision 2 (revisions kept: 1, 3, 4)"),
            "{missing}"
        );
        assert!(choose(&[rev(1)], 1, None, "b").is_err());
    }

    fn template(image: &str, env: &[&str]) -> PodTemplateSpec {
        let env: Vec<Value> = env
            .iter()
            .map(|n| json!({"name": n, "value": "x"}))
            .collect();
        serde_json::from_value(json!({
            "metadata": {"labels": {"app": "backend"}},
            "spec": {"containers": [{"name": "backend", "image": image, "env": env}]}
        }))
        .unwrap()
    }

    fn history(current: Option<i64>, now: PodTemplateSpec, kept: &[(i64, &str)]) -> History {
        let mut d: Deployment = serde_json::from_value(json!({
            "metadata": {"name": "backend", "generation": 6, "resourceVersion": "999"},
            "spec": {"selector": {}, "template": now}
        }))
        .unwrap();
        if let Some(n) = current {
            d.metadata.annotations = Some([(REVISION.to_string(), n.to_string())].into());
        }
        History {
            namespace: "payments".into(),
            name: "backend".into(),
            deployment: d,
            revisions: kept
                .iter()
                .map(|(n, image)| Revision {
                    number: *n,
                    template: template(image, &[]),
                    ..Revision::default()
                })
                .collect(),
        }
    }

    #[test]
    fn a_rollback_replaces_the_template_guarded_by_the_generation_and_undoes_forward() {
        let read = history(
            Some(4),
            template("app:2.0", &["FEATURE_X"]),
            &[(3, "app:1.9"), (4, "app:2.0")],
        );
        let r = plan_rollback(&read, None).unwrap();
        assert_eq!(
            r.plan.summary,
            "return deployment/backend in payments from revision 4 to the pod template of revision 3"
        );
        assert_eq!(
            r.ops[0],
            json!({"op": "test", "path": "/metadata/generation", "value": 6})
        );
        assert_eq!(r.ops[1]["op"], "replace");
        assert_eq!(r.ops[1]["path"], "/spec/template");
        assert_eq!(
            r.ops[1]["value"]["spec"]["containers"][0]["image"],
            "app:1.9"
        );
        assert!(r.patch().is_ok());
        let rows = r.plan.rows();
        assert!(
            rows.contains(&["container backend", "image", "app:2.0", "app:1.9"]),
            "{rows:?}"
        );
        assert!(rows.iter().any(|r| r[1] == "env FEATURE_X"), "{rows:?}");
        assert_eq!(
            r.plan.undo_line(),
            Some("incidentctl rollback backend --to-revision 4 -n payments")
        );
    }

    #[test]
    fn the_template_already_running_is_nothing_to_do() {
        let read = history(
            Some(4),
            template("app:1.9", &[]),
            &[(3, "app:1.9"), (4, "app:1.9")],
        );
        let same = plan_rollback(&read, Some(3)).unwrap();
        assert!(same.plan.changes.is_empty());
        assert!(same.plan.undo.is_none());
        assert_eq!(
            same.plan.notes,
            ["deployment/backend already runs the template of revision 3"]
        );
        let current = plan_rollback(&read, Some(4)).unwrap();
        assert!(current.plan.changes.is_empty());
    }

    #[test]
    fn a_deployment_without_revisions_or_the_revision_asked_is_refused() {
        let unnumbered = history(None, template("app:2.0", &[]), &[(3, "app:1.9")]);
        let e = plan_rollback(&unnumbered, None).err().unwrap();
        assert_eq!(e.exit_code(), crate::error::ExitCode::DataError);
        assert!(
            e.to_string()
                .contains("has no deployment.kubernetes.io/revision annotation"),
            "{e}"
        );
        let read = history(Some(4), template("app:2.0", &[]), &[(3, "app:1.9")]);
        let e = plan_rollback(&read, Some(2)).err().unwrap();
        assert_eq!(e.exit_code(), crate::error::ExitCode::NotFound);
    }
}
