//! Saving from the workbench (SPEC §8): a note, then a format-preserving
//! write with the version raised and a changelog entry appended (the file
//! work is [`crate::ruleset::save`]'s). A file changed on disk since it was
//! opened is never overwritten: the user is offered save-as instead.
//!
//! The text is rendered here; writing it is an effect
//! ([`Effect::WriteRuleset`]), and its outcome comes back as
//! [`Action::Written`](super::Action::Written) to [`App::written`].

use super::app::{App, Prompt, PromptKind};
use super::compute::Figures;
use super::effect::Effect;
use super::text_box::TextBox;
use crate::ruleset::Ruleset;
use crate::ruleset::save::{self, ChangelogEntry, ChangelogFigures, SaveError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A save ready to write: the file's new text, where it goes, and what the
/// workbench adopts once it is written.
#[derive(Debug, Clone)]
pub struct SaveRequest {
    pub path: PathBuf,
    pub text: String,
    /// The text the file must still hold; `None` for a new file (save-as),
    /// which must not exist.
    pub expected: Option<String>,
    pub note: String,
    pub entry: ChangelogEntry,
    /// The figures of what is written (the new baseline's).
    pub after: Figures,
}

/// A save's write, done: the request and how it went.
#[derive(Debug, Clone)]
pub struct Written {
    pub request: SaveRequest,
    pub result: Result<(), Arc<SaveError>>,
}

impl App {
    /// `s`: ask for the changelog note.
    pub(crate) fn begin_save(&mut self) -> Vec<Effect> {
        if !self.dirty() {
            self.info("no changes to save");
            if self.quit_after_save {
                return vec![Effect::Quit];
            }
            return vec![];
        }
        self.open_prompt(PromptKind::Note, "");
        vec![]
    }

    /// The note was typed: write to the file, or ask where for the bundled example.
    pub(crate) fn save_with_note(&mut self, note: String) -> Vec<Effect> {
        match self.path.clone() {
            Some(path) => {
                let expected = self.on_disk.clone();
                self.request_save(note, path, expected)
            }
            None => {
                let default = self.save_as_default();
                self.open_prompt(PromptKind::SavePath { note }, &default);
                vec![]
            }
        }
    }

    /// Save-as: write to a new file (never over an existing one).
    pub(crate) fn save_as(&mut self, note: String, path: &str) -> Vec<Effect> {
        let path = path.trim();
        if path.is_empty() {
            self.open_prompt(PromptKind::SavePath { note }, "");
            self.prompt_error("type a file name".to_string());
            return vec![];
        }
        self.request_save(note, PathBuf::from(path), None)
    }

    /// A save that did not happen: a new file's is asked for again with the
    /// reason; the opened file's, when it may not be overwritten, offers
    /// save-as instead.
    fn save_failed(&mut self, note: String, path: &Path, save_as: bool, e: &SaveError) {
        if save_as {
            let shown = path.display().to_string();
            self.open_prompt(PromptKind::SavePath { note }, &shown);
            self.prompt_error(e.to_string());
            return;
        }
        let msg = match e {
            SaveError::ReadOnly { read_only, .. } if read_only != path => format!(
                "{} is in a read-only directory: not written. Save as:",
                path.display()
            ),
            SaveError::ReadOnly { .. } => {
                format!("{} is read-only: not overwritten. Save as:", path.display())
            }
            SaveError::ChangedOnDisk { .. } | SaveError::Exists { .. } => format!(
                "{} changed on disk since it was opened: not overwritten. Save as:",
                path.display()
            ),
            SaveError::Io(_) => {
                self.quit_after_save = false;
                self.error(e.to_string());
                return;
            }
        };
        let default = self.save_as_default();
        self.open_prompt(PromptKind::SavePath { note }, &default);
        self.prompt_error(msg);
    }

    /// A file name for save-as that does not exist yet: the ruleset's own
    /// name in the current directory for the bundled example, else the
    /// file's name with the next version number (in the current directory
    /// when the file's own directory is read-only).
    fn save_as_default(&self) -> String {
        let name = Path::new(&self.baseline.path)
            .file_name()
            .map_or("ruleset.toml".to_string(), |n| {
                n.to_string_lossy().into_owned()
            });
        let candidate = match &self.path {
            None => PathBuf::from(&name),
            Some(p) => {
                let stem = p
                    .file_stem()
                    .map_or("ruleset".into(), |s| s.to_string_lossy().into_owned());
                let name = format!("{stem}-v{}.toml", self.baseline.model.version + 1);
                let dir_read_only = p
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .and_then(|d| std::fs::metadata(d).ok())
                    .is_some_and(|m| read_only(&m));
                if dir_read_only {
                    PathBuf::from(name)
                } else {
                    p.with_file_name(name)
                }
            }
        };
        if !candidate.exists() {
            return candidate.display().to_string();
        }
        let stem = candidate
            .file_stem()
            .map_or("ruleset".into(), |s| s.to_string_lossy().into_owned());
        (2..1000)
            .map(|n| candidate.with_file_name(format!("{stem}-{n}.toml")))
            .find(|p| !p.exists())
            .unwrap_or(candidate)
            .display()
            .to_string()
    }

    /// Render the file's new text (the version raised, a changelog entry
    /// with the figures before and after) and ask for it to be written to
    /// `path`, which must still hold `expected` (`None`: must not exist).
    fn request_save(
        &mut self,
        note: String,
        path: PathBuf,
        expected: Option<String>,
    ) -> Vec<Effect> {
        let after = self.current_figures();
        let entry = ChangelogEntry {
            version: self.baseline.model.version + 1,
            date: self.today,
            note: note.clone(),
            changes: self.changes.clone(),
            before: headline(&self.baseline_figures),
            after: headline(&after),
        };
        match save::render(&self.baseline, &self.ruleset, &entry) {
            Ok(text) => vec![Effect::WriteRuleset(Box::new(SaveRequest {
                path,
                text,
                expected,
                note,
                entry,
                after,
            }))],
            Err(e) => {
                let save_as = expected.is_none();
                self.save_failed(note, &path, save_as, &SaveError::Io(e));
                vec![]
            }
        }
    }

    /// A save's write is done: on success the file is the new baseline
    /// (and a save from the quit dialog quits); else say why, as above.
    pub(crate) fn written(&mut self, w: Written) -> Vec<Effect> {
        let Written { request, result } = w;
        let SaveRequest {
            path,
            text,
            expected,
            note,
            entry,
            after,
        } = request;
        if let Err(e) = result {
            self.save_failed(note, &path, expected.is_none(), &e);
            return vec![];
        }
        // The bundled example has no file of its own until this save: say
        // how to come back to it, and where its data comes from.
        let was_example = self.path.is_none();
        let mut effects: Vec<Effect> = self.adopt_saved(&path, text, after).into_iter().collect();
        let n = entry.changes.len();
        let mut msg = format!(
            "saved {} · version {} · {n} change{}",
            path.display(),
            entry.version,
            if n == 1 { "" } else { "s" }
        );
        if was_example {
            let data = std::path::Path::new(crate::session::EXAMPLE_DATA_NAME)
                .file_name()
                .map_or_else(|| "leads.csv".into(), |n| n.to_string_lossy().into_owned());
            msg.push_str(&format!(
                " · reopen it with `leadlab review {} {data}` (the sample data: `leadlab sample --seed 1 -o {data}`)",
                path.display()
            ));
        }
        self.info(msg);
        if self.quit_after_save {
            effects.push(Effect::Quit);
        }
        effects
    }

    /// The saved file is the new baseline: read it back (rules may sit in
    /// another order in the file, new ones at the end), keep the compiled
    /// rules aligned, and compare against it from now on. Returns the
    /// draft's removal (nothing is unsaved).
    fn adopt_saved(&mut self, path: &Path, text: String, mut figures: Figures) -> Option<Effect> {
        let name = path.display().to_string();
        // `render` already loaded this text to verify it; failing here would be a bug there.
        let Ok(saved) = Ruleset::parse(&name, text.clone()) else {
            self.path = Some(path.to_path_buf());
            self.on_disk = Some(text);
            return None;
        };
        // The compiled rules in the file's order (each rule compiled once already).
        let by_id: Option<Vec<_>> = saved
            .rules
            .iter()
            .map(|r| {
                let k = self.ruleset.rules.iter().position(|w| w.id == r.id)?;
                Some(Arc::clone(&self.compiled.rules[k]))
            })
            .collect();
        let mut compiled = self.compiled.clone();
        let aligned = by_id.is_some_and(|rules| {
            compiled.rules = rules;
            compiled.refresh_groups(&saved, &self.table).is_ok()
        });
        if !aligned {
            match crate::engine::compile(&saved, &self.table, self.compiled.as_of) {
                Ok(c) => compiled = c,
                Err(_) => {
                    // Cannot happen: `render` verified the text holds this model.
                    self.path = Some(path.to_path_buf());
                    self.on_disk = Some(text);
                    return None;
                }
            }
        }
        let selected_id = self
            .ruleset
            .rules
            .get(self.selected(super::app::Pane::Rules))
            .map(|r| r.id.clone());
        self.baseline = saved.clone();
        self.baseline_compiled = compiled.clone();
        self.ruleset = saved.clone();
        self.compiled = compiled.clone();
        // The figures of what was written, under a new generation so that a
        // rescore still running for the old order is not applied over them.
        self.generation += 1;
        figures.generation = self.generation;
        figures.ruleset = saved;
        figures.compiled = compiled;
        self.baseline_figures = figures.clone();
        self.figures = figures;
        self.changes.clear();
        // Nothing is unsaved: no draft. After a save-as, drafts go beside the new file.
        let draft = self.keep_draft();
        if self.path.as_deref() != Some(path) {
            self.draft_path = Some(super::draft::beside(path));
        }
        self.path = Some(path.to_path_buf());
        self.on_disk = Some(text);
        if let Some(id) = selected_id
            && let Some(k) = self.ruleset.rules.iter().position(|r| r.id == id)
        {
            self.selected[super::app::Pane::Rules.index()] = k;
        }
        self.clamp_selection();
        draft
    }

    pub(crate) fn open_prompt(&mut self, kind: PromptKind, text: &str) {
        let mut p = Prompt {
            kind,
            text_box: TextBox::selected(text),
            error: None,
            check: None,
            adding: false,
        };
        self.recheck(&mut p);
        self.overlay = super::app::Overlay::Prompt(Box::new(p));
    }

    fn prompt_error(&mut self, msg: String) {
        if let super::app::Overlay::Prompt(p) = &mut self.overlay {
            p.error = Some(msg);
        }
    }
}

#[cfg(unix)]
fn read_only(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o200 == 0
}

#[cfg(not(unix))]
fn read_only(m: &std::fs::Metadata) -> bool {
    m.permissions().readonly()
}

/// AUC, precision and recall, as the changelog records them.
pub fn headline(f: &Figures) -> ChangelogFigures {
    ChangelogFigures {
        auc: f.review.auc,
        precision: f.review.qualified.precision,
        recall: f.review.qualified.recall,
    }
}
