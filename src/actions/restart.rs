//! `restart`: the seed's `kubectl rollout restart deployment/NAME` (Runbooks 1 and 3).

use super::{kube, kube_error, POLL_INTERVAL};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::plan::{Action, Applied, Change, Plan};
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, Patch, PatchParams};
use std::time::{Duration, Instant};

/// The annotation kubectl sets; changing it makes the Deployment roll out new pods.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

pub struct Restart {
    plan: Plan,
    namespace: String,
    targets: Vec<Target>,
    restarted_at: String,
}

struct Target {
    name: String,
    resource_version: String,
}

pub async fn plan(ctx: &Context, names: &[String]) -> Result<Restart> {
    let namespace = ctx.settings.namespace.clone();
    let names: Vec<String> = if names.is_empty() {
        ctx.settings.kubernetes.deployments.clone()
    } else {
        names.to_vec()
    };
    let api: Api<Deployment> = Api::namespaced(kube(ctx).await?, &namespace);
    let restarted_at = jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut plan = Plan::new(
        "restart",
        &format!("deployment/{} in {namespace}", names.join(",")),
        &format!("rolling restart of {} deployment(s) in namespace {namespace}", names.len()),
    );
    let mut targets = Vec::new();
    for name in &names {
        let d = api
            .get(name)
            .await
            .map_err(|e| kube_error(e, "get", "deployments", name, &namespace))?;
        let previous = d
            .spec
            .as_ref()
            .and_then(|s| s.template.metadata.as_ref())
            .and_then(|m| m.annotations.as_ref())
            .and_then(|a| a.get(RESTARTED_AT))
            .cloned()
            .unwrap_or_else(|| "never".into());
        let replicas = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let available = d.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0);
        plan.changes.push(
            Change::new(
                format!("deployment/{name}"),
                format!("replace its {replicas} pod(s) one by one ({available} available now)"),
            )
            .from_to(format!("restartedAt {previous}"), format!("restartedAt {restarted_at}")),
        );
        if available <= 1 && replicas <= 1 {
            plan.warnings.push(format!(
                "deployment/{name} has a single replica: it may be briefly unavailable during the restart"
            ));
        }
        targets.push(Target {
            name: name.clone(),
            resource_version: d.metadata.resource_version.clone().unwrap_or_default(),
        });
    }
    Ok(Restart {
        plan,
        namespace,
        targets,
        restarted_at,
    })
}

impl Restart {
    fn patch(&self, target: &Target) -> Patch<serde_json::Value> {
        // The resourceVersion makes a plan made stale by someone else fail (409) instead of
        // restarting a deployment the engineer did not see.
        Patch::Strategic(serde_json::json!({
            "metadata": {"resourceVersion": target.resource_version},
            "spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: self.restarted_at}}}}
        }))
    }

    async fn api(&self, ctx: &Context) -> Result<Api<Deployment>> {
        Ok(Api::namespaced(kube(ctx).await?, &self.namespace))
    }
}

impl Action for Restart {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn validate(&self, ctx: &Context) -> Result<Option<String>> {
        let api = self.api(ctx).await?;
        for t in &self.targets {
            api.patch(&t.name, &PatchParams::default().dry_run(), &self.patch(t))
                .await
                .map_err(|e| kube_error(e, "patch", "deployments", &t.name, &self.namespace))?;
        }
        Ok(Some("(server dry run) the API server accepted the change".into()))
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        let api = self.api(ctx).await?;
        let mut applied = Applied::default();
        let mut first_error = None;
        for t in &self.targets {
            match api.patch(&t.name, &PatchParams::default(), &self.patch(t)).await {
                Ok(_) => applied.details.push(format!("deployment/{} restarted", t.name)),
                Err(e) => {
                    let err = kube_error(e, "patch", "deployments", &t.name, &self.namespace);
                    applied.details.push(format!("deployment/{}: {err}", t.name));
                    applied.failed += 1;
                    first_error.get_or_insert(err);
                }
            }
        }
        match first_error {
            Some(e) if applied.failed == self.targets.len() => Err(e),
            _ => Ok(applied),
        }
    }

    async fn verify(&self, ctx: &Context, timeout: Duration) -> Result<Vec<String>> {
        let api = self.api(ctx).await?;
        let names: Vec<&str> = self.targets.iter().map(|t| t.name.as_str()).collect();
        wait_for_rollout(&api, &names, None, timeout).await
    }

    fn verifies(&self) -> bool {
        true
    }
}

/// Waits until each deployment's rollout is complete (as `kubectl rollout status`): the
/// controller has seen the latest generation and updated, ready and available replicas all equal
/// the desired count (`replicas` overrides the spec's when given).
pub async fn wait_for_rollout(
    api: &Api<Deployment>,
    names: &[&str],
    replicas: Option<i32>,
    timeout: Duration,
) -> Result<Vec<String>> {
    let started = Instant::now();
    let mut pending: Vec<&str> = names.to_vec();
    let mut done = Vec::new();
    let mut last_state = String::new();
    while !pending.is_empty() {
        let mut still = Vec::new();
        for name in pending {
            let d = api.get(name).await.map_err(|e| {
                Error::unavailable(format!("reading deployment/{name} while waiting: {e}"))
            })?;
            let generation = d.metadata.generation.unwrap_or(0);
            let want = replicas.or(d.spec.as_ref().and_then(|s| s.replicas)).unwrap_or(1);
            let st = d.status.unwrap_or_default();
            let observed = st.observed_generation.unwrap_or(0);
            let (updated, ready, available) = (
                st.updated_replicas.unwrap_or(0),
                st.ready_replicas.unwrap_or(0),
                st.available_replicas.unwrap_or(0),
            );
            if observed >= generation && updated == want && ready == want && available == want {
                done.push(format!(
                    "deployment/{name}: rollout complete, {available}/{want} available ({:.1}s)",
                    started.elapsed().as_secs_f64()
                ));
            } else {
                last_state = format!(
                    "deployment/{name}: generation {observed}/{generation}, updated {updated}, ready {ready}, available {available} of {want}"
                );
                still.push(name);
            }
        }
        pending = still;
        if pending.is_empty() {
            break;
        }
        if started.elapsed() >= timeout {
            return Err(Error::VerifyFailed(format!(
                "rollout not complete after {}: {last_state}",
                crate::settings::Dur(timeout)
            )));
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
    Ok(done)
}
