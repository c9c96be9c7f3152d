//! Column builders: where cells go while the file is read.
//!
//! A column's type is known only after its last value, so an undeclared
//! column keeps its trimmed cells as bytes (one buffer, each cell ended by a
//! byte UTF-8 never uses; not a `String` per cell) and the one kind its
//! values share so far. The moment a value makes it text it switches to a
//! dictionary, which holds each distinct value once, so repeated labels cost
//! four bytes a lead. Declared columns are converted as they are read.

use super::parse::{parse_bool, parse_iso_date, parse_number};
use super::{BOOL_MISSING, DATE_MISSING, TEXT_MISSING, TextColumn, Values};
use anyhow::bail;

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
    /// Adds a cell (trimmed; `None` when missing) to an undeclared or text column.
    pub(crate) fn push_cell(&mut self, cell: Option<&str>) -> anyhow::Result<()> {
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

    pub(crate) fn push_parsed(&mut self, value: Parsed) {
        match (self, value) {
            (Builder::Bool(v), Parsed::Bool(x)) => v.push(x),
            (Builder::Number(v), Parsed::Number(x)) => v.push(x),
            (Builder::Date(v), Parsed::Date(x)) => v.push(x),
            _ => {}
        }
    }

    pub(crate) fn finish(self, len: usize) -> anyhow::Result<Values> {
        Ok(match self {
            Builder::Raw(raw) => raw.finish(len)?,
            Builder::Text(t) => Values::Text(t.finish()?),
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

fn kind_of(cell: &str) -> Option<Kind> {
    if parse_bool(cell).is_some() {
        Some(Kind::Bool)
    } else if super::parse::is_decimal(cell) {
        Some(Kind::Number)
    } else if parse_iso_date(cell).is_some() {
        Some(Kind::Date)
    } else {
        None
    }
}

fn fits(kind: Kind, cell: &str) -> bool {
    match kind {
        Kind::Bool => parse_bool(cell).is_some(),
        Kind::Number => super::parse::is_decimal(cell),
        Kind::Date => parse_iso_date(cell).is_some(),
    }
}

/// Trimmed cells of an undeclared column, each followed by [`END`]; an
/// empty cell is a missing one.
#[derive(Default)]
pub(crate) struct RawColumn {
    bytes: Vec<u8>,
    /// `None` until the first present value.
    kind: Option<Kind>,
}

/// Ends each raw cell: a byte that never occurs in UTF-8, so cells need no
/// offsets (one byte a cell instead of four).
const END: u8 = 0xFF;

impl RawColumn {
    /// Stores the cell and returns true, or returns false (storing nothing)
    /// when the cell shows the column is text.
    fn push(&mut self, cell: Option<&str>) -> bool {
        let cell = cell.unwrap_or("");
        if !cell.is_empty() {
            match self.kind {
                Some(k) if !fits(k, cell) => return false,
                Some(_) => {}
                None => match kind_of(cell) {
                    Some(k) => self.kind = Some(k),
                    None => return false,
                },
            }
        }
        self.bytes.extend_from_slice(cell.as_bytes());
        self.bytes.push(END);
        true
    }

    fn cells(&self) -> impl Iterator<Item = &str> + '_ {
        let body = self.bytes.strip_suffix(&[END]).unwrap_or_default();
        let mut cells = body.split(|&b| b == END);
        if self.bytes.is_empty() {
            // No cells at all, not one empty cell.
            cells.next();
        }
        // Cells were pushed as `&str`, so this never falls back.
        cells.map(|c| std::str::from_utf8(c).unwrap_or_default())
    }

    fn into_text(self) -> anyhow::Result<TextBuilder> {
        let mut t = TextBuilder::default();
        for cell in self.cells() {
            t.push((!cell.is_empty()).then_some(cell))?;
        }
        Ok(t)
    }

    fn finish(self, len: usize) -> anyhow::Result<Values> {
        Ok(match self.kind {
            None => Values::Text(TextColumn {
                codes: vec![TEXT_MISSING; len],
                dict: Vec::new(),
            }),
            Some(Kind::Bool) => Values::Bool(
                self.cells()
                    .map(|c| parse_bool(c).map_or(BOOL_MISSING, u8::from))
                    .collect(),
            ),
            Some(Kind::Date) => Values::Date(
                self.cells()
                    .map(|c| parse_iso_date(c).unwrap_or(DATE_MISSING))
                    .collect(),
            ),
            Some(Kind::Number) => {
                let nums: Option<Vec<f64>> = self
                    .cells()
                    .map(|c| {
                        if c.is_empty() {
                            Some(f64::NAN)
                        } else {
                            parse_number(c)
                        }
                    })
                    .collect();
                match nums {
                    Some(nums) => Values::Number(nums),
                    // Written like a number but out of range (`1e400`): text.
                    None => Values::Text(self.into_text()?.finish()?),
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
/// Those two spots are cache misses once a dictionary outgrows the cache,
/// and a miss costs far more while a dozen other columns compete for the
/// cache row by row. So a column with many distinct values (ids, emails,
/// companies) stops interning as it reads: it queues its cells, end to
/// end, and interns them in [`TextBuilder::finish`], one column at a time.
#[derive(Default)]
pub(crate) struct TextBuilder {
    /// Linear probing, a power of two long, at most half full. 0 is empty;
    /// else the top [`TAG_BITS`] are hash bits (a cheap first comparison)
    /// and the rest is the entry's offset in `arena` + 1.
    slots: Vec<u64>,
    arena: Vec<u8>,
    distinct: usize,
    codes: Vec<u32>,
    /// Cells waiting for [`TextBuilder::finish`]: each value followed by
    /// [`END`], or [`QUEUED_MISSING`] alone.
    queued: Vec<u8>,
    queueing: bool,
}

/// Stands for a missing cell in [`TextBuilder::queued`]; like [`END`], a
/// byte UTF-8 never uses.
const QUEUED_MISSING: u8 = 0xFE;

/// Distinct values beyond which a column queues its cells: the table and
/// values then still fit in a core's own cache.
const QUEUE_BEYOND: usize = 2048;

const TAG_BITS: u32 = 24;
const OFFSET_MASK: u64 = (1 << (64 - TAG_BITS)) - 1;
const HEADER: usize = 8;

impl TextBuilder {
    pub(crate) fn push(&mut self, cell: Option<&str>) -> anyhow::Result<()> {
        if self.queueing {
            match cell {
                None => self.queued.push(QUEUED_MISSING),
                Some(s) => {
                    self.queued.extend_from_slice(s.as_bytes());
                    self.queued.push(END);
                }
            }
            return Ok(());
        }
        let code = match cell {
            None => TEXT_MISSING,
            Some(s) => self.intern(s.as_bytes())?,
        };
        self.codes.push(code);
        self.queueing = self.distinct > QUEUE_BEYOND;
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
        if self.slots.is_empty() {
            self.slots = vec![0; 16];
        }
        let h = hash(value);
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

    /// Doubles the table, rehashing from the arena (read front to back).
    fn grow(&mut self) {
        let mut slots = vec![0u64; self.slots.len() * 2];
        let mask = slots.len() - 1;
        let mut offset = 0;
        while offset < self.arena.len() {
            let (_, bytes) = self.entry(offset);
            let h = hash(bytes);
            let mut i = (h as usize) & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (h & !OFFSET_MASK) | (offset as u64 + 1);
            offset += HEADER + bytes.len();
        }
        self.slots = slots;
    }

    pub(crate) fn finish(mut self) -> anyhow::Result<TextColumn> {
        let queued = std::mem::take(&mut self.queued);
        let mut rest = queued.as_slice();
        while let Some((&first, tail)) = rest.split_first() {
            if first == QUEUED_MISSING {
                self.codes.push(TEXT_MISSING);
                rest = tail;
                continue;
            }
            let len = rest.iter().position(|&b| b == END).unwrap_or(rest.len());
            let code = self.intern(&rest[..len])?;
            self.codes.push(code);
            rest = rest.get(len + 1..).unwrap_or_default();
        }
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
                t.push(Some(&format!("L{i:07}"))).unwrap();
            }
            t.push(None).unwrap();
        }
        assert!(t.queueing);
        t.push(Some("")).unwrap();
        let col = t.finish().unwrap();
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
        for c in [Some("1"), None, Some("2.5"), None] {
            assert!(r.push(c));
        }
        assert!(!r.push(Some("abc")));
        assert_eq!(r.cells().collect::<Vec<_>>(), ["1", "", "2.5", ""]);
        let mut r = RawColumn::default();
        assert!(r.push(None));
        assert_eq!(r.cells().collect::<Vec<_>>(), [""]);
    }
}
