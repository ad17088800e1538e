//! Kubernetes lists read in pages (`limit` + `continue`, as kubectl's `--chunk-size`): the API
//! server answers each page on its own instead of building one answer of the whole namespace,
//! and each object is parsed as soon as its bytes arrive and reduced to what the caller keeps,
//! so neither the namespace nor a page, nor a page's text, ever sits in memory: one object.

use super::json_list::ListSplitter;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, ListParams};
use serde::de::DeserializeOwned;
use std::fmt::Debug;

/// How a container's log is asked for: its newest `tail_lines`, and never more than
/// `limit_bytes` (the kubelet stops there), so one endless line cannot be read whole. Every log
/// read goes through here (a unit test checks that nothing else builds `LogParams`).
pub fn log_params(
    container: Option<String>,
    tail_lines: i64,
    limit_bytes: i64,
    previous: bool,
) -> kube::api::LogParams {
    kube::api::LogParams {
        container,
        tail_lines: Some(tail_lines),
        limit_bytes: Some(limit_bytes),
        previous,
        ..kube::api::LogParams::default()
    }
}

/// Every object `params` selects, read `page_size` at a time.
pub async fn list_all<K>(
    api: &Api<K>,
    params: &ListParams,
    page_size: u32,
) -> Result<Vec<K>, kube::Error>
where
    K: kube::Resource + Clone + DeserializeOwned + Debug,
{
    list_kept(api, params, page_size, Some).await
}

/// What `keep` makes of each object `params` selects (None: dropped), read `page_size` at a
/// time: only the kept part of a page outlives it.
pub async fn list_kept<K, T>(
    api: &Api<K>,
    params: &ListParams,
    page_size: u32,
    keep: impl FnMut(K) -> Option<T>,
) -> Result<Vec<T>, kube::Error>
where
    K: kube::Resource + Clone + DeserializeOwned + Debug,
{
    let params = params.clone().limit(page_size.max(1));
    read_pages(api, params, Shape::Whole, keep).await
}

/// Hands each object `params` selects to `each`, `page_size` at a time, asking for no page
/// after `deadline`; true when every page was read.
pub async fn fold_until<K>(
    api: &Api<K>,
    params: &ListParams,
    page_size: u32,
    deadline: std::time::Instant,
    mut each: impl FnMut(K),
) -> Result<bool, kube::Error>
where
    K: kube::Resource + Clone + DeserializeOwned + Debug,
{
    let params = params.clone().limit(page_size.max(1));
    let mut complete = true;
    read_pages_until(
        api,
        params,
        Shape::Whole,
        Some(deadline),
        &mut complete,
        None,
        |o: K| {
            each(o);
            None::<()>
        },
    )
    .await?;
    Ok(complete)
}

/// The names of the objects `params` selects, `page_size` at a time, read as metadata only
/// (`PartialObjectMetadataList`): the server sends no spec or status.
pub async fn list_names<K>(
    api: &Api<K>,
    params: &ListParams,
    page_size: u32,
) -> Result<Vec<String>, kube::Error>
where
    K: kube::Resource + Clone,
{
    let params = params.clone().limit(page_size.max(1));
    read_pages(api, params, Shape::MetadataOnly, |m: MetadataOnly| {
        m.metadata.name
    })
    .await
}

