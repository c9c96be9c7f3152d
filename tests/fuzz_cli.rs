//! The whole command line against hostile inputs (issue 15): random
//! rulesets and CSV files built from the pieces real failures were made of
//! (unclosed quotes, control characters and escape sequences, HTML,
//! non-finite numbers, names colliding with output columns, huge counts,
//! BOMs, CRLF), run through the built binary. Seeded and of a fixed size,
//! so a failure reproduces and the run takes a few seconds.
//!
//! What must hold: no panic, exit codes per SPEC §1, JSON that parses, CSV
//! with one field count, human-readable output without control characters
//! and with whole markdown rows, and, when scoring succeeds, leads scored
//! plus rows skipped equal to the rows written.

mod common;
use common::Rng;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

const CASES: usize = 150;
/// One run of the binary taking this long is a hang.
const HANG: Duration = Duration::from_secs(60);

/// Text cells: the ordinary and the hostile.
const TEXT: &[&str] = &[
    "plain",
    "chief",
    "x",
    "",
    "N/A",
    "é ✓",
    "\u{1b}[31mred\u{1b}[0m",
    "\u{1b}]0;title\u{7}",
    "\u{9b}2J",
    "<script>alert(1)</script>",
    "a|b",
    "line\nbreak",
    "cr\rhere",
    "crlf\r\ninside",
    "comma, inside",
    "say \"hi\"",
    "=HYPERLINK(\"x\")",
    "-dash",
    "\u{202e}reversed",
    "tab\there",
    "\u{0}nul",
];

const NUMBERS: &[&str] = &["1", "0", "-3.5", "2", "1e3", "", " 7 ", "1e308"];

/// What makes a number column fail to be one.
const NOT_NUMBERS: &[&str] = &["1e400", "-1e400", "nan", "NaN", "inf", "-inf", "x", "N/A"];

const BOOLS: &[&str] = &["yes", "no", "true", "false", ""];

const OUTCOMES: &[&str] = &["yes", "no", "", "1", "0", "won", "lost"];

/// Numbers in a ruleset (TOML).
const POINTS: &[&str] = &["10", "-5", "2.5", "0", "60", "35"];

/// Numbers in a ruleset that are not finite or overflow a sum.
const NON_FINITE: &[&str] = &["1e308", "-1e308", "nan", "inf", "-inf", "1e400", "+nan"];

/// Names rules, groups and tiers are given, some colliding with output
/// columns or with the id column.
const GROUPS: &[&str] = &[
    "fit", "intent", "general", "tier", "score", "reasons", "lead_id", "n",
];

const CONDITIONS: &[&str] = &[
    "n > 2",
    "n >= 1e3",
    "b",
    "not b",
    "t contains \"chief\"",
    "t == \"\\u001b[31mred\\u001b[0m\"",
    "n is missing",
    "t is present",
    "t in [\"a|b\", \"x\"]",
];

/// Conditions that are wrong.
const BAD_CONDITIONS: &[&str] = &["nope > 1", "n >", "n > nan", "b == 3", "t matches \"[\""];

/// Columns of a generated lead file: (header, cells).
const COLUMNS: &[(&str, &[&str])] = &[
    ("n", NUMBERS),
    ("t", TEXT),
    ("b", BOOLS),
    ("score", NUMBERS),
    ("tier", TEXT),
    ("reasons", TEXT),
    ("Notes <b>", TEXT),
];

