//! Column builders: where cells go while the file is read.
//!
//! A column's type is known only after its last value, so an undeclared
//! column keeps its trimmed cells as bytes (a run: one buffer, each cell
//! ended by a byte UTF-8 never uses; not a `String` per cell) and the one
//! kind its values share so far. The moment a value makes it text it
//! switches to a dictionary, which holds each distinct value once, so
//! repeated labels cost four bytes a lead. Declared columns are converted
//! as they are read.
//!
//! Cells arrive a block at a time, already cut out of the rows as runs
//! along with the kinds they hold, so a column whose block holds no
//! surprise takes the run in one copy.

use super::parse::{decimal_value, is_decimal, parse_bool, parse_iso_date};
use super::source::find;
use super::{BOOL_MISSING, DATE_MISSING, TEXT_MISSING, TextColumn, Values};
use anyhow::bail;

/// Ends a present cell in a run.
const END: u8 = 0xFF;
/// Stands for a missing cell in a run.
const MISSING: u8 = 0xFE;

/// Appends a cell (`None` when missing) to a run: cells end to end, each a
/// value followed by [`END`] or [`MISSING`] alone. UTF-8 never uses either
/// byte, so a run needs no offsets (one byte a cell instead of four).
pub(crate) fn push_to_run(run: &mut Vec<u8>, cell: Option<&[u8]>) {
    match cell {
        Some(c) => {
            run.extend_from_slice(c);
            run.push(END);
        }
        None => run.push(MISSING),
    }
}

/// [`push_to_run`] for the present cell `buf[start..end]`. Cells are
/// short: when eight bytes can be read from `start`, all eight are copied
/// and the surplus dropped, a load and a store instead of a call to
/// `memcpy`.
#[inline]
pub(crate) fn push_present(run: &mut Vec<u8>, buf: &[u8], start: usize, end: usize) {
    let len = end - start;
    match buf.get(start..).and_then(<[u8]>::first_chunk::<8>) {
        Some(&eight) if len < 8 => {
            // END put in place with arithmetic: a byte stored into the word
            // would stall the load of the whole word that follows.
            let shift = 8 * len as u32;
            let cell = u64::from_le_bytes(eight) & ((1 << shift) - 1);
            let word = cell | u64::from(END) << shift;
            run.extend_from_slice(&word.to_le_bytes());
            run.truncate(run.len() - 7 + len);
        }
        _ => {
            run.extend_from_slice(&buf[start..end]);
            run.push(END);
        }
    }
}

/// The first cell of a run and the rest; `None` when the run is empty.
fn next_cell(run: &[u8]) -> Option<(Option<&[u8]>, &[u8])> {
    match run.split_first()? {
        (&MISSING, rest) => Some((None, rest)),
        _ => {
            let len = find(run, 0, [END]);
            Some((Some(&run[..len]), run.get(len + 1..).unwrap_or_default()))
        }
    }
}

fn run_cells(mut run: &[u8]) -> impl Iterator<Item = Option<&[u8]>> {
    std::iter::from_fn(move || {
        let (cell, rest) = next_cell(run)?;
        run = rest;
        Some(cell)
    })
}

/// One column while reading.
pub(crate) enum Builder {
    /// Not declared and not yet known to be text.
    Raw(RawColumn),
    Text(TextBuilder),
    Bool(Vec<u8>),
    Number(Vec<f64>),
    Date(Vec<i32>),
}

/// A value of a declared non-text column, parsed before the row is accepted.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Parsed {
    Bool(u8),
    Number(f64),
    Date(i32),
}

impl Builder {
    /// Whether cells for this column should come with their [`kinds`].
    pub(crate) fn infers(&self) -> bool {
        matches!(self, Builder::Raw(_))
    }

    /// Adds a cell (trimmed, valid UTF-8; `None` when missing) to an
    /// undeclared or text column.
    fn push_cell(&mut self, cell: Option<&[u8]>) -> anyhow::Result<()> {
        match self {
            Builder::Raw(raw) => {
                if raw.push(cell) {
                    return Ok(());
                }
                // The cell is text-only: switch the column to a dictionary.
                let text = std::mem::take(raw).into_text()?;
                *self = Builder::Text(text);
                self.push_cell(cell)
            }
            Builder::Text(t) => t.push(cell),
            // Declared columns receive parsed values through `push_parsed`.
            Builder::Bool(_) | Builder::Number(_) | Builder::Date(_) => Ok(()),
        }
    }

