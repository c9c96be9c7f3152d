//! SPEC §8 "Saving": the format-preserving save, the changelog entry, the
//! list of changes, and the atomic write that refuses to clobber.

use leadlab::ruleset::save::{self, ChangelogEntry, ChangelogFigures, SaveError};
use leadlab::ruleset::{self, Rule, Ruleset};

const MODEL: &str = r#"# =============================================================
#  Scoring model for ACME inbound
# =============================================================
# maintained by revops; calibrate in the workbench

[model]
name = "ACME inbound"
version = 3            # raised by one on every save
score_range = [0, 100]

[data]
id = "lead_id"
outcome = "converted"   # yes/no

[groups]               # caps and floors
fit = { cap = 50 }
intent = { cap = 60, floor = -10 }

# -------------------------------------------------------------
#  FIT
# -------------------------------------------------------------

# Regulated industries buy on a schedule.
[[rules]]
id = "regulated"
group = "fit"
when = 'industry in ["finance", "health"]'
points = 15   # a guess
reason = "Regulated industry"

[[rules]]
id = "big"
group = "fit"
when = "employees >= 200"
points = 10

# -------------------------------------------------------------
#  INTENT
# -------------------------------------------------------------

# They asked to talk to us.
[[rules]]
id = "demo-request"
group = "intent"
when = "demo_requested"
points = 25 # strongest signal
reason = "Requested a demo"

[[rules]]
id = "pricing-interest"
group = "intent"
when = "pricing_page_views >= 2"
points = 15
decay = { date = "last_pricing_view", half_life_days = 30 }

[[rules]]
id = "webinar"
group = "intent"
when = '''webinar_attended
          and webinar_minutes >= 30'''
points = 2.5
enabled = true   # on probation

[[rules]]
id = "newsletter"
when = "newsletter_optin"
points = 3

# =============================================================
#  GATES
# =============================================================
[[gates]]
id = "no-email"
when = "email is missing"
cap = 10
reason = "No email address"

[[tiers]]
name = "SQL"
min = 70
require = "fit >= 20"
[[tiers]]
name = "MQL"
min = 40
[[tiers]]
name = "Nurture"
min = 0

[review]
bands = [0, 20, 40, 60, 80, 100]
qualified = "MQL"   # MQL and above
# end of file
"#;

fn load(src: &str) -> Ruleset {
    Ruleset::parse("model.toml", src.to_string()).unwrap_or_else(|d| panic!("{d}"))
}

fn date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
}

fn entry(base: &Ruleset, changes: Vec<String>) -> ChangelogEntry {
    ChangelogEntry {
        version: base.model.version + 1,
        date: date(),
        note: "calibrated".to_string(),
        changes,
        before: ChangelogFigures::default(),
        after: ChangelogFigures::default(),
    }
}

/// Render `current` over `base`; returns the text and the text loaded again.
fn save(base: &Ruleset, current: &Ruleset) -> (String, Ruleset) {
    let e = entry(base, ruleset::changes(base, current));
    let text = save::render(base, current, &e).unwrap_or_else(|e| panic!("{e:#}"));
    let again =
        Ruleset::parse("model.toml", text.clone()).unwrap_or_else(|d| panic!("{d}\n{text}"));
    (text, again)
}

fn rule<'a>(rs: &'a mut Ruleset, id: &str) -> &'a mut Rule {
    rs.rules.iter_mut().find(|r| r.id == id).expect("rule")
}

fn get<'a>(rs: &'a Ruleset, id: &str) -> &'a Rule {
    rs.rules.iter().find(|r| r.id == id).expect("rule")
}

/// The text up to the appended changelog (which starts with a blank line).
fn body(text: &str) -> &str {
    let i = text.rfind("\n[[changelog]]").expect("a changelog entry");
    &text[..i]
}

/// Every line of `orig` is in `new` unchanged and in order, except the lines
/// in `replaced` (old line -> new line); what follows is exactly `tail`.
fn assert_lines(orig: &str, new: &str, replaced: &[(&str, &str)], tail: &[&str]) {
    let o: Vec<&str> = orig.lines().collect();
    let n: Vec<&str> = new.lines().collect();
    assert_eq!(n.len(), o.len() + tail.len(), "line count\n{new}");
    let mut used = vec![false; replaced.len()];
    for (i, (a, b)) in o.iter().zip(&n).enumerate() {
        if a == b {
            continue;
        }
        let k = replaced
            .iter()
            .position(|(old, _)| old == a)
            .unwrap_or_else(|| panic!("line {} changed: {a:?} -> {b:?}\n{new}", i + 1));
        assert_eq!(*b, replaced[k].1, "line {}", i + 1);
        assert!(!used[k], "{a:?} replaced twice");
        used[k] = true;
    }
    assert!(
        used.iter().all(|u| *u),
        "not every expected change happened\n{new}"
    );
    assert_eq!(&n[o.len()..], tail, "\n{new}");
}

