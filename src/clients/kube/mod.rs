//! Kubernetes: the kubeconfig, and lists read in pages or streamed from the watch cache.

pub mod json_list;
pub mod kubeconfig;
pub mod list;
