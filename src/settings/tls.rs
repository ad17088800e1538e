//! What the config file says about TLS: the files of each target, and PostgreSQL's sslmode.

use crate::types::CheckError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The files of one target's TLS set-up (a `[<target>.tls]` table in the config file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsFiles {
    /// PEM file of the CA(s) to trust instead of the system's.
    pub ca_file: Option<PathBuf>,
    /// PEM certificate (chain) to present to servers that ask for one.
    pub client_cert: Option<PathBuf>,
    /// PEM private key of `client_cert`.
    pub client_key: Option<PathBuf>,
}

/// libpq's `sslmode`, with its default `prefer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SslMode {
    Disable,
    #[default]
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl TlsFiles {
    /// The client certificate and its key, which go together; `key` names the table in errors.
    pub fn client_pair(&self, key: &str) -> Result<Option<(&Path, &Path)>, CheckError> {
        match (&self.client_cert, &self.client_key) {
            (Some(cert), Some(private_key)) => Ok(Some((cert, private_key))),
            (None, None) => Ok(None),
            _ => Err(CheckError::new(format!(
                "{key}: client_cert and client_key go together; only one is set"
            ))),
        }
    }
}

impl std::str::FromStr for SslMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "disable" => SslMode::Disable,
            "prefer" | "allow" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(format!(
                "unknown sslmode '{other}' (use disable, prefer, require, verify-ca or verify-full)"
            ))
            }
        })
    }
}
