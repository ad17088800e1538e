//! Certificates made for the TLS tests: a CA, a server certificate it signs (for `localhost` and
//! `db.internal`, not for 127.0.0.1, so a name check can fail on purpose), an expired one, a
//! client certificate for the `certuser` role, and a second CA nobody trusts.

use rcgen::{date_time_ymd, BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::path::{Path, PathBuf};

pub struct Pki {
    _dir: tempfile::TempDir,
    pub dir: PathBuf,
    pub ca: PathBuf,
    pub other_ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub expired_cert: PathBuf,
    pub expired_key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

fn ca(name: &str) -> (CertificateParams, KeyPair, String) {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let key = KeyPair::generate().expect("CA key");
    let pem = params.self_signed(&key).expect("self-sign the CA").pem();
    (params, key, pem)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a PEM file");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    path
}

impl Pki {
    pub fn generate() -> Pki {
        let tmp = tempfile::tempdir().expect("temp dir for certificates");
        let dir = tmp.path().to_path_buf();
        let (ca_params, ca_key, ca_pem) = ca("incidentctl test CA");
        let (_, _, other_pem) = ca("a CA nobody trusts");
        let issuer = Issuer::new(ca_params, ca_key);

        let leaf = |names: Vec<String>, cn: &str, expired: bool| {
            let mut params = CertificateParams::new(names).expect("leaf params");
            params.distinguished_name.push(DnType::CommonName, cn);
            if expired {
                params.not_before = date_time_ymd(2020, 1, 1);
                params.not_after = date_time_ymd(2021, 1, 1);
            }
            let key = KeyPair::generate().expect("leaf key");
            let cert = params.signed_by(&key, &issuer).expect("sign a leaf");
            (cert.pem(), key.serialize_pem())
        };
        let names = vec!["localhost".to_string(), "db.internal".to_string()];
        let (server, server_key) = leaf(names.clone(), "localhost", false);
        let (expired, expired_key) = leaf(names, "localhost", true);
        let (client, client_key) = leaf(Vec::new(), "certuser", false);
        Pki {
            ca: write(&dir, "ca.crt", &ca_pem),
            other_ca: write(&dir, "other-ca.crt", &other_pem),
            server_cert: write(&dir, "server.crt", &server),
            server_key: write(&dir, "server.key", &server_key),
            expired_cert: write(&dir, "expired.crt", &expired),
            expired_key: write(&dir, "expired.key", &expired_key),
            client_cert: write(&dir, "client.crt", &client),
            client_key: write(&dir, "client.key", &client_key),
            dir,
            _dir: tmp,
        }
    }

    pub fn read(path: &Path) -> Vec<u8> {
        std::fs::read(path).expect("read a PEM file")
    }
}
