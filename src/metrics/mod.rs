//! Review metrics (SPEC §6): AUC, bands, tiers, qualified precision and
//! recall, misclassified leads, segments, volume per week, rule evidence.
//!
//! Only leads whose outcome is known count, except in volume per week.

mod auc;
mod domain;
mod evaluator;
mod stats;

pub use auc::auc;
use auc::{MannWhitney, tie_runs};
use domain::Run;
pub use evaluator::{Evaluation, Evaluator};
pub use stats::{Stats, wilson};

use crate::cond::ones;
use crate::data::{DATE_MISSING, LeadTable, Values};
use crate::engine::{Compiled, CompiledRule, NO_TIER, Scores};
use crate::fmt::fmt_num;
use crate::ruleset::Ruleset;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Band {
    pub from: f64,
    pub to: f64,
    #[serde(flatten)]
    pub stats: Stats,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TierStats {
    pub name: String,
    #[serde(flatten)]
    pub stats: Stats,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Qualified {
    /// The lowest tier that counts as qualified (`None`: no tier does).
    pub tier: Option<String>,
    /// Labelled leads in a qualified tier, and how many of them converted.
    pub leads: usize,
    pub converted: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SegmentStats {
    pub id: String,
    /// Labelled leads in the segment.
    pub leads: usize,
    pub converted: usize,
    pub rate: Option<f64>,
    pub auc: Option<f64>,
    pub qualified: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PerWeek {
    pub qualified: f64,
    pub capacity: Option<f64>,
    pub weeks: f64,
}

/// What a rule's match set says about outcomes (independent of its points).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleEvidence {
    pub id: String,
    /// Leads whose `when` is true (all leads, labelled or not).
    pub fires: usize,
    /// Labelled leads among them, and converted ones.
    pub labelled: usize,
    pub converted: usize,
    pub rate: Option<f64>,
    pub lift: Option<f64>,
}

/// Everything a report or the workbench shows about one scoring.
#[derive(Debug, Clone)]
pub struct Review {
    pub leads: usize,
    pub labelled: usize,
    pub converted: usize,
    pub base_rate: Option<f64>,
    pub auc: Option<f64>,
    pub bands: Vec<Band>,
    pub tiers: Vec<TierStats>,
    pub qualified: Qualified,
    /// Lead indices: qualified non-converted, highest score first (at most `top`).
    pub false_positives: Vec<usize>,
    /// Lead indices: unqualified converted, lowest score first (at most `top`).
    pub false_negatives: Vec<usize>,
    pub segments: Vec<SegmentStats>,
    pub per_week: Option<PerWeek>,
    pub warnings: Vec<String>,
}

/// The band a score falls in (SPEC §6): `[e(i), e(i+1))`, the last band
/// closed; below the first edge → first band, above the last → last band.
pub fn band_of(edges: &[f64], score: f64) -> usize {
    let bands = edges.len().saturating_sub(1).max(1);
    // Number of inner edges (e1..e(k-1)) at or below the score.
    let k = edges[1..edges.len().saturating_sub(1).max(1)].partition_point(|&e| e <= score);
    k.min(bands - 1)
}

/// Whether a lead's tier counts as qualified.
pub fn is_qualified(tier: u32, qualified: Option<usize>) -> bool {
    tier != NO_TIER && qualified.is_some_and(|q| tier as usize <= q)
}

/// Compute the review of `scores`. `top` bounds the misclassified lists.
pub fn review(
    c: &Compiled,
    rs: &Ruleset,
    table: &LeadTable,
    scores: &Scores,
    top: usize,
) -> Review {
    let order = score_order(table, &scores.score);
    let weeks = created_weeks(table);
    let mut r = summarize(rs, table, scores, &order, weeks, top);
    r.segments = segments(c, rs, scores, &order);
    r
}

/// A labelled lead in the score order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    pub score: f64,
    pub lead: u32,
    pub converted: bool,
}

/// Labelled leads ascending by score, then input order: the one ordering
/// AUC, bands and the misclassified lists are read from.
pub fn score_order(table: &LeadTable, score: &[f64]) -> Vec<Ranked> {
    let mut order: Vec<Ranked> = (0..score.len())
        .filter_map(|i| match table.outcome.get(i) {
            Some(Some(won)) => Some(Ranked {
                score: score[i],
                lead: i as u32,
                converted: *won,
            }),
            _ => None,
        })
        .collect();
    order.sort_unstable_by(by_score_then_lead);
    order
}

/// The order of [`score_order`].
pub fn by_score_then_lead(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    a.score.total_cmp(&b.score).then(a.lead.cmp(&b.lead))
}

/// Weeks between the earliest and latest created date (at least one), when
/// the ruleset names a created column that has dates.
pub fn created_weeks(table: &LeadTable) -> Option<f64> {
    let col = table.created_column?;
    let Values::Date(days) = &table.columns[col].values else {
        return None;
    };
    let present = days.iter().filter(|&&d| d != DATE_MISSING);
    let (lo, hi) = present.fold((i32::MAX, i32::MIN), |(lo, hi), &d| (lo.min(d), hi.max(d)));
    (lo <= hi).then(|| ((hi - lo) as f64 / 7.0).max(1.0))
}

/// Per tier, then for `none`: labelled leads, converted leads, and every
/// lead (labelled or not, for the qualified volume per week).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TierCounts(pub Vec<[i64; 3]>);

impl TierCounts {
    pub fn new(tiers: usize) -> TierCounts {
        TierCounts(vec![[0; 3]; tiers + 1])
    }

    /// The counts of every lead's `tier`.
    pub fn of(tier: &[u32], outcome: &[Option<bool>], tiers: usize) -> TierCounts {
        let mut counts = TierCounts::new(tiers);
        for (i, &t) in tier.iter().enumerate() {
            counts.add(t, outcome_of(outcome, i), 1);
        }
        counts
    }

    /// Count `n` (may be negative) leads with `tier` and `outcome`.
    #[inline]
    pub fn add(&mut self, tier: u32, outcome: Option<bool>, n: i64) {
        let last = self.0.len() - 1;
        let slot = &mut self.0[if tier == NO_TIER { last } else { tier as usize }];
        slot[2] += n;
        if let Some(won) = outcome {
            slot[0] += n;
            slot[1] += n * won as i64;
        }
    }

    /// A lead with `outcome` moved from tier `was` to `now`; returns
    /// whether it moved at all.
    #[inline]
    pub fn moved(&mut self, was: u32, now: u32, outcome: Option<bool>) -> bool {
        if was == now {
            return false;
        }
        self.add(was, outcome, -1);
        self.add(now, outcome, 1);
        true
    }

    pub fn merge(&mut self, other: &TierCounts) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            for k in 0..3 {
                a[k] += b[k];
            }
        }
    }

    /// (labelled, converted) of the tier in `slot`.
    fn labelled(&self, slot: usize) -> (usize, usize) {
        (self.0[slot][0] as usize, self.0[slot][1] as usize)
    }
}

