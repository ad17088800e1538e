//! Requests forwarded to kube-fake-client's store, and its answers reworked as kube-apiserver
//! would give them: field selectors with `!=` on any field, `limit`/`continue` paging, server-side
//! dry runs, a failed JSON patch refused as 1.20 refuses it, and Tables.

use super::patch::apply_patch;
use super::table::{as_table, TableRequest};
use super::{json_reply, query_param, status_reply, text, Reply, State};
use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use serde_json::{json, Value};

/// Sends the request to kube-fake-client's store, applying field selectors itself.
pub(super) async fn forward(
    state: &State,
    req: Request<Incoming>,
    query: &str,
    table: Option<&TableRequest>,
) -> Reply {
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
    };
    let field_selector = query_param(query, "fieldSelector");
    let is_get = parts.method == Method::GET;
    let limit = query_param(query, "limit").and_then(|l| l.parse::<usize>().ok());
    let after = query_param(query, "continue").filter(|c| !c.is_empty());
    let forwarded_query = forwarded_query(query, is_get);
    let dry_run = query_param(query, "dryRun").is_some();
    let uri = if forwarded_query.is_empty() {
        parts.uri.path().to_string()
    } else {
        format!("{}?{}", parts.uri.path(), forwarded_query)
    };

    // A server-side dry run validates by applying to a throwaway copy: answer with what the
    // store would return, without keeping it. The store cannot roll back, so reads decide.
    if dry_run && parts.method != Method::GET {
        return dry_run_reply(state, &parts, &uri, body).await;
    }

    if let Some(refused) = refuse_failing_json_patch(state, &parts, &uri, &body).await {
        return refused;
    }

    let mut builder = Request::builder().method(parts.method.clone()).uri(&uri);
    for (name, value) in parts.headers.iter() {
        builder = builder.header(name, value);
    }
    let request = match builder.body(kube::client::Body::from(body.to_vec())) {
        Ok(r) => r,
        Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
    };
    let response = match state.store.send(request).await {
        Ok(r) => r,
        Err(e) => {
            return status_reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                &e.to_string(),
            )
        }
    };
    if response.status().is_success() {
        if let Some(workload) = crate::rollout::workload_written(&parts.method, parts.uri.path()) {
            crate::rollout::complete_later(state.store.clone(), workload);
        }
    }
    let (rparts, rbody) = response.into_parts();
    let bytes = match rbody.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            return status_reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                &e.to_string(),
            )
        }
    };
    let paging = limit.is_some() || after.is_some();
    let rework = is_get && (field_selector.is_some() || paging || table.is_some());
    let parsed = match rework && rparts.status.is_success() {
        true => serde_json::from_slice::<Value>(&bytes).ok(),
        false => None,
    };
    let bytes = match parsed {
        Some(mut body) => {
            if let Some(selector) = &field_selector {
                filter_items(&mut body, selector);
            }
            if paging {
                page_list(&mut body, limit, after.as_deref());
            }
            if let Some(t) = table {
                body = as_table(&body, t, jiff::Timestamp::now());
            }
            Bytes::from(body.to_string())
        }
        _ => bytes,
    };
    let mut reply = Response::builder().status(rparts.status);
    reply = reply.header(header::CONTENT_TYPE, "application/json");
    reply.body(Full::new(bytes)).unwrap_or_default()
}

/// The query passed on to the store. It understands only `=` on a few fields: the selector is
/// stripped and filtering done here. It honours `limit` but never says there is more, so paging
/// of reads is done here too, after filtering.
fn forwarded_query(query: &str, is_get: bool) -> String {
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "fieldSelector" && k != "dryRun" && k != "includeObject")
        .filter(|(k, _)| !(is_get && (k == "limit" || k == "continue")))
        .fold(
            url::form_urlencoded::Serializer::new(String::new()),
            |mut s, (k, v)| {
                s.append_pair(&k, &v);
                s
            },
        )
        .finish()
}

/// A JSON patch that does not apply (a failed `test`) is refused as kube-apiserver refuses it;
/// the store would say something else. `None` for any other request, or a patch that applies.
async fn refuse_failing_json_patch(
    state: &State,
    parts: &http::request::Parts,
    uri: &str,
    body: &Bytes,
) -> Option<Reply> {
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if parts.method == Method::PATCH && content_type.contains("json-patch") {
        let path = uri.split('?').next().unwrap_or(uri).to_string();
        if let (Ok(mut current), Ok(patch)) = (
            get_json(state, &path).await,
            serde_json::from_slice::<Value>(body),
        ) {
            if let Err(message) = apply_patch(&mut current, &patch, &content_type) {
                return Some(patch_failed_reply(&content_type, &message));
            }
        }
    }
    None
}

async fn dry_run_reply(
    state: &State,
    parts: &http::request::Parts,
    uri: &str,
    body: Bytes,
) -> Reply {
    let path = uri.split('?').next().unwrap_or(uri).to_string();
    let current = match get_json(state, &path).await {
        Ok(v) => v,
        Err(reply) => return reply,
    };
    if parts.method == Method::PATCH {
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let patch: Value = match serde_json::from_slice(&body) {
            Ok(p) => p,
            Err(e) => return status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()),
        };
        let mut patched = current;
        if let Err(message) = apply_patch(&mut patched, &patch, content_type) {
            return patch_failed_reply(content_type, &message);
        }
        return json_reply(StatusCode::OK, &patched);
    }
    json_reply(StatusCode::OK, &current)
}

