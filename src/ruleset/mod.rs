//! The ruleset file (SPEC §3): its schema (here), loading with every error
//! at once ([`load`](self::load)), what changed between two rulesets
//! ([`changes`]) and the format-preserving save ([`save`]).

mod changes;
mod diag;
mod load;
pub mod save;

pub use changes::{RuleField, changes};
#[cfg(test)]
pub(crate) use diag::SCANNED;
pub use diag::{Diagnostic, Diagnostics, LineIndex, Severity, did_you_mean, line_col, suggestion};
pub use save::{ChangelogEntry, ChangelogFigures, SaveError};

use crate::data::{DataOptions, DeriveSpec, FieldDecl};
use std::ops::Range;

/// A ruleset as loaded from its TOML file.
#[derive(Debug, Clone)]
pub struct Ruleset {
    /// The path as the user gave it (for messages).
    pub path: String,
    /// The file's text, kept for positions in messages and for saving.
    pub source: String,
    pub model: Model,
    pub data: DataSection,
    pub fields: Vec<FieldDecl>,
    pub derive: Vec<DeriveSpec>,
    /// `[groups]` in file order.
    pub groups: Vec<Group>,
    pub rules: Vec<Rule>,
    pub gates: Vec<Gate>,
    pub tiers: Vec<Tier>,
    pub review: ReviewSettings,
    pub segments: Vec<Segment>,
    /// Where each line of `source` starts: positions for messages in one
    /// pass over the file, however many messages there are.
    pub lines: LineIndex,
    /// Where the keys that are checked against the data are written
    /// (`[data].id`, `[fields].NAME`, `[derive.NAME]`, `[derive.NAME].from`,
    /// ...), so that an error found while loading the data can point at
    /// the line that caused it. The span is the value's when it has one.
    pub data_keys: Vec<(String, Range<usize>)>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub name: Option<String>,
    pub version: i64,
    pub score_range: (f64, f64),
    pub as_of: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct DataSection {
    pub id: Option<String>,
    pub outcome: Option<String>,
    pub created: Option<String>,
    pub delimiter: Option<u8>,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub cap: Option<f64>,
    pub floor: Option<f64>,
    pub span: Range<usize>,
}

/// A condition as written, with where its text starts in the file so that
/// an error inside it can be reported at its exact line and column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CondSource {
    pub text: String,
    /// Byte offset in the file of the condition's first character, when the
    /// string is written without escapes (else of the string's opening quote).
    pub offset: usize,
    /// True when `offset` points into the text itself (no escapes before it).
    pub exact: bool,
}

#[derive(Debug, Clone)]
pub struct Decay {
    pub date: String,
    pub half_life_days: f64,
}

pub const DEFAULT_GROUP: &str = "general";

/// The largest magnitude of a number in a ruleset (points, caps, floors,
/// gate caps, tier minimums, bands, score range, half-lives, capacity).
/// Every sum leadlab makes stays finite and exact with room to spare: 10^4
/// rules of 10^9 points add up to 10^13, a score of 10^9 summed over 10^6
/// leads to 10^15, both below 2^53 (about 9.007e15), under which whole
/// numbers add exactly; and far below f64's limit of about 1.8e308.
pub const MAX_MAGNITUDE: f64 = 1e9;

/// Columns of `leadlab score` output besides the id column and the groups
/// (SPEC §7.1): a group of one of these names would clash with them.
pub const OUTPUT_COLUMNS: [&str; 3] = ["score", "tier", "reasons"];

/// The id column's header in `leadlab score` output when `[data].id` is not set.
pub const ROW_COLUMN: &str = "row";

/// What is wrong with a number for a ruleset (`"is infinite"`, ...), or
/// `None` when it is finite and within [`MAX_MAGNITUDE`]. The loader and
/// the workbench's edits hold numbers to this one rule; [`NUMBER_RULE`]
/// says what to write instead.
pub fn number_problem(x: f64) -> Option<&'static str> {
    if x.is_nan() {
        Some("is not a number")
    } else if x.is_infinite() {
        Some("is infinite")
    } else if x.abs() > MAX_MAGNITUDE {
        Some("is out of range")
    } else {
        None
    }
}

/// What a number in a ruleset may be, as a message says it.
pub const NUMBER_RULE: &str = "write a finite number from -1e9 to 1e9 (beyond that, sums of points lose exactness or overflow)";

/// Why a group may not have this name, when it is the name of a column of
/// `leadlab score` output (SPEC §7.1: the id column, `score`, `tier`, one
/// column per group, `reasons`): the output would hold two columns of one
/// name, and JSON would keep only one of them. Names are compared
/// normalized, as the data's column names are, so `Tier` and `Lead ID`
/// clash too. `id` is `[data].id`.
pub fn group_name_clash(name: &str, id: Option<&str>) -> Option<String> {
    let norm = crate::data::normalize(name);
    if let Some(col) = OUTPUT_COLUMNS.iter().find(|c| **c == norm) {
        let extra = if *col == "score" {
            ", and tier requirements could not tell the group's subtotal from the score"
        } else {
            ""
        };
        return Some(format!(
            "`{col}` is a column of `leadlab score` output, and the group's column would clash with it{extra}"
        ));
    }
    let id_name = crate::data::normalize(id.unwrap_or(ROW_COLUMN));
    if id_name.is_empty() || norm != id_name {
        return None;
    }
    Some(match id {
        Some(id) => format!(
            "the lead id column ([data].id = \"{id}\") is the first column of `leadlab score` output, and the group's column would clash with it"
        ),
        None => format!(
            "without [data].id, the first column of `leadlab score` output is `{ROW_COLUMN}` (the row number), and the group's column would clash with it"
        ),
    })
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub group: String,
    pub when: CondSource,
    pub points: f64,
    pub reason: Option<String>,
    pub enabled: bool,
    pub decay: Option<Decay>,
    /// Byte range of the rule's table in the file.
    pub span: Range<usize>,
}