    /// Adds a run of cells (see [`push_to_run`]) to an undeclared or text
    /// column; `kinds` is the [`kinds`] of its present cells, for a
    /// column that [`Builder::infers`].
    pub(crate) fn push_run(&mut self, run: &[u8], kinds: u8) -> anyhow::Result<()> {
        if let Builder::Raw(raw) = self
            && raw.take_run(run, kinds)
        {
            return Ok(());
        }
        match self {
            Builder::Text(t) => t.push_run(run),
            // Some cell is text-only: the column switches at that cell.
            Builder::Raw(_) => run_cells(run).try_for_each(|cell| self.push_cell(cell)),
            Builder::Bool(_) | Builder::Number(_) | Builder::Date(_) => Ok(()),
        }
    }

    pub(crate) fn push_parsed(&mut self, value: Parsed) {
        match (self, value) {
            (Builder::Bool(v), Parsed::Bool(x)) => v.push(x),
            (Builder::Number(v), Parsed::Number(x)) => v.push(x),
            (Builder::Date(v), Parsed::Date(x)) => v.push(x),
            _ => {}
        }
    }

    /// A guess at how long [`Builder::finish`] takes, so that the slowest
    /// columns can start first.
    pub(crate) fn finish_cost(&self) -> usize {
        match self {
            Builder::Raw(raw) => raw.bytes.len(),
            // Interning a cell costs a few times what parsing one does.
            Builder::Text(t) => 8 * t.queued.len(),
            Builder::Bool(_) | Builder::Number(_) | Builder::Date(_) => 0,
        }
    }

    pub(crate) fn finish(self, len: usize) -> anyhow::Result<Values> {
        Ok(match self {
            Builder::Raw(raw) => raw.finish(len)?,
            Builder::Text(t) => Values::Text(t.finish(len)?),
            Builder::Bool(v) => Values::Bool(v),
            Builder::Number(v) => Values::Number(v),
            Builder::Date(v) => Values::Date(v),
        })
    }
}

/// The kind every present value of a raw column has had so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Number,
    Date,
}

/// The one kind a present cell can have (no text is two of them), as a bit;
/// [`TEXT_BIT`] for none. A run's kinds are its cells' bits or-ed together.
#[inline]
pub(crate) fn kinds(cell: &[u8]) -> u8 {
    match kind_of(cell) {
        Some(k) => kind_bit(k),
        None => TEXT_BIT,
    }
}

const TEXT_BIT: u8 = 8;

fn kind_bit(kind: Kind) -> u8 {
    match kind {
        Kind::Bool => 1,
        Kind::Number => 2,
        Kind::Date => 4,
    }
}

fn kind_of(cell: &[u8]) -> Option<Kind> {
    // The first byte rules out most kinds: bools start with a letter,
    // numbers with a digit, sign or point, dates with a digit.
    match cell.first()? {
        b'0'..=b'9' if parse_iso_date(cell).is_some() => Some(Kind::Date),
        b'0'..=b'9' | b'+' | b'-' | b'.' => is_decimal(cell).then_some(Kind::Number),
        b't' | b'f' | b'y' | b'n' | b'T' | b'F' | b'Y' | b'N' => {
            parse_bool(cell).map(|_| Kind::Bool)
        }
        _ => None,
    }
}

fn fits(kind: Kind, cell: &[u8]) -> bool {
    match kind {
        Kind::Bool => parse_bool(cell).is_some(),
        Kind::Number => is_decimal(cell),
        Kind::Date => parse_iso_date(cell).is_some(),
    }
}

/// The trimmed cells of an undeclared column as a run (see [`push_to_run`]).
#[derive(Default)]
pub(crate) struct RawColumn {
    bytes: Vec<u8>,
    /// `None` until the first present value.
    kind: Option<Kind>,
}

impl RawColumn {
    /// Stores the cell and returns true, or returns false (storing nothing)
    /// when the cell shows the column is text.
    fn push(&mut self, cell: Option<&[u8]>) -> bool {
        if let Some(cell) = cell {
            match self.kind {
                Some(k) if !fits(k, cell) => return false,
                Some(_) => {}
                None => match kind_of(cell) {
                    Some(k) => self.kind = Some(k),
                    None => return false,
                },
            }
        }
        push_to_run(&mut self.bytes, cell);
        true
    }

    /// Stores a whole run and returns true when its present cells (of
    /// `kinds`) all have the column's kind; else stores nothing.
    fn take_run(&mut self, run: &[u8], kinds: u8) -> bool {
        let fits = match (self.kind, kinds) {
            (_, 0) => true,
            (Some(k), _) => kinds == kind_bit(k),
            (None, _) => match [Kind::Bool, Kind::Number, Kind::Date]
                .into_iter()
                .find(|&k| kinds == kind_bit(k))
            {
                Some(k) => {
                    self.kind = Some(k);
                    true
                }
                None => false,
            },
        };
        if fits {
            self.bytes.extend_from_slice(run);
        }
        fits
    }

