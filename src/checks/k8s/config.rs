//! The seed's "check configuration changes" step (High Error Rate): the app's configmap and
//! secret exist, and which keys they hold. A secret's values never leave `read`: the snapshot
//! holds key names only.

use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::context::kube_error;
use crate::settings::Settings;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::Api;

pub const LEVELS: &[&Level] = &[];

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The configmap's keys; None when it does not exist.
    pub configmap_keys: Option<Vec<String>>,
    /// The secret's key names (data and stringData); None when it does not exist.
    pub secret_keys: Option<Vec<String>>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let client = r.ctx.kube().await?;
    let ns = &r.settings().namespace;
    let k = &r.settings().kubernetes;
    let configmap = Api::<ConfigMap>::namespaced(client.clone(), ns)
        .get_opt(&k.configmap)
        .await
        .map_err(|e| kube_error(e, &format!("get configmap {}", k.configmap)))?;
    let secret = Api::<Secret>::namespaced(client, ns)
        .get_opt(&k.secret)
        .await
        .map_err(|e| kube_error(e, &format!("get secret {}", k.secret)))?;
    Ok(Snapshot {
        configmap_keys: configmap
            .map(|cm| cm.data.into_iter().flat_map(|d| d.into_keys()).collect()),
        secret_keys: secret.map(secret_key_names),
    })
}

/// Key names only: the values (and the last-applied annotation that repeats them) are dropped
/// here, before anything else sees the secret.
fn secret_key_names(secret: Secret) -> Vec<String> {
    let mut keys: Vec<String> = secret
        .data
        .into_iter()
        .flat_map(|d| d.into_keys())
        .collect();
    keys.extend(secret.string_data.into_iter().flat_map(|d| d.into_keys()));
    keys
}

/// Critical when either is missing.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let k = &settings.kubernetes;
    let mut evidence = Vec::new();
    let mut missing = Vec::new();
    match &s.configmap_keys {
        Some(keys) => evidence.push(format!(
            "configmap {}: {} key(s): {}",
            k.configmap,
            keys.len(),
            keys.join(", ")
        )),
        None => missing.push(format!("configmap {}", k.configmap)),
    }
    match &s.secret_keys {
        Some(keys) => evidence.push(format!(
            "secret {}: {} key(s): {} (values not shown)",
            k.secret,
            keys.len(),
            keys.join(", ")
        )),
        None => missing.push(format!("secret {}", k.secret)),
    }
    let finding = if missing.is_empty() {
        Finding::ok(format!(
            "configmap {} and secret {} exist",
            k.configmap, k.secret
        ))
    } else {
        Finding::new(
            Status::Critical,
            format!("{} not found", missing.join(" and ")),
        )
    };
    Ok(finding.evidence(evidence))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;

    fn keys(names: &[&str]) -> Option<Vec<String>> {
        Some(names.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn both_present_is_ok_and_names_keys_only() {
        let s = Snapshot {
            configmap_keys: keys(&["LOG_LEVEL", "POOL_SIZE"]),
            secret_keys: keys(&["DATABASE_PASSWORD"]),
        };
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "configmap reconciliation-config and secret reconciliation-secrets exist"
        );
        assert_eq!(
            f.evidence,
            vec![
                "configmap reconciliation-config: 2 key(s): LOG_LEVEL, POOL_SIZE",
                "secret reconciliation-secrets: 1 key(s): DATABASE_PASSWORD (values not shown)",
            ]
        );
    }

    #[test]
    fn a_missing_one_is_critical() {
        let s = Snapshot {
            configmap_keys: None,
            secret_keys: None,
        };
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(
            f.summary,
            "configmap reconciliation-config and secret reconciliation-secrets not found"
        );
    }

    #[test]
    fn secret_values_never_reach_the_snapshot() {
        use crate::checks::k8s::fixtures::object;
        let secret: Secret = object(serde_json::json!({
            "metadata": {"name": "reconciliation-secrets", "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": "{\"stringData\":{\"API_KEY\":\"hunter2\"}}"
            }},
            "data": {"DATABASE_PASSWORD": "aHVudGVyMg=="},
            "stringData": {"API_KEY": "hunter2"}
        }));
        let snapshot = Snapshot {
            configmap_keys: None,
            secret_keys: Some(secret_key_names(secret)),
        };
        let shown = format!("{snapshot:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("aHVudGVyMg"),
            "{shown}"
        );
        assert_eq!(
            snapshot.secret_keys,
            keys(&["DATABASE_PASSWORD", "API_KEY"])
        );
    }
}
