//! `security block-ip` / `unblock-ip` (Runbook 5). The seed's `kubectl patch networkpolicy -p
//! '{"spec":{"ingress":[...]}}'` replaces every ingress rule: NetworkPolicy lists are atomic, so
//! merge and strategic patches overwrite them. This adds (or removes) one entry of an ipBlock's
//! `except` list with a JSON patch guarded by `test` operations on the resourceVersion, the rule's
//! CIDR and, for removal, the entry itself: other rules are never touched, and a policy changed
//! since the plan makes the patch fail instead of clobbering.
//!
//! Policies are additive, so an address is blocked only when no policy selecting the app admits
//! it: every policy that selects the app (named, the default, or found) is edited. When none
//! selects the app, blocking creates one that admits every source but the address.

mod rules;

use super::{kube, kube_error};
use crate::change::{Action, Applied, Change, Plan, Undo};
use crate::clients::Context;
use crate::discovery::{self, Resolved};
use crate::error::{Error, Result};
use crate::types::{KubePermission, KubePermissions};
use ipnet::IpNet;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{Api, Patch, PatchParams, PostParams};
use rules::CREATED_POLICY;
use serde_json::{json, Value};
use std::time::Duration;

/// What `security unblock-ip` asks the API server: the app's deployments and network policies,
/// then a patch of each policy.
pub const UNBLOCK_PERMISSIONS: KubePermissions = &[
    discovery::permissions::DEPLOYMENTS_PERMISSIONS,
    discovery::permissions::NETWORK_POLICIES_PERMISSIONS,
    &[PATCH_POLICIES],
];

/// What `security block-ip` asks: as unblocking, and a new policy when none selects the app.
pub const BLOCK_PERMISSIONS: KubePermissions = &[
    discovery::permissions::DEPLOYMENTS_PERMISSIONS,
    discovery::permissions::NETWORK_POLICIES_PERMISSIONS,
    &[
        PATCH_POLICIES,
        KubePermission::namespaced("create", "networking.k8s.io", "networkpolicies"),
    ],
];

const PATCH_POLICIES: KubePermission =
    KubePermission::namespaced("patch", "networking.k8s.io", "networkpolicies");

/// Parses `198.51.100.7` (a /32 or /128) or `198.51.100.0/24`, normalised to its network.
pub fn parse_cidr(input: &str) -> Result<IpNet> {
    let input = input.trim();
    let net: IpNet = match input.parse::<IpNet>() {
        Ok(n) => n,
        Err(_) => match input.parse::<std::net::IpAddr>() {
            Ok(ip) => IpNet::from(ip),
            Err(_) => {
                return Err(Error::usage(format!(
                    "'{input}' is not an IP address or CIDR (e.g. 198.51.100.7 or 198.51.100.0/24)"
                )))
            }
        },
    };
    if net.prefix_len() == 0 {
        return Err(Error::usage(format!(
            "refusing to block {input}: it is every address"
        )));
    }
    Ok(net.trunc())
}

/// One policy's patch.
struct PolicyEdit {
    policy: String,
    /// The resourceVersion test, then the edit's operations.
    ops: Value,
}

pub struct EditPolicies {
    plan: Plan,
    namespace: String,
    edits: Vec<PolicyEdit>,
    /// The policy to create when none selects the app (block only).
    create: Option<Value>,
    cidr: IpNet,
    block: bool,
}

/// What the servers have now: the policies to edit (the named one, the default, or those that
/// select the app's pods, each with how it was found) and the app's pod templates.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    pub namespace: String,
    pub found: Vec<(NetworkPolicy, Option<String>)>,
    pub templates: Vec<discovery::AppTemplate>,
}

