//! The review kept up to date with a ruleset being edited: what the
//! workbench shows after every edit.
//!
//! The engine's [`Rescore`] rescores only the leads an edit can move and
//! reports each to this side, which moves it in what the review is read
//! from: the tier counts ([`TierCounts`]), the labelled leads' score domain
//! ([`Domain`], which sorts only the moved leads' new scores that are not
//! whole numbers; tallied per half on both cores), and whether a moved
//! lead is where the last misclassified lists were read from (if none is,
//! they still hold and the scan for them is skipped). Rule evidence is
//! recomputed only for rules whose condition changed. The figures are
//! those of [`super::review`] without segments, assembled by the same
//! [`super::review::assemble`].

use super::domain::Domain;
use super::evidence::{base_rate, rule_evidence_of};
use super::misclassified::{Misclassified, Sides, misclassified};
use super::moves::{Changes, Mover};
use super::review::{assemble, created_weeks};
use super::{Review, RuleEvidence, Tally, TierCounts, outcome_of};
use crate::cond::{mask, ones};
use crate::data::LeadTable;
use crate::engine::{
    Compiled, CompiledRule, Moves, Pass, Rescore, Rescored, TierMoves, TierPass, Watch,
};
use crate::ruleset::Ruleset;
use std::sync::Arc;

/// The figures of one evaluation.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub review: Review,
    /// Per rule, in ruleset order.
    pub evidence: Vec<RuleEvidence>,
}

/// The review, kept up to date between edits. One per table; feed it every
/// state of the ruleset in turn.
#[derive(Default)]
pub struct LiveReview {
    /// How many false positives and negatives to keep.
    top: usize,
    /// The scores and tiers, rescored incrementally.
    scores: Rescore,
    domain: Domain,
    counts: TierCounts,
    weeks: Option<f64>,
    /// Per rule: compiled part and its evidence.
    evidence: Vec<(Arc<CompiledRule>, RuleEvidence)>,
    /// Per thread, kept between edits: the domain's changes.
    changes: [Changes; 2],
    /// The last misclassified lists, and the qualified tier they are for.
    wrong: Option<(Misclassified, Option<usize>)>,
    /// The leads of each outcome, per word of leads.
    sides: Sides,
}

impl LiveReview {
    /// `top`: how many false positives and negatives to keep.
    pub fn new(top: usize) -> LiveReview {
        LiveReview {
            top,
            ..LiveReview::default()
        }
    }

    /// Per lead, the score of the last evaluation.
    pub fn score(&self) -> &[f64] {
        self.scores.score()
    }

    /// Per lead, the tier of the last evaluation.
    pub fn tier(&self) -> &[u32] {
        self.scores.tier()
    }

