//! The `leadlab` binary: parse arguments, dispatch, turn errors into exit codes.

use clap::Parser;
use leadlab::cli::{Cli, Command};
use leadlab::commands::{self, console};
use leadlab::ruleset::Diagnostics;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let g = cli.global;
    let result = match cli.command {
        None => leadlab::tui::open(&g, None).map(|_| false),
        Some(Command::Review { ruleset, data }) => {
            leadlab::tui::open(&g, Some((&ruleset, &data))).map(|_| false)
        }
        Some(Command::Score {
            ruleset,
            data,
            output,
            format,
            keep_columns,
        }) => commands::score(&g, &ruleset, &data, output.as_deref(), format, keep_columns)
            .map(|_| false),
        Some(Command::Report {
            ruleset,
            data,
            format,
            top,
        }) => commands::report(&g, &ruleset, &data, format, top).map(|_| false),
        Some(Command::Explain {
            ruleset,
            data,
            lead_id,
            format,
        }) => commands::explain(&g, &ruleset, &data, &lead_id, format).map(|_| false),
        Some(Command::Check { ruleset, data }) => commands::check(&g, &ruleset, data.as_deref()),
        Some(Command::Sample { rows, seed, output }) => {
            commands::sample(rows, seed, output.as_deref()).map(|_| false)
        }
    };
    let failed = match result {
        Ok(failed) => failed,
        // Output cut short by a closed pipe (`leadlab score ... | head`) is not an error.
        Err(e) if commands::is_broken_pipe(&e) => false,
        Err(e) => {
            match e.downcast_ref::<Diagnostics>() {
                Some(d) => console::say(&d.to_string()),
                None => console::say(&format!("error: {e:#}")),
            }
            true
        }
    };
    // A warning lost to a full stderr is a failure too (SPEC §1: nothing
    // the user should have seen goes missing with exit 0).
    if failed || console::lost() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
