//! Scores from a compiled ruleset (SPEC §5 steps 1–7).

use super::{Compiled, Factors};
use crate::cond::{Bitset, CmpOp, Condition, Tri, TriSet, ones};
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
    let limits = group_bounds(c, rs);
    let mut groups = vec![vec![0.0f64; n]; c.groups.len()];
    for (g, sums) in groups.iter_mut().enumerate() {
        // Step 1: contributions, summed per group in file order of the rules.
        group_sums(c, rs, g, sums);
        // Step 2: caps and floors.
        for s in sums.iter_mut() {
            *s = bounded(*s, limits[g]);
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
    let gate_cap = gate_caps(c, rs);
    let range = rs.model.score_range;
    let score: Vec<f64> = raw_total
        .iter()
        .zip(&gate_cap)
        .map(|(&t, &g)| finish(t, g, range))
        .collect();
    // Step 6: tiers.
    let plan = TierPlan::new(c, rs);
    let mut virtuals = vec![0.0; c.groups.len() + 1];
    let mut tier = vec![NO_TIER; n];
    for (w, out) in tier.chunks_mut(64).enumerate() {
        let first = w * 64;
        let score = &score[first..first + out.len()];
        let group = |g: usize, sub: &mut [f64]| {
            sub.copy_from_slice(&groups[g][first..first + sub.len()]);
        };
        plan.tiers(first, score, group, &mut virtuals, out);
    }
    Scores {
        score,
        tier,
        groups,
        raw_total,
    }
}

/// Step 1 for one group: the sum of its enabled rules' contributions per
/// lead, rules in file order (so any caller gets bit-identical sums).
pub(super) fn group_sums(c: &Compiled, rs: &Ruleset, g: usize, sums: &mut [f64]) {
    sums.fill(0.0);
    for ((rule, cr), &rg) in rs.rules.iter().zip(&c.rules).zip(&c.rule_group) {
        if rg != g || !rule.enabled || rule.points == 0.0 {
            continue;
        }
        let p = rule.points;
        match &cr.factor {
            None => {
                for &i in &cr.fires {
                    sums[i as usize] += p;
                }
            }
            Some(f) => {
                for &i in &cr.fires {
                    sums[i as usize] += p * f.get(i as usize);
                }
            }
        }
    }
}

/// What [`group_sums_in`] does with the sums of a group's rules before one
/// rule (file order): a partial sum, which the same additions continue.
pub(super) enum Prefix<'a> {
    /// Nothing: every rule is summed.
    None,
    /// Append each lead's partial sum before rule `rule` to `kept` (leads
    /// ascending), for a later [`Prefix::Take`].
    Keep { rule: usize, kept: &'a mut Vec<f64> },
    /// Start each lead from the partial sum at `kept[*at]` (then the next,
    /// leads ascending, as `Keep` left them) and add only the rules from
    /// `rule` on. Same additions in the same order, so the same bits.
    Take {
        rule: usize,
        kept: &'a [f64],
        at: &'a mut usize,
    },
}

/// [`group_sums`] for the leads in `only` of the bitset words `words`;
/// other leads' sums are left as they are (same additions in the same
/// order, so the same bits). `sums` holds the leads from `words.start * 64`
/// on (so two threads can each take their own range). `prefix` keeps or
/// takes partial sums.
pub(super) fn group_sums_in(
    c: &Compiled,
    rs: &Ruleset,
    g: usize,
    sums: &mut [f64],
    only: &Bitset,
    words: std::ops::Range<usize>,
    mut prefix: Prefix,
) {
    let base = words.start * 64;
    // (index in the ruleset, points, match set, factors)
    let rules: Vec<(usize, f64, &TriSet, Option<&Factors>)> = rs
        .rules
        .iter()
        .zip(&c.rules)
        .zip(&c.rule_group)
        .enumerate()
        .filter(|(_, ((rule, _), rg))| **rg == g && rule.enabled && rule.points != 0.0)
        .filter_map(|(k, ((rule, cr), _))| {
            Some((k, rule.points, cr.when.set()?, cr.factor.as_ref()))
        })
        .collect();
    // The rules summed before the prefix is kept or taken.
    let split = match &prefix {
        Prefix::None => 0,
        Prefix::Keep { rule, .. } | Prefix::Take { rule, .. } => {
            rules.partition_point(|r| r.0 < *rule)
        }
    };
    // In tiles of 16,384 leads, so the tile's sums stay in the cache while
    // every rule adds to them.
    const TILE: usize = 256;
    let mut start = words.start;
    while start < words.end {
        let tile = start..(start + TILE).min(words.end);
        let mask = &only.words()[tile.clone()];
        let at = (tile.start - words.start) * 64;
        let each = |f: &mut dyn FnMut(usize)| {
            for (w, &m) in mask.iter().enumerate() {
                ones(m).for_each(|k| f(at + w * 64 + k));
            }
        };
        let add =
            |sums: &mut [f64], &(_, p, set, factor): &(usize, f64, &TriSet, Option<&Factors>)| {
                let fired = &set.t.words()[tile.clone()];
                // One loop per kind of factor, so none is chosen per lead.
                match factor {
                    None => add_masked(sums, at, fired, mask, |_| p),
                    Some(Factors::ByAge { index, values }) => {
                        add_masked(sums, at, fired, mask, |i| {
                            p * values[index[base + i] as usize]
                        })
                    }
                    Some(Factors::Plain(f)) => {
                        add_masked(sums, at, fired, mask, |i| p * f[base + i])
                    }
                }
            };
        match &mut prefix {
            Prefix::Take { kept, at: next, .. } => each(&mut |i| {
                sums[i] = kept[**next];
                **next += 1;
            }),
            _ => {
                each(&mut |i| sums[i] = 0.0);
                for rule in &rules[..split] {
                    add(sums, rule);
                }
                if let Prefix::Keep { kept, .. } = &mut prefix {
                    each(&mut |i| kept.push(sums[i]));
                }
            }
        }
        for rule in &rules[split..] {
            add(sums, rule);
        }
        start = tile.end;
    }
}

/// `sums[i] += contribution(i)` for each lead `i = at + 64 * w + bit` whose
/// bit is set in both `fired[w]` and `mask[w]`.
#[inline]
fn add_masked(
    sums: &mut [f64],
    at: usize,
    fired: &[u64],
    mask: &[u64],
    contribution: impl Fn(usize) -> f64,
) {
    for (w, (&f, &m)) in fired.iter().zip(mask).enumerate() {
        for k in ones(f & m) {
            let i = at + w * 64 + k;
            sums[i] += contribution(i);
        }
    }
}

/// Cap and floor of each compiled group, as [`bounds`].
pub(super) fn group_bounds(c: &Compiled, rs: &Ruleset) -> Vec<(f64, f64)> {
    c.groups
        .iter()
        .map(|name| match rs.groups.iter().find(|g| &g.name == name) {
            Some(g) => bounds(g.cap, g.floor),
            None => bounds(None, None),
        })
        .collect()
}

/// Per lead, the lowest cap of the gates whose condition is true
/// (infinity where none is).
pub(super) fn gate_caps(c: &Compiled, rs: &Ruleset) -> Vec<f64> {
    let mut caps = vec![f64::INFINITY; c.leads];
    for (gate, cg) in rs.gates.iter().zip(&c.gates) {
        if let Some(set) = cg.when.set() {
            for i in set.t.iter_ones() {
                caps[i] = caps[i].min(gate.cap);
            }
        }
    }
    caps
}

/// Steps 4 and 5: the raw total under the gates' cap, clamped to the range.
/// Adding 0.0 turns a -0 into 0, so equal scores also sort as equal.
#[inline]
pub(super) fn finish(raw_total: f64, gate_cap: f64, range: (f64, f64)) -> f64 {
    raw_total.min(gate_cap).clamp(range.0, range.1) + 0.0
}

/// Step 6, prepared once per scoring: each tier's minimum and requirement
/// in a form that is cheap to test for every lead.
pub(super) struct TierPlan<'a> {
    steps: Vec<(f64, Require<'a>)>,
    groups: usize,
}

enum Require<'a> {
    None,
    /// A requirement on fields only: its match set.
    Set(&'a TriSet),
    /// A requirement that is one comparison of a group subtotal (or
    /// `score`, at index `groups`) with a number: a compare per lead.
    Compare(usize, CmpOp, f64),
    /// Any other requirement on group subtotals or `score`: evaluated per
    /// lead, with the subtotals (and score) it reads.
    Lead(&'a Condition, &'a [usize]),
}

impl<'a> TierPlan<'a> {
    pub(super) fn new(c: &'a Compiled, rs: &Ruleset) -> TierPlan<'a> {
        let steps = rs
            .tiers
            .iter()
            .zip(&c.tiers)
            .map(|(rt, ct)| {
                let req = match &ct.require {
                    None => Require::None,
                    Some(cond) => match cond.set() {
                        Some(set) => Require::Set(set),
                        None => match cond.virtual_compare() {
                            Some((v, op, x)) => Require::Compare(v, op, x),
                            None => Require::Lead(cond, cond.virtuals()),
                        },
                    },
                };
                (rt.min.unwrap_or(f64::NEG_INFINITY), req)
            })
            .collect();
        TierPlan {
            steps,
            groups: c.groups.len(),
        }
    }

    /// The first tier whose minimum and requirement hold for `lead`.
    /// `group(g)` gives its subtotal of group `g`; `virtuals` is scratch
    /// space of `groups + 1` values.
    ///
    /// Every tier is tested, from the last up, so that a minimum a lead
    /// may or may not reach is a conditional move, not a branch the
    /// processor guesses wrong half the time; a requirement is only
    /// evaluated for a lead that reaches the tier's minimum.
    #[inline]
    pub(super) fn tier(
        &self,
        lead: usize,
        score: f64,
        group: impl Fn(usize) -> f64,
        virtuals: &mut [f64],
    ) -> u32 {
        let mut tier = NO_TIER;
        for (k, (min, req)) in self.steps.iter().enumerate().rev() {
            let reaches = score >= *min;
            let ok = match req {
                Require::None => reaches,
                Require::Set(set) => reaches & set.t.get(lead),
                Require::Compare(v, op, x) => {
                    let value = if *v < self.groups { group(*v) } else { score };
                    reaches & !value.is_nan() & op.holds(value, *x)
                }
                Require::Lead(cond, reads) => {
                    reaches && {
                        for &v in *reads {
                            virtuals[v] = if v < self.groups { group(v) } else { score };
                        }
                        cond.eval_lead(lead, virtuals) == Tri::True
                    }
                }
            };
            tier = if ok { k as u32 } else { tier };
        }
        tier
    }

    /// [`TierPlan::tier`] of up to 64 leads at once, from lead `first` (a
    /// multiple of 64): lead `first + l` scored `score[l]`, its tier goes to
    /// `out[l]`; `group(g, sub)` writes their subtotals of group `g` into
    /// `sub`. The same tests, a tier at a time over every lead, so that all
    /// but a requirement the interpreter evaluates run in vector registers.
    #[inline]
    pub(super) fn tiers(
        &self,
        first: usize,
        score: &[f64],
        group: impl Fn(usize, &mut [f64]),
        virtuals: &mut [f64],
        out: &mut [u32],
    ) {
        let (n, word) = (score.len().min(out.len()), first / 64);
        let (score, out) = (&score[..n], &mut out[..n]);
        out.fill(NO_TIER);
        for (k, (min, req)) in self.steps.iter().enumerate().rev() {
            let (k, min) = (k as u32, *min);
            match req {
                Require::None => {
                    for (t, &s) in out.iter_mut().zip(score) {
                        *t = if s >= min { k } else { *t };
                    }
                }
                Require::Set(set) => {
                    let bits = set.t.words()[word];
                    for (l, (t, &s)) in out.iter_mut().zip(score).enumerate() {
                        *t = if (s >= min) & (bits >> l & 1 == 1) {
                            k
                        } else {
                            *t
                        };
                    }
                }
                Require::Compare(v, op, x) => {
                    let lanes = Lanes { score, min, k };
                    let mut sub = [0.0; 64];
                    let values = match *v < self.groups {
                        true => {
                            group(*v, &mut sub[..n]);
                            &sub[..n]
                        }
                        false => score,
                    };
                    lanes.compare(*op, *x, values, out);
                }
                Require::Lead(cond, reads) => {
                    // The subtotals it reads, per lead: (group, its lanes).
                    let subs: Vec<(usize, [f64; 64])> = reads
                        .iter()
                        .filter(|&&v| v < self.groups)
                        .map(|&v| {
                            let mut sub = [0.0; 64];
                            group(v, &mut sub[..n]);
                            (v, sub)
                        })
                        .collect();
                    for (l, t) in out.iter_mut().enumerate() {
                        if score[l] < min {
                            continue;
                        }
                        virtuals[self.groups] = score[l];
                        for (v, sub) in &subs {
                            virtuals[*v] = sub[l];
                        }
                        if cond.eval_lead(first + l, virtuals) == Tri::True {
                            *t = k;
                        }
                    }
                }
            }
        }
    }
}

/// One tier's step of [`TierPlan::tiers`]: the leads' scores, the tier's
/// minimum and index.
struct Lanes<'s> {
    score: &'s [f64],
    min: f64,
    k: u32,
}

impl Lanes<'_> {
    /// Tier `k` for every lead that reaches the minimum and whose value
    /// is known and compares with `x`: one loop per operator, so that each
    /// is a vector compare.
    #[inline(always)]
    fn compare(&self, op: CmpOp, x: f64, values: &[f64], out: &mut [u32]) {
        match op {
            CmpOp::Eq => self.pick(values, out, |v| v == x),
            CmpOp::Ne => self.pick(values, out, |v| (v != x) & !v.is_nan()),
            CmpOp::Lt => self.pick(values, out, |v| v < x),
            CmpOp::Le => self.pick(values, out, |v| v <= x),
            CmpOp::Gt => self.pick(values, out, |v| v > x),
            CmpOp::Ge => self.pick(values, out, |v| v >= x),
        }
    }

    #[inline(always)]
    fn pick(&self, values: &[f64], out: &mut [u32], holds: impl Fn(f64) -> bool) {
        for ((t, &s), &v) in out.iter_mut().zip(self.score).zip(values) {
            *t = if (s >= self.min) & holds(v) {
                self.k
            } else {
                *t
            };
        }
    }
}

