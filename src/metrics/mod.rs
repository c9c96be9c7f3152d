//! Review metrics (SPEC §6): AUC, bands, tiers, qualified precision and
//! recall, misclassified leads, segments, volume per week, rule evidence.
//!
//! Only leads whose outcome is known count, except in volume per week.
//!
//! A fresh review ([`review`]) reads every figure off one scoring. The
//! workbench's [`LiveReview`] keeps what the figures are read from between
//! edits and moves only the leads the engine's rescoring reports:
//! - [`review`](mod@review): the review and how it is assembled;
//! - `tiers`, `tallies` (AUC and bands per distinct score), `misclassified`,
//!   `segments`, `evidence`, `score_order`, `stats`, `auc`: one figure each;
//! - `live`: the review kept up to date; `domain` (the labelled leads'
//!   distinct scores), `moves` (an edit's moves in it), `radix` (their
//!   sort) and `buf`: what it keeps.

mod auc;
mod buf;
mod domain;
mod evidence;
mod live;
mod misclassified;
mod moves;
mod radix;
mod review;
mod score_order;
mod segments;
mod stats;
mod tallies;
mod tiers;

pub use auc::auc;
pub use evidence::{RuleEvidence, rule_evidence};
pub use live::{Evaluation, LiveReview};
pub use review::{PerWeek, Review, review};
pub use segments::SegmentStats;
pub use stats::{Stats, wilson};
pub use tallies::{Band, band_of};
pub use tiers::{Qualified, TierStats};

use stats::{lift, ratio};
use tallies::Tally;
use tiers::{TierCounts, is_qualified, outcome_of};

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
