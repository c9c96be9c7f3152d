//! The labelled leads in score order: what a fresh review's AUC, bands
//! and segments are read from.

use crate::data::LeadTable;

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
