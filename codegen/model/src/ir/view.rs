//! One flat view over the many shapes `openapiv3` gives a schema, so the
//! resolver has a single place to ask "what does this schema say?".

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

pub type SchemaRef = ReferenceOr<Schema>;

#[derive(Debug, Clone, Default)]
pub struct View<'a> {
    pub typ: Option<&'a str>,
    pub format: Option<String>,
    pub properties: Vec<(&'a str, SchemaOrBox<'a>)>,
    pub required: Vec<&'a str>,
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<SchemaOrBox<'a>>,
    pub string_enum: Vec<String>,
    pub integer_enum: Vec<i64>,
    pub enum_has_null: bool,
    pub all_of: &'a [SchemaRef],
    pub one_of: &'a [SchemaRef],
    pub any_of: &'a [SchemaRef],
}

/// A schema or a reference to one, whatever container it came in.
#[derive(Debug, Clone, Copy)]
pub enum SchemaOrBox<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> SchemaOrBox<'a> {
    pub fn boxed(s: &'a ReferenceOr<Box<Schema>>) -> Self {
        match s {
            ReferenceOr::Reference { reference } => SchemaOrBox::Ref(reference),
            ReferenceOr::Item(item) => SchemaOrBox::Item(item),
        }
    }

    pub fn plain(s: &'a SchemaRef) -> Self {
        match s {
            ReferenceOr::Reference { reference } => SchemaOrBox::Ref(reference),
            ReferenceOr::Item(item) => SchemaOrBox::Item(item),
        }
    }

    pub fn reference(&self) -> Option<&'a str> {
        match self {
            SchemaOrBox::Ref(r) => Some(r),
            SchemaOrBox::Item(_) => None,
        }
    }

    pub fn item(&self) -> Option<&'a Schema> {
        match self {
            SchemaOrBox::Item(s) => Some(s),
            SchemaOrBox::Ref(_) => None,
        }
    }
}

fn format_name<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(v) => Some(known(v).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub fn view(schema: &Schema) -> View<'_> {
    let mut v = View::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.typ = Some("string");
            v.format = format_name(&s.format, |f| match f {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            });
            v.string_enum = s.enumeration.iter().flatten().cloned().collect();
            v.enum_has_null = s.enumeration.iter().any(Option::is_none);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.typ = Some("integer");
            v.format = format_name(&i.format, |f| match f {
                IntegerFormat::Int32 => "int32",
                IntegerFormat::Int64 => "int64",
            });
            v.integer_enum = i.enumeration.iter().flatten().copied().collect();
            v.enum_has_null = i.enumeration.iter().any(Option::is_none);
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.typ = Some("number");
            v.format = format_name(&n.format, |f| match f {
                NumberFormat::Float => "float",
                NumberFormat::Double => "double",
            });
        }
        SchemaKind::Type(Type::Boolean(_)) => v.typ = Some("boolean"),
        SchemaKind::Type(Type::Object(o)) => {
            v.typ = Some("object");
            v.properties = o
                .properties
                .iter()
                .map(|(k, s)| (k.as_str(), SchemaOrBox::boxed(s)))
                .collect();
            v.required = o.required.iter().map(String::as_str).collect();
            v.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.typ = Some("array");
            v.items = a.items.as_ref().map(SchemaOrBox::boxed);
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of,
        SchemaKind::AllOf { all_of } => v.all_of = all_of,
        SchemaKind::AnyOf { any_of } => v.any_of = any_of,
        SchemaKind::Not { .. } => {}
        SchemaKind::Any(a) => {
            v.typ = a.typ.as_deref();
            v.format = a.format.clone();
            v.properties = a
                .properties
                .iter()
                .map(|(k, s)| (k.as_str(), SchemaOrBox::boxed(s)))
                .collect();
            v.required = a.required.iter().map(String::as_str).collect();
            v.additional = a.additional_properties.as_ref();
            v.items = a.items.as_ref().map(SchemaOrBox::boxed);
            for value in &a.enumeration {
                match value {
                    serde_json::Value::String(s) => v.string_enum.push(s.clone()),
                    serde_json::Value::Number(n) => {
                        if let Some(i) = n.as_i64() {
                            v.integer_enum.push(i)
                        }
                    }
                    serde_json::Value::Null => v.enum_has_null = true,
                    _ => {}
                }
            }
            v.all_of = &a.all_of;
            v.one_of = &a.one_of;
            v.any_of = &a.any_of;
        }
    }
    v
}

/// Whether a schema describes an object with named members.
pub fn has_structure(v: &View<'_>) -> bool {
    !v.properties.is_empty() || !v.all_of.is_empty() || !v.one_of.is_empty() || !v.any_of.is_empty()
}
