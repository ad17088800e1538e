//! The control plane's certificates, made at start-up: a cluster CA, the API server's serving
//! certificate, the service-account signing key, and client certificates for any user and
//! groups (Kubernetes reads the user from the certificate's CN and the groups from its O).

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::path::{Path, PathBuf};

pub struct Pki {
    issuer: Issuer<'static, KeyPair>,
    /// The cluster CA, PEM.
    pub ca_pem: String,
    pub ca_file: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    /// ECDSA P-256 key that signs service-account tokens, and its public half that verifies them.
    pub service_account_key: PathBuf,
    pub service_account_pub: PathBuf,
}

/// A client certificate and its key, PEM.
#[derive(Clone)]
pub struct ClientCert {
    pub cert_pem: String,
    pub key_pem: String,
}

fn write_private(path: &Path, text: &str) -> Result<PathBuf, String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("chmod {}: {e}", path.display()))?;
    Ok(path.to_path_buf())
}

impl Pki {
    /// Makes every file the API server needs in `dir`.
    pub fn generate(dir: &Path) -> Result<Pki, String> {
        fn e(what: &'static str) -> impl Fn(rcgen::Error) -> String {
            move |err| format!("{what}: {err}")
        }
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(e("CA"))?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "incidentctl-sandbox cluster CA");
        let ca_key = KeyPair::generate().map_err(e("CA key"))?;
        let ca_pem = ca.self_signed(&ca_key).map_err(e("CA certificate"))?.pem();
        let issuer = Issuer::new(ca, ca_key);

        // The names a client may use for the API server, in the cluster and out of it.
        let names = [
            "localhost",
            "127.0.0.1",
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            "10.96.0.1",
        ];
        let mut server =
            CertificateParams::new(names.map(String::from).to_vec()).map_err(e("server"))?;
        server
            .distinguished_name
            .push(DnType::CommonName, "kube-apiserver");
        let server_key = KeyPair::generate().map_err(e("server key"))?;
        let server_pem = server
            .signed_by(&server_key, &issuer)
            .map_err(e("server certificate"))?
            .pem();
        let sa_key = KeyPair::generate().map_err(e("service-account key"))?;
        Ok(Pki {
            ca_file: write_private(&dir.join("ca.crt"), &ca_pem)?,
            server_cert: write_private(&dir.join("apiserver.crt"), &server_pem)?,
            server_key: write_private(&dir.join("apiserver.key"), &server_key.serialize_pem())?,
            service_account_key: write_private(
                &dir.join("service-account.key"),
                &sa_key.serialize_pem(),
            )?,
            service_account_pub: write_private(
                &dir.join("service-account.pub"),
                &sa_key.public_key_pem(),
            )?,
            ca_pem,
            issuer,
        })
    }

    /// A client certificate for `user` in `groups`, signed by the cluster CA.
    pub fn client(&self, user: &str, groups: &[&str]) -> Result<ClientCert, String> {
        let mut params = CertificateParams::new(Vec::<String>::new())
            .map_err(|e| format!("client {user}: {e}"))?;
        params.distinguished_name.push(DnType::CommonName, user);
        for group in groups {
            params
                .distinguished_name
                .push(DnType::OrganizationName, *group);
        }
        let key = KeyPair::generate().map_err(|e| format!("client {user} key: {e}"))?;
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(|e| format!("client {user} certificate: {e}"))?;
        Ok(ClientCert {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }

    /// A self-signed serving certificate for the node agent's endpoints (the API server does
    /// not verify kubelets or aggregated APIs here, as with `insecureSkipTLSVerify`).
    pub fn self_signed_server(names: &[&str]) -> Result<ClientCert, String> {
        let params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .map_err(|e| format!("serving certificate: {e}"))?;
        let key = KeyPair::generate().map_err(|e| format!("serving key: {e}"))?;
        let cert = params
            .self_signed(&key)
            .map_err(|e| format!("serving certificate: {e}"))?;
        Ok(ClientCert {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }
}

/// The node agent's TLS acceptor: a fresh self-signed certificate for localhost and 127.0.0.1.
pub(super) fn node_agent_tls() -> Result<tokio_rustls::TlsAcceptor, String> {
    use tokio_rustls::rustls;
    let cert = Pki::self_signed_server(&["localhost", "127.0.0.1"])?;
    let certs: Vec<rustls::pki_types::CertificateDer<'static>> =
        rustls_pemfile_certs(&cert.cert_pem)?;
    let key = rustls::pki_types::PrivateKeyDer::try_from(pem_body(&cert.key_pem)?)
        .map_err(|e| format!("node agent key: {e}"))?;
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(|e| format!("node agent certificate: {e}"))?;
    Ok(tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config)))
}

/// The DER bytes of the first PEM block.
fn pem_body(pem: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|e| format!("PEM: {e}"))
}

fn rustls_pemfile_certs(
    pem: &str,
) -> Result<Vec<tokio_rustls::rustls::pki_types::CertificateDer<'static>>, String> {
    Ok(vec![pem_body(pem)?.into()])
}
