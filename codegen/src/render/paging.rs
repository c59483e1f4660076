//! A list operation's `stream()` and `collect_all()`: by offset
//! (`limit`/`skip`) or by cursor, over a body that is the page's items or
//! holds them, as the IR's [`Pagination`] says.

use proc_macro2::TokenStream;
use quote::quote;

use super::apis::is_non_idempotent;
use super::rust_type::{TypeContext, ident, type_tokens};
use crate::ir::{
    BodyField, CursorPaging, OffsetPaging, Operation, PageItems, Pagination, PagingKind, TypeRef,
};

pub(super) fn render_paging(op: &Operation) -> Option<TokenStream> {
    let paging = op.pagination.as_ref()?;
    let item = type_tokens(&paging.item, TypeContext::Elsewhere);
    let stream = match &paging.kind {
        PagingKind::Offset(offset) => render_offset(op, paging, offset, &item)?,
        PagingKind::Cursor(cursor) => render_cursor(op, cursor, &item),
    };
    Some(quote! {
        #stream

        /// Fetches every page and collects the items.
        pub fn collect_all(self) -> futures::future::BoxFuture<'static, Result<Vec<#item>, Error>> {
            crate::runtime::collect_pages(self.stream())
        }
    })
}

/// `expr`, a field read as its struct holds it, as an `Option` of its value.
fn optional(expr: TokenStream, field: &BodyField) -> TokenStream {
    match field.options {
        0 => quote!(Some(#expr)),
        1 => expr,
        _ => quote!(#expr.flatten()),
    }
}

/// `value` as the field holds it.
fn wrapped(value: TokenStream, field: &BodyField) -> TokenStream {
    (0..field.options).fold(value, |value, _| quote!(Some(#value)))
}

/// A number field as a page count (`Option<u64>`).
fn count(expr: TokenStream, field: &BodyField) -> TokenStream {
    let value = optional(expr, field);
    quote!(#value.and_then(|n| u64::try_from(n).ok()))
}

fn render_offset(
    op: &Operation,
    paging: &Pagination,
    offset: &OffsetPaging,
    item: &TokenStream,
) -> Option<TokenStream> {
    let limit = ident(&offset.limit);
    let skip = ident(&offset.skip);
    let limit_param = op.params.iter().find(|p| p.rust_name == offset.limit)?;
    let skip_param = op.params.iter().find(|p| p.rust_name == offset.skip)?;
    let convert = |ty: &TypeRef, v: TokenStream| match ty {
        TypeRef::I64 | TypeRef::U64 => quote!(#v.into()),
        TypeRef::U32 => quote!(#v),
        _ => quote!(#v.try_into().unwrap_or(i32::MAX)),
    };
    let limit_value = convert(&limit_param.ty, quote!(limit));
    let skip_value = convert(&skip_param.ty, quote!(skip));
    // The default sort key comes from the API's settings; without one the
    // caller's order (or the server's) is kept.
    let default_sort = offset.sort.as_ref().zip(offset.default_sort.as_ref());
    let sort = default_sort.map(|(s, key)| {
        let s = ident(s);
        let param = op.params.iter().find(|p| p.rust_name == *s.to_string());
        let value = match param.map(|p| &p.ty) {
            Some(TypeRef::String) => quote!(#key.to_string()),
            _ => quote!(vec![#key.to_string()]),
        };
        quote! {
            if base.#s.is_none() {
                base.#s = Some(#value);
            }
        }
    });
    let mutable = default_sort.map(|_| quote!(mut));
    let sort_doc = default_sort.map(|(_, key)| {
        let doc = format!(
            " Without a sort order, pages are sorted by `{key}` so that skipping is stable."
        );
        quote!(#[doc = #doc])
    });
    // The builder's own setter names, as the API's settings call them.
    let size_doc = format!(
        " The page size is the `{}` set on this builder, or",
        offset.limit
    );
    let start_doc = format!(
        " first page starts at the `{}` set on this builder, or 0.",
        offset.skip
    );
    let fetch = quote! {
        Box::new(move |limit, skip| {
            base.clone().#limit(#limit_value).#skip(#skip_value).send()
        })
    };
    let (total_doc, call) = match &paging.items {
        PageItems::Body => (
            quote! {
                /// server reports ([`ResponseValue::total_count`](crate::runtime::ResponseValue::total_count))
            },
            quote!(crate::runtime::stream_pages(page_size, start, #fetch)),
        ),
        PageItems::Field { items, total } => {
            let items_expr = optional(body_field(items), items);
            let total_expr = total
                .as_ref()
                .map_or_else(|| quote!(None), |total| count(body_field(total), total));
            let doc = format!(
                " server reports (the `X-Total-Count` header, or the body's `{}`)",
                total.as_ref().map_or("total", |t| t.rust_name.as_str())
            );
            (
                quote! {
                    #[doc = #doc]
                },
                quote! {
                    crate::runtime::stream_pages_in(
                        page_size,
                        start,
                        #fetch,
                        |body| (#items_expr.unwrap_or_default(), #total_expr),
                    )
                },
            )
        }
    };
    Some(quote! {
        /// Streams every item across pages, fetching the next page as needed.
        ///
        #[doc = #size_doc]
        /// [`DEFAULT_PAGE_SIZE`](crate::runtime::DEFAULT_PAGE_SIZE); the
        #[doc = #start_doc]
        #sort_doc
        ///
        /// No item is lost or repeated: paging goes on while the total the
        #total_doc
        /// says items remain, even after a page shorter than asked for (the
        /// server caps the page size); without a total, a short page is the
        /// last; an empty page always ends the stream; a server that answers
        /// the next page with the same items (it ignores the offset) ends the
        /// stream with [`Error::PageRepeated`]. See
        /// [`paginate_from`](crate::runtime::paginate_from).
        ///
        /// The stream owns a handle to the client, so it can be stored or
        /// spawned; it is boxed and pinned, so `StreamExt`/`TryStreamExt`
        /// methods such as `try_next` work on it directly.
        pub fn stream(self) -> futures::stream::BoxStream<'static, Result<#item, Error>> {
            let page_size = self.#limit.and_then(crate::runtime::page_value);
            let start = self.#skip.and_then(crate::runtime::page_value);
            let #mutable base = self;
            #sort
            #call
        }
    })
}

fn body_field(field: &BodyField) -> TokenStream {
    let name = ident(&field.rust_name);
    quote!(body.#name)
}

fn render_cursor(op: &Operation, cursor: &CursorPaging, item: &TokenStream) -> TokenStream {
    let field = ident(&cursor.cursor_field.rust_name);
    let set = wrapped(
        quote!(serde_json::from_value(cursor)?),
        &cursor.cursor_field,
    );
    let page_size = cursor.limit_field.as_ref().map_or_else(
        || quote!(None),
        |limit| {
            let name = ident(&limit.rust_name);
            count(quote!(self.body.#name), limit)
        },
    );
    let (cursor_header, count_header, limit_header) = (
        &cursor.cursor_header,
        &cursor.count_header,
        &cursor.limit_header,
    );
    let limit_name = cursor.limit_field.as_ref().map_or(String::new(), |l| {
        format!(" (or the query's `{}`)", l.rust_name)
    });
    let rules = [
        " Each page is this query again, with the previous page's".to_string(),
        format!(
            " `{cursor_header}` header as its `{}`. A page holding fewer",
            cursor.cursor_field.rust_name
        ),
        format!(" items (`{count_header}`) than `{limit_header}`{limit_name} is the"),
        " last, although it carries a cursor.".to_string(),
    ];
    let retry = (cursor.read_only && is_non_idempotent(op)).then(|| {
        (
            quote! {
                ///
                /// A page request is sent again after a failure the client's retry
                /// policy retries, as a GET would be: the query only reads, and its
                /// cursor is data in the request, so the same request answers the
                /// same page.
            },
            quote!(let first = self.retry_non_idempotent(true);),
        )
    });
    let (retry_doc, first) = retry.unwrap_or_else(|| (quote!(), quote!(let first = self;)));
    quote! {
        /// Streams every item across pages, fetching the next page as needed.
        ///
        #(#[doc = #rules])*
        /// An empty page always ends the stream, and a server that answers with
        /// the cursor it was sent ends it with [`Error::CursorRepeated`]. See
        /// [`paginate_cursor`](crate::runtime::paginate_cursor).
        #retry_doc
        ///
        /// The stream owns a handle to the client, so it can be stored or
        /// spawned; it is boxed and pinned, so `StreamExt`/`TryStreamExt`
        /// methods such as `try_next` work on it directly.
        pub fn stream(self) -> futures::stream::BoxStream<'static, Result<#item, Error>> {
            let rule = crate::runtime::CursorRule::new(#cursor_header, #count_header, #limit_header)
                .page_size(#page_size);
            #first
            crate::runtime::stream_cursor_query(
                rule,
                first,
                |page, cursor| {
                    page.body.#field = #set;
                    Ok(())
                },
                Self::send,
            )
        }
    }
}