#[test]
fn round_trip_changes_only_the_value_the_version_and_appends_the_changelog() {
    let base = load(MODEL);
    let mut cur = base.clone();
    rule(&mut cur, "demo-request").points = 30.0;
    let e = ChangelogEntry {
        version: 4,
        date: date(),
        note: "Demo requests convert better than we thought".to_string(),
        changes: ruleset::changes(&base, &cur),
        before: ChangelogFigures {
            auc: Some(0.81234),
            precision: Some(0.4),
            recall: Some(0.6),
        },
        after: ChangelogFigures {
            auc: Some(0.820_06),
            precision: Some(0.41),
            recall: None,
        },
    };
    assert_eq!(e.changes, ["demo-request: 25 -> 30"]);
    let text = save::render(&base, &cur, &e).unwrap();
    assert_lines(
        MODEL,
        &text,
        &[
            (
                "version = 3            # raised by one on every save",
                "version = 4            # raised by one on every save",
            ),
            (
                "points = 25 # strongest signal",
                "points = 30 # strongest signal",
            ),
        ],
        &[
            "",
            "[[changelog]]",
            "version = 4",
            "date = \"2026-11-02\"",
            "note = \"Demo requests convert better than we thought\"",
            "changes = [\"demo-request: 25 -> 30\"]",
            "auc_before = 0.8123",
            "auc_after = 0.8201",
            "precision_before = 0.4",
            "precision_after = 0.41",
            "recall_before = 0.6",
        ],
    );
    let again = load(&text);
    assert_eq!(again.model.version, 4);
    assert_eq!(get(&again, "demo-request").points, 30.0);
}

#[test]
fn unchanged_model_only_gets_version_and_changelog() {
    let base = load(MODEL);
    let (text, _) = save(&base, &base.clone());
    assert_lines(
        MODEL,
        &text,
        &[(
            "version = 3            # raised by one on every save",
            "version = 4            # raised by one on every save",
        )],
        &[
            "",
            "[[changelog]]",
            "version = 4",
            "date = \"2026-11-02\"",
            "note = \"calibrated\"",
            "changes = []",
        ],
    );
}

#[test]
fn second_save_appends_a_second_changelog_entry_at_the_end() {
    let base = load(MODEL);
    let mut cur = base.clone();
    rule(&mut cur, "big").points = 12.0;
    let (first, reloaded) = save(&base, &cur);
    let mut cur2 = reloaded.clone();
    rule(&mut cur2, "big").points = 14.0;
    let (second, again) = save(&reloaded, &cur2);
    let first_body = body(&first)
        .replacen("version = 4", "version = 5", 1)
        .replacen("points = 12\n", "points = 14\n", 1);
    assert!(second.starts_with(&first_body), "{second}");
    assert_eq!(second.matches("[[changelog]]").count(), 2);
    assert!(
        second.ends_with("changes = [\"big: 12 -> 14\"]\n"),
        "{second}"
    );
    assert_eq!(again.model.version, 5);
}

#[test]
fn points_print_as_integers_when_whole_and_shortest_float_otherwise() {
    let base = load(MODEL);
    let mut cur = base.clone();
    rule(&mut cur, "webinar").points = 4.0;
    rule(&mut cur, "big").points = 0.1 + 0.2;
    rule(&mut cur, "regulated").points = -7.25;
    let (text, again) = save(&base, &cur);
    assert!(text.contains("points = 4\nenabled"), "{text}");
    assert!(text.contains("points = 0.30000000000000004\n"), "{text}");
    assert!(text.contains("points = -7.25   # a guess\n"), "{text}");
    assert_eq!(get(&again, "big").points, 0.1 + 0.2);
    assert_eq!(
        ruleset::changes(&base, &cur),
        [
            "regulated: 15 -> -7.25",
            "big: 10 -> 0.30000000000000004",
            "webinar: 2.5 -> 4"
        ]
    );
}

#[test]
fn toggling_rules_edits_or_adds_enabled() {
    let base = load(MODEL);
    let mut cur = base.clone();
    rule(&mut cur, "big").enabled = false;
    rule(&mut cur, "webinar").enabled = false;
    let (text, again) = save(&base, &cur);
    assert!(
        text.contains("when = \"employees >= 200\"\npoints = 10\nenabled = false\n"),
        "{text}"
    );
    assert!(
        text.contains("enabled = false   # on probation\n"),
        "{text}"
    );
    assert!(!get(&again, "big").enabled);
    assert!(!get(&again, "webinar").enabled);
    assert_eq!(
        ruleset::changes(&base, &cur),
        ["big: disabled", "webinar: disabled"]
    );

    // And back on.
    let mut back = again.clone();
    rule(&mut back, "big").enabled = true;
    let (text2, again2) = save(&again, &back);
    assert!(get(&again2, "big").enabled);
    assert!(text2.contains("enabled = true\n"));
    assert_eq!(ruleset::changes(&again, &back), ["big: enabled"]);
}

