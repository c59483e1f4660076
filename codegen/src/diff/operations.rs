//! One operation against its counterpart: call path, parameters, request
//! body, responses and paging.

use std::collections::BTreeMap;

use super::classify::{Event, Output, TypeDelta};
use super::compare::{Ctx, OpRef};
use super::docs_differ;
use super::equiv::spell;
use crate::ir::{
    BodyKind, ErrorResponse, MultipartField, Operation, Param, ParamLocation, ParamStyle,
    RequestBody, Response, ResponseKind, TypeRef, path_params,
};

pub(crate) fn compare(ctx: &mut Ctx<'_>, old: OpRef<'_>, new: OpRef<'_>) {
    let at = new.location();
    call_path(ctx, &at, old, new);
    docs(ctx, &at, old.op, new.op);
    params(ctx, &at, old.op, new.op);
    body(ctx, &at, old.op.body.as_ref(), new.op.body.as_ref());
    success(ctx, &at, old.op, new.op);
    errors(ctx, &at, old.op, new.op);
    pagination(ctx, &at, old.op, new.op);
}

fn call_path(ctx: &mut Ctx<'_>, at: &str, old: OpRef<'_>, new: OpRef<'_>) {
    let mut changed = Vec::new();
    if old.call() != new.call() {
        changed.push(format!("`{}` → `{}`", old.call(), new.call()));
    }
    if old.op.builder_name != new.op.builder_name {
        changed.push(format!(
            "builder `{}` → `{}`",
            old.op.builder_name, new.op.builder_name
        ));
    }
    if old.module.module != new.module.module {
        changed.push(format!(
            "module `apis::{}` → `apis::{}`",
            old.module.module, new.module.module
        ));
    }
    if !changed.is_empty() {
        ctx.push(Event::OperationRenamed, at, changed.join("; "));
    } else if old.op.operation_id != new.op.operation_id {
        ctx.push(
            Event::OperationIdChanged,
            at,
            format!(
                "operationId `{}` → `{}`, Rust name kept",
                old.op.operation_id, new.op.operation_id
            ),
        );
    }
}

fn docs(ctx: &mut Ctx<'_>, at: &str, old: &Operation, new: &Operation) {
    let mut changed = Vec::new();
    if docs_differ(&old.summary, &new.summary) {
        changed.push("summary".to_string());
    }
    if docs_differ(&old.description, &new.description) {
        changed.push("description".to_string());
    }
    if old.deprecated != new.deprecated {
        changed.push(deprecation(new.deprecated));
    }
    if !changed.is_empty() {
        ctx.push(Event::OperationDocChanged, at, changed.join(", "));
    }
}

fn deprecation(now: bool) -> String {
    if now {
        "now deprecated".into()
    } else {
        "no longer deprecated".into()
    }
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn requirement(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// Path parameters are matched by their position in the template, since
/// their names never reach the wire; the others by location and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ParamKey {
    Path(usize),
    Other(ParamLocation, String),
}

fn keyed(op: &Operation) -> Vec<(ParamKey, &Param)> {
    let template = path_params(&op.path);
    op.params
        .iter()
        .map(|p| {
            let key = match p.location {
                ParamLocation::Path => template.iter().position(|n| *n == p.name).map_or_else(
                    || ParamKey::Other(p.location, p.name.clone()),
                    ParamKey::Path,
                ),
                location => ParamKey::Other(location, p.name.clone()),
            };
            (key, p)
        })
        .collect()
}

fn find<'p>(list: &[(ParamKey, &'p Param)], key: &ParamKey) -> Option<&'p Param> {
    list.iter().find(|(k, _)| k == key).map(|(_, p)| *p)
}

