//! SPEC §5: scoring, with hand-computed expectations.

mod common;
use common::*;
use leadlab::engine::{explain, reasons};

#[test]
fn decay_halves_per_half_life_and_ignores_future_and_missing_dates() {
    let rs = r#"
[data]
id = "id"
[[rules]]
id = "visits"
when = "visits >= 2"
points = 20
decay = { date = "last_visit", half_life_days = 30 }
"#;
    let csv = "id,visits,last_visit\na,3,2026-10-31\nb,3,2026-10-01\nc,3,2026-12-01\nd,3,\ne,1,2026-10-01\nf,3,2026-09-01\n";
    let (s, sc) = scored(rs, csv);
    // a: age 0 → 20; b: age 30 → 10; c: future → factor 1; d: missing date → fires with factor 0;
    // e: does not fire; f: age 60 → 5.
    assert_eq!(sc.score, vec![20.0, 10.0, 20.0, 0.0, 0.0, 5.0]);
    let ledger = explain(&s.compiled, &s.ruleset, &s.table, 3);
    assert!(ledger.rules[0].fired);
    assert_eq!(ledger.rules[0].decay_factor, Some(0.0));
    assert_eq!(ledger.rules[0].decay_age, None);
    let ledger = explain(&s.compiled, &s.ruleset, &s.table, 1);
    assert_eq!(ledger.rules[0].decay_age, Some(30));
    assert_eq!(ledger.rules[0].contribution, 10.0);
}

#[test]
fn group_caps_then_floors_then_sum() {
    let rs = r#"
[groups]
fit = { cap = 30 }
neg = { floor = -20 }
[[rules]]
id = "f1"
group = "fit"
when = "a"
points = 25
[[rules]]
id = "f2"
group = "fit"
when = "b"
points = 15
[[rules]]
id = "n1"
group = "neg"
when = "c"
points = -15
[[rules]]
id = "n2"
group = "neg"
when = "d"
points = -10
[[rules]]
id = "other"
when = "a"
points = 7
"#;
    let csv = "a,b,c,d\ntrue,true,true,true\ntrue,false,false,true\nfalse,false,false,false\n";
    let (s, sc) = scored(rs, csv);
    // Lead 1: fit 40 → 30; neg -25 → -20; general 7 → raw 17.
    assert_eq!(sc.raw_total[0], 17.0);
    assert_eq!(sc.score[0], 17.0);
    // Lead 2: fit 25; neg -10; general 7 → 22.
    assert_eq!(sc.score[1], 22.0);
    // Lead 3: nothing fires; groups are 0 before limits.
    assert_eq!(sc.score[2], 0.0);
    // Group columns in output order: [groups] first, then by first use.
    assert_eq!(s.compiled.groups, vec!["fit", "neg", "general"]);
    assert_eq!(sc.groups[0][0], 30.0);
    assert_eq!(sc.groups[1][0], -20.0);
}

#[test]
fn a_floor_lifts_a_group_with_no_fired_rule() {
    let rs = "[groups]\nbonus = { floor = 5 }\n[[rules]]\nid = \"r\"\ngroup = \"bonus\"\nwhen = \"a\"\npoints = 1\n";
    let (_, sc) = scored(rs, "a\nfalse\n");
    assert_eq!(sc.score, vec![5.0]);
}

#[test]
fn gates_cap_the_total_and_the_score_range_clamps() {
    let rs = r#"
[model]
score_range = [0, 100]
[[rules]]
id = "big"
when = "a"
points = 150
[[rules]]
id = "bad"
when = "b"
points = -40
[[gates]]
id = "g30"
when = "g1"
cap = 30
[[gates]]
id = "g10"
when = "g2"
cap = 10
"#;
    let csv = "a,b,g1,g2\ntrue,false,false,false\ntrue,false,true,false\ntrue,false,true,true\nfalse,true,false,false\nfalse,true,true,false\n";
    let (_, sc) = scored(rs, csv);
    assert_eq!(sc.score, vec![100.0, 30.0, 10.0, 0.0, 0.0]);
    assert_eq!(sc.raw_total[3], -40.0);
}

