//! Value types whose behaviour the review found wrong: timestamps order by
//! instant, `format: binary` properties hold bytes.

use jumpcloud_client::types::ApplicationsPostLogoRequest;
use jumpcloud_client::{Binary, Timestamp};

#[test]
fn timestamps_order_by_instant_not_by_text() {
    // RFC 3339 section 5.8: offsets name the same instant differently.
    // 11:00+01:00 is 10:00Z, earlier than 10:30Z, although its text sorts later.
    let early = Timestamp::from_raw("2024-03-01T11:00:00+01:00");
    let late = Timestamp::from_raw("2024-03-01T10:30:00Z");
    assert!(early < late);
    // Fractional seconds: text order puts ".5Z" after "Z" too, and so does time.
    let whole = Timestamp::from_raw("2024-03-01T10:00:00Z");
    let half = Timestamp::from_raw("2024-03-01T10:00:00.5Z");
    assert!(whole < half);
    let mut values = vec![late.clone(), whole.clone(), early.clone()];
    values.sort();
    assert_eq!(values, [whole, early, late]);
}

#[test]
fn same_instant_in_two_spellings_is_ordered_but_not_equal() {
    let utc = Timestamp::from_raw("2024-03-01T10:00:00Z");
    let paris = Timestamp::from_raw("2024-03-01T11:00:00+01:00");
    // Equality keeps the text so re-sending is lossless; order stays total
    // and never calls different texts equal.
    assert_ne!(utc, paris);
    assert_ne!(utc.cmp(&paris), std::cmp::Ordering::Equal);
    assert_eq!(utc.to_utc(), paris.to_utc());
}

#[test]
fn unparseable_timestamps_sort_after_real_ones() {
    let odd = Timestamp::from_raw("yesterday");
    let real = Timestamp::from_raw("2999-01-01T00:00:00Z");
    assert!(real < odd);
}

#[test]
fn a_binary_property_holds_bytes() {
    // The document types `image` as `type: string, format: binary`.
    let request: ApplicationsPostLogoRequest =
        serde_json::from_value(serde_json::json!({"image": "PNG"})).unwrap();
    let image: &Binary = request.image.as_ref().expect("image");
    assert_eq!(image.as_bytes(), b"PNG");
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({"image": "PNG"})
    );
}
