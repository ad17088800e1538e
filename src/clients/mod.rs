//! Everything that talks to a server: one module per server, each with its connector and the
//! mapping of its typed errors, and the [`Context`] that hands the connections out, lazily
//! and once per run (or as given, in a test).

pub mod alertmanager;
pub mod context;
pub mod http;
pub mod kube;
pub mod postgres;
pub mod prometheus;
pub mod redis;
#[cfg(test)]
pub mod stub;
pub mod tls;

pub use context::Context;