/// A patch that does not apply. For a JSON patch, kube-apiserver (1.20, checked) answers 422
/// Invalid with a generic message and details naming no object; other patches keep our message.
fn patch_failed_reply(content_type: &str, message: &str) -> Reply {
    if content_type.contains("json-patch") {
        return json_reply(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": "the server rejected our request due to an error in our request",
                    "reason": "Invalid", "details": {}, "code": 422}),
        );
    }
    status_reply(StatusCode::UNPROCESSABLE_ENTITY, "Invalid", message)
}

pub(super) async fn get_json(state: &State, path: &str) -> Result<Value, Reply> {
    let request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .body(kube::client::Body::empty())
        .map_err(|e| status_reply(StatusCode::BAD_REQUEST, "BadRequest", &e.to_string()))?;
    let response = state.store.send(request).await.map_err(|e| {
        status_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            &e.to_string(),
        )
    })?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| {
            status_reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                &e.to_string(),
            )
        })?
        .to_bytes();
    if !status.is_success() {
        return Err(Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(bytes))
            .unwrap_or_default());
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        status_reply(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            &e.to_string(),
        )
    })
}

/// Keeps the items of a list response that match a field selector (`a=b`, `a==b`, `a!=b`, joined
/// by commas), reading each field path (`type`, `involvedObject.name`, `status.phase`) from the item.
#[cfg(test)]
fn filter_list(bytes: &Bytes, selector: &str) -> Option<Bytes> {
    let mut list: Value = serde_json::from_slice(bytes).ok()?;
    filter_items(&mut list, selector)?;
    Some(Bytes::from(list.to_string()))
}

/// `filter_list` on a parsed list; `None` when it is not a list.
fn filter_items(list: &mut Value, selector: &str) -> Option<()> {
    let items = list.get_mut("items")?.as_array_mut()?;
    let requirements: Vec<(String, bool, String)> = selector
        .split(',')
        .filter(|r| !r.trim().is_empty())
        .filter_map(|r| {
            if let Some((f, v)) = r.split_once("!=") {
                Some((f.trim().to_string(), false, v.trim().to_string()))
            } else if let Some((f, v)) = r.split_once("==") {
                Some((f.trim().to_string(), true, v.trim().to_string()))
            } else {
                r.split_once('=')
                    .map(|(f, v)| (f.trim().to_string(), true, v.trim().to_string()))
            }
        })
        .collect();
    items.retain(|item| {
        requirements.iter().all(|(field, equal, wanted)| {
            let pointer = format!("/{}", field.replace('.', "/"));
            let actual = match item.pointer(&pointer) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            (actual == *wanted) == *equal
        })
    });
    Some(())
}

/// One page of a list, as kube-apiserver serves `limit` and `continue`: items in the order of
/// their storage keys (namespace, then name), at most `limit` of them after the key named by the
/// continue token, and `metadata.continue` plus `remainingItemCount` when more follow. The token is
/// the last key served (opaque to clients, as the API server's is).
fn page_list(list: &mut Value, limit: Option<usize>, after: Option<&str>) -> Option<()> {
    let key = |item: &Value| {
        format!(
            "{}/{}",
            text(item, "/metadata/namespace"),
            text(item, "/metadata/name")
        )
    };
    let items = list.get_mut("items")?.as_array_mut()?;
    let mut keyed: Vec<(String, Value)> = items.drain(..).map(|i| (key(&i), i)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(after) = after {
        keyed.retain(|(k, _)| k.as_str() > after);
    }
    let limit = limit.filter(|l| *l > 0).unwrap_or(usize::MAX);
    let remaining = keyed.len().saturating_sub(limit);
    keyed.truncate(limit);
    let last = keyed.last().map(|(k, _)| k.clone());
    items.extend(keyed.into_iter().map(|(_, i)| i));
    let metadata = list
        .as_object_mut()?
        .entry("metadata")
        .or_insert_with(|| json!({}));
    if let (true, Some(last), Some(m)) = (remaining > 0, last, metadata.as_object_mut()) {
        m.insert("continue".into(), json!(last));
        m.insert("remainingItemCount".into(), json!(remaining));
    } else if let Some(m) = metadata.as_object_mut() {
        m.remove("continue");
        m.remove("remainingItemCount");
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_selector_not_equal_excludes_matching_items() {
        let list = json!({"items": [{"type": "Normal"}, {"type": "Warning"}, {}]});
        let out = filter_list(&Bytes::from(list.to_string()), "type!=Normal").unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["items"], json!([{"type": "Warning"}, {}]));
    }

    #[test]
    fn paging_walks_the_whole_list_in_key_order() {
        let items: Vec<Value> = [5, 3, 1, 4, 2]
            .iter()
            .map(|i| json!({"metadata": {"namespace": "ns", "name": format!("pod-{i}")}}))
            .collect();
        let full = json!({"kind": "PodList", "metadata": {"resourceVersion": "7"}, "items": items});
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut page = full.clone();
            page_list(&mut page, Some(2), token.as_deref()).unwrap();
            for item in page["items"].as_array().unwrap() {
                seen.push(item["metadata"]["name"].as_str().unwrap().to_string());
            }
            match page["metadata"]["continue"].as_str() {
                Some(next) => {
                    assert!(page["metadata"]["remainingItemCount"].as_u64().unwrap() > 0);
                    token = Some(next.to_string());
                }
                None => break,
            }
        }
        assert_eq!(seen, ["pod-1", "pod-2", "pod-3", "pod-4", "pod-5"]);
    }
}
