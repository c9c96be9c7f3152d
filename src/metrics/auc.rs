//! AUC as the Mann–Whitney statistic, ties counting one half (SPEC §6).

/// `pairs` are (score, converted). `None` when there is no converted or no
/// non-converted lead.
pub fn auc(pairs: &[(f64, bool)]) -> Option<f64> {
    let mut sorted: Vec<(f64, bool)> = pairs.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut mw = MannWhitney::default();
    for (_, p, n) in tie_runs(sorted.into_iter()) {
        mw.add(p, n);
    }
    mw.auc()
}

/// Runs of equal scores, from (score, converted) in ascending score order:
/// (score, converted leads, other leads) per run.
pub(crate) fn tie_runs(
    sorted: impl Iterator<Item = (f64, bool)>,
) -> impl Iterator<Item = (f64, u64, u64)> {
    let mut it = sorted.peekable();
    std::iter::from_fn(move || {
        let (s, first) = it.next()?;
        let (mut p, mut n) = (first as u64, !first as u64);
        while let Some(&(_, conv)) = it.peek().filter(|x| x.0 == s) {
            p += conv as u64;
            n += !conv as u64;
            it.next();
        }
        Some((s, p, n))
    })
}

/// The Mann–Whitney count, fed runs of equal scores from the lowest up: a
/// run's converted leads beat every other lead below it and tie (one half
/// each) with the run's other leads.
#[derive(Default)]
pub(crate) struct MannWhitney {
    pub pos: u64,
    pub neg: u64,
    /// Twice the wins, to stay in integers.
    wins2: u128,
}

impl MannWhitney {
    pub fn add(&mut self, p: u64, n: u64) {
        self.wins2 += 2 * p as u128 * self.neg as u128 + p as u128 * n as u128;
        self.pos += p;
        self.neg += n;
    }

    /// The counts of `self`'s scores followed by `upper`'s (all higher).
    pub fn then(&self, upper: &MannWhitney) -> MannWhitney {
        MannWhitney {
            pos: self.pos + upper.pos,
            neg: self.neg + upper.neg,
            wins2: self.wins2 + upper.wins2 + 2 * upper.pos as u128 * self.neg as u128,
        }
    }

    pub fn auc(&self) -> Option<f64> {
        (self.pos > 0 && self.neg > 0)
            .then(|| self.wins2 as f64 / (2.0 * self.pos as f64 * self.neg as f64))
    }
}
