//! Match sets: one bit per lead, and SQL's three-valued logic over them.
//!
//! A condition's value for a whole dataset is a [`TriSet`]: two bitsets, the
//! leads for which it is true and those for which it is false (the rest are
//! unknown). `and`, `or` and `not` work 64 leads at a time.

use std::fmt;

/// A fixed-length set of lead indices, one bit per lead.
///
/// Bits at or beyond `len` are always zero, so counts and word-wise
/// operations need no masking.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bitset {
    words: Vec<u64>,
    len: usize,
}

impl Bitset {
    /// An empty set (every bit zero) for `len` leads.
    pub fn new(len: usize) -> Bitset {
        Bitset {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// A full set (every bit one) for `len` leads.
    pub fn ones(len: usize) -> Bitset {
        let mut b = Bitset {
            words: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        b.trim();
        b
    }

    /// The set of leads `i < len` for which `f(i)` holds.
    pub fn from_fn(len: usize, mut f: impl FnMut(usize) -> bool) -> Bitset {
        let mut words = Vec::with_capacity(len.div_ceil(64));
        let mut start = 0;
        while start < len {
            let end = (start + 64).min(len);
            let mut w = 0u64;
            for i in start..end {
                w |= (f(i) as u64) << (i - start);
            }
            words.push(w);
            start = end;
        }
        Bitset { words, len }
    }

    /// [`Bitset::from_fn`], each half of the leads on its own core
    /// (rayon's; within its pool where called there).
    pub fn par_from_fn(len: usize, f: impl Fn(usize) -> bool + Sync) -> Bitset {
        let mid = (len.div_ceil(64) / 2 * 64).min(len);
        let (a, b) = rayon::join(
            || Bitset::from_fn(mid, &f),
            || Bitset::from_fn(len - mid, |i| f(mid + i)),
        );
        let mut words = a.words;
        words.extend(b.words);
        Bitset { words, len }
    }

    /// Number of leads the set is over (not the number of members).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The underlying words (bit `i % 64` of word `i / 64` is lead `i`).
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Whether lead `i` is in the set; `false` for an index out of range.
    #[inline]
    pub fn get(&self, i: usize) -> bool {
        match self.words.get(i / 64) {
            Some(w) if i < self.len => (w >> (i % 64)) & 1 == 1,
            _ => false,
        }
    }

    /// Add lead `i` (ignored when out of range).
    #[inline]
    pub fn set(&mut self, i: usize) {
        if i < self.len {
            self.words[i / 64] |= 1 << (i % 64);
        }
    }

    /// Remove lead `i` (ignored when out of range).
    #[inline]
    pub fn clear(&mut self, i: usize) {
        if i < self.len {
            self.words[i / 64] &= !(1 << (i % 64));
        }
    }

    /// Number of members.
    pub fn count_ones(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The members in increasing order.
    pub fn iter_ones(&self) -> impl Iterator<Item = usize> + '_ {
        (self.words.iter().enumerate()).flat_map(|(wi, &w)| ones(w).map(move |k| wi * 64 + k))
    }

    /// `self = self ∩ other`.
    pub fn and(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
        // A shorter `other` has no members past its end.
        for a in self.words.iter_mut().skip(other.words.len()) {
            *a = 0;
        }
    }

    /// `self = self ∪ other`.
    pub fn or(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
        self.trim();
    }

    /// `self = self \ other`.
    pub fn andnot(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// The complement within `0..len`.
    pub fn complement(&self) -> Bitset {
        let mut b = Bitset {
            words: self.words.iter().map(|w| !w).collect(),
            len: self.len,
        };
        b.trim();
        b
    }

    /// Zero the bits past `len` (keeps the invariant after whole-word ops).
    fn trim(&mut self) {
        let rem = self.len % 64;
        if rem != 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= (1u64 << rem) - 1;
        }
    }
}

/// A truth value in SQL's three-valued logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tri {
    False,
    True,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    /// A rule, gate, tier requirement or segment holds only when true.
    pub fn is_true(self) -> bool {
        self == Tri::True
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    /// `false and unknown` is false; otherwise unknown propagates.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    /// `true or unknown` is true; otherwise unknown propagates.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    /// `true`, `false` or `unknown` (as the ledger shows it).
    pub fn as_str(self) -> &'static str {
        match self {
            Tri::False => "false",
            Tri::True => "true",
            Tri::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Tri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A condition's value for every lead: true for the leads in `t`, false for
/// those in `f`, unknown for the rest. `t` and `f` never overlap.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TriSet {
    pub t: Bitset,
    pub f: Bitset,
}

impl TriSet {
    pub fn all_true(len: usize) -> TriSet {
        TriSet {
            t: Bitset::ones(len),
            f: Bitset::new(len),
        }
    }

    pub fn all_false(len: usize) -> TriSet {
        TriSet {
            t: Bitset::new(len),
            f: Bitset::ones(len),
        }
    }

    pub fn all_unknown(len: usize) -> TriSet {
        TriSet {
            t: Bitset::new(len),
            f: Bitset::new(len),
        }
    }

    /// Every lead true or false as `b` says.
    pub fn constant(len: usize, b: bool) -> TriSet {
        if b {
            TriSet::all_true(len)
        } else {
            TriSet::all_false(len)
        }
    }

    /// True where `b` holds, false elsewhere (never unknown).
    pub fn from_bitset(b: Bitset) -> TriSet {
        let f = b.complement();
        TriSet { t: b, f }
    }

    /// The value of `f(i)` for every lead `i < len`.
    pub fn from_fn(len: usize, mut f: impl FnMut(usize) -> Tri) -> TriSet {
        let n = len.div_ceil(64);
        let mut tw = Vec::with_capacity(n);
        let mut fw = Vec::with_capacity(n);
        let mut start = 0;
        while start < len {
            let end = (start + 64).min(len);
            let (mut t, mut fl) = (0u64, 0u64);
            for i in start..end {
                let v = f(i);
                t |= ((v == Tri::True) as u64) << (i - start);
                fl |= ((v == Tri::False) as u64) << (i - start);
            }
            tw.push(t);
            fw.push(fl);
            start = end;
        }
        TriSet {
            t: Bitset { words: tw, len },
            f: Bitset { words: fw, len },
        }
    }

    pub fn len(&self) -> usize {
        self.t.len()
    }

    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }

    /// The value for one lead (unknown for an index out of range).
    #[inline]
    pub fn get(&self, lead: usize) -> Tri {
        if self.t.get(lead) {
            Tri::True
        } else if self.f.get(lead) {
            Tri::False
        } else {
            Tri::Unknown
        }
    }

    pub fn count_true(&self) -> usize {
        self.t.count_ones()
    }

    pub fn count_false(&self) -> usize {
        self.f.count_ones()
    }

    pub fn count_unknown(&self) -> usize {
        self.len() - self.count_true() - self.count_false()
    }

    /// The leads whose value is unknown.
    pub fn unknown(&self) -> Bitset {
        let mut u = self.t.clone();
        u.or(&self.f);
        u.complement()
    }

    /// `not`: true and false swap, unknown stays unknown.
    #[allow(clippy::should_implement_trait)]
    pub fn not(&self) -> TriSet {
        TriSet {
            t: self.f.clone(),
            f: self.t.clone(),
        }
    }

    /// `and`: true where both are true, false where either is false.
    pub fn and(&self, other: &TriSet) -> TriSet {
        let mut r = self.clone();
        r.and_assign(other);
        r
    }

    /// `or`: true where either is true, false where both are false.
    pub fn or(&self, other: &TriSet) -> TriSet {
        let mut r = self.clone();
        r.or_assign(other);
        r
    }

    pub fn and_assign(&mut self, other: &TriSet) {
        self.t.and(&other.t);
        self.f.or(&other.f);
    }

    pub fn or_assign(&mut self, other: &TriSet) {
        self.t.or(&other.t);
        self.f.and(&other.f);
    }

    /// `self == other` for bool values: unknown where either is unknown.
    pub fn equals(&self, other: &TriSet) -> TriSet {
        let mut t = self.t.clone();
        t.and(&other.t);
        let mut ff = self.f.clone();
        ff.and(&other.f);
        t.or(&ff);
        let mut f = self.t.clone();
        f.and(&other.f);
        let mut tf = self.f.clone();
        tf.and(&other.t);
        f.or(&tf);
        TriSet { t, f }
    }
}

/// The positions of the bits set in the word `m`, lowest first.
#[inline(always)]
pub fn ones(mut m: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            // Below 64 (`m` is not 0); the mask tells the compiler so.
            let k = m.trailing_zeros() as usize & 63;
            m &= m - 1;
            k
        })
    })
}

