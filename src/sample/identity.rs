//! Who a lead is and when it came in: its id (now and then an earlier
//! lead's), creation date and time, kind of lead and name.

use super::calendar::{Calendar, weekday};
use super::rng::Rng;
use super::vocabularies::{FIRST_NAMES, Kind, LAST_NAMES};

#[derive(Clone, Copy)]
pub(super) struct Identity {
    /// The row whose id the lead is written with (its own, or an earlier one's).
    pub(super) id_row: u64,
    pub(super) created: i32,
    pub(super) created_time: Option<u32>,
    pub(super) kind: Kind,
    pub(super) first: &'static str,
    pub(super) last: &'static str,
}

/// The first draws of a row's stream.
pub(super) fn identity(r: &mut Rng, row: u64, cal: &Calendar) -> Identity {
    let id_row = if row >= 40 && r.chance(0.003) {
        row - 1 - r.below(30)
    } else {
        row
    };
    let created = {
        let pick = |r: &mut Rng| {
            // Volume grows over the two quarters: a mix of uniform and
            // later-leaning days.
            let u = if r.chance(0.7) {
                r.unit()
            } else {
                r.unit().max(r.unit())
            };
            cal.first + (u * cal.span() as f64) as i32
        };
        let mut d = pick(r);
        if matches!(weekday(d), 0 | 6) && r.chance(0.6) {
            d = pick(r);
        }
        d.min(cal.last)
    };
    let created_time = r.chance(0.2).then(|| 7 * 3600 + r.below(12 * 3600) as u32);

    let kind = r.weighted(&[
        (Kind::Business, 935),
        (Kind::Student, 30),
        (Kind::Competitor, 20),
        (Kind::Fake, 15),
    ]);
    let first = r.one(FIRST_NAMES);
    let last = r.one(LAST_NAMES);

    Identity {
        id_row,
        created,
        created_time,
        kind,
        first,
        last,
    }
}
