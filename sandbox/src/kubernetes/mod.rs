//! A real Kubernetes control plane for the sandbox and the tests: etcd (Debian's etcd-server),
//! kube-apiserver and kube-controller-manager 1.20.2 built from Debian's source package by
//! `scripts/build-kubernetes.sh`, with TLS, RBAC, client-certificate and token users.
//!
//! There is no kubelet and no scheduler: the [`agent`] plays both (it binds pods to nodes, writes
//! their statuses as a kubelet would, finishes their deletion, and serves their logs and the
//! metrics.k8s.io API through the real API server). [`seed`] writes a scenario through the API.

pub mod agent;
pub mod pki;
pub mod seed;

use crate::servers::{self, ServerError, ServerProcess};
use base64::Engine;
use pki::{ClientCert, Pki};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The Kubernetes version the build script makes.
pub const VERSION: &str = "1.20.2";
/// The bearer token of the `admin` user (group `system:masters`).
const ADMIN_TOKEN: &str = "sandbox-admin-token";

/// Users known by bearer token, besides client certificates: `(token, user)`. The tests bind
/// roles to them; none has any permission until bound.
pub const TOKEN_USERS: &[(&str, &str)] = &[
    ("sandbox-oncall-token", "oncall"),
    ("sandbox-cron-token", "cron"),
];

/// Where `scripts/build-kubernetes.sh` put the binaries.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("INCIDENTCTL_KUBERNETES_DIR") {
        return PathBuf::from(dir).join("bin");
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from("/root/.cache"));
    cache
        .join("incidentctl")
        .join(format!("kubernetes-{VERSION}"))
        .join("bin")
}

fn binary(name: &str) -> Result<PathBuf, ServerError> {
    let path = bin_dir().join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(servers::err(
            "kubernetes",
            format!(
                "{} not found: run scripts/install-deps.sh (it builds kube-apiserver and kube-controller-manager {VERSION} once per machine; INCIDENTCTL_KUBERNETES_DIR points elsewhere)",
                path.display()
            ),
        ))
    }
}

/// A running control plane. Dropping it stops every process.
pub struct ControlPlane {
    pub port: u16,
    pub dir: PathBuf,
    pub pki: Pki,
    /// etcd's client port (the sandbox dates history back there, as a running cluster has it).
    pub etcd_port: u16,
    admin: ClientCert,
    // Stopped in reverse order of start: controllers, then the API server, then etcd.
    controller_manager: Option<ServerProcess>,
    apiserver: Option<ServerProcess>,
    _etcd: ServerProcess,
}

impl ControlPlane {
    /// Starts etcd, the API server and the controller manager in a new directory under `root`.
    /// Takes a few seconds; fails (never skips) with the reason and the log's last lines.
    pub fn start(root: &Path) -> Result<ControlPlane, ServerError> {
        let apiserver_bin = binary("kube-apiserver")?;
        let controller_bin = binary("kube-controller-manager")?;
        let dir = servers::new_server_dir("kubernetes", root, "kubernetes")?;
        let pki = Pki::generate(&dir).map_err(|e| servers::err("kubernetes", e))?;
        let admin = pki
            .client("admin", &["system:masters"])
            .map_err(|e| servers::err("kubernetes", e))?;
        let (etcd_port, etcd) = start_etcd(&dir)?;
        let (port, apiserver) = start_apiserver(&dir, &apiserver_bin, &pki, &admin, etcd_port)?;
        let admin_kubeconfig = dir.join("admin.kubeconfig");
        let text = kubeconfig_text(
            &format!("https://127.0.0.1:{port}"),
            &pki.ca_pem,
            "sandbox",
            "default",
            &Credential::Certificate(admin.clone()),
        );
        servers::write_file("kubernetes", &admin_kubeconfig, &text)?;
        let controller_manager =
            start_controller_manager(&dir, &controller_bin, &pki, &admin_kubeconfig)?;
        Ok(ControlPlane {
            port,
            dir,
            pki,
            etcd_port,
            admin,
            controller_manager: Some(controller_manager),
            apiserver: Some(apiserver),
            _etcd: etcd,
        })
    }

    /// `https://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// A kubeconfig for the cluster-admin (client certificate in group system:masters).
    pub fn admin_kubeconfig(&self, context: &str, namespace: &str) -> String {
        kubeconfig_text(
            &self.url(),
            &self.pki.ca_pem,
            context,
            namespace,
            &Credential::Certificate(self.admin.clone()),
        )
    }

    /// A kubeconfig for `user` in `groups`, by a client certificate signed now.
    pub fn user_kubeconfig(
        &self,
        user: &str,
        groups: &[&str],
        context: &str,
        namespace: &str,
    ) -> Result<String, String> {
        let cert = self.pki.client(user, groups)?;
        Ok(kubeconfig_text(
            &self.url(),
            &self.pki.ca_pem,
            context,
            namespace,
            &Credential::Certificate(cert),
        ))
    }

