//! The app's objects on a cluster, found as an engineer new to a namespace would find them.
//!
//! An object is, in order: **named** (a flag, or the config file), then the seed's **default**
//! name if that object exists, then **found** by its relation to the app's pods — ingresses
//! whose backends are the app's services, network policies whose podSelector selects the app's
//! pods, the configmaps and secrets the pod templates use. A named object that does not exist
//! is a finding; a default that does not exist is only a reason to look. Each result says how
//! it was found, so the output can too.

use crate::clients::kube::kube_error;
use crate::clients::kube::list::{list_all, list_names};
use crate::clients::kube::pod::list_cached_pods;
use crate::settings::{AppObject, Settings};
use crate::types::CheckError;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::api::{Api, ListParams};
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

pub mod permissions;
pub mod pods;
pub mod revisions;
mod scope;
mod templates;

pub use pods::PodFold;
pub use scope::{app_scope, AppScope};
pub use templates::{label_selector, template_of, templates, templates_of, AppTemplate};

/// An app deployment (None when a named one does not exist) and the pods its selector matches,
/// folded.
#[derive(Debug, Clone)]
pub struct AppWorkload {
    pub name: String,
    pub deployment: Option<Deployment>,
    pub pods: PodFold,
}

/// The app's deployments, and how they were chosen when they were not named.
#[derive(Debug, Clone, Default)]
pub struct AppWorkloads {
    pub list: Vec<AppWorkload>,
    pub how: Option<String>,
}

impl From<Vec<AppWorkload>> for AppWorkloads {
    fn from(list: Vec<AppWorkload>) -> Self {
        AppWorkloads { list, how: None }
    }
}

impl std::ops::Deref for AppWorkloads {
    type Target = Vec<AppWorkload>;
    fn deref(&self) -> &Vec<AppWorkload> {
        &self.list
    }
}

/// An object as resolved: named, the default, or found.
#[derive(Debug, Clone)]
pub enum Resolved<T> {
    /// Named by a flag or the config file; None when it does not exist.
    Named { name: String, object: Option<T> },
    /// Not named; the seed's default name exists.
    Default(T),
    /// Not named and no object has the default name: these, each with how it was found
    /// (none found is an empty list).
    Found(Vec<(T, String)>),
}

impl<T> Resolved<T> {
    /// The objects to look at, each with how it was found (None: named or default).
    pub fn objects(&self) -> Vec<(&T, Option<&str>)> {
        match self {
            Resolved::Named { object, .. } => object.iter().map(|o| (o, None)).collect(),
            Resolved::Default(o) => vec![(o, None)],
            Resolved::Found(found) => found
                .iter()
                .map(|(o, how)| (o, Some(how.as_str())))
                .collect(),
        }
    }
}

/// Whether `selector` selects pods labelled `labels` (matchLabels and matchExpressions; an
/// empty selector selects every pod).
pub fn selects(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let labels_match = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let expressions_match = selector.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or_default();
        let value = labels.get(&e.key);
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            // An operator this version does not know selects nothing, rather than everything.
            _ => false,
        }
    });
    labels_match && expressions_match
}

/// `backend, frontend`: the deployments whose pods a selector selects.
fn selected_deployments(selector: &LabelSelector, templates: &[AppTemplate]) -> Vec<String> {
    templates
        .iter()
        .filter(|t| selects(selector, &t.labels))
        .map(|t| t.deployment.clone())
        .collect()
}

/// The app's deployments: the named ones; else the seed's defaults when any of them exists;
/// else every deployment of the namespace. `existing` is what the namespace holds (only
/// listed when needed). Returns the names and how they were chosen, when not named.
pub fn choose_deployments(
    named: bool,
    configured: &[String],
    existing: &[String],
) -> (Vec<String>, Option<String>) {
    if named || configured.iter().any(|d| existing.contains(d)) {
        return (configured.to_vec(), None);
    }
    if existing.is_empty() {
        return (Vec::new(), Some("no deployment in the namespace".into()));
    }
    let how = format!(
        "{} not found: using every deployment of the namespace",
        configured.join(", ")
    );
    (existing.to_vec(), Some(how))
}

/// The app's deployments (named, default, or found), each None when a named one does not
/// exist, and how they were chosen when they were not named.
#[derive(Debug, Clone, Default)]
pub struct AppDeployments {
    pub list: Vec<(String, Option<Deployment>)>,
    pub how: Option<String>,
}

