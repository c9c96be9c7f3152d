//! The draft of unsaved edits: what keeps a review meeting's edits when the
//! terminal closes (window closed, SSH dropped, SIGHUP/SIGTERM, a crash).
//!
//! After every edit the working ruleset is written as a whole ruleset file,
//! by the save's own format-preserving writer (without a new version or a
//! changelog entry), to the draft file: `.NAME.draft` beside the ruleset
//! (`model.toml` → `.model.toml.draft`), or for the bundled example
//! `bundled-example.toml.draft` in the per-user state directory
//! (`$XDG_STATE_HOME/leadlab`, else `~/.local/state/leadlab`). Whole
//! files, because restoring one gives back exactly what a save would have
//! written, adds, deletes and condition edits included, and because a user
//! can open it by hand. Its first line records which version of the file the
//! edits were made against, so the offer can say when the file changed since.
//!
//! Writing happens atomically on a thread of its own, newest edit wins, so
//! the screen never waits for the disk. The draft is removed once nothing is
//! unsaved: on save, on undoing back to the file, on discarding when
//! quitting. A draft never changes the ruleset file itself.
//!
//! On the next open, [`find`] reads it back and the workbench offers it
//! (`y` restores, `n` deletes it).

use crate::ruleset::save;
use crate::ruleset::{CondSource, Gate, Group, ReviewSettings, Rule, Ruleset, Tier};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The first line of every draft, followed by the fingerprint of the file
/// the edits were made against.
const MARK: &str = "# leadlab draft of unsaved edits, made against:";

/// How long removing a draft, or waiting for the last write on the way
/// out, may take before the workbench goes on without it.
const WAIT: Duration = Duration::from_secs(5);

/// Where the draft of the ruleset at `ruleset` lives: `.NAME.draft` beside
/// the file it points at (the same draft whether opened through a link or not).
pub fn beside(ruleset: &Path) -> PathBuf {
    let target = std::fs::canonicalize(ruleset).unwrap_or_else(|_| ruleset.to_path_buf());
    let name = target
        .file_name()
        .map_or("ruleset".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.draft"))
}

/// Where the draft of the bundled example lives (it has no file to sit
/// beside): the per-user state directory. `None` without a home directory.
pub fn for_example() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let dir = env("XDG_STATE_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| env("HOME").map(|h| h.join(".local").join("state")))?;
    Some(dir.join("leadlab").join("bundled-example.toml.draft"))
}

/// A short, stable fingerprint of a file's text (FNV-1a, and the length).
fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}-{}", text.len())
}

/// The draft's text: the mark, a word for whoever opens it, the edited model.
pub(crate) fn text(baseline: &Ruleset, current: &Ruleset) -> anyhow::Result<String> {
    let body = save::render_draft(baseline, current)?;
    let nl = if baseline.source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let name = Path::new(&baseline.path)
        .file_name()
        .map_or(baseline.path.clone(), |n| n.to_string_lossy().into_owned());
    Ok(format!(
        "{MARK} {}{nl}\
         # Unsaved workbench edits of {name} (which they have not changed). `leadlab review`{nl}\
         # offers to restore them when {name} is next opened; saving or discarding removes this file.{nl}\
         {body}",
        fingerprint(&baseline.source)
    ))
}

/// A draft found on opening: what restoring it would change.
#[derive(Debug, Clone)]
pub struct DraftOffer {
    /// The draft file.
    pub path: PathBuf,
    /// What restoring changes against the file as it is now, worded as the
    /// changelog words changes (`demo-request: 25 -> 30`).
    pub changes: Vec<String>,
    /// The ruleset file is not the one the edits were made against.
    pub changed_on_disk: bool,
    pub(crate) rules: Vec<Rule>,
    pub(crate) tiers: Vec<Tier>,
    /// The levers (`m`): groups' caps and floors, gates' caps, bands and
    /// qualified, the score range.
    pub(crate) groups: Vec<Group>,
    pub(crate) gates: Vec<Gate>,
    pub(crate) review: ReviewSettings,
    pub(crate) score_range: (f64, f64),
}

/// The draft at `path` for `baseline` (the file as opened): `None` when there
/// is none, or when it holds nothing that differs from the file (it is then
/// removed); an error message when it cannot be read as a ruleset.
pub(crate) fn find(path: &Path, baseline: &Ruleset) -> Option<Result<DraftOffer, String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(Err(format!("cannot read {}: {e}", path.display()))),
    };
    let taken_against = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix(MARK))
        .map(str::trim);
    let changed_on_disk = taken_against != Some(fingerprint(&baseline.source).as_str());
    let draft = match Ruleset::parse(&path.display().to_string(), text) {
        Ok(d) => d,
        Err(d) => {
            let first = d.0.first().map_or(String::new(), |x| x.message.clone());
            return Some(Err(format!(
                "{} is not a ruleset leadlab can read ({first})",
                path.display()
            )));
        }
    };
    let rules: Vec<Rule> = draft
        .rules
        .into_iter()
        .map(|r| from_draft(r, baseline))
        .collect();
    let mut candidate = baseline.clone();
    candidate.rules = rules;
    candidate.tiers = draft.tiers;
    // Groups placed in the file as rules are (their positions order the
    // change list); gates are the file's, with the draft's caps.
    candidate.groups = draft
        .groups
        .into_iter()
        .map(|mut g| {
            g.span = baseline
                .groups
                .iter()
                .find(|b| b.name == g.name)
                .map_or(0..0, |b| b.span.clone());
            g
        })
        .collect();
    for g in &mut candidate.gates {
        if let Some(d) = draft.gates.iter().find(|d| d.id == g.id) {
            g.cap = d.cap;
        }
    }
    candidate.review = draft.review;
    candidate.model.score_range = draft.model.score_range;
    let changes = crate::ruleset::changes(baseline, &candidate);
    if changes.is_empty() {
        let _ = std::fs::remove_file(path);
        return None;
    }
    Some(Ok(DraftOffer {
        path: path.to_path_buf(),
        changes,
        changed_on_disk,
        rules: candidate.rules,
        tiers: candidate.tiers,
        groups: candidate.groups,
        gates: candidate.gates,
        review: candidate.review,
        score_range: candidate.model.score_range,
    }))
}

