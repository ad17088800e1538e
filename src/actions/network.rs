//! `security block-ip` / `unblock-ip` (Runbook 5). The seed's `kubectl patch networkpolicy -p
//! '{"spec":{"ingress":[...]}}'` replaces every ingress rule: NetworkPolicy lists are atomic, so
//! merge and strategic patches overwrite them. This adds (or removes) one entry of one ipBlock's
//! `except` list with a JSON patch guarded by `test` operations on the resourceVersion, the rule's
//! CIDR and, for removal, the entry itself: other rules are never touched, and a policy changed
//! since the plan makes the patch fail instead of clobbering.

use super::{kube, kube_error};
use crate::change::{Action, Applied, Change, Plan};
use crate::context::Context;
use crate::error::{Error, Result};
use ipnet::IpNet;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{Api, Patch, PatchParams};
use serde_json::{json, Value};
use std::time::Duration;

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

pub struct EditPolicy {
    plan: Plan,
    namespace: String,
    policy: String,
    ops: Value,
    cidr: IpNet,
    block: bool,
}

/// Where an ipBlock sits in the policy: rule and peer index, its CIDR and except list.
struct IpBlock {
    rule: usize,
    peer: usize,
    cidr: IpNet,
    cidr_text: String,
    except: Vec<String>,
}

fn ip_blocks(policy: &NetworkPolicy) -> Vec<IpBlock> {
    let mut out = Vec::new();
    for (r, rule) in policy
        .spec
        .iter()
        .flat_map(|s| s.ingress.iter().flatten())
        .enumerate()
    {
        for (p, peer) in rule.from.iter().flatten().enumerate() {
            if let Some(b) = &peer.ip_block {
                if let Ok(cidr) = b.cidr.parse::<IpNet>() {
                    out.push(IpBlock {
                        rule: r,
                        peer: p,
                        cidr,
                        cidr_text: b.cidr.clone(),
                        except: b.except.clone().unwrap_or_default(),
                    });
                }
            }
        }
    }
    out
}

pub async fn plan(ctx: &Context, input: &str, block: bool) -> Result<EditPolicy> {
    let cidr = parse_cidr(input)?;
    let namespace = ctx.settings.namespace.clone();
    let name = ctx.settings.kubernetes.network_policy.clone();
    let api: Api<NetworkPolicy> = Api::namespaced(kube(ctx).await?, &namespace);
    let policy = api
        .get(&name)
        .await
        .map_err(|e| kube_error(e, "get", "networkpolicies", &name, &namespace))?;
    let rv = policy.metadata.resource_version.clone().unwrap_or_default();
    let blocks = ip_blocks(&policy);
    let action = if block {
        "security block-ip"
    } else {
        "security unblock-ip"
    };
    let mut plan = Plan::new(
        action,
        &format!("networkpolicy/{name} in {namespace}"),
        &format!(
            "{} {cidr} in networkpolicy/{name} (other rules unchanged)",
            if block { "block" } else { "unblock" }
        ),
    );
    let mut ops = vec![json!({"op": "test", "path": "/metadata/resourceVersion", "value": rv})];
    if block {
        plan_block(
            &policy,
            &blocks,
            cidr,
            (&name, &namespace),
            &mut plan,
            &mut ops,
        )?;
    } else {
        plan_unblock(&blocks, cidr, (&name, &namespace), &mut plan, &mut ops);
    }
    Ok(EditPolicy {
        plan,
        namespace,
        policy: name,
        ops: Value::Array(ops),
        cidr,
        block,
    })
}

impl EditPolicy {
    fn patch(&self) -> Result<Patch<()>> {
        let ops: json_patch::Patch = serde_json::from_value(self.ops.clone())
            .map_err(|e| Error::Internal(format!("bad JSON patch: {e}")))?;
        Ok(Patch::Json(ops))
    }

    fn map_err(&self, e: kube::Error) -> Error {
        kube_error(e, "patch", "networkpolicies", &self.policy, &self.namespace)
    }
}

