//! Tiers: how many leads each holds (labelled, converted, all), which
//! count as qualified, and the per-tier figures of the review.
//!
//! The counts are kept between edits and moved lead by lead, so that an
//! edit that re-tiers a few leads does not recount a million.

use super::Stats;
use crate::engine::NO_TIER;

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

/// Whether a lead's tier counts as qualified.
pub fn is_qualified(tier: u32, qualified: Option<usize>) -> bool {
    tier != NO_TIER && qualified.is_some_and(|q| tier as usize <= q)
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
    pub(super) fn labelled(&self, slot: usize) -> (usize, usize) {
        (self.0[slot][0] as usize, self.0[slot][1] as usize)
    }
}

/// Lead `i`'s outcome (`outcome` is empty when the ruleset names none).
#[inline]
pub(crate) fn outcome_of(outcome: &[Option<bool>], i: usize) -> Option<bool> {
    outcome.get(i).copied().flatten()
}
