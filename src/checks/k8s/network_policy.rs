//! The Security runbook's "review network policies" step: the app's network policy exists, and
//! which CIDRs it allows and blocks (what `security block-ip` changes).

use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::context::kube_error;
use crate::settings::Settings;
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::Api;

pub const LEVELS: &[&Level] = &[];

#[derive(Debug, Clone)]
pub struct Snapshot {
    /// None: the configured policy does not exist.
    pub policy: Option<NetworkPolicy>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let client = r.ctx.kube().await?;
    let name = &r.settings().kubernetes.network_policy;
    let policy = Api::<NetworkPolicy>::namespaced(client, &r.settings().namespace)
        .get_opt(name)
        .await
        .map_err(|e| kube_error(e, &format!("get networkpolicy {name}")))?;
    Ok(Snapshot { policy })
}

/// A missing policy is a warning: nothing restricts who reaches the app.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let name = &settings.kubernetes.network_policy;
    let Some(policy) = &s.policy else {
        return Ok(Finding::new(
            Status::Warning,
            format!("network policy {name} not found: nothing restricts ingress to the app"),
        ));
    };
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
    let mut evidence = vec![format!("{} ingress rule(s)", rules.len())];
    if !allowed.is_empty() {
        evidence.push(format!("allowed CIDRs: {}", allowed.join(", ")));
    }
    evidence.push(format!(
        "blocked CIDRs: {}",
        if blocked.is_empty() {
            "none".to_string()
        } else {
            blocked.join(", ")
        }
    ));
    Ok(Finding::ok(format!(
        "network policy {name}: {} rule(s), {} blocked CIDR(s)",
        rules.len(),
        blocked.len()
    ))
    .value(blocked.len() as f64, "cidrs")
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
                policy: Some(policy),
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
        let f = assess(&Snapshot { policy: None }, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(
            f.summary,
            "network policy reconciliation-network-policy not found: nothing restricts ingress to the app"
        );
    }
}
