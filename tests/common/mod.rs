//! Helpers shared by the integration tests.
#![allow(dead_code)]

use leadlab::engine::{self, NO_TIER, Scores};
use leadlab::metrics::{self, Evaluation, LiveReview};
use leadlab::session::Session;
use std::path::Path;
use std::process::{Command, Output};

/// The binary under test.
pub const LEADLAB: &str = env!("CARGO_BIN_EXE_leadlab");

/// The leadlab binary, to be run in `dir`: the one place the integration
/// tests start it. Set stdin, stdout or stderr on it where [`leadlab`]'s
/// captured output is not what the test needs.
pub fn leadlab_command(dir: &Path) -> Command {
    let mut cmd = Command::new(LEADLAB);
    cmd.current_dir(dir);
    cmd
}

/// Runs `leadlab ARGS` in `dir` and waits for it, capturing stdout and stderr.
pub fn leadlab(args: &[&str], dir: &Path) -> Output {
    leadlab_command(dir)
        .args(args)
        .output()
        .expect("run leadlab")
}

pub fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Whether a file of `../shared/realdata` is there. Its absence fails the
/// test, loudly, unless `LEADLAB_SKIP_REALDATA=1` says the run knows it has
/// no real data (then the test says on stderr that it did not run).
pub fn realdata_present(path: &str) -> bool {
    if std::path::Path::new(path).exists() {
        return true;
    }
    if std::env::var("LEADLAB_SKIP_REALDATA").as_deref() == Ok("1") {
        eprintln!("NOT RUN: {path} is absent (LEADLAB_SKIP_REALDATA=1)");
        return false;
    }
    panic!(
        "{path} is absent: the real-data tests need ../shared/realdata beside the repository \
         (set LEADLAB_SKIP_REALDATA=1 to run without them)"
    );
}

/// A ruleset and CSV given as text, opened as of 2026-10-31.
fn try_open(ruleset: &str, csv: &str) -> anyhow::Result<Session> {
    Session::from_text(
        "test.toml",
        ruleset,
        "test.csv",
        csv.as_bytes(),
        Some(date("2026-10-31")),
        false,
    )
}

pub fn open(ruleset: &str, csv: &str) -> Session {
    try_open(ruleset, csv).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The error a ruleset and CSV give, as the user would read it.
pub fn open_err(ruleset: &str, csv: &str) -> String {
    match try_open(ruleset, csv) {
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

/// A small deterministic generator (SplitMix64), so randomized tests reproduce.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True once in `k` times.
    pub fn one_in(&mut self, k: u64) -> bool {
        self.next().is_multiple_of(k)
    }

    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Evaluate `s` with the workbench's incremental `ev` (made with a top of
/// 50) and check its scores, tiers and review against a fresh scoring's
/// (the review without segments, which the live review leaves out); `step`
/// names the edit in a failure. Returns the evaluation and the fresh scores.
pub fn evaluate_as_fresh(ev: &mut LiveReview, s: &Session, step: usize) -> (Evaluation, Scores) {
    let got = ev.evaluate(&s.compiled, &s.ruleset, &s.table);
    let fresh = engine::score(&s.compiled, &s.ruleset);
    let mut want = metrics::review(&s.compiled, &s.ruleset, &s.table, &fresh, 50);
    want.segments.clear();
    assert_eq!(
        ev.score(),
        &fresh.score[..],
        "scores differ after step {step}"
    );
    assert_eq!(ev.tier(), &fresh.tier[..], "tiers differ after step {step}");
    assert_eq!(
        format!("{:?}", got.review),
        format!("{want:?}"),
        "review differs after step {step}"
    );
    (got, fresh)
}
