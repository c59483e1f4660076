//! The rules: what each kind of change means for an HTTP client and for a
//! caller of the generated crate. This is the reference for both.
//!
//! # HTTP
//!
//! The usual API-evolution conventions: taking something away from a
//! client, or demanding more of it, is `breaking`; adding optional things is
//! `non-breaking`. Whether a schema change demands more depends on where the
//! schema travels, so schema events carry a [`Usage`]: a property removed
//! from a response breaks readers, a value removed from a request enum
//! breaks writers, and a schema no operation uses breaks nobody on the wire.
//! Clients are expected to tolerate enum values they do not know and error
//! statuses the document does not list; a new union member or a looser
//! `additionalProperties` in a response is a shape readers cannot decode.
//!
//! # Rust
//!
//! One question: can a caller's build break? `major` if it can, `minor`
//! when something is only added, `patch` when the public API is untouched
//! (docs, wire details, private dispatch). The answers follow from how the
//! generator renders types:
//!
//! - Every generated struct and every generated enum (string enums, tagged
//!   and untagged unions, the per-operation enum of success statuses, the
//!   `ErrorBody` enum) is `#[non_exhaustive]`. Callers outside the crate
//!   cannot write a struct literal or an exhaustive `match`, so they build
//!   structs with `new(required..)`, or with `Default` when there are no
//!   required fields, and then assign fields; and every `match` has a
//!   wildcard arm.
//! - So adding an *optional* property is `minor`: neither `new()` nor
//!   `Default` changes. Adding a *required* property is `major`: `new()`
//!   gains an argument and, if it was the first, `Default` goes away.
//!   Removing a property, or changing whether it is required or nullable
//!   (the `Option` layers), is `major`.
//! - Adding an enum value is `minor`, and so is adding a union member, with
//!   or without a catch-all variant: existing matches already have a
//!   wildcard arm. Removing either is `major`. String enums do not derive
//!   `PartialOrd`/`Ord`, so reordering values changes nothing.
//! - Adding a success status to an operation whose `send()` already returns
//!   a status enum adds a variant: `minor`. Turning a single body type into
//!   such an enum (or the reverse), removing a variant or changing its
//!   payload changes what callers receive: `major`. A status whose body is
//!   the same type as the others changes nothing callers see: `patch`.
//! - Adding an operation, an optional parameter (a builder setter), a
//!   multipart field, an `ErrorBody` variant or a type is `minor`. A
//!   required parameter or request body is a method argument: adding,
//!   removing or reordering one is `major`.
//! - Renaming a type is `major` and reported once: the uses of a renamed
//!   type that are otherwise unchanged are not reported again.
//! - Descriptions, deprecation notes, parameter serialization and error
//!   statuses are rendered only into docs or private code: `patch`.

use serde::{Serialize, Serializer};

use super::usage::Usage;
use super::{Http, Rust};

/// How a type use changed where its two sides are not identical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TypeDelta {
    /// Same JSON on the wire (same shape, possibly under another type name).
    pub wire_same: bool,
    /// Same Rust type once aliases are seen through.
    pub rust_same: bool,
}

/// How the type an operation's `send()` returns changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    Same,
    /// The status enum gained variants and kept the others as they were.
    Extended,
    /// Another body type, a variant removed or retyped, or a single body
    /// type turned into a status enum (or the reverse).
    Changed,
}

