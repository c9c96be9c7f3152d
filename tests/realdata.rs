//! Real public data (UCI Bank Marketing, see ../shared/realdata/README.md):
//! `;` delimiter, quoted headers, "unknown" as missing, `pdays = -1` as a sentinel.

mod common;

const BANK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/realdata/bank-full.csv"
);

const RULESET: &str = r#"
[model]
name = "Term deposit telemarketing"
as_of = "2010-11-30"

[data]
outcome = "y"
missing = ["unknown"]

[groups]
history = { cap = 40 }

[[rules]]
id = "previous-success"
group = "history"
when = 'poutcome == "success"'
points = 40
reason = "Said yes in the previous campaign"

[[rules]]
id = "contacted-recently"
group = "history"
# pdays = -1 means "never contacted before": a sentinel, not a number of days.
when = 'pdays != -1 and pdays <= 180'
points = 10
reason = "Contacted in the last six months"

[[rules]]
id = "cellular"
when = 'contact == "cellular"'
points = 10

[[rules]]
id = "no-housing-loan"
when = 'not housing'
points = 10

[[rules]]
id = "student-or-retired"
when = 'job in ["student", "retired"]'
points = 15

[[rules]]
id = "good-months"
when = 'month in ["mar", "sep", "oct", "dec"]'
points = 25

[[rules]]
id = "called-often"
when = 'campaign > 3'
points = -10

[[rules]]
id = "personal-loan"
when = 'loan'
points = -5

[[tiers]]
name = "Call first"
min = 45
[[tiers]]
name = "Call"
min = 20
[[tiers]]
name = "Mail"
min = 0
"#;

#[test]
fn report_and_check_run_on_the_bank_marketing_data() {
    if !common::realdata_present(BANK) {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("bank.toml"), RULESET).unwrap();
    let o = common::leadlab(&["report", "bank.toml", BANK, "--format", "json"], d.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["leads"], 45211);
    assert_eq!(v["labelled"], 45211);
    assert_eq!(v["converted"], 5289);
    let auc = v["auc"].as_f64().unwrap();
    assert!(auc > 0.65 && auc < 0.9, "auc {auc}");

    let o = common::leadlab(&["check", "bank.toml", BANK], d.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");

    let o = common::leadlab(&["report", "bank.toml", BANK], d.path());
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("45211 leads"));
}

#[test]
fn the_workbench_rescoring_gives_a_fresh_scorings_figures_on_the_bank_data() {
    // The incremental evaluator on data nobody here made up (45,211 leads,
    // not a multiple of 64; whole-number scores only): each rule's points,
    // the group cap and a tier minimum edited in turn, every figure
    // compared with a fresh scoring.
    use leadlab::{metrics, session::Session};
    if !common::realdata_present(BANK) {
        return;
    }
    let bytes = std::fs::read(BANK).unwrap();
    let mut s = Session::from_text("bank.toml", RULESET, "bank-full.csv", &bytes, None, false)
        .unwrap_or_else(|e| panic!("{e:#}"));
    let mut ev = metrics::LiveReview::new(50);
    let rules = s.ruleset.rules.len();
    for step in 0..3 * rules + 6 {
        let rs = &mut s.ruleset;
        match step % (rules + 2) {
            k if k < rules => rs.rules[k].points += [7.0, -12.0, 5.0][step / (rules + 2) % 3],
            k if k == rules => *rs.groups[0].cap.as_mut().unwrap() += [-15.0, 10.0][step % 2],
            _ => *rs.tiers[1].min.as_mut().unwrap() += [3.0, -2.0][step % 2],
        }
        common::evaluate_as_fresh(&mut ev, &s, step);
    }
}
