//! Review metrics (SPEC §6): AUC, bands, tiers, qualified precision and
//! recall, misclassified leads, segments, volume per week, rule evidence.
//!
//! Only leads whose outcome is known count, except in volume per week.

mod auc;
mod stats;

pub use auc::auc;
pub use stats::{Stats, wilson};

use crate::data::{DATE_MISSING, LeadTable, Values};
use crate::engine::{Compiled, NO_TIER, Scores};
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
    let n = scores.score.len();
    let outcome = &table.outcome;
    let labelled_idx: Vec<usize> = (0..n)
        .filter(|&i| outcome.get(i).copied().flatten().is_some())
        .collect();
    let conv = |i: usize| outcome[i] == Some(true);
    let labelled = labelled_idx.len();
    let converted = labelled_idx.iter().filter(|&&i| conv(i)).count();
    let base_rate = (labelled > 0).then(|| converted as f64 / labelled as f64);

    let pairs: Vec<(f64, bool)> = labelled_idx
        .iter()
        .map(|&i| (scores.score[i], conv(i)))
        .collect();
    let auc_all = auc(&pairs);

    let edges = &rs.review.bands;
    let mut band_counts = vec![(0usize, 0usize); edges.len() - 1];
    let mut tier_counts = vec![(0usize, 0usize); rs.tiers.len() + 1];
    let q = rs.qualified_index();
    let (mut q_leads, mut q_conv) = (0, 0);
    for &i in &labelled_idx {
        let b = band_of(edges, scores.score[i]);
        let c = conv(i) as usize;
        band_counts[b].0 += 1;
        band_counts[b].1 += c;
        let t = scores.tier[i];
        let ti = if t == NO_TIER {
            rs.tiers.len()
        } else {
            t as usize
        };
        tier_counts[ti].0 += 1;
        tier_counts[ti].1 += c;
        if is_qualified(t, q) {
            q_leads += 1;
            q_conv += c;
        }
    }
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

    // Misclassified: stable sorts keep input order among equal scores.
    let mut fps: Vec<usize> = labelled_idx
        .iter()
        .copied()
        .filter(|&i| !conv(i) && is_qualified(scores.tier[i], q))
        .collect();
    fps.sort_by(|&a, &b| scores.score[b].total_cmp(&scores.score[a]));
    fps.truncate(top);
    let mut fns: Vec<usize> = labelled_idx
        .iter()
        .copied()
        .filter(|&i| conv(i) && !is_qualified(scores.tier[i], q))
        .collect();
    fns.sort_by(|&a, &b| scores.score[a].total_cmp(&scores.score[b]));
    fns.truncate(top);

    let segments = rs
        .segments
        .iter()
        .zip(&c.segments)
        .map(|(s, cond)| {
            let set = cond.set();
            let members: Vec<usize> = labelled_idx
                .iter()
                .copied()
                .filter(|&i| set.is_some_and(|m| m.t.get(i)))
                .collect();
            let seg_conv = members.iter().filter(|&&i| conv(i)).count();
            let pairs: Vec<(f64, bool)> = members
                .iter()
                .map(|&i| (scores.score[i], conv(i)))
                .collect();
            let sq: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| is_qualified(scores.tier[i], q))
                .collect();
            let sq_conv = sq.iter().filter(|&&i| conv(i)).count();
            SegmentStats {
                id: s.id.clone(),
                leads: members.len(),
                converted: seg_conv,
                rate: ratio(seg_conv, members.len()),
                auc: auc(&pairs),
                qualified: sq.len(),
                precision: ratio(sq_conv, sq.len()),
                recall: ratio(sq_conv, seg_conv),
            }
        })
        .collect();

    let per_week = table
        .created_column
        .and_then(|col| match &table.columns[col].values {
            Values::Date(days) => {
                let present = days.iter().filter(|&&d| d != DATE_MISSING);
                let (lo, hi) =
                    present.fold((i32::MAX, i32::MIN), |(lo, hi), &d| (lo.min(d), hi.max(d)));
                if lo > hi {
                    return None;
                }
                let weeks = ((hi - lo) as f64 / 7.0).max(1.0);
                let all_q = scores.tier.iter().filter(|&&t| is_qualified(t, q)).count();
                Some(PerWeek {
                    qualified: all_q as f64 / weeks,
                    capacity: rs.review.capacity_per_week,
                    weeks,
                })
            }
            _ => None,
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
        leads: n,
        labelled,
        converted,
        base_rate,
        auc: auc_all,
        bands,
        tiers,
        qualified,
        false_positives: fps,
        false_negatives: fns,
        segments,
        per_week,
        warnings,
    }
}

/// Per-rule evidence: fire counts and conversion among fired leads.
pub fn rule_evidence(c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Vec<RuleEvidence> {
    let outcome = &table.outcome;
    let (labelled, converted) = outcome.iter().fold((0, 0), |(l, cv), o| match o {
        Some(x) => (l + 1, cv + *x as usize),
        None => (l, cv),
    });
    let base = ratio(converted, labelled);
    rs.rules
        .iter()
        .zip(&c.rules)
        .map(|(r, cr)| {
            let (mut l, mut cv) = (0, 0);
            for &i in &cr.fires {
                if let Some(Some(x)) = outcome.get(i as usize) {
                    l += 1;
                    cv += *x as usize;
                }
            }
            let rate = ratio(cv, l);
            RuleEvidence {
                id: r.id.clone(),
                fires: cr.fires.len(),
                labelled: l,
                converted: cv,
                rate,
                lift: lift(rate, base),
            }
        })
        .collect()
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