impl Action for EditPolicy {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn validate(&self, ctx: &Context) -> Result<Option<String>> {
        let api: Api<NetworkPolicy> = Api::namespaced(kube(ctx).await?, &self.namespace);
        api.patch(
            &self.policy,
            &PatchParams::default().dry_run(),
            &self.patch()?,
        )
        .await
        .map_err(|e| self.map_err(e))?;
        Ok(Some(
            "(server dry run) the API server accepted the change".into(),
        ))
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        let api: Api<NetworkPolicy> = Api::namespaced(kube(ctx).await?, &self.namespace);
        api.patch(&self.policy, &PatchParams::default(), &self.patch()?)
            .await
            .map_err(|e| self.map_err(e))?;
        Ok(Applied::done(vec![format!(
            "networkpolicy/{}: {} {}",
            self.policy,
            if self.block { "blocked" } else { "unblocked" },
            self.cidr
        )]))
    }

    async fn verify(&self, ctx: &Context, _timeout: Duration) -> Result<Vec<String>> {
        let api: Api<NetworkPolicy> = Api::namespaced(kube(ctx).await?, &self.namespace);
        let policy = api
            .get(&self.policy)
            .await
            .map_err(|e| kube_error(e, "get", "networkpolicies", &self.policy, &self.namespace))?;
        let listed = ip_blocks(&policy).iter().any(|b| {
            b.except
                .iter()
                .any(|e| e.parse::<IpNet>().is_ok_and(|x| x == self.cidr))
        });
        if listed == self.block {
            Ok(vec![format!(
                "verified: {} is {} in networkpolicy/{}",
                self.cidr,
                if self.block {
                    "listed as blocked"
                } else {
                    "no longer blocked"
                },
                self.policy
            )])
        } else {
            Err(Error::VerifyFailed(format!(
                "reading networkpolicy/{} back does not show the change",
                self.policy
            )))
        }
    }

    fn verifies(&self) -> bool {
        true
    }
}

/// The patch that adds `cidr` to the except list of every ipBlock that allows it. Refused when
/// a rule allows every source (an except cannot block there) or when `cidr` would swallow a
/// whole allowed range.
fn plan_block(
    policy: &NetworkPolicy,
    blocks: &[IpBlock],
    cidr: IpNet,
    (name, namespace): (&str, &str),
    plan: &mut Plan,
    ops: &mut Vec<Value>,
) -> Result<()> {
    let rules_without_sources = policy
        .spec
        .iter()
        .flat_map(|s| s.ingress.iter().flatten())
        .filter(|r| r.from.as_ref().is_none_or(|f| f.is_empty()))
        .count();
    if rules_without_sources > 0 {
        return Err(Error::usage(format!(
            "networkpolicy/{name} has {rules_without_sources} ingress rule(s) that allow every source: an except entry cannot block {cidr} there"
        ))
        .with_hint("add an ipBlock rule (e.g. cidr 0.0.0.0/0) in place of the open rule first"));
    }
    let containing: Vec<&IpBlock> = blocks.iter().filter(|b| b.cidr.contains(&cidr)).collect();
    if let Some(b) = blocks.iter().find(|b| cidr.contains(&b.cidr)) {
        return Err(Error::usage(format!(
            "refusing to block {cidr}: it covers the whole allowed range {} of rule {}, which would block everything that rule allows",
            b.cidr, b.rule
        )));
    }
    for b in containing {
        if b.except
            .iter()
            .any(|e| e.parse::<IpNet>().is_ok_and(|x| x.contains(&cidr)))
        {
            continue;
        }
        let base = format!("/spec/ingress/{}/from/{}/ipBlock", b.rule, b.peer);
        ops.push(json!({"op": "test", "path": format!("{base}/cidr"), "value": b.cidr_text}));
        if b.except.is_empty() {
            ops.push(
                json!({"op": "add", "path": format!("{base}/except"), "value": [cidr.to_string()]}),
            );
        } else {
            ops.push(
                json!({"op": "add", "path": format!("{base}/except/-"), "value": cidr.to_string()}),
            );
        }
        let mut after = b.except.clone();
        after.push(cidr.to_string());
        plan.changes.push(
            Change::new(format!("rule {} ipBlock {}", b.rule, b.cidr_text), "except").was_now(
                format!("[{}]", b.except.join(", ")),
                format!("[{}]", after.join(", ")),
            ),
        );
    }
    plan.undo = Some(format!(
        "incidentctl security unblock-ip {cidr} -n {namespace}"
    ));
    if plan.changes.is_empty() {
        plan.summary =
            format!("{cidr} is already blocked: no rule of networkpolicy/{name} allows it");
    }
    Ok(())
}