impl AppDeployments {
    /// The pod templates of those that exist: what the checks that look for the app's other
    /// objects (services, ingress, policies, configmaps) need, without waiting for the pods.
    pub fn templates(&self) -> Vec<AppTemplate> {
        templates_of(self.list.iter().map(|(name, d)| (name, d.as_ref())))
    }
}

/// The app's deployments: named, the defaults, or found.
pub async fn app_deployments(
    client: kube::Client,
    settings: &Settings,
) -> Result<AppDeployments, CheckError> {
    let k = &settings.kubernetes;
    let deployments: Api<Deployment> = Api::namespaced(client, &settings.namespace);
    let named = k.given.contains(&AppObject::Deployments);
    let list = get_deployments(&deployments, &k.deployments).await?;
    if named || list.iter().any(|(_, d)| d.is_some()) {
        return Ok(AppDeployments { list, how: None });
    }
    // Only their names are compared: metadata is enough.
    let all = list_names(&deployments, &ListParams::default(), k.page_size)
        .await
        .map_err(|e| kube_error(e, "list deployments"))?;
    let (chosen, how) = choose_deployments(false, &k.deployments, &all);
    let list = get_deployments(&deployments, &chosen).await?;
    Ok(AppDeployments { list, how })
}

async fn get_deployments(
    api: &Api<Deployment>,
    names: &[String],
) -> Result<Vec<(String, Option<Deployment>)>, CheckError> {
    let gets = names.iter().map(|name| async move {
        let deployment = api
            .get_opt(name)
            .await
            .map_err(|e| kube_error(e, &format!("get deployment {name}")))?;
        Ok((name.clone(), deployment))
    });
    futures::future::join_all(gets).await.into_iter().collect()
}

/// The app's deployments (named, default, or found) and the pods each one's selector matches.
pub async fn app_workloads(
    client: kube::Client,
    settings: &Settings,
) -> Result<AppWorkloads, CheckError> {
    let deployments = app_deployments(client.clone(), settings).await?;
    fold_workloads(client, settings, &deployments).await
}

/// The pods each of `deployments` selects, folded (all at once).
pub async fn fold_workloads(
    client: kube::Client,
    settings: &Settings,
    deployments: &AppDeployments,
) -> Result<AppWorkloads, CheckError> {
    let pods: Api<Pod> = Api::namespaced(client, &settings.namespace);
    let restart_warning = settings.kubernetes.restart_warning;
    let reads = deployments.list.iter().map(|(name, deployment)| {
        let pods = pods.clone();
        async move {
            let mut fold = PodFold::default();
            let selector = deployment.as_ref().map(label_selector).unwrap_or_default();
            if !selector.is_empty() {
                // From the watch cache, one streamed answer: the server filters in memory, and
                // each pod is folded as it arrives.
                list_cached_pods(&pods, &ListParams::default().labels(&selector), |p| {
                    fold.add(p, restart_warning)
                })
                .await
                .map_err(|e| kube_error(e, &format!("list pods of {name}")))?;
            }
            Ok(AppWorkload {
                name: name.clone(),
                deployment: deployment.clone(),
                pods: fold,
            })
        }
    });
    let list = futures::future::join_all(reads)
        .await
        .into_iter()
        .collect::<Result<_, CheckError>>()?;
    Ok(AppWorkloads {
        list,
        how: deployments.how.clone(),
    })
}

/// Named or the default, else the namespace's whole list of that kind for the caller to look
/// through. `kind` names it in errors (`ingress`, `networkpolicy`).
async fn named_or_default<K>(
    api: &Api<K>,
    settings: &Settings,
    object: AppObject,
    name: &str,
    kind: &str,
) -> Result<Result<Resolved<K>, Vec<K>>, CheckError>
where
    K: kube::Resource + Clone + DeserializeOwned + Debug,
{
    let found = api
        .get_opt(name)
        .await
        .map_err(|e| kube_error(e, &format!("get {kind} {name}")))?;
    if settings.kubernetes.given.contains(&object) {
        return Ok(Ok(Resolved::Named {
            name: name.to_string(),
            object: found,
        }));
    }
    if let Some(o) = found {
        return Ok(Ok(Resolved::Default(o)));
    }
    let all = list_all(api, &ListParams::default(), settings.kubernetes.page_size)
        .await
        .map_err(|e| kube_error(e, &format!("list {kind}s")))?;
    Ok(Err(all))
}

