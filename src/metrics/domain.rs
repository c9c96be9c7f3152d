//! The score domain of the labelled leads: every distinct score, with how
//! many converted and other leads have it, in ascending order.
//!
//! AUC and bands are read off it in one pass over the distinct scores (a
//! hundred thousand at most on the bundled sample's million leads), not over
//! a million sorted leads; an edit moves only the leads whose score changed
//! from one entry to another. Each labelled lead holds the id of its entry,
//! so moving it out is one counter; moving it in is one lookup in a hash
//! table keyed by the score's bits. Scores new to the domain are added in
//! one batch, sorted, and merged into the ascending order.
//!
//! Entries that lose their last lead stay (a later edit often brings the
//! score back) until they outnumber the live ones, when the domain is
//! compacted.

use super::Ranked;

/// The entry id of a lead without a known outcome.
pub const NO_VALUE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Value {
    score: f64,
    /// Converted leads with this score, and the others.
    pos: u32,
    neg: u32,
}

/// A change in one entry's counts: converted, others.
pub type Delta = [i32; 2];

#[derive(Default)]
pub struct Domain {
    values: Vec<Value>,
    table: Table,
    /// Entry ids, ascending by score.
    sorted: Vec<u32>,
    /// Kept for merging new entries into `sorted`.
    spare: Vec<u32>,
}

/// A run of labelled leads with one score: (score, converted, others).
pub type Run = (f64, u64, u64);

impl Domain {
    /// The domain of the labelled leads in score `order` (ascending, as
    /// [`super::score_order`] gives them), setting each lead's entry id in
    /// `vid` (which must hold [`NO_VALUE`] elsewhere).
    pub fn build(order: &[Ranked], vid: &mut [u32]) -> Domain {
        let mut ascending: Vec<Value> = vec![];
        let mut last: Option<f64> = None;
        for r in order {
            if last.is_none_or(|l| l.to_bits() != r.score.to_bits()) {
                ascending.push(Value {
                    score: r.score,
                    pos: 0,
                    neg: 0,
                });
                last = Some(r.score);
            }
            let at = ascending.len() - 1;
            count(&mut ascending[at], r.converted, 1);
            vid[r.lead as usize] = at as u32;
        }
        let mut d = Domain::default();
        let ids = d.number(ascending);
        for r in order {
            let v = &mut vid[r.lead as usize];
            *v = ids[*v as usize];
        }
        d
    }

    /// Take `ascending` (entries in ascending order of score) as the
    /// entries, and return the id each gets. The whole-number scores that
    /// [`Table::ints`] holds are numbered first: most leads of most models
    /// have one, and an edit's per-entry changes for them then share a few
    /// cache lines instead of being spread over the whole domain.
    fn number(&mut self, ascending: Vec<Value>) -> Vec<u32> {
        let is_direct = |v: &Value| direct(v.score.to_bits()).is_some();
        let whole = ascending.iter().filter(|v| is_direct(v)).count() as u32;
        let (mut next_whole, mut next_other) = (0, whole);
        let ids: Vec<u32> = ascending
            .iter()
            .map(|v| {
                let next = if is_direct(v) {
                    &mut next_whole
                } else {
                    &mut next_other
                };
                *next += 1;
                *next - 1
            })
            .collect();
        let mut values = ascending.clone();
        for (v, &id) in ascending.iter().zip(&ids) {
            values[id as usize] = *v;
        }
        self.sorted = ids.clone();
        self.table = Table::with(&values);
        self.values = values;
        ids
    }

    /// Number of entries (ids are below it).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// The entry of `score`, if the domain has it.
    #[inline]
    pub fn find(&self, score: f64) -> Option<u32> {
        self.table.find(score.to_bits())
    }

    /// The entries of a batch of scores, as [`Domain::find`] for each. The
    /// first probes of the whole batch are loaded before any is looked at,
    /// so the processor waits for their cache misses together.
    #[inline]
    pub fn find_batch<const N: usize>(&self, scores: [f64; N]) -> [Option<u32>; N] {
        let t = &self.table;
        let first = scores.map(|s| {
            let key = s.to_bits();
            match direct(key) {
                Some(k) => (key, t.ints.get(k).copied().unwrap_or(NO_VALUE)),
                None if t.slots.is_empty() => (key, NO_VALUE),
                None => t.slots[t.slot(key)],
            }
        });
        std::array::from_fn(|j| {
            let (key, id) = first[j];
            if id == NO_VALUE {
                None
            } else if key == scores[j].to_bits() {
                Some(id)
            } else {
                t.find(scores[j].to_bits())
            }
        })
    }

