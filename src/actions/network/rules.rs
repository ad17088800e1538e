//! What blocking or unblocking a CIDR does to a network policy, as data: the JSON patch
//! operations and the rule-by-rule diff. Pure, so every case is unit-tested without a cluster.

use crate::change::Change;
use crate::discovery::AppTemplate;
use crate::error::{Error, Result};
use ipnet::IpNet;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The policy incidentctl creates when none selects the app's pods.
pub const CREATED_POLICY: &str = "incidentctl-blocked-sources";

/// Where an ipBlock sits in the policy: rule and peer index, its CIDR and except list.
pub(super) struct IpBlock {
    pub(super) rule: usize,
    pub(super) peer: usize,
    pub(super) cidr: IpNet,
    pub(super) cidr_text: String,
    pub(super) except: Vec<String>,
}

pub(super) fn ip_blocks(policy: &NetworkPolicy) -> Vec<IpBlock> {
    let mut out = Vec::new();
    let rules = policy.spec.iter().flat_map(|s| s.ingress.iter().flatten());
    for (r, rule) in rules.enumerate() {
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

/// Whether `cidr` is listed in an except of `policy`.
pub(super) fn lists(policy: &NetworkPolicy, cidr: IpNet) -> bool {
    ip_blocks(policy).iter().any(|b| {
        b.except
            .iter()
            .any(|e| e.parse::<IpNet>().is_ok_and(|x| x == cidr))
    })
}

/// One policy's part of a change: the JSON patch operations (after the resourceVersion test)
/// and the diff shown in the plan.
pub(super) struct Edit {
    pub(super) ops: Vec<Value>,
    pub(super) changes: Vec<Change>,
}

fn except_change(b: &IpBlock, after: &[String], label: &str) -> Change {
    Change::new(
        format!("{label}rule {} ipBlock {}", b.rule, b.cidr_text),
        "except",
    )
    .was_now(
        format!("[{}]", b.except.join(", ")),
        format!("[{}]", after.join(", ")),
    )
}

/// Adds `cidr` to the except list of every ipBlock that admits it. Refused when a rule admits
/// every source (an except cannot block there) or when `cidr` would swallow a whole allowed
/// range. `label` prefixes each diff row (the policy's name when there are several).
pub(super) fn block(policy: &NetworkPolicy, cidr: IpNet, label: &str) -> Result<Edit> {
    let name = policy.metadata.name.as_deref().unwrap_or("?");
    let open_rules = policy
        .spec
        .iter()
        .flat_map(|s| s.ingress.iter().flatten())
        .filter(|r| r.from.as_ref().is_none_or(|f| f.is_empty()))
        .count();
    if open_rules > 0 {
        return Err(Error::usage(format!(
            "networkpolicy/{name} has {open_rules} ingress rule(s) that allow every source: an except entry cannot block {cidr} there"
        ))
        .with_hint("add an ipBlock rule (e.g. cidr 0.0.0.0/0) in place of the open rule first"));
    }
    let blocks = ip_blocks(policy);
    if let Some(b) = blocks.iter().find(|b| cidr.contains(&b.cidr)) {
        return Err(Error::usage(format!(
            "refusing to block {cidr}: it covers the whole allowed range {} of rule {} of networkpolicy/{name}, which would block everything that rule allows",
            b.cidr, b.rule
        )));
    }
    let mut edit = Edit {
        ops: Vec::new(),
        changes: Vec::new(),
    };
    for b in blocks.iter().filter(|b| b.cidr.contains(&cidr)) {
        let already = b
            .except
            .iter()
            .any(|e| e.parse::<IpNet>().is_ok_and(|x| x.contains(&cidr)));
        if already {
            continue;
        }
        let base = format!("/spec/ingress/{}/from/{}/ipBlock", b.rule, b.peer);
        edit.ops
            .push(json!({"op": "test", "path": format!("{base}/cidr"), "value": b.cidr_text}));
        edit.ops.push(if b.except.is_empty() {
            json!({"op": "add", "path": format!("{base}/except"), "value": [cidr.to_string()]})
        } else {
            json!({"op": "add", "path": format!("{base}/except/-"), "value": cidr.to_string()})
        });
        let mut after = b.except.clone();
        after.push(cidr.to_string());
        edit.changes.push(except_change(b, &after, label));
    }
    Ok(edit)
}

/// Removes `cidr` from every except list that holds it.
pub(super) fn unblock(policy: &NetworkPolicy, cidr: IpNet, label: &str) -> Edit {
    let mut edit = Edit {
        ops: Vec::new(),
        changes: Vec::new(),
    };
    for b in ip_blocks(policy) {
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
            edit.ops.push(
                json!({"op": "test", "path": format!("{base}/except/{i}"), "value": b.except[*i]}),
            );
            edit.ops
                .push(json!({"op": "remove", "path": format!("{base}/except/{i}")}));
        }
        let after: Vec<String> = b
            .except
            .iter()
            .enumerate()
            .filter(|(i, _)| !hits.contains(i))
            .map(|(_, e)| e.clone())
            .collect();
        edit.changes.push(except_change(&b, &after, label));
    }
    edit
}

/// A policy admitting every source but `cidr`, for the app's pods, when no policy selects
/// them. Pods of every namespace stay admitted: ipBlock is meant for traffic from outside the
/// cluster, and some network plugins would otherwise cut the app off from its own cluster.
pub(super) fn new_policy(namespace: &str, cidr: IpNet, templates: &[AppTemplate]) -> Value {
    let (v4, v6) = match cidr {
        IpNet::V4(_) => (
            json!({"cidr": "0.0.0.0/0", "except": [cidr.to_string()]}),
            json!({"cidr": "::/0"}),
        ),
        IpNet::V6(_) => (
            json!({"cidr": "0.0.0.0/0"}),
            json!({"cidr": "::/0", "except": [cidr.to_string()]}),
        ),
    };
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {
            "name": CREATED_POLICY,
            "namespace": namespace,
            "labels": {"app.kubernetes.io/managed-by": "incidentctl"}
        },
        "spec": {
            "podSelector": {"matchLabels": common_labels(templates)},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"ipBlock": v4}, {"ipBlock": v6}, {"namespaceSelector": {}}]}]
        }
    })
}

