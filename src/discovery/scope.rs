//! The app as its metrics name it: the namespace, the app's services and its workloads
//! (deployments). Prometheus queries select the app's series by these.

use super::{app_services, AppDeployments};
use crate::settings::Settings;
use crate::types::CheckError;
use serde::Serialize;

/// The app's namespace, services and workloads, and how they were found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppScope {
    pub namespace: String,
    /// The services that select the app's pods (or `kubernetes.services` when given). Never
    /// empty: without a service, the workloads' names stand for them.
    pub services: Vec<String>,
    /// The app's deployments that exist (named, default or found). Never empty.
    pub workloads: Vec<String>,
    /// How they were found, when not from the cluster as it is: `the Kubernetes API did not
    /// answer: …`.
    pub how: Option<String>,
}

impl AppScope {
    /// The app as the config names it, when the cluster cannot say (`why`): the configured
    /// deployments, and the configured services or else the deployments' names.
    pub fn configured(settings: &Settings, why: &str) -> AppScope {
        let k = &settings.kubernetes;
        let services = if k.services.is_empty() {
            k.deployments.clone()
        } else {
            k.services.clone()
        };
        AppScope {
            namespace: settings.namespace.clone(),
            services,
            workloads: k.deployments.clone(),
            how: Some(format!("{why}: the configured names")),
        }
    }

    /// `namespace reconciliation, services backend, frontend, workloads backend, frontend`.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "namespace {}, services {}, workloads {}",
            self.namespace,
            self.services.join(", "),
            self.workloads.join(", ")
        );
        if let Some(how) = &self.how {
            text.push_str(&format!(" ({how})"));
        }
        text
    }
}

/// The app's scope from the cluster: the deployments found and the services that select
/// their pods (`kubernetes.services` when given).
pub async fn app_scope(
    client: kube::Client,
    settings: &Settings,
    deployments: &AppDeployments,
) -> Result<AppScope, CheckError> {
    let existing: Vec<String> = deployments
        .list
        .iter()
        .filter(|(_, d)| d.is_some())
        .map(|(name, _)| name.clone())
        .collect();
    let workloads_named = if existing.is_empty() {
        settings.kubernetes.deployments.clone()
    } else {
        existing
    };
    let services = if settings.kubernetes.services.is_empty() {
        app_services(client, settings, &deployments.templates()).await?
    } else {
        settings.kubernetes.services.clone()
    };
    let mut services = if services.is_empty() {
        workloads_named.clone()
    } else {
        services
    };
    services.sort();
    services.dedup();
    Ok(AppScope {
        namespace: settings.namespace.clone(),
        services,
        workloads: workloads_named,
        how: None,
    })
}
