//! A whole sandbox: the four real servers, Kubernetes (a real control plane with the node agent,
//! or the stand-in), and the live PostgreSQL sessions that make the incident (a long query, a
//! lock and its victims, held connections), seeded, with a kubeconfig and a config file pointing
//! incidentctl at all of it.
//!
//! Here the sandbox is started and described; `live_state` makes the incident live in
//! PostgreSQL and Redis (the sessions, locks and memory it needs).

mod live_state;

use crate::bad_rollout;
use crate::kubernetes::agent::Agent;
use crate::kubernetes::{self as k8s, ControlPlane};
use crate::scenario::{self, Fixture, Naming, Scenario, NAMESPACE, PG_PASSWORD};
use crate::servers::{Alertmanager, Postgres, Prometheus, Redis};
use crate::standin::{self, StandIn};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Which Kubernetes API a sandbox runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kubernetes {
    /// kube-apiserver, etcd and kube-controller-manager 1.20.2, with the node agent.
    Real,
    /// The in-process stand-in (`standin`): starts at once, needs no build.
    StandIn,
}

impl std::str::FromStr for Kubernetes {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "real" => Ok(Kubernetes::Real),
            "standin" | "stand-in" => Ok(Kubernetes::StandIn),
            other => Err(format!("unknown Kubernetes '{other}' (real, standin)")),
        }
    }
}

/// The sandbox's Kubernetes API.
pub enum Cluster {
    Real {
        // The agent stops before the control plane it talks to.
        agent: Agent,
        plane: Box<ControlPlane>,
    },
    StandIn(StandIn),
}

impl Cluster {
    pub fn kind(&self) -> Kubernetes {
        match self {
            Cluster::Real { .. } => Kubernetes::Real,
            Cluster::StandIn(_) => Kubernetes::StandIn,
        }
    }

    /// The API server's URL.
    pub fn url(&self) -> String {
        match self {
            Cluster::Real { plane, .. } => plane.url(),
            Cluster::StandIn(s) => s.url(),
        }
    }

    /// A kubeconfig with full rights (the real cluster's admin; the stand-in checks nothing).
    pub fn kubeconfig(&self, context: &str, namespace: &str) -> String {
        match self {
            Cluster::Real { plane, .. } => plane.admin_kubeconfig(context, namespace),
            Cluster::StandIn(s) => s.kubeconfig(context, namespace),
        }
    }

    /// The real control plane, if this is one.
    pub fn real(&self) -> Option<&ControlPlane> {
        match self {
            Cluster::Real { plane, .. } => Some(plane),
            Cluster::StandIn(_) => None,
        }
    }

    /// The stand-in, if this is one.
    pub fn standin(&self) -> Option<&StandIn> {
        match self {
            Cluster::StandIn(s) => Some(s),
            Cluster::Real { .. } => None,
        }
    }

    /// The real pod standing for the scenario's pod of that name (on the stand-in, the same).
    pub fn pod_name(&self, namespace: &str, scenario_pod: &str) -> Option<String> {
        match self {
            Cluster::Real { agent, .. } => agent.real_pod(namespace, scenario_pod),
            Cluster::StandIn(_) => Some(scenario_pod.to_string()),
        }
    }
}

/// A seeded Kubernetes API and nothing else, on a runtime of its own: for tests that need
pub struct StandaloneCluster {
    pub cluster: Cluster,
    pub kubeconfig: PathBuf,
    runtime: tokio::runtime::Runtime,
    dir: tempfile::TempDir,
}