    /// A kubeconfig for one of [`TOKEN_USERS`], by bearer token.
    pub fn token_kubeconfig(&self, token: &str, context: &str, namespace: &str) -> String {
        kubeconfig_text(
            &self.url(),
            &self.pki.ca_pem,
            context,
            namespace,
            &Credential::Token(token.to_string()),
        )
    }

    /// A client for the cluster-admin, on the current tokio runtime.
    pub async fn admin_client(&self) -> Result<kube::Client, String> {
        client_from_kubeconfig(&self.admin_kubeconfig("sandbox", "default")).await
    }

    /// Kills the API server (and the controllers that need it) at once: clients now get
    /// "connection refused", as when a cluster goes away in the middle of a command.
    pub fn take_away(&mut self) {
        if let Some(mut p) = self.apiserver.take() {
            p.kill();
        }
        if let Some(mut p) = self.controller_manager.take() {
            p.kill();
        }
    }
}

impl Drop for ControlPlane {
    fn drop(&mut self) {
        if let Some(mut p) = self.controller_manager.take() {
            p.stop();
        }
        if let Some(mut p) = self.apiserver.take() {
            p.stop();
        }
        // etcd's data lives in memory (/dev/shm) when it can: remove it with the server.
        let _ = std::fs::remove_dir_all(shm_dir(&self.dir));
    }
}

/// etcd on a free client port (its data in memory when it can be), ready once `/health` says so.
fn start_etcd(dir: &Path) -> Result<(u16, ServerProcess), ServerError> {
    let etcd_data = etcd_data_dir(dir)?;
    let etcd_log = dir.join("etcd.log");
    servers::start_with_retries(
        "etcd",
        &etcd_log,
        libc::SIGTERM,
        libc::SIGKILL,
        |port| {
            let peer = servers::free_port();
            let mut cmd = Command::new("etcd");
            cmd.arg("--data-dir")
                .arg(&etcd_data)
                .arg(format!("--listen-client-urls=http://127.0.0.1:{port}"))
                .arg(format!("--advertise-client-urls=http://127.0.0.1:{port}"))
                .arg(format!("--listen-peer-urls=http://127.0.0.1:{peer}"))
                .arg(format!(
                    "--initial-advertise-peer-urls=http://127.0.0.1:{peer}"
                ))
                .arg(format!("--initial-cluster=default=http://127.0.0.1:{peer}"))
                .arg("--log-level=warn")
                .current_dir(dir);
            cmd
        },
        |port| {
            matches!(
                servers::http_request(port, "GET", "/health", None, Duration::from_secs(2)),
                Ok((200, body)) if body.contains("true")
            )
        },
    )
}

/// kube-apiserver on etcd at `etcd_port`: TLS, RBAC, the token users of `tokens.csv`; ready
/// once `/readyz` answers the admin.
fn start_apiserver(
    dir: &Path,
    apiserver_bin: &Path,
    pki: &Pki,
    admin: &ClientCert,
    etcd_port: u16,
) -> Result<(u16, ServerProcess), ServerError> {
    let tokens = dir.join("tokens.csv");
    let mut lines = format!("{ADMIN_TOKEN},admin,admin,\"system:masters\"\n");
    for (token, user) in TOKEN_USERS {
        lines.push_str(&format!("{token},{user},{user}\n"));
    }
    servers::write_file("kubernetes", &tokens, &lines)?;
    let apiserver_log = dir.join("kube-apiserver.log");
    servers::start_with_retries(
        "kube-apiserver",
        &apiserver_log,
        libc::SIGTERM,
        libc::SIGKILL,
        |port| {
            let mut cmd = Command::new(apiserver_bin);
            cmd.arg(format!("--etcd-servers=http://127.0.0.1:{etcd_port}"))
                .arg("--bind-address=127.0.0.1")
                .arg("--advertise-address=127.0.0.1")
                .arg(format!("--secure-port={port}"))
                .arg("--insecure-port=0")
                .arg(arg_path("--tls-cert-file", &pki.server_cert))
                .arg(arg_path("--tls-private-key-file", &pki.server_key))
                .arg(arg_path("--client-ca-file", &pki.ca_file))
                .arg(arg_path(
                    "--service-account-key-file",
                    &pki.service_account_pub,
                ))
                .arg(arg_path(
                    "--service-account-signing-key-file",
                    &pki.service_account_key,
                ))
                .arg("--service-account-issuer=https://kubernetes.default.svc")
                .arg("--api-audiences=https://kubernetes.default.svc")
                .arg("--service-cluster-ip-range=10.96.0.0/16")
                .arg(arg_path("--token-auth-file", &tokens))
                .arg("--authorization-mode=RBAC")
                // Pods have no service-account token to mount: no kubelet would mount it.
                .arg("--disable-admission-plugins=ServiceAccount")
                // The node agent is the kubelet: reached on the node's InternalIP, its
                // self-signed certificate not checked (no --kubelet-certificate-authority).
                .arg("--kubelet-preferred-address-types=InternalIP")
                .arg("--endpoint-reconciler-type=none")
                .arg("--event-ttl=2h")
                .current_dir(dir);
            cmd
        },
        |port| ready(port, &pki.ca_pem, admin),
    )
}

