//! Behaviour of the condition language against a small hand-built table
//! (SPEC §4), by topic: what conditions mean ([`semantics`]), the errors
//! they give ([`errors`]) and no panic on garbage ([`fuzz`]). The fixtures
//! below (the table, compiling, running on both evaluation paths) serve all three.

mod errors;
mod fuzz;
mod semantics;

use super::lexer::parse_date;
use super::*;
use crate::data::{
    BOOL_MISSING, Column, DATE_MISSING, LeadTable, TEXT_MISSING, TextColumn, Values,
};

fn column(header: &str, values: Values) -> Column {
    Column {
        header: header.to_string(),
        name: crate::data::normalize(header),
        values,
        derived: false,
    }
}

fn text(header: &str, vals: &[Option<&str>]) -> Column {
    let mut t = TextColumn::default();
    for v in vals {
        let code = match v {
            None => TEXT_MISSING,
            Some(s) => {
                let s = s.trim();
                match t.dict.iter().position(|d| d == s) {
                    Some(i) => i as u32,
                    None => {
                        t.dict.push(s.to_string());
                        (t.dict.len() - 1) as u32
                    }
                }
            }
        };
        t.codes.push(code);
    }
    column(header, Values::Text(t))
}

fn num(header: &str, vals: &[Option<f64>]) -> Column {
    column(
        header,
        Values::Number(vals.iter().map(|v| v.unwrap_or(f64::NAN)).collect()),
    )
}

fn boolean(header: &str, vals: &[Option<bool>]) -> Column {
    column(
        header,
        Values::Bool(
            vals.iter()
                .map(|v| v.map_or(BOOL_MISSING, |b| b as u8))
                .collect(),
        ),
    )
}

fn date(header: &str, vals: &[Option<&str>]) -> Column {
    column(
        header,
        Values::Date(
            vals.iter()
                .map(|v| v.map_or(DATE_MISSING, |s| parse_date(s).unwrap()))
                .collect(),
        ),
    )
}

fn day(s: &str) -> i32 {
    parse_date(s).unwrap()
}

/// Five leads:
///
/// | lead | industry             | employees | customer | created    | last_visit | title                  | region  |
/// |------|----------------------|-----------|----------|------------|------------|------------------------|---------|
/// | 0    | Software             | 50        | true     | 2026-01-01 | 2026-10-01 | VP Sales               | EMEA    |
/// | 1    | healthcare           | 500       | false    | 2026-06-15 | 2026-10-31 | Chief Information ...  | emea    |
/// | 2    | -                    | -         | -        | -          | -          | -                      | -       |
/// | 3    | Financial Services   | 0         | true     | 2025-12-31 | 2026-11-10 | director of IT         | NA      |
/// | 4    | SOFTWARE             | 1000      | false    | 2026-10-31 | 2026-09-01 | Engineer               | software|
fn table() -> LeadTable {
    let mut t = LeadTable {
        columns: vec![
            text(
                "Industry",
                &[
                    Some("Software"),
                    Some("healthcare"),
                    None,
                    Some("Financial Services"),
                    Some("SOFTWARE"),
                ],
            ),
            num(
                "Number of Employees",
                &[Some(50.0), Some(500.0), None, Some(0.0), Some(1000.0)],
            ),
            boolean(
                "Customer",
                &[Some(true), Some(false), None, Some(true), Some(false)],
            ),
            date(
                "created",
                &[
                    Some("2026-01-01"),
                    Some("2026-06-15"),
                    None,
                    Some("2025-12-31"),
                    Some("2026-10-31"),
                ],
            ),
            date(
                "last_visit",
                &[
                    Some("2026-10-01"),
                    Some("2026-10-31"),
                    None,
                    Some("2026-11-10"),
                    Some("2026-09-01"),
                ],
            ),
            text(
                "Job Title",
                &[
                    Some("VP Sales"),
                    Some("Chief Information Security Officer"),
                    None,
                    Some("director of IT"),
                    Some("Engineer"),
                ],
            ),
            text(
                "region",
                &[
                    Some("EMEA"),
                    Some(" emea "),
                    None,
                    Some("NA"),
                    Some("software"),
                ],
            ),
            num("missing", &[Some(1.0), None, None, None, None]),
        ],
        len: 5,
        ..Default::default()
    };
    t.aliases.push(("employees".into(), 1));
    t.aliases.push(("title".into(), 5));
    t
}

fn as_of() -> i32 {
    day("2026-10-31")
}

fn compile_in(t: &LeadTable, virtuals: &[String], src: &str) -> Result<Condition, CondError> {
    Condition::compile(
        src,
        &Env {
            table: t,
            as_of: as_of(),
            virtuals,
        },
    )
}

fn letters(v: impl IntoIterator<Item = Tri>) -> String {
    v.into_iter()
        .map(|t| match t {
            Tri::True => 'T',
            Tri::False => 'F',
            Tri::Unknown => '?',
        })
        .collect()
}

/// The condition's value per lead as letters (`T`, `F`, `?`), checking that
/// the match set and per-lead evaluation agree.
fn run_on(t: &LeadTable, src: &str) -> String {
    let c = compile_in(t, &[], src).unwrap_or_else(|e| panic!("{src}: {}", e.message));
    let set = c.set().expect("no virtuals, so a set");
    assert_eq!(set.len(), t.len);
    let per_lead: Vec<Tri> = (0..t.len).map(|i| c.eval_lead(i, &[])).collect();
    let from_set: Vec<Tri> = (0..t.len).map(|i| set.get(i)).collect();
    assert_eq!(per_lead, from_set, "{src}");
    // The per-lead path must agree too: `score` forces a residual tree.
    let virt = vec!["score".to_string()];
    let r = compile_in(t, &virt, &format!("score == 1 and ({src})")).unwrap();
    assert!(r.set().is_none());
    let residual: Vec<Tri> = (0..t.len).map(|i| r.eval_lead(i, &[1.0])).collect();
    assert_eq!(residual, from_set, "{src} (per lead)");
    letters(from_set)
}

fn run(src: &str) -> String {
    run_on(&table(), src)
}

fn fail(src: &str) -> CondError {
    match compile_in(&table(), &["fit".to_string(), "score".to_string()], src) {
        Ok(_) => panic!("{src}: expected an error"),
        Err(e) => {
            assert!(e.pos + e.len <= src.len(), "{src}: span out of range");
            e
        }
    }
}

/// The error's message and the source text it points at.
fn fail_at(src: &str) -> (String, String) {
    let e = fail(src);
    (e.message.clone(), src[e.pos..e.pos + e.len].to_string())
}
