//! `security config` (Runbook 3's "Check Configuration"): the seed runs `kubectl get secret -o
//! yaml`, which prints every secret value (base64 is not encryption) and repeats them in the
//! last-applied annotation. This shows the configmap's keys and values (redacted: a
//! `DATABASE_URL` in a configmap still holds a password), and for the secret only its keys with
//! a keyed fingerprint of each value, so a value can be compared with another seen on the same
//! machine (another namespace, another day) without it leaving the cluster, and a guess cannot
//! be confirmed offline from the output. It changes nothing.

use super::{kube, kube_error};
use crate::clients::Context;
use crate::discovery;
use crate::error::Result;
use crate::settings::AppObject;
use crate::types::{KubePermission, KubePermissions};
use hmac::{Hmac, Mac};
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::Api;
use serde::Serialize;
use sha2::Sha256;
use std::path::Path;

/// What `security config` asks the API server: the pod templates, then the configmap and the
/// secret by name.
pub const KUBE_PERMISSIONS: KubePermissions = &[
    discovery::permissions::DEPLOYMENTS_PERMISSIONS,
    &[
        KubePermission::namespaced("get", "", "configmaps"),
        KubePermission::namespaced("get", "", "secrets"),
    ],
];

#[derive(Debug, Serialize)]
pub struct ConfigView {
    pub namespace: String,
    pub configmap: String,
    /// (key, value) of the configmap: configuration, redacted (a key named like a secret is
    /// hidden whole; credentials in values are replaced).
    pub config: Vec<(String, String)>,
    pub secret: String,
    /// (key, fingerprint): `hmac-sha256:` and the first 12 hex digits of HMAC-SHA256 of the
    /// value under this machine's key, and its length.
    pub secret_keys: Vec<(String, String)>,
    /// How each was found, when it was not named and the default does not exist.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub found: Vec<String>,
}

/// A configmap value as it may be shown.
fn shown_value(key: &str, value: &str) -> String {
    if crate::output::redact::is_secret_name(key) {
        crate::output::redact::HIDDEN.to_string()
    } else {
        crate::output::redact::secrets(value)
    }
}

/// `hmac-sha256:0123456789ab (32 bytes)`: equal for equal values under the same key, and
/// without the key (kept on this machine only) no guess can be checked against it.
pub fn fingerprint(key: &[u8; KEY_BYTES], value: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(value);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("hmac-sha256:{hex} ({} bytes)", value.len())
}

pub const KEY_BYTES: usize = 32;

/// The fingerprint key at `path`: read when it is there (a private regular file of the
/// user's, of the right size), made once otherwise (random, 0600, published whole, so two
/// runs at once agree on one key).
pub fn machine_key(path: &Path) -> Result<[u8; KEY_BYTES]> {
    let fail = |why: String| {
        crate::error::Error::config(path.display().to_string(), why)
            .with_hint("it is the fingerprint key of `security config`: remove it to make a new one (fingerprints then change)")
    };
    if path.symlink_metadata().is_err() {
        let mut key = [0u8; KEY_BYTES];
        getrandom::fill(&mut key).map_err(|e| fail(format!("cannot make a random key: {e}")))?;
        if let Some(dir) = path.parent() {
            crate::files::create_dir_private(dir)
                .map_err(|e| fail(format!("cannot create its directory: {e}")))?;
        }
        // False: another run made it first; read theirs.
        // The key stays the user's own, whatever mode the kept files have.
        crate::files::publish_new(path, &key, crate::files::PRIVATE)
            .map_err(|e| fail(format!("cannot create it: {e}")))?;
    }
    let bytes = crate::files::bounded::read_private(path, crate::files::bounded::Input::Secret)
        .map_err(|e| fail(e.describe()))?;
    bytes
        .try_into()
        .map_err(|_| fail(format!("it is not a key of {KEY_BYTES} bytes")))
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
    // The key first: a key file that cannot be read fails before any server is asked.
    let key = tokio::task::block_in_place(|| machine_key(&ctx.settings.fingerprint_key))?;
    let namespace = ctx.settings.namespace.clone();
    let k = &ctx.settings.kubernetes;
    let client = kube(ctx).await?;
    let configmaps = Api::<ConfigMap>::namespaced(client.clone(), &namespace);
    let secrets = Api::<Secret>::namespaced(client.clone(), &namespace);
    // The pods' templates come from the deployments: their pods need not be read.
    let templates = discovery::app_deployments(client, &ctx.settings)
        .await
        .map_err(|e| e.into_error(""))?
        .templates();
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
    let found = [
        ("configmap", &cm_name, cm_found),
        ("secret", &secret_name, secret_found),
    ]
    .into_iter()
    .filter_map(|(kind, name, how)| Some(format!("{kind} {name} found: {}", how?)))
    .collect();
    Ok(shown(&key, namespace, cm, secret, found))
}

