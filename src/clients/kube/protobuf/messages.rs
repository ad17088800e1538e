//! The Kubernetes protobuf messages this crate reads, with only the fields it reads (prost
//! passes over the others as it decodes). Numbers and types as in Kubernetes' `generated.proto`
//! (proto2: every field optional): runtime for `Unknown`, meta/v1 for the metadata, `Time` and
//! `Status`, core/v1 for the pod, api/resource for `Quantity`.

use std::collections::BTreeMap;

/// runtime.Unknown: the envelope of every answer; `raw` is the object.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Unknown {
    #[prost(bytes = "vec", optional, tag = "2")]
    pub raw: Option<Vec<u8>>,
}

/// meta/v1 ListMeta.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ListMeta {
    #[prost(string, optional, tag = "3")]
    pub r#continue: Option<String>,
}

/// meta/v1 Status: an error answer.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Status {
    #[prost(string, optional, tag = "2")]
    pub status: Option<String>,
    #[prost(string, optional, tag = "3")]
    pub message: Option<String>,
    #[prost(string, optional, tag = "4")]
    pub reason: Option<String>,
    #[prost(int32, optional, tag = "6")]
    pub code: Option<i32>,
}

/// meta/v1 Time (laid out as google.protobuf.Timestamp).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Time {
    #[prost(int64, optional, tag = "1")]
    pub seconds: Option<i64>,
    #[prost(int32, optional, tag = "2")]
    pub nanos: Option<i32>,
}

/// meta/v1 OwnerReference.
#[derive(Clone, PartialEq, prost::Message)]
pub struct OwnerReference {
    #[prost(string, optional, tag = "1")]
    pub kind: Option<String>,
    #[prost(string, optional, tag = "3")]
    pub name: Option<String>,
    #[prost(string, optional, tag = "4")]
    pub uid: Option<String>,
    #[prost(string, optional, tag = "5")]
    pub api_version: Option<String>,
    #[prost(bool, optional, tag = "6")]
    pub controller: Option<bool>,
    #[prost(bool, optional, tag = "7")]
    pub block_owner_deletion: Option<bool>,
}

/// meta/v1 ObjectMeta, without `managedFields` (17) and `annotations` (12): passed over.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ObjectMeta {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub generate_name: Option<String>,
    #[prost(string, optional, tag = "3")]
    pub namespace: Option<String>,
    #[prost(string, optional, tag = "5")]
    pub uid: Option<String>,
    #[prost(string, optional, tag = "6")]
    pub resource_version: Option<String>,
    #[prost(message, optional, tag = "8")]
    pub creation_timestamp: Option<Time>,
    #[prost(message, optional, tag = "9")]
    pub deletion_timestamp: Option<Time>,
    #[prost(btree_map = "string, string", tag = "11")]
    pub labels: BTreeMap<String, String>,
    #[prost(message, repeated, tag = "13")]
    pub owner_references: Vec<OwnerReference>,
}

/// core/v1 Pod.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Pod {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<ObjectMeta>,
    #[prost(message, optional, tag = "2")]
    pub spec: Option<PodSpec>,
    #[prost(message, optional, tag = "3")]
    pub status: Option<PodStatus>,
}

/// api/resource Quantity: its canonical text.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Quantity {
    #[prost(string, optional, tag = "1")]
    pub string: Option<String>,
}

/// core/v1 ResourceRequirements.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourceRequirements {
    #[prost(btree_map = "string, message", tag = "1")]
    pub limits: BTreeMap<String, Quantity>,
    #[prost(btree_map = "string, message", tag = "2")]
    pub requests: BTreeMap<String, Quantity>,
}

/// core/v1 Container: its name, image and resources (never its environment: values may be
/// secrets).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Container {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub image: Option<String>,
    #[prost(message, optional, tag = "8")]
    pub resources: Option<ResourceRequirements>,
}

/// core/v1 PodSpec.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PodSpec {
    #[prost(message, repeated, tag = "2")]
    pub containers: Vec<Container>,
    #[prost(string, optional, tag = "10")]
    pub node_name: Option<String>,
    #[prost(message, repeated, tag = "20")]
    pub init_containers: Vec<Container>,
}

/// core/v1 PodCondition.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PodCondition {
    #[prost(string, optional, tag = "1")]
    pub r#type: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub status: Option<String>,
    #[prost(message, optional, tag = "4")]
    pub last_transition_time: Option<Time>,
    #[prost(string, optional, tag = "5")]
    pub reason: Option<String>,
    #[prost(string, optional, tag = "6")]
    pub message: Option<String>,
}

/// core/v1 ContainerStateWaiting.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerStateWaiting {
    #[prost(string, optional, tag = "1")]
    pub reason: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub message: Option<String>,
}

/// core/v1 ContainerStateRunning.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerStateRunning {
    #[prost(message, optional, tag = "1")]
    pub started_at: Option<Time>,
}

/// core/v1 ContainerStateTerminated.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerStateTerminated {
    #[prost(int32, optional, tag = "1")]
    pub exit_code: Option<i32>,
    #[prost(int32, optional, tag = "2")]
    pub signal: Option<i32>,
    #[prost(string, optional, tag = "3")]
    pub reason: Option<String>,
    #[prost(string, optional, tag = "4")]
    pub message: Option<String>,
    #[prost(message, optional, tag = "5")]
    pub started_at: Option<Time>,
    #[prost(message, optional, tag = "6")]
    pub finished_at: Option<Time>,
}

/// core/v1 ContainerState.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerState {
    #[prost(message, optional, tag = "1")]
    pub waiting: Option<ContainerStateWaiting>,
    #[prost(message, optional, tag = "2")]
    pub running: Option<ContainerStateRunning>,
    #[prost(message, optional, tag = "3")]
    pub terminated: Option<ContainerStateTerminated>,
}

/// core/v1 ContainerStatus.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ContainerStatus {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(message, optional, tag = "2")]
    pub state: Option<ContainerState>,
    #[prost(message, optional, tag = "3")]
    pub last_state: Option<ContainerState>,
    #[prost(bool, optional, tag = "4")]
    pub ready: Option<bool>,
    #[prost(int32, optional, tag = "5")]
    pub restart_count: Option<i32>,
    #[prost(string, optional, tag = "6")]
    pub image: Option<String>,
    #[prost(bool, optional, tag = "9")]
    pub started: Option<bool>,
}

/// core/v1 PodStatus.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PodStatus {
    #[prost(string, optional, tag = "1")]
    pub phase: Option<String>,
    #[prost(message, repeated, tag = "2")]
    pub conditions: Vec<PodCondition>,
    #[prost(string, optional, tag = "3")]
    pub message: Option<String>,
    #[prost(string, optional, tag = "4")]
    pub reason: Option<String>,
    #[prost(message, optional, tag = "7")]
    pub start_time: Option<Time>,
    #[prost(message, repeated, tag = "8")]
    pub container_statuses: Vec<ContainerStatus>,
    #[prost(message, repeated, tag = "10")]
    pub init_container_statuses: Vec<ContainerStatus>,
}
