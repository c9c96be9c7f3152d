//! Reading a CSV file into a [`LeadTable`] (SPEC §2): the entry points,
//! what the ruleset says about the data, and what loading noticed.
//! The rows themselves are read in [`super::blocks`], checked in
//! [`super::row_checks`] and turned into columns in [`super::parallel`].

use super::blocks::RowReader;
use super::parallel::finish_columns;
use super::plan::{Header, Plan};
use super::source::{Input, Records, is_blank};
use super::*;
use anyhow::{anyhow, bail};
use std::path::Path;
use std::sync::Mutex;

/// What the ruleset says about the data (`[data]`, `[fields]`, `[derive]`).
#[derive(Debug, Clone, Default)]
pub struct DataOptions {
    /// `[data].delimiter`; detected from the header line when `None`.
    pub delimiter: Option<u8>,
    /// `[data].missing`: extra values that mean missing (case-insensitive, trimmed).
    pub missing: Vec<String>,
    /// `[fields]`, in file order.
    pub fields: Vec<FieldDecl>,
    /// `[derive.NAME]`, in file order.
    pub derive: Vec<DeriveSpec>,
    /// `[data].id`, `[data].outcome`, `[data].created`: header as written or normalized.
    pub id: Option<String>,
    pub outcome: Option<String>,
    pub created: Option<String>,
    /// `--skip-bad-rows`.
    pub skip_bad_rows: bool,
}

/// One `[fields]` entry.
#[derive(Debug, Clone)]
pub struct FieldDecl {
    pub name: String,
    /// The column header as written, or its normalized name.
    pub column: String,
    pub ty: Option<FieldType>,
    /// chrono format for dates in other layouts (`%m/%d/%Y`).
    pub format: Option<String>,
}

/// What loading noticed that is not an error.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub delimiter: u8,
    pub bytes: u64,
    /// Rows skipped by `--skip-bad-rows`, and the first few of their lines.
    pub skipped: usize,
    pub skipped_lines: Vec<u64>,
    /// Why the first skipped rows were skipped (one line each, with the line number).
    pub skipped_reasons: Vec<String>,
    /// Leads sharing an id with an earlier lead, and the first few such ids.
    pub duplicate_ids: usize,
    pub duplicate_examples: Vec<String>,
    /// The file's lines, as an editor counts them; they add up as
    /// `header_lines + blank_lines + leads + skipped + continued_lines`
    /// (a skipped quote left open counts its first line only: the lines
    /// after it are read again as rows).
    pub lines: u64,
    pub header_lines: u64,
    /// Lines that hold no row: empty, or only whitespace.
    pub blank_lines: u64,
    pub leads: usize,
    /// Lines after the first of rows (kept or skipped) whose quoted cells
    /// hold line breaks, and how many such rows.
    pub continued_lines: u64,
    pub multiline_rows: usize,
}

impl LoadReport {
    /// How the file's lines add up, when they are not one lead a line
    /// after the header and blank lines: "1,202 lines: 1 header, 1,195
    /// leads, 2 skipped, 2 blank, 2 inside quoted cells (2 rows span
    /// several lines)".
    pub fn line_accounting(&self) -> Option<String> {
        let one_a_line = self.header_lines + self.blank_lines + self.leads as u64;
        if one_a_line == self.lines {
            return None;
        }
        let s = |n: u64| if n == 1 { "" } else { "s" };
        let mut parts = vec![
            format!("{} header", thousands(self.header_lines)),
            format!(
                "{} lead{}",
                thousands(self.leads as u64),
                s(self.leads as u64)
            ),
        ];
        for (n, what) in [
            (self.skipped as u64, "skipped"),
            (self.blank_lines, "blank"),
            (self.continued_lines, "inside quoted cells"),
        ] {
            if n > 0 {
                parts.push(format!("{} {what}", thousands(n)));
            }
        }
        let mut text = format!(
            "{} line{}: {}",
            thousands(self.lines),
            s(self.lines),
            parts.join(", ")
        );
        if self.multiline_rows > 0 {
            let n = self.multiline_rows as u64;
            let verb = if n == 1 { "spans" } else { "span" };
            text.push_str(&format!(
                " ({} row{} {verb} several lines)",
                thousands(n),
                s(n)
            ));
        }
        Some(text)
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Reads the CSV file at `path`. Messages name the file as given.
pub fn load(path: &Path, opts: &DataOptions) -> anyhow::Result<(LeadTable, LoadReport)> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| anyhow!("cannot read {name}: {e}"))?;
    load_reader(&name, file, opts)
}

