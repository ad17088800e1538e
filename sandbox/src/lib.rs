//! The sandbox: a local incident on the seed's platform for demos, tests and benchmarks.
//! Real PostgreSQL, Redis, Prometheus and Alertmanager from Debian's packages, and Kubernetes: a
//! real control plane with a node agent (`kubernetes`) or a simulated API (`standin`).

pub mod bad_rollout;
pub mod history;
pub mod kubernetes;
pub mod request_metrics;
pub mod rollout;
pub mod scenario;
pub mod servers;
pub mod slack;
pub mod standin;
pub mod world;
