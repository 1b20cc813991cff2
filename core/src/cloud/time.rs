//! Calendar formatting of unix seconds (UTC), without a date crate.

/// A fixed start time (2025-12-01T00:00:00Z) for tests, golden files and the decoder's stored
/// sample tokens. Pages never use it: their worlds start at the visitor's clock
/// ([`start_of_minute`] of the browser's time), and a share link carries that start (`t=`).
pub const EPOCH: u64 = 1_764_547_200;

/// `unix` rounded down to the whole minute: a world's start time. Rounding keeps links short
/// and the `Date` headers tidy; the start is carried in links, so nothing depends on it.
pub fn start_of_minute(unix: u64) -> u64 {
    unix - unix % 60
}

/// Civil date from unix seconds: (year, month 1-12, day 1-31, hour, minute, second, weekday 0=Sun).
pub fn civil(unix: u64) -> (i64, u32, u32, u32, u32, u32, u32) {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    let weekday = ((days + 4).rem_euclid(7)) as u32;
    // Howard Hinnant's days_from_civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (
        y,
        m,
        d,
        (secs / 3600) as u32,
        ((secs % 3600) / 60) as u32,
        (secs % 60) as u32,
        weekday,
    )
}

/// RFC 1123 date for the HTTP `Date` header: `Mon, 01 Dec 2025 00:00:00 GMT`.
pub fn rfc1123(unix: u64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, s, wd) = civil(unix);
    let day = DAYS.get(wd as usize).copied().unwrap_or("Sun");
    let month = MONTHS
        .get((mo as usize).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!("{day}, {d:02} {month} {y} {h:02}:{mi:02}:{s:02} GMT")
}

/// Entra error timestamp `yyyy-MM-dd HH:mm:ssZ`.
pub fn entra_timestamp(unix: u64) -> String {
    let (y, mo, d, h, mi, s, _) = civil(unix);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}Z")
}

/// ISO 8601 as `az` prints it: `2025-12-01T00:00:00.000000+00:00`.
pub fn az_timestamp(unix: u64) -> String {
    let (y, mo, d, h, mi, s, _) = civil(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000000+00:00")
}

/// ISO 8601 `2025-12-01T00:00:00Z`.
pub fn iso(unix: u64) -> String {
    let (y, mo, d, h, mi, s, _) = civil(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// The App Service 2017-09-01 (Linux) `expires_on` date string: `12/02/2025 00:00:00 +00:00`.
pub fn msi_2017_linux(unix: u64) -> String {
    let (y, mo, d, h, mi, s, _) = civil(unix);
    format!("{mo:02}/{d:02}/{y:04} {h:02}:{mi:02}:{s:02} +00:00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_epoch() {
        assert_eq!(rfc1123(EPOCH), "Mon, 01 Dec 2025 00:00:00 GMT");
        assert_eq!(entra_timestamp(EPOCH + 3661), "2025-12-01 01:01:01Z");
        assert_eq!(az_timestamp(0), "1970-01-01T00:00:00.000000+00:00");
        assert_eq!(rfc1123(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(msi_2017_linux(EPOCH + 86_400), "12/02/2025 00:00:00 +00:00");
        assert_eq!(iso(EPOCH), "2025-12-01T00:00:00Z");
    }

    #[test]
    fn worlds_start_on_a_whole_minute() {
        assert_eq!(start_of_minute(EPOCH + 59), EPOCH);
        assert_eq!(start_of_minute(EPOCH + 60), EPOCH + 60);
        assert_eq!(start_of_minute(0), 0);
    }
}
