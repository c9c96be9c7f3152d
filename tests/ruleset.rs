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

/// Every error of a ruleset, as `check` prints them (lines joined by `\n`).
fn all_errors(src: &str) -> String {
    let (_, d) = Ruleset::parse_all("r.toml", src.to_string());
    d.to_string()
}

/// A group named like a column of `score` output (SPEC §7.1) would give two
/// columns of one name (CSV) or lose one of them (JSON): an error, whether
/// the group is declared in `[groups]` or only named by a rule.
#[test]
fn groups_named_like_output_columns_are_errors() {
    for name in ["tier", "score", "reasons", "Tier"] {
        let declared = format!(
            "[groups]\n{name} = {{ cap = 5 }}\n\n[[rules]]\nid = \"a\"\ngroup = \"{name}\"\nwhen = \"x\"\npoints = 1\n"
        );
        let e = errors(&declared);
        let col = name.to_lowercase();
        assert!(
            e.contains(&format!(
                "error: r.toml:2:1: group `{name}`: `{col}` is a column of `leadlab score` output, and the group's column would clash with it"
            )),
            "{e}"
        );
        assert!(e.contains("; rename the group"), "{e}");
        // Reported once, where the group is declared.
        assert_eq!(e.matches("would clash").count(), 1, "{e}");

        let by_rule = format!(
            "[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = 1\n\n[[rules]]\nid = \"b\"\ngroup = \"{name}\"\nwhen = \"x\"\npoints = 1\n"
        );
        let e = errors(&by_rule);
        assert!(
            e.contains(&format!(
                "error: r.toml:8:9: group `{name}`: `{col}` is a column of `leadlab score` output"
            )),
            "{e}"
        );
    }
    // `score` in a tier requirement must mean the score, never a group.
    let e = errors("[groups]\nscore = { cap = 5 }\n");
    assert!(
        e.contains("tier requirements could not tell the group's subtotal from the score"),
        "{e}"
    );
}

#[test]
fn a_group_named_like_the_id_column_is_an_error() {
    let rules = "[[rules]]\nid = \"a\"\ngroup = \"lead_id\"\nwhen = \"x\"\npoints = 1\n";
    let e = errors(&format!("[data]\nid = \"Lead ID\"\n\n{rules}"));
    assert!(
        e.contains(
            "error: r.toml:6:9: group `lead_id`: the lead id column ([data].id = \"Lead ID\") is the first column of `leadlab score` output, and the group's column would clash with it; rename the group"
        ),
        "{e}"
    );
    let e = errors("[data]\nid = \"lead_id\"\n\n[groups]\n\"Lead ID\" = { cap = 5 }\n");
    assert!(
        e.contains("error: r.toml:5:1: group `Lead ID`: the lead id column"),
        "{e}"
    );
    // Without [data].id the first column is `row`.
    let e = errors("[groups]\nrow = { cap = 5 }\n");
    assert!(
        e.contains(
            "error: r.toml:2:1: group `row`: without [data].id, the first column of `leadlab score` output is `row`"
        ),
        "{e}"
    );
    // With an id column, `row` is a name like any other.
    Ruleset::parse(
        "r.toml",
        "[data]\nid = \"id\"\n[groups]\nrow = { cap = 5 }\n".into(),
    )
    .unwrap();
}

/// Each numeric key, as a ruleset with `{}` where the number goes, and the
/// key as the message names it and its subject.
const NUMBER_KEYS: &[(&str, &str)] = &[
    (
        "[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = {}\n",
        "rule `a`: `points`",
    ),
    ("[groups]\nfit = { cap = {} }\n", "group `fit`: `cap`"),
    ("[groups]\nfit = { floor = {} }\n", "group `fit`: `floor`"),
    (
        "[[gates]]\nid = \"g\"\nwhen = \"x\"\ncap = {}\n",
        "gate `g`: `cap`",
    ),
    ("[[tiers]]\nname = \"A\"\nmin = {}\n", "tier `A`: `min`"),
    (
        "[[tiers]]\nname = \"A\"\nsla_hours = {}\n",
        "tier `A`: `sla_hours`",
    ),
    ("[model]\nscore_range = [0, {}]\n", "[model] `score_range`"),
    ("[review]\nbands = [-5, {}, 1e9]\n", "[review] `bands`"),
    ("[review]\ncapacity_per_week = {}\n", "`capacity_per_week`"),
    (
        "[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = 1\ndecay = { date = \"d\", half_life_days = {} }\n",
        "rule `a`: `half_life_days`",
    ),
];

