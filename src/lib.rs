//! leadlab: calibrate point-based lead scoring models against leads with known outcomes.
//!
//! The flow (see HOUSE.md): CSV → [`data::LeadTable`] → [`engine::Compiled`]
//! → [`engine::Scores`] → [`metrics::Review`]; the ruleset file is read by
//! [`ruleset`] and conditions by [`cond`].

pub mod check;
pub mod cli;
pub mod commands;
pub mod cond;
pub mod data;
pub mod engine;
pub mod metrics;
pub mod report;
pub mod ruleset;
pub mod sample;
pub mod session;
pub mod tui;

/// Helpers for unit tests across modules.
#[cfg(test)]
pub(crate) mod testing {
    /// A xorshift generator: deterministic noise for fuzz-style tests.
    pub fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }
}
