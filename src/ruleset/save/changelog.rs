//! The `[[changelog]]` entry a save appends: what changed, and how the
//! headline figures moved.

use super::toml_doc::max_position;
use super::value::toml_figure;
use anyhow::bail;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

/// AUC, precision and recall of the model before and after (None = not computable).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ChangelogFigures {
    pub auc: Option<f64>,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

/// One `[[changelog]]` entry, appended to the file on every save.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangelogEntry {
    pub version: i64,
    pub date: chrono::NaiveDate,
    pub note: String,
    pub changes: Vec<String>,
    pub before: ChangelogFigures,
    pub after: ChangelogFigures,
}

pub(super) fn append_changelog(
    doc: &mut DocumentMut,
    entry: &ChangelogEntry,
) -> anyhow::Result<()> {
    let mut t = Table::new();
    t.set_position(Some(max_position(doc.as_table()) + 1));
    // Comments after the last line of the file stay above the new entry, so
    // that the entry really is the end of the file.
    let trailing = doc.trailing().as_str().unwrap_or("").to_string();
    doc.set_trailing("");
    t.decor_mut().set_prefix(changelog_prefix(&trailing));

    t.insert("version", Item::Value(Value::from(entry.version)));
    t.insert(
        "date",
        Item::Value(Value::from(entry.date.format("%Y-%m-%d").to_string())),
    );
    t.insert("note", Item::Value(Value::from(entry.note.as_str())));
    let mut changes = Array::new();
    for c in &entry.changes {
        if entry.changes.len() > 1 {
            changes.push_formatted(Value::from(c.as_str()).decorated("\n  ", ""));
        } else {
            changes.push(c.as_str());
        }
    }
    if entry.changes.len() > 1 {
        changes.set_trailing_comma(true);
        changes.set_trailing("\n");
    }
    t.insert("changes", Item::Value(Value::Array(changes)));
    let figures = [
        ("auc", entry.before.auc, entry.after.auc),
        ("precision", entry.before.precision, entry.after.precision),
        ("recall", entry.before.recall, entry.after.recall),
    ];
    for (name, before, after) in figures {
        for (when, x) in [("before", before), ("after", after)] {
            if let Some(v) = x.and_then(toml_figure) {
                t.insert(&format!("{name}_{when}"), Item::Value(v));
            }
        }
    }

    let root = doc.as_table_mut();
    match root.get_mut("changelog") {
        None => {
            let mut a = ArrayOfTables::new();
            a.push(t);
            root.insert("changelog", Item::ArrayOfTables(a));
        }
        Some(Item::ArrayOfTables(a)) => a.push(t),
        Some(_) => bail!("`changelog` is not a list of [[changelog]] tables"),
    }
    Ok(())
}

/// The blank line (and any end-of-file comments) above a new changelog entry.
fn changelog_prefix(trailing: &str) -> String {
    if trailing.is_empty() {
        return "\n".to_string();
    }
    if !trailing.ends_with('\n') {
        return format!("{trailing}\n\n");
    }
    let last_line = trailing.split_inclusive('\n').next_back().unwrap_or("");
    if last_line.trim().is_empty() {
        trailing.to_string()
    } else {
        format!("{trailing}\n")
    }
}
