//! The score domain of the labelled leads: every distinct score, with how
//! many converted and other leads have it, in ascending order.
//!
//! AUC and bands are read off it in one pass over the distinct scores, not
//! over a million sorted leads; an edit moves only the leads whose score
//! changed. It is kept in two parts, for the two kinds of score a model
//! gives:
//! - whole-number scores near zero (every score of a model without decay,
//!   and most of any other): a count per score, in an array small enough to
//!   stay in the processor's cache, so a move is two counters;
//! - every other score (those with a decayed contribution, nearly one per
//!   lead): one element per lead, in ascending order, in two halves split
//!   at a score. An edit's arrivals are sorted, on each core its own; each
//!   core then merges one half (where the halves meet is picked per edit,
//!   so that both have as much to do) with the elements that stay, in one
//!   pass.
//!
//! Leads carry no entry ids, and nothing is looked up per move: a moved
//! lead's old score says which part it leaves, its new score which part it
//! joins.

use crate::cond::{mask, ones};

/// A run of labelled leads with one score: (score, converted, others).
pub type Run = (f64, u64, u64);

/// The whole-number scores counted per score are those of magnitude below
/// `SPAN`.
const SPAN: i64 = 4096;

/// `s`'s index in the per-score counts if it is a whole number there.
///
/// Without an integer conversion (whose handling of NaN and overflow costs
/// more than the test): adding 1.5 · 2^52 rounds a number of magnitude
/// below 2^51 to a whole one, in the low bits of the sum; subtracting it
/// again gives back `s` exactly when `s` was whole. The test compares as
/// numbers, not bits, so that it runs in vector registers
/// ([`Mover::word`]); −0 would count as 0, but no score is −0
/// ([`crate::engine::finish`] adds +0).
#[inline]
fn direct(s: f64) -> Option<usize> {
    const ROUND: f64 = (3u64 << 51) as f64;
    let r = s + ROUND;
    let whole = r - ROUND == s;
    let k = r.to_bits().wrapping_sub(ROUND.to_bits()) as i64;
    (whole & (s.abs() < SPAN as f64)).then_some((k + SPAN) as usize)
}