#[test]
fn tiers_take_the_first_match_with_require_on_group_subtotals_and_score() {
    let rs = r#"
[groups]
fit = { cap = 40 }
[[rules]]
id = "fit-a"
group = "fit"
when = "fa"
points = 25
[[rules]]
id = "intent"
group = "intent"
when = "i"
points = 50
[[tiers]]
name = "SQL"
min = 50
require = "fit >= 20"
[[tiers]]
name = "Hot"
min = 40
require = "score >= 70 and region == 'emea'"
[[tiers]]
name = "MQL"
min = 30
"#;
    let csv = "fa,i,region\ntrue,true,emea\nfalse,true,emea\nfalse,true,\nfalse,false,emea\n";
    let (s, sc) = scored(rs, csv);
    // 75 with fit 25 → SQL; 50 with fit 0 → not SQL, score < 70 → MQL; 50 → MQL;
    // 0 matches no tier → none.
    assert_eq!(tier_names(&s, &sc), vec!["SQL", "MQL", "MQL", "none"]);
}

#[test]
fn a_tier_requirement_reads_the_score_and_the_subtotal_after_the_cap() {
    // `score` in `require` is the lead's score, not its minimum or 0;
    // `fit` is the subtotal after the cap (30 capped to 20).
    let rs = r#"
[groups]
fit = { cap = 20 }
[[rules]]
id = "fit"
group = "fit"
when = "fa"
points = 30
[[rules]]
id = "intent"
group = "intent"
when = "i"
points = 50
[[tiers]]
name = "Hot"
min = 0
require = "score >= 60"
[[tiers]]
name = "Fit"
min = 0
require = "fit == 20"
[[tiers]]
name = "Rest"
min = 0
"#;
    let csv = "fa,i\ntrue,true\ntrue,false\nfalse,true\n";
    let (s, sc) = scored(rs, csv);
    // 70 → Hot; 20 with fit 20 → Fit; 50 → Rest.
    assert_eq!(tier_names(&s, &sc), vec!["Hot", "Fit", "Rest"]);
}

#[test]
fn a_tier_requirement_with_the_number_first_reads_the_same() {
    // `20 <= fit` is `fit >= 20`: each comparison, with the number on
    // either side, picks the same leads (subtotals 0, 20, 30).
    let tiers = |req: &str| {
        let rs = format!(
            "[[rules]]\nid = \"a\"\ngroup = \"fit\"\nwhen = \"fa\"\npoints = 20\n\
             [[rules]]\nid = \"b\"\ngroup = \"fit\"\nwhen = \"fb\"\npoints = 10\n\
             [[tiers]]\nname = \"In\"\nmin = 0\nrequire = \"{req}\"\n\
             [[tiers]]\nname = \"Out\"\nmin = 0\n"
        );
        let (s, sc) = scored(&rs, "fa,fb\nfalse,false\ntrue,false\ntrue,true\n");
        tier_names(&s, &sc)
    };
    for (number_first, number_last, want) in [
        ("20 <= fit", "fit >= 20", ["Out", "In", "In"]),
        ("20 < fit", "fit > 20", ["Out", "Out", "In"]),
        ("20 >= fit", "fit <= 20", ["In", "In", "Out"]),
        ("20 > fit", "fit < 20", ["In", "Out", "Out"]),
        ("20 == fit", "fit == 20", ["Out", "In", "Out"]),
        ("20 != fit", "fit != 20", ["In", "Out", "In"]),
    ] {
        assert_eq!(tiers(number_first), want, "{number_first}");
        assert_eq!(tiers(number_last), want, "{number_last}");
    }
}

#[test]
fn every_kind_of_requirement_tiers_a_word_of_leads_as_one_lead() {
    // Scoring tiers 64 leads at a time; the ledger tiers one lead. Each
    // kind of requirement (on fields only, one comparison either way
    // round, `score`, anything else) must give both the same tier, over
    // several words and a part of one.
    let rs = r#"
[[rules]]
id = "fa"
group = "fit"
when = "fa"
points = 25
[[rules]]
id = "fb"
group = "fit"
when = "fb"
points = 10
[[rules]]
id = "busy"
group = "intent"
when = "n > 3"
points = 40
[[tiers]]
name = "Set"
min = 60
require = "region == 'emea'"
[[tiers]]
name = "Cmp"
min = 50
require = "25 <= fit"
[[tiers]]
name = "Ne"
min = 40
require = "fit != 10"
[[tiers]]
name = "Score"
require = "score > 30"
[[tiers]]
name = "Lead"
min = 10
require = "fit > 5 and region is present"
[[tiers]]
name = "Rest"
min = 5
"#;
    let mut r = common::Rng(7);
    let mut csv = String::from("fa,fb,n,region\n");
    for _ in 0..300 {
        let region = ["emea", "amer", ""][(r.next() % 3) as usize];
        let n = ["1", "5", ""][(r.next() % 3) as usize];
        let (fa, fb) = (r.one_in(2), r.one_in(2));
        csv.push_str(&format!("{fa},{fb},{n},{region}\n"));
    }
    let (s, sc) = scored(rs, &csv);
    let names = tier_names(&s, &sc);
    for (lead, name) in names.iter().enumerate() {
        let ledger = explain(&s.compiled, &s.ruleset, &s.table, lead);
        assert_eq!(&ledger.tier, name, "lead {lead}");
    }
    for tier in ["Set", "Cmp", "Ne", "Score", "Lead", "Rest", "none"] {
        assert!(names.iter().any(|n| n == tier), "no lead in {tier}");
    }
}