/// A subtotal limited to at most `cap`, then to at least `floor`.
#[inline]
pub(super) fn limit(x: f64, cap: Option<f64>, floor: Option<f64>) -> f64 {
    bounded(x, bounds(cap, floor))
}

/// A cap and floor as the numbers [`bounded`] takes: ±∞ where not set.
#[inline]
pub(super) fn bounds(cap: Option<f64>, floor: Option<f64>) -> (f64, f64) {
    (
        cap.unwrap_or(f64::INFINITY),
        floor.unwrap_or(f64::NEG_INFINITY),
    )
}

/// Steps 2 and 3 for one lead from its groups' sums before cap and floor
/// (in group order, with [`bounds`] per group): the subtotals limited, then
/// added in group order, as [`score`] adds them.
#[inline]
pub(super) fn raw_total(sums: impl IntoIterator<Item = f64>, bounds: &[(f64, f64)]) -> f64 {
    sums.into_iter()
        .zip(bounds)
        .fold(0.0, |t, (s, &b)| t + bounded(s, b))
}

/// [`limit`] with its cap and floor as [`bounds`]: two instructions, for
/// the loops that limit a subtotal per lead.
#[inline]
pub(super) fn bounded(x: f64, (cap, floor): (f64, f64)) -> f64 {
    // `x.min(cap).max(floor)`, written so that each step is one `minsd` or
    // `maxsd` (`f64::min` wraps NaN handling around it). A NaN `x` still
    // gives `cap`, then `floor`, as `f64::min` would. Only a cap or floor
    // of −0 can make the sign of a zero differ, and [`finish`] turns −0
    // into 0.
    let capped = if x < cap { x } else { cap };
    if capped > floor { capped } else { floor }
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
