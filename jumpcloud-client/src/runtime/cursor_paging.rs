//! Walking collections paged by a cursor the server hands out, as
//! Directory Insights pages its events with `search_after`.
//!
//! Each response carries, in headers a [`CursorRule`] names:
//!
//! - the cursor (`X-Search_after`: a JSON array, the sort values of the
//!   page's last row), to send back in the next request (its body's
//!   `search_after`);
//! - how many items this page holds (`X-Result-Count`);
//! - the most the service returns in one call (`X-Limit`).
//!
//! The service sends a cursor on every page, the last one too, so a cursor
//! does not mean "more": the last page is the one holding fewer items than
//! the limit. See [`paginate_cursor`] for every rule.
//!
//! Page requests that carry a read-only query may be marked safe to retry;
//! see "Retries" on [`paginate_cursor`].

use std::future::Future;

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{Stream, StreamExt, stream};
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::Pending;
use super::error::Error;
use super::response::ResponseValue;

/// The response headers through which a cursor-paged collection says how to
/// go on, as data: a generated operation fills them in from the generator's
/// settings, the runtime knows no API.
///
/// Header names are matched case-insensitively.
///
/// ```
/// use jumpcloud_client::runtime::CursorRule;
///
/// // Directory Insights' `POST /events`, asking for 1000 rows a page.
/// let rule = CursorRule::new("X-Search_after", "X-Result-Count", "X-Limit").page_size(Some(1000));
/// assert_eq!(rule.cursor_header(), "X-Search_after");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorRule {
    cursor_header: &'static str,
    count_header: &'static str,
    limit_header: &'static str,
    page_size: Option<u64>,
}

impl CursorRule {
    /// A rule reading the cursor, the page's item count and the service's
    /// page limit from these response headers.
    pub const fn new(
        cursor_header: &'static str,
        count_header: &'static str,
        limit_header: &'static str,
    ) -> Self {
        CursorRule {
            cursor_header,
            count_header,
            limit_header,
            page_size: None,
        }
    }

    /// The page size the requests ask for (their `limit`), when they set
    /// one. A page is full when it holds as many items as the smaller of
    /// this and the limit header: a service that reports its own maximum
    /// there rather than this call's limit still pages on.
    #[must_use]
    pub fn page_size(mut self, page_size: Option<u64>) -> Self {
        self.page_size = page_size;
        self
    }

    /// The header carrying the cursor for the next page, as JSON.
    pub fn cursor_header(&self) -> &'static str {
        self.cursor_header
    }

    /// The header carrying the number of items on the page.
    pub fn count_header(&self) -> &'static str {
        self.count_header
    }

    /// The header carrying the most items the service returns in one call.
    pub fn limit_header(&self) -> &'static str {
        self.limit_header
    }

    /// The page size set with [`page_size`](Self::page_size).
    pub fn requested_page_size(&self) -> Option<u64> {
        self.page_size
    }
}

/// What one response says about paging, read from its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PageFacts {
    /// Items the body holds.
    items: usize,
    /// The count header, when present and a number.
    count: Option<u64>,
    /// The limit header, when present and a number.
    limit: Option<u64>,
    /// The cursor header's raw value; several field lines are joined with
    /// commas (RFC 9110, section 5.3), as a proxy may have split a JSON array.
    cursor: Option<Bytes>,
}

impl PageFacts {
    fn read(rule: &CursorRule, headers: &HeaderMap, items: usize) -> Self {
        let number =
            |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
        let mut lines = headers.get_all(rule.cursor_header).iter();
        let cursor = lines.next().map(|first| {
            let mut raw = first.as_bytes().to_vec();
            for line in lines {
                raw.push(b',');
                raw.extend_from_slice(line.as_bytes());
            }
            Bytes::from(raw)
        });
        PageFacts {
            items,
            count: number(rule.count_header),
            limit: number(rule.limit_header),
            cursor,
        }
    }
}

/// What to do after a page.
#[derive(Debug, PartialEq)]
enum Next {
    /// Ask for the next page with this cursor.
    Fetch(Value),
    /// This page was the last.
    Stop(Stop),
}

/// Why a page was the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Empty,
    /// Fewer items than the limit.
    Short,
    /// No cursor to go on with (absent, blank or JSON `null`).
    NoCursor,
}

