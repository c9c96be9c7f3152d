//! `leadlab check`: every problem in one run, with messages that say what to do.

use std::path::Path;
use std::process::{Command, Output};

fn check(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadlab"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

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
    let o = check(d.path(), &["r.toml", "d.csv"]);
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
    let o = check(d.path(), &["r.toml", "d.csv"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("`employees` was read as text because of values such as \"N/A\"; list them in [data].missing"),
        "{err}"
    );
    // Following the advice fixes it.
    std::fs::write(
        d.path().join("r.toml"),
        "[data]\nmissing = [\"N/A\"]\n[[rules]]\nid = \"big\"\nwhen = 'employees > 100'\npoints = 10\n[[tiers]]\nname = \"all\"\nmin = 0\n",
    )
    .unwrap();
    let o = check(d.path(), &["r.toml", "d.csv"]);
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
    let o = check(
        root,
        &[
            "rulesets/cybersecurity.toml",
            "samples/cybersecurity-leads.csv",
        ],
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
