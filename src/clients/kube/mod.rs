//! Kubernetes: the client built from the kubeconfig as kubectl finds it, the mapping of its
//! errors (from the API's status code and the error's type), and lists read in pages or from
//! the watch cache.

pub mod json_list;
pub mod json_stream;
pub mod kubeconfig;
pub mod list;
pub mod pod;
pub mod protobuf;

use crate::output::redact;
use crate::settings::Settings;
use crate::types::failure::Cause;
use crate::types::CheckError;

pub(super) async fn connect(settings: &Settings) -> Result<kube::Client, CheckError> {
    let mut config = kubeconfig::client_config(settings.kubernetes.context.as_deref())
        .await
        .map_err(kubeconfig::Failure::into_check_error)?;
    config.connect_timeout = Some(settings.timeout.0);
    config.read_timeout = Some(settings.timeout.0);
    config.write_timeout = Some(settings.timeout.0);
    kube::Client::try_from(config)
        .map_err(|e| CheckError::new(format!("cannot build the Kubernetes client: {e}")))
}

/// One line naming what failed, from a Kubernetes client error; its cause and hint are read
/// from the error's type and the API's status code.
pub fn kube_error(e: kube::Error, what: &str) -> CheckError {
    let cause = crate::types::failure::of_kube(&e);
    match e {
        kube::Error::Api(status) => {
            let err = CheckError::remote(
                cause,
                format!(
                    "{what}: {} from the API server: {}",
                    status.code,
                    redact::secrets(&status.message)
                ),
            );
            match status.code {
                401 => err.hint("the API server rejected the credentials; check the kubeconfig user or refresh the token"),
                403 => err.hint(format!("the identity lacks permission for this ({what}); see the RBAC roles in examples/")),
                404 => err.hint("the resource type or namespace does not exist on this cluster"),
                _ => err,
            }
        }
        kube::Error::SerdeError(e) => CheckError::remote(cause, format!(
            "{what}: the API server's answer is not valid Kubernetes JSON ({e})"
        ))
        .hint("something answers at the cluster address, but not the Kubernetes API: check the kubeconfig's server"),
        other => {
            let text = redact::error_chain(&other);
            match cause {
                // The kubeconfig holds the cluster's CA and the client certificate, not our
                // config file: point there.
                Cause::Tls(_) => CheckError::remote(
                    cause,
                    format!("{what}: cannot reach the API server: TLS: {text}"),
                )
                .hint("check the cluster's certificate-authority(-data) and the user's client certificate in the kubeconfig (kubectl config view)"),
                Cause::Lost | Cause::TimedOut => CheckError::remote(
                    cause,
                    format!("{what}: the connection to the API server failed ({}): {text}", cause.label()),
                )
                .hint("the API server may be overloaded or restarting; try again, or raise --timeout"),
                _ => CheckError::remote(cause, format!("{what}: cannot reach the API server: {text}"))
                    .hint("check the cluster address in the kubeconfig (kubectl cluster-info)"),
            }
        }
    }
}