#[test]
fn when_edits_keep_the_quoting_style_unless_it_conflicts() {
    let base = load(MODEL);
    let mut cur = base.clone();
    // literal stays literal
    rule(&mut cur, "regulated").when.text =
        r#"industry in ["finance", "health", "insurance"]"#.into();
    // basic stays basic when nothing needs escaping
    rule(&mut cur, "big").when.text = "employees >= 500".into();
    // basic with a `"` becomes literal
    rule(&mut cur, "demo-request").when.text = r#"demo_requested and source != "partner""#.into();
    // a `'` in the text: escaped basic string
    rule(&mut cur, "newsletter").when.text = r#"title contains "o'brien""#.into();
    // multi-line literal stays multi-line literal
    rule(&mut cur, "webinar").when.text =
        "webinar_attended\n          and webinar_minutes >= 45".into();
    let (text, again) = save(&base, &cur);
    assert!(
        text.contains(r#"when = 'industry in ["finance", "health", "insurance"]'"#),
        "{text}"
    );
    assert!(text.contains("when = \"employees >= 500\"\n"), "{text}");
    assert!(
        text.contains(r#"when = 'demo_requested and source != "partner"'"#),
        "{text}"
    );
    assert!(
        text.contains(r#"when = "title contains \"o'brien\"""#),
        "{text}"
    );
    assert!(
        text.contains("when = '''webinar_attended\n          and webinar_minutes >= 45'''"),
        "{text}"
    );
    for r in &cur.rules {
        assert_eq!(get(&again, &r.id).when.text, r.when.text);
    }
    let ch = ruleset::changes(&base, &cur);
    assert_eq!(ch[1], "big when: `employees >= 200` -> `employees >= 500`");
    assert_eq!(
        ch[3],
        "webinar when: `webinar_attended and webinar_minutes >= 30` -> `webinar_attended and webinar_minutes >= 45`"
    );
    assert_eq!(ch.len(), 5);
}

#[test]
fn new_when_text_with_control_characters_round_trips() {
    let base = load(MODEL);
    let mut cur = base.clone();
    rule(&mut cur, "big").when.text = "a\\b\t == 'x'\n or y".into();
    let (_, again) = save(&base, &cur);
    assert_eq!(get(&again, "big").when.text, "a\\b\t == 'x'\n or y");
}

#[test]
fn group_edits_in_place_or_inserted_after_id() {
    let base = load(MODEL);
    let mut cur = base.clone();
    rule(&mut cur, "pricing-interest").group = "fit".into();
    rule(&mut cur, "newsletter").group = "intent".into();
    let (text, again) = save(&base, &cur);
    assert!(
        text.contains("id = \"pricing-interest\"\ngroup = \"fit\"\nwhen"),
        "{text}"
    );
    assert!(
        text.contains(
            "id = \"newsletter\"\ngroup = \"intent\"\nwhen = \"newsletter_optin\"\npoints = 3\n"
        ),
        "{text}"
    );
    assert_eq!(get(&again, "pricing-interest").group, "fit");
    assert_eq!(get(&again, "newsletter").group, "intent");
    assert_eq!(
        ruleset::changes(&base, &cur),
        [
            "pricing-interest group: intent -> fit",
            "newsletter group: general -> intent"
        ]
    );
}

#[test]
fn reason_edits_added_and_removed() {
    let base = load(MODEL);
    let mut cur = base.clone();
    rule(&mut cur, "regulated").reason = Some("Regulated: compliance need".into());
    rule(&mut cur, "big").reason = Some("Large company".into());
    rule(&mut cur, "demo-request").reason = None;
    rule(&mut cur, "pricing-interest").reason = Some("Pricing \"page\"".into());
    let (text, again) = save(&base, &cur);
    assert!(
        text.contains("reason = \"Regulated: compliance need\"\n"),
        "{text}"
    );
    // inserted where the canonical order puts it: after points (and decay)
    assert!(
        text.contains("points = 10\nreason = \"Large company\"\n"),
        "{text}"
    );
    assert!(
        text.contains("decay = { date = \"last_pricing_view\", half_life_days = 30 }\nreason = "),
        "{text}"
    );
    assert!(!body(&text).contains("Requested a demo"), "{text}");
    for r in &cur.rules {
        assert_eq!(get(&again, &r.id).reason, r.reason, "{}", r.id);
    }
    let ch = ruleset::changes(&base, &cur);
    assert_eq!(
        ch,
        [
            "regulated reason: \"Regulated industry\" -> \"Regulated: compliance need\"",
            "big reason: none -> \"Large company\"",
            "demo-request reason: \"Requested a demo\" -> none",
            "pricing-interest reason: none -> \"Pricing \"page\"\"",
        ]
    );
}

#[test]
fn tier_min_gate_cap_and_group_caps() {
    let base = load(MODEL);
    let mut cur = base.clone();
    cur.tiers[0].min = Some(65.0);
    cur.gates[0].cap = 5.0;
    cur.groups[0].cap = Some(40.0);
    cur.groups[0].floor = Some(-5.0);
    cur.groups[1].floor = None;
    let (text, again) = save(&base, &cur);
    assert!(text.contains("name = \"SQL\"\nmin = 65\n"), "{text}");
    assert!(
        text.contains("cap = 5\nreason = \"No email address\""),
        "{text}"
    );
    assert!(text.contains("fit = { cap = 40, floor = -5 }\n"), "{text}");
    assert!(text.contains("intent = { cap = 60 }\n"), "{text}");
    assert!(text.contains("[groups]               # caps and floors\n"));
    assert_eq!(again.tiers[0].min, Some(65.0));
    assert_eq!(again.gates[0].cap, 5.0);
    assert_eq!(again.groups[0].cap, Some(40.0));
    assert_eq!(again.groups[0].floor, Some(-5.0));
    assert_eq!(again.groups[1].floor, None);
    assert_eq!(
        ruleset::changes(&base, &cur),
        [
            "group fit cap: 50 -> 40",
            "group fit floor: none -> -5",
            "group intent floor: -10 -> none",
            "gate no-email cap: 10 -> 5",
            "tier SQL min: 70 -> 65",
        ]
    );
}

#[test]
fn a_new_group_and_a_removed_group() {
    let base = load(MODEL);
    let mut cur = base.clone();
    let mut g = cur.groups[0].clone();
    g.name = "general".into();
    g.cap = Some(20.0);
    cur.groups.push(g);
    cur.groups.remove(1); // intent
    let (text, again) = save(&base, &cur);
    assert!(
        text.contains("[groups]               # caps and floors\nfit = { cap = 50 }\ngeneral = { cap = 20 }\n\n"),
        "{text}"
    );
    let names: Vec<&str> = again.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["fit", "general"]);
    assert_eq!(
        ruleset::changes(&base, &cur),
        [
            "group intent cap: 60 -> none",
            "group intent floor: -10 -> none",
            "group general cap: none -> 20"
        ]
    );
}

#[test]
fn groups_section_is_created_before_the_rules_when_missing() {
    let src = "[model]\nversion = 1\n\n# rules\n[[rules]]\nid = \"a\"\ngroup = \"fit\"\nwhen = \"x\"\npoints = 1\n";
    let base = load(src);
    let mut cur = base.clone();
    cur.groups.push(leadlab::ruleset::Group {
        name: "fit".into(),
        cap: Some(30.0),
        floor: None,
        span: 0..0,
    });
    let (text, again) = save(&base, &cur);
    assert!(
        body(&text).starts_with(
            "[model]\nversion = 2\n\n[groups]\nfit = { cap = 30 }\n\n# rules\n[[rules]]"
        ),
        "{text}"
    );
    assert_eq!(again.groups[0].cap, Some(30.0));
}

fn new_rule(id: &str, group: &str, when: &str, points: f64) -> Rule {
    let mut r = load("[[rules]]\nid = \"x\"\nwhen = \"x\"\npoints = 1\n").rules[0].clone();
    r.id = id.into();
    r.group = group.into();
    r.when.text = when.into();
    r.points = points;
    r
}

#[test]
fn added_rules_go_after_the_last_rule_not_at_the_end() {
    let base = load(MODEL);
    let mut cur = base.clone();
    let mut r = new_rule(
        "case-study",
        "intent",
        r#"case_study_views >= 1 and source != "ads""#,
        12.0,
    );
    r.reason = Some("Read a case study".into());
    cur.rules.insert(2, r); // the workbench may show it anywhere
    let mut off = new_rule("trial", "general", "trial_started", -1.0);
    off.enabled = false;
    cur.rules.push(off);
    let (text, again) = save(&base, &cur);
    let expected = "points = 3\n\n\
        [[rules]]\n\
        id = \"case-study\"\n\
        group = \"intent\"\n\
        when = 'case_study_views >= 1 and source != \"ads\"'\n\
        points = 12\n\
        reason = \"Read a case study\"\n\n\
        [[rules]]\n\
        id = \"trial\"\n\
        when = 'trial_started'\n\
        points = -1\n\
        enabled = false\n\n\
        # =============================================================\n\
        #  GATES\n";
    assert!(text.contains(expected), "{text}");
    // everything else is untouched
    let stripped = body(&text).replacen(
        &expected["points = 3\n".len()
            ..expected.len()
                - "# =============================================================\n#  GATES\n"
                    .len()],
        "\n",
        1,
    );
    assert_eq!(stripped.replacen("version = 4", "version = 3", 1), MODEL,);
    assert_eq!(again.rules.len(), 8);
    assert_eq!(get(&again, "case-study").points, 12.0);
    assert!(!get(&again, "trial").enabled);
    assert_eq!(
        ruleset::changes(&base, &cur),
        [
            "added rule case-study (12 points)",
            "added rule trial (-1 point, disabled)"
        ]
    );
}

#[test]
fn duplicated_rule_keeps_decay_and_everything_else() {
    let base = load(MODEL);
    let mut cur = base.clone();
    let mut copy = get(&base, "pricing-interest").clone();
    copy.id = "pricing-interest-2".into();
    copy.points = 7.5;
    cur.rules.insert(4, copy);
    let (text, again) = save(&base, &cur);
    assert!(
        text.contains("id = \"pricing-interest-2\"\ngroup = \"intent\"\nwhen = 'pricing_page_views >= 2'\npoints = 7.5\ndecay = { date = \"last_pricing_view\", half_life_days = 30 }\n\n#"),
        "{text}"
    );
    let d = get(&again, "pricing-interest-2").decay.as_ref().unwrap();
    assert_eq!(
        (d.date.as_str(), d.half_life_days),
        ("last_pricing_view", 30.0)
    );
    assert_eq!(
        ruleset::changes(&base, &cur),
        ["added rule pricing-interest-2 (7.5 points)"]
    );
}

#[test]
fn deleting_a_rule_removes_its_table_and_own_comment_but_keeps_section_banners() {
    let base = load(MODEL);
    let mut cur = base.clone();
    cur.rules
        .retain(|r| r.id != "demo-request" && r.id != "big");
    let (text, again) = save(&base, &cur);
    assert!(!body(&text).contains("demo-request"), "{text}");
    assert!(!text.contains("They asked to talk to us"), "{text}");
    assert!(!text.contains("\"big\""), "{text}");
    assert!(
        text.contains(
            "reason = \"Regulated industry\"\n\n\
             # -------------------------------------------------------------\n\
             #  INTENT\n\
             # -------------------------------------------------------------\n\n\
             [[rules]]\nid = \"pricing-interest\""
        ),
        "{text}"
    );
    assert_eq!(again.rules.len(), 4);
    assert_eq!(
        ruleset::changes(&base, &cur),
        ["deleted rule big", "deleted rule demo-request"]
    );
}

#[test]
fn deleting_the_last_rule_keeps_the_next_sections_comment() {
    let base = load(MODEL);
    let mut cur = base.clone();
    cur.rules.retain(|r| r.id != "newsletter");
    let (text, _) = save(&base, &cur);
    assert!(
        text.contains("enabled = true   # on probation\n\n# =============================================================\n#  GATES\n"),
        "{text}"
    );
}

#[test]
fn changes_are_listed_in_file_order() {
    let base = load(MODEL);
    let mut cur = base.clone();
    cur.tiers[1].min = Some(45.0);
    rule(&mut cur, "webinar").enabled = false;
    cur.groups[0].cap = Some(45.0);
    cur.rules.retain(|r| r.id != "big");
    cur.gates[0].cap = 0.0;
    cur.rules.push(new_rule("x", "fit", "y", 12.0));
    rule(&mut cur, "regulated").points = 20.0;
    rule(&mut cur, "regulated").when.text = "a".into();
    assert_eq!(
        ruleset::changes(&base, &cur),
        [
            "group fit cap: 50 -> 45",
            "regulated: 15 -> 20",
            "regulated when: `industry in [\"finance\", \"health\"]` -> `a`",
            "deleted rule big",
            "webinar: disabled",
            "added rule x (12 points)",
            "gate no-email cap: 10 -> 0",
            "tier MQL min: 40 -> 45",
        ]
    );
    let (_, again) = save(&base, &cur);
    assert_eq!(again.rules.len(), 6);
}

#[test]
fn missing_version_is_inserted_after_name() {
    let src = "# my model\n\n[model]\nname = \"m\"   # short\nas_of = \"2026-01-01\"\n\n[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = 1\n";
    let base = load(src);
    assert_eq!(base.model.version, 0);
    let (text, again) = save(&base, &base.clone());
    assert!(
        text.starts_with("# my model\n\n[model]\nname = \"m\"   # short\nversion = 1\nas_of = \"2026-01-01\"\n\n[[rules]]"),
        "{text}"
    );
    assert_eq!(again.model.version, 1);
}

#[test]
fn missing_model_is_created_at_the_top_below_the_header_comment() {
    let src = "# header comment\n# second line\n\n# about the data\n[data]\nid = \"id\"\n\n[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = 1\n";
    let base = load(src);
    let (text, again) = save(&base, &base.clone());
    assert!(
        text.starts_with("# header comment\n# second line\n\n[model]\nversion = 1\n\n# about the data\n[data]\nid = \"id\"\n\n[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = 1\n\n[[changelog]]\n"),
        "{text}"
    );
    assert_eq!(again.model.version, 1);

    let bare = "[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = 1\n";
    let base = load(bare);
    let (text, _) = save(&base, &base.clone());
    assert!(
        text.starts_with("[model]\nversion = 1\n\n[[rules]]\nid = \"a\"\n"),
        "{text}"
    );
}

#[test]
fn crlf_files_stay_crlf_and_missing_final_newline_is_fine() {
    let src = MODEL.replace('\n', "\r\n");
    let base = load(&src);
    let mut cur = base.clone();
    rule(&mut cur, "big").points = 11.0;
    let (text, again) = save(&base, &cur);
    assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF");
    assert!(text.contains("points = 11\r\n"));
    assert_eq!(get(&again, "big").points, 11.0);

    let src = "[model]\nversion = 1\n[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = 1";
    let base = load(src);
    let (text, _) = save(&base, &base.clone());
    assert!(
        text.starts_with("[model]\nversion = 2\n[[rules]]\nid = \"a\"\nwhen = \"x\"\npoints = 1\n\n[[changelog]]\n"),
        "{text}"
    );
}

#[test]
fn changelog_lists_many_changes_one_per_line_and_escapes_the_note() {
    let base = load(MODEL);
    let mut cur = base.clone();
    rule(&mut cur, "big").points = 11.0;
    rule(&mut cur, "webinar").enabled = false;
    let mut e = entry(&base, ruleset::changes(&base, &cur));
    e.note = "Sales said \"more webinars\"; ok".into();
    e.after.auc = Some(0.5);
    let text = save::render(&base, &cur, &e).unwrap();
    assert!(
        text.ends_with(
            "changes = [\n  \"big: 10 -> 11\",\n  \"webinar: disabled\",\n]\nauc_after = 0.5\n"
        ),
        "{text}"
    );
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    let entry = &doc["changelog"][0];
    assert_eq!(
        entry["note"].as_str(),
        Some("Sales said \"more webinars\"; ok")
    );
    assert_eq!(entry["date"].as_str(), Some("2026-11-02"));
    assert_eq!(entry["version"].as_integer(), Some(4));
}

#[test]
fn render_refuses_a_model_that_would_not_load_again() {
    let base = load(MODEL);
    let mut cur = base.clone();
    cur.groups[0].floor = Some(80.0); // above its cap of 50
    let e = entry(&base, ruleset::changes(&base, &cur));
    let err = format!("{:#}", save::render(&base, &cur, &e).unwrap_err());
    assert!(err.contains("would not load again"), "{err}");
    assert!(err.contains("cap 50 is below floor 80"), "{err}");

    let mut cur = base.clone();
    let dup = get(&base, "big").clone();
    cur.rules.push(dup);
    let err = format!("{:#}", save::render(&base, &cur, &e).unwrap_err());
    assert!(
        err.contains("differs from the model in the workbench"),
        "{err}"
    );

    let mut cur = base.clone();
    rule(&mut cur, "big").points = f64::NAN;
    assert!(save::render(&base, &cur, &e).is_err());
}

#[test]
fn inline_rules_arrays_are_edited_too() {
    let src = "rules = [\n  { id = \"a\", when = \"x\", points = 1 },\n  { id = \"b\", when = \"y\", points = 2 },\n]\n\n[model]\nversion = 1\n";
    let base = load(src);
    let mut cur = base.clone();
    rule(&mut cur, "a").points = 5.0;
    cur.rules.retain(|r| r.id != "b");
    cur.rules.push(new_rule("c", "general", "z", 3.0));
    let (_, again) = save(&base, &cur);
    let got: Vec<(&str, f64)> = again
        .rules
        .iter()
        .map(|r| (r.id.as_str(), r.points))
        .collect();
    assert_eq!(got, [("a", 5.0), ("c", 3.0)]);
}

#[test]
fn bundled_cybersecurity_ruleset_round_trips() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rulesets/cybersecurity.toml");
    let Ok(src) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} does not exist");
        return;
    };
    let base = match Ruleset::parse(path, src.clone()) {
        Ok(rs) => rs,
        Err(d) => {
            eprintln!("skipped: {path} does not load yet:\n{d}");
            return;
        }
    };
    let Some(first) = base.rules.first() else {
        return;
    };
    let id = base
        .rules
        .iter()
        .find(|r| r.id == "demo-request")
        .unwrap_or(first)
        .id
        .clone();
    let mut cur = base.clone();
    let r = rule(&mut cur, &id);
    r.points += 5.0;
    let new_points = r.points;
    let changes = ruleset::changes(&base, &cur);
    assert_eq!(changes.len(), 1);
    let e = entry(&base, changes);
    let text = save::render(&base, &cur, &e).unwrap();

    let o: Vec<&str> = src.lines().collect();
    let n: Vec<&str> = text.lines().collect();
    let differing: Vec<usize> = (0..o.len()).filter(|&i| o[i] != n[i]).collect();
    assert_eq!(differing.len(), 2, "{differing:?}");
    for i in differing {
        assert!(
            n[i].starts_with("version = ") || n[i].starts_with("points = "),
            "{}",
            n[i]
        );
    }
    assert_eq!(n[o.len()], "");
    assert_eq!(n[o.len() + 1], "[[changelog]]");
    let again = Ruleset::parse(path, text.clone()).unwrap();
    assert_eq!(get(&again, &id).points, new_points);
    assert_eq!(again.model.version, base.model.version + 1);
}

