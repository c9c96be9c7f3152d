//! Reading one cell as a bool, number, date or outcome (SPEC §2).
//!
//! These functions see a cell already trimmed and known to be present; they
//! return `None` when the text is not of that kind. They must stay cheap:
//! type inference calls them on every cell of a column.

use super::day_number;
use chrono::NaiveDate;

/// true/false/yes/no/y/n/t/f, any case.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    let b = s.as_bytes();
    if b.len() > 5 {
        return None;
    }
    let mut buf = [0u8; 5];
    for (d, c) in buf.iter_mut().zip(b) {
        *d = c.to_ascii_lowercase();
    }
    match &buf[..b.len()] {
        b"true" | b"yes" | b"y" | b"t" => Some(true),
        b"false" | b"no" | b"n" | b"f" => Some(false),
        _ => None,
    }
}

/// A declared `bool` column also takes 1 and 0, the most common spelling in exports.
pub(crate) fn parse_declared_bool(s: &str) -> Option<bool> {
    match s {
        "1" => Some(true),
        "0" => Some(false),
        _ => parse_bool(s),
    }
}

/// Whether `s` is written as a decimal number: optional sign, digits with an
/// optional decimal point (at least one digit), optional exponent. Rejects
/// what Rust's `f64` parser would also take but users don't mean as numbers
/// (`inf`, `NaN`, `infinity`), and hex, thousands separators, currency.
pub(crate) fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

/// A decimal number that fits an `f64` (`1e400` does not).
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    if !is_decimal(s) {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `YYYY-MM-DD`, optionally followed by `T` or a space and anything (a time,
/// ignored). The date must exist in the calendar. Returns the day number.
pub(crate) fn parse_iso_date(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if b.len() > 10 && !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
    Some(day_number(date))
}

/// A date in a user-given chrono layout (`[fields]` `format`). A layout with
/// time fields (`%d/%m/%Y %H:%M`) is read as a date-time and keeps the date.
pub(crate) fn parse_date_with_format(s: &str, format: &str) -> Option<i32> {
    if let Ok(d) = NaiveDate::parse_from_str(s, format) {
        return Some(day_number(d));
    }
    chrono::NaiveDateTime::parse_from_str(s, format)
        .ok()
        .map(|dt| day_number(dt.date()))
}

/// The values an outcome cell may hold, for messages.
pub(crate) const OUTCOME_HELP: &str = "expected one of 1/true/yes/y/t/won/converted or 0/false/no/n/f/lost, or blank for an open lead";

/// 1/true/yes/y/t/won/converted → converted; 0/false/no/n/f/lost → not.
pub(crate) fn parse_outcome(s: &str) -> Option<bool> {
    let b = s.as_bytes();
    if b.len() > 9 {
        return None;
    }
    let mut buf = [0u8; 9];
    for (d, c) in buf.iter_mut().zip(b) {
        *d = c.to_ascii_lowercase();
    }
    match &buf[..b.len()] {
        b"1" | b"true" | b"yes" | b"y" | b"t" | b"won" | b"converted" => Some(true),
        b"0" | b"false" | b"no" | b"n" | b"f" | b"lost" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bools() {
        for s in ["true", "TRUE", "Yes", "y", "T"] {
            assert_eq!(parse_bool(s), Some(true), "{s}");
        }
        for s in ["false", "No", "N", "f", "FALSE"] {
            assert_eq!(parse_bool(s), Some(false), "{s}");
        }
        for s in ["1", "0", "", "yess", "truee", "oui", "é"] {
            assert_eq!(parse_bool(s), None, "{s}");
        }
        assert_eq!(parse_declared_bool("1"), Some(true));
        assert_eq!(parse_declared_bool("0"), Some(false));
        assert_eq!(parse_declared_bool("no"), Some(false));
        assert_eq!(parse_declared_bool("2"), None);
    }

    #[test]
    fn numbers() {
        for (s, v) in [
            ("12", 12.0),
            ("-3.5", -3.5),
            ("1e3", 1000.0),
            ("+4", 4.0),
            ("0.5", 0.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("2.5E-2", 0.025),
            ("007", 7.0),
        ] {
            assert_eq!(parse_number(s), Some(v), "{s}");
        }
        for s in [
            "",
            "inf",
            "-inf",
            "NaN",
            "nan",
            "infinity",
            "Infinity",
            "0x1F",
            "1,000",
            "$5",
            "1e",
            "e5",
            ".",
            "-",
            "1.2.3",
            "1-2",
            "5 ",
            "1e400",
            "2024-01-05",
            "1_000",
        ] {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }

    #[test]
    fn iso_dates() {
        let d = |y, m, dd| day_number(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        assert_eq!(parse_iso_date("1970-01-01"), Some(0));
        assert_eq!(parse_iso_date("2024-02-29"), Some(d(2024, 2, 29)));
        assert_eq!(parse_iso_date("2024-03-05T10:22:00Z"), Some(d(2024, 3, 5)));
        assert_eq!(parse_iso_date("2024-03-05 10:22"), Some(d(2024, 3, 5)));
        for s in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "2024-1-5",
            "24-01-05",
            "2024/01/05",
            "2024-01-05x",
            "2024-01-0a",
            "+024-01-05",
            "",
            "2024-01-05é",
        ] {
            assert_eq!(parse_iso_date(s), None, "{s}");
        }
    }

    #[test]
    fn dates_with_format() {
        let d = |y, m, dd| day_number(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        assert_eq!(
            parse_date_with_format("03/15/2024", "%m/%d/%Y"),
            Some(d(2024, 3, 15))
        );
        assert_eq!(
            parse_date_with_format("3/5/2024", "%m/%d/%Y"),
            Some(d(2024, 3, 5))
        );
        assert_eq!(
            parse_date_with_format("15.03.2024 14:30", "%d.%m.%Y %H:%M"),
            Some(d(2024, 3, 15))
        );
        assert_eq!(parse_date_with_format("13/15/2024", "%m/%d/%Y"), None);
        assert_eq!(parse_date_with_format("2024-03-15", "%m/%d/%Y"), None);
    }

    #[test]
    fn outcomes() {
        for s in [
            "1",
            "true",
            "YES",
            "y",
            "t",
            "Won",
            "converted",
            "CONVERTED",
        ] {
            assert_eq!(parse_outcome(s), Some(true), "{s}");
        }
        for s in ["0", "false", "no", "N", "f", "lost", "LOST"] {
            assert_eq!(parse_outcome(s), Some(false), "{s}");
        }
        for s in ["maybe", "1.0", "2", "", "open", "convertedx"] {
            assert_eq!(parse_outcome(s), None, "{s}");
        }
    }
}
