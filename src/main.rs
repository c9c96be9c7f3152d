//! The `leadlab` binary: parse arguments, dispatch, turn errors into exit codes.

use clap::Parser;
use leadlab::cli::{Cli, Command};
use leadlab::commands;
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
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            match e.downcast_ref::<Diagnostics>() {
                Some(d) => eprintln!("{d}"),
                None => eprintln!("error: {e:#}"),
            }
            ExitCode::from(1)
        }
    }
}

/// Output cut short by a closed pipe (`leadlab score ... | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(|ce| matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
    })
}