/// A change with the facts its classification depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    InfoChanged,
    ServerChanged,
    TagDocChanged,
    OperationAdded,
    OperationRemoved,
    /// Same `operationId` under another method or path.
    OperationMoved,
    /// The Rust way to call the operation (accessor, method, builder) changed.
    OperationRenamed,
    /// The document's `operationId` changed and the name lock kept the
    /// Rust names.
    OperationIdChanged,
    OperationDocChanged,
    ParameterAdded {
        required: bool,
    },
    ParameterRemoved,
    ParameterRequiredChanged {
        now_required: bool,
    },
    ParameterTypeChanged(TypeDelta),
    ParameterStyleChanged,
    /// `positional`: a required parameter, passed by position, so its Rust
    /// name is not part of the API.
    ParameterRenamed {
        positional: bool,
    },
    ParameterOrderChanged,
    /// `argument`: the body is a method argument (required, not multipart).
    RequestBodyAdded {
        required: bool,
        argument: bool,
    },
    RequestBodyRemoved,
    RequestBodyRequiredChanged {
        now_required: bool,
        argument_changed: bool,
    },
    RequestBodyTypeChanged(TypeDelta),
    FormFieldAdded {
        required: bool,
    },
    FormFieldRemoved,
    FormFieldRequiredChanged {
        now_required: bool,
    },
    FormFieldTypeChanged(TypeDelta),
    /// `output`: how the type `send()` returns changed.
    ResponseAdded {
        output: Output,
    },
    ResponseRemoved {
        output: Output,
    },
    ResponseTypeChanged {
        wire_same: bool,
        output: Output,
    },
    ErrorResponseAdded,
    ErrorResponseRemoved,
    /// `documented_retyped`: a documented body became another documented body.
    ErrorResponseTypeChanged {
        documented_retyped: bool,
    },
    PaginationAdded,
    PaginationRemoved,
    PaginationChanged,
    ErrorBodyAdded,
    ErrorBodyRemoved,
    ErrorBodyChanged,
    SchemaAdded,
    SchemaRemoved,
    /// A removed type and an added one with the same structure.
    SchemaRenamed,
    SchemaKindChanged(Usage),
    SchemaDocChanged,
    PropertyAdded {
        required: bool,
        usage: Usage,
    },
    PropertyRemoved(Usage),
    PropertyRequiredChanged {
        now_required: bool,
        usage: Usage,
    },
    PropertyNullableChanged {
        now_nullable: bool,
        usage: Usage,
    },
    PropertyTypeChanged {
        delta: TypeDelta,
        usage: Usage,
    },
    /// Same wire name, another Rust field name.
    PropertyRenamed,
    PropertyDocChanged,
    /// Required fields reordered, which reorders `new()`'s arguments.
    ConstructorOrderChanged,
    /// Extra properties constrained (breaks writers) or loosened (breaks
    /// readers); a retyped value does both.
    AdditionalPropertiesChanged {
        breaks_requests: bool,
        breaks_responses: bool,
        rust_same: bool,
        usage: Usage,
    },
    EnumValueAdded,
    EnumValueRemoved(Usage),
    UnionVariantAdded(Usage),
    UnionVariantRemoved(Usage),
    UnionVariantTypeChanged {
        delta: TypeDelta,
        usage: Usage,
    },
    UnionDiscriminatorChanged(Usage),
    AliasTypeChanged {
        delta: TypeDelta,
        usage: Usage,
    },
}

