//! TLS for every target from one place: which CA to trust, which client certificate to present,
//! and how strictly to check the server. https and rediss always check the chain and the name;
//! PostgreSQL follows libpq's `sslmode`, where `prefer` and `require` encrypt without checking.

pub use crate::settings::{SslMode, TlsFiles};
use crate::types::failure::TlsProblem;
use crate::types::CheckError;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// How much of the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verify {
    /// Encrypt only (PostgreSQL's `prefer` and `require`, as libpq does them).
    Nothing,
    /// The chain up to a trusted CA, but not the host name (PostgreSQL's `verify-ca`).
    Chain,
    /// Chain and host name: https, rediss and PostgreSQL's `verify-full`.
    ChainAndName,
}

impl SslMode {
    pub fn verify(self) -> Verify {
        match self {
            SslMode::Disable | SslMode::Prefer | SslMode::Require => Verify::Nothing,
            SslMode::VerifyCa => Verify::Chain,
            SslMode::VerifyFull => Verify::ChainAndName,
        }
    }
}

/// A rustls client configuration for one target. `key` names its config table (e.g.
/// `postgres.tls`) so a bad file is reported where the engineer can fix it.
pub fn client_config(
    files: &TlsFiles,
    verify: Verify,
    key: &str,
) -> Result<rustls::ClientConfig, CheckError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| CheckError::new(format!("TLS set-up failed: {e}")))?;
    let builder = match verify {
        // Nothing to trust is needed: skip reading the system's CA store, which is slow.
        Verify::Nothing => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(EncryptOnly { provider })),
        Verify::Chain => {
            let roots = Arc::new(trusted_roots(files, key)?);
            let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(
                roots,
                provider.clone(),
            )
            .build()
            .map_err(|e| CheckError::new(format!("TLS set-up failed: {e}")))?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(ChainOnly { inner }))
        }
        Verify::ChainAndName => builder.with_root_certificates(trusted_roots(files, key)?),
    };
    match files.client_pair(key)? {
        None => Ok(builder.with_no_client_auth()),
        Some((cert, private_key)) => {
            let chain = read_certificates(cert, &format!("{key}.client_cert"))?;
            let key_name = format!("{key}.client_key");
            let pem = read_pem(private_key, &key_name, PemHolds::PrivateKey)?;
            let private_key = PrivateKeyDer::from_pem_slice(&pem).map_err(|e| {
                file_error(&key_name, private_key, &format!("no PEM private key ({e})"))
            })?;
            builder
                .with_client_auth_cert(chain, private_key)
                .map_err(|e| {
                    CheckError::new(format!(
                        "{key}: the client certificate and key do not go together: {e}"
                    ))
                    .hint(format!(
                        "check that {key}.client_key is the key of {key}.client_cert"
                    ))
                })
        }
    }
}

/// The CA file's certificates, or else the system's trust store (read once per process).
fn trusted_roots(files: &TlsFiles, key: &str) -> Result<RootCertStore, CheckError> {
    let Some(path) = &files.ca_file else {
        return Ok(system_roots().clone());
    };
    let mut roots = RootCertStore::empty();
    for cert in read_certificates(path, &format!("{key}.ca_file"))? {
        roots.add(cert).map_err(|e| {
            file_error(
                &format!("{key}.ca_file"),
                path,
                &format!("not a usable CA certificate ({e})"),
            )
        })?;
    }
    Ok(roots)
}

fn system_roots() -> &'static RootCertStore {
    static ROOTS: OnceLock<RootCertStore> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let mut roots = RootCertStore::empty();
        for cert in rustls_native_certs::load_native_certs().certs {
            // A certificate the store cannot parse is skipped, as every TLS client does.
            let _ = roots.add(cert);
        }
        roots
    })
}

/// What a PEM file must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PemHolds {
    Certificates,
    PrivateKey,
}

/// Why `bytes` are not the PEM file they should be, if they are not.
pub fn check_pem(bytes: &[u8], holds: PemHolds) -> Result<(), String> {
    match holds {
        PemHolds::Certificates => {
            let certs: Result<Vec<_>, _> = CertificateDer::pem_slice_iter(bytes).collect();
            match certs {
                Ok(certs) if !certs.is_empty() => Ok(()),
                Ok(_) => Err("no PEM certificate in it".into()),
                Err(e) => Err(pem_error(&e)),
            }
        }
        PemHolds::PrivateKey => PrivateKeyDer::from_pem_slice(bytes)
            .map(|_| ())
            .map_err(|e| format!("no PEM private key ({e})")),
    }
}

