//! Walks the TOML document by hand (not serde) so that every unknown key,
//! wrong type and duplicate id is reported at once with its line and column.

use super::*;
use crate::data::FieldType;
use toml_edit::{Document, Item, TableLike, Value};

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
const MODEL_KEYS: &[&str] = &["name", "version", "score_range", "as_of"];
const DATA_KEYS: &[&str] = &["id", "outcome", "created", "delimiter", "missing"];
const FIELD_KEYS: &[&str] = &["column", "type", "format"];
const DERIVE_KEYS: &[&str] = &["from", "map", "default"];
const MAP_KEYS: &[&str] = &["match", "value"];
const GROUP_KEYS: &[&str] = &["cap", "floor"];
const RULE_KEYS: &[&str] = &[
    "id", "group", "when", "points", "reason", "enabled", "decay",
];
const DECAY_KEYS: &[&str] = &["date", "half_life_days"];
const GATE_KEYS: &[&str] = &["id", "when", "cap", "reason"];
const TIER_KEYS: &[&str] = &["name", "min", "require", "action", "sla_hours"];
const REVIEW_KEYS: &[&str] = &["bands", "qualified", "capacity_per_week"];
const SEGMENT_KEYS: &[&str] = &["id", "when"];

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

/// A string value and where it is.
struct Str {
    text: String,
    span: Option<Range<usize>>,
}

impl<'a> Walker<'a> {
    fn loc(&self, span: Option<Range<usize>>) -> String {
        match span {
            Some(s) => {
                let (l, c) = self.lines.line_col(self.src, s.start);
                format!("{}:{l}:{c}", self.path)
            }
            None => self.path.to_string(),
        }
    }

    fn err(&mut self, span: Option<Range<usize>>, subject: Option<&str>, msg: impl Into<String>) {
        let mut d = Diagnostic::error(self.loc(span), msg);
        if let Some(s) = subject {
            d = d.subject(s);
        }
        self.diags.push(d);
    }