/// NaN, infinities and numbers large enough to overflow a sum break the
/// ledger: each is an error at the value's line and column, naming the
/// value and the range allowed.
#[test]
fn non_finite_and_huge_numbers_are_errors_with_line_and_value() {
    let cases = [
        ("nan", "is not a number"),
        ("-nan", "is not a number"),
        ("inf", "is infinite"),
        ("+inf", "is infinite"),
        ("-inf", "is infinite"),
        ("1e308", "is out of range"),
        ("-1.7e308", "is out of range"),
        ("1000000001", "is out of range"),
    ];
    for (template, key) in NUMBER_KEYS {
        for (value, what) in cases {
            let src = template.replace("{}", value);
            let e = all_errors(&src);
            let at = src.find(value).unwrap();
            let line = src[..at].matches('\n').count() + 1;
            let col = at - src[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
            let want = format!(
                "error: r.toml:{line}:{col}: {key} = {value} {what}: write a finite number from -1e9 to 1e9"
            );
            assert!(e.contains(&want), "{src}\nwant: {want}\ngot:  {e}");
            // One error for one bad number.
            assert_eq!(e.lines().count(), 1, "{src}\n{e}");
        }
    }
}

#[test]
fn numbers_at_the_bound_are_accepted() {
    for (template, _) in NUMBER_KEYS {
        for value in ["999999999", "0.5"] {
            let src = template.replace("{}", value);
            let (rs, d) = Ruleset::parse_all("r.toml", src.clone());
            assert!(rs.is_some() && !d.has_errors(), "{src}\n{d}");
        }
    }
    let rs = Ruleset::parse(
        "r.toml",
        "[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = -1e9\n".into(),
    )
    .unwrap();
    assert_eq!(rs.rules[0].points, -1e9);
}

#[test]
fn a_version_that_cannot_be_raised_is_an_error() {
    let e = errors("[model]\nversion = 9223372036854775807\n");
    assert!(
        e.contains("r.toml:2:11: [model] `version` is too large to be raised on the next save"),
        "{e}"
    );
}

/// 20k rules with a few mistakes of each kind: every error is reported, at
/// its own line. (Positions come from a line index built once; finding
/// each from the start of the file made `check` quadratic.)
#[test]
fn every_error_of_a_20k_rule_ruleset_is_at_its_line() {
    const N: usize = 20_000;
    let mut src = String::new();
    let mut line = 1;
    let mut want = vec![];
    for i in 0..N {
        src.push_str(&format!("[[rules]]\nid = \"r{i}\"\nwhen = \"x > {i}\"\n"));
        line += 3;
        match i % 5000 {
            17 => {
                src.push_str("reson = \"typo\"\n");
                want.push(format!(
                    "r.toml:{line}:1: rule `r{i}`: unknown key `reson` in [[rules]]; did you mean `reason`?"
                ));
                line += 1;
            }
            1234 => {
                src.push_str("points = 1e308\n");
                want.push(format!(
                    "r.toml:{line}:10: rule `r{i}`: `points` = 1e308 is out of range"
                ));
                line += 1;
                src.push('\n');
                line += 1;
                continue;
            }
            4321 => {
                src.push_str("group = \"tier\"\n");
                // Reported once, where a rule first names it.
                if i == 4321 {
                    want.push(format!(
                        "r.toml:{line}:9: group `tier`: `tier` is a column of `leadlab score` output"
                    ));
                }
                line += 1;
            }
            _ => {}
        }
        if i == N - 1 {
            src.push_str(&format!(
                "points = 1\n\n[[rules]]\nid = \"r{}\"\nwhen = \"x\"\npoints = 1\n",
                N / 2
            ));
            want.push(format!(
                "r.toml:{}:1: duplicate rule id `r{}`; ids must be unique",
                line + 2,
                N / 2
            ));
            continue;
        }
        src.push_str("points = 1\n\n");
        line += 2;
    }
    let (rs, d) = Ruleset::parse_all("r.toml", src);
    assert_eq!(rs.unwrap().rules.len(), N + 1);
    let got = d.to_string();
    for w in &want {
        assert!(got.contains(w), "missing: {w}\n{got}");
    }
    assert_eq!(d.errors(), want.len(), "{got}");
}
