//! The sandbox: a local incident on the seed's platform for demos, tests and benchmarks.
//! Real PostgreSQL, Redis, Prometheus and Alertmanager from Debian's packages, and a Kubernetes
//! API stand-in (it simulates a cluster: see `standin`).

pub mod rollout;
pub mod scenario;
pub mod servers;
pub mod slack;
pub mod standin;
pub mod world;