/// A TOML basic string holding `s` exactly.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Mostly one of `usual`, once in `k` draws one of `odd`.
fn mostly<'a>(r: &mut Rng, usual: &[&'a str], k: u64, odd: &[&'a str]) -> &'a str {
    if k > 0 && r.one_in(k) {
        r.pick(odd)
    } else {
        r.pick(usual)
    }
}

fn random_ruleset(r: &mut Rng) -> String {
    // Most rulesets are valid, so that what follows loading is tested too;
    // some hold non-finite numbers, some wrong conditions.
    let odd_numbers = if r.one_in(5) { 3 } else { 0 };
    let odd_conditions = if r.one_in(5) { 3 } else { 0 };
    let points = |r: &mut Rng| mostly(r, POINTS, odd_numbers, NON_FINITE);
    let mut s = String::new();
    s.push_str(&format!(
        "[model]\nname = {}\nas_of = \"2026-10-31\"\n",
        toml_str(r.pick(TEXT))
    ));
    if r.one_in(6) {
        s.push_str(&format!(
            "score_range = [0, {}]\n",
            mostly(r, &["100", "50"], odd_numbers, NON_FINITE)
        ));
    }
    s.push_str("[data]\nid = \"Lead ID\"\noutcome = \"won\"\n");
    if r.one_in(3) {
        s.push_str("missing = [\"N/A\"]\n");
    }
    if r.one_in(4) {
        s.push_str("[fields]\nn = { column = \"n\", type = \"number\" }\n");
    }
    if r.one_in(2) {
        s.push_str("[groups]\n");
        // Distinct names (a duplicate key is only a TOML error), mostly
        // ordinary ones.
        let names = if r.one_in(4) { GROUPS } else { &GROUPS[..3] };
        let first = r.below(names.len());
        for k in 0..1 + r.below(2) {
            let g = names[(first + k) % names.len()];
            s.push_str(&format!("{} = {{ cap = {} }}\n", toml_str(g), points(r)));
        }
    }
    // Now and then a great many rules.
    let rules = if r.one_in(25) { 300 } else { 1 + r.below(5) };
    for k in 0..rules {
        s.push_str(&format!(
            "[[rules]]\nid = \"r{k}\"\ngroup = {}\nwhen = {}\npoints = {}\n",
            toml_str(mostly(r, &["fit", "intent", "general"], 6, GROUPS)),
            toml_str(mostly(r, CONDITIONS, odd_conditions, BAD_CONDITIONS)),
            points(r)
        ));
        if r.one_in(2) {
            s.push_str(&format!("reason = {}\n", toml_str(r.pick(TEXT))));
        }
    }
    if r.one_in(4) {
        s.push_str(&format!(
            "[[gates]]\nid = \"g\"\nwhen = \"n is missing\"\ncap = {}\nreason = {}\n",
            points(r),
            toml_str(r.pick(TEXT))
        ));
    }
    let tiers = r.below(3);
    for k in 0..tiers {
        let name = if r.one_in(2) {
            r.pick(TEXT).to_string()
        } else {
            format!("T{k}")
        };
        s.push_str(&format!(
            "[[tiers]]\nname = {}\nmin = {}\naction = {}\n",
            toml_str(&name),
            points(r),
            toml_str(r.pick(TEXT))
        ));
    }
    if r.one_in(2) {
        s.push_str("[[tiers]]\nname = \"Nurture\"\nmin = 0\n");
    }
    s
}

/// A lead file and what it holds: its data rows, and whether an unclosed
/// quote makes its rows uncountable from outside.
struct Leads {
    bytes: Vec<u8>,
    rows: usize,
    ids: Vec<String>,
    unbalanced: bool,
}

fn cell(out: &mut String, s: &str, delim: char) {
    if s.contains([delim, '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn random_leads(r: &mut Rng) -> Leads {
    let delim = if r.one_in(5) { ';' } else { ',' };
    let eol = if r.one_in(3) { "\r\n" } else { "\n" };
    let mut columns: Vec<(&str, &[&str])> = vec![];
    for &(h, cells) in COLUMNS {
        if r.one_in(2) || h == "n" || h == "t" || h == "b" {
            columns.push((h, cells));
        }
    }
    // Some files have a number column that fails to be one.
    let odd_numbers = if r.one_in(5) { 8 } else { 0 };
    let mut text = String::new();
    if r.one_in(6) {
        text.push('\u{feff}');
    }
    let mut header = vec!["Lead ID"];
    header.extend(columns.iter().map(|c| c.0));
    header.push("won");
    for (k, h) in header.iter().enumerate() {
        if k > 0 {
            text.push(delim);
        }
        cell(&mut text, h, delim);
    }
    text.push_str(eol);
    let rows = if r.one_in(30) { 3000 } else { r.below(25) };
    let mut ids = vec![];
    let mut unbalanced = false;
    for i in 0..rows {
        let id = match r.below(8) {
            0 => format!("L\u{1b}[1m{i}"),
            1 => format!("L{}", i / 2),
            2 => format!("L{i}\nx"),
            3 => format!("L|{i}"),
            _ => format!("L{i}"),
        };
        let mut line = String::new();
        cell(&mut line, &id, delim);
        ids.push(id);
        for (h, cells) in &columns {
            line.push(delim);
            let value = if *h == "n" || *h == "score" {
                mostly(r, cells, odd_numbers, NOT_NUMBERS)
            } else if *h == "b" {
                mostly(r, cells, odd_numbers, &["maybe"])
            } else {
                r.pick(cells)
            };
            cell(&mut line, value, delim);
        }
        line.push(delim);
        cell(&mut line, r.pick(OUTCOMES), delim);
        if r.one_in(60) {
            // A ragged row: a field too many or too few.
            if r.one_in(2) {
                line.push(delim);
                line.push_str("extra");
            } else if let Some(cut) = line.rfind(delim) {
                line.truncate(cut);
            }
        }
        if r.one_in(150) {
            // A quote that opens a cell and never closes.
            line.push(delim);
            line.push_str("\"unclosed");
            unbalanced = true;
        }
        text.push_str(&line);
        text.push_str(eol);
    }
    Leads {
        bytes: text.into_bytes(),
        rows,
        ids,
        unbalanced,
    }
}

struct Run {
    args: Vec<String>,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[String]) -> Run {
    let out_path = dir.join("stdout");
    let err_path = dir.join("stderr");
    let mut child = common::leadlab_command(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("run leadlab");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            panic!("leadlab {args:?} still running after {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    Run {
        args: args.to_vec(),
        code: status.code(),
        stdout: read(&out_path),
        stderr: read(&err_path),
    }
}

/// Control characters a person's terminal would act on (all but line feeds).
fn controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| c != '\n' && (c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)))
        .collect()
}

fn assert_markdown_rows_intact(md: &str) -> Result<(), String> {
    let cells = |line: &str| {
        let b = line.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
            .count()
    };
    let mut header = None;
    for line in md.lines() {
        if line.starts_with('|') {
            if !line.ends_with('|') {
                return Err(format!("markdown row cut: {line:?}"));
            }
            let n = cells(line);
            if *header.get_or_insert(n) != n {
                return Err(format!("markdown row with {n} cells: {line:?}"));
            }
        } else {
            header = None;
        }
    }
    Ok(())
}

/// Rows skipped, as `--skip-bad-rows` reports them on stderr.
fn skipped(stderr: &str) -> usize {
    stderr
        .lines()
        .find_map(|l| {
            let at = l.find(" bad row")?;
            let digits: String = l[..at]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.chars().rev().collect::<String>().parse().ok()
        })
        .unwrap_or(0)
}

/// The score outputs' leads, checking their shape; Err names what is wrong.
fn scored_leads(run: &Run, json: bool) -> Result<usize, String> {
    if json {
        let v: serde_json::Value =
            serde_json::from_str(&run.stdout).map_err(|e| format!("JSON does not parse: {e}"))?;
        let leads = v.as_array().ok_or("JSON is not an array")?;
        for lead in leads {
            // Needs non-finite numbers rejected in rulesets (another part of issue 15).
            if !lead["score"].as_f64().is_some_and(f64::is_finite) {
                return Err(format!("a lead without a finite score: {lead}"));
            }
        }
        return Ok(leads.len());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(run.stdout.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("CSV header: {e}"))?
        .clone();
    // Needs group names like tier/score/reasons rejected (another part of issue 15).
    let mut names: Vec<&str> = header.iter().collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("two CSV columns named {:?}: {header:?}", w[0]));
    }
    let mut n = 0;
    for record in reader.records() {
        let record = record.map_err(|e| format!("CSV does not parse: {e}"))?;
        if record.len() != header.len() {
            return Err(format!("a CSV row of {} fields", record.len()));
        }
        n += 1;
    }
    Ok(n)
}