#[test]
fn reasons_gates_first_then_by_absolute_contribution_ties_in_file_order() {
    let rs = r#"
[[rules]]
id = "small"
when = "a"
points = 5
[[rules]]
id = "tie-one"
when = "a"
points = 10
reason = "First of a tie"
[[rules]]
id = "negative"
when = "a"
points = -20
[[rules]]
id = "tie-two"
when = "a"
points = 10
[[rules]]
id = "zero"
when = "a"
points = 0
[[gates]]
id = "gate"
when = "g"
cap = 100
reason = "Gate holds"
"#;
    let (s, _) = scored(rs, "a,g\ntrue,false\ntrue,true\n");
    assert_eq!(
        reasons(&s.compiled, &s.ruleset, 0),
        vec!["negative", "First of a tie", "tie-two"]
    );
    // A gate that holds comes first even when its cap does not lower the total.
    assert_eq!(
        reasons(&s.compiled, &s.ruleset, 1),
        vec!["Gate holds", "negative", "First of a tie"]
    );
}

#[test]
fn a_disabled_rule_never_fires_and_unknown_is_not_true() {
    let rs = r#"
[[rules]]
id = "off"
when = "a"
points = 10
enabled = false
[[rules]]
id = "not-x"
when = "not (industry == 'x')"
points = 3
"#;
    let (_, sc) = scored(rs, "a,industry\ntrue,y\ntrue,\ntrue,x\n");
    // A missing industry makes the condition unknown, so the rule does not fire.
    assert_eq!(sc.score, vec![3.0, 0.0, 0.0]);
}

#[test]
fn ledger_adds_up_exactly_and_names_what_the_next_tier_needs() {
    let rs = r#"
[groups]
fit = { cap = 20 }
[[rules]]
id = "f1"
group = "fit"
when = "a"
points = 15
[[rules]]
id = "f2"
group = "fit"
when = "a"
points = 10
[[rules]]
id = "demo"
when = "demo"
points = 30
[[rules]]
id = "webinar"
when = "web"
points = 5
[[gates]]
id = "cap-it"
when = "capped"
cap = 18
[[tiers]]
name = "SQL"
min = 45
[[tiers]]
name = "Nurture"
min = 0
"#;
    let (s, _) = scored(
        rs,
        "a,demo,web,capped\ntrue,false,false,false\ntrue,false,false,true\n",
    );
    let l = explain(&s.compiled, &s.ruleset, &s.table, 0);
    assert_eq!(l.score, 20.0);
    let groups: f64 = l.groups.iter().map(|g| g.subtotal).sum();
    assert_eq!(groups, l.raw_total);
    assert_eq!(l.groups[0].sum, 25.0);
    assert_eq!(l.groups[0].subtotal, 20.0);
    let next = l.next_tier.as_ref().unwrap();
    assert_eq!(next.name, "SQL");
    assert_eq!(next.points_short, 25.0);
    // demo alone reaches 50 ≥ 45; webinar alone only 25.
    assert_eq!(next.would_close[0], ("demo".to_string(), 50.0));
    assert_eq!(next.would_close[1], ("webinar".to_string(), 25.0));
    assert_eq!(l.tiers_above[0].why, "score 20 is below 45");
    // With the gate: 20 → 18.
    let l = explain(&s.compiled, &s.ruleset, &s.table, 1);
    assert_eq!(l.gates.len(), 1);
    assert_eq!((l.gates[0].before, l.gates[0].after), (20.0, 18.0));
    assert_eq!(l.score, 18.0);
    assert_eq!(l.reasons, vec!["cap-it", "f1", "f2"]);
}

#[test]
fn a_weight_edit_rescoring_matches_a_fresh_compile() {
    let rs = "[[rules]]\nid = \"r\"\nwhen = \"n > 1\"\npoints = 10\n";
    let (mut s, _) = scored(rs, "n\n1\n2\n3\n");
    s.ruleset.rules[0].points = 12.5;
    let edited = s.score();
    assert_eq!(edited.score, vec![0.0, 12.5, 12.5]);
}