// ---------------------------------------------------------------------------
// write_atomic
// ---------------------------------------------------------------------------

fn dir_entries(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn write_atomic_replaces_the_file_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.toml");
    std::fs::write(&path, "old\n").unwrap();
    save::write_atomic(&path, "new\n", Some("old\n")).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    assert_eq!(dir_entries(dir.path()), ["model.toml"]);
}

#[cfg(unix)]
#[test]
fn write_atomic_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.toml");
    std::fs::write(&path, "old\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    save::write_atomic(&path, "new\n", Some("old\n")).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn write_atomic_refuses_a_file_changed_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.toml");
    std::fs::write(&path, "someone else's edit\n").unwrap();
    let err = save::write_atomic(&path, "new\n", Some("old\n")).unwrap_err();
    assert!(matches!(err, SaveError::ChangedOnDisk { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!(
            "{} was changed on disk since it was opened; save under another name (save-as) or reload",
            path.display()
        )),
        "{msg}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "someone else's edit\n"
    );
    assert_eq!(dir_entries(dir.path()), ["model.toml"]);

    // A file deleted since it was opened is a change too.
    std::fs::remove_file(&path).unwrap();
    let err = save::write_atomic(&path, "new\n", Some("old\n")).unwrap_err();
    assert!(matches!(err, SaveError::ChangedOnDisk { .. }), "{err:?}");
    assert!(dir_entries(dir.path()).is_empty());
}