/// The services whose selector selects the app's pods.
pub async fn app_services(
    client: kube::Client,
    settings: &Settings,
    templates: &[AppTemplate],
) -> Result<Vec<String>, CheckError> {
    let api = Api::<Service>::namespaced(client, &settings.namespace);
    let all = list_all(&api, &ListParams::default(), settings.kubernetes.page_size)
        .await
        .map_err(|e| kube_error(e, "list services"))?;
    Ok(all
        .iter()
        .filter(|s| {
            let selector = s.spec.as_ref().and_then(|spec| spec.selector.as_ref());
            selector.is_some_and(|sel| {
                !sel.is_empty()
                    && templates
                        .iter()
                        .any(|t| sel.iter().all(|(k, v)| t.labels.get(k) == Some(v)))
            })
        })
        .filter_map(|s| s.metadata.name.clone())
        .collect())
}

/// The app's deployments whose pods the `services` select (by each service's selector).
pub async fn deployments_behind(
    client: kube::Client,
    settings: &Settings,
    templates: &[AppTemplate],
    services: &[String],
) -> Result<Vec<String>, CheckError> {
    let api = Api::<Service>::namespaced(client, &settings.namespace);
    let all = list_all(&api, &ListParams::default(), settings.kubernetes.page_size)
        .await
        .map_err(|e| kube_error(e, "list services"))?;
    let mut out: Vec<String> = all
        .iter()
        .filter(|s| {
            s.metadata
                .name
                .as_ref()
                .is_some_and(|n| services.contains(n))
        })
        .filter_map(|s| s.spec.as_ref()?.selector.as_ref())
        .filter(|sel| !sel.is_empty())
        .flat_map(|sel| {
            templates
                .iter()
                .filter(|t| sel.iter().all(|(k, v)| t.labels.get(k) == Some(v)))
                .map(|t| t.deployment.clone())
        })
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// The services an ingress routes to.
pub fn ingress_backends(ingress: &Ingress) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(spec) = &ingress.spec {
        if let Some(svc) = spec
            .default_backend
            .as_ref()
            .and_then(|b| b.service.as_ref())
        {
            names.push(svc.name.clone());
        }
        for rule in spec.rules.iter().flatten() {
            for path in rule.http.iter().flat_map(|h| h.paths.iter()) {
                if let Some(svc) = &path.backend.service {
                    names.push(svc.name.clone());
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The app's ingress: named, the default, or the ingresses that route to the app's services.
pub async fn ingresses(
    client: kube::Client,
    settings: &Settings,
    templates: &[AppTemplate],
) -> Result<Resolved<Ingress>, CheckError> {
    let ns = &settings.namespace;
    let api: Api<Ingress> = Api::namespaced(client.clone(), ns);
    let name = &settings.kubernetes.ingress;
    match named_or_default(&api, settings, AppObject::Ingress, name, "ingress").await? {
        Ok(resolved) => Ok(resolved),
        Err(all) => {
            let services = app_services(client, settings, templates).await?;
            Ok(Resolved::Found(routing_to(all, &services)))
        }
    }
}

/// The ingresses among `all` that route to any of `services`, each with how.
pub fn routing_to(all: Vec<Ingress>, services: &[String]) -> Vec<(Ingress, String)> {
    all.into_iter()
        .filter_map(|i| {
            let to: Vec<String> = ingress_backends(&i)
                .into_iter()
                .filter(|b| services.contains(b))
                .collect();
            (!to.is_empty()).then(|| (i, format!("routes to {}", to.join(", "))))
        })
        .collect()
}

/// The app's network policies: named, the default, or those whose podSelector selects the
/// app's pods.
pub async fn network_policies(
    client: kube::Client,
    settings: &Settings,
    templates: &[AppTemplate],
) -> Result<Resolved<NetworkPolicy>, CheckError> {
    let api: Api<NetworkPolicy> = Api::namespaced(client, &settings.namespace);
    let name = &settings.kubernetes.network_policy;
    let object = AppObject::NetworkPolicy;
    Ok(
        match named_or_default(&api, settings, object, name, "networkpolicy").await? {
            Ok(resolved) => resolved,
            Err(all) => Resolved::Found(selecting(all, templates)),
        },
    )
}

/// The policies among `all` that select the pods of any of `templates`, each with how.
pub fn selecting(
    all: Vec<NetworkPolicy>,
    templates: &[AppTemplate],
) -> Vec<(NetworkPolicy, String)> {
    all.into_iter()
        .filter_map(|p| {
            let selector = p
                .spec
                .as_ref()
                .and_then(|s| s.pod_selector.clone())
                .unwrap_or_default();
            let of = selected_deployments(&selector, templates);
            (!of.is_empty()).then(|| (p, format!("selects the pods of {}", of.join(", "))))
        })
        .collect()
}

/// The configmaps (or secrets) the app uses: named, the default, or those its pod templates
/// reference. Only names and how: the caller reads each (a secret's keys, never its values).
pub fn referenced(
    templates: &[AppTemplate],
    pick: impl Fn(&AppTemplate) -> &BTreeMap<String, &'static str>,
) -> Vec<(String, String)> {
    let mut by_name: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for t in templates {
        for (name, how) in pick(t) {
            by_name
                .entry(name)
                .or_default()
                .insert(format!("{} ({how})", t.deployment));
        }
    }
    by_name
        .into_iter()
        .map(|(name, users)| {
            let users: Vec<String> = users.into_iter().collect();
            (name.to_string(), format!("used by {}", users.join(", ")))
        })
        .collect()
}

/// What was found for one kind of object, for `config show` and `doctor`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub object: &'static str,
    /// `web (found: routes to backend)`, `backend, frontend (named)`.
    pub found: String,
    /// False when a named object does not exist, or none was found.
    pub ok: bool,
}

fn described<T: kube::Resource>(object: &'static str, resolved: &Resolved<T>) -> Finding {
    let name = |o: &T| o.meta().name.clone().unwrap_or_default();
    let (found, ok) = match resolved {
        Resolved::Named {
            name,
            object: Some(_),
        } => (format!("{name} (named)"), true),
        Resolved::Named { name, object: None } => {
            (format!("{name} (named, does not exist)"), false)
        }
        Resolved::Default(o) => (format!("{} (default name)", name(o)), true),
        Resolved::Found(list) if list.is_empty() => ("none found".to_string(), false),
        Resolved::Found(list) => {
            let each: Vec<String> = list
                .iter()
                .map(|(o, how)| format!("{} (found: {how})", name(o)))
                .collect();
            (each.join("; "), true)
        }
    };
    Finding { object, found, ok }
}

/// The app's objects as a command would find them: deployments, ingress, network policies,
/// and the configmaps and secrets its pods use.
pub async fn describe(
    client: kube::Client,
    settings: &Settings,
) -> Result<Vec<Finding>, CheckError> {
    // Templates, names and how they were chosen come from the deployments: their pods (thousands
    // in a big app) need not be read.
    let deployments = app_deployments(client.clone(), settings).await?;
    let templates = deployments.templates();
    let existing: Vec<&str> = deployments
        .list
        .iter()
        .filter(|(_, d)| d.is_some())
        .map(|(name, _)| name.as_str())
        .collect();
    let how = match (
        &deployments.how,
        settings.kubernetes.given.contains(&AppObject::Deployments),
    ) {
        (Some(how), _) => format!("found: {how}"),
        (None, true) => "named".to_string(),
        (None, false) => "default names".to_string(),
    };
    let mut out = vec![Finding {
        object: "deployments",
        found: format!("{} ({how})", existing.join(", ")),
        ok: !existing.is_empty() && existing.len() == deployments.list.len(),
    }];
    out.push(described(
        "ingress",
        &ingresses(client.clone(), settings, &templates).await?,
    ));
    out.push(described(
        "network policy",
        &network_policies(client, settings, &templates).await?,
    ));
    for (object, list) in [
        (
            "configmaps used by the pods",
            referenced(&templates, |t| &t.configmaps),
        ),
        (
            "secrets used by the pods",
            referenced(&templates, |t| &t.secrets),
        ),
    ] {
        let found = if list.is_empty() {
            "none".to_string()
        } else {
            let each: Vec<String> = list.iter().map(|(n, how)| format!("{n} ({how})")).collect();
            each.join("; ")
        };
        out.push(Finding {
            object,
            found,
            ok: true,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod kube_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object<T: DeserializeOwned>(v: serde_json::Value) -> T {
        serde_json::from_value(v).expect("a valid object")
    }

    fn workload(name: &str, labels: serde_json::Value, spec: serde_json::Value) -> AppWorkload {
        AppWorkload {
            name: name.into(),
            deployment: Some(object(json!({
                "metadata": {"name": name},
                "spec": {"selector": {"matchLabels": {"app": name}},
                         "template": {"metadata": {"labels": labels}, "spec": spec}}
            }))),
            pods: PodFold::default(),
        }
    }

    fn app() -> Vec<AppTemplate> {
        templates(&[
            workload(
                "api",
                json!({"app": "api", "tier": "app"}),
                json!({"containers": [{"name": "api",
                    "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "payments-db", "key": "password"}}}],
                    "envFrom": [{"configMapRef": {"name": "payments-env"}}]}],
                    "volumes": [{"name": "certs", "secret": {"secretName": "payments-tls"}}]}),
            ),
            workload(
                "web",
                json!({"app": "web", "tier": "app"}),
                json!({"containers": [{"name": "web", "envFrom": [{"configMapRef": {"name": "payments-env"}}]}]}),
            ),
        ])
    }

    #[test]
    fn templates_name_the_configmaps_and_secrets_they_use() {
        let t = app();
        assert_eq!(t[0].configmaps.get("payments-env"), Some(&"envFrom"));
        assert_eq!(t[0].secrets.get("payments-db"), Some(&"env"));
        assert_eq!(t[0].secrets.get("payments-tls"), Some(&"volume"));
        assert_eq!(
            referenced(&t, |t| &t.configmaps),
            vec![(
                "payments-env".to_string(),
                "used by api (envFrom), web (envFrom)".to_string()
            )]
        );
    }

    #[test]
    fn selectors_match_labels_and_expressions() {
        let labels: BTreeMap<String, String> = [("app", "api"), ("tier", "app")]
            .map(|(k, v)| (k.into(), v.into()))
            .into();
        let sel = |v| object::<LabelSelector>(v);
        assert!(selects(&sel(json!({})), &labels));
        assert!(selects(
            &sel(json!({"matchLabels": {"tier": "app"}})),
            &labels
        ));
        assert!(!selects(
            &sel(json!({"matchLabels": {"tier": "db"}})),
            &labels
        ));
        assert!(selects(
            &sel(
                json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["api", "web"]}]})
            ),
            &labels
        ));
        assert!(!selects(
            &sel(
                json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["api"]}]})
            ),
            &labels
        ));
        assert!(selects(
            &sel(json!({"matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]})),
            &labels
        ));
        assert!(!selects(
            &sel(json!({"matchExpressions": [{"key": "app", "operator": "Bogus"}]})),
            &labels
        ));
    }

    #[test]
    fn policies_and_ingresses_are_found_by_their_relation_to_the_app() {
        let policies: Vec<NetworkPolicy> = vec![
            object(
                json!({"metadata": {"name": "allow-office"}, "spec": {"podSelector": {"matchLabels": {"tier": "app"}}}}),
            ),
            object(
                json!({"metadata": {"name": "db-only"}, "spec": {"podSelector": {"matchLabels": {"app": "postgres"}}}}),
            ),
        ];
        let found = selecting(policies, &app());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.metadata.name.as_deref(), Some("allow-office"));
        assert_eq!(found[0].1, "selects the pods of api, web");

        let ingresses: Vec<Ingress> = vec![
            object(
                json!({"metadata": {"name": "edge"}, "spec": {"defaultBackend": {"service": {"name": "api-svc", "port": {"number": 80}}}}}),
            ),
            object(
                json!({"metadata": {"name": "other"}, "spec": {"defaultBackend": {"service": {"name": "blog", "port": {"number": 80}}}}}),
            ),
        ];
        let found = routing_to(ingresses, &["api-svc".to_string()]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "routes to api-svc");
    }

    #[test]
    fn deployments_are_named_else_the_defaults_else_every_one() {
        let defaults = vec!["backend".to_string(), "frontend".to_string()];
        let existing = vec!["api".to_string(), "web".to_string()];
        assert_eq!(
            choose_deployments(true, &defaults, &existing),
            (defaults.clone(), None)
        );
        let with_backend = vec!["backend".to_string()];
        assert_eq!(
            choose_deployments(false, &defaults, &with_backend),
            (defaults.clone(), None)
        );
        let (chosen, how) = choose_deployments(false, &defaults, &existing);
        assert_eq!(chosen, existing);
        assert_eq!(
            how.as_deref(),
            Some("backend, frontend not found: using every deployment of the namespace")
        );
        assert_eq!(
            choose_deployments(false, &defaults, &[]).0,
            Vec::<String>::new()
        );
    }
}
