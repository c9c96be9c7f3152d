//! The TOML document as the save edits it: a table the file writes as
//! `[section]` or `{ ... }`, edited through one type; entries of
//! `[[section]]` lists found, added and removed; table positions (which
//! decide output order); and the comments above a table, which travel with
//! it or with what follows.

use toml_edit::{InlineTable, Item, Table, Value};

/// A table being edited, whichever way the file writes it: a standard
/// table (`[[rules]]`, `[model]`) or an inline one (`{ ... }`).
pub(super) enum AnyTable<'a> {
    Standard(&'a mut Table),
    Inline(&'a mut InlineTable),
}

impl AnyTable<'_> {
    /// The table an item holds, when it holds one.
    pub(super) fn of_item(item: &mut Item) -> Option<AnyTable<'_>> {
        match item {
            Item::Table(t) => Some(AnyTable::Standard(t)),
            Item::Value(Value::InlineTable(t)) => Some(AnyTable::Inline(t)),
            _ => None,
        }
    }

    pub(super) fn value(&self, key: &str) -> Option<&Value> {
        match self {
            AnyTable::Standard(t) => t.get(key).and_then(Item::as_value),
            AnyTable::Inline(t) => t.get(key),
        }
    }

    fn value_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            AnyTable::Standard(t) => t.get_mut(key).and_then(Item::as_value_mut),
            AnyTable::Inline(t) => t.get_mut(key),
        }
    }

    /// The table under `key` (a sub-table or an inline table).
    pub(super) fn sub(&mut self, key: &str) -> Option<AnyTable<'_>> {
        match self {
            AnyTable::Standard(t) => t.get_mut(key).and_then(AnyTable::of_item),
            AnyTable::Inline(t) => t.get_mut(key).and_then(|v| match v {
                Value::InlineTable(t) => Some(AnyTable::Inline(t)),
                _ => None,
            }),
        }
    }

    /// Replace the value of `key` keeping its surroundings (spacing, a
    /// trailing comment), or insert it where `order` says it belongs.
    pub(super) fn set(&mut self, key: &str, mut new: Value, order: &[&str]) {
        if let Some(old) = self.value_mut(key) {
            *new.decor_mut() = old.decor().clone();
            *old = new;
            return;
        }
        match self {
            AnyTable::Standard(t) => {
                t.remove(key);
                t.insert(key, Item::Value(new));
                let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
                for k in keys_to_move(&keys, key, order) {
                    if let Some((k, item)) = t.remove_entry(&k) {
                        t.insert_formatted(&k, item);
                    }
                }
            }
            AnyTable::Inline(t) => {
                let end = last_suffix(t);
                t.insert(key, new);
                let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
                for k in keys_to_move(&keys, key, order) {
                    if let Some((k, v)) = t.remove_entry(&k) {
                        t.insert_formatted(&k, v);
                    }
                }
                tidy_inline(t, &end);
            }
        }
    }

    pub(super) fn remove(&mut self, key: &str) {
        match self {
            AnyTable::Standard(t) => {
                t.remove(key);
            }
            AnyTable::Inline(t) => {
                let end = last_suffix(t);
                t.remove(key);
                tidy_inline(t, &end);
            }
        }
    }
}

/// The keys that must move to the end (after `key`, just appended) for
/// `key` to sit after the last key that `order` puts before it.
fn keys_to_move(keys: &[String], key: &str, order: &[&str]) -> Vec<String> {
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
    let r = rank(key);
    let others: Vec<&String> = keys.iter().filter(|k| *k != key).collect();
    let at = others
        .iter()
        .rposition(|k| rank(k) < r)
        .map_or(0, |i| i + 1);
    others[at..].iter().map(|k| k.to_string()).collect()
}

/// The space before an inline table's closing brace, as the file wrote it.
fn last_suffix(t: &InlineTable) -> String {
    t.iter()
        .last()
        .and_then(|(_, v)| {
            v.decor()
                .suffix()
                .and_then(|s| s.as_str())
                .map(str::to_string)
        })
        .filter(|s| s.trim().is_empty())
        .unwrap_or_else(|| " ".to_string())
}

/// After an insert or removal in `{ a = 1, b = 2 }`: no space before the
/// commas, the file's own space before the closing brace.
fn tidy_inline(t: &mut InlineTable, end: &str) {
    let n = t.len();
    for (i, (_, v)) in t.iter_mut().enumerate() {
        let suffix = v.decor().suffix().and_then(|s| s.as_str()).unwrap_or("");
        if !suffix.trim().is_empty() {
            continue;
        }
        let s = if i + 1 == n { end } else { "" };
        v.decor_mut().set_suffix(s.to_string());
    }
}

/// The entry of `[[section]]` (or `section = [{...}]`) whose `id_key` is `id`.
pub(super) fn find_entry<'a>(
    root: &'a mut Table,
    section: &str,
    id_key: &str,
    id: &str,
) -> Option<AnyTable<'a>> {
    match root.get_mut(section)? {
        Item::ArrayOfTables(a) => a
            .iter_mut()
            .find(|t| t.get(id_key).and_then(Item::as_str) == Some(id))
            .map(AnyTable::Standard),
        Item::Value(Value::Array(a)) => a
            .iter_mut()
            .filter_map(Value::as_inline_table_mut)
            .find(|t| t.get(id_key).and_then(Value::as_str) == Some(id))
            .map(AnyTable::Inline),
        _ => None,
    }
}

