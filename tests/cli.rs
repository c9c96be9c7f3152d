//! The command line end to end: outputs, exit codes and error messages.

mod common;
use common::{LEADLAB, leadlab, leadlab_command};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
            .contains("1 bad row skipped (line 3)"),
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

// ---- Output errors: closed pipes and full disks (issue 15) ----

/// Runs leadlab with its stdout and stderr going where the test says;
/// returns the exit code and, when stderr is captured, what it said.
fn leadlab_into(
    args: &[&str],
    dir: &Path,
    out: std::process::Stdio,
    err: std::process::Stdio,
) -> std::process::ExitStatus {
    leadlab_command(dir)
        .args(args)
        .stdout(out)
        .stderr(err)
        .status()
        .expect("run leadlab")
}

/// The writing end of a pipe whose reader is already gone: every write
/// fails with EPIPE, deterministically (no race with a reader closing).
fn closed_pipe() -> std::process::Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

fn dev_full() -> std::process::Stdio {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
        .into()
}

/// Runs leadlab with stdout into a closed pipe, capturing stderr.
fn into_closed_pipe(args: &[&str], dir: &Path) -> Output {
    leadlab_command(dir)
        .args(args)
        .stdout(closed_pipe())
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run leadlab")
}

/// Runs leadlab with stdout into /dev/full, capturing stderr.
fn into_full_disk(args: &[&str], dir: &Path) -> Output {
    leadlab_command(dir)
        .args(args)
        .stdout(dev_full())
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run leadlab")
}

/// Every command that prints, each way it prints.
const PRINTING: &[&[&str]] = &[
    &["check", "r.toml"],
    &["check", "r.toml", "d.csv"],
    &["report", "r.toml", "d.csv"],
    &["report", "r.toml", "d.csv", "--format", "markdown"],
    &["report", "r.toml", "d.csv", "--format", "json"],
    &["explain", "r.toml", "d.csv", "L1"],
    &["explain", "r.toml", "d.csv", "L1", "--format", "json"],
    &["score", "r.toml", "d.csv"],
    &["score", "r.toml", "d.csv", "--keep-columns"],
    &["score", "r.toml", "d.csv", "--format", "json"],
    &[
        "score",
        "r.toml",
        "d.csv",
        "--format",
        "json",
        "--keep-columns",
    ],
    &["sample", "--rows", "50"],
];

