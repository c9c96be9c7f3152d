//! The workbench (SPEC §8): an interactive terminal screen to calibrate a
//! ruleset against leads with known outcomes.
//!
//! It follows the Elm pattern: one [`App`] (the model), an [`Action`] enum,
//! [`update`] (the only place where state changes, returning [`Effect`]s
//! instead of performing them) and [`view`] (draws from `&App`). The
//! [`Runtime`] performs the effects: rescoring on a worker thread
//! ([`compute`]; the newest edit wins), drafts, saves. Keys become actions
//! through one table ([`keys::KEYS`]), which the help screen is generated from.
//!
//! - `app.rs`      the model: baseline, working copy, history, figures, focus
//! - `action.rs`   what can happen
//! - `keys.rs`     the key table and the dispatcher
//! - `update.rs`   how each action changes the model, and the effects it asks for
//! - `effect.rs`   the effects, and the runtime that performs them
//! - `edit.rs`     edits of the working ruleset (weights, toggles, authoring)
//! - `saving.rs`   the save flow (note, changed-on-disk, read-only, save-as)
//! - `levers.rs`   the model's levers: gate caps, group caps and floors, qualified, bands, score range
//! - `draft.rs`    the draft of unsaved edits, and its offer on opening
//! - `text_box.rs` the one-line text box of a prompt
//! - `compute.rs`  rescoring and the worker
//! - `terminal.rs` raw mode, alternate screen, restore, the event loop
//! - `view/`       one file per pane

pub mod action;
pub mod app;
pub mod compute;
pub mod draft;
mod edit;
pub mod effect;
pub mod keys;
pub mod levers;
pub mod saving;
mod terminal;
pub mod text_box;
mod update;
pub mod view;

pub use action::Action;
pub use app::{App, Overlay, Pane};
pub use effect::{Effect, Runtime};
pub use saving::headline;
pub use terminal::{require_terminal, run};
pub use update::update;
pub use view::view;

use crate::cli::Global;
use crate::session::Session;
use std::path::Path;

/// `leadlab review RULESET DATA` (`files`), or bare `leadlab` on the bundled
/// example (`None`): open the files and run the workbench until the user quits.
pub fn open(g: &Global, files: Option<(&Path, &Path)>) -> anyhow::Result<()> {
    // Before loading anything: without a terminal there is nothing to draw on.
    let hint = match files {
        Some((r, d)) => format!("leadlab report {} {}", r.display(), d.display()),
        None => "leadlab report RULESET DATA".to_string(),
    };
    require_terminal(&hint)?;
    let app = match files {
        Some((ruleset, data)) => {
            let s = Session::open(ruleset, data, g.as_of, g.skip_bad_rows)?;
            App::new(s, Some(ruleset.to_path_buf()))
        }
        None => {
            let mut app = App::new(Session::example(g.as_of)?, None);
            if let Some(p) = draft::for_example() {
                app.keep_drafts(p);
            }
            app
        }
    };
    run(app)
}
