//! `scale`: the seed's `kubectl scale deployment NAME --replicas=N` (Runbooks 1, 3, 4).

use super::restart::{wait_for_rollout, Kind};
use super::{kube, kube_error};
use crate::change::{Action, Applied, Change, Plan, Undo};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::types::{KubePermission, KubePermissions};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v1::Scale as ScaleObject;
use kube::api::{Api, PostParams};
use std::time::Duration;

/// What `scale` asks the API server: the scale subresource, read then replaced, and the
/// deployment while its rollout is waited for.
pub const KUBE_PERMISSIONS: KubePermissions = &[&[
    KubePermission::namespaced("get", "apps", "deployments").of("scale"),
    KubePermission::namespaced("update", "apps", "deployments").of("scale"),
    KubePermission::namespaced("get", "apps", "deployments"),
]];

pub struct Scale {
    plan: Plan,
    namespace: String,
    name: String,
    from: i32,
    to: i32,
    /// The scale subresource as the plan read it, with the new count: written back whole.
    desired: ScaleObject,
}

/// Checks a requested replica count against the configured bounds: never negative, 0 only when
/// allowed explicitly, otherwise within min..=max.
pub fn check_replicas(replicas: i64, allow_zero: bool, min: i64, max: i64) -> Result<i32> {
    if replicas < 0 {
        return Err(Error::usage(format!(
            "--replicas {replicas}: a replica count cannot be negative"
        )));
    }
    if replicas == 0 && !allow_zero {
        return Err(Error::usage(
            "--replicas 0 takes the deployment down; add --allow-zero if that is what you want",
        ));
    }
    if replicas != 0 && (replicas < min || replicas > max) {
        return Err(Error::usage(format!(
            "--replicas {replicas} is outside the allowed range {min}..{max} (actions.scale_min / actions.scale_max)"
        )));
    }
    i32::try_from(replicas).map_err(|_| Error::usage("--replicas is too large"))
}

pub async fn plan(ctx: &Context, name: &str, replicas: i64, allow_zero: bool) -> Result<Scale> {
    let bounds = &ctx.settings.actions;
    let to = check_replicas(replicas, allow_zero, bounds.scale_min, bounds.scale_max)?;
    let namespace = ctx.settings.namespace.clone();
    let api: Api<Deployment> = Api::namespaced(kube(ctx).await?, &namespace);
    let scale = api
        .get_scale(name)
        .await
        .map_err(|e| kube_error(e, "get", "deployments", name, &namespace))?;
    Ok(plan_scale(&namespace, name, scale, to))
}

/// Scaling `name` to `to` replicas (already checked against the bounds), from its scale
/// subresource as read.
pub fn plan_scale(namespace: &str, name: &str, scale: ScaleObject, to: i32) -> Scale {
    let from = scale.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0);
    let mut desired = scale;
    desired.spec.get_or_insert_with(Default::default).replicas = Some(to);
    let mut plan = Plan::new(
        "scale",
        &format!("deployment/{name} in {namespace}"),
        &format!("scale deployment/{name} in namespace {namespace} from {from} to {to} replicas"),
    );
    if from != to {
        plan.changes.push(
            Change::new(format!("deployment/{name}"), "replicas")
                .was_now(from.to_string(), to.to_string()),
        );
        let mut words = vec![
            "incidentctl".to_string(),
            "scale".into(),
            name.to_string(),
            "--replicas".into(),
            from.to_string(),
            "-n".into(),
            namespace.to_string(),
        ];
        if from == 0 {
            words.push("--allow-zero".into());
        }
        plan.undo = Undo::command(words);
    }
    if to == 0 {
        plan.warnings.push(format!(
            "deployment/{name} will have no pods: everything it serves goes down"
        ));
    } else if to < from {
        plan.warnings.push(format!(
            "scaling down removes {} pod(s) and the requests they are serving",
            from - to
        ));
    }
    Scale {
        plan,
        namespace: namespace.to_string(),
        name: name.to_string(),
        from,
        to,
        desired,
    }
}

impl Scale {
    /// A replace (PUT) of the scale subresource carrying the resourceVersion the plan read: the
    /// precondition kubectl's --current-replicas gives. If anyone changed the deployment since
    /// the plan, the API server answers 409 instead of overriding them. (A merge patch carrying
    /// the resourceVersion is not enough: kube-apiserver 1.20 applies it to the current object.)
    async fn replace(&self, ctx: &Context, params: &PostParams) -> Result<ScaleObject> {
        let api: Api<Deployment> = Api::namespaced(kube(ctx).await?, &self.namespace);
        api.replace_scale(&self.name, params, &self.desired)
            .await
            .map_err(|e| {
                kube_error(
                    e,
                    "update",
                    "deployments/scale",
                    &self.name,
                    &self.namespace,
                )
            })
    }
}

