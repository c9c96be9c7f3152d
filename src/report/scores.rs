//! `leadlab score`: one row per lead (SPEC §7.1).

use crate::data::{LeadTable, TextColumn, Values};
use crate::engine::{Compiled, NO_TIER, Scores, reasons};
use crate::fmt::fmt_num;
use crate::ruleset::Ruleset;
use anyhow::bail;
use std::borrow::Cow;
use std::io::Write;
use std::ops::Range;
use std::sync::mpsc;

/// The input file's header and, per kept lead in order, its raw cells (for `--keep-columns`).
pub type RawRows<'a> = (Vec<String>, Box<dyn Iterator<Item = Vec<String>> + 'a>);

/// What is written, and the raw input rows for `--keep-columns`.
pub struct ScoreOutput<'a> {
    pub ruleset: &'a Ruleset,
    pub table: &'a LeadTable,
    pub compiled: &'a Compiled,
    pub scores: &'a Scores,
    /// Input headers and, per kept lead in order, its raw cells.
    pub keep: Option<RawRows<'a>>,
}

impl ScoreOutput<'_> {
    /// The id column's header; `input_<header>` when the header itself
    /// names another output column (an id column called `Score` or `tier`),
    /// so that the id is never taken for, or hidden behind, a score column.
    fn id_header(&self) -> String {
        let Some(c) = self.table.id_column else {
            return crate::ruleset::ROW_COLUMN.to_string();
        };
        let mut header = self.table.columns[c].header.clone();
        let named = ["score", "tier", "reasons"];
        while named.contains(&crate::data::normalize(&header).as_str()) {
            header = format!("{INPUT_PREFIX}{header}");
        }
        header
    }

    /// The output columns: id, score, tier, the groups, reasons.
    fn columns(&self) -> Vec<String> {
        let mut header = vec![self.id_header(), "score".into(), "tier".into()];
        header.extend(self.compiled.groups.iter().cloned());
        header.push("reasons".into());
        header
    }

    fn tier(&self, lead: usize) -> &str {
        match self.scores.tier[lead] {
            NO_TIER => "none",
            t => &self.ruleset.tiers[t as usize].name,
        }
    }
}

/// The prefix that keeps a kept input column apart from an output column.
pub const INPUT_PREFIX: &str = "input_";

/// The headers under which `--keep-columns` writes the input columns, in
/// CSV and JSON alike. An input column whose header names the same column
/// as an output column (same normalized name, SPEC §2: the id column,
/// `score`, `tier`, a group, `reasons`) is written as `input_<header>`,
/// prefixed again while that names a column too; every other header is
/// kept as it is. So no input value is dropped or taken for a score, and
/// the output reads back into leadlab (or a dict-per-row CSV reader)
/// without two columns of one name.
pub fn kept_headers(output: &[String], input: &[String]) -> Vec<String> {
    use crate::data::normalize;
    use std::collections::HashSet;
    let outputs: HashSet<String> = output.iter().map(|h| normalize(h)).collect();
    let mut taken: HashSet<String> = outputs.clone();
    taken.extend(input.iter().map(|h| normalize(h)));
    let mut assigned = HashSet::new();
    input
        .iter()
        .map(|h| {
            let n = normalize(h);
            let mut name = h.clone();
            if outputs.contains(&n) || assigned.contains(&n) {
                name = format!("{INPUT_PREFIX}{name}");
                while taken.contains(&normalize(&name)) || assigned.contains(&normalize(&name)) {
                    name = format!("{INPUT_PREFIX}{name}");
                }
            }
            assigned.insert(normalize(&name));
            name
        })
        .collect()
}

/// A text cell made safe for spreadsheets: one starting with `=`, `+`, `-`,
/// `@`, tab or CR gets a leading `'`, unless it is a number.
pub fn safe_cell(s: &str) -> Cow<'_, str> {
    let risky = matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && !is_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

fn is_number(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.parse::<f64>().is_ok_and(f64::is_finite)
        && !t
            .chars()
            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
}

/// Leads formatted at a time: a chunk's text is about a megabyte.
const CHUNK: usize = 8192;