/// `s` as a number whose unsigned order is [`f64::total_cmp`]'s.
#[inline]
fn key(s: f64) -> u64 {
    let b = s.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// The score of a [`key`].
#[inline]
fn score_of(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// A labelled lead with a score not counted per score.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Other {
    key: u64,
    /// lead << 1 | converted.
    tag: u32,
}

impl Other {
    #[inline]
    fn new(score: f64, lead: usize, converted: bool) -> Other {
        Other {
            key: key(score),
            tag: (lead as u32) << 1 | converted as u32,
        }
    }

    #[inline]
    fn lead(self) -> usize {
        (self.tag >> 1) as usize
    }

    #[inline]
    fn converted(self) -> bool {
        self.tag & 1 == 1
    }
}

/// Per whole-number score: (converted, others).
type Counts<T> = Vec<[T; 2]>;

#[derive(Default)]
pub struct Domain {
    /// At `k`: the leads with score `k − SPAN`; empty until built.
    ints: Counts<u32>,
    /// The other labelled leads, in two parts, each updated on its own core:
    /// every score of the first is below every score of the second.
    parts: [Part; 2],
    /// Per lead, one bit: leaving the other leads in the edit being
    /// applied. Set by the cores that rescore, cleared when applied.
    leaving: Vec<u64>,
}

/// Labelled leads ascending by score (then in no set order), and what the
/// part's core makes from them.
#[derive(Default)]
struct Part {
    others: Buf<Other>,
    made: Made,
}

/// What a part's core writes while the others are read (by both cores: an
/// edit may hand a few of one part's leads to the other), kept for the
/// next edit's merges.
#[derive(Default)]
struct Made {
    /// The runs of the part's leads, with the whole-number scores counted
    /// per score in the part's range merged in.
    runs: Buf<Run>,
    /// The part's leads after an update, to be swapped in.
    next: Buf<Other>,
    arriving: Buf<Other>,
    staying: Buf<Other>,
}

impl Made {
    /// Into `next`: the leads of `old` (two ascending slices, every score
    /// of the second above the first's) but those marked `leaving`, merged
    /// with `a` and `b` (ascending).
    ///
    /// The leavers are dropped first, in a pass of their own: a broad edit
    /// moves most of the other leads, and the merge, whose every step
    /// waits on the last, then steps only over the leads that stay.
    fn update(&mut self, old: [&[Other]; 2], leaving: &[u64], a: &[Other], b: &[Other]) {
        merge(a, b, &mut self.arriving);
        let stays = |o: Other| leaving[o.lead() / 64] >> (o.lead() % 64) & 1 == 0;
        let room = self.staying.room(old[0].len() + old[1].len());
        let mut n = 0;
        for &o in old.iter().copied().flatten() {
            room[n] = o;
            n += stays(o) as usize;
        }
        self.staying.keep(n);
        merge(&self.staying, &self.arriving, &mut self.next);
    }
}

/// Into `runs` (its contents replaced): the runs of `others` (ascending)
/// and of the per-score counts `ints`, the first of which is at index
/// `first` of [`Domain::ints`], in one ascending list.
fn make_runs(others: &[Other], ints: &[[u32; 2]], first: usize, list: &mut Buf<Run>) {
    // Room for every run, so that the runs of a stretch of others are
    // written without a test of the room left.
    let runs = list.room(others.len() + ints.len());
    let (mut w, mut rest) = (0, others);
    for (k, n) in (first..).zip(ints).filter(|(_, n)| n[0] + n[1] > 0) {
        let s = (k as i64 - SPAN) as f64;
        // No whole-number score counted per score is among the others.
        let below = rest.partition_point(|o| o.key < key(s));
        w += count_runs(&rest[..below], &mut runs[w..]);
        runs[w] = (s, n[0] as u64, n[1] as u64);
        w += 1;
        rest = &rest[below..];
    }
    w += count_runs(rest, &mut runs[w..]);
    list.keep(w);
}

/// Into the start of `out` (at least as long): the runs of `others` (leads
/// with one score are next to each other); returns how many. Without
/// branches: whether the next lead starts a run is anyone's guess. Each
/// lead writes its run's counts so far, over the last.
fn count_runs(others: &[Other], out: &mut [Run]) -> usize {
    let Some(first) = others.first() else {
        return 0;
    };
    let out = &mut out[..others.len()];
    // The counts in two registers (not an array indexed by the outcome,
    // which would go through memory).
    let (mut r, mut last, mut p, mut n) = (0, first.key, 0u64, 0u64);
    for o in others {
        let new = o.key != last;
        r += new as usize;
        let c = o.converted() as u64;
        p = if new { 0 } else { p } + c;
        n = if new { 0 } else { n } + (1 - c);
        last = o.key;
        out[r] = (score_of(last), p, n);
    }
    r + 1
}

/// Where the two parts meet for an edit: a place in `lo` followed by `hi`,
/// at the first lead of a score, with about as many leads and arrivals
/// (`a`, `b`) below it as above. An edit's arrivals crowd one side (a `+1`
/// moves leads up), and each core merges one part.
fn meeting(lo: &[Other], hi: &[Other], a: &[Other], b: &[Other]) -> usize {
    let n = lo.len() + hi.len();
    if n == 0 {
        return 0;
    }
    let at = |p: usize| {
        if p < lo.len() {
            lo[p].key
        } else {
            hi[p - lo.len()].key
        }
    };
    let below = |p: usize| {
        let k = at(p);
        p + a.partition_point(|o| o.key < k) + b.partition_point(|o| o.key < k)
    };
    let half = (n + a.len() + b.len()) / 2;
    let (mut l, mut h) = (0, n - 1);
    while l < h {
        let m = (l + h) / 2;
        match below(m) < half {
            true => l = m + 1,
            false => h = m,
        }
    }
    let k = at(l);
    match lo.last().is_some_and(|o| o.key >= k) {
        true => lo.partition_point(|o| o.key < k),
        false => lo.len() + hi.partition_point(|o| o.key < k),
    }
}

/// How many of the per-score counts `ints` go with the first part: those
/// of the scores below `pivot` (the second part's first score), or all.
fn ints_cut(ints: &[[u32; 2]], pivot: Option<u64>) -> usize {
    let Some(p) = pivot else {
        return ints.len();
    };
    // Binary search: the scores' keys ascend with the index.
    let (mut lo, mut hi) = (0, ints.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        match key((mid as i64 - SPAN) as f64) < p {
            true => lo = mid + 1,
            false => hi = mid,
        }
    }
    lo
}

/// `lo` followed by `hi`, split at `at`: each side as two slices.
fn split_at<'a>(
    lo: &'a [Other],
    hi: &'a [Other],
    at: usize,
) -> ([&'a [Other]; 2], [&'a [Other]; 2]) {
    match at <= lo.len() {
        true => ([&lo[..at], &[]], [&lo[at..], hi]),
        false => ([lo, &hi[..at - lo.len()]], [&hi[at - lo.len()..], &[]]),
    }
}

