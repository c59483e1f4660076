//! Constructs the JumpCloud document does not use (unions, integer enums,
//! recursion, maps...), generated from the fixture documents in
//! `codegen/tests/fixtures/constructs/` and checked here by compiling and
//! decoding them. The codegen tests keep these copies in step.

use serde_json::json;

// The generated types name the runtime as `crate::runtime`.
mod runtime {
    pub use jumpcloud_client::runtime::*;
}

#[rustfmt::skip]
#[allow(dead_code, clippy::all)]
#[path = "constructs/arrays_refs.rs"]
mod arrays_refs;
#[rustfmt::skip]
#[allow(dead_code, clippy::all)]
#[path = "constructs/bodies_responses.rs"]
mod bodies_responses;
#[rustfmt::skip]
#[allow(dead_code, clippy::all)]
#[path = "constructs/composition.rs"]
mod composition;
#[rustfmt::skip]
#[allow(dead_code, clippy::all)]
#[path = "constructs/enums.rs"]
mod enums;
#[rustfmt::skip]
#[allow(dead_code, clippy::all)]
#[path = "constructs/maps_nullable.rs"]
mod maps_nullable;
#[rustfmt::skip]
#[allow(dead_code, clippy::all)]
#[path = "constructs/nullable_items.rs"]
mod nullable_items;
#[rustfmt::skip]
#[allow(dead_code, clippy::all)]
#[path = "constructs/objects.rs"]
mod objects;
#[rustfmt::skip]
#[allow(dead_code, clippy::all)]
#[path = "constructs/parameters.rs"]
mod parameters;

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: serde_json::Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&typed).unwrap(), value);
    typed
}

#[test]
fn discriminated_union_dispatches_on_its_tag_and_keeps_unknown_tags() {
    use composition::Pet;
    let cat: Pet = round_trip(json!({"kind": "cat", "meows": true}));
    assert!(matches!(&cat, Pet::Cat(c) if c.meows == Some(true)));
    let dog: Pet = round_trip(json!({"kind": "dog"}));
    assert!(matches!(dog, Pet::Dog(_)));
    let cow: Pet = round_trip(json!({"kind": "cow", "moos": 3}));
    assert!(matches!(cow, Pet::Unknown(_)));
}

#[test]
fn untagged_union_takes_the_first_variant_that_fits() {
    use composition::StringOrNumber;
    assert!(matches!(
        round_trip::<StringOrNumber>(json!("x")),
        StringOrNumber::String(_)
    ));
    assert!(matches!(
        round_trip::<StringOrNumber>(json!(1.5)),
        StringOrNumber::Number(_)
    ));
}

#[test]
fn untagged_union_members_are_named_after_their_json_kind() {
    use composition::Mixed;
    assert!(matches!(round_trip::<Mixed>(json!(3)), Mixed::Integer(3)));
    assert!(matches!(
        round_trip::<Mixed>(json!(true)),
        Mixed::Boolean(true)
    ));
    assert!(matches!(
        round_trip::<Mixed>(json!(["a"])),
        Mixed::StringList(_)
    ));
    assert!(matches!(
        round_trip::<Mixed>(json!({"a": 1})),
        Mixed::IntegerMap(_)
    ));
}

#[test]
fn all_of_merges_required_sets_and_nullable_references_distinguish_null() {
    use composition::{Holder, Merged};
    let merged: Merged = round_trip(json!({"id": "a", "size": 2, "label": "l"}));
    assert_eq!(
        merged,
        Merged {
            label: Some("l".into()),
            ..Merged::new("a", 2)
        }
    );
    assert!(
        serde_json::from_value::<Merged>(json!({"id": "a"})).is_err(),
        "size is required"
    );
    let absent: Holder = round_trip(json!({}));
    assert_eq!(absent.merged, None);
    let null: Holder = round_trip(json!({"merged": null}));
    assert_eq!(null.merged, Some(None));
}

#[test]
fn integer_enums_stay_open() {
    use enums::Level;
    assert_eq!(round_trip::<Level>(json!(2)), Level::V2);
    assert_eq!(round_trip::<Level>(json!(7)), Level(7));
}