/// The cursor paging rules, kept apart from the stream plumbing so they read
/// as a list; `sent` is the cursor of the request that got this page.
fn next_step(rule: &CursorRule, page: &PageFacts, sent: Option<&Value>) -> Result<Next, Error> {
    if page.items == 0 {
        return Ok(Next::Stop(Stop::Empty));
    }
    // The count header is what the service says it sent; without it, what
    // arrived.
    let count = page
        .count
        .unwrap_or_else(|| u64::try_from(page.items).unwrap_or(u64::MAX));
    let limit = [page.limit, rule.page_size]
        .into_iter()
        .flatten()
        .filter(|limit| *limit > 0)
        .min();
    // A cursor comes with every page, the last one too: only a short page
    // says the collection ends. Without any limit, paging goes on until an
    // empty page.
    if limit.is_some_and(|limit| count < limit) {
        return Ok(Next::Stop(Stop::Short));
    }
    let Some(raw) = page
        .cursor
        .as_ref()
        .filter(|raw| !raw.trim_ascii().is_empty())
    else {
        return Ok(Next::Stop(Stop::NoCursor));
    };
    let cursor: Value = serde_json::from_slice(raw).map_err(|source| Error::InvalidCursor {
        header: rule.cursor_header,
        value: raw.clone(),
        source,
    })?;
    if cursor.is_null() {
        return Ok(Next::Stop(Stop::NoCursor));
    }
    // The cursor is the sort key of the page's last row, and every row of a
    // page comes after the cursor sent: the same cursor back means the
    // server ignored it and this page repeats the previous one.
    if sent == Some(&cursor) {
        return Err(Error::CursorRepeated {
            cursor,
            items: page.items,
        });
    }
    Ok(Next::Fetch(cursor))
}

struct State<F> {
    rule: CursorRule,
    fetch: F,
    /// The cursor of the next request; `None` for the first.
    cursor: Option<Value>,
    done: bool,
}

/// Streams every item of a cursor-paged collection, fetching pages lazily
/// with `fetch(cursor)`: `None` for the first page, then the cursor the
/// previous response carried in [`CursorRule::cursor_header`], parsed as
/// JSON, to be sent back as the request's cursor (Directory Insights: the
/// body's `search_after`).
///
/// The rules, chosen so that no item is silently lost or repeated:
///
/// - An empty page ends the stream.
/// - A page holding fewer items than the limit is the last, although it
///   carries a cursor. The items are counted by the count header (the page's
///   length without one); the limit is the smaller of the limit header and
///   [`CursorRule::page_size`]. With neither, paging goes on until an empty
///   page.
/// - A full page without a cursor (absent, blank or `null`) is the last.
/// - A cursor that is not JSON ends the stream with [`Error::InvalidCursor`]
///   (the header's raw value in it), after that page's items. On a page that
///   is the last anyway the cursor is not read.
/// - A non-empty page whose cursor is the one the request sent means the
///   server ignores the cursor: the stream yields [`Error::CursorRepeated`]
///   instead of that page and ends, rather than loop forever.
/// - The first error from `fetch` is yielded and ends the stream.
///
/// # Retries
///
/// The page requests of such a collection are usually POSTs (the query is a
/// JSON body). The client retries any request after a 429 (waiting its
/// `Retry-After`) or a connection that never opened, because the server
/// did not act on it; after a 502/503/504, a timeout or a lost connection it
/// repeats only idempotent methods, as the server may have acted on the
/// first attempt. A query such as Directory Insights' events search is
/// read-only, and its cursor is plain data in the request (the sort values of
/// the last row received), not a server-side position that each call
/// advances: sending the same body again changes nothing on the server and
/// answers the same page, so a repeated request neither skips nor repeats an
/// item. Its fetch therefore marks each page request with
/// [`Request::retry_non_idempotent`](super::Request::retry_non_idempotent)
/// (a generated builder's `retry_non_idempotent(true)`), and the
/// [`RetryPolicy`](super::RetryPolicy) retries it like a GET. Only a
/// read-only operation paged by such a stateless cursor may be marked; a
/// scroll API whose every call moves a position kept by the server must not.
///
/// ```
/// # async fn demo() -> Result<(), jumpcloud_client::runtime::Error> {
/// use jumpcloud_client::runtime::{CursorRule, ResponseValue, collect_all, paginate_cursor};
/// use reqwest::StatusCode;
/// use reqwest::header::{HeaderMap, HeaderValue};
/// use serde_json::{Value, json};
///
/// // A server holding 0..5, two a page, each page after the cursor's number.
/// let rule = CursorRule::new("X-Search_after", "X-Result-Count", "X-Limit");
/// let items = collect_all(paginate_cursor(rule, |cursor: Option<Value>| async move {
///     let after = cursor.and_then(|c| c[0].as_u64()).map_or(0, |n| n + 1);
///     let page: Vec<u64> = (after..5).take(2).collect();
///     let last = page.last().copied().unwrap_or(after);
///     let mut headers = HeaderMap::new();
///     headers.insert("x-limit", HeaderValue::from(2));
///     headers.insert("x-result-count", HeaderValue::from(page.len()));
///     headers.insert("x-search_after", HeaderValue::from_str(&json!([last]).to_string()).unwrap());
///     Ok(ResponseValue::new(StatusCode::OK, headers, page))
/// }))
/// .await?;
/// assert_eq!(items, vec![0, 1, 2, 3, 4]); // three requests: the third page is short
/// # Ok(())
/// # }
/// ```
pub fn paginate_cursor<T, F, Fut>(
    rule: CursorRule,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(Option<Value>) -> Fut,
    Fut: Future<Output = Result<ResponseValue<Vec<T>>, Error>>,
{
    let state = State {
        rule,
        fetch,
        cursor: None,
        done: false,
    };
    stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let page = match (state.fetch)(state.cursor.clone()).await {
            Ok(page) => page,
            Err(err) => {
                state.done = true;
                return Some((vec![Err(err)], state));
            }
        };
        let facts = PageFacts::read(&state.rule, page.headers(), page.len());
        let step = next_step(&state.rule, &facts, state.cursor.as_ref());
        let items = page.into_inner().into_iter().map(Ok);
        let out = match step {
            Ok(Next::Fetch(cursor)) => {
                state.cursor = Some(cursor);
                items.collect()
            }
            Ok(Next::Stop(_)) => {
                state.done = true;
                items.collect()
            }
            // The page repeats the previous one: not yielded again.
            Err(err @ Error::CursorRepeated { .. }) => {
                state.done = true;
                vec![Err(err)]
            }
            Err(err) => {
                state.done = true;
                items.chain(std::iter::once(Err(err))).collect()
            }
        };
        Some((out, state))
    })
    .flat_map(stream::iter)
}