/// What must hold for every run; Err says what did not.
fn check_run(run: &Run, leads: &Leads, skip_bad_rows: bool) -> Result<(), String> {
    if run.stderr.contains("panicked") || run.code == Some(101) {
        return Err("panicked".into());
    }
    match run.code {
        Some(0 | 1) => {}
        other => return Err(format!("exit code {other:?}")),
    }
    if !controls(&run.stderr).is_empty() {
        return Err(format!(
            "control characters on stderr: {:?}",
            controls(&run.stderr)
        ));
    }
    if run.code != Some(0) {
        if run.stderr.trim().is_empty() {
            return Err("exit 1 without a word".into());
        }
        return Ok(());
    }
    let format = run
        .args
        .iter()
        .position(|x| x == "--format")
        .map_or("", |i| run.args[i + 1].as_str());
    match run.args[0].as_str() {
        "score" => {
            let n = scored_leads(run, format == "json")?;
            if !leads.unbalanced {
                let skipped = if skip_bad_rows {
                    skipped(&run.stderr)
                } else {
                    0
                };
                if n + skipped != leads.rows {
                    return Err(format!(
                        "{n} leads scored and {skipped} skipped of {} rows",
                        leads.rows
                    ));
                }
            }
        }
        "report" | "explain" if format == "json" => {
            let v = serde_json::from_str::<serde_json::Value>(&run.stdout)
                .map_err(|e| format!("JSON does not parse: {e}"))?;
            // Needs non-finite numbers rejected in rulesets (another part of issue 15).
            if run.args[0] == "explain" && !v["score"].as_f64().is_some_and(f64::is_finite) {
                return Err(format!("explain without a finite score: {}", v["score"]));
            }
        }
        "report" | "explain" | "check" => {
            if !controls(&run.stdout).is_empty() {
                return Err(format!(
                    "control characters on stdout: {:?}",
                    controls(&run.stdout)
                ));
            }
            if format == "markdown" {
                assert_markdown_rows_intact(&run.stdout)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn commands(r: &mut Rng, leads: &Leads) -> Vec<(Vec<String>, bool)> {
    let mut all = vec![];
    for _ in 0..3 {
        let skip = r.one_in(2);
        let mut args: Vec<String> = match r.below(7) {
            0 | 1 => {
                let mut a = vec![
                    "score",
                    "r.toml",
                    "d.csv",
                    "--format",
                    r.pick(&["csv", "json"]),
                ];
                if r.one_in(2) {
                    a.push("--keep-columns");
                }
                a.into_iter().map(String::from).collect()
            }
            2 | 3 => ["report", "r.toml", "d.csv", "--format"]
                .into_iter()
                .chain([r.pick(&["table", "markdown", "json"])])
                .map(String::from)
                .collect(),
            4 | 5 => {
                let id = if leads.ids.is_empty() || r.one_in(5) {
                    "nobody\u{1b}[2J".to_string()
                } else {
                    leads.ids[r.below(leads.ids.len())].clone()
                };
                let format = r.pick(&["table", "json"]).to_string();
                vec![
                    "explain".into(),
                    "r.toml".into(),
                    "d.csv".into(),
                    "--format".into(),
                    format,
                    "--".into(),
                    id,
                ]
            }
            _ => {
                let mut a = vec!["check".to_string(), "r.toml".into()];
                if !r.one_in(4) {
                    a.push("d.csv".into());
                }
                a
            }
        };
        if skip {
            args.insert(1, "--skip-bad-rows".into());
        }
        all.push((args, skip));
    }
    all
}

#[test]
fn hostile_rulesets_and_lead_files_through_every_command() {
    let seed = std::env::var("LEADLAB_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    let mut r = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut failures = vec![];
    // Per command: runs, and runs that succeeded (a fuzz where everything
    // fails early would check nothing).
    let mut tally: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for case in 0..CASES {
        let ruleset = random_ruleset(&mut r);
        let leads = random_leads(&mut r);
        std::fs::write(dir.path().join("r.toml"), &ruleset).unwrap();
        std::fs::write(dir.path().join("d.csv"), &leads.bytes).unwrap();
        for (args, skip) in commands(&mut r, &leads) {
            let run = run(dir.path(), &args);
            let t = tally.entry(args[0].clone()).or_default();
            t.0 += 1;
            t.1 += usize::from(run.code == Some(0));
            if std::env::var_os("LEADLAB_FUZZ_VERBOSE").is_some() && run.code != Some(0) {
                eprintln!("{:?}", run.stderr.lines().next().unwrap_or(""));
            }
            if let Err(why) = check_run(&run, &leads, skip) {
                failures.push(format!(
                    "case {case} (seed {seed}): leadlab {args:?}: {why}\n  exit {:?}\n  stderr: {:?}\n  ruleset: {ruleset:?}\n  data: {:?}",
                    run.code,
                    run.stderr.chars().take(600).collect::<String>(),
                    String::from_utf8_lossy(&leads.bytes).chars().take(600).collect::<String>()
                ));
            }
        }
    }
    eprintln!("runs and successes per command: {tally:?}");
    assert!(
        failures.is_empty(),
        "{} of {} runs failed; the first:\n{}",
        failures.len(),
        CASES * 3,
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