#[test]
fn a_closed_stdout_is_a_quiet_exit_0() {
    let d = setup();
    for args in PRINTING {
        let o = into_closed_pipe(args, d.path());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("error"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_closed_stdout_keeps_the_verdict_of_check() {
    let d = setup();
    write(
        d.path(),
        "bad.toml",
        RULES.replace("points = 60", "points = \"x\""),
    );
    let o = into_closed_pipe(&["check", "bad.toml", "d.csv"], d.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.toml:"), "{}", stderr(&o));
}

#[test]
fn score_json_into_a_reader_that_stops_early_exits_0() {
    // A lead file large enough to fill the pipe's buffer many times over.
    let d = setup();
    let big = leadlab(&["sample", "--rows", "3000", "-o", "big.csv"], d.path());
    assert!(big.status.success(), "{}", stderr(&big));
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/rulesets/cybersecurity.toml");
    for extra in [&[][..], &["--keep-columns"][..]] {
        for format in ["csv", "json"] {
            let mut child = leadlab_command(d.path())
                .args(["score", rules, "big.csv", "--format", format])
                .args(extra)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let mut out = child.stdout.take().unwrap();
            let mut first = [0u8; 100];
            std::io::Read::read_exact(&mut out, &mut first).unwrap();
            drop(out);
            let o = child.wait_with_output().unwrap();
            assert_eq!(
                o.status.code(),
                Some(0),
                "{format} {extra:?}: {}",
                stderr(&o)
            );
            assert!(
                !stderr(&o).contains("error"),
                "{format} {extra:?}: {}",
                stderr(&o)
            );
        }
    }
}

#[test]
fn a_full_disk_on_stdout_is_exit_1_with_a_message() {
    let d = setup();
    for args in PRINTING {
        let o = into_full_disk(args, d.path());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("error: cannot write to standard output: No space left on device"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn a_full_or_closed_stderr_never_panics() {
    let d = setup();
    // Warnings (a lint) and errors alike.
    write(
        d.path(),
        "bad.toml",
        RULES.replace("points = 60", "points = \"x\""),
    );
    write(d.path(), "warn.toml", RULES.replace("min = 0", "min = 10"));
    for args in [
        &["check", "warn.toml", "d.csv"][..],
        &["check", "bad.toml", "d.csv"][..],
        &["score", "bad.toml", "d.csv"][..],
        &["explain", "r.toml", "d.csv", "nobody"][..],
    ] {
        // A full stderr: what could not be said is a failure (exit 1), silently.
        let status = leadlab_into(args, d.path(), std::process::Stdio::null(), dev_full());
        assert_eq!(status.code(), Some(1), "{args:?} with a full stderr");
        // A closed stderr: nobody reads it; the exit code is the command's own.
        let status = leadlab_into(args, d.path(), std::process::Stdio::null(), closed_pipe());
        let want = if args[1] == "warn.toml" { 0 } else { 1 };
        assert_eq!(status.code(), Some(want), "{args:?} with a closed stderr");
        // Both full: exit 1 without a word.
        let status = leadlab_into(args, d.path(), dev_full(), dev_full());
        assert_eq!(status.code(), Some(1), "{args:?} with both full");
    }
}

// ---- Text that reaches a terminal or a markdown table (issue 15) ----

/// Names, reasons, actions and ids holding escape sequences, line breaks,
/// carriage returns and pipes.
const HOSTILE_RULES: &str = r#"
[model]
name = "Evil\u001b[2J | model"
as_of = "2026-10-31"
[data]
id = "Lead ID"
outcome = "won"
[[rules]]
id = "demo"
when = "demo"
points = 60
reason = "Asked\nfor a | demo \u001b[31mNOW\u001b[0m\r"
[[tiers]]
name = "S|Q\nL\u001b[5m"
min = 50
action = "Call\r\nnow | today \u001b]0;pwned\u0007"
[[tiers]]
name = "Nurture"
min = 0
"#;

const HOSTILE_DATA: &str = "Lead ID,demo,won\n\"L\u{1b}[31m1|x\r\ny\",yes,no\nL2,no,yes\n\"L3\rz\",yes,no\n\"L3\rz\",yes,no\n";

fn hostile() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "r.toml", HOSTILE_RULES);
    write(d.path(), "d.csv", HOSTILE_DATA);
    d
}

/// The control characters in `text` other than line feeds.
fn controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| c != '\n' && (c.is_control() || c == '\u{202e}'))
        .collect()
}

/// Every markdown table row has as many cells as its header.
fn assert_markdown_rows_intact(md: &str) {
    let cells = |line: &str| {
        let b = line.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
            .count()
    };
    let mut header = None;
    for line in md.lines() {
        if line.starts_with('|') {
            assert!(line.ends_with('|'), "row cut: {line:?}\n{md}");
            let n = cells(line);
            assert_eq!(*header.get_or_insert(n), n, "row {line:?}\n{md}");
        } else {
            header = None;
        }
    }
}

#[test]
fn report_tables_show_control_characters_escaped() {
    let d = hostile();
    let o = leadlab(&["report", "r.toml", "d.csv"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(controls(&out), vec![], "{out}");
    assert!(out.contains("Evil\\x1b[2J | model"), "{out}");
    assert!(out.contains("S|Q\\nL\\x1b[5m"), "{out}");
    assert!(
        out.contains("Call\\r\\nnow | today \\x1b]0;pwned\\x07"),
        "{out}"
    );
    assert!(out.contains("L\\x1b[31m1|x\\r\\ny"), "{out}");
    assert!(out.contains("L3\\rz"), "{out}");
    // One line per false positive: the id's line break does not split the row.
    let fp = out
        .lines()
        .filter(|l| l.contains("Asked\\nfor a | demo"))
        .count();
    assert_eq!(fp, 3, "{out}");
}

#[test]
fn report_markdown_keeps_every_row_whole() {
    let d = hostile();
    let o = leadlab(
        &["report", "r.toml", "d.csv", "--format", "markdown"],
        d.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert_eq!(controls(&md), vec![], "{md}");
    assert_markdown_rows_intact(&md);
    assert!(md.contains("# Evil\\x1b[2J \\| model"), "{md}");
    assert!(md.contains("| S\\|Q<br>L\\x1b[5m |"), "{md}");
    assert!(
        md.contains("Call<br>now \\| today \\x1b]0;pwned\\x07"),
        "{md}"
    );
    assert!(md.contains("| L\\x1b[31m1\\|x<br>y |"), "{md}");
    assert!(
        md.contains("Asked<br>for a \\| demo \\x1b[31mNOW\\x1b[0m<br>"),
        "{md}"
    );
    // JSON stays faithful: the same text, escaped only as JSON escapes it.
    let o = leadlab(&["report", "r.toml", "d.csv", "--format", "json"], d.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v["misclassified"]["false_positives"][0]["id"],
        "L\u{1b}[31m1|x\r\ny"
    );
}

#[test]
fn explain_and_warnings_show_control_characters_escaped() {
    let d = hostile();
    let id = "L\u{1b}[31m1|x\r\ny";
    let o = leadlab(&["explain", "r.toml", "d.csv", id], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(controls(&out), vec![], "{out}");
    assert!(
        out.starts_with("lead L\\x1b[31m1|x\\r\\ny · score 60 · tier S|Q\\nL\\x1b[5m"),
        "{out}"
    );
    // Messages on stderr quote the user's values escaped too.
    let o = leadlab(&["explain", "r.toml", "d.csv", "no\u{1b}[2Jbody"], d.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(controls(&err), vec![], "{err}");
    assert!(err.contains("no lead with id `no\\x1b[2Jbody`"), "{err}");
    let o = leadlab(&["score", "r.toml", "d.csv"], d.path());
    let err = stderr(&o);
    assert!(err.contains("share an id"), "{err}");
    assert!(err.contains("L3\\rz"), "{err}");
    assert_eq!(controls(&err), vec![], "{err}");
    // CSV stays faithful.
    assert!(
        stdout(&o).contains("\"L\u{1b}[31m1|x\r\ny\""),
        "{}",
        stdout(&o)
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
        &[
            "score",
            "r.toml",
            "c.csv",
            "--keep-columns",
            "--format",
            "json",
        ],
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

#[test]
fn an_id_column_named_like_an_output_column_is_written_as_input_header() {
    // An id column called `tier` would be two `tier` columns in CSV and, in
    // JSON, the tier would replace the id.
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "d.csv", "tier,x,won\na,1,1\nb,2,0\n");
    write(
        d.path(),
        "r.toml",
        "[data]\nid = \"tier\"\noutcome = \"won\"\n[[rules]]\nid = \"r\"\nwhen = 'x > 1'\npoints = 5\n[[tiers]]\nname = \"A\"\nmin = 0\n",
    );
    let o = leadlab(&["score", "r.toml", "d.csv"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "input_tier,score,tier,general,reasons\na,0,A,0,\nb,5,A,5,r\n"
    );
    let o = leadlab(&["score", "r.toml", "d.csv", "--format", "json"], d.path());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[1]["input_tier"], "b");
    assert_eq!(v[1]["tier"], "A");
}

// ---- `-o` never replaces an input, and replaces its own file whole (issue 15) ----

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("leadlab-tmp"))
        .collect()
}

#[test]
fn score_refuses_to_write_over_its_inputs() {
    let d = setup();
    let p = d.path();
    std::os::unix::fs::symlink("d.csv", p.join("link.csv")).unwrap();
    std::os::unix::fs::symlink(p.join("r.toml"), p.join("link.toml")).unwrap();
    std::fs::hard_link(p.join("d.csv"), p.join("hard.csv")).unwrap();
    std::fs::create_dir(p.join("sub")).unwrap();
    for (out, what, same) in [
        ("d.csv", "the lead data", ""),
        (
            "./sub/../d.csv",
            "the lead data",
            " (the same file as d.csv)",
        ),
        ("link.csv", "the lead data", " (the same file as d.csv)"),
        ("hard.csv", "the lead data", " (the same file as d.csv)"),
        ("r.toml", "the ruleset", ""),
        ("link.toml", "the ruleset", " (the same file as r.toml)"),
    ] {
        for format in ["csv", "json"] {
            let o = leadlab(
                &["score", "r.toml", "d.csv", "-o", out, "--format", format],
                p,
            );
            assert_eq!(o.status.code(), Some(1), "{out}: {}", stderr(&o));
            assert_eq!(
                stderr(&o),
                format!(
                    "error: refusing to write to {out}{same}: it is {what} this command reads, and writing would replace it; name another output file\n"
                ),
            );
            assert_eq!(std::fs::read_to_string(p.join("d.csv")).unwrap(), DATA);
            assert_eq!(std::fs::read_to_string(p.join("r.toml")).unwrap(), RULES);
            assert_eq!(leftovers(p), Vec::<String>::new());
        }
    }
}

#[test]
fn score_o_replaces_a_file_whole_or_not_at_all() {
    use std::os::unix::fs::PermissionsExt;
    let d = setup();
    let p = d.path();
    // Over an existing file: replaced, with its permissions.
    write(p, "out.csv", "old\n");
    std::fs::set_permissions(p.join("out.csv"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = leadlab(&["score", "r.toml", "d.csv", "-o", "out.csv"], p);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(p.join("out.csv")).unwrap();
    assert!(written.starts_with("Lead ID,score,tier"), "{written}");
    let mode = std::fs::metadata(p.join("out.csv"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    // Through a symlink: the file it names is written, the link stays.
    std::os::unix::fs::symlink("out.csv", p.join("out-link.csv")).unwrap();
    write(p, "out.csv", "old\n");
    let o = leadlab(&["score", "r.toml", "d.csv", "-o", "out-link.csv"], p);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(p.join("out-link.csv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(p.join("out.csv")).unwrap(), written);
    // A device is written in place.
    let o = leadlab(&["score", "r.toml", "d.csv", "-o", "/dev/null"], p);
    assert!(o.status.success(), "{}", stderr(&o));
    // A write that fails half way (a file size limit stands in for a full
    // disk) leaves the old file as it was and no temporary file behind.
    write(p, "out.csv", "old\n");
    let big = leadlab(&["sample", "--rows", "2000", "-o", "big.csv"], p);
    assert!(big.status.success(), "{}", stderr(&big));
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/rulesets/cybersecurity.toml");
    for format in ["csv", "json"] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "trap '' XFSZ; ulimit -f 64; exec '{}' score '{rules}' big.csv --format {format} -o out.csv",
                LEADLAB
            ))
            .current_dir(p)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("error: cannot write to out.csv: File too large"),
            "{}",
            stderr(&o)
        );
        assert_eq!(std::fs::read_to_string(p.join("out.csv")).unwrap(), "old\n");
        assert_eq!(leftovers(p), Vec::<String>::new());
    }
    // Nowhere to write: a clear error, nothing left.
    let o = leadlab(
        &["score", "r.toml", "d.csv", "-o", "no/such/dir/out.csv"],
        p,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "error: cannot write no/such/dir/out.csv: cannot create a file in no/such/dir"
        ),
        "{}",
        stderr(&o)
    );
    let o = leadlab(&["score", "r.toml", "d.csv", "-o", "sub"], p);
    let _ = o;
    assert_eq!(leftovers(p), Vec::<String>::new());
}

#[test]
fn sample_o_replaces_an_existing_file_whole() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "s.csv", "old\n");
    let o = leadlab(&["sample", "--rows", "5", "-o", "s.csv"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(d.path().join("s.csv")).unwrap();
    assert_eq!(text.lines().count(), 6, "{text}");
    assert_eq!(leftovers(d.path()), Vec::<String>::new());
    let o = leadlab(&["sample", "--rows", "5", "-o", "."], d.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "error: cannot write .: it is a directory\n");
}

// ---- `check` names a data file once (issue 15) ----

#[test]
fn check_names_the_data_file_once() {
    let d = setup();
    write(
        d.path(),
        "rag.csv",
        "Lead ID,demo,title,won\nL1,yes,a,yes\nL2,no\n",
    );
    let o = leadlab(&["check", "r.toml", "rag.csv"], d.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: rag.csv:3: row has 2 fields, the header has 4"),
        "{err}"
    );
    assert!(!err.contains("rag.csv: rag.csv"), "{err}");
    let o = leadlab(&["check", "r.toml", "nope.csv"], d.path());
    let err = stderr(&o);
    assert!(
        err.starts_with("error: nope.csv: cannot read the file: "),
        "{err}"
    );
}
