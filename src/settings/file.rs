//! Where settings come from besides flags: the config file and the process environment.

use super::runbooks::{self, Lines};
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

/// The config file's mode, when it sets a secret (a password in a URL, a token, a webhook:
/// judged on its parsed values, never on names or comments) and people other than its owner
/// can read it.
pub fn exposed_secret_file(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    let text = read_config(path).ok()?;
    let file = parse_file_settings(&path.display().to_string(), &text).ok()?;
    (mode & 0o077 != 0 && !super::exposure::secrets_set(&file).is_empty()).then_some(mode)
}

/// The config file's text, read bounded (`--config /dev/zero` fails at once).
fn read_config(path: &Path) -> std::result::Result<String, crate::files::bounded::InputError> {
    crate::files::bounded::read_text(path, crate::files::bounded::Input::Config)
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
/// Finds and parses the config file: --config / INCIDENTCTL_CONFIG (must exist, and is read
/// whoever wrote it: the engineer named it), else ./incidentctl.toml, else
/// $XDG_CONFIG_HOME/incidentctl/config.toml. A file found without being named is read only when
/// nobody but its reader (or root) can have written it: a config steers where credentials are
/// sent, so a file planted in a shared directory must not (git's `safe.directory`). What was
/// found and why it was or was not used goes into `notes`, said once on stderr.
pub(super) fn load_file(
    explicit: Option<&Path>,
    env: &dyn Env,
    notes: &mut Vec<String>,
) -> Result<(Option<PathBuf>, FileSettings)> {
    let text_and_path = match explicit {
        Some(p) => {
            let text = read_config(p).map_err(|e| Error::from(e.named("--config")))?;
            Some((p.to_path_buf(), text))
        }
        None => found_file(env, notes)?,
    };
    let Some((path, text)) = text_and_path else {
        return Ok((None, FileSettings::default()));
    };
    let mut parsed = parse_file_settings(&path.display().to_string(), &text)?;
    load_runbooks_dir(&path, &mut parsed)?;
    Ok((Some(path), parsed))
}

/// The file in the current directory when it can be trusted (said on stderr, since it is not
/// the engineer's own), else the engineer's own file, which must be trusted too.
fn found_file(env: &dyn Env, notes: &mut Vec<String>) -> Result<Option<(PathBuf, String)>> {
    let local = PathBuf::from(LOCAL_CONFIG);
    if local.symlink_metadata().is_ok() {
        match read_trusted(&local) {
            Ok(text) => {
                notes.push(format!(
                    "using ./{LOCAL_CONFIG} from the current directory, not your own config file"
                ));
                return Ok(Some((local, text)));
            }
            // Not a regular file (a FIFO, a directory): planted, or not a config file at all;
            // passed over as an untrusted one is, never waited on.
            Err(Distrust::Unreadable(crate::files::bounded::InputError {
                problem: crate::files::bounded::Problem::NotRegular(what),
                ..
            })) => notes.push(format!(
                "ignoring ./{LOCAL_CONFIG}: it is not a regular file ({what}), so it could have been planted"
            )),
            Err(Distrust::Unreadable(e)) => return Err(e.into()),
            Err(Distrust::Untrusted(why)) => notes.push(format!(
                "ignoring ./{LOCAL_CONFIG}: {why}, so it could have been planted; pass --config ./{LOCAL_CONFIG} to use it anyway"
            )),
        }
    }
    let Some(own) = env
        .var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(dirs::config_dir)
        .map(|d| d.join("incidentctl").join("config.toml"))
        // Anything there is read (and a FIFO or a directory refused, saying so), not skipped.
        .filter(|p| p.symlink_metadata().is_ok())
    else {
        return Ok(None);
    };
    match read_trusted(&own) {
        Ok(text) => Ok(Some((own, text))),
        Err(Distrust::Unreadable(e)) => Err(e.into()),
        Err(Distrust::Untrusted(why)) => Err(Error::config(
            own.display().to_string(),
            format!("not read: {why}, so someone else could steer where credentials are sent"),
        )
        .with_hint(format!(
            "make it yours and private: chown $(id -un) {0} && chmod go-w {0}; or name it with --config",
            own.display()
        ))),
    }
}

/// The config file looked for in the current directory.
pub const LOCAL_CONFIG: &str = "incidentctl.toml";

enum Distrust {
    Unreadable(crate::files::bounded::InputError),
    /// Why someone other than the reader could have written it.
    Untrusted(String),
}

/// The file's text, when it and the link that names it belong to the reader (or root) and
/// neither group nor others may write it. Checked on the file as opened, so it cannot be
/// swapped between the check and the read.
fn read_trusted(path: &Path) -> std::result::Result<String, Distrust> {
    use std::os::unix::fs::MetadataExt;
    let link = path.symlink_metadata().map_err(|e| {
        Distrust::Unreadable(crate::files::bounded::InputError::of_io(
            path,
            crate::files::bounded::Input::Config,
            &e,
        ))
    })?;
    let link_owner = link.uid();
    let read = crate::files::bounded::read_text_if(
        path,
        crate::files::bounded::Input::Config,
        move |meta| {
            // SAFETY: geteuid has no preconditions and cannot fail.
            let me = unsafe { libc::geteuid() };
            for (what, uid) in [("it", meta.uid()), ("the link to it", link_owner)] {
                if uid != me && uid != 0 {
                    return Err(format!(
                        "{what} belongs to uid {uid}, not to you (uid {me})"
                    ));
                }
            }
            let mode = meta.mode() & 0o777;
            if mode & 0o022 != 0 {
                return Err(format!("others may write it (mode {mode:o})"));
            }
            Ok(())
        },
    );
    match read {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(why)) => Err(Distrust::Untrusted(why)),
        Err(e) => Err(Distrust::Unreadable(e)),
    }
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
    let lines = Lines { file: source, text };
    file.runbooks = runbooks::definitions(std::mem::take(&mut file.raw_runbooks), &lines, false);
    locate_checks(&mut file.checks, &lines)?;
    Ok(file)
}

