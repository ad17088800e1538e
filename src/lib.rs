//! incidentctl as a library: the binary (src/main.rs) is a thin shell over it, and the fuzz targets
//! (fuzz/) call the same parsers the command line does.

pub mod actions;
pub mod analysis;
pub mod bounded;
pub mod change;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod completion;
pub mod console;
pub mod context;
pub mod discovery;
pub mod doctor;
pub mod error;
pub mod evidence;
pub mod files;
pub mod json_list;
pub mod json_stream;
pub mod kube_list;
pub mod kubeconfig;
pub mod notify;
pub mod output;
pub mod pg_connect;
pub mod pgpass;
pub mod printable;
pub mod promql;
pub mod redact;
pub mod report;
pub mod runbooks;
pub mod settings;
pub mod severity;
#[cfg(test)]
mod source_scan;
pub mod tls;
pub mod types;
