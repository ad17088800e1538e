//! The Kubernetes client's configuration, found as kubectl finds it — KUBECONFIG's files merged
//! (the first to set a value wins), else ~/.kube/config, else the pod's service account — but
//! read through the bounded reader: kube's own loaders read each file whole, `/dev/zero` or a
//! FIFO forever. The files the chosen context names (CA, client certificate and key, token
//! file) are read the same way and put into the configuration inline, so that kube reads no
//! file itself; the text is parsed by kube (`Kubeconfig::from_yaml`).

use crate::clients::tls::{check_pem, PemHolds};
use crate::files::bounded::{self, Input, InputError};
use crate::types::CheckError;
use kube::config::{KubeConfigOptions, Kubeconfig};
use std::path::{Path, PathBuf};

/// Why no client configuration could be made.
#[derive(Debug, Clone)]
pub enum Failure {
    /// A file could not be read.
    Input(InputError),
    /// A kubeconfig is not one (its path, what the parser said).
    Parse(PathBuf, String),
    /// Nothing to read: no KUBECONFIG, no ~/.kube/config, not in a pod.
    Nowhere,
    /// What kube said of the configuration (a context that does not exist, a bad URL).
    Invalid(String),
    /// A file the kubeconfig names is not the PEM file it should be: the field, the path, why.
    Pem(String, PathBuf, String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Failure::Input(e) => write!(f, "{e}"),
            Failure::Parse(path, e) => write!(f, "kubeconfig {}: not a kubeconfig: {e}", path.display()),
            Failure::Nowhere => f.write_str(
                "no Kubernetes configuration: KUBECONFIG is not set, ~/.kube/config does not exist, and this is not a pod",
            ),
            Failure::Invalid(e) => write!(f, "kubeconfig: {e}"),
            Failure::Pem(key, path, why) => write!(f, "{key}: {}: {why}", path.display()),
        }
    }
}

impl Failure {
    pub fn hint(&self) -> String {
        match self {
            Failure::Input(e) => e.hint(),
            Failure::Parse(..) => "check it with `kubectl config view`".into(),
            Failure::Nowhere => "set KUBECONFIG or create ~/.kube/config (as for kubectl)".into(),
            Failure::Invalid(_) => "check --context against `kubectl config get-contexts`".into(),
            Failure::Pem(..) => "name a PEM file (kubectl config view shows the kubeconfig)".into(),
        }
    }

    pub fn into_check_error(self) -> CheckError {
        let hint = self.hint();
        CheckError::new(self.to_string()).hint(hint)
    }
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e)
    }
}

/// The kubeconfig files kubectl would read: KUBECONFIG's (empty entries skipped), else
/// ~/.kube/config when it exists. Empty: none.
fn files() -> Vec<(PathBuf, &'static str)> {
    if let Some(value) = std::env::var_os("KUBECONFIG") {
        let named: Vec<_> = std::env::split_paths(&value)
            .filter(|p| !p.as_os_str().is_empty())
            .map(|p| (p, "KUBECONFIG"))
            .collect();
        if !named.is_empty() {
            return named;
        }
    }
    std::env::var_os("HOME")
        .map(|home| Path::new(&home).join(".kube/config"))
        .filter(|p| p.symlink_metadata().is_ok())
        .map(|p| vec![(p, "~/.kube/config")])
        .unwrap_or_default()
}

/// The merged kubeconfig, each file's relative paths made absolute to its directory (as kubectl
/// does); None when there is none to read.
pub fn read() -> Result<Option<Kubeconfig>, Failure> {
    let files = files();
    if files.is_empty() {
        return Ok(None);
    }
    let mut merged = Kubeconfig::default();
    for (path, key) in files {
        let text = bounded::read_text(&path, Input::Kubeconfig).map_err(|e| e.named(key))?;
        let mut config = Kubeconfig::from_yaml(&text)
            .map_err(|e| Failure::Parse(path.clone(), crate::output::redact::error_chain(&e)))?;
        if let Some(dir) = path.parent() {
            make_absolute(&mut config, dir);
        }
        merged = merged
            .merge(config)
            .map_err(|e| Failure::Parse(path.clone(), e.to_string()))?;
    }
    Ok(Some(merged))
}

