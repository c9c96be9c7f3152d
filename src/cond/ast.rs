//! The syntax tree of a condition, as written: every node carries its byte
//! span in the source, so that errors can point at it and a translator (SQL
//! export) can be written against it without reparsing.

use std::fmt;

/// A byte range `start..end` in the condition source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.end == self.start
    }

    /// From the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start, other.end.max(self.start))
    }

    /// The source text of the span (empty if it does not fit `src`).
    pub fn text(self, src: &str) -> &str {
        src.get(self.start..self.end).unwrap_or("")
    }
}

/// A condition (SPEC §4, `cond`).
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `a or b or ...`: two or more operands, in source order.
    Or(Vec<Expr>),
    /// `a and b and ...`: two or more operands, in source order.
    And(Vec<Expr>),
    /// `not a`.
    Not(Box<Expr>),
    /// `left op right`.
    Compare {
        op: CmpOp,
        op_span: Span,
        left: Value,
        right: Value,
    },
    /// `value in [..]`, or `value not in [..]` when `negated`. The list holds
    /// only literals (`Number`, `Str`, `Date` or `Bool` values), possibly none.
    In {
        value: Value,
        list: Vec<Value>,
        negated: bool,
        /// From `[` to `]`.
        list_span: Span,
    },
    /// `value contains "..."` and the like. `pattern` is the string literal's
    /// text after escapes; `pattern_span` covers the literal with its quotes.
    StrTest {
        op: StrOp,
        value: Value,
        pattern: String,
        pattern_span: Span,
    },
    /// `value is missing`.
    IsMissing(Value),
    /// `value is present`.
    IsPresent(Value),
    /// A value standing alone as a test: `field == true` for a bool,
    /// `value != 0` for a number; a parenthesized condition is itself.
    Test(Value),
}

/// An operand (SPEC §4, `value`).
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Number(f64),
    /// A string literal after escapes (`\"`, `\'`, `\\`).
    Str(String),
    /// A date literal: day number since 1970-01-01 and the text as written.
    Date {
        day: i32,
        text: String,
    },
    Bool(bool),
    Field(Field),
    /// `days_since(field)`.
    DaysSince(Field),
    /// `( cond )`: a true/false value.
    Paren(Box<Expr>),
}

impl ValueKind {
    /// Whether this is a literal (allowed in an `in` list).
    pub fn is_literal(&self) -> bool {
        matches!(
            self,
            ValueKind::Number(_) | ValueKind::Str(_) | ValueKind::Date { .. } | ValueKind::Bool(_)
        )
    }
}

/// A field reference: `name` as written, without backticks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// Written in backticks (may then be a raw column header or a keyword).
    pub backticked: bool,
    /// The name's span, backticks included.
    pub span: Span,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// Whether the operator orders values (`<`, `<=`, `>`, `>=`).
    pub fn is_ordering(self) -> bool {
        !matches!(self, CmpOp::Eq | CmpOp::Ne)
    }

    /// The operator with its operands swapped: `a op b` is `b op.flip() a`.
    pub fn flip(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            op => op,
        }
    }

    /// The comparison on two present values.
    #[inline]
    pub fn holds<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        }
    }
}

impl fmt::Display for CmpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string test operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StrOp {
    Contains,
    StartsWith,
    EndsWith,
    /// Regular expression, case-insensitive, unanchored.
    Matches,
}

impl StrOp {
    pub fn as_str(self) -> &'static str {
        match self {
            StrOp::Contains => "contains",
            StrOp::StartsWith => "starts_with",
            StrOp::EndsWith => "ends_with",
            StrOp::Matches => "matches",
        }
    }
}

impl fmt::Display for StrOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Expr {
    /// Every field reference, in order of appearance (`days_since` arguments
    /// included; duplicates kept).
    pub fn fields(&self) -> Vec<&Field> {
        let mut out = Vec::new();
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields<'a>(&'a self, out: &mut Vec<&'a Field>) {
        match &self.kind {
            ExprKind::Or(xs) | ExprKind::And(xs) => {
                for x in xs {
                    x.collect_fields(out);
                }
            }
            ExprKind::Not(x) => x.collect_fields(out),
            ExprKind::Compare { left, right, .. } => {
                left.collect_fields(out);
                right.collect_fields(out);
            }
            ExprKind::In { value, .. }
            | ExprKind::StrTest { value, .. }
            | ExprKind::IsMissing(value)
            | ExprKind::IsPresent(value)
            | ExprKind::Test(value) => value.collect_fields(out),
        }
    }
}

impl Value {
    fn collect_fields<'a>(&'a self, out: &mut Vec<&'a Field>) {
        match &self.kind {
            ValueKind::Field(f) | ValueKind::DaysSince(f) => out.push(f),
            ValueKind::Paren(e) => e.collect_fields(out),
            _ => {}
        }
    }
}
