//! What the options mean for one file's columns, worked out once from its
//! header: which column each `[fields]` / `[data]` name means, which cells
//! are checked before a row is accepted, and which values mean missing.

use super::columns::Builder;
use super::names::did_you_mean;
use super::{DataOptions, FieldType, normalize};
use anyhow::{anyhow, bail};

/// The header row: headers as written (trimmed) and their normalized names.
pub(crate) struct Header {
    pub(crate) headers: Vec<String>,
    pub(crate) names: Vec<String>,
}

impl Header {
    pub(crate) fn read<'f>(
        file: &str,
        fields: impl ExactSizeIterator<Item = &'f [u8]>,
        line: u64,
    ) -> anyhow::Result<Header> {
        let mut headers = Vec::with_capacity(fields.len());
        let mut names: Vec<String> = Vec::with_capacity(fields.len());
        for (i, raw) in fields.enumerate() {
            let header = match std::str::from_utf8(raw) {
                Ok(s) => s.trim().to_string(),
                Err(e) => bail!(
                    "{file}:{line}: invalid UTF-8 in the header (byte 0x{:02X}); re-save the file as UTF-8",
                    raw.get(e.valid_up_to()).copied().unwrap_or_default()
                ),
            };
            let mut name = normalize(&header);
            if name.is_empty() {
                // A blank or all-punctuation header still needs a usable name.
                name = format!("column_{}", i + 1);
            }
            if let Some(j) = names.iter().position(|n| *n == name) {
                bail!(
                    "{file}: columns \"{}\" (column {}) and \"{header}\" (column {}) both normalize to \"{name}\"; \
                     rename one of them",
                    headers[j],
                    j + 1,
                    i + 1
                );
            }
            headers.push(header);
            names.push(name);
        }
        Ok(Header { headers, names })
    }

    /// A column by its header as written, else by its normalized name.
    fn find(&self, wanted: &str) -> Option<usize> {
        if let Some(i) = self.headers.iter().position(|h| h == wanted) {
            return Some(i);
        }
        let norm = normalize(wanted);
        if norm.is_empty() {
            return None;
        }
        self.names.iter().position(|n| *n == norm)
    }

    fn unknown(&self, what: &str, wanted: &str, file: &str) -> anyhow::Error {
        let hint = did_you_mean(wanted, self.headers.iter().map(String::as_str));
        anyhow!("{what}: no column \"{wanted}\" in {file}{hint}")
    }
}

/// Values that mean missing besides the empty cell.
pub(crate) struct Missing {
    /// ASCII tokens, lowercased: compared without allocating.
    ascii: Vec<String>,
    /// Bit `n` set when an ASCII token is `n` bytes long (n < 64), and the
    /// bytes ASCII tokens start with (either case): most cells are ruled
    /// out by these alone.
    ascii_lengths: u64,
    ascii_firsts: [bool; 256],
    /// Other tokens, lowercased: compared against the lowercased cell.
    other: Vec<String>,
}

impl Missing {
    fn new(tokens: &[String]) -> Missing {
        let (ascii, other): (Vec<String>, Vec<String>) = tokens
            .iter()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .partition(|t| t.is_ascii());
        let ascii_lengths = ascii.iter().fold(0u64, |m, t| {
            m | 1u64.checked_shl(t.len() as u32).unwrap_or(0)
        });
        let mut ascii_firsts = [false; 256];
        for t in &ascii {
            if let Some(&b) = t.as_bytes().first() {
                ascii_firsts[usize::from(b.to_ascii_lowercase())] = true;
                ascii_firsts[usize::from(b.to_ascii_uppercase())] = true;
            }
        }
        Missing {
            ascii,
            ascii_lengths,
            ascii_firsts,
            other,
        }
    }

    /// `cell` is already trimmed, and valid UTF-8. Inlined: it is asked
    /// of every cell, and the length and first byte rule out most.
    #[inline]
    pub(crate) fn is_missing(&self, cell: &[u8]) -> bool {
        let Some(&first) = cell.first() else {
            return true;
        };
        let len = cell.len();
        let maybe_ascii = (len >= 64 || self.ascii_lengths >> len & 1 == 1)
            && self.ascii_firsts[usize::from(first)];
        (maybe_ascii && self.is_ascii_token(cell))
            || (!self.other.is_empty() && self.is_other_token(cell))
    }

    fn is_ascii_token(&self, cell: &[u8]) -> bool {
        self.ascii
            .iter()
            .any(|m| m.len() == cell.len() && m.as_bytes().eq_ignore_ascii_case(cell))
    }

    fn is_other_token(&self, cell: &[u8]) -> bool {
        std::str::from_utf8(cell).is_ok_and(|s| self.other.contains(&s.to_lowercase()))
    }
}

