//! The seed's `kubectl get ingress` step (App Down): the ingress exists, has an address, and
//! the services it routes to exist.

use super::ingress_backends;
use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::context::kube_error;
use crate::settings::Settings;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::Api;

pub const LEVELS: &[&Level] = &[];

#[derive(Debug, Clone)]
pub struct Snapshot {
    /// None: the configured ingress does not exist.
    pub ingress: Option<Ingress>,
    /// Backend services of the ingress that do not exist.
    pub missing_services: Vec<String>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let client = r.ctx.kube().await?;
    let ns = &r.settings().namespace;
    let name = &r.settings().kubernetes.ingress;
    let ingress = Api::<Ingress>::namespaced(client.clone(), ns)
        .get_opt(name)
        .await
        .map_err(|e| kube_error(e, &format!("get ingress {name}")))?;
    let services: Api<Service> = Api::namespaced(client, ns);
    let mut missing_services = Vec::new();
    for svc in ingress.iter().flat_map(ingress_backends) {
        let found = services
            .get_opt(&svc)
            .await
            .map_err(|e| kube_error(e, &format!("get service {svc}")))?;
        if found.is_none() {
            missing_services.push(svc);
        }
    }
    Ok(Snapshot {
        ingress,
        missing_services,
    })
}

/// Critical when the ingress or a backend service is missing; warning without an address.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let name = &settings.kubernetes.ingress;
    let Some(ing) = &s.ingress else {
        return Ok(Finding::new(
            Status::Critical,
            format!(
                "ingress {name} not found in namespace {}",
                settings.namespace
            ),
        ));
    };
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
    let missing = &s.missing_services;
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
    Ok(finding.evidence(evidence))
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
        let s = Snapshot {
            ingress,
            missing_services: missing.iter().map(|s| s.to_string()).collect(),
        };
        assess(&s, &default_settings()).unwrap()
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
