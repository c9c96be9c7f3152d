//! `[data]`, `[fields]` and `[derive]`: what the CSV loader needs. Each
//! key that names a column is remembered with its place, so that an error
//! found while loading the data can point at the line that caused it.

use super::Walker;
use crate::data::{DeriveSpec, FieldDecl, FieldType};
use crate::ruleset::DataSection;
use std::ops::Range;
use toml_edit::{Item, TableLike};

const DATA_KEYS: &[&str] = &["id", "outcome", "created", "delimiter", "missing"];
const FIELD_KEYS: &[&str] = &["column", "type", "format"];
const DERIVE_KEYS: &[&str] = &["from", "map", "default"];
const MAP_KEYS: &[&str] = &["match", "value"];

impl Walker<'_> {
    pub(super) fn data(&mut self, item: Option<&Item>) -> DataSection {
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
    pub(super) fn data_key(&mut self, t: &dyn TableLike, key: &str) -> Option<String> {
        let s = self.string(t, key, None)?;
        if let Some(span) = s.span {
            self.data_keys.push((format!("[data].{key}"), span));
        }
        Some(s.text)
    }

    pub(super) fn keep_data_key(&mut self, key: String, span: Option<Range<usize>>) {
        if let Some(span) = span {
            self.data_keys.push((key, span));
        }
    }

    pub(super) fn fields(&mut self, item: Option<&Item>) -> Vec<FieldDecl> {
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

    pub(super) fn derives(&mut self, item: Option<&Item>) -> Vec<DeriveSpec> {
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
}
