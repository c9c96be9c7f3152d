//! Scores from a compiled ruleset (SPEC §5 steps 1–7).

use super::Compiled;
use crate::cond::Tri;
use crate::ruleset::Ruleset;

/// The tier index of a lead that matches no tier.
pub const NO_TIER: u32 = u32::MAX;

/// Per lead: score, tier and group subtotals.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub score: Vec<f64>,
    /// Index into `Ruleset::tiers`, or [`NO_TIER`].
    pub tier: Vec<u32>,
    /// `groups[g][lead]`: the subtotal of group `g` after cap and floor.
    pub groups: Vec<Vec<f64>>,
    /// Sum of the group subtotals, before gates and clamping.
    pub raw_total: Vec<f64>,
}

/// Score every lead. Reads points, `enabled`, caps, floors, gate caps, tier
/// minimums and the score range from `rs`; conditions come from `c`, which
/// must have been compiled from a ruleset with the same rules, gates and tiers.
pub fn score(c: &Compiled, rs: &Ruleset) -> Scores {
    let n = c.leads;
    let mut groups = vec![vec![0.0f64; n]; c.groups.len()];
    // Step 1: contributions, summed per group in file order of the rules.
    for ((rule, cr), &g) in rs.rules.iter().zip(&c.rules).zip(&c.rule_group) {
        if !rule.enabled || rule.points == 0.0 {
            continue;
        }
        let sums = &mut groups[g];
        let p = rule.points;
        match &cr.factor {
            None => {
                for &i in &cr.fires {
                    sums[i as usize] += p;
                }
            }
            Some(f) => {
                for &i in &cr.fires {
                    sums[i as usize] += p * f[i as usize];
                }
            }
        }
    }
    // Step 2: caps and floors.
    for (name, sums) in c.groups.iter().zip(groups.iter_mut()) {
        if let Some(g) = rs.groups.iter().find(|g| &g.name == name) {
            if g.cap.is_none() && g.floor.is_none() {
                continue;
            }
            for s in sums.iter_mut() {
                *s = limit(*s, g.cap, g.floor);
            }
        }
    }
    // Step 3: raw total.
    let mut raw_total = vec![0.0f64; n];
    for sums in &groups {
        for (t, s) in raw_total.iter_mut().zip(sums) {
            *t += s;
        }
    }
    // Steps 4 and 5: gates, then the score range.
    let mut score = raw_total.clone();
    for (gate, cg) in rs.gates.iter().zip(&c.gates) {
        if let Some(set) = cg.when.set() {
            for i in set.t.iter_ones() {
                score[i] = score[i].min(gate.cap);
            }
        }
    }
    let (lo, hi) = rs.model.score_range;
    for s in score.iter_mut() {
        *s = s.clamp(lo, hi);
    }
    // Step 6: tiers.
    let mut tier = vec![NO_TIER; n];
    let mut virtuals = vec![0.0; c.groups.len() + 1];
    for (i, t) in tier.iter_mut().enumerate() {
        for (k, (rt, ct)) in rs.tiers.iter().zip(&c.tiers).enumerate() {
            if rt.min.is_some_and(|m| score[i] < m) {
                continue;
            }
            let ok = match &ct.require {
                None => true,
                Some(cond) => match cond.set() {
                    Some(set) => set.get(i) == Tri::True,
                    None => {
                        for (g, v) in groups.iter().zip(virtuals.iter_mut()) {
                            *v = g[i];
                        }
                        virtuals[c.groups.len()] = score[i];
                        cond.eval_lead(i, &virtuals) == Tri::True
                    }
                },
            };
            if ok {
                *t = k as u32;
                break;
            }
        }
    }
    Scores {
        score,
        tier,
        groups,
        raw_total,
    }
}

/// A subtotal limited to at most `cap`, then to at least `floor`.
pub fn limit(x: f64, cap: Option<f64>, floor: Option<f64>) -> f64 {
    let x = cap.map_or(x, |c| x.min(c));
    floor.map_or(x, |f| x.max(f))
}

/// Step 7: up to three reasons: every gate that holds (file order), then
/// fired rules with a non-zero contribution by absolute contribution
/// descending, ties in file order.
pub fn reasons<'r>(c: &Compiled, rs: &'r Ruleset, lead: usize) -> Vec<&'r str> {
    let mut out: Vec<&str> = vec![];
    for (gate, cg) in rs.gates.iter().zip(&c.gates) {
        if cg.when.set().is_some_and(|s| s.get(lead) == Tri::True) {
            out.push(gate.label());
            if out.len() == 3 {
                return out;
            }
        }
    }
    let mut fired: Vec<(f64, usize)> = vec![];
    for (k, (rule, cr)) in rs.rules.iter().zip(&c.rules).enumerate() {
        if !rule.enabled || !cr.when.set().is_some_and(|s| s.t.get(lead)) {
            continue;
        }
        let contribution = rule.points * cr.factor(lead);
        if contribution != 0.0 {
            fired.push((contribution.abs(), k));
        }
    }
    // Stable sort keeps file order among ties.
    fired.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, k) in fired {
        if out.len() == 3 {
            break;
        }
        out.push(rs.rules[k].label());
    }
    out
}
