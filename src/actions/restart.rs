//! `restart`: the seed's `kubectl rollout restart deployment/NAME` (Runbooks 1 and 3).

use super::{kube, kube_error, POLL_INTERVAL};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::plan::{Action, Applied, Change, Confirm, Plan};
use kube::api::{Api, ApiResource, DynamicObject, Patch, PatchParams};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The annotation kubectl sets; changing it makes the Deployment roll out new pods.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// The workload kinds a rollout restart applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Deployment,
    StatefulSet,
}

impl Kind {
    pub fn resource(self) -> ApiResource {
        let (kind, plural) = match self {
            Kind::Deployment => ("Deployment", "deployments"),
            Kind::StatefulSet => ("StatefulSet", "statefulsets"),
        };
        ApiResource {
            group: "apps".into(),
            version: "v1".into(),
            api_version: "apps/v1".into(),
            kind: kind.into(),
            plural: plural.into(),
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Kind::Deployment => "deployments",
            Kind::StatefulSet => "statefulsets",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Kind::Deployment => "deployment",
            Kind::StatefulSet => "statefulset",
        }
    }
}

pub fn workloads(client: kube::Client, namespace: &str, kind: Kind) -> Api<DynamicObject> {
    Api::namespaced_with(client, namespace, &kind.resource())
}

fn int(obj: &DynamicObject, pointer: &str) -> Option<i64> {
    obj.data.pointer(pointer).and_then(Value::as_i64)
}

pub struct Restart {
    plan: Plan,
    namespace: String,
    kind: Kind,
    targets: Vec<Target>,
    restarted_at: String,
}

struct Target {
    name: String,
    resource_version: String,
}

pub async fn plan(ctx: &Context, names: &[String]) -> Result<Restart> {
    let names: Vec<String> = if names.is_empty() {
        ctx.settings.kubernetes.deployments.clone()
    } else {
        names.to_vec()
    };
    plan_kind(ctx, Kind::Deployment, &names, "restart").await
}

/// `db restart`: the database workload, a StatefulSet or a Deployment, with the strongest
/// confirmation (type its name).
pub async fn plan_database(ctx: &Context) -> Result<Restart> {
    let name = ctx.settings.actions.database_workload.clone();
    let namespace = &ctx.settings.namespace;
    let client = kube(ctx).await?;
    let kind = match workloads(client.clone(), namespace, Kind::StatefulSet)
        .get_opt(&name)
        .await
    {
        Ok(Some(_)) => Kind::StatefulSet,
        Ok(None) => Kind::Deployment,
        Err(e) => return Err(kube_error(e, "get", "statefulsets", &name, namespace)),
    };
    let mut restart = plan_kind(ctx, kind, std::slice::from_ref(&name), "db restart").await?;
    restart.plan.warnings.push(format!(
        "restarting the database drops every connection: the application errors until it reconnects{}",
        if kind == Kind::Deployment { "; a Deployment may run old and new database pods at once" } else { "" }
    ));
    restart.plan.confirm = Confirm::TypeName(name);
    Ok(restart)
}

async fn plan_kind(ctx: &Context, kind: Kind, names: &[String], action: &str) -> Result<Restart> {
    let namespace = ctx.settings.namespace.clone();
    let api = workloads(kube(ctx).await?, &namespace, kind);
    let restarted_at = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let mut plan = Plan::new(
        action,
        &format!("{}/{} in {namespace}", kind.singular(), names.join(",")),
        &format!(
            "rolling restart of {} {}(s) in namespace {namespace}",
            names.len(),
            kind.singular()
        ),
    );
    let mut targets = Vec::new();
    for name in names {
        let d = api
            .get(name)
            .await
            .map_err(|e| kube_error(e, "get", kind.plural(), name, &namespace))?;
        let previous = d
            .data
            .pointer("/spec/template/metadata/annotations")
            .and_then(|a| a.get(RESTARTED_AT))
            .and_then(Value::as_str)
            .unwrap_or("never")
            .to_string();
        let replicas = int(&d, "/spec/replicas").unwrap_or(1);
        let available = int(&d, "/status/availableReplicas").unwrap_or(0);
        plan.changes.push(
            Change::new(
                format!("{}/{name}", kind.singular()),
                format!("replace its {replicas} pod(s) one by one ({available} available now)"),
            )
            .was_now(
                format!("restartedAt {previous}"),
                format!("restartedAt {restarted_at}"),
            ),
        );
        if replicas <= 1 {
            plan.warnings.push(format!(
                "{}/{name} has a single replica: it is unavailable while its pod is replaced",
                kind.singular()
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
        kind,
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

    async fn api(&self, ctx: &Context) -> Result<Api<DynamicObject>> {
        Ok(workloads(kube(ctx).await?, &self.namespace, self.kind))
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
                .map_err(|e| {
                    kube_error(e, "patch", self.kind.plural(), &t.name, &self.namespace)
                })?;
        }
        Ok(Some(
            "(server dry run) the API server accepted the change".into(),
        ))
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        let api = self.api(ctx).await?;
        let mut applied = Applied::default();
        let mut first_error = None;
        for t in &self.targets {
            match api
                .patch(&t.name, &PatchParams::default(), &self.patch(t))
                .await
            {
                Ok(_) => {
                    applied
                        .details
                        .push(format!("{}/{} restarted", self.kind.singular(), t.name))
                }
                Err(e) => {
                    let err = kube_error(e, "patch", self.kind.plural(), &t.name, &self.namespace);
                    applied
                        .details
                        .push(format!("{}/{}: {err}", self.kind.singular(), t.name));
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
        wait_for_rollout(&api, self.kind, &names, None, timeout).await
    }

    fn verifies(&self) -> bool {
        true
    }
}

/// Waits until each deployment's rollout is complete (as `kubectl rollout status`): the
/// controller has seen the latest generation and updated, ready and available replicas all equal
/// the desired count (`replicas` overrides the spec's when given).
pub async fn wait_for_rollout(
    api: &Api<DynamicObject>,
    kind: Kind,
    names: &[&str],
    replicas: Option<i64>,
    timeout: Duration,
) -> Result<Vec<String>> {
    let started = Instant::now();
    let mut pending: Vec<&str> = names.to_vec();
    let mut done = Vec::new();
    let mut last_state = String::new();
    let what = kind.singular();
    while !pending.is_empty() {
        let mut still = Vec::new();
        for name in pending {
            let d = api.get(name).await.map_err(|e| {
                Error::unavailable(format!("reading {what}/{name} while waiting: {e}"))
            })?;
            let generation = d.metadata.generation.unwrap_or(0);
            let want = replicas.or(int(&d, "/spec/replicas")).unwrap_or(1);
            let observed = int(&d, "/status/observedGeneration").unwrap_or(0);
            let updated = int(&d, "/status/updatedReplicas").unwrap_or(0);
            let ready = int(&d, "/status/readyReplicas").unwrap_or(0);
            let available = int(&d, "/status/availableReplicas").unwrap_or(0);
            if observed >= generation && updated == want && ready == want && available == want {
                done.push(format!(
                    "{what}/{name}: rollout complete, {available}/{want} available ({:.1}s)",
                    started.elapsed().as_secs_f64()
                ));
            } else {
                last_state = format!(
                    "{what}/{name}: generation {observed}/{generation}, updated {updated}, ready {ready}, available {available} of {want}"
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
