//! Helpers shared by the integration tests.
#![allow(dead_code)]

use leadlab::engine::{NO_TIER, Scores};
use leadlab::session::Session;

pub fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Open a ruleset and CSV given as text, as of 2026-10-31.
pub fn open(ruleset: &str, csv: &str) -> Session {
    Session::from_text(
        "test.toml",
        ruleset,
        "test.csv",
        csv.as_bytes(),
        Some(date("2026-10-31")),
        false,
    )
    .unwrap_or_else(|e| panic!("{e:#}"))
}

/// The error a ruleset and CSV give, as the user would read it.
pub fn open_err(ruleset: &str, csv: &str) -> String {
    match Session::from_text(
        "test.toml",
        ruleset,
        "test.csv",
        csv.as_bytes(),
        Some(date("2026-10-31")),
        false,
    ) {
        Ok(_) => panic!("expected an error"),
        Err(e) => format!("{e:#}"),
    }
}

pub fn scored(ruleset: &str, csv: &str) -> (Session, Scores) {
    let s = open(ruleset, csv);
    let scores = s.score();
    (s, scores)
}

pub fn tier_names(s: &Session, scores: &Scores) -> Vec<String> {
    scores
        .tier
        .iter()
        .map(|&t| {
            if t == NO_TIER {
                "none".to_string()
            } else {
                s.ruleset.tiers[t as usize].name.clone()
            }
        })
        .collect()
}
