//! Renderers for the CLI: table, markdown, JSON and CSV (SPEC §7).

/// A number with at most 2 decimals and no trailing zeros (`45`, `37.5`, `12.34`).
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

pub mod escape;
mod grid;
mod ledger;
mod review;
mod scores;

pub use grid::Grid;
pub use ledger::{ledger_json, ledger_text, next_tier_lines};
pub use review::{ReportInput, bar, json as review_json, text as review_text};
pub use scores::{RawRows, ScoreOutput, write_scores_csv, write_scores_json};

/// A rate as a percentage with one decimal, `-` when there is none.
pub fn pct(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{:.1}%", v * 100.0),
        None => "-".into(),
    }
}

/// A number with `digits` decimals, `-` when there is none.
pub fn opt_num(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(v) => format!("{v:.digits$}"),
        None => "-".into(),
    }
}
