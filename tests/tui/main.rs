//! Workbench tests: state driven by actions (as the key table would send
//! them), and rendering on ratatui's TestBackend. One file per part of the
//! workbench; `common` holds the model, the leads and the helpers.
//!
//! Most tests use a small model and generated leads written here, so their
//! figures are stable; the few on the bundled example read its figures at
//! test time.

mod common;

mod authoring;
mod drafts;
mod editing;
mod key_table;
mod ledger;
mod levers;
mod no_terminal;
mod prompts;
mod rendering;
mod rescoring;
mod saving;
mod sizes;
