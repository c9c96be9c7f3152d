//! What an edit changed, and what it asks of the leads it can move.
//!
//! An edit is told from the last by comparing the ruleset's numbers and
//! the compiled parts (by identity) with those of the previous call: only
//! numbers changed (points, on/off, caps, floors, gate caps, the score
//! range, tier minimums), or the parts themselves (a full rescoring).

use crate::cond::Bitset;
use crate::engine::{Compiled, CompiledGate, CompiledRule, CompiledTier, score::group_bounds};
use crate::ruleset::Ruleset;
use std::sync::Arc;

/// What the last scoring was computed from. Compiled parts are held
/// (not just their addresses), so a freed part can never be mistaken for a
/// new one at the same address.
#[derive(Clone)]
pub(super) struct Inputs {
    pub(super) leads: usize,
    /// Per rule: compiled part, points, on/off, group.
    pub(super) rules: Vec<(Arc<CompiledRule>, f64, bool, usize)>,
    pub(super) groups: Vec<String>,
    /// Per group: cap and floor as [`crate::engine::score::bounds`].
    pub(super) limits: Vec<(f64, f64)>,
    /// Per gate: compiled part, cap.
    pub(super) gates: Vec<(Arc<CompiledGate>, f64)>,
    pub(super) range: (f64, f64),
    /// Per tier: compiled requirement, minimum.
    pub(super) tiers: Vec<(Arc<CompiledTier>, Option<f64>)>,
}

impl Inputs {
    pub(super) fn of(c: &Compiled, rs: &Ruleset) -> Inputs {
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
    pub(super) fn same_parts(&self, o: &Inputs) -> bool {
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
    pub(super) fn minimum_bands(&self, o: &Inputs) -> Option<Vec<(f64, f64)>> {
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

/// For the leads a points edit re-sums from the rules (their group has a
/// decayed contribution), each lead's partial sum before the edited rule,
/// per core (leads ascending), and what they were summed from: the rule,
/// and the contributions of its group's other rules. The next edit of that
/// rule, with nothing else in the group changed, starts from them: a
/// meeting presses `+` on one rule several times.
#[derive(Default)]
pub(super) struct Kept {
    pub key: Option<(usize, Vec<f64>)>,
    pub sums: [Vec<f64>; 2],
}

/// A rule's points as it counts towards a sum (0 when off).
pub(super) fn contribution(rule: &(Arc<CompiledRule>, f64, bool, usize)) -> f64 {
    if rule.2 { rule.1 } else { 0.0 }
}

/// How a group's sums before cap and floor are brought up to date.
pub(super) enum Resum {
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
    pub(super) fn shift(c: &Compiled, rs: &Ruleset, k: usize, was: f64) -> Resum {
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
pub(super) struct Work {
    /// Per group: how to bring the sums up to date; whether to recompute
    /// the subtotal.
    pub resum: Vec<Resum>,
    /// Per group: cap and floor as [`crate::engine::score::bounds`].
    pub bounds: Vec<(f64, f64)>,
    /// The group re-summed from partial sums before its edited rule: the
    /// group, the rule, and whether the [`Kept`] sums are taken (else they
    /// are made, for the next edit).
    pub prefix: Option<(usize, usize, bool)>,
}
