//! Incremental rescoring, for the workbench: keeps the last scoring and
//! recomputes only what an edit changed, reporting each lead it moves to
//! the side that keeps the review ([`Watch`]).
//!
//! The leads an edit can move, and so the only ones rescored and
//! re-tiered:
//! - a rule's points or on/off: the leads it fires on; its group's sums are
//!   re-summed for them from scratch (rules in file order, so every figure
//!   is bit-identical to a fresh scoring), or from partial sums kept from
//!   the last edit of the same rule, or, where only whole numbers are
//!   summed, shifted by the difference;
//! - a group's cap or floor: the leads whose subtotal the old or the new
//!   limit changes;
//! - a gate's cap: the leads it holds for;
//! - the score range: every lead.
//!
//! A tier's minimum re-tiers only the leads scored between its old and new
//! value, a changed requirement every lead (no score changes either way).
//! Anything else (a condition; rules, gates or groups added or removed) is
//! a full rescoring. Each half of the leads is rescored on its own core.
//!
//! - [`edit`]: what an edit changed, and what it asks of the leads;
//! - [`sweep`]: one core's pass over the changed leads;
//! - [`moves`]: how the moved leads are reported.

mod edit;
mod moves;
mod sweep;

pub(crate) use moves::{Moves, Pass, TierMoves, TierPass, Watch};

use super::score::{TierPlan, bounded, finish, gate_caps, group_bounds, group_sums};
use crate::cond::{Bitset, ones};
use crate::engine::Compiled;
use crate::ruleset::Ruleset;
use edit::{Inputs, Kept, Resum, Work, contribution};
use sweep::{LeadRange, Sweep, SweepPass, split_columns, total};

/// The workbench's scoring, kept between edits. One per table; feed it
/// every state of the ruleset in turn.
#[derive(Default)]
pub(crate) struct Rescore {
    inputs: Option<Inputs>,
    /// `raw[g][lead]`: group `g`'s sum before cap and floor. Subtotals and
    /// gate caps are not kept: they are cheaper to recompute for the leads
    /// an edit moves than to stream through memory.
    raw: Vec<Vec<f64>>,
    score: Vec<f64>,
    tier: Vec<u32>,
    /// Partial sums kept for the next edit of the same rule.
    kept: Kept,
}

/// How [`Rescore::rescore`] brought the scores up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rescored {
    /// Every lead scored from scratch: the [`Watch`] was only told the
    /// tiers (afresh), not the scores.
    Afresh,
    /// Only the leads an edit of numbers can move: each was reported.
    Edited,
}

impl Rescore {
    /// Per lead, the score of the last rescoring.
    pub fn score(&self) -> &[f64] {
        &self.score
    }

    /// Per lead, the tier of the last rescoring.
    pub fn tier(&self) -> &[u32] {
        &self.tier
    }

    /// Score `rs` (compiled as `c`), reusing whatever the previous call
    /// computed that the changes did not touch, and report the leads that
    /// moved to `watch`.
    pub fn rescore(&mut self, c: &Compiled, rs: &Ruleset, watch: &mut impl Watch) -> Rescored {
        let now = Inputs::of(c, rs);
        let done = match self.inputs.take() {
            Some(before) if before.same_parts(&now) => {
                self.update(c, rs, &before, &now, watch);
                Rescored::Edited
            }
            _ => {
                self.full(c, rs, watch);
                Rescored::Afresh
            }
        };
        self.inputs = Some(now);
        done
    }

    fn full(&mut self, c: &Compiled, rs: &Ruleset, watch: &mut impl Watch) {
        let n = c.leads;
        self.kept.key = None;
        let bounds = group_bounds(c, rs);
        self.raw = vec![vec![0.0; n]; c.groups.len()];
        for (g, raw) in self.raw.iter_mut().enumerate() {
            group_sums(c, rs, g, raw);
        }
        let gate_cap = gate_caps(c, rs);
        let range = rs.model.score_range;
        let raw = &self.raw;
        self.score = (0..n)
            .map(|i| finish(total(raw, &bounds, i), gate_cap[i], range))
            .collect();
        self.retier(c, rs, None, watch);
    }

