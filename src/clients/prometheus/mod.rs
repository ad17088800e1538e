//! Prometheus: PromQL read back, and queries over time.

pub mod promql;
pub mod range;
