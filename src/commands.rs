//! One function per command: open what it needs, compute, print. Data goes
//! through [`output`] (stdout or `-o`), everything else through
//! [`console::say`] to stderr: nothing here prints any other way.

pub mod console;
pub mod output;

use crate::check;
use crate::cli::{ExplainFormat, Global, ReportFormat, ScoreFormat};
use crate::engine;
use crate::metrics;
use crate::report::{self, RawRows, ReportInput, ScoreOutput};
use crate::ruleset::{Diagnostic, Diagnostics, Ruleset, Severity};
use crate::session::Session;
use anyhow::{Context, bail};
use output::Output;
use std::io::Write;
use std::path::Path;

/// Standard output, or the file of `-o`.
fn output(path: Option<&Path>) -> anyhow::Result<Output> {
    match path {
        Some(p) => output::file(p),
        None => Ok(output::stdout()),
    }
}

/// Writes `text` to stdout.
fn print(text: &str) -> anyhow::Result<()> {
    let mut w = output::stdout();
    w.write_all(text.as_bytes())?;
    w.finish()?;
    Ok(())
}

pub fn score(
    g: &Global,
    ruleset: &Path,
    data: &Path,
    out: Option<&Path>,
    format: ScoreFormat,
    keep_columns: bool,
) -> anyhow::Result<()> {
    if let Some(out) = out {
        output::refuse_inputs(out, &[(ruleset, "the ruleset"), (data, "the lead data")])?;
    }
    let s = Session::open(ruleset, data, g.as_of, g.skip_bad_rows)?;
    warn_data(&s);
    let scores = s.score();
    let keep = if keep_columns {
        Some(raw_rows(data, &s)?)
    } else {
        None
    };
    let o = ScoreOutput {
        ruleset: &s.ruleset,
        table: &s.table,
        compiled: &s.compiled,
        scores: &scores,
        keep,
    };
    let mut w = output(out)?;
    match format {
        ScoreFormat::Csv => report::write_scores_csv(o, &mut w)?,
        ScoreFormat::Json => report::write_scores_json(o, &mut w)?,
    }
    w.finish()?;
    Ok(())
}

fn raw_rows<'a>(data: &Path, s: &'a Session) -> anyhow::Result<RawRows<'a>> {
    let (headers, mut rows) = crate::data::RawRecords::open(data, s.load_report.delimiter)
        .with_context(|| format!("cannot read {}", data.display()))?;
    // The file again, keeping the rows the loader kept (by their line).
    let rows = s
        .table
        .lines
        .iter()
        .map(move |&line| rows.row_at(line).ok().flatten().unwrap_or_default());
    Ok((headers, Box::new(rows)))
}

pub fn report(
    g: &Global,
    ruleset: &Path,
    data: &Path,
    format: ReportFormat,
    top: usize,
) -> anyhow::Result<()> {
    let s = Session::open(ruleset, data, g.as_of, g.skip_bad_rows)?;
    print_report(&s, format, top)
}

/// The report of an opened session (also what bare `leadlab` prints).
pub fn print_report(s: &Session, format: ReportFormat, top: usize) -> anyhow::Result<()> {
    let scores = s.score();
    let review = metrics::review(&s.compiled, &s.ruleset, &s.table, &scores, top);
    let warnings = s.data_warnings();
    let rules = metrics::rule_evidence(&s.compiled, &s.ruleset, &s.table);
    let input = ReportInput {
        rules: &rules,
        ruleset: &s.ruleset,
        data_name: &s.data_name,
        as_of: s.as_of,
        table: &s.table,
        compiled: &s.compiled,
        scores: &scores,
        review: &review,
        data_warnings: &warnings,
    };
    let text = match format {
        ReportFormat::Table => report::review_text(&input, false),
        ReportFormat::Markdown => report::review_text(&input, true),
        ReportFormat::Json => report::review_json(&input),
    };
    print(&text)
}

pub fn explain(
    g: &Global,
    ruleset: &Path,
    data: &Path,
    lead_id: &str,
    format: ExplainFormat,
) -> anyhow::Result<()> {
    let s = Session::open(ruleset, data, g.as_of, g.skip_bad_rows)?;
    let wanted = lead_id.trim();
    let matches: Vec<usize> = (0..s.table.len)
        .filter(|&i| s.table.lead_id(i) == wanted)
        .collect();
    let Some(&lead) = matches.first() else {
        let example = if s.table.len > 0 {
            format!(" (ids look like `{}`)", s.table.lead_id(0))
        } else {
            String::new()
        };
        let column = match s.table.id_column {
            Some(c) => format!("column \"{}\"", s.table.columns[c].header),
            None => "row numbers: the ruleset names no [data].id column".to_string(),
        };
        bail!(
            "no lead with id `{wanted}` in {}{example}; ids come from {column}",
            s.data_name
        );
    };
    if matches.len() > 1 {
        console::say(&format!(
            "warning: {} leads have the id `{wanted}`; explaining the first (line {})",
            matches.len(),
            s.table.lines.get(lead).copied().unwrap_or(0)
        ));
    }
    let ledger = engine::explain(&s.compiled, &s.ruleset, &s.table, lead);
    let text = match format {
        ExplainFormat::Table => report::ledger_text(&ledger),
        ExplainFormat::Json => report::ledger_json(&ledger),
    };
    print(&text)
}

