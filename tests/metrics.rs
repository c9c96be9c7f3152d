//! SPEC §6: review metrics, with hand-computed expectations.

mod common;
use common::*;
use leadlab::metrics::{auc, band_of, review, wilson};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-4
}

#[test]
fn auc_counts_ties_as_one_half() {
    // Positives 20, 30; negatives 10, 20: wins 1 + 0.5 + 1 + 1 = 3.5 of 4.
    let pairs = [(10.0, false), (20.0, true), (20.0, false), (30.0, true)];
    assert_eq!(auc(&pairs), Some(0.875));
    // All tied: 0.5.
    assert_eq!(auc(&[(5.0, true), (5.0, false)]), Some(0.5));
    // Perfectly inverted: 0.
    assert_eq!(auc(&[(1.0, true), (2.0, false)]), Some(0.0));
    // No positive or no negative: none.
    assert_eq!(auc(&[(1.0, true), (2.0, true)]), None);
    assert_eq!(auc(&[(1.0, false)]), None);
    assert_eq!(auc(&[]), None);
}

#[test]
fn wilson_interval_matches_hand_computation() {
    // 2 of 10: p = 0.2, z = 1.96 → (0.0567, 0.5098).
    let (lo, hi) = wilson(2, 10).unwrap();
    assert!(close(lo, 0.05668), "{lo}");
    assert!(close(hi, 0.50984), "{hi}");
    // 0 of 10: lower bound 0, upper 0.2775.
    let (lo, hi) = wilson(0, 10).unwrap();
    assert_eq!(lo, 0.0);
    assert!(close(hi, 0.27753), "{hi}");
    assert_eq!(wilson(0, 0), None);
}

#[test]
fn band_edges_are_half_open_last_closed_and_outside_scores_clamp() {
    let edges = [0.0, 20.0, 40.0];
    assert_eq!(band_of(&edges, -5.0), 0);
    assert_eq!(band_of(&edges, 0.0), 0);
    assert_eq!(band_of(&edges, 19.99), 0);
    assert_eq!(band_of(&edges, 20.0), 1);
    assert_eq!(band_of(&edges, 40.0), 1);
    assert_eq!(band_of(&edges, 55.0), 1);
    assert_eq!(band_of(&[0.0, 100.0], 100.0), 0);
}

const RULESET: &str = r#"
[data]
id = "id"
outcome = "won"
created = "created"
[[rules]]
id = "pts"
when = "p > 0"
points = 1
[[rules]]
id = "never"
when = "p > 1000"
points = 1
[[tiers]]
name = "A"
min = 60
[[tiers]]
name = "B"
min = 40
[[tiers]]
name = "C"
min = 0
[review]
bands = [0, 50, 100]
[[segments]]
id = "emea"
when = "region == 'emea'"
"#;

/// Points equal to `p`, so each lead's score is its `p`.
fn data() -> String {
    let rows = [
        ("l1", 90, "yes", "emea", "2026-01-01"),
        ("l2", 70, "no", "emea", "2026-01-03"),
        ("l3", 70, "no", "amer", "2026-01-05"),
        ("l4", 45, "yes", "emea", "2026-01-08"),
        ("l5", 30, "yes", "amer", "2026-01-10"),
        ("l6", 30, "no", "amer", "2026-01-12"),
        ("l7", 10, "yes", "emea", "2026-01-14"),
        ("l8", 80, "", "emea", "2026-01-15"),
    ];
    let mut s = "id,p,won,region,created\n".to_string();
    for (id, p, won, region, created) in rows {
        s.push_str(&format!("{id},{p},{won},{region},{created}\n"));
    }
    s
}

/// Score = p: 1 point from `pts`, p - 1 from a rule on the exact value.
fn score_is_p(base: &str) -> String {
    let mut rs = base.to_string();
    for p in [90, 70, 45, 30, 10, 80] {
        rs.push_str(&format!(
            "[[rules]]\nid = \"p{p}\"\nwhen = \"p == {p}\"\npoints = {}\n",
            p - 1
        ));
    }
    rs
}

