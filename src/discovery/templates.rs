//! The app's pod templates: their labels, and the configmaps and secrets they reference.

use super::AppWorkload;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{PodSpec, PodTemplateSpec};
use std::collections::BTreeMap;

/// A pod template of the app: its labels and the configmaps and secrets it uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppTemplate {
    pub deployment: String,
    pub labels: BTreeMap<String, String>,
    /// Configmap name → how the template uses it (env, envFrom, volume).
    pub configmaps: BTreeMap<String, &'static str>,
    pub secrets: BTreeMap<String, &'static str>,
}

/// The pod templates of the app's deployments that exist.
pub fn templates(workloads: &[AppWorkload]) -> Vec<AppTemplate> {
    templates_of(workloads.iter().map(|w| (&w.name, w.deployment.as_ref())))
}

/// The same from the deployments alone (their pods need not be folded yet).
pub fn templates_of<'a>(
    deployments: impl Iterator<Item = (&'a String, Option<&'a Deployment>)>,
) -> Vec<AppTemplate> {
    deployments
        .filter_map(|(name, d)| Some(template_of(name, &d?.spec.as_ref()?.template)))
        .collect()
}

/// One deployment's pod template: its labels and what it references.
pub fn template_of(deployment: &str, template: &PodTemplateSpec) -> AppTemplate {
    let mut t = AppTemplate {
        deployment: deployment.to_string(),
        labels: template
            .metadata
            .as_ref()
            .and_then(|m| m.labels.clone())
            .unwrap_or_default(),
        ..AppTemplate::default()
    };
    if let Some(spec) = &template.spec {
        references(spec, &mut t);
    }
    t
}

/// A deployment's `matchLabels` as a label selector (`app=backend,tier=api`); empty when it
/// has none.
pub fn label_selector(deployment: &Deployment) -> String {
    deployment
        .spec
        .as_ref()
        .and_then(|s| s.selector.match_labels.as_ref())
        .map(|labels| {
            labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

/// The configmaps and secrets a pod spec uses: env values, envFrom, volumes, projected volumes.
fn references(spec: &PodSpec, t: &mut AppTemplate) {
    let containers = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten());
    for c in containers {
        for e in c.env.iter().flatten() {
            let from = e.value_from.as_ref();
            if let Some(r) = from.and_then(|f| f.config_map_key_ref.as_ref()) {
                t.configmaps.entry(r.name.clone()).or_insert("env");
            }
            if let Some(r) = from.and_then(|f| f.secret_key_ref.as_ref()) {
                t.secrets.entry(r.name.clone()).or_insert("env");
            }
        }
        for e in c.env_from.iter().flatten() {
            if let Some(r) = &e.config_map_ref {
                t.configmaps.entry(r.name.clone()).or_insert("envFrom");
            }
            if let Some(r) = &e.secret_ref {
                t.secrets.entry(r.name.clone()).or_insert("envFrom");
            }
        }
    }
    for v in spec.volumes.iter().flatten() {
        if let Some(cm) = &v.config_map {
            t.configmaps.entry(cm.name.clone()).or_insert("volume");
        }
        if let Some(name) = v.secret.as_ref().and_then(|s| s.secret_name.clone()) {
            t.secrets.entry(name).or_insert("volume");
        }
        for source in v.projected.iter().flat_map(|p| p.sources.iter().flatten()) {
            if let Some(cm) = &source.config_map {
                t.configmaps.entry(cm.name.clone()).or_insert("volume");
            }
            if let Some(s) = &source.secret {
                t.secrets.entry(s.name.clone()).or_insert("volume");
            }
        }
    }
}
