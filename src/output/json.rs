//! JSON output: one document per run, with a `schema` field naming its version.

use crate::error::{Error, Result};
use serde::Serialize;

/// A document as pretty JSON. Our own types always serialize: a failure here is a bug.
pub fn to_string<T: Serialize>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}
