//! The workbench's state (the Model): the baseline ruleset as loaded, the
//! working copy being edited, undo/redo history, the figures on screen, and
//! what the user is looking at.
//!
//! "Baseline" is the ruleset as it is on disk: as opened, and after a save
//! the version just saved. Deltas, "was" points, resets, the unsaved-changes
//! flag and the changelog's before/after figures all compare against it.

use super::compute::{self, Figures, Job};
use super::draft::{self, DraftOffer};
use super::effect::{DraftWrite, Effect};
use super::text_box::TextBox;
use crate::cond::CondError;
use crate::data::LeadTable;
use crate::engine::{Compiled, Ledger};
use crate::ruleset::{Gate, Group, ReviewSettings, Rule, Ruleset, Tier};
use crate::session::Session;
use std::path::PathBuf;
use std::sync::Arc;

/// The panes that take the focus, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Rules,
    Tiers,
    FalsePositives,
    FalseNegatives,
}

impl Pane {
    pub const ALL: [Pane; 4] = [
        Pane::Rules,
        Pane::Tiers,
        Pane::FalsePositives,
        Pane::FalseNegatives,
    ];

    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|&p| p == self).unwrap_or(0)
    }
}

/// What sits on top of the main screen, taking the keys.
#[derive(Debug, Clone)]
pub enum Overlay {
    None,
    Help {
        scroll: usize,
    },
    Ledger(Box<LedgerView>),
    Prompt(Box<Prompt>),
    QuitDialog,
    /// A draft of unsaved edits was found on opening: restore it or discard it.
    DraftOffer(Box<DraftOffer>),
}

/// An open ledger: which lead, from which list, and how far scrolled.
#[derive(Debug, Clone)]
pub struct LedgerView {
    pub list: Pane,
    pub lead: usize,
    pub ledger: Ledger,
    /// The lead's outcome: converted, not converted, unknown.
    pub outcome: Option<bool>,
    pub scroll: usize,
}

/// A one-line question: what it is for, the text typed so far, and what is
/// wrong with it.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text_box: TextBox,
    pub error: Option<String>,
    /// For a condition: the result of checking the text as typed.
    pub check: Option<CondCheck>,
    /// The condition of a rule just added by `a`: Esc takes the rule away
    /// again (a rule without a condition is not a change anyone made).
    pub adding: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PromptKind {
    /// Points of rule k.
    Points(usize),
    /// Minimum score of tier k.
    TierMin(usize),
    /// `when` of rule k.
    Condition(usize),
    Group(usize),
    Reason(usize),
    RuleId(usize),
    /// A model lever (a gate's cap, a group's cap or floor, ...).
    Lever(super::levers::Lever),
    /// The changelog note of a save.
    Note,
    /// Where to save (bundled example, or the file changed on disk).
    SavePath {
        note: String,
    },
}

/// A condition as typed, checked against the data.
#[derive(Debug, Clone)]
pub enum CondCheck {
    /// Compiles; holds for this many leads (counted only on tables small
    /// enough to evaluate between two keystrokes).
    Valid {
        fires: Option<usize>,
    },
    Invalid(CondError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

/// The editable part of the ruleset, with its compiled form: what undo and
/// redo restore.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub rules: Vec<Rule>,
    pub tiers: Vec<Tier>,
    pub groups: Vec<Group>,
    pub gates: Vec<Gate>,
    pub review: ReviewSettings,
    pub score_range: (f64, f64),
    pub compiled: Compiled,
}

pub struct App {
    pub table: Arc<LeadTable>,
    pub data_name: String,
    pub as_of: chrono::NaiveDate,
    /// The ruleset file; `None` for the bundled example (saving asks for a path).
    pub path: Option<PathBuf>,
    /// The file's text as opened or last saved: a save refuses to overwrite
    /// a file that no longer holds it.
    pub on_disk: Option<String>,
    pub data_warnings: Vec<String>,

    pub baseline: Ruleset,
    pub baseline_compiled: Compiled,
    /// Figures of the baseline, computed once (and again after a save).
    pub baseline_figures: Figures,

    /// The working copy: every edit changes this.
    pub ruleset: Ruleset,
    pub compiled: Compiled,
    pub(crate) undo: Vec<(Snapshot, super::edit::Done)>,
    pub(crate) redo: Vec<(Snapshot, super::edit::Done)>,
    /// What differs from the baseline, as the changelog would list it.
    pub changes: Vec<String>,

    /// The newest figures applied to the screen.
    pub figures: Figures,
    /// The generation of the newest edit; figures are current when theirs equals it.
    pub generation: u64,

