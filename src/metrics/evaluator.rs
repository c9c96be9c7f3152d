//! The workbench's rescoring: keeps the last scoring and recomputes only what
//! an edit changed, so a weight or threshold edit at a million leads stays
//! well inside a frame.
//!
//! It finds what changed by comparing the ruleset's numbers and the compiled
//! parts (by identity) with those of the previous call:
//! - a rule's points or on/off: its group's sums are re-summed from scratch
//!   (rules in file order, so every figure is bit-identical to a fresh
//!   scoring), and only the leads it fires on are rescored and re-sorted;
//! - a tier threshold, requirement or the qualified tier: no score changes;
//!   tiers are re-assigned, the score order is reused;
//! - bands: only the summary is redone;
//! - anything else (caps, gates, score range, a condition, added or removed
//!   rules): a full rescoring.
//!
//! The figures are those of [`super::review`] without segments, computed by
//! the same [`super::summarize`].

use super::{
    Ranked, Review, RuleEvidence, base_rate, by_score_then_lead, created_weeks, rule_evidence_of,
    score_order, summarize,
};
use crate::cond::Bitset;
use crate::data::LeadTable;
use crate::engine::{
    Compiled, CompiledGate, CompiledRule, CompiledTier, Scores, TierPlan, finish, gate_caps,
    group_limits, group_sums, group_sums_in, limit,
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
    limits: Vec<(Option<f64>, Option<f64>)>,
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
            limits: group_limits(c, rs),
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

    /// Everything that decides scores, apart from rules' points and on/off.
    fn score_shape_eq(&self, o: &Inputs) -> bool {
        self.leads == o.leads
            && self.groups == o.groups
            && self.limits == o.limits
            && self.range == o.range
            && self.gates.len() == o.gates.len()
            && self
                .gates
                .iter()
                .zip(&o.gates)
                .all(|(a, b)| Arc::ptr_eq(&a.0, &b.0) && a.1 == b.1)
            && self.rules.len() == o.rules.len()
            && self
                .rules
                .iter()
                .zip(&o.rules)
                .all(|(a, b)| Arc::ptr_eq(&a.0, &b.0) && a.3 == b.3)
    }

    /// Tier minimums and requirements.
    fn tiers_eq(&self, o: &Inputs) -> bool {
        self.tiers.len() == o.tiers.len()
            && self
                .tiers
                .iter()
                .zip(&o.tiers)
                .all(|(a, b)| Arc::ptr_eq(&a.0, &b.0) && a.1 == b.1)
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
    /// Per group, the sums before cap and floor.
    raw: Vec<Vec<f64>>,
    gate_cap: Vec<f64>,
    scores: Scores,
    order: Vec<Ranked>,
    /// Scratch for re-sorting, kept to avoid reallocating per edit.
    moved: Vec<Ranked>,
    spare: Vec<Ranked>,
    halves: [Half; 2],
    weeks: Option<f64>,
    /// Per rule: compiled part and its evidence.
    evidence: Vec<(Arc<CompiledRule>, RuleEvidence)>,
    top: usize,
}

impl Evaluator {
    /// `top`: how many false positives and negatives to keep.
    pub fn new(top: usize) -> Evaluator {
        Evaluator {
            top,
            ..Evaluator::default()
        }
    }

    /// The scores of the last evaluation.
    pub fn scores(&self) -> &Scores {
        &self.scores
    }

    /// Score `rs` (compiled as `c` against `table`) and review it, reusing
    /// whatever the previous call computed that the changes did not touch.
    pub fn evaluate(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Evaluation {
        let now = Inputs::of(c, rs);
        match self.inputs.take() {
            Some(before) if before.score_shape_eq(&now) => {
                // Rules whose points or on/off changed.
                let edited: Vec<usize> = (0..now.rules.len())
                    .filter(|&k| {
                        before.rules[k].1 != now.rules[k].1 || before.rules[k].2 != now.rules[k].2
                    })
                    .collect();
                let retier = !before.tiers_eq(&now);
                if !edited.is_empty() {
                    self.rescore_rules(c, rs, &edited, !retier);
                }
                if retier {
                    self.retier_all(c, rs);
                }
            }
            _ => self.full(c, rs, table),
        }
        self.inputs = Some(now);
        let review = summarize(
            rs,
            table,
            &self.scores.tier,
            &self.order,
            self.weeks,
            self.top,
        );
        Evaluation {
            review,
            evidence: self.evidence(c, rs, table),
        }
    }

    fn full(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable) {
        let n = c.leads;
        let limits = group_limits(c, rs);
        self.raw = vec![vec![0.0; n]; c.groups.len()];
        for (g, raw) in self.raw.iter_mut().enumerate() {
            group_sums(c, rs, g, raw);
        }
        self.gate_cap = gate_caps(c, rs);
        let mut groups = vec![vec![0.0; n]; c.groups.len()];
        for (g, (raw, out)) in self.raw.iter().zip(groups.iter_mut()).enumerate() {
            let (cap, floor) = limits[g];
            for (o, &r) in out.iter_mut().zip(raw) {
                *o = limit(r, cap, floor);
            }
        }
        let mut raw_total = vec![0.0; n];
        for sums in &groups {
            for (t, s) in raw_total.iter_mut().zip(sums) {
                *t += s;
            }
        }
        let range = rs.model.score_range;
        let score: Vec<f64> = raw_total
            .iter()
            .zip(&self.gate_cap)
            .map(|(&t, &g)| finish(t, g, range))
            .collect();
        self.scores = Scores {
            score,
            tier: vec![],
            groups,
            raw_total,
        };
        self.retier_all(c, rs);
        self.order = score_order(table, &self.scores.score);
        self.weeks = created_weeks(table);
    }

    /// Points or on/off of `edited` rules changed: re-sum their groups for
    /// the leads they fire on, then rescore and re-sort only those leads
    /// (and re-tier them, unless every lead is re-tiered after).
    fn rescore_rules(&mut self, c: &Compiled, rs: &Ruleset, edited: &[usize], retier: bool) {
        let n = c.leads;
        let mut changed = Bitset::new(n);
        let mut dirty = vec![false; c.groups.len()];
        for &k in edited {
            dirty[c.rule_group[k]] = true;
            if let Some(set) = c.rules[k].when.set() {
                changed.or(&set.t);
            }
        }
        // Two halves of the leads, one per core.
        let mid = (changed.words().len() / 2 * 64).min(n);
        let ctx = Rescore {
            c,
            rs,
            changed: &changed,
            dirty: &dirty,
            limits: group_limits(c, rs),
            plan: TierPlan::new(c, rs),
            retier,
        };
        let s = &mut self.scores;
        let gate_cap = &self.gate_cap;
        let (mut raw_a, mut raw_b) = split_columns(&mut self.raw, mid);
        let (mut groups_a, mut groups_b) = split_columns(&mut s.groups, mid);
        let (total_a, total_b) = s.raw_total.split_at_mut(mid);
        let (score_a, score_b) = s.score.split_at_mut(mid);
        let (tier_a, tier_b) = s.tier.split_at_mut(mid);
        std::thread::scope(|scope| {
            let ctx = &ctx;
            scope.spawn(move || {
                ctx.run(
                    mid,
                    &mut raw_b,
                    &mut groups_b,
                    total_b,
                    score_b,
                    tier_b,
                    &gate_cap[mid..],
                );
            });
            ctx.run(
                0,
                &mut raw_a,
                &mut groups_a,
                total_a,
                score_a,
                tier_a,
                &gate_cap[..mid],
            );
        });
        self.resort(&changed);
    }

    /// Re-sort after the leads in `changed` got new scores: the others keep
    /// their relative order, the changed ones are re-sorted (see
    /// [`Half::split`]) and merged back in, each step on both cores.
    fn resort(&mut self, changed: &Bitset) {
        let score = &self.scores.score;
        // Each half of the old order on its own core: what stays, and its
        // changed leads re-sorted.
        let half = self.order.len() / 2;
        let (lo, hi) = self.order.split_at(half);
        let [a, b] = &mut self.halves;
        std::thread::scope(|scope| {
            scope.spawn(|| b.split(hi, changed, score));
            a.split(lo, changed, score);
        });
        merge_into(&a.moved, &b.moved, &mut self.moved);
        // Then the merge back, again in two halves: everything below the
        // first kept lead of the upper half, and the rest.
        let moved = &self.moved;
        let p = match b.kept.first() {
            Some(first) => moved.partition_point(|m| by_score_then_lead(m, first).is_lt()),
            None => moved.len(),
        };
        let total = a.kept.len() + b.kept.len() + moved.len();
        let out = &mut self.spare;
        out.clear();
        out.resize(
            total,
            Ranked {
                score: 0.0,
                lead: 0,
                converted: false,
            },
        );
        let (out_a, out_b) = out.split_at_mut(a.kept.len() + p);
        std::thread::scope(|scope| {
            scope.spawn(|| merge_slices(&b.kept, &moved[p..], out_b));
            merge_slices(&a.kept, &moved[..p], out_a);
        });
        std::mem::swap(&mut self.order, &mut self.spare);
    }

    /// Tier of every lead from the current scores.
    fn retier_all(&mut self, c: &Compiled, rs: &Ruleset) {
        let s = &mut self.scores;
        let plan = TierPlan::new(c, rs);
        let (score, groups) = (&s.score, &s.groups);
        s.tier.resize(c.leads, 0);
        let mid = c.leads / 2;
        let (lo, hi) = s.tier.split_at_mut(mid);
        let retier = |tiers: &mut [u32], base: usize| {
            let mut virtuals = vec![0.0; groups.len() + 1];
            for (k, t) in tiers.iter_mut().enumerate() {
                let i = base + k;
                *t = plan.tier(i, score[i], |g| groups[g][i], &mut virtuals);
            }
        };
        std::thread::scope(|scope| {
            scope.spawn(|| retier(hi, mid));
            retier(lo, 0);
        });
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

/// What a rescore of the changed leads reads, shared by both threads.
struct Rescore<'a> {
    c: &'a Compiled,
    rs: &'a Ruleset,
    changed: &'a Bitset,
    dirty: &'a [bool],
    limits: Vec<(Option<f64>, Option<f64>)>,
    plan: TierPlan<'a>,
    retier: bool,
}

impl Rescore<'_> {
    /// Re-sum the dirty groups and rescore the changed leads of one range
    /// of leads, starting at `base` (a multiple of 64); every slice starts
    /// at that lead.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        base: usize,
        raw: &mut [&mut [f64]],
        groups: &mut [&mut [f64]],
        raw_total: &mut [f64],
        score: &mut [f64],
        tier: &mut [u32],
        gate_cap: &[f64],
    ) {
        let words = base / 64..(base + score.len()).div_ceil(64);
        for (g, raw) in raw.iter_mut().enumerate() {
            if self.dirty[g] {
                group_sums_in(self.c, self.rs, g, raw, self.changed, words.clone());
            }
        }
        let range = self.rs.model.score_range;
        let mut virtuals = vec![0.0; groups.len() + 1];
        for (w, &m) in self.changed.words()[words].iter().enumerate() {
            let mut bits = m;
            while bits != 0 {
                let i = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let mut total = 0.0;
                for (g, sums) in groups.iter_mut().enumerate() {
                    if self.dirty[g] {
                        sums[i] = limit(raw[g][i], self.limits[g].0, self.limits[g].1);
                    }
                    total += sums[i];
                }
                raw_total[i] = total;
                score[i] = finish(total, gate_cap[i], range);
                if self.retier {
                    tier[i] = self
                        .plan
                        .tier(base + i, score[i], |g| groups[g][i], &mut virtuals);
                }
            }
        }
    }
}

/// Split every column at lead `mid`.
fn split_columns(cols: &mut [Vec<f64>], mid: usize) -> (Vec<&mut [f64]>, Vec<&mut [f64]>) {
    cols.iter_mut().map(|c| c.split_at_mut(mid)).unzip()
}

/// Scratch space for one half of the old order during a re-sort.
#[derive(Default)]
struct Half {
    kept: Vec<Ranked>,
    /// Changed leads, re-sorted.
    moved: Vec<Ranked>,
    runs: [Vec<Ranked>; 4],
    spare: Vec<Ranked>,
}

impl Half {
    /// Split `part` of the old order into the leads that keep their score
    /// and, re-sorted, those in `changed` with their new `score`. Taken in
    /// their old order, the changed leads mostly moved together (a points
    /// edit adds the same points to every lead it fires on, unless a cap or
    /// gate holds it), so they fall into a few runs that are still sorted
    /// (greedily, as in patience sorting); merging those is linear, and only
    /// leads that fit no run are sorted outright.
    fn split(&mut self, part: &[Ranked], changed: &Bitset, score: &[f64]) {
        self.moved.clear();
        for run in self.runs.iter_mut() {
            run.clear();
        }
        // Branch-free: a third of the leads may have changed, in no
        // predictable pattern, so every lead is written to both lists and
        // only the right one advances.
        const EMPTY: Ranked = Ranked {
            score: 0.0,
            lead: 0,
            converted: false,
        };
        self.kept.resize(part.len(), EMPTY);
        self.spare.resize(part.len(), EMPTY);
        let (mut k, mut m) = (0, 0);
        for r in part {
            let moved = changed.get(r.lead as usize) as usize;
            self.kept[k] = *r;
            self.spare[m] = *r;
            k += 1 - moved;
            m += moved;
        }
        self.kept.truncate(k);
        self.spare.truncate(m);
        // New scores in a loop of its own: the reads are scattered over the
        // score array, and without branches between them they overlap.
        for r in self.spare.iter_mut() {
            r.score = score[r.lead as usize];
        }
        for &new in &self.spare {
            let fits = |run: &&mut Vec<Ranked>| {
                run.last()
                    .is_none_or(|last| by_score_then_lead(last, &new).is_le())
            };
            match self.runs.iter_mut().find(fits) {
                Some(run) => run.push(new),
                None => self.moved.push(new),
            }
        }
        self.moved.sort_by(by_score_then_lead);
        for run in &self.runs {
            merge_into(&self.moved, run, &mut self.spare);
            std::mem::swap(&mut self.moved, &mut self.spare);
        }
    }
}

/// Merge two lists sorted by (score, lead) into `out`, which has room for both.
fn merge_slices(a: &[Ranked], b: &[Ranked], out: &mut [Ranked]) {
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        if j >= b.len() || (i < a.len() && by_score_then_lead(&a[i], &b[j]).is_le()) {
            *slot = a[i];
            i += 1;
        } else {
            *slot = b[j];
            j += 1;
        }
    }
}

/// Merge two lists sorted by (score, lead) into `out`.
fn merge_into(a: &[Ranked], b: &[Ranked], out: &mut Vec<Ranked>) {
    out.clear();
    out.reserve(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if by_score_then_lead(&a[i], &b[j]).is_le() {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}