    fn cells(&self) -> impl Iterator<Item = Option<&[u8]>> + '_ {
        run_cells(&self.bytes)
    }

    fn into_text(self) -> anyhow::Result<TextBuilder> {
        let mut t = TextBuilder::default();
        t.push_run(&self.bytes)?;
        Ok(t)
    }

    /// The column of `len` leads (the values are collected into vectors
    /// of that size from the start, not grown to it).
    fn finish(self, len: usize) -> anyhow::Result<Values> {
        fn collect<T>(len: usize, values: impl Iterator<Item = T>) -> Vec<T> {
            let mut v = Vec::with_capacity(len);
            v.extend(values);
            v
        }
        Ok(match self.kind {
            None => Values::Text(TextColumn {
                codes: vec![TEXT_MISSING; len],
                dict: Vec::new(),
            }),
            Some(Kind::Bool) => Values::Bool(collect(
                len,
                self.cells()
                    .map(|c| c.and_then(parse_bool).map_or(BOOL_MISSING, u8::from)),
            )),
            Some(Kind::Date) => Values::Date(collect(
                len,
                self.cells()
                    .map(|c| c.and_then(parse_iso_date).unwrap_or(DATE_MISSING)),
            )),
            Some(Kind::Number) => {
                let mut nums = Vec::with_capacity(len);
                // Every present cell was checked to be decimal on its way in.
                let parsed = self.cells().try_for_each(|cell| {
                    nums.push(match cell {
                        None => f64::NAN,
                        Some(c) => decimal_value(c)?,
                    });
                    Some(())
                });
                match parsed {
                    Some(()) => Values::Number(nums),
                    // Written like a number but out of range (`1e400`): text.
                    None => Values::Text(self.into_text()?.finish(len)?),
                }
            }
        })
    }
}

/// A dictionary-encoded text column being built: an interner.
///
/// Distinct values live end to end in one buffer, each as `code`, `len`
/// (u32 LE each) and the bytes, so there is no allocation per value until
/// [`TextBuilder::finish`]. An open-addressing table of 8-byte slots points
/// into it: a lookup touches one slot and, when its tag matches, one spot of
/// the buffer.
///
/// Those two spots are cache misses once a dictionary outgrows the cache.
/// So a column with many distinct values (ids, emails, companies) stops
/// interning as it reads: it queues its cells as a run and interns them
/// in [`TextBuilder::finish`], when it has a core to itself.
#[derive(Default)]
pub(crate) struct TextBuilder {
    /// Linear probing, a power of two long, at most half full. 0 is empty;
    /// else the top [`TAG_BITS`] are hash bits (a cheap first comparison)
    /// and the rest is the entry's offset in `arena` + 1.
    slots: Vec<u64>,
    arena: Vec<u8>,
    distinct: usize,
    codes: Vec<u32>,
    /// Cells waiting for [`TextBuilder::finish`], as a run.
    queued: Vec<u8>,
    queueing: bool,
}

/// Distinct values beyond which a column queues its cells: the table and
/// values then still fit in a core's own cache.
const QUEUE_BEYOND: usize = 2048;

const TAG_BITS: u32 = 24;
const OFFSET_MASK: u64 = (1 << (64 - TAG_BITS)) - 1;
const HEADER: usize = 8;

impl TextBuilder {
    pub(crate) fn push(&mut self, cell: Option<&[u8]>) -> anyhow::Result<()> {
        if self.queueing {
            push_to_run(&mut self.queued, cell);
            return Ok(());
        }
        let code = match cell {
            None => TEXT_MISSING,
            Some(s) => self.intern(s)?,
        };
        self.codes.push(code);
        self.queueing = self.distinct > QUEUE_BEYOND;
        Ok(())
    }

    fn push_run(&mut self, mut run: &[u8]) -> anyhow::Result<()> {
        while !self.queueing {
            let Some((cell, rest)) = next_cell(run) else {
                return Ok(());
            };
            self.push(cell)?;
            run = rest;
        }
        self.queued.extend_from_slice(run);
        Ok(())
    }

    /// The entry at `offset`: its code and bytes.
    fn entry(&self, offset: usize) -> (u32, &[u8]) {
        let word = |at: usize| {
            let mut w = [0u8; 4];
            if let Some(b) = self.arena.get(at..at + 4) {
                w.copy_from_slice(b);
            }
            u32::from_le_bytes(w)
        };
        let (code, len) = (word(offset), word(offset + 4) as usize);
        let start = offset + HEADER;
        (code, self.arena.get(start..start + len).unwrap_or_default())
    }

