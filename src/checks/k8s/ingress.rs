//! The seed's `kubectl get ingress` step (App Down): the ingress exists, has an address, and
//! the services it routes to exist.

use super::ingress_backends;
use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::context::kube_error;
use crate::discovery::Resolved;
use crate::settings::Settings;
use crate::types::{KubePermission, KubePermissions};
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::Api;
use std::collections::BTreeMap;

pub const LEVELS: &[&Level] = &[];

/// What `read` asks the API server: the app's workloads and ingress, then each backend service by name.
pub const KUBE_PERMISSIONS: KubePermissions = &[
    crate::discovery::permissions::WORKLOADS_PERMISSIONS,
    crate::discovery::permissions::INGRESSES_PERMISSIONS,
    &[KubePermission::namespaced("get", "", "services")],
];

#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The app's ingress: named, the default, or those found routing to the app's services.
    pub ingresses: Resolved<Ingress>,
    /// Backend services that do not exist, by ingress.
    pub missing_services: BTreeMap<String, Vec<String>>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let client = r.ctx.kube().await?;
    let ingresses = (*r.app_ingresses().await?).clone();
    let services: Api<Service> = Api::namespaced(client, &r.settings().namespace);
    let mut missing_services = BTreeMap::new();
    for (ing, _) in ingresses.objects() {
        let name = ing.metadata.name.clone().unwrap_or_default();
        for svc in ingress_backends(ing) {
            let found = services
                .get_opt(&svc)
                .await
                .map_err(|e| kube_error(e, &format!("get service {svc}")))?;
            if found.is_none() {
                missing_services
                    .entry(name.clone())
                    .or_insert_with(Vec::new)
                    .push(svc);
            }
        }
    }
    Ok(Snapshot {
        ingresses,
        missing_services,
    })
}

/// Critical when a named ingress or a backend service is missing; warning without an address.
/// Not named and none routing to the app is no fault of the platform: ok, saying so.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let ns = &settings.namespace;
    let found = match &s.ingresses {
        Resolved::Named { name, object: None } => {
            return Ok(Finding::new(
                Status::Critical,
                format!("ingress {name} not found in namespace {ns}"),
            ));
        }
        Resolved::Found(found) if found.is_empty() => {
            return Ok(Finding::ok(format!(
                "no ingress routes to the app's services ({} not found, none named)",
                settings.kubernetes.ingress
            ))
            .evidence([
                "name one with --ingress or kubernetes.ingress if the app has one".to_string(),
            ]));
        }
        _ => s.ingresses.objects(),
    };
    let findings: Vec<Finding> = found
        .into_iter()
        .map(|(ing, how)| {
            let name = ing.metadata.name.clone().unwrap_or_default();
            let missing = s.missing_services.get(&name).map_or(&[][..], Vec::as_slice);
            let mut f = judge(ing, &name, missing);
            if let Some(how) = how {
                f.evidence.insert(0, format!("ingress {name} found: {how}"));
            }
            f
        })
        .collect();
    Ok(worst(findings))
}

/// The worst of several ingresses' findings, with every one's evidence.
fn worst(findings: Vec<Finding>) -> Finding {
    let evidence: Vec<String> = findings.iter().flat_map(|f| f.evidence.clone()).collect();
    let mut worst = findings
        .into_iter()
        .max_by_key(|f| f.status)
        .unwrap_or_else(|| Finding::ok("no ingress"));
    worst.evidence = evidence;
    worst
}

/// One ingress: its address and whether its backend services exist.
fn judge(ing: &Ingress, name: &str, missing: &[String]) -> Finding {
    let addresses: Vec<String> = ing
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .map(|list| {
            list.iter()
                .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                .collect()
        })
        .unwrap_or_default();
    let backends = ingress_backends(ing);
    let mut evidence = vec![
        format!(
            "address: {}",
            if addresses.is_empty() {
                "none".to_string()
            } else {
                addresses.join(", ")
            }
        ),
        format!("backends: {}", backends.join(", ")),
    ];
    let finding = if !missing.is_empty() {
        evidence.push(format!("missing services: {}", missing.join(", ")));
        Finding::new(
            Status::Critical,
            format!("backend service(s) missing: {}", missing.join(", ")),
        )
    } else if addresses.is_empty() {
        Finding::new(Status::Warning, format!("ingress {name} has no address"))
    } else {
        Finding::ok(format!(
            "ingress {name} at {} routes to {} service(s)",
            addresses.join(", "),
            backends.len()
        ))
    };
    finding.evidence(evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;
    use crate::checks::k8s::fixtures::object;
    use serde_json::json;

    fn ingress(address: Option<&str>) -> Ingress {
        let status = match address {
            Some(ip) => json!({"loadBalancer": {"ingress": [{"ip": ip}]}}),
            None => json!({}),
        };
        object(json!({
            "metadata": {"name": "reconciliation-ingress"},
            "spec": {"rules": [{"http": {"paths": [
                {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "backend", "port": {"number": 8080}}}},
                {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "frontend", "port": {"number": 80}}}}
            ]}}]},
            "status": status
        }))
    }

    fn assess_of(ingress: Option<Ingress>, missing: &[&str]) -> Finding {
        let ingresses = match ingress {
            Some(i) => Resolved::Default(i),
            None => Resolved::Named {
                name: "reconciliation-ingress".into(),
                object: None,
            },
        };
        let missing: Vec<String> = missing.iter().map(|s| s.to_string()).collect();
        let s = Snapshot {
            ingresses,
            missing_services: BTreeMap::from([("reconciliation-ingress".to_string(), missing)]),
        };
        assess(&s, &default_settings()).unwrap()
    }

    #[test]
    fn a_found_ingress_says_how_and_none_found_is_ok() {
        let mut web = ingress(Some("10.0.0.9"));
        web.metadata.name = Some("web".into());
        let s = Snapshot {
            ingresses: Resolved::Found(vec![(web, "routes to backend, frontend".into())]),
            missing_services: BTreeMap::new(),
        };
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "ingress web at 10.0.0.9 routes to 2 service(s)");
        assert_eq!(
            f.evidence[0],
            "ingress web found: routes to backend, frontend"
        );
        let none = Snapshot {
            ingresses: Resolved::Found(Vec::new()),
            missing_services: BTreeMap::new(),
        };
        let f = assess(&none, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "no ingress routes to the app's services (reconciliation-ingress not found, none named)"
        );
    }

    #[test]
    fn an_addressed_ingress_with_its_services_is_ok() {
        let f = assess_of(Some(ingress(Some("10.0.0.7"))), &[]);
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "ingress reconciliation-ingress at 10.0.0.7 routes to 2 service(s)"
        );
        assert_eq!(
            f.evidence,
            vec!["address: 10.0.0.7", "backends: backend, frontend"]
        );
    }

    #[test]
    fn no_address_is_a_warning() {
        let f = assess_of(Some(ingress(None)), &[]);
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.summary, "ingress reconciliation-ingress has no address");
        assert_eq!(f.evidence[0], "address: none");
    }

    #[test]
    fn a_missing_service_or_ingress_is_critical() {
        let f = assess_of(Some(ingress(Some("10.0.0.7"))), &["backend"]);
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "backend service(s) missing: backend");
        assert_eq!(f.evidence[2], "missing services: backend");
        let f = assess_of(None, &[]);
        assert_eq!(f.status, Status::Critical);
        assert_eq!(
            f.summary,
            "ingress reconciliation-ingress not found in namespace reconciliation"
        );
    }
}
