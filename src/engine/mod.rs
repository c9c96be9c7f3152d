//! The scoring engine (SPEC §5): a ruleset compiled against a lead table,
//! scores, and the per-lead ledger.
//!
//! [`compile`] evaluates every condition once into a match set. [`score`]
//! then only reads points, caps, gate caps and thresholds from the ruleset,
//! so an edit of any of those re-sums and never re-evaluates a condition.

mod compile;
mod ledger;
mod score;

pub use compile::{compile, cond_diagnostic, decay_factor, Compiled, CompiledGate, CompiledRule, CompiledTier};
pub use ledger::{explain, GateLine, GroupLine, Ledger, NextTier, RuleLine, TierMiss};
pub use score::{reasons, score, Scores, NO_TIER};