    /// Score `rs` (compiled as `c` against `table`) and review it, reusing
    /// whatever the previous call computed that the changes did not touch.
    pub fn evaluate(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Evaluation {
        super::pool().install(|| self.evaluate_here(c, rs, table))
    }

    fn evaluate_here(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Evaluation {
        let mut watch = Watcher {
            outcome: &table.outcome,
            tiers: rs.tiers.len(),
            reads: self.wrong.as_ref().map(|(w, _)| w),
            sides: &self.sides,
            domain: &mut self.domain,
            counts: &mut self.counts,
            changes: &mut self.changes,
            stale: false,
        };
        // Whether the last misclassified lists still hold (no lead where
        // they were read from changed).
        let kept = match self.scores.rescore(c, rs, &mut watch) {
            Rescored::Edited => !watch.stale,
            Rescored::Afresh => {
                self.sides = Sides::of(&table.outcome, c.leads);
                self.domain = Domain::build(self.scores.score(), &table.outcome);
                self.weeks = created_weeks(table);
                false
            }
        };
        let runs = self.domain.runs_halves();
        let q = rs.qualified_index();
        let (score, tier) = (self.scores.score(), self.scores.tier());
        let wrong = match self.wrong.take() {
            Some((w, for_q)) if kept && for_q == q => w,
            _ => misclassified(runs, score, tier, &self.sides, q, self.top),
        };
        let lists = wrong.lists.clone();
        self.wrong = Some((wrong, q));
        // Each half's scores on its own core.
        let edges = &rs.review.bands;
        let (lower, upper) =
            rayon::join(|| Tally::of(runs[0], edges), || Tally::of(runs[1], edges));
        let tally = lower.then(&upper);
        let review = assemble(rs, c.leads, &self.counts, &tally, lists, self.weeks);
        Evaluation {
            review,
            evidence: self.evidence(c, rs, table),
        }
    }

    /// Rule evidence, recomputed only for rules whose condition changed.
    fn evidence(&mut self, c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Vec<RuleEvidence> {
        let mut next = Vec::with_capacity(c.rules.len());
        let mut base = None;
        for (k, cr) in c.rules.iter().enumerate() {
            let e = match self
                .evidence
                .iter()
                .find(|(p, e)| Arc::ptr_eq(p, cr) && e.id == rs.rules[k].id)
            {
                Some((_, e)) => e.clone(),
                None => rule_evidence_of(
                    &rs.rules[k].id,
                    cr,
                    table,
                    *base.get_or_insert_with(|| base_rate(table)),
                ),
            };
            next.push((cr.clone(), e));
        }
        self.evidence = next;
        self.evidence.iter().map(|(_, e)| e.clone()).collect()
    }
}

/// What the engine's rescoring reports to: the parts of a [`LiveReview`]
/// that moved leads change, for one evaluation.
struct Watcher<'a> {
    outcome: &'a [Option<bool>],
    tiers: usize,
    /// The last misclassified lists, to tell whether a moved lead is where
    /// they were read from.
    reads: Option<&'a Misclassified>,
    sides: &'a Sides,
    domain: &'a mut Domain,
    counts: &'a mut TierCounts,
    changes: &'a mut [Changes; 2],
    /// Whether a moved lead is where the last misclassified lists were
    /// read from, or every lead was re-tiered.
    stale: bool,
}

impl<'a> Watcher<'a> {
    /// A core's empty tally.
    fn tally(&self, afresh: bool) -> TierTally<'a> {
        TierTally {
            outcome: self.outcome,
            reads: self.reads,
            counts: TierCounts::new(self.tiers),
            touched: false,
            afresh,
        }
    }
}

impl Watch for Watcher<'_> {
    fn rescore(&mut self, [a, b]: [impl Pass; 2]) {
        let [mut tally_a, mut tally_b] = [self.tally(false), self.tally(false)];
        tally_a.touched = self.reads.is_none();
        tally_b.touched = self.reads.is_none();
        let sides = self.sides;
        let (leaving_a, leaving_b) = self.domain.leaving_mut(b.leads().start);
        let [changes_a, changes_b] = &mut *self.changes;
        let (moved_a, moved_b) = rayon::join(
            || sweep(a, tally_a, sides, changes_a, leaving_a),
            || sweep(b, tally_b, sides, changes_b, leaving_b),
        );
        let [a, b] = &*self.changes;
        self.domain.apply([a, b]);
        self.counts.merge(&moved_a.counts);
        self.counts.merge(&moved_b.counts);
        self.stale |= moved_a.touched || moved_b.touched;
    }

    fn retier(&mut self, afresh: bool, [lo, hi]: [impl TierPass; 2]) {
        let (a, b) = (self.tally(afresh), self.tally(afresh));
        let (mut a, b) = rayon::join(|| lo.run(a), || hi.run(b));
        a.counts.merge(&b.counts);
        match afresh {
            false => self.counts.merge(&a.counts),
            true => *self.counts = a.counts,
        }
        self.stale |= afresh || a.touched || b.touched;
    }
}