#[test]
fn save_as_writes_a_new_file_and_refuses_an_existing_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.toml");
    save::write_atomic(&path, "text\n", None).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "text\n");
    assert_eq!(dir_entries(dir.path()), ["copy.toml"]);

    let err = save::write_atomic(&path, "other\n", None).unwrap_err();
    assert!(matches!(err, SaveError::Exists { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "{} already exists; save under another name, or open that file to edit it. \
             Nothing was written.",
            path.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "text\n");
    assert_eq!(dir_entries(dir.path()), ["copy.toml"]);
}

#[test]
fn write_atomic_reports_io_errors_with_what_to_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-dir").join("model.toml");
    let err = save::write_atomic(&path, "x", None).unwrap_err();
    assert!(matches!(err, SaveError::Io(_)), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("could not save: cannot create a temporary file in"),
        "{msg}"
    );
}

#[cfg(unix)]
#[test]
fn write_atomic_writes_through_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.toml");
    let link = dir.path().join("link.toml");
    std::fs::write(&real, "old\n").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    save::write_atomic(&link, "new\n", Some("old\n")).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
}

#[test]
fn full_save_flow_with_render_and_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.toml");
    std::fs::write(&path, MODEL).unwrap();
    let base = Ruleset::load(path.to_str().unwrap()).unwrap();
    let mut cur = base.clone();
    rule(&mut cur, "demo-request").points = 35.0;
    let e = entry(&base, ruleset::changes(&base, &cur));
    let text = save::render(&base, &cur, &e).unwrap();
    save::write_atomic(&path, &text, Some(&base.source)).unwrap();
    let again = Ruleset::load(path.to_str().unwrap()).unwrap();
    assert_eq!(get(&again, "demo-request").points, 35.0);
    // Saving again from the stale baseline is refused.
    let err = save::write_atomic(&path, &text, Some(&base.source)).unwrap_err();
    assert!(matches!(err, SaveError::ChangedOnDisk { .. }));
}

