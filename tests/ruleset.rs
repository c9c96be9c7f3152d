//! SPEC §3: the ruleset file — every error at once, with file, line, column,
//! rule id and a suggestion.

mod common;
use common::*;
use leadlab::ruleset::Ruleset;

fn errors(src: &str) -> String {
    match Ruleset::parse("r.toml", src.to_string()) {
        Ok(_) => panic!("expected errors"),
        Err(d) => d.to_string(),
    }
}

#[test]
fn unknown_keys_are_errors_with_did_you_mean_and_position() {
    let e = errors(
        "[model]\nname = \"x\"\n\n[[rules]]\nid = \"demo\"\nwhen = \"a\"\npoints = 5\nreson = \"Demo\"\n",
    );
    assert!(
        e.contains(
            "r.toml:8:1: rule `demo`: unknown key `reson` in [[rules]]; did you mean `reason`?"
        ),
        "{e}"
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let src = r#"
[modle]
[[rules]]
id = "a"
when = "x"
points = "ten"
[[rules]]
id = "a"
when = "y"
points = 1
grup = "fit"
[review]
bands = [0, 50, 40]
qualified = "SQX"
[[tiers]]
name = "SQL"
min = 50
"#;
    let e = errors(src);
    for want in [
        "r.toml:2:2: unknown key `modle` in the top level; did you mean `model`?",
        "r.toml:6:10: rule `a`: `points` must be a number",
        "unknown key `grup` in [[rules]]; did you mean `group`?",
        "duplicate rule id `a`",
        "`bands` must be at least two increasing numbers",
        "[review] `qualified` names tier `SQX`, which does not exist (did you mean `SQL`?)",
    ] {
        assert!(e.contains(want), "missing {want:?} in:\n{e}");
    }
}

#[test]
fn invalid_toml_names_line_and_column() {
    let e = errors("[model]\nname = \"x\nversion = 1\n");
    assert!(e.starts_with("error: r.toml:2:"), "{e}");
    assert!(e.contains("invalid TOML"), "{e}");
}

#[test]
fn missing_required_keys_and_bad_ids() {
    let e = errors(
        "[[rules]]\nid = \"Bad Id\"\nwhen = \"a\"\n[[gates]]\nid = \"g\"\nwhen = \"b\"\n[[tiers]]\nmin = 3\n",
    );
    assert!(e.contains("rule `Bad Id`: has no `points`"), "{e}");
    assert!(e.contains("ids may use only a-z, 0-9, `-` and `_`"), "{e}");
    assert!(e.contains("gate `g`: has no `cap`"), "{e}");
    assert!(e.contains("a [[tiers]] entry has no `name`"), "{e}");
}

#[test]
fn defaults_are_applied() {
    let rs = Ruleset::parse(
        "r.toml",
        "[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = 1\n".into(),
    )
    .unwrap();
    assert_eq!(rs.model.score_range, (0.0, 100.0));
    assert_eq!(rs.review.bands, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    assert_eq!(rs.rules[0].group, "general");
    assert!(rs.rules[0].enabled);
}

#[test]
fn condition_errors_point_inside_the_condition() {
    let rs = "[[rules]]\nid = \"fit\"\nwhen = 'employees > 10 and industy == \"x\"'\npoints = 1\n";
    let e = open_err(rs, "employees,industry\n5,x\n");
    // The condition starts at column 9 of line 3; `industy` is 19 bytes in.
    assert!(
        e.contains(
            "test.toml:3:28: rule `fit`: unknown field `industy` (did you mean `industry`?)"
        ),
        "{e}"
    );
}

#[test]
fn type_mismatch_and_bad_regex_are_errors_before_scoring() {
    let rs = "[[rules]]\nid = \"a\"\nwhen = 'employees == \"ten\"'\npoints = 1\n[[rules]]\nid = \"b\"\nwhen = 'title matches \"(cto\"'\npoints = 1\n";
    let e = open_err(rs, "employees,title\n5,cto\n");
    assert!(e.contains("rule `a`"), "{e}");
    assert!(e.contains("rule `b`"), "{e}");
    assert!(e.contains("number"), "{e}");
    assert!(
        e.contains("regex") || e.contains("regular expression"),
        "{e}"
    );
}

#[test]
fn a_group_may_not_be_named_like_a_field() {
    let rs = "[groups]\nindustry = { cap = 5 }\n[[rules]]\nid = \"a\"\ngroup = \"industry\"\nwhen = 'industry == \"x\"'\npoints = 1\n";
    let e = open_err(rs, "industry\nx\n");
    assert!(
        e.contains("group `industry` has the name of a field"),
        "{e}"
    );
}

#[test]
fn decay_date_must_be_a_date_field() {
    let rs = "[[rules]]\nid = \"a\"\nwhen = 'n > 1'\npoints = 1\ndecay = { date = \"n\", half_life_days = 7 }\n";
    let e = open_err(rs, "n\n5\n");
    assert!(
        e.contains("decay date `n` is a number field, not a date"),
        "{e}"
    );
}
