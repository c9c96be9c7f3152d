//! Rescoring for the workbench: the one function every figure on screen
//! comes from, and the background worker that runs it off the UI thread.
//!
//! Keeping all recomputation behind [`compute`] means the engine can be made
//! faster (or incremental) without touching the UI. The worker always takes
//! the newest pending job and drops older ones, so a burst of edits costs one
//! rescore, and the UI keeps answering keys while it runs.

use crate::data::LeadTable;
use crate::engine::{self, Compiled, Scores};
use crate::metrics::{self, Review, RuleEvidence};
use crate::ruleset::Ruleset;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
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
    pub scores: Arc<Scores>,
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

/// Score every lead and compute the review and the rule evidence.
pub fn compute(job: Job) -> Figures {
    let start = Instant::now();
    let scores = engine::score(&job.compiled, &job.ruleset);
    let review = metrics::review(&job.compiled, &job.ruleset, &job.table, &scores, TOP_MISCLASSIFIED);
    let evidence = metrics::rule_evidence(&job.compiled, &job.ruleset, &job.table);
    Figures {
        generation: job.generation,
        ruleset: job.ruleset,
        compiled: job.compiled,
        scores: Arc::new(scores),
        review,
        evidence,
        elapsed: start.elapsed(),
    }
}

/// The function the worker runs: [`compute`], or in tests a slower stand-in.
pub type ComputeFn = Arc<dyn Fn(Job) -> Figures + Send + Sync>;

/// A background thread that runs jobs, newest first, and sends back figures.
pub struct Worker {
    jobs: Sender<Job>,
    results: Receiver<Figures>,
}

impl Worker {
    pub fn spawn(f: ComputeFn) -> Worker {
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

    /// A finished rescore, if one is waiting.
    pub fn try_recv(&self) -> Option<Figures> {
        self.results.try_recv().ok()
    }

    /// Wait up to `timeout` for a finished rescore.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Figures> {
        match self.results.recv_timeout(timeout) {
            Ok(f) => Some(f),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }
}
