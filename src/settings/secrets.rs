//! Secrets that never show: values printed as `<redacted>`, URLs with their password as `***`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A secret value: printed and serialized only as `<redacted>`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub(super) String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

pub(super) fn redacted_option<S: Serializer>(
    v: &Option<Secret>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(_) => s.serialize_str("<redacted>"),
        None => s.serialize_none(),
    }
}

/// A store: a directory as it is, a URL with its credentials replaced.
pub(super) fn redacted_store<S: Serializer>(
    v: &Option<String>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(store) if store.contains("://") => s.serialize_str(&redact_url(store)),
        Some(dir) => s.serialize_str(dir),
        None => s.serialize_none(),
    }
}

/// A URL that may carry credentials. Display, Debug and Serialize show it with the password
/// replaced, so it can appear in messages and `config show`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(String);

impl SecretUrl {
    pub fn new(s: impl Into<String>) -> Self {
        SecretUrl(s.into())
    }

    /// The URL with its credentials, for connecting only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn redacted(&self) -> String {
        redact_url(&self.0)
    }

    /// The password in the URL, if any.
    pub fn has_password(&self) -> bool {
        url::Url::parse(&self.0)
            .map(|u| u.password().is_some())
            .unwrap_or(false)
    }
}

/// Replaces the password of `scheme://user:password@host` (and of query parameters named like a
/// secret) with `***`.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            let pairs: Vec<(String, String)> = u
                .query_pairs()
                .map(|(k, v)| {
                    let secret = ["password", "token", "secret", "key"]
                        .iter()
                        .any(|w| k.to_ascii_lowercase().contains(w));
                    (
                        k.into_owned(),
                        if secret { "***".into() } else { v.into_owned() },
                    )
                })
                .collect();
            if !pairs.is_empty() {
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        // Not a URL we can parse: show only what follows any credentials, and hide
        // `password=…` of a key=value connection string.
        Err(_) => match raw.rfind('@') {
            Some(at) => format!("***@{}", crate::output::redact::secrets(&raw[at + 1..])),
            None => crate::output::redact::secrets(raw),
        },
    }
}

impl fmt::Display for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}

impl Serialize for SecretUrl {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.redacted())
    }
}

impl<'de> Deserialize<'de> for SecretUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        validate_url(&s).map_err(serde::de::Error::custom)?;
        Ok(SecretUrl(s))
    }
}

pub(super) fn validate_url(s: &str) -> std::result::Result<(), String> {
    match url::Url::parse(s) {
        Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        Ok(_) => Err(format!("'{}' has no host", redact_url(s))),
        Err(e) => Err(format!("'{}' is not a valid URL: {e}", redact_url(s))),
    }
}
