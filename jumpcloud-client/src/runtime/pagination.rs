//! Walking `limit`/`skip` paged collections.

use std::future::Future;

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{Stream, StreamExt, TryStreamExt, stream};
use serde::Serialize;

use super::Pending;
use super::error::Error;
use super::response::ResponseValue;

/// Page size used when the caller does not choose one; the largest the API
/// accepts on most list endpoints.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

struct State<F> {
    fetch: F,
    limit: u32,
    skip: u32,
    /// The previous page as JSON, to notice a server that ignores `skip`.
    previous: Option<Vec<u8>>,
    done: bool,
}

/// What to do after a page, decided from what the server said.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    Fetch(u32),
    Stop,
}

/// The paging rules, kept apart from the stream plumbing so they read as a list.
fn next_step(limit: u32, skip: u32, received: usize, total: Option<u64>) -> Next {
    if received == 0 {
        return Next::Stop;
    }
    let Some(next) = u32::try_from(received)
        .ok()
        .and_then(|received| skip.checked_add(received))
    else {
        return Next::Stop;
    };
    match total {
        // Servers cap `limit` (ask for 500, get 100), so a short page only
        // ends the collection when the server does not say how large it is.
        Some(total) if u64::from(next) < total => Next::Fetch(next),
        Some(_) => Next::Stop,
        None if received < limit as usize => Next::Stop,
        None => Next::Fetch(next),
    }
}

/// Streams every item of a paged collection, fetching pages lazily.
///
/// Equivalent to [`paginate_from`] starting at `skip = 0`.
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
    T: Serialize,
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, Error>>,
{
    paginate_from(page_size, 0, fetch)
}

/// Streams every item of a paged collection from `start` on, fetching pages
/// lazily with `fetch(limit, skip)`.
///
/// The rules, chosen so that no item is silently lost or repeated:
///
/// - After a page of `n` items the next request skips `n` more, whatever
///   `limit` was asked for: servers cap `limit`.
/// - When the response carries `x-total-count`, paging goes on while fewer
///   items than that total have been skipped, even after a short page.
/// - Without a total, a page shorter than `limit` is the last one.
/// - An empty page always ends the stream.
/// - A non-empty page identical to the previous one means the server ignored
///   `skip`; the stream yields [`Error::PageRepeated`] and ends rather than
///   loop forever.
/// - The first error from `fetch` is yielded and ends the stream.
///
/// The collection should be sorted by a stable key (e.g. `_id`), otherwise
/// items added or removed while paging can be skipped or repeated.
pub fn paginate_from<T, F, Fut>(
    page_size: u32,
    start: u32,
    mut fetch: F,
) -> impl Stream<Item = Result<T, Error>>
where
    T: Serialize,
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, Error>>,
{
    pages(page_size, start, move |limit, skip| {
        let page = fetch(limit, skip);
        async move {
            let page = page.await?;
            Ok((page.total_count(), page.into_inner()))
        }
    })
}

/// The paging of [`paginate_from`], over pages already split into the
/// collection's size (when known) and the page's items.
fn pages<T, F, Fut>(page_size: u32, start: u32, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    T: Serialize,
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<(Option<u64>, Vec<T>), Error>>,
{
    let state = State {
        fetch,
        // A zero limit would never make progress.
        limit: page_size.max(1),
        skip: start,
        previous: None,
        done: false,
    };
    stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let failed = |mut state: State<F>, err| {
            state.done = true;
            Some((vec![Err(err)], state))
        };
        let page = match (state.fetch)(state.limit, state.skip).await {
            Ok(page) => page,
            Err(err) => return failed(state, err),
        };
        let (total, items) = page;
        if !items.is_empty() {
            let fingerprint = match serde_json::to_vec(&items) {
                Ok(bytes) => bytes,
                Err(err) => {
                    let err = Error::InvalidRequest(format!("cannot compare pages: {err}"));
                    return failed(state, err);
                }
            };
            if state.previous.as_ref() == Some(&fingerprint) {
                let err = Error::PageRepeated {
                    skip: state.skip,
                    items: items.len(),
                };
                return failed(state, err);
            }
            state.previous = Some(fingerprint);
        }
        match next_step(state.limit, state.skip, items.len(), total) {
            Next::Fetch(skip) => state.skip = skip,
            Next::Stop => state.done = true,
        }
        Some((items.into_iter().map(Ok).collect::<Vec<_>>(), state))
    })
    .flat_map(stream::iter)
}

