//! Type check: resolve every field against the table (or the virtuals),
//! check that compared values have one type, compile regular expressions,
//! and normalize text literals. The result is a [`Typed`] tree that the
//! evaluator can run without further checks.

use regex::{Regex, RegexBuilder};

use super::ast::{CmpOp, Expr, ExprKind, Field, Span, StrOp, Value, ValueKind};
use super::lexer::parse_date;
use super::{CondError, Env};
use crate::data::{FieldType, suggest};

/// A checked condition: fields resolved, types known.
#[derive(Debug)]
pub(crate) enum Typed {
    Or(Vec<Typed>),
    And(Vec<Typed>),
    Not(Box<Typed>),
    /// Both operands have type `ty`; ordering operators only on numbers and dates.
    Cmp {
        op: CmpOp,
        l: Operand,
        r: Operand,
        ty: FieldType,
    },
    /// Every literal of `list` has the type `ty` of `v`.
    In {
        v: Operand,
        ty: FieldType,
        list: Vec<Lit>,
        negated: bool,
    },
    /// `v` is text.
    Text {
        v: Operand,
        test: TextTest,
    },
    Missing {
        v: Operand,
        present: bool,
    },
    /// A bool value standing alone, or a number `!= 0`.
    Truthy {
        v: Operand,
        ty: FieldType,
    },
}

#[derive(Debug)]
pub(crate) enum TextTest {
    /// Needles are normalized (see [`norm`]).
    Contains(String),
    StartsWith(String),
    EndsWith(String),
    Matches(Regex),
}

#[derive(Debug)]
pub(crate) enum Operand {
    Lit(Lit),
    /// A table column.
    Col(usize),
    /// `env.virtuals[i]`: a number, never missing.
    Virtual(usize),
    /// `days_since` of a date column.
    DaysSince(usize),
    /// A condition used as a true/false value.
    Paren(Box<Typed>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Num(f64),
    /// Normalized (see [`norm`]).
    Text(String),
    Date(i32),
    Bool(bool),
}

/// Text as compared: case and surrounding whitespace ignored.
pub(crate) fn norm(s: &str) -> String {
    let mut buf = String::new();
    norm_into(s, &mut buf);
    buf
}

/// [`norm`] into a reused buffer: text tests run once per distinct value,
/// and a column (emails, say) may have a million of them.
pub(crate) fn norm_into(s: &str, buf: &mut String) {
    buf.clear();
    let s = s.trim();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else {
        buf.push_str(&s.to_lowercase());
    }
}

/// The checked tree, the table columns it reads and the virtuals it reads
/// (each in order of appearance, without duplicates).
pub(crate) struct Checked {
    pub typed: Typed,
    pub columns: Vec<usize>,
    pub virtuals: Vec<usize>,
}

pub(crate) fn check(expr: &Expr, src: &str, env: &Env) -> Result<Checked, CondError> {
    let mut c = Checker {
        src,
        env,
        columns: Vec::new(),
        virtuals: Vec::new(),
    };
    let typed = c.expr(expr)?;
    Ok(Checked {
        typed,
        columns: c.columns,
        virtuals: c.virtuals,
    })
}

struct Checker<'a, 'e> {
    src: &'a str,
    env: &'a Env<'e>,
    columns: Vec<usize>,
    virtuals: Vec<usize>,
}

fn err(span: Span, message: impl Into<String>) -> CondError {
    CondError {
        pos: span.start,
        len: span.len(),
        message: message.into(),
    }
}

/// "a number", "text", ... as in "`x` is a number".
fn type_phrase(t: FieldType) -> &'static str {
    match t {
        FieldType::Bool => "true/false",
        FieldType::Number => "a number",
        FieldType::Date => "a date",
        FieldType::Text => "text",
    }
}

