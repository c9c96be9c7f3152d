//! The condition language of SPEC §4: lexer, parser, type check against a
//! [`LeadTable`], and evaluation of a whole column at once into a [`TriSet`]
//! (SQL three-valued logic).
//!
//! A condition is evaluated once per dataset. Scoring then only reads the
//! resulting match sets, so a weight or threshold edit never re-evaluates one.

mod ast;
mod bitset;
mod check;
mod eval;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;

pub use ast::*;
pub use bitset::{Bitset, Tri, TriSet, mask, ones};

use crate::data::LeadTable;

/// An error inside a condition: byte offset (into the condition source) and
/// length of the offending text, and a message that may end with a
/// suggestion ("did you mean `industry`?").
#[derive(Debug, Clone, PartialEq)]
pub struct CondError {
    pub pos: usize,
    pub len: usize,
    pub message: String,
}

/// What a condition is checked and evaluated against.
pub struct Env<'a> {
    pub table: &'a LeadTable,
    /// Reference date as a day number (for `days_since`).
    pub as_of: i32,
    /// Per-lead numbers that are not columns: in a tier's `require`, the
    /// group names and `score`. Empty elsewhere.
    pub virtuals: &'a [String],
}

/// A condition checked against a table, with every part that reads only
/// columns already evaluated into match sets.
#[derive(Debug, Clone)]
pub struct Condition {
    pub source: String,
    pub expr: Expr,
    root: eval::Residual,
    columns: Vec<usize>,
    virtuals: Vec<usize>,
}

/// Parse without a table (syntax only): for `check RULESET` without data and for SQL export.
pub fn parse(src: &str) -> Result<Expr, CondError> {
    parser::parse(src)
}

impl Condition {
    /// Parse, type-check against `env`, and evaluate every column-only part.
    pub fn compile(src: &str, env: &Env) -> Result<Condition, CondError> {
        Condition::compile_parsed(src, parser::parse(src)?, env)
    }

    /// Parse and type-check only, without evaluating: cheap at any table
    /// size, for checking a condition as it is typed.
    pub fn check(src: &str, env: &Env) -> Result<(), CondError> {
        check::check(&parser::parse(src)?, src, env).map(|_| ())
    }

    /// Type-check and evaluate a condition already parsed from `src` (by [`parse`]).
    pub fn compile_parsed(src: &str, expr: Expr, env: &Env) -> Result<Condition, CondError> {
        let checked = check::check(&expr, src, env)?;
        let root = eval::compile(&checked.typed, env.table, env.as_of);
        Ok(Condition {
            source: src.to_string(),
            expr,
            root,
            columns: checked.columns,
            virtuals: checked.virtuals,
        })
    }

    /// The value for every lead, when the condition reads no virtual.
    pub fn set(&self) -> Option<&TriSet> {
        match &self.root {
            eval::Residual::Set(s) => Some(s),
            _ => None,
        }
    }

    /// The value for one lead; `virtuals[i]` is the value of `env.virtuals[i]` for that lead.
    pub fn eval_lead(&self, lead: usize, virtuals: &[f64]) -> Tri {
        self.root.eval(lead, virtuals)
    }

    /// The condition as `virtual op number` when it is one comparison of a
    /// virtual with a number (`fit >= 20`, or `20 <= fit` turned round):
    /// true for a lead exactly when the virtual is known (not NaN) and the
    /// comparison holds. Lets per-lead evaluation be a compare.
    pub fn virtual_compare(&self) -> Option<(usize, CmpOp, f64)> {
        use eval::NumArg::{Lit, Virtual};
        match &self.root {
            eval::Residual::NumCmp { op, l, r } => match (l, r) {
                (Virtual(v), Lit(x)) if !x.is_nan() => Some((*v, *op, *x)),
                (Lit(x), Virtual(v)) if !x.is_nan() => Some((*v, op.flip(), *x)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Columns of the table the condition reads (indices, no duplicates, in order of appearance).
    pub fn columns(&self) -> Vec<usize> {
        self.columns.clone()
    }

    /// Indices into `env.virtuals` of the virtuals the condition reads (no
    /// duplicates, in order of appearance).
    pub fn virtuals(&self) -> &[usize] {
        &self.virtuals
    }
}

impl CondError {
    /// The source line of the error and a caret line under the offending
    /// text, each indented by two spaces (no trailing newline):
    ///
    /// ```text
    ///   industy == "x"
    ///   ^^^^^^^
    /// ```
    pub fn render(&self, src: &str) -> String {
        let pos = floor_char_boundary(src, self.pos.min(src.len()));
        let line_start = src[..pos].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
        let line = src[line_start..line_end].trim_end_matches('\r');
        let end = floor_char_boundary(
            src,
            (self.pos.saturating_add(self.len)).min(line_start + line.len()),
        );
        // Keep tabs in the padding so the caret lines up under a tab.
        let pad: String = src[line_start..pos]
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let width = src[pos..end.max(pos)].chars().count().max(1);
        format!("  {line}\n  {pad}{}", "^".repeat(width))
    }

    /// 1-based line and column (in characters) of the error in `src`.
    pub fn line_col(&self, src: &str) -> (usize, usize) {
        let pos = floor_char_boundary(src, self.pos.min(src.len()));
        let before = &src[..pos];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

impl std::fmt::Display for CondError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CondError {}

/// The largest char boundary of `s` at or before `i`.
fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
