//! How a rescoring tells the side that keeps the review (tier counts, the
//! score domain, the misclassified lists) which leads it moved.
//!
//! The engine does not know what is kept from the scores; it reports each
//! changed lead's old and new score and tier, on the core that rescored it,
//! as it goes. The calls are generic, so they compile into the rescoring's
//! loops as if written there.

/// What one core reports while it rescores its share of the changed leads
/// (a [`Pass`]).
pub(crate) trait Moves {
    /// Lead `lead` was rescored: its score went from `old` to `new`, its
    /// tier from `was` to `now` (either may be unchanged).
    fn rescored(&mut self, lead: usize, score: (f64, f64), tier: (u32, u32));

    /// The 64 leads from `lead` (a multiple of 64), of which those whose bit
    /// is set in `changed` were rescored, at once: lead `lead + k` goes
    /// from score `old[k]` to `new[k]` and from tier `was[k]` to `now[k]`.
    fn rescored_word(
        &mut self,
        lead: usize,
        changed: u64,
        score: (&[f64; 64], &[f64; 64]),
        tier: (&[u32; 64], &[u32; 64]),
    );
}

/// What one core reports while it re-tiers its share of the leads whose
/// scores did not change (a [`TierPass`]).
pub(crate) trait TierMoves {
    /// Lead `lead`, scored `score`, was re-tiered from `was` to `now`
    /// (either may be the same).
    fn retiered(&mut self, lead: usize, score: f64, tier: (u32, u32));
}

/// One core's share of a rescoring: the changed leads among
/// [`Pass::leads`].
pub(crate) trait Pass: Send {
    /// The leads this pass covers (from a multiple of 64).
    fn leads(&self) -> std::ops::Range<usize>;

    /// At most how many of them it rescores.
    fn most(&self) -> usize;

    /// Rescore the changed leads, reporting each to `moves`; returns it.
    /// (Taken by value, so that what it counts can stay in registers.)
    fn run<M: Moves>(self, moves: M) -> M;
}

/// One core's share of a re-tiering.
pub(crate) trait TierPass: Send {
    /// Re-tier the leads, reporting each to `moves`; returns it.
    fn run<M: TierMoves>(self, moves: M) -> M;
}

/// The side that keeps what is read off the scores: it runs the passes of
/// a rescoring, each on its own core with what it keeps for that core's
/// leads, and takes in what they report.
pub(crate) trait Watch {
    /// Run `passes` (the leads below the second's first, then the others)
    /// on two cores: they rescore changed leads.
    fn rescore(&mut self, passes: [impl Pass; 2]);

    /// Run `passes` (each half of the leads) on two cores: they re-tier
    /// leads. `afresh`: every lead is tiered from scratch (what was kept
    /// of the tiers no longer holds).
    fn retier(&mut self, afresh: bool, passes: [impl TierPass; 2]);
}
