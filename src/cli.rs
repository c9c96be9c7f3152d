//! The command line (SPEC §1), all of it at a glance.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "leadlab",
    version,
    about = "Calibrate point-based lead scoring models against leads with known outcomes.",
    long_about = "Calibrate point-based lead scoring models against leads with known outcomes.\n\n\
Without a command, leadlab opens the workbench on the bundled example (a \
cybersecurity services ruleset and 5,000 sample leads)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub global: Global,
}

/// Options every command takes.
#[derive(Args, Debug, Clone, Default)]
pub struct Global {
    /// Reference date for days_since and decay (default: [model].as_of, else today).
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Skip CSV rows with the wrong number of fields or values that do not fit
    /// a declared type, and report how many were skipped.
    #[arg(long, global = true)]
    pub skip_bad_rows: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the workbench: edit weights and thresholds, see every figure
    /// change, save with a changelog entry (needs a terminal).
    Review { ruleset: PathBuf, data: PathBuf },
    /// Score every lead: id, score, tier, group subtotals, reasons.
    Score {
        ruleset: PathBuf,
        data: PathBuf,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ScoreFormat::Csv)]
        format: ScoreFormat,
        /// Append all input columns after the score columns.
        #[arg(long)]
        keep_columns: bool,
    },
    /// Band table, tier table, headline metrics and misclassified leads.
    Report {
        ruleset: PathBuf,
        data: PathBuf,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// How many false positives and false negatives to list.
        #[arg(long, default_value_t = 10, value_name = "N")]
        top: usize,
    },
    /// The full ledger of one lead: why it scored what it did.
    Explain {
        ruleset: PathBuf,
        data: PathBuf,
        lead_id: String,
        #[arg(long, value_enum, default_value_t = ExplainFormat::Table)]
        format: ExplainFormat,
    },
    /// Validate a ruleset (and, with DATA, the ruleset against the data);
    /// print every error and warning; exit 1 on any error.
    Check {
        ruleset: PathBuf,
        data: Option<PathBuf>,
    },
    /// Write a synthetic lead set shaped like the bundled sample.
    Sample {
        #[arg(long, default_value_t = 5000, value_name = "N")]
        rows: usize,
        #[arg(long, default_value_t = 1, value_name = "S")]
        seed: u64,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreFormat {
    Csv,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Markdown,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplainFormat {
    Table,
    Json,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date; write it as YYYY-MM-DD"))
}