fn make_absolute(config: &mut Kubeconfig, dir: &Path) {
    let absolute = |p: &mut Option<String>| {
        if let Some(path) = p.as_mut().filter(|p| Path::new(p.as_str()).is_relative()) {
            *path = dir.join(&*path).display().to_string();
        }
    };
    for cluster in config
        .clusters
        .iter_mut()
        .filter_map(|c| c.cluster.as_mut())
    {
        absolute(&mut cluster.certificate_authority);
    }
    for user in config
        .auth_infos
        .iter_mut()
        .filter_map(|a| a.auth_info.as_mut())
    {
        absolute(&mut user.client_certificate);
        absolute(&mut user.client_key);
        absolute(&mut user.token_file);
        // A command with a slash is a path; a bare name is looked up in PATH (as client-go).
        if let Some(exec) = user.exec.as_mut() {
            if exec.command.as_deref().is_some_and(|c| c.contains('/')) {
                absolute(&mut exec.command);
            }
        }
    }
}

/// Reads the files that the cluster and user of `context` (else the current context) name,
/// and puts their contents inline, so that kube reads none.
fn inline_files(config: &mut Kubeconfig, context: Option<&str>) -> Result<(), Failure> {
    use base64::Engine;
    let encode = |bytes: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(bytes);
    let Some(name) = context
        .map(str::to_string)
        .or_else(|| config.current_context.clone())
    else {
        return Ok(());
    };
    let Some(chosen) = config
        .contexts
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.context.clone())
    else {
        return Ok(());
    };
    let read_pem = |path: String, field: &str, holds: PemHolds| -> Result<String, Failure> {
        let key = format!("kubeconfig {field}");
        let path = PathBuf::from(path);
        let pem = bounded::read(&path, Input::Pem).map_err(|e| e.named(&key))?;
        check_pem(&pem, holds).map_err(|why| Failure::Pem(key, path, why))?;
        Ok(encode(pem))
    };
    // The first entry of a name is the one kube uses (merging keeps the first).
    if let Some(cluster) = config
        .clusters
        .iter_mut()
        .find(|c| c.name == chosen.cluster)
        .and_then(|c| c.cluster.as_mut())
    {
        if let Some(path) = cluster.certificate_authority.take() {
            cluster.certificate_authority_data = Some(read_pem(
                path,
                "certificate-authority",
                PemHolds::Certificates,
            )?);
        }
    }
    let Some(user_name) = &chosen.user else {
        return Ok(());
    };
    if let Some(user) = config
        .auth_infos
        .iter_mut()
        .find(|a| &a.name == user_name)
        .and_then(|a| a.auth_info.as_mut())
    {
        if let Some(path) = user.client_certificate.take() {
            user.client_certificate_data = Some(read_pem(
                path,
                "client-certificate",
                PemHolds::Certificates,
            )?);
        }
        if let Some(path) = user.client_key.take() {
            user.client_key_data = Some(read_pem(path, "client-key", PemHolds::PrivateKey)?.into());
        }
        if let Some(path) = user.token_file.take() {
            let token = bounded::read_first_line(Path::new(&path), Input::Secret)
                .map_err(|e| e.named("kubeconfig tokenFile"))?;
            user.token = Some(token.into());
        }
    }
    Ok(())
}

/// The client configuration for `context` (None: the current one), or the pod's service
/// account when there is no kubeconfig.
pub async fn client_config(context: Option<&str>) -> Result<kube::Config, Failure> {
    let Some(mut config) = read()? else {
        if context.is_some() {
            return Err(Failure::Nowhere);
        }
        return in_cluster();
    };
    inline_files(&mut config, context)?;
    let options = KubeConfigOptions {
        context: context.map(str::to_string),
        cluster: None,
        user: None,
    };
    // Every file is inline by now: kube reads none.
    let mut client = kube::Config::from_custom_kubeconfig(config, &options)
        .await
        .map_err(|e| Failure::Invalid(crate::output::redact::error_chain(&e)))?;
    client.apply_debug_overrides();
    Ok(client)
}

