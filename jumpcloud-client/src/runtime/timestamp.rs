//! `format: date-time` values.
//!
//! A timestamp is kept exactly as the server sent it and parsed on demand, so
//! a server that formats a date unexpectedly never makes a whole response
//! fail to decode, and re-sending a value never changes its text.

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// An RFC 3339 date-time as sent on the wire.
///
/// Equality is on the text, so a value re-sent is the value received. Order
/// is by instant: `2024-03-01T11:00:00+01:00` sorts with
/// `2024-03-01T10:00:00Z`, before `2024-03-01T10:30:00Z`. Texts naming the
/// same instant are then ordered by text, and values that are not RFC 3339
/// sort after all others, so the order stays total and agrees with `==`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// The text as received or given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses the text as RFC 3339.
    ///
    /// # Errors
    /// When the server sent something that is not RFC 3339.
    pub fn to_datetime(&self) -> Result<DateTime<FixedOffset>, chrono::ParseError> {
        DateTime::parse_from_rfc3339(&self.0)
    }

    /// Parses the text and converts it to UTC, or `None` if it is not RFC 3339.
    pub fn to_utc(&self) -> Option<DateTime<Utc>> {
        self.to_datetime().ok().map(|d| d.with_timezone(&Utc))
    }

    /// Keeps arbitrary text, for values the server is known to format its own way.
    pub fn from_raw(text: impl Into<String>) -> Self {
        Self(text.into())
    }
}

impl<Tz: chrono::TimeZone> From<DateTime<Tz>> for Timestamp
where
    Tz::Offset: fmt::Display,
{
    fn from(value: DateTime<Tz>) -> Self {
        Self(value.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.to_utc(), other.to_utc()) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_and_parses_on_demand() {
        let t: Timestamp = serde_json::from_str("\"2024-03-01T10:00:00.000Z\"").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2024-03-01T10:00:00.000Z\""
        );
        assert_eq!(t.to_utc().unwrap().timestamp(), 1_709_287_200);
        let odd: Timestamp = serde_json::from_str("\"yesterday\"").unwrap();
        assert!(odd.to_datetime().is_err());
        assert_eq!(odd.as_str(), "yesterday");
    }

    #[test]
    fn converts_from_chrono() {
        let d = DateTime::parse_from_rfc3339("2024-03-01T10:00:00Z").unwrap();
        assert_eq!(
            Timestamp::from(d.with_timezone(&Utc)).as_str(),
            "2024-03-01T10:00:00Z"
        );
    }
}
