//! `restart`: the seed's `kubectl rollout restart deployment/NAME` (Runbooks 1 and 3).

use super::{kube, kube_error, POLL_INTERVAL};
use crate::change::{Action, Applied, Change, Confirm, Plan};
use crate::clients::Context;
use crate::error::{Error, Result};
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
    let now = jiff::Timestamp::now();
    let restarted_at = now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
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
        refuse_a_second_restart(kind, name, &previous, now)?;
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
mod tests {
    use super::*;

    #[test]
    fn a_restart_stamped_this_second_or_the_last_is_someone_elses() {
        let now: jiff::Timestamp = "2026-12-06T10:00:05.300Z".parse().unwrap();
        let e = refuse_a_second_restart(Kind::Deployment, "backend", "2026-12-06T10:00:05Z", now)
            .unwrap_err();
        assert_eq!(e.exit_code(), crate::error::ExitCode::Conflict);
        assert!(e.to_string().contains("restarted 0 s ago"), "{e}");
        assert!(
            refuse_a_second_restart(Kind::Deployment, "b", "2026-12-06T10:00:04Z", now).is_err()
        );
        for earlier in ["2026-12-06T10:00:03Z", "never", "2026-12-06T10:00:09Z"] {
            assert!(refuse_a_second_restart(Kind::Deployment, "b", earlier, now).is_ok());
        }
    }

    use serde_json::json;

    fn deployment(status: Value) -> Value {
        json!({"metadata": {"generation": 2}, "spec": {"replicas": 2}, "status": status})
    }

    #[test]
    fn a_deployment_is_complete_only_when_old_replicas_are_gone_and_new_ones_available() {
        let new_pods_counted_old_still_there = deployment(json!({
            "observedGeneration": 2, "replicas": 3, "updatedReplicas": 2,
            "readyReplicas": 2, "availableReplicas": 2}));
        assert!(matches!(
            rollout_state(Kind::Deployment, &new_pods_counted_old_still_there, None),
            Rollout::Waiting(w) if w.contains("old replica")
        ));
        let unseen = deployment(json!({"observedGeneration": 1, "replicas": 2,
            "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2}));
        assert!(matches!(
            rollout_state(Kind::Deployment, &unseen, None),
            Rollout::Waiting(_)
        ));
        let done = deployment(json!({"observedGeneration": 2, "replicas": 2,
            "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2}));
        assert_eq!(
            rollout_state(Kind::Deployment, &done, None),
            Rollout::Complete { ready: 2, want: 2 }
        );
        assert!(matches!(
            rollout_state(Kind::Deployment, &done, Some(3)),
            Rollout::Waiting(_)
        ));
        let stuck = deployment(
            json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 1,
            "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]}),
        );
        assert!(matches!(
            rollout_state(Kind::Deployment, &stuck, None),
            Rollout::Failed(_)
        ));
    }

    #[test]
    fn a_statefulset_is_complete_when_ready_at_the_update_revision_without_available_replicas() {
        // Kubernetes 1.20 has no status.availableReplicas on StatefulSets.
        let sts = |current: &str, ready: i64| {
            json!({"metadata": {"generation": 3}, "spec": {"replicas": 1},
                   "status": {"observedGeneration": 3, "readyReplicas": ready,
                              "currentRevision": current, "updateRevision": "postgres-b"}})
        };
        assert_eq!(
            rollout_state(Kind::StatefulSet, &sts("postgres-b", 1), None),
            Rollout::Complete { ready: 1, want: 1 }
        );
        assert!(matches!(
            rollout_state(Kind::StatefulSet, &sts("postgres-a", 1), None),
            Rollout::Waiting(_)
        ));
        assert!(matches!(
            rollout_state(Kind::StatefulSet, &sts("postgres-b", 0), None),
            Rollout::Waiting(_)
        ));
    }
}
