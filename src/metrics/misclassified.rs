//! The misclassified leads: false positives (qualified, not converted) and
//! false negatives (unqualified, converted), the few at the extremes of
//! the scores, found by a scan beyond a threshold rather than a sort of
//! every lead, and kept between edits that move no lead where they were
//! read from.

use super::domain::Run;
use super::is_qualified;
use crate::cond::ones;
use crate::engine::bits;

/// False positives (qualified, not converted; highest score first) and
/// false negatives (unqualified, converted; lowest score first), at most
/// `top` each, equal scores in input order: found by scanning the scores
/// for leads beyond a threshold read off the labelled leads' `runs`, so no
/// sorted order of all leads is needed. A threshold is where `top` leads of
/// the wanted outcome lie beyond it; if fewer of those than `top` are
/// (un)qualified it is widened and the scan repeated.
pub(crate) fn misclassified(
    runs: [&[Run]; 2],
    score: &[f64],
    tier: &[u32],
    sides: &Sides,
    q: Option<usize>,
    top: usize,
) -> Misclassified {
    // The score with at least `want` leads counted by `n` at or beyond it,
    // walking `runs` in the given direction (`bound` when there is none).
    fn threshold<'a>(
        runs: impl Iterator<Item = &'a Run>,
        n: impl Fn(&Run) -> u64,
        want: usize,
        bound: f64,
    ) -> f64 {
        let mut seen = 0;
        for r in runs {
            seen += n(r);
            if seen >= want as u64 {
                return r.0;
            }
        }
        bound
    }
    let mut want = [top, top];
    let mut out: [Option<Vec<usize>>; 2] = [None, None];
    let mut used = [f64::INFINITY, f64::NEG_INFINITY];
    if top == 0 {
        return Misclassified {
            lists: (vec![], vec![]),
            hi: used[0],
            lo: used[1],
        };
    }
    while out.iter().any(Option::is_none) {
        // Leads at or above `hi` may be false positives, at or below `lo`
        // false negatives (a side already found scans nothing).
        let hi = match out[0] {
            None => threshold(
                runs[0].iter().chain(runs[1]).rev(),
                |r| r.2,
                want[0],
                f64::NEG_INFINITY,
            ),
            Some(_) => f64::INFINITY,
        };
        let lo = match out[1] {
            None => threshold(
                runs[0].iter().chain(runs[1]),
                |r| r.1,
                want[1],
                f64::INFINITY,
            ),
            Some(_) => f64::NEG_INFINITY,
        };
        // Both halves of the leads at once.
        let scan = |from: usize, scores: &[f64]| {
            let mut found: [Vec<(f64, usize)>; 2] = [vec![], vec![]];
            gather(scores, sides, from, (hi, lo), |won, s, i| {
                if is_qualified(tier[i], q) != won {
                    found[won as usize].push((s, i));
                }
            });
            found
        };
        let mid = score.len() / 128 * 64;
        let (mut found, upper) =
            rayon::join(|| scan(0, &score[..mid]), || scan(mid, &score[mid..]));
        for (f, u) in found.iter_mut().zip(upper) {
            f.extend(u);
        }
        for side in 0..2 {
            if out[side].is_some() {
                continue;
            }
            let everything = [hi, lo][side].is_infinite();
            let mut f = std::mem::take(&mut found[side]);
            if f.len() >= top || everything {
                used[side] = [hi, lo][side];
                if side == 0 {
                    f.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                } else {
                    f.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                }
                out[side] = Some(f.into_iter().take(top).map(|(_, i)| i).collect());
            } else {
                want[side] = want[side].saturating_mul(4);
            }
        }
    }
    let [fps, fns] = out.map(Option::unwrap_or_default);
    Misclassified {
        lists: (fps, fns),
        hi: used[0],
        lo: used[1],
    }
}

/// Per word of 64 leads, the leads of each outcome: bit `k` of `[0]` is
/// set where lead `64 · word + k` did not convert, of `[1]` where it did
/// (neither where the outcome is unknown).
#[derive(Default)]
pub(crate) struct Sides(pub(super) Vec<[u64; 2]>);

impl Sides {
    pub fn of(outcome: &[Option<bool>], leads: usize) -> Sides {
        let mut words = vec![[0u64; 2]; leads.div_ceil(64)];
        for (i, o) in outcome.iter().enumerate().take(leads) {
            if let Some(won) = *o {
                words[i / 64][won as usize] |= 1 << (i % 64);
            }
        }
        Sides(words)
    }
}

