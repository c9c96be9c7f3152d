//! What the review reads off the labelled leads' distinct scores in one
//! pass: AUC's counts and each band's leads and conversions.

use super::Stats;
use super::auc::MannWhitney;
use super::domain::Run;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Band {
    pub from: f64,
    pub to: f64,
    #[serde(flatten)]
    pub stats: Stats,
}

/// The band a score falls in (SPEC §6): `[e(i), e(i+1))`, the last band
/// closed; below the first edge → first band, above the last → last band.
pub fn band_of(edges: &[f64], score: f64) -> usize {
    let bands = edges.len().saturating_sub(1).max(1);
    // Number of inner edges (e1..e(k-1)) at or below the score.
    let k = edges[1..edges.len().saturating_sub(1).max(1)].partition_point(|&e| e <= score);
    k.min(bands - 1)
}

/// What the review reads off the labelled leads' distinct scores: AUC's
/// counts, and each band's leads and conversions. Made in one pass over
/// them, or over each of two ranges of scores on its own core, then joined.
pub(crate) struct Tally {
    pub(super) mw: MannWhitney,
    pub(super) bands: Vec<(usize, usize)>,
}

impl Tally {
    /// Of `runs` (ascending), with band `edges`.
    pub fn of(runs: &[Run], edges: &[f64]) -> Tally {
        let mut bands = vec![(0usize, 0usize); edges.len().saturating_sub(1)];
        let mut mw = MannWhitney::default();
        let mut band = 0;
        for &(s, p, n) in runs {
            // AUC: ties count one half.
            mw.add(p, n);
            // Scores ascend, so the band only ever moves up.
            while band + 1 < bands.len() && s >= edges[band + 1] {
                band += 1;
            }
            if let Some(b) = bands.get_mut(band) {
                b.0 += (p + n) as usize;
                b.1 += p as usize;
            }
        }
        Tally { mw, bands }
    }

    /// The tally of `self`'s scores followed by `upper`'s (all higher).
    pub fn then(&self, upper: &Tally) -> Tally {
        Tally {
            mw: self.mw.then(&upper.mw),
            bands: (self.bands.iter().zip(&upper.bands))
                .map(|(a, b)| (a.0 + b.0, a.1 + b.1))
                .collect(),
        }
    }
}