impl Checker<'_, '_> {
    fn expr(&mut self, e: &Expr) -> Result<Typed, CondError> {
        Ok(match &e.kind {
            ExprKind::Or(xs) => {
                Typed::Or(xs.iter().map(|x| self.expr(x)).collect::<Result<_, _>>()?)
            }
            ExprKind::And(xs) => {
                Typed::And(xs.iter().map(|x| self.expr(x)).collect::<Result<_, _>>()?)
            }
            ExprKind::Not(x) => Typed::Not(Box::new(self.expr(x)?)),
            ExprKind::Compare {
                op,
                op_span,
                left,
                right,
            } => {
                let (l, lt) = self.value(left)?;
                let (r, rt) = self.value(right)?;
                if lt != rt {
                    return Err(err(e.span, self.mismatch(left, lt, right, rt)));
                }
                if op.is_ordering() {
                    match lt {
                        FieldType::Text => {
                            let hint = self
                                .read_as_text_hint(left)
                                .or_else(|| self.read_as_text_hint(right))
                                .unwrap_or_else(|| {
                                    "use `==`, `!=`, `in`, `contains`, `starts_with`, `ends_with` or `matches`".into()
                                });
                            return Err(err(
                                *op_span,
                                format!("`{op}` does not apply to text: {hint}"),
                            ));
                        }
                        FieldType::Bool => {
                            return Err(err(
                                *op_span,
                                format!(
                                    "`{op}` does not apply to true/false values: use `==` or `!=`"
                                ),
                            ));
                        }
                        FieldType::Number | FieldType::Date => {}
                    }
                }
                Typed::Cmp {
                    op: *op,
                    l,
                    r,
                    ty: lt,
                }
            }
            ExprKind::In {
                value,
                list,
                negated,
                ..
            } => {
                let (v, ty) = self.value(value)?;
                let mut lits = Vec::with_capacity(list.len());
                for item in list {
                    let (lit, lt) = literal(&item.kind).ok_or_else(|| {
                        err(
                            item.span,
                            "a list holds only literals (numbers, strings, dates, true, false)",
                        )
                    })?;
                    if lt != ty {
                        return Err(err(item.span, self.mismatch(value, ty, item, lt)));
                    }
                    lits.push(lit);
                }
                Typed::In {
                    v,
                    ty,
                    list: lits,
                    negated: *negated,
                }
            }
            ExprKind::StrTest {
                op,
                value,
                pattern,
                pattern_span,
            } => {
                let (v, ty) = self.value(value)?;
                if ty != FieldType::Text {
                    let way = match ty {
                        FieldType::Number => "compare it with `==`, `<`, `>=`, ...",
                        FieldType::Date => {
                            "compare it with a date such as 2026-01-31, or use `days_since`"
                        }
                        _ => "compare it with `==` or `!=`",
                    };
                    return Err(err(
                        value.span,
                        format!("`{op}` needs text, but {}: {way}", self.describe(value, ty)),
                    ));
                }
                let test = match op {
                    StrOp::Contains => TextTest::Contains(norm(pattern)),
                    StrOp::StartsWith => TextTest::StartsWith(norm(pattern)),
                    StrOp::EndsWith => TextTest::EndsWith(norm(pattern)),
                    StrOp::Matches => TextTest::Matches(compile_regex(pattern, *pattern_span)?),
                };
                Typed::Text { v, test }
            }
            ExprKind::IsMissing(value) => Typed::Missing {
                v: self.value(value)?.0,
                present: false,
            },
            ExprKind::IsPresent(value) => Typed::Missing {
                v: self.value(value)?.0,
                present: true,
            },
            ExprKind::Test(value) => {
                let (v, ty) = self.value(value)?;
                match ty {
                    FieldType::Bool | FieldType::Number => Typed::Truthy { v, ty },
                    FieldType::Text => return Err(err(value.span, self.bare_text(value))),
                    FieldType::Date => return Err(err(value.span, self.bare_date(value))),
                }
            }
        })
    }

    /// The operand and its type.
    fn value(&mut self, v: &Value) -> Result<(Operand, FieldType), CondError> {
        if let Some((lit, ty)) = literal(&v.kind) {
            return Ok((Operand::Lit(lit), ty));
        }
        Ok(match &v.kind {
            ValueKind::Field(f) => match self.resolve(f)? {
                Resolved::Virtual(i) => (Operand::Virtual(i), FieldType::Number),
                Resolved::Column(c, ty) => (Operand::Col(c), ty),
            },
            ValueKind::DaysSince(f) => {
                let ty = match self.resolve(f)? {
                    Resolved::Column(c, FieldType::Date) => {
                        return Ok((Operand::DaysSince(c), FieldType::Number));
                    }
                    Resolved::Column(c, ty) => (c, ty),
                    Resolved::Virtual(_) => (usize::MAX, FieldType::Number),
                };
                let why = self.env.table.type_outliers(ty.0);
                let why = why.map(|o| format!(": {}", o.explain(&f.name)));
                return Err(err(
                    f.span,
                    format!(
                        "`days_since` needs a date field, but `{}` is {}{}",
                        f.name,
                        type_phrase(ty.1),
                        why.unwrap_or_default()
                    ),
                ));
            }
            ValueKind::Paren(e) => (Operand::Paren(Box::new(self.expr(e)?)), FieldType::Bool),
            // Literals were handled above.
            _ => return Err(err(v.span, "expected a value")),
        })
    }

