//! How a value is written into the file: numbers as a user writes them,
//! strings in the quoting the file already used for that key when the new
//! text fits it.

use anyhow::{anyhow, bail};
use toml_edit::Value;

/// Points, caps and thresholds: `30` when whole, else the shortest float
/// that reads back as the same number.
pub(super) fn toml_number(x: f64) -> anyhow::Result<Value> {
    if !x.is_finite() {
        bail!("{x} cannot be saved: use a finite number");
    }
    let raw = if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:?}")
    };
    raw.parse()
        .map_err(|e| anyhow!("cannot write the number {x}: {e}"))
}

#[derive(Clone, Copy, PartialEq)]
enum Quote {
    Basic,
    Literal,
    MultiBasic,
    MultiLiteral,
}

/// How a string value is written in the file, and whether a multi-line
/// string starts with a newline after its opening quotes.
fn quote_of(v: &Value) -> Option<(Quote, bool)> {
    let Value::String(f) = v else { return None };
    let raw = f.as_repr()?.as_raw().as_str()?;
    let (q, rest) = if let Some(r) = raw.strip_prefix("'''") {
        (Quote::MultiLiteral, r)
    } else if let Some(r) = raw.strip_prefix("\"\"\"") {
        (Quote::MultiBasic, r)
    } else if raw.starts_with('\'') {
        (Quote::Literal, "")
    } else if raw.starts_with('"') {
        (Quote::Basic, "")
    } else {
        return None;
    };
    Some((q, rest.starts_with('\n') || rest.starts_with("\r\n")))
}

/// Control characters no unescaped TOML string may hold (tab is allowed).
fn has_control(s: &str, allow_newlines: bool) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\t' => false,
        b'\n' => !allow_newlines,
        b'\r' => !(allow_newlines && b.get(i + 1) == Some(&b'\n')),
        c => c < 0x20 || c == 0x7f,
    })
}

/// `text` written in the given style, when it can be without escapes.
fn quoted(text: &str, q: Quote, newline_after_open: bool) -> Option<String> {
    let nl = if newline_after_open { "\n" } else { "" };
    match q {
        Quote::Literal => {
            (!text.contains('\'') && !has_control(text, false)).then(|| format!("'{text}'"))
        }
        Quote::Basic => (!text.contains(['"', '\\']) && !has_control(text, false))
            .then(|| format!("\"{text}\"")),
        Quote::MultiLiteral => (!text.contains("'''")
            && !text.ends_with('\'')
            && (newline_after_open || !text.starts_with(['\n', '\r']))
            && !has_control(text, true))
        .then(|| format!("'''{nl}{text}'''")),
        Quote::MultiBasic => (!text.contains(['"', '\\'])
            && (newline_after_open || !text.starts_with(['\n', '\r']))
            && !has_control(text, true))
        .then(|| format!("\"\"\"{nl}{text}\"\"\"")),
    }
}

/// A basic string with every character that needs it escaped.
fn escaped_basic(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push('\t'),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                s.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

fn parse_string(raw: &str, text: &str) -> Option<Value> {
    raw.parse::<Value>()
        .ok()
        .filter(|v| v.as_str() == Some(text))
}

/// A condition string: the old value's quoting when the new text fits it,
/// else a literal string, else (for text with `'`) an escaped basic string.
/// Conditions quote text with `"`, so literal strings keep them readable.
pub(super) fn cond_value(text: &str, old: Option<&Value>) -> Value {
    let kept = old
        .and_then(quote_of)
        .and_then(|(q, nl)| quoted(text, q, nl))
        .and_then(|raw| parse_string(&raw, text));
    kept.or_else(|| quoted(text, Quote::Literal, false).and_then(|raw| parse_string(&raw, text)))
        .or_else(|| parse_string(&escaped_basic(text), text))
        .unwrap_or_else(|| Value::from(text))
}

/// Any other string: the old value's quoting when the new text fits it,
/// else toml_edit's usual choice.
pub(super) fn str_value(text: &str, old: Option<&Value>) -> Value {
    old.and_then(quote_of)
        .and_then(|(q, nl)| quoted(text, q, nl))
        .and_then(|raw| parse_string(&raw, text))
        .unwrap_or_else(|| Value::from(text))
}

/// A figure rounded to 4 decimals, always written as a float.
pub(super) fn toml_figure(x: f64) -> Option<Value> {
    if !x.is_finite() {
        return None;
    }
    let r = (x * 10_000.0).round() / 10_000.0;
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r:?}").parse().ok()
}
