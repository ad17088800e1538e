//! `security config` (Runbook 3's "Check Configuration"): the seed runs `kubectl get secret -o
//! yaml`, which prints every secret value (base64 is not encryption) and repeats them in the
//! last-applied annotation. This shows the configmap's keys and values, and for the secret only
//! its keys with a short fingerprint of each value, so two environments can be compared without
//! any value leaving the cluster. It changes nothing.

use super::{kube, kube_error};
use crate::context::Context;
use crate::error::Result;
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
}

/// `sha256:0123456789ab (32 bytes)`: enough to tell whether two values differ, useless to recover one.
pub fn fingerprint(value: &[u8]) -> String {
    let digest = Sha256::digest(value);
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex} ({} bytes)", value.len())
}

pub async fn view(ctx: &Context) -> Result<ConfigView> {
    let namespace = ctx.settings.namespace.clone();
    let k = &ctx.settings.kubernetes;
    let client = kube(ctx).await?;
    let cm = Api::<ConfigMap>::namespaced(client.clone(), &namespace)
        .get(&k.configmap)
        .await
        .map_err(|e| kube_error(e, "get", "configmaps", &k.configmap, &namespace))?;
    let secret = Api::<Secret>::namespaced(client, &namespace)
        .get(&k.secret)
        .await
        .map_err(|e| kube_error(e, "get", "secrets", &k.secret, &namespace))?;
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
    Ok(ConfigView {
        namespace,
        configmap: k.configmap.clone(),
        config,
        secret: k.secret.clone(),
        secret_keys,
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