    fn resolve(&mut self, f: &Field) -> Result<Resolved, CondError> {
        if let Some(i) = self.env.virtuals.iter().position(|n| *n == f.name) {
            if !self.virtuals.contains(&i) {
                self.virtuals.push(i);
            }
            return Ok(Resolved::Virtual(i));
        }
        match self.env.table.resolve(&f.name) {
            Some(c) if c < self.env.table.columns.len() => {
                if !self.columns.contains(&c) {
                    self.columns.push(c);
                }
                Ok(Resolved::Column(
                    c,
                    self.env.table.columns[c].values.field_type(),
                ))
            }
            _ => Err(err(f.span, self.unknown_field(&f.name))),
        }
    }

    fn unknown_field(&self, name: &str) -> String {
        // A reader of other languages may try `x > nan` or `x < inf`.
        if ["nan", "inf", "infinity"].contains(&name.to_ascii_lowercase().as_str()) {
            return format!(
                "unknown field `{name}`: conditions have no NaN or infinity; compare with a finite number such as 1e9, or test `is missing`"
            );
        }
        let table = self.env.table;
        let mut names: Vec<&str> = table.names();
        names.extend(self.env.virtuals.iter().map(String::as_str));
        if let Some(s) = suggest(name, names.iter().copied()) {
            return format!("unknown field `{name}` (did you mean `{s}`?)");
        }
        if names.is_empty() {
            return format!("unknown field `{name}`: the data has no fields");
        }
        const SHOWN: usize = 8;
        let mut list = names
            .iter()
            .take(SHOWN)
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if names.len() > SHOWN {
            list.push_str(&format!(" and {} more", names.len() - SHOWN));
        }
        format!("unknown field `{name}` (known fields: {list})")
    }

    /// "`industry` is text", "\"500\" is a string", ...
    fn describe(&self, v: &Value, ty: FieldType) -> String {
        match &v.kind {
            ValueKind::Field(f) => format!("`{}` is {}", f.name, type_phrase(ty)),
            ValueKind::DaysSince(_) => format!("`{}` is a number", v.span.text(self.src)),
            ValueKind::Paren(_) => "a condition in parentheses is true/false".into(),
            ValueKind::Str(_) => format!("{} is a string", short(v.span.text(self.src))),
            ValueKind::Bool(b) => format!("{b} is a true/false value"),
            ValueKind::Number(_) | ValueKind::Date { .. } => {
                format!("{} is {}", v.span.text(self.src), type_phrase(ty))
            }
        }
    }

    /// For a text field whose values are mostly numbers or dates: which
    /// values made it text, and how to fix that (a CRM placeholder such as
    /// "N/A" in a number column is the usual cause).
    fn read_as_text_hint(&self, v: &Value) -> Option<String> {
        let ValueKind::Field(f) = &v.kind else {
            return None;
        };
        let col = self.env.table.resolve(&f.name)?;
        if let Some(o) = self.env.table.type_outliers(col) {
            return Some(o.explain(&f.name));
        }
        let crate::data::Values::Text(t) = &self.env.table.columns[col].values else {
            return None;
        };
        let looks_typed = |s: &str| {
            s.trim().parse::<f64>().is_ok()
                || parse_date(s.trim().get(..10).unwrap_or("")).is_some()
        };
        let odd: Vec<&str> = t
            .dict
            .iter()
            .map(String::as_str)
            .filter(|s| !looks_typed(s))
            .collect();
        if odd.is_empty() || odd.len() * 2 > t.dict.len() {
            return None;
        }
        let examples: Vec<String> = odd.iter().take(3).map(|s| format!("\"{s}\"")).collect();
        Some(format!(
            "`{}` was read as text because of values such as {}; list them in [data].missing, or declare the field's type in [fields]",
            f.name,
            examples.join(", ")
        ))
    }

