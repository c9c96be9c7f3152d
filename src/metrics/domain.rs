//! The score domain of the labelled leads: every distinct score, with how
//! many converted and not converted leads have it, in ascending order.
//!
//! AUC and bands are read off it in one pass over the distinct scores, not
//! over a million sorted leads; an edit moves only the leads whose score
//! changed. It keeps the two kinds of score a model gives apart:
//! - whole-number scores near zero (every score of a model without decay,
//!   and most of any other): a count per score, in an array small enough to
//!   stay in the processor's cache, so a move is two counters;
//! - every other score (those with a decayed contribution, nearly one per
//!   lead): listed, one element per lead, in ascending order, in two halves
//!   split at a score. An edit's arrivals are sorted, on each core its own
//!   ([`super::moves`]); each core then merges one half (where the halves
//!   meet is picked per edit, so that both have as much to do) with the
//!   elements that stay, in one pass.
//!
//! Leads carry no entry ids, and nothing is looked up per move: a moved
//! lead's old score says which kind it leaves, its new score which kind it
//! joins.

use super::buf::Buf;
use super::moves::Changes;
use super::radix::radix_sort;

/// A run of labelled leads with one score: (score, converted, not
/// converted).
pub type Run = (f64, u64, u64);

/// The whole-number scores counted per score are those of magnitude below
/// `SPAN`.
pub(super) const SPAN: i64 = 4096;

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
pub(super) fn direct(s: f64) -> Option<usize> {
    const ROUND: f64 = (3u64 << 51) as f64;
    let r = s + ROUND;
    let whole = r - ROUND == s;
    let k = r.to_bits().wrapping_sub(ROUND.to_bits()) as i64;
    (whole & (s.abs() < SPAN as f64)).then_some((k + SPAN) as usize)
}

