//! Prometheus from Debian's packages: scraping nothing (history backfilled with promtool) or
//! the targets it is given.

use super::http::http_ready;
use super::process::start_with_retries;
use super::{err, log_says, new_server_dir, write_file, ServerError, ServerProcess};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A Prometheus server on 127.0.0.1 that scrapes nothing.
pub struct Prometheus {
    pub port: u16,
    pub dir: PathBuf,
    _process: ServerProcess,
}

impl Prometheus {
    /// If `openmetrics` is Some, it is written to a file and loaded with `promtool tsdb
    /// create-blocks-from openmetrics FILE DATA_DIR` before Prometheus starts on DATA_DIR.
    pub fn start(root: &Path, openmetrics: Option<&str>) -> Result<Prometheus, ServerError> {
        Self::start_with_web_config(root, openmetrics, None)
    }

    /// As `start`, with its own `prometheus.yml` (scrape jobs).
    pub fn start_backfilled_scraping(
        root: &Path,
        openmetrics: &str,
        config: &str,
    ) -> Result<Prometheus, ServerError> {
        Self::start_configured(root, Some(openmetrics), None, config)
    }

    /// As `start`, with a `--web.config.file` (TLS, basic auth) holding `web_config`.
    pub fn start_with_web_config(
        root: &Path,
        openmetrics: Option<&str>,
        web_config: Option<&str>,
    ) -> Result<Prometheus, ServerError> {
        let config = "global:\n  scrape_interval: 15s\nscrape_configs: []\n";
        Self::start_configured(root, openmetrics, web_config, config)
    }

    /// A Prometheus that scrapes `targets` (`127.0.0.1:PORT`, serving `/metrics`) every second:
    /// for a test whose metric must change while a command runs (a queue that drains).
    pub fn start_scraping(root: &Path, targets: &[String]) -> Result<Prometheus, ServerError> {
        let quoted: Vec<String> = targets.iter().map(|t| format!("'{t}'")).collect();
        let config = format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: [{}]\n",
            quoted.join(", ")
        );
        Self::start_configured(root, None, None, &config)
    }

    fn start_configured(
        root: &Path,
        openmetrics: Option<&str>,
        web_config: Option<&str>,
        config_text: &str,
    ) -> Result<Prometheus, ServerError> {
        let dir = new_server_dir("prometheus", root, "prometheus")?;
        let web_file = dir.join("web.yml");
        if let Some(text) = web_config {
            write_file("prometheus", &web_file, text)?;
        }
        let data = dir.join("data");
        fs::create_dir(&data)
            .map_err(|e| err("prometheus", format!("creating {}: {e}", data.display())))?;
        let config = dir.join("prometheus.yml");
        write_file("prometheus", &config, config_text)?;

        if let Some(text) = openmetrics {
            let input = dir.join("history.om");
            write_file("prometheus", &input, text)?;
            let out = Command::new("promtool")
                .args(["tsdb", "create-blocks-from", "openmetrics"])
                .arg(&input)
                .arg(&data)
                .current_dir(&dir)
                .stdin(Stdio::null())
                .output()
                .map_err(|e| err("prometheus", format!("running promtool: {e}")))?;
            let promtool_log = dir.join("promtool.log");
            let _ = fs::write(&promtool_log, [&out.stdout[..], &out.stderr[..]].concat());
            if !out.status.success() {
                return Err(err(
                    "prometheus",
                    format!(
                        "promtool tsdb create-blocks-from openmetrics {} failed ({}): {}",
                        input.display(),
                        out.status,
                        String::from_utf8_lossy(&out.stderr).trim()
                    ),
                ));
            }
        }

        let log = dir.join("prometheus.log");
        let (port, process) = start_with_retries(
            "prometheus",
            &log,
            libc::SIGTERM,
            libc::SIGKILL,
            |port| {
                let mut cmd = Command::new("prometheus");
                cmd.arg(format!("--config.file={}", config.display()))
                    .arg(format!("--storage.tsdb.path={}", data.display()))
                    .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                    .arg("--storage.tsdb.retention.time=30d")
                    .current_dir(&dir);
                if web_config.is_some() {
                    cmd.arg(format!("--web.config.file={}", web_file.display()));
                }
                cmd
            },
            |port| match web_config {
                None => http_ready(port),
                Some(_) => log_says(&log, "Server is ready to receive web requests"),
            },
        )?;
        Ok(Prometheus {
            port,
            dir,
            _process: process,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::servers::http::http_request;
    use crate::servers::testing::{tempdir, timed};
    use std::time::Duration;

    #[test]
    fn prometheus_starts_and_answers() {
        let root = tempdir();
        let prom = timed("prometheus", || Prometheus::start(root.path(), None));
        let (status, _) = http_request(prom.port, "GET", "/-/ready", None, Duration::from_secs(5))
            .expect("GET /-/ready");
        assert_eq!(status, 200);
    }

    #[test]
    fn prometheus_loads_openmetrics_history() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs();
        let mut om = String::from("# HELP demo A demo counter.\n# TYPE demo counter\n");
        let mut value = 0;
        let mut ts = now - 600;
        while ts <= now + 600 {
            value += 1;
            om.push_str(&format!("demo_total{{job=\"demo\"}} {value} {ts}\n"));
            ts += 15;
        }
        om.push_str("# EOF\n");
        let root = tempdir();
        let prom = timed("prometheus (with history)", || {
            Prometheus::start(root.path(), Some(&om))
        });
        let (status, body) = http_request(
            prom.port,
            "GET",
            "/api/v1/query?query=demo_total",
            None,
            Duration::from_secs(5),
        )
        .expect("query");
        assert_eq!(status, 200, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("JSON answer");
        let result = json["data"]["result"].as_array().expect("result array");
        assert_eq!(result.len(), 1, "{body}");
        let v: f64 = result[0]["value"][1]
            .as_str()
            .expect("value")
            .parse()
            .expect("number");
        assert!((39.0..=42.0).contains(&v), "unexpected value {v}: {body}");
    }

    #[test]
    fn prometheus_rejects_bad_openmetrics() {
        let root = tempdir();
        let e = Prometheus::start(root.path(), Some("this is not openmetrics\n"))
            .err()
            .expect("must fail");
        assert!(e.to_string().contains("promtool"), "{e}");
    }
}
