//! Diagnostics: errors and warnings that point at a place in a file.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One error or warning, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// `file:line:col` or `file` when no position is known.
    pub location: String,
    /// The rule, gate, tier, ... it concerns (`rule \`demo-request\``), if any.
    pub subject: Option<String>,
    pub message: String,
    /// Extra lines shown below (the condition with a caret under the error).
    pub detail: Option<String>,
}

impl Diagnostic {
    pub fn error(location: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: location.into(),
            subject: None,
            message: message.into(),
            detail: None,
        }
    }

    pub fn warning(location: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    pub fn subject(mut self, s: impl Into<String>) -> Self {
        self.subject = Some(s.into());
        self
    }

    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {}: ", self.location)?;
        if let Some(s) = &self.subject {
            write!(f, "{s}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(d) = &self.detail {
            for line in d.lines() {
                write!(f, "\n    {line}")?;
            }
        }
        Ok(())
    }
}

/// A list of diagnostics that is an error when any of them is.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The nearest of `candidates` to `name`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let s = strsim::jaro_winkler(name, c);
        if s > best.map_or(0.0, |b| b.0) {
            best = Some((s, c));
        }
    }
    best.filter(|b| b.0 >= 0.8).map(|b| b.1)
}

/// ` (did you mean `x`?)` or nothing.
pub fn suggestion<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match did_you_mean(name, candidates) {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
///
/// Scans the text up to `offset`: fine for one message, quadratic for one
/// message per rule. Use a [`LineIndex`] when there may be many.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(src, offset.min(src.len()));
    count_scanned(offset);
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Where each line of a text starts, found in one pass, so that the line of
/// any offset is a binary search and its column a count within one line.
/// `check` on a ruleset of 20k rules may give a message per rule: without
/// this, each message scanned the file from its start.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    starts: std::sync::Arc<[usize]>,
    /// Length of the text the index was built for.
    len: usize,
}

impl LineIndex {
    pub fn new(src: &str) -> LineIndex {
        count_scanned(src.len());
        let starts: Vec<usize> = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            starts: starts.into(),
            len: src.len(),
        }
    }

    /// Whether the index was built for a text of this length (a text
    /// changed since would give wrong positions).
    pub fn fits(&self, src: &str) -> bool {
        self.len == src.len() && !self.starts.is_empty()
    }

    /// 1-based line and column (in characters) of a byte offset of `src`,
    /// the text the index was built for; the same as [`line_col`].
    pub fn line_col(&self, src: &str, offset: usize) -> (usize, usize) {
        if !self.fits(src) {
            return line_col(src, offset);
        }
        let offset = floor_char_boundary(src, offset.min(src.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        count_scanned(offset - start);
        (line, src[start..offset].chars().count() + 1)
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes of ruleset text read to find positions, on this thread: lets a
    /// test see that positions cost one pass over the file, not one per message.
    pub(crate) static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[inline]
fn count_scanned(_bytes: usize) {
    #[cfg(test)]
    SCANNED.with(|s| s.set(s.get() + _bytes));
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index gives the positions of a plain scan, on every byte of a
    /// text with CRLF, multi-byte characters, empty lines and no final newline.
    #[test]
    fn line_index_agrees_with_a_scan() {
        for src in [
            "",
            "\n",
            "a",
            "ab\r\ncd\n\néé\nx",
            "[[rules]]\nid = \"é\"\n\n",
        ] {
            let idx = LineIndex::new(src);
            for off in 0..=src.len() + 2 {
                assert_eq!(
                    idx.line_col(src, off),
                    line_col(src, off),
                    "{src:?} at {off}"
                );
            }
        }
    }

    #[test]
    fn a_stale_index_falls_back_to_a_scan() {
        let idx = LineIndex::new("a\nb");
        assert_eq!(idx.line_col("a\nbc\nd", 5), (3, 1));
    }
}
