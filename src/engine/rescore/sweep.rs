//! One core's sweep over the changed leads of an edit: their groups' sums
//! brought up to date, then their scores and tiers, each reported to the
//! [`Moves`] as it changes.
//!
//! Where most of a 64-lead word changed, its scores and tiers are computed
//! for the whole word at once. The sums are brought up to date a tile of
//! words at a time, so that what they write the rescoring reads from the
//! cache.

use super::edit::{Resum, Work};
use super::moves::{Moves, Pass};
use crate::cond::{Bitset, ones};
use crate::engine::Compiled;
use crate::engine::score::{Prefix, TierPlan, bounded, finish, group_sums_in, raw_total};
use crate::ruleset::Ruleset;

/// One core's range of leads, from lead `base` (a multiple of 64): every
/// slice starts at that lead.
pub(super) struct LeadRange<'a> {
    pub base: usize,
    pub raw: Vec<&'a mut [f64]>,
    pub score: &'a mut [f64],
    pub tier: &'a mut [u32],
    /// This range's [`super::edit::Kept`] sums.
    pub kept: &'a mut Vec<f64>,
}

/// What a sweep of the changed leads reads, shared by both cores.
pub(super) struct Sweep<'a> {
    pub c: &'a Compiled,
    pub rs: &'a Ruleset,
    pub changed: &'a Bitset,
    pub work: &'a Work,
    pub plan: TierPlan<'a>,
    /// Per gate: the leads it holds for, its cap.
    pub gates: Vec<(&'a Bitset, f64)>,
    /// The leads any gate holds for.
    pub gated: Bitset,
}

/// A [`Sweep`] of one core's [`LeadRange`].
pub(super) struct SweepPass<'a> {
    pub sweep: &'a Sweep<'a>,
    pub leads: LeadRange<'a>,
}

impl Pass for SweepPass<'_> {
    fn leads(&self) -> std::ops::Range<usize> {
        self.leads.base..self.leads.base + self.leads.score.len()
    }

    fn most(&self) -> usize {
        let words = self.leads.base / 64..self.leads().end.div_ceil(64);
        let changed = self.sweep.changed.words()[words].iter();
        changed.map(|w| w.count_ones() as usize).sum()
    }

    // Inlined (one caller), so that `moves` is a local of the caller's
    // and what it counts stays in registers.
    #[inline(always)]
    fn run<M: Moves>(self, moves: M) -> M {
        self.sweep.run(self.leads, moves)
    }
}

