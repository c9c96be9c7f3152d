//! Tokens of the condition language. The lexer also catches the mistakes a
//! reader of SQL or a spreadsheet makes (`=`, `&&`, `AND`, quoted dates) and
//! says what to write instead.

use super::CondError;
use super::ast::{CmpOp, Span};

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Tok,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Number(f64),
    Str(String),
    Date(i32),
    Ident(String),
    /// A backticked field name (without the backticks).
    Quoted(String),
    Kw(Kw),
    Op(CmpOp),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kw {
    And,
    Or,
    Not,
    In,
    Is,
    Missing,
    Present,
    True,
    False,
    Contains,
    StartsWith,
    EndsWith,
    Matches,
    DaysSince,
}

const KEYWORDS: [(&str, Kw); 14] = [
    ("and", Kw::And),
    ("or", Kw::Or),
    ("not", Kw::Not),
    ("in", Kw::In),
    ("is", Kw::Is),
    ("missing", Kw::Missing),
    ("present", Kw::Present),
    ("true", Kw::True),
    ("false", Kw::False),
    ("contains", Kw::Contains),
    ("starts_with", Kw::StartsWith),
    ("ends_with", Kw::EndsWith),
    ("matches", Kw::Matches),
    ("days_since", Kw::DaysSince),
];

impl Kw {
    pub fn as_str(self) -> &'static str {
        KEYWORDS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(s, _)| s)
    }
}

fn err(start: usize, end: usize, message: impl Into<String>) -> CondError {
    CondError {
        pos: start,
        len: end - start,
        message: message.into(),
    }
}

/// The whole source as tokens, ending with [`Tok::Eof`].
pub(crate) fn lex(src: &str) -> Result<Vec<Token>, CondError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = src[i..].chars().next().unwrap_or(' ');
        let start = i;
        let next = bytes.get(i + 1).copied();
        let kind = match c {
            c if c.is_whitespace() => {
                i += c.len_utf8();
                continue;
            }
            '(' => single(&mut i, Tok::LParen),
            ')' => single(&mut i, Tok::RParen),
            '[' => single(&mut i, Tok::LBracket),
            ']' => single(&mut i, Tok::RBracket),
            ',' => single(&mut i, Tok::Comma),
            '"' | '\'' => lex_string(src, &mut i, c)?,
            '`' => lex_backtick(src, &mut i)?,
            '=' | '!' | '<' | '>' | '&' | '|' => lex_operator(src, &mut i)?,
            '0'..='9' => lex_number(src, &mut i)?,
            '.' | '-' if next.is_some_and(|b| b.is_ascii_digit()) => lex_number(src, &mut i)?,
            '-' if next == Some(b'.') && bytes.get(i + 2).is_some_and(u8::is_ascii_digit) => {
                lex_number(src, &mut i)?
            }
            'a'..='z' | 'A'..='Z' | '_' => lex_word(src, &mut i)?,
            '-' | '+' | '*' | '/' => {
                return Err(err(
                    i,
                    i + 1,
                    format!(
                        "unexpected `{c}`: conditions have no arithmetic (numbers are written like -3.5)"
                    ),
                ));
            }
            c if c.is_alphabetic() => {
                let end = word_end(src, i);
                return Err(err(
                    i,
                    end,
                    format!(
                        "unexpected `{}`: write a field name with other letters in backticks, e.g. `{}`",
                        &src[i..end],
                        &src[i..end]
                    ),
                ));
            }
            c => {
                return Err(err(
                    i,
                    i + c.len_utf8(),
                    format!("unexpected character `{c}`"),
                ));
            }
        };
        out.push(Token {
            kind,
            span: Span::new(start, i),
        });
    }
    out.push(Token {
        kind: Tok::Eof,
        span: Span::new(src.len(), src.len()),
    });
    Ok(out)
}

fn single(i: &mut usize, t: Tok) -> Tok {
    *i += 1;
    t
}

/// End of a run of letters, digits and `_` (any script) from `i`.
fn word_end(src: &str, i: usize) -> usize {
    src[i..]
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(src.len(), |(k, _)| i + k)
}

fn lex_string(src: &str, i: &mut usize, quote: char) -> Result<Tok, CondError> {
    let start = *i;
    let mut s = String::new();
    let mut chars = src[start + 1..].char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, e @ ('"' | '\'' | '\\'))) => s.push(e),
                // Any other escape is kept as written, so that a regular
                // expression like "\d+" reads as the user meant.
                Some((_, e)) => {
                    s.push('\\');
                    s.push(e);
                }
                None => break,
            },
            c if c == quote => {
                *i = start + 1 + k + 1;
                return Ok(Tok::Str(s));
            }
            c => s.push(c),
        }
    }
    Err(err(
        start,
        start + 1,
        format!("unterminated string: add a closing `{quote}`"),
    ))
}