/// Lead `i`'s outcome (`outcome` is empty when the ruleset names none).
#[inline]
pub(crate) fn outcome_of(outcome: &[Option<bool>], i: usize) -> Option<bool> {
    outcome.get(i).copied().flatten()
}

/// Every figure but the segments, from the scores, the labelled leads in
/// [`score_order`] and the [`created_weeks`].
pub fn summarize(
    rs: &Ruleset,
    table: &LeadTable,
    scores: &Scores,
    order: &[Ranked],
    weeks: Option<f64>,
    top: usize,
) -> Review {
    let q = rs.qualified_index();
    let counts = TierCounts::of(&scores.tier, &table.outcome, rs.tiers.len());
    let runs: Vec<Run> = tie_runs(order.iter().map(|r| (r.score, r.converted))).collect();
    let wrong = misclassified(
        [&runs, &[]],
        &scores.score,
        &scores.tier,
        &Sides::of(&table.outcome, scores.score.len()),
        q,
        top,
    );
    let tally = Tally::of(&runs, &rs.review.bands);
    assemble(rs, scores.tier.len(), &counts, &tally, wrong.lists, weeks)
}

/// False positives (qualified, not converted; highest score first) and
/// false negatives (unqualified, converted; lowest score first), at most
/// `top` each, equal scores in input order: found by scanning the scores
/// for leads beyond a threshold read off the labelled leads' `runs`, so no
/// sorted order of all leads is needed. A threshold is where `top` leads of
/// the wanted outcome lie beyond it; if fewer of those than `top` are
/// (un)qualified it is widened and the scan repeated.
pub(crate) fn misclassified(
    runs: [&[Run]; 2],
    score: &[f64],
    tier: &[u32],
    sides: &Sides,
    q: Option<usize>,
    top: usize,
) -> Misclassified {
    // The score with at least `want` leads counted by `n` at or beyond it,
    // walking `runs` in the given direction (`bound` when there is none).
    fn threshold<'a>(
        runs: impl Iterator<Item = &'a Run>,
        n: impl Fn(&Run) -> u64,
        want: usize,
        bound: f64,
    ) -> f64 {
        let mut seen = 0;
        for r in runs {
            seen += n(r);
            if seen >= want as u64 {
                return r.0;
            }
        }
        bound
    }
    let mut want = [top, top];
    let mut out: [Option<Vec<usize>>; 2] = [None, None];
    let mut used = [f64::INFINITY, f64::NEG_INFINITY];
    if top == 0 {
        return Misclassified {
            lists: (vec![], vec![]),
            hi: used[0],
            lo: used[1],
        };
    }
    while out.iter().any(Option::is_none) {
        // Leads at or above `hi` may be false positives, at or below `lo`
        // false negatives (a side already found scans nothing).
        let hi = match out[0] {
            None => threshold(
                runs[0].iter().chain(runs[1]).rev(),
                |r| r.2,
                want[0],
                f64::NEG_INFINITY,
            ),
            Some(_) => f64::INFINITY,
        };
        let lo = match out[1] {
            None => threshold(
                runs[0].iter().chain(runs[1]),
                |r| r.1,
                want[1],
                f64::INFINITY,
            ),
            Some(_) => f64::NEG_INFINITY,
        };
        // Both halves of the leads at once.
        let scan = |from: usize, scores: &[f64]| {
            let mut found: [Vec<(f64, usize)>; 2] = [vec![], vec![]];
            gather(scores, sides, from, (hi, lo), |won, s, i| {
                if is_qualified(tier[i], q) != won {
                    found[won as usize].push((s, i));
                }
            });
            found
        };
        let mid = score.len() / 128 * 64;
        let (mut found, upper) =
            rayon::join(|| scan(0, &score[..mid]), || scan(mid, &score[mid..]));
        for (f, u) in found.iter_mut().zip(upper) {
            f.extend(u);
        }
        for side in 0..2 {
            if out[side].is_some() {
                continue;
            }
            let everything = [hi, lo][side].is_infinite();
            let mut f = std::mem::take(&mut found[side]);
            if f.len() >= top || everything {
                used[side] = [hi, lo][side];
                if side == 0 {
                    f.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                } else {
                    f.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                }
                out[side] = Some(f.into_iter().take(top).map(|(_, i)| i).collect());
            } else {
                want[side] = want[side].saturating_mul(4);
            }
        }
    }
    let [fps, fns] = out.map(Option::unwrap_or_default);
    Misclassified {
        lists: (fps, fns),
        hi: used[0],
        lo: used[1],
    }
}

