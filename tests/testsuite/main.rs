//! The end-to-end tests: one binary (cargo's own `tests/testsuite` layout), so the heavy crates
//! are linked once and the sandbox worlds start once. Modules that only read a world share
//! `support::incident()` and `support::healthy()`; `actions`, whose tests change their world,
//! has its own.

// The tests print their own diagnostics; the console rule (clippy.toml) is for incidentctl.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

mod support;

mod actions;
mod capture;
mod cli;
mod clusters;
mod compare;
mod completion;
mod custom_checks;
mod diagnose;
mod discovery;
mod docs;
mod docs_commands;
mod doctor;
mod faults;
mod hostile;
mod inputs;
mod likely_causes;
mod modes;
mod notify;
mod pg_auth;
mod postmortem;
mod protobuf;
mod rbac;
mod report;
mod request_metrics;
mod rollback;
mod runbooks;
mod schemas;
mod shipping;
mod silences;
mod tls;
mod trust;
mod two_engineers;
