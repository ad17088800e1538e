//! The seed's "check service endpoints" step (App Down): every backend service has ready
//! endpoint addresses, or traffic has nowhere to go.

use super::ingress_backends;
use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::clients::kube::kube_error;
use crate::discovery;
use crate::settings::Settings;
use crate::types::{KubePermission, KubePermissions};
use k8s_openapi::api::core::v1::Endpoints;
use kube::api::Api;
use serde::de::{Deserialize, Deserializer, IgnoredAny, SeqAccess, Visitor};

pub const LEVELS: &[&Level] = &[];

/// What `read` asks the API server: the services to look at (the ingress's backends, else those selecting the app's pods), then each one's endpoints.
pub const KUBE_PERMISSIONS: KubePermissions = &[
    crate::discovery::permissions::WORKLOADS_PERMISSIONS,
    crate::discovery::permissions::INGRESSES_PERMISSIONS,
    crate::discovery::permissions::SERVICES_PERMISSIONS,
    &[KubePermission::namespaced("get", "", "endpoints")],
];

/// The addresses behind one service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceEndpoints {
    pub service: String,
    /// None: the service has no endpoints object at all.
    pub addresses: Option<Addresses>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Addresses {
    pub ready: usize,
    pub not_ready: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub services: Vec<ServiceEndpoints>,
}

/// An Endpoints object as this check reads it: how many addresses each subset has, ready or
/// not. The addresses themselves are passed over as they are parsed: a service in front of
/// 20,000 pods has 20,000 of them, and the check only counts.
#[derive(Debug, Default, serde::Deserialize)]
struct EndpointsCount {
    #[serde(default)]
    subsets: Option<Vec<SubsetCount>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubsetCount {
    #[serde(default)]
    addresses: Count,
    #[serde(default)]
    not_ready_addresses: Count,
}

impl EndpointsCount {
    fn addresses(&self) -> Addresses {
        self.subsets.iter().flatten().fold(
            Addresses {
                ready: 0,
                not_ready: 0,
            },
            |sum, s| Addresses {
                ready: sum.ready + s.addresses.0,
                not_ready: sum.not_ready + s.not_ready_addresses.0,
            },
        )
    }
}

/// The length of a JSON array (null: none), its elements skipped unread.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Count(usize);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(CountVisitor)
    }
}

struct CountVisitor;

impl<'de> Visitor<'de> for CountVisitor {
    type Value = Count;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of addresses")
    }

    fn visit_none<E>(self) -> Result<Count, E> {
        Ok(Count(0))
    }

    fn visit_unit<E>(self) -> Result<Count, E> {
        Ok(Count(0))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Count, D::Error> {
        d.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
        let mut n = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(Count(n))
    }
}

/// The services to look at: the configured ones, else the app's ingress's backends, else the
/// services that select the app's pods, else services named like the app's deployments.
async fn services_to_check(r: &Readings, client: kube::Client) -> Result<Vec<String>, CheckError> {
    let settings = r.settings();
    if !settings.kubernetes.services.is_empty() {
        return Ok(settings.kubernetes.services.clone());
    }
    let deployments = r.app_deployments().await?;
    let templates = deployments.templates();
    let ingresses = r.app_ingresses().await?;
    let mut backends: Vec<String> = ingresses
        .objects()
        .into_iter()
        .flat_map(|(i, _)| ingress_backends(i))
        .collect();
    backends.sort();
    backends.dedup();
    if !backends.is_empty() {
        return Ok(backends);
    }
    let selecting = discovery::app_services(client, settings, &templates).await?;
    if !selecting.is_empty() {
        return Ok(selecting);
    }
    Ok(deployments
        .list
        .iter()
        .map(|(name, _)| name.clone())
        .collect())
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let client = r.ctx.kube().await?;
    let api: Api<Endpoints> = Api::namespaced(client.clone(), &r.settings().namespace);
    let mut services = Vec::new();
    for service in services_to_check(r, client).await? {
        let counted: Option<EndpointsCount> =
            crate::clients::kube::list::get_reduced(&api, &service)
                .await
                .map_err(|e| kube_error(e, &format!("get endpoints {service}")))?;
        let addresses = counted.map(|c| c.addresses());
        services.push(ServiceEndpoints { service, addresses });
    }
    Ok(Snapshot { services })
}

