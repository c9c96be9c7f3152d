//! Both cores on one job list: a block's columns filled, and at the end
//! the columns finished (typed, interned), the costliest first.

use super::blocks::{CheckedRows, RowReader};
use super::columns::Builder;
use super::plan::NO_SLOT;
use super::*;
use anyhow::anyhow;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Runs `a` here and `b` on a second thread at the same time (or `b`
/// after `a` when no thread can be started).
pub(super) fn run_both<A, B: Send>(a: impl FnOnce() -> A, b: impl Fn() -> B + Sync) -> (A, B) {
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new().spawn_scoped(s, &b);
        let a = a();
        let b = match handle {
            Ok(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            Err(_) => b(),
        };
        (a, b)
    })
}

/// Takes jobs off a shared list, costliest first, on two threads.
fn share_out<J: Send, T: Send, C: Ord + Send>(
    mut jobs: Vec<(J, C)>,
    work: impl Fn(J) -> T + Sync,
) -> Vec<T> {
    jobs.sort_by(|a, b| b.1.cmp(&a.1));
    let queue = Mutex::new(jobs.into_iter().map(|(job, _)| job));
    let worker = || {
        let mut done = Vec::new();
        loop {
            // Not in a `while let`: the lock would be held through the work.
            let job = queue.lock().unwrap_or_else(PoisonError::into_inner).next();
            let Some(job) = job else { break };
            done.push(work(job));
        }
        done
    };
    let (mut a, b) = run_both(worker, worker);
    a.extend(b);
    a
}

/// Turns each column's builder into its values, two columns at a time.
pub(super) fn finish_columns(builders: Vec<Builder>, len: usize) -> anyhow::Result<Vec<Values>> {
    let jobs = builders
        .into_iter()
        .enumerate()
        .map(|(col, b)| {
            let cost = b.finish_cost();
            ((col, b), cost)
        })
        .collect();
    let mut done = share_out(jobs, |(col, b): (usize, Builder)| (col, b.finish(len)));
    done.sort_by_key(|(col, _)| *col);
    done.into_iter().map(|(_, v)| v).collect()
}

/// Blocks with fewer rows fill their columns on one thread.
const PARALLEL_ROWS: usize = 1024;

impl RowReader<'_> {
    /// Hands the stretches' cells to the column builders, the columns shared
    /// out between two threads (the slowest of the last block first).
    pub(super) fn fill_columns(
        &self,
        stretches: &[CheckedRows],
        builders: &mut [Builder],
        costs: &mut [Duration],
    ) -> anyhow::Result<()> {
        let rows: usize = stretches.iter().map(|p| p.cells.lines.len()).sum();
        let fill = |(col, builder): (usize, &mut Builder)| {
            let start = Instant::now();
            let result = self.fill_column(stretches, col, builder);
            (col, start.elapsed(), result)
        };
        let jobs: Vec<_> = builders
            .iter_mut()
            .enumerate()
            .map(|(col, b)| ((col, b), costs[col]))
            .collect();
        let mut done = if rows < PARALLEL_ROWS {
            jobs.into_iter().map(|(job, _)| fill(job)).collect()
        } else {
            share_out(jobs, fill)
        };
        done.sort_by_key(|(col, _, _)| *col);
        for (col, took, result) in done {
            costs[col] = took;
            result.map_err(|e| {
                anyhow!(
                    "{}: column \"{}\": {e}",
                    self.name,
                    self.header.headers[col]
                )
            })?;
        }
        Ok(())
    }

    fn fill_column(
        &self,
        stretches: &[CheckedRows],
        col: usize,
        builder: &mut Builder,
    ) -> anyhow::Result<()> {
        let plan = self.plan;
        match plan.slots[col] {
            NO_SLOT => {
                for stretch in stretches {
                    builder.push_run(&stretch.cells.runs[col], stretch.kinds[col])?;
                }
            }
            slot => {
                for stretch in stretches {
                    for &v in &stretch.cells.parsed[slot as usize] {
                        builder.push_parsed(v);
                    }
                }
            }
        }
        Ok(())
    }
}