fn params(ctx: &mut Ctx<'_>, at: &str, old: &Operation, new: &Operation) {
    let before = keyed(old);
    let after = keyed(new);
    for (key, a) in &before {
        let here = format!("{at} [{} {}]", location_name(a.location), a.name);
        match find(&after, key) {
            None => ctx.push(
                Event::ParameterRemoved,
                here,
                format!("was {} `{}`", requirement(a.required), spell(&a.ty)),
            ),
            Some(b) => {
                let here = format!("{at} [{} {}]", location_name(b.location), b.name);
                param(ctx, &here, a, b);
            }
        }
    }
    for (key, b) in &after {
        if find(&before, key).is_none() {
            ctx.push(
                Event::ParameterAdded {
                    required: b.required,
                },
                format!("{at} [{} {}]", location_name(b.location), b.name),
                format!("{} `{}`", requirement(b.required), spell(&b.ty)),
            );
        }
    }
    // Required parameters are positional arguments: a new order compiles
    // as long as the types agree, and then passes values to the wrong ones.
    let required = |list: &[(ParamKey, &Param)], other: &[(ParamKey, &Param)]| {
        list.iter()
            .filter(|(k, p)| p.required && find(other, k).is_some_and(|o| o.required))
            .map(|(k, p)| (k.clone(), p.rust_name.clone()))
            .collect::<Vec<_>>()
    };
    let (order_before, order_after) = (required(&before, &after), required(&after, &before));
    let keys = |v: &[(ParamKey, String)]| v.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    if keys(&order_before) != keys(&order_after) {
        let names = |v: &[(ParamKey, String)]| {
            v.iter()
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        ctx.push(
            Event::ParameterOrderChanged,
            at,
            format!(
                "arguments `({})` → `({})`",
                names(&order_before),
                names(&order_after)
            ),
        );
    }
}

fn param(ctx: &mut Ctx<'_>, here: &str, a: &Param, b: &Param) {
    if a.required != b.required {
        ctx.push(
            Event::ParameterRequiredChanged {
                now_required: b.required,
            },
            here,
            format!("now {}", requirement(b.required)),
        );
    }
    if let Some(delta) = ctx.equiv.delta(&a.ty, &b.ty) {
        ctx.push(
            Event::ParameterTypeChanged(delta),
            here,
            format!("`{}` → `{}`", spell(&a.ty), spell(&b.ty)),
        );
    }
    if a.style != b.style {
        let style = |s: ParamStyle| match s {
            ParamStyle::Joined => "comma-joined",
            ParamStyle::Repeated => "repeated",
            ParamStyle::Json => "JSON text",
        };
        ctx.push(
            Event::ParameterStyleChanged,
            here,
            format!("sent {} → {}", style(a.style), style(b.style)),
        );
    }
    if a.rust_name != b.rust_name {
        ctx.push(
            Event::ParameterRenamed {
                positional: a.required && b.required,
            },
            here,
            format!("Rust name `{}` → `{}`", a.rust_name, b.rust_name),
        );
    }
    let mut changed = Vec::new();
    if docs_differ(&a.description, &b.description) {
        changed.push("description".to_string());
    }
    if a.deprecated != b.deprecated {
        changed.push(deprecation(b.deprecated));
    }
    if !changed.is_empty() {
        ctx.push(Event::OperationDocChanged, here, changed.join(", "));
    }
}

/// Whether the body is a method argument rather than a setter.
fn is_argument(body: &RequestBody) -> bool {
    body.required && !matches!(body.kind, BodyKind::Multipart(_))
}

fn body_shape(body: &RequestBody) -> String {
    match &body.kind {
        BodyKind::Json(ty) => format!("JSON `{}`", spell(ty)),
        BodyKind::Multipart(_) => "multipart form".into(),
        BodyKind::Binary => format!("bytes (`{}`)", body.content_type),
        BodyKind::Text => format!("text (`{}`)", body.content_type),
    }
}

fn body(ctx: &mut Ctx<'_>, at: &str, old: Option<&RequestBody>, new: Option<&RequestBody>) {
    let here = format!("{at} [body]");
    let (a, b) = match (old, new) {
        (None, None) => return,
        (Some(a), None) => {
            ctx.push(
                Event::RequestBodyRemoved,
                here,
                format!("was {}", body_shape(a)),
            );
            return;
        }
        (None, Some(b)) => {
            ctx.push(
                Event::RequestBodyAdded {
                    required: b.required,
                    argument: is_argument(b),
                },
                here,
                format!("{} {}", requirement(b.required), body_shape(b)),
            );
            return;
        }
        (Some(a), Some(b)) => (a, b),
    };
    if a.required != b.required {
        ctx.push(
            Event::RequestBodyRequiredChanged {
                now_required: b.required,
                argument_changed: is_argument(a) != is_argument(b),
            },
            &here,
            format!("now {}", requirement(b.required)),
        );
    }
    let shape_change = TypeDelta {
        wire_same: false,
        rust_same: false,
    };
    match (&a.kind, &b.kind) {
        (BodyKind::Json(x), BodyKind::Json(y)) => {
            if let Some(delta) = ctx.equiv.delta(x, y) {
                ctx.push(
                    Event::RequestBodyTypeChanged(delta),
                    &here,
                    format!("`{}` → `{}`", spell(x), spell(y)),
                );
            }
        }
        (BodyKind::Multipart(x), BodyKind::Multipart(y)) => form_fields(ctx, at, x, y),
        (BodyKind::Binary, BodyKind::Binary) | (BodyKind::Text, BodyKind::Text) => {}
        _ => ctx.push(
            Event::RequestBodyTypeChanged(shape_change),
            &here,
            format!("{} → {}", body_shape(a), body_shape(b)),
        ),
    }
    let same_variant = std::mem::discriminant(&a.kind) == std::mem::discriminant(&b.kind);
    if same_variant && a.content_type != b.content_type {
        ctx.push(
            Event::RequestBodyTypeChanged(TypeDelta {
                wire_same: false,
                rust_same: true,
            }),
            &here,
            format!("content type `{}` → `{}`", a.content_type, b.content_type),
        );
    }
    if docs_differ(&a.description, &b.description) {
        ctx.push(Event::OperationDocChanged, &here, "description");
    }
}

fn form_fields(ctx: &mut Ctx<'_>, at: &str, old: &[MultipartField], new: &[MultipartField]) {
    let here = |f: &MultipartField| format!("{at} [form field {}]", f.name);
    let shape = |f: &MultipartField| {
        if f.file {
            "file".to_string()
        } else {
            format!("`{}`", spell(&f.ty))
        }
    };
    for a in old {
        let Some(b) = new.iter().find(|b| b.name == a.name) else {
            ctx.push(
                Event::FormFieldRemoved,
                here(a),
                format!("was {} {}", requirement(a.required), shape(a)),
            );
            continue;
        };
        if a.required != b.required {
            ctx.push(
                Event::FormFieldRequiredChanged {
                    now_required: b.required,
                },
                here(b),
                format!("now {}", requirement(b.required)),
            );
        }
        let delta = if a.file != b.file {
            Some(TypeDelta {
                wire_same: false,
                rust_same: false,
            })
        } else if a.file {
            None
        } else {
            ctx.equiv.delta(&a.ty, &b.ty)
        };
        if let Some(delta) = delta {
            ctx.push(
                Event::FormFieldTypeChanged(delta),
                here(b),
                format!("{} → {}", shape(a), shape(b)),
            );
        }
        if a.rust_name != b.rust_name {
            // A setter is named after the field.
            ctx.push(
                Event::FormFieldTypeChanged(TypeDelta {
                    wire_same: true,
                    rust_same: false,
                }),
                here(b),
                format!("setter `{}` → `{}`", a.rust_name, b.rust_name),
            );
        }
        if docs_differ(&a.description, &b.description) {
            ctx.push(Event::OperationDocChanged, here(b), "description");
        }
    }
    for b in new {
        if !old.iter().any(|a| a.name == b.name) {
            ctx.push(
                Event::FormFieldAdded {
                    required: b.required,
                },
                here(b),
                format!("{} {}", requirement(b.required), shape(b)),
            );
        }
    }
}

fn status_label(status: Option<u16>) -> String {
    status.map_or_else(|| "2XX".to_string(), |s| s.to_string())
}

fn kind_shape(kind: &ResponseKind) -> String {
    match kind {
        ResponseKind::Json(ty) => format!("JSON `{}`", spell(ty)),
        ResponseKind::Empty => "no body".into(),
        ResponseKind::Bytes { accept } => format!("bytes (`{accept}`)"),
        ResponseKind::Text { accept } => format!("text (`{accept}`)"),
    }
}

/// How what `send()` returns changed: the one body type, or the
/// per-operation enum of statuses (which is `#[non_exhaustive]`, so new
/// variants are an extension).
fn output(ctx: &Ctx<'_>, old: &Operation, new: &Operation) -> Output {
    let rust_kind_same = |a: &ResponseKind, b: &ResponseKind| match (a, b) {
        (ResponseKind::Json(x), ResponseKind::Json(y)) => ctx.equiv.rust_same(x, y),
        (ResponseKind::Json(x), ResponseKind::Text { .. }) => {
            spell(&ctx.equiv.old.resolve(x)) == "String"
        }
        (ResponseKind::Text { .. }, ResponseKind::Json(y)) => {
            spell(&ctx.equiv.new.resolve(y)) == "String"
        }
        (ResponseKind::Empty, ResponseKind::Empty)
        | (ResponseKind::Bytes { .. }, ResponseKind::Bytes { .. })
        | (ResponseKind::Text { .. }, ResponseKind::Text { .. }) => true,
        _ => false,
    };
    match (&old.success_enum, &new.success_enum) {
        (None, None) => {
            let same = match (old.success.first(), new.success.first()) {
                (None, None) => true,
                (Some(a), Some(b)) => rust_kind_same(&a.kind, &b.kind),
                // No success response means `()`, like an empty body.
                (Some(r), None) | (None, Some(r)) => r.kind == ResponseKind::Empty,
            };
            if same { Output::Same } else { Output::Changed }
        }
        (Some(a), Some(b)) => {
            // Variants are matched by name; each keeps its payload or lack of one.
            let kept = a == b
                && old.success.iter().all(|x| {
                    new.success.iter().any(|y| {
                        x.variant == y.variant
                            && (x.kind == ResponseKind::Empty) == (y.kind == ResponseKind::Empty)
                            && rust_kind_same(&x.kind, &y.kind)
                    })
                });
            fn variants(list: &[Response]) -> std::collections::BTreeSet<&str> {
                list.iter().map(|r| r.variant.as_str()).collect()
            }
            match (kept, variants(&old.success) == variants(&new.success)) {
                (true, true) => Output::Same,
                (true, false) => Output::Extended,
                (false, _) => Output::Changed,
            }
        }
        // A single body type becomes an enum, or the reverse.
        _ => Output::Changed,
    }
}

fn success(ctx: &mut Ctx<'_>, at: &str, old: &Operation, new: &Operation) {
    let output = output(ctx, old, new);
    let by_status = |list: &[Response]| -> BTreeMap<Option<u16>, Response> {
        list.iter().map(|r| (r.status, r.clone())).collect()
    };
    let (before, after) = (by_status(&old.success), by_status(&new.success));
    let statuses: std::collections::BTreeSet<Option<u16>> =
        before.keys().chain(after.keys()).copied().collect();
    for status in statuses {
        let here = format!("{at} [response {}]", status_label(status));
        match (before.get(&status), after.get(&status)) {
            (Some(a), None) => ctx.push(
                Event::ResponseRemoved { output },
                here,
                format!("was {}", kind_shape(&a.kind)),
            ),
            (None, Some(b)) => ctx.push(Event::ResponseAdded { output }, here, kind_shape(&b.kind)),
            (Some(a), Some(b)) => {
                let changed = match (&a.kind, &b.kind) {
                    (ResponseKind::Json(x), ResponseKind::Json(y)) => {
                        ctx.equiv.delta(x, y).map(|d| d.wire_same)
                    }
                    (x, y) => (x != y).then_some(false),
                };
                if let Some(wire_same) = changed {
                    ctx.push(
                        Event::ResponseTypeChanged { wire_same, output },
                        &here,
                        format!("{} → {}", kind_shape(&a.kind), kind_shape(&b.kind)),
                    );
                }
                if docs_differ(&a.description, &b.description) {
                    ctx.push(Event::OperationDocChanged, &here, "description");
                }
            }
            (None, None) => {}
        }
    }
}

fn errors(ctx: &mut Ctx<'_>, at: &str, old: &Operation, new: &Operation) {
    let body_type = |api: &crate::ir::Api, e: &ErrorResponse| -> Option<TypeRef> {
        let variant = e.body.as_ref()?;
        api.error_bodies
            .iter()
            .find(|b| &b.variant == variant)
            .map(|b| b.ty.clone())
    };
    let shape = |ty: &Option<TypeRef>| match ty {
        Some(ty) => format!("JSON `{}`", spell(ty)),
        None => "untyped body".to_string(),
    };
    let (old_api, new_api) = (ctx.old, ctx.new);
    let label = |s: Option<u16>| s.map_or_else(|| "default".to_string(), |s| s.to_string());
    for a in &old.errors {
        let here = format!("{at} [error {}]", label(a.status));
        let before = body_type(old_api, a);
        let Some(b) = new.errors.iter().find(|b| b.status == a.status) else {
            ctx.push(
                Event::ErrorResponseRemoved,
                here,
                format!("was {}", shape(&before)),
            );
            continue;
        };
        let after = body_type(new_api, b);
        let documented_retyped = match (&before, &after) {
            (Some(x), Some(y)) => match ctx.equiv.delta(x, y) {
                None => continue,
                Some(d) => !d.wire_same,
            },
            (None, None) => continue,
            _ => false,
        };
        ctx.push(
            Event::ErrorResponseTypeChanged { documented_retyped },
            here,
            format!("{} → {}", shape(&before), shape(&after)),
        );
    }
    for b in &new.errors {
        if !old.errors.iter().any(|a| a.status == b.status) {
            ctx.push(
                Event::ErrorResponseAdded,
                format!("{at} [error {}]", label(b.status)),
                shape(&body_type(new_api, b)),
            );
        }
    }
}

fn pagination(ctx: &mut Ctx<'_>, at: &str, old: &Operation, new: &Operation) {
    match (&old.pagination, &new.pagination) {
        (None, Some(p)) => ctx.push(
            Event::PaginationAdded,
            at,
            format!("`stream()` and `collect_all()` of `{}`", spell(&p.item)),
        ),
        (Some(_), None) => ctx.push(
            Event::PaginationRemoved,
            at,
            "`stream()` and `collect_all()` removed",
        ),
        (Some(a), Some(b)) if !ctx.equiv.rust_same(&a.item, &b.item) => ctx.push(
            Event::PaginationChanged,
            at,
            format!("items `{}` → `{}`", spell(&a.item), spell(&b.item)),
        ),
        _ => {}
    }
}
