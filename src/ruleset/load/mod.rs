//! Loading a ruleset: walks the TOML document by hand (not serde) so that
//! every unknown key, wrong type and duplicate id is reported at once with
//! its line and column.
//!
//! - `read.rs`: one value of a given kind (string, number in range, condition, ...)
//! - `data.rs`: `[data]`, `[fields]`, `[derive]`
//! - `scoring.rs`: `[model]`, `[groups]`, the rules, gates, tiers, `[review]`, segments
//! - `cross.rs`: checks across sections (unique ids, names that refer to others)

mod cross;
mod data;
mod read;
mod scoring;

use super::{Diagnostic, Diagnostics, LineIndex, Ruleset};
use std::ops::Range;
use toml_edit::Document;

const TOP_KEYS: &[&str] = &[
    "model",
    "data",
    "fields",
    "derive",
    "groups",
    "rules",
    "gates",
    "tiers",
    "review",
    "segments",
    "changelog",
];

/// The walk over one document: where it is, and every problem found so far.
struct Walker<'a> {
    path: &'a str,
    src: &'a str,
    lines: LineIndex,
    diags: Diagnostics,
    /// See [`Ruleset::data_keys`].
    data_keys: Vec<(String, Range<usize>)>,
    /// Each group a rule names with `group = "..."`, and where (first use).
    group_uses: Vec<(String, Range<usize>)>,
}

pub(super) fn parse(path: &str, source: String) -> Result<Ruleset, Diagnostics> {
    match parse_all(path, source) {
        (Some(rs), d) if !d.has_errors() => Ok(rs),
        (_, d) => Err(d),
    }
}

/// Everything that could be read, and every problem found. The ruleset is
/// `None` only when the file is not valid TOML.
pub(super) fn parse_all(path: &str, source: String) -> (Option<Ruleset>, Diagnostics) {
    let lines = LineIndex::new(&source);
    let doc = match Document::parse(source.as_str()) {
        Ok(d) => d,
        Err(e) => {
            let loc = match e.span() {
                Some(s) => {
                    let (l, c) = lines.line_col(&source, s.start);
                    format!("{path}:{l}:{c}")
                }
                None => path.to_string(),
            };
            let msg = e.message().trim().to_string();
            return (
                None,
                Diagnostics(vec![Diagnostic::error(loc, format!("invalid TOML: {msg}"))]),
            );
        }
    };
    let mut w = Walker {
        path,
        src: &source,
        lines,
        diags: Diagnostics::default(),
        data_keys: vec![],
        group_uses: vec![],
    };
    let root = doc.as_table();
    w.check_keys(root, TOP_KEYS, "the top level", None);

    let model = w.model(root.get("model"));
    let data = w.data(root.get("data"));
    let fields = w.fields(root.get("fields"));
    let derive = w.derives(root.get("derive"));
    let groups = w.groups(root.get("groups"));
    let rules = w.rules(root.get("rules"));
    let gates = w.gates(root.get("gates"));
    let tiers = w.tiers(root.get("tiers"));
    let review = w.review(root.get("review"));
    let segments = w.segments(root.get("segments"));
    if let Some(item) = root.get("changelog")
        && item.as_array_of_tables().is_none()
    {
        w.err(
            item.span(),
            None,
            "`changelog` must be a list of `[[changelog]]` tables",
        );
    }
    let rs = Ruleset {
        path: path.to_string(),
        source: source.clone(),
        model,
        data,
        fields,
        derive,
        groups,
        rules,
        gates,
        tiers,
        review,
        segments,
        lines: w.lines.clone(),
        data_keys: std::mem::take(&mut w.data_keys),
    };
    w.cross_checks(&rs);
    (Some(rs), w.diags)
}
