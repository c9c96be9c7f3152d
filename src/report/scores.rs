//! `leadlab score`: one row per lead (SPEC §7.1).

use super::fmt_num;
use crate::data::LeadTable;
use crate::engine::{Compiled, NO_TIER, Scores, reasons};
use crate::ruleset::Ruleset;
use std::borrow::Cow;
use std::io::Write;

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
    fn id_header(&self) -> String {
        match self.table.id_column {
            Some(c) => self.table.columns[c].header.clone(),
            None => "row".to_string(),
        }
    }

    fn tier(&self, lead: usize) -> &str {
        match self.scores.tier[lead] {
            NO_TIER => "none",
            t => &self.ruleset.tiers[t as usize].name,
        }
    }
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

pub fn write_scores_csv(mut o: ScoreOutput, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec![o.id_header(), "score".into(), "tier".into()];
    header.extend(o.compiled.groups.iter().cloned());
    header.push("reasons".into());
    let mut keep = o.keep.take();
    if let Some((h, _)) = &keep {
        header.extend(h.iter().cloned());
    }
    w.write_record(header.iter().map(|h| safe_cell(h).into_owned()))?;
    let mut row: Vec<String> = Vec::new();
    for i in 0..o.table.len {
        row.clear();
        row.push(safe_cell(&o.table.lead_id(i)).into_owned());
        row.push(fmt_num(o.scores.score[i]));
        row.push(safe_cell(o.tier(i)).into_owned());
        for g in &o.scores.groups {
            row.push(fmt_num(g[i]));
        }
        row.push(safe_cell(&reasons(o.compiled, o.ruleset, i).join("; ")).into_owned());
        if let Some((_, rows)) = &mut keep {
            for cell in rows.next().unwrap_or_default() {
                row.push(safe_cell(&cell).into_owned());
            }
        }
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

pub fn write_scores_json(mut o: ScoreOutput, out: &mut dyn Write) -> anyhow::Result<()> {
    use serde_json::{Map, Value};
    let mut keep = o.keep.take();
    let id_header = o.id_header();
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
        if let Some((headers, rows)) = &mut keep {
            for (h, cell) in headers.iter().zip(rows.next().unwrap_or_default()) {
                m.entry(h.clone()).or_insert(Value::String(cell));
            }
        }
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, &Value::Object(m))?;
    }
    out.write_all(b"\n]\n")?;
    Ok(())
}

fn num(x: f64) -> serde_json::Value {
    serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, serde_json::Value::Number)
}
