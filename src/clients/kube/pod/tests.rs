use super::*;
use prost::Message;
use serde_json::json;

#[test]
fn a_kept_pod_has_what_the_checks_read_and_no_secret_or_bulk() {
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "api-1", "labels": {"app": "api"},
                     "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{…}"},
                     "managedFields": [{"manager": "kubelet", "operation": "Update"}]},
        "spec": {"nodeName": "n1", "volumes": [{"name": "v", "emptyDir": {}}],
                 "containers": [{"name": "api", "image": "api:1",
                                 "env": [{"name": "DB_PASSWORD", "value": "hunter2"}],
                                 "resources": {"limits": {"memory": "128Mi"}}}]},
        "status": {"phase": "Running",
                   "containerStatuses": [{"name": "api", "image": "api:1", "imageID": "",
                                          "ready": false, "restartCount": 7}]}
    }))
    .unwrap();
    let kept = kept_of_pod(pod.clone());
    let text = serde_json::to_string(&kept).unwrap();
    for gone in ["hunter2", "managedFields", "last-applied", "emptyDir"] {
        assert!(!text.contains(gone), "{gone} kept: {text}");
    }
    assert_eq!(kept.status, pod.status);
    assert_eq!(kept.metadata.labels, pod.metadata.labels);
    let spec = kept.spec.unwrap();
    assert_eq!(spec.node_name.as_deref(), Some("n1"));
    assert_eq!(
        spec.containers[0].resources,
        pod.spec.unwrap().containers[0].resources
    );
}

