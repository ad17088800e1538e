//! incidentctl as a library: the binary (src/main.rs) is a thin shell over it, and the fuzz targets
//! (fuzz/) call the same parsers the command line does.

pub mod actions;
pub mod change;
pub mod checks;
pub mod cli;
pub mod clients;
pub mod commands;
pub mod diagnose;
pub mod discovery;
pub mod doctor;
pub mod error;
pub mod files;
pub mod output;
pub mod report;
pub mod runbooks;
pub mod settings;
pub mod types;