/// The object `name` as `T` reads it (a reduced view: what the caller counts or keeps),
/// parsed as its bytes arrive: neither its text nor the whole object is ever in memory (the
/// Endpoints of a service in front of 20,000 pods is 4 MB of text, several times that
/// parsed). None when it does not exist, as `Api::get_opt`.
pub async fn get_reduced<K, T>(api: &Api<K>, name: &str) -> Result<Option<T>, kube::Error>
where
    K: kube::Resource + Clone,
    T: DeserializeOwned + Send + 'static,
{
    let request = kube::core::Request::new(api.resource_url())
        .get(name, &kube::api::GetParams::default())
        .map_err(kube::Error::BuildRequest)?;
    match send(api, request).await {
        Ok(answer) => super::json_stream::parse(answer.body).await.map(Some),
        Err(kube::Error::Api(status)) if status.code == 404 => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whole objects, or their metadata only.
#[derive(Clone, Copy)]
enum Shape {
    Whole,
    MetadataOnly,
}

/// An object as a metadata-only list gives it.
#[derive(serde::Deserialize)]
struct MetadataOnly {
    metadata: ObjectMeta,
}

/// Reads page after page (as long as the server gives a continue token), handing each object
/// to `keep` as soon as its bytes have arrived: neither a page nor its text is ever held whole
/// (kube's `Api::list` builds the whole page as typed objects from its whole text first). The
/// same requests and errors as `Api::list`: an error status is a typed `kube::Error::Api`, an
/// answer that is not a list a `SerdeError`.
async fn read_pages<K, I, T>(
    api: &Api<K>,
    params: ListParams,
    shape: Shape,
    keep: impl FnMut(I) -> Option<T>,
) -> Result<Vec<T>, kube::Error>
where
    K: kube::Resource + Clone,
    I: DeserializeOwned,
{
    read_pages_until(api, params, shape, None, &mut true, None, keep).await
}

/// An answer's body, read as it arrives.
type Body = std::pin::Pin<Box<dyn futures::AsyncBufRead + Send>>;

/// Asks for one page; its answer is read by whoever reads the body.
async fn ask_page<K>(api: &Api<K>, params: &ListParams, shape: Shape) -> Result<Body, kube::Error>
where
    K: kube::Resource + Clone,
{
    let url = kube::core::Request::new(api.resource_url());
    let request = match shape {
        Shape::Whole => url.list(params),
        Shape::MetadataOnly => url.list_metadata(params),
    }
    .map_err(kube::Error::BuildRequest)?;
    Ok(send(api, request).await?.body)
}

/// A list whose first page has been asked for: the server prepares its answer while the
/// caller does something else, and the answer waits in the connection (flow control: this
/// process holds no more of it than its read buffer) until [`AskedList::fold`] reads it.
pub struct AskedList<K> {
    api: Api<K>,
    params: ListParams,
    first: Body,
}

/// Asks for the first page of what `params` selects, `page_size` at a time.
pub async fn ask_list<K>(
    api: &Api<K>,
    params: &ListParams,
    page_size: u32,
) -> Result<AskedList<K>, kube::Error>
where
    K: kube::Resource + Clone,
{
    let params = params.clone().limit(page_size.max(1));
    let first = ask_page(api, &params, Shape::Whole).await?;
    Ok(AskedList {
        api: api.clone(),
        params,
        first,
    })
}

impl<K: kube::Resource + Clone> AskedList<K> {
    /// Hands each object, parsed as `I`, to `each`: the page asked for, then the next ones.
    pub async fn fold<I: DeserializeOwned>(
        self,
        mut each: impl FnMut(I),
    ) -> Result<(), kube::Error> {
        let keep = |o: I| {
            each(o);
            None::<()>
        };
        let first = Some(self.first);
        read_pages_until(
            &self.api,
            self.params,
            Shape::Whole,
            None,
            &mut true,
            first,
            keep,
        )
        .await
        .map(|_| ())
    }
}

/// As [`read_pages`], asking for no page after `deadline` (`complete` is then false); `first`
/// is the first page's answer when it was asked for already.
async fn read_pages_until<K, I, T>(
    api: &Api<K>,
    mut params: ListParams,
    shape: Shape,
    deadline: Option<std::time::Instant>,
    complete: &mut bool,
    mut first: Option<Body>,
    mut keep: impl FnMut(I) -> Option<T>,
) -> Result<Vec<T>, kube::Error>
where
    K: kube::Resource + Clone,
    I: DeserializeOwned,
{
    let mut kept = Vec::new();
    loop {
        let body = match first.take() {
            Some(body) => body,
            None => ask_page(api, &params, shape).await?,
        };
        let next = read_json_list(body, |o: I| kept.extend(keep(o))).await?;
        match next.filter(|token| !token.is_empty()) {
            Some(_) if deadline.is_some_and(|d| std::time::Instant::now() >= d) => {
                *complete = false;
                return Ok(kept);
            }
            Some(token) => params = params.continue_token(&token),
            None => return Ok(kept),
        }
    }
}

/// Reads one list answer's JSON as it arrives, handing each object, parsed as `I`, to `each`;
/// returns the list's `metadata.continue`.
pub(super) async fn read_json_list<I: DeserializeOwned>(
    mut body: Body,
    mut each: impl FnMut(I),
) -> Result<Option<String>, kube::Error> {
    use futures::AsyncBufReadExt;
    let mut splitter = ListSplitter::default();
    let mut item = |bytes: &[u8]| {
        each(serde_json::from_slice::<I>(bytes)?);
        Ok(())
    };
    loop {
        let chunk = body.fill_buf().await.map_err(kube::Error::ReadEvents)?;
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len();
        splitter
            .feed(chunk, &mut item)
            .map_err(kube::Error::SerdeError)?;
        body.as_mut().consume(n);
    }
    splitter.finish().map_err(kube::Error::SerdeError)
}

/// The encoding an answer came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Protobuf,
    Json,
}

/// An answer, read as it arrives, and the encoding the server chose for it.
pub(super) struct Answer {
    pub body: Body,
    pub encoding: Encoding,
}

/// The most of an error answer read: a `Status` is a few hundred bytes.
const MAX_ERROR_ANSWER: usize = 64 * 1024;

/// Asks for the list `params` selects, accepting the media types `accept` names (the server
/// picks one).
pub(super) async fn ask_encoded<K>(
    api: &Api<K>,
    params: &ListParams,
    accept: &'static str,
) -> Result<Answer, kube::Error>
where
    K: kube::Resource + Clone,
{
    let mut request = kube::core::Request::new(api.resource_url())
        .list(params)
        .map_err(kube::Error::BuildRequest)?;
    request
        .headers_mut()
        .insert(http::header::ACCEPT, http::HeaderValue::from_static(accept));
    send(api, request).await
}

/// Sends a read (a list or a get): every answer streamed here goes through it. An error
/// status is a typed `kube::Error::Api` whichever encoding says it (as kube's own requests
/// give it, but reading no more than `MAX_ERROR_ANSWER` of it); a good answer is handed back
/// unread.
async fn send<K>(api: &Api<K>, request: http::Request<Vec<u8>>) -> Result<Answer, kube::Error>
where
    K: kube::Resource + Clone,
{
    use futures::TryStreamExt;
    use http_body_util::BodyExt;
    let response = api
        .clone()
        .into_client()
        .send(request.map(kube::client::Body::from))
        .await?;
    let code = response.status();
    let is_protobuf = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with(super::protobuf::MEDIA_TYPE));
    let encoding = if is_protobuf {
        Encoding::Protobuf
    } else {
        Encoding::Json
    };
    let body: Body = Box::pin(
        response
            .into_body()
            .into_data_stream()
            .map_err(std::io::Error::other)
            .into_async_read(),
    );
    if code.is_client_error() || code.is_server_error() {
        return Err(error_answer(body, code.as_u16(), encoding).await);
    }
    Ok(Answer { body, encoding })
}

