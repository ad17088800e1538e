//! The API server's protobuf encoding (`application/vnd.kubernetes.protobuf`), read as it
//! arrives. An answer is the four bytes `k8s\0`, then a `runtime.Unknown` message whose `raw`
//! field (2) is the object itself; a list's object is its `metadata` (1, a `ListMeta`) and
//! its `items` (2, each one length-delimited message). Each item is handed over as soon as its
//! bytes have arrived, and anything else is skipped without being kept: memory holds one item,
//! never the list. The messages themselves are declared in [`messages`] (only the fields this
//! crate reads; prost skips the others).
//!
//! Field numbers are those of Kubernetes' `generated.proto` files (core/v1, meta/v1, runtime),
//! which never change once released.

pub mod messages;

use futures::{AsyncBufRead, AsyncBufReadExt};
use prost::Message;

/// The media type the API server answers protobuf with.
pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";
/// What a list is asked for with: protobuf, or JSON from a server (or a kind) without it.
pub const ACCEPT: &str = "application/vnd.kubernetes.protobuf, application/json";

/// The prefix of every protobuf answer ("k8s" and the envelope's version, 0).
const MAGIC: &[u8; 4] = b"k8s\0";
/// The largest item read: an object stored in etcd is at most 1.5 MiB by default; more than
/// this is not a Kubernetes object, and is refused rather than held.
const MAX_ITEM: u64 = 16 * 1024 * 1024;
/// The largest list metadata kept (a continue token and a version).
const MAX_METADATA: u64 = 64 * 1024;

/// What went wrong reading a protobuf answer: the answer itself, or the reading of it.
#[derive(Debug)]
pub enum ReadError {
    /// The bytes are not a Kubernetes protobuf list (or an item is not the message expected).
    Invalid(String),
    /// The connection failed while the answer was read.
    Read(std::io::Error),
}

impl From<ReadError> for kube::Error {
    /// As kube says the same failures of a JSON answer: not understood, or not read.
    fn from(e: ReadError) -> kube::Error {
        match e {
            ReadError::Invalid(what) => kube::Error::SerdeError(
                <serde_json::Error as serde::de::Error>::custom(format!("protobuf answer: {what}")),
            ),
            ReadError::Read(e) => kube::Error::ReadEvents(e),
        }
    }
}

fn invalid(what: impl Into<String>) -> ReadError {
    ReadError::Invalid(what.into())
}

/// Protobuf's wire types, as a field's tag carries them.
const VARINT: u64 = 0;
const FIXED64: u64 = 1;
const LENGTH_DELIMITED: u64 = 2;
const FIXED32: u64 = 5;

/// An answer's bytes, counted as they are read (a nested message ends at a byte count).
struct Wire<R> {
    body: R,
    at: u64,
}

impl<R: AsyncBufRead + Unpin> Wire<R> {
    /// The next byte; None at the end of the answer.
    async fn byte(&mut self) -> Result<Option<u8>, ReadError> {
        let buf = self.body.fill_buf().await.map_err(ReadError::Read)?;
        let Some(&b) = buf.first() else {
            return Ok(None);
        };
        self.body.consume_unpin(1);
        self.at += 1;
        Ok(Some(b))
    }

    /// A varint; None when the answer ends before its first byte.
    async fn varint(&mut self) -> Result<Option<u64>, ReadError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(b) = self.byte().await? else {
                return if shift == 0 {
                    Ok(None)
                } else {
                    Err(invalid("cut in a varint"))
                };
            };
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(Some(value));
            }
        }
        Err(invalid("a varint longer than 10 bytes"))
    }

    async fn length(&mut self) -> Result<u64, ReadError> {
        self.varint()
            .await?
            .ok_or_else(|| invalid("cut before a length"))
    }

    /// The next `n` bytes, whole.
    async fn bytes(&mut self, n: u64, limit: u64, what: &str) -> Result<Vec<u8>, ReadError> {
        if n > limit {
            return Err(invalid(format!("{what} of {n} bytes (at most {limit})")));
        }
        let mut out = Vec::with_capacity(n as usize);
        while (out.len() as u64) < n {
            let buf = self.body.fill_buf().await.map_err(ReadError::Read)?;
            if buf.is_empty() {
                return Err(invalid(format!("cut in {what}")));
            }
            let take = buf.len().min((n - out.len() as u64) as usize);
            out.extend_from_slice(&buf[..take]);
            self.body.consume_unpin(take);
            self.at += take as u64;
        }
        Ok(out)
    }

    /// Passes over the next `n` bytes without keeping them.
    async fn skip(&mut self, n: u64) -> Result<(), ReadError> {
        let mut left = n;
        while left > 0 {
            let buf = self.body.fill_buf().await.map_err(ReadError::Read)?;
            if buf.is_empty() {
                return Err(invalid("cut in a skipped field"));
            }
            let take = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            self.body.consume_unpin(take);
            self.at += take as u64;
            left -= take as u64;
        }
        Ok(())
    }

    /// Passes over a field's value of `wire_type`.
    async fn skip_value(&mut self, wire_type: u64) -> Result<(), ReadError> {
        match wire_type {
            VARINT => self
                .varint()
                .await?
                .map(|_| ())
                .ok_or_else(|| invalid("cut")),
            FIXED64 => self.skip(8).await,
            LENGTH_DELIMITED => {
                let n = self.length().await?;
                self.skip(n).await
            }
            FIXED32 => self.skip(4).await,
            other => Err(invalid(format!("wire type {other}"))),
        }
    }
}