/// The labels every app pod template carries (none in common selects every pod).
fn common_labels(templates: &[AppTemplate]) -> BTreeMap<String, String> {
    let Some((first, rest)) = templates.split_first() else {
        return BTreeMap::new();
    };
    first
        .labels
        .iter()
        .filter(|(k, v)| rest.iter().all(|t| t.labels.get(*k) == Some(*v)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(ingress: Value) -> NetworkPolicy {
        serde_json::from_value(json!({
            "metadata": {"name": "allow-office", "resourceVersion": "7"},
            "spec": {"podSelector": {}, "ingress": ingress}
        }))
        .unwrap()
    }

    fn cidr(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    #[test]
    fn blocking_adds_the_address_to_each_range_that_admits_it_and_nowhere_else() {
        let p = policy(json!([
            {"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.0.0.0/24"]}}]},
            {"from": [{"ipBlock": {"cidr": "192.168.0.0/16"}}, {"podSelector": {}}]}
        ]));
        let edit = block(&p, cidr("10.9.9.9/32"), "").unwrap();
        assert_eq!(
            edit.ops,
            vec![
                json!({"op": "test", "path": "/spec/ingress/0/from/0/ipBlock/cidr", "value": "10.0.0.0/8"}),
                json!({"op": "add", "path": "/spec/ingress/0/from/0/ipBlock/except/-", "value": "10.9.9.9/32"}),
            ]
        );
        assert_eq!(edit.changes.len(), 1);
        // Not admitted by any rule: nothing to do.
        assert!(block(&p, cidr("172.16.0.1/32"), "").unwrap().ops.is_empty());
        // Already excepted: nothing to do.
        assert!(block(&p, cidr("10.0.0.7/32"), "").unwrap().ops.is_empty());
    }

    #[test]
    fn blocking_is_refused_where_an_except_cannot_work() {
        let open = policy(json!([{"ports": [{"port": 80}]}]));
        let err = block(&open, cidr("10.9.9.9/32"), "")
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("1 ingress rule(s) that allow every source"),
            "{err}"
        );
        let p = policy(json!([{"from": [{"ipBlock": {"cidr": "10.1.0.0/16"}}]}]));
        let err = block(&p, cidr("10.0.0.0/8"), "").err().unwrap().to_string();
        assert!(
            err.starts_with(
                "refusing to block 10.0.0.0/8: it covers the whole allowed range 10.1.0.0/16"
            ),
            "{err}"
        );
    }

    #[test]
    fn unblocking_removes_every_listing_highest_first() {
        let p = policy(json!([{"from": [{"ipBlock": {"cidr": "10.0.0.0/8",
            "except": ["10.9.9.9/32", "10.0.0.0/24", "10.9.9.9/32"]}}]}]));
        let edit = unblock(&p, cidr("10.9.9.9/32"), "allow-office: ");
        let paths: Vec<&str> = edit
            .ops
            .iter()
            .map(|o| o["path"].as_str().unwrap())
            .collect();
        assert_eq!(
            paths,
            [
                "/spec/ingress/0/from/0/ipBlock/except/2",
                "/spec/ingress/0/from/0/ipBlock/except/2",
                "/spec/ingress/0/from/0/ipBlock/except/0",
                "/spec/ingress/0/from/0/ipBlock/except/0"
            ]
        );
        assert_eq!(
            edit.changes[0].object,
            "allow-office: rule 0 ipBlock 10.0.0.0/8"
        );
        assert!(lists(&p, cidr("10.9.9.9/32")));
    }

    #[test]
    fn a_new_policy_admits_everything_but_the_address_and_selects_the_app() {
        let t = |d: &str, app: &str| AppTemplate {
            deployment: d.into(),
            labels: [("app", app), ("tier", "app")]
                .map(|(k, v)| (k.into(), v.into()))
                .into(),
            ..AppTemplate::default()
        };
        let p = new_policy(
            "payments",
            cidr("203.0.113.7/32"),
            &[t("api", "api"), t("web", "web")],
        );
        assert_eq!(
            p["spec"]["podSelector"],
            json!({"matchLabels": {"tier": "app"}})
        );
        assert_eq!(
            p["spec"]["ingress"][0]["from"][0]["ipBlock"],
            json!({"cidr": "0.0.0.0/0", "except": ["203.0.113.7/32"]})
        );
        assert_eq!(
            p["spec"]["ingress"][0]["from"][2],
            json!({"namespaceSelector": {}})
        );
        let v6 = new_policy("payments", cidr("2001:db8::1/128"), &[]);
        assert_eq!(
            v6["spec"]["ingress"][0]["from"][1]["ipBlock"]["except"],
            json!(["2001:db8::1/128"])
        );
        assert_eq!(v6["spec"]["podSelector"], json!({"matchLabels": {}}));
    }
}