/// The `kube::Error::Api` an error answer says (its first `MAX_ERROR_ANSWER` bytes read).
async fn error_answer(body: Body, code: u16, encoding: Encoding) -> kube::Error {
    use futures::AsyncReadExt;
    let mut bytes = Vec::new();
    if let Err(e) = body
        .take(MAX_ERROR_ANSWER as u64)
        .read_to_end(&mut bytes)
        .await
    {
        return kube::Error::ReadEvents(e);
    }
    let status = match encoding {
        Encoding::Protobuf => super::protobuf::status(&bytes),
        Encoding::Json => serde_json::from_slice::<kube::core::Status>(&bytes).ok(),
    };
    let status = status.unwrap_or_else(|| {
        kube::core::Status::failure(
            &String::from_utf8_lossy(&bytes),
            "Failed to parse error data",
        )
    });
    // The HTTP status decides when the answer did not say its own.
    let status = if status.code == 0 {
        status.with_code(code)
    } else {
        status
    };
    kube::Error::Api(status.boxed())
}

/// Parses a whole list's JSON, objects one at a time into `keep`; returns `metadata.continue`.
#[cfg(test)]
fn parse_page<K, T>(
    text: &str,
    keep: &mut impl FnMut(K) -> Option<T>,
    kept: &mut Vec<T>,
) -> Result<Option<String>, serde_json::Error>
where
    K: DeserializeOwned,
{
    let mut splitter = ListSplitter::default();
    splitter.feed(text.as_bytes(), &mut |bytes| {
        kept.extend(keep(serde_json::from_slice::<K>(bytes)?));
        Ok(())
    })?;
    splitter.finish()
}