/// Per word of 64 leads, the leads of each outcome: bit `k` of `[0]` is
/// set where lead `64 · word + k` did not convert, of `[1]` where it did
/// (neither where the outcome is unknown).
#[derive(Default)]
pub(crate) struct Sides(Vec<[u64; 2]>);

impl Sides {
    pub fn of(outcome: &[Option<bool>], leads: usize) -> Sides {
        let mut words = vec![[0u64; 2]; leads.div_ceil(64)];
        for (i, o) in outcome.iter().enumerate().take(leads) {
            if let Some(won) = *o {
                words[i / 64][won as usize] |= 1 << (i % 64);
            }
        }
        Sides(words)
    }
}

/// Calls `keep(converted, score, lead)` for each lead of `scores` (lead
/// `from`, a multiple of 64, first) beyond `(hi, lo)`: not converted and
/// scored at least `hi`, or converted and at most `lo`.
///
/// 64 leads at a time, without branches: a bit per lead for each
/// threshold (comparisons in vector registers), masked by the leads'
/// [`Sides`]. Almost no lead is beyond, so what is kept costs little.
#[inline]
pub(crate) fn gather(
    scores: &[f64],
    sides: &Sides,
    from: usize,
    (hi, lo): (f64, f64),
    mut keep: impl FnMut(bool, f64, usize),
) {
    for (w, ss) in scores.chunks(64).enumerate() {
        let [others, converted] = sides.0[from / 64 + w];
        let hits = [
            others & bits(ss, |s| s >= hi),
            converted & bits(ss, |s| s <= lo),
        ];
        for (side, b) in hits.into_iter().enumerate() {
            for k in ones(b) {
                keep(side == 1, ss[k], from + w * 64 + k);
            }
        }
    }
}

