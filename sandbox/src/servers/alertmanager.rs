//! Alertmanager from Debian's packages, with one `null` receiver and clustering off.

use super::http::{http_ready, http_request};
use super::process::start_with_retries;
use super::{err, log_says, new_server_dir, write_file, ServerError, ServerProcess};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// An Alertmanager on 127.0.0.1 with a single `null` receiver and clustering off.
pub struct Alertmanager {
    pub port: u16,
    pub dir: PathBuf,
    _process: ServerProcess,
}

fn alertmanager_binary() -> PathBuf {
    let debian = PathBuf::from("/usr/bin/prometheus-alertmanager");
    if debian.is_file() {
        debian
    } else {
        PathBuf::from("alertmanager")
    }
}

impl Alertmanager {
    pub fn start(root: &Path) -> Result<Alertmanager, ServerError> {
        Self::start_with_web_config(root, None)
    }

    /// As `start`, with a `--web.config.file` (TLS, basic auth) holding `web_config`.
    pub fn start_with_web_config(
        root: &Path,
        web_config: Option<&str>,
    ) -> Result<Alertmanager, ServerError> {
        let dir = new_server_dir("alertmanager", root, "alertmanager")?;
        let web_file = dir.join("web.yml");
        if let Some(text) = web_config {
            write_file("alertmanager", &web_file, text)?;
        }
        let data = dir.join("data");
        fs::create_dir(&data)
            .map_err(|e| err("alertmanager", format!("creating {}: {e}", data.display())))?;
        let config = dir.join("alertmanager.yml");
        write_file(
            "alertmanager",
            &config,
            "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n",
        )?;
        let log = dir.join("alertmanager.log");
        let binary = alertmanager_binary();
        let (port, process) = start_with_retries(
            "alertmanager",
            &log,
            libc::SIGTERM,
            libc::SIGKILL,
            |port| {
                let mut cmd = Command::new(&binary);
                cmd.arg(format!("--config.file={}", config.display()))
                    .arg(format!("--storage.path={}", data.display()))
                    .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                    .arg("--cluster.listen-address=")
                    .current_dir(&dir);
                if web_config.is_some() {
                    cmd.arg(format!("--web.config.file={}", web_file.display()));
                }
                cmd
            },
            |port| match web_config {
                None => http_ready(port),
                Some(_) => log_says(&log, "Listening on"),
            },
        )?;
        Ok(Alertmanager {
            port,
            dir,
            _process: process,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The body of a GET of `path` (`/api/v2/silences`), read from the server itself, so that a
    /// test can check what a command did without asking the command.
    pub fn get(&self, path: &str) -> Result<String, ServerError> {
        let (status, body) = http_request(self.port, "GET", path, None, Duration::from_secs(10))
            .map_err(|e| err("alertmanager", format!("could not GET {path}: {e}")))?;
        if status != 200 {
            return Err(err(
                "alertmanager",
                format!("could not GET {path}: HTTP {status}: {}", body.trim()),
            ));
        }
        Ok(body)
    }

    /// POST a JSON array of alerts to `/api/v2/alerts`; anything but 200 is an error.
    /// Give each alert both `startsAt` and `endsAt`.
    pub fn post_alerts(&self, alerts_json: &str) -> Result<(), ServerError> {
        let (status, body) = http_request(
            self.port,
            "POST",
            "/api/v2/alerts",
            Some(alerts_json),
            Duration::from_secs(10),
        )
        .map_err(|e| {
            err(
                "alertmanager",
                format!("could not POST /api/v2/alerts: {e}"),
            )
        })?;
        if status != 200 {
            return Err(err(
                "alertmanager",
                format!(
                    "could not POST /api/v2/alerts: HTTP {status}: {}",
                    body.trim()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::servers::testing::{tempdir, timed};
    use std::thread::sleep;

    #[test]
    fn alertmanager_starts_and_takes_alerts() {
        let root = tempdir();
        let am = timed("alertmanager", || Alertmanager::start(root.path()));
        let now = jiff::Timestamp::now();
        let starts = now
            .checked_sub(jiff::SignedDuration::from_secs(60))
            .expect("time");
        let ends = now
            .checked_add(jiff::SignedDuration::from_secs(3600))
            .expect("time");
        let alerts = format!(
            r#"[{{"labels":{{"alertname":"SandboxTestAlert","severity":"critical"}},"annotations":{{"summary":"test"}},"startsAt":"{starts}","endsAt":"{ends}"}}]"#
        );
        am.post_alerts(&alerts).expect("post alerts");
        let mut last = String::new();
        for _ in 0..40 {
            let (status, body) = http_request(
                am.port,
                "GET",
                "/api/v2/alerts",
                None,
                Duration::from_secs(5),
            )
            .expect("GET alerts");
            assert_eq!(status, 200);
            if body.contains("SandboxTestAlert") {
                return;
            }
            last = body;
            sleep(Duration::from_millis(50));
        }
        panic!("posted alert not listed: {last}");
    }

    #[test]
    fn alertmanager_rejects_bad_alerts() {
        let root = tempdir();
        let am = Alertmanager::start(root.path()).unwrap_or_else(|e| panic!("{e}"));
        let e = am.post_alerts("{not json").expect_err("must fail");
        assert!(e.to_string().contains("HTTP 400"), "{e}");
    }
}
