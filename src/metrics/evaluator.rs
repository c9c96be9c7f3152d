//! The workbench's rescoring: keeps the last scoring and recomputes only what
//! an edit changed, so an edit at a million leads stays well inside a frame.
//!
//! What changed is found by comparing the ruleset's numbers and the compiled
//! parts (by identity) with those of the previous call. The leads an edit
//! can move, and so the only ones rescored and re-tiered:
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
//! value, a changed requirement every lead (no score changes either way);
//! bands and the qualified tier only change the summary. Anything else (a
//! condition; rules, gates or groups added or removed) is a full rescoring.
//!
//! Where most of a 64-lead word changed, its scores and tiers are computed
//! for the whole word at once.
//!
//! No lead order is sorted per edit: AUC and bands are read off the
//! labelled leads' score domain ([`Domain`], which sorts only the moved
//! leads' new scores that are not whole numbers; tallied per half on both
//! cores), the tier table from counts moved lead by lead, the misclassified
//! leads from a scan beyond a threshold ([`super::misclassified`]), skipped
//! when no changed lead is among those the last lists were read from. The
//! figures are those of [`super::review`] without segments, assembled by
//! the same [`super::assemble`].

use super::domain::{Changes, Domain, Mover};
use super::{
    Misclassified, Review, RuleEvidence, Sides, Tally, TierCounts, assemble, base_rate, bits,
    created_weeks, misclassified, outcome_of, rule_evidence_of,
};
use crate::cond::{Bitset, mask, ones};
use crate::data::LeadTable;
use crate::engine::{
    Compiled, CompiledGate, CompiledRule, CompiledTier, Prefix, TierPlan, bounded, finish,
    gate_caps, group_bounds, group_sums, group_sums_in, raw_total,
};
use crate::ruleset::Ruleset;
use std::sync::Arc;

/// What the last evaluation was computed from. Compiled parts are held
/// (not just their addresses), so a freed part can never be mistaken for a
/// new one at the same address.
#[derive(Clone)]
struct Inputs {
    leads: usize,
    /// Per rule: compiled part, points, on/off, group.
    rules: Vec<(Arc<CompiledRule>, f64, bool, usize)>,
    groups: Vec<String>,
    /// Per group: cap and floor as [`crate::engine::bounds`].
    limits: Vec<(f64, f64)>,
    /// Per gate: compiled part, cap.
    gates: Vec<(Arc<CompiledGate>, f64)>,
    range: (f64, f64),
    /// Per tier: compiled requirement, minimum.
    tiers: Vec<(Arc<CompiledTier>, Option<f64>)>,
}

impl Inputs {
    fn of(c: &Compiled, rs: &Ruleset) -> Inputs {
        Inputs {
            leads: c.leads,
            rules: rs
                .rules
                .iter()
                .zip(&c.rules)
                .zip(&c.rule_group)
                .map(|((r, cr), &g)| (cr.clone(), r.points, r.enabled, g))
                .collect(),
            groups: c.groups.clone(),
            limits: group_bounds(c, rs),
            gates: rs
                .gates
                .iter()
                .zip(&c.gates)
                .map(|(g, cg)| (cg.clone(), g.cap))
                .collect(),
            range: rs.model.score_range,
            tiers: rs
                .tiers
                .iter()
                .zip(&c.tiers)
                .map(|(t, ct)| (ct.clone(), t.min))
                .collect(),
        }
    }

    /// The same leads, groups, rules (in the same groups) and gates: what
    /// changed, if anything, are numbers.
    fn same_parts(&self, o: &Inputs) -> bool {
        self.leads == o.leads
            && self.groups == o.groups
            && self.gates.len() == o.gates.len()
            && self
                .gates
                .iter()
                .zip(&o.gates)
                .all(|(a, b)| Arc::ptr_eq(&a.0, &b.0))
            && self.rules.len() == o.rules.len()
            && self
                .rules
                .iter()
                .zip(&o.rules)
                .all(|(a, b)| Arc::ptr_eq(&a.0, &b.0) && a.3 == b.3)
    }

