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
}
