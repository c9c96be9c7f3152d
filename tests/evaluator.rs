//! The workbench's incremental rescoring gives exactly the figures of a fresh
//! scoring, after any sequence of edits.

use leadlab::engine;
mod common;
use common::Rng;
use leadlab::metrics::{self, Evaluator};
use leadlab::session::Session;

#[test]
fn incremental_figures_equal_a_fresh_scoring_after_random_edits() {
    let mut s = Session::example(None).unwrap();
    let mut ev = Evaluator::new(50);
    let mut r = Rng(7);
    for step in 0..400 {
        let rs = &mut s.ruleset;
        match r.below(12) {
            0..=3 => {
                let k = r.below(rs.rules.len());
                rs.rules[k].points += [-5.0, -1.0, 1.0, 5.0, 0.25, 0.1][r.below(6)];
            }
            10 => {
                let k = r.below(rs.groups.len());
                rs.groups[k].floor = match rs.groups[k].floor {
                    Some(f) => Some(f + [-5.0, 5.0][r.below(2)]),
                    None => Some(-10.0),
                };
            }
            11 => {
                let (lo, hi) = rs.model.score_range;
                rs.model.score_range = (lo + [-5.0, 5.0][r.below(2)], hi);
            }
            4 => {
                let k = r.below(rs.rules.len());
                rs.rules[k].enabled = !rs.rules[k].enabled;
            }
            5 => {
                let k = r.below(rs.tiers.len());
                rs.tiers[k].min = match rs.tiers[k].min {
                    // Now and then a tier loses its minimum, and gets one back.
                    Some(_) if r.below(5) == 0 => None,
                    Some(m) => Some(m + [-5.0, 5.0, 1.0][r.below(3)]),
                    None => Some(40.0),
                };
            }
            6 => {
                let k = r.below(rs.groups.len());
                rs.groups[k].cap = rs.groups[k].cap.map(|c| c + [-5.0, 5.0][r.below(2)]);
            }
            7 => {
                let k = r.below(rs.gates.len());
                rs.gates[k].cap += [-5.0, 5.0][r.below(2)];
            }
            8 => {
                let names: Vec<String> = rs.tiers.iter().map(|t| t.name.clone()).collect();
                rs.review.qualified = Some(names[r.below(names.len())].clone());
            }
            _ => {
                // Several edits before one evaluation, as when the worker skips stale jobs.
                for _ in 0..3 {
                    let k = r.below(rs.rules.len());
                    rs.rules[k].points += 2.0;
                }
            }
        }
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
        let evidence = metrics::rule_evidence(&s.compiled, &s.ruleset, &s.table);
        assert_eq!(format!("{:?}", got.evidence), format!("{evidence:?}"));
    }
}