/// Critical when any service has no ready address.
pub fn assess(s: &Snapshot, _settings: &Settings) -> CheckOutcome {
    let mut evidence = Vec::new();
    let mut empty = Vec::new();
    for svc in &s.services {
        let name = &svc.service;
        match svc.addresses {
            None => evidence.push(format!("{name}: no endpoints object")),
            Some(a) => evidence.push(format!(
                "{name}: {} ready, {} not ready",
                a.ready, a.not_ready
            )),
        }
        if svc.addresses.is_none_or(|a| a.ready == 0) {
            empty.push(name.clone());
        }
    }
    let finding = if empty.is_empty() {
        Finding::ok(format!(
            "{} service(s) have ready endpoints",
            s.services.len()
        ))
    } else {
        Finding::new(
            Status::Critical,
            format!("no ready endpoints for {}", empty.join(", ")),
        )
    };
    Ok(finding
        .value(empty.len() as f64, "services without endpoints")
        .evidence(evidence))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::default_settings;

    fn service(name: &str, addresses: Option<(usize, usize)>) -> ServiceEndpoints {
        ServiceEndpoints {
            service: name.into(),
            addresses: addresses.map(|(ready, not_ready)| Addresses { ready, not_ready }),
        }
    }

    fn assess_of(services: Vec<ServiceEndpoints>) -> Finding {
        assess(&Snapshot { services }, &default_settings()).unwrap()
    }

    /// The counts are those of the whole object as kube parses it, whatever the subsets hold.
    #[test]
    fn an_endpoints_object_is_counted_as_the_whole_object_would_be() {
        let address = |i: usize| {
            serde_json::json!({"ip": format!("10.0.{}.{}", i / 250, i % 250), "nodeName": "node-1",
                "targetRef": {"kind": "Pod", "name": format!("backend-{i}"), "uid": "u"}})
        };
        let text = serde_json::json!({
            "kind": "Endpoints", "apiVersion": "v1", "metadata": {"name": "backend"},
            "subsets": [
                {"addresses": (0..3000).map(address).collect::<Vec<_>>(),
                 "notReadyAddresses": [address(9000)], "ports": [{"port": 8080}]},
                {"notReadyAddresses": null, "ports": [{"port": 9090}]},
                {"addresses": [address(1)], "notReadyAddresses": [address(2), address(3)]}
            ]
        })
        .to_string();
        let counted: EndpointsCount = serde_json::from_str(&text).unwrap();
        let whole: Endpoints = serde_json::from_str(&text).unwrap();
        let of_whole = whole.subsets.iter().flatten().fold((0, 0), |(r, n), s| {
            (
                r + s.addresses.as_ref().map_or(0, Vec::len),
                n + s.not_ready_addresses.as_ref().map_or(0, Vec::len),
            )
        });
        assert_eq!(of_whole, (3001, 3));
        assert_eq!(
            counted.addresses(),
            Addresses {
                ready: 3001,
                not_ready: 3
            }
        );
        for (text, expected) in [
            (r#"{"metadata": {"name": "new"}}"#, (0, 0)),
            (r#"{"subsets": null}"#, (0, 0)),
            (r#"{"subsets": [{}]}"#, (0, 0)),
        ] {
            let a = serde_json::from_str::<EndpointsCount>(text)
                .unwrap()
                .addresses();
            assert_eq!((a.ready, a.not_ready), expected, "{text}");
        }
        assert!(
            serde_json::from_str::<EndpointsCount>(r#"{"subsets": [{"addresses": 5}]}"#).is_err()
        );
    }

    #[test]
    fn ready_addresses_everywhere_is_ok() {
        let f = assess_of(vec![
            service("backend", Some((2, 1))),
            service("frontend", Some((1, 0))),
        ]);
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "2 service(s) have ready endpoints");
        assert_eq!(f.value, Some(0.0));
        // The VALUE column counts the services without any, and says so.
        assert_eq!(f.unit, Some("services without endpoints"));
        assert_eq!(
            f.evidence,
            vec![
                "backend: 2 ready, 1 not ready",
                "frontend: 1 ready, 0 not ready"
            ]
        );
    }

    #[test]
    fn a_service_with_only_unready_or_no_endpoints_is_critical() {
        let f = assess_of(vec![
            service("backend", Some((0, 2))),
            service("frontend", None),
            service("api", Some((1, 0))),
        ]);
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "no ready endpoints for backend, frontend");
        assert_eq!(f.value, Some(2.0));
        assert_eq!(f.evidence[1], "frontend: no endpoints object");
    }
}
