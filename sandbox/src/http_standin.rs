//! The small HTTP server under the API stand-ins (PagerDuty, Statuspage): one handler from a
//! whole request to a whole reply, answers scripted ahead by tests (a 429 with Retry-After, an
//! error status) served first, and every request kept in a JSON-lines log.

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use std::collections::VecDeque;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }
}

/// An answer a test scripts for the next request, instead of the stand-in's own.
#[derive(Debug, Clone)]
pub enum Scripted {
    /// 429 with `Retry-After: seconds`, as both APIs rate-limit.
    RateLimited { retry_after_secs: u64 },
    /// This status with a JSON error body.
    Status(u16),
}

impl Scripted {
    fn reply(&self) -> Reply {
        match self {
            Scripted::RateLimited { retry_after_secs } => {
                let mut r = Reply::json(
                    429,
                    serde_json::json!({"status": "throttle event", "message": "Requests for this service are arriving too quickly.  Please retry later."}),
                );
                r.headers
                    .push(("retry-after".into(), retry_after_secs.to_string()));
                r
            }
            Scripted::Status(code) => Reply::json(
                *code,
                serde_json::json!({"status": "error", "message": "scripted failure"}),
            ),
        }
    }
}

pub type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

pub struct Server {
    pub addr: SocketAddr,
    /// Every request: `{"method", "path", "status", "body"}` (the body as JSON when it is).
    pub log: PathBuf,
    script: Arc<Mutex<VecDeque<Scripted>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// The next request gets `answer` (then the next scripted one, then the stand-in's own).
    pub fn then(&self, answer: Scripted) {
        self.script
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back(answer);
    }

    /// Every request logged so far.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        read_log(&self.log)
    }
}

pub fn read_log(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn log(path: &Path, r: &Request, status: u16) {
    let body = serde_json::from_slice::<serde_json::Value>(&r.body)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&r.body).into()));
    let line =
        serde_json::json!({"method": r.method, "path": r.path, "status": status, "body": body});
    let _ = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| writeln!(f, "{line}"));
}

pub async fn serve(log_path: PathBuf, handler: Handler) -> std::io::Result<Server> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    let script: Arc<Mutex<VecDeque<Scripted>>> = Arc::default();
    let (file, queue) = (log_path.clone(), script.clone());
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (file, queue, handler) = (file.clone(), queue.clone(), handler.clone());
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |req: http::Request<hyper::body::Incoming>| {
                        let (file, queue, handler) = (file.clone(), queue.clone(), handler.clone());
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            let request = Request {
                                method: parts.method.to_string(),
                                path: parts.uri.path().to_string(),
                                headers: parts.headers,
                                body: body.to_vec(),
                            };
                            let scripted =
                                queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                            let reply = match scripted {
                                Some(s) => s.reply(),
                                None => handler(&request),
                            };
                            log(&file, &request, reply.status);
                            let mut response = Response::builder().status(
                                StatusCode::from_u16(reply.status)
                                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                            );
                            for (k, v) in &reply.headers {
                                response = response.header(k, v);
                            }
                            Ok::<_, std::convert::Infallible>(
                                response
                                    .body(Full::new(Bytes::from(reply.body)))
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
    Ok(Server {
        addr,
        log: log_path,
        script,
        task,
    })
}
