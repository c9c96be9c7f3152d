//! Lead data: a CSV file read into typed columns (SPEC §2).
//!
//! Everything downstream reads leads through [`LeadTable`]: one typed,
//! column-oriented vector per field, with missing values as sentinels so that
//! a condition can be evaluated over a whole column in one tight loop.

mod blocks;
mod columns;
mod derive;
mod load;
mod names;
mod outliers;
mod parallel;
mod parse;
mod plan;
mod row_checks;
mod source;
#[cfg(test)]
mod tests;

pub use derive::DeriveSpec;
pub use load::{DataOptions, FieldDecl, LoadReport, load, load_reader};
pub use names::normalize;
pub(crate) use names::suggest;
pub use outliers::TypeOutliers;
pub use source::RawRecords;

/// The four types a field can have (SPEC §2, "Column types").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    Bool,
    Number,
    Date,
    Text,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Bool => "bool",
            FieldType::Number => "number",
            FieldType::Date => "date",
            FieldType::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<FieldType> {
        match s {
            "bool" => Some(FieldType::Bool),
            "number" => Some(FieldType::Number),
            "date" => Some(FieldType::Date),
            "text" => Some(FieldType::Text),
            _ => None,
        }
    }
}

/// Sentinel for a missing bool (0 = false, 1 = true).
pub const BOOL_MISSING: u8 = 2;
/// Sentinel for a missing date (dates are days since 1970-01-01).
pub const DATE_MISSING: i32 = i32::MIN;
/// Sentinel for a missing text value.
pub const TEXT_MISSING: u32 = u32::MAX;

/// A dictionary-encoded text column: conditions on text are evaluated once
/// per distinct value, then mapped to leads through the codes.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    /// Per lead, an index into `dict`, or [`TEXT_MISSING`].
    pub codes: Vec<u32>,
    /// Distinct values, trimmed, as first seen (original case).
    pub dict: Vec<String>,
}

impl TextColumn {
    pub fn get(&self, lead: usize) -> Option<&str> {
        match self.codes[lead] {
            TEXT_MISSING => None,
            c => Some(self.dict[c as usize].as_str()),
        }
    }
}

/// The values of one column. Missing values are sentinels: `NaN` for
/// numbers, [`BOOL_MISSING`], [`DATE_MISSING`], [`TEXT_MISSING`].
#[derive(Debug, Clone)]
pub enum Values {
    Bool(Vec<u8>),
    Number(Vec<f64>),
    /// Days since 1970-01-01.
    Date(Vec<i32>),
    Text(TextColumn),
}

impl Values {
    pub fn field_type(&self) -> FieldType {
        match self {
            Values::Bool(_) => FieldType::Bool,
            Values::Number(_) => FieldType::Number,
            Values::Date(_) => FieldType::Date,
            Values::Text(_) => FieldType::Text,
        }
    }

    pub fn is_missing(&self, lead: usize) -> bool {
        match self {
            Values::Bool(v) => v[lead] == BOOL_MISSING,
            Values::Number(v) => v[lead].is_nan(),
            Values::Date(v) => v[lead] == DATE_MISSING,
            Values::Text(t) => t.codes[lead] == TEXT_MISSING,
        }
    }

    /// The value as a user would read it (for ledgers and listings); `None` when missing.
    pub fn display(&self, lead: usize) -> Option<String> {
        if self.is_missing(lead) {
            return None;
        }
        Some(match self {
            Values::Bool(v) => (v[lead] == 1).to_string(),
            Values::Number(v) => crate::fmt::fmt_num(v[lead]),
            Values::Date(v) => format_date(v[lead]),
            Values::Text(t) => t.get(lead).unwrap_or_default().to_string(),
        })
    }
}

/// One column of the table (or a derived field).
#[derive(Debug, Clone)]
pub struct Column {
    /// The header as written in the file (for derived fields: the field name).
    pub header: String,
    /// The normalized header (SPEC §2, "Column names").
    pub name: String,
    pub values: Values,
    /// True for `[derive.NAME]` fields, which are not in the file.
    pub derived: bool,
}

/// Leads in typed columns.
#[derive(Debug, Clone, Default)]
pub struct LeadTable {
    pub columns: Vec<Column>,
    /// Number of leads (rows kept).
    pub len: usize,
    /// Extra names (from `[fields]` and `[derive]`) → column index.
    pub aliases: Vec<(String, usize)>,
    /// The id column, if the ruleset names one.
    pub id_column: Option<usize>,
    /// Per lead: `Some(true)` converted, `Some(false)` not, `None` open/unknown.
    /// Empty when the ruleset names no outcome column.
    pub outcome: Vec<Option<bool>>,
    /// The created-date column, if the ruleset names one (must be a date).
    pub created_column: Option<usize>,
    /// The 1-based file line each lead starts on (for messages).
    pub lines: Vec<u64>,
}

impl LeadTable {
    /// Resolve a name used in a condition: `[fields]`/`[derive]` names first,
    /// then normalized column names, then raw headers (for backticked names).
    pub fn resolve(&self, name: &str) -> Option<usize> {
        if let Some((_, i)) = self.aliases.iter().find(|(n, _)| n == name) {
            return Some(*i);
        }
        if let Some(i) = self.columns.iter().position(|c| c.name == name) {
            return Some(i);
        }
        self.columns.iter().position(|c| c.header == name)
    }

    /// Every name a condition may use (for did-you-mean suggestions).
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.aliases.iter().map(|(n, _)| n.as_str()).collect();
        v.extend(
            self.columns
                .iter()
                .filter(|c| !c.derived)
                .map(|c| c.name.as_str()),
        );
        v
    }

    /// The id shown for a lead: the id column's value, else the 1-based row number.
    pub fn lead_id(&self, lead: usize) -> String {
        match self.id_column {
            Some(c) => self.columns[c].values.display(lead).unwrap_or_default(),
            None => (lead + 1).to_string(),
        }
    }

    pub fn has_outcome(&self) -> bool {
        !self.outcome.is_empty()
    }
}

/// `YYYY-MM-DD` for a day number.
pub fn format_date(days: i32) -> String {
    match chrono::NaiveDate::from_num_days_from_ce_opt(days + EPOCH_CE) {
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => format!("day {days}"),
    }
}

/// Day number (since 1970-01-01) of a calendar date.
pub fn day_number(d: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    d.num_days_from_ce() - EPOCH_CE
}

/// `num_days_from_ce` of 1970-01-01.
const EPOCH_CE: i32 = 719_163;
