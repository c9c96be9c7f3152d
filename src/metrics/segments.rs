//! The headline figures of each `[[segments]]` entry: the review's AUC,
//! conversion and qualified precision and recall within one segment.

use super::score_order::Ranked;
use super::{auc, is_qualified, ratio};
use crate::engine::{Compiled, Scores};
use crate::ruleset::Ruleset;

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

/// The headline figures of each `[[segments]]` entry.
pub(super) fn segments(
    c: &Compiled,
    rs: &Ruleset,
    scores: &Scores,
    order: &[Ranked],
) -> Vec<SegmentStats> {
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