/// One core's share of an edit: the moves of the leads it rescored. Kept
/// between edits, so that its buffers are not allocated again.
///
/// Rescoring only appends to it (through a [`Mover`]): counting the moves
/// per score and marking the leavers happen afterwards, in loops of their
/// own. Done lead by lead among the rescoring's other reads and writes,
/// those counters and bits cost several times as much.
#[derive(Default)]
pub struct Changes {
    /// As [`Domain::ints`], then two sinks: [`LEAVE`], [`JOIN`].
    ints: Counts<i32>,
    /// Per labelled lead that moved: [`code`]s of its old and new score.
    codes: Buf<u32>,
    /// The leads that left the other leads.
    leavers: Buf<u32>,
    /// Leads joining the other leads, ascending once [`Changes::finish`]
    /// ran.
    arrivals: Buf<Other>,
    /// How many of `codes`, `leavers` and `arrivals` the [`Mover`] wrote,
    /// kept by [`Changes::finish`]; then how many leavers it did not list
    /// but marked in [`Domain::leaving`] itself ([`Mover::word`]).
    len: [usize; 4],
    scratch: Buf<Other>,
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

    /// How many leads left the other leads.
    fn left(&self) -> usize {
        self.leavers.len() + self.len[3]
    }

    /// Done moving (on the core that moved): count the moves per score,
    /// mark the leavers in `leaving` (the domain's [`Domain::leaving`]
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
pub struct Mover<'a> {
    codes: &'a mut [u32],
    leavers: &'a mut [u32],
    arrivals: &'a mut [Other],
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
        self.arrivals[*joined] = Other::new(new, lead, converted);
        *joined += (moves & to.is_none()) as usize;
    }

    /// [`Mover::moved`] for the 64 leads from `lead` (a multiple of 64) at
    /// once: bit `k` of `moved` is set where lead `lead + k` moved from
    /// score `old[k]` to `new[k]` (their bits differ), of `converted` where
    /// it converted. Only the moves are visited, each list only by those
    /// it takes; a move between two scores that are not whole numbers
    /// needs no code. The leavers are not listed: returns them, as the
    /// word of [`Domain::leaving`] for the caller to mark.
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
            self.arrivals[*joined] = Other::new(new[k], lead + k, converted >> k & 1 == 1);
            *joined += 1;
        }
        leaving
    }

    /// Done: leave the counts with the [`Changes`].
    pub fn done(self) {
        *self.out = self.len;
    }
}

impl Domain {
    /// The domain of the labelled leads: lead `i` has `score[i]` and outcome
    /// `outcome[i]` (`None`: not labelled).
    pub fn build(score: &[f64], outcome: &[Option<bool>]) -> Domain {
        let mut d = Domain {
            ints: vec![[0; 2]; 2 * SPAN as usize],
            leaving: vec![0; score.len().div_ceil(64)],
            ..Domain::default()
        };
        let mut others = vec![];
        for (i, (&s, o)) in score.iter().zip(outcome).enumerate() {
            let Some(converted) = *o else { continue };
            match direct(s) {
                Some(k) => d.ints[k][!converted as usize] += 1,
                None => others.push(Other::new(s, i, converted)),
            }
        }
        radix_sort(&mut others, &mut Buf::default());
        d.parts[0].others = others.into();
        d.balance();
        d
    }

    /// [`Domain::leaving`] split at lead `mid` (a multiple of 64), for the
    /// cores that rescore each side.
    pub fn leaving_mut(&mut self, mid: usize) -> (&mut [u64], &mut [u64]) {
        self.leaving.split_at_mut(mid / 64)
    }