/// Bit `k` set where `holds(scores[k])`, for at most 64 scores. A whole
/// word in eight bytes of eight comparisons each, which compile to vector
/// compares and mask moves. (In the scan's loop this costs a quarter fewer
/// instructions than [`mask`]'s byte per lead and multiplication; among
/// the many masks of [`evaluator`]'s word of moves, LLVM keeps only
/// `mask` in vector registers.)
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

/// The result of [`misclassified`]: the lists, and where they were read
/// from: non-converted leads scored at least `hi`, converted ones at most
/// `lo`. Only those leads decide the lists (and the thresholds, which count
/// only them), so an edit that moves none of them in or out, and changes
/// none of their tiers, leaves the lists as they are.
#[derive(Debug, Clone)]
pub(crate) struct Misclassified {
    pub lists: (Vec<usize>, Vec<usize>),
    pub hi: f64,
    pub lo: f64,
}

impl Misclassified {
    /// Whether a lead with outcome `won` scored `s` is where the lists were
    /// read from.
    #[inline]
    pub fn reads(&self, won: Option<bool>, s: f64) -> bool {
        beyond(won, s, self.hi, self.lo)
    }
}

/// Whether a lead with outcome `won` scored `s` may be misclassified given
/// the thresholds: converted at or below `lo`, or not converted at or above
/// `hi`. Without branches (the outcome as its byte: 0 other, 1 converted,
/// 2 unknown): which side a lead is on is anyone's guess. (The scan for
/// the lists tests a word of leads at once instead: [`gather`].)
#[inline]
fn beyond(won: Option<bool>, s: f64, hi: f64, lo: f64) -> bool {
    let code = won.map_or(2u8, u8::from);
    (code == 1) & (s <= lo) | (code == 0) & (s >= hi)
}

/// The threads the review's work is shared between, kept between edits
/// (starting a thread costs tens of microseconds, several times per edit).
pub(crate) fn pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("leadlab-review-{i}"))
            .build()
            .expect("review threads")
    })
}

/// What the review reads off the labelled leads' distinct scores: AUC's
/// counts, and each band's leads and conversions. Made in one pass over
/// them, or over each of two ranges of scores on its own core, then joined.
pub(crate) struct Tally {
    mw: MannWhitney,
    bands: Vec<(usize, usize)>,
}

impl Tally {
    /// Of `runs` (ascending), with band `edges`.
    pub fn of(runs: &[Run], edges: &[f64]) -> Tally {
        let mut bands = vec![(0usize, 0usize); edges.len().saturating_sub(1)];
        let mut mw = MannWhitney::default();
        let mut band = 0;
        for &(s, p, n) in runs {
            // AUC: ties count one half.
            mw.add(p, n);
            // Scores ascend, so the band only ever moves up.
            while band + 1 < bands.len() && s >= edges[band + 1] {
                band += 1;
            }
            if let Some(b) = bands.get_mut(band) {
                b.0 += (p + n) as usize;
                b.1 += p as usize;
            }
        }
        Tally { mw, bands }
    }

    /// The tally of `self`'s scores followed by `upper`'s (all higher).
    pub fn then(&self, upper: &Tally) -> Tally {
        Tally {
            mw: self.mw.then(&upper.mw),
            bands: (self.bands.iter().zip(&upper.bands))
                .map(|(a, b)| (a.0 + b.0, a.1 + b.1))
                .collect(),
        }
    }
}

