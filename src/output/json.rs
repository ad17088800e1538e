//! JSON output: one document per run, with a `schema` field naming its version.

pub use crate::output::console::to_json as to_string;
