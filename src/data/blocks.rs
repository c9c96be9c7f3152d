//! Reading the rows after the header, a block of the file at a time: each
//! big block cut in two at a line break and both halves cut into rows and
//! checked at once, then merged in file order.

use super::columns::Parsed;
use super::columns::{Builder, kinds, push_present, push_to_run};
use super::load::LoadReport;
use super::parallel::run_both;
use super::plan::{Header, NO_SLOT, Plan};
use super::row_checks::{BadRow, RowKind, trimmed};
use super::source::{BLOCK, Input, MAX_BLOCK, Scanner, count_newlines, too_long};
use anyhow::{anyhow, bail};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// The leads kept: their columns, and per lead its line and outcome (the
/// outcome only when the ruleset names an outcome column).
pub(super) struct KeptLeads {
    pub(super) builders: Vec<Builder>,
    pub(super) lines: Vec<u64>,
    pub(super) outcome: Vec<Option<bool>>,
}

/// What reading the rows needs to know.
pub(super) struct RowReader<'a> {
    pub(super) name: &'a str,
    pub(super) header: &'a Header,
    pub(super) plan: &'a Plan,
    pub(super) delimiter: u8,
    pub(super) skip_bad_rows: bool,
    /// Cells of stretches done with, for the next stretches.
    pub(super) spare: Mutex<Vec<CellsByColumn>>,
}

/// The rows of one stretch of a block (the whole block, or one of its two
/// halves): cut into cells and checked, not yet in the columns.
pub(super) struct CheckedRows<'b> {
    pub(super) scanner: Scanner<'b>,
    pub(super) cells: CellsByColumn,
    /// Per column whose builder infers its type: the kinds of its cells.
    pub(super) kinds: Vec<u8>,
    /// Rows skipped, and the first few with why.
    pub(super) skipped: usize,
    pub(super) skipped_first: Vec<(u64, String)>,
    /// Lines that hold no row, lines inside quoted cells and rows with such
    /// lines (see [`LoadReport`]).
    pub(super) blank_lines: u64,
    pub(super) continued_lines: u64,
    pub(super) multiline_rows: usize,
    /// What stopped the reading.
    pub(super) error: Option<anyhow::Error>,
}

/// A stretch's leads, by column. Reused from block to block: growing fresh
/// buffers for every block costs more in page faults than filling them.
#[derive(Default)]
pub(super) struct CellsByColumn {
    /// Per column, unless it is parsed on the way: its cells, trimmed, as a
    /// run (copied out of the rows, so that each column's builder reads its
    /// cells from one place instead of from every row).
    pub(super) runs: Vec<Vec<u8>>,
    /// Per declared column (its index in `Plan::checks`): its values.
    pub(super) parsed: Vec<Vec<Parsed>>,
    pub(super) lines: Vec<u64>,
    pub(super) outcome: Vec<Option<bool>>,
}

impl CellsByColumn {
    fn clear(&mut self, columns: usize, checks: usize) {
        self.runs.resize_with(columns, Vec::new);
        self.runs.iter_mut().for_each(Vec::clear);
        self.parsed.resize_with(checks, Vec::new);
        self.parsed.iter_mut().for_each(Vec::clear);
        self.lines.clear();
        self.outcome.clear();
    }
}

/// Rows skipped that are reported by line, and with why.
pub(super) const SKIPPED_KEPT: usize = 5;

/// Blocks smaller than this are cut into rows on one thread.
const SPLIT_BEYOND: usize = 1 << 18;

