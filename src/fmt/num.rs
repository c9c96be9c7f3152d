//! Numbers as a person reads them. Each function is one way of writing a
//! number; callers pick by what the reader needs, never by wrapping one in
//! another.

/// A number with at most 2 decimals and no trailing zeros (`45`, `37.5`,
/// `12.34`); empty for a number that is not finite. Scores, subtotals,
/// caps and band edges in reports and on the workbench's screen.
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A number with every digit it has, as a user writes it in a ruleset:
/// `30`, `-2.5`, `0.125`. The list of changes and the changelog use it, so
/// that an edit of 0.125 points is not shown as 0.12.
pub fn exact_num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A rate as a percentage with one decimal, `-` when there is none.
pub fn pct(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{:.1}%", v * 100.0),
        None => "-".into(),
    }
}

/// A figure with exactly `digits` decimals (an AUC `0.812`, a lift `1.25`),
/// `-` when there is none.
pub fn opt_fixed(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(v) => format!("{v:.digits$}"),
        None => "-".into(),
    }
}

/// An integer with thousands separators: `5,000`, `-2,401`, `1,100,000`.
/// Every count and every change of a count on screen is written so.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with thousands separators: `5,000`.
pub fn count(n: usize) -> String {
    thousands(n as i64)
}

/// A figure with exactly `digits` decimals and thousands separators in its
/// whole part: `12,283.9`, `-1,024.50`; empty for a number that is not finite.
pub fn fixed_thousands(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{:.*}", digits, x.abs());
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let negative = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&thousands(whole.parse::<i64>().unwrap_or(0)));
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A count abbreviated with one suffix style for the whole program: `950`,
/// `9.9k`, `12.3k`, `317k`, `1.2M`, `45.0M`, `3.4B`. At most 5 characters.
pub fn abbreviated(n: u64) -> String {
    if n < 1000 {
        return n.to_string();
    }
    let units = [
        (1e3, "k"),
        (1e6, "M"),
        (1e9, "B"),
        (1e12, "T"),
        (1e15, "P"),
        (1e18, "E"),
    ];
    let x = n as f64;
    for (i, &(unit, suffix)) in units.iter().enumerate() {
        let v = x / unit;
        // Rounding may carry into the next unit (999,950 is 1.0M, not 1000k).
        let shown = if v < 99.95 {
            format!("{v:.1}")
        } else {
            format!("{v:.0}")
        };
        if shown.parse::<f64>().unwrap_or(0.0) < 1000.0 || i == units.len() - 1 {
            return format!("{shown}{suffix}");
        }
    }
    unreachable!("the last unit always returns")
}

/// A column of counts in `width` characters: every one in full with
/// thousands separators when they all fit, else every one abbreviated
/// ([`abbreviated`]), so a column never mixes `317k` with `52,680`.
pub fn counts_in(ns: &[u64], width: usize) -> Vec<String> {
    let full: Vec<String> = ns.iter().map(|&n| thousands(n as i64)).collect();
    if full.iter().all(|s| s.len() <= width) {
        full
    } else {
        ns.iter().map(|&n| abbreviated(n)).collect()
    }
}

/// A 95% interval of a rate as percentages, `12–15%`, with as many
/// decimals as keep its ends apart: one when it is narrower than 2 points
/// (`4.6–5.4%`, not `5–5%`), two when narrower than 0.2.
pub fn interval_pct(low: f64, high: f64) -> String {
    let span = (high - low).abs() * 100.0;
    let digits = if span >= 2.0 {
        0
    } else if span >= 0.2 {
        1
    } else {
        2
    };
    format!("{:.*}–{:.*}%", digits, low * 100.0, digits, high * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fmt_num_keeps_at_most_two_decimals_without_trailing_zeros() {
        assert_eq!(fmt_num(45.0), "45");
        assert_eq!(fmt_num(37.5), "37.5");
        assert_eq!(fmt_num(12.344), "12.34");
        assert_eq!(fmt_num(0.126), "0.13");
        assert_eq!(fmt_num(0.125), "0.12"); // a tie goes to the even digit
        assert_eq!(fmt_num(-0.001), "0");
        assert_eq!(fmt_num(-2.5), "-2.5");
        assert_eq!(fmt_num(1e9), "1000000000");
        assert_eq!(fmt_num(f64::NAN), "");
        assert_eq!(fmt_num(f64::INFINITY), "");
    }

    #[test]
    fn exact_num_writes_every_digit() {
        assert_eq!(exact_num(30.0), "30");
        assert_eq!(exact_num(-2.5), "-2.5");
        assert_eq!(exact_num(0.125), "0.125");
        assert_eq!(exact_num(-0.0), "0");
        assert_eq!(exact_num(1e15), "1000000000000000");
        assert_eq!(exact_num(1e-7), "0.0000001");
    }

    #[test]
    fn rates_and_optional_figures_show_a_dash_when_missing() {
        assert_eq!(pct(Some(0.1234)), "12.3%");
        assert_eq!(pct(Some(1.0)), "100.0%");
        assert_eq!(pct(None), "-");
        assert_eq!(opt_fixed(Some(0.8125), 3), "0.812");
        assert_eq!(opt_fixed(Some(1.0), 2), "1.00");
        assert_eq!(opt_fixed(None, 3), "-");
    }

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(-2401), "-2,401");
        assert_eq!(thousands(1_100_000), "1,100,000");
        assert_eq!(thousands(i64::MIN), "-9,223,372,036,854,775,808");
        assert_eq!(count(5000), "5,000");
        assert_eq!(fixed_thousands(12283.94, 1), "12,283.9");
        assert_eq!(fixed_thousands(-1024.5, 2), "-1,024.50");
        assert_eq!(fixed_thousands(-0.01, 1), "0.0");
        assert_eq!(fixed_thousands(60.5, 1), "60.5");
        assert_eq!(fixed_thousands(f64::NAN, 1), "");
    }

    #[test]
    fn abbreviations_have_one_style() {
        assert_eq!(abbreviated(950), "950");
        assert_eq!(abbreviated(9_940), "9.9k");
        assert_eq!(abbreviated(12_345), "12.3k");
        assert_eq!(abbreviated(317_000), "317k");
        assert_eq!(abbreviated(999_950), "1.0M");
        assert_eq!(abbreviated(1_100_000), "1.1M");
        assert_eq!(abbreviated(45_000_000), "45.0M");
        assert_eq!(abbreviated(3_400_000_000), "3.4B");
        for n in [0, 999, 1000, 99_949, 99_950, 999_499, 999_999, u64::MAX] {
            assert!(abbreviated(n).len() <= 5, "{n}: {}", abbreviated(n));
        }
    }

    #[test]
    fn a_column_of_counts_is_all_full_or_all_abbreviated() {
        assert_eq!(counts_in(&[52_680, 317_000], 7), ["52,680", "317,000"]);
        assert_eq!(counts_in(&[52_680, 1_317_000], 7), ["52.7k", "1.3M"]);
        assert_eq!(counts_in(&[1_100_000, 12], 9), ["1,100,000", "12"]);
    }

    #[test]
    fn intervals_keep_their_ends_apart() {
        assert_eq!(interval_pct(0.12, 0.153), "12–15%");
        assert_eq!(interval_pct(0.046, 0.054), "4.6–5.4%");
        assert_eq!(interval_pct(0.0501, 0.0509), "5.01–5.09%");
        assert_eq!(interval_pct(0.0, 0.02), "0–2%");
    }
}