/// `s` as a number whose unsigned order is [`f64::total_cmp`]'s.
#[inline]
pub(super) fn key(s: f64) -> u64 {
    let b = s.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// The score of a [`key`].
#[inline]
pub(super) fn score_of(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// A labelled lead with a score not counted per score.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Listed {
    pub(super) key: u64,
    /// lead << 1 | converted.
    pub(super) tag: u32,
}

impl Listed {
    #[inline]
    pub(super) fn new(score: f64, lead: usize, converted: bool) -> Listed {
        Listed {
            key: key(score),
            tag: (lead as u32) << 1 | converted as u32,
        }
    }

    #[inline]
    pub(super) fn lead(self) -> usize {
        (self.tag >> 1) as usize
    }

    #[inline]
    pub(super) fn converted(self) -> bool {
        self.tag & 1 == 1
    }
}

/// Per whole-number score: (converted, not converted).
pub(super) type Counts<T> = Vec<[T; 2]>;

#[derive(Default)]
pub(crate) struct Domain {
    /// At `k`: the leads with score `k − SPAN`; empty until built.
    ints: Counts<u32>,
    /// The listed labelled leads, in two halves, each updated on its own core:
    /// every score of the first is below every score of the second.
    halves: [Half; 2],
    /// Per lead, one bit: leaving the listed leads in the edit being
    /// applied. Set by the cores that rescore, cleared when applied.
    leaving: Vec<u64>,
}

/// Labelled leads ascending by score (then in no set order), and what the
/// half's core makes from them.
#[derive(Default)]
struct Half {
    listed: Buf<Listed>,
    merged: Merged,
}

/// What a half's core writes while the listed leads are read (by both
/// cores: an edit may hand a few of one half's leads to the other), kept for the
/// next edit's merges.
#[derive(Default)]
struct Merged {
    /// The runs of the half's leads, with the whole-number scores counted
    /// per score in the half's range merged in.
    runs: Buf<Run>,
    /// The half's leads after an update, to be swapped in.
    next: Buf<Listed>,
    arriving: Buf<Listed>,
    staying: Buf<Listed>,
}

impl Merged {
    /// Into `next`: the leads of `old` (two ascending slices, every score
    /// of the second above the first's) but those marked `leaving`, merged
    /// with `a` and `b` (ascending).
    ///
    /// The leavers are dropped first, in a pass of their own: a broad edit
    /// moves most of the listed leads, and the merge, whose every step
    /// waits on the last, then steps only over the leads that stay.
    fn update(&mut self, old: [&[Listed]; 2], leaving: &[u64], a: &[Listed], b: &[Listed]) {
        merge(a, b, &mut self.arriving);
        let stays = |o: Listed| leaving[o.lead() / 64] >> (o.lead() % 64) & 1 == 0;
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

/// Into `runs` (its contents replaced): the runs of `listed` (ascending)
/// and of the per-score counts `ints`, the first of which is at index
/// `first` of [`Domain::ints`], in one ascending list.
fn make_runs(listed: &[Listed], ints: &[[u32; 2]], first: usize, list: &mut Buf<Run>) {
    // Room for every run, so that the runs of a stretch of listed leads are
    // written without a test of the room left.
    let runs = list.room(listed.len() + ints.len());
    let (mut w, mut rest) = (0, listed);
    for (k, n) in (first..).zip(ints).filter(|(_, n)| n[0] + n[1] > 0) {
        let s = (k as i64 - SPAN) as f64;
        // No whole-number score counted per score is among the listed leads.
        let below = rest.partition_point(|o| o.key < key(s));
        w += count_runs(&rest[..below], &mut runs[w..]);
        runs[w] = (s, n[0] as u64, n[1] as u64);
        w += 1;
        rest = &rest[below..];
    }
    w += count_runs(rest, &mut runs[w..]);
    list.keep(w);
}

/// Into the start of `out` (at least as long): the runs of `listed` (leads
/// with one score are next to each other); returns how many. Without
/// branches: whether the next lead starts a run is anyone's guess. Each
/// lead writes its run's counts so far, over the last.
fn count_runs(listed: &[Listed], out: &mut [Run]) -> usize {
    let Some(first) = listed.first() else {
        return 0;
    };
    let out = &mut out[..listed.len()];
    // The counts in two registers (not an array indexed by the outcome,
    // which would go through memory).
    let (mut r, mut last, mut p, mut n) = (0, first.key, 0u64, 0u64);
    for o in listed {
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

/// Where the two halves meet for an edit: a place in `lo` followed by `hi`,
/// at the first lead of a score, with about as many leads and arrivals
/// (`a`, `b`) below it as above. An edit's arrivals crowd one side (a `+1`
/// moves leads up), and each core merges one half.
fn meeting(lo: &[Listed], hi: &[Listed], a: &[Listed], b: &[Listed]) -> usize {
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

/// How many of the per-score counts `ints` go with the first half: those
/// of the scores below `pivot` (the second half's first score), or all.
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
    lo: &'a [Listed],
    hi: &'a [Listed],
    at: usize,
) -> ([&'a [Listed]; 2], [&'a [Listed]; 2]) {
    match at <= lo.len() {
        true => ([&lo[..at], &[]], [&lo[at..], hi]),
        false => ([lo, &hi[..at - lo.len()]], [&hi[at - lo.len()..], &[]]),
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
        let mut listed = vec![];
        for (i, (&s, o)) in score.iter().zip(outcome).enumerate() {
            let Some(converted) = *o else { continue };
            match direct(s) {
                Some(k) => d.ints[k][!converted as usize] += 1,
                None => listed.push(Listed::new(s, i, converted)),
            }
        }
        radix_sort(&mut listed, &mut Buf::default());
        d.halves[0].listed = listed.into();
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
        let [lo, hi] = &mut self.halves;
        let at = match moved {
            true => meeting(&lo.listed, &hi.listed, a_in, b_in),
            false => lo.listed.len(),
        };
        let (old_lo, old_hi) = split_at(&lo.listed, &hi.listed, at);
        // Arrivals (and whole-number scores) below the second half's first
        // score go with the first half.
        let pivot = old_hi.iter().find_map(|o| o.first()).map(|o| o.key);
        let split = |v: &[Listed]| pivot.map_or(v.len(), |p| v.partition_point(|o| o.key < p));
        let (qa, qb) = (split(a_in), split(b_in));
        let cut = ints_cut(&self.ints, pivot);
        let (leaving, ints) = (&self.leaving, &self.ints);
        let (lo_merged, hi_merged) = (&mut lo.merged, &mut hi.merged);
        let (lo_listed, hi_listed) = (&lo.listed, &hi.listed);
        let half = |merged: &mut Merged,
                    old: [&[Listed]; 2],
                    listed: &[Listed],
                    arriving: [&[Listed]; 2],
                    ints: &[[u32; 2]],
                    first: usize| {
            if moved {
                merged.update(old, leaving, arriving[0], arriving[1]);
            }
            let listed = if moved { &merged.next[..] } else { listed };
            make_runs(listed, ints, first, &mut merged.runs);
        };
        rayon::join(
            || {
                half(
                    lo_merged,
                    old_lo,
                    lo_listed,
                    [&a_in[..qa], &b_in[..qb]],
                    &ints[..cut],
                    0,
                )
            },
            || {
                half(
                    hi_merged,
                    old_hi,
                    hi_listed,
                    [&a_in[qa..], &b_in[qb..]],
                    &ints[cut..],
                    cut,
                )
            },
        );
        if moved {
            for h in &mut self.halves {
                std::mem::swap(&mut h.listed, &mut h.merged.next);
            }
        }
        if left > 0 {
            self.leaving.fill(0);
        }
        // Unit tests balance early, so that they see it happen.
        const SLACK: usize = if cfg!(test) { 8 } else { 4096 };
        let (n0, n1) = (self.halves[0].listed.len(), self.halves[1].listed.len());
        if n0.max(n1) > 2 * n0.min(n1) + SLACK {
            self.balance();
        }
    }

    /// Split the listed leads into two halves of about the same size, at a
    /// change of score.
    fn balance(&mut self) {
        let [lo, hi] = &mut self.halves;
        let mut all = [&lo.listed[..], &hi.listed[..]].concat();
        let at = match all.get(all.len() / 2).map(|o| o.key) {
            Some(mid) => match all.partition_point(|o| o.key < mid) {
                0 => all.partition_point(|o| o.key <= mid),
                below => below,
            },
            None => 0,
        };
        hi.listed = all.split_off(at).into();
        lo.listed = all.into();
        let cut = ints_cut(&self.ints, hi.listed.first().map(|o| o.key));
        make_runs(&lo.listed, &self.ints[..cut], 0, &mut lo.merged.runs);
        make_runs(&hi.listed, &self.ints[cut..], cut, &mut hi.merged.runs);
    }

    /// The scores that leads have, ascending, with their counts: the
    /// first half's, then the second's (each merged on its own core; not
    /// copied into one).
    pub fn runs_halves(&self) -> [&[Run]; 2] {
        [&self.halves[0].merged.runs, &self.halves[1].merged.runs]
    }

    #[cfg(test)]
    fn runs(&self) -> Vec<Run> {
        self.runs_halves().concat()
    }
}

/// Into `out` (its contents replaced): ascending `a` and `b` merged.
/// Without branches: which of two heads is the lower is anyone's guess.
fn merge(a: &[Listed], b: &[Listed], out: &mut Buf<Listed>) {
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
            // Whole numbers among the listed leads' scores, so on both sides of
            // the halves' split.
            1 if rng().is_multiple_of(2) => (rng() % SPAN as u64) as f64,
            1 => (rng() % 40 + drift) as f64 * 0.5,
            2 => (rng() % 1_000_000) as f64 / 7.0 + drift as f64,
            _ => [SPAN as f64, -(SPAN as f64), 1e300, -0.25][(rng() % 4) as usize],
        }
    }

    #[test]
    fn the_halves_meet_between_two_scores() {
        // Most leads share one score, so the middle of the leads and
        // arrivals falls among them: the halves must still meet where the
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
            let last = d.halves[0].listed.last().map(|o| o.key);
            assert!(
                d.halves[1].listed.first().map(|o| o.key) > last,
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
        // Each half of the leads on its own core, as the live review does.
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
            let (n0, n1) = (d.halves[0].listed.len(), d.halves[1].listed.len());
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
        assert_eq!(d.halves[0].listed.len() + d.halves[1].listed.len(), 2);
        assert_eq!(
            d.runs(),
            vec![(-0.5, 1, 0), (0.0, 1, 0), (0.5, 1, 0), (3.0, 2, 0)]
        );
    }
}