/// The word with bit `k` set where `holds(k)`, for `k` below 64. The tests
/// go into a byte each, in one loop (vector compares where `holds`
/// compares array elements); then a multiplication gathers eight bytes'
/// low bits into one byte of the word.
#[inline(always)]
pub fn mask(holds: impl Fn(usize) -> bool) -> u64 {
    let mut flags = [0u8; 64];
    for (k, f) in flags.iter_mut().enumerate() {
        *f = holds(k) as u8;
    }
    let mut m = 0u64;
    for (c, eight) in flags.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(eight.try_into().unwrap());
        // Byte i (0 or 1) lands on bit 56 + i; nothing else reaches those.
        m |= (x.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * c);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Tri; 3] = [Tri::False, Tri::True, Tri::Unknown];

    #[test]
    fn bitset_basics_across_word_boundaries() {
        let mut b = Bitset::new(130);
        assert_eq!(b.len(), 130);
        for i in [0, 63, 64, 127, 129] {
            b.set(i);
        }
        b.set(500); // ignored, no panic
        assert!(b.get(63) && b.get(64) && b.get(129));
        assert!(!b.get(1) && !b.get(130) && !b.get(10_000));
        assert_eq!(b.count_ones(), 5);
        assert_eq!(b.iter_ones().collect::<Vec<_>>(), vec![0, 63, 64, 127, 129]);
        b.clear(63);
        assert_eq!(b.count_ones(), 4);
        assert_eq!(Bitset::ones(130).count_ones(), 130);
        assert_eq!(Bitset::ones(128).count_ones(), 128);
        assert_eq!(b.complement().count_ones(), 126);
        assert_eq!(Bitset::new(0).iter_ones().count(), 0);
    }

    #[test]
    fn a_words_ones_and_a_mask_of_tests_agree_with_bit_by_bit() {
        for m in [
            0,
            1,
            1 << 63,
            u64::MAX,
            0x8000_0000_0000_0001,
            0x0123_4567_89ab_cdef,
        ] {
            let want: Vec<usize> = (0..64).filter(|&k| m >> k & 1 == 1).collect();
            assert_eq!(ones(m).collect::<Vec<_>>(), want, "{m:#x}");
            assert_eq!(mask(|k| m >> k & 1 == 1), m, "{m:#x}");
        }
    }

    #[test]
    fn the_parallel_build_equals_the_plain_one() {
        for len in [0, 1, 63, 64, 65, 127, 128, 129, 1000, 4097] {
            let f = |i: usize| (i * 7919) % 13 < 4 || i + 1 == len;
            let (a, b) = (Bitset::from_fn(len, f), Bitset::par_from_fn(len, f));
            assert_eq!((a.len(), a.words()), (b.len(), b.words()), "{len}");
        }
    }

    #[test]
    fn bitset_in_place_ops() {
        let a0 = Bitset::from_fn(100, |i| i % 2 == 0);
        let b = Bitset::from_fn(100, |i| i % 3 == 0);
        let mut a = a0.clone();
        a.and(&b);
        assert!(a.iter_ones().all(|i| i % 6 == 0));
        assert_eq!(a.count_ones(), 17);
        let mut a = a0.clone();
        a.or(&b);
        assert_eq!(a.count_ones(), 50 + 34 - 17);
        let mut a = a0.clone();
        a.andnot(&b);
        assert_eq!(a.count_ones(), 50 - 17);
    }

    #[test]
    fn tri_truth_tables() {
        use Tri::*;
        for a in ALL {
            for b in ALL {
                let and = match (a, b) {
                    (False, _) | (_, False) => False,
                    (True, True) => True,
                    _ => Unknown,
                };
                let or = match (a, b) {
                    (True, _) | (_, True) => True,
                    (False, False) => False,
                    _ => Unknown,
                };
                assert_eq!(a.and(b), and, "{a} and {b}");
                assert_eq!(a.or(b), or, "{a} or {b}");
            }
        }
        assert_eq!(True.not(), False);
        assert_eq!(False.not(), True);
        assert_eq!(Unknown.not(), Unknown);
        assert_eq!(Unknown.to_string(), "unknown");
    }

    #[test]
    fn triset_ops_match_per_lead_logic() {
        // Every pair of values, repeated past a word boundary.
        let n = 9 * 20;
        let a = TriSet::from_fn(n, |i| ALL[i % 3]);
        let b = TriSet::from_fn(n, |i| ALL[(i / 3) % 3]);
        let and = a.and(&b);
        let or = a.or(&b);
        let not = a.not();
        let eq = a.equals(&b);
        for i in 0..n {
            let (x, y) = (a.get(i), b.get(i));
            assert_eq!(and.get(i), x.and(y));
            assert_eq!(or.get(i), x.or(y));
            assert_eq!(not.get(i), x.not());
            let e = if x == Tri::Unknown || y == Tri::Unknown {
                Tri::Unknown
            } else {
                Tri::from_bool(x == y)
            };
            assert_eq!(eq.get(i), e);
        }
        assert_eq!(a.count_true(), 60);
        assert_eq!(a.count_false(), 60);
        assert_eq!(a.count_unknown(), 60);
        assert_eq!(a.unknown().count_ones(), 60);
        assert_eq!(a.get(n + 5), Tri::Unknown);
    }

    #[test]
    fn triset_constants() {
        assert_eq!(TriSet::all_true(70).count_true(), 70);
        assert_eq!(TriSet::all_false(70).count_false(), 70);
        assert_eq!(TriSet::all_unknown(70).count_unknown(), 70);
        let s = TriSet::from_bitset(Bitset::from_fn(70, |i| i < 3));
        assert_eq!((s.count_true(), s.count_false()), (3, 67));
    }
}
