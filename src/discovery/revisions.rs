//! A deployment's revisions, from the ReplicaSets it owns (each carries the pod template of one
//! revision and its number), and what differs between two templates: what `rollback` returns
//! to, what `k8s.recent_changes` reports, what the evidence bundle keeps.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, ListParams};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The annotation the deployment controller numbers revisions with (on the deployment and on
/// each of its ReplicaSets).
pub const REVISION: &str = "deployment.kubernetes.io/revision";
/// The label the controller adds to a ReplicaSet's template; not part of the deployment's.
const TEMPLATE_HASH: &str = "pod-template-hash";

/// One revision of a deployment: its number, when its ReplicaSet was made, and its pod
/// template (as the deployment would carry it).
#[derive(Debug, Clone, Default)]
pub struct Revision {
    pub number: i64,
    pub created: Option<jiff::Timestamp>,
    pub template: PodTemplateSpec,
}

/// The revision number an object carries.
pub fn revision_of(meta: &ObjectMeta) -> Option<i64> {
    meta.annotations.as_ref()?.get(REVISION)?.parse().ok()
}

/// What [`revisions`] asks: a deployment's ReplicaSets.
pub const REVISIONS_PERMISSIONS: &[crate::types::KubePermission] =
    &[crate::types::KubePermission::namespaced(
        "list",
        "apps",
        "replicasets",
    )];

/// The deployment's revisions, oldest first.
pub async fn revisions(
    client: kube::Client,
    d: &Deployment,
    namespace: &str,
    page_size: u32,
) -> Result<Vec<Revision>, kube::Error> {
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let api: Api<ReplicaSet> = Api::namespaced(client, namespace);
    let params = ListParams::default().labels(&super::label_selector(d));
    let sets = crate::kube_list::list_all(&api, &params, page_size).await?;
    let mut revisions: Vec<Revision> = sets
        .into_iter()
        .filter(|rs| {
            rs.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.uid == uid && o.controller == Some(true))
        })
        .filter_map(|rs| {
            let number = revision_of(&rs.metadata)?;
            let created = rs.metadata.creation_timestamp.as_ref().map(|t| t.0);
            let mut template = rs.spec?.template?;
            if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
                labels.remove(TEMPLATE_HASH);
            }
            Some(Revision {
                number,
                created,
                template,
            })
        })
        .collect();
    revisions.sort_by_key(|r| r.number);
    Ok(revisions)
}

/// One difference between two pod templates, for people: never a value (an environment
/// variable may be a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    Image {
        container: String,
        from: String,
        to: String,
    },
    /// An environment variable `added`, `removed` or `changed`.
    Env {
        container: String,
        name: String,
        how: &'static str,
    },
    ContainerAdded {
        container: String,
        image: String,
    },
    ContainerRemoved {
        container: String,
        image: String,
    },
    /// A configmap or secret (`secret/NAME`) referenced, or no longer.
    Reference {
        object: String,
        referenced: bool,
    },
    /// The templates differ in fields not listed here.
    Other,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Image {
                container,
                from,
                to,
            } => write!(f, "image of {container}: {from} → {to}"),
            Difference::Env {
                container,
                name,
                how,
            } => write!(f, "env {name} of {container} {how}"),
            Difference::ContainerAdded { container, image } => {
                write!(f, "container {container} added ({image})")
            }
            Difference::ContainerRemoved { container, image } => {
                write!(f, "container {container} removed ({image})")
            }
            Difference::Reference { object, referenced } => {
                let how = if *referenced {
                    "referenced"
                } else {
                    "no longer referenced"
                };
                write!(f, "{object} {how}")
            }
            Difference::Other => f.write_str("other fields of the pod template"),
        }
    }
}

/// Each container's image and environment (name → how it is set, compared but never shown).
fn containers(t: &PodTemplateSpec) -> BTreeMap<String, (String, BTreeMap<String, Value>)> {
    t.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .map(|c| {
            let env = c
                .env
                .iter()
                .flatten()
                .map(|e| (e.name.clone(), serde_json::to_value(e).unwrap_or_default()))
                .collect();
            (c.name.clone(), (c.image.clone().unwrap_or_default(), env))
        })
        .collect()
}

/// The configmaps and secrets a template references (`configmap/NAME`, `secret/NAME`).
fn references(t: &PodTemplateSpec) -> BTreeSet<String> {
    let found = super::template_of("", t);
    let configmaps = found.configmaps.keys().map(|n| format!("configmap/{n}"));
    let secrets = found.secrets.keys().map(|n| format!("secret/{n}"));
    configmaps.chain(secrets).collect()
}

/// What differs from template `from` to template `to`.
pub fn differences(from: &PodTemplateSpec, to: &PodTemplateSpec) -> Vec<Difference> {
    let mut out = Vec::new();
    let (a, b) = (containers(from), containers(to));
    for name in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
        let container = name.clone();
        match (a.get(name), b.get(name)) {
            (Some((ia, ea)), Some((ib, eb))) => {
                if ia != ib {
                    out.push(Difference::Image {
                        container: container.clone(),
                        from: ia.clone(),
                        to: ib.clone(),
                    });
                }
                for var in ea.keys().chain(eb.keys()).collect::<BTreeSet<_>>() {
                    let how = match (ea.get(var), eb.get(var)) {
                        (Some(x), Some(y)) if x != y => "changed",
                        (Some(_), None) => "removed",
                        (None, Some(_)) => "added",
                        _ => continue,
                    };
                    out.push(Difference::Env {
                        container: container.clone(),
                        name: var.clone(),
                        how,
                    });
                }
            }
            (Some((image, _)), None) => out.push(Difference::ContainerRemoved {
                container,
                image: image.clone(),
            }),
            (None, Some((image, _))) => out.push(Difference::ContainerAdded {
                container,
                image: image.clone(),
            }),
            (None, None) => {}
        }
    }
    let (ra, rb) = (references(from), references(to));
    for object in ra.difference(&rb) {
        out.push(Difference::Reference {
            object: object.clone(),
            referenced: false,
        });
    }
    for object in rb.difference(&ra) {
        out.push(Difference::Reference {
            object: object.clone(),
            referenced: true,
        });
    }
    if out.is_empty() && from != to {
        out.push(Difference::Other);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(image: &str, env: Value, secret: &str) -> PodTemplateSpec {
        serde_json::from_value(json!({
            "metadata": {"labels": {"app": "backend"}},
            "spec": {
                "containers": [{"name": "backend", "image": image, "env": env,
                                "envFrom": [{"secretRef": {"name": secret}}]}]
            }
        }))
        .unwrap()
    }

    #[test]
    fn differences_name_images_env_names_and_references_but_never_values() {
        let now = template(
            "app:2",
            json!([{"name": "LOG_LEVEL", "value": "debug"}, {"name": "NEW", "value": "s3cr3t"}]),
            "app-secrets-v2",
        );
        let to = template(
            "app:1",
            json!([{"name": "LOG_LEVEL", "value": "info"}]),
            "app-secrets",
        );
        let text: Vec<String> = differences(&now, &to)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            text,
            [
                "image of backend: app:2 → app:1",
                "env LOG_LEVEL of backend changed",
                "env NEW of backend removed",
                "secret/app-secrets-v2 no longer referenced",
                "secret/app-secrets referenced",
            ]
        );
        assert!(differences(&to, &to).is_empty());
    }
}