impl Rule {
    /// What a reason list shows for this rule.
    pub fn label(&self) -> &str {
        self.reason.as_deref().unwrap_or(&self.id)
    }
}

#[derive(Debug, Clone)]
pub struct Gate {
    pub id: String,
    pub when: CondSource,
    pub cap: f64,
    pub reason: Option<String>,
    pub span: Range<usize>,
}

impl Gate {
    pub fn label(&self) -> &str {
        self.reason.as_deref().unwrap_or(&self.id)
    }
}

#[derive(Debug, Clone)]
pub struct Tier {
    pub name: String,
    /// `None`: no minimum score.
    pub min: Option<f64>,
    pub require: Option<CondSource>,
    pub action: Option<String>,
    pub sla_hours: Option<f64>,
    pub span: Range<usize>,
}

/// The `[review]` section: how the review is cut and judged (band edges,
/// the qualified tier, capacity). The computed review is [`crate::metrics::Review`].
#[derive(Debug, Clone)]
pub struct ReviewSettings {
    pub bands: Vec<f64>,
    pub qualified: Option<String>,
    pub capacity_per_week: Option<f64>,
}

/// The default band edges (SPEC §3).
pub const DEFAULT_BANDS: [f64; 6] = [0.0, 20.0, 40.0, 60.0, 80.0, 100.0];

impl Default for ReviewSettings {
    fn default() -> Self {
        ReviewSettings {
            bands: DEFAULT_BANDS.to_vec(),
            qualified: None,
            capacity_per_week: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Segment {
    pub id: String,
    pub when: CondSource,
    pub span: Range<usize>,
}

impl Ruleset {
    /// Read and validate a ruleset file. Every problem found is returned at once.
    pub fn load(path: &str) -> Result<Ruleset, Diagnostics> {
        Ruleset::parse(path, Ruleset::read(path)?)
    }

    /// The text of a ruleset file, or a diagnostic saying why it can't be read.
    pub fn read(path: &str) -> Result<String, Diagnostics> {
        std::fs::read_to_string(path).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                "; check the path (run `leadlab sample` for example data, or see `leadlab --help`)"
            } else {
                ""
            };
            Diagnostics(vec![Diagnostic::error(
                path,
                format!("cannot read ruleset: {e}{hint}"),
            )])
        })
    }

    /// Validate a ruleset given as text (`path` is only used in messages).
    pub fn parse(path: &str, source: String) -> Result<Ruleset, Diagnostics> {
        load::parse(path, source)
    }

    /// Like [`Ruleset::parse`], but returns what could be read even when
    /// there are errors (`None` only for invalid TOML), so that `check` can
    /// go on to report condition errors in the same run.
    pub fn parse_all(path: &str, source: String) -> (Option<Ruleset>, Diagnostics) {
        load::parse_all(path, source)
    }

    /// `file:line:col` of a byte offset in the file.
    pub fn location(&self, offset: usize) -> String {
        let (l, c) = self.lines.line_col(&self.source, offset);
        format!("{}:{l}:{c}", self.path)
    }

    /// An error from loading the data against this ruleset, pointed at the
    /// ruleset line it concerns when it is about a key of `[data]`,
    /// `[fields]` or `[derive]`: `r.toml:7:6: [data].id: no column ...`.
    /// Other errors (a CSV line, an unreadable file) are returned as they are.
    ///
    /// The data loader names the key as the start of its message
    /// (`[data].id: ...`), a form its own tests pin, so the data layer
    /// needs to know nothing of ruleset positions.
    pub fn locate_data_error(&self, e: anyhow::Error) -> anyhow::Error {
        let msg = e.to_string();
        let found = self
            .data_keys
            .iter()
            .filter(|(key, _)| {
                msg.strip_prefix(key.as_str())
                    .is_some_and(|rest| rest.starts_with(": "))
            })
            // `[derive.x].from: ...` over `[derive.x]: ...`: the longest key is the most exact.
            .max_by_key(|(key, _)| key.len());
        match found {
            Some((_, span)) => Diagnostics(vec![Diagnostic::error(
                self.location(span.start),
                format!("{e:#}"),
            )])
            .into(),
            None => e,
        }
    }

    /// What the CSV loader needs from the ruleset.
    pub fn data_options(&self, skip_bad_rows: bool) -> DataOptions {
        DataOptions {
            delimiter: self.data.delimiter,
            missing: self.data.missing.clone(),
            fields: self.fields.clone(),
            derive: self.derive.clone(),
            id: self.data.id.clone(),
            outcome: self.data.outcome.clone(),
            created: self.data.created.clone(),
            skip_bad_rows,
        }
    }

    /// Index of the qualified tier: `[review].qualified`, default every tier but the last.
    /// `None` when no tier counts as qualified.
    pub fn qualified_index(&self) -> Option<usize> {
        match &self.review.qualified {
            Some(q) => self.tiers.iter().position(|t| &t.name == q),
            None => self.tiers.len().checked_sub(2),
        }
    }

    /// Group names in output order: `[groups]` in order, then the others in
    /// order of first use by a rule (SPEC §7.1).
    pub fn group_names(&self) -> Vec<String> {
        // A set beside the list: a ruleset may have thousands of groups.
        let mut seen = std::collections::HashSet::new();
        let mut names = vec![];
        let declared = self.groups.iter().map(|g| &g.name);
        for name in declared.chain(self.rules.iter().map(|r| &r.group)) {
            if seen.insert(name.as_str()) {
                names.push(name.clone());
            }
        }
        names
    }
}
