//! A Slack incoming-webhook stand-in for the sandbox: it accepts POSTs, answers `ok` as Slack
//! does, and appends each message body as one line to a file, so `report notify` can be tried
//! (and its messages read) without a Slack workspace.

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::net::TcpListener;

pub struct SlackStandIn {
    pub addr: SocketAddr,
    /// Every message received, one JSON body per line.
    pub messages: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

impl SlackStandIn {
    pub fn webhook_url(&self) -> String {
        format!("http://{}/services/SANDBOX/WEBHOOK/stand-in", self.addr)
    }
}

impl Drop for SlackStandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn start(messages: PathBuf) -> std::io::Result<SlackStandIn> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    let file = messages.clone();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let file = file.clone();
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |req: http::Request<hyper::body::Incoming>| {
                        let file = file.clone();
                        async move {
                            // Only a POST is a message; anything else is someone looking.
                            if req.method() != http::Method::POST {
                                return Ok::<_, std::convert::Infallible>(
                                    Response::builder()
                                        .status(StatusCode::METHOD_NOT_ALLOWED)
                                        .body(Full::new(Bytes::from("invalid_method")))
                                        .unwrap_or_default(),
                                );
                            }
                            let body = req
                                .into_body()
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            let line = String::from_utf8_lossy(&body).replace('\n', " ");
                            let saved = std::fs::OpenOptions::new()
                                .create(true)
                                .append(true)
                                .open(&file)
                                .and_then(|mut f| writeln!(f, "{line}"));
                            let (status, text) = match saved {
                                Ok(()) => (StatusCode::OK, "ok"),
                                Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "cannot save"),
                            };
                            Ok::<_, std::convert::Infallible>(
                                Response::builder()
                                    .status(status)
                                    .body(Full::new(Bytes::from(text)))
                                    .unwrap_or_default(),
                            )
                        }
                    });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(SlackStandIn {
        addr,
        messages,
        task,
    })
}