    pub pane: Pane,
    /// Selected row per pane (indexed by [`Pane::index`]).
    pub selected: [usize; 4],
    pub show_reasons: bool,
    /// The rules pane lists the model's levers instead of the rules (`m`).
    pub show_levers: bool,
    /// Selected row of the levers list.
    pub lever_selected: usize,
    pub overlay: Overlay,
    pub status: Option<(String, StatusKind)>,
    /// A save started from the quit dialog: quit once it succeeds.
    pub quit_after_save: bool,
    /// The date written into changelog entries.
    pub today: chrono::NaiveDate,
    /// Rows moved by PageUp/PageDown.
    pub page: usize,
    /// Turns of the progress indicator.
    pub ticks: usize,
    /// Where unsaved edits are kept between edits and a save (see [`draft`]);
    /// `None`: they are not kept.
    pub(crate) draft_path: Option<PathBuf>,
}

impl App {
    /// A workbench on an opened session; `path` is where saves go (`None`
    /// for the bundled example). Rescores run on the loop's
    /// [`Runtime`](super::effect::Runtime).
    pub fn new(session: Session, path: Option<PathBuf>) -> App {
        let data_warnings = session.data_warnings();
        let Session {
            ruleset,
            data_name,
            table,
            compiled,
            as_of,
            ..
        } = session;
        // The baseline is scored once, here, before the first frame.
        let baseline_figures = compute::compute(Job {
            generation: 0,
            table: table.clone(),
            compiled: compiled.clone(),
            ruleset: ruleset.clone(),
        });
        let on_disk = path.as_ref().map(|_| ruleset.source.clone());
        let mut app = App {
            table,
            data_name,
            as_of,
            path,
            on_disk,
            data_warnings,
            baseline: ruleset.clone(),
            baseline_compiled: compiled.clone(),
            figures: baseline_figures.clone(),
            baseline_figures,
            ruleset,
            compiled,
            undo: vec![],
            redo: vec![],
            changes: vec![],
            generation: 0,
            pane: Pane::Rules,
            selected: [0; 4],
            show_reasons: false,
            show_levers: false,
            lever_selected: 0,
            overlay: Overlay::None,
            status: None,
            quit_after_save: false,
            today: chrono::Local::now().date_naive(),
            page: 10,
            ticks: 0,
            draft_path: None,
        };
        // The status line opens on the key hints; it says the scoring time itself.
        if let Some(p) = app.path.clone() {
            let removed = crate::ruleset::save::remove_leftovers(&p);
            if !removed.is_empty() {
                let n = removed.len();
                app.info(format!(
                    "removed {n} temporary file{} left by an interrupted save of {}",
                    if n == 1 { "" } else { "s" },
                    app.ruleset_name()
                ));
            }
            app.keep_drafts(draft::beside(&p));
        }
        app
    }

    /// Keep drafts of unsaved edits at `path` (a file's draft sits beside
    /// it; [`App::new`] does that), and offer the one already there.
    pub fn keep_drafts(&mut self, path: PathBuf) {
        match draft::find(&path, &self.baseline) {
            None => {}
            Some(Ok(offer)) => self.overlay = Overlay::DraftOffer(Box::new(offer)),
            Some(Err(msg)) => {
                // Never written over: set aside, and said where.
                let kept = draft::set_aside(&path).unwrap_or_else(|| path.clone());
                self.error(format!(
                    "a draft of unsaved edits could not be restored: {msg}; it is kept as {}",
                    kept.display()
                ));
            }
        }
        self.draft_path = Some(path);
    }

    /// The draft file of this workbench (`None`: unsaved edits are not kept).
    pub fn draft_path(&self) -> Option<&std::path::Path> {
        self.draft_path.as_deref()
    }

    /// Keep the draft in step with the working copy: written when anything
    /// is unsaved, removed when nothing is.
    pub(crate) fn keep_draft(&self) -> Option<Effect> {
        let path = self.draft_path.clone()?;
        Some(if self.changes.is_empty() {
            Effect::RemoveDraft(path)
        } else {
            Effect::WriteDraft(Box::new(DraftWrite {
                path,
                baseline: self.baseline.clone(),
                current: self.ruleset.clone(),
            }))
        })
    }

    /// `y` on the draft offer: its rules and tiers become the working copy,
    /// as one edit (u undoes it), unsaved against the file on disk.
    pub(crate) fn restore_draft(&mut self) -> Vec<Effect> {
        let offer = match std::mem::replace(&mut self.overlay, Overlay::None) {
            Overlay::DraftOffer(o) => o,
            other => {
                self.overlay = other;
                return vec![];
            }
        };
        let mut candidate = self.ruleset.clone();
        candidate.rules = offer.rules;
        candidate.tiers = offer.tiers;
        candidate.groups = offer.groups;
        candidate.gates = offer.gates;
        candidate.review = offer.review;
        candidate.model.score_range = offer.score_range;
        match crate::engine::compile(&candidate, &self.table, self.compiled.as_of) {
            Ok(compiled) => {
                let n = offer.changes.len();
                self.edit(|app| {
                    app.ruleset.rules = candidate.rules;
                    app.ruleset.tiers = candidate.tiers;
                    app.ruleset.groups = candidate.groups;
                    app.ruleset.gates = candidate.gates;
                    app.ruleset.review = candidate.review;
                    app.ruleset.model.score_range = candidate.model.score_range;
                    app.compiled = compiled;
                    let s = if n == 1 { "" } else { "s" };
                    Ok(Some(
                        super::edit::Done::new(
                            format!("restored {n} unsaved change{s} from the draft (u undoes)"),
                            format!("back to the file as saved (the draft's {n} change{s} undone)"),
                        )
                        .redone(format!(
                            "restored {n} unsaved change{s} from the draft again"
                        )),
                    ))
                })
            }
            Err(d) => {
                let first = d.0.first().map_or(String::new(), |x| x.message.clone());
                // Said once it is set aside: [`Action::DraftSetAside`](super::Action::DraftSetAside).
                vec![Effect::SetAsideDraft {
                    path: offer.path,
                    why: format!("the draft does not fit the file as it is now ({first})"),
                }]
            }
        }
    }

