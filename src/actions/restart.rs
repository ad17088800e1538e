//! `restart`: the seed's `kubectl rollout restart deployment/NAME` (Runbooks 1 and 3).

use super::{kube, kube_error, POLL_INTERVAL};
use crate::change::{Action, Applied, Change, Confirm, Plan};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::types::{KubePermission, KubePermissions};
use kube::api::{Api, ApiResource, DynamicObject, Patch, PatchParams};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The annotation kubectl sets; changing it makes the Deployment roll out new pods.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// What `restart` asks the API server: each deployment, read then patched, and read again while
/// its rollout is waited for.
pub const DEPLOYMENT_PERMISSIONS: &[KubePermission] = &[
    KubePermission::namespaced("get", "apps", "deployments"),
    KubePermission::namespaced("patch", "apps", "deployments"),
];

/// What `db restart` asks: the database workload as a StatefulSet, else as a Deployment.
pub const DATABASE_PERMISSIONS: KubePermissions = &[
    &[
        KubePermission::namespaced("get", "apps", "statefulsets"),
        KubePermission::namespaced("patch", "apps", "statefulsets"),
    ],
    DEPLOYMENT_PERMISSIONS,
];

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

/// One workload as a restart plan needs it, read from the API server.
#[derive(Debug, Clone, Default)]
pub struct Workload {
    pub name: String,
    pub resource_version: String,
    /// spec.replicas (1 when unset, as the API server defaults it).
    pub replicas: i64,
    pub available: i64,
    /// The pod template's restartedAt annotation, when it has been restarted before.
    pub restarted_at: Option<String>,
}

