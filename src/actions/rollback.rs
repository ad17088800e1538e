//! `rollback DEPLOYMENT [--to-revision N]`: `kubectl rollout undo` with a plan. The pod template
//! of an earlier ReplicaSet revision is written back to the deployment by a JSON patch guarded
//! by the generation the plan read (someone else's change of the spec makes it fail); the plan
//! shows what differs (images, environment variable names, configmap and secret references —
//! never a value), and the rollout is waited for.

use super::restart::{wait_for_rollout, Kind};
use super::{kube, kube_error};
use crate::change::{Action, Applied, Change, Plan};
use crate::context::Context;
use crate::error::{Error, Result};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use kube::api::{Api, ListParams, Patch, PatchParams};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// The annotation the deployment controller numbers revisions with (on the deployment and on
/// each of its ReplicaSets).
pub const REVISION: &str = "deployment.kubernetes.io/revision";
/// The label the controller adds to a ReplicaSet's template; not part of the deployment's.
const TEMPLATE_HASH: &str = "pod-template-hash";

pub struct Rollback {
    plan: Plan,
    namespace: String,
    name: String,
    ops: Value,
}

/// One revision of a deployment: its number and pod template (as the deployment would carry it).
#[derive(Debug, Clone)]
pub struct Revision {
    pub number: i64,
    pub template: PodTemplateSpec,
}

fn revision_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> Option<i64> {
    meta.annotations.as_ref()?.get(REVISION)?.parse().ok()
}

/// The deployment's revisions, from the ReplicaSets it owns, oldest first.
pub async fn revisions(
    client: kube::Client,
    d: &Deployment,
    namespace: &str,
) -> Result<Vec<Revision>> {
    let name = d.metadata.name.clone().unwrap_or_default();
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let selector = crate::discovery::label_selector(d);
    let api: Api<ReplicaSet> = Api::namespaced(client, namespace);
    let sets = api
        .list(&ListParams::default().labels(&selector))
        .await
        .map_err(|e| kube_error(e, "list", "replicasets", &name, namespace))?;
    let mut revisions: Vec<Revision> = sets
        .items
        .into_iter()
        .filter(|rs| {
            rs.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.uid == uid && o.controller == Some(true))
        })
        .filter_map(|rs| {
            let number = revision_of(&rs.metadata)?;
            let mut template = rs.spec?.template?;
            if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
                labels.remove(TEMPLATE_HASH);
            }
            Some(Revision { number, template })
        })
        .collect();
    revisions.sort_by_key(|r| r.number);
    Ok(revisions)
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

/// The configmaps and secrets a template references (`configmap/NAME`, `secret/NAME`).
fn references(t: &PodTemplateSpec) -> BTreeSet<String> {
    let found = crate::discovery::template_of("", t);
    let configmaps = found.configmaps.keys().map(|n| format!("configmap/{n}"));
    let secrets = found.secrets.keys().map(|n| format!("secret/{n}"));
    configmaps.chain(secrets).collect()
}

/// Each container's image and environment (name → how it is set, compared but never shown).
fn containers(t: &PodTemplateSpec) -> BTreeMap<String, (String, BTreeMap<String, Value>)> {
    t.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .map(|c| {
            let env = c
                .env
                .iter()
                .flatten()
                .map(|e| (e.name.clone(), serde_json::to_value(e).unwrap_or_default()))
                .collect();
            (c.name.clone(), (c.image.clone().unwrap_or_default(), env))
        })
        .collect()
}

