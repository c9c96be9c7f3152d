//! The review of one scoring: what a report or the workbench shows about
//! it, assembled from the tier counts, the tally of the distinct scores
//! and the misclassified lists.

use super::auc::tie_runs;
use super::domain::Run;
use super::misclassified::{Sides, misclassified};
use super::score_order::{Ranked, score_order};
use super::segments::segments;
use super::{Band, Qualified, SegmentStats, Stats, Tally, TierCounts, TierStats, ratio};
use crate::data::{DATE_MISSING, LeadTable, Values};
use crate::engine::{Compiled, Scores};
use crate::fmt::fmt_num;
use crate::ruleset::Ruleset;

#[derive(Debug, Clone, serde::Serialize)]
pub struct PerWeek {
    pub qualified: f64,
    pub capacity: Option<f64>,
    pub weeks: f64,
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