impl Workload {
    pub fn of(name: &str, obj: &DynamicObject) -> Workload {
        Workload {
            name: name.to_string(),
            resource_version: obj.metadata.resource_version.clone().unwrap_or_default(),
            replicas: int(obj, "/spec/replicas").unwrap_or(1),
            available: int(obj, "/status/availableReplicas").unwrap_or(0),
            restarted_at: obj
                .data
                .pointer("/spec/template/metadata/annotations")
                .and_then(|a| a.get(RESTARTED_AT))
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }
}

/// What the servers have now: the workloads to restart, in the order named.
#[derive(Debug, Clone)]
pub struct Workloads {
    pub namespace: String,
    pub kind: Kind,
    pub items: Vec<Workload>,
}

pub async fn plan(ctx: &Context, names: &[String]) -> Result<Restart> {
    let names: Vec<String> = if names.is_empty() {
        ctx.settings.kubernetes.deployments.clone()
    } else {
        names.to_vec()
    };
    let read = read(ctx, Kind::Deployment, &names).await?;
    plan_restart(&read, "restart", jiff::Timestamp::now())
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
    let read = read(ctx, kind, std::slice::from_ref(&name)).await?;
    plan_database_restart(&read, jiff::Timestamp::now())
}

/// Reads each named workload of `kind`.
pub async fn read(ctx: &Context, kind: Kind, names: &[String]) -> Result<Workloads> {
    let namespace = ctx.settings.namespace.clone();
    let api = workloads(kube(ctx).await?, &namespace, kind);
    let mut items = Vec::new();
    for name in names {
        let d = api
            .get(name)
            .await
            .map_err(|e| kube_error(e, "get", kind.plural(), name, &namespace))?;
        items.push(Workload::of(name, &d));
    }
    Ok(Workloads {
        namespace,
        kind,
        items,
    })
}

/// The database's restart: one workload, its name typed to confirm.
pub fn plan_database_restart(read: &Workloads, now: jiff::Timestamp) -> Result<Restart> {
    let mut restart = plan_restart(read, "db restart", now)?;
    restart.plan.warnings.push(format!(
        "restarting the database drops every connection: the application errors until it reconnects{}",
        if read.kind == Kind::Deployment { "; a Deployment may run old and new database pods at once" } else { "" }
    ));
    let names: Vec<String> = read.items.iter().map(|w| w.name.clone()).collect();
    restart.plan.confirm = Confirm::TypeName(names.join(","));
    Ok(restart)
}

/// A rolling restart of every workload read, stamped `now`.
pub fn plan_restart(read: &Workloads, action: &str, now: jiff::Timestamp) -> Result<Restart> {
    let (namespace, kind) = (&read.namespace, read.kind);
    let restarted_at = now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let names: Vec<&str> = read.items.iter().map(|w| w.name.as_str()).collect();
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
    for w in &read.items {
        let name = &w.name;
        let previous = w.restarted_at.as_deref().unwrap_or("never");
        refuse_a_second_restart(kind, name, previous, now)?;
        plan.changes.push(
            Change::new(
                format!("{}/{name}", kind.singular()),
                format!(
                    "replace its {} pod(s) one by one ({} available now)",
                    w.replicas, w.available
                ),
            )
            .was_now(
                format!("restartedAt {previous}"),
                format!("restartedAt {restarted_at}"),
            ),
        );
        if w.replicas <= 1 {
            plan.warnings.push(format!(
                "{}/{name} has a single replica: it is unavailable while its pod is replaced",
                kind.singular()
            ));
        }
        targets.push(Target {
            name: name.clone(),
            resource_version: w.resource_version.clone(),
        });
    }
    Ok(Restart {
        plan,
        namespace: namespace.clone(),
        kind,
        targets,
        restarted_at,
    })
}

/// Two engineers restarting at once: the second's plan may be made after the first was applied
/// (its resourceVersion is then current, so the 409 that would stop it never comes). A restart
/// stamped this second or the one before is someone else's, rolling out now: a second one would
/// be a no-op (the same stamp) or a second rollout nobody meant. Nothing is applied (exit 11).
fn refuse_a_second_restart(
    kind: Kind,
    name: &str,
    previous: &str,
    now: jiff::Timestamp,
) -> Result<()> {
    let Ok(at) = previous.parse::<jiff::Timestamp>() else {
        return Ok(());
    };
    let ago = now.as_second() - at.as_second();
    if (0..=1).contains(&ago) {
        return Err(Error::Conflict {
            message: format!(
                "{}/{name} was restarted {ago} s ago (restartedAt {previous}): that restart is rolling out; nothing was applied",
                kind.singular()
            ),
            hint: Some(format!(
                "wait for it (kubectl rollout status {}/{name}), then run again if it needs another restart",
                kind.singular()
            )),
        });
    }
    Ok(())
}

impl Restart {
    fn patch(&self, target: &Target) -> Patch<serde_json::Value> {
        Patch::Strategic(self.patch_body(target))
    }

    fn patch_body(&self, target: &Target) -> Value {
        // The resourceVersion makes a plan made stale by someone else fail (409) instead of
        // restarting a deployment the engineer did not see.
        serde_json::json!({
            "metadata": {"resourceVersion": target.resource_version},
            "spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: self.restarted_at}}}}
        })
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
        // Every target is tried, and every failure kept (kubectl rollout restart does the same).
        for t in &self.targets {
            let object = format!("{}/{}", self.kind.singular(), t.name);
            match api
                .patch(&t.name, &PatchParams::default(), &self.patch(t))
                .await
            {
                Ok(_) => applied.ok(format!("{object} restarted")),
                Err(e) => applied.failed(
                    &object,
                    kube_error(e, "patch", self.kind.plural(), &t.name, &self.namespace),
                ),
            }
        }
        Ok(applied)
    }

    async fn verify(&self, ctx: &Context, timeout: Duration) -> Result<Vec<String>> {
        let names: Vec<&str> = self.targets.iter().map(|t| t.name.as_str()).collect();
        wait_for_rollout(
            kube(ctx).await?,
            &self.namespace,
            self.kind,
            &names,
            None,
            timeout,
        )
        .await
    }

