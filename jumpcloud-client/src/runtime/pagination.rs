//! Walking `limit`/`skip` paged collections.

use std::future::Future;

use futures::{Stream, StreamExt, TryStreamExt, stream};

use super::error::Error;
use super::response::ResponseValue;

/// Page size used when the caller does not choose one; the largest the API
/// accepts on most list endpoints.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

struct State<F> {
    fetch: F,
    limit: u32,
    skip: u32,
    done: bool,
}

/// Streams every item of a paged collection, fetching pages lazily.
///
/// `fetch(limit, skip)` loads one page. The stream ends after a page shorter
/// than `limit` (including an empty one), once the `x-total-count` reported
/// by the server has been reached, or after yielding the first error.
///
/// The collection should be sorted by a stable key (e.g. `_id`), otherwise
/// items added or removed while paging can be skipped or repeated.
///
/// ```
/// # async fn demo() -> Result<(), jumpcloud_client::runtime::Error> {
/// use jumpcloud_client::runtime::{ResponseValue, collect_all, paginate};
/// use reqwest::{StatusCode, header::HeaderMap};
///
/// let items = collect_all(paginate(2, |limit, skip| async move {
///     let page: Vec<u32> = (skip..5).take(limit as usize).collect();
///     Ok(ResponseValue::new(StatusCode::OK, HeaderMap::new(), page))
/// }))
/// .await?;
/// assert_eq!(items, vec![0, 1, 2, 3, 4]);
/// # Ok(())
/// # }
/// ```
pub fn paginate<T, F, Fut>(page_size: u32, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, Error>>,
{
    let state = State {
        fetch,
        // A zero limit would never make progress.
        limit: page_size.max(1),
        skip: 0,
        done: false,
    };
    stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let page = match (state.fetch)(state.limit, state.skip).await {
            Ok(page) => page,
            Err(err) => {
                state.done = true;
                return Some((vec![Err(err)], state));
            }
        };
        let total = page.total_count();
        let items = page.into_inner();
        let received = u32::try_from(items.len()).unwrap_or(u32::MAX);
        let next_skip = state.skip.checked_add(received);
        state.done = received < state.limit
            || next_skip.is_none()
            || total.is_some_and(|total| u64::from(state.skip) + u64::from(received) >= total);
        state.skip = next_skip.unwrap_or(u32::MAX);
        Some((items.into_iter().map(Ok).collect::<Vec<_>>(), state))
    })
    .flat_map(stream::iter)
}

/// Drains a stream produced by [`paginate`] into a vector, stopping at the
/// first error.
///
/// # Errors
/// The first error the stream yields.
pub async fn collect_all<T, S>(stream: S) -> Result<Vec<T>, Error>
where
    S: Stream<Item = Result<T, Error>>,
{
    stream.try_collect().await
}
