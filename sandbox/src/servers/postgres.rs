//! PostgreSQL from Debian's packages: initdb, then `postgres` itself as a child (as the
//! `postgres` user when we are root).

use super::process::start_with_retries;
use super::{err, new_server_dir, with_log, ServerError, ServerProcess};
use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A PostgreSQL server (superuser `postgres`, trust authentication) on 127.0.0.1.
pub struct Postgres {
    pub port: u16,
    pub dir: PathBuf,
    pub socket_dir: PathBuf,
    bin_dir: PathBuf,
    _process: ServerProcess,
}

/// The newest /usr/lib/postgresql/<major>/bin that has a `postgres` binary.
fn pg_bin_dir() -> Result<PathBuf, ServerError> {
    let base = Path::new("/usr/lib/postgresql");
    let entries = fs::read_dir(base).map_err(|e| {
        err(
            "postgres",
            format!(
                "reading {}: {e} (is the postgresql package installed?)",
                base.display()
            ),
        )
    })?;
    let mut best: Option<(Vec<u32>, PathBuf)> = None;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(version) = name
            .split('.')
            .map(|p| p.parse::<u32>().ok())
            .collect::<Option<Vec<u32>>>()
        else {
            continue;
        };
        let bin = entry.path().join("bin");
        if bin.join("postgres").is_file() && best.as_ref().is_none_or(|(v, _)| version > *v) {
            best = Some((version, bin));
        }
    }
    best.map(|(_, bin)| bin).ok_or_else(|| {
        err(
            "postgres",
            format!(
                "no {}/<version>/bin/postgres found (install postgresql)",
                base.display()
            ),
        )
    })
}

/// uid/gid to run PostgreSQL as: the `postgres` user when we are root, else None (ourselves).
fn pg_identity() -> Result<Option<(u32, u32)>, ServerError> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let id = |flag: &str| -> Result<u32, ServerError> {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| err("postgres", format!("running `id {flag} postgres`: {e}")))?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse::<u32>()
            .map_err(|_| {
                err(
                    "postgres",
                    format!(
                        "running as root, and there is no `postgres` user to run PostgreSQL as \
                     (`id {flag} postgres`: {})",
                        String::from_utf8_lossy(&out.stderr).trim()
                    ),
                )
            })
    };
    Ok(Some((id("-u")?, id("-g")?)))
}

