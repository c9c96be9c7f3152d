//! Recursive descent over the grammar of SPEC §4. Every syntax error says
//! what was expected, what was found, and where.

use super::CondError;
use super::ast::{Expr, ExprKind, Field, Span, StrOp, Value, ValueKind};
use super::lexer::{Kw, Tok, Token, lex};

/// Deepest nesting of parentheses and `not` accepted (keeps recursion bounded).
pub(crate) const MAX_DEPTH: usize = 200;

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

impl<'s> Parser<'s> {
    fn peek(&self) -> Token {
        // The lexer always ends with Eof, and `bump` never moves past it.
        self.toks[self.i.min(self.toks.len() - 1)].clone()
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
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
    fn after_test_error(&self, t: Token, closer: &str) -> CondError {
        let found = self.describe(&t);
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
        let span = items[0].span.to(items[items.len() - 1].span);
        Ok(Expr {
            kind: ExprKind::Or(items),
            span,
        })
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
        let span = items[0].span.to(items[items.len() - 1].span);
        Ok(Expr {
            kind: ExprKind::And(items),
            span,
        })
    }

    fn parse_not(&mut self) -> PResult<Expr> {
        if self.at_kw(Kw::Not) {
            let not = self.bump();
            self.enter(not.span)?;
            let inner = self.parse_not()?;
            self.depth -= 1;
            let span = not.span.to(inner.span);
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.parse_test()
    }

    fn parse_test(&mut self) -> PResult<Expr> {
        let value = self.parse_value("a value")?;
        let t = self.peek();
        match t.kind {
            Tok::Op(op) => {
                self.bump();
                let right = self.parse_value(&format!("a value after `{op}`"))?;
                let span = value.span.to(right.span);
                Ok(Expr {
                    kind: ExprKind::Compare {
                        op,
                        op_span: t.span,
                        left: value,
                        right,
                    },
                    span,
                })
            }
            Tok::Kw(Kw::Not) => {
                self.bump();
                let n = self.peek();
                if n.kind != Tok::Kw(Kw::In) {
                    return Err(self.err_at(
                        n.span,
                        format!(
                            "expected `in` after `not`, found {} (to negate a test, put `not` before it)",
                            self.describe(&n)
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
                let s = self.peek();
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
                let n = self.bump();
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
        let open = self.peek();
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
            let t = self.peek();
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
            let sep = self.peek();
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

    /// `expected` names what was wanted, for the error ("a value after `==`").
    fn parse_value(&mut self, expected: &str) -> PResult<Value> {
        let t = self.peek();
        let kind = match &t.kind {
            Tok::Number(v) => ValueKind::Number(*v),
            Tok::Str(s) => ValueKind::Str(s.clone()),
            Tok::Date(d) => ValueKind::Date {
                day: *d,
                text: t.span.text(self.src).to_string(),
            },
            Tok::Kw(Kw::True) => ValueKind::Bool(true),
            Tok::Kw(Kw::False) => ValueKind::Bool(false),
            Tok::Ident(name) => ValueKind::Field(Field {
                name: name.clone(),
                backticked: false,
                span: t.span,
            }),
            Tok::Quoted(name) => ValueKind::Field(Field {
                name: name.clone(),
                backticked: true,
                span: t.span,
            }),
            Tok::Kw(Kw::DaysSince) => return self.parse_days_since(),
            Tok::LParen => {
                self.bump();
                self.enter(t.span)?;
                let inner = self.parse_or()?;
                self.depth -= 1;
                let close = self.peek();
                match close.kind {
                    Tok::RParen => {
                        self.bump();
                    }
                    Tok::Eof => {
                        return Err(self.err_at(t.span, "unclosed `(`: expected `)`"));
                    }
                    _ => return Err(self.after_test_error(close, "`)`")),
                }
                return Ok(Value {
                    kind: ValueKind::Paren(Box::new(inner)),
                    span: t.span.to(close.span),
                });
            }
            Tok::Kw(kw) => {
                let word = kw.as_str();
                let hint = if matches!(kw, Kw::And | Kw::Or) {
                    String::new()
                } else {
                    format!(" (for a field named {word}, write it in backticks)")
                };
                return Err(
                    self.err_at(t.span, format!("expected {expected}, found `{word}`{hint}"))
                );
            }
            _ => {
                return Err(self.err_at(
                    t.span,
                    format!("expected {expected}, found {}", self.describe(&t)),
                ));
            }
        };
        self.bump();
        Ok(Value { kind, span: t.span })
    }

    fn parse_days_since(&mut self) -> PResult<Value> {
        let kw = self.bump();
        let open = self.peek();
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
        let t = self.peek();
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
        let close = self.peek();
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
            span: kw.span.to(close.span),
        })
    }
}
