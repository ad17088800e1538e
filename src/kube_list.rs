//! Kubernetes lists read in pages (`limit` + `continue`, as kubectl's `--chunk-size`): the API
//! server answers each page on its own instead of building one answer of the whole namespace,
//! and each page is reduced to what the caller keeps before the next is read, so a large
//! namespace never sits in memory whole.

use kube::api::{Api, ListParams};
use serde::de::DeserializeOwned;
use std::fmt::Debug;

/// Every object `params` selects, read `page_size` at a time.
pub async fn list_all<K>(
    api: &Api<K>,
    params: &ListParams,
    page_size: u32,
) -> Result<Vec<K>, kube::Error>
where
    K: Clone + DeserializeOwned + Debug,
{
    list_kept(api, params, page_size, Some).await
}

/// What `keep` makes of each object `params` selects (None: dropped), read `page_size` at a
/// time: only the kept part of a page outlives it.
pub async fn list_kept<K, T>(
    api: &Api<K>,
    params: &ListParams,
    page_size: u32,
    mut keep: impl FnMut(K) -> Option<T>,
) -> Result<Vec<T>, kube::Error>
where
    K: Clone + DeserializeOwned + Debug,
{
    let mut params = params.clone().limit(page_size.max(1));
    let mut kept = Vec::new();
    loop {
        let page = api.list(&params).await?;
        let next = page.metadata.continue_.filter(|token| !token.is_empty());
        kept.extend(page.items.into_iter().filter_map(&mut keep));
        match next {
            Some(token) => params = params.continue_token(&token),
            None => return Ok(kept),
        }
    }
}