/// Reads a protobuf list answer from `body`, handing each item's bytes to `item`; returns the
/// list's continue token (None on the last page). `body` is read from its start (the magic).
pub async fn read_list<R: AsyncBufRead + Unpin>(
    body: R,
    mut item: impl FnMut(&[u8]) -> Result<(), ReadError>,
) -> Result<Option<String>, ReadError> {
    let mut wire = Wire { body, at: 0 };
    let magic = wire.bytes(4, 4, "the prefix").await?;
    if magic != MAGIC {
        return Err(invalid("no k8s protobuf prefix"));
    }
    let mut token = None;
    let mut saw_raw = false;
    // The envelope (runtime.Unknown): only `raw` (2) is read; the type and encodings skipped.
    while let Some(tag) = wire.varint().await? {
        let (field, wire_type) = (tag >> 3, tag & 7);
        if field != 2 || wire_type != LENGTH_DELIMITED {
            wire.skip_value(wire_type).await?;
            continue;
        }
        saw_raw = true;
        let len = wire.length().await?;
        let end = wire.at + len;
        // The list: `metadata` (1) kept for its continue token, each of `items` (2) handed over.
        while wire.at < end {
            let tag = wire
                .varint()
                .await?
                .ok_or_else(|| invalid("cut in the list"))?;
            match (tag >> 3, tag & 7) {
                (field @ (1 | 2), LENGTH_DELIMITED) => {
                    let n = wire.length().await?;
                    if n > end.saturating_sub(wire.at) {
                        return Err(invalid("an item longer than its list"));
                    }
                    if field == 2 {
                        let bytes = wire.bytes(n, MAX_ITEM, "an item").await?;
                        item(&bytes)?;
                        continue;
                    }
                    let bytes = wire.bytes(n, MAX_METADATA, "the list's metadata").await?;
                    let meta = messages::ListMeta::decode(bytes.as_slice())
                        .map_err(|e| invalid(format!("the list's metadata: {e}")))?;
                    token = meta.r#continue.filter(|t| !t.is_empty());
                }
                (_, wire_type) => wire.skip_value(wire_type).await?,
            }
        }
        if wire.at != end {
            return Err(invalid("the list overran its length"));
        }
    }
    if !saw_raw {
        return Err(invalid("no object in the envelope"));
    }
    Ok(token)
}

/// The `Status` of a protobuf error answer (`bytes`, whole and small), as kube's own type;
/// None when the bytes are not one.
pub fn status(bytes: &[u8]) -> Option<kube::core::Status> {
    let raw = bytes.strip_prefix(MAGIC.as_slice())?;
    let envelope = messages::Unknown::decode(raw).ok()?;
    let s = messages::Status::decode(envelope.raw?.as_slice()).ok()?;
    Some(kube::core::Status {
        status: match s.status.as_deref() {
            Some("Success") => Some(kube::core::response::StatusSummary::Success),
            Some("Failure") => Some(kube::core::response::StatusSummary::Failure),
            _ => None,
        },
        code: s.code.and_then(|c| u16::try_from(c).ok()).unwrap_or(0),
        message: s.message.unwrap_or_default(),
        reason: s.reason.unwrap_or_default(),
        details: None,
        metadata: None,
    })
}

#[cfg(test)]
mod tests;