#[cfg(test)]
mod tests {
    /// Every log read is bounded: no module but this one builds `LogParams` itself.
    #[test]
    fn every_log_read_has_a_byte_limit() {
        let params = super::log_params(None, 10, 1024, false);
        assert_eq!(params.limit_bytes, Some(1024));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        let mut found = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("src/clients/kube/list.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if text.contains("LogParams {") || text.contains("LogParams::default") {
                        found.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "read logs through clients::kube::list::log_params: {found:?}"
        );
    }

    use super::*;
    use k8s_openapi::api::core::v1::Event;

    fn names(text: &str) -> Result<(Vec<String>, Option<String>), serde_json::Error> {
        let mut kept = Vec::new();
        let token = parse_page(text, &mut |e: Event| e.metadata.name, &mut kept)?;
        Ok((kept, token))
    }

    /// Every streamed read goes through `send`: an error answer is a typed `Api` error from
    /// its Status (or its HTTP code), and no more of it is read than `MAX_ERROR_ANSWER`.
    #[tokio::test]
    async fn an_error_answer_is_typed_from_its_status_and_read_only_so_far() {
        use crate::clients::stub::{kube_not_found, Stub};
        use k8s_openapi::api::core::v1::{Endpoints, Pod};
        let forbidden = serde_json::json!({"kind": "Status", "apiVersion": "v1",
            "status": "Failure", "message": "events is forbidden", "reason": "Forbidden",
            "code": 403});
        let stub = Stub::new()
            .on(
                "GET",
                "/api/v1/namespaces/default/events",
                403,
                forbidden.to_string(),
            )
            .on(
                "GET",
                "/api/v1/namespaces/default/pods",
                500,
                "x".repeat(1 << 20),
            )
            .on(
                "GET",
                "/api/v1/namespaces/default/endpoints/backend",
                404,
                kube_not_found("endpoints", "backend"),
            );
        let client = stub.kube_client();
        let events: Api<Event> = Api::default_namespaced(client.clone());
        let Err(kube::Error::Api(s)) = list_all(&events, &ListParams::default(), 10).await else {
            panic!("a 403 is an Api error");
        };
        assert_eq!((s.code, s.reason.as_str()), (403, "Forbidden"));
        let pods: Api<Pod> = Api::default_namespaced(client.clone());
        let Err(kube::Error::Api(s)) = list_all(&pods, &ListParams::default(), 10).await else {
            panic!("a 500 is an Api error");
        };
        assert_eq!(s.code, 500);
        assert!(s.message.len() <= MAX_ERROR_ANSWER, "{}", s.message.len());
        let endpoints: Api<Endpoints> = Api::default_namespaced(client);
        let missing = get_reduced::<_, serde_json::Value>(&endpoints, "backend").await;
        assert!(matches!(missing, Ok(None)), "{missing:?}");
        stub.assert_all_used();
    }

    #[test]
    fn a_page_is_read_object_by_object_with_its_continue_token() {
        let text = r#"{"kind": "EventList", "apiVersion": "v1",
            "metadata": {"resourceVersion": "7", "continue": "next-page"},
            "items": [{"metadata": {"name": "a"}, "type": "Warning", "involvedObject": {}},
                      {"metadata": {"name": "b"}, "involvedObject": {}, "extra": [1, {"x": null}]}]}"#;
        let (kept, token) = names(text).unwrap();
        assert_eq!(kept, ["a", "b"]);
        assert_eq!(token.as_deref(), Some("next-page"));
    }

    #[test]
    fn items_may_come_before_the_metadata_or_be_null_and_the_last_page_has_no_token() {
        let (kept, token) = names(
            r#"{"items": [{"metadata": {"name": "a"}, "involvedObject": {}}], "metadata": {}}"#,
        )
        .unwrap();
        assert_eq!((kept, token), (vec!["a".to_string()], None));
        assert_eq!(
            names(r#"{"metadata": {}, "items": null}"#).unwrap(),
            (vec![], None)
        );
    }

    #[test]
    fn what_is_not_a_list_is_an_error_not_an_empty_list() {
        for text in [
            r#"{"metadata": {}}"#,
            r#"{"items": {"a": 1}}"#,
            r#"[]"#,
            r#"{"items": [{"metadata": {"name": 5}}]}"#,
            r#"{"items": []} trailing"#,
        ] {
            assert!(names(text).is_err(), "{text}");
        }
    }
}
