//! The scoring engine (SPEC §5): a ruleset compiled against a lead table,
//! scores, and the per-lead ledger.
//!
//! [`compile`] evaluates every condition once into a match set. [`score`]
//! then only reads points, caps, gate caps and thresholds from the ruleset,
//! so an edit of any of those re-sums and never re-evaluates a condition.

mod compile;
mod ledger;
mod score;

pub use compile::{
    Compiled, CompiledGate, CompiledRule, CompiledTier, Factors, compile, compile_rule,
    cond_diagnostic, decay_factor,
};
pub use ledger::{GateLine, GroupLine, Ledger, NextTier, RuleLine, TierMiss, explain};
pub use score::{
    NO_TIER, Prefix, Scores, TierPlan, bounded, bounds, finish, gate_caps, group_bounds,
    group_sums, group_sums_for, group_sums_in, limit, raw_total, reasons, score,
};
