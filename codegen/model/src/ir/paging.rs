//! Which list operations page, and how: the settings name the conventions
//! (`[paging]`, `[cursor_paging]`), the document says which operations
//! follow them.

use super::lookup::TypeLookup;
use super::model::{
    BodyField, BodyKind, CursorPaging, Field, OffsetPaging, Operation, PageItems, Pagination,
    PagingKind, ParamLocation, ResponseKind, TypeKind, TypeRef,
};
use crate::settings::{self, Settings};

/// How `op` pages, if it does: by offset when it has the `[paging]` query
/// parameters, else by cursor when its JSON query has the
/// `[cursor_paging]` field.
pub fn pagination(settings: &Settings, op: &Operation, types: &TypeLookup) -> Option<Pagination> {
    let offset = settings
        .paging
        .as_ref()
        .and_then(|paging| offset(paging, op, types));
    offset.or_else(|| {
        settings
            .cursor_paging
            .as_ref()
            .and_then(|cursor| cursor_paging(cursor, op, types))
    })
}

fn is_integer(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64
    )
}

/// `limit`/`skip` paging, with the parameter names of `paging`, on an
/// operation whose one success body is an array, or an object holding the
/// array in `paging.items`.
fn offset(paging: &settings::Paging, op: &Operation, types: &TypeLookup) -> Option<Pagination> {
    let query = |name: &str| {
        op.params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.name == name && !p.required)
    };
    let limit = query(&paging.limit).filter(|p| is_integer(&p.ty))?;
    let skip = query(&paging.skip).filter(|p| is_integer(&p.ty))?;
    let (items, item) = page_items(op, types, paging.items.as_deref(), paging.total.as_deref())?;
    let sort = paging
        .sort
        .as_deref()
        .and_then(query)
        .filter(|p| {
            matches!(&p.ty, TypeRef::Vec(inner) if **inner == TypeRef::String)
                || p.ty == TypeRef::String
        })
        .map(|p| p.rust_name.clone());
    Some(Pagination {
        kind: PagingKind::Offset(OffsetPaging {
            limit: limit.rust_name.clone(),
            skip: skip.rust_name.clone(),
            default_sort: sort.as_ref().and(paging.default_sort.clone()),
            sort,
        }),
        items,
        item,
    })
}

/// Cursor paging on an operation whose required JSON body has the cursor
/// field and whose one success body is an array.
fn cursor_paging(
    cursor: &settings::CursorPaging,
    op: &Operation,
    types: &TypeLookup,
) -> Option<Pagination> {
    let body = op.body.as_ref().filter(|b| b.required)?;
    let BodyKind::Json(query) = &body.kind else {
        return None;
    };
    let cursor_field = field(types, query, &cursor.cursor_field)?;
    let limit_field = cursor
        .limit_field
        .as_deref()
        .and_then(|name| field(types, query, name))
        .filter(|f| is_integer(types.resolve(&f.ty)));
    let (items @ PageItems::Body, item) = page_items(op, types, None, None)? else {
        return None;
    };
    Some(Pagination {
        kind: PagingKind::Cursor(CursorPaging {
            cursor_field: BodyField::of(cursor_field),
            limit_field: limit_field.map(BodyField::of),
            cursor_header: cursor.cursor_header.clone(),
            count_header: cursor.count_header.clone(),
            limit_header: cursor.limit_header.clone(),
            read_only: cursor.read_only,
        }),
        items,
        item,
    })
}

/// The property `name` (as the document spells it) of the struct `ty`
/// stands for; not a boxed one, which holds no list or number.
fn field<'a>(types: &TypeLookup<'a>, ty: &TypeRef, name: &str) -> Option<&'a Field> {
    let Some(TypeKind::Struct(def)) = types.kind(types.resolve(ty)) else {
        return None;
    };
    def.fields.iter().find(|f| f.name == name && !f.boxed)
}

/// Where the items of the one JSON success body are: the body itself when
/// it is an array, else its `items` property (with `total` beside it).
fn page_items(
    op: &Operation,
    types: &TypeLookup,
    items: Option<&str>,
    total: Option<&str>,
) -> Option<(PageItems, TypeRef)> {
    let [only] = op.success.as_slice() else {
        return None;
    };
    let ResponseKind::Json(body) = &only.kind else {
        return None;
    };
    if let TypeRef::Vec(item) = types.resolve(body) {
        return Some((PageItems::Body, (**item).clone()));
    }
    let items = field(types, body, items?)?;
    let TypeRef::Vec(item) = types.resolve(&items.ty) else {
        return None;
    };
    let total = total
        .and_then(|name| field(types, body, name))
        .filter(|f| is_integer(types.resolve(&f.ty)))
        .map(BodyField::of);
    Some((
        PageItems::Field {
            items: BodyField::of(items),
            total,
        },
        (**item).clone(),
    ))
}
