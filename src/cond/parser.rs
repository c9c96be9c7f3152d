//! Recursive descent over the grammar of SPEC §4. Every syntax error says
//! what was expected, what was found, and where.
//!
//! The functions on the recursion cycle (or → and → not → test → value →
//! parenthesized or) are kept small, with the token handling and the error
//! messages in helpers off the cycle: frames stay small enough that the
//! deepest nesting accepted fits a thread's default stack in a debug build.

use super::CondError;
use super::ast::{CmpOp, Expr, ExprKind, Field, Span, StrOp, Value, ValueKind};
use super::lexer::{Kw, Tok, Token, lex};

/// Deepest nesting of parentheses and `not` accepted. Parsing, checking and
/// evaluating recurse once per level; at this depth the whole pipeline needs
/// well under 1 MiB of stack even in a debug build (a test holds it to that),
/// and no real condition comes near it.
pub(crate) const MAX_DEPTH: usize = 64;

pub(crate) fn parse(src: &str) -> Result<Expr, CondError> {
    let toks = lex(src)?;
    if toks.len() == 1 {
        return Err(CondError {
            pos: 0,
            len: src.len(),
            message: "the condition is empty: write a test such as `industry == \"software\"`"
                .into(),
        });
    }
    let mut p = Parser {
        src,
        toks,
        i: 0,
        depth: 0,
    };
    let e = p.parse_or()?;
    let t = p.peek();
    match &t.kind {
        Tok::Eof => Ok(e),
        Tok::RParen => Err(p.err_at(t.span, "unmatched `)`: there is no `(` before it")),
        _ => Err(p.after_test_error(t, "the end of the condition")),
    }
}

struct Parser<'s> {
    src: &'s str,
    toks: Vec<Token>,
    i: usize,
    depth: usize,
}

type PResult<T> = Result<T, CondError>;

/// What a value was expected as, for the error message.
#[derive(Clone, Copy)]
enum Expected {
    Value,
    AfterOp(CmpOp),
}

impl<'s> Parser<'s> {
    fn peek(&self) -> &Token {
        // The lexer always ends with Eof, and `bump` never moves past it.
        &self.toks[self.i.min(self.toks.len() - 1)]
    }

    /// Move past the current token; its span.
    fn bump(&mut self) -> Span {
        let span = self.peek().span;
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        span
    }

    fn at_kw(&self, kw: Kw) -> bool {
        self.peek().kind == Tok::Kw(kw)
    }

    fn err_at(&self, span: Span, message: impl Into<String>) -> CondError {
        CondError {
            pos: span.start,
            len: span.len(),
            message: message.into(),
        }
    }

    /// How a token reads in "found ..." (the end, or its text in backticks).
    fn describe(&self, t: &Token) -> String {
        if t.kind == Tok::Eof {
            return "the end of the condition".into();
        }
        let text = t.span.text(self.src);
        if text.chars().count() > 30 {
            let short: String = text.chars().take(27).collect();
            format!("`{short}...`")
        } else {
            format!("`{text}`")
        }
    }

    /// A token where a test was complete: only `and`, `or` or `closer` fit.
    #[inline(never)]
    fn after_test_error(&self, t: &Token, closer: &str) -> CondError {
        let found = self.describe(t);
        let hint = match t.kind {
            Tok::Op(_) => " (comparisons cannot be chained: join them with `and`)",
            Tok::Kw(Kw::Not) => " (to negate a test, put `not` before it)",
            _ => "",
        };
        self.err_at(
            t.span,
            format!("expected `and`, `or` or {closer}, found {found}{hint}"),
        )
    }

