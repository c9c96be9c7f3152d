//! Why a column is text when nearly all its values are numbers, dates or
//! bools: the few values that kept it from being one, with their lines.
//!
//! Found from the finished column when a message needs them, not kept
//! while reading: the reader stays as fast, and the answer is the same,
//! since the column's dictionary and the leads' lines hold every value
//! and where it was.

use super::parse::{is_decimal, parse_bool, parse_iso_date, parse_number};
use super::{FieldType, LeadTable, TEXT_MISSING, Values};

/// The values that made a column text instead of `would_be`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeOutliers {
    /// The type every other value of the column has.
    pub would_be: FieldType,
    /// Leads whose value does not fit `would_be`.
    pub count: usize,
    /// The first few distinct such values, each with the first few lines
    /// it is on.
    pub values: Vec<(String, Vec<u64>)>,
}

/// At most this many leads, or one in a hundred, may hold outliers: more,
/// and the column is text for good reasons.
const FEW: usize = 5;
/// Distinct values, and lines per value, a message names.
const NAMED: usize = 3;
const LINES_NAMED: usize = 5;

const KINDS: [FieldType; 3] = [FieldType::Bool, FieldType::Number, FieldType::Date];

fn fits(ty: FieldType, value: &str) -> bool {
    let b = value.as_bytes();
    match ty {
        FieldType::Bool => parse_bool(b).is_some(),
        // Non-finite values (`1e400`, `NaN`, `inf`) are not numbers.
        FieldType::Number => parse_number(b).is_some(),
        FieldType::Date => parse_iso_date(b).is_some(),
        FieldType::Text => true,
    }
}

impl LeadTable {
    /// For a text column read from the file whose values all but a few
    /// (at most 5 leads, or fewer than 1%) have one other type: those few.
    /// `None` for any other column.
    pub fn type_outliers(&self, col: usize) -> Option<TypeOutliers> {
        let column = self.columns.get(col)?;
        let Values::Text(t) = &column.values else {
            return None;
        };
        if column.derived {
            return None;
        }
        let allowed = FEW.max(self.len / 100);
        // Per distinct value, which kinds it fits; give up on a kind as soon
        // as too many distinct values miss it.
        let mut misses = [0usize; 3];
        let mut fit = Vec::with_capacity(t.dict.len());
        for value in &t.dict {
            let mut mask = 0u8;
            for (k, &ty) in KINDS.iter().enumerate() {
                if fits(ty, value) {
                    mask |= 1 << k;
                } else {
                    misses[k] += 1;
                }
            }
            if misses.iter().all(|&m| m > allowed) {
                return None;
            }
            fit.push(mask);
        }
        let mut fitting = [0usize; 3];
        let mut outlying = [0usize; 3];
        for &code in &t.codes {
            if code == TEXT_MISSING {
                continue;
            }
            let mask = fit.get(code as usize).copied().unwrap_or(0);
            for k in 0..3 {
                if mask & (1 << k) != 0 {
                    fitting[k] += 1;
                } else {
                    outlying[k] += 1;
                }
            }
        }
        let present = fitting[0] + outlying[0];
        let allowed = FEW.max(present / 100);
        let k = (0..3)
            .filter(|&k| outlying[k] > 0 && outlying[k] <= allowed && fitting[k] > outlying[k])
            .min_by_key(|&k| outlying[k])?;
        let mut values: Vec<(String, Vec<u64>)> = Vec::new();
        for (lead, &code) in t.codes.iter().enumerate() {
            let Some(value) = t.dict.get(code as usize) else {
                continue;
            };
            if fit.get(code as usize).is_some_and(|m| m & (1 << k) != 0) {
                continue;
            }
            let line = self.lines.get(lead).copied().unwrap_or(0);
            match values.iter().position(|(v, _)| v == value) {
                Some(i) if values[i].1.len() < LINES_NAMED => values[i].1.push(line),
                Some(_) => {}
                None if values.len() < NAMED => values.push((value.clone(), vec![line])),
                None => {}
            }
        }
        Some(TypeOutliers {
            would_be: KINDS[k],
            count: outlying[k],
            values,
        })
    }
}

