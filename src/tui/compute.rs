//! Rescoring for the workbench: the one place every figure on screen comes
//! from (`figures`, from a [`crate::metrics::LiveReview`]), and the background worker that runs it off
//! the UI thread.
//!
//! Keeping all recomputation here means the engine can change (it is now
//! incremental: [`crate::metrics::LiveReview`]) without touching the UI. The
//! worker always takes the newest pending job and drops older ones, so a
//! burst of edits costs one rescore, and the UI keeps answering keys while
//! it runs.

use crate::data::LeadTable;
use crate::engine::Compiled;
use crate::metrics::{Evaluation, LiveReview, Review, RuleEvidence};
use crate::ruleset::Ruleset;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

/// How many false positives and false negatives the workbench keeps.
pub const TOP_MISCLASSIFIED: usize = 50;

/// One rescore to do: a snapshot of the working ruleset and its compiled form.
#[derive(Debug, Clone)]
pub struct Job {
    /// Raised by one for every edit; only the newest generation is shown.
    pub generation: u64,
    pub table: Arc<LeadTable>,
    pub compiled: Compiled,
    pub ruleset: Ruleset,
}

/// Everything the screen shows about one state of the ruleset. It keeps the
/// ruleset and compiled form it was computed from, so a lead's ledger can be
/// drawn consistently with the figures beside it while a newer rescore runs.
#[derive(Debug, Clone)]
pub struct Figures {
    pub generation: u64,
    pub ruleset: Ruleset,
    pub compiled: Compiled,
    /// Score and tier of each lead in the misclassified lists (copying
    /// every lead's scores for the screen would cost more than the rescore
    /// at a million leads).
    pub listed: HashMap<usize, (f64, u32)>,
    pub review: Review,
    /// Per rule of `ruleset`, in its order.
    pub evidence: Vec<RuleEvidence>,
    /// How long the rescore took.
    pub elapsed: Duration,
}

impl Figures {
    /// The evidence of the rule with this id, if it was part of this rescore.
    pub fn evidence_of(&self, id: &str) -> Option<&RuleEvidence> {
        self.evidence.iter().find(|e| e.id == id)
    }

    /// False positives in total (the review keeps only the first few).
    pub fn false_positive_count(&self) -> usize {
        self.review.qualified.leads - self.review.qualified.converted
    }

    /// False negatives in total.
    pub fn false_negative_count(&self) -> usize {
        self.review.converted - self.review.qualified.converted
    }
}

/// The screen's figures for one job, from a [`LiveReview`] that keeps what
/// the previous job computed (a weight edit re-sums one group and rescores
/// only the leads that rule fires on). The review has no segments: the
/// workbench does not show them.
fn figures(live: &mut LiveReview, job: Job) -> Figures {
    let start = Instant::now();
    let Evaluation { review, evidence } = live.evaluate(&job.compiled, &job.ruleset, &job.table);
    let listed = review
        .false_positives
        .iter()
        .chain(&review.false_negatives)
        .map(|&i| (i, (live.score()[i], live.tier()[i])))
        .collect();
    Figures {
        generation: job.generation,
        ruleset: job.ruleset,
        compiled: job.compiled,
        listed,
        review,
        evidence,
        elapsed: start.elapsed(),
    }
}

/// Score one state of the ruleset from scratch: what the workbench shows for
/// the baseline, and the figures a save records when the worker is behind.
pub fn compute(job: Job) -> Figures {
    figures(&mut LiveReview::new(TOP_MISCLASSIFIED), job)
}

/// The function the worker runs: incremental rescoring, or in tests a slower stand-in.
pub type ComputeFn = Box<dyn FnMut(Job) -> Figures + Send>;

/// The worker's default: incremental rescoring, one [`LiveReview`] kept
/// from job to job.
pub fn incremental() -> ComputeFn {
    let mut live = LiveReview::new(TOP_MISCLASSIFIED);
    Box::new(move |job| figures(&mut live, job))
}

/// The rescoring thread is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerStopped;

/// A background thread that runs jobs, newest first, and sends back figures.
pub struct Worker {
    jobs: Sender<Job>,
    results: Receiver<Figures>,
}

impl Worker {
    pub fn spawn(mut f: ComputeFn) -> Worker {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (result_tx, results) = mpsc::channel();
        std::thread::Builder::new()
            .name("leadlab-rescore".into())
            .spawn(move || {
                // Ends when the workbench drops its sender.
                while let Ok(mut job) = job_rx.recv() {
                    // Only the newest edit matters: skip the ones it replaced.
                    while let Ok(newer) = job_rx.try_recv() {
                        job = newer;
                    }
                    if result_tx.send(f(job)).is_err() {
                        break;
                    }
                }
            })
            .expect("cannot start the rescoring thread");
        Worker { jobs, results }
    }

    pub fn submit(&self, job: Job) {
        // A send fails only if the worker died (a panic in compute); the
        // workbench then keeps showing the last figures it has.
        let _ = self.jobs.send(job);
    }

    /// A finished rescore, if one is waiting; an error if the worker stopped
    /// (only a panic in the engine stops it: a bug).
    pub fn try_recv(&self) -> Result<Option<Figures>, WorkerStopped> {
        match self.results.try_recv() {
            Ok(f) => Ok(Some(f)),
            Err(mpsc::TryRecvError::Empty) => Ok(None),
            Err(mpsc::TryRecvError::Disconnected) => Err(WorkerStopped),
        }
    }

    /// Wait up to `timeout` for a finished rescore.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<Option<Figures>, WorkerStopped> {
        match self.results.recv_timeout(timeout) {
            Ok(f) => Ok(Some(f)),
            Err(mpsc::RecvTimeoutError::Timeout) => Ok(None),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(WorkerStopped),
        }
    }
}