fn lex_backtick(src: &str, i: &mut usize) -> Result<Tok, CondError> {
    let start = *i;
    match src[start + 1..].find('`') {
        None => Err(err(
            start,
            start + 1,
            "unterminated field name: add a closing backtick",
        )),
        Some(0) => Err(err(
            start,
            start + 2,
            "empty field name: write a name between the backticks",
        )),
        Some(k) => {
            *i = start + 1 + k + 1;
            Ok(Tok::Quoted(src[start + 1..start + 1 + k].to_string()))
        }
    }
}

fn lex_operator(src: &str, i: &mut usize) -> Result<Tok, CondError> {
    let start = *i;
    let end = src[start..]
        .find(|c| !matches!(c, '=' | '!' | '<' | '>' | '&' | '|'))
        .map_or(src.len(), |k| start + k);
    let text = &src[start..end];
    let op = match text {
        "==" => CmpOp::Eq,
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        ">=" => CmpOp::Ge,
        _ => {
            let hint = match text {
                "=" | "===" => "; did you mean `==`?",
                "<>" | "!==" => "; did you mean `!=`?",
                "=<" => "; did you mean `<=`?",
                "=>" => "; did you mean `>=`?",
                "!" => "; did you mean `!=`? (to negate a test, write `not`)",
                "&" | "&&" => "; write `and`",
                "|" | "||" => "; write `or`",
                _ => "; operators are ==, !=, <, <=, >, >=",
            };
            return Err(err(start, end, format!("unknown operator `{text}`{hint}")));
        }
    };
    *i = end;
    Ok(Tok::Op(op))
}

fn lex_word(src: &str, i: &mut usize) -> Result<Tok, CondError> {
    let start = *i;
    let end = src[start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(src.len(), |k| start + k);
    let text = &src[start..end];
    if let Some((_, kw)) = KEYWORDS.iter().find(|(s, _)| *s == text) {
        *i = end;
        return Ok(Tok::Kw(*kw));
    }
    if let Some((s, _)) = KEYWORDS.iter().find(|(s, _)| s.eq_ignore_ascii_case(text)) {
        return Err(err(
            start,
            end,
            format!("`{text}`: keywords are lowercase, write `{s}`"),
        ));
    }
    // A letter right after the name that is not part of one (`é`) would
    // otherwise read as a separate, baffling error.
    let wend = word_end(src, start);
    if wend > end {
        return Err(err(
            start,
            wend,
            format!(
                "`{}`: a field name with other letters must be written in backticks, e.g. `{}`",
                &src[start..wend],
                &src[start..wend]
            ),
        ));
    }
    *i = end;
    Ok(Tok::Ident(text.to_string()))
}

/// A number (`12`, `-3.5`, `1e3`) or a date (`2026-01-31`).
fn lex_number(src: &str, i: &mut usize) -> Result<Tok, CondError> {
    let start = *i;
    let b = src.as_bytes();
    // The first byte is a digit, `.` or `-`, each a valid start.
    let mut j = start + 1;
    while j < b.len() {
        let c = b[j];
        let prev = b[j - 1];
        let body = &src[start..j];
        let mantissa = body.strip_prefix('-').unwrap_or(body);
        let next_digit = b.get(j + 1).is_some_and(u8::is_ascii_digit);
        // exponent sign: 1e-3
        let exp_sign = matches!(c, b'+' | b'-')
            && matches!(prev, b'e' | b'E')
            && next_digit
            && mantissa[..mantissa.len() - 1]
                .bytes()
                .all(|d| d.is_ascii_digit() || d == b'.');
        // date separator: 2026-01-31
        let date_sep =
            c == b'-' && next_digit && body.bytes().all(|d| d.is_ascii_digit() || d == b'-');
        let ok = c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exp_sign || date_sep;
        if !ok {
            break;
        }
        j += 1;
    }
    let text = &src[start..j];
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if unsigned.contains('-') && !unsigned.contains(['e', 'E']) {
        if !text.starts_with('-') && is_date_shape(text) {
            if let Some(day) = parse_date(text) {
                *i = j;
                return Ok(Tok::Date(day));
            }
            return Err(err(start, j, format!("`{text}` is not a valid date")));
        }
        return Err(err(
            start,
            j,
            format!(
                "`{text}` is not a number or a date: write dates as YYYY-MM-DD, e.g. 2026-01-31"
            ),
        ));
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            *i = j;
            Ok(Tok::Number(v))
        }
        // f64 holds no more: `1e400` reads as infinity, which no value equals or passes.
        Ok(_) => Err(err(
            start,
            j,
            format!(
                "number `{text}` is too large: numbers in conditions must be finite (below about 1.8e308 either way); write a smaller number"
            ),
        )),
        Err(_)
            if text
                .bytes()
                .any(|c| c == b'_' || (c.is_ascii_alphabetic() && c != b'e' && c != b'E')) =>
        {
            Err(err(
                start,
                j,
                format!(
                    "`{text}` is not a number; a field name that starts with a digit must be written in backticks"
                ),
            ))
        }
        Err(_) => Err(err(
            start,
            j,
            format!("`{text}` is not a number (numbers are written like 12, -3.5 or 1e3)"),
        )),
    }
}