impl Sweep<'_> {
    /// Rescore the changed leads of `p`, reporting each to `moves`.
    #[inline(always)]
    fn run<M: Moves>(&self, p: LeadRange, mut moves: M) -> M {
        let LeadRange {
            base,
            mut raw,
            score,
            tier,
            kept,
        } = p;
        if let Some((_, _, false)) = self.work.prefix {
            kept.clear();
        }
        // How many of the kept sums were taken.
        let mut taken = 0;
        let words = base / 64..(base + score.len()).div_ceil(64);
        let mut virtuals = vec![0.0; raw.len() + 1];
        // Tile by tile, so that what the sums write the rescoring reads from
        // the cache.
        const TILE: usize = 1024;
        for start in words.clone().step_by(TILE) {
            let tile = start..(start + TILE).min(words.end);
            let at = (tile.start - words.start) * 64;
            for (g, raw) in raw.iter_mut().enumerate() {
                self.resum(g, &mut raw[at..], tile.clone(), kept, &mut taken);
            }
            let mut word = Word::default();
            let tile = &self.changed.words()[tile];
            for (w, &m) in tile.iter().enumerate() {
                let first = at + w * 64;
                if w % AHEAD == 0 {
                    let next = (w + AHEAD).min(tile.len())..(w + 2 * AHEAD).min(tile.len());
                    touch(&tile[next], first + AHEAD * 64, &raw, score, tier);
                }
                // Where most of a word's leads changed, their scores and
                // tiers at once (in vector registers) cost less than one by
                // one.
                let dense = m.count_ones() >= DENSE;
                let caps = self.gate_caps(base + first, m);
                if dense {
                    let n = (score.len() - first).min(64);
                    self.rescore_word(
                        base + first,
                        &caps,
                        &raw,
                        first,
                        n,
                        &mut word,
                        &mut virtuals,
                    );
                    if n == 64 && m.count_ones() >= SETTLED {
                        let at = first..first + 64;
                        let score = (&mut score[at.clone()]).try_into().unwrap();
                        let tier = (&mut tier[at]).try_into().unwrap();
                        store_word(base + first, m, (score, tier, &word), &mut moves);
                        continue;
                    }
                }
                for k in ones(m) {
                    let i = first + k;
                    let (new, t) = if dense {
                        (word.score[k], word.tier[k])
                    } else {
                        self.rescore_lead(base + i, caps[k], i, &raw, &mut virtuals)
                    };
                    let old = std::mem::replace(&mut score[i], new);
                    let was = std::mem::replace(&mut tier[i], t);
                    moves.rescored(base + i, (old, new), (was, t));
                }
            }
        }
        moves
    }

    /// Bring group `g`'s sums before cap and floor up to date for the leads
    /// of the bitset words `tile`; `raw` starts at the tile's first lead.
    /// `kept`: the range's [`super::edit::Kept`] sums, of which `taken` are
    /// taken.
    fn resum(
        &self,
        g: usize,
        raw: &mut [f64],
        tile: std::ops::Range<usize>,
        kept: &mut Vec<f64>,
        taken: &mut usize,
    ) {
        match &self.work.resum[g] {
            Resum::No => {}
            Resum::All => group_sums_in(self.c, self.rs, g, raw, self.changed, tile, Prefix::None),
            Resum::Shift {
                by, shift, resum, ..
            } => {
                for (w, &m) in shift.words()[tile.clone()].iter().enumerate() {
                    for k in ones(m) {
                        raw[w * 64 + k] += by;
                    }
                }
                let prefix = match self.work.prefix {
                    Some((pg, rule, true)) if pg == g => Prefix::Take {
                        rule,
                        kept,
                        at: taken,
                    },
                    Some((pg, rule, false)) if pg == g => Prefix::Keep { rule, kept },
                    _ => Prefix::None,
                };
                group_sums_in(self.c, self.rs, g, raw, resum, tile, prefix);
            }
        }
    }

    /// The gates' caps of the 64 leads from `lead` (a multiple of 64), for
    /// those in `changed` (∞ for the others, and where no gate holds).
    #[inline(always)]
    fn gate_caps(&self, lead: usize, changed: u64) -> [f64; 64] {
        let mut caps = [f64::INFINITY; 64];
        let held = self.gated.words()[lead / 64] & changed;
        if held != 0 {
            for (set, cap) in &self.gates {
                for k in ones(set.words()[lead / 64] & held) {
                    caps[k] = caps[k].min(*cap);
                }
            }
        }
        caps
    }

    /// Lead `lead`'s score and tier (steps 2 to 6) from its sums, at `i`
    /// in `raw`, and its gates' cap.
    #[inline(always)]
    fn rescore_lead(
        &self,
        lead: usize,
        gate_cap: f64,
        i: usize,
        raw: &[&mut [f64]],
        virtuals: &mut [f64],
    ) -> (f64, u32) {
        let bounds = &self.work.bounds;
        let new = finish(total(raw, bounds, i), gate_cap, self.rs.model.score_range);
        let sub = |g: usize| bounded(raw[g][i], bounds[g]);
        (new, self.plan.tier(lead, new, sub, virtuals))
    }

    /// [`Sweep::rescore_lead`] of the `n` leads from `lead` (a multiple of
    /// 64), at `i` in `raw`, with their gates' `caps`, at once into `out`.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn rescore_word(
        &self,
        lead: usize,
        caps: &[f64; 64],
        raw: &[&mut [f64]],
        i: usize,
        n: usize,
        out: &mut Word,
        virtuals: &mut [f64],
    ) {
        let bounds = &self.work.bounds;
        word_totals(raw, bounds, i, &mut out.score);
        let range = self.rs.model.score_range;
        for (s, &cap) in out.score.iter_mut().zip(caps) {
            *s = finish(*s, cap, range);
        }
        let sub = |g: usize, sub: &mut [f64]| {
            for (s, &x) in sub.iter_mut().zip(&raw[g][i..]) {
                *s = bounded(x, bounds[g]);
            }
        };
        self.plan
            .tiers(lead, &out.score[..n], sub, virtuals, &mut out.tier);
    }
}