/// Make `dir` and its ancestors up to and including `root` traversable (0700 -> 0755), and check
/// that the ancestors above `root` are traversable by `uid`/`gid`.
fn make_traversable(dir: &Path, root: &Path, uid: u32, gid: u32) -> Result<(), ServerError> {
    use std::os::unix::fs::MetadataExt;
    let mut inside = true;
    for ancestor in dir.ancestors().skip(1) {
        let meta = fs::metadata(ancestor)
            .map_err(|e| err("postgres", format!("reading {}: {e}", ancestor.display())))?;
        let mode = meta.mode() & 0o7777;
        if inside {
            if mode & 0o055 != 0o055 {
                fs::set_permissions(ancestor, fs::Permissions::from_mode(mode | 0o055)).map_err(
                    |e| {
                        err(
                            "postgres",
                            format!("making {} traversable: {e}", ancestor.display()),
                        )
                    },
                )?;
            }
            if ancestor == root {
                inside = false;
            }
        } else {
            let ok = mode & 0o001 != 0
                || (meta.uid() == uid && mode & 0o100 != 0)
                || (meta.gid() == gid && mode & 0o010 != 0);
            if !ok {
                return Err(err(
                    "postgres",
                    format!(
                        "{} (mode {mode:o}) is not traversable by the postgres user; \
                         use a root directory elsewhere (e.g. under /tmp)",
                        ancestor.display()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A server's directories, and the user it runs as: the `postgres` user when we are root.
struct Home {
    dir: PathBuf,
    socket_dir: PathBuf,
    data: PathBuf,
    identity: Option<(u32, u32)>,
}

impl Home {
    /// A new server directory under `root` with its socket directory; as root, both are chowned
    /// to the `postgres` user and the directories up to `root` are made traversable.
    fn create(root: &Path) -> Result<Home, ServerError> {
        let identity = pg_identity()?;
        let dir = new_server_dir("postgres", root, "postgres")?;
        let socket_dir = dir.join("socket");
        fs::create_dir(&socket_dir).map_err(|e| {
            err(
                "postgres",
                format!("creating {}: {e}", socket_dir.display()),
            )
        })?;
        if socket_dir.as_os_str().len() + "/.s.PGSQL.65535.lock".len() > 107 {
            return Err(err(
                "postgres",
                format!(
                    "socket dir path {} is too long for a Unix socket; use a shorter root",
                    socket_dir.display()
                ),
            ));
        }
        if let Some((uid, gid)) = identity {
            for d in [&dir, &socket_dir] {
                std::os::unix::fs::chown(d, Some(uid), Some(gid)).map_err(|e| {
                    err(
                        "postgres",
                        format!("chown {} to postgres: {e}", d.display()),
                    )
                })?;
            }
            let root = root
                .canonicalize()
                .map_err(|e| err("postgres", format!("resolving {}: {e}", root.display())))?;
            make_traversable(&dir, &root, uid, gid)?;
        }
        let data = dir.join("data");
        Ok(Home {
            dir,
            socket_dir,
            data,
            identity,
        })
    }

    /// `cmd` runs in the server's directory as the server's user, in the C locale, and without
    /// our PGDATA or PGOPTIONS.
    fn as_pg(&self, cmd: &mut Command) {
        cmd.current_dir(&self.dir)
            .env("LC_ALL", "C")
            .env_remove("PGDATA")
            .env_remove("PGOPTIONS");
        if let Some((uid, gid)) = self.identity {
            cmd.uid(uid).gid(gid);
        }
    }

    /// initdb into the data directory (superuser `postgres`, trust), its output in initdb.log.
    fn initdb(&self, bin_dir: &Path) -> Result<(), ServerError> {
        let initdb_log = self.dir.join("initdb.log");
        let log_file = File::create(&initdb_log).map_err(|e| {
            err(
                "postgres",
                format!("creating {}: {e}", initdb_log.display()),
            )
        })?;
        let log_file2 = log_file
            .try_clone()
            .map_err(|e| err("postgres", format!("opening {}: {e}", initdb_log.display())))?;
        let mut initdb = Command::new(bin_dir.join("initdb"));
        initdb
            .arg("-D")
            .arg(&self.data)
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::from(log_file))
            .stderr(Stdio::from(log_file2));
        self.as_pg(&mut initdb);
        let status = initdb.status().map_err(|e| {
            err(
                "postgres",
                format!("running {}/initdb: {e}", bin_dir.display()),
            )
        })?;
        if !status.success() {
            return Err(err(
                "postgres",
                with_log(&format!("initdb failed ({status})"), &initdb_log),
            ));
        }
        Ok(())
    }

    /// `files` (name, contents) into the data directory, private (0600) and the server's user's.
    fn write_data_files(&self, files: &[(&str, &[u8])]) -> Result<(), ServerError> {
        for (name, contents) in files {
            let path = self.data.join(name);
            fs::write(&path, contents)
                .and_then(|()| fs::set_permissions(&path, fs::Permissions::from_mode(0o600)))
                .map_err(|e| err("postgres", format!("writing {}: {e}", path.display())))?;
            if let Some((uid, gid)) = self.identity {
                std::os::unix::fs::chown(&path, Some(uid), Some(gid))
                    .map_err(|e| err("postgres", format!("chown {}: {e}", path.display())))?;
            }
        }
        Ok(())
    }

    /// `postgres` on 127.0.0.1:`port` and the socket directory, without durability (a test
    /// server), with `settings` as `-c name=value`.
    fn postgres_command(&self, bin_dir: &Path, settings: &[(&str, &str)], port: u16) -> Command {
        let mut cmd = Command::new(bin_dir.join("postgres"));
        cmd.arg("-D")
            .arg(&self.data)
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-p",
                &port.to_string(),
                "-k",
            ])
            .arg(&self.socket_dir)
            .args([
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ]);
        for (name, value) in settings {
            cmd.arg("-c").arg(format!("{name}={value}"));
        }
        self.as_pg(&mut cmd);
        cmd
    }
}

/// Whether `pg_isready` finds the server on `port` accepting connections.
fn is_ready(pg_isready: &Path, port: u16) -> bool {
    Command::new(pg_isready)
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-t",
            "2",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

impl Postgres {
    /// initdb + start `postgres` directly as a child (not pg_ctl). `settings` are extra
    /// `-c name=value` (e.g. `("shared_preload_libraries", "pg_stat_statements")`).
    ///
    /// As root, initdb and postgres run as the `postgres` system user: the server directory is
    /// chowned to it and the directories from it up to `root` are made traversable (0755).
    pub fn start(root: &Path, settings: &[(&str, &str)]) -> Result<Postgres, ServerError> {
        Self::start_with_files(root, settings, &[])
    }

    /// As `start`, with `files` (name, contents) written into the data directory after initdb,
    /// owned by the server's user and private (0600): `server.crt`, `server.key`, `root.crt`
    /// for `ssl=on`, or a `pg_hba.conf` replacing initdb's.
    pub fn start_with_files(
        root: &Path,
        settings: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> Result<Postgres, ServerError> {
        let bin_dir = pg_bin_dir()?;
        let home = Home::create(root)?;
        home.initdb(&bin_dir)?;
        home.write_data_files(files)?;
        let log = home.dir.join("postgres.log");
        let pg_isready = bin_dir.join("pg_isready");
        let (port, process) = start_with_retries(
            "postgres",
            &log,
            libc::SIGINT,
            libc::SIGQUIT,
            |port| home.postgres_command(&bin_dir, settings, port),
            |port| is_ready(&pg_isready, port),
        )?;
        Ok(Postgres {
            port,
            dir: home.dir,
            socket_dir: home.socket_dir,
            bin_dir,
            _process: process,
        })
    }

    /// `postgres://postgres@127.0.0.1:PORT/db`
    pub fn superuser_url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Run `psql -X -v ON_ERROR_STOP=1 -At ... -c sql` as the superuser; returns stdout.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String, ServerError> {
        let out = Command::new(self.bin_dir.join("psql"))
            .args([
                "-X",
                "-v",
                "ON_ERROR_STOP=1",
                "-At",
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
            ])
            .args(["-U", "postgres", "-d", db, "-c", sql])
            .env_remove("PGOPTIONS")
            .env_remove("PGSERVICE")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| err("postgres", format!("could not run psql: {e}")))?;
        if !out.status.success() {
            return Err(err(
                "postgres",
                format!(
                    "could not run SQL with psql ({}): {} (server log: {})",
                    out.status,
                    String::from_utf8_lossy(&out.stderr).trim(),
                    self.dir.join("postgres.log").display()
                ),
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::servers::testing::{tempdir, timed};
    use std::net::TcpStream;
    use std::time::Instant;

    #[test]
    fn postgres_starts_and_answers() {
        let root = tempdir();
        // A closed root (0700) is opened up when PostgreSQL must run as the postgres user.
        fs::set_permissions(root.path(), fs::Permissions::from_mode(0o700)).expect("chmod");
        let pg = timed("postgres", || {
            Postgres::start(
                root.path(),
                &[
                    ("shared_preload_libraries", "pg_stat_statements"),
                    ("max_connections", "50"),
                ],
            )
        });
        assert_eq!(
            pg.psql("postgres", "select 1")
                .expect("psql select 1")
                .trim(),
            "1"
        );
        assert_eq!(
            pg.psql("postgres", "show max_connections")
                .expect("psql show")
                .trim(),
            "50"
        );
        pg.psql("postgres", "create extension pg_stat_statements")
            .expect("create extension");
        assert!(pg
            .superuser_url("app")
            .ends_with(&format!(":{}/app", pg.port)));
        let e = pg
            .psql("postgres", "select * from no_such_table")
            .expect_err("bad SQL must fail");
        assert!(e.to_string().contains("no_such_table"), "{e}");
        // Drop stops it: the port is free again afterwards.
        let port = pg.port;
        let t = Instant::now();
        drop(pg);
        eprintln!("postgres stopped in {:.2} s", t.elapsed().as_secs_f64());
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_err(),
            "postgres still listening after drop"
        );
    }

    #[test]
    fn postgres_failure_quotes_the_log() {
        let root = tempdir();
        let e = Postgres::start(root.path(), &[("no_such_setting", "1")])
            .err()
            .expect("must fail");
        let text = e.to_string();
        assert!(
            text.starts_with("could not start postgres: it exited"),
            "{text}"
        );
        assert!(
            text.contains("postgres.log") && text.contains("no_such_setting"),
            "{text}"
        );
    }

    #[test]
    fn postgres_root_under_a_closed_dir_is_explained() {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return; // only root switches to the postgres user
        }
        // (tempfile 3.27 creates directories with the umask's mode, 0755 here: close it.)
        let outer = tempdir();
        fs::set_permissions(outer.path(), fs::Permissions::from_mode(0o700)).expect("chmod");
        let root = outer.path().join("root");
        let e = Postgres::start(&root, &[]).err().expect("must fail");
        assert!(
            e.to_string()
                .contains("is not traversable by the postgres user"),
            "{e}"
        );
    }
}