impl RowReader<'_> {
    /// Reads every row after the header into column builders, skipping (or
    /// stopping at) rows that are ragged or hold a value their column's
    /// declared type or the outcome column does not allow.
    pub(super) fn read_rows<R: std::io::Read>(
        &self,
        input: &mut Input<R>,
        report: &mut LoadReport,
    ) -> anyhow::Result<KeptLeads> {
        let ncols = self.header.headers.len();
        let mut rows = KeptLeads {
            builders: self.plan.builders(),
            lines: Vec::new(),
            outcome: Vec::new(),
        };
        // How long each column took on the last block: the slowest go first.
        let mut costs = vec![Duration::ZERO; ncols];
        let mut block = BLOCK;
        loop {
            input
                .fill(block)
                .map_err(|e| anyhow!("cannot read {}: {e}", self.name))?;
            let data = input.data();
            if data.is_empty() {
                break;
            }
            let last = input.eof();
            let infers: Vec<bool> = rows.builders.iter().map(Builder::infers).collect();
            let (mut stretches, used) = self.read_block(data, last, input.newlines(), &infers);
            for stretch in &mut stretches {
                self.merge(stretch, &mut rows, report)?;
            }
            if used == 0 && !last {
                // One row longer than the block: read it in a bigger one.
                if block >= MAX_BLOCK {
                    bail!("cannot read {}: {}", self.name, too_long());
                }
                block *= 2;
                continue;
            }
            self.fill_columns(&stretches, &mut rows.builders, &mut costs)?;
            self.spare
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend(stretches.into_iter().map(|p| p.cells));
            input.consume(used);
            if last {
                break;
            }
        }
        Ok(rows)
    }

    /// Cuts a block into rows, its two halves at once when it is big: the
    /// second half is read from the first line break after the middle, on
    /// the guess that no quoted field spans it. The first half shows
    /// whether the guess held (it ends on a whole row there); if not, the
    /// rest is read again from where the first half stopped. Returns the
    /// stretches in order and how many bytes they used.
    fn read_block<'b>(
        &self,
        data: &'b [u8],
        last: bool,
        newlines: u64,
        infers: &[bool],
    ) -> (Vec<CheckedRows<'b>>, usize) {
        let scanner = |s: &'b [u8], more, n| {
            let mut scanner = Scanner::new(s, self.delimiter, more, n);
            scanner.width = self.header.headers.len();
            scanner
        };
        let mid = (data.len() >= SPLIT_BEYOND)
            .then(|| data[data.len() / 2..].iter().position(|&b| b == b'\n'))
            .flatten()
            .map(|p| data.len() / 2 + p + 1);
        let Some(mid) = mid else {
            let stretch = self.read_stretch(scanner(data, !last, newlines), infers);
            let used = stretch.scanner.pos();
            return (vec![stretch], used);
        };
        let (first, rest) = data.split_at(mid);
        let rest_newlines = newlines + count_newlines(first);
        let (a, b) = run_both(
            || self.read_stretch(scanner(first, true, newlines), infers),
            || self.read_stretch(scanner(rest, !last, rest_newlines), infers),
        );
        let stop = a.scanner.pos();
        if stop == mid || a.error.is_some() {
            let used = mid + b.scanner.pos();
            return (vec![a, b], used);
        }
        drop(b);
        let rest = &data[stop..];
        let newlines = newlines + count_newlines(&data[..stop]);
        let b = self.read_stretch(scanner(rest, !last, newlines), infers);
        let used = stop + b.scanner.pos();
        (vec![a, b], used)
    }

    /// Reads the rows a scanner finds, until one stops the reading.
    fn read_stretch<'b>(&self, scanner: Scanner<'b>, infers: &[bool]) -> CheckedRows<'b> {
        let plan = self.plan;
        let ncols = self.header.headers.len();
        let spare = self
            .spare
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let mut cells = spare.unwrap_or_default();
        cells.clear(ncols, plan.checks.len());
        let mut stretch = CheckedRows {
            scanner,
            cells,
            kinds: vec![0; ncols],
            skipped: 0,
            skipped_first: Vec::new(),
            blank_lines: 0,
            continued_lines: 0,
            multiline_rows: 0,
            error: None,
        };
        let mut parsed = vec![Parsed::Number(f64::NAN); plan.checks.len()];
        while let Some(line) = stretch.scanner.next() {
            if let Some(open) = stretch.scanner.runaway(line) {
                let reason = format!(
                    "{}:{}: a quoted cell opens on this line and {}",
                    self.name, open.line, open.what
                );
                if !self.skip_bad_rows {
                    stretch.error = Some(anyhow!(
                        "{reason}; close the quote (a quote inside a cell is written \"\") or pass \
                         --skip-bad-rows to skip this row and read on from line {}",
                        open.line + 1
                    ));
                    break;
                }
                stretch.skipped += 1;
                if stretch.skipped_first.len() < SKIPPED_KEPT {
                    stretch.skipped_first.push((line, reason));
                }
                // Lines of the row before the one the quote opens on (a
                // cell before it spans lines) are not read again.
                let before = open.line.saturating_sub(line);
                stretch.continued_lines += before;
                stretch.multiline_rows += usize::from(before > 0);
                stretch.scanner.resume_at(open.resume);
                continue;
            }
            let continued = stretch.scanner.continued;
            stretch.continued_lines += continued;
            stretch.multiline_rows += usize::from(continued > 0);
            match self.check_row(&stretch.scanner, line, &mut parsed) {
                Ok(RowKind::Blank) => stretch.blank_lines += 1,
                Ok(RowKind::Lead(outcome)) => {
                    let scanner = &stretch.scanner;
                    for (col, &field) in scanner.fields.iter().enumerate() {
                        if plan.slots[col] != NO_SLOT {
                            continue;
                        }
                        let (buf, range) = scanner.field_at(field);
                        let cell = trimmed(&buf[range.clone()]);
                        let (start, end) = (range.start + cell.start, range.start + cell.end);
                        let cell = &buf[start..end];
                        let run = &mut stretch.cells.runs[col];
                        if plan.missing.is_missing(cell) {
                            push_to_run(run, None);
                        } else {
                            push_present(run, buf, start, end);
                            if infers[col] {
                                stretch.kinds[col] |= kinds(cell);
                            }
                        }
                    }
                    for (values, &v) in stretch.cells.parsed.iter_mut().zip(&parsed) {
                        values.push(v);
                    }
                    if plan.outcome.is_some() {
                        stretch.cells.outcome.push(outcome);
                    }
                    stretch.cells.lines.push(line);
                }
                Err(BadRow::Skippable(reason, _)) if self.skip_bad_rows => {
                    stretch.skipped += 1;
                    if stretch.skipped_first.len() < SKIPPED_KEPT {
                        stretch.skipped_first.push((line, reason));
                    }
                }
                Err(BadRow::Skippable(reason, fix)) => {
                    stretch.error = Some(anyhow!("{reason}; {fix} or pass --skip-bad-rows"));
                    break;
                }
                Err(BadRow::Fatal(e)) => {
                    stretch.error = Some(e);
                    break;
                }
            }
        }
        stretch.blank_lines += stretch.scanner.blank_lines;
        stretch
    }

    /// Adds a stretch's leads and skipped rows; its error, if any, is the
    /// loading's.
    fn merge(
        &self,
        stretch: &mut CheckedRows,
        rows: &mut KeptLeads,
        report: &mut LoadReport,
    ) -> anyhow::Result<()> {
        if let Some(e) = stretch.error.take() {
            return Err(e);
        }
        rows.lines.extend_from_slice(&stretch.cells.lines);
        rows.outcome.extend_from_slice(&stretch.cells.outcome);
        report.skipped += stretch.skipped;
        report.blank_lines += stretch.blank_lines;
        report.continued_lines += stretch.continued_lines;
        report.multiline_rows += stretch.multiline_rows;
        for (line, reason) in &stretch.skipped_first {
            if report.skipped_lines.len() < SKIPPED_KEPT {
                report.skipped_lines.push(*line);
                report.skipped_reasons.push(reason.clone());
            }
        }
        Ok(())
    }
}