/// [`paginate_cursor`] for a generated operation's stream: the fetch is a
/// boxed closure, so the stream is one type per item type rather than one
/// per operation, and it is boxed so the method can name it.
pub fn stream_cursor_pages<T>(
    rule: CursorRule,
    fetch: Box<dyn FnMut(Option<Value>) -> Pending<Vec<T>> + Send>,
) -> BoxStream<'static, Result<T, Error>>
where
    T: Send + 'static,
{
    Box::pin(paginate_cursor(rule, fetch))
}

/// [`stream_cursor_pages`] for a generated operation whose JSON query
/// carries the cursor: every page request is `first` (the builder as the
/// caller left it) with the previous page's cursor put in by `with_cursor`
/// (its body's cursor field), sent with `send`. The first request is
/// `first` as it is, so a query the caller resumes with its own cursor
/// starts there.
///
/// A cursor that does not fit the field's type ends the stream with
/// [`Error::InvalidCursor`], after the page that carried it.
pub fn stream_cursor_query<Q, T>(
    rule: CursorRule,
    first: Q,
    with_cursor: fn(&mut Q, Value) -> Result<(), serde_json::Error>,
    send: fn(Q) -> Pending<Vec<T>>,
) -> BoxStream<'static, Result<T, Error>>
where
    Q: Clone + Send + 'static,
    T: Send + 'static,
{
    let header = rule.cursor_header;
    stream_cursor_pages(
        rule,
        Box::new(move |cursor: Option<Value>| {
            let mut page = first.clone();
            if let Some(cursor) = cursor {
                let value = Bytes::from(cursor.to_string());
                if let Err(source) = with_cursor(&mut page, cursor) {
                    let err = Error::InvalidCursor {
                        header,
                        value,
                        source,
                    };
                    return Box::pin(std::future::ready(Err(err)));
                }
            }
            send(page)
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use serde_json::json;

    const RULE: CursorRule = CursorRule::new("X-Search_after", "X-Result-Count", "X-Limit");

    fn page(
        items: usize,
        count: Option<u64>,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> PageFacts {
        PageFacts {
            items,
            count,
            limit,
            cursor: cursor.map(|raw| Bytes::copy_from_slice(raw.as_bytes())),
        }
    }

    fn step(page: &PageFacts, sent: Option<&Value>) -> Next {
        next_step(&RULE, page, sent).expect("a decision, not an error")
    }

    const CURSOR: &str = r#"[1576181718000,"DZrPyW8BNsa9iKWoOm7h"]"#;

    #[test]
    fn a_full_page_with_a_cursor_goes_on_with_that_cursor() {
        let full = page(1000, Some(1000), Some(1000), Some(CURSOR));
        assert_eq!(
            step(&full, None),
            Next::Fetch(json!([1_576_181_718_000_u64, "DZrPyW8BNsa9iKWoOm7h"]))
        );
    }

    #[test]
    fn an_empty_page_stops_whatever_the_headers_say() {
        assert_eq!(
            step(&page(0, Some(1000), Some(1000), Some(CURSOR)), None),
            Next::Stop(Stop::Empty)
        );
    }

    #[test]
    fn a_short_page_stops_although_it_carries_a_cursor() {
        assert_eq!(
            step(&page(999, Some(999), Some(1000), Some(CURSOR)), None),
            Next::Stop(Stop::Short)
        );
    }

    #[test]
    fn without_a_count_header_the_page_length_counts() {
        assert_eq!(
            step(&page(40, None, Some(100), Some(CURSOR)), None),
            Next::Stop(Stop::Short)
        );
        assert!(matches!(
            step(&page(100, None, Some(100), Some(CURSOR)), None),
            Next::Fetch(_)
        ));
    }

    #[test]
    fn the_smaller_of_the_limit_header_and_the_page_size_is_the_limit() {
        // The service reports its maximum (10,000), the request asked for 100.
        let rule = RULE.clone().page_size(Some(100));
        let full = page(100, Some(100), Some(10_000), Some(CURSOR));
        assert!(matches!(next_step(&rule, &full, None), Ok(Next::Fetch(_))));
        // Asked for 5000, the service capped at 1000.
        let rule = RULE.clone().page_size(Some(5000));
        let capped = page(1000, Some(1000), Some(1000), Some(CURSOR));
        assert!(matches!(
            next_step(&rule, &capped, None),
            Ok(Next::Fetch(_))
        ));
        let short = page(10, Some(10), None, Some(CURSOR));
        assert_eq!(
            next_step(&rule, &short, None).unwrap(),
            Next::Stop(Stop::Short)
        );
    }

    #[test]
    fn without_any_limit_paging_goes_on_until_an_empty_page() {
        assert!(matches!(
            step(&page(3, Some(3), None, Some(CURSOR)), None),
            Next::Fetch(_)
        ));
    }

    #[test]
    fn a_full_page_without_a_cursor_is_the_last() {
        for cursor in [None, Some(""), Some("  "), Some("null")] {
            assert_eq!(
                step(&page(10, Some(10), Some(10), cursor), None),
                Next::Stop(Stop::NoCursor),
                "{cursor:?}"
            );
        }
    }

    #[test]
    fn the_cursor_sent_coming_back_is_an_error_not_a_loop() {
        let sent = json!([1_576_181_718_000_u64, "DZrPyW8BNsa9iKWoOm7h"]);
        let full = page(10, Some(10), Some(10), Some(CURSOR));
        match next_step(&RULE, &full, Some(&sent)) {
            Err(Error::CursorRepeated { cursor, items }) => {
                assert_eq!((cursor, items), (sent, 10));
            }
            other => panic!("expected CursorRepeated, got {other:?}"),
        }
    }

    #[test]
    fn a_cursor_that_is_not_json_is_a_typed_error_with_the_raw_value() {
        let raw = r#"[1576181718000,"DZrPyW8B"#;
        let full = page(10, Some(10), Some(10), Some(raw));
        match next_step(&RULE, &full, None) {
            Err(Error::InvalidCursor { header, value, .. }) => {
                assert_eq!(header, "X-Search_after");
                assert_eq!(value, raw);
            }
            other => panic!("expected InvalidCursor, got {other:?}"),
        }
        // Not needed on the last page, so not read there.
        let short = page(3, Some(3), Some(10), Some(raw));
        assert_eq!(step(&short, None), Next::Stop(Stop::Short));
    }

    #[test]
    fn headers_are_read_case_insensitively_and_split_cursors_rejoined() {
        let mut headers = HeaderMap::new();
        headers.insert("x-result-count", HeaderValue::from_static(" 7 "));
        headers.insert("x-limit", HeaderValue::from_static("not a number"));
        headers.append("x-search_after", HeaderValue::from_static("[1576181718000"));
        headers.append(
            "x-search_after",
            HeaderValue::from_static("\"DZrPyW8BNsa9iKWoOm7h\"]"),
        );
        let facts = PageFacts::read(&RULE, &headers, 7);
        assert_eq!(facts.count, Some(7));
        assert_eq!(facts.limit, None);
        let cursor = facts.cursor.as_deref().map(<[u8]>::to_vec);
        assert_eq!(cursor.as_deref(), Some(CURSOR.as_bytes()));
    }
}