    /// Apply an edit's changes, each [`Changes::finish`]ed, the leads below
    /// the middle first.
    pub fn apply(&mut self, [a, b]: [&Changes; 2]) {
        for ch in [a, b] {
            for (n, d) in self.ints.iter_mut().zip(&ch.ints) {
                n[0] = n[0].wrapping_add_signed(d[0]);
                n[1] = n[1].wrapping_add_signed(d[1]);
            }
        }
        let (a_in, b_in) = (&a.arrivals[..], &b.arrivals[..]);
        let left = a.left() + b.left();
        let moved = left + a_in.len() + b_in.len() > 0;
        let [lo, hi] = &mut self.parts;
        let at = match moved {
            true => meeting(&lo.others, &hi.others, a_in, b_in),
            false => lo.others.len(),
        };
        let (old_lo, old_hi) = split_at(&lo.others, &hi.others, at);
        // Arrivals (and whole-number scores) below the second part's first
        // score go with the first part.
        let pivot = old_hi.iter().find_map(|o| o.first()).map(|o| o.key);
        let split = |v: &[Other]| pivot.map_or(v.len(), |p| v.partition_point(|o| o.key < p));
        let (qa, qb) = (split(a_in), split(b_in));
        let cut = ints_cut(&self.ints, pivot);
        let (leaving, ints) = (&self.leaving, &self.ints);
        let (lo_made, hi_made) = (&mut lo.made, &mut hi.made);
        let (lo_others, hi_others) = (&lo.others, &hi.others);
        let half = |made: &mut Made,
                    old: [&[Other]; 2],
                    others: &[Other],
                    arriving: [&[Other]; 2],
                    ints: &[[u32; 2]],
                    first: usize| {
            if moved {
                made.update(old, leaving, arriving[0], arriving[1]);
            }
            let others = if moved { &made.next[..] } else { others };
            make_runs(others, ints, first, &mut made.runs);
        };
        rayon::join(
            || {
                half(
                    lo_made,
                    old_lo,
                    lo_others,
                    [&a_in[..qa], &b_in[..qb]],
                    &ints[..cut],
                    0,
                )
            },
            || {
                half(
                    hi_made,
                    old_hi,
                    hi_others,
                    [&a_in[qa..], &b_in[qb..]],
                    &ints[cut..],
                    cut,
                )
            },
        );
        if moved {
            for part in &mut self.parts {
                std::mem::swap(&mut part.others, &mut part.made.next);
            }
        }
        if left > 0 {
            self.leaving.fill(0);
        }
        // Unit tests balance early, so that they see it happen.
        const SLACK: usize = if cfg!(test) { 8 } else { 4096 };
        let (n0, n1) = (self.parts[0].others.len(), self.parts[1].others.len());
        if n0.max(n1) > 2 * n0.min(n1) + SLACK {
            self.balance();
        }
    }

    /// Split the other leads into two parts of about the same size, at a
    /// change of score.
    fn balance(&mut self) {
        let [lo, hi] = &mut self.parts;
        let mut all = [&lo.others[..], &hi.others[..]].concat();
        let at = match all.get(all.len() / 2).map(|o| o.key) {
            Some(mid) => match all.partition_point(|o| o.key < mid) {
                0 => all.partition_point(|o| o.key <= mid),
                below => below,
            },
            None => 0,
        };
        hi.others = all.split_off(at).into();
        lo.others = all.into();
        let cut = ints_cut(&self.ints, hi.others.first().map(|o| o.key));
        make_runs(&lo.others, &self.ints[..cut], 0, &mut lo.made.runs);
        make_runs(&hi.others, &self.ints[cut..], cut, &mut hi.made.runs);
    }

    /// The scores that leads have, ascending, with their counts: the
    /// first part's, then the second's (each made on its own core; not
    /// copied into one).
    pub fn runs_parts(&self) -> [&[Run]; 2] {
        [&self.parts[0].made.runs, &self.parts[1].made.runs]
    }

    #[cfg(test)]
    fn runs(&self) -> Vec<Run> {
        self.runs_parts().concat()
    }
}

/// Into `out` (its contents replaced): ascending `a` and `b` merged.
/// Without branches: which of two heads is the lower is anyone's guess.
fn merge(a: &[Other], b: &[Other], out: &mut Buf<Other>) {
    let list = out;
    let out = list.room(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        let from_b = y.key < x.key;
        out[i + j] = if from_b { y } else { x };
        j += from_b as usize;
        i += !from_b as usize;
    }
    out[i + j..a.len() + j].copy_from_slice(&a[i..]);
    out[a.len() + j..a.len() + b.len()].copy_from_slice(&b[j..]);
    list.keep(a.len() + b.len());
}