    /// `n` on the draft offer: delete the draft (said once it is gone:
    /// [`Action::DraftDiscarded`](super::Action::DraftDiscarded)).
    pub(crate) fn discard_draft(&mut self) -> Vec<Effect> {
        match std::mem::replace(&mut self.overlay, Overlay::None) {
            Overlay::DraftOffer(o) => vec![Effect::DiscardDraft(o.path)],
            _ => vec![],
        }
    }

    /// Whether the figures on screen are older than the newest edit.
    pub fn busy(&self) -> bool {
        self.figures.generation != self.generation
    }

    /// Whether the working copy differs from the file on disk.
    pub fn dirty(&self) -> bool {
        !self.changes.is_empty()
    }

    pub fn selected(&self, pane: Pane) -> usize {
        self.selected[pane.index()]
    }

    pub fn info(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), StatusKind::Info));
    }

    pub fn error(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), StatusKind::Error));
    }

    /// How many rows a pane has.
    pub fn rows(&self, pane: Pane) -> usize {
        match pane {
            Pane::Rules => self.ruleset.rules.len(),
            Pane::Tiers => self.ruleset.tiers.len(),
            Pane::FalsePositives => self.figures.review.false_positives.len(),
            Pane::FalseNegatives => self.figures.review.false_negatives.len(),
        }
    }

    /// Keep every selection inside its pane.
    pub(crate) fn clamp_selection(&mut self) {
        for p in Pane::ALL {
            let n = self.rows(p);
            let s = &mut self.selected[p.index()];
            *s = (*s).min(n.saturating_sub(1));
        }
        let n = self.levers().len();
        self.lever_selected = self.lever_selected.min(n.saturating_sub(1));
    }

    /// The lead list shown in a lead pane.
    pub fn leads(&self, pane: Pane) -> &[usize] {
        match pane {
            Pane::FalsePositives => &self.figures.review.false_positives,
            Pane::FalseNegatives => &self.figures.review.false_negatives,
            _ => &[],
        }
    }

    /// The baseline rule with the same id as working rule `k`, if any.
    pub fn baseline_rule(&self, k: usize) -> Option<(usize, &Rule)> {
        let id = &self.ruleset.rules.get(k)?.id;
        self.baseline
            .rules
            .iter()
            .enumerate()
            .find(|(_, r)| &r.id == id)
    }

    /// The baseline tier with the same name as working tier `k`.
    pub fn baseline_tier(&self, k: usize) -> Option<&Tier> {
        let name = &self.ruleset.tiers.get(k)?.name;
        self.baseline.tiers.iter().find(|t| &t.name == name)
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            rules: self.ruleset.rules.clone(),
            tiers: self.ruleset.tiers.clone(),
            groups: self.ruleset.groups.clone(),
            gates: self.ruleset.gates.clone(),
            review: self.ruleset.review.clone(),
            score_range: self.ruleset.model.score_range,
            compiled: self.compiled.clone(),
        }
    }

    pub(crate) fn restore(&mut self, d: Snapshot) {
        self.ruleset.rules = d.rules;
        self.ruleset.tiers = d.tiers;
        self.ruleset.groups = d.groups;
        self.ruleset.gates = d.gates;
        self.ruleset.review = d.review;
        self.ruleset.model.score_range = d.score_range;
        self.compiled = d.compiled;
    }

    /// After any change of the working copy: list the changes, keep the
    /// draft in step and rescore (on the worker; the newest edit wins).
    pub(crate) fn changed(&mut self) -> Vec<Effect> {
        self.changes = crate::ruleset::changes(&self.baseline, &self.ruleset);
        let draft = self.keep_draft();
        self.clamp_selection();
        self.generation += 1;
        let rescore = Effect::Rescore(Box::new(Job {
            generation: self.generation,
            table: self.table.clone(),
            compiled: self.compiled.clone(),
            ruleset: self.ruleset.clone(),
        }));
        draft.into_iter().chain([rescore]).collect()
    }

    /// The figures of the working copy now: the worker's if current, else
    /// computed here (saving must record the figures of what it writes).
    pub(crate) fn current_figures(&self) -> Figures {
        if !self.busy() {
            return self.figures.clone();
        }
        compute::compute(Job {
            generation: self.generation,
            table: self.table.clone(),
            compiled: self.compiled.clone(),
            ruleset: self.ruleset.clone(),
        })
    }

    /// The name the title bar shows for the ruleset.
    pub fn ruleset_name(&self) -> String {
        match &self.path {
            Some(p) => p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None => "bundled example".to_string(),
        }
    }
}