    #[inline(never)]
    fn enter(&mut self, span: Span) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err_at(
                span,
                format!(
                    "the condition is nested too deeply (more than {MAX_DEPTH} levels of parentheses or `not`)"
                ),
            ));
        }
        Ok(())
    }

    fn parse_or(&mut self) -> PResult<Expr> {
        let first = self.parse_and()?;
        if !self.at_kw(Kw::Or) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.at_kw(Kw::Or) {
            self.bump();
            items.push(self.parse_and()?);
        }
        Ok(join(items, ExprKind::Or))
    }

    fn parse_and(&mut self) -> PResult<Expr> {
        let first = self.parse_not()?;
        if !self.at_kw(Kw::And) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.at_kw(Kw::And) {
            self.bump();
            items.push(self.parse_not()?);
        }
        Ok(join(items, ExprKind::And))
    }

    fn parse_not(&mut self) -> PResult<Expr> {
        if !self.at_kw(Kw::Not) {
            return self.parse_test();
        }
        let not = self.bump();
        self.enter(not)?;
        let inner = self.parse_not()?;
        self.depth -= 1;
        let span = not.to(inner.span);
        Ok(Expr {
            kind: ExprKind::Not(Box::new(inner)),
            span,
        })
    }

    fn parse_test(&mut self) -> PResult<Expr> {
        let value = self.parse_value(Expected::Value)?;
        if let Tok::Op(op) = self.peek().kind {
            let op_span = self.bump();
            let right = self.parse_value(Expected::AfterOp(op))?;
            return Ok(compare(op, op_span, value, right));
        }
        self.parse_test_rest(value)
    }

    /// What may follow a value other than a comparison (none of it nests).
    #[inline(never)]
    fn parse_test_rest(&mut self, value: Value) -> PResult<Expr> {
        let t = self.peek().clone();
        match t.kind {
            Tok::Kw(Kw::Not) => {
                self.bump();
                let n = self.peek();
                if n.kind != Tok::Kw(Kw::In) {
                    return Err(self.err_at(
                        n.span,
                        format!(
                            "expected `in` after `not`, found {} (to negate a test, put `not` before it)",
                            self.describe(n)
                        ),
                    ));
                }
                self.bump();
                self.parse_in(value, true)
            }
            Tok::Kw(Kw::In) => {
                self.bump();
                self.parse_in(value, false)
            }
            Tok::Kw(kw @ (Kw::Contains | Kw::StartsWith | Kw::EndsWith | Kw::Matches)) => {
                self.bump();
                let op = match kw {
                    Kw::Contains => StrOp::Contains,
                    Kw::StartsWith => StrOp::StartsWith,
                    Kw::EndsWith => StrOp::EndsWith,
                    _ => StrOp::Matches,
                };
                let s = self.peek().clone();
                let Tok::Str(pattern) = s.kind else {
                    return Err(self.err_at(
                        s.span,
                        format!(
                            "`{op}` needs a string in quotes, e.g. `title {op} \"vp\"`; found {}",
                            self.describe(&s)
                        ),
                    ));
                };
                self.bump();
                let span = value.span.to(s.span);
                Ok(Expr {
                    kind: ExprKind::StrTest {
                        op,
                        value,
                        pattern,
                        pattern_span: s.span,
                    },
                    span,
                })
            }
            Tok::Kw(Kw::Is) => {
                self.bump();
                let n = self.peek().clone();
                self.bump();
                let span = value.span.to(n.span);
                match n.kind {
                    Tok::Kw(Kw::Missing) => Ok(Expr {
                        kind: ExprKind::IsMissing(value),
                        span,
                    }),
                    Tok::Kw(Kw::Present) => Ok(Expr {
                        kind: ExprKind::IsPresent(value),
                        span,
                    }),
                    Tok::Kw(Kw::Not) => Err(self.err_at(
                        t.span.to(n.span),
                        "`is not`: write `is present` (or `is missing`)",
                    )),
                    _ => Err(self.err_at(
                        n.span,
                        format!(
                            "expected `missing` or `present` after `is`, found {}",
                            self.describe(&n)
                        ),
                    )),
                }
            }
            Tok::Number(_)
            | Tok::Str(_)
            | Tok::Date(_)
            | Tok::Ident(_)
            | Tok::Quoted(_)
            | Tok::Kw(Kw::True | Kw::False | Kw::DaysSince)
            | Tok::LParen => Err(self.err_at(
                t.span,
                format!(
                    "expected an operator such as `==` between `{}` and {}",
                    value.span.text(self.src),
                    self.describe(&t)
                ),
            )),
            _ => {
                let span = value.span;
                Ok(Expr {
                    kind: ExprKind::Test(value),
                    span,
                })
            }
        }
    }

    /// The list after `in` / `not in`.
    fn parse_in(&mut self, value: Value, negated: bool) -> PResult<Expr> {
        let open = self.peek().clone();
        if open.kind != Tok::LBracket {
            return Err(self.err_at(
                open.span,
                format!(
                    "expected `[` after `in`, found {}: lists are written in square brackets, e.g. `in [\"a\", \"b\"]`",
                    self.describe(&open)
                ),
            ));
        }
        self.bump();
        let mut list = Vec::new();
        loop {
            let t = self.peek().clone();
            if t.kind == Tok::RBracket {
                self.bump();
                break;
            }
            if t.kind == Tok::Eof {
                return Err(self.err_at(open.span, "unclosed `[`: expected `]`"));
            }
            let kind = match &t.kind {
                Tok::Number(v) => ValueKind::Number(*v),
                Tok::Str(s) => ValueKind::Str(s.clone()),
                Tok::Date(d) => ValueKind::Date {
                    day: *d,
                    text: t.span.text(self.src).to_string(),
                },
                Tok::Kw(Kw::True) => ValueKind::Bool(true),
                Tok::Kw(Kw::False) => ValueKind::Bool(false),
                Tok::Ident(_) | Tok::Quoted(_) => {
                    return Err(self.err_at(
                        t.span,
                        format!(
                            "a list holds only literals (numbers, strings in quotes, dates, true, false), found the field {}",
                            self.describe(&t)
                        ),
                    ));
                }
                _ => {
                    return Err(self.err_at(
                        t.span,
                        format!(
                            "expected a literal (number, string, date, true or false) or `]`, found {}",
                            self.describe(&t)
                        ),
                    ));
                }
            };
            self.bump();
            list.push(Value { kind, span: t.span });
            let sep = self.peek().clone();
            match sep.kind {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RBracket => {}
                Tok::Eof => return Err(self.err_at(open.span, "unclosed `[`: expected `]`")),
                _ => {
                    return Err(self.err_at(
                        sep.span,
                        format!(
                            "expected `,` or `]` in the list, found {}",
                            self.describe(&sep)
                        ),
                    ));
                }
            }
        }
        let close = self.toks[self.i - 1].span;
        let list_span = open.span.to(close);
        let span = value.span.to(list_span);
        Ok(Expr {
            kind: ExprKind::In {
                value,
                list,
                negated,
                list_span,
            },
            span,
        })
    }

    fn parse_value(&mut self, expected: Expected) -> PResult<Value> {
        if self.peek().kind != Tok::LParen {
            return self.parse_atom(expected);
        }
        let open = self.bump();
        self.enter(open)?;
        let inner = self.parse_or()?;
        self.depth -= 1;
        self.close_paren(open, inner)
    }

    #[inline(never)]
    fn close_paren(&mut self, open: Span, inner: Expr) -> PResult<Value> {
        let close = self.peek();
        match close.kind {
            Tok::RParen => {
                let close = self.bump();
                Ok(Value {
                    kind: ValueKind::Paren(Box::new(inner)),
                    span: open.to(close),
                })
            }
            Tok::Eof => Err(self.err_at(open, "unclosed `(`: expected `)`")),
            _ => Err(self.after_test_error(close, "`)`")),
        }
    }

    /// A value other than a parenthesized condition.
    #[inline(never)]
    fn parse_atom(&mut self, expected: Expected) -> PResult<Value> {
        let t = self.peek().clone();
        let kind = match t.kind {
            Tok::Number(v) => ValueKind::Number(v),
            Tok::Str(s) => ValueKind::Str(s),
            Tok::Date(day) => ValueKind::Date {
                day,
                text: t.span.text(self.src).to_string(),
            },
            Tok::Kw(Kw::True) => ValueKind::Bool(true),
            Tok::Kw(Kw::False) => ValueKind::Bool(false),
            Tok::Ident(name) => ValueKind::Field(Field {
                name,
                backticked: false,
                span: t.span,
            }),
            Tok::Quoted(name) => ValueKind::Field(Field {
                name,
                backticked: true,
                span: t.span,
            }),
            Tok::Kw(Kw::DaysSince) => return self.parse_days_since(),
            _ => {
                let expected = match expected {
                    Expected::Value => "a value".to_string(),
                    Expected::AfterOp(op) => format!("a value after `{op}`"),
                };
                let hint = match t.kind {
                    Tok::Kw(kw) if !matches!(kw, Kw::And | Kw::Or) => {
                        format!(
                            " (for a field named {}, write it in backticks)",
                            kw.as_str()
                        )
                    }
                    _ => String::new(),
                };
                return Err(self.err_at(
                    t.span,
                    format!("expected {expected}, found {}{hint}", self.describe(&t)),
                ));
            }
        };
        self.bump();
        Ok(Value { kind, span: t.span })
    }

    fn parse_days_since(&mut self) -> PResult<Value> {
        let kw = self.bump();
        let open = self.peek().clone();
        if open.kind != Tok::LParen {
            return Err(self.err_at(
                open.span,
                format!(
                    "expected `(` after `days_since`, found {}: write `days_since(date_field)`",
                    self.describe(&open)
                ),
            ));
        }
        self.bump();
        let t = self.peek().clone();
        let field = match &t.kind {
            Tok::Ident(name) => Field {
                name: name.clone(),
                backticked: false,
                span: t.span,
            },
            Tok::Quoted(name) => Field {
                name: name.clone(),
                backticked: true,
                span: t.span,
            },
            _ => {
                let extra = match &t.kind {
                    Tok::Kw(k) if !matches!(k, Kw::And | Kw::Or) => {
                        format!(" (for a field named {}, write it in backticks)", k.as_str())
                    }
                    _ => String::new(),
                };
                return Err(self.err_at(
                    t.span,
                    format!(
                        "`days_since` takes a date field, e.g. `days_since(last_visit)`; found {}{extra}",
                        self.describe(&t)
                    ),
                ));
            }
        };
        self.bump();
        let close = self.peek().clone();
        if close.kind != Tok::RParen {
            return Err(self.err_at(
                close.span,
                format!(
                    "expected `)` after `days_since({}`, found {}",
                    field.span.text(self.src),
                    self.describe(&close)
                ),
            ));
        }
        self.bump();
        Ok(Value {
            kind: ValueKind::DaysSince(field),
            span: kw.to(close.span),
        })
    }
}

/// `a or b or ...` / `a and b and ...` from two or more operands.
fn join(items: Vec<Expr>, kind: fn(Vec<Expr>) -> ExprKind) -> Expr {
    let span = match (items.first(), items.last()) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => Span::default(),
    };
    Expr {
        kind: kind(items),
        span,
    }
}

fn compare(op: CmpOp, op_span: Span, left: Value, right: Value) -> Expr {
    let span = left.span.to(right.span);
    Expr {
        kind: ExprKind::Compare {
            op,
            op_span,
            left,
            right,
        },
        span,
    }
}