    /// Two values of different types compared: say which, and how to fix it.
    fn mismatch(&self, a: &Value, at: FieldType, b: &Value, bt: FieldType) -> String {
        let base = format!("{} but {}", self.describe(a, at), self.describe(b, bt));
        if let Some(h) = [(a, at), (b, bt)]
            .iter()
            .filter(|(_, t)| *t == FieldType::Text)
            .find_map(|(v, _)| self.read_as_text_hint(v))
        {
            return format!("{base}: {h}");
        }
        // The side to fix is the literal, if one side is.
        let (subject, st, lit) = if b.kind.is_literal() {
            (a, at, b)
        } else if a.kind.is_literal() {
            (b, bt, a)
        } else {
            return format!("{base}: only values of the same type can be compared");
        };
        let hint = match (st, &lit.kind) {
            (FieldType::Number, ValueKind::Str(s)) if s.trim().parse::<f64>().is_ok() => {
                format!("write the number without quotes, {}", s.trim())
            }
            (FieldType::Date, ValueKind::Str(s)) if parse_date(s.trim()).is_some() => {
                format!("dates are written bare, without quotes: {}", s.trim())
            }
            (FieldType::Date, ValueKind::Str(_)) => {
                "dates are written bare, e.g. 2026-01-31".into()
            }
            (FieldType::Date, ValueKind::Number(_)) => match &subject.kind {
                ValueKind::Field(f) => {
                    format!("for an age in days, compare `days_since({})`", f.name)
                }
                _ => "for an age in days, use `days_since(field)`".into(),
            },
            (
                FieldType::Text,
                ValueKind::Number(_) | ValueKind::Date { .. } | ValueKind::Bool(_),
            ) => {
                format!("put the text in quotes, \"{}\"", lit.span.text(self.src))
            }
            (FieldType::Bool, ValueKind::Str(s))
                if matches!(norm(s).as_str(), "true" | "false" | "yes" | "no") =>
            {
                "write true or false, without quotes".into()
            }
            (FieldType::Bool, _) => "compare it with true or false".into(),
            (FieldType::Number, ValueKind::Date { .. })
                if matches!(subject.kind, ValueKind::DaysSince(_)) =>
            {
                "compare it with a number of days, e.g. `<= 30`".into()
            }
            (FieldType::Number, _) => "compare it with a number".into(),
            (FieldType::Date, _) => "compare it with a date, e.g. 2026-01-31".into(),
            (FieldType::Text, _) => "compare it with a string in quotes".into(),
        };
        format!("{base}: {hint}")
    }

    fn bare_text(&self, v: &Value) -> String {
        match &v.kind {
            ValueKind::Field(f) => {
                format!("`{0}` is text: compare it, e.g. `{0} == \"...\"`", f.name)
            }
            _ => format!(
                "{} is a string, not a test: compare a field with it, e.g. `industry == {}`",
                short(v.span.text(self.src)),
                short(v.span.text(self.src))
            ),
        }
    }

    fn bare_date(&self, v: &Value) -> String {
        match &v.kind {
            ValueKind::Field(f) => format!(
                "`{0}` is a date: compare it, e.g. `{0} >= 2026-01-01` or `days_since({0}) <= 30`",
                f.name
            ),
            _ => format!(
                "{0} is a date, not a test: compare a date field with it, e.g. `created >= {0}`",
                v.span.text(self.src)
            ),
        }
    }
}

enum Resolved {
    Virtual(usize),
    Column(usize, FieldType),
}

/// The literal a value is, with its type.
fn literal(v: &ValueKind) -> Option<(Lit, FieldType)> {
    Some(match v {
        ValueKind::Number(n) => (Lit::Num(*n), FieldType::Number),
        ValueKind::Str(s) => (Lit::Text(norm(s)), FieldType::Text),
        ValueKind::Date { day, .. } => (Lit::Date(*day), FieldType::Date),
        ValueKind::Bool(b) => (Lit::Bool(*b), FieldType::Bool),
        _ => return None,
    })
}

/// Source text cut to a readable length for a message.
fn short(text: &str) -> String {
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(37).collect::<String>())
    } else {
        text.to_string()
    }
}

fn compile_regex(pattern: &str, span: Span) -> Result<Regex, CondError> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| {
            let detail = match &e {
                regex::Error::Syntax(text) => text
                    .lines()
                    .rev()
                    .find_map(|l| l.trim().strip_prefix("error: "))
                    .map_or_else(|| text.replace('\n', " "), str::to_string),
                regex::Error::CompiledTooBig(_) => "the pattern is too large".into(),
                other => other.to_string(),
            };
            err(span, format!("invalid regular expression: {detail}"))
        })
}
