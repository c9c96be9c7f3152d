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
    Review, RuleEvidence, base_rate, by_score_then_lead, rule_evidence_of, score_order, summarize,
};
use crate::cond::Bitset;
use crate::data::LeadTable;
use crate::engine::{
    Compiled, Scores, finish, gate_caps, group_limits, group_sums, limit, tier_of,
};
use crate::ruleset::Ruleset;
use std::sync::Arc;

/// What the last evaluation was computed from.
#[derive(Clone, PartialEq)]
struct Inputs {
    leads: usize,
    /// Per rule: compiled part (by address), points, on/off, group.
    rules: Vec<(usize, f64, bool, usize)>,
    groups: Vec<String>,
    limits: Vec<(Option<f64>, Option<f64>)>,
    gates: Vec<(usize, f64)>,
    range: (f64, f64),
    /// Per tier: compiled requirement (by address), minimum.
    tiers: Vec<(usize, Option<f64>)>,
    qualified: Option<usize>,
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
                .map(|((r, cr), &g)| (Arc::as_ptr(cr) as usize, r.points, r.enabled, g))
                .collect(),
            groups: c.groups.clone(),
            limits: group_limits(c, rs),
            gates: rs
                .gates
                .iter()
                .zip(&c.gates)
                .map(|(g, cg)| (Arc::as_ptr(cg) as usize, g.cap))
                .collect(),
            range: rs.model.score_range,
            tiers: rs
                .tiers
                .iter()
                .zip(&c.tiers)
                .map(|(t, ct)| (Arc::as_ptr(ct) as usize, t.min))
                .collect(),
            qualified: rs.qualified_index(),
        }
    }

    /// Everything that decides scores, as opposed to tiers.
    fn score_shape_eq(&self, o: &Inputs) -> bool {
        self.leads == o.leads
            && self.groups == o.groups
            && self.limits == o.limits
            && self.gates == o.gates
            && self.range == o.range
            && self.rules.len() == o.rules.len()
            && self
                .rules
                .iter()
                .zip(&o.rules)
                .all(|(a, b)| a.0 == b.0 && a.3 == b.3)
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
    order: Vec<(f64, u32)>,
    /// Per rule: compiled part (by address) and its evidence.
    evidence: Vec<(usize, RuleEvidence)>,
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
                if !edited.is_empty() {
                    self.rescore_rules(c, rs, table, &edited);
                }
                if before.tiers != now.tiers || before.qualified != now.qualified {
                    self.retier_all(c, rs);
                }
            }
            _ => self.full(c, rs, table),
        }
        self.inputs = Some(now);
        let review = summarize(
            rs,
            table,
            &self.scores.score,
            &self.scores.tier,
            &self.order,
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
    }

    /// Points or on/off of `edited` rules changed: re-sum their groups, then
    /// rescore, re-tier and re-sort only the leads they fire on.
    fn rescore_rules(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable, edited: &[usize]) {
        let n = c.leads;
        let mut changed = Bitset::new(n);
        let mut dirty = vec![false; c.groups.len()];
        for &k in edited {
            dirty[c.rule_group[k]] = true;
            if let Some(set) = c.rules[k].when.set() {
                changed.or(&set.t);
            }
        }
        for (g, raw) in self.raw.iter_mut().enumerate() {
            if dirty[g] {
                group_sums(c, rs, g, raw);
            }
        }
        let limits = group_limits(c, rs);
        let range = rs.model.score_range;
        let mut virtuals = vec![0.0; c.groups.len() + 1];
        let s = &mut self.scores;
        for i in changed.iter_ones() {
            let mut total = 0.0;
            for (g, sums) in s.groups.iter_mut().enumerate() {
                if dirty[g] {
                    sums[i] = limit(self.raw[g][i], limits[g].0, limits[g].1);
                }
                total += sums[i];
            }
            s.raw_total[i] = total;
            s.score[i] = finish(total, self.gate_cap[i], range);
            let groups = &s.groups;
            s.tier[i] = tier_of(c, rs, i, s.score[i], |g| groups[g][i], &mut virtuals);
        }
        // Re-sort: the leads that did not change keep their order; the ones
        // that did are sorted among themselves and merged back in.
        let (mut moved, kept): (Vec<(f64, u32)>, Vec<(f64, u32)>) =
            self.order.iter().partition(|x| changed.get(x.1 as usize));
        for m in moved.iter_mut() {
            m.0 = s.score[m.1 as usize];
        }
        moved.sort_by(by_score_then_lead);
        self.order = merge(&kept, &moved);
        let _ = table;
    }

    /// Tier of every lead from the current scores.
    fn retier_all(&mut self, c: &Compiled, rs: &Ruleset) {
        let s = &mut self.scores;
        let mut virtuals = vec![0.0; c.groups.len() + 1];
        let groups = &s.groups;
        s.tier = (0..c.leads)
            .map(|i| tier_of(c, rs, i, s.score[i], |g| groups[g][i], &mut virtuals))
            .collect();
    }

    /// Rule evidence, recomputed only for rules whose condition changed.
    fn evidence(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Vec<RuleEvidence> {
        let mut next = Vec::with_capacity(c.rules.len());
        let mut base = None;
        for (k, cr) in c.rules.iter().enumerate() {
            let ptr = Arc::as_ptr(cr) as usize;
            let e = match self
                .evidence
                .iter()
                .find(|(p, e)| *p == ptr && e.id == rs.rules[k].id)
            {
                Some((_, e)) => e.clone(),
                None => rule_evidence_of(
                    &rs.rules[k].id,
                    cr,
                    table,
                    *base.get_or_insert_with(|| base_rate(table)),
                ),
            };
            next.push((ptr, e));
        }
        self.evidence = next;
        self.evidence.iter().map(|(_, e)| e.clone()).collect()
    }
}

/// Merge two lists sorted by (score, lead).
fn merge(a: &[(f64, u32)], b: &[(f64, u32)]) -> Vec<(f64, u32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
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
    out
}
