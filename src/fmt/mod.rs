//! The bottom floor: how numbers are written for a person, and how text
//! from the user's files is made safe for each place it is shown. Every
//! other layer formats through here, so that a figure reads the same in
//! the report, the workbench and a diagnostic, and `data`, `engine`,
//! `metrics` and `ruleset` need nothing from `report`.
//!
//! - [`num`]: `fmt_num` (at most 2 decimals), `exact_num` (every digit, as
//!   a user writes points), percentages, optional figures.
//! - [`text`]: text fitted to a width on screen, cut with `…`.
//! - [`escape`]: text for a terminal or a markdown document; CSV, SQL
//!   literals and HTML get their own function there when they need one.

pub mod escape;
pub mod num;
pub mod text;

pub use num::{exact_num, fmt_num, opt_fixed, pct};
