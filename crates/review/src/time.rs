//! Time for review pools: TTLs like `72h`, instants as RFC 3339 in tags, and the clock that
//! tests can set (`--now`, `POOLCTL_NOW`) so expiry is checked without waiting.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws::time::{parse_rfc3339, DateTime, Format};

/// The shortest TTL: anything shorter would expire before a test job could use the pool.
pub const MIN_TTL: Duration = Duration::from_secs(60);
/// The longest TTL: review pools are short-lived by definition.
pub const MAX_TTL: Duration = Duration::from_secs(90 * 24 * 3600);

/// Why a TTL or an instant was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidTime {
    #[error("TTL {text:?} is not a duration; write e.g. 30m, 72h, 3d or 1d12h")]
    TtlSyntax { text: String },
    #[error("TTL {text:?} is out of range; it must be between 1m and 90d")]
    TtlRange { text: String },
    #[error("{text:?} is not an RFC 3339 time such as 2026-11-22T10:00:00Z")]
    Instant { text: String },
}

/// How long a review pool lives before `review gc` may delete it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ttl(Duration);

impl Ttl {
    pub fn as_duration(self) -> Duration {
        self.0
    }
}

impl FromStr for Ttl {
    type Err = InvalidTime;

    /// One or more `<number><unit>` with units `m`, `h`, `d` (e.g. `1d12h`).
    fn from_str(text: &str) -> Result<Ttl, InvalidTime> {
        let syntax = || InvalidTime::TtlSyntax {
            text: text.to_owned(),
        };
        let mut total: u64 = 0;
        let mut digits = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let unit = match c {
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                _ => return Err(syntax()),
            };
            // Long digit strings overflow: out of range rather than a panic.
            let number: u64 = digits.parse().map_err(|_| syntax())?;
            digits.clear();
            total = number
                .checked_mul(unit)
                .and_then(|seconds| total.checked_add(seconds))
                .ok_or_else(|| InvalidTime::TtlRange {
                    text: text.to_owned(),
                })?;
        }
        if !digits.is_empty() || text.is_empty() {
            return Err(syntax());
        }
        let ttl = Duration::from_secs(total);
        if !(MIN_TTL..=MAX_TTL).contains(&ttl) {
            return Err(InvalidTime::TtlRange {
                text: text.to_owned(),
            });
        }
        Ok(Ttl(ttl))
    }
}

impl fmt::Display for Ttl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&human_duration(self.0.as_secs() as i64))
    }
}

/// A point in time, whole seconds since the Unix epoch (tags carry no fractions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(i64);

impl Instant {
    pub fn from_epoch_seconds(seconds: i64) -> Instant {
        Instant(seconds)
    }

    pub fn epoch_seconds(self) -> i64 {
        self.0
    }

    /// The system clock.
    pub fn now() -> Instant {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Instant(seconds)
    }

    /// The clock to use: `override_text` (from `--now` or `POOLCTL_NOW`) when given, else the
    /// system clock.
    pub fn now_or(override_text: Option<&str>) -> Result<Instant, InvalidTime> {
        match override_text {
            Some(text) => text.parse(),
            None => Ok(Instant::now()),
        }
    }

    pub fn plus(self, duration: Duration) -> Instant {
        Instant(self.0.saturating_add(duration.as_secs() as i64))
    }

    /// `self - earlier` in seconds (negative when `earlier` is later).
    pub fn seconds_since(self, earlier: Instant) -> i64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl From<&DateTime> for Instant {
    fn from(time: &DateTime) -> Instant {
        Instant(time.secs())
    }
}

impl FromStr for Instant {
    type Err = InvalidTime;

    /// RFC 3339, with `Z` or an offset.
    fn from_str(text: &str) -> Result<Instant, InvalidTime> {
        parse_rfc3339(text)
            .map(Instant)
            .ok_or_else(|| InvalidTime::Instant {
                text: text.to_owned(),
            })
    }
}

impl fmt::Display for Instant {
    /// RFC 3339 in UTC, e.g. `2026-11-22T10:00:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match DateTime::from_secs(self.0).fmt(Format::DateTime) {
            Ok(text) => f.write_str(&text),
            Err(_) => write!(f, "@{}", self.0),
        }
    }
}

/// A compact duration for people: `45s`, `12m`, `3h20m`, `2d4h`. Negative durations get a `-`.
pub fn human_duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let (days, hours, minutes) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    let body = if days > 0 {
        if hours > 0 {
            format!("{days}d{hours}h")
        } else {
            format!("{days}d")
        }
    } else if hours > 0 {
        if minutes > 0 {
            format!("{hours}h{minutes}m")
        } else {
            format!("{hours}h")
        }
    } else if minutes > 0 {
        format!("{minutes}m")
    } else {
        format!("{s}s")
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ttl(text: &str) -> Result<u64, InvalidTime> {
        text.parse::<Ttl>().map(|t| t.as_duration().as_secs())
    }

    #[test]
    fn ttls_parse_in_minutes_hours_days_and_sums() {
        assert_eq!(ttl("30m"), Ok(1800));
        assert_eq!(ttl("72h"), Ok(72 * 3600));
        assert_eq!(ttl("3d"), Ok(3 * 86_400));
        assert_eq!(ttl("1d12h"), Ok(36 * 3600));
        assert_eq!(ttl("1m"), Ok(60));
        assert_eq!(ttl("90d"), Ok(90 * 86_400));
    }

    #[test]
    fn bad_ttls_are_refused() {
        for bad in ["", "3", "d", "3x", "3 d", "-3d", "3.5h", "h3"] {
            assert!(
                matches!(ttl(bad), Err(InvalidTime::TtlSyntax { .. })),
                "{bad:?}: {:?}",
                ttl(bad)
            );
        }
        for out in [
            "0m",
            "59s",
            "91d",
            "99999999999999999999d",
            "18446744073709551615d",
        ] {
            assert!(ttl(out).is_err(), "{out:?}");
        }
        assert!(matches!(ttl("91d"), Err(InvalidTime::TtlRange { .. })));
    }

    #[test]
    fn instants_round_trip_through_rfc3339() {
        let instant: Instant = "2026-11-22T10:00:00Z".parse().unwrap();
        assert_eq!(instant.to_string(), "2026-11-22T10:00:00Z");
        let offset: Instant = "2026-11-22T12:00:00+02:00".parse().unwrap();
        assert_eq!(offset, instant);
        assert_eq!(
            instant.plus(Duration::from_secs(3 * 86_400)).to_string(),
            "2026-11-25T10:00:00Z"
        );
        assert!("yesterday".parse::<Instant>().is_err());
        assert_eq!(Instant::now_or(Some("2026-11-22T10:00:00Z")), Ok(instant));
        // Without an override, the system clock (certainly after 2020).
        assert!(Instant::now_or(None).unwrap() > "2020-01-01T00:00:00Z".parse().unwrap());
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(human_duration(45), "45s");
        assert_eq!(human_duration(12 * 60), "12m");
        assert_eq!(human_duration(3 * 3600 + 20 * 60), "3h20m");
        assert_eq!(human_duration(2 * 86_400 + 4 * 3600 + 59), "2d4h");
        assert_eq!(human_duration(-90), "-1m");
        assert_eq!(human_duration(3 * 86_400), "3d");
    }
}