/// The review from its counts: per tier (from [`TierCounts`]), per distinct
/// score (the [`Tally`]), and the misclassified leads.
pub(crate) fn assemble(
    rs: &Ruleset,
    leads: usize,
    counts: &TierCounts,
    tally: &Tally,
    (fps, fns): (Vec<usize>, Vec<usize>),
    weeks: Option<f64>,
) -> Review {
    let q = rs.qualified_index();
    let edges = &rs.review.bands;
    let (mw, band_counts) = (&tally.mw, &tally.bands);
    let labelled = (mw.pos + mw.neg) as usize;
    let converted = mw.pos as usize;
    let auc_all = mw.auc();
    let base_rate = ratio(converted, labelled);

    let (q_leads, q_conv) = match q {
        Some(k) => (0..=k)
            .map(|t| counts.labelled(t))
            .fold((0, 0), |(l, c), t| (l + t.0, c + t.1)),
        None => (0, 0),
    };
    let all_qualified: i64 = match q {
        Some(k) => counts.0[..=k].iter().map(|c| c[2]).sum(),
        None => 0,
    };
    let bands: Vec<Band> = band_counts
        .iter()
        .enumerate()
        .map(|(b, &(l, cv))| Band {
            from: edges[b],
            to: edges[b + 1],
            stats: Stats::new(l, cv, base_rate),
        })
        .collect();
    let mut tiers: Vec<TierStats> = rs
        .tiers
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let (l, cv) = counts.labelled(k);
            TierStats {
                name: t.name.clone(),
                stats: Stats::new(l, cv, base_rate),
            }
        })
        .collect();
    let (none_l, none_c) = counts.labelled(rs.tiers.len());
    if none_l > 0 {
        tiers.push(TierStats {
            name: "none".into(),
            stats: Stats::new(none_l, none_c, base_rate),
        });
    }
    let qualified = Qualified {
        tier: q.map(|k| rs.tiers[k].name.clone()),
        leads: q_leads,
        converted: q_conv,
        precision: ratio(q_conv, q_leads),
        recall: ratio(q_conv, converted),
    };

    let per_week = weeks.map(|weeks| PerWeek {
        qualified: all_qualified as f64 / weeks,
        capacity: rs.review.capacity_per_week,
        weeks,
    });

    let mut warnings = vec![];
    for w in bands.windows(2) {
        let (lower, upper) = (&w[0], &w[1]);
        if lower.stats.leads >= 30
            && upper.stats.leads >= 30
            && upper.stats.rate.unwrap_or(0.0) < lower.stats.rate.unwrap_or(0.0)
        {
            warnings.push(format!(
                "band {}-{} converts below band {}-{}",
                fmt_num(upper.from),
                fmt_num(upper.to),
                fmt_num(lower.from),
                fmt_num(lower.to)
            ));
        }
    }

    Review {
        leads,
        labelled,
        converted,
        base_rate,
        auc: auc_all,
        bands,
        tiers,
        qualified,
        false_positives: fps,
        false_negatives: fns,
        segments: vec![],
        per_week,
        warnings,
    }
}

/// The headline figures of each `[[segments]]` entry.
fn segments(c: &Compiled, rs: &Ruleset, scores: &Scores, order: &[Ranked]) -> Vec<SegmentStats> {
    let q = rs.qualified_index();
    rs.segments
        .iter()
        .zip(&c.segments)
        .map(|(s, cond)| {
            let set = cond.set();
            let members: Vec<&Ranked> = order
                .iter()
                .filter(|r| set.is_some_and(|m| m.t.get(r.lead as usize)))
                .collect();
            let pairs: Vec<(f64, bool)> = members.iter().map(|r| (r.score, r.converted)).collect();
            let seg_conv = members.iter().filter(|r| r.converted).count();
            let (mut sq, mut sq_conv) = (0, 0);
            for r in &members {
                if is_qualified(scores.tier[r.lead as usize], q) {
                    sq += 1;
                    sq_conv += r.converted as usize;
                }
            }
            SegmentStats {
                id: s.id.clone(),
                leads: members.len(),
                converted: seg_conv,
                rate: ratio(seg_conv, members.len()),
                auc: auc(&pairs),
                qualified: sq,
                precision: ratio(sq_conv, sq),
                recall: ratio(sq_conv, seg_conv),
            }
        })
        .collect()
}

