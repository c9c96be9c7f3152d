//! The checks of one row: its width, its text, and the cells of declared
//! and outcome columns parsed (or the reason the row is bad).

use super::blocks::RowReader;
use super::columns::Parsed;
use super::parse::{
    OUTCOME_HELP, parse_date_with_format, parse_declared_bool, parse_iso_date, parse_number,
    parse_outcome,
};
use super::plan::CheckKind;
use super::source::{Scanner, is_blank};
use super::*;
use anyhow::anyhow;

/// What a row is, when it is not bad.
pub(super) enum RowKind {
    /// A blank line among rows: not a lead.
    Blank,
    /// A lead, with its outcome.
    Lead(Option<bool>),
}

/// Why a row is bad.
pub(super) enum BadRow {
    /// Skipped with `--skip-bad-rows`: the message, and what to do about it.
    Skippable(String, &'static str),
    Fatal(anyhow::Error),
}

impl RowReader<'_> {
    /// Checks the record just read: its width, its text, and the cells
    /// whose column has a declared type (parsed into `parsed`) or is the
    /// outcome.
    pub(super) fn check_row(
        &self,
        scanner: &Scanner,
        line: u64,
        parsed: &mut [Parsed],
    ) -> Result<RowKind, BadRow> {
        let (name, header, plan) = (self.name, self.header, self.plan);
        let fields = &scanner.fields;
        let ncols = header.headers.len();
        if fields.len() != ncols {
            if is_blank(fields.iter().map(|&f| scanner.field(f))) {
                return Ok(RowKind::Blank);
            }
            return Err(BadRow::Skippable(
                format!(
                    "{name}:{line}: row has {} fields, the header has {ncols}",
                    fields.len()
                ),
                "fix the row",
            ));
        }
        if !scanner.is_ascii() {
            for (col, &f) in fields.iter().enumerate() {
                let raw = scanner.field(f);
                if let Err(e) = std::str::from_utf8(raw) {
                    return Err(BadRow::Fatal(anyhow!(
                        "{name}:{line}: invalid UTF-8 in column \"{}\" (byte 0x{:02X}); re-save the file as UTF-8",
                        header.headers[col],
                        raw.get(e.valid_up_to()).copied().unwrap_or_default()
                    )));
                }
            }
        }
        let mut outcome = None;
        for (check, slot) in plan.checks.iter().zip(parsed.iter_mut()) {
            let cell = trim(scanner.field(fields[check.col]));
            let cell = (!plan.missing.is_missing(cell)).then_some(cell);
            let column = &header.headers[check.col];
            let shown = || String::from_utf8_lossy(cell.unwrap_or_default());
            match &check.kind {
                CheckKind::Outcome => match cell.map(parse_outcome) {
                    None => outcome = None,
                    Some(Some(v)) => outcome = Some(v),
                    Some(None) => {
                        return Err(BadRow::Skippable(
                            format!(
                                "{name}:{line}: outcome column \"{column}\" has \"{}\"; {OUTCOME_HELP}",
                                shown()
                            ),
                            "fix the value",
                        ));
                    }
                },
                CheckKind::Declared { ty, format } => {
                    match parse_declared(cell, *ty, format.as_deref()) {
                        Some(v) => *slot = v,
                        None => {
                            let layout = format
                                .as_ref()
                                .map(|f| format!(" (format {f})"))
                                .unwrap_or_default();
                            return Err(BadRow::Skippable(
                                format!(
                                    "{name}:{line}: column \"{column}\" is declared {}{layout} but has \"{}\"",
                                    ty.name(),
                                    shown()
                                ),
                                "fix the value",
                            ));
                        }
                    }
                }
            }
        }
        Ok(RowKind::Lead(outcome))
    }
}

/// A cell without the whitespace around it (any Unicode whitespace, but
/// the common all-ASCII case is cheaper). Cells are valid UTF-8.
fn trim(cell: &[u8]) -> &[u8] {
    &cell[trimmed(cell)]
}

/// Where [`trim`] would cut a cell.
pub(super) fn trimmed(cell: &[u8]) -> std::ops::Range<usize> {
    let mut start = cell.len() - cell.trim_ascii_start().len();
    let mut end = start + cell[start..].trim_ascii_end().len();
    if start < end
        && (cell[start] >= 0x80 || cell[end - 1] >= 0x80)
        && let Ok(s) = std::str::from_utf8(&cell[start..end])
    {
        let t = s.trim_start();
        start += s.len() - t.len();
        end = start + t.trim_end().len();
    }
    start..end
}

/// A declared column's cell (`None` when missing); `None` when it does not fit.
fn parse_declared(cell: Option<&[u8]>, ty: FieldType, format: Option<&str>) -> Option<Parsed> {
    Some(match (ty, cell) {
        (FieldType::Bool, None) => Parsed::Bool(BOOL_MISSING),
        (FieldType::Bool, Some(s)) => Parsed::Bool(u8::from(parse_declared_bool(s)?)),
        (FieldType::Number, None) => Parsed::Number(f64::NAN),
        (FieldType::Number, Some(s)) => Parsed::Number(parse_number(s)?),
        (FieldType::Date, None) => Parsed::Date(DATE_MISSING),
        (FieldType::Date, Some(s)) => Parsed::Date(match format {
            Some(f) => parse_date_with_format(s, f)?,
            None => parse_iso_date(s)?,
        }),
        // Text columns are never checked.
        (FieldType::Text, _) => return None,
    })
}
