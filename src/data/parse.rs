//! Reading one cell as a bool, number, date or outcome (SPEC §2).
//!
//! These functions see a cell already trimmed, known to be present and valid
//! UTF-8 (as bytes, so that nothing is checked twice); they return `None`
//! when the text is not of that kind. They must stay cheap: type inference
//! calls them on every cell of a column.

use super::day_number;
use chrono::NaiveDate;

/// true/false/yes/no/y/n/t/f, any case.
pub(crate) fn parse_bool(b: &[u8]) -> Option<bool> {
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
pub(crate) fn parse_declared_bool(b: &[u8]) -> Option<bool> {
    match b {
        b"1" => Some(true),
        b"0" => Some(false),
        _ => parse_bool(b),
    }
}

/// Whether `b` is written as a decimal number: optional sign, digits with an
/// optional decimal point (at least one digit), optional exponent. Rejects
/// what Rust's `f64` parser would also take but users don't mean as numbers
/// (`inf`, `NaN`, `infinity`), and hex, thousands separators, currency.
pub(crate) fn is_decimal(b: &[u8]) -> bool {
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
pub(crate) fn parse_number(b: &[u8]) -> Option<f64> {
    if !is_decimal(b) {
        return None;
    }
    decimal_value(b)
}

/// [`parse_number`] of text known to be [`is_decimal`].
pub(crate) fn decimal_value(b: &[u8]) -> Option<f64> {
    if let Some(v) = parse_short_decimal(b) {
        return Some(v);
    }
    let s = std::str::from_utf8(b).ok()?;
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Most numbers in lead data are short, without an exponent: up to 15
/// digits and 22 decimals. Their digits then form an integer that an `f64`
/// holds exactly, and so does the power of ten, so one division (correctly
/// rounded by IEEE 754) gives the same value as the full parser (Clinger's
/// fast path). `None` for anything else; `b` is known to be decimal.
fn parse_short_decimal(b: &[u8]) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (negative, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.len() > 16 {
        return None;
    }
    let mut mantissa = 0u64;
    let mut decimals = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => mantissa = mantissa * 10 + u64::from(c - b'0'),
            b'.' => decimals = Some(digits.len() - i - 1),
            _ => return None,
        }
    }
    // At most 15 digits: below 2^53, so exact as an f64.
    if digits.len() - usize::from(decimals.is_some()) > 15 {
        return None;
    }
    let v = mantissa as f64 / POW10[decimals.unwrap_or(0)];
    Some(if negative { -v } else { v })
}

/// `YYYY-MM-DD`, optionally followed by `T` or a space and anything (a time,
/// ignored). The date must exist in the calendar. Returns the day number.
pub(crate) fn parse_iso_date(b: &[u8]) -> Option<i32> {
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
    days_from_civil(y, m, d)
}

/// The day number of a calendar date (proleptic Gregorian, as chrono's),
/// `None` when the date does not exist. Computed directly (Howard Hinnant's
/// `days_from_civil`): chrono's checks cost more than the rest of a cell.
fn days_from_civil(y: u32, m: u32, d: u32) -> Option<i32> {
    let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
    let month_days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d == 0 || d > month_days {
        return None;
    }
    // Years starting in March, so that the leap day comes last.
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

/// A date in a user-given chrono layout (`[fields]` `format`). A layout with
/// time fields (`%d/%m/%Y %H:%M`) is read as a date-time and keeps the date.
pub(crate) fn parse_date_with_format(b: &[u8], format: &str) -> Option<i32> {
    let s = std::str::from_utf8(b).ok()?;
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
pub(crate) fn parse_outcome(b: &[u8]) -> Option<bool> {
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
            assert_eq!(parse_bool(s.as_bytes()), Some(true), "{s}");
        }
        for s in ["false", "No", "N", "f", "FALSE"] {
            assert_eq!(parse_bool(s.as_bytes()), Some(false), "{s}");
        }
        for s in ["1", "0", "", "yess", "truee", "oui", "é"] {
            assert_eq!(parse_bool(s.as_bytes()), None, "{s}");
        }
        assert_eq!(parse_declared_bool(b"1"), Some(true));
        assert_eq!(parse_declared_bool(b"0"), Some(false));
        assert_eq!(parse_declared_bool(b"no"), Some(false));
        assert_eq!(parse_declared_bool(b"2"), None);
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
            assert_eq!(parse_number(s.as_bytes()), Some(v), "{s}");
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
            assert_eq!(parse_number(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn iso_dates() {
        let d = |y, m, dd| day_number(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        assert_eq!(parse_iso_date(b"1970-01-01"), Some(0));
        assert_eq!(parse_iso_date(b"2024-02-29"), Some(d(2024, 2, 29)));
        assert_eq!(parse_iso_date(b"2024-03-05T10:22:00Z"), Some(d(2024, 3, 5)));
        assert_eq!(parse_iso_date(b"2024-03-05 10:22"), Some(d(2024, 3, 5)));
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
            assert_eq!(parse_iso_date(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn dates_with_format() {
        let d = |y, m, dd| day_number(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        assert_eq!(
            parse_date_with_format(b"03/15/2024", "%m/%d/%Y"),
            Some(d(2024, 3, 15))
        );
        assert_eq!(
            parse_date_with_format(b"3/5/2024", "%m/%d/%Y"),
            Some(d(2024, 3, 5))
        );
        assert_eq!(
            parse_date_with_format(b"15.03.2024 14:30", "%d.%m.%Y %H:%M"),
            Some(d(2024, 3, 15))
        );
        assert_eq!(parse_date_with_format(b"13/15/2024", "%m/%d/%Y"), None);
        assert_eq!(parse_date_with_format(b"2024-03-15", "%m/%d/%Y"), None);
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
            assert_eq!(parse_outcome(s.as_bytes()), Some(true), "{s}");
        }
        for s in ["0", "false", "no", "N", "f", "lost", "LOST"] {
            assert_eq!(parse_outcome(s.as_bytes()), Some(false), "{s}");
        }
        for s in ["maybe", "1.0", "2", "", "open", "convertedx"] {
            assert_eq!(parse_outcome(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn numbers_match_the_full_parser() {
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..200_000 {
            let digits = 1 + next() % 18;
            let mut s = String::new();
            match next() % 4 {
                0 => s.push('-'),
                1 => s.push('+'),
                _ => {}
            }
            let point = next() % (digits + 2);
            for i in 0..digits {
                if i == point {
                    s.push('.');
                }
                s.push(char::from(b'0' + (next() % 10) as u8));
            }
            let want = s.parse::<f64>().ok().filter(|v| v.is_finite());
            let got = parse_number(s.as_bytes());
            assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{s}");
        }
    }

    #[test]
    fn day_numbers_match_chrono() {
        for y in (0..=9999)
            .step_by(7)
            .chain([1900, 2000, 2024, 2100, 2400, 9999])
        {
            for m in 0..=13 {
                for d in 0..=32 {
                    let want = NaiveDate::from_ymd_opt(y as i32, m, d).map(day_number);
                    assert_eq!(days_from_civil(y, m, d), want, "{y}-{m}-{d}");
                }
            }
        }
    }
}
