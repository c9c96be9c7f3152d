//! AUC as the Mann–Whitney statistic, ties counting one half (SPEC §6).

/// `pairs` are (score, converted). `None` when there is no converted or no
/// non-converted lead.
pub fn auc(pairs: &[(f64, bool)]) -> Option<f64> {
    let pos = pairs.iter().filter(|p| p.1).count();
    let neg = pairs.len() - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = pairs.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // For each run of equal scores: its positives beat every negative below
    // the run, and tie with the run's negatives (one half each).
    let mut neg_below = 0u64;
    let mut wins2 = 0u128; // twice the number of wins, to stay in integers
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        let (mut p, mut q) = (0u64, 0u64);
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            if sorted[j].1 {
                p += 1;
            } else {
                q += 1;
            }
            j += 1;
        }
        wins2 += 2 * p as u128 * neg_below as u128 + p as u128 * q as u128;
        neg_below += q;
        i = j;
    }
    Some(wins2 as f64 / (2.0 * pos as f64 * neg as f64))
}