/// [`paginate_from`] for a generated operation's `stream()`: the fetch is a
/// boxed closure, so the stream is one type per item type rather than one
/// per operation, and it is boxed so the method can name it.
///
/// `page_size` is the builder's limit, [`DEFAULT_PAGE_SIZE`] without one;
/// `start` its skip, 0 without one.
pub fn stream_pages<T>(
    page_size: Option<u32>,
    start: Option<u32>,
    fetch: Box<dyn FnMut(u32, u32) -> Pending<Vec<T>> + Send>,
) -> BoxStream<'static, Result<T, Error>>
where
    T: Serialize + Send + 'static,
{
    let page_size = page_size.unwrap_or(DEFAULT_PAGE_SIZE);
    Box::pin(paginate_from(page_size, start.unwrap_or(0), fetch))
}

/// [`stream_pages`] for a list that answers with an object holding the
/// page's items, such as `{"results": [...], "totalCount": 250}`: `split`
/// takes the items out of a page's body, with the collection's size when
/// the body counts it. An `X-Total-Count` header, when the response has
/// one, counts instead of the body.
///
/// ```
/// # async fn demo() -> Result<(), jumpcloud_client::runtime::Error> {
/// use futures::TryStreamExt;
/// use jumpcloud_client::runtime::{ResponseValue, stream_pages_in};
/// use reqwest::{StatusCode, header::HeaderMap};
///
/// // The server caps pages at 2 items, although 100 are asked for: the
/// // total in the body says when to stop.
/// let items: Vec<u32> = stream_pages_in(
///     None,
///     None,
///     Box::new(|_limit, skip| {
///         let results: Vec<u32> = (skip..5).take(2).collect();
///         let body = (results, 5_u64);
///         Box::pin(async move { Ok(ResponseValue::new(StatusCode::OK, HeaderMap::new(), body)) })
///     }),
///     |(results, total)| (results, Some(total)),
/// )
/// .try_collect()
/// .await?;
/// assert_eq!(items, vec![0, 1, 2, 3, 4]);
/// # Ok(())
/// # }
/// ```
pub fn stream_pages_in<B, T>(
    page_size: Option<u32>,
    start: Option<u32>,
    mut fetch: Box<dyn FnMut(u32, u32) -> Pending<B> + Send>,
    split: fn(B) -> (Vec<T>, Option<u64>),
) -> BoxStream<'static, Result<T, Error>>
where
    B: Send + 'static,
    T: Serialize + Send + 'static,
{
    let page_size = page_size.unwrap_or(DEFAULT_PAGE_SIZE);
    Box::pin(pages(page_size, start.unwrap_or(0), move |limit, skip| {
        let page = fetch(limit, skip);
        async move {
            let page = page.await?;
            let header = page.total_count();
            let (items, body) = split(page.into_inner());
            Ok((header.or(body), items))
        }
    }))
}

/// A builder's `limit` or `skip` as a page number; `None` when it does not
/// fit (a negative value), so the default applies.
pub fn page_value<T: TryInto<u32>>(value: T) -> Option<u32> {
    value.try_into().ok()
}

/// [`collect_all`] for a generated operation's `collect_all()`.
pub fn collect_pages<T: Send + 'static>(
    stream: BoxStream<'static, Result<T, Error>>,
) -> BoxFuture<'static, Result<Vec<T>, Error>> {
    Box::pin(stream.try_collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_page_continues_while_total_says_more() {
        // Asked for 500, the server capped at 100 and reports 250 in all.
        assert_eq!(next_step(500, 0, 100, Some(250)), Next::Fetch(100));
        assert_eq!(next_step(500, 200, 50, Some(250)), Next::Stop);
    }

    #[test]
    fn short_page_without_total_is_the_last() {
        assert_eq!(next_step(100, 0, 40, None), Next::Stop);
        assert_eq!(next_step(100, 0, 100, None), Next::Fetch(100));
    }

    #[test]
    fn empty_page_stops_even_when_total_says_more() {
        assert_eq!(next_step(100, 100, 0, Some(250)), Next::Stop);
    }
}
