//! JSON output: one document per run, with a `schema` field naming its version.

use serde::Serialize;

pub fn to_string<T: Serialize>(value: &T) -> std::io::Result<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    text.push('\n');
    Ok(text)
}