fn is_date_shape(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(k, c)| k == 4 || k == 7 || c.is_ascii_digit())
}

/// Day number of a `YYYY-MM-DD` text, if it is a calendar date.
pub(crate) fn parse_date(text: &str) -> Option<i32> {
    if !is_date_shape(text) {
        return None;
    }
    let y = text[0..4].parse().ok()?;
    let m = text[5..7].parse().ok()?;
    let d = text[8..10].parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(crate::data::day_number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        lex(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    fn lex_err(src: &str) -> CondError {
        lex(src).unwrap_err()
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("12 -3.5 1e3 1.5e-3 -2E+2 .5 -.5"),
            vec![
                Tok::Number(12.0),
                Tok::Number(-3.5),
                Tok::Number(1000.0),
                Tok::Number(0.0015),
                Tok::Number(-200.0),
                Tok::Number(0.5),
                Tok::Number(-0.5),
                Tok::Eof
            ]
        );
        assert_eq!(kinds("x>=-3")[2], Tok::Number(-3.0));
        assert!(
            lex_err("1.2.3")
                .message
                .contains("numbers are written like")
        );
        assert!(lex_err("2fa_enabled").message.contains("backticks"));
        assert_eq!(kinds("`2fa`"), vec![Tok::Quoted("2fa".into()), Tok::Eof]);
        assert!(lex_err("1e999").message.contains("too large"));
        assert_eq!(lex_err("x == 1_000").pos, 5);
    }

    #[test]
    fn dates() {
        let day = parse_date("2026-01-31").unwrap();
        assert_eq!(kinds("2026-01-31"), vec![Tok::Date(day), Tok::Eof]);
        assert_eq!(parse_date("1970-01-01"), Some(0));
        let e = lex_err("d > 2026-02-30");
        assert_eq!((e.pos, e.len), (4, 10));
        assert_eq!(e.message, "`2026-02-30` is not a valid date");
        assert!(lex_err("2026-1-31").message.contains("YYYY-MM-DD"));
        assert!(lex_err("5-3").message.contains("YYYY-MM-DD"));
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            kinds(r#""a\"b" 'c\'d' "e\\f" "\d+" 'x"y'"#),
            vec![
                Tok::Str("a\"b".into()),
                Tok::Str("c'd".into()),
                Tok::Str("e\\f".into()),
                Tok::Str("\\d+".into()),
                Tok::Str("x\"y".into()),
                Tok::Eof
            ]
        );
        let e = lex_err("x == \"abc");
        assert_eq!((e.pos, e.len), (5, 1));
        assert!(e.message.starts_with("unterminated string"));
        assert!(
            lex_err("x == 'abc\\'")
                .message
                .starts_with("unterminated string")
        );
        assert!(
            lex_err("x == \"é\\")
                .message
                .starts_with("unterminated string")
        );
    }

    #[test]
    fn fields_and_keywords() {
        assert_eq!(
            kinds("a_1 `Job Title` and not"),
            vec![
                Tok::Ident("a_1".into()),
                Tok::Quoted("Job Title".into()),
                Tok::Kw(Kw::And),
                Tok::Kw(Kw::Not),
                Tok::Eof
            ]
        );
        let e = lex_err("a AND b");
        assert_eq!(e.message, "`AND`: keywords are lowercase, write `and`");
        assert_eq!((e.pos, e.len), (2, 3));
        assert!(
            lex_err("`abc")
                .message
                .starts_with("unterminated field name")
        );
        assert!(lex_err("``").message.starts_with("empty field name"));
        assert!(lex_err("café == 1").message.contains("backticks"));
        assert!(lex_err("été == 1").message.contains("backticks"));
    }

    #[test]
    fn operators() {
        assert_eq!(
            kinds("== != < <= > >="),
            vec![
                Tok::Op(CmpOp::Eq),
                Tok::Op(CmpOp::Ne),
                Tok::Op(CmpOp::Lt),
                Tok::Op(CmpOp::Le),
                Tok::Op(CmpOp::Gt),
                Tok::Op(CmpOp::Ge),
                Tok::Eof
            ]
        );
        let e = lex_err("x = 1");
        assert_eq!(e.message, "unknown operator `=`; did you mean `==`?");
        assert_eq!((e.pos, e.len), (2, 1));
        assert!(lex_err("a && b").message.contains("write `and`"));
        assert!(lex_err("a || b").message.contains("write `or`"));
        assert!(lex_err("a <> b").message.contains("`!=`"));
        assert!(lex_err("a => b").message.contains("`>=`"));
        assert!(lex_err("!a").message.contains("`not`"));
        assert!(
            lex_err("a ; b")
                .message
                .contains("unexpected character `;`")
        );
        assert!(lex_err("a - b").message.contains("arithmetic"));
    }
}
