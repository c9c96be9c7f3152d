//! Effects: what [`update`] asks of the world (rescore on the worker, write
//! or remove a draft, write the saved file, quit), as values, and the
//! [`Runtime`] that performs them.
//!
//! `update` only changes the model and returns effects; it never waits for
//! a thread or touches a disk, so it can be tested without either. The
//! event loop hands every action to [`Runtime::handle`], the one place
//! effects are performed; what an effect reports back (a finished save, a
//! removed draft) returns to `update` as an action. Tests drive the
//! workbench through the same `handle`.

use super::action::Action;
use super::app::App;
use super::compute::{ComputeFn, Figures, Job, Worker, WorkerStopped};
use super::draft::{self, DraftWriter};
use super::saving::{SaveRequest, Written};
use super::update;
use crate::ruleset::Ruleset;
use crate::ruleset::save;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Something `update` wants done outside the model, in the order returned.
#[must_use = "an effect does nothing until the runtime performs it"]
#[derive(Debug)]
pub enum Effect {
    /// Rescore this state of the working copy on the worker (the newest wins;
    /// its figures come back as [`Action::Computed`]).
    Rescore(Box<Job>),
    /// Write the draft of unsaved edits at `path` (on the draft thread).
    WriteDraft(Box<DraftWrite>),
    /// Remove the draft at `path` (nothing is unsaved), once any pending
    /// write is done, and wait until it is gone.
    RemoveDraft(PathBuf),
    /// Delete the draft offered on opening (the user declined it); reported
    /// back as [`Action::DraftDiscarded`].
    DiscardDraft(PathBuf),
    /// Put a draft that cannot be restored out of the way of new drafts;
    /// reported back as [`Action::DraftSetAside`].
    SetAsideDraft { path: PathBuf, why: String },
    /// Write the saved ruleset file; reported back as [`Action::Written`].
    WriteRuleset(Box<SaveRequest>),
    /// Stop the workbench.
    Quit,
}

/// A draft to write: the working copy and the baseline it is compared with.
#[derive(Debug)]
pub struct DraftWrite {
    pub path: PathBuf,
    pub baseline: Ruleset,
    pub current: Ruleset,
}

/// Performs effects: owns the rescoring worker and the draft writer.
pub struct Runtime {
    worker: Worker,
    /// The draft writer of the draft last written (a save-as moves the draft).
    draft_writer: Option<DraftWriter>,
}

impl Runtime {
    /// A runtime rescoring with `compute` ([`super::compute::incremental`],
    /// or in tests a slower or failing stand-in).
    pub fn new(compute: ComputeFn) -> Runtime {
        Runtime {
            worker: Worker::spawn(compute),
            draft_writer: None,
        }
    }

    /// Apply `action`, perform every effect it returns, and apply what they
    /// report back, until nothing is left. True when the workbench should quit.
    pub fn handle(&mut self, app: &mut App, action: Action) -> bool {
        let mut quit = false;
        let mut actions = VecDeque::from([action]);
        while let Some(action) = actions.pop_front() {
            for effect in update(app, action) {
                match self.perform(effect) {
                    Performed::Done => {}
                    Performed::Then(a) => actions.push_back(a),
                    Performed::Quit => quit = true,
                }
            }
        }
        quit
    }

    fn perform(&mut self, effect: Effect) -> Performed {
        match effect {
            Effect::Rescore(job) => self.worker.submit(*job),
            Effect::WriteDraft(d) => {
                let DraftWrite {
                    path,
                    baseline,
                    current,
                } = *d;
                self.draft_writer_at(&path).write(baseline, current);
            }
            Effect::RemoveDraft(path) => self.draft_writer_at(&path).remove(),
            Effect::DiscardDraft(path) => {
                let error = match std::fs::remove_file(&path) {
                    Ok(()) => None,
                    // Already gone: nothing to say.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Performed::Done,
                    Err(e) => Some(e.to_string()),
                };
                return Performed::Then(Action::DraftDiscarded { path, error });
            }
            Effect::SetAsideDraft { path, why } => {
                let kept = draft::set_aside(&path).unwrap_or(path);
                return Performed::Then(Action::DraftSetAside { why, kept });
            }
            Effect::WriteRuleset(request) => {
                let result =
                    save::write_atomic(&request.path, &request.text, request.expected.as_deref());
                return Performed::Then(Action::Written(Box::new(Written {
                    request: *request,
                    result: result.map_err(Arc::new),
                })));
            }
            Effect::Quit => return Performed::Quit,
        }
        Performed::Done
    }

    /// The draft writer for `path`; a new one when the draft moved (the old
    /// one finishes its pending write as it goes).
    fn draft_writer_at(&mut self, path: &Path) -> &DraftWriter {
        if self.draft_writer.as_ref().is_none_or(|d| d.path != path) {
            self.draft_writer = Some(DraftWriter::new(path.to_path_buf()));
        }
        self.draft_writer.as_ref().expect("set above")
    }

    /// A finished rescore, if one is waiting (the loop feeds it to `update`
    /// as [`Action::Computed`]); an error if the worker stopped (a bug).
    pub fn poll_worker(&self) -> Result<Option<Figures>, WorkerStopped> {
        self.worker.try_recv()
    }

    /// Wait up to `timeout` for a finished rescore.
    pub fn wait_worker(&self, timeout: Duration) -> Result<Option<Figures>, WorkerStopped> {
        self.worker.recv_timeout(timeout)
    }

    /// Why the draft could not be written, once (the loop shows it).
    pub fn take_draft_error(&self) -> Option<String> {
        self.draft_writer.as_ref().and_then(DraftWriter::take_error)
    }

    /// Wait until the draft of the newest edit is written. False on timeout.
    pub fn flush_drafts(&self, timeout: Duration) -> bool {
        self.draft_writer.as_ref().is_none_or(|d| d.flush(timeout))
    }

    /// Finish writing the draft and stop its thread (on the way out).
    pub fn finish(&mut self) {
        if let Some(d) = &mut self.draft_writer {
            d.finish();
        }
    }
}

/// What performing one effect leaves to do.
enum Performed {
    Done,
    /// Report back to `update`.
    Then(Action),
    Quit,
}