    /// Only numbers changed from `before` to `now`: rescore the leads they
    /// can move.
    fn update(
        &mut self,
        c: &Compiled,
        rs: &Ruleset,
        before: &Inputs,
        now: &Inputs,
        watch: &mut impl Watch,
    ) {
        let n = c.leads;
        let mut changed = Bitset::new(n);
        let mut work = Work {
            resum: (0..c.groups.len()).map(|_| Resum::No).collect(),
            bounds: now.limits.clone(),
            prefix: None,
        };
        for (k, (was, is)) in before.rules.iter().zip(&now.rules).enumerate() {
            if was.1 != is.1 || was.2 != is.2 {
                let g = is.3;
                work.resum[g] = match work.resum[g] {
                    Resum::No => Resum::shift(c, rs, k, contribution(was)),
                    _ => Resum::All,
                };
                if let Some(set) = c.rules[k].when.set() {
                    changed.or(&set.t);
                }
            }
        }
        for (g, raw) in self.raw.iter().enumerate() {
            let (was, is) = (before.limits[g], now.limits[g]);
            if was != is {
                changed.or(&Bitset::par_from_fn(n, |i| {
                    bounded(raw[i], was).to_bits() != bounded(raw[i], is).to_bits()
                }));
            }
        }
        let gates_edited: Vec<usize> = (0..now.gates.len())
            .filter(|&k| before.gates[k].1 != now.gates[k].1)
            .collect();
        for k in gates_edited {
            if let Some(set) = c.gates[k].when.set() {
                changed.or(&set.t);
            }
        }
        if before.range != now.range {
            changed = Bitset::ones(n);
        }
        // The one group re-summed from one rule's partial sums, if any.
        let mut resummed = work.resum.iter().enumerate().filter_map(|(g, r)| match r {
            Resum::Shift { rule, resum, .. } if resum.words().iter().any(|&w| w != 0) => {
                Some((g, *rule))
            }
            _ => None,
        });
        let prefix = match (resummed.next(), resummed.next()) {
            (Some((g, k)), None) => {
                let others = (now.rules.iter().enumerate())
                    .filter(|&(r, rule)| rule.3 == g && r != k)
                    .map(|(_, rule)| contribution(rule))
                    .collect();
                Some((g, (k, others)))
            }
            _ => None,
        };
        let same = |key: &(usize, Vec<f64>)| self.kept.key.as_ref() == Some(key);
        work.prefix = prefix.as_ref().map(|(g, key)| (*g, key.0, same(key)));
        if changed.words().iter().any(|&w| w != 0) {
            self.rescore_changed(c, rs, &changed, &work, watch);
            // Kept sums made now replace those kept before; taken ones stay.
            if let Some((_, key)) = prefix {
                self.kept.key = Some(key);
            }
        }
        match before.minimum_bands(now) {
            Some(bands) if bands.is_empty() => {}
            Some(bands) => self.retier(c, rs, Some(&bands), watch),
            None => self.retier(c, rs, None, watch),
        }
    }

    /// Rescore the leads in `changed`, each half of the leads on its own
    /// core, reporting them to `watch`.
    fn rescore_changed(
        &mut self,
        c: &Compiled,
        rs: &Ruleset,
        changed: &Bitset,
        work: &Work,
        watch: &mut impl Watch,
    ) {
        let n = c.leads;
        let mid = (changed.words().len() / 2 * 64).min(n);
        let gates: Vec<(&Bitset, f64)> = rs
            .gates
            .iter()
            .zip(&c.gates)
            .filter_map(|(g, cg)| Some((&cg.when.set()?.t, g.cap)))
            .collect();
        let mut gated = Bitset::new(n);
        for (set, _) in &gates {
            gated.or(set);
        }
        let sweep = Sweep {
            c,
            rs,
            changed,
            work,
            plan: TierPlan::new(c, rs),
            gates,
            gated,
        };
        let (raw_a, raw_b) = split_columns(&mut self.raw, mid);
        let (score_a, score_b) = self.score.split_at_mut(mid);
        let (tier_a, tier_b) = self.tier.split_at_mut(mid);
        let [kept_a, kept_b] = &mut self.kept.sums;
        let range_a = LeadRange {
            base: 0,
            raw: raw_a,
            score: score_a,
            tier: tier_a,
            kept: kept_a,
        };
        let range_b = LeadRange {
            base: mid,
            raw: raw_b,
            score: score_b,
            tier: tier_b,
            kept: kept_b,
        };
        let pass = |leads| SweepPass {
            sweep: &sweep,
            leads,
        };
        watch.rescore([pass(range_a), pass(range_b)]);
    }

