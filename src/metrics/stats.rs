//! Conversion figures of a set of leads, with the Wilson interval.

/// Leads, converted, rate, 95% Wilson interval and lift of a band or tier.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Stats {
    pub leads: usize,
    pub converted: usize,
    pub rate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub lift: Option<f64>,
}

impl Stats {
    pub fn new(leads: usize, converted: usize, base_rate: Option<f64>) -> Stats {
        let rate = ratio(converted, leads);
        let ci = wilson(converted, leads);
        Stats {
            leads,
            converted,
            rate,
            ci_low: ci.map(|c| c.0),
            ci_high: ci.map(|c| c.1),
            lift: lift(rate, base_rate),
        }
    }
}

/// The 95% Wilson score interval (z = 1.96) for `k` successes in `n`; `None` when n = 0.
pub fn wilson(k: usize, n: usize) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    const Z: f64 = 1.96;
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = Z * Z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Some(((center - half).max(0.0), (center + half).min(1.0)))
}

pub(crate) fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

pub(crate) fn lift(rate: Option<f64>, base: Option<f64>) -> Option<f64> {
    match (rate, base) {
        (Some(r), Some(b)) if b > 0.0 => Some(r / b),
        _ => None,
    }
}