#[test]
fn string_enum_variants_are_named_from_awkward_values() {
    use enums::Color;
    for value in ["red", "dark-green", "2fa", "unknown", ""] {
        let color: Color = round_trip(json!(value));
        assert!(
            !matches!(color, Color::Unknown(_)),
            "{value} is a known value"
        );
        assert_eq!(color.as_str(), value);
    }
    assert_eq!(
        round_trip::<Color>(json!("blue")),
        Color::Unknown("blue".into())
    );
    // The document's `"unknown"` is its own variant, beside the catch-all.
    assert_eq!(round_trip::<Color>(json!("unknown")), Color::UnknownValue);
}

#[test]
fn recursive_types_and_maps_round_trip() {
    let node: arrays_refs::Node = round_trip(json!({
        "value": "a", "next": {"value": "b"}, "children": [{"value": "c"}]
    }));
    assert_eq!(node.next.unwrap().value.as_deref(), Some("b"));
    let extras: maps_nullable::WithExtras = round_trip(json!({"name": "n", "x": 1, "y": 2}));
    assert_eq!(extras.additional_properties["y"], 2);
    let labels: maps_nullable::Labels = round_trip(json!({"a": "b"}));
    assert_eq!(labels["a"], "b");
}

#[test]
fn required_nullable_fields_send_null_and_optional_ones_can_be_left_out() {
    use maps_nullable::Patch;
    let patch = Patch::new(None);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"always": null})
    );
    let clear = Patch {
        sometimes: Some(None),
        ..Patch::new(Some("x".into()))
    };
    assert_eq!(
        serde_json::to_value(&clear).unwrap(),
        json!({"always": "x", "sometimes": null})
    );
}

#[test]
fn nullable_array_items_and_map_values_decode_null_as_none() {
    use nullable_items::GroupAttributes;
    // The shape the contract test's mock serves for JumpCloud's `ldapGroups`.
    let attributes: GroupAttributes = round_trip(json!({
        "ldapGroups": [{"name": "admins"}, null],
        "tags": [null, "t"],
        "members": [null, {"id": "m1"}],
        "plain": [{"id": "m2"}],
        "scores": {"a": 1, "b": null}
    }));
    let groups = attributes.ldap_groups.unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].as_ref().unwrap().name.as_deref(), Some("admins"));
    assert!(groups[1].is_none());
    assert_eq!(attributes.tags.unwrap(), [None, Some("t".to_string())]);
    let members = attributes.members.unwrap();
    assert!(members[0].is_none());
    assert!(matches!(
        &members[1],
        Some(nullable_items::GroupAttributesMembersItem::Member(m)) if m.id.as_deref() == Some("m1")
    ));
    let scores = attributes.scores.unwrap();
    assert_eq!((scores["a"], scores["b"]), (Some(1), None));
    // Items the document does not mark nullable still refuse `null`.
    assert!(serde_json::from_value::<GroupAttributes>(json!({"plain": [null]})).is_err());
}

#[test]
fn formats_get_their_types() {
    let widget: objects::Widget = round_trip(json!({
        "id": "w1", "name": "w", "type": "t", "sizeInCm": 1.5, "count": 3, "total": 9_000_000_000_i64,
        "createdAt": "2024-01-01T00:00:00.000Z", "birthday": "2024-02-29",
        "uuid": "67e55044-10b1-426f-9247-bb680e5fe0c8", "blob": "aGVsbG8=",
        "dimensions": {"width": 1, "height": 2}
    }));
    assert_eq!(
        widget.created_at.unwrap().to_utc().unwrap().timestamp(),
        1_704_067_200
    );
    assert_eq!(widget.blob.unwrap().decode().unwrap(), b"hello");
    assert_eq!(widget.birthday.unwrap().to_string(), "2024-02-29");
    assert_eq!(widget.total, Some(9_000_000_000));
    // `id` is read-only: never required, so a request may leave it out.
    let minimal: objects::Widget = serde_json::from_value(json!({"name": "w"})).unwrap();
    assert_eq!(minimal.id, None);
}