    /// With the same tier requirements, the scores whose tier a change of
    /// minimums can change: per changed minimum, from the lower of old and
    /// new (inclusive) to the higher (exclusive). `None` when requirements
    /// changed.
    fn minimum_bands(&self, o: &Inputs) -> Option<Vec<(f64, f64)>> {
        let same = self.tiers.len() == o.tiers.len()
            && self
                .tiers
                .iter()
                .zip(&o.tiers)
                .all(|(a, b)| Arc::ptr_eq(&a.0, &b.0));
        same.then(|| {
            let min = |m: Option<f64>| m.unwrap_or(f64::NEG_INFINITY);
            self.tiers
                .iter()
                .zip(&o.tiers)
                .filter(|(a, b)| a.1 != b.1)
                .map(|(a, b)| (min(a.1).min(min(b.1)), min(a.1).max(min(b.1))))
                .collect()
        })
    }
}

/// The figures of one evaluation.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub review: Review,
    /// Per rule, in ruleset order.
    pub evidence: Vec<RuleEvidence>,
}

/// Incremental rescoring state. One per table; feed it every state of the
/// ruleset in turn.
#[derive(Default)]
pub struct Evaluator {
    inputs: Option<Inputs>,
    /// How many false positives and negatives to keep.
    top: usize,
    /// `raw[g][lead]`: group `g`'s sum before cap and floor. Subtotals and
    /// gate caps are not kept: they are cheaper to recompute for the leads
    /// an edit moves than to stream through memory.
    raw: Vec<Vec<f64>>,
    score: Vec<f64>,
    tier: Vec<u32>,
    domain: Domain,
    counts: TierCounts,
    weeks: Option<f64>,
    /// Per rule: compiled part and its evidence.
    evidence: Vec<(Arc<CompiledRule>, RuleEvidence)>,
    /// Per thread, kept between edits: the domain's changes.
    changes: [Changes; 2],
    /// The last misclassified lists, and the qualified tier they are for.
    wrong: Option<(Misclassified, Option<usize>)>,
    /// The leads of each outcome, per word of leads.
    sides: Sides,
    /// Partial sums kept for the next edit of the same rule.
    kept: Kept,
}

/// For the leads a points edit re-sums from the rules (their group has a
/// decayed contribution), each lead's partial sum before the edited rule,
/// per core (leads ascending), and what they were summed from: the rule,
/// and the contributions of its group's other rules. The next edit of that
/// rule, with nothing else in the group changed, starts from them: a
/// meeting presses `+` on one rule several times.
#[derive(Default)]
struct Kept {
    key: Option<(usize, Vec<f64>)>,
    sums: [Vec<f64>; 2],
}

impl Evaluator {
    /// `top`: how many false positives and negatives to keep.
    pub fn new(top: usize) -> Evaluator {
        Evaluator {
            top,
            ..Evaluator::default()
        }
    }

    /// Per lead, the score of the last evaluation.
    pub fn score(&self) -> &[f64] {
        &self.score
    }

    /// Per lead, the tier of the last evaluation.
    pub fn tier(&self) -> &[u32] {
        &self.tier
    }