/// Run one core's rescoring `pass`, moving its leads in the tier counts of
/// `tally` and in the domain's `changes` (its `leaving` bits from the
/// pass's first lead on); returns the tally.
fn sweep<'a>(
    pass: impl Pass,
    tally: TierTally<'a>,
    sides: &'a Sides,
    changes: &mut Changes,
    leaving: &mut [u64],
) -> TierTally<'a> {
    let base = pass.leads().start;
    let moves = SweepMoves {
        mover: changes.start(pass.most()),
        tally,
        sides,
        leaving,
        base,
    };
    let SweepMoves {
        mover,
        tally,
        leaving,
        ..
    } = pass.run(moves);
    mover.done();
    changes.finish(leaving, base);
    tally
}

/// One core's tier counts of the leads it moved.
struct TierTally<'a> {
    outcome: &'a [Option<bool>],
    reads: Option<&'a Misclassified>,
    counts: TierCounts,
    /// Whether a moved lead's old or new score is where the last
    /// misclassified lists were read from.
    touched: bool,
    /// Every lead is counted anew.
    afresh: bool,
}

impl TierMoves for TierTally<'_> {
    #[inline]
    fn retiered(&mut self, lead: usize, score: f64, (was, now): (u32, u32)) {
        let won = outcome_of(self.outcome, lead);
        if self.afresh {
            self.counts.add(now, won, 1);
        } else if self.counts.moved(was, now, won) {
            self.touched |= self.reads.is_none_or(|w| w.reads(won, score));
        }
    }
}

/// One core's moves of a rescoring: tier counts, and the labelled leads'
/// moves in the domain, through a [`Mover`].
struct SweepMoves<'a, 'm, 'l> {
    mover: Mover<'m>,
    tally: TierTally<'a>,
    sides: &'a Sides,
    /// The domain's leaving bits, from lead `base` on.
    leaving: &'l mut [u64],
    base: usize,
}

impl Moves for SweepMoves<'_, '_, '_> {
    #[inline(always)]
    fn rescored(&mut self, lead: usize, (old, new): (f64, f64), (was, now): (u32, u32)) {
        let t = &mut self.tally;
        let won = outcome_of(t.outcome, lead);
        t.counts.moved(was, now, won);
        // Once one lead is, the rest need not be tested.
        if let Some(w) = t.reads.filter(|_| !t.touched) {
            t.touched = w.reads(won, old) | w.reads(won, new);
        }
        let moves = won.is_some() & (new.to_bits() != old.to_bits());
        self.mover
            .moved((lead, won == Some(true)), moves, (old, new));
    }

    /// At once: bit masks from comparisons in vector registers, then only
    /// the leads that moved are visited. Those that leave the domain's
    /// listed leads are marked in its leaving bits.
    #[inline(always)]
    fn rescored_word(
        &mut self,
        lead: usize,
        m: u64,
        (score, new): (&[f64; 64], &[f64; 64]),
        (tier, now): (&[u32; 64], &[u32; 64]),
    ) {
        let t = &mut self.tally;
        let retiered = m & !mask(|k| tier[k] == now[k]);
        for k in ones(retiered) {
            let won = outcome_of(t.outcome, lead + k);
            t.counts.moved(tier[k], now[k], won);
        }
        let [others, converted] = self.sides.0[lead / 64];
        if let Some(w) = t.reads.filter(|_| !t.touched) {
            let beyond = |s: &[f64; 64]| {
                others & mask(|k| s[k] >= w.hi) | converted & mask(|k| s[k] <= w.lo)
            };
            t.touched = m & (beyond(score) | beyond(new)) != 0;
        }
        // As numbers, so in vector registers. No score is −0; a NaN one
        // would move to itself, which leaves the domain as it was.
        let same = mask(|k| score[k] == new[k]);
        let leaving = self.mover.word(
            lead,
            m & (others | converted) & !same,
            converted,
            score,
            new,
        );
        self.leaving[(lead - self.base) / 64] |= leaving;
    }
}