    fn verifies(&self) -> bool {
        true
    }
}

/// Where a workload's rollout stands, read from its status as `kubectl rollout status` reads it
/// (its status viewers for Deployments and StatefulSets). `replicas` overrides the spec's count.
#[derive(Debug, PartialEq)]
pub enum Rollout {
    Complete {
        ready: i64,
        want: i64,
    },
    Waiting(String),
    /// The controller gave up (a Deployment past its progressDeadlineSeconds).
    Failed(String),
}

pub fn rollout_state(kind: Kind, obj: &Value, replicas: Option<i64>) -> Rollout {
    let int = |p: &str| obj.pointer(p).and_then(Value::as_i64);
    let text = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or("");
    let generation = int("/metadata/generation").unwrap_or(0);
    let observed = int("/status/observedGeneration").unwrap_or(0);
    let want = replicas.or(int("/spec/replicas")).unwrap_or(1);
    let ready = int("/status/readyReplicas").unwrap_or(0);
    if observed == 0 || observed < generation {
        return Rollout::Waiting(format!(
            "the controller has not seen generation {generation} yet (observed {observed})"
        ));
    }
    match kind {
        Kind::Deployment => {
            let deadline = obj
                .pointer("/status/conditions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|c| c["type"] == "Progressing" && c["reason"] == "ProgressDeadlineExceeded");
            if deadline {
                return Rollout::Failed("it exceeded its progress deadline".into());
            }
            let updated = int("/status/updatedReplicas").unwrap_or(0);
            let total = int("/status/replicas").unwrap_or(0);
            let available = int("/status/availableReplicas").unwrap_or(0);
            if updated < want {
                Rollout::Waiting(format!("{updated} of {want} new replicas updated"))
            } else if total > updated {
                Rollout::Waiting(format!(
                    "{} old replica(s) pending termination",
                    total - updated
                ))
            } else if available < updated {
                Rollout::Waiting(format!(
                    "{available} of {updated} updated replicas available"
                ))
            } else {
                Rollout::Complete {
                    ready: available,
                    want,
                }
            }
        }
        Kind::StatefulSet => {
            let current = text("/status/currentRevision");
            let update = text("/status/updateRevision");
            if ready < want {
                Rollout::Waiting(format!("{ready} of {want} replicas ready"))
            } else if !update.is_empty() && current != update {
                Rollout::Waiting(format!("pods are moving to revision {update}"))
            } else {
                Rollout::Complete { ready, want }
            }
        }
    }
}

/// Waits until each workload's rollout is complete (as `kubectl rollout status`), within
/// `timeout`.
pub async fn wait_for_rollout(
    client: kube::Client,
    namespace: &str,
    kind: Kind,
    names: &[&str],
    replicas: Option<i64>,
    timeout: Duration,
) -> Result<Vec<String>> {
    let api = workloads(client, namespace, kind);
    let started = Instant::now();
    let mut pending: Vec<&str> = names.to_vec();
    let mut done = Vec::new();
    let mut last_state = String::new();
    let what = kind.singular();
    while !pending.is_empty() {
        let mut still = Vec::new();
        for name in pending {
            let d = api
                .get(name)
                .await
                .map_err(|e| kube_error(e, "get", kind.plural(), name, namespace))?;
            let obj = serde_json::json!({
                "metadata": {"generation": d.metadata.generation},
                "spec": d.data.get("spec"),
                "status": d.data.get("status"),
            });
            match rollout_state(kind, &obj, replicas) {
                Rollout::Complete { ready, want } => done.push(format!(
                    "{what}/{name}: rollout complete, {ready}/{want} available ({:.1}s)",
                    started.elapsed().as_secs_f64()
                )),
                Rollout::Waiting(why) => {
                    last_state = format!("{what}/{name}: {why}");
                    still.push(name);
                }
                Rollout::Failed(why) => {
                    return Err(Error::VerifyFailed(format!("{what}/{name}: {why}")))
                }
            }
        }
        pending = still;
        if pending.is_empty() {
            break;
        }
        if started.elapsed() >= timeout {
            return Err(Error::VerifyFailed(format!(
                "rollout not complete after {}: {last_state}",
                crate::types::Dur(timeout)
            )));
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
    Ok(done)
}

#[cfg(test)]
mod tests;
