//! The sandbox: a local incident on the seed's platform for demos, tests and benchmarks.
//! Real PostgreSQL, Redis, Prometheus and Alertmanager from Debian's packages, and Kubernetes: a
//! real control plane with a node agent (`kubernetes`) or a simulated API (`standin`). For
//! notifications: a real SMTP server (Debian's aiosmtpd, `smtp`) and stand-ins for the APIs that
//! cannot be reached from here (Slack, PagerDuty, Statuspage).

pub mod bad_rollout;
pub mod history;
pub mod http_standin;
pub mod kubernetes;
pub mod pagerduty;
pub mod pg_impostor;
pub mod request_metrics;
mod revisions;
pub mod rollout;
pub mod scenario;
pub mod servers;
pub mod slack;
pub mod smtp;
pub mod standin;
pub mod statuspage;
pub mod world;
