//! The command line end to end: outputs, exit codes and error messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn leadlab(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadlab"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run leadlab")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

const RULES: &str = r#"
[model]
name = "Test"
as_of = "2026-10-31"
[data]
id = "Lead ID"
outcome = "won"
[[rules]]
id = "demo"
when = "demo"
points = 60
reason = "Asked for a demo"
[[rules]]
id = "title"
when = 'title contains "chief"'
points = 25
[[tiers]]
name = "SQL"
min = 50
[[tiers]]
name = "Nurture"
min = 0
"#;

const DATA: &str = "Lead ID,demo,title,won\nL1,yes,Chief Risk Officer,yes\nL2,no,\"=HYPERLINK(\"\"x\"\")\",no\n-L3,yes,analyst,no\nL4,no,chief of staff,\n";

fn setup() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "r.toml", RULES);
    write(d.path(), "d.csv", DATA);
    d
}

#[test]
fn score_writes_csv_with_formula_quoting() {
    let d = setup();
    let o = leadlab(&["score", "r.toml", "d.csv"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Lead ID,score,tier,general,reasons\nL1,85,SQL,85,Asked for a demo; title\nL2,0,Nurture,0,\n'-L3,60,SQL,60,Asked for a demo\nL4,25,Nurture,25,title\n"
    );
}

#[test]
fn score_keep_columns_appends_input_cells_made_safe() {
    // The id column is kept too, under a name of its own (see
    // keep_columns_prefixes_inputs_named_like_outputs).
    let d = setup();
    let o = leadlab(&["score", "r.toml", "d.csv", "--keep-columns"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "Lead ID,score,tier,general,reasons,input_Lead ID,demo,title,won"
    );
    assert_eq!(
        lines[2],
        "L2,0,Nurture,0,,L2,no,\"'=HYPERLINK(\"\"x\"\")\",no"
    );
}

#[test]
fn score_json_has_unrounded_numbers() {
    let d = setup();
    write(
        d.path(),
        "r2.toml",
        RULES.replace("points = 25", "points = 25.125"),
    );
    let o = leadlab(
        &[
            "score", "r2.toml", "d.csv", "--format", "json", "-o", "out.json",
        ],
        d.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(v[0]["score"], 85.125);
    assert_eq!(v[0]["Lead ID"], "L1");
    assert_eq!(v[3]["tier"], "Nurture");
}

#[test]
fn report_json_has_the_stable_keys() {
    let d = setup();
    let o = leadlab(&["report", "r.toml", "d.csv", "--format", "json"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for k in [
        "ruleset",
        "data",
        "as_of",
        "leads",
        "labelled",
        "converted",
        "base_rate",
        "auc",
        "bands",
        "tiers",
        "qualified",
        "misclassified",
        "segments",
        "per_week",
        "warnings",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(v["as_of"], "2026-10-31");
    assert_eq!(v["leads"], 4);
    assert_eq!(v["labelled"], 3);
    assert_eq!(v["qualified"]["tier"], "SQL");
    assert_eq!(v["misclassified"]["false_positives"][0]["id"], "-L3");
    for k in [
        "from",
        "to",
        "leads",
        "converted",
        "rate",
        "ci_low",
        "ci_high",
        "lift",
    ] {
        assert!(v["bands"][0].get(k).is_some(), "band key {k}");
    }
}

#[test]
fn report_table_and_markdown_state_the_date() {
    let d = setup();
    for fmt in ["table", "markdown"] {
        let o = leadlab(
            &[
                "report",
                "r.toml",
                "d.csv",
                "--format",
                fmt,
                "--as-of",
                "2026-01-02",
            ],
            d.path(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("as of 2026-01-02"), "{}", stdout(&o));
    }
}

#[test]
fn explain_prints_the_ledger_and_rejects_unknown_ids() {
    let d = setup();
    let o = leadlab(&["explain", "r.toml", "d.csv", "L1"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("lead L1 · score 85 · tier SQL"), "{out}");
    let o = leadlab(&["explain", "r.toml", "d.csv", "L9"], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no lead with id `L9` in d.csv (ids look like `L1`)"),
        "{}",
        stderr(&o)
    );
    let o = leadlab(
        &["explain", "r.toml", "d.csv", "L4", "--format", "json"],
        d.path(),
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["score"], 25.0);
    assert_eq!(v["next_tier"]["name"], "SQL");
}

#[test]
fn check_passes_clean_rulesets_and_fails_on_errors() {
    let d = setup();
    let o = leadlab(&["check", "r.toml", "d.csv"], d.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("r.toml: ok: 0 errors"),
        "{}",
        stdout(&o)
    );
    write(
        d.path(),
        "bad.toml",
        RULES
            .replace("points = 60", "points = 60\nreson = \"x\"")
            .replace("title contains", "titel contains"),
    );
    let o = leadlab(&["check", "bad.toml", "d.csv"], d.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("unknown key `reson` in [[rules]]; did you mean `reason`?"),
        "{err}"
    );
    // Without data, syntax is still checked.
    let o = leadlab(&["check", "bad.toml"], d.path());
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn check_lints_rules_tiers_and_caps() {
    let d = setup();
    let rules = RULES.to_string()
        + "[[rules]]\nid = \"never\"\nwhen = 'title == \"nobody\"'\npoints = 5\n[[rules]]\nid = \"always\"\nwhen = 'Lead_ID is present'\npoints = 1\n[groups]\ngeneral = { cap = 40 }\n";
    let rules = rules.replace(
        "name = \"Nurture\"\nmin = 0",
        "name = \"Nurture\"\nmin = 10",
    );
    write(d.path(), "lint.toml", rules.replace("Lead_ID", "`Lead ID`"));
    let o = leadlab(&["check", "lint.toml", "d.csv"], d.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for want in [
        "rule `never`: never fires on the data",
        "rule `always`: fires on 4 of 4 leads",
        "rule `demo`: 60 points but group `general` is capped at 40",
        "some leads can match no tier",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}

#[test]
fn unknown_field_type_mismatch_and_bad_regex_messages() {
    let d = setup();
    write(
        d.path(),
        "f.toml",
        RULES.replace("title contains", "titel contains"),
    );
    let o = leadlab(&["score", "f.toml", "d.csv"], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("unknown field `titel` (did you mean `title`?)"),
        "{}",
        stderr(&o)
    );

    write(
        d.path(),
        "t.toml",
        RULES.replace("when = \"demo\"", "when = 'demo == 3'"),
    );
    let o = leadlab(&["score", "t.toml", "d.csv"], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("t.toml:10:"), "{}", stderr(&o));

    write(
        d.path(),
        "x.toml",
        RULES.replace("title contains \"chief\"", "title matches \"[chief\""),
    );
    let o = leadlab(&["score", "x.toml", "d.csv"], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("rule `title`"), "{}", stderr(&o));
}

#[test]
fn ragged_rows_fail_with_their_line_or_are_skipped() {
    let d = setup();
    write(
        d.path(),
        "ragged.csv",
        "Lead ID,demo,title,won\nL1,yes,a,yes\nL2,no\nL3,no,b,no\n",
    );
    let o = leadlab(&["report", "r.toml", "ragged.csv"], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ragged.csv:3"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--skip-bad-rows"), "{}", stderr(&o));
    let o = leadlab(
        &[
            "report",
            "r.toml",
            "ragged.csv",
            "--skip-bad-rows",
            "--format",
            "json",
        ],
        d.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["leads"], 2);
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("1 bad rows skipped (lines 3)"),
        "{v}"
    );
}

#[test]
fn invalid_utf8_names_the_line() {
    let d = setup();
    write(
        d.path(),
        "bad.csv",
        b"Lead ID,demo,title,won\nL1,yes,a,yes\nL2,no,caf\xe9,no\n",
    );
    let o = leadlab(&["score", "r.toml", "bad.csv"], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad.csv:3"), "{}", stderr(&o));
    assert!(stderr(&o).contains("UTF-8"), "{}", stderr(&o));
}

#[test]
fn missing_files_are_clear_errors() {
    let d = setup();
    let o = leadlab(&["score", "nope.toml", "d.csv"], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("nope.toml: cannot read ruleset"),
        "{}",
        stderr(&o)
    );
    let o = leadlab(&["score", "r.toml", "nope.csv"], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nope.csv"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2() {
    let d = setup();
    let o = leadlab(&["score", "r.toml"], d.path());
    assert_eq!(o.status.code(), Some(2));
    let o = leadlab(
        &["report", "r.toml", "d.csv", "--as-of", "31/10/2026"],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bare_leadlab_without_a_terminal_says_what_to_run_instead() {
    // Bare `leadlab` opens the workbench on the bundled example (tests/pty.rs
    // runs it in a pseudo-terminal); into a pipe it explains instead of
    // drawing a screen.
    let d = tempfile::tempdir().unwrap();
    let o = leadlab(&[], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(err.contains("leadlab report RULESET DATA"), "{err}");
}

#[test]
fn sample_is_deterministic() {
    let d = tempfile::tempdir().unwrap();
    let a = leadlab(&["sample", "--rows", "200", "--seed", "7"], d.path());
    let b = leadlab(&["sample", "--rows", "200", "--seed", "7"], d.path());
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(stdout(&a).lines().count(), 201);
}

#[test]
fn the_bundled_sample_is_what_sample_seed_1_writes() {
    let d = tempfile::tempdir().unwrap();
    let o = leadlab(&["sample", "--seed", "1"], d.path());
    let bundled = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/cybersecurity-leads.csv"
    ))
    .unwrap();
    assert!(
        o.stdout == bundled,
        "samples/cybersecurity-leads.csv differs from `leadlab sample --seed 1`"
    );
}

// ---- Kept input columns that share an output column's name (issue 15) ----

#[test]
fn keep_columns_prefixes_inputs_named_like_outputs() {
    let d = setup();
    write(
        d.path(),
        "c.csv",
        "Lead ID,demo,title,won,score,Tier,reasons,input_score,notes\nL1,yes,chief,yes,3,Gold,r,is,n\n",
    );
    let o = leadlab(&["score", "r.toml", "c.csv", "--keep-columns"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "Lead ID,score,tier,general,reasons,input_Lead ID,demo,title,won,input_input_score,input_Tier,input_reasons,input_score,notes"
    );
    assert_eq!(
        lines[1],
        "L1,85,SQL,85,Asked for a demo; title,L1,yes,chief,yes,3,Gold,r,is,n"
    );
    let o = leadlab(
        &["score", "r.toml", "c.csv", "--keep-columns", "--format", "json"],
        d.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let lead = v[0].as_object().unwrap();
    assert_eq!(lead["score"], 85.0);
    assert_eq!(lead["tier"], "SQL");
    assert_eq!(lead["general"], 85.0);
    assert_eq!(lead["reasons"], "Asked for a demo; title");
    assert_eq!(lead["input_Lead ID"], "L1");
    assert_eq!(lead["input_input_score"], "3");
    assert_eq!(lead["input_Tier"], "Gold");
    assert_eq!(lead["input_reasons"], "r");
    assert_eq!(lead["input_score"], "is");
    assert_eq!(lead["notes"], "n");
    assert_eq!(lead.len(), 14, "{lead:?}");
}