impl TypeOutliers {
    /// What made the field text and how to fix it, in one sentence.
    pub fn explain(&self, field: &str) -> String {
        let a = match self.would_be {
            FieldType::Bool => "a bool",
            FieldType::Number => "a number",
            FieldType::Date => "a date",
            FieldType::Text => "text",
        };
        let n = self.count;
        let mut named: Vec<String> = self
            .values
            .iter()
            .map(|(value, lines)| {
                let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
                let why = if self.would_be == FieldType::Number && is_decimal(value.as_bytes()) {
                    ": too large for a number"
                } else {
                    ""
                };
                let label = if lines.len() == 1 { "line" } else { "lines" };
                format!("\"{value}\" ({label} {}{why})", lines.join(", "))
            })
            .collect();
        let listed: usize = self.values.iter().map(|(_, l)| l.len()).sum();
        if n > listed {
            named.push(format!("{} more", n - listed));
        }
        let (them, rows) = if n == 1 {
            ("it", "that row")
        } else {
            ("them", "those rows")
        };
        format!(
            "`{field}` was read as text, not as {a}, because of {n} value{}: {}; fix {them} in the \
             file, list {them} in [data].missing, or declare `{field}` {a} in [fields] and pass \
             --skip-bad-rows to skip {rows}",
            if n == 1 { "" } else { "s" },
            join_and(&named)
        )
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::data::tests::{leads, plain};

    fn table_of(csv: &str) -> LeadTable {
        load_reader("leads.csv", csv.as_bytes(), &DataOptions::default())
            .unwrap()
            .0
    }

    #[test]
    fn an_invalid_date_among_dates_is_named_with_its_line() {
        let csv = leads(200, plain).replacen("2026-01-07,", "2026-02-30,", 4);
        let t = table_of(&csv);
        let col = t.resolve("signup").unwrap();
        assert_eq!(t.columns[col].values.field_type(), FieldType::Text);
        let o = t.type_outliers(col).expect("outliers");
        assert_eq!(o.count, 4);
        assert_eq!(
            o.explain("signup"),
            "`signup` was read as text, not as a date, because of 4 values: \"2026-02-30\" (lines 8, \
             36, 64, 92); fix them in the file, list them in [data].missing, or declare `signup` a \
             date in [fields] and pass --skip-bad-rows to skip those rows"
        );
        // One value too many and the column is text for good reasons: no outliers.
        let csv = leads(200, plain).replace("2026-01-07,", "2026-02-30,");
        let t = table_of(&csv);
        assert!(t.type_outliers(t.resolve("signup").unwrap()).is_none());
    }

    #[test]
    fn created_column_error_names_the_invalid_date_not_valid_ones() {
        let csv = "id,created\n1,2026-01-05\n2,2026-02-30\n3,2026-01-07\n";
        let opts = DataOptions {
            created: Some("created".into()),
            ..Default::default()
        };
        let e = load_reader("leads.csv", csv.as_bytes(), &opts)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "[data].created: `created` was read as text, not as a date, because of 1 value: \
             \"2026-02-30\" (line 3); fix it in the file, list it in [data].missing, or declare \
             `created` a date in [fields] and pass --skip-bad-rows to skip that row"
        );
    }

    #[test]
    fn non_finite_numbers_are_not_numbers_and_are_named() {
        for (bad, why) in [
            ("1e400", ": too large for a number"),
            ("NaN", ""),
            ("inf", ""),
            ("-1e999", ": too large for a number"),
        ] {
            let csv = leads(100, plain).replace(",57,", &format!(",{bad},"));
            let t = table_of(&csv);
            let col = t.resolve("employees").unwrap();
            assert_eq!(t.columns[col].values.field_type(), FieldType::Text, "{bad}");
            let o = t.type_outliers(col).expect("outliers");
            assert_eq!(
                o.explain("employees"),
                format!(
                    "`employees` was read as text, not as a number, because of 1 value: \"{bad}\" \
                     (line 49{why}); fix it in the file, list it in [data].missing, or declare \
                     `employees` a number in [fields] and pass --skip-bad-rows to skip that row"
                )
            );
        }
        // A declared number does not take them either.
        let csv = "id,n\n1,2\n2,1e400\n";
        let opts = DataOptions {
            fields: vec![FieldDecl {
                name: "n".into(),
                column: "n".into(),
                ty: Some(FieldType::Number),
                format: None,
            }],
            ..Default::default()
        };
        let e = load_reader("leads.csv", csv.as_bytes(), &opts)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "leads.csv:3: column \"n\" is declared number but has \"1e400\"; fix the value or pass --skip-bad-rows"
        );
    }

    #[test]
    fn text_columns_that_are_truly_text_have_no_outliers() {
        let t = table_of("a,b,c\nx,1,2026-01-01\ny,2,b\nz,q,c\n1,r,d\n");
        for col in 0..3 {
            assert!(t.type_outliers(col).is_none(), "column {col}");
        }
    }

    /// The message of checking `condition` against `table`.
    fn condition_error(table: &LeadTable, condition: &str) -> String {
        let env = crate::cond::Env {
            table,
            as_of: 0,
            virtuals: &[],
        };
        crate::cond::Condition::check(condition, &env)
            .expect_err(condition)
            .message
    }

    #[test]
    fn conditions_on_such_columns_name_the_values_not_valid_ones() {
        let csv = leads(200, plain)
            .replacen("2026-01-07,", "2026-02-30,", 1)
            .replace(",57,", ",1e400,");
        let t = table_of(&csv);
        let date_why = "`signup` was read as text, not as a date, because of 1 value: \"2026-02-30\" \
                        (line 8); fix it in the file, list it in [data].missing, or declare `signup` \
                        a date in [fields] and pass --skip-bad-rows to skip that row";
        assert_eq!(
            condition_error(&t, "signup >= 2026-01-01"),
            format!("`signup` is text but 2026-01-01 is a date: {date_why}")
        );
        assert_eq!(
            condition_error(&t, "days_since(signup) <= 30"),
            format!("`days_since` needs a date field, but `signup` is text: {date_why}")
        );
        let e = condition_error(&t, "employees > 100");
        assert!(!e.contains("quotes"), "{e}");
        assert!(
            e.ends_with(
                "`employees` was read as text, not as a number, because of 1 value: \"1e400\" \
                 (line 49: too large for a number); fix it in the file, list it in [data].missing, \
                 or declare `employees` a number in [fields] and pass --skip-bad-rows to skip that row"
            ),
            "{e}"
        );
        let e = condition_error(&t, "employees == 100");
        assert!(!e.contains("put the text in quotes"), "{e}");
        assert!(e.contains("\"1e400\" (line 49"), "{e}");
    }
}