    /// Re-tier the leads whose score lies in one of `bands` (a minimum
    /// moved across them), or every lead (`None`: reported afresh).
    fn retier(
        &mut self,
        c: &Compiled,
        rs: &Ruleset,
        bands: Option<&[(f64, f64)]>,
        watch: &mut impl Watch,
    ) {
        let plan = TierPlan::new(c, rs);
        let (score, raw) = (&self.score, &self.raw);
        let limits = group_bounds(c, rs);
        self.tier.resize(c.leads, 0);
        let mid = c.leads / 2;
        let (lo, hi) = self.tier.split_at_mut(mid);
        let pass = |tier, base| RetierPass {
            plan: &plan,
            score,
            raw,
            limits: &limits,
            bands,
            tier,
            base,
        };
        watch.retier(bands.is_none(), [pass(lo, 0), pass(hi, mid)]);
    }
}

/// One core's share of a re-tiering: the leads from `base` whose tiers
/// are in `tier`.
struct RetierPass<'a> {
    plan: &'a TierPlan<'a>,
    score: &'a [f64],
    raw: &'a [Vec<f64>],
    limits: &'a [(f64, f64)],
    /// Only the leads scored in one of these, or all of them (`None`).
    bands: Option<&'a [(f64, f64)]>,
    tier: &'a mut [u32],
    base: usize,
}

impl TierPass for RetierPass<'_> {
    fn run<M: TierMoves>(self, mut moves: M) -> M {
        let RetierPass {
            plan,
            score,
            raw,
            limits,
            bands,
            tier: out,
            base,
        } = self;
        let mut virtuals = vec![0.0; raw.len() + 1];
        let mut visit = |k: usize, t: &mut u32| {
            let (i, s) = (base + k, score[base + k]);
            let sub = |g: usize| bounded(raw[g][i], limits[g]);
            let new = plan.tier(i, s, sub, &mut virtuals);
            let was = std::mem::replace(t, new);
            moves.retiered(i, s, (was, new));
        };
        match bands {
            None => out.iter_mut().enumerate().for_each(|(k, t)| visit(k, t)),
            // 64 leads at a time: a bit mask of those in a band, from
            // vector compares; only they are visited (a minimum moved
            // by one re-tiers a lead in a few hundred).
            Some(bands) => {
                for (w, out) in out.chunks_mut(64).enumerate() {
                    let scores = &score[base + w * 64..][..out.len()];
                    for k in ones(in_bands(scores, bands)) {
                        visit(w * 64 + k, &mut out[k]);
                    }
                }
            }
        }
        moves
    }
}

/// Bit `k` set where `scores[k]` (at most 64) lies in one of `bands`
/// (from, inclusive, to, exclusive).
#[inline]
fn in_bands(scores: &[f64], bands: &[(f64, f64)]) -> u64 {
    (bands.iter()).fold(0, |m, &(from, to)| {
        m | bits(scores, |s| (s >= from) & (s < to))
    })
}

/// Bit `k` set where `holds(scores[k])`, for at most 64 scores. A whole
/// word in eight bytes of eight comparisons each, which compile to vector
/// compares and mask moves. (In a scan's loop this costs a quarter fewer
/// instructions than [`crate::cond::mask`]'s byte per lead and
/// multiplication; among the many masks of a word of moves
/// ([`Moves::rescored_word`]), LLVM keeps only `mask` in vector registers.)
#[inline(always)]
pub(crate) fn bits(scores: &[f64], holds: impl Fn(f64) -> bool) -> u64 {
    let mut m = 0u64;
    let mut bytes = scores.chunks_exact(8);
    for (c, ch) in bytes.by_ref().enumerate() {
        let mut b = 0u8;
        for (k, &s) in ch.iter().enumerate() {
            b |= (holds(s) as u8) << k;
        }
        m |= (b as u64) << (8 * c);
    }
    let done = scores.len() / 8 * 8;
    for (k, &s) in bytes.remainder().iter().enumerate() {
        m |= (holds(s) as u64) << (done + k);
    }
    m
}