/// Reads the policies to edit; a named policy must exist.
pub async fn read(ctx: &Context) -> Result<Policies> {
    let namespace = &ctx.settings.namespace;
    let client = kube(ctx).await?;
    // The pods' templates come from the deployments: their pods need not be read.
    let templates = discovery::app_deployments(client.clone(), &ctx.settings)
        .await
        .map_err(|e| e.into_error(""))?
        .templates();
    let resolved = discovery::network_policies(client, &ctx.settings, &templates)
        .await
        .map_err(|e| e.into_error(""))?;
    if let Resolved::Named { name, object: None } = &resolved {
        return Err(Error::not_found(format!(
            "networkpolicies/{name} not found in namespace {namespace}"
        ))
        .with_hint(format!(
            "list them with: kubectl get networkpolicies -n {namespace}"
        )));
    }
    let found = resolved
        .objects()
        .into_iter()
        .map(|(p, how)| (p.clone(), how.map(str::to_string)))
        .collect();
    Ok(Policies {
        namespace: namespace.clone(),
        found,
        templates,
    })
}

pub async fn plan(ctx: &Context, input: &str, block: bool) -> Result<EditPolicies> {
    let cidr = parse_cidr(input)?;
    let read = read(ctx).await?;
    plan_edit(&read, cidr, block)
}

/// Blocking (or unblocking) `cidr` in the policies read.
pub fn plan_edit(read: &Policies, cidr: IpNet, block: bool) -> Result<EditPolicies> {
    let (namespace, found) = (read.namespace.clone(), &read.found);
    let verb = if block { "block" } else { "unblock" };
    let action = format!("security {verb}-ip");
    let names: Vec<String> = found
        .iter()
        .map(|(p, _)| p.metadata.name.clone().unwrap_or_default())
        .collect();
    if found.is_empty() {
        return Ok(no_policy(&action, cidr, namespace, &read.templates, block));
    }
    let what = match names.as_slice() {
        [one] => format!("networkpolicy/{one}"),
        many => format!("networkpolicies {}", many.join(", ")),
    };
    let mut plan = Plan::new(
        &action,
        &format!("{what} in {namespace}"),
        &format!("{verb} {cidr} in {what} (other rules unchanged)"),
    );
    let mut edits = Vec::new();
    for (policy, how) in found {
        let name = policy.metadata.name.clone().unwrap_or_default();
        // One policy reads as before; several are told apart by name.
        let label = if found.len() > 1 {
            format!("{name}: ")
        } else {
            String::new()
        };
        let edit = if block {
            rules::block(policy, cidr, &label)?
        } else {
            rules::unblock(policy, cidr, &label)
        };
        if let Some(how) = how {
            plan.notes
                .push(format!("networkpolicy/{name} found: {how}"));
        }
        if edit.ops.is_empty() {
            continue;
        }
        let rv = policy.metadata.resource_version.clone().unwrap_or_default();
        let mut ops = vec![json!({"op": "test", "path": "/metadata/resourceVersion", "value": rv})];
        ops.extend(edit.ops);
        plan.changes.extend(edit.changes);
        edits.push(PolicyEdit {
            policy: name,
            ops: Value::Array(ops),
        });
    }
    let other = if block { "unblock" } else { "block" };
    plan.undo = Undo::command([
        "incidentctl".to_string(),
        "security".into(),
        format!("{other}-ip"),
        cidr.to_string(),
        "-n".into(),
        namespace.clone(),
    ]);
    if plan.changes.is_empty() {
        plan.summary = if block {
            format!("{cidr} is already not admitted: no rule of {what} admits it")
        } else {
            format!("{cidr} is not blocked in {what}")
        };
    }
    Ok(EditPolicies {
        plan,
        namespace,
        edits,
        create: None,
        cidr,
        block,
    })
}

/// No policy selects the app: blocking creates one; unblocking has nothing to do.
fn no_policy(
    action: &str,
    cidr: IpNet,
    namespace: String,
    templates: &[discovery::AppTemplate],
    block: bool,
) -> EditPolicies {
    let target = format!("networkpolicy/{CREATED_POLICY} in {namespace}");
    let mut plan = if block {
        Plan::new(
            action,
            &target,
            &format!(
                "block {cidr}: no network policy selects the app's pods, so one is created that admits every source but {cidr} (pods in the cluster stay admitted)"
            ),
        )
    } else {
        Plan::new(
            action,
            &format!("namespace {namespace}"),
            &format!("{cidr} is not blocked: no network policy selects the app's pods"),
        )
    };
    let create = block.then(|| rules::new_policy(&namespace, cidr, templates));
    if let Some(policy) = &create {
        plan.changes.push(
            Change::new(format!("networkpolicy/{CREATED_POLICY}"), "create").was_now(
                "(none: every source admitted)",
                format!(
                    "selects {}; admits every source but {cidr}",
                    policy["spec"]["podSelector"]
                ),
            ),
        );
        plan.undo = Undo::command([
            "kubectl",
            "delete",
            "networkpolicy",
            CREATED_POLICY,
            "-n",
            &namespace,
        ]);
    }
    EditPolicies {
        plan,
        namespace,
        edits: Vec::new(),
        create,
        cidr,
        block,
    }
}