/// Where a pod finds its service account's token, CA and namespace.
const SERVICE_ACCOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// In a pod: the API server from KUBERNETES_SERVICE_HOST/PORT, the service account's files.
fn in_cluster() -> Result<kube::Config, Failure> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (Some(host), Some(port)) = (
        var("KUBERNETES_SERVICE_HOST"),
        var("KUBERNETES_SERVICE_PORT"),
    ) else {
        return Err(Failure::Nowhere);
    };
    let dir = Path::new(SERVICE_ACCOUNT);
    let token = bounded::read_first_line(&dir.join("token"), Input::Secret)?;
    let ca_path = dir.join("ca.crt");
    let pem = bounded::read(&ca_path, Input::Pem)?;
    let roots: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(&pem)
        .map(|c| c.map(|c| c.to_vec()))
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::Parse(ca_path.clone(), format!("not a PEM file ({e})")))?;
    let namespace = bounded::read_first_line(&dir.join("namespace"), Input::Secret)
        .unwrap_or_else(|_| "default".into());
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    let url = format!("https://{host}:{port}")
        .parse()
        .map_err(|e| Failure::Invalid(format!("KUBERNETES_SERVICE_HOST/PORT: {e}")))?;
    let mut config = kube::Config::new(url);
    config.default_namespace = namespace;
    config.root_cert = Some(roots);
    config.auth_info.token = Some(token.into());
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_made_absolute_to_the_file_and_commands_only_with_a_slash() {
        let mut config = Kubeconfig::from_yaml(
            "clusters:\n- name: c\n  cluster:\n    server: https://x\n    certificate-authority: ca.pem\nusers:\n- name: u\n  user:\n    client-certificate: /abs/cert.pem\n    tokenFile: t/token\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: aws\n- name: v\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: bin/login\n",
        )
        .unwrap();
        make_absolute(&mut config, Path::new("/home/me/.kube"));
        let cluster = config.clusters[0].cluster.as_ref().unwrap();
        assert_eq!(
            cluster.certificate_authority.as_deref(),
            Some("/home/me/.kube/ca.pem")
        );
        let u = config.auth_infos[0].auth_info.as_ref().unwrap();
        assert_eq!(u.client_certificate.as_deref(), Some("/abs/cert.pem"));
        assert_eq!(u.token_file.as_deref(), Some("/home/me/.kube/t/token"));
        assert_eq!(u.exec.as_ref().unwrap().command.as_deref(), Some("aws"));
        let v = config.auth_infos[1].auth_info.as_ref().unwrap();
        assert_eq!(
            v.exec.as_ref().unwrap().command.as_deref(),
            Some("/home/me/.kube/bin/login")
        );
    }

    #[test]
    fn only_the_chosen_contexts_files_are_read_and_put_inline() {
        let dir = tempfile::tempdir().unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let ca = rcgen::CertificateParams::new(vec!["ca".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap()
            .pem();
        std::fs::write(dir.path().join("ca.pem"), &ca).unwrap();
        std::fs::write(dir.path().join("token"), "s3cret\nsecond line\n").unwrap();
        let text = format!(
            "current-context: a\ncontexts:\n- name: a\n  context: {{cluster: ca, user: ua}}\n- name: b\n  context: {{cluster: cb, user: ub}}\nclusters:\n- name: ca\n  cluster: {{server: 'https://a', certificate-authority: {0}/ca.pem}}\n- name: cb\n  cluster: {{server: 'https://b', certificate-authority: /dev/zero}}\nusers:\n- name: ua\n  user: {{tokenFile: {0}/token}}\n- name: ub\n  user: {{tokenFile: /dev/zero}}\n",
            dir.path().display()
        );
        let mut config = Kubeconfig::from_yaml(&text).unwrap();
        inline_files(&mut config, None).unwrap();
        let cluster = config.clusters[0].cluster.as_ref().unwrap();
        assert_eq!(cluster.certificate_authority, None);
        use base64::Engine;
        let inline = cluster.certificate_authority_data.as_deref().unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(inline)
            .unwrap();
        assert!(decoded.starts_with(b"-----BEGIN CERTIFICATE-----"));
        let ua = config.auth_infos[0].auth_info.as_ref().unwrap();
        use secrecy::ExposeSecret;
        assert_eq!(ua.token.as_ref().unwrap().expose_secret(), "s3cret");
        // Context b's /dev/zero is named but never read, unless b is chosen.
        let e = inline_files(&mut config, Some("b"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("kubeconfig certificate-authority: PEM file /dev/zero: a character device, not a regular file"),
            "{e}"
        );
    }
}