/// Report the word of the 64 leads from `lead` (a multiple of 64), of
/// which `m` changed, to `moves`, then bring their scores and tiers in
/// `score` and `tier` to those in `word`. Whole words at once: the moves
/// can be read off in vector registers.
#[inline(always)]
fn store_word(
    lead: usize,
    m: u64,
    (score, tier, word): (&mut [f64; 64], &mut [u32; 64], &Word),
    moves: &mut impl Moves,
) {
    moves.rescored_word(lead, m, (score, &word.score), (tier, &word.tier));
    for k in ones(m) {
        score[k] = word.score[k];
        tier[k] = word.tier[k];
    }
}

/// From how many changed leads of 64 a word's scores and tiers are
/// computed at once.
const DENSE: u32 = 12;

/// From how many changed leads of 64 a word's moves are reported at once
/// ([`Moves::rescored_word`]): below half a word, visiting the changed
/// leads one by one costs less than the word's masks (measured: a third
/// changed, 0.3 ms per core slower at once; four fifths, 0.5 ms faster).
const SETTLED: u32 = 32;

/// How many words ahead of the rescoring [`touch`] reads, and how many
/// at a time.
const AHEAD: usize = 8;

/// Read the sums, score and tier of the changed leads of the sparse words
/// `words` (of the rescored part, the first from lead `first` of its
/// slices), so that they are in the cache when rescored. A lead of a word
/// where few changed is a cache miss in every column; rescored one by one,
/// each lead waits for its own. Read here, in a loop of independent reads
/// a few hundred leads ahead, they are fetched many at a time (the gate
/// edit's rescoring loop: 2.3 -> 1.55 ms per core). Dense words are read
/// in order, which the processor prefetches by itself.
#[inline(never)]
fn touch(words: &[u64], first: usize, raw: &[&mut [f64]], score: &[f64], tier: &[u32]) {
    let mut seen = 0u64;
    for (w, &m) in words.iter().enumerate() {
        if m.count_ones() >= DENSE {
            continue;
        }
        for k in ones(m) {
            let i = first + w * 64 + k;
            for col in raw {
                seen |= col[i].to_bits();
            }
            seen |= score[i].to_bits() | tier[i] as u64;
        }
    }
    std::hint::black_box(seen);
}

/// The scores and tiers of a word's 64 leads.
struct Word {
    score: [f64; 64],
    tier: [u32; 64],
}

impl Default for Word {
    fn default() -> Word {
        Word {
            score: [0.0; 64],
            tier: [0; 64],
        }
    }
}

/// [`raw_total`] of lead `i`, from its groups' sums in `raw`.
#[inline]
pub(super) fn total<C: AsRef<[f64]>>(raw: &[C], bounds: &[(f64, f64)], i: usize) -> f64 {
    raw_total(raw.iter().map(|r| r.as_ref()[i]), bounds)
}

/// [`total`] for the 64 leads from `first` (fewer at the end of `raw`), in
/// `out`: the same additions in the same order, so the same bits.
fn word_totals<C: AsRef<[f64]>>(
    raw: &[C],
    bounds: &[(f64, f64)],
    first: usize,
    out: &mut [f64; 64],
) {
    *out = [0.0; 64];
    for (col, &b) in raw.iter().zip(bounds) {
        let col = &col.as_ref()[first..];
        for (t, &x) in out.iter_mut().zip(col) {
            *t += bounded(x, b);
        }
    }
}

/// Split every column at lead `mid`.
pub(super) fn split_columns(
    cols: &mut [Vec<f64>],
    mid: usize,
) -> (Vec<&mut [f64]>, Vec<&mut [f64]>) {
    cols.iter_mut().map(|c| c.split_at_mut(mid)).unzip()
}