impl EditPolicies {
    fn api(&self, client: kube::Client) -> Api<NetworkPolicy> {
        Api::namespaced(client, &self.namespace)
    }

    fn patch(edit: &PolicyEdit) -> Result<Patch<()>> {
        let ops: json_patch::Patch = serde_json::from_value(edit.ops.clone())
            .map_err(|e| Error::Internal(format!("bad JSON patch: {e}")))?;
        Ok(Patch::Json(ops))
    }

    fn patch_error(&self, e: kube::Error, policy: &str) -> Error {
        kube_error(e, "patch", "networkpolicies", policy, &self.namespace)
    }

    fn new_policy(&self) -> Result<Option<NetworkPolicy>> {
        self.create
            .as_ref()
            .map(|v| serde_json::from_value(v.clone()))
            .transpose()
            .map_err(|e| Error::Internal(format!("bad network policy: {e}")))
    }

    async fn create(&self, api: &Api<NetworkPolicy>, params: &PostParams) -> Result<()> {
        if let Some(policy) = self.new_policy()? {
            api.create(params, &policy).await.map_err(|e| {
                kube_error(
                    e,
                    "create",
                    "networkpolicies",
                    CREATED_POLICY,
                    &self.namespace,
                )
            })?;
        }
        Ok(())
    }
}

impl Action for EditPolicies {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn validate(&self, ctx: &Context) -> Result<Option<String>> {
        let api = self.api(kube(ctx).await?);
        for edit in &self.edits {
            api.patch(
                &edit.policy,
                &PatchParams::default().dry_run(),
                &Self::patch(edit)?,
            )
            .await
            .map_err(|e| self.patch_error(e, &edit.policy))?;
        }
        self.create(
            &api,
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
        let api = self.api(kube(ctx).await?);
        let done = if self.block { "blocked" } else { "unblocked" };
        let mut applied = Applied::default();
        for edit in &self.edits {
            let target = format!("networkpolicy/{}", edit.policy);
            match api
                .patch(&edit.policy, &PatchParams::default(), &Self::patch(edit)?)
                .await
            {
                Ok(_) => applied.ok(format!("{target}: {done} {}", self.cidr)),
                Err(e) => applied.failed(&target, self.patch_error(e, &edit.policy)),
            }
        }
        if self.create.is_some() {
            let target = format!("networkpolicy/{CREATED_POLICY}");
            match self.create(&api, &PostParams::default()).await {
                Ok(()) => applied.ok(format!("{target}: created, {done} {}", self.cidr)),
                Err(e) => applied.failed(&target, e),
            }
        }
        Ok(applied)
    }

    async fn verify(&self, ctx: &Context, _timeout: Duration) -> Result<Vec<String>> {
        let api = self.api(kube(ctx).await?);
        let mut names: Vec<&str> = self.edits.iter().map(|e| e.policy.as_str()).collect();
        if self.create.is_some() {
            names.push(CREATED_POLICY);
        }
        let mut lines = Vec::new();
        for name in names {
            let policy = api
                .get(name)
                .await
                .map_err(|e| kube_error(e, "get", "networkpolicies", name, &self.namespace))?;
            if rules::lists(&policy, self.cidr) != self.block {
                return Err(Error::VerifyFailed(format!(
                    "reading networkpolicy/{name} back does not show the change"
                )));
            }
            let state = if self.block {
                "listed as blocked"
            } else {
                "no longer blocked"
            };
            lines.push(format!(
                "verified: {} is {state} in networkpolicy/{name}",
                self.cidr
            ));
        }
        Ok(lines)
    }

    fn verifies(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests;