    /// Add per-entry changes (indexed by id, as long as [`Domain::len`] was
    /// when they were collected).
    pub fn apply(&mut self, delta: &[Delta]) {
        for (v, d) in self.values.iter_mut().zip(delta) {
            v.pos = v.pos.wrapping_add_signed(d[0]);
            v.neg = v.neg.wrapping_add_signed(d[1]);
        }
    }

    /// Add leads whose score is not in the domain yet: (score, lead,
    /// converted); sets their entry ids in `vid`.
    pub fn insert(&mut self, mut new: Vec<(f64, u32, bool)>, vid: &mut [u32]) {
        if new.is_empty() {
            return;
        }
        new.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let first_new = self.values.len() as u32;
        for (score, lead, converted) in new {
            // Several leads can bring the same new score.
            let id = match self.find(score) {
                Some(id) => id,
                None => {
                    let id = self.values.len() as u32;
                    self.values.push(Value {
                        score,
                        pos: 0,
                        neg: 0,
                    });
                    self.table.insert(score.to_bits(), id);
                    id
                }
            };
            count(&mut self.values[id as usize], converted, 1);
            vid[lead as usize] = id;
        }
        // The new ids are ascending by score: merge them into the order.
        let values = &self.values;
        let key = |id: &u32| values[*id as usize].score;
        let added = first_new..values.len() as u32;
        let merged = &mut self.spare;
        merged.clear();
        let mut old = self.sorted.iter().copied().peekable();
        for id in added {
            while let Some(o) = old.next_if(|o| key(o).total_cmp(&key(&id)).is_lt()) {
                merged.push(o);
            }
            merged.push(id);
        }
        merged.extend(old);
        std::mem::swap(&mut self.sorted, &mut self.spare);
    }

    /// The scores that leads have, ascending, with their counts (into a
    /// buffer kept by the caller: a fresh one per edit costs page faults).
    pub fn runs_into(&self, out: &mut Vec<Run>) {
        out.clear();
        out.extend(
            self.sorted
                .iter()
                .map(|&id| self.values[id as usize])
                .filter(|v| v.pos + v.neg > 0)
                .map(|v| (v.score, v.pos as u64, v.neg as u64)),
        );
    }

    #[cfg(test)]
    fn runs(&self) -> Vec<Run> {
        let mut out = vec![];
        self.runs_into(&mut out);
        out
    }

    /// Drop the entries no lead has any more, once they outnumber the live
    /// ones (so the domain stays proportional to the distinct scores), and
    /// renumber the leads' entry ids in `vid`.
    pub fn compact_if_sparse(&mut self, live: usize, vid: &mut [u32]) {
        // Unit tests compact early, so that they see it happen.
        const SLACK: usize = if cfg!(test) { 8 } else { 4096 };
        if self.values.len() <= 2 * live + SLACK {
            return;
        }
        let mut renumber = vec![NO_VALUE; self.values.len()];
        let mut ascending = Vec::with_capacity(live);
        for &id in &self.sorted {
            let v = self.values[id as usize];
            if v.pos + v.neg > 0 {
                renumber[id as usize] = ascending.len() as u32;
                ascending.push(v);
            }
        }
        let ids = self.number(ascending);
        for v in vid.iter_mut().filter(|v| **v != NO_VALUE) {
            *v = ids[renumber[*v as usize] as usize];
        }
    }
}

#[inline]
fn count(v: &mut Value, converted: bool, n: i32) {
    if converted {
        v.pos = v.pos.wrapping_add_signed(n);
    } else {
        v.neg = v.neg.wrapping_add_signed(n);
    }
}

/// Record in `delta` that a lead with `converted` moved from entry `from`
/// to entry `to` (either may be `None`).
#[inline]
pub fn moved(delta: &mut [Delta], converted: bool, from: Option<u32>, to: Option<u32>) {
    let k = !converted as usize;
    if let Some(f) = from {
        delta[f as usize][k] -= 1;
    }
    if let Some(t) = to {
        delta[t as usize][k] += 1;
    }
}

