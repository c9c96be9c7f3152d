//! Reading one value of the document: each reader checks the value's kind
//! (and a number's range, a condition's position in the file), reports what
//! is wrong with its line and column, and returns what could be read.

use super::Walker;
use crate::ruleset::{CondSource, Diagnostic, NUMBER_RULE, did_you_mean, number_problem};
use std::ops::Range;
use toml_edit::{Item, TableLike, Value};

/// A string value and where it is.
pub(super) struct Str {
    pub(super) text: String,
    pub(super) span: Option<Range<usize>>,
}

impl Walker<'_> {
    pub(super) fn loc(&self, span: Option<Range<usize>>) -> String {
        match span {
            Some(s) => {
                let (l, c) = self.lines.line_col(self.src, s.start);
                format!("{}:{l}:{c}", self.path)
            }
            None => self.path.to_string(),
        }
    }

    pub(super) fn err(
        &mut self,
        span: Option<Range<usize>>,
        subject: Option<&str>,
        msg: impl Into<String>,
    ) {
        let mut d = Diagnostic::error(self.loc(span), msg);
        if let Some(s) = subject {
            d = d.subject(s);
        }
        self.diags.push(d);
    }

    pub(super) fn check_keys(
        &mut self,
        t: &dyn TableLike,
        allowed: &[&str],
        what: &str,
        subject: Option<&str>,
    ) {
        for (k, _) in t.iter() {
            if !allowed.contains(&k) {
                let span = t.key(k).and_then(|k| k.span());
                let hint = match did_you_mean(k, allowed.iter().copied()) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => format!("; allowed here: {}", allowed.join(", ")),
                };
                self.err(span, subject, format!("unknown key `{k}` in {what}{hint}"));
            }
        }
    }

    pub(super) fn table<'d>(
        &mut self,
        item: Option<&'d Item>,
        name: &str,
    ) -> Option<&'d dyn TableLike> {
        let item = item?;
        match item.as_table_like() {
            Some(t) => Some(t),
            None => {
                self.err(item.span(), None, format!("`{name}` must be a table"));
                None
            }
        }
    }

    pub(super) fn tables<'d>(
        &mut self,
        item: Option<&'d Item>,
        name: &str,
    ) -> Vec<(&'d dyn TableLike, Range<usize>)> {
        let Some(item) = item else { return vec![] };
        if let Some(a) = item.as_array_of_tables() {
            return a
                .iter()
                .map(|t| (t as &dyn TableLike, t.span().unwrap_or(0..0)))
                .collect();
        }
        if let Some(a) = item.as_array() {
            let mut out = vec![];
            for v in a.iter() {
                match v.as_inline_table() {
                    Some(t) => out.push((t as &dyn TableLike, v.span().unwrap_or(0..0))),
                    None => self.err(
                        v.span(),
                        None,
                        format!("each entry of `{name}` must be a table"),
                    ),
                }
            }
            return out;
        }
        self.err(
            item.span(),
            None,
            format!("`{name}` must be a list of `[[{name}]]` tables"),
        );
        vec![]
    }

    pub(super) fn string(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        subject: Option<&str>,
    ) -> Option<Str> {
        let item = t.get(key)?;
        match item.as_str() {
            Some(s) => Some(Str {
                text: s.to_string(),
                span: item.span(),
            }),
            None => {
                self.err(item.span(), subject, format!("`{key}` must be a string"));
                None
            }
        }
    }

    pub(super) fn number(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        subject: Option<&str>,
    ) -> Option<f64> {
        let item = t.get(key)?;
        match item.as_value() {
            Some(v) => self.finite(v, &format!("`{key}`"), subject),
            None => {
                self.err(item.span(), subject, format!("`{key}` must be a number"));
                None
            }
        }
    }

    /// A number that every sum leadlab makes can hold: finite and at most
    /// [`MAX_MAGNITUDE`](crate::ruleset::MAX_MAGNITUDE) either way. Anything
    /// else is an error naming the value as written (`nan`, `inf`, `1e308`)
    /// and the range allowed.
    pub(super) fn finite(&mut self, v: &Value, what: &str, subject: Option<&str>) -> Option<f64> {
        let x = match v {
            Value::Integer(i) => *i.value() as f64,
            Value::Float(f) => *f.value(),
            _ => {
                self.err(v.span(), subject, format!("{what} must be a number"));
                return None;
            }
        };
        let Some(problem) = number_problem(x) else {
            return Some(x);
        };
        let written = v
            .span()
            .and_then(|s| self.src.get(s))
            .map_or_else(|| x.to_string(), |t| t.trim().to_string());
        self.err(
            v.span(),
            subject,
            format!("{what} = {written} {problem}: {NUMBER_RULE}"),
        );
        None
    }

    /// A list of numbers, each checked by [`Walker::finite`]: `Err` when
    /// the value is not a list of numbers (not reported: the caller says
    /// what the list should be), `Ok(None)` when an entry was reported.
    pub(super) fn numbers(&mut self, v: &Item, what: &str) -> Result<Option<Vec<f64>>, ()> {
        let Some(a) = v.as_array() else {
            return Err(());
        };
        if !a
            .iter()
            .all(|x| matches!(x, Value::Integer(_) | Value::Float(_)))
        {
            return Err(());
        }
        let xs: Vec<Option<f64>> = a.iter().map(|x| self.finite(x, what, None)).collect();
        Ok(xs.into_iter().collect())
    }

    pub(super) fn boolean(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        subject: Option<&str>,
    ) -> Option<bool> {
        let item = t.get(key)?;
        match item.as_bool() {
            Some(b) => Some(b),
            None => {
                self.err(
                    item.span(),
                    subject,
                    format!("`{key}` must be true or false"),
                );
                None
            }
        }
    }

    pub(super) fn cond(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        subject: Option<&str>,
    ) -> Option<CondSource> {
        let item = t.get(key)?;
        let s = self.string(t, key, subject)?;
        let span = s.span.unwrap_or(0..0);
        if s.text.trim().is_empty() {
            self.err(
                Some(span.clone()),
                subject,
                format!("`{key}` is empty; write a condition such as 'demo_requested'"),
            );
        }
        let raw = self.src.get(span.clone()).unwrap_or("");
        // Literal strings ('...', '''...''') have no escapes: positions map 1:1.
        // Basic strings map 1:1 too when they contain no backslash.
        let (quote_len, exact) = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
            (3, !raw.starts_with('"') || !raw.contains('\\'))
        } else {
            (1, !raw.starts_with('"') || !raw.contains('\\'))
        };
        let mut offset = span.start + quote_len;
        // A multi-line string drops a newline right after its opening quotes.
        if quote_len == 3 {
            if raw[3..].starts_with("\r\n") {
                offset += 2;
            } else if raw[3..].starts_with('\n') {
                offset += 1;
            }
        }
        let _ = item;
        Some(CondSource {
            text: s.text,
            offset: if exact { offset } else { span.start },
            exact,
        })
    }

    pub(super) fn require_id(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        span: &Range<usize>,
        what: &str,
    ) -> String {
        match self.string(t, key, None) {
            Some(s) => s.text,
            None => {
                if t.get(key).is_none() {
                    self.err(
                        Some(span.clone()),
                        None,
                        format!("{what} has no `{key}`; add `{key} = \"...\"`"),
                    );
                }
                String::new()
            }
        }
    }

    pub(super) fn date_value(&mut self, v: &Item, what: &str) -> Option<chrono::NaiveDate> {
        let text = match v.as_value() {
            Some(Value::String(s)) => s.value().clone(),
            Some(Value::Datetime(d)) => d.value().to_string(),
            _ => String::new(),
        };
        match chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.err(
                    v.span(),
                    None,
                    format!("{what} must be a date written YYYY-MM-DD"),
                );
                None
            }
        }
    }
}