/// Calls `keep(converted, score, lead)` for each lead of `scores` (lead
/// `from`, a multiple of 64, first) beyond `(hi, lo)`: not converted and
/// scored at least `hi`, or converted and at most `lo`.
///
/// 64 leads at a time, without branches: a bit per lead for each
/// threshold (comparisons in vector registers), masked by the leads'
/// [`Sides`]. Almost no lead is beyond, so what is kept costs little.
#[inline]
pub(crate) fn gather(
    scores: &[f64],
    sides: &Sides,
    from: usize,
    (hi, lo): (f64, f64),
    mut keep: impl FnMut(bool, f64, usize),
) {
    for (w, ss) in scores.chunks(64).enumerate() {
        let [others, converted] = sides.0[from / 64 + w];
        let hits = [
            others & bits(ss, |s| s >= hi),
            converted & bits(ss, |s| s <= lo),
        ];
        for (side, b) in hits.into_iter().enumerate() {
            for k in ones(b) {
                keep(side == 1, ss[k], from + w * 64 + k);
            }
        }
    }
}

/// The result of [`misclassified`]: the lists, and where they were read
/// from: non-converted leads scored at least `hi`, converted ones at most
/// `lo`. Only those leads decide the lists (and the thresholds, which count
/// only them), so an edit that moves none of them in or out, and changes
/// none of their tiers, leaves the lists as they are.
#[derive(Debug, Clone)]
pub(crate) struct Misclassified {
    pub lists: (Vec<usize>, Vec<usize>),
    pub hi: f64,
    pub lo: f64,
}

impl Misclassified {
    /// Whether a lead with outcome `won` scored `s` is where the lists were
    /// read from.
    #[inline]
    pub fn reads(&self, won: Option<bool>, s: f64) -> bool {
        beyond(won, s, self.hi, self.lo)
    }
}

/// Whether a lead with outcome `won` scored `s` may be misclassified given
/// the thresholds: converted at or below `lo`, or not converted at or above
/// `hi`. Without branches (the outcome as its byte: 0 other, 1 converted,
/// 2 unknown): which side a lead is on is anyone's guess. (The scan for
/// the lists tests a word of leads at once instead: [`gather`].)
#[inline]
fn beyond(won: Option<bool>, s: f64, hi: f64, lo: f64) -> bool {
    let code = won.map_or(2u8, u8::from);
    (code == 1) & (s <= lo) | (code == 0) & (s >= hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::NO_TIER;
    use crate::metrics::auc::tie_runs;
    use crate::testing::xorshift;

    /// The misclassified lists by their definition: every labelled lead
    /// sorted, then filtered.
    fn by_definition(
        score: &[f64],
        tier: &[u32],
        outcome: &[Option<bool>],
        q: Option<usize>,
        top: usize,
    ) -> (Vec<usize>, Vec<usize>) {
        let mut fps: Vec<usize> = (0..score.len())
            .filter(|&i| outcome[i] == Some(false) && is_qualified(tier[i], q))
            .collect();
        fps.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
        let mut fns: Vec<usize> = (0..score.len())
            .filter(|&i| outcome[i] == Some(true) && !is_qualified(tier[i], q))
            .collect();
        fns.sort_by(|&a, &b| score[a].total_cmp(&score[b]).then(a.cmp(&b)));
        fps.truncate(top);
        fns.truncate(top);
        (fps, fns)
    }

    /// Ties, open leads, and high scorers that are not qualified (so the
    /// first threshold is too tight and has to widen).
    #[test]
    fn misclassified_scan_matches_the_definition() {
        let mut rng = xorshift(5);
        for round in 0..300 {
            let n = 1 + (rng() % 400) as usize;
            let distinct = 1 + rng() % 30;
            let score: Vec<f64> = (0..n).map(|_| (rng() % distinct) as f64 - 5.0).collect();
            let tier: Vec<u32> = (0..n)
                .map(|_| match rng() % 4 {
                    0 => NO_TIER,
                    k => k as u32 - 1,
                })
                .collect();
            let outcome: Vec<Option<bool>> = (0..n)
                .map(|_| match rng() % 3 {
                    0 => None,
                    k => Some(k == 1),
                })
                .collect();
            let q = [None, Some(0), Some(1), Some(2)][(rng() % 4) as usize];
            let top = [0, 1, 3, 10, 50][(rng() % 5) as usize];
            let mut order: Vec<(f64, bool)> = (0..n)
                .filter_map(|i| outcome[i].map(|w| (score[i], w)))
                .collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0));
            let runs: Vec<Run> = tie_runs(order.into_iter()).collect();
            let sides = Sides::of(&outcome, n);
            let got = misclassified([&runs, &[]], &score, &tier, &sides, q, top);
            assert_eq!(
                got.lists,
                by_definition(&score, &tier, &outcome, q, top),
                "round {round}"
            );
        }
    }
}
