//! Evaluation. Every part of a condition that reads only columns becomes a
//! [`TriSet`] at compile time, in whole-column loops (text tests run once per
//! distinct value, then map through the codes). What is left, the parts that
//! read virtuals (group subtotals, `score`), is a small [`Residual`] tree
//! evaluated per lead.

use std::collections::HashMap;

use super::ast::CmpOp;
use super::bitset::{Tri, TriSet};
use super::check::{Lit, Operand, TextTest, Typed, norm, norm_into};
use crate::data::{
    BOOL_MISSING, DATE_MISSING, FieldType, LeadTable, TEXT_MISSING, TextColumn, Values,
};

/// A compiled condition: a match set, or a tree over match sets and
/// virtuals that is evaluated per lead.
#[derive(Debug, Clone)]
pub(crate) enum Residual {
    Set(TriSet),
    Or(Vec<Residual>),
    And(Vec<Residual>),
    Not(Box<Residual>),
    NumCmp {
        op: CmpOp,
        l: NumArg,
        r: NumArg,
    },
    NumIn {
        arg: NumArg,
        list: Vec<f64>,
        negated: bool,
    },
    /// Two true/false values compared with `==` (or `!=` when not `eq`).
    BoolEq {
        eq: bool,
        l: Box<Residual>,
        r: Box<Residual>,
    },
    BoolIn {
        arg: Box<Residual>,
        has_true: bool,
        has_false: bool,
        negated: bool,
    },
    /// `(...) is missing` (`present` false) or `is present`: whether the
    /// value is unknown.
    Known {
        arg: Box<Residual>,
        present: bool,
    },
}

/// A number read per lead: NaN when missing.
#[derive(Debug, Clone)]
pub(crate) enum NumArg {
    Lit(f64),
    Virtual(usize),
    /// Column values (or `days_since`) copied out, so that evaluation needs
    /// no table.
    PerLead(Vec<f64>),
}

impl NumArg {
    #[inline]
    fn get(&self, lead: usize, virtuals: &[f64]) -> f64 {
        match self {
            NumArg::Lit(v) => *v,
            NumArg::Virtual(i) => virtuals.get(*i).copied().unwrap_or(f64::NAN),
            NumArg::PerLead(v) => v.get(lead).copied().unwrap_or(f64::NAN),
        }
    }
}

fn cmp_tri(op: CmpOp, x: f64, y: f64) -> Tri {
    if x.is_nan() || y.is_nan() {
        Tri::Unknown
    } else {
        Tri::from_bool(op.holds(x, y))
    }
}

fn in_tri(x: f64, list: &[f64], negated: bool) -> Tri {
    if x.is_nan() {
        Tri::Unknown
    } else {
        Tri::from_bool(list.contains(&x) != negated)
    }
}

impl Residual {
    pub fn eval(&self, lead: usize, virtuals: &[f64]) -> Tri {
        match self {
            Residual::Set(s) => s.get(lead),
            Residual::Or(xs) => {
                let mut acc = Tri::False;
                for x in xs {
                    acc = acc.or(x.eval(lead, virtuals));
                    if acc == Tri::True {
                        break;
                    }
                }
                acc
            }
            Residual::And(xs) => {
                let mut acc = Tri::True;
                for x in xs {
                    acc = acc.and(x.eval(lead, virtuals));
                    if acc == Tri::False {
                        break;
                    }
                }
                acc
            }
            Residual::Not(x) => x.eval(lead, virtuals).not(),
            Residual::NumCmp { op, l, r } => {
                cmp_tri(*op, l.get(lead, virtuals), r.get(lead, virtuals))
            }
            Residual::NumIn { arg, list, negated } => {
                in_tri(arg.get(lead, virtuals), list, *negated)
            }
            Residual::BoolEq { eq, l, r } => {
                match (l.eval(lead, virtuals), r.eval(lead, virtuals)) {
                    (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
                    (a, b) => Tri::from_bool((a == b) == *eq),
                }
            }
            Residual::BoolIn {
                arg,
                has_true,
                has_false,
                negated,
            } => match arg.eval(lead, virtuals) {
                Tri::Unknown => Tri::Unknown,
                Tri::True => Tri::from_bool(*has_true != *negated),
                Tri::False => Tri::from_bool(*has_false != *negated),
            },
            Residual::Known { arg, present } => {
                Tri::from_bool((arg.eval(lead, virtuals) == Tri::Unknown) != *present)
            }
        }
    }
}

/// Build the residual tree of a checked condition over `table`.
pub(crate) fn compile(t: &Typed, table: &LeadTable, as_of: i32) -> Residual {
    Compiler {
        table,
        as_of,
        len: table.len,
    }
    .expr(t)
}

struct Compiler<'a> {
    table: &'a LeadTable,
    as_of: i32,
    len: usize,
}