#[test]
fn standard_and_dotted_sub_tables_are_edited_in_place() {
    let src = "[model]\nversion = 1\n\n[groups.fit]\ncap = 50 # fit cap\n\n[groups]\nintent.cap = 60\n\n[[rules]]\nid = \"a\"\ngroup = \"fit\"\nwhen = \"x\"\npoints = 1\n[rules.decay]\ndate = \"d\"\nhalf_life_days = 30\n\n[[rules]]\nid = \"b\"\ngroup = \"intent\"\nwhen = \"y\"\npoints = 2\n";
    let base = load(src);
    let mut cur = base.clone();
    cur.groups.iter_mut().find(|g| g.name == "fit").unwrap().cap = Some(45.0);
    cur.groups
        .iter_mut()
        .find(|g| g.name == "intent")
        .unwrap()
        .floor = Some(-5.0);
    rule(&mut cur, "a").decay.as_mut().unwrap().half_life_days = 14.0;
    cur.rules.push(new_rule("c", "intent", "z", 4.0));
    let (text, again) = save(&base, &cur);
    assert!(
        text.contains("[groups.fit]\ncap = 45 # fit cap\n"),
        "{text}"
    );
    assert!(
        text.contains("intent.cap = 60\nintent.floor = -5\n"),
        "{text}"
    );
    assert!(
        text.contains("[rules.decay]\ndate = \"d\"\nhalf_life_days = 14\n\n[[rules]]\nid = \"b\""),
        "{text}"
    );
    assert!(
        text.contains("points = 2\n\n[[rules]]\nid = \"c\""),
        "{text}"
    );
    assert_eq!(
        get(&again, "a").decay.as_ref().unwrap().half_life_days,
        14.0
    );
    assert_eq!(again.rules.len(), 3);
}