/// kube-controller-manager as the admin, every controller but the node lifecycle's.
fn start_controller_manager(
    dir: &Path,
    controller_bin: &Path,
    pki: &Pki,
    admin_kubeconfig: &Path,
) -> Result<ServerProcess, ServerError> {
    let controller_log = dir.join("kube-controller-manager.log");
    let mut cmd = Command::new(controller_bin);
    cmd.arg(arg_path("--kubeconfig", admin_kubeconfig))
        .arg("--bind-address=127.0.0.1")
        .arg("--secure-port=0")
        .arg("--port=0")
        .arg(arg_path(
            "--service-account-private-key-file",
            &pki.service_account_key,
        ))
        .arg(arg_path("--root-ca-file", &pki.ca_file))
        .arg("--leader-elect=false")
        // No node heartbeats here: the node lifecycle controller would evict every pod.
        .arg("--controllers=*,-nodelifecycle")
        // The benchmark's deployments of 20,000 replicas: the default 20 requests a second
        // would take the ReplicaSet controller a quarter of an hour to create them.
        .arg("--kube-api-qps=500")
        .arg("--kube-api-burst=1000")
        .current_dir(dir);
    ServerProcess::spawn(
        "kube-controller-manager",
        &mut cmd,
        &controller_log,
        libc::SIGTERM,
        libc::SIGKILL,
    )
}

fn arg_path(flag: &str, path: &Path) -> String {
    format!("{flag}={}", path.display())
}

/// etcd fsyncs every write; in memory (/dev/shm) seeding thousands of objects takes seconds,
/// not minutes. Falls back to the server directory.
fn shm_dir(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Path::new("/dev/shm").join(format!(
        "incidentctl-etcd-{}-{name}-{}",
        std::process::id(),
        dir.as_os_str().len()
    ))
}

fn etcd_data_dir(dir: &Path) -> Result<PathBuf, ServerError> {
    let shm = shm_dir(dir);
    if std::fs::create_dir_all(&shm).is_ok() {
        // A control plane kept in a static is never dropped: remove its data at exit anyway.
        crate::servers::remove_at_exit(&shm);
        return Ok(shm.join("data"));
    }
    Ok(dir.join("etcd-data"))
}

/// How a kubeconfig user proves who it is.
pub enum Credential {
    Certificate(ClientCert),
    Token(String),
}

/// A kubeconfig with one cluster, one user and one context (also the current one).
pub fn kubeconfig_text(
    server: &str,
    ca_pem: &str,
    context: &str,
    namespace: &str,
    credential: &Credential,
) -> String {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
    let user = match credential {
        Credential::Certificate(c) => format!(
            "    client-certificate-data: {}\n    client-key-data: {}\n",
            b64(&c.cert_pem),
            b64(&c.key_pem)
        ),
        Credential::Token(t) => format!("    token: {t}\n"),
    };
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: {context}\n  cluster:\n    server: {server}\n    certificate-authority-data: {}\nusers:\n- name: {context}\n  user:\n{user}contexts:\n- name: {context}\n  context:\n    cluster: {context}\n    user: {context}\n    namespace: {namespace}\ncurrent-context: {context}\n",
        b64(ca_pem)
    )
}

/// A kube client from kubeconfig text (YAML).
pub async fn client_from_kubeconfig(text: &str) -> Result<kube::Client, String> {
    // Two rustls back-ends are compiled in; say which, or building a TLS client panics.
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let config = kube::config::Kubeconfig::from_yaml(text).map_err(|e| e.to_string())?;
    let config =
        kube::Config::from_custom_kubeconfig(config, &kube::config::KubeConfigOptions::default())
            .await
            .map_err(|e| e.to_string())?;
    kube::Client::try_from(config).map_err(|e| e.to_string())
}

/// `/readyz` answers `ok` to the admin.
fn ready(port: u16, ca_pem: &str, admin: &ClientCert) -> bool {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return false;
    };
    rt.block_on(async {
        let Ok(ca) = reqwest::Certificate::from_pem(ca_pem.as_bytes()) else {
            return false;
        };
        let identity = format!("{}{}", admin.cert_pem, admin.key_pem);
        let Ok(identity) = reqwest::Identity::from_pem(identity.as_bytes()) else {
            return false;
        };
        let Ok(client) = reqwest::Client::builder()
            .add_root_certificate(ca)
            .identity(identity)
            .timeout(Duration::from_secs(2))
            .build()
        else {
            return false;
        };
        match client
            .get(format!("https://127.0.0.1:{port}/readyz"))
            .send()
            .await
        {
            Ok(r) => r.status().is_success(),
            Err(_) => false,
        }
    })
}

/// Waits until `probe` holds, for at most `timeout`.
pub async fn eventually<F, Fut>(timeout: Duration, mut probe: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if probe().await {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
