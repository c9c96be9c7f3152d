//! One core's share of an edit's moves in the score domain: what a
//! rescoring appends as it goes, counted per score and sorted afterwards,
//! in loops of their own, for [`super::domain::Domain::apply`].

use super::buf::Buf;
use super::domain::{Counts, Listed, SPAN, direct};
use super::radix::radix_sort;
use crate::cond::{mask, ones};

/// One core's share of an edit: the moves of the leads it rescored. Kept
/// between edits, so that its buffers are not allocated again.
///
/// Rescoring only appends to it (through a [`Mover`]): counting the moves
/// per score and marking the leavers happen afterwards, in loops of their
/// own. Done lead by lead among the rescoring's other reads and writes,
/// those counters and bits cost several times as much.
#[derive(Default)]
pub(crate) struct Changes {
    /// As [`Domain::ints`](super::domain::Domain), then two sinks: [`LEAVE`], [`JOIN`].
    pub(super) ints: Counts<i32>,
    /// Per labelled lead that moved: [`code`]s of its old and new score.
    pub(super) codes: Buf<u32>,
    /// The leads that left the listed leads.
    pub(super) leavers: Buf<u32>,
    /// Leads joining the listed leads, ascending once [`Changes::finish`]
    /// ran.
    pub(super) arrivals: Buf<Listed>,
    /// How many of `codes`, `leavers` and `arrivals` the [`Mover`] wrote,
    /// kept by [`Changes::finish`]; then how many leavers it did not list
    /// but marked in [`Domain::leaving`](super::domain::Domain) itself ([`Mover::word`]).
    pub(super) len: [usize; 4],
    scratch: Buf<Listed>,
}

/// Where [`Changes::finish`] counts what is not a whole-number score's move
/// (one sink per side).
const LEAVE: usize = 2 * SPAN as usize;
const JOIN: usize = LEAVE + 1;

/// A move between two scores, for the per-score counts: the old score's
/// index (or [`LEAVE`]) in the low 14 bits, the new one's (or [`JOIN`]) in
/// the next 14, 1 above them when not converted.
#[inline]
fn code(from: Option<usize>, to: Option<usize>, converted: bool) -> u32 {
    (from.unwrap_or(LEAVE) | to.unwrap_or(JOIN) << 14 | (!converted as usize) << 28) as u32
}

impl Changes {
    /// Ready to record the moves of at most `most` leads.
    pub fn start(&mut self, most: usize) -> Mover<'_> {
        self.len = [0; 4];
        // One slot more than can be used: a lead that does not move is
        // still written, one past the last.
        let room = most + 1;
        Mover {
            codes: self.codes.room(room),
            leavers: self.leavers.room(room),
            arrivals: self.arrivals.room(room),
            len: [0; 4],
            out: &mut self.len,
        }
    }

    /// How many leads left the listed leads.
    pub(super) fn left(&self) -> usize {
        self.leavers.len() + self.len[3]
    }

    /// Done moving (on the core that moved): count the moves per score,
    /// mark the leavers in `leaving` (the domain's [`Domain::leaving`](super::domain::Domain)
    /// from lead `base`, a multiple of 64, on), sort the arrivals.
    pub fn finish(&mut self, leaving: &mut [u64], base: usize) {
        let [codes, leavers, arrivals, _] = self.len;
        self.codes.keep(codes);
        self.leavers.keep(leavers);
        self.arrivals.keep(arrivals);
        self.ints.clear();
        self.ints.resize(JOIN + 1, [0; 2]);
        for &m in self.codes.iter() {
            let (from, to, c) = (
                m as usize & 0x3fff,
                m as usize >> 14 & 0x3fff,
                (m >> 28) as usize,
            );
            self.ints[from][c] -= 1;
            self.ints[to][c] += 1;
        }
        for &lead in self.leavers.iter() {
            let i = lead as usize - base;
            leaving[i / 64] |= 1 << (i % 64);
        }
        radix_sort(&mut self.arrivals, &mut self.scratch);
    }
}

/// Records the moves of one core's leads into its [`Changes`]: only
/// appends, with its counts kept in registers.
pub(crate) struct Mover<'a> {
    codes: &'a mut [u32],
    leavers: &'a mut [u32],
    arrivals: &'a mut [Listed],
    len: [usize; 4],
    out: &'a mut [usize; 4],
}

impl Mover<'_> {
    /// If `moves`: `lead` (labelled, `converted` or not) moved from score
    /// `old` to `new`, whose bits differ.
    ///
    /// Without branches: whether a lead moves and which kind of score it
    /// leaves or joins are anyone's guess, so every slot is written and
    /// only what happened is kept (its count advances).
    #[inline]
    pub fn moved(&mut self, (lead, converted): (usize, bool), moves: bool, (old, new): (f64, f64)) {
        let (from, to) = (direct(old), direct(new));
        let [codes, leavers, joined, _] = &mut self.len;
        self.codes[*codes] = code(from, to, converted);
        *codes += moves as usize;
        self.leavers[*leavers] = lead as u32;
        *leavers += (moves & from.is_none()) as usize;
        self.arrivals[*joined] = Listed::new(new, lead, converted);
        *joined += (moves & to.is_none()) as usize;
    }

    /// [`Mover::moved`] for the 64 leads from `lead` (a multiple of 64) at
    /// once: bit `k` of `moved` is set where lead `lead + k` moved from
    /// score `old[k]` to `new[k]` (their bits differ), of `converted` where
    /// it converted. Only the moves are visited, each list only by those
    /// it takes; a move between two scores that are not whole numbers
    /// needs no code. The leavers are not listed: returns them, as the
    /// word of [`Domain::leaving`](super::domain::Domain) for the caller to mark.
    #[inline]
    pub fn word(
        &mut self,
        lead: usize,
        moved: u64,
        converted: u64,
        old: &[f64; 64],
        new: &[f64; 64],
    ) -> u64 {
        let from = mask(|k| direct(old[k]).is_some());
        let to = mask(|k| direct(new[k]).is_some());
        let [codes, _, joined, marked] = &mut self.len;
        for k in ones(moved & (from | to)) {
            self.codes[*codes] = code(direct(old[k]), direct(new[k]), converted >> k & 1 == 1);
            *codes += 1;
        }
        let leaving = moved & !from;
        *marked += leaving.count_ones() as usize;
        for k in ones(moved & !to) {
            self.arrivals[*joined] = Listed::new(new[k], lead + k, converted >> k & 1 == 1);
            *joined += 1;
        }
        leaving
    }

    /// Done: leave the counts with the [`Changes`].
    pub fn done(self) {
        *self.out = self.len;
    }
}
