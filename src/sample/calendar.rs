//! Dates as days since 1970-01-01 (proleptic Gregorian), and the two
//! quarters the leads are created in.

use super::{FIRST_DAY, LAST_DAY};

pub(super) fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(super) fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

pub(super) fn parse_day(s: &str) -> i32 {
    let y = s[0..4].parse().unwrap_or(1970);
    let m = s[5..7].parse().unwrap_or(1);
    let d = s[8..10].parse().unwrap_or(1);
    days_from_civil(y, m, d)
}

pub(super) struct Calendar {
    pub(super) first: i32,
    pub(super) last: i32,
}

impl Calendar {
    pub(super) fn new() -> Calendar {
        Calendar {
            first: parse_day(FIRST_DAY),
            last: parse_day(LAST_DAY),
        }
    }

    pub(super) fn span(&self) -> i32 {
        self.last - self.first + 1
    }
}

/// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
pub(super) fn weekday(day: i32) -> i32 {
    (day + 4).rem_euclid(7)
}