/// Writes the scores as CSV. Rows are formatted a chunk at a time into
/// buffers, alternate chunks on a second thread (reasons are most of the
/// work), and written in order.
pub fn write_scores_csv(mut o: ScoreOutput, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut keep = o.keep.take();
    let mut header = o.columns();
    if let Some((h, _)) = &keep {
        header.extend(kept_headers(&header, h));
    }
    let mut line = Vec::new();
    for (k, h) in header.iter().enumerate() {
        if k > 0 {
            line.push(b',');
        }
        put_field(&mut line, &safe_cell(h));
    }
    line.push(b'\n');
    out.write_all(&line)?;

    let rows = Rows::new(&o);
    let n = o.table.len;
    // The kept input cells of the next `count` leads.
    let mut raw = |count: usize| -> Vec<Vec<String>> {
        match &mut keep {
            Some((_, rows)) => (0..count)
                .map(|_| rows.next().unwrap_or_default())
                .collect(),
            None => Vec::new(),
        }
    };
    std::thread::scope(|scope| -> anyhow::Result<()> {
        // Jobs carry a buffer to fill, and come back with it: fresh
        // megabyte buffers would cost a page fault every 4 KiB.
        let (job_tx, job_rx) = mpsc::channel::<(Range<usize>, Vec<Vec<String>>, Vec<u8>)>();
        let (done_tx, done_rx) = mpsc::channel::<Vec<u8>>();
        let rows = &rows;
        let worker = std::thread::Builder::new().spawn_scoped(scope, move || {
            for (leads, raw, mut text) in job_rx {
                rows.format(leads, &raw, &mut text);
                if done_tx.send(text).is_err() {
                    break;
                }
            }
        });
        // Without a second thread, every chunk is formatted here.
        let job_tx = worker.is_ok().then_some(job_tx);
        let (mut mine, mut spare) = (Vec::new(), Vec::new());
        let mut start = 0;
        while start < n {
            let theirs = start..(start + CHUNK).min(n);
            let my_leads = theirs.end..(theirs.end + CHUNK).min(n);
            start = my_leads.end;
            let their_raw = raw(theirs.len());
            let job = (theirs, their_raw, std::mem::take(&mut spare));
            let sent = match &job_tx {
                Some(tx) => tx.send(job).map_err(|e| e.0),
                None => Err(job),
            };
            rows.format(my_leads.clone(), &raw(my_leads.len()), &mut mine);
            spare = match sent {
                Ok(()) => match done_rx.recv() {
                    Ok(text) => text,
                    // Only if the worker panicked; the scope raises that.
                    Err(_) => bail!("the second formatting thread stopped"),
                },
                Err((leads, raw, mut text)) => {
                    rows.format(leads, &raw, &mut text);
                    text
                }
            };
            out.write_all(&spare)?;
            out.write_all(&mine)?;
        }
        Ok(())
    })
}

/// What a score row is made of, ready to format any lead.
struct Rows<'a> {
    ruleset: &'a Ruleset,
    table: &'a LeadTable,
    compiled: &'a Compiled,
    scores: &'a Scores,
    /// The id column when it is text (the common case): ids are then
    /// read without building a `String` per lead.
    text_ids: Option<&'a TextColumn>,
    /// Per tier index, then for [`NO_TIER`]: the tier cell.
    tiers: Vec<Vec<u8>>,
}

