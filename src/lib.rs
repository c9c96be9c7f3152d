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
pub mod fmt;
pub mod metrics;
pub mod report;
pub mod ruleset;
pub mod sample;
pub mod session;
pub mod tui;

/// Helpers for unit tests across modules: the one seeded generator they
/// draw from (integration tests have theirs in `tests/common`).
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

    /// One of `xs`, drawn with `next`.
    pub fn pick<'a, T>(next: &mut impl FnMut() -> u64, xs: &'a [T]) -> &'a T {
        &xs[(next() % xs.len() as u64) as usize]
    }

    /// Up to `max - 1` tokens drawn with `next`, concatenated: inputs for
    /// fuzzing a parser with the pieces its edge cases are made of.
    pub fn concat_tokens(next: &mut impl FnMut() -> u64, tokens: &[&[u8]], max: u64) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..next() % max {
            out.extend_from_slice(tokens[(next() % tokens.len() as u64) as usize]);
        }
        out
    }
}