/// The kind of a change, as reported (`"operation-removed"`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    InfoChanged,
    ServerChanged,
    TagDocChanged,
    OperationAdded,
    OperationRemoved,
    OperationMoved,
    OperationRenamed,
    OperationIdChanged,
    OperationDocChanged,
    ParameterAdded,
    ParameterRemoved,
    ParameterRequiredChanged,
    ParameterTypeChanged,
    ParameterStyleChanged,
    ParameterRenamed,
    ParameterOrderChanged,
    RequestBodyAdded,
    RequestBodyRemoved,
    RequestBodyRequiredChanged,
    RequestBodyTypeChanged,
    FormFieldAdded,
    FormFieldRemoved,
    FormFieldRequiredChanged,
    FormFieldTypeChanged,
    ResponseAdded,
    ResponseRemoved,
    ResponseTypeChanged,
    ErrorResponseAdded,
    ErrorResponseRemoved,
    ErrorResponseTypeChanged,
    PaginationAdded,
    PaginationRemoved,
    PaginationChanged,
    ErrorBodyAdded,
    ErrorBodyRemoved,
    ErrorBodyChanged,
    SchemaAdded,
    SchemaRemoved,
    SchemaRenamed,
    SchemaKindChanged,
    SchemaDocChanged,
    PropertyAdded,
    PropertyRemoved,
    PropertyRequiredChanged,
    PropertyNullableChanged,
    PropertyTypeChanged,
    PropertyRenamed,
    PropertyDocChanged,
    ConstructorOrderChanged,
    AdditionalPropertiesChanged,
    EnumValueAdded,
    EnumValueRemoved,
    UnionVariantAdded,
    UnionVariantRemoved,
    UnionVariantTypeChanged,
    UnionDiscriminatorChanged,
    AliasTypeChanged,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        use ChangeKind as K;
        match self {
            K::InfoChanged => "info-changed",
            K::ServerChanged => "server-changed",
            K::TagDocChanged => "tag-doc-changed",
            K::OperationAdded => "operation-added",
            K::OperationRemoved => "operation-removed",
            K::OperationMoved => "operation-moved",
            K::OperationRenamed => "operation-renamed",
            K::OperationIdChanged => "operation-id-changed",
            K::OperationDocChanged => "operation-doc-changed",
            K::ParameterAdded => "parameter-added",
            K::ParameterRemoved => "parameter-removed",
            K::ParameterRequiredChanged => "parameter-required-changed",
            K::ParameterTypeChanged => "parameter-type-changed",
            K::ParameterStyleChanged => "parameter-style-changed",
            K::ParameterRenamed => "parameter-renamed",
            K::ParameterOrderChanged => "parameter-order-changed",
            K::RequestBodyAdded => "request-body-added",
            K::RequestBodyRemoved => "request-body-removed",
            K::RequestBodyRequiredChanged => "request-body-required-changed",
            K::RequestBodyTypeChanged => "request-body-type-changed",
            K::FormFieldAdded => "form-field-added",
            K::FormFieldRemoved => "form-field-removed",
            K::FormFieldRequiredChanged => "form-field-required-changed",
            K::FormFieldTypeChanged => "form-field-type-changed",
            K::ResponseAdded => "response-added",
            K::ResponseRemoved => "response-removed",
            K::ResponseTypeChanged => "response-type-changed",
            K::ErrorResponseAdded => "error-response-added",
            K::ErrorResponseRemoved => "error-response-removed",
            K::ErrorResponseTypeChanged => "error-response-type-changed",
            K::PaginationAdded => "pagination-added",
            K::PaginationRemoved => "pagination-removed",
            K::PaginationChanged => "pagination-changed",
            K::ErrorBodyAdded => "error-body-added",
            K::ErrorBodyRemoved => "error-body-removed",
            K::ErrorBodyChanged => "error-body-changed",
            K::SchemaAdded => "schema-added",
            K::SchemaRemoved => "schema-removed",
            K::SchemaRenamed => "schema-renamed",
            K::SchemaKindChanged => "schema-kind-changed",
            K::SchemaDocChanged => "schema-doc-changed",
            K::PropertyAdded => "property-added",
            K::PropertyRemoved => "property-removed",
            K::PropertyRequiredChanged => "property-required-changed",
            K::PropertyNullableChanged => "property-nullable-changed",
            K::PropertyTypeChanged => "property-type-changed",
            K::PropertyRenamed => "property-renamed",
            K::PropertyDocChanged => "property-doc-changed",
            K::ConstructorOrderChanged => "constructor-order-changed",
            K::AdditionalPropertiesChanged => "additional-properties-changed",
            K::EnumValueAdded => "enum-value-added",
            K::EnumValueRemoved => "enum-value-removed",
            K::UnionVariantAdded => "union-variant-added",
            K::UnionVariantRemoved => "union-variant-removed",
            K::UnionVariantTypeChanged => "union-variant-type-changed",
            K::UnionDiscriminatorChanged => "union-discriminator-changed",
            K::AliasTypeChanged => "alias-type-changed",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ChangeKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

fn breaking_if(condition: bool) -> Http {
    if condition {
        Http::Breaking
    } else {
        Http::NonBreaking
    }
}

fn major_unless(rust_same: bool) -> Rust {
    if rust_same { Rust::Patch } else { Rust::Major }
}

impl Event {
    pub fn kind(self) -> ChangeKind {
        use ChangeKind as K;
        use Event as E;
        match self {
            E::InfoChanged => K::InfoChanged,
            E::ServerChanged => K::ServerChanged,
            E::TagDocChanged => K::TagDocChanged,
            E::OperationAdded => K::OperationAdded,
            E::OperationRemoved => K::OperationRemoved,
            E::OperationMoved => K::OperationMoved,
            E::OperationRenamed => K::OperationRenamed,
            E::OperationIdChanged => K::OperationIdChanged,
            E::OperationDocChanged => K::OperationDocChanged,
            E::ParameterAdded { .. } => K::ParameterAdded,
            E::ParameterRemoved => K::ParameterRemoved,
            E::ParameterRequiredChanged { .. } => K::ParameterRequiredChanged,
            E::ParameterTypeChanged(_) => K::ParameterTypeChanged,
            E::ParameterStyleChanged => K::ParameterStyleChanged,
            E::ParameterRenamed { .. } => K::ParameterRenamed,
            E::ParameterOrderChanged => K::ParameterOrderChanged,
            E::RequestBodyAdded { .. } => K::RequestBodyAdded,
            E::RequestBodyRemoved => K::RequestBodyRemoved,
            E::RequestBodyRequiredChanged { .. } => K::RequestBodyRequiredChanged,
            E::RequestBodyTypeChanged(_) => K::RequestBodyTypeChanged,
            E::FormFieldAdded { .. } => K::FormFieldAdded,
            E::FormFieldRemoved => K::FormFieldRemoved,
            E::FormFieldRequiredChanged { .. } => K::FormFieldRequiredChanged,
            E::FormFieldTypeChanged(_) => K::FormFieldTypeChanged,
            E::ResponseAdded { .. } => K::ResponseAdded,
            E::ResponseRemoved { .. } => K::ResponseRemoved,
            E::ResponseTypeChanged { .. } => K::ResponseTypeChanged,
            E::ErrorResponseAdded => K::ErrorResponseAdded,
            E::ErrorResponseRemoved => K::ErrorResponseRemoved,
            E::ErrorResponseTypeChanged { .. } => K::ErrorResponseTypeChanged,
            E::PaginationAdded => K::PaginationAdded,
            E::PaginationRemoved => K::PaginationRemoved,
            E::PaginationChanged => K::PaginationChanged,
            E::ErrorBodyAdded => K::ErrorBodyAdded,
            E::ErrorBodyRemoved => K::ErrorBodyRemoved,
            E::ErrorBodyChanged => K::ErrorBodyChanged,
            E::SchemaAdded => K::SchemaAdded,
            E::SchemaRemoved => K::SchemaRemoved,
            E::SchemaRenamed => K::SchemaRenamed,
            E::SchemaKindChanged(_) => K::SchemaKindChanged,
            E::SchemaDocChanged => K::SchemaDocChanged,
            E::PropertyAdded { .. } => K::PropertyAdded,
            E::PropertyRemoved(_) => K::PropertyRemoved,
            E::PropertyRequiredChanged { .. } => K::PropertyRequiredChanged,
            E::PropertyNullableChanged { .. } => K::PropertyNullableChanged,
            E::PropertyTypeChanged { .. } => K::PropertyTypeChanged,
            E::PropertyRenamed => K::PropertyRenamed,
            E::PropertyDocChanged => K::PropertyDocChanged,
            E::ConstructorOrderChanged => K::ConstructorOrderChanged,
            E::AdditionalPropertiesChanged { .. } => K::AdditionalPropertiesChanged,
            E::EnumValueAdded => K::EnumValueAdded,
            E::EnumValueRemoved(_) => K::EnumValueRemoved,
            E::UnionVariantAdded(_) => K::UnionVariantAdded,
            E::UnionVariantRemoved(_) => K::UnionVariantRemoved,
            E::UnionVariantTypeChanged { .. } => K::UnionVariantTypeChanged,
            E::UnionDiscriminatorChanged(_) => K::UnionDiscriminatorChanged,
            E::AliasTypeChanged { .. } => K::AliasTypeChanged,
        }
    }

    pub fn http(self) -> Http {
        use Event as E;
        match self {
            // The documented base URL is where clients send requests.
            E::ServerChanged => Http::Breaking,
            E::InfoChanged | E::TagDocChanged | E::OperationDocChanged | E::OperationIdChanged => {
                Http::NonBreaking
            }
            E::OperationRemoved | E::OperationMoved => Http::Breaking,
            // Only the Rust names differ; the request on the wire is the same.
            E::OperationAdded | E::OperationRenamed => Http::NonBreaking,
            E::ParameterAdded { required } => breaking_if(required),
            // The server stops honouring something clients send.
            E::ParameterRemoved => Http::Breaking,
            E::ParameterRequiredChanged { now_required } => breaking_if(now_required),
            E::ParameterTypeChanged(d) | E::RequestBodyTypeChanged(d) => breaking_if(!d.wire_same),
            // The same values serialize differently (repeated vs joined, JSON).
            E::ParameterStyleChanged => Http::Breaking,
            E::ParameterRenamed { .. } | E::ParameterOrderChanged => Http::NonBreaking,
            E::RequestBodyAdded { required, .. } => breaking_if(required),
            E::RequestBodyRemoved => Http::Breaking,
            E::RequestBodyRequiredChanged { now_required, .. } => breaking_if(now_required),
            E::FormFieldAdded { required } => breaking_if(required),
            E::FormFieldRemoved => Http::Breaking,
            E::FormFieldRequiredChanged { now_required } => breaking_if(now_required),
            E::FormFieldTypeChanged(d) => breaking_if(!d.wire_same),
            E::ResponseAdded { .. } => Http::NonBreaking,
            E::ResponseRemoved { .. } => Http::Breaking,
            E::ResponseTypeChanged { wire_same, .. } => breaking_if(!wire_same),
            // Clients must handle undocumented error statuses anyway.
            E::ErrorResponseAdded | E::ErrorResponseRemoved => Http::NonBreaking,
            E::ErrorResponseTypeChanged { documented_retyped } => breaking_if(documented_retyped),
            // Generator decisions with no wire counterpart.
            E::PaginationAdded
            | E::PaginationRemoved
            | E::PaginationChanged
            | E::ErrorBodyAdded
            | E::ErrorBodyRemoved
            | E::ErrorBodyChanged => Http::NonBreaking,
            // A schema matters on the wire only where it is used, and every
            // use that changes is reported on its own.
            E::SchemaAdded | E::SchemaRemoved | E::SchemaRenamed | E::SchemaDocChanged => {
                Http::NonBreaking
            }
            E::SchemaKindChanged(u) | E::UnionDiscriminatorChanged(u) => breaking_if(u.any()),
            E::PropertyAdded { required, usage } => breaking_if(required && usage.request),
            E::PropertyRemoved(u) => breaking_if(u.response),
            E::PropertyRequiredChanged {
                now_required,
                usage,
            } => breaking_if(if now_required {
                usage.request
            } else {
                usage.response
            }),
            E::PropertyNullableChanged {
                now_nullable,
                usage,
            } => breaking_if(if now_nullable {
                usage.response
            } else {
                usage.request
            }),
            E::PropertyTypeChanged { delta, usage }
            | E::UnionVariantTypeChanged { delta, usage }
            | E::AliasTypeChanged { delta, usage } => breaking_if(!delta.wire_same && usage.any()),
            E::PropertyRenamed | E::PropertyDocChanged | E::ConstructorOrderChanged => {
                Http::NonBreaking
            }
            E::AdditionalPropertiesChanged {
                breaks_requests,
                breaks_responses,
                usage,
                ..
            } => breaking_if(
                (breaks_requests && usage.request) || (breaks_responses && usage.response),
            ),
            // Readers are expected to tolerate values they do not know.
            E::EnumValueAdded => Http::NonBreaking,
            E::EnumValueRemoved(u) => breaking_if(u.request),
            // A new member is a shape readers cannot decode.
            E::UnionVariantAdded(usage) => breaking_if(usage.response),
            E::UnionVariantRemoved(u) => breaking_if(u.request),
        }
    }

    pub fn rust(self) -> Rust {
        use Event as E;
        match self {
            E::InfoChanged | E::ServerChanged | E::TagDocChanged => Rust::Patch,
            E::OperationAdded => Rust::Minor,
            E::OperationRemoved => Rust::Major,
            // A changed call path is reported as `operation-renamed`.
            E::OperationMoved => Rust::Patch,
            E::OperationRenamed => Rust::Major,
            E::OperationDocChanged => Rust::Patch,
            // The Rust names stayed; only the document's spelling moved.
            E::OperationIdChanged => Rust::Patch,
            // Required parameters are method arguments, optional ones setters.
            E::ParameterAdded { required } => {
                if required {
                    Rust::Major
                } else {
                    Rust::Minor
                }
            }
            E::ParameterRemoved | E::ParameterRequiredChanged { .. } => Rust::Major,
            E::ParameterTypeChanged(d)
            | E::RequestBodyTypeChanged(d)
            | E::FormFieldTypeChanged(d) => major_unless(d.rust_same),
            E::ParameterStyleChanged => Rust::Patch,
            E::ParameterRenamed { positional } => major_unless(positional),
            E::ParameterOrderChanged => Rust::Major,
            E::RequestBodyAdded { argument, .. } => {
                if argument {
                    Rust::Major
                } else {
                    Rust::Minor
                }
            }
            E::RequestBodyRemoved => Rust::Major,
            E::RequestBodyRequiredChanged {
                argument_changed, ..
            } => major_unless(!argument_changed),
            // Multipart fields are all setters, required or not.
            E::FormFieldAdded { .. } => Rust::Minor,
            E::FormFieldRemoved => Rust::Major,
            E::FormFieldRequiredChanged { .. } => Rust::Patch,
            E::ResponseAdded { output }
            | E::ResponseRemoved { output }
            | E::ResponseTypeChanged { output, .. } => match output {
                Output::Same => Rust::Patch,
                // The status enum is `#[non_exhaustive]`.
                Output::Extended => Rust::Minor,
                Output::Changed => Rust::Major,
            },
            // Only the private status-to-body dispatch changes.
            E::ErrorResponseAdded
            | E::ErrorResponseRemoved
            | E::ErrorResponseTypeChanged { .. } => Rust::Patch,
            E::PaginationAdded => Rust::Minor,
            E::PaginationRemoved | E::PaginationChanged => Rust::Major,
            // `ErrorBody` is `#[non_exhaustive]`.
            E::ErrorBodyAdded => Rust::Minor,
            E::ErrorBodyRemoved | E::ErrorBodyChanged => Rust::Major,
            E::SchemaAdded => Rust::Minor,
            E::SchemaRemoved | E::SchemaRenamed | E::SchemaKindChanged(_) => Rust::Major,
            E::SchemaDocChanged => Rust::Patch,
            E::PropertyAdded { required, .. } => {
                if required {
                    Rust::Major
                } else {
                    Rust::Minor
                }
            }
            // Required-ness and nullability decide the `Option` layers;
            // a renamed field breaks every use of the old name.
            E::PropertyRemoved(_)
            | E::PropertyRequiredChanged { .. }
            | E::PropertyNullableChanged { .. }
            | E::PropertyRenamed
            | E::ConstructorOrderChanged => Rust::Major,
            E::PropertyTypeChanged { delta, .. }
            | E::UnionVariantTypeChanged { delta, .. }
            | E::AliasTypeChanged { delta, .. } => major_unless(delta.rust_same),
            E::PropertyDocChanged => Rust::Patch,
            E::AdditionalPropertiesChanged { rust_same, .. } => major_unless(rust_same),
            E::EnumValueAdded => Rust::Minor,
            E::EnumValueRemoved(_) => Rust::Major,
            // Unions are `#[non_exhaustive]`, with a catch-all or not.
            E::UnionVariantAdded(_) => Rust::Minor,
            E::UnionVariantRemoved(_) | E::UnionDiscriminatorChanged(_) => Rust::Major,
        }
    }
}
