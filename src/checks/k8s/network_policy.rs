//! The Security runbook's "review network policies" step: the app's network policy exists, and
//! which CIDRs it allows and blocks (what `security block-ip` changes).

use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::discovery::{self, Resolved};
use crate::settings::Settings;
use crate::types::KubePermissions;
use k8s_openapi::api::networking::v1::NetworkPolicy;

pub const LEVELS: &[&Level] = &[];

/// What `read` asks the API server: the app's workloads, then its network policies.
pub const KUBE_PERMISSIONS: KubePermissions = &[
    crate::discovery::permissions::WORKLOADS_PERMISSIONS,
    crate::discovery::permissions::NETWORK_POLICIES_PERMISSIONS,
];

#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Named, the default, or the policies found selecting the app's pods.
    pub policies: Resolved<NetworkPolicy>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let client = r.ctx.kube().await?;
    let templates = r.app_deployments().await?.templates();
    let policies = discovery::network_policies(client, r.settings(), &templates).await?;
    Ok(Snapshot { policies })
}

/// What one policy allows and blocks: (rules, allowed CIDRs, blocked CIDRs).
fn ip_blocks(policy: &NetworkPolicy) -> (usize, Vec<String>, Vec<String>) {
    let rules = policy
        .spec
        .as_ref()
        .and_then(|s| s.ingress.as_ref())
        .map_or(&[][..], Vec::as_slice);
    let mut allowed = Vec::new();
    let mut blocked = Vec::new();
    for block in rules
        .iter()
        .flat_map(|rule| rule.from.iter().flatten())
        .filter_map(|peer| peer.ip_block.as_ref())
    {
        allowed.push(block.cidr.clone());
        blocked.extend(block.except.iter().flatten().cloned());
    }
    (rules.len(), allowed, blocked)
}

/// No policy is a warning: nothing restricts who reaches the app.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let policies = match &s.policies {
        Resolved::Named { name, object: None } => {
            return Ok(Finding::new(
                Status::Warning,
                format!("network policy {name} not found: nothing restricts ingress to the app"),
            ));
        }
        Resolved::Found(found) if found.is_empty() => {
            return Ok(Finding::new(
                Status::Warning,
                "no network policy selects the app's pods: nothing restricts ingress to the app",
            )
            .evidence([format!(
                "{} not found, none named (--policy or kubernetes.network_policy)",
                settings.kubernetes.network_policy
            )]));
        }
        _ => s.policies.objects(),
    };
    let mut evidence = Vec::new();
    let (mut rules_total, mut blocked_total) = (0, 0);
    for (policy, how) in &policies {
        let name = policy.metadata.name.as_deref().unwrap_or("?");
        let (rules, allowed, blocked) = ip_blocks(policy);
        rules_total += rules;
        blocked_total += blocked.len();
        // One policy reads as before; several are told apart by name.
        let prefix = if policies.len() > 1 || how.is_some() {
            format!("{name}: ")
        } else {
            String::new()
        };
        if let Some(how) = how {
            evidence.push(format!("network policy {name} found: {how}"));
        }
        evidence.push(format!("{prefix}{rules} ingress rule(s)"));
        if !allowed.is_empty() {
            evidence.push(format!("{prefix}allowed CIDRs: {}", allowed.join(", ")));
        }
        let blocked_text = if blocked.is_empty() {
            "none".to_string()
        } else {
            blocked.join(", ")
        };
        evidence.push(format!("{prefix}blocked CIDRs: {blocked_text}"));
    }
    let summary = match policies.as_slice() {
        [(one, _)] => format!(
            "network policy {}: {rules_total} rule(s), {blocked_total} blocked CIDR(s)",
            one.metadata.name.as_deref().unwrap_or("?")
        ),
        many => format!(
            "{} network policies select the app: {rules_total} rule(s), {blocked_total} blocked CIDR(s)",
            many.len()
        ),
    };
    Ok(Finding::ok(summary)
        .value(blocked_total as f64, "blocked CIDRs")
        .evidence(evidence))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::checks::k8s::fixtures::object;
    use serde_json::json;

    #[test]
    fn a_policy_is_ok_and_its_blocked_cidrs_are_listed() {
        let policy: NetworkPolicy = object(json!({
            "metadata": {"name": "reconciliation-network-policy"},
            "spec": {"podSelector": {}, "ingress": [
                {"from": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["203.0.113.7/32", "198.51.100.0/24"]}}]},
                {"from": [{"podSelector": {"matchLabels": {"app": "nginx"}}}]}
            ]}
        }));
        let f = assess(
            &Snapshot {
                policies: Resolved::Default(policy),
            },
            &default_settings(),
        )
        .unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "network policy reconciliation-network-policy: 2 rule(s), 2 blocked CIDR(s)"
        );
        assert_eq!(f.value, Some(2.0));
        assert_eq!(
            f.evidence,
            vec![
                "2 ingress rule(s)",
                "allowed CIDRs: 0.0.0.0/0",
                "blocked CIDRs: 203.0.113.7/32, 198.51.100.0/24"
            ]
        );
    }

    #[test]
    fn no_policy_is_a_warning() {
        let named = Snapshot {
            policies: Resolved::Named {
                name: "reconciliation-network-policy".into(),
                object: None,
            },
        };
        let f = assess(&named, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(
            f.summary,
            "network policy reconciliation-network-policy not found: nothing restricts ingress to the app"
        );
        let none = Snapshot {
            policies: Resolved::Found(Vec::new()),
        };
        let f = assess(&none, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(
            f.summary,
            "no network policy selects the app's pods: nothing restricts ingress to the app"
        );
    }

    #[test]
    fn found_policies_are_named_with_how_they_were_found() {
        let policy = |name: &str, except: &[&str]| -> NetworkPolicy {
            object(json!({
                "metadata": {"name": name},
                "spec": {"podSelector": {}, "ingress": [
                    {"from": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": except}}]}]}
            }))
        };
        let s = Snapshot {
            policies: Resolved::Found(vec![
                (
                    policy("allow-office", &["203.0.113.7/32"]),
                    "selects the pods of api".into(),
                ),
                (policy("edge", &[]), "selects the pods of api, web".into()),
            ]),
        };
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "2 network policies select the app: 2 rule(s), 1 blocked CIDR(s)"
        );
        assert_eq!(
            f.evidence[0],
            "network policy allow-office found: selects the pods of api"
        );
        assert_eq!(f.evidence[3], "allow-office: blocked CIDRs: 203.0.113.7/32");
        assert_eq!(f.value, Some(1.0));
    }
}
