//! Random numbers and deterministic float helpers: one SplitMix64 stream
//! per row, and `exp`/`ln` from basic IEEE operations so that the bytes are
//! the same on every platform.

/// SplitMix64: tiny, fast, and good enough for synthetic data.
pub(super) struct Rng(u64);

pub(super) const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

pub(super) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// An independent stream per row, so rows can be drawn in any order.
    pub(super) fn for_row(seed: u64, row: u64) -> Rng {
        let s = mix(seed.wrapping_add(0x1EAD_1AB5)) ^ mix(row.wrapping_mul(GOLDEN).wrapping_add(1));
        Rng(mix(s))
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Approximately standard normal (Irwin–Hall of four uniforms): no
    /// transcendental functions, so identical everywhere.
    pub(super) fn normal(&mut self) -> f64 {
        let s = self.unit() + self.unit() + self.unit() + self.unit();
        (s - 2.0) * 1.732_050_807_568_877_2
    }

    pub(super) fn one<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An item by integer weight.
    pub(super) fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut r = self.below(total as u64) as u32;
        for &(item, w) in items {
            if r < w {
                return item;
            }
            r -= w;
        }
        items[items.len() - 1].0
    }

    /// A count: 0 with probability `1 - p_any`, else 1 + geometric(`more`), at most `cap`.
    pub(super) fn count(&mut self, p_any: f64, more: f64, cap: u32) -> u32 {
        if !self.chance(p_any) {
            return 0;
        }
        let mut n = 1;
        while n < cap && self.chance(more) {
            n += 1;
        }
        n
    }
}

pub(super) const LN2: f64 = std::f64::consts::LN_2;

/// `e^x` from a Taylor series after range reduction: only basic IEEE
/// operations, so it rounds the same on every platform.
pub(super) fn exp_det(x: f64) -> f64 {
    if x < -700.0 {
        return 0.0;
    }
    if x > 700.0 {
        return f64::INFINITY;
    }
    let k = (x / LN2).round();
    let r = x - k * LN2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=14 {
        term *= r / n as f64;
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// Natural log for x >= 1e-300 (same reasoning as [`exp_det`]).
pub(super) fn ln_det(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut pow = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    while k < 40.0 {
        sum += pow / k;
        pow *= s2;
        k += 2.0;
    }
    e as f64 * LN2 + 2.0 * sum
}

pub(super) fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + exp_det(-z))
}
