//! Passwords, tokens and TLS files: from the config file, the files it names, the environment
//! (which wins), and libpq's own conventions (PG* variables, ~/.pgpass).

use super::file::Env;
use super::secrets::Secret;
use super::sections::{HttpAuth, PostgresSettings, RedisSettings};
use crate::error::{Error, Result};
use crate::files::bounded::{self, Input, Problem};
use std::path::{Path, PathBuf};

/// The URL's password, else postgres.password_file, else PGPASSWORD, else the password file
/// (PGPASSFILE or ~/.pgpass) as libpq reads it.
pub(super) fn resolve_pg_password(
    pg: &PostgresSettings,
    env: &dyn Env,
    warnings: &mut Vec<String>,
) -> Result<Option<Secret>> {
    if pg.url.has_password() {
        return Ok(None);
    }
    if let Some(path) = &pg.password_file {
        return read_secret_file(path, "postgres.password_file").map(Some);
    }
    if let Some(password) = env.var("PGPASSWORD") {
        return Ok(Some(Secret(password)));
    }
    let Some(path) = crate::settings::pgpass::location(env.var("PGPASSFILE"), env.var("HOME"))
    else {
        return Ok(None);
    };
    let text = match bounded::read_text(&path, Input::PasswordFile) {
        Ok(text) => text,
        // No password file is the usual case; libpq is silent about it too.
        Err(e) if e.problem == Problem::Missing => return Ok(None),
        // One that cannot be read is ignored with a warning, as libpq does.
        Err(e) => {
            warnings.push(format!("{e}: ignored"));
            return Ok(None);
        }
    };
    if crate::settings::pgpass::is_exposed(&path) {
        warnings.push(format!(
            "password file {} is readable by others and was ignored (as libpq does); run: chmod 600 {}",
            path.display(),
            path.display()
        ));
        return Ok(None);
    }
    let Ok(url) = url::Url::parse(pg.url.expose()) else {
        return Ok(None);
    };
    let user = url.username();
    let database = url.path().trim_start_matches('/');
    let target = crate::settings::pgpass::Target {
        host: url.host_str().unwrap_or("localhost"),
        port: url.port().unwrap_or(5432),
        database: if database.is_empty() { user } else { database },
        user,
    };
    Ok(crate::settings::pgpass::find_password(&text, &target).map(Secret))
}
/// libpq's environment variables over the config file (the URL's own parameters win at connect
/// time, see `context::postgres_tls`).
pub(super) fn resolve_postgres_tls(pg: &mut PostgresSettings, env: &dyn Env) -> Result<()> {
    if let Some(mode) = env.var("PGSSLMODE") {
        pg.sslmode = mode
            .parse()
            .map_err(|e: String| Error::config("PGSSLMODE", e))?;
    }
    for (var, target) in [
        ("PGSSLROOTCERT", &mut pg.tls.ca_file),
        ("PGSSLCERT", &mut pg.tls.client_cert),
        ("PGSSLKEY", &mut pg.tls.client_key),
    ] {
        if let Some(path) = env.var(var) {
            *target = Some(PathBuf::from(path));
        }
    }
    Ok(())
}
/// The first line of a secret file; `key` names the setting in errors.
pub(super) fn read_secret_file(path: &Path, key: &str) -> Result<Secret> {
    let value = bounded::read_first_line(path, Input::Secret).map_err(|e| e.named(key))?;
    if value.is_empty() {
        return Err(Error::config(key, format!("{} is empty", path.display())));
    }
    Ok(Secret(value))
}
pub(super) fn resolve_redis_password(
    redis: &RedisSettings,
    env: &dyn Env,
) -> Result<Option<Secret>> {
    if redis.url.has_password() {
        return Ok(None);
    }
    if let Some(path) = &redis.password_file {
        return read_secret_file(path, "redis.password_file").map(Some);
    }
    Ok(env
        .var("INCIDENTCTL_REDIS_PASSWORD")
        .or_else(|| env.var("REDISCLI_AUTH"))
        .map(Secret))
}
/// Environment > file > inline, for the token and the password; one scheme at a time.
pub(super) fn resolve_http_auth(auth: &mut HttpAuth, target: &str, env: &dyn Env) -> Result<()> {
    let upper = target.to_ascii_uppercase();
    if let Some(token) = env.var(&format!("INCIDENTCTL_{upper}_TOKEN")) {
        auth.bearer_token = Some(Secret(token));
    } else if let Some(path) = &auth.bearer_token_file {
        auth.bearer_token = Some(read_secret_file(
            path,
            &format!("{target}.auth.bearer_token_file"),
        )?);
    }
    if let Some(password) = env.var(&format!("INCIDENTCTL_{upper}_PASSWORD")) {
        auth.password = Some(Secret(password));
    } else if let Some(path) = &auth.password_file {
        auth.password = Some(read_secret_file(
            path,
            &format!("{target}.auth.password_file"),
        )?);
    }
    if auth.bearer_token.is_some() && auth.username.is_some() {
        return Err(Error::config(
            format!("{target}.auth"),
            "both a bearer token and a username are set: use one",
        ));
    }
    if auth.password.is_some() && auth.username.is_none() {
        return Err(Error::config(
            format!("{target}.auth"),
            "a password is set but no username",
        ));
    }
    Ok(())
}