// ---------------------------------------------------------------------------
// Read-only files and leftovers of interrupted saves
// ---------------------------------------------------------------------------

#[cfg(unix)]
fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A read-only file is refused, even for root (who could write it): the
/// owner's write bit is what counts.
#[cfg(unix)]
#[test]
fn write_atomic_refuses_a_read_only_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.toml");
    std::fs::write(&path, "old\n").unwrap();
    chmod(&path, 0o444);
    let err = save::write_atomic(&path, "new\n", Some("old\n")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} is read-only; save under another name (save-as), or make it writable \
             (chmod u+w) and save again. Nothing was written.",
            path.display()
        )
    );
    assert!(matches!(err, SaveError::ReadOnly { .. }), "{err:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
    assert_eq!(dir_entries(dir.path()), ["model.toml"]);
    // Writable again: saved.
    chmod(&path, 0o644);
    save::write_atomic(&path, "new\n", Some("old\n")).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
}

#[cfg(unix)]
#[test]
fn write_atomic_refuses_a_file_in_a_read_only_directory() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("locked");
    std::fs::create_dir(&sub).unwrap();
    let path = sub.join("model.toml");
    std::fs::write(&path, "old\n").unwrap();
    chmod(&sub, 0o555);
    let err = save::write_atomic(&path, "new\n", Some("old\n")).unwrap_err();
    // Save-as into it is refused the same way.
    let err_as = save::write_atomic(&sub.join("copy.toml"), "x", None).unwrap_err();
    let listing = dir_entries(&sub);
    chmod(&sub, 0o755);
    assert!(matches!(err_as, SaveError::ReadOnly { .. }), "{err_as:?}");
    assert!(
        err.to_string().starts_with(&format!(
            "{} is in a read-only directory ({}); save under another name elsewhere (save-as)",
            path.display(),
            sub.display()
        )),
        "{err}"
    );
    assert!(err.to_string().ends_with("Nothing was written."), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
    assert_eq!(listing, ["model.toml"], "no temporary file either");
}