/// Score bits → entry id. Whole-number scores near zero (most scores of
/// models without decay) are looked up directly in an array small enough to
/// stay in the processor's cache; the others by open addressing with linear
/// probing, at most half full. Hand-written rather than a `HashMap`: one
/// multiply to hash, and lookups are the inner loop of every edit.
#[derive(Default)]
struct Table {
    /// (score bits, id); id [`NO_VALUE`] marks an empty slot.
    slots: Vec<(u64, u32)>,
    shift: u32,
    /// Keys in `slots`.
    len: usize,
    /// Whole-number scores −[`SPAN`] ..[`SPAN`]: the id of the score
    /// `k − SPAN` at `k` ([`NO_VALUE`] when none). Empty until first used.
    ints: Vec<u32>,
}

/// The whole-number scores looked up directly are those of magnitude below
/// `SPAN`.
const SPAN: i64 = 4096;

/// `key`'s index in [`Table::ints`] if it is the bits of a whole number
/// there (not −0, which has other bits than 0).
#[inline]
fn direct(key: u64) -> Option<usize> {
    let k = f64::from_bits(key) as i64;
    ((k as f64).to_bits() == key && k.abs() < SPAN).then(|| (k + SPAN) as usize)
}

impl Table {
    fn with(values: &[Value]) -> Table {
        let mut t = Table::default();
        t.grow_for(
            values
                .iter()
                .filter(|v| direct(v.score.to_bits()).is_none())
                .count(),
        );
        for (id, v) in values.iter().enumerate() {
            t.insert(v.score.to_bits(), id as u32);
        }
        t
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        // Fibonacci hashing (the high bits of the product), after folding
        // the high bits down: whole-number scores differ only in their top
        // 16 bits, which alone would reach only every fourth slot.
        ((key ^ (key >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    #[inline]
    fn find(&self, key: u64) -> Option<u32> {
        if let Some(k) = direct(key) {
            return self.ints.get(k).copied().filter(|&id| id != NO_VALUE);
        }
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut s = self.slot(key);
        loop {
            let (k, id) = self.slots[s];
            if id == NO_VALUE {
                return None;
            }
            if k == key {
                return Some(id);
            }
            s = (s + 1) & mask;
        }
    }

    /// Insert a key that is not in the table.
    fn insert(&mut self, key: u64, id: u32) {
        if let Some(k) = direct(key) {
            if self.ints.is_empty() {
                self.ints = vec![NO_VALUE; 2 * SPAN as usize];
            }
            self.ints[k] = id;
            return;
        }
        self.grow_for(self.len + 1);
        let s = self.free_slot(key);
        self.slots[s] = (key, id);
        self.len += 1;
    }

    /// Make room for `n` keys in `slots` at most half full.
    fn grow_for(&mut self, n: usize) {
        let cap = (2 * n).next_power_of_two().max(64);
        if cap <= self.slots.len() {
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![(0, NO_VALUE); cap]);
        self.shift = 64 - cap.trailing_zeros();
        for (key, id) in old.into_iter().filter(|s| s.1 != NO_VALUE) {
            let s = self.free_slot(key);
            self.slots[s] = (key, id);
        }
    }

    /// The slot where `key` (not in the table) goes.
    fn free_slot(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut s = self.slot(key);
        while self.slots[s].1 != NO_VALUE {
            s = (s + 1) & mask;
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    /// The runs of a plain sort of the same leads.
    fn runs_of(leads: &[(f64, bool)]) -> Vec<Run> {
        let mut s: Vec<(f64, bool)> = leads.to_vec();
        s.sort_by(|a, b| a.0.total_cmp(&b.0));
        crate::metrics::auc::tie_runs(s.into_iter()).collect()
    }

    /// Whether the directly looked-up whole-number scores have the lowest
    /// ids (as built or compacted; new entries go last).
    fn whole_numbers_first(d: &Domain) -> bool {
        let whole = |v: &Value| direct(v.score.to_bits()).is_some();
        let others = d.values.iter().position(|v| !whole(v));
        others.is_none_or(|k| d.values[k..].iter().all(|v| !whole(v))) && d.values.iter().any(whole)
    }

    #[test]
    fn moves_and_new_scores_keep_the_runs_of_a_fresh_sort() {
        let mut rng = xorshift(9);
        let n = 3000;
        let mut leads: Vec<(f64, bool)> = (0..n)
            .map(|_| ((rng() % 40) as f64, rng().is_multiple_of(3)))
            .collect();
        let mut vid = vec![NO_VALUE; n];
        let mut order: Vec<Ranked> = leads
            .iter()
            .enumerate()
            .map(|(i, &(score, converted))| Ranked {
                score,
                lead: i as u32,
                converted,
            })
            .collect();
        order.sort_by(crate::metrics::by_score_then_lead);
        let mut d = Domain::build(&order, &mut vid);
        assert_eq!(d.runs(), runs_of(&leads));
        assert!(whole_numbers_first(&d));
        let mut compactions = 0;
        for round in 0..200 {
            let mut delta = vec![[0; 2]; d.len()];
            let mut new = vec![];
            let mut seen = vec![false; n];
            for _ in 0..600 {
                let i = (rng() % n as u64) as usize;
                // Each lead moves at most once per edit.
                if std::mem::replace(&mut seen[i], true) {
                    continue;
                }
                // Scores drift up over time, so some are new and old
                // ones lose their last lead.
                let s = (rng() % 40 + round) as f64 * 0.5;
                let conv = leads[i].1;
                let old = vid[i];
                moved(&mut delta, conv, Some(old), None);
                match d.find(s) {
                    Some(id) => {
                        moved(&mut delta, conv, None, Some(id));
                        vid[i] = id;
                    }
                    None => new.push((s, i as u32, conv)),
                }
                leads[i].0 = s;
            }
            d.apply(&delta);
            d.insert(new, &mut vid);
            assert_eq!(d.runs(), runs_of(&leads), "round {round}");
            let live = d.runs().len();
            let before = d.len();
            d.compact_if_sparse(live, &mut vid);
            compactions += (d.len() < before) as usize;
            assert_eq!(d.runs(), runs_of(&leads), "round {round}, compacted");
            if d.len() < before {
                assert!(whole_numbers_first(&d), "round {round}");
            }
            for (i, &(s, _)) in leads.iter().enumerate() {
                assert_eq!(d.values[vid[i] as usize].score, s);
            }
        }
        assert!(compactions >= 2, "{compactions} compactions");
    }

    #[test]
    fn table_finds_every_key_and_only_those() {
        let values: Vec<Value> = (0..5000)
            .map(|k| Value {
                score: k as f64 * 0.25 - 300.0,
                pos: 0,
                neg: 0,
            })
            .collect();
        let t = Table::with(&values);
        for (id, v) in values.iter().enumerate() {
            assert_eq!(t.find(v.score.to_bits()), Some(id as u32));
        }
        assert_eq!(t.find(0.1f64.to_bits()), None);
        assert_eq!(t.find((-0.0f64).to_bits()), None);
        assert_eq!(t.find(5000.0f64.to_bits()), None);
    }

    #[test]
    fn whole_and_other_scores_are_found_alike_one_by_one_and_in_batches() {
        // Whole numbers inside and outside the direct array, its edges,
        // fractions, −0 beside 0, and a table grown one key at a time.
        let mut scores = vec![0.0, -0.0, 1.0, -1.0, 0.5, 1e300, f64::MAX];
        for k in [SPAN - 1, SPAN, SPAN + 1] {
            scores.extend([k as f64, -(k as f64)]);
        }
        scores.extend((0..3000).map(|k| k as f64 * 0.37 - 500.0));
        scores.sort_by(f64::total_cmp);
        scores.dedup_by(|a, b| a.to_bits() == b.to_bits());
        let mut t = Table::default();
        for (id, s) in scores.iter().enumerate() {
            t.insert(s.to_bits(), id as u32);
        }
        let d = Domain {
            table: t,
            ..Domain::default()
        };
        for (id, chunk) in scores.chunks(16).enumerate() {
            let mut batch = [0.25; 16];
            batch[..chunk.len()].copy_from_slice(chunk);
            let found = d.find_batch(batch);
            for (j, s) in chunk.iter().enumerate() {
                let want = Some((id * 16 + j) as u32);
                assert_eq!(d.find(*s), want, "{s}");
                assert_eq!(found[j], want, "{s} in a batch");
            }
        }
        assert_eq!(d.find(0.25), None);
        assert_eq!(d.find(2.0 * SPAN as f64), None);
    }
}