/// Where each `[[check]]` table names its runbooks (or where its id is, when it names none):
/// errors about a check's runbooks point there.
fn locate_checks(checks: &mut [super::CheckDefinition], lines: &Lines) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct Located {
        #[serde(default)]
        check: Vec<CheckLines>,
    }
    #[derive(serde::Deserialize)]
    struct CheckLines {
        id: toml::Spanned<toml::Value>,
        runbooks: Option<toml::Spanned<toml::Value>>,
    }
    let located: Located = parse_toml(lines.file, lines.text)?;
    for (check, at) in checks.iter_mut().zip(located.check) {
        let span = at.runbooks.map_or_else(|| at.id.span(), |r| r.span());
        check.origin = Some(lines.origin(span));
    }
    Ok(())
}

/// The team's runbook files (`runbooks_dir`, relative to the config file): each read only when
/// it can be trusted as an unnamed config file is, since a runbook decides what incidentctl
/// changes; their `[[check]]` and `[[runbook]]` tables join the config file's.
fn load_runbooks_dir(config: &Path, file: &mut FileSettings) -> Result<()> {
    let Some(dir) = &file.runbooks_dir else {
        return Ok(());
    };
    let dir = config.parent().unwrap_or(Path::new(".")).join(dir);
    for path in runbooks::files_of(&dir, "runbooks_dir")? {
        let text = match read_trusted(&path) {
            Ok(text) => text,
            Err(Distrust::Unreadable(e)) => return Err(e.into()),
            Err(Distrust::Untrusted(why)) => {
                return Err(Error::config(
                    path.display().to_string(),
                    format!("not read: {why}, so someone else could change what a runbook does"),
                )
                .with_hint(format!(
                    "make it yours and private: chown $(id -un) {0} && chmod go-w {0}",
                    path.display()
                )))
            }
        };
        let source = path.display().to_string();
        let mut team: runbooks::RunbookFile = parse_toml(&source, &text)
            .map_err(|e| e.with_hint("see docs/runbooks.md for what a runbook file holds"))?;
        let lines = Lines {
            file: &source,
            text: &text,
        };
        locate_checks(&mut team.checks, &lines)?;
        file.checks.extend(team.checks);
        file.runbooks
            .extend(runbooks::definitions(team.runbooks, &lines, false));
    }
    file.runbooks_dir = Some(dir);
    Ok(())
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