/// Temporary files of a save killed mid-write: removed on the next open
/// when nothing can still be writing them; anything else is left alone.
#[cfg(unix)]
#[test]
fn leftovers_of_interrupted_saves_of_the_same_file_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.toml");
    std::fs::write(&path, "old\n").unwrap();
    let put = |name: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, "half a rule").unwrap();
        p
    };
    // pid 4294967 cannot run (above Linux's pid_max); this process does.
    let dead = put(".model.toml.4294967.0.leadlab-tmp");
    let dead2 = put(".model.toml.4294967.12.leadlab-tmp");
    let me = std::process::id();
    let running = put(&format!(".model.toml.{me}.3.leadlab-tmp"));
    let running_old = put(&format!(".model.toml.{me}.4.leadlab-tmp"));
    let two_minutes_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
    std::fs::File::options()
        .write(true)
        .open(&running_old)
        .unwrap()
        .set_modified(two_minutes_ago)
        .unwrap();
    // Not leftovers of this file.
    let others = [
        ".other.toml.4294967.0.leadlab-tmp",
        ".model.toml.4294967.x.leadlab-tmp",
        ".model.toml.4294967.0.leadlab-tmp.bak",
        "model.toml.4294967.0.leadlab-tmp",
        ".model.toml.draft",
    ];
    for o in others {
        put(o);
    }

    let removed = save::remove_leftovers(&path);
    let mut expected = vec![dead, dead2, running_old];
    expected.sort();
    assert_eq!(removed, expected);
    assert!(
        running.exists(),
        "a save of a running process may still be writing it"
    );
    let mut left = dir_entries(dir.path());
    left.retain(|n| !others.contains(&n.as_str()));
    assert_eq!(
        left,
        [
            format!(".model.toml.{me}.3.leadlab-tmp"),
            "model.toml".into()
        ]
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
}

#[test]
fn a_draft_is_the_edited_model_without_a_new_version_or_changelog() {
    let base = load(MODEL);
    let mut cur = base.clone();
    rule(&mut cur, "demo-request").points = 30.0;
    let text = save::render_draft(&base, &cur).unwrap();
    assert_eq!(text, MODEL.replace("points = 25 #", "points = 30 #"));
}

/// Issue 17: every lever the workbench edits (gate caps, group caps and
/// floors, the qualified tier, band edges, the score range) is worded in
/// the change list and written in place, keeping the comments around it.
#[test]
fn levers_are_worded_and_written_in_place() {
    let base = load(MODEL);
    let mut cur = base.clone();
    cur.model.score_range = (0.0, 120.0);
    cur.review.bands = vec![0.0, 25.0, 40.0, 60.0, 80.0, 120.0];
    cur.review.qualified = Some("SQL".into());
    cur.gates[0].cap = 5.0;
    cur.groups[0].cap = Some(45.0);
    let (text, again) = save(&base, &cur);
    assert_eq!(
        ruleset::changes(&base, &cur),
        [
            "score range: [0, 100] -> [0, 120]",
            "group fit cap: 50 -> 45",
            "gate no-email cap: 10 -> 5",
            "bands: [0, 20, 40, 60, 80, 100] -> [0, 25, 40, 60, 80, 120]",
            "qualified: MQL -> SQL",
        ]
    );
    assert_lines(
        MODEL,
        body(&text),
        &[
            (
                "version = 3            # raised by one on every save",
                "version = 4            # raised by one on every save",
            ),
            ("score_range = [0, 100]", "score_range = [0, 120]"),
            ("fit = { cap = 50 }", "fit = { cap = 45 }"),
            ("cap = 10", "cap = 5"),
            (
                "bands = [0, 20, 40, 60, 80, 100]",
                "bands = [0, 25, 40, 60, 80, 120]",
            ),
            (
                "qualified = \"MQL\"   # MQL and above",
                "qualified = \"SQL\"   # MQL and above",
            ),
        ],
        &[],
    );
    assert_eq!(again.model.score_range, (0.0, 120.0));
    assert_eq!(again.review.bands, cur.review.bands);
    assert_eq!(again.review.qualified.as_deref(), Some("SQL"));
    assert_eq!(again.gates[0].cap, 5.0);
    assert_eq!(again.groups[0].cap, Some(45.0));
}

/// A file without `score_range`, `[review]` or `qualified` gets them
/// inserted where they belong; a qualified tier left at its default is
/// worded by the tier it names.
#[test]
fn levers_missing_from_the_file_are_inserted() {
    let src = MODEL.replace("score_range = [0, 100]\n", "").replace(
        "[review]\nbands = [0, 20, 40, 60, 80, 100]\nqualified = \"MQL\"   # MQL and above\n",
        "",
    );
    let base = load(&src);
    assert_eq!(base.review.qualified, None);
    let mut cur = base.clone();
    cur.model.score_range = (-10.0, 100.0);
    cur.review.bands = vec![0.0, 50.0, 100.0];
    cur.review.qualified = Some("SQL".into());
    let (text, again) = save(&base, &cur);
    assert_eq!(
        ruleset::changes(&base, &cur),
        [
            "score range: [0, 100] -> [-10, 100]",
            "bands: [0, 20, 40, 60, 80, 100] -> [0, 50, 100]",
            "qualified: MQL -> SQL",
        ]
    );
    assert!(
        text.contains(
            "version = 4            # raised by one on every save\nscore_range = [-10, 100]\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("[review]\nbands = [0, 50, 100]\nqualified = \"SQL\"\n"),
        "{text}"
    );
    assert!(text.contains("# end of file"), "{text}");
    assert_eq!(again.model.score_range, (-10.0, 100.0));
    assert_eq!(again.review.bands, vec![0.0, 50.0, 100.0]);
    assert_eq!(again.review.qualified.as_deref(), Some("SQL"));
}
