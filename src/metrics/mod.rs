//! Review metrics (SPEC §6): AUC, bands, tiers, qualified precision and
//! recall, misclassified leads, segments, volume per week, rule evidence.
//!
//! Only leads whose outcome is known count, except in volume per week.

mod auc;
mod evaluator;
mod stats;

pub use auc::auc;
use auc::{MannWhitney, tie_runs};
pub use evaluator::{Evaluation, Evaluator};
pub use stats::{Stats, wilson};

use crate::data::{DATE_MISSING, LeadTable, Values};
use crate::engine::{Compiled, CompiledRule, NO_TIER, Scores};
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
    let mut r = summarize(rs, table, &scores.tier, &order, weeks, top);
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

/// Every figure but the segments, from per-lead tiers, the labelled leads
/// in [`score_order`] and the [`created_weeks`].
pub fn summarize(
    rs: &Ruleset,
    table: &LeadTable,
    tier: &[u32],
    order: &[Ranked],
    weeks: Option<f64>,
    top: usize,
) -> Review {
    let q = rs.qualified_index();
    // Tiers (labelled leads) and qualified volume (every lead), in lead order.
    let mut tier_counts = vec![(0usize, 0usize); rs.tiers.len() + 1];
    let mut all_qualified = 0;
    let outcomes = table.outcome.iter().chain(std::iter::repeat(&None));
    for (&t, o) in tier.iter().zip(outcomes) {
        all_qualified += is_qualified(t, q) as usize;
        if let Some(won) = o {
            let k = if t == NO_TIER {
                rs.tiers.len()
            } else {
                t as usize
            };
            tier_counts[k].0 += 1;
            tier_counts[k].1 += *won as usize;
        }
    }
    let edges = &rs.review.bands;

    // One pass over the ordered leads: AUC (ties count one half), bands.
    let mut band_counts = vec![(0usize, 0usize); edges.len() - 1];
    let mut mw = MannWhitney::default();
    let mut band = 0;
    for (s, p, n) in tie_runs(order.iter().map(|r| (r.score, r.converted))) {
        mw.add(p, n);
        // Scores ascend, so the band only ever moves up.
        while band + 1 < band_counts.len() && s >= edges[band + 1] {
            band += 1;
        }
        band_counts[band].0 += (p + n) as usize;
        band_counts[band].1 += p as usize;
    }
    let labelled = order.len();
    let converted = mw.pos as usize;
    let auc_all = mw.auc();
    let base_rate = ratio(converted, labelled);

    let (q_leads, q_conv) = match q {
        Some(k) => tier_counts[..=k]
            .iter()
            .fold((0, 0), |(l, c), t| (l + t.0, c + t.1)),
        None => (0, 0),
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
        .zip(&tier_counts)
        .map(|(t, &(l, cv))| TierStats {
            name: t.name.clone(),
            stats: Stats::new(l, cv, base_rate),
        })
        .collect();
    let (none_l, none_c) = tier_counts[rs.tiers.len()];
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

    // Misclassified, read off the order: false positives from the top (equal
    // scores in input order), false negatives from the bottom.
    let mut fps = vec![];
    let mut end = order.len();
    while end > 0 && fps.len() < top {
        let s = order[end - 1].score;
        let start = order[..end].partition_point(|x| x.score < s);
        for r in &order[start..end] {
            if fps.len() < top && !r.converted && is_qualified(tier[r.lead as usize], q) {
                fps.push(r.lead as usize);
            }
        }
        end = start;
    }
    let fns: Vec<usize> = order
        .iter()
        .filter(|r| r.converted && !is_qualified(tier[r.lead as usize], q))
        .map(|r| r.lead as usize)
        .take(top)
        .collect();

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
                fmt(upper.from),
                fmt(upper.to),
                fmt(lower.from),
                fmt(lower.to)
            ));
        }
    }

    Review {
        leads: tier.len(),
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

fn fmt(x: f64) -> String {
    crate::report::fmt_num(x)
}