impl StandaloneCluster {
    pub fn start(scenario: Scenario, kubernetes: Kubernetes) -> Result<Self, String> {
        let dir = tempfile::Builder::new()
            .prefix("incidentctl-cluster-")
            .tempdir_in(std::env::temp_dir())
            .map_err(|e| format!("cannot create a temp dir: {e}"))?;
        // Worlds kept in statics are never dropped; their files go when the process exits.
        crate::servers::remove_at_exit(dir.path());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a runtime: {e}"))?;
        let fixture = scenario::kube_fixture(scenario, jiff::Timestamp::now().as_second());
        let cluster = match kubernetes {
            Kubernetes::Real => {
                let plane = ControlPlane::start(dir.path()).map_err(|e| e.to_string())?;
                runtime.block_on(start_real(plane, &fixture))?
            }
            Kubernetes::StandIn => start_standin(&runtime, fixture)?,
        };
        let kubeconfig = dir.path().join("kubeconfig");
        std::fs::write(&kubeconfig, cluster.kubeconfig("sandbox", NAMESPACE))
            .map_err(|e| format!("writing the kubeconfig: {e}"))?;
        Ok(StandaloneCluster {
            cluster,
            kubeconfig,
            runtime,
            dir,
        })
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A request to this cluster's API as its admin (see `World::kube`).
    pub fn kube(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value, String> {
        kube_request(&self.cluster, &self.runtime, method, path, body)
    }

    /// The cluster goes away at once: its API server is killed (or the stand-in stopped), and
    /// every connection to it breaks.
    pub fn take_away(mut self) {
        match &mut self.cluster {
            Cluster::Real { plane, .. } => plane.take_away(),
            Cluster::StandIn(_) => {}
        }
        let StandaloneCluster {
            cluster, runtime, ..
        } = self;
        drop(cluster);
        runtime.shutdown_background();
    }
}

/// A running sandbox. Dropping it stops every server and removes its directory.
pub struct World {
    pub scenario: Scenario,
    pub cluster: Cluster,
    pub slack: crate::slack::SlackStandIn,
    /// Sessions that must stay open for the incident to last (locks, sleeping queries).
    sessions: Vec<tokio::task::JoinHandle<()>>,
    pub postgres: Postgres,
    pub redis: Redis,
    pub prometheus: Prometheus,
    pub alertmanager: Alertmanager,
    pub kubeconfig: PathBuf,
    pub config_file: PathBuf,
    /// The bad rollout's timeline (`Scenario::BadRollout`): when it rolled out, began, recovered.
    pub bad_rollout: Option<std::sync::Arc<crate::bad_rollout::Timeline>>,
    /// The live metrics the bad rollout's Prometheus scrapes.
    exporter: Option<tokio::task::JoinHandle<()>>,
    base_config: BTreeMap<String, Vec<String>>,
    dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

impl Drop for World {
    fn drop(&mut self) {
        for s in &self.sessions {
            s.abort();
        }
        if let Some(e) = &self.exporter {
            e.abort();
        }
    }
}

impl World {
    /// Starts and seeds a sandbox. Takes a few seconds (the incident includes a 2.2 s query).
    pub fn start(scenario: Scenario, kubernetes: Kubernetes) -> Result<World, String> {
        World::start_in(scenario, NAMESPACE, kubernetes)
    }

    /// Starts a sandbox whose Kubernetes objects live in `namespace` instead of the seed's.
    pub fn start_in(
        scenario: Scenario,
        namespace: &str,
        kubernetes: Kubernetes,
    ) -> Result<World, String> {
        World::start_named(scenario, namespace, kubernetes, Naming::Seed)
    }
    /// Starts a sandbox in `namespace` whose app objects are named by `naming`.
    pub fn start_named(
        scenario: Scenario,
        namespace: &str,
        kubernetes: Kubernetes,
        naming: Naming,
    ) -> Result<World, String> {
        let t0 = Instant::now();
        let dir = tempfile::Builder::new()
            .prefix("incidentctl-sandbox-")
            .tempdir_in(std::env::temp_dir())
            .map_err(|e| format!("cannot create a temp dir: {e}"))?;
        // Worlds kept in statics are never dropped; their files go when the process exits.
        crate::servers::remove_at_exit(dir.path());
        let root = dir.path().to_path_buf();
        let now = jiff::Timestamp::now().as_second();
        let incident = scenario.has_incident();

        let prepared = match scenario {
            Scenario::BadRollout => {
                Some(bad_rollout::prepare(now, kubernetes == Kubernetes::Real)?)
            }
            _ => None,
        };
        // The servers start in parallel: PostgreSQL's initdb dominates.
        let metrics = match &prepared {
            Some(b) => bad_rollout::backfill(&b.timeline, namespace),
            None => scenario::openmetrics(scenario, namespace, now),
        };
        let (postgres, redis, prometheus, alertmanager, plane) =
            start_servers(&root, kubernetes, incident, &metrics, prepared.as_ref())?;
        seed_servers(
            &postgres,
            &alertmanager,
            scenario,
            prepared.as_ref(),
            namespace,
            now,
        )?;

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a runtime: {e}"))?;
        let mut fixture = scenario::kube_fixture(scenario, now);
        if namespace != NAMESPACE {
            scenario::move_to_namespace(&mut fixture, namespace);
        }
        if naming == Naming::Team {
            scenario::rename_for_team(&mut fixture);
        }
        let cluster = match plane {
            Some(plane) => runtime
                .block_on(start_real(plane, &fixture))
                .map_err(|e| format!("kubernetes: {e}"))?,
            None => start_standin(&runtime, fixture)?,
        };

        let bad_rollout = prepared.as_ref().map(|b| b.timeline.clone());
        let exporter = match prepared {
            Some(b) => Some(start_exporter(b, &cluster, &runtime, namespace)?),
            None => None,
        };
        let slack = runtime
            .block_on(crate::slack::start(root.join("slack-messages.jsonl")))
            .map_err(|e| format!("slack stand-in: {e}"))?;
        let sessions = live_state::make_incident(&runtime, &postgres, &redis, scenario)?;

        let kubeconfig = root.join("kubeconfig");
        std::fs::write(&kubeconfig, cluster.kubeconfig("sandbox", namespace))
            .map_err(|e| format!("writing the kubeconfig: {e}"))?;
        let config_file = root.join("incidentctl.toml");
        let world = World {
            scenario,
            cluster,
            slack,
            sessions,
            postgres,
            redis,
            prometheus,
            alertmanager,
            kubeconfig,
            config_file,
            bad_rollout,
            exporter,
            base_config: base_config(namespace),
            dir,
            runtime,
        };
        let text = world.config_text(&[]);
        std::fs::write(&world.config_file, text).map_err(|e| format!("writing the config: {e}"))?;
        if std::env::var_os("INCIDENTCTL_SANDBOX_TRACE").is_some() {
            eprintln!("sandbox {:?} ready in {:?}", scenario, t0.elapsed());
        }
        Ok(world)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The runtime hosting the stand-in and the sessions (for tests that add more).
    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.runtime
    }

    /// A request to the Kubernetes API with full rights (the admin on a real cluster): `GET`,
    /// `POST`, `PUT`, `PATCH` (a merge patch), `JSON-PATCH`, `DELETE`; the answer as JSON.
    pub fn kube(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value, String> {
        kube_request(&self.cluster, &self.runtime, method, path, body)
    }

    /// The app user's URL, password included: the way an engineer would configure it.
    pub fn postgres_url(&self) -> String {
        app_postgres_url(&self.postgres)
    }

    /// Environment that points incidentctl at this sandbox.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("KUBECONFIG".into(), self.kubeconfig.display().to_string()),
            (
                "INCIDENTCTL_CONFIG".into(),
                self.config_file.display().to_string(),
            ),
            ("INCIDENTCTL_POSTGRES_URL".into(), self.postgres_url()),
            ("INCIDENTCTL_REDIS_URL".into(), self.redis.url()),
            ("INCIDENTCTL_PROMETHEUS_URL".into(), self.prometheus.url()),
            (
                "INCIDENTCTL_ALERTMANAGER_URL".into(),
                self.alertmanager.url(),
            ),
            ("SLACK_WEBHOOK_URL".into(), self.slack.webhook_url()),
            (
                "INCIDENTCTL_REPORT_STORE".into(),
                self.dir.path().join("incidents").display().to_string(),
            ),
            (
                "INCIDENTCTL_AUDIT_LOG".into(),
                self.dir.path().join("audit.jsonl").display().to_string(),
            ),
        ]
    }

    /// The sandbox's config with extra `(section, "key = value")` lines; `""` is the top level.
    pub fn config_text(&self, extra: &[(&str, &str)]) -> String {
        let mut sections = self.base_config.clone();
        for (section, line) in extra {
            sections
                .entry(section.to_string())
                .or_default()
                .push(line.to_string());
        }
        let mut text = String::from("# Written by incidentctl-sandbox.\n");
        if let Some(top) = sections.remove("") {
            for line in top {
                text.push_str(&format!("{line}\n"));
            }
        }
        for (section, lines) in sections {
            text.push_str(&format!("\n[{section}]\n"));
            for line in lines {
                text.push_str(&format!("{line}\n"));
            }
        }
        text
    }

    /// Writes a config file of the sandbox's settings plus `extra`, returning its path.
    pub fn write_config(&self, name: &str, extra: &[(&str, &str)]) -> Result<PathBuf, String> {
        let path = self.dir.path().join(name);
        std::fs::write(&path, self.config_text(extra))
            .map_err(|e| format!("writing {name}: {e}"))?;
        Ok(path)
    }
}

/// The four servers and the control plane, when it is the real one.
type Servers = (
    Postgres,
    Redis,
    Prometheus,
    Alertmanager,
    Option<ControlPlane>,
);

/// The four servers and the control plane, started in parallel (PostgreSQL's initdb dominates).
fn start_servers(
    root: &Path,
    kubernetes: Kubernetes,
    incident: bool,
    metrics: &str,
    prepared: Option<&bad_rollout::Prepared>,
) -> Result<Servers, String> {
    std::thread::scope(|s| {
        let plane = s.spawn(|| match kubernetes {
            Kubernetes::Real => ControlPlane::start(root).map(Some),
            Kubernetes::StandIn => Ok(None),
        });
        let pg = s.spawn(|| {
            let max_connections = if incident { "25" } else { "100" };
            Postgres::start(
                root,
                &[
                    ("shared_preload_libraries", "pg_stat_statements"),
                    ("max_connections", max_connections),
                ],
            )
        });
        let redis = s.spawn(|| {
            let args: &[&str] = if incident {
                &["--maxmemory", "8mb", "--maxmemory-policy", "noeviction"]
            } else {
                &["--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"]
            };
            Redis::start(root, args)
        });
        let prom = s.spawn(|| match &prepared {
            Some(b) => Prometheus::start_backfilled_scraping(root, metrics, &b.scrape_config()),
            None => Prometheus::start(root, Some(metrics)),
        });
        let am = s.spawn(|| Alertmanager::start(root));
        Ok::<_, String>((
            joined(pg.join())?,
            joined(redis.join())?,
            joined(prom.join())?,
            joined(am.join())?,
            joined(plane.join())?,
        ))
    })
}

/// The node agent on the control plane, then the scenario written through the API.
async fn start_real(plane: ControlPlane, fixture: &Fixture) -> Result<Cluster, String> {
    let client = plane.admin_client().await?;
    let (objects, script) = k8s::seed::script(fixture);
    let expected: usize = script.pods.values().map(Vec::len).sum();
    let agent = Agent::start(client.clone(), script).await?;
    k8s::seed::seed(&client, &objects, &agent, expected).await?;
    Ok(Cluster::Real {
        agent,
        plane: Box::new(plane),
    })
}

/// The app's database and the incident's alerts: the scenario's SQL, passwords required from
/// here on, and the alerts posted to Alertmanager.
fn seed_servers(
    postgres: &Postgres,
    alertmanager: &Alertmanager,
    scenario: Scenario,
    prepared: Option<&bad_rollout::Prepared>,
    namespace: &str,
    now: i64,
) -> Result<(), String> {
    for (db, sql) in scenario::database_setup(scenario) {
        postgres.psql(db, &sql).map_err(|e| e.to_string())?;
    }
    live_state::require_passwords(postgres)?;
    let alerts = match prepared {
        Some(b) => bad_rollout::alerts(&b.timeline, namespace),
        None => scenario::alerts(scenario, now),
    };
    alertmanager
        .post_alerts(&alerts.to_string())
        .map_err(|e| e.to_string())
}

/// The stand-in serving `fixture` on a free port, on `runtime`.
fn start_standin(runtime: &tokio::runtime::Runtime, fixture: Fixture) -> Result<Cluster, String> {
    let standin = runtime
        .block_on(standin::start(
            fixture,
            SocketAddr::from(([127, 0, 0, 1], 0)),
        ))
        .map_err(|e| format!("kubernetes stand-in: {e}"))?;
    Ok(Cluster::StandIn(standin))
}

/// The bad rollout's live metrics, scraped by its Prometheus, and its rollout in the cluster.
fn start_exporter(
    prepared: bad_rollout::Prepared,
    cluster: &Cluster,
    runtime: &tokio::runtime::Runtime,
    namespace: &str,
) -> Result<tokio::task::JoinHandle<()>, String> {
    let kube = |method: &str, path: &str, body: Option<&serde_json::Value>| {
        kube_request(cluster, runtime, method, path, body)
    };
    let text = cluster.kubeconfig("sandbox", namespace);
    let etcd = cluster.real().map(|p| p.etcd_port).unwrap_or_default();
    prepared.start(runtime, &text, &kube, etcd, namespace)
}

/// The sandbox's settings for incidentctl, by section (`""` is the top level).
fn base_config(namespace: &str) -> BTreeMap<String, Vec<String>> {
    let mut base_config = BTreeMap::new();
    // The sandbox's long-running query is seconds old when diagnose first runs, so the limit
    // is 1s here; the runbook's (and the default) is 5 minutes.
    base_config.insert(
        "postgres".to_string(),
        vec!["long_query_warning = \"1s\"".to_string()],
    );
    // Likewise the session holding the accounts lock has been idle in its transaction for
    // seconds, not the minutes it would be in a real incident: any idle time counts here.
    base_config.insert(
        "thresholds".to_string(),
        vec!["idle_in_transaction = { warning = 0.0, critical = 3600.0 }".to_string()],
    );
    if namespace != NAMESPACE {
        base_config.insert(String::new(), vec![format!("namespace = \"{namespace}\"")]);
    }
    base_config
}

fn joined<T>(
    result: std::thread::Result<Result<T, crate::servers::ServerError>>,
) -> Result<T, String> {
    result
        .map_err(|_| "a server start-up thread panicked".to_string())?
        .map_err(|e| e.to_string())
}

fn app_postgres_url(pg: &Postgres) -> String {
    format!(
        "postgres://reconciliation_user:{PG_PASSWORD}@127.0.0.1:{}/reconciliation_app",
        pg.port
    )
}

/// A request to a cluster's API as its admin (see `World::kube`).
fn kube_request(
    cluster: &Cluster,
    runtime: &tokio::runtime::Runtime,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> Result<serde_json::Value, String> {
    let text = cluster.kubeconfig("sandbox", NAMESPACE);
    runtime.block_on(async {
        let client = k8s::client_from_kubeconfig(&text).await?;
        // `JSON-PATCH` is PATCH with a JSON patch (a list of operations).
        let (verb, content_type) = match method {
            "PATCH" => ("PATCH", "application/merge-patch+json"),
            "JSON-PATCH" => ("PATCH", "application/json-patch+json"),
            other => (other, "application/json"),
        };
        let builder = http::Request::builder()
            .method(verb)
            .uri(path)
            .header(http::header::CONTENT_TYPE, content_type);
        let request = builder
            .body(body.map(|b| b.to_string().into_bytes()).unwrap_or_default())
            .map_err(|e| e.to_string())?;
        client
            .request::<serde_json::Value>(request)
            .await
            .map_err(|e| format!("{method} {path}: {e}"))
    })
}
