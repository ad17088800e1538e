//! One JSON value parsed from an answer's chunks as they arrive, so that neither its text nor
//! what serde skips is ever in memory whole: the caller's type keeps what it needs (a count,
//! a few fields) and serde passes over the rest. serde_json parses from a blocking `Read`, so
//! the parse runs on tokio's blocking threads, fed the chunks through a small channel: the
//! async side never waits on the parser, and the parser never holds more than a few chunks.

use futures::{AsyncBufRead, AsyncBufReadExt};
use serde::de::DeserializeOwned;

/// Chunks in flight between the network and the parser: enough to keep both busy.
const CHUNKS_IN_FLIGHT: usize = 4;

/// The chunks of an answer, read as one stream of bytes by the parser's thread.
struct ChunkReader {
    chunks: tokio::sync::mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
}

impl std::io::Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.chunks.blocking_recv() {
                Some(chunk) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                // The answer ended: serde says whether the value was whole.
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// `T` parsed from `body` as its chunks arrive. An answer that is not a whole `T` is a
/// `SerdeError`; a failed read of the answer, `ReadEvents` (as kube's own lists say them).
pub async fn parse<T>(body: impl AsyncBufRead) -> Result<T, kube::Error>
where
    T: DeserializeOwned + Send + 'static,
{
    let (send, chunks) = tokio::sync::mpsc::channel::<Vec<u8>>(CHUNKS_IN_FLIGHT);
    let reader = ChunkReader {
        chunks,
        chunk: Vec::new(),
        at: 0,
    };
    // BufReader: serde_json reads byte by byte, which std makes cheap only through one.
    let parser = tokio::task::spawn_blocking(move || {
        serde_json::from_reader::<_, T>(std::io::BufReader::new(reader))
    });
    futures::pin_mut!(body);
    loop {
        let chunk = body.fill_buf().await.map_err(kube::Error::ReadEvents)?;
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len();
        // The parser stopped early (the text is not a `T`): its error is the answer.
        if send.send(chunk.to_vec()).await.is_err() {
            break;
        }
        body.as_mut().consume(n);
    }
    drop(send);
    match parser.await {
        Ok(parsed) => parsed.map_err(kube::Error::SerdeError),
        Err(stopped) => Err(kube::Error::ReadEvents(std::io::Error::other(stopped))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as an answer arriving `chunk` bytes at a time.
    fn answer(text: &str, chunk: usize) -> impl AsyncBufRead {
        let chunks: Vec<std::io::Result<Vec<u8>>> = text
            .as_bytes()
            .chunks(chunk)
            .map(|c| Ok(c.to_vec()))
            .collect();
        futures::TryStreamExt::into_async_read(futures::stream::iter(chunks))
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Kept {
        name: String,
        n: u32,
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn a_value_is_parsed_whatever_its_pieces_and_the_rest_skipped() {
        let text = r#"{"skipped": [1, {"x": "}\""}], "name": "backend", "n": 7}"#;
        for chunk in [1, 2, 5, 4096] {
            let kept: Kept = parse(answer(text, chunk)).await.unwrap();
            assert_eq!(
                kept,
                Kept {
                    name: "backend".into(),
                    n: 7
                },
                "chunk {chunk}"
            );
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn a_cut_or_wrong_answer_is_a_serde_error_and_a_failed_read_a_read_error() {
        for text in [r#"{"name": "backend", "n": 7"#, r#"{"name": 5}"#, "", "[]"] {
            let result = parse::<Kept>(answer(text, 3)).await;
            assert!(
                matches!(result, Err(kube::Error::SerdeError(_))),
                "{text}: {result:?}"
            );
        }
        let failing = futures::TryStreamExt::into_async_read(futures::stream::iter(vec![
            Ok(b"{\"name\"".to_vec()),
            Err(std::io::Error::other("connection reset")),
        ]));
        let result = parse::<Kept>(failing).await;
        assert!(
            matches!(result, Err(kube::Error::ReadEvents(_))),
            "{result:?}"
        );
    }
}