    fn check_keys(
        &mut self,
        t: &dyn TableLike,
        allowed: &[&str],
        what: &str,
        subject: Option<&str>,
    ) {
        for (k, _) in t.iter() {
            if !allowed.contains(&k) {
                let span = t.key(k).and_then(|k| k.span());
                let hint = match did_you_mean(k, allowed.iter().copied()) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => format!("; allowed here: {}", allowed.join(", ")),
                };
                self.err(span, subject, format!("unknown key `{k}` in {what}{hint}"));
            }
        }
    }

    fn table<'d>(&mut self, item: Option<&'d Item>, name: &str) -> Option<&'d dyn TableLike> {
        let item = item?;
        match item.as_table_like() {
            Some(t) => Some(t),
            None => {
                self.err(item.span(), None, format!("`{name}` must be a table"));
                None
            }
        }
    }

    fn tables<'d>(
        &mut self,
        item: Option<&'d Item>,
        name: &str,
    ) -> Vec<(&'d dyn TableLike, Range<usize>)> {
        let Some(item) = item else { return vec![] };
        if let Some(a) = item.as_array_of_tables() {
            return a
                .iter()
                .map(|t| (t as &dyn TableLike, t.span().unwrap_or(0..0)))
                .collect();
        }
        if let Some(a) = item.as_array() {
            let mut out = vec![];
            for v in a.iter() {
                match v.as_inline_table() {
                    Some(t) => out.push((t as &dyn TableLike, v.span().unwrap_or(0..0))),
                    None => self.err(
                        v.span(),
                        None,
                        format!("each entry of `{name}` must be a table"),
                    ),
                }
            }
            return out;
        }
        self.err(
            item.span(),
            None,
            format!("`{name}` must be a list of `[[{name}]]` tables"),
        );
        vec![]
    }

    fn string(&mut self, t: &dyn TableLike, key: &str, subject: Option<&str>) -> Option<Str> {
        let item = t.get(key)?;
        match item.as_str() {
            Some(s) => Some(Str {
                text: s.to_string(),
                span: item.span(),
            }),
            None => {
                self.err(item.span(), subject, format!("`{key}` must be a string"));
                None
            }
        }
    }

    fn number(&mut self, t: &dyn TableLike, key: &str, subject: Option<&str>) -> Option<f64> {
        let item = t.get(key)?;
        match item.as_value() {
            Some(v) => self.finite(v, &format!("`{key}`"), subject),
            None => {
                self.err(item.span(), subject, format!("`{key}` must be a number"));
                None
            }
        }
    }

    /// A number that every sum leadlab makes can hold: finite and at most
    /// [`MAX_MAGNITUDE`] either way. Anything else is an error naming the
    /// value as written (`nan`, `inf`, `1e308`) and the range allowed.
    fn finite(&mut self, v: &Value, what: &str, subject: Option<&str>) -> Option<f64> {
        let x = match v {
            Value::Integer(i) => *i.value() as f64,
            Value::Float(f) => *f.value(),
            _ => {
                self.err(v.span(), subject, format!("{what} must be a number"));
                return None;
            }
        };
        let Some(problem) = number_problem(x) else {
            return Some(x);
        };
        let written = v
            .span()
            .and_then(|s| self.src.get(s))
            .map_or_else(|| x.to_string(), |t| t.trim().to_string());
        self.err(
            v.span(),
            subject,
            format!("{what} = {written} {problem}: {NUMBER_RULE}"),
        );
        None
    }

    /// A list of numbers, each checked by [`Walker::finite`]: `Err` when
    /// the value is not a list of numbers (not reported: the caller says
    /// what the list should be), `Ok(None)` when an entry was reported.
    fn numbers(&mut self, v: &Item, what: &str) -> Result<Option<Vec<f64>>, ()> {
        let Some(a) = v.as_array() else {
            return Err(());
        };
        if !a
            .iter()
            .all(|x| matches!(x, Value::Integer(_) | Value::Float(_)))
        {
            return Err(());
        }
        let xs: Vec<Option<f64>> = a.iter().map(|x| self.finite(x, what, None)).collect();
        Ok(xs.into_iter().collect())
    }

    fn boolean(&mut self, t: &dyn TableLike, key: &str, subject: Option<&str>) -> Option<bool> {
        let item = t.get(key)?;
        match item.as_bool() {
            Some(b) => Some(b),
            None => {
                self.err(
                    item.span(),
                    subject,
                    format!("`{key}` must be true or false"),
                );
                None
            }
        }
    }

    fn cond(&mut self, t: &dyn TableLike, key: &str, subject: Option<&str>) -> Option<CondSource> {
        let item = t.get(key)?;
        let s = self.string(t, key, subject)?;
        let span = s.span.unwrap_or(0..0);
        if s.text.trim().is_empty() {
            self.err(
                Some(span.clone()),
                subject,
                format!("`{key}` is empty; write a condition such as 'demo_requested'"),
            );
        }
        let raw = self.src.get(span.clone()).unwrap_or("");
        // Literal strings ('...', '''...''') have no escapes: positions map 1:1.
        // Basic strings map 1:1 too when they contain no backslash.
        let (quote_len, exact) = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
            (3, !raw.starts_with('"') || !raw.contains('\\'))
        } else {
            (1, !raw.starts_with('"') || !raw.contains('\\'))
        };
        let mut offset = span.start + quote_len;
        // A multi-line string drops a newline right after its opening quotes.
        if quote_len == 3 {
            if raw[3..].starts_with("\r\n") {
                offset += 2;
            } else if raw[3..].starts_with('\n') {
                offset += 1;
            }
        }
        let _ = item;
        Some(CondSource {
            text: s.text,
            offset: if exact { offset } else { span.start },
            exact,
        })
    }

    fn require_id(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        span: &Range<usize>,
        what: &str,
    ) -> String {
        match self.string(t, key, None) {
            Some(s) => s.text,
            None => {
                if t.get(key).is_none() {
                    self.err(
                        Some(span.clone()),
                        None,
                        format!("{what} has no `{key}`; add `{key} = \"...\"`"),
                    );
                }
                String::new()
            }
        }
    }

    fn model(&mut self, item: Option<&Item>) -> Model {
        let mut m = Model {
            name: None,
            version: 0,
            score_range: (0.0, 100.0),
            as_of: None,
        };
        let Some(t) = self.table(item, "model") else {
            return m;
        };
        self.check_keys(t, MODEL_KEYS, "[model]", None);
        m.name = self.string(t, "name", None).map(|s| s.text);
        if let Some(v) = t.get("version") {
            match v.as_integer() {
                // The workbench raises the version by one on every save.
                Some(n) if n == i64::MAX => self.err(
                    v.span(),
                    None,
                    "[model] `version` is too large to be raised on the next save",
                ),
                Some(n) => m.version = n,
                None => self.err(v.span(), None, "[model] `version` must be a whole number"),
            }
        }
        if let Some(v) = t.get("score_range") {
            let pair = match self.numbers(v, "[model] `score_range`") {
                Ok(None) => Ok(None),
                Ok(Some(xs)) if xs.len() == 2 => Ok(Some((xs[0], xs[1]))),
                _ => Err(()),
            };
            match pair {
                // An entry out of range, reported above.
                Ok(None) => {}
                Ok(Some((lo, hi))) if lo < hi => m.score_range = (lo, hi),
                Ok(Some(_)) => self.err(
                    v.span(),
                    None,
                    "[model] `score_range` must be [low, high] with low < high",
                ),
                Err(()) => self.err(
                    v.span(),
                    None,
                    "[model] `score_range` must be two numbers, e.g. [0, 100]",
                ),
            }
        }
        if let Some(v) = t.get("as_of") {
            m.as_of = self.date_value(v, "[model] `as_of`");
        }
        m
    }

    fn date_value(&mut self, v: &Item, what: &str) -> Option<chrono::NaiveDate> {
        let text = match v.as_value() {
            Some(Value::String(s)) => s.value().clone(),
            Some(Value::Datetime(d)) => d.value().to_string(),
            _ => String::new(),
        };
        match chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.err(
                    v.span(),
                    None,
                    format!("{what} must be a date written YYYY-MM-DD"),
                );
                None
            }
        }
    }

    fn data(&mut self, item: Option<&Item>) -> DataSection {
        let mut d = DataSection::default();
        let Some(t) = self.table(item, "data") else {
            return d;
        };
        self.check_keys(t, DATA_KEYS, "[data]", None);
        d.id = self.data_key(t, "id");
        d.outcome = self.data_key(t, "outcome");
        d.created = self.data_key(t, "created");
        if let Some(s) = self.string(t, "delimiter", None) {
            let text = if s.text == "\\t" {
                "\t".to_string()
            } else {
                s.text
            };
            match text.as_bytes() {
                [b] if b.is_ascii() => d.delimiter = Some(*b),
                _ => self.err(s.span, None, "[data] `delimiter` must be a single character such as \",\", \";\", \"\\t\" or \"|\""),
            }
        }
        if let Some(v) = t.get("missing") {
            match v.as_array() {
                Some(a) if a.iter().all(|x| x.as_str().is_some()) => {
                    d.missing = a
                        .iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                }
                _ => self.err(
                    v.span(),
                    None,
                    "[data] `missing` must be a list of strings, e.g. [\"N/A\", \"Select\"]",
                ),
            }
        }
        d
    }

    /// A `[data]` key that names a column, remembered with its place.
    fn data_key(&mut self, t: &dyn TableLike, key: &str) -> Option<String> {
        let s = self.string(t, key, None)?;
        if let Some(span) = s.span {
            self.data_keys.push((format!("[data].{key}"), span));
        }
        Some(s.text)
    }

    fn keep_data_key(&mut self, key: String, span: Option<Range<usize>>) {
        if let Some(span) = span {
            self.data_keys.push((key, span));
        }
    }

    fn fields(&mut self, item: Option<&Item>) -> Vec<FieldDecl> {
        let Some(t) = self.table(item, "fields") else {
            return vec![];
        };
        let mut out = vec![];
        for (name, v) in t.iter() {
            let span = t.key(name).and_then(|k| k.span());
            let subject = format!("field `{name}`");
            // Loading the data may find no such column: point at the column's name.
            let key = format!("[fields].{name}");
            match v.as_table_like().and_then(|ft| ft.get("column")) {
                Some(c) => self.keep_data_key(key, c.span().or(span.clone())),
                None => self.keep_data_key(key, v.span().or(span.clone())),
            }
            if let Some(s) = v.as_str() {
                out.push(FieldDecl {
                    name: name.to_string(),
                    column: s.to_string(),
                    ty: None,
                    format: None,
                });
                continue;
            }
            let Some(ft) = v.as_table_like() else {
                self.err(
                    span,
                    Some(&subject),
                    "must be a column header string or { column = \"...\", type = \"...\" }",
                );
                continue;
            };
            self.check_keys(ft, FIELD_KEYS, &format!("[fields].{name}"), Some(&subject));
            let column = match self.string(ft, "column", Some(&subject)) {
                Some(s) => s.text,
                None => name.to_string(),
            };
            let ty = match self.string(ft, "type", Some(&subject)) {
                Some(s) => match FieldType::parse(&s.text) {
                    Some(t) => Some(t),
                    None => {
                        self.err(
                            s.span,
                            Some(&subject),
                            format!("unknown type `{}`; use number, bool, date or text", s.text),
                        );
                        None
                    }
                },
                None => None,
            };
            let format = self.string(ft, "format", Some(&subject)).map(|s| s.text);
            // A format says the field is a date; any other declared type contradicts it.
            let ty = match (ty, &format) {
                (None, Some(_)) => Some(FieldType::Date),
                (Some(t), Some(_)) if t != FieldType::Date => {
                    self.err(
                        span.clone(),
                        Some(&subject),
                        format!("`format` is for dates, but the type is {}", t.name()),
                    );
                    Some(t)
                }
                (t, _) => t,
            };
            out.push(FieldDecl {
                name: name.to_string(),
                column,
                ty,
                format,
            });
        }
        out
    }

    fn derives(&mut self, item: Option<&Item>) -> Vec<DeriveSpec> {
        let Some(t) = self.table(item, "derive") else {
            return vec![];
        };
        let mut out = vec![];
        for (name, v) in t.iter() {
            let span = t.key(name).and_then(|k| k.span());
            let subject = format!("derived field `{name}`");
            self.keep_data_key(format!("[derive.{name}]"), span.clone());
            if let Some(from) = v.as_table_like().and_then(|dt| dt.get("from")) {
                self.keep_data_key(format!("[derive.{name}].from"), from.span());
            }
            let Some(dt) = v.as_table_like() else {
                self.err(
                    span,
                    Some(&subject),
                    "must be a table: [derive.NAME] with from, map and default",
                );
                continue;
            };
            self.check_keys(dt, DERIVE_KEYS, &format!("[derive.{name}]"), Some(&subject));
            let from = match self.string(dt, "from", Some(&subject)) {
                Some(s) => s.text,
                None => {
                    if dt.get("from").is_none() {
                        self.err(
                            span.clone(),
                            Some(&subject),
                            "has no `from`; name the text field it reads",
                        );
                    }
                    continue;
                }
            };
            let mut map = vec![];
            if let Some(m) = dt.get("map") {
                let entries: Vec<(&dyn TableLike, Option<Range<usize>>)> = match m.as_array() {
                    Some(a) => a
                        .iter()
                        .filter_map(|x| {
                            x.as_inline_table().map(|t| (t as &dyn TableLike, x.span()))
                        })
                        .collect(),
                    None => match m.as_array_of_tables() {
                        Some(a) => a.iter().map(|t| (t as &dyn TableLike, t.span())).collect(),
                        None => {
                            self.err(
                                m.span(),
                                Some(&subject),
                                "`map` must be a list of { match = [...], value = \"...\" }",
                            );
                            vec![]
                        }
                    },
                };
                for (e, espan) in entries {
                    self.check_keys(e, MAP_KEYS, &format!("[derive.{name}].map"), Some(&subject));
                    let matches: Option<Vec<String>> = match e.get("match") {
                        Some(mi) => match (mi.as_str(), mi.as_array()) {
                            (Some(s), _) => Some(vec![s.to_string()]),
                            (None, Some(a)) if a.iter().all(|x| x.as_str().is_some()) => Some(
                                a.iter()
                                    .filter_map(|x| x.as_str().map(str::to_string))
                                    .collect(),
                            ),
                            _ => {
                                self.err(
                                    mi.span(),
                                    Some(&subject),
                                    "`match` must be a list of strings",
                                );
                                None
                            }
                        },
                        None => {
                            self.err(espan.clone(), Some(&subject), "map entry has no `match`");
                            None
                        }
                    };
                    let value = self.string(e, "value", Some(&subject));
                    if value.is_none() && e.get("value").is_none() {
                        self.err(espan, Some(&subject), "map entry has no `value`");
                    }
                    if let (Some(ms), Some(v)) = (matches, value) {
                        map.push((ms, v.text));
                    }
                }
            }
            let default = self.string(dt, "default", Some(&subject)).map(|s| s.text);
            out.push(DeriveSpec {
                name: name.to_string(),
                from,
                map,
                default,
            });
        }
        out
    }

    fn groups(&mut self, item: Option<&Item>) -> Vec<Group> {
        let Some(t) = self.table(item, "groups") else {
            return vec![];
        };
        let mut out = vec![];
        for (name, v) in t.iter() {
            let span = t.key(name).and_then(|k| k.span()).unwrap_or(0..0);
            let subject = format!("group `{name}`");
            let Some(gt) = v.as_table_like() else {
                self.err(
                    Some(span),
                    Some(&subject),
                    "must be a table such as { cap = 50 }",
                );
                continue;
            };
            self.check_keys(gt, GROUP_KEYS, &format!("[groups].{name}"), Some(&subject));
            let cap = self.number(gt, "cap", Some(&subject));
            let floor = self.number(gt, "floor", Some(&subject));
            if let (Some(c), Some(f)) = (cap, floor)
                && c < f
            {
                self.err(
                    Some(span.clone()),
                    Some(&subject),
                    format!("cap {c} is below floor {f}"),
                );
            }
            out.push(Group {
                name: name.to_string(),
                cap,
                floor,
                span,
            });
        }
        out
    }

    fn rules(&mut self, item: Option<&Item>) -> Vec<Rule> {
        let mut out = vec![];
        for (t, span) in self.tables(item, "rules") {
            let id = self.require_id(t, "id", &span, "a [[rules]] entry");
            let subject = format!("rule `{id}`");
            let subj = Some(subject.as_str());
            self.check_keys(t, RULE_KEYS, "[[rules]]", subj);
            let group = match self.string(t, "group", subj) {
                Some(s) => {
                    if let Some(span) = s.span {
                        self.group_uses.push((s.text.clone(), span));
                    }
                    s.text
                }
                None => DEFAULT_GROUP.to_string(),
            };
            let when = self.cond(t, "when", subj);
            if t.get("when").is_none() {
                self.err(
                    Some(span.clone()),
                    subj,
                    "has no `when`; add the condition under which it fires",
                );
            }
            let points = self.number(t, "points", subj);
            if t.get("points").is_none() {
                self.err(Some(span.clone()), subj, "has no `points`");
            }
            let reason = self.string(t, "reason", subj).map(|s| s.text);
            let enabled = self.boolean(t, "enabled", subj).unwrap_or(true);
            let decay = match t.get("decay") {
                None => None,
                Some(d) => match d.as_table_like() {
                    None => {
                        self.err(
                            d.span(),
                            subj,
                            "`decay` must be { date = \"field\", half_life_days = N }",
                        );
                        None
                    }
                    Some(dt) => {
                        self.check_keys(dt, DECAY_KEYS, "`decay`", subj);
                        let date = self.string(dt, "date", subj).map(|s| s.text);
                        let hl = self.number(dt, "half_life_days", subj);
                        match (date, hl) {
                            (Some(date), Some(h)) if h > 0.0 => Some(Decay {
                                date,
                                half_life_days: h,
                            }),
                            (Some(_), Some(_)) => {
                                self.err(d.span(), subj, "`half_life_days` must be above 0");
                                None
                            }
                            // A value of the wrong kind was reported above.
                            _ if dt.contains_key("date") && dt.contains_key("half_life_days") => {
                                None
                            }
                            _ => {
                                self.err(
                                    d.span(),
                                    subj,
                                    "`decay` needs both `date` and `half_life_days`",
                                );
                                None
                            }
                        }
                    }
                },
            };
            out.push(Rule {
                id,
                group,
                when: when.unwrap_or_default(),
                points: points.unwrap_or(0.0),
                reason,
                enabled,
                decay,
                span,
            });
        }
        out
    }

    fn gates(&mut self, item: Option<&Item>) -> Vec<Gate> {
        let mut out = vec![];
        for (t, span) in self.tables(item, "gates") {
            let id = self.require_id(t, "id", &span, "a [[gates]] entry");
            let subject = format!("gate `{id}`");
            let subj = Some(subject.as_str());
            self.check_keys(t, GATE_KEYS, "[[gates]]", subj);
            let when = self.cond(t, "when", subj);
            if t.get("when").is_none() {
                self.err(Some(span.clone()), subj, "has no `when`");
            }
            let cap = self.number(t, "cap", subj);
            if t.get("cap").is_none() {
                self.err(
                    Some(span.clone()),
                    subj,
                    "has no `cap`: the most a lead's total may be when the gate holds",
                );
            }
            let reason = self.string(t, "reason", subj).map(|s| s.text);
            out.push(Gate {
                id,
                when: when.unwrap_or_default(),
                cap: cap.unwrap_or(0.0),
                reason,
                span,
            });
        }
        out
    }

    fn tiers(&mut self, item: Option<&Item>) -> Vec<Tier> {
        let mut out = vec![];
        for (t, span) in self.tables(item, "tiers") {
            let name = self.require_id(t, "name", &span, "a [[tiers]] entry");
            let subject = format!("tier `{name}`");
            let subj = Some(subject.as_str());
            self.check_keys(t, TIER_KEYS, "[[tiers]]", subj);
            out.push(Tier {
                name,
                min: self.number(t, "min", subj),
                require: self.cond(t, "require", subj),
                action: self.string(t, "action", subj).map(|s| s.text),
                sla_hours: self.number(t, "sla_hours", subj),
                span,
            });
        }
        out
    }

    fn review(&mut self, item: Option<&Item>) -> ReviewSettings {
        let mut r = ReviewSettings::default();
        let Some(t) = self.table(item, "review") else {
            return r;
        };
        self.check_keys(t, REVIEW_KEYS, "[review]", None);
        if let Some(v) = t.get("bands") {
            match self.numbers(v, "[review] `bands`") {
                // An entry out of range, reported above.
                Ok(None) => {}
                Ok(Some(e)) if e.len() >= 2 && e.windows(2).all(|w| w[0] < w[1]) => r.bands = e,
                _ => self.err(v.span(), None, "[review] `bands` must be at least two increasing numbers, e.g. [0, 20, 40, 60, 80, 100]"),
            }
        }
        r.qualified = self.string(t, "qualified", None).map(|s| s.text);
        r.capacity_per_week = self.number(t, "capacity_per_week", None);
        r
    }

    fn segments(&mut self, item: Option<&Item>) -> Vec<Segment> {
        let mut out = vec![];
        for (t, span) in self.tables(item, "segments") {
            let id = self.require_id(t, "id", &span, "a [[segments]] entry");
            let subject = format!("segment `{id}`");
            let subj = Some(subject.as_str());
            self.check_keys(t, SEGMENT_KEYS, "[[segments]]", subj);
            let when = self.cond(t, "when", subj);
            if t.get("when").is_none() {
                self.err(Some(span.clone()), subj, "has no `when`");
            }
            out.push(Segment {
                id,
                when: when.unwrap_or_default(),
                span,
            });
        }
        out
    }

    /// Groups named like a column of `leadlab score` output (see
    /// [`group_name_clash`]). Each name is reported once, where it is
    /// declared in `[groups]` or else where a rule first names it.
    fn output_column_clashes(&mut self, rs: &Ruleset) {
        let declared = rs.groups.iter().map(|g| (&g.name, &g.span));
        let used = self.group_uses.iter().map(|(n, s)| (n, s));
        let mut seen = std::collections::HashSet::new();
        let mut clashes = vec![];
        for (name, span) in declared.chain(used) {
            if seen.insert(name.as_str())
                && let Some(why) = group_name_clash(name, rs.data.id.as_deref())
            {
                clashes.push((span.clone(), format!("group `{name}`"), why));
            }
        }
        for (span, subject, why) in clashes {
            self.err(
                Some(span),
                Some(&subject),
                format!("{why}; rename the group"),
            );
        }
    }

    /// Checks across sections: unique ids, id syntax, names that refer to others.
    fn cross_checks(&mut self, rs: &Ruleset) {
        let mut seen = std::collections::HashSet::new();
        let mut dup = |w: &mut Self, kind: &'static str, id: &str, span: &Range<usize>| {
            if !id.is_empty() && !seen.insert((kind, id.to_string())) {
                w.err(
                    Some(span.clone()),
                    None,
                    format!("duplicate {kind} id `{id}`; ids must be unique"),
                );
            }
        };
        for r in &rs.rules {
            dup(self, "rule", &r.id, &r.span);
            if !r.id.is_empty()
                && !r
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                self.err(
                    Some(r.span.clone()),
                    Some(&format!("rule `{}`", r.id)),
                    "ids may use only a-z, 0-9, `-` and `_`",
                );
            }
        }
        for g in &rs.gates {
            dup(self, "gate", &g.id, &g.span);
        }
        for t in &rs.tiers {
            dup(self, "tier", &t.name, &t.span);
        }
        for s in &rs.segments {
            dup(self, "segment", &s.id, &s.span);
        }
        self.output_column_clashes(rs);
        if let Some(q) = &rs.review.qualified
            && !rs.tiers.iter().any(|t| &t.name == q)
        {
            let names: Vec<&str> = rs.tiers.iter().map(|t| t.name.as_str()).collect();
            let hint = suggestion(q, names.iter().copied());
            self.err(
                None,
                None,
                format!(
                    "[review] `qualified` names tier `{q}`, which does not exist{hint}; tiers: {}",
                    names.join(", ")
                ),
            );
        }
    }
}