/// What differs between the template now and the one returned to, for people: images, the
/// names of environment variables added, removed or changed, references added or removed.
/// Values are never shown (an environment variable may be a secret).
pub fn template_diff(now: &PodTemplateSpec, to: &PodTemplateSpec) -> Vec<Change> {
    let mut changes = Vec::new();
    let (a, b) = (containers(now), containers(to));
    for name in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
        let object = format!("container {name}");
        match (a.get(name), b.get(name)) {
            (Some((ia, ea)), Some((ib, eb))) => {
                if ia != ib {
                    changes.push(Change::new(&object, "image").was_now(ia, ib));
                }
                for var in ea.keys().chain(eb.keys()).collect::<BTreeSet<_>>() {
                    let what = match (ea.get(var), eb.get(var)) {
                        (Some(x), Some(y)) if x != y => "changed",
                        (Some(_), None) => "removed",
                        (None, Some(_)) => "added",
                        _ => continue,
                    };
                    changes.push(Change::new(&object, format!("env {var}")).was_now("", what));
                }
            }
            (Some((ia, _)), None) => changes.push(Change::new(&object, "removed").was_now(ia, "")),
            (None, Some((ib, _))) => changes.push(Change::new(&object, "added").was_now("", ib)),
            (None, None) => {}
        }
    }
    let (ra, rb) = (references(now), references(to));
    for r in ra.difference(&rb) {
        changes.push(Change::new(r, "no longer referenced"));
    }
    for r in rb.difference(&ra) {
        changes.push(Change::new(r, "referenced"));
    }
    if changes.is_empty() && now != to {
        changes.push(Change::new("pod template", "other fields differ"));
    }
    changes
}

pub async fn plan(ctx: &Context, name: &str, to_revision: Option<i64>) -> Result<Rollback> {
    if to_revision.is_some_and(|n| n < 1) {
        return Err(Error::usage("--to-revision counts from 1"));
    }
    let namespace = ctx.settings.namespace.clone();
    let client = kube(ctx).await?;
    let api: Api<Deployment> = Api::namespaced(client.clone(), &namespace);
    let d = api
        .get(name)
        .await
        .map_err(|e| kube_error(e, "get", "deployments", name, &namespace))?;
    let current = revision_of(&d.metadata).ok_or_else(|| Error::Data {
        message: format!("deployment/{name} has no {REVISION} annotation yet"),
        hint: Some(
            "the deployment controller numbers revisions; is kube-controller-manager running?"
                .into(),
        ),
    })?;
    let revisions = revisions(client, &d, &namespace).await?;
    let target = choose(&revisions, current, to_revision, name)?;
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
    let changes = template_diff(&now, &target.template);
    if target.number == current || now == target.template {
        plan.notes.push(format!(
            "deployment/{name} already runs the template of revision {}",
            target.number
        ));
    } else {
        plan.changes = changes;
        plan.warnings
            .push("changing the pod template rolls out new pods, like a restart".into());
        plan.undo = Some(format!(
            "incidentctl rollback {name} --to-revision {current} -n {namespace}"
        ));
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
        namespace,
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

    fn template(image: &str, env: Value, secret: &str) -> PodTemplateSpec {
        serde_json::from_value(json!({
            "metadata": {"labels": {"app": "backend"}},
            "spec": {
                "containers": [{"name": "backend", "image": image, "env": env,
                                "envFrom": [{"secretRef": {"name": secret}}]}]
            }
        }))
        .unwrap()
    }

    #[test]
    fn the_diff_names_images_env_names_and_references_but_never_values() {
        let now = template(
            "app:2",
            json!([{"name": "LOG_LEVEL", "value": "debug"}, {"name": "NEW", "value": "s3cr3t"}]),
            "app-secrets-v2",
        );
        let to = template(
            "app:1",
            json!([{"name": "LOG_LEVEL", "value": "info"}]),
            "app-secrets",
        );
        let changes = template_diff(&now, &to);
        let rows: Vec<String> = changes
            .iter()
            .map(|c| format!("{} {} {:?}->{:?}", c.object, c.change, c.from, c.to))
            .collect();
        let text = rows.join("\n");
        assert!(
            text.contains("container backend image Some(\"app:2\")->Some(\"app:1\")"),
            "{text}"
        );
        assert!(
            text.contains("env LOG_LEVEL") && text.contains("changed"),
            "{text}"
        );
        assert!(
            text.contains("env NEW") && text.contains("removed"),
            "{text}"
        );
        assert!(
            text.contains("secret/app-secrets-v2 no longer referenced"),
            "{text}"
        );
        assert!(text.contains("secret/app-secrets referenced"), "{text}");
        for value in ["debug", "info", "s3cr3t"] {
            assert!(!text.contains(value), "a value is shown: {text}");
        }
        assert!(template_diff(&to, &to).is_empty());
    }

    #[test]
    fn the_revision_is_the_one_asked_for_or_the_newest_before_the_current() {
        let rev = |n| Revision {
            number: n,
            template: PodTemplateSpec::default(),
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
}
