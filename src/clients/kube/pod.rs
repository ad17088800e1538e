//! A pod as the checks read it, from either encoding the API server answers in: its names,
//! labels, owners, node, each container's name, image and resources, and its statuses. What no
//! check reads (managed fields, annotations, volumes, environment: values may be secrets) is
//! never kept, and the app's pods, the biggest read of a diagnosis, are asked for in protobuf.

pub use super::list::Encoding;
use super::protobuf::{self, messages, ReadError};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, Pod, PodCondition, PodSpec, PodStatus,
    ResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};
use std::collections::BTreeMap;

/// The pod with only what the checks read: every field kept is named here, and both
/// encodings keep the same ones (the protobuf reading below builds exactly this shape, and an
/// end-to-end test holds the two equal on a real API server).
pub fn kept_of_pod(pod: Pod) -> Pod {
    let m = pod.metadata;
    Pod {
        metadata: ObjectMeta {
            name: m.name,
            generate_name: m.generate_name,
            namespace: m.namespace,
            uid: m.uid,
            resource_version: m.resource_version,
            creation_timestamp: m.creation_timestamp,
            deletion_timestamp: m.deletion_timestamp,
            labels: m.labels,
            owner_references: m.owner_references,
            ..ObjectMeta::default()
        },
        spec: pod.spec.map(|s| PodSpec {
            containers: s.containers.into_iter().map(kept_container).collect(),
            init_containers: s
                .init_containers
                .map(|c| c.into_iter().map(kept_container).collect()),
            node_name: s.node_name,
            ..PodSpec::default()
        }),
        status: pod.status.map(|s| PodStatus {
            phase: s.phase,
            message: s.message,
            reason: s.reason,
            start_time: s.start_time,
            conditions: s.conditions.map(|c| {
                c.into_iter()
                    .map(|c| PodCondition {
                        type_: c.type_,
                        status: c.status,
                        last_transition_time: c.last_transition_time,
                        reason: c.reason,
                        message: c.message,
                        ..PodCondition::default()
                    })
                    .collect()
            }),
            container_statuses: s
                .container_statuses
                .map(|c| c.into_iter().map(kept_status).collect()),
            init_container_statuses: s
                .init_container_statuses
                .map(|c| c.into_iter().map(kept_status).collect()),
            ..PodStatus::default()
        }),
    }
}

fn kept_container(c: Container) -> Container {
    Container {
        name: c.name,
        image: c.image,
        resources: c.resources.map(|r| ResourceRequirements {
            limits: r.limits,
            requests: r.requests,
            ..ResourceRequirements::default()
        }),
        ..Container::default()
    }
}

fn kept_status(c: ContainerStatus) -> ContainerStatus {
    ContainerStatus {
        name: c.name,
        image: c.image,
        ready: c.ready,
        restart_count: c.restart_count,
        started: c.started,
        state: c.state.map(kept_state),
        last_state: c.last_state.map(kept_state),
        ..ContainerStatus::default()
    }
}

fn kept_state(s: ContainerState) -> ContainerState {
    ContainerState {
        waiting: s.waiting,
        running: s.running,
        terminated: s.terminated.map(|t| ContainerStateTerminated {
            container_id: None,
            ..t
        }),
    }
}

/// A pod as a list's JSON gives it, parsed into what [`kept_of_pod`] keeps. `managedFields`
/// (on a real API server nearly half of a pod's text, and a tree of small maps) and
/// annotations are passed over as they are parsed instead of being built and dropped.
#[derive(Debug, serde::Deserialize)]
pub struct ListedPod {
    metadata: Option<ListedMeta>,
    spec: Option<PodSpec>,
    status: Option<PodStatus>,
}

/// What [`kept_of_pod`] keeps of `ObjectMeta`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListedMeta {
    creation_timestamp: Option<Time>,
    deletion_timestamp: Option<Time>,
    generate_name: Option<String>,
    labels: Option<BTreeMap<String, String>>,
    name: Option<String>,
    namespace: Option<String>,
    owner_references: Option<Vec<OwnerReference>>,
    resource_version: Option<String>,
    uid: Option<String>,
}

impl From<ListedPod> for Pod {
    fn from(listed: ListedPod) -> Pod {
        let m = listed.metadata.unwrap_or_default();
        kept_of_pod(Pod {
            metadata: ObjectMeta {
                creation_timestamp: m.creation_timestamp,
                deletion_timestamp: m.deletion_timestamp,
                generate_name: m.generate_name,
                labels: m.labels,
                name: m.name,
                namespace: m.namespace,
                owner_references: m.owner_references,
                resource_version: m.resource_version,
                uid: m.uid,
                ..ObjectMeta::default()
            },
            spec: listed.spec,
            status: listed.status,
        })
    }
}