impl Action for Scale {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn validate(&self, ctx: &Context) -> Result<Option<String>> {
        self.replace(
            ctx,
            &PostParams {
                dry_run: true,
                ..PostParams::default()
            },
        )
        .await?;
        Ok(Some(
            "(server dry run) the API server accepted the change".into(),
        ))
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        self.replace(ctx, &PostParams::default()).await?;
        Ok(Applied::done(vec![format!(
            "deployment/{} scaled from {} to {}",
            self.name, self.from, self.to
        )]))
    }

    async fn verify(&self, ctx: &Context, timeout: Duration) -> Result<Vec<String>> {
        wait_for_rollout(
            kube(ctx).await?,
            &self.namespace,
            Kind::Deployment,
            &[&self.name],
            Some(i64::from(self.to)),
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
    use proptest::prelude::*;
    use serde_json::json;

    fn scale_object(replicas: Option<i32>) -> ScaleObject {
        let mut obj = json!({"metadata": {"name": "backend", "namespace": "payments",
            "resourceVersion": "812"}, "spec": {}, "status": {"replicas": 3}});
        if let Some(r) = replicas {
            obj["spec"]["replicas"] = json!(r);
        }
        serde_json::from_value(obj).unwrap()
    }

    #[test]
    fn scaling_up_shows_was_and_now_and_undoes_to_the_old_count() {
        let s = plan_scale("payments", "backend", scale_object(Some(3)), 5);
        let p = s.plan();
        assert_eq!(
            p.summary,
            "scale deployment/backend in namespace payments from 3 to 5 replicas"
        );
        assert_eq!(p.rows(), [["deployment/backend", "replicas", "3", "5"]]);
        assert_eq!(
            p.undo_line(),
            Some("incidentctl scale backend --replicas 3 -n payments")
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn the_scale_written_back_is_the_one_read_with_its_resource_version() {
        let s = plan_scale("payments", "backend", scale_object(Some(3)), 5);
        // The replace carries the resourceVersion read: a deployment changed since fails (409).
        assert_eq!(s.desired.metadata.resource_version.as_deref(), Some("812"));
        assert_eq!(s.desired.spec.as_ref().unwrap().replicas, Some(5));
        assert_eq!((s.from, s.to), (3, 5));
    }

    #[test]
    fn scaling_down_and_to_zero_warn_and_from_zero_undoes_with_allow_zero() {
        let down = plan_scale("payments", "backend", scale_object(Some(5)), 2);
        assert_eq!(
            down.plan().warnings,
            ["scaling down removes 3 pod(s) and the requests they are serving"]
        );
        let zero = plan_scale("payments", "backend", scale_object(Some(2)), 0);
        assert_eq!(
            zero.plan().warnings,
            ["deployment/backend will have no pods: everything it serves goes down"]
        );
        // Unset replicas read as 0: the undo must allow zero again.
        let up = plan_scale("payments", "backend", scale_object(None), 2);
        assert_eq!(up.plan().changes[0].from.as_deref(), Some("0"));
        assert_eq!(
            up.plan().undo.as_ref().unwrap().words().last().unwrap(),
            "--allow-zero"
        );
    }

    #[test]
    fn the_same_count_is_nothing_to_do_and_has_no_undo() {
        let same = plan_scale("payments", "backend", scale_object(Some(3)), 3);
        assert!(same.plan().changes.is_empty());
        assert!(same.plan().undo.is_none());
        assert!(same.plan().warnings.is_empty());
    }

    #[test]
    fn replica_counts_outside_the_bounds_are_refused_with_the_reason() {
        let zero = check_replicas(0, false, 1, 10).unwrap_err().to_string();
        assert!(zero.contains("add --allow-zero"), "{zero}");
        assert_eq!(check_replicas(0, true, 1, 10).unwrap(), 0);
        let high = check_replicas(11, false, 1, 10).unwrap_err().to_string();
        assert!(high.contains("outside the allowed range 1..10"), "{high}");
        let negative = check_replicas(-1, true, 0, 10).unwrap_err().to_string();
        assert!(negative.contains("cannot be negative"), "{negative}");
    }

    proptest! {
        #[test]
        fn replica_counts_are_accepted_only_within_bounds(n in any::<i64>(), zero in any::<bool>(), min in 0i64..10, span in 0i64..100) {
            let max = min + span;
            match check_replicas(n, zero, min, max) {
                Ok(r) => prop_assert!((n == 0 && zero) || (n >= min.max(1) && n <= max) || (n >= min && n <= max && n != 0), "{n} accepted as {r}"),
                Err(e) => prop_assert_eq!(e.exit_code(), crate::error::ExitCode::Usage),
            }
            if n < 0 {
                prop_assert!(check_replicas(n, zero, min, max).is_err());
            }
        }
    }
}
