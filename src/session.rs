//! A ruleset opened against a lead file: loaded, compiled and ready to score.
//! Every command that reads data starts here.

use crate::data::{self, LeadTable, LoadReport};
use crate::engine::{self, Compiled, Scores};
use crate::ruleset::Ruleset;
use std::path::Path;
use std::sync::Arc;

/// The bundled example, compiled into the binary so `leadlab` works anywhere.
pub const EXAMPLE_RULESET: &str = include_str!("../rulesets/cybersecurity.toml");
pub const EXAMPLE_DATA: &str = include_str!("../samples/cybersecurity-leads.csv");
pub const EXAMPLE_RULESET_NAME: &str = "rulesets/cybersecurity.toml";
pub const EXAMPLE_DATA_NAME: &str = "samples/cybersecurity-leads.csv";

pub struct Session {
    pub ruleset: Ruleset,
    pub data_name: String,
    /// Shared so the workbench can score on a background thread.
    pub table: Arc<LeadTable>,
    pub load_report: LoadReport,
    pub compiled: Compiled,
    pub as_of: chrono::NaiveDate,
}

/// Where the reference date came from (SPEC §3.1).
pub fn reference_date(cli: Option<chrono::NaiveDate>, rs: &Ruleset) -> chrono::NaiveDate {
    cli.or(rs.model.as_of)
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

impl Session {
    /// Open files from disk.
    pub fn open(
        ruleset: &Path,
        data: &Path,
        as_of: Option<chrono::NaiveDate>,
        skip_bad_rows: bool,
    ) -> anyhow::Result<Session> {
        let rs = Ruleset::load(&ruleset.display().to_string())?;
        Session::open_with(rs, data, as_of, skip_bad_rows)
    }

    /// Open a data file against a ruleset already loaded.
    pub fn open_with(
        rs: Ruleset,
        data: &Path,
        as_of: Option<chrono::NaiveDate>,
        skip_bad_rows: bool,
    ) -> anyhow::Result<Session> {
        let opts = rs.data_options(skip_bad_rows);
        // An error about a `[data]`/`[fields]`/`[derive]` key points at its ruleset line.
        let (table, report) = data::load(data, &opts).map_err(|e| rs.locate_data_error(e))?;
        Session::build(rs, data.display().to_string(), table, report, as_of)
    }

    /// Open the bundled example.
    pub fn example(as_of: Option<chrono::NaiveDate>) -> anyhow::Result<Session> {
        Session::from_text(
            EXAMPLE_RULESET_NAME,
            EXAMPLE_RULESET,
            EXAMPLE_DATA_NAME,
            EXAMPLE_DATA.as_bytes(),
            as_of,
            false,
        )
    }

    /// Open a ruleset and data given as text (names are used in messages).
    pub fn from_text(
        ruleset_name: &str,
        ruleset: &str,
        data_name: &str,
        data: &[u8],
        as_of: Option<chrono::NaiveDate>,
        skip_bad_rows: bool,
    ) -> anyhow::Result<Session> {
        let rs = Ruleset::parse(ruleset_name, ruleset.to_string())?;
        let opts = rs.data_options(skip_bad_rows);
        let (table, report) =
            data::load_reader(data_name, data, &opts).map_err(|e| rs.locate_data_error(e))?;
        Session::build(rs, data_name.to_string(), table, report, as_of)
    }

    fn build(
        rs: Ruleset,
        data_name: String,
        table: LeadTable,
        load_report: LoadReport,
        as_of: Option<chrono::NaiveDate>,
    ) -> anyhow::Result<Session> {
        let as_of = reference_date(as_of, &rs);
        let compiled = engine::compile(&rs, &table, data::day_number(as_of))?;
        Ok(Session {
            ruleset: rs,
            data_name,
            table: Arc::new(table),
            load_report,
            compiled,
            as_of,
        })
    }

    pub fn score(&self) -> Scores {
        engine::score(&self.compiled, &self.ruleset)
    }

    /// Data warnings every report repeats: skipped rows, how the file's
    /// lines add up when they are not one lead a line, and duplicate ids.
    pub fn data_warnings(&self) -> Vec<String> {
        let r = &self.load_report;
        let mut w = vec![];
        if r.skipped > 0 {
            let lines: Vec<String> = r.skipped_lines.iter().map(|l| l.to_string()).collect();
            let (rows, line) = if r.skipped == 1 {
                ("row", "line")
            } else {
                ("rows", "lines")
            };
            w.push(format!(
                "{} bad {rows} skipped ({line} {}{})",
                r.skipped,
                lines.join(", "),
                if r.skipped > lines.len() { ", ..." } else { "" }
            ));
        }
        w.extend(r.line_accounting());
        if r.duplicate_ids > 0 {
            w.push(format!(
                "{} leads share an id with an earlier lead (first: {})",
                r.duplicate_ids,
                r.duplicate_examples.join(", ")
            ));
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_say_how_the_lines_add_up_when_they_are_not_one_lead_each() {
        let open = |data: &str| {
            let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1);
            Session::from_text(
                "r.toml",
                EXAMPLE_RULESET,
                "d.csv",
                data.as_bytes(),
                as_of,
                true,
            )
            .unwrap()
        };
        let plain = open(EXAMPLE_DATA);
        assert!(
            plain
                .data_warnings()
                .iter()
                .all(|w| !w.contains(" lines: "))
        );
        let data = format!("{}x,y\n\n", EXAMPLE_DATA.trim_end());
        let s = open(&data);
        let leads = s.table.len;
        let lines = data.lines().count();
        assert_eq!((lines, leads), (5002, 4999), "the bundled sample changed");
        assert_eq!(
            s.data_warnings()[1],
            "5,002 lines: 1 header, 4,999 leads, 1 skipped, 1 blank"
        );
    }
}