/// A list whose room, once made, is kept: shortening it only moves its
/// end. (A `Vec` truncated and grown again writes the room anew: megabytes
/// per edit at a million leads, as lists of moved leads shrink and grow.)
#[derive(Default)]
struct Buf<T> {
    room: Vec<T>,
    len: usize,
}

impl<T: Copy + Default> Buf<T> {
    /// Room for at least `n`, all of it, to be written from the start
    /// before [`Buf::keep`].
    fn room(&mut self, n: usize) -> &mut [T] {
        if self.room.len() < n {
            self.room.resize(n, T::default());
        }
        &mut self.room
    }

    /// The list is now the first `n` of the room.
    fn keep(&mut self, n: usize) {
        self.len = n.min(self.room.len());
    }
}

impl<T> From<Vec<T>> for Buf<T> {
    fn from(room: Vec<T>) -> Buf<T> {
        Buf {
            len: room.len(),
            room,
        }
    }
}

impl<T> std::ops::Deref for Buf<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.room[..self.len]
    }
}

impl<T> std::ops::DerefMut for Buf<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.room[..self.len]
    }
}

/// Sort by key (equal keys in no set order): a few linear passes instead
/// of the comparisons of a general sort, which at hundreds of thousands of
/// elements cost several times as much.
///
/// A radix sort, from the lowest digit, of only the 26 highest bits in
/// which keys can differ (their distance from the lowest key): two passes
/// of 13 bits where a full key takes six of 11. The second pass's digits
/// are counted during the first, so the elements are read three times, not
/// four. Keys that share those 26 bits, scores less than a millionth of
/// their size apart, are rare neighbours; one insertion pass puts them in
/// order. Were they not rare, a general sort takes over.
fn radix_sort(v: &mut [Other], scratch: &mut Buf<Other>) {
    const BITS: u32 = 13;
    const BUCKETS: usize = 1 << BITS;
    if v.len() < 256 {
        v.sort_unstable_by_key(|o| o.key);
        return;
    }
    let (lo, hi) = (v.iter()).fold((u64::MAX, 0), |(lo, hi), o| (lo.min(o.key), hi.max(o.key)));
    let width = 64 - (hi - lo).leading_zeros();
    let shift = width.saturating_sub(2 * BITS);
    let low = |key: u64| ((key - lo) >> shift) as usize & (BUCKETS - 1);
    let high = |key: u64| ((key - lo) >> shift >> BITS) as usize & (BUCKETS - 1);
    let scratch = &mut scratch.room(v.len())[..v.len()];
    // Where each digit's elements go: counted, then each count turned
    // into the sum of those before it.
    let starts = |c: &mut [u32]| {
        let mut at = 0;
        for n in c.iter_mut() {
            (*n, at) = (at, at + *n);
        }
    };
    let mut at = vec![0u32; BUCKETS];
    for o in v.iter() {
        at[low(o.key)] += 1;
    }
    starts(&mut at);
    let mut next = vec![0u32; BUCKETS];
    for o in v.iter() {
        let d = low(o.key);
        scratch[at[d] as usize] = *o;
        at[d] += 1;
        next[high(o.key)] += 1;
    }
    starts(&mut next);
    for o in scratch.iter() {
        let d = high(o.key);
        v[next[d] as usize] = *o;
        next[d] += 1;
    }
    if shift > 0 && !settle(v, v.len()) {
        v.sort_unstable_by_key(|o| o.key);
    }
}