#[test]
fn a_listed_pod_is_the_whole_pod_kept() {
    let text = json!({
        "metadata": {"name": "backend-1", "generateName": "backend-", "namespace": "ns",
            "uid": "u-1", "resourceVersion": "42", "generation": 1, "selfLink": "/x",
            "creationTimestamp": "2026-01-02T00:00:00Z",
            "deletionTimestamp": "2026-01-03T00:00:00Z", "deletionGracePeriodSeconds": 30,
            "finalizers": ["f"], "labels": {"app": "backend"},
            "annotations": {"a": "b"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "name": "backend-7", "uid": "rs", "controller": true}],
            "managedFields": [{"manager": "kube-controller-manager", "operation": "Update",
                "apiVersion": "v1", "fieldsType": "FieldsV1",
                "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}}}]},
        "spec": {"nodeName": "node-1", "volumes": [{"name": "v", "emptyDir": {}}],
            "containers": [{"name": "backend", "image": "b:1",
                "env": [{"name": "K", "value": "secret"}],
                "resources": {"limits": {"cpu": "1", "memory": "2Gi"}}}]},
        "status": {"phase": "Running", "podIP": "10.0.0.1",
            "conditions": [{"type": "Ready", "status": "True"}],
            "containerStatuses": [{"name": "backend", "image": "b:1", "imageID": "",
                "ready": true, "restartCount": 3,
                "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}]}
    })
    .to_string();
    let whole: Pod = serde_json::from_str(&text).unwrap();
    let listed: ListedPod = serde_json::from_str(&text).unwrap();
    let kept = kept_of_pod(whole);
    assert_eq!(Pod::from(listed), kept);
    assert!(kept.metadata.owner_references.is_some() && kept.status.is_some());
    for text in [
        r#"{}"#,
        r#"{"metadata": null, "status": {"phase": "Pending"}}"#,
    ] {
        let whole: Pod = serde_json::from_str(text).unwrap();
        let listed: ListedPod = serde_json::from_str(text).unwrap();
        assert_eq!(Pod::from(listed), kept_of_pod(whole), "{text}");
    }
}

fn time(seconds: i64) -> Option<messages::Time> {
    Some(messages::Time {
        seconds: Some(seconds),
        nanos: Some(0),
    })
}

/// A pod as the API server writes it in protobuf: Go's empty strings, zeros and zero times
/// written out where its JSON leaves them out.
#[test]
fn a_protobuf_pod_reads_as_its_json_does() {
    let json: Pod = serde_json::from_value(json!({
        "metadata": {"name": "backend-1", "namespace": "ns", "uid": "u-1",
            "resourceVersion": "42", "creationTimestamp": "2026-01-02T00:00:00Z",
            "labels": {"app": "backend"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "name": "backend-7", "uid": "rs", "controller": true}]},
        "spec": {"nodeName": "node-1",
            "containers": [{"name": "backend", "image": "b:1",
                "resources": {"limits": {"cpu": "1", "memory": "2Gi"}}}]},
        "status": {"phase": "Running", "startTime": "2026-01-02T00:00:01Z",
            "conditions": [{"type": "Ready", "status": "True",
                                "lastTransitionTime": "2026-01-02T00:00:02Z"},
                           {"type": "PodScheduled", "status": "True", "lastTransitionTime": null}],
            "containerStatuses": [{"name": "backend", "image": "b:1", "imageID": "",
                "ready": true, "restartCount": 3, "started": true,
                "state": {"running": {"startedAt": "2026-01-02T00:00:03Z"}},
                "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled",
                    "finishedAt": "2026-01-02T00:00:04Z", "startedAt": null}}}]}
    }))
    .unwrap();
    let t0 = 1_767_312_000; // 2026-01-02T00:00:00Z
    let proto = messages::Pod {
        metadata: Some(messages::ObjectMeta {
            name: Some("backend-1".into()),
            generate_name: Some(String::new()),
            namespace: Some("ns".into()),
            uid: Some("u-1".into()),
            resource_version: Some("42".into()),
            creation_timestamp: time(t0),
            deletion_timestamp: None,
            labels: [("app".to_string(), "backend".to_string())].into(),
            owner_references: vec![messages::OwnerReference {
                kind: Some("ReplicaSet".into()),
                name: Some("backend-7".into()),
                uid: Some("rs".into()),
                api_version: Some("apps/v1".into()),
                controller: Some(true),
                block_owner_deletion: None,
            }],
        }),
        spec: Some(messages::PodSpec {
            containers: vec![messages::Container {
                name: Some("backend".into()),
                image: Some("b:1".into()),
                resources: Some(messages::ResourceRequirements {
                    limits: [
                        ("cpu".to_string(), quantity("1")),
                        ("memory".to_string(), quantity("2Gi")),
                    ]
                    .into(),
                    requests: Default::default(),
                }),
            }],
            node_name: Some("node-1".into()),
            init_containers: vec![],
        }),
        status: Some(messages::PodStatus {
            phase: Some("Running".into()),
            conditions: vec![
                condition("Ready", time(t0 + 2)),
                // Go's zero time, written as an empty message.
                condition("PodScheduled", Some(messages::Time::default())),
            ],
            message: Some(String::new()),
            reason: Some(String::new()),
            start_time: time(t0 + 1),
            container_statuses: vec![messages::ContainerStatus {
                name: Some("backend".into()),
                state: Some(messages::ContainerState {
                    running: Some(messages::ContainerStateRunning {
                        started_at: time(t0 + 3),
                    }),
                    ..Default::default()
                }),
                last_state: Some(messages::ContainerState {
                    terminated: Some(messages::ContainerStateTerminated {
                        exit_code: Some(137),
                        signal: Some(0),
                        reason: Some("OOMKilled".into()),
                        message: Some(String::new()),
                        // Go's zero time, written out in seconds.
                        started_at: time(GO_ZERO_TIME),
                        finished_at: time(t0 + 4),
                    }),
                    ..Default::default()
                }),
                ready: Some(true),
                restart_count: Some(3),
                image: Some("b:1".into()),
                started: Some(true),
            }],
            init_container_statuses: vec![],
        }),
    };
    assert_eq!(
        pod_of_protobuf(&proto.encode_to_vec()).unwrap(),
        kept_of_pod(json)
    );
    assert!(matches!(
        pod_of_protobuf(b"\x0a\xff"),
        Err(ReadError::Invalid(_))
    ));
}

fn quantity(q: &str) -> messages::Quantity {
    messages::Quantity {
        string: Some(q.into()),
    }
}

fn condition(kind: &str, at: Option<messages::Time>) -> messages::PodCondition {
    messages::PodCondition {
        r#type: Some(kind.into()),
        status: Some("True".into()),
        last_transition_time: at,
        reason: Some(String::new()),
        message: Some(String::new()),
    }
}
