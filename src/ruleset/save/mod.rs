//! The format-preserving save (SPEC §8, "Saving").
//!
//! The workbench edits a clone of the loaded [`Ruleset`](super::Ruleset);
//! saving writes those edits back into the text the file was loaded from,
//! so that the user's comments, blank lines, key order and formatting
//! survive byte for byte wherever nothing changed. `[model].version` goes up
//! and a `[[changelog]]` entry records what changed and how the figures
//! moved. The new text is loaded again before it is written, and the write
//! is atomic and refuses to overwrite a file that changed on disk since it
//! was opened.
//!
//! - `render.rs`: the edits applied to the file's TOML document, in place
//! - `verify.rs`: the rendered text loaded again and checked against the edits
//! - `changelog.rs`: the `[[changelog]]` entry and its figures
//! - `value.rs`: how a number or a string is written (keeping the file's quoting)
//! - `toml_doc.rs`: tables standard or inline, positions, comments around tables
//! - `write.rs`: the atomic write and why it may refuse ([`SaveError`])
//! - `temp.rs`: temporary files beside the ruleset, and cleaning up after a crash
//!
//! What changed between two rulesets is [`crate::ruleset::changes()`].

mod changelog;
mod render;
mod temp;
mod toml_doc;
mod value;
mod verify;
mod write;

pub use changelog::{ChangelogEntry, ChangelogFigures};
pub use render::{render, render_draft};
pub use temp::{LEFTOVER_AGE, remove_leftovers};
pub use write::{SaveError, replace_atomic, write_atomic};