/// A rule as read from the draft, placed in the ruleset file: its position
/// and condition's position are the file's when it has the rule (messages
/// point into the file), else none, as for a rule added in the workbench.
fn from_draft(mut r: Rule, baseline: &Ruleset) -> Rule {
    match baseline.rules.iter().find(|b| b.id == r.id) {
        Some(b) => {
            r.span = b.span.clone();
            r.when = if b.when.text == r.when.text {
                b.when.clone()
            } else {
                unplaced(r.when.text)
            };
        }
        None => {
            r.span = 0..0;
            r.when = unplaced(r.when.text);
        }
    }
    r
}

fn unplaced(text: String) -> CondSource {
    CondSource {
        text,
        offset: 0,
        exact: false,
    }
}

/// Put a draft that could not be restored out of the way of new drafts
/// (`.NAME.draft.1`, `.2`, ...), so that it is never overwritten.
pub(crate) fn set_aside(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let to = (1..1000)
        .map(|n| path.with_file_name(format!("{name}.{n}")))
        .find(|p| !p.exists())?;
    std::fs::rename(path, &to).ok().map(|_| to)
}

enum DraftJob {
    Write(Box<(Ruleset, Ruleset)>),
    Remove,
    /// Answer once everything sent before is done.
    Flush(Sender<()>),
}

/// The draft file and the thread that writes it.
pub(crate) struct DraftWriter {
    pub path: PathBuf,
    tx: Option<Sender<DraftJob>>,
    thread: Option<JoinHandle<()>>,
    /// The last write's failure, until the workbench shows it.
    error: Arc<Mutex<Option<String>>>,
}

impl DraftWriter {
    pub fn new(path: PathBuf) -> DraftWriter {
        let (tx, rx) = mpsc::channel();
        let error = Arc::new(Mutex::new(None));
        let (p, e) = (path.clone(), error.clone());
        let thread = std::thread::Builder::new()
            .name("leadlab-draft".into())
            .spawn(move || writer(rx, &p, &e))
            .ok();
        DraftWriter {
            path,
            tx: thread.as_ref().map(|_| tx),
            thread,
            error,
        }
    }

    /// Write the draft of `current` (on the thread; the newest wins).
    pub fn write(&self, baseline: Ruleset, current: Ruleset) {
        let job = DraftJob::Write(Box::new((baseline, current)));
        match &self.tx {
            Some(tx) => {
                let _ = tx.send(job);
            }
            None => perform(job, &self.path, &self.error),
        }
    }

    /// Remove the draft, and wait until it is gone (after any pending write).
    pub fn remove(&self) {
        match &self.tx {
            Some(tx) => {
                let _ = tx.send(DraftJob::Remove);
                self.flush(WAIT);
            }
            None => perform(DraftJob::Remove, &self.path, &self.error),
        }
    }

    /// Wait until every write sent so far is on disk. False on timeout.
    pub fn flush(&self, timeout: Duration) -> bool {
        let Some(tx) = &self.tx else { return true };
        let (ack, done) = mpsc::channel();
        tx.send(DraftJob::Flush(ack)).is_ok() && done.recv_timeout(timeout).is_ok()
    }

    /// Why the last write failed, once.
    pub fn take_error(&self) -> Option<String> {
        self.error.lock().ok()?.take()
    }

    /// Finish the pending write and stop the thread.
    pub fn finish(&mut self) {
        self.flush(WAIT);
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for DraftWriter {
    fn drop(&mut self) {
        self.finish();
    }
}

fn writer(rx: Receiver<DraftJob>, path: &Path, error: &Mutex<Option<String>>) {
    while let Ok(first) = rx.recv() {
        // Everything waiting: only the newest write or removal matters.
        let mut last = None;
        let mut acks = vec![];
        for job in std::iter::once(first).chain(rx.try_iter()) {
            match job {
                DraftJob::Flush(ack) => acks.push(ack),
                other => last = Some(other),
            }
        }
        if let Some(job) = last {
            perform(job, path, error);
        }
        for ack in acks {
            let _ = ack.send(());
        }
    }
}

fn perform(job: DraftJob, path: &Path, error: &Mutex<Option<String>>) {
    let result = match job {
        DraftJob::Write(b) => {
            let (baseline, current) = *b;
            text(&baseline, &current).and_then(|t| {
                if let Some(dir) = path.parent()
                    && !dir.as_os_str().is_empty()
                    && !dir.exists()
                {
                    std::fs::create_dir_all(dir)?;
                }
                save::replace_atomic(path, &t)?;
                Ok(())
            })
        }
        DraftJob::Remove => match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        },
        DraftJob::Flush(_) => Ok(()),
    };
    if let Ok(mut slot) = error.lock() {
        *slot = result.err().map(|e| {
            format!(
                "cannot keep a draft of the unsaved edits in {} ({e:#}): they are lost if the \
                 workbench closes; save them (s) to keep them",
                path.display()
            )
        });
    }
}