impl<'a> Rows<'a> {
    fn new(o: &ScoreOutput<'a>) -> Rows<'a> {
        let text_ids = match o.table.id_column.map(|c| &o.table.columns[c].values) {
            Some(Values::Text(t)) => Some(t),
            _ => None,
        };
        let names = o.ruleset.tiers.iter().map(|t| t.name.as_str());
        let tiers = names
            .chain(["none"])
            .map(|name| {
                let mut cell = Vec::new();
                put_field(&mut cell, &safe_cell(name));
                cell
            })
            .collect();
        Rows {
            ruleset: o.ruleset,
            table: o.table,
            compiled: o.compiled,
            scores: o.scores,
            text_ids,
            tiers,
        }
    }

    /// The CSV rows of `leads`, in place of what `text` held; `raw` holds
    /// their kept input cells, if any.
    fn format(&self, leads: Range<usize>, raw: &[Vec<String>], text: &mut Vec<u8>) {
        text.clear();
        let mut reasons_text = String::new();
        for (k, i) in leads.enumerate() {
            let other_id;
            let id = match self.text_ids {
                Some(t) => t.get(i).unwrap_or_default(),
                None => {
                    other_id = self.table.lead_id(i);
                    &other_id
                }
            };
            put_field(text, &safe_cell(id));
            text.push(b',');
            push_num(text, self.scores.score[i]);
            text.push(b',');
            let tier = self.scores.tier[i];
            let tier = if tier == NO_TIER {
                self.tiers.len() - 1
            } else {
                tier as usize
            };
            text.extend_from_slice(&self.tiers[tier]);
            for g in &self.scores.groups {
                text.push(b',');
                push_num(text, g[i]);
            }
            text.push(b',');
            reasons_text.clear();
            for (r, reason) in reasons(self.compiled, self.ruleset, i)
                .into_iter()
                .enumerate()
            {
                if r > 0 {
                    reasons_text.push_str("; ");
                }
                reasons_text.push_str(reason);
            }
            put_field(text, &safe_cell(&reasons_text));
            for cell in raw.get(k).into_iter().flatten() {
                text.push(b',');
                put_field(text, &safe_cell(cell));
            }
            text.push(b'\n');
        }
    }
}

/// A CSV field as the csv crate writes one by default: quoted when it
/// holds a comma, quote or line break, inner quotes doubled.
fn put_field(out: &mut Vec<u8>, field: &str) {
    let bytes = field.as_bytes();
    // A fold rather than `any`: without the early exit the compiler
    // compares many bytes at once, and most fields (reasons are long) hold
    // none of these.
    let special = bytes.iter().fold(false, |found, &b| {
        found | (b == b',') | (b == b'"') | (b == b'\r') | (b == b'\n')
    });
    if !special {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    let mut pieces = bytes.split(|&b| b == b'"');
    if let Some(first) = pieces.next() {
        out.extend_from_slice(first);
    }
    for piece in pieces {
        out.extend_from_slice(b"\"\"");
        out.extend_from_slice(piece);
    }
    out.push(b'"');
}

/// Appends [`fmt_num`]`(x)` without going through `format!`, whose exact
/// decimal conversion is the slowest part of a row: the value is rounded
/// to hundredths with integers (exactly, ties to even, as `{:.2}` does).
fn push_num(out: &mut Vec<u8>, x: f64) {
    if !x.is_finite() {
        return;
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // |x| = mantissa × 2^exp exactly.
    let (mantissa, exp) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    };
    let hundredths: u128 = if exp >= 0 {
        if exp > 10 {
            // Beyond 2^63: rare enough for the slow way.
            out.extend_from_slice(fmt_num(x).as_bytes());
            return;
        }
        u128::from(mantissa << exp) * 100
    } else {
        let shift = -exp as u32;
        let scaled = u128::from(mantissa) * 100;
        if shift >= 127 {
            // Below a hundredth by far: rounds to zero.
            0
        } else {
            let whole = scaled >> shift;
            let rest = scaled & ((1 << shift) - 1);
            let half = 1u128 << (shift - 1);
            whole + u128::from(rest > half || (rest == half && whole & 1 == 1))
        }
    };
    if hundredths == 0 {
        out.push(b'0');
        return;
    }
    if bits >> 63 == 1 {
        out.push(b'-');
    }
    push_int(out, hundredths / 100);
    let cents = (hundredths % 100) as u8;
    if cents != 0 {
        out.push(b'.');
        out.push(b'0' + cents / 10);
        if !cents.is_multiple_of(10) {
            out.push(b'0' + cents % 10);
        }
    }
}

fn push_int(out: &mut Vec<u8>, mut v: u128) {
    let mut digits = [0u8; 40];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

pub fn write_scores_json(mut o: ScoreOutput, out: &mut dyn Write) -> anyhow::Result<()> {
    use serde_json::{Map, Value};
    let mut keep = o.keep.take();
    let id_header = o.id_header();
    let kept = keep
        .as_ref()
        .map(|(h, _)| kept_headers(&o.columns(), h))
        .unwrap_or_default();
    out.write_all(b"[")?;
    for i in 0..o.table.len {
        let mut m = Map::new();
        m.insert(id_header.clone(), Value::String(o.table.lead_id(i)));
        m.insert("score".into(), num(o.scores.score[i]));
        m.insert("tier".into(), Value::String(o.tier(i).to_string()));
        for (name, g) in o.compiled.groups.iter().zip(&o.scores.groups) {
            m.insert(name.clone(), num(g[i]));
        }
        m.insert(
            "reasons".into(),
            Value::String(reasons(o.compiled, o.ruleset, i).join("; ")),
        );
        if let Some((_, rows)) = &mut keep {
            for (h, cell) in kept.iter().zip(rows.next().unwrap_or_default()) {
                m.insert(h.clone(), Value::String(cell));
            }
        }
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, &Value::Object(m)).map_err(std::io::Error::from)?;
    }
    out.write_all(b"\n]\n")?;
    Ok(())
}

fn num(x: f64) -> serde_json::Value {
    serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{EXAMPLE_RULESET, Session};

    use crate::testing::xorshift;

    #[test]
    fn numbers_print_as_fmt_num_does() {
        let mut values = vec![
            0.0,
            -0.0,
            0.125,
            0.375,
            0.625,
            2.675,
            1.005,
            -0.125,
            -0.004,
            -0.005,
            -0.006,
            0.005,
            0.015,
            45.0,
            37.5,
            12.34,
            99.995,
            -17.25,
            1e-300,
            5e-324,
            1e15,
            9_007_199_254_740_993.0,
            1e17,
            1e19,
            1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..100_000 {
            let r = next();
            // Every kind of double, hundredths and the values next to
            // them, and decayed points as rules produce them.
            values.push(f64::from_bits(r));
            let cents = (r % 2_000_001) as f64 / 100.0 - 10_000.0;
            values.extend([cents, cents.next_up(), cents.next_down()]);
            let age = (r >> 32) % 400;
            values.push(15.0 * 0.5f64.powf(age as f64 / 30.0));
        }
        for x in values {
            let mut out = Vec::new();
            push_num(&mut out, x);
            assert_eq!(String::from_utf8(out).unwrap(), fmt_num(x), "{x:e}");
        }
    }

    #[test]
    fn fields_are_quoted_as_the_csv_crate_quotes_them() {
        let alphabet = [",", "\"", "\r", "\n", "a", " ", "é", ";", "'", "="];
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let len = next() % 12;
            let field: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([&field, &field]).unwrap();
            let want = w.into_inner().unwrap();
            let mut got = Vec::new();
            put_field(&mut got, &field);
            got.push(b',');
            put_field(&mut got, &field);
            got.push(b'\n');
            assert_eq!(got, want, "{field:?}");
        }
    }

    /// The output as the csv crate writes it, one lead at a time.
    fn reference(o: &ScoreOutput, keep: Option<(&[String], &[Vec<String>])>) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec![o.id_header(), "score".into(), "tier".into()];
        header.extend(o.compiled.groups.iter().cloned());
        header.push("reasons".into());
        if let Some((h, _)) = keep {
            header.extend(h.iter().cloned());
        }
        w.write_record(header.iter().map(|h| safe_cell(h).into_owned()))
            .unwrap();
        for i in 0..o.table.len {
            let mut row = vec![
                safe_cell(&o.table.lead_id(i)).into_owned(),
                fmt_num(o.scores.score[i]),
                safe_cell(o.tier(i)).into_owned(),
            ];
            row.extend(o.scores.groups.iter().map(|g| fmt_num(g[i])));
            row.push(safe_cell(&reasons(o.compiled, o.ruleset, i).join("; ")).into_owned());
            if let Some((_, rows)) = keep {
                row.extend(rows[i].iter().map(|c| safe_cell(c).into_owned()));
            }
            w.write_record(&row).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn kept_input_columns_never_take_an_output_columns_name() {
        let output: Vec<String> = ["Lead ID", "score", "tier", "fit", "reasons"]
            .map(String::from)
            .to_vec();
        let input: Vec<String> = [
            "Lead ID",
            "SCORE",
            "input_score",
            "Tier",
            "fit",
            "notes",
            "reasons",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            kept_headers(&output, &input),
            [
                "input_Lead ID",
                "input_input_SCORE",
                "input_score",
                "input_Tier",
                "input_fit",
                "notes",
                "input_reasons"
            ]
        );
        // Exact duplicates among the inputs (which the loader refuses) still part.
        let twice: Vec<String> = ["a", "a"].map(String::from).to_vec();
        assert_eq!(kept_headers(&output, &twice), ["a", "input_a"]);
    }

    #[test]
    fn chunks_come_out_in_order_and_as_before() {
        // An odd number of chunks, the last one short: both threads and
        // every hand-over are used.
        let n = 2 * CHUNK + CHUNK / 2 + 7;
        let mut data = Vec::new();
        crate::sample::generate(n, 3, &mut data).unwrap();
        let s = Session::from_text("r.toml", EXAMPLE_RULESET, "d.csv", &data, None, false).unwrap();
        let scores = s.score();
        let output = |keep| ScoreOutput {
            ruleset: &s.ruleset,
            table: &s.table,
            compiled: &s.compiled,
            scores: &scores,
            keep,
        };
        let mut got = Vec::new();
        write_scores_csv(output(None), &mut got).unwrap();
        assert_eq!(got, reference(&output(None), None));

        let headers = vec!["Note".to_string(), "=Sum".to_string()];
        let rows: Vec<Vec<String>> = (0..n)
            .map(|i| vec![format!("a, \"b\" {i}"), format!("=A{i}")])
            .collect();
        let keep = (
            headers.clone(),
            Box::new(rows.clone().into_iter()) as Box<dyn Iterator<Item = _>>,
        );
        let mut got = Vec::new();
        write_scores_csv(output(Some(keep)), &mut got).unwrap();
        assert_eq!(got, reference(&output(None), Some((&headers, &rows))));
    }
}