/// A PEM file's bytes, read bounded and checked to hold what it should; errors name `key`,
/// the path and the limit.
pub fn read_pem(path: &Path, key: &str, holds: PemHolds) -> Result<Vec<u8>, CheckError> {
    let bytes =
        crate::files::bounded::read(path, crate::files::bounded::Input::Pem).map_err(|e| {
            let hint = e.hint();
            CheckError::new(e.named(key).to_string()).hint(hint)
        })?;
    check_pem(&bytes, holds).map_err(|why| file_error(key, path, &why))?;
    Ok(bytes)
}

fn read_certificates(path: &Path, key: &str) -> Result<Vec<CertificateDer<'static>>, CheckError> {
    let pem = read_pem(path, key, PemHolds::Certificates)?;
    let certs: Result<Vec<_>, _> = CertificateDer::pem_slice_iter(&pem)
        .map(|c| c.map(|c| c.into_owned()))
        .collect();
    let certs = certs.map_err(|e| file_error(key, path, &pem_error(&e)))?;
    if certs.is_empty() {
        return Err(file_error(key, path, "no PEM certificate in it"));
    }
    Ok(certs)
}

fn pem_error(e: &rustls::pki_types::pem::Error) -> String {
    match e {
        rustls::pki_types::pem::Error::Io(io) => io.to_string(),
        other => format!("not a PEM file ({other})"),
    }
}

fn file_error(key: &str, path: &Path, what: &str) -> CheckError {
    CheckError::new(format!("{key} {}: {what}", path.display()))
        .hint(format!("{key} must name a readable PEM file"))
}

/// Encrypts, checks nothing about who answers: libpq's `require`. The handshake signature is
/// still checked, so the session is at least bound to the certificate shown.
#[derive(Debug)]
struct EncryptOnly {
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The whole chain is checked, the host name is not: libpq's `verify-ca`.
#[derive(Debug)]
struct ChainOnly {
    inner: Arc<rustls::client::WebPkiServerVerifier>,
}

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The hint for a TLS problem, naming the config table (`key`) to fix.
pub fn hint(problem: TlsProblem, key: &str) -> String {
    match problem {
        TlsProblem::UnknownIssuer => format!(
            "the server's certificate is not signed by a CA incidentctl trusts: set {key}.ca_file to the CA that signed it"
        ),
        TlsProblem::Expired => "the server's certificate has expired (or this machine's clock is wrong): renew the certificate on the server".into(),
        TlsProblem::NameMismatch => "the certificate does not name this host: connect by a name the certificate lists (for PostgreSQL, sslmode=verify-ca checks the CA only)".into(),
        TlsProblem::ClientCertificate => format!(
            "the server refused the TLS handshake: it may want a client certificate ({key}.client_cert and {key}.client_key) signed by a CA it trusts"
        ),
        TlsProblem::NotTls => "the server does not speak TLS on that port: use http:// / redis:// / sslmode=disable, or the TLS port".into(),
        TlsProblem::Other => format!("check {key} and the server's TLS settings"),
    }
}

/// A TLS failure as one line naming the target (`where_`), with the hint for `key`.
pub fn failure(where_: &str, detail: &str, problem: TlsProblem, key: &str) -> CheckError {
    CheckError::remote(
        crate::types::failure::Cause::Tls(problem),
        format!("{where_}: TLS: {detail}"),
    )
    .hint(hint(problem, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmodes_parse_like_libpq() {
        assert_eq!("verify-full".parse(), Ok(SslMode::VerifyFull));
        assert_eq!("allow".parse(), Ok(SslMode::Prefer));
        assert!("verify_full".parse::<SslMode>().is_err());
    }

    #[test]
    fn a_missing_ca_file_names_the_key_and_the_path() {
        let files = TlsFiles {
            ca_file: Some("/nonexistent/ca.pem".into()),
            ..TlsFiles::default()
        };
        let e = client_config(&files, Verify::ChainAndName, "prometheus.tls").unwrap_err();
        assert!(
            e.message
                .contains("prometheus.tls.ca_file: PEM file /nonexistent/ca.pem: no such file"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_client_cert_without_its_key_is_refused() {
        let files = TlsFiles {
            client_cert: Some("/x.pem".into()),
            ..TlsFiles::default()
        };
        let e = client_config(&files, Verify::Nothing, "redis.tls").unwrap_err();
        assert!(e.message.contains("go together"), "{}", e.message);
    }

    #[test]
    fn tls_failures_get_a_hint_naming_the_key() {
        let h = hint(TlsProblem::UnknownIssuer, "postgres.tls");
        assert!(h.contains("postgres.tls.ca_file"));
        let e = failure("db", "bad", TlsProblem::ClientCertificate, "redis.tls");
        assert!(e.hint.unwrap().contains("redis.tls.client_cert"));
        assert_eq!(
            e.cause,
            Some(crate::types::failure::Cause::Tls(
                TlsProblem::ClientCertificate
            ))
        );
    }
}
