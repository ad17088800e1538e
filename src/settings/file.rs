//! Where settings come from besides flags: the config file and the process environment.

use super::sections::{AppObject, FileSettings};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Where the process environment is read from; tests pass a map instead of the real one.
pub trait Env {
    fn var(&self, key: &str) -> Option<String>;
}

pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok().filter(|v| !v.is_empty())
    }
}

/// The config file, when it holds a secret (a password in a URL, a webhook) and people other
/// than its owner can read it.
pub fn exposed_secret_file(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    let text = read_bounded(path).ok()?;
    // If scrubbing secrets changes the file, it holds one.
    (mode & 0o077 != 0 && crate::redact::secrets(&text) != text).then_some(mode)
}

// A config or password file, refused past 1 MiB: `--config /dev/zero` must fail, not fill
/// memory.
pub(super) fn read_bounded(path: &Path) -> std::io::Result<String> {
    crate::bounded::read_to_string(path, 1024 * 1024)
}
/// $XDG_DATA_HOME/incidentctl/incidents (~/.local/share/… when unset).
pub(super) fn default_store(env: &dyn Env) -> PathBuf {
    env.var("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            env.var("HOME")
                .map(|h| PathBuf::from(h).join(".local/share"))
        })
        .or_else(dirs::data_dir)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("incidentctl")
        .join("incidents")
}
/// $XDG_STATE_HOME/incidentctl/audit.jsonl (~/.local/state/… when unset).
pub(super) fn default_audit_log(env: &dyn Env) -> PathBuf {
    env.var("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            env.var("HOME")
                .map(|h| PathBuf::from(h).join(".local/state"))
        })
        .or_else(dirs::state_dir)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("incidentctl")
        .join("audit.jsonl")
}
/// Finds and parses the config file: --config / INCIDENTCTL_CONFIG (must exist), else
/// ./incidentctl.toml, else $XDG_CONFIG_HOME/incidentctl/config.toml (each optional).
pub(super) fn load_file(
    explicit: Option<&Path>,
    env: &dyn Env,
) -> Result<(Option<PathBuf>, FileSettings)> {
    let path = match explicit {
        Some(p) => {
            if !p.exists() {
                return Err(Error::config(
                    "--config",
                    format!("{}: no such file", p.display()),
                ));
            }
            Some(p.to_path_buf())
        }
        None => {
            let local = PathBuf::from("incidentctl.toml");
            let xdg = env
                .var("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .or_else(dirs::config_dir)
                .map(|d| d.join("incidentctl").join("config.toml"));
            [Some(local), xdg]
                .into_iter()
                .flatten()
                .find(|p| p.is_file())
        }
    };
    let Some(path) = path else {
        return Ok((None, FileSettings::default()));
    };
    let text = read_bounded(&path).map_err(|e| {
        Error::config(
            path.display().to_string(),
            format!("cannot read config file: {e}"),
        )
    })?;
    let parsed = parse_file_settings(&path.display().to_string(), &text)?;
    Ok((Some(path), parsed))
}
/// A config file's text, parsed; errors name `source` and the line.
pub(super) fn parse_file_settings(source: &str, text: &str) -> Result<FileSettings> {
    let mut file: FileSettings = parse_toml(source, text)?;
    // Which app object names the file gives: serde filled the rest with the seed's defaults.
    let raw: toml::Table = parse_toml(source, text)?;
    if let Some(kubernetes) = raw.get("kubernetes").and_then(|v| v.as_table()) {
        for object in AppObject::ALL {
            if kubernetes.contains_key(object.key()) {
                file.kubernetes.given.insert(object);
            }
        }
    }
    Ok(file)
}

fn parse_toml<T: serde::de::DeserializeOwned>(source: &str, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let location = e
            .span()
            .map(|span| {
                let line = text[..span.start].matches('\n').count() + 1;
                format!(" (line {line})")
            })
            .unwrap_or_default();
        Error::config(source, format!("{}{location}", e.message().trim()))
            .with_hint("see examples/incidentctl.toml for every key and its default")
    })
}