/// Per-rule evidence: fire counts and conversion among fired leads.
pub fn rule_evidence(c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Vec<RuleEvidence> {
    let base = base_rate(table);
    rs.rules
        .iter()
        .zip(&c.rules)
        .map(|(r, cr)| rule_evidence_of(&r.id, cr, table, base))
        .collect()
}

/// Converted / labelled over the whole table.
pub fn base_rate(table: &LeadTable) -> Option<f64> {
    let (labelled, converted) = table.outcome.iter().fold((0, 0), |(l, cv), o| match o {
        Some(x) => (l + 1, cv + *x as usize),
        None => (l, cv),
    });
    ratio(converted, labelled)
}

/// The evidence of one compiled rule, given the table's base rate.
pub fn rule_evidence_of(
    id: &str,
    cr: &CompiledRule,
    table: &LeadTable,
    base: Option<f64>,
) -> RuleEvidence {
    let outcome = &table.outcome;
    let (mut l, mut cv) = (0, 0);
    for &i in &cr.fires {
        if let Some(Some(x)) = outcome.get(i as usize) {
            l += 1;
            cv += *x as usize;
        }
    }
    let rate = ratio(cv, l);
    RuleEvidence {
        id: id.to_string(),
        fires: cr.fires.len(),
        labelled: l,
        converted: cv,
        rate,
        lift: lift(rate, base),
    }
}

pub(crate) fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

pub(crate) fn lift(rate: Option<f64>, base: Option<f64>) -> Option<f64> {
    match (rate, base) {
        (Some(r), Some(b)) if b > 0.0 => Some(r / b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    /// The misclassified lists by their definition: every labelled lead
    /// sorted, then filtered.
    fn by_definition(
        score: &[f64],
        tier: &[u32],
        outcome: &[Option<bool>],
        q: Option<usize>,
        top: usize,
    ) -> (Vec<usize>, Vec<usize>) {
        let mut fps: Vec<usize> = (0..score.len())
            .filter(|&i| outcome[i] == Some(false) && is_qualified(tier[i], q))
            .collect();
        fps.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
        let mut fns: Vec<usize> = (0..score.len())
            .filter(|&i| outcome[i] == Some(true) && !is_qualified(tier[i], q))
            .collect();
        fns.sort_by(|&a, &b| score[a].total_cmp(&score[b]).then(a.cmp(&b)));
        fps.truncate(top);
        fns.truncate(top);
        (fps, fns)
    }

    /// Ties, open leads, and high scorers that are not qualified (so the
    /// first threshold is too tight and has to widen).
    #[test]
    fn misclassified_scan_matches_the_definition() {
        let mut rng = xorshift(5);
        for round in 0..300 {
            let n = 1 + (rng() % 400) as usize;
            let distinct = 1 + rng() % 30;
            let score: Vec<f64> = (0..n).map(|_| (rng() % distinct) as f64 - 5.0).collect();
            let tier: Vec<u32> = (0..n)
                .map(|_| match rng() % 4 {
                    0 => NO_TIER,
                    k => k as u32 - 1,
                })
                .collect();
            let outcome: Vec<Option<bool>> = (0..n)
                .map(|_| match rng() % 3 {
                    0 => None,
                    k => Some(k == 1),
                })
                .collect();
            let q = [None, Some(0), Some(1), Some(2)][(rng() % 4) as usize];
            let top = [0, 1, 3, 10, 50][(rng() % 5) as usize];
            let mut order: Vec<(f64, bool)> = (0..n)
                .filter_map(|i| outcome[i].map(|w| (score[i], w)))
                .collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0));
            let runs: Vec<Run> = tie_runs(order.into_iter()).collect();
            let sides = Sides::of(&outcome, n);
            let got = misclassified([&runs, &[]], &score, &tier, &sides, q, top);
            assert_eq!(
                got.lists,
                by_definition(&score, &tier, &outcome, q, top),
                "round {round}"
            );
        }
    }
}