/// Reads CSV from `reader`; `name` is the file name used in messages.
///
/// The file is read a block at a time, and each block on both cores: its
/// two halves are cut into rows and checked at once, then its columns are
/// shared out, each column's cells going to its builder in file order; at
/// the end the columns are finished (typed, interned) two at a time. Each
/// builder sees every cell of its column in order, so types, dictionaries
/// and messages are those of reading row by row.
pub fn load_reader(
    name: &str,
    reader: impl std::io::Read,
    opts: &DataOptions,
) -> anyhow::Result<(LeadTable, LoadReport)> {
    let empty = || {
        anyhow!("{name} is empty: expected a header row naming the columns, then one lead per row")
    };
    let io_error = |e: std::io::Error| anyhow!("cannot read {name}: {e}");
    let input = Input::open(reader, opts.delimiter)
        .map_err(io_error)?
        .ok_or_else(empty)?;
    let mut records = Records::new(input);
    let header_line = loop {
        if !records.next().map_err(io_error)? {
            return Err(empty());
        }
        if !is_blank(records.fields()) {
            break records.line;
        }
    };
    let header = Header::read(name, records.fields(), header_line)?;
    let plan = Plan::new(name, &header, opts)?;
    let header_lines = 1 + records.continued;
    let mut input = records.into_input();

    let mut report = LoadReport {
        delimiter: input.delimiter,
        header_lines,
        // Lines before the header hold nothing (else they would be it).
        blank_lines: header_line - 1,
        ..Default::default()
    };
    let reading = RowReader {
        name,
        header: &header,
        plan: &plan,
        delimiter: input.delimiter,
        skip_bad_rows: opts.skip_bad_rows,
        spare: Mutex::default(),
    };
    let rows = reading.read_rows(&mut input, &mut report)?;
    report.bytes = input.bytes();
    report.lines = input.lines();
    report.leads = rows.lines.len();
    drop(input);

    let len = rows.lines.len();
    let values = finish_columns(rows.builders, len)?;
    let columns = values
        .into_iter()
        .zip(header.headers)
        .zip(header.names)
        .map(|((values, header), name)| Column {
            values,
            header,
            name,
            derived: false,
        })
        .collect();
    let mut table = LeadTable {
        columns,
        len,
        aliases: plan.aliases,
        id_column: plan.id,
        outcome: rows.outcome,
        created_column: plan.created,
        lines: rows.lines,
    };
    check_created(&table)?;
    if let Some(c) = table.id_column {
        count_duplicate_ids(&table.columns[c].values, table.len, &mut report);
    }
    super::derive::apply_all(&mut table, &opts.derive, name)?;
    Ok((table, report))
}

/// `[data].created` must name a date column.
fn check_created(table: &LeadTable) -> anyhow::Result<()> {
    let Some(c) = table.created_column else {
        return Ok(());
    };
    let values = &table.columns[c].values;
    if values.field_type() == FieldType::Date {
        return Ok(());
    }
    if let Some(o) = table.type_outliers(c)
        && o.would_be == FieldType::Date
    {
        bail!("[data].created: {}", o.explain(&table.columns[c].name));
    }
    let examples: Vec<String> = (0..table.len)
        .filter_map(|l| values.display(l))
        .take(3)
        .map(|v| format!("\"{v}\""))
        .collect();
    let examples = if examples.is_empty() {
        "no values at all".to_string()
    } else {
        format!("values like {}", examples.join(", "))
    };
    bail!(
        "[data].created: column \"{}\" is {}, not a date ({examples}); dates are read as YYYY-MM-DD, \
         or declare a layout in [fields] with type = \"date\" and format = \"%m/%d/%Y\"",
        table.columns[c].header,
        values.field_type().name()
    )
}

/// Leads whose id equals an earlier lead's id (missing ids are not compared).
fn count_duplicate_ids(values: &Values, len: usize, report: &mut LoadReport) {
    const KEEP: usize = 5;
    let note = |report: &mut LoadReport, id: String| {
        report.duplicate_ids += 1;
        if report.duplicate_examples.len() < KEEP && !report.duplicate_examples.contains(&id) {
            report.duplicate_examples.push(id);
        }
    };
    match values {
        Values::Text(t) => {
            let mut seen = vec![false; t.dict.len()];
            for &c in &t.codes {
                if let Some(s) = seen.get_mut(c as usize) {
                    if *s {
                        note(report, t.dict[c as usize].clone());
                    }
                    *s = true;
                }
            }
        }
        other => {
            let mut seen = std::collections::HashSet::new();
            for lead in 0..len {
                if let Some(id) = other.display(lead)
                    && !seen.insert(id.clone())
                {
                    note(report, id);
                }
            }
        }
    }
}