/// Remove an entry; the comment paragraphs above a removed `[[section]]`
/// that are set off from it by a blank line (a section banner, say) belong
/// to what follows, and are kept in `orphans` to be moved there.
pub(super) fn remove_entry(
    root: &mut Table,
    section: &str,
    id_key: &str,
    id: &str,
    orphans: &mut Vec<(isize, String)>,
) {
    match root.get_mut(section) {
        Some(Item::ArrayOfTables(a)) => {
            let Some(i) = a
                .iter()
                .position(|t| t.get(id_key).and_then(Item::as_str) == Some(id))
            else {
                return;
            };
            let t = a.remove(i);
            let (detached, _) = split_prefix(prefix_of(&t));
            if let (Some(p), false) = (t.position(), detached.is_empty()) {
                orphans.push((p, detached.to_string()));
            }
        }
        Some(Item::Value(Value::Array(a))) => {
            let found = a.iter().position(|v| {
                v.as_inline_table()
                    .and_then(|t| t.get(id_key))
                    .and_then(Value::as_str)
                    == Some(id)
            });
            if let Some(i) = found {
                a.remove(i);
            }
        }
        _ => {}
    }
}

/// Put each orphaned comment above the table that now follows its place.
pub(super) fn rehome_comments(root: &mut Table, mut orphans: Vec<(isize, String)>) {
    // Last first, so that consecutive orphans end up in file order.
    orphans.sort_by_key(|(p, _)| std::cmp::Reverse(*p));
    for (pos, text) in orphans {
        let mut next: Option<isize> = None;
        each_table(root, &mut |t| {
            if let Some(p) = t.position().filter(|p| *p > pos) {
                next = Some(next.map_or(p, |n: isize| n.min(p)));
            }
        });
        let Some(next) = next else { continue };
        let mut done = false;
        each_table_mut(root, &mut |t| {
            if !done && t.position() == Some(next) {
                let prefix = format!("{text}{}", prefix_of(t));
                t.decor_mut().set_prefix(prefix);
                done = true;
            }
        });
    }
}

/// The text before a table's header (comments and blank lines).
pub(super) fn prefix_of(t: &Table) -> &str {
    t.decor().prefix().and_then(|p| p.as_str()).unwrap_or("\n")
}

/// Split the text above a table header at its last blank line: the part
/// before it is not about this table; the rest (starting with the blank
/// line) is the comment attached to the header.
pub(super) fn split_prefix(prefix: &str) -> (&str, &str) {
    let mut last_blank = None;
    let mut offset = 0;
    for line in prefix.split_inclusive('\n') {
        if line.ends_with('\n') && line.trim().is_empty() {
            last_blank = Some(offset);
        }
        offset += line.len();
    }
    match last_blank {
        Some(i) => (&prefix[..i], &prefix[i..]),
        None => ("", prefix),
    }
}

pub(super) fn starts_with_blank_line(s: &str) -> bool {
    s.split_inclusive('\n')
        .next()
        .is_some_and(|l| l.ends_with('\n') && l.trim().is_empty())
}

/// Every table below `t` (not `t` itself), depth first in document order.
pub(super) fn each_table(t: &Table, f: &mut dyn FnMut(&Table)) {
    for (_, item) in t.iter() {
        match item {
            Item::Table(sub) => {
                f(sub);
                each_table(sub, f);
            }
            Item::ArrayOfTables(a) => {
                for sub in a.iter() {
                    f(sub);
                    each_table(sub, f);
                }
            }
            _ => {}
        }
    }
}

pub(super) fn each_table_mut(t: &mut Table, f: &mut dyn FnMut(&mut Table)) {
    for (_, item) in t.iter_mut() {
        match item {
            Item::Table(sub) => {
                f(sub);
                each_table_mut(sub, f);
            }
            Item::ArrayOfTables(a) => {
                for sub in a.iter_mut() {
                    f(sub);
                    each_table_mut(sub, f);
                }
            }
            _ => {}
        }
    }
}

pub(super) fn max_position(root: &Table) -> isize {
    let mut max = 0;
    each_table(root, &mut |t| {
        if let Some(p) = t.position() {
            max = max.max(p);
        }
    });
    max
}

/// The smallest position of the tables under the given top-level keys.
pub(super) fn first_position(root: &Table, sections: &[&str]) -> Option<isize> {
    let mut first: Option<isize> = None;
    let mut note = |t: &Table| {
        if let Some(p) = t.position() {
            first = Some(first.map_or(p, |f: isize| f.min(p)));
        }
    };
    for s in sections {
        match root.get(s) {
            Some(Item::Table(t)) => {
                note(t);
                each_table(t, &mut note);
            }
            Some(Item::ArrayOfTables(a)) => {
                for t in a.iter() {
                    note(t);
                    each_table(t, &mut note);
                }
            }
            _ => {}
        }
    }
    first
}