/// A number (or date, as its day number) read from the table: NaN when missing.
enum NumSrc<'a> {
    Lit(f64),
    Num(&'a [f64]),
    Date(&'a [i32]),
    DaysSince(&'a [i32], i32),
}

impl NumSrc<'_> {
    #[inline]
    fn get(&self, i: usize) -> f64 {
        match self {
            NumSrc::Lit(v) => *v,
            NumSrc::Num(v) => v.get(i).copied().unwrap_or(f64::NAN),
            NumSrc::Date(v) => match v.get(i) {
                Some(&d) if d != DATE_MISSING => d as f64,
                _ => f64::NAN,
            },
            NumSrc::DaysSince(v, as_of) => match v.get(i) {
                Some(&d) if d != DATE_MISSING => *as_of as f64 - d as f64,
                _ => f64::NAN,
            },
        }
    }
}

/// A text operand: a normalized literal or a dictionary-encoded column.
enum TextSrc<'a> {
    Lit(&'a str),
    Col(&'a TextColumn),
}

impl Compiler<'_> {
    fn expr(&self, t: &Typed) -> Residual {
        match t {
            Typed::Or(xs) => self.logic(xs, false),
            Typed::And(xs) => self.logic(xs, true),
            Typed::Not(x) => match self.expr(x) {
                Residual::Set(s) => Residual::Set(s.not()),
                r => Residual::Not(Box::new(r)),
            },
            Typed::Cmp { op, l, r, ty } => match ty {
                FieldType::Number | FieldType::Date => self.num_cmp(*op, l, r),
                FieldType::Bool => {
                    let (a, b) = (self.bool_value(l), self.bool_value(r));
                    let eq = *op == CmpOp::Eq;
                    match (a, b) {
                        (Residual::Set(a), Residual::Set(b)) => {
                            let s = a.equals(&b);
                            Residual::Set(if eq { s } else { s.not() })
                        }
                        (a, b) => Residual::BoolEq {
                            eq,
                            l: Box::new(a),
                            r: Box::new(b),
                        },
                    }
                }
                FieldType::Text => {
                    let s = self.text_eq(l, r);
                    Residual::Set(if *op == CmpOp::Ne { s.not() } else { s })
                }
            },
            Typed::In {
                v,
                ty,
                list,
                negated,
            } => self.is_in(v, *ty, list, *negated),
            Typed::Text { v, test } => Residual::Set(match test {
                TextTest::Contains(n) => self.text_test(v, normalized(|s| s.contains(n.as_str()))),
                TextTest::StartsWith(n) => {
                    self.text_test(v, normalized(|s| s.starts_with(n.as_str())))
                }
                TextTest::EndsWith(n) => self.text_test(v, normalized(|s| s.ends_with(n.as_str()))),
                TextTest::Matches(re) => self.text_test(v, |s| re.is_match(s)),
            }),
            Typed::Missing { v, present } => self.missing(v, *present),
            Typed::Truthy { v, ty } => match ty {
                FieldType::Number => self.num_cmp(CmpOp::Ne, v, &Operand::Lit(Lit::Num(0.0))),
                _ => self.bool_value(v),
            },
        }
    }

    /// `and` (when `is_and`) or `or` of the operands: every match-set operand
    /// is folded into one set; the rest stay per lead.
    fn logic(&self, xs: &[Typed], is_and: bool) -> Residual {
        let mut set: Option<TriSet> = None;
        let mut rest = Vec::new();
        for x in xs {
            match self.expr(x) {
                Residual::Set(s) => match &mut set {
                    None => set = Some(s),
                    Some(acc) if is_and => acc.and_assign(&s),
                    Some(acc) => acc.or_assign(&s),
                },
                r => rest.push(r),
            }
        }
        let set = set.map(Residual::Set);
        if rest.is_empty() {
            // The parser gives two or more operands; an empty list is the
            // identity of the operation.
            return set.unwrap_or_else(|| Residual::Set(TriSet::constant(self.len, is_and)));
        }
        rest.splice(0..0, set);
        if rest.len() == 1 {
            return rest
                .pop()
                .unwrap_or(Residual::Set(TriSet::all_unknown(self.len)));
        }
        if is_and {
            Residual::And(rest)
        } else {
            Residual::Or(rest)
        }
    }

    fn num_src(&self, o: &Operand) -> NumSrc<'_> {
        match o {
            Operand::Lit(Lit::Num(v)) => NumSrc::Lit(*v),
            Operand::Lit(Lit::Date(d)) => NumSrc::Lit(*d as f64),
            Operand::Col(c) => match self.table.columns.get(*c).map(|c| &c.values) {
                Some(Values::Number(v)) => NumSrc::Num(v),
                Some(Values::Date(v)) => NumSrc::Date(v),
                _ => NumSrc::Lit(f64::NAN),
            },
            Operand::DaysSince(c) => match self.table.columns.get(*c).map(|c| &c.values) {
                Some(Values::Date(v)) => NumSrc::DaysSince(v, self.as_of),
                _ => NumSrc::Lit(f64::NAN),
            },
            // The checker gives numbers and dates only; virtuals go per lead.
            _ => NumSrc::Lit(f64::NAN),
        }
    }

    fn num_arg(&self, o: &Operand) -> NumArg {
        match o {
            Operand::Virtual(i) => NumArg::Virtual(*i),
            o => match self.num_src(o) {
                NumSrc::Lit(v) => NumArg::Lit(v),
                src => NumArg::PerLead((0..self.len).map(|i| src.get(i)).collect()),
            },
        }
    }

    fn num_cmp(&self, op: CmpOp, l: &Operand, r: &Operand) -> Residual {
        if matches!(l, Operand::Virtual(_)) || matches!(r, Operand::Virtual(_)) {
            return Residual::NumCmp {
                op,
                l: self.num_arg(l),
                r: self.num_arg(r),
            };
        }
        let (a, b) = (self.num_src(l), self.num_src(r));
        Residual::Set(TriSet::from_fn(self.len, |i| {
            cmp_tri(op, a.get(i), b.get(i))
        }))
    }

    /// A true/false operand as a match set (or residual, for a condition in
    /// parentheses that reads virtuals).
    fn bool_value(&self, o: &Operand) -> Residual {
        match o {
            Operand::Lit(Lit::Bool(b)) => Residual::Set(TriSet::constant(self.len, *b)),
            Operand::Col(c) => match self.table.columns.get(*c).map(|c| &c.values) {
                Some(Values::Bool(v)) => Residual::Set(TriSet::from_fn(self.len, |i| {
                    match v.get(i).copied().unwrap_or(BOOL_MISSING) {
                        0 => Tri::False,
                        1 => Tri::True,
                        _ => Tri::Unknown,
                    }
                })),
                _ => Residual::Set(TriSet::all_unknown(self.len)),
            },
            Operand::Paren(t) => self.expr(t),
            _ => Residual::Set(TriSet::all_unknown(self.len)),
        }
    }

    fn text_src<'b>(&'b self, o: &'b Operand) -> TextSrc<'b> {
        match o {
            Operand::Lit(Lit::Text(s)) => TextSrc::Lit(s),
            Operand::Col(c) => match self.table.columns.get(*c).map(|c| &c.values) {
                Some(Values::Text(t)) => TextSrc::Col(t),
                _ => TextSrc::Lit(""),
            },
            _ => TextSrc::Lit(""),
        }
    }

    /// A test on a text operand, run once per distinct value.
    fn text_test(&self, o: &Operand, mut pred: impl FnMut(&str) -> bool) -> TriSet {
        match self.text_src(o) {
            TextSrc::Lit(s) => TriSet::constant(self.len, pred(s)),
            TextSrc::Col(col) => {
                let per_entry: Vec<bool> = col.dict.iter().map(|s| pred(s)).collect();
                TriSet::from_fn(self.len, |i| match col.codes.get(i) {
                    Some(&c) if c != TEXT_MISSING => per_entry
                        .get(c as usize)
                        .map_or(Tri::Unknown, |&b| Tri::from_bool(b)),
                    _ => Tri::Unknown,
                })
            }
        }
    }

    /// `l == r` on text, case and surrounding whitespace ignored.
    fn text_eq(&self, l: &Operand, r: &Operand) -> TriSet {
        match (self.text_src(l), self.text_src(r)) {
            (TextSrc::Lit(a), TextSrc::Lit(b)) => TriSet::constant(self.len, a == b),
            (TextSrc::Col(_), TextSrc::Lit(s)) => self.text_test(l, normalized(|v| v == s)),
            (TextSrc::Lit(s), TextSrc::Col(_)) => self.text_test(r, normalized(|v| v == s)),
            (TextSrc::Col(a), TextSrc::Col(b)) => {
                // Map both dictionaries to shared ids of the normalized text.
                let mut ids: HashMap<String, u32> = HashMap::new();
                let mut intern = |s: &str| {
                    let next = ids.len() as u32;
                    *ids.entry(norm(s)).or_insert(next)
                };
                let ia: Vec<u32> = a.dict.iter().map(|s| intern(s)).collect();
                let ib: Vec<u32> = b.dict.iter().map(|s| intern(s)).collect();
                let id = |ids: &[u32], codes: &[u32], i: usize| match codes.get(i) {
                    Some(&c) if c != TEXT_MISSING => ids.get(c as usize).copied(),
                    _ => None,
                };
                TriSet::from_fn(self.len, |i| {
                    match (id(&ia, &a.codes, i), id(&ib, &b.codes, i)) {
                        (Some(x), Some(y)) => Tri::from_bool(x == y),
                        _ => Tri::Unknown,
                    }
                })
            }
        }
    }

    fn is_in(&self, v: &Operand, ty: FieldType, list: &[Lit], negated: bool) -> Residual {
        match ty {
            FieldType::Number | FieldType::Date => {
                let nums: Vec<f64> = list
                    .iter()
                    .filter_map(|l| match l {
                        Lit::Num(x) => Some(*x),
                        Lit::Date(d) => Some(*d as f64),
                        _ => None,
                    })
                    .collect();
                if matches!(v, Operand::Virtual(_)) {
                    return Residual::NumIn {
                        arg: self.num_arg(v),
                        list: nums,
                        negated,
                    };
                }
                let src = self.num_src(v);
                Residual::Set(TriSet::from_fn(self.len, |i| {
                    in_tri(src.get(i), &nums, negated)
                }))
            }
            FieldType::Bool => {
                let has_true = list.contains(&Lit::Bool(true));
                let has_false = list.contains(&Lit::Bool(false));
                match self.bool_value(v) {
                    Residual::Set(s) => {
                        // true where the value's truth is in the list.
                        let member = |b: bool| b != negated;
                        let mut t = TriSet::all_unknown(self.len);
                        for (cond, set) in [(has_true, &s.t), (has_false, &s.f)] {
                            if member(cond) {
                                t.t.or(set);
                            } else {
                                t.f.or(set);
                            }
                        }
                        Residual::Set(t)
                    }
                    r => Residual::BoolIn {
                        arg: Box::new(r),
                        has_true,
                        has_false,
                        negated,
                    },
                }
            }
            FieldType::Text => {
                let texts: Vec<&str> = list
                    .iter()
                    .filter_map(|l| match l {
                        Lit::Text(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect();
                Residual::Set(self.text_test(v, normalized(|s| texts.contains(&s) != negated)))
            }
        }
    }

    fn missing(&self, v: &Operand, present: bool) -> Residual {
        let col = match v {
            Operand::Lit(_) | Operand::Virtual(_) => {
                return Residual::Set(TriSet::constant(self.len, present));
            }
            Operand::Col(c) | Operand::DaysSince(c) => *c,
            Operand::Paren(t) => {
                return match self.expr(t) {
                    Residual::Set(s) => {
                        let unknown = TriSet::from_bitset(s.unknown());
                        Residual::Set(if present { unknown.not() } else { unknown })
                    }
                    r => Residual::Known {
                        arg: Box::new(r),
                        present,
                    },
                };
            }
        };
        let Some(values) = self.table.columns.get(col).map(|c| &c.values) else {
            return Residual::Set(TriSet::constant(self.len, !present));
        };
        let is_missing = |i: usize| match values {
            Values::Bool(v) => v.get(i).is_none_or(|&b| b == BOOL_MISSING),
            Values::Number(v) => v.get(i).is_none_or(|x| x.is_nan()),
            Values::Date(v) => v.get(i).is_none_or(|&d| d == DATE_MISSING),
            Values::Text(t) => t.codes.get(i).is_none_or(|&c| c == TEXT_MISSING),
        };
        Residual::Set(TriSet::from_fn(self.len, |i| {
            Tri::from_bool(is_missing(i) != present)
        }))
    }
}

/// `pred` applied to the normalized text (case and surrounding whitespace ignored).
fn normalized(mut pred: impl FnMut(&str) -> bool) -> impl FnMut(&str) -> bool {
    let mut buf = String::new();
    move |s| {
        norm_into(s, &mut buf);
        pred(&buf)
    }
}
