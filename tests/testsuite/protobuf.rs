//! The app's pods are read in the API server's protobuf encoding: on the real kube-apiserver,
//! every pod of the incident read that way is the pod its JSON gives, field for field of what
//! the checks keep (a field mapped wrong, or missing, from protobuf fails here).

use crate::support::incident;
use incidentctl::clients::kube::pod::{kept_of_pod, list_cached_pods, Encoding};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};

#[test]
fn every_pod_read_in_protobuf_is_the_pod_its_json_gives() {
    let w = incident();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let kubeconfig = kube::config::Kubeconfig::read_from(&w.kubeconfig).unwrap();
        let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
            .await
            .unwrap();
        let client = kube::Client::try_from(config).unwrap();
        let api: Api<Pod> = Api::default_namespaced(client);

        let mut by_json: Vec<Pod> = api
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(kept_of_pod)
            .collect();
        let mut by_protobuf = Vec::new();
        let encoding = list_cached_pods(&api, &ListParams::default(), |p| by_protobuf.push(p))
            .await
            .unwrap();
        assert_eq!(
            encoding,
            Encoding::Protobuf,
            "the real server answers protobuf"
        );

        let name = |p: &Pod| p.metadata.name.clone();
        by_json.sort_by_key(name);
        by_protobuf.sort_by_key(name);
        assert_eq!(by_protobuf.len(), by_json.len());
        for (p, j) in by_protobuf.iter().zip(&by_json) {
            assert_eq!(p, j, "{:?}", j.metadata.name);
        }
        // The comparison saw what the checks judge: owners, limits, crash loops, last states.
        let statuses = || {
            by_json
                .iter()
                .flat_map(|p| p.status.iter())
                .flat_map(|s| s.container_statuses.iter().flatten())
        };
        assert!(by_json
            .iter()
            .any(|p| p.metadata.owner_references.is_some()));
        assert!(by_json
            .iter()
            .flat_map(|p| p.spec.iter().flat_map(|s| &s.containers))
            .any(|c| c.resources.as_ref().is_some_and(|r| r.limits.is_some())));
        assert!(statuses().any(|c| c.restart_count > 0));
        assert!(statuses().any(|c| c
            .last_state
            .as_ref()
            .is_some_and(|s| s.terminated.is_some())));
        assert!(statuses().any(|c| c.state.as_ref().is_some_and(|s| s.waiting.is_some())));
    });
}