/// The patch that removes `cidr` from every except list that holds it.
fn plan_unblock(
    blocks: &[IpBlock],
    cidr: IpNet,
    (name, namespace): (&str, &str),
    plan: &mut Plan,
    ops: &mut Vec<Value>,
) {
    for b in blocks {
        let base = format!("/spec/ingress/{}/from/{}/ipBlock", b.rule, b.peer);
        let hits: Vec<usize> = b
            .except
            .iter()
            .enumerate()
            .filter(|(_, e)| e.parse::<IpNet>().is_ok_and(|x| x == cidr))
            .map(|(i, _)| i)
            .collect();
        if hits.is_empty() {
            continue;
        }
        // Highest index first so earlier removals do not shift later ones.
        for i in hits.iter().rev() {
            ops.push(
                json!({"op": "test", "path": format!("{base}/except/{i}"), "value": b.except[*i]}),
            );
            ops.push(json!({"op": "remove", "path": format!("{base}/except/{i}")}));
        }
        let after: Vec<String> = b
            .except
            .iter()
            .enumerate()
            .filter(|(i, _)| !hits.contains(i))
            .map(|(_, e)| e.clone())
            .collect();
        plan.changes.push(
            Change::new(format!("rule {} ipBlock {}", b.rule, b.cidr_text), "except").was_now(
                format!("[{}]", b.except.join(", ")),
                format!("[{}]", after.join(", ")),
            ),
        );
    }
    plan.undo = Some(format!(
        "incidentctl security block-ip {cidr} -n {namespace}"
    ));
    if plan.changes.is_empty() {
        plan.summary = format!("{cidr} is not blocked in networkpolicy/{name}");
    }
}

#[cfg(test)]
mod tests {
    use super::parse_cidr;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_is_a_cidr_or_a_usage_error(text in ".{0,45}") {
            if let Err(e) = parse_cidr(&text) {
                prop_assert_eq!(e.exit_code(), crate::error::ExitCode::Usage);
            }
        }

        #[test]
        fn ipv4_networks_parse_and_contain_their_address(a in any::<[u8; 4]>(), prefix in 0u8..=32) {
            let ip = std::net::Ipv4Addr::from(a);
            match parse_cidr(&format!("{ip}/{prefix}")) {
                Ok(net) => {
                    prop_assert!(prefix > 0);
                    prop_assert!(net.contains(&std::net::IpAddr::V4(ip)));
                    prop_assert_eq!(net.prefix_len(), prefix);
                }
                Err(_) => prop_assert_eq!(prefix, 0, "only /0 (everything) is refused"),
            }
        }
    }

    #[test]
    fn cidrs_parse_normalise_and_refuse_everything() {
        assert_eq!(
            parse_cidr("198.51.100.7").unwrap().to_string(),
            "198.51.100.7/32"
        );
        assert_eq!(
            parse_cidr("10.0.0.5/24").unwrap().to_string(),
            "10.0.0.0/24"
        );
        assert_eq!(
            parse_cidr("2001:db8::1").unwrap().to_string(),
            "2001:db8::1/128"
        );
        assert!(parse_cidr("0.0.0.0/0").is_err());
        assert!(parse_cidr("::/0").is_err());
        assert!(parse_cidr("10.0.0.300").is_err());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("bad").is_err());
    }
}