/// Insertion sort of `v`, meant for one nearly in order: gives up (returns
/// false, every element still there) once it has moved elements more than
/// `budget` places in all. An element not below the highest before it (in
/// a nearly ordered list, almost every one) costs one comparison with a
/// key held in a register.
fn settle(v: &mut [Other], budget: usize) -> bool {
    let Some(first) = v.first() else {
        return true;
    };
    let (mut moved, mut top) = (0, first.key);
    for i in 1..v.len() {
        let x = v[i];
        if x.key >= top {
            top = x.key;
            continue;
        }
        let mut j = i;
        while j > 0 && v[j - 1].key > x.key {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
        moved += i - j;
        if moved > budget {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    /// The runs of a plain sort of the same leads.
    fn runs_of(leads: &[(f64, Option<bool>)]) -> Vec<Run> {
        let mut s: Vec<(f64, bool)> = leads.iter().filter_map(|&(s, o)| Some((s, o?))).collect();
        s.sort_by(|a, b| a.0.total_cmp(&b.0));
        crate::metrics::auc::tie_runs(s.into_iter()).collect()
    }

    /// A score from a mix of whole numbers (inside and outside the counted
    /// span), fractions shared by several leads, and near-unique decayed
    /// ones.
    fn draw(rng: &mut impl FnMut() -> u64, drift: u64) -> f64 {
        match rng() % 4 {
            0 => (rng() % 40 + drift) as f64,
            // Whole numbers among the others' scores, so on both sides of
            // the parts' split.
            1 if rng().is_multiple_of(2) => (rng() % SPAN as u64) as f64,
            1 => (rng() % 40 + drift) as f64 * 0.5,
            2 => (rng() % 1_000_000) as f64 / 7.0 + drift as f64,
            _ => [SPAN as f64, -(SPAN as f64), 1e300, -0.25][(rng() % 4) as usize],
        }
    }

    #[test]
    fn the_parts_meet_between_two_scores() {
        // Most leads share one score, so the middle of the leads and
        // arrivals falls among them: the parts must still meet where the
        // score changes (one run per score), and later edits see the same.
        let n = 1020;
        let mut leads: Vec<(f64, Option<bool>)> = (0..n)
            .map(|i| {
                (
                    [0.25, 0.5, 0.75][(i >= 10) as usize + (i >= 1010) as usize],
                    Some(i % 3 == 0),
                )
            })
            .collect();
        let (score, outcome): (Vec<f64>, Vec<Option<bool>>) = leads.iter().copied().unzip();
        let mut d = Domain::build(&score, &outcome);
        for (round, (from, to)) in [(0.25, 0.75), (0.75, 0.25), (0.5, 0.25)]
            .into_iter()
            .enumerate()
        {
            let mut changes = [Changes::default(), Changes::default()];
            let [a, b] = &mut changes;
            let mut movers = [a.start(n), b.start(0)];
            for (i, lead) in leads
                .iter_mut()
                .enumerate()
                .filter(|(_, l)| l.0 == from)
                .take(5)
            {
                lead.0 = to;
                movers[0].moved((i, lead.1 == Some(true)), true, (from, to));
            }
            for m in movers {
                m.done();
            }
            let (lo, hi) = d.leaving_mut(n.div_ceil(64) * 64);
            changes[0].finish(lo, 0);
            changes[1].finish(hi, n.div_ceil(64) * 64);
            d.apply([&changes[0], &changes[1]]);
            assert_eq!(d.runs(), runs_of(&leads), "round {round}");
            let last = d.parts[0].others.last().map(|o| o.key);
            assert!(
                d.parts[1].others.first().map(|o| o.key) > last,
                "round {round}"
            );
        }
    }

    #[test]
    fn moves_keep_the_runs_of_a_fresh_sort() {
        let mut rng = xorshift(9);
        let n = 3000;
        let mut leads: Vec<(f64, Option<bool>)> = (0..n)
            .map(|_| {
                let o = [Some(true), Some(false), Some(false), None][(rng() % 4) as usize];
                (draw(&mut rng, 0), o)
            })
            .collect();
        let (score, outcome): (Vec<f64>, Vec<Option<bool>>) = leads.iter().copied().unzip();
        let mut d = Domain::build(&score, &outcome);
        assert_eq!(d.runs(), runs_of(&leads));
        let mut changes = [Changes::default(), Changes::default()];
        // Each half of the leads on its own core, as the evaluator does.
        let mid = n / 2 / 64 * 64;
        for round in 0..100 {
            let mut seen = vec![false; n];
            let [a, b] = &mut changes;
            let mut movers = [a.start(mid), b.start(n - mid)];
            // Rounds of a few moves and rounds where most leads move, so
            // that the sort's short path and its passes are both used.
            let moves = if round % 3 == 0 { 20 } else { 2000 };
            for _ in 0..moves {
                let i = (rng() % n as u64) as usize;
                // Each lead moves at most once per edit.
                if std::mem::replace(&mut seen[i], true) {
                    continue;
                }
                let (old, o) = leads[i];
                let new = if rng().is_multiple_of(8) {
                    old
                } else {
                    draw(&mut rng, round)
                };
                leads[i].0 = new;
                // Unlabelled leads and unchanged scores are passed too, as
                // not moving: they must leave no trace.
                let moves = o.is_some() && new.to_bits() != old.to_bits();
                movers[(i >= mid) as usize].moved((i, o == Some(true)), moves, (old, new));
            }
            for m in movers {
                m.done();
            }
            let (lo, hi) = d.leaving_mut(mid);
            changes[0].finish(lo, 0);
            changes[1].finish(hi, mid);
            d.apply([&changes[0], &changes[1]]);
            assert_eq!(d.runs(), runs_of(&leads), "round {round}");
            let (n0, n1) = (d.parts[0].others.len(), d.parts[1].others.len());
            assert!(
                n0.max(n1) <= 2 * n0.min(n1) + 8,
                "round {round}: {n0} and {n1}"
            );
            assert!(d.leaving.iter().all(|&w| w == 0), "round {round}");
        }
    }

    #[test]
    fn whole_numbers_are_counted_per_score_and_the_rest_kept_per_lead() {
        for k in [0, 1, -1, 7, -300, SPAN - 1, -(SPAN - 1)] {
            assert_eq!(direct(k as f64), Some((k + SPAN) as usize), "{k}");
        }
        // No score is −0; were one, it would count as the number it equals.
        assert_eq!(direct(-0.0), Some(SPAN as usize));
        let near = |s: f64| {
            [
                f64::from_bits(s.to_bits() - 1),
                f64::from_bits(s.to_bits() + 1),
            ]
        };
        for s in [0.5, -0.5, 4095.5, SPAN as f64, -(SPAN as f64), 1e300]
            .into_iter()
            .chain(near(1.0))
            .chain(near(-7.0))
            .chain([2f64.powi(51) + 1.0, 2f64.powi(53), f64::INFINITY, f64::NAN])
        {
            assert!(direct(s).is_none(), "{s}");
        }
        let d = Domain::build(&[3.0, 3.0, 0.5, -0.5, 0.0], &[Some(true); 5]);
        assert_eq!(d.parts[0].others.len() + d.parts[1].others.len(), 2);
        assert_eq!(
            d.runs(),
            vec![(-0.5, 1, 0), (0.0, 1, 0), (0.5, 1, 0), (3.0, 2, 0)]
        );
    }

    #[test]
    fn the_sort_orders_scores_a_few_last_places_apart() {
        // Scores that share the 26 bits the radix passes look at: a few
        // (the insertion pass orders them) or all (a general sort takes
        // over); with far-off scores so that those bits are the highest.
        let mut rng = xorshift(5);
        for close in [3, 10_000] {
            let mut v: Vec<Other> = (0..20_000u32)
                .map(|t| {
                    let s = match t % 3 {
                        0 if t < 3 * close => f64::from_bits(50f64.to_bits() + rng() % 4096),
                        0 | 1 => (rng() % 10_000) as f64 / 7.0,
                        _ => [-1e300, 1e300, 0.5][(rng() % 3) as usize],
                    };
                    Other::new(s, t as usize, false)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|o| (o.key, o.tag));
            radix_sort(&mut v, &mut Buf::default());
            assert!(v.windows(2).all(|w| w[0].key <= w[1].key), "{close}");
            v.sort_by_key(|o| (o.key, o.tag));
            assert_eq!(v, want, "{close}");
        }
    }

    #[test]
    fn keys_order_as_total_cmp_and_the_sort_agrees_with_a_plain_one() {
        let mut rng = xorshift(3);
        let specials = [
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
        ];
        let mut v: Vec<Other> = (0..5000u32)
            .map(|t| {
                let s = match rng() % 3 {
                    0 => specials[(rng() % specials.len() as u64) as usize],
                    1 => f64::from_bits(rng()),
                    _ => (rng() % 100) as f64 / 3.0,
                };
                Other {
                    key: key(s),
                    tag: t,
                }
            })
            .collect();
        for o in &v {
            assert_eq!(key(score_of(o.key)), o.key);
        }
        let mut want = v.clone();
        want.sort_by(|a, b| score_of(a.key).total_cmp(&score_of(b.key)));
        radix_sort(&mut v, &mut Buf::default());
        let keys = |v: &[Other]| v.iter().map(|o| o.key).collect::<Vec<_>>();
        assert_eq!(keys(&v), keys(&want));
    }
}
