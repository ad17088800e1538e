//! Scripted HTTP answers for unit tests, as gh's stub registry and kube-rs's mock tests do it:
//! each route is a method, a path (with the query pairs it must carry) and its answer. A request
//! no route expects is answered 501 and kept, so the test sees it; [`Stub::assert_all_used`]
//! fails when an expected request never came. The same routes answer a real `kube::Client`
//! ([`Stub::kube_client`]) or a local HTTP server ([`Stub::serve`]) for reqwest.

use std::sync::{Arc, Mutex};

struct Route {
    method: &'static str,
    path: String,
    query: Vec<String>,
    status: u16,
    body: String,
    used: usize,
}

/// One request as the stub received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub method: String,
    /// Path and query, as sent.
    pub uri: String,
    pub body: String,
}

#[derive(Default)]
pub struct Stub {
    routes: Mutex<Vec<Route>>,
    seen: Mutex<Vec<Seen>>,
}

impl Stub {
    pub fn new() -> Arc<Stub> {
        Arc::new(Stub::default())
    }

    /// Answers `method path` with `status` and `body` (JSON). `path` may end in `?k=v&…`: the
    /// request must then carry each of those pairs (among others).
    pub fn on(
        self: &Arc<Self>,
        method: &'static str,
        path: &str,
        status: u16,
        body: impl Into<String>,
    ) -> Arc<Self> {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        lock(&self.routes).push(Route {
            method,
            path: path.to_string(),
            query,
            status,
            body: body.into(),
            used: 0,
        });
        self.clone()
    }

    /// A GET of one Kubernetes object at `path`: the object, or the API server's 404 for it.
    pub fn on_object(self: &Arc<Self>, path: &str, object: Option<serde_json::Value>) -> Arc<Self> {
        match object {
            Some(o) => self.on("GET", path, 200, o.to_string()),
            None => {
                let (kind, name) = path.rsplit_once('/').unwrap_or(("", path));
                let kind = kind.rsplit('/').next().unwrap_or(kind);
                self.on("GET", path, 404, kube_not_found(kind, name))
            }
        }
    }

    /// The answer to one request: the first route that matches it.
    pub fn answer(&self, method: &str, uri: &str, body: &[u8]) -> (u16, String) {
        lock(&self.seen).push(Seen {
            method: method.to_string(),
            uri: uri.to_string(),
            body: String::from_utf8_lossy(body).into_owned(),
        });
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        let pairs: Vec<String> = query.split('&').map(decode).collect();
        let mut routes = lock(&self.routes);
        let route = routes.iter_mut().find(|r| {
            r.method == method && r.path == path && r.query.iter().all(|q| pairs.contains(q))
        });
        match route {
            Some(r) => {
                r.used += 1;
                (r.status, r.body.clone())
            }
            None => (501, format!("{{\"stub\":\"no route for {method} {uri}\"}}")),
        }
    }

    /// Every request received, in order.
    pub fn seen(&self) -> Vec<Seen> {
        lock(&self.seen).clone()
    }

    /// Fails the test if a route was never asked, or a request found no route.
    pub fn assert_all_used(&self) {
        let unused: Vec<String> = lock(&self.routes)
            .iter()
            .filter(|r| r.used == 0)
            .map(|r| format!("{} {}?{}", r.method, r.path, r.query.join("&")))
            .collect();
        assert!(
            unused.is_empty(),
            "expected requests never came: {unused:?}"
        );
        let unexpected: Vec<Seen> = self
            .seen()
            .into_iter()
            .filter(|s| {
                let (path, _) = s.uri.split_once('?').unwrap_or((&s.uri, ""));
                !lock(&self.routes)
                    .iter()
                    .any(|r| r.method == s.method && r.path == path)
            })
            .collect();
        assert!(unexpected.is_empty(), "unexpected requests: {unexpected:?}");
    }

    /// A real `kube::Client` whose every request this stub answers (default namespace
    /// `default`).
    pub fn kube_client(self: &Arc<Self>) -> kube::Client {
        let stub = self.clone();
        let service = tower::service_fn(move |request: http::Request<kube::client::Body>| {
            let stub = stub.clone();
            async move {
                let method = request.method().to_string();
                let uri = request
                    .uri()
                    .path_and_query()
                    .map_or_else(String::new, ToString::to_string);
                let body = request.into_body().collect_bytes().await?;
                let (status, answer) = stub.answer(&method, &uri, &body);
                http::Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(kube::client::Body::from(answer.into_bytes()))
                    .map_err(kube::Error::HttpError)
            }
        });
        kube::Client::new(service, "default")
    }

    /// Serves the routes over HTTP on 127.0.0.1 (one request per connection) until the test's
    /// runtime ends; returns the base URL.
    pub async fn serve(self: &Arc<Self>) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a local port");
        let addr = listener.local_addr().expect("its address");
        let stub = self.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let stub = stub.clone();
                tokio::spawn(async move {
                    let mut read = Vec::new();
                    let mut buf = [0u8; 4096];
                    let (head, body) = loop {
                        let n = socket.read(&mut buf).await.unwrap_or(0);
                        if n == 0 {
                            return;
                        }
                        read.extend_from_slice(&buf[..n]);
                        if let Some(end) = find(&read, b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&read[..end]).into_owned();
                            let length = content_length(&head);
                            while read.len() < end + 4 + length {
                                let n = socket.read(&mut buf).await.unwrap_or(0);
                                if n == 0 {
                                    break;
                                }
                                read.extend_from_slice(&buf[..n]);
                            }
                            break (head, read[end + 4..].to_vec());
                        }
                    };
                    let mut words = head.split_whitespace();
                    let (method, uri) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
                    let (status, answer) = stub.answer(method, uri, &body);
                    let response = format!(
                        "HTTP/1.1 {status} STUB\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                        answer.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                });
            }
        });
        format!("http://{addr}")
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &str) -> usize {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}

/// A query pair as sent (`labelSelector=app%3Dshop`), decoded (`labelSelector=app=shop`).
fn decode(pair: &str) -> String {
    url::form_urlencoded::parse(pair.as_bytes())
        .map(|(k, v)| format!("{k}={v}"))
        .next()
        .unwrap_or_default()
}

/// A Kubernetes list's JSON: its `items`, and the token of the next page when there is one.
pub fn kube_list(kind: &str, items: &[serde_json::Value], next: Option<&str>) -> String {
    serde_json::json!({
        "kind": kind,
        "apiVersion": "v1",
        "metadata": {"resourceVersion": "1", "continue": next.unwrap_or("")},
        "items": items,
    })
    .to_string()
}

/// The API server's 404 for `name` of `kind` (`deployments.apps`).
pub fn kube_not_found(kind: &str, name: &str) -> String {
    serde_json::json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": format!("{kind} \"{name}\" not found"), "reason": "NotFound",
        "details": {"name": name, "kind": kind}, "code": 404,
    })
    .to_string()
}
