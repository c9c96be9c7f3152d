//! The generator's promises: determinism, prefixes, quoting, dates, rates,
//! and float helpers as accurate as the platform's.

use super::calendar::{civil_from_days, days_from_civil, weekday};
use super::rng::{exp_det, ln_det};
use super::*;

fn bytes(rows: usize, seed: u64) -> Vec<u8> {
    let mut v = Vec::new();
    generate(rows, seed, &mut v).unwrap();
    v
}

fn records(data: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut rd = csv::ReaderBuilder::new().from_reader(data);
    let header = rd.headers().unwrap().clone();
    let rows = rd.records().map(|r| r.unwrap()).collect();
    (header, rows)
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    assert_eq!(bytes(500, 7), bytes(500, 7));
    assert_ne!(bytes(500, 7), bytes(500, 8));
}

#[test]
fn a_smaller_sample_is_a_prefix_of_a_larger_one() {
    let small = bytes(300, 3);
    let large = bytes(1000, 3);
    assert!(large.starts_with(&small));
}

#[test]
fn header_and_row_count() {
    let (header, rows) = records(&bytes(1234, 1));
    assert_eq!(header.iter().collect::<Vec<_>>(), HEADERS.to_vec());
    assert_eq!(rows.len(), 1234);
    assert!(rows.iter().all(|r| r.len() == HEADERS.len()));
    let (_, none) = records(&bytes(0, 1));
    assert!(none.is_empty());
}

#[test]
fn values_with_commas_or_quotes_are_quoted() {
    let mut line = String::new();
    put(&mut line, "VP, IT");
    put(&mut line, "say \"hi\"");
    put(&mut line, "plain");
    end_line(&mut line);
    assert_eq!(line, "\"VP, IT\",\"say \"\"hi\"\"\",plain\n");

    let data = bytes(3000, 1);
    let text = String::from_utf8(data.clone()).unwrap();
    assert!(text.contains(",\"VP, IT\","));
    let (_, rows) = records(&data);
    let title = HEADERS.iter().position(|h| *h == "Job Title").unwrap();
    assert!(rows.iter().any(|r| &r[title] == "VP, IT"));
}

#[test]
fn dates_stay_in_the_two_quarters() {
    let (_, rows) = records(&bytes(5000, 2));
    for r in &rows {
        for col in [1, 15, 22, 28] {
            let v = &r[col];
            if !v.is_empty() {
                assert!((FIRST_DAY..="2026-10-31 99").contains(&v), "{v}");
            }
        }
    }
}

#[test]
fn base_rate_and_open_share_at_20k() {
    let (_, rows) = records(&bytes(20_000, 1));
    let outcome = HEADERS.len() - 1;
    let open = rows.iter().filter(|r| r[outcome].is_empty()).count();
    let won = rows.iter().filter(|r| &r[outcome] == "Yes").count();
    let closed = rows.len() - open;
    let open_share = open as f64 / rows.len() as f64;
    let base_rate = won as f64 / closed as f64;
    assert!(
        (0.03..0.07).contains(&open_share),
        "open share {open_share}"
    );
    assert!((0.10..0.15).contains(&base_rate), "base rate {base_rate}");
}

#[test]
fn duplicate_ids_are_rare_but_present() {
    let (_, rows) = records(&bytes(5000, 1));
    let mut ids: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    let dups = before - ids.len();
    assert!((3..60).contains(&dups), "{dups} duplicate ids");
}

#[test]
fn float_helpers_are_accurate() {
    for x in [-30.0, -2.5, -0.1, 0.0, 0.7, 3.0, 12.0] {
        let rel = (exp_det(x) - f64::exp(x)).abs() / f64::exp(x);
        assert!(rel < 1e-13, "exp({x})");
    }
    for x in [1.0, 1.5, 2.0, 10.0, 350.0, 1e6] {
        assert!((ln_det(x) - f64::ln(x)).abs() < 1e-12, "ln({x})");
    }
    for (y, m, d) in [(1970, 1, 1), (2026, 5, 1), (2026, 10, 31), (2000, 2, 29)] {
        assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
    }
    assert_eq!(days_from_civil(1970, 1, 2), 1);
    assert_eq!(weekday(days_from_civil(2026, 5, 1)), 5); // a Friday
}
