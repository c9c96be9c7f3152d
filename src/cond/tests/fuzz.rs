//! No panic on garbage: random characters and token soup compile or fail with
//! a well-placed error, and random well-formed conditions agree between the
//! whole-column and per-lead paths.

use super::*;
use crate::testing::{pick, xorshift};

fn check_no_panic(t: &LeadTable, virt: &[String], src: &str) {
    match compile_in(t, virt, src) {
        Ok(c) => {
            let vals = vec![1.0; virt.len()];
            for i in 0..t.len {
                let v = c.eval_lead(i, &vals);
                if let Some(s) = c.set() {
                    assert_eq!(s.get(i), v, "{src}");
                }
            }
            c.columns();
        }
        Err(e) => {
            assert!(
                e.pos <= src.len() && e.pos + e.len <= src.len(),
                "{src}: {e:?}"
            );
            assert!(src.is_char_boundary(e.pos), "{src}: {e:?}");
            assert!(src.is_char_boundary(e.pos + e.len), "{src}: {e:?}");
            assert!(!e.message.is_empty());
            let first = e.message.chars().next().unwrap();
            assert!(!first.is_uppercase(), "{src}: {}", e.message);
            e.render(src);
            e.line_col(src);
        }
    }
}

#[test]
fn no_panic_on_random_characters() {
    let t = table();
    let virt = vec!["score".to_string()];
    let chars: Vec<char> = "ab_1-.e9 ()[],\"'`\\=!<>&|é\u{1F600}\n\t;xnotandor"
        .chars()
        .collect();
    let mut next = xorshift(7);
    for _ in 0..20_000 {
        let n = next() % 24;
        let s: String = (0..n).map(|_| *pick(&mut next, &chars)).collect();
        check_no_panic(&t, &virt, &s);
    }
}

#[test]
fn no_panic_on_random_token_soup() {
    let t = table();
    let virt = vec!["score".to_string(), "fit".to_string()];
    let toks = [
        "industry",
        "employees",
        "customer",
        "created",
        "last_visit",
        "title",
        "region",
        "score",
        "fit",
        "`Job Title`",
        "`missing`",
        "nope",
        "and",
        "or",
        "not",
        "in",
        "is",
        "missing",
        "present",
        "true",
        "false",
        "contains",
        "starts_with",
        "ends_with",
        "matches",
        "days_since",
        "(",
        ")",
        "[",
        "]",
        ",",
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "1",
        "-2.5",
        "0",
        "2026-01-31",
        "\"software\"",
        "'(a'",
        "\"^v\"",
        "\"\"",
        "=",
        "AND",
    ];
    let mut next = xorshift(42);
    for _ in 0..30_000 {
        let n = 1 + next() % 12;
        let s: Vec<&str> = (0..n).map(|_| *pick(&mut next, &toks)).collect();
        check_no_panic(&t, &virt, &s.join(" "));
    }
}

#[test]
fn random_well_formed_conditions_agree_between_set_and_lead() {
    fn random_cond(next: &mut impl FnMut() -> u64, depth: usize) -> String {
        let leaf = [
            "industry == \"software\"",
            "employees > 100",
            "customer",
            "created >= 2026-01-01",
            "days_since(last_visit) < 20",
            "title contains \"o\"",
            "region in [\"emea\", \"na\"]",
            "industry is missing",
            "employees",
            "title matches \"^d\"",
            "customer == (employees > 10)",
            "created not in [2026-01-01]",
        ];
        if depth == 0 || next().is_multiple_of(3) {
            return pick(next, &leaf).to_string();
        }
        match next() % 4 {
            0 => format!(
                "{} and {}",
                random_cond(next, depth - 1),
                random_cond(next, depth - 1)
            ),
            1 => format!(
                "{} or {}",
                random_cond(next, depth - 1),
                random_cond(next, depth - 1)
            ),
            2 => format!("not {}", random_cond(next, depth - 1)),
            _ => format!("({})", random_cond(next, depth - 1)),
        }
    }
    let mut next = xorshift(3);
    for _ in 0..500 {
        let src = random_cond(&mut next, 5);
        // `run` checks the set, the per-lead path and the residual path agree.
        let got = run(&src);
        assert_eq!(got.len(), 5);
    }
}