    fn intern(&mut self, value: &[u8]) -> anyhow::Result<u32> {
        self.intern_hashed(value, hash(value))
    }

    /// Interns the cells of a run a batch at a time. The table slots (and,
    /// where a tag matches, the entries) of a whole batch are read first,
    /// in a loop where no read waits for another, so that their cache
    /// misses overlap instead of following one another: in a table bigger
    /// than the cache, those misses are most of the time an intern takes.
    fn intern_run(&mut self, mut run: &[u8]) -> anyhow::Result<()> {
        const BATCH: usize = 16;
        let mut batch: [(Option<&[u8]>, u64); BATCH] = [(None, 0); BATCH];
        loop {
            let mut n = 0;
            while n < BATCH
                && let Some((cell, rest)) = next_cell(run)
            {
                batch[n] = (cell, cell.map_or(0, hash));
                run = rest;
                n += 1;
            }
            if self.slots.is_empty() {
                self.slots = vec![0; 16];
            }
            let mask = self.slots.len() - 1;
            let mut touched = 0u64;
            for &(cell, h) in &batch[..n] {
                let slot = self.slots[(h as usize) & mask];
                if cell.is_some() && slot != 0 && slot & !OFFSET_MASK == h & !OFFSET_MASK {
                    let at = ((slot & OFFSET_MASK) - 1) as usize;
                    touched ^= u64::from(self.arena.get(at).copied().unwrap_or_default());
                }
                touched ^= slot;
            }
            std::hint::black_box(touched);
            for &(cell, h) in &batch[..n] {
                let code = match cell {
                    None => TEXT_MISSING,
                    Some(s) => self.intern_hashed(s, h)?,
                };
                self.codes.push(code);
            }
            if n < BATCH {
                return Ok(());
            }
        }
    }

    /// [`TextBuilder::intern`] with the value's hash already known.
    fn intern_hashed(&mut self, value: &[u8], h: u64) -> anyhow::Result<u32> {
        if self.slots.is_empty() {
            self.slots = vec![0; 16];
        }
        let tag = h & !OFFSET_MASK;
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                break;
            }
            if slot & !OFFSET_MASK == tag {
                let (code, bytes) = self.entry(((slot & OFFSET_MASK) - 1) as usize);
                if bytes == value {
                    return Ok(code);
                }
            }
            i = (i + 1) & mask;
        }
        let code = self.distinct;
        let offset = self.arena.len();
        if code >= TEXT_MISSING as usize
            || offset as u64 >= OFFSET_MASK
            || value.len() > u32::MAX as usize
        {
            bail!("a column holds too many distinct values to load");
        }
        self.arena.extend_from_slice(&(code as u32).to_le_bytes());
        self.arena
            .extend_from_slice(&(value.len() as u32).to_le_bytes());
        self.arena.extend_from_slice(value);
        self.slots[i] = tag | (offset as u64 + 1);
        self.distinct += 1;
        if self.distinct * 2 > self.slots.len() {
            self.grow();
        }
        Ok(code as u32)
    }

    /// Doubles the table, rehashing from the arena (read front to back),
    /// a batch of entries at a time for the reason given at
    /// [`TextBuilder::intern_run`].
    fn grow(&mut self) {
        const BATCH: usize = 16;
        let mut slots = vec![0u64; self.slots.len() * 2];
        let mask = slots.len() - 1;
        let mut offset = 0;
        let mut batch = [(0u64, 0usize); BATCH];
        while offset < self.arena.len() {
            let mut n = 0;
            while n < BATCH && offset < self.arena.len() {
                let (_, bytes) = self.entry(offset);
                batch[n] = (hash(bytes), offset);
                offset += HEADER + bytes.len();
                n += 1;
            }
            let touched = batch[..n]
                .iter()
                .fold(0, |t, &(h, _)| t ^ slots[(h as usize) & mask]);
            std::hint::black_box(touched);
            for &(h, at) in &batch[..n] {
                let mut i = (h as usize) & mask;
                while slots[i] != 0 {
                    i = (i + 1) & mask;
                }
                slots[i] = (h & !OFFSET_MASK) | (at as u64 + 1);
            }
        }
        self.slots = slots;
    }

    /// The column of `len` leads.
    pub(crate) fn finish(mut self, len: usize) -> anyhow::Result<TextColumn> {
        let queued = std::mem::take(&mut self.queued);
        self.codes
            .reserve_exact(len.saturating_sub(self.codes.len()));
        self.intern_run(&queued)?;
        drop(queued);
        self.slots = Vec::new();
        let mut dict = Vec::with_capacity(self.distinct);
        let mut offset = 0;
        while offset < self.arena.len() {
            let (_, bytes) = self.entry(offset);
            dict.push(std::str::from_utf8(bytes).unwrap_or_default().to_owned());
            offset += HEADER + bytes.len();
        }
        Ok(TextColumn {
            codes: self.codes,
            dict,
        })
    }
}

