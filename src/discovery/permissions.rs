//! What discovery asks the API server, function by function: the checks and commands that find
//! the app's objects through it declare these parts among their own permissions.

use crate::types::KubePermission;

/// What [`super::app_deployments`] asks: each deployment by name, and the namespace's
/// deployments when none of those named exists (enough for the pods' templates).
pub const DEPLOYMENTS_PERMISSIONS: &[KubePermission] = &[
    KubePermission::namespaced("get", "apps", "deployments"),
    KubePermission::namespaced("list", "apps", "deployments"),
];

/// What [`super::app_workloads`] asks: each deployment by name, the pods its selector matches,
/// and the namespace's deployments when none of those named exists.
pub const WORKLOADS_PERMISSIONS: &[KubePermission] = &[
    KubePermission::namespaced("get", "apps", "deployments"),
    KubePermission::namespaced("list", "apps", "deployments"),
    KubePermission::namespaced("list", "", "pods"),
];

/// What [`super::app_services`] and [`super::deployments_behind`] ask: the namespace's services.
pub const SERVICES_PERMISSIONS: &[KubePermission] =
    &[KubePermission::namespaced("list", "", "services")];

/// What [`super::ingresses`] asks: the ingress by name, else every ingress, and the services
/// they may route to.
pub const INGRESSES_PERMISSIONS: &[KubePermission] = &[
    KubePermission::namespaced("get", "networking.k8s.io", "ingresses"),
    KubePermission::namespaced("list", "networking.k8s.io", "ingresses"),
    KubePermission::namespaced("list", "", "services"),
];

/// What [`super::network_policies`] asks: the policy by name, else every policy.
pub const NETWORK_POLICIES_PERMISSIONS: &[KubePermission] = &[
    KubePermission::namespaced("get", "networking.k8s.io", "networkpolicies"),
    KubePermission::namespaced("list", "networking.k8s.io", "networkpolicies"),
];
