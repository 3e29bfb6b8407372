//! RFC 3339 instants, read with the SDK's own `DateTime` (the type every SDK timestamp has).

pub use aws_smithy_types::date_time::Format;
pub use aws_smithy_types::DateTime;

/// An RFC 3339 time, with `Z` or an offset, in seconds since the epoch.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    DateTime::from_str(text.trim(), Format::DateTimeWithOffset)
        .ok()
        .map(|time| time.secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_with_z_or_an_offset_are_read_and_others_are_not() {
        assert_eq!(parse_rfc3339("1970-01-02T00:00:00Z"), Some(86_400));
        assert_eq!(parse_rfc3339("1970-01-02T01:00:00+01:00"), Some(86_400));
        assert_eq!(parse_rfc3339("1970-01-02"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