/// FxHash (as in rustc) over 8-byte words, then MurmurHash3's finalizer: a
/// multiply only mixes upward, and keys like `L0000123` differ at the end.
/// The keys are the user's own file, so hash flooding is not a concern.
fn hash(bytes: &[u8]) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(SEED);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let w = rest.iter().rev().fold(0u64, |w, &b| w << 8 | u64::from(b));
        h = (h.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_keeps_first_seen_order_across_growth() {
        let mut t = TextBuilder::default();
        let n = 5_000;
        for _ in 0..2 {
            for i in 0..n {
                t.push(Some(format!("L{i:07}").as_bytes())).unwrap();
            }
            t.push(None).unwrap();
        }
        assert!(t.queueing);
        t.push(Some(b"")).unwrap();
        let col = t.finish(2 * n + 3).unwrap();
        assert_eq!(col.dict.len(), n + 1);
        assert_eq!(col.dict[0], "L0000000");
        assert_eq!(col.dict[n - 1], format!("L{:07}", n - 1));
        assert_eq!(col.dict[n], "");
        assert_eq!(col.codes[n], TEXT_MISSING);
        assert_eq!(col.codes[n + 1 + 17], 17);
        assert_eq!(col.codes.len(), 2 * n + 3);
    }

    #[test]
    fn raw_cells_round_trip() {
        let mut r = RawColumn::default();
        assert_eq!(r.cells().count(), 0);
        for c in [Some(&b"1"[..]), None, Some(b"2.5"), None] {
            assert!(r.push(c));
        }
        assert!(!r.push(Some(b"abc")));
        assert_eq!(
            r.cells().collect::<Vec<_>>(),
            [Some(&b"1"[..]), None, Some(b"2.5"), None]
        );
        let mut r = RawColumn::default();
        assert!(r.push(None));
        assert_eq!(r.cells().collect::<Vec<_>>(), [None]);
    }

    #[test]
    fn kind_of_agrees_with_the_parsers_in_spec_order() {
        let pieces: [&[u8]; 14] = [
            b"1",
            b"0",
            b"-",
            b"+",
            b".",
            b"e",
            b"E",
            b"2024-02-29",
            b"T",
            b" ",
            b"yes",
            b"n",
            b"F",
            b"\xC3\xA9",
        ];
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..50_000 {
            let cell = crate::testing::concat_tokens(&mut next, &pieces, 4);
            let want = if parse_bool(&cell).is_some() {
                Some(Kind::Bool)
            } else if is_decimal(&cell) {
                Some(Kind::Number)
            } else if parse_iso_date(&cell).is_some() {
                Some(Kind::Date)
            } else {
                None
            };
            assert_eq!(kind_of(&cell), want, "{:?}", String::from_utf8_lossy(&cell));
        }
    }

    #[test]
    fn runs_are_taken_whole_only_when_every_cell_fits() {
        let run = |cells: &[Option<&str>]| {
            let mut run = Vec::new();
            for c in cells {
                push_to_run(&mut run, c.map(str::as_bytes));
            }
            let kinds = cells
                .iter()
                .flatten()
                .fold(0, |k, c| k | kinds(c.as_bytes()));
            (run, kinds)
        };
        let mut b = Builder::Raw(RawColumn::default());
        let (r, k) = run(&[None, None]);
        b.push_run(&r, k).unwrap();
        let (r, k) = run(&[Some("1"), None, Some("2.5")]);
        b.push_run(&r, k).unwrap();
        assert!(matches!(&b, Builder::Raw(raw) if raw.kind == Some(Kind::Number)));
        // A date among numbers: the column turns text at that cell.
        let (r, k) = run(&[Some("3"), Some("2024-01-05"), Some("4")]);
        b.push_run(&r, k).unwrap();
        let Values::Text(t) = b.finish(8).unwrap() else {
            panic!("not text")
        };
        assert_eq!(t.dict, ["1", "2.5", "3", "2024-01-05", "4"]);
        let m = TEXT_MISSING;
        assert_eq!(t.codes, [m, m, 0, m, 1, 2, 3, 4]);
    }
}
