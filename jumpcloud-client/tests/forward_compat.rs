//! A response from a newer server still decodes: unknown enum values and
//! unknown fields are kept and re-encoded unchanged.

use jumpcloud_client::types::{Group, GroupType};
use serde_json::json;

#[test]
fn unknown_enum_value_and_unknown_field_survive_a_round_trip() {
    let wire = json!({
        "id": "5f",
        "name": "admins",
        "type": "device_group",
        "addedInAFutureRelease": {"nested": [1, 2]}
    });
    let group: Group = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(group.type_, Some(GroupType::Unknown("device_group".into())));
    assert_eq!(group.type_.as_ref().unwrap().as_str(), "device_group");
    assert_eq!(
        group.additional_properties["addedInAFutureRelease"],
        json!({"nested": [1, 2]})
    );
    assert_eq!(serde_json::to_value(&group).unwrap(), wire);
}

#[test]
fn known_enum_values_decode_to_their_variants() {
    let group: Group = serde_json::from_value(json!({"type": "user_group"})).unwrap();
    assert_eq!(group.type_, Some(GroupType::UserGroup));
    assert_eq!(GroupType::UserGroup.to_string(), "user_group");
}

/// A value a later release knows as a variant compares, hashes and sorts the
/// same as the `Unknown` an earlier release decoded it to, so adding enum
/// values (a minor release) changes neither equality nor order.
#[test]
fn enums_compare_and_order_by_wire_value() {
    use std::collections::{BTreeSet, HashSet};
    assert_eq!(
        GroupType::Unknown("user_group".into()),
        GroupType::UserGroup
    );
    let hashed: HashSet<GroupType> = [
        GroupType::UserGroup,
        GroupType::Unknown("user_group".into()),
    ]
    .into_iter()
    .collect();
    assert_eq!(hashed.len(), 1);
    // Byte order of the wire strings, as `str::cmp` gives it.
    let sorted: Vec<String> = [
        GroupType::UserGroup,
        GroupType::Unknown("device_group".into()),
        GroupType::PolicyGroup,
        GroupType::SystemGroup,
    ]
    .into_iter()
    .collect::<BTreeSet<_>>()
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        sorted,
        ["device_group", "policy_group", "system_group", "user_group"]
    );
}
