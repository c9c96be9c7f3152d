//! `leadlab check`: every problem in one run, with messages that say what to do.

mod common;
use common::leadlab;
use std::path::Path;

const DATA: &str = "id,employees,title,demo\n1,500,CISO,yes\n2,N/A,intern,no\n3,40,cto,no\n";

#[test]
fn structural_and_condition_errors_are_reported_together() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("d.csv"), DATA).unwrap();
    std::fs::write(
        d.path().join("r.toml"),
        "[[rules]]\nid = \"demo\"\nwhen = 'demo_requested'\npoints = 30\nreson = \"x\"\n\n[[rules]]\nid = \"empty\"\nwhen = ''\npoints = 1\n",
    )
    .unwrap();
    let o = leadlab(&["check", "r.toml", "d.csv"], d.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("r.toml:5:1: rule `demo`: unknown key `reson`"),
        "{err}"
    );
    assert!(
        err.contains(
            "r.toml:3:9: rule `demo`: unknown field `demo_requested` (did you mean `demo`?)"
        ),
        "{err}"
    );
    assert!(
        err.contains("r.toml:9:8: rule `empty`: `when` is empty"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("r.toml: failed: 3 errors"));
}

#[test]
fn a_number_column_read_as_text_says_which_values_did_it() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("d.csv"), DATA).unwrap();
    std::fs::write(
        d.path().join("r.toml"),
        "[[rules]]\nid = \"big\"\nwhen = 'employees > 100'\npoints = 10\n",
    )
    .unwrap();
    let o = leadlab(&["check", "r.toml", "d.csv"], d.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("`employees` was read as text, not as a number, because of 1 value: \"N/A\" (line 3); fix it in the file, list it in [data].missing"),
        "{err}"
    );
    // Following the advice fixes it.
    std::fs::write(
        d.path().join("r.toml"),
        "[data]\nmissing = [\"N/A\"]\n[[rules]]\nid = \"big\"\nwhen = 'employees > 100'\npoints = 10\n[[tiers]]\nname = \"all\"\nmin = 0\n",
    )
    .unwrap();
    let o = leadlab(&["check", "r.toml", "d.csv"], d.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_bundled_example_checks_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = leadlab(
        &[
            "check",
            "rulesets/cybersecurity.toml",
            "samples/cybersecurity-leads.csv",
        ],
        root,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // The only warning is the deliberate one: duplicate ids in the CRM export.
    assert_eq!(
        err.lines().filter(|l| l.starts_with("warning")).count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("13 leads share an id with an earlier lead"),
        "{err}"
    );
}

/// `check` and `score` on files written to a fresh directory: (exit code, stderr).
fn run_in_fresh_dir(cmd: &str, ruleset: &str, csv: &str) -> (Option<i32>, String) {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("r.toml"), ruleset).unwrap();
    std::fs::write(d.path().join("leads.csv"), csv).unwrap();
    let o = leadlab(&[cmd, "r.toml", "leads.csv"], d.path());
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const LEADS: &str =
    "lead_id,Job Title,employees,won,created_at\n1,CISO,5,yes,2026-01-01\n2,cto,6,no,2026-01-02\n";
const A_RULE: &str = "\n[[rules]]\nid = \"a\"\nwhen = \"employees > 1\"\npoints = 1\n";

/// An error about a `[data]`, `[fields]` or `[derive]` key found against the
/// data names the ruleset line of the key, in `check` and in every command
/// that loads the data.
#[test]
fn data_key_errors_name_the_ruleset_line() {
    let cases = [
        (
            "[data]\nid = \"lead_idd\"\n",
            "r.toml:2:6: [data].id: no column \"lead_idd\" in leads.csv (did you mean \"lead_id\"?)",
        ),
        (
            "[model]\nname = \"x\"\n\n[data]\noutcome = \"wonn\"\n",
            "r.toml:5:11: [data].outcome: no column \"wonn\" in leads.csv (did you mean \"won\"?)",
        ),
        (
            "[data]\ncreated = \"Job Title\"\n",
            "r.toml:2:11: [data].created: column \"Job Title\" is text, not a date",
        ),
        (
            "[fields]\ntitle = \"Job Titel\"\n",
            "r.toml:2:9: [fields].title: no column \"Job Titel\" in leads.csv (did you mean \"Job Title\"?)",
        ),
        (
            "[fields]\nsize = { type = \"number\", column = \"employes\" }\n",
            "r.toml:2:36: [fields].size: no column \"employes\" in leads.csv (did you mean \"employees\"?)",
        ),
        (
            "[derive.seniority]\nfrom = \"job_titel\"\nmap = [{ match = [\"c\"], value = \"c\" }]\n",
            "r.toml:2:8: [derive.seniority].from: no field \"job_titel\" in leads.csv (did you mean \"job_title\"?)",
        ),
        (
            "[derive.size]\nfrom = \"employees\"\n",
            "r.toml:2:8: [derive.size].from: field \"employees\" is number, not text",
        ),
        (
            "[derive.employees]\nfrom = \"job_title\"\n",
            "r.toml:1:9: [derive.employees]: \"employees\" is already a column of leads.csv",
        ),
    ];
    for (section, want) in cases {
        let ruleset = format!("{section}{A_RULE}");
        for cmd in ["check", "score"] {
            let (code, err) = run_in_fresh_dir(cmd, &ruleset, LEADS);
            assert_eq!(code, Some(1), "{cmd}\n{ruleset}\n{err}");
            assert!(
                err.contains(&format!("error: {want}")),
                "{cmd}\n{ruleset}\nwant: {want}\ngot:  {err}"
            );
        }
    }
}

/// A number a condition cannot hold (`1e400` reads as infinity) is an error
/// at its place, with or without data; `nan` and `inf` are no numbers there.
#[test]
fn non_finite_numbers_in_conditions_are_errors_at_their_place() {
    let ruleset = "[[rules]]\nid = \"a\"\nwhen = \"employees >= 1e400\"\npoints = 1\n\n[[rules]]\nid = \"b\"\nwhen = 'employees in [1, -2e999]'\npoints = 1\n";
    for args in [
        &["check", "r.toml"][..],
        &["check", "r.toml", "leads.csv"][..],
    ] {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("r.toml"), ruleset).unwrap();
        std::fs::write(d.path().join("leads.csv"), LEADS).unwrap();
        let o = leadlab(args, d.path());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains("r.toml:3:22: rule `a`: number `1e400` is too large: numbers in conditions must be finite"),
            "{err}"
        );
        assert!(
            err.contains("r.toml:8:26: rule `b`: number `-2e999` is too large"),
            "{err}"
        );
    }
    let ruleset = "[[rules]]\nid = \"a\"\nwhen = \"employees > nan\"\npoints = 1\n[[tiers]]\nname = \"A\"\nrequire = \"score < inf\"\n";
    let (code, err) = run_in_fresh_dir("check", ruleset, LEADS);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("r.toml:3:21: rule `a`: unknown field `nan`: conditions have no NaN or infinity; compare with a finite number"),
        "{err}"
    );
    assert!(
        err.contains(
            "r.toml:7:20: tier `A` require: unknown field `inf`: conditions have no NaN or infinity"
        ),
        "{err}"
    );
}

