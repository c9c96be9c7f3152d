//! Renderers for the CLI: table, markdown, JSON and CSV (SPEC §7). Numbers
//! and escaping come from [`crate::fmt`].

mod grid;
mod ledger;
mod review;
mod scores;

pub use grid::Grid;
pub use ledger::{ledger_json, ledger_text, next_tier_lines};
pub use review::{ReportInput, bar, json as review_json, text as review_text};
pub use scores::{RawRows, ScoreOutput, write_scores_csv, write_scores_json};
