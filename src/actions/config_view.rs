//! `security config` (Runbook 3's "Check Configuration"): the seed runs `kubectl get secret -o
//! yaml`, which prints every secret value (base64 is not encryption) and repeats them in the
//! last-applied annotation. This shows the configmap's keys and values, and for the secret only
//! its keys with a short fingerprint of each value, so two environments can be compared without
//! any value leaving the cluster. It changes nothing.

use super::{kube, kube_error};
use crate::context::Context;
use crate::discovery;
use crate::error::Result;
use crate::settings::AppObject;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::Api;
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Serialize)]
pub struct ConfigView {
    pub namespace: String,
    pub configmap: String,
    /// (key, value) of the configmap: configuration, not secrets.
    pub config: Vec<(String, String)>,
    pub secret: String,
    /// (key, fingerprint): the first 12 hex digits of SHA-256 of the value, and its length.
    pub secret_keys: Vec<(String, String)>,
    /// How each was found, when it was not named and the default does not exist.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub found: Vec<String>,
}

/// `sha256:0123456789ab (32 bytes)`: enough to tell whether two values differ, useless to recover one.
pub fn fingerprint(value: &[u8]) -> String {
    let digest = Sha256::digest(value);
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex} ({} bytes)", value.len())
}

/// The name to read: named, else the default if it exists, else the first one the app's pods
/// use (with how it was found).
async fn choose<K>(
    api: &Api<K>,
    named: bool,
    default: &str,
    used: Vec<(String, String)>,
) -> Result<(String, Option<String>), kube::Error>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    if named || api.get_opt(default).await?.is_some() {
        return Ok((default.to_string(), None));
    }
    Ok(match used.into_iter().next() {
        Some((name, how)) => (name, Some(how)),
        None => (default.to_string(), None),
    })
}

pub async fn view(ctx: &Context) -> Result<ConfigView> {
    let namespace = ctx.settings.namespace.clone();
    let k = &ctx.settings.kubernetes;
    let client = kube(ctx).await?;
    let configmaps = Api::<ConfigMap>::namespaced(client.clone(), &namespace);
    let secrets = Api::<Secret>::namespaced(client.clone(), &namespace);
    let workloads = discovery::app_workloads(client, &ctx.settings)
        .await
        .map_err(|e| e.into_error(""))?;
    let templates = discovery::templates(&workloads);
    let named = |o: AppObject| k.given.contains(&o);
    let used_cm = discovery::referenced(&templates, |t| &t.configmaps);
    let (cm_name, cm_found) = choose(
        &configmaps,
        named(AppObject::ConfigMap),
        &k.configmap,
        used_cm,
    )
    .await
    .map_err(|e| kube_error(e, "get", "configmaps", &k.configmap, &namespace))?;
    let used_secret = discovery::referenced(&templates, |t| &t.secrets);
    let (secret_name, secret_found) =
        choose(&secrets, named(AppObject::Secret), &k.secret, used_secret)
            .await
            .map_err(|e| kube_error(e, "get", "secrets", &k.secret, &namespace))?;
    let cm = configmaps
        .get(&cm_name)
        .await
        .map_err(|e| kube_error(e, "get", "configmaps", &cm_name, &namespace))?;
    let secret = secrets
        .get(&secret_name)
        .await
        .map_err(|e| kube_error(e, "get", "secrets", &secret_name, &namespace))?;
    let config = cm.data.unwrap_or_default().into_iter().collect();
    let mut secret_keys: Vec<(String, String)> = secret
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, fingerprint(&v.0)))
        .collect();
    secret_keys.extend(
        secret
            .string_data
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, fingerprint(v.as_bytes()))),
    );
    secret_keys.sort();
    let found = [
        ("configmap", &cm_name, cm_found),
        ("secret", &secret_name, secret_found),
    ]
    .into_iter()
    .filter_map(|(kind, name, how)| Some(format!("{kind} {name} found: {}", how?)))
    .collect();
    Ok(ConfigView {
        namespace,
        configmap: cm_name,
        config,
        secret: secret_name,
        secret_keys,
        found,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn fingerprints_differ_and_hide_the_value() {
        let a = super::fingerprint(b"hunter2");
        assert_ne!(a, super::fingerprint(b"hunter3"));
        assert!(a.starts_with("sha256:") && a.ends_with("(7 bytes)"));
        assert!(!a.contains("hunter2"));
    }
}
