//! Unix seconds → UTC civil time and human durations, without chrono.
//!
//! Why no chrono: it is heavy for wasm and we only need "seconds since 1970 → date" plus
//! "how long ago". The UI converts to local time itself; here everything is UTC.

use serde_json::Value;

/// Largest timestamp we render: 9999-12-31 23:59:59 UTC. Beyond that (or before year 0) a
/// value is almost certainly not a time, and keeping the range small keeps the arithmetic safe.
pub const MAX_UNIX: i64 = 253_402_300_799;
/// Smallest timestamp we render: 0000-01-01 00:00:00 UTC.
pub const MIN_UNIX: i64 = -62_167_219_200;

/// A civil UTC date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcDateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

/// Converts days since 1970-01-01 to (year, month, day).
/// Howard Hinnant's `civil_from_days`, valid for the whole proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Unix seconds → UTC civil time; `None` outside years 0..=9999.
pub fn to_utc(unix: i64) -> Option<UtcDateTime> {
    if !(MIN_UNIX..=MAX_UNIX).contains(&unix) {
        return None;
    }
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Some(UtcDateTime {
        year,
        month,
        day,
        hour: (secs / 3600) as u32,
        minute: (secs % 3600 / 60) as u32,
        second: (secs % 60) as u32,
    })
}

/// `2024-05-01 12:00:00 UTC`, or `None` when out of range.
pub fn format_utc(unix: i64) -> Option<String> {
    let t = to_utc(unix)?;
    Some(format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    ))
}

/// A length of time for people: `42 s`, `5 min`, `23 h 55 min`, `3 days`, `3 days 4 h`.
/// Seconds are shown only below a minute; days from 48 h on.
pub fn format_duration(secs: u64) -> String {
    let days = secs / 86_400;
    let hours = secs % 86_400 / 3600;
    let minutes = secs % 3600 / 60;
    if secs >= 2 * 86_400 {
        if hours > 0 {
            format!("{days} days {hours} h")
        } else {
            format!("{days} days")
        }
    } else if secs >= 3600 {
        let total_hours = secs / 3600;
        if minutes > 0 {
            format!("{total_hours} h {minutes} min")
        } else {
            format!("{total_hours} h")
        }
    } else if secs >= 60 {
        format!("{minutes} min")
    } else {
        format!("{secs} s")
    }
}

/// `in 23 h 55 min`, `3 days ago`, or `now`.
pub fn format_relative(unix: i64, now: i64) -> String {
    let diff = i128::from(unix) - i128::from(now);
    let magnitude = u64::try_from(diff.unsigned_abs()).unwrap_or(u64::MAX);
    if diff == 0 {
        "now".to_string()
    } else if diff > 0 {
        format!("in {}", format_duration(magnitude))
    } else {
        format!("{} ago", format_duration(magnitude))
    }
}

/// How a time claim was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeEncoding {
    /// A JSON number, as RFC 7519 requires.
    Number,
    /// A string holding digits, e.g. `"1714564800"` (seen in some responses; not standard).
    NumericString,
}

/// Reads a NumericDate claim: a JSON number (fractions are floored) or a digit string.
/// `None` for anything else, including numbers outside years 0..=9999.
pub fn unix_from_value(value: &Value) -> Option<(i64, TimeEncoding)> {
    let (n, enc) = match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                (i, TimeEncoding::Number)
            } else {
                let f = n.as_f64()?;
                if !f.is_finite() || f.abs() > MAX_UNIX as f64 {
                    return None;
                }
                (f.floor() as i64, TimeEncoding::Number)
            }
        }
        Value::String(s) => {
            let t = s.trim();
            if t.is_empty()
                || t.len() > 20
                || !t
                    .bytes()
                    .enumerate()
                    .all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'-'))
            {
                return None;
            }
            (t.parse::<i64>().ok()?, TimeEncoding::NumericString)
        }
        _ => return None,
    };
    if (MIN_UNIX..=MAX_UNIX).contains(&n) {
        Some((n, enc))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_dates() {
        assert_eq!(format_utc(0).as_deref(), Some("1970-01-01 00:00:00 UTC"));
        assert_eq!(
            format_utc(1_714_564_800).as_deref(),
            Some("2024-05-01 12:00:00 UTC")
        );
        // Leap day and end of century rules.
        assert_eq!(
            format_utc(951_782_400).as_deref(),
            Some("2000-02-29 00:00:00 UTC")
        );
        assert_eq!(
            format_utc(4_107_542_399).as_deref(),
            Some("2100-02-28 23:59:59 UTC")
        );
        assert_eq!(format_utc(-1).as_deref(), Some("1969-12-31 23:59:59 UTC"));
        assert_eq!(
            format_utc(MAX_UNIX).as_deref(),
            Some("9999-12-31 23:59:59 UTC")
        );
        assert_eq!(
            format_utc(MIN_UNIX).as_deref(),
            Some("0000-01-01 00:00:00 UTC")
        );
        assert_eq!(format_utc(MAX_UNIX + 1), None);
        assert_eq!(format_utc(i64::MIN), None);
    }

    #[test]
    fn round_trips_every_day_over_centuries() {
        // Walk day by day and check the date increments correctly: catches off-by-one errors.
        let mut prev = to_utc(MIN_UNIX).unwrap();
        let mut t = MIN_UNIX + 86_400;
        while t < 5_000_000_000 {
            let cur = to_utc(t).unwrap();
            let next_day = cur.day == prev.day + 1 && cur.month == prev.month;
            let next_month = cur.day == 1
                && (cur.month == prev.month + 1
                    || (cur.month == 1 && prev.month == 12 && cur.year == prev.year + 1));
            assert!(next_day || next_month, "{prev:?} -> {cur:?}");
            prev = cur;
            t += 86_400;
        }
    }

    #[test]
    fn durations_and_relative_times() {
        assert_eq!(format_duration(42), "42 s");
        assert_eq!(format_duration(300), "5 min");
        assert_eq!(format_duration(86_700), "24 h 5 min");
        assert_eq!(format_duration(86_100), "23 h 55 min");
        assert_eq!(format_duration(7200), "2 h");
        assert_eq!(format_duration(3 * 86_400), "3 days");
        assert_eq!(format_duration(3 * 86_400 + 4 * 3600 + 59), "3 days 4 h");
        assert_eq!(format_relative(1000 + 86_100, 1000), "in 23 h 55 min");
        assert_eq!(format_relative(1000, 1000 + 3 * 86_400), "3 days ago");
        assert_eq!(format_relative(5, 5), "now");
        assert_eq!(
            format_relative(i64::MIN, i64::MAX),
            format!("{} ago", format_duration(u64::MAX))
        );
    }

    #[test]
    fn reads_numeric_dates() {
        use serde_json::json;
        assert_eq!(
            unix_from_value(&json!(1_714_564_800)),
            Some((1_714_564_800, TimeEncoding::Number))
        );
        assert_eq!(
            unix_from_value(&json!(1.9)),
            Some((1, TimeEncoding::Number))
        );
        assert_eq!(
            unix_from_value(&json!("1714564800")),
            Some((1_714_564_800, TimeEncoding::NumericString))
        );
        assert_eq!(unix_from_value(&json!("17145x")), None);
        assert_eq!(unix_from_value(&json!("")), None);
        assert_eq!(unix_from_value(&json!(1e300)), None);
        assert_eq!(unix_from_value(&json!(u64::MAX)), None);
        assert_eq!(unix_from_value(&json!(true)), None);
    }
}