/// `check`: returns whether there were errors (exit 1). Reports every
/// problem in one run: the file's own errors, then (for what could be read)
/// every condition against the data, then the lints.
pub fn check(g: &Global, ruleset: &Path, data: Option<&Path>) -> anyhow::Result<bool> {
    let path = ruleset.display().to_string();
    let mut diags = Diagnostics::default();
    let rs = match Ruleset::read(&path) {
        Ok(source) => {
            let (rs, d) = Ruleset::parse_all(&path, source);
            diags.0.extend(d.0);
            rs
        }
        Err(d) => {
            diags.0.extend(d.0);
            None
        }
    };
    if let Some(mut rs) = rs {
        check::lint_ruleset(&rs, &mut diags);
        // Conditions that are missing were reported above; a stand-in lets
        // everything else be checked against the data in the same run.
        check::stand_in_missing_conditions(&mut rs);
        match data {
            None => check::check_syntax(&rs, &mut diags),
            Some(data) => match Session::open_with(rs, data, g.as_of, g.skip_bad_rows) {
                Ok(s) => {
                    let scores = s.score();
                    let review = metrics::review(&s.compiled, &s.ruleset, &s.table, &scores, 0);
                    for w in s.data_warnings() {
                        diags.push(Diagnostic::warning(s.data_name.clone(), w));
                    }
                    check::lint_data(&s.ruleset, &s.compiled, &scores, &review, &mut diags);
                }
                Err(e) => match e.downcast::<Diagnostics>() {
                    Ok(d) => diags.0.extend(d.0),
                    Err(e) => {
                        diags.push(data_error(&data.display().to_string(), &format!("{e:#}")))
                    }
                },
            },
        }
    }
    diags.0.sort_by_key(|d| d.severity == Severity::Warning);
    for d in &diags.0 {
        console::say(&d.to_string());
    }
    let (e, w) = (diags.errors(), diags.warnings());
    let verdict = if e > 0 { "failed" } else { "ok" };
    let summary = format!(
        "{}: {verdict}: {e} error{}, {w} warning{}\n",
        path,
        plural(e),
        plural(w)
    );
    // Nobody reading the summary does not change the verdict.
    match print(&crate::fmt::escape::terminal_lines(&summary)) {
        Err(err) if !crate::commands::is_broken_pipe(&err) => Err(err),
        _ => Ok(e > 0),
    }
}

/// A data error as a diagnostic that names the file once. The loader's
/// messages name the file themselves (`d.csv:12: row has ...`, `cannot read
/// d.csv: ...`), and a diagnostic puts its location first: the file and
/// line move to the location, or the name in the message becomes "the file".
fn data_error(name: &str, message: &str) -> Diagnostic {
    if let Some(rest) = message.strip_prefix(name).and_then(|r| r.strip_prefix(':')) {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0
            && let Some(msg) = rest[digits..].strip_prefix(':')
        {
            return Diagnostic::error(format!("{name}:{}", &rest[..digits]), msg.trim_start());
        }
        return Diagnostic::error(name, rest.trim_start());
    }
    let message = if let Some(rest) = message.strip_prefix(&format!("{name} ")) {
        format!("the file {rest}")
    } else {
        message.replacen(&format!(" {name}:"), " the file:", 1)
    };
    Diagnostic::error(name, message)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn sample(rows: usize, seed: u64, out: Option<&Path>) -> anyhow::Result<()> {
    let mut w = output(out)?;
    crate::sample::generate(rows, seed, &mut w)?;
    w.finish()?;
    Ok(())
}

fn warn_data(s: &Session) {
    for w in s.data_warnings() {
        console::say(&format!("warning: {}: {w}", s.data_name));
    }
}

/// Output cut short by a closed pipe (`leadlab score ... | head`): not an
/// error, whichever writer (ours, csv's, serde_json's) met it.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(
                |ce| matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|je| je.io_error_kind() == Some(BrokenPipe))
    })
}

#[cfg(test)]
mod tests {
    use super::data_error;

    #[test]
    fn data_errors_name_the_file_once() {
        let d = data_error("d.csv", "d.csv:3: row has 1 fields, the header has 2");
        assert_eq!(
            d.to_string(),
            "error: d.csv:3: row has 1 fields, the header has 2"
        );
        let d = data_error("d.csv", "d.csv: two columns normalize to `a`");
        assert_eq!(d.to_string(), "error: d.csv: two columns normalize to `a`");
        let d = data_error("d.csv", "cannot read d.csv: No such file or directory");
        assert_eq!(
            d.to_string(),
            "error: d.csv: cannot read the file: No such file or directory"
        );
        let d = data_error("d.csv", "d.csv is empty: expected a header row");
        assert_eq!(
            d.to_string(),
            "error: d.csv: the file is empty: expected a header row"
        );
        let d = data_error("d.csv", "column `x` is odd");
        assert_eq!(d.to_string(), "error: d.csv: column `x` is odd");
    }
}