/// What may be shown of the configmap and the secret read: the configmap's values redacted,
/// the secret's keys with a fingerprint of each value under `key`, never the value.
pub fn shown(
    key: &[u8; KEY_BYTES],
    namespace: String,
    cm: ConfigMap,
    secret: Secret,
    found: Vec<String>,
) -> ConfigView {
    let config = cm
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let shown = shown_value(&k, &v);
            (k, shown)
        })
        .collect();
    let mut secret_keys: Vec<(String, String)> = secret
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, fingerprint(key, &v.0)))
        .collect();
    secret_keys.extend(
        secret
            .string_data
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, fingerprint(key, v.as_bytes()))),
    );
    secret_keys.sort();
    ConfigView {
        namespace,
        configmap: cm.metadata.name.unwrap_or_default(),
        config,
        secret: secret.metadata.name.unwrap_or_default(),
        secret_keys,
        found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_keyed_differ_and_hide_the_value() {
        let (k1, k2) = ([1u8; KEY_BYTES], [2u8; KEY_BYTES]);
        let a = fingerprint(&k1, b"hunter2");
        assert_eq!(a, fingerprint(&k1, b"hunter2"));
        assert_ne!(a, fingerprint(&k1, b"hunter3"));
        // Without the key, a guess cannot be confirmed: another key gives another print.
        assert_ne!(a, fingerprint(&k2, b"hunter2"));
        assert!(a.starts_with("hmac-sha256:") && a.ends_with("(7 bytes)"));
    }

    #[test]
    fn the_key_is_made_once_private_and_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/fingerprint.key");
        let first = machine_key(&path).unwrap();
        assert_eq!(machine_key(&path).unwrap(), first);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        std::fs::write(&path, b"short").unwrap();
        assert!(machine_key(&path).is_err());
    }

    #[test]
    fn configmap_values_are_redacted() {
        assert_eq!(
            shown_value("DATABASE_URL", "postgres://app:hunter2@db/app"),
            "postgres://app:***@db/app"
        );
        assert_eq!(shown_value("API_TOKEN", "abc"), "***");
        assert_eq!(shown_value("LOG_LEVEL", "info"), "info");
    }

    #[test]
    fn the_view_shows_config_redacted_and_secret_keys_only_as_fingerprints() {
        let cm: ConfigMap = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "backend-config"},
            "data": {"LOG_LEVEL": "info", "DATABASE_URL": "postgres://app:hunter2@db/app"}
        }))
        .unwrap();
        let secret: Secret = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "backend-secrets"},
            // "hunter2" base64-encoded, as the API server sends data.
            "data": {"DB_PASSWORD": "aHVudGVyMg=="},
            "stringData": {"API_TOKEN": "tok"}
        }))
        .unwrap();
        let key = [7u8; KEY_BYTES];
        let found = vec!["secret backend-secrets found: envFrom of backend".to_string()];
        let v = shown(&key, "payments".into(), cm, secret, found.clone());
        assert_eq!(
            (v.configmap.as_str(), v.secret.as_str()),
            ("backend-config", "backend-secrets")
        );
        assert_eq!(
            v.config,
            [
                (
                    "DATABASE_URL".to_string(),
                    "postgres://app:***@db/app".to_string()
                ),
                ("LOG_LEVEL".to_string(), "info".to_string())
            ]
        );
        assert_eq!(
            v.secret_keys,
            [
                ("API_TOKEN".to_string(), fingerprint(&key, b"tok")),
                ("DB_PASSWORD".to_string(), fingerprint(&key, b"hunter2"))
            ]
        );
        let json = serde_json::to_string(&v).unwrap();
        assert!(
            !json.contains("hunter2") && !json.contains("aHVudGVyMg"),
            "{json}"
        );
        assert_eq!(v.found, found);
    }
}
