//! Column builders: where cells go while the file is read.
//!
//! A column's type is known only after its last value, so an undeclared
//! column keeps its trimmed cells as bytes (one buffer plus end offsets, not a
//! `String` per cell) and the one kind its values share so far. The moment a
//! value makes it text it switches to a dictionary, which holds each distinct
//! value once, so repeated labels cost four bytes a lead. Declared columns
//! are converted as they are read.

use super::parse::{parse_bool, parse_iso_date, parse_number};
use super::{BOOL_MISSING, DATE_MISSING, TEXT_MISSING, TextColumn, Values};
use anyhow::bail;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
                if raw.push(cell)? {
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
            Builder::Text(t) => Values::Text(t.finish()),
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

/// Trimmed cells of an undeclared column; an empty cell is a missing one.
#[derive(Default)]
pub(crate) struct RawColumn {
    bytes: Vec<u8>,
    /// End offset of each cell in `bytes` (u32 halves the cost per cell).
    ends: Vec<u32>,
    /// `None` until the first present value.
    kind: Option<Kind>,
}

impl RawColumn {
    /// Stores the cell and returns true, or returns false (storing nothing)
    /// when the cell shows the column is text.
    fn push(&mut self, cell: Option<&str>) -> anyhow::Result<bool> {
        let cell = cell.unwrap_or("");
        if !cell.is_empty() {
            match self.kind {
                Some(k) if !fits(k, cell) => return Ok(false),
                Some(_) => {}
                None => match kind_of(cell) {
                    Some(k) => self.kind = Some(k),
                    None => return Ok(false),
                },
            }
        }
        self.bytes.extend_from_slice(cell.as_bytes());
        let Ok(end) = u32::try_from(self.bytes.len()) else {
            bail!("a column holds more than 4 GiB of values; split the file");
        };
        self.ends.push(end);
        Ok(true)
    }

    fn cells(&self) -> impl Iterator<Item = &str> + '_ {
        let mut start = 0usize;
        self.ends.iter().map(move |&end| {
            let end = end as usize;
            let cell = self.bytes.get(start..end).unwrap_or_default();
            start = end;
            // Cells were pushed as `&str` and split at their boundaries.
            std::str::from_utf8(cell).unwrap_or_default()
        })
    }

    fn into_text(self) -> anyhow::Result<TextBuilder> {
        let mut t = TextBuilder::with_capacity(self.ends.len());
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
            Some(Kind::Date) => Values::Date(self.cells().map(|c| parse_iso_date(c).unwrap_or(DATE_MISSING)).collect()),
            Some(Kind::Number) => {
                let nums: Option<Vec<f64>> = self
                    .cells()
                    .map(|c| if c.is_empty() { Some(f64::NAN) } else { parse_number(c) })
                    .collect();
                match nums {
                    Some(nums) => Values::Number(nums),
                    // Written like a number but out of range (`1e400`): text.
                    None => Values::Text(self.into_text()?.finish()),
                }
            }
        })
    }
}

/// A dictionary-encoded text column being built.
#[derive(Default)]
pub(crate) struct TextBuilder {
    index: HashMap<String, u32, BuildHasherDefault<FxHasher>>,
    codes: Vec<u32>,
}

impl TextBuilder {
    fn with_capacity(n: usize) -> Self {
        TextBuilder {
            index: HashMap::default(),
            codes: Vec::with_capacity(n),
        }
    }

    pub(crate) fn push(&mut self, cell: Option<&str>) -> anyhow::Result<()> {
        let code = match cell {
            None => TEXT_MISSING,
            Some(s) => match self.index.get(s) {
                Some(&c) => c,
                None => {
                    let c = self.index.len() as u32;
                    if c == TEXT_MISSING {
                        bail!("a column has more than 4 billion distinct values");
                    }
                    self.index.insert(s.to_owned(), c);
                    c
                }
            },
        };
        self.codes.push(code);
        Ok(())
    }

    pub(crate) fn finish(self) -> TextColumn {
        let mut dict = vec![String::new(); self.index.len()];
        for (s, c) in self.index {
            if let Some(slot) = dict.get_mut(c as usize) {
                *slot = s;
            }
        }
        TextColumn { codes: self.codes, dict }
    }
}

/// The Fx hash (as in rustc): much faster than SipHash for short keys. The
/// keys are the user's own file, so hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}
