//! The scoring engine (SPEC §5): a ruleset compiled against a lead table,
//! scores, the per-lead ledger, and the workbench's incremental rescoring.
//!
//! [`compile`] evaluates every condition once into a match set. [`score`]
//! then only reads points, caps, gate caps and thresholds from the ruleset,
//! so an edit of any of those re-sums and never re-evaluates a condition.
//! [`Rescore`] keeps the last scoring and, after such an edit, rescores
//! only the leads it can move, reporting each to the review's side
//! ([`Watch`]): the engine knows scores and tiers, not what is read off
//! them.

mod compile;
mod ledger;
mod rescore;
mod score;

pub use compile::{
    Compiled, CompiledGate, CompiledRule, CompiledTier, Factors, compile, compile_rule,
    cond_diagnostic,
};
pub use ledger::{GateLine, GroupLine, Ledger, NextTier, RuleLine, TierMiss, explain};
pub(crate) use rescore::bits;
pub(crate) use rescore::{Moves, Pass, Rescore, Rescored, TierMoves, TierPass, Watch};
pub use score::{NO_TIER, Scores, reasons, score};