    /// Score `rs` (compiled as `c` against `table`) and review it, reusing
    /// whatever the previous call computed that the changes did not touch.
    pub fn evaluate(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Evaluation {
        super::pool().install(|| self.evaluate_here(c, rs, table))
    }

    fn evaluate_here(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Evaluation {
        let now = Inputs::of(c, rs);
        let kept = match self.inputs.take() {
            Some(before) if before.same_parts(&now) => self.update(c, rs, table, &before, &now),
            _ => {
                self.full(c, rs, table);
                false
            }
        };
        self.inputs = Some(now);
        let runs = self.domain.runs_parts();
        let q = rs.qualified_index();
        let wrong = match self.wrong.take() {
            Some((w, for_q)) if kept && for_q == q => w,
            _ => misclassified(runs, &self.score, &self.tier, &self.sides, q, self.top),
        };
        let lists = wrong.lists.clone();
        self.wrong = Some((wrong, q));
        // Each part's scores on its own core.
        let edges = &rs.review.bands;
        let (lower, upper) =
            rayon::join(|| Tally::of(runs[0], edges), || Tally::of(runs[1], edges));
        let tally = lower.then(&upper);
        let review = assemble(rs, c.leads, &self.counts, &tally, lists, self.weeks);
        Evaluation {
            review,
            evidence: self.evidence(c, rs, table),
        }
    }

    fn full(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable) {
        let n = c.leads;
        self.kept.key = None;
        self.sides = Sides::of(&table.outcome, n);
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
        self.retier(c, rs, table, None);
        self.domain = Domain::build(&self.score, &table.outcome);
        self.weeks = created_weeks(table);
    }

    /// Only numbers changed from `before` to `now`: rescore the leads they
    /// can move. Returns whether the last misclassified lists still hold
    /// (no lead where they were read from changed).
    fn update(
        &mut self,
        c: &Compiled,
        rs: &Ruleset,
        table: &LeadTable,
        before: &Inputs,
        now: &Inputs,
    ) -> bool {
        let n = c.leads;
        let mut changed = Bitset::new(n);
        let mut work = Work {
            resum: (0..c.groups.len()).map(|_| Resum::No).collect(),
            bounds: now.limits.clone(),
            reads: self.wrong.as_ref().map(|(w, _)| w.clone()),
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
        let mut kept = true;
        if changed.words().iter().any(|&w| w != 0) {
            kept = self.rescore(c, rs, table, &changed, &work);
            // Kept sums made now replace those kept before; taken ones stay.
            if let Some((_, key)) = prefix {
                self.kept.key = Some(key);
            }
        }
        match before.minimum_bands(now) {
            Some(bands) if bands.is_empty() => kept,
            Some(bands) => self.retier(c, rs, table, Some(&bands)) && kept,
            None => {
                self.retier(c, rs, table, None);
                false
            }
        }
    }

    /// Rescore the leads in `changed`, each half of the leads on its own
    /// core, and move them in the domain and the tier counts.
    fn rescore(
        &mut self,
        c: &Compiled,
        rs: &Ruleset,
        table: &LeadTable,
        changed: &Bitset,
        work: &Work,
    ) -> bool {
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
        let ctx = Rescore {
            c,
            rs,
            outcome: &table.outcome,
            changed,
            work,
            plan: TierPlan::new(c, rs),
            gates,
            gated,
            sides: &self.sides,
        };
        let (raw_a, raw_b) = split_columns(&mut self.raw, mid);
        let (score_a, score_b) = self.score.split_at_mut(mid);
        let (tier_a, tier_b) = self.tier.split_at_mut(mid);
        let [changes_a, changes_b] = &mut self.changes;
        let [kept_a, kept_b] = &mut self.kept.sums;
        let (leaving_a, leaving_b) = self.domain.leaving_mut(mid);
        let part_a = Part {
            base: 0,
            raw: raw_a,
            score: score_a,
            tier: tier_a,
            changes: changes_a,
            leaving: leaving_a,
            kept: kept_a,
        };
        let part_b = Part {
            base: mid,
            raw: raw_b,
            score: score_b,
            tier: tier_b,
            changes: changes_b,
            leaving: leaving_b,
            kept: kept_b,
        };
        let (moved_a, moved_b) = rayon::join(|| ctx.run(part_a), || ctx.run(part_b));
        let [a, b] = &self.changes;
        self.domain.apply([a, b]);
        self.counts.merge(&moved_a.counts);
        self.counts.merge(&moved_b.counts);
        !moved_a.touched && !moved_b.touched
    }

    /// Re-tier the leads whose score lies in one of `bands` (a minimum
    /// moved across them), or every lead (`None`), and bring the tier counts
    /// up to date. Returns whether the last misclassified lists still hold.
    fn retier(
        &mut self,
        c: &Compiled,
        rs: &Ruleset,
        table: &LeadTable,
        bands: Option<&[(f64, f64)]>,
    ) -> bool {
        let plan = TierPlan::new(c, rs);
        let (score, raw, outcome) = (&self.score, &self.raw, &table.outcome);
        let limits = group_bounds(c, rs);
        let tiers = rs.tiers.len();
        let reads = self.wrong.as_ref().map(|(w, _)| w);
        self.tier.resize(c.leads, 0);
        let mid = c.leads / 2;
        let (lo, hi) = self.tier.split_at_mut(mid);
        // Per half: the counts of the leads re-tiered (all of them, or the
        // moves), and whether one is where the lists were read from.
        let retier = |out: &mut [u32], base: usize| {
            let mut virtuals = vec![0.0; raw.len() + 1];
            let mut counts = TierCounts::new(tiers);
            let mut touched = false;
            let mut visit = |k: usize, t: &mut u32| {
                let (i, s) = (base + k, score[base + k]);
                let sub = |g: usize| bounded(raw[g][i], limits[g]);
                let new = plan.tier(i, s, sub, &mut virtuals);
                let was = std::mem::replace(t, new);
                let won = outcome_of(outcome, i);
                if bands.is_none() {
                    counts.add(new, won, 1);
                } else if counts.moved(was, new, won) {
                    touched |= reads.is_none_or(|w| w.reads(won, s));
                }
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
            (counts, touched)
        };
        let ((mut a, touched_a), (b, touched_b)) =
            rayon::join(|| retier(lo, 0), || retier(hi, mid));
        a.merge(&b);
        match bands {
            Some(_) => self.counts.merge(&a),
            None => self.counts = a,
        }
        bands.is_some() && !touched_a && !touched_b
    }

    /// Rule evidence, recomputed only for rules whose condition changed.
    fn evidence(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Vec<RuleEvidence> {
        let mut next = Vec::with_capacity(c.rules.len());
        let mut base = None;
        for (k, cr) in c.rules.iter().enumerate() {
            let e = match self
                .evidence
                .iter()
                .find(|(p, e)| Arc::ptr_eq(p, cr) && e.id == rs.rules[k].id)
            {
                Some((_, e)) => e.clone(),
                None => rule_evidence_of(
                    &rs.rules[k].id,
                    cr,
                    table,
                    *base.get_or_insert_with(|| base_rate(table)),
                ),
            };
            next.push((cr.clone(), e));
        }
        self.evidence = next;
        self.evidence.iter().map(|(_, e)| e.clone()).collect()
    }
}

/// A rule's points as it counts towards a sum (0 when off).
fn contribution(rule: &(Arc<CompiledRule>, f64, bool, usize)) -> f64 {
    if rule.2 { rule.1 } else { 0.0 }
}

/// How a group's sums before cap and floor are brought up to date.
enum Resum {
    No,
    /// Re-summed from the rules for every changed lead.
    All,
    /// Rule `rule`'s points changed `by` a whole number: the leads in
    /// `shift` get it added (exact: their sum only has whole numbers, well
    /// inside the 2^53 that floating point counts exactly, so any order of
    /// additions gives the same bits); those in `resum`, whose sum has a
    /// decayed contribution, are re-summed from the rules.
    Shift {
        rule: usize,
        by: f64,
        shift: Bitset,
        resum: Bitset,
    },
}

impl Resum {
    /// Rule `k`, whose contribution was `was`, is the one rule of its group
    /// that changed.
    fn shift(c: &Compiled, rs: &Ruleset, k: usize, was: f64) -> Resum {
        let whole = |x: f64| x.fract() == 0.0 && x.abs() <= (1u64 << 40) as f64;
        let rule = &rs.rules[k];
        let now = if rule.enabled { rule.points } else { 0.0 };
        let g = c.rule_group[k];
        let Some(fires) = c.rules[k].when.set() else {
            return Resum::All;
        };
        let members = || {
            (0..rs.rules.len()).filter(move |&r| {
                c.rule_group[r] == g && rs.rules[r].enabled && rs.rules[r].points != 0.0
            })
        };
        if c.rules[k].factor.is_some()
            || !whole(was)
            || !whole(now)
            || !members().all(|r| c.rules[r].factor.is_some() || whole(rs.rules[r].points))
        {
            return Resum::All;
        }
        let mut decayed = Bitset::new(c.leads);
        for r in members().filter(|&r| c.rules[r].factor.is_some()) {
            if let Some(set) = c.rules[r].when.set() {
                decayed.or(&set.t);
            }
        }
        let mut shift = fires.t.clone();
        shift.andnot(&decayed);
        let mut resum = fires.t.clone();
        resum.and(&decayed);
        Resum::Shift {
            rule: k,
            by: now - was,
            shift,
            resum,
        }
    }
}

/// What an edit asks of the changed leads.
struct Work {
    /// Per group: how to bring the sums up to date; whether to recompute
    /// the subtotal.
    resum: Vec<Resum>,
    /// Per group: cap and floor as [`crate::engine::bounds`].
    bounds: Vec<(f64, f64)>,
    /// The last misclassified lists, to tell whether a changed lead is
    /// where they were read from.
    reads: Option<Misclassified>,
    /// The group re-summed from partial sums before its edited rule: the
    /// group, the rule, and whether the [`Kept`] sums are taken (else they
    /// are made, for the next edit).
    prefix: Option<(usize, usize, bool)>,
}

/// One range of leads, from lead `base` (a multiple of 64): every slice
/// starts at that lead.
struct Part<'a> {
    base: usize,
    raw: Vec<&'a mut [f64]>,
    score: &'a mut [f64],
    tier: &'a mut [u32],
    /// The labelled leads' moves in the domain.
    changes: &'a mut Changes,
    /// The domain's leaving bits, from lead `base` on.
    leaving: &'a mut [u64],
    /// This part's [`Kept`] sums.
    kept: &'a mut Vec<f64>,
}

/// What rescoring one part found besides the per-lead figures.
struct Moves {
    counts: TierCounts,
    /// Whether a changed lead's old or new score is where the last
    /// misclassified lists were read from.
    touched: bool,
}

/// What a rescore of the changed leads reads, shared by both threads.
struct Rescore<'a> {
    c: &'a Compiled,
    rs: &'a Ruleset,
    outcome: &'a [Option<bool>],
    changed: &'a Bitset,
    work: &'a Work,
    plan: TierPlan<'a>,
    /// Per gate: the leads it holds for, its cap.
    gates: Vec<(&'a Bitset, f64)>,
    /// The leads any gate holds for.
    gated: Bitset,
    sides: &'a Sides,
}

impl Rescore<'_> {
    fn run(&self, p: Part) -> Moves {
        let Part {
            base,
            mut raw,
            score,
            tier,
            changes,
            leaving,
            kept,
        } = p;
        if let Some((_, _, false)) = self.work.prefix {
            kept.clear();
        }
        // How many of the kept sums were taken.
        let mut taken = 0;
        let words = base / 64..(base + score.len()).div_ceil(64);
        let changed = self.changed.words()[words.clone()].iter();
        let mut mover = changes.start(changed.map(|w| w.count_ones() as usize).sum());
        let mut moves = Moves {
            counts: TierCounts::new(self.rs.tiers.len()),
            touched: self.work.reads.is_none(),
        };
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
                        let word = (score, tier, &word);
                        leaving[first / 64] |=
                            self.settle_word(base + first, m, word, &mut moves, &mut mover);
                        continue;
                    }
                }
                for k in ones(m) {
                    let i = first + k;
                    let won = outcome_of(self.outcome, base + i);
                    let (new, t) = if dense {
                        (word.score[k], word.tier[k])
                    } else {
                        self.rescore_lead(base + i, caps[k], i, &raw, &mut virtuals)
                    };
                    let old = std::mem::replace(&mut score[i], new);
                    let was = std::mem::replace(&mut tier[i], t);
                    moves.counts.moved(was, t, won);
                    // Once one lead is, the rest need not be tested.
                    if let Some(w) = self.work.reads.as_ref().filter(|_| !moves.touched) {
                        moves.touched = w.reads(won, old) | w.reads(won, new);
                    }
                    let moves = won.is_some() & (new.to_bits() != old.to_bits());
                    let lead = (base + i, won == Some(true));
                    mover.moved(lead, moves, (old, new));
                }
            }
        }
        mover.done();
        changes.finish(leaving, base);
        moves
    }

    /// Bring the word of the 64 leads from `lead` (a multiple of 64), of
    /// which `m` changed, from their scores and tiers in `score` and `tier`
    /// to those in `word`, and move them in the tier counts and the domain.
    /// At once: bit masks from comparisons in vector registers, then only
    /// the leads that moved are visited. Returns those that leave the
    /// domain's other leads, as the word of [`Domain::leaving`] to mark.
    #[inline(always)]
    fn settle_word(
        &self,
        lead: usize,
        m: u64,
        (score, tier, word): (&mut [f64; 64], &mut [u32; 64], &Word),
        moves: &mut Moves,
        mover: &mut Mover,
    ) -> u64 {
        let new = &word.score;
        let retiered = m & !mask(|k| tier[k] == word.tier[k]);
        for k in ones(retiered) {
            let won = outcome_of(self.outcome, lead + k);
            moves.counts.moved(tier[k], word.tier[k], won);
        }
        let [others, converted] = self.sides.0[lead / 64];
        if let Some(w) = self.work.reads.as_ref().filter(|_| !moves.touched) {
            let beyond = |s: &[f64; 64]| {
                others & mask(|k| s[k] >= w.hi) | converted & mask(|k| s[k] <= w.lo)
            };
            moves.touched = m & (beyond(score) | beyond(new)) != 0;
        }
        // As numbers, so in vector registers. No score is −0; a NaN one
        // would move to itself, which leaves the domain as it was.
        let same = mask(|k| score[k] == new[k]);
        let leaving = mover.word(
            lead,
            m & (others | converted) & !same,
            converted,
            score,
            new,
        );
        for k in ones(m) {
            score[k] = new[k];
            tier[k] = word.tier[k];
        }
        leaving
    }

    /// Bring group `g`'s sums before cap and floor up to date for the leads
    /// of the bitset words `tile`; `raw` starts at the tile's first lead.
    /// `kept`: the part's [`Kept`] sums, of which `taken` are taken.
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

    /// [`Rescore::rescore_lead`] of the `n` leads from `lead` (a multiple of
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

/// Bit `k` set where `scores[k]` (at most 64) lies in one of `bands`
/// (from, inclusive, to, exclusive).
#[inline]
fn in_bands(scores: &[f64], bands: &[(f64, f64)]) -> u64 {
    (bands.iter()).fold(0, |m, &(from, to)| {
        m | bits(scores, |s| (s >= from) & (s < to))
    })
}

/// From how many changed leads of 64 a word's scores and tiers are
/// computed at once.
const DENSE: u32 = 12;

/// From how many changed leads of 64 a word's moves are settled at once
/// ([`Rescore::settle_word`]): below half a word, visiting the changed
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
fn total<C: AsRef<[f64]>>(raw: &[C], bounds: &[(f64, f64)], i: usize) -> f64 {
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
fn split_columns(cols: &mut [Vec<f64>], mid: usize) -> (Vec<&mut [f64]>, Vec<&mut [f64]>) {
    cols.iter_mut().map(|c| c.split_at_mut(mid)).unzip()
}