/// A column whose cells are validated before a row is accepted.
pub(crate) struct Check {
    pub(crate) col: usize,
    pub(crate) kind: CheckKind,
}

pub(crate) enum CheckKind {
    Declared {
        ty: FieldType,
        format: Option<String>,
    },
    Outcome,
}

/// `slots` value for a column with no declared (non-text) type.
pub(crate) const NO_SLOT: u32 = u32::MAX;

/// What the options mean for this file's columns, worked out once from the header.
pub(crate) struct Plan {
    pub(crate) missing: Missing,
    pub(crate) checks: Vec<Check>,
    /// Per column: its index into `checks` when declared bool/number/date, else [`NO_SLOT`].
    pub(crate) slots: Vec<u32>,
    /// Per column: the declared type, if any.
    pub(crate) declared: Vec<Option<FieldType>>,
    pub(crate) aliases: Vec<(String, usize)>,
    pub(crate) id: Option<usize>,
    pub(crate) outcome: Option<usize>,
    pub(crate) created: Option<usize>,
}

impl Plan {
    pub(crate) fn new(file: &str, header: &Header, opts: &DataOptions) -> anyhow::Result<Plan> {
        let ncols = header.headers.len();
        let mut declared: Vec<Option<(FieldType, Option<String>, &str)>> = vec![None; ncols];
        let mut aliases = Vec::with_capacity(opts.fields.len());
        for f in &opts.fields {
            let what = format!("[fields].{}", f.name);
            let col = header
                .find(&f.column)
                .ok_or_else(|| header.unknown(&what, &f.column, file))?;
            aliases.push((f.name.clone(), col));
            let ty = match (f.ty, &f.format) {
                (None, None) => continue,
                (None, Some(_)) | (Some(FieldType::Date), _) => FieldType::Date,
                (Some(ty), Some(_)) => bail!(
                    "{what}: a format applies to dates only, but the field is declared {}; \
                     remove the format or declare type = \"date\"",
                    ty.name()
                ),
                (Some(ty), None) => ty,
            };
            if let Some((other_ty, other_format, other)) = &declared[col] {
                if *other_ty != ty || *other_format != f.format {
                    bail!(
                        "{what}: column \"{}\" is already declared {} by [fields].{other}; \
                         declare it once",
                        header.headers[col],
                        other_ty.name()
                    );
                }
                continue;
            }
            declared[col] = Some((ty, f.format.clone(), f.name.as_str()));
        }

        // `[data]` names a column by header or normalized name; a `[fields]`
        // name is understood too.
        let resolve = |key: &str, wanted: &Option<String>| -> anyhow::Result<Option<usize>> {
            let Some(wanted) = wanted else {
                return Ok(None);
            };
            if let Some(c) = header.find(wanted) {
                return Ok(Some(c));
            }
            if let Some((_, c)) = aliases.iter().find(|(n, _)| n == wanted) {
                return Ok(Some(*c));
            }
            Err(header.unknown(&format!("[data].{key}"), wanted, file))
        };
        let id = resolve("id", &opts.id)?;
        let outcome = resolve("outcome", &opts.outcome)?;
        let created = resolve("created", &opts.created)?;

        let mut checks = Vec::new();
        let mut slots = vec![NO_SLOT; ncols];
        for (col, d) in declared.iter().enumerate() {
            if let Some((ty, format, _)) = d
                && *ty != FieldType::Text
            {
                slots[col] = checks.len() as u32;
                checks.push(Check {
                    col,
                    kind: CheckKind::Declared {
                        ty: *ty,
                        format: format.clone(),
                    },
                });
            }
        }
        if let Some(col) = outcome {
            checks.push(Check {
                col,
                kind: CheckKind::Outcome,
            });
        }
        let mut declared: Vec<Option<FieldType>> =
            declared.into_iter().map(|d| d.map(|(t, _, _)| t)).collect();
        // Ids are labels: `00123` must stay `00123`, so the id column is text
        // unless the ruleset declares otherwise.
        if let Some(c) = id
            && declared[c].is_none()
        {
            declared[c] = Some(FieldType::Text);
        }
        Ok(Plan {
            missing: Missing::new(&opts.missing),
            checks,
            slots,
            declared,
            aliases,
            id,
            outcome,
            created,
        })
    }

    pub(crate) fn builders(&self) -> Vec<Builder> {
        self.declared
            .iter()
            .map(|d| match d {
                None => Builder::Raw(Default::default()),
                Some(FieldType::Text) => Builder::Text(Default::default()),
                Some(FieldType::Bool) => Builder::Bool(Vec::new()),
                Some(FieldType::Number) => Builder::Number(Vec::new()),
                Some(FieldType::Date) => Builder::Date(Vec::new()),
            })
            .collect()
    }
}
