//! A radix sort of the score domain's listed leads by score: the sort an
//! edit's arrivals go through, on each core its own.

use super::buf::Buf;
use super::domain::Listed;

/// Sort by key (equal keys in no set order): a few linear passes instead
/// of the comparisons of a general sort, which at hundreds of thousands of
/// elements cost several times as much.
///
/// A radix sort, from the lowest digit, of only the 26 highest bits in
/// which keys can differ (their distance from the lowest key): two passes
/// of 13 bits where a full key takes six of 11. The second pass's digits
/// are counted during the first, so the elements are read three times, not
/// four. Keys that share those 26 bits, scores less than a millionth of
/// their size apart, are rare neighbours; one insertion pass puts them in
/// order. Were they not rare, a general sort takes over.
pub(super) fn radix_sort(v: &mut [Listed], scratch: &mut Buf<Listed>) {
    const BITS: u32 = 13;
    const BUCKETS: usize = 1 << BITS;
    if v.len() < 256 {
        v.sort_unstable_by_key(|o| o.key);
        return;
    }
    let (lo, hi) = (v.iter()).fold((u64::MAX, 0), |(lo, hi), o| (lo.min(o.key), hi.max(o.key)));
    let width = 64 - (hi - lo).leading_zeros();
    let shift = width.saturating_sub(2 * BITS);
    let low = |key: u64| ((key - lo) >> shift) as usize & (BUCKETS - 1);
    let high = |key: u64| ((key - lo) >> shift >> BITS) as usize & (BUCKETS - 1);
    let scratch = &mut scratch.room(v.len())[..v.len()];
    // Where each digit's elements go: counted, then each count turned
    // into the sum of those before it.
    let starts = |c: &mut [u32]| {
        let mut at = 0;
        for n in c.iter_mut() {
            (*n, at) = (at, at + *n);
        }
    };
    let mut at = vec![0u32; BUCKETS];
    for o in v.iter() {
        at[low(o.key)] += 1;
    }
    starts(&mut at);
    let mut next = vec![0u32; BUCKETS];
    for o in v.iter() {
        let d = low(o.key);
        scratch[at[d] as usize] = *o;
        at[d] += 1;
        next[high(o.key)] += 1;
    }
    starts(&mut next);
    for o in scratch.iter() {
        let d = high(o.key);
        v[next[d] as usize] = *o;
        next[d] += 1;
    }
    if shift > 0 && !settle(v, v.len()) {
        v.sort_unstable_by_key(|o| o.key);
    }
}

/// Insertion sort of `v`, meant for one nearly in order: gives up (returns
/// false, every element still there) once it has moved elements more than
/// `budget` places in all. An element not below the highest before it (in
/// a nearly ordered list, almost every one) costs one comparison with a
/// key held in a register.
fn settle(v: &mut [Listed], budget: usize) -> bool {
    let Some(first) = v.first() else {
        return true;
    };
    let (mut moved, mut top) = (0, first.key);
    for i in 1..v.len() {
        let x = v[i];
        if x.key >= top {
            top = x.key;
            continue;
        }
        let mut j = i;
        while j > 0 && v[j - 1].key > x.key {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
        moved += i - j;
        if moved > budget {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::domain::{key, score_of};
    use crate::testing::xorshift;

    #[test]
    fn the_sort_orders_scores_a_few_last_places_apart() {
        // Scores that share the 26 bits the radix passes look at: a few
        // (the insertion pass orders them) or all (a general sort takes
        // over); with far-off scores so that those bits are the highest.
        let mut rng = xorshift(5);
        for close in [3, 10_000] {
            let mut v: Vec<Listed> = (0..20_000u32)
                .map(|t| {
                    let s = match t % 3 {
                        0 if t < 3 * close => f64::from_bits(50f64.to_bits() + rng() % 4096),
                        0 | 1 => (rng() % 10_000) as f64 / 7.0,
                        _ => [-1e300, 1e300, 0.5][(rng() % 3) as usize],
                    };
                    Listed::new(s, t as usize, false)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|o| (o.key, o.tag));
            radix_sort(&mut v, &mut Buf::default());
            assert!(v.windows(2).all(|w| w[0].key <= w[1].key), "{close}");
            v.sort_by_key(|o| (o.key, o.tag));
            assert_eq!(v, want, "{close}");
        }
    }

    #[test]
    fn keys_order_as_total_cmp_and_the_sort_agrees_with_a_plain_one() {
        let mut rng = xorshift(3);
        let specials = [
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
        ];
        let mut v: Vec<Listed> = (0..5000u32)
            .map(|t| {
                let s = match rng() % 3 {
                    0 => specials[(rng() % specials.len() as u64) as usize],
                    1 => f64::from_bits(rng()),
                    _ => (rng() % 100) as f64 / 3.0,
                };
                Listed {
                    key: key(s),
                    tag: t,
                }
            })
            .collect();
        for o in &v {
            assert_eq!(key(score_of(o.key)), o.key);
        }
        let mut want = v.clone();
        want.sort_by(|a, b| score_of(a.key).total_cmp(&score_of(b.key)));
        radix_sort(&mut v, &mut Buf::default());
        let keys = |v: &[Listed]| v.iter().map(|o| o.key).collect::<Vec<_>>();
        assert_eq!(keys(&v), keys(&want));
    }
}
