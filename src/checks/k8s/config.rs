//! The seed's "check configuration changes" step (High Error Rate): the app's configmap and
//! secret exist, and which keys they hold. A secret's values never leave `read`: the snapshot
//! holds key names only.

use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::clients::kube::kube_error;
use crate::discovery::{self, AppTemplate};
use crate::settings::{AppObject, Settings};
use crate::types::{KubePermission, KubePermissions};
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::Api;
use std::collections::BTreeMap;

pub const LEVELS: &[&Level] = &[];

/// What `read` asks the API server: the pod templates, then each configmap and secret by name.
pub const KUBE_PERMISSIONS: KubePermissions = &[
    crate::discovery::permissions::WORKLOADS_PERMISSIONS,
    &[
        KubePermission::namespaced("get", "", "configmaps"),
        KubePermission::namespaced("get", "", "secrets"),
    ],
];

/// A configmap or secret of the app, by name: its keys (None when it does not exist) and, when
/// it was found rather than named, how (`used by backend (envFrom)`).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigObject {
    pub name: String,
    pub keys: Option<Vec<String>>,
    pub found: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub configmaps: Vec<ConfigObject>,
    /// Key names only: a secret's values never reach the snapshot.
    pub secrets: Vec<ConfigObject>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let client = r.ctx.kube().await?;
    let settings = r.settings();
    let ns = &settings.namespace;
    let k = &settings.kubernetes;
    let templates = r.app_deployments().await?.templates();
    let configmaps: Api<ConfigMap> = Api::namespaced(client.clone(), ns);
    let secrets: Api<Secret> = Api::namespaced(client, ns);
    let configmap_keys = |name: String| {
        let api = configmaps.clone();
        async move {
            let cm = api
                .get_opt(&name)
                .await
                .map_err(|e| kube_error(e, &format!("get configmap {name}")))?;
            Ok::<_, CheckError>(
                cm.map(|cm| cm.data.into_iter().flat_map(|d| d.into_keys()).collect()),
            )
        }
    };
    let secret_keys = |name: String| {
        let api = secrets.clone();
        async move {
            let secret = api
                .get_opt(&name)
                .await
                .map_err(|e| kube_error(e, &format!("get secret {name}")))?;
            Ok::<_, CheckError>(secret.map(secret_key_names))
        }
    };
    let named = |o: AppObject| k.given.contains(&o);
    let configmaps = resolve(
        named(AppObject::ConfigMap),
        &k.configmap,
        &templates,
        |t| &t.configmaps,
        configmap_keys,
    )
    .await?;
    let secrets = resolve(
        named(AppObject::Secret),
        &k.secret,
        &templates,
        |t| &t.secrets,
        secret_keys,
    )
    .await?;
    Ok(Snapshot {
        configmaps,
        secrets,
    })
}

/// Named, else the default if it exists, else every one the app's pod templates use.
async fn resolve<F, Fut>(
    named: bool,
    name: &str,
    templates: &[AppTemplate],
    pick: impl Fn(&AppTemplate) -> &BTreeMap<String, &'static str>,
    keys: F,
) -> Result<Vec<ConfigObject>, CheckError>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<Option<Vec<String>>, CheckError>>,
{
    let first = keys(name.to_string()).await?;
    if named || first.is_some() {
        return Ok(vec![ConfigObject {
            name: name.to_string(),
            keys: first,
            found: None,
        }]);
    }
    let mut out = Vec::new();
    for (used, how) in discovery::referenced(templates, pick) {
        out.push(ConfigObject {
            keys: keys(used.clone()).await?,
            name: used,
            found: Some(how),
        });
    }
    Ok(out)
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

/// Critical when one the app needs is missing: a named one, or one its pods use.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let mut evidence = Vec::new();
    let mut missing = Vec::new();
    let mut present = Vec::new();
    for (kind, objects, values) in [
        ("configmap", &s.configmaps, ""),
        ("secret", &s.secrets, " (values not shown)"),
    ] {
        for o in objects {
            if let Some(how) = &o.found {
                evidence.push(format!("{kind} {} found: {how}", o.name));
            }
            match &o.keys {
                Some(keys) => {
                    present.push(format!("{kind} {}", o.name));
                    evidence.push(format!(
                        "{kind} {}: {} key(s): {}{values}",
                        o.name,
                        keys.len(),
                        keys.join(", ")
                    ));
                }
                None => missing.push(format!("{kind} {}", o.name)),
            }
        }
    }
    let finding = if !missing.is_empty() {
        Finding::new(
            Status::Critical,
            format!("{} not found", missing.join(" and ")),
        )
    } else if present.is_empty() {
        let k = &settings.kubernetes;
        evidence.push(format!(
            "{} and {} not found, none named (--configmap, --secret)",
            k.configmap, k.secret
        ));
        Finding::ok("the app's pods use no configmap or secret")
    } else {
        Finding::ok(format!("{} exist", present.join(" and ")))
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

    fn named(name: &str, keys: Option<Vec<String>>) -> Vec<ConfigObject> {
        vec![ConfigObject {
            name: name.into(),
            keys,
            found: None,
        }]
    }

    #[test]
    fn both_present_is_ok_and_names_keys_only() {
        let s = Snapshot {
            configmaps: named("reconciliation-config", keys(&["LOG_LEVEL", "POOL_SIZE"])),
            secrets: named("reconciliation-secrets", keys(&["DATABASE_PASSWORD"])),
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
            configmaps: named("reconciliation-config", None),
            secrets: named("reconciliation-secrets", None),
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
            configmaps: Vec::new(),
            secrets: named("reconciliation-secrets", Some(secret_key_names(secret))),
        };
        let shown = format!("{snapshot:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("aHVudGVyMg"),
            "{shown}"
        );
        assert_eq!(
            snapshot.secrets[0].keys,
            keys(&["DATABASE_PASSWORD", "API_KEY"])
        );
    }

    #[test]
    fn objects_the_pods_use_are_found_and_one_missing_is_critical() {
        let s = Snapshot {
            configmaps: vec![ConfigObject {
                name: "payments-env".into(),
                keys: keys(&["LOG_LEVEL"]),
                found: Some("used by api (envFrom)".into()),
            }],
            secrets: vec![ConfigObject {
                name: "payments-db".into(),
                keys: None,
                found: Some("used by api (env)".into()),
            }],
        };
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "secret payments-db not found");
        assert_eq!(
            f.evidence[0],
            "configmap payments-env found: used by api (envFrom)"
        );
        assert_eq!(f.evidence[2], "secret payments-db found: used by api (env)");
        let none = Snapshot {
            configmaps: Vec::new(),
            secrets: Vec::new(),
        };
        let f = assess(&none, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "the app's pods use no configmap or secret");
    }
}
