//! No input makes leadlab panic: random CSV bytes, random rulesets and
//! random conditions either work or fail with an error.

mod common;
use common::Rng;
use leadlab::metrics;
use leadlab::session::Session;

const PIECES: &[&str] = &[
    "",
    "\u{feff}",
    "\"",
    "id\n\"",
    "a;b\n1",
    "\n\n\n",
    "id,id\n1,2\n",
];

const CELLS: &[&str] = &[
    "1",
    "-3.5",
    "1e3",
    "yes",
    "no",
    "true",
    "2026-01-31",
    "2026-10-01 10:00",
    "2026-13-45",
    "N/A",
    "",
    " x ",
    "é",
    "=cmd",
    "\"x,y\"",
    "\"a\"\"b\"",
    "9999999999999999999999",
    "nan",
    "inf",
    "0",
    "\"multi\nline\"",
];

fn random_csv(r: &mut Rng) -> Vec<u8> {
    let delim = r.pick(&[",", ";", "\t", "|"]);
    let mut s = if r.one_in(8) {
        String::from("\u{feff}")
    } else {
        String::new()
    };
    s.push_str(&["id", "a", "b", "won"].join(delim));
    s.push('\n');
    for i in 0..(r.next() % 12) {
        let fields = if r.one_in(15) { 3 } else { 4 };
        let mut cells = vec![format!("L{}", i % 5)];
        for _ in 1..fields - 1 {
            cells.push(r.pick(CELLS).to_string());
        }
        cells.push(
            r.pick(&["yes", "no", "", "1", "0", "won", "maybe"])
                .to_string(),
        );
        s.push_str(&cells.join(delim));
        s.push_str(r.pick(&["\n", "\r\n"]));
    }
    let mut bytes = s.into_bytes();
    if r.one_in(10) && !bytes.is_empty() {
        let at = (r.next() % bytes.len() as u64) as usize;
        bytes.insert(at, 0xff);
    }
    if r.one_in(20) {
        bytes = r.pick(PIECES).as_bytes().to_vec();
    }
    bytes
}

const CONDS: &[&str] = &[
    "a",
    "b",
    "a > 1",
    "b == 'x'",
    "a in [1, 2]",
    "b contains \"e\"",
    "b matches \"^x\"",
    "a is missing",
    "not a",
    "a and b",
    "(a",
    "a ==",
    "days_since(b) > 3",
    "`a` >= -1",
    "b starts_with 'y' or a < 2",
    "\u{0}",
    "a is present",
    "b is present",
    "id is present",
    "id == 'L1'",
    "id in ['L1', 'L2']",
    "won is missing",
];

fn random_ruleset(r: &mut Rng) -> String {
    let mut s = String::from("[data]\nid = \"id\"\noutcome = \"won\"\n");
    for i in 0..(1 + r.next() % 2) {
        s.push_str(&format!(
            "[[rules]]\nid = \"r{i}\"\nwhen = '{}'\npoints = {}\n",
            r.pick(CONDS),
            r.pick(&["1", "-5", "2.5", "0", "1e308"])
        ));
        if r.one_in(3) {
            s.push_str(&format!(
                "decay = {{ date = \"{}\", half_life_days = 7 }}\n",
                r.pick(&["a", "b"])
            ));
        }
    }
    if r.one_in(2) {
        s.push_str("[[tiers]]\nname = \"A\"\nmin = 1\nrequire = 'general > 0 or score > 1'\n[[tiers]]\nname = \"B\"\nmin = 0\n");
    }
    if r.one_in(4) {
        s.push_str(r.pick(&[
            "[review]\nbands = [0]\n",
            "[model]\nscore_range = [5, 1]\n",
            "[groups]\ngeneral = { cap = -1 }\n",
            "junk = 1\n",
        ]));
    }
    s
}

#[test]
fn random_inputs_never_panic() {
    let mut r = Rng(42);
    let mut opened = 0;
    for _ in 0..6000 {
        let rs = random_ruleset(&mut r);
        let csv = random_csv(&mut r);
        let skip = r.one_in(2);
        if let Ok(s) = Session::from_text("r.toml", &rs, "d.csv", &csv, None, skip) {
            opened += 1;
            let scores = s.score();
            let review = metrics::review(&s.compiled, &s.ruleset, &s.table, &scores, 5);
            let _ = metrics::rule_evidence(&s.compiled, &s.ruleset, &s.table);
            for lead in 0..s.table.len {
                let l = leadlab::engine::explain(&s.compiled, &s.ruleset, &s.table, lead);
                // The ledger recomputes the lead on its own: it must agree to the bit.
                assert_eq!(l.score.to_bits(), scores.score[lead].to_bits());
            }
            assert_eq!(review.leads, s.table.len);
        }
    }
    // The generator must reach scoring often enough to mean something.
    assert!(opened > 300, "only {opened} random inputs opened");
}