/// `check` of 20k rules against data, with a few mistakes and a warning per
/// rule (none fires): every error and warning at its own line. (This took
/// 15 s in a release build when each message searched the file for its line.)
#[test]
fn check_of_20k_rules_reports_every_problem_at_its_line() {
    const N: usize = 20_000;
    let mut src = String::from("[data]\nid = \"lead_id\"\n\n");
    let mut want = vec![];
    let mut line = 4;
    for i in 0..N {
        src.push_str(&format!(
            "[[rules]]\nid = \"r{i}\"\nwhen = \"employees > {}\"\n",
            10 + i
        ));
        if i % 1000 == 0 {
            want.push(format!(
                "warning: r.toml:{line}:1: rule `r{i}`: never fires on the data (0 of 2 leads)"
            ));
        }
        line += 3;
        match i {
            7 => {
                src.push_str("reson = \"typo\"\n");
                want.push(format!(
                    "error: r.toml:{line}:1: rule `r{i}`: unknown key `reson` in [[rules]]"
                ));
                line += 1;
            }
            12_345 => {
                src.push_str("group = \"tier\"\n");
                want.push(format!(
                    "error: r.toml:{line}:9: group `tier`: `tier` is a column of `leadlab score` output"
                ));
                line += 1;
            }
            _ => {}
        }
        let points = if i == N - 1 {
            want.push(format!(
                "error: r.toml:{line}:10: rule `r{i}`: `points` = 2e9 is out of range"
            ));
            "2e9"
        } else {
            "1"
        };
        src.push_str(&format!("points = {points}\n\n"));
        line += 2;
    }
    let (code, err) = run_in_fresh_dir("check", &src, LEADS);
    assert_eq!(code, Some(1));
    for w in &want {
        assert!(err.contains(w), "missing: {w}");
    }
    assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 3);
    let never = err.lines().filter(|l| l.contains("never fires")).count();
    assert_eq!(never, N);
}
