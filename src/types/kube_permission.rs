//! One permission on the Kubernetes API, as RBAC names it. Each check and each changing command
//! declares the ones it asks for beside its definition; `doctor` and the RBAC tests derive what
//! to ask the API server, and what the shipped roles must grant, from those declarations.

/// A verb on a resource (or one of its subresources) of an API group, in the app's namespace or
/// cluster-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubePermission {
    /// "" for the core group.
    pub group: &'static str,
    pub resource: &'static str,
    /// "" for the resource itself; `log`, `scale`.
    pub subresource: &'static str,
    pub verb: &'static str,
    /// In the app's namespace (a Role grants it), else cluster-wide (a ClusterRole).
    pub namespaced: bool,
}

/// Several reads share their permissions (discovery's, the cached readings'): a declaration is a
/// list of such parts, each a list of permissions.
pub type KubePermissions = &'static [&'static [KubePermission]];

impl KubePermission {
    /// `verb` on `group`'s `resource` in the app's namespace.
    pub const fn namespaced(
        verb: &'static str,
        group: &'static str,
        resource: &'static str,
    ) -> Self {
        KubePermission {
            group,
            resource,
            subresource: "",
            verb,
            namespaced: true,
        }
    }

    /// `verb` on `group`'s cluster-scoped `resource`.
    pub const fn cluster(verb: &'static str, group: &'static str, resource: &'static str) -> Self {
        KubePermission {
            namespaced: false,
            ..KubePermission::namespaced(verb, group, resource)
        }
    }

    /// The same verb on a subresource (`pods/log`, `deployments/scale`).
    pub const fn of(self, subresource: &'static str) -> Self {
        KubePermission {
            subresource,
            ..self
        }
    }

    /// `resource` or `resource/subresource`, as a Role's `resources` names it.
    pub fn rbac_resource(&self) -> String {
        if self.subresource.is_empty() {
            self.resource.to_string()
        } else {
            format!("{}/{}", self.resource, self.subresource)
        }
    }
}

/// Every permission of `declared`, in the order declared (a permission two parts share, twice).
pub fn each(declared: KubePermissions) -> impl Iterator<Item = KubePermission> {
    declared.iter().flat_map(|part| part.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subresource_is_named_after_its_resource_and_keeps_verb_and_scope() {
        let log = KubePermission::namespaced("get", "", "pods").of("log");
        assert_eq!(log.rbac_resource(), "pods/log");
        assert_eq!((log.verb, log.namespaced), ("get", true));
        let nodes = KubePermission::cluster("list", "metrics.k8s.io", "nodes");
        assert_eq!(nodes.rbac_resource(), "nodes");
        assert!(!nodes.namespaced);
    }
}