/// A pod item of a protobuf list, as [`kept_of_pod`] keeps it.
///
/// Go's JSON leaves out empty optional values (`omitempty`) where its protobuf writes them
/// (an empty string, a zero, an empty list, a zero time as an empty message): each is read
/// back as absent, as the JSON would say it.
pub fn pod_of_protobuf(bytes: &[u8]) -> Result<Pod, ReadError> {
    use prost::Message;
    let p = messages::Pod::decode(bytes).map_err(|e| ReadError::Invalid(format!("a pod: {e}")))?;
    let m = p.metadata.unwrap_or_default();
    Ok(Pod {
        metadata: ObjectMeta {
            name: some(m.name),
            generate_name: some(m.generate_name),
            namespace: some(m.namespace),
            uid: some(m.uid),
            resource_version: some(m.resource_version),
            creation_timestamp: time(m.creation_timestamp),
            deletion_timestamp: time(m.deletion_timestamp),
            labels: (!m.labels.is_empty()).then_some(m.labels),
            owner_references: list(m.owner_references, |o| OwnerReference {
                api_version: o.api_version.unwrap_or_default(),
                kind: o.kind.unwrap_or_default(),
                name: o.name.unwrap_or_default(),
                uid: o.uid.unwrap_or_default(),
                controller: o.controller,
                block_owner_deletion: o.block_owner_deletion,
            }),
            ..ObjectMeta::default()
        },
        spec: p.spec.map(|s| PodSpec {
            containers: s.containers.into_iter().map(container).collect(),
            init_containers: list(s.init_containers, container),
            node_name: some(s.node_name),
            ..PodSpec::default()
        }),
        status: p.status.map(|s| PodStatus {
            phase: some(s.phase),
            message: some(s.message),
            reason: some(s.reason),
            start_time: time(s.start_time),
            conditions: list(s.conditions, |c| PodCondition {
                type_: c.r#type.unwrap_or_default(),
                status: c.status.unwrap_or_default(),
                last_transition_time: time(c.last_transition_time),
                reason: some(c.reason),
                message: some(c.message),
                ..PodCondition::default()
            }),
            container_statuses: list(s.container_statuses, container_status),
            init_container_statuses: list(s.init_container_statuses, container_status),
            ..PodStatus::default()
        }),
    })
}

/// An optional string, absent when empty.
fn some(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// A repeated field, absent when empty.
fn list<P, T>(items: Vec<P>, each: impl FnMut(P) -> T) -> Option<Vec<T>> {
    (!items.is_empty()).then(|| items.into_iter().map(each).collect())
}

/// Go's zero time (0001-01-01T00:00:00Z) in seconds since the epoch, as a zero `Time` may be
/// written: JSON says it `null`.
const GO_ZERO_TIME: i64 = -62_135_596_800;

fn time(t: Option<messages::Time>) -> Option<Time> {
    let t = t?;
    let seconds = t.seconds.filter(|s| *s != GO_ZERO_TIME)?;
    jiff::Timestamp::new(seconds, t.nanos.unwrap_or(0))
        .ok()
        .map(Time)
}

fn quantities(map: BTreeMap<String, messages::Quantity>) -> Option<BTreeMap<String, Quantity>> {
    (!map.is_empty()).then(|| {
        map.into_iter()
            .map(|(k, q)| (k, Quantity(q.string.unwrap_or_default())))
            .collect()
    })
}

fn container(c: messages::Container) -> Container {
    Container {
        name: c.name.unwrap_or_default(),
        image: some(c.image),
        resources: c.resources.map(|r| ResourceRequirements {
            limits: quantities(r.limits),
            requests: quantities(r.requests),
            ..ResourceRequirements::default()
        }),
        ..Container::default()
    }
}

fn container_status(c: messages::ContainerStatus) -> ContainerStatus {
    ContainerStatus {
        name: c.name.unwrap_or_default(),
        image: c.image.unwrap_or_default(),
        ready: c.ready.unwrap_or(false),
        restart_count: c.restart_count.unwrap_or(0),
        started: c.started,
        state: c.state.map(container_state),
        last_state: c.last_state.map(container_state),
        ..ContainerStatus::default()
    }
}

fn container_state(s: messages::ContainerState) -> ContainerState {
    ContainerState {
        waiting: s.waiting.map(|w| ContainerStateWaiting {
            reason: some(w.reason),
            message: some(w.message),
        }),
        running: s.running.map(|r| ContainerStateRunning {
            started_at: time(r.started_at),
        }),
        terminated: s.terminated.map(|t| ContainerStateTerminated {
            exit_code: t.exit_code.unwrap_or(0),
            signal: t.signal.filter(|s| *s != 0),
            reason: some(t.reason),
            message: some(t.message),
            started_at: time(t.started_at),
            finished_at: time(t.finished_at),
            container_id: None,
        }),
    }
}

/// Hands each pod `params` selects to `each`, as [`kept_of_pod`] keeps it, read from the API
/// server's watch cache (`resourceVersion=0`) in one streamed answer.
///
/// For lists narrowed by a label selector (the app's pods among thousands of others): a
/// consistent read makes the server read every pod of the namespace from etcd to find the few
/// that match (on kube-apiserver 1.20, 5,000 pods read to find 2 took half a second), while its
/// cache filters in memory. A diagnosis can stand a list some milliseconds old. The cache
/// ignores `limit` and answers whole, but the answer is read one pod at a time.
///
/// Asked for in protobuf, which the server encodes with a third of JSON's work (5,000 pods on
/// kube-apiserver 1.20: 96 ms of its CPU against 311 ms), and read as JSON from a server that
/// answers JSON (the sandbox's stand-in).
/// Returns the encoding the server answered in.
pub async fn list_cached_pods(
    api: &kube::Api<Pod>,
    params: &kube::api::ListParams,
    mut each: impl FnMut(Pod),
) -> Result<Encoding, kube::Error> {
    // No limit: with one, the server would read etcd (and kube-core leaves out the version).
    let mut params = params.clone().at("0");
    params.limit = None;
    let answer = super::list::ask_encoded(api, &params, protobuf::ACCEPT).await?;
    match answer.encoding {
        Encoding::Protobuf => {
            protobuf::read_list(answer.body, |bytes| {
                each(pod_of_protobuf(bytes)?);
                Ok(())
            })
            .await?;
        }
        Encoding::Json => {
            super::list::read_json_list(answer.body, |p: ListedPod| each(Pod::from(p))).await?;
        }
    }
    Ok(answer.encoding)
}

#[cfg(test)]
mod tests;