#[test]
fn headline_bands_tiers_qualified_and_misclassified() {
    let (s, sc) = scored(&score_is_p(RULESET), &data());
    assert_eq!(
        sc.score,
        vec![90.0, 70.0, 70.0, 45.0, 30.0, 30.0, 10.0, 80.0]
    );
    let r = review(&s.compiled, &s.ruleset, &s.table, &sc, 10);
    // l8 is open: excluded from every metric.
    assert_eq!((r.leads, r.labelled, r.converted), (8, 7, 4));
    assert!(close(r.base_rate.unwrap(), 4.0 / 7.0));
    // Pairs: positives 90,45,30,10; negatives 70,70,30.
    // 90 beats 3; 45 beats 0 (70,70 above) but not 30? 45 > 30 → 1; 30 ties 30 → 0.5; 10 → 0.
    assert!(close(r.auc.unwrap(), (3.0 + 1.0 + 0.5 + 0.0) / 12.0));
    // Bands [0,50) and [50,100]: low = 45,30,30,10 (3 conv of 4); high = 90,70,70 (1 of 3).
    assert_eq!((r.bands[0].stats.leads, r.bands[0].stats.converted), (4, 3));
    assert_eq!((r.bands[1].stats.leads, r.bands[1].stats.converted), (3, 1));
    assert!(close(r.bands[0].stats.lift.unwrap(), 0.75 / (4.0 / 7.0)));
    // Tiers: A (≥60): 90,70,70; B (≥40): 45; C: 30,30,10.
    let t: Vec<(String, usize, usize)> = r
        .tiers
        .iter()
        .map(|t| (t.name.clone(), t.stats.leads, t.stats.converted))
        .collect();
    assert_eq!(
        t,
        vec![("A".into(), 3, 1), ("B".into(), 1, 1), ("C".into(), 3, 2)]
    );
    // Default qualified: every tier but the last → A and B.
    assert_eq!(r.qualified.tier.as_deref(), Some("B"));
    assert_eq!((r.qualified.leads, r.qualified.converted), (4, 2));
    assert!(close(r.qualified.precision.unwrap(), 0.5));
    assert!(close(r.qualified.recall.unwrap(), 0.5));
    // False positives: qualified non-converted, highest first, ties in input order.
    let ids = |v: &[usize]| v.iter().map(|&i| s.table.lead_id(i)).collect::<Vec<_>>();
    assert_eq!(ids(&r.false_positives), vec!["l2", "l3"]);
    // False negatives: unqualified converted, lowest first.
    assert_eq!(ids(&r.false_negatives), vec!["l7", "l5"]);
    // Segment emea: labelled l1,l2,l4,l7 → 3 converted.
    let seg = &r.segments[0];
    assert_eq!((seg.leads, seg.converted, seg.qualified), (4, 3, 3));
    assert!(close(seg.precision.unwrap(), 2.0 / 3.0));
    assert!(close(seg.recall.unwrap(), 2.0 / 3.0));
    // Per week: qualified (all leads, incl. open l8) = 5 over 14 days = 2 weeks.
    let pw = r.per_week.as_ref().unwrap();
    assert!(close(pw.weeks, 2.0));
    assert!(close(pw.qualified, 2.5));
    // Top N bounds the lists.
    let r1 = review(&s.compiled, &s.ruleset, &s.table, &sc, 1);
    assert_eq!(ids(&r1.false_positives), vec!["l2"]);
}

#[test]
fn qualified_names_a_tier_and_everything_above_it() {
    let rs = RULESET.replace(
        "bands = [0, 50, 100]",
        "bands = [0, 50, 100]\nqualified = \"A\"",
    );
    let (s, sc) = scored(&score_is_p(&rs), &data());
    let r = review(&s.compiled, &s.ruleset, &s.table, &sc, 10);
    assert_eq!(r.qualified.tier.as_deref(), Some("A"));
    // A: l1 (converted), l2, l3 → 3 qualified, 1 converted.
    assert_eq!((r.qualified.leads, r.qualified.converted), (3, 1));
}

#[test]
fn non_monotonic_bands_warn_only_with_30_leads_on_both_sides() {
    let rs = "[data]\noutcome = \"won\"\n[[rules]]\nid = \"hi\"\nwhen = \"hi\"\npoints = 90\n[[tiers]]\nname = \"all\"\nmin = 0\n[review]\nbands = [0, 50, 100]\n";
    let mut csv = "hi,won\n".to_string();
    // Low band: 30 leads, 15 converted; high band: 30 leads, 3 converted.
    for i in 0..30 {
        csv.push_str(&format!("false,{}\n", if i < 15 { "yes" } else { "no" }));
        csv.push_str(&format!("true,{}\n", if i < 3 { "yes" } else { "no" }));
    }
    let (s, sc) = scored(rs, &csv);
    let r = review(&s.compiled, &s.ruleset, &s.table, &sc, 10);
    assert_eq!(r.warnings, vec!["band 50-100 converts below band 0-50"]);
    // 29 leads in the high band: no warning.
    let short: String = csv.lines().take(60).collect::<Vec<_>>().join("\n") + "\n";
    let (s, sc) = scored(rs, &short);
    let r = review(&s.compiled, &s.ruleset, &s.table, &sc, 10);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn no_outcome_column_means_no_metrics() {
    let rs = "[[rules]]\nid = \"r\"\nwhen = \"a\"\npoints = 1\n";
    let (s, sc) = scored(rs, "a\ntrue\nfalse\n");
    let r = review(&s.compiled, &s.ruleset, &s.table, &sc, 10);
    assert_eq!(
        (r.labelled, r.converted, r.auc, r.base_rate),
        (0, 0, None, None)
    );
}

#[test]
fn band_counts_put_edge_scores_in_the_upper_band_and_the_top_edge_in_the_last() {
    // One rule per value of p, worth 2p: scores -10, 0, 20, 100, 120.
    let mut rs = "[data]\noutcome = \"won\"\n[model]\nscore_range = [-50, 150]\n[review]\nbands = [0, 20, 100]\n".to_string();
    for v in [-5, 10, 50, 60] {
        rs.push_str(&format!(
            "[[rules]]\nid = \"v{}\"\nwhen = \"p == {v}\"\npoints = {}\n",
            v + 5,
            2 * v
        ));
    }
    let (s, sc) = scored(&rs, "p,won\n-5,yes\n0,no\n10,yes\n50,no\n60,yes\n");
    assert_eq!(sc.score, vec![-10.0, 0.0, 20.0, 100.0, 120.0]);
    let r = review(&s.compiled, &s.ruleset, &s.table, &sc, 10);
    // [0,20): -10 (below the first edge) and 0; [20,100]: 20, 100 and 120 (above the last).
    assert_eq!((r.bands[0].stats.leads, r.bands[0].stats.converted), (2, 1));
    assert_eq!((r.bands[1].stats.leads, r.bands[1].stats.converted), (3, 2));
}
