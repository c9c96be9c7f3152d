//! The edited model written into the file's own text: each edit applied in
//! place to the TOML document, so that everything unchanged keeps its bytes.

use super::changelog::{ChangelogEntry, append_changelog};
use super::toml_doc::{
    AnyTable, each_table, each_table_mut, find_entry, first_position, max_position, prefix_of,
    rehome_comments, remove_entry, split_prefix, starts_with_blank_line,
};
use super::value::{cond_value, str_value, toml_number};
use super::verify::verify;
use crate::ruleset::changes::{RuleField, same_num, same_opt_num};
use crate::ruleset::{DEFAULT_GROUP, Decay, Rule, Ruleset};
use anyhow::{Context, anyhow, bail};
use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

// Canonical key orders: where a key that the file lacks is inserted.
const MODEL_ORDER: &[&str] = &["name", "version", "score_range", "as_of"];
const RULE_ORDER: &[&str] = &[
    "id", "group", "when", "points", "decay", "reason", "enabled",
];
const DECAY_ORDER: &[&str] = &["date", "half_life_days"];
const GATE_ORDER: &[&str] = &["id", "when", "cap", "reason"];
const TIER_ORDER: &[&str] = &["name", "min", "require", "action", "sla_hours"];
const GROUP_ORDER: &[&str] = &["cap", "floor"];
const REVIEW_ORDER: &[&str] = &["bands", "qualified", "capacity_per_week"];
/// Sections that come after the rules: a first `[[rules]]` goes before them.
const AFTER_RULES: &[&str] = &["gates", "tiers", "review", "segments", "changelog"];

/// The new file text: `baseline.source` with the edits of `current` applied
/// in place (everything unchanged kept byte for byte), `[model].version`
/// raised to `entry.version`, and `entry` appended as a `[[changelog]]` table
/// at the end. The result is loaded again and compared with `current`; any
/// difference is an error, so a broken file is never handed out for writing.
pub fn render(
    baseline: &Ruleset,
    current: &Ruleset,
    entry: &ChangelogEntry,
) -> anyhow::Result<String> {
    render_text(baseline, current, Some(entry))
}

/// The edited model as a file, without a new version or a changelog entry:
/// what the workbench keeps as a draft of unsaved edits. It is written by
/// the same format-preserving writer as a save, so restoring it gives back
/// exactly what a save would have written (and it is itself a valid
/// ruleset a user can open).
pub fn render_draft(baseline: &Ruleset, current: &Ruleset) -> anyhow::Result<String> {
    render_text(baseline, current, None)
}

fn render_text(
    baseline: &Ruleset,
    current: &Ruleset,
    entry: Option<&ChangelogEntry>,
) -> anyhow::Result<String> {
    let mut doc: DocumentMut = baseline.source.parse().with_context(|| {
        format!(
            "{} is not valid TOML any more; reload it before saving",
            baseline.path
        )
    })?;
    // Parsed tables are numbered 1, 2, 3...; doubling leaves an odd number
    // free between any two, where new tables go (output follows positions).
    each_table_mut(doc.as_table_mut(), &mut |t| {
        if let Some(p) = t.position() {
            t.set_position(Some(p * 2));
        }
    });
    // Comments of deleted tables that belong to what follows them.
    let mut orphans: Vec<(isize, String)> = vec![];

    if let Some(entry) = entry {
        set_version(&mut doc, entry.version)?;
    }
    edit_score_range(&mut doc, baseline, current)?;
    edit_review(doc.as_table_mut(), baseline, current)?;
    edit_groups(doc.as_table_mut(), baseline, current)?;
    edit_rules(doc.as_table_mut(), baseline, current, &mut orphans)?;
    edit_gates(doc.as_table_mut(), baseline, current)?;
    edit_tiers(doc.as_table_mut(), baseline, current)?;
    if let Some(entry) = entry {
        append_changelog(&mut doc, entry)?;
    }
    rehome_comments(doc.as_table_mut(), orphans);

    let mut text = doc.to_string();
    // toml_edit writes `\n` after every line it emits; keep a CRLF file CRLF.
    if baseline.source.contains("\r\n") {
        text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    if baseline.source.starts_with('\u{feff}') && !text.starts_with('\u{feff}') {
        text.insert(0, '\u{feff}');
    }
    let version = entry.map_or(baseline.model.version, |e| e.version);
    verify(&text, baseline, current, version)?;
    Ok(text)
}

fn set_version(doc: &mut DocumentMut, version: i64) -> anyhow::Result<()> {
    let root = doc.as_table_mut();
    if root.get("model").is_none() {
        create_model_table(root);
    }
    let mut model = root
        .get_mut("model")
        .and_then(AnyTable::of_item)
        .ok_or_else(|| anyhow!("`model` is not a table"))?;
    model.set("version", Value::from(version), MODEL_ORDER);
    Ok(())
}

/// `[model].score_range`, when it changed (in place, or inserted in its
/// canonical place, the `[model]` table created if the file has none).
fn edit_score_range(
    doc: &mut DocumentMut,
    baseline: &Ruleset,
    current: &Ruleset,
) -> anyhow::Result<()> {
    let (b, c) = (baseline.model.score_range, current.model.score_range);
    if same_num(b.0, c.0) && same_num(b.1, c.1) {
        return Ok(());
    }
    let root = doc.as_table_mut();
    if root.get("model").is_none() {
        create_model_table(root);
    }
    let mut model = root
        .get_mut("model")
        .and_then(AnyTable::of_item)
        .ok_or_else(|| anyhow!("`model` is not a table"))?;
    let v = number_array(&[c.0, c.1], model.value("score_range"))?;
    model.set("score_range", v, MODEL_ORDER);
    Ok(())
}

/// `[review]`: its band edges and qualified tier, when they changed (the
/// table created at the end of the file if it has none).
fn edit_review(root: &mut Table, baseline: &Ruleset, current: &Ruleset) -> anyhow::Result<()> {
    let (bb, cb) = (&baseline.review.bands, &current.review.bands);
    let bands_changed = bb.len() != cb.len() || bb.iter().zip(cb).any(|(x, y)| !same_num(*x, *y));
    let qualified_changed = baseline.review.qualified != current.review.qualified;
    if !bands_changed && !qualified_changed {
        return Ok(());
    }
    if root.get("review").is_none() {
        let mut t = Table::new();
        t.set_position(Some(max_position(root) + 1));
        t.decor_mut().set_prefix("\n");
        root.insert("review", Item::Table(t));
    }
    let mut review = root
        .get_mut("review")
        .and_then(AnyTable::of_item)
        .ok_or_else(|| anyhow!("`review` is not a table"))?;
    if bands_changed {
        let v = number_array(cb, review.value("bands"))?;
        review.set("bands", v, REVIEW_ORDER);
    }
    if qualified_changed {
        match &current.review.qualified {
            Some(q) => {
                let v = str_value(q, review.value("qualified"));
                review.set("qualified", v, REVIEW_ORDER);
            }
            None => review.remove("qualified"),
        }
    }
    Ok(())
}

/// An array of numbers, laid out as `old` was when it was an array on one
/// line (`[0, 20, 40]`), else in the default layout.
fn number_array(xs: &[f64], old: Option<&Value>) -> anyhow::Result<Value> {
    let mut a = toml_edit::Array::new();
    for x in xs {
        a.push(toml_number(*x)?);
    }
    if let Some(Value::Array(o)) = old {
        // Keep a space-less `[0,100]` as it was written.
        let tight = o
            .iter()
            .nth(1)
            .is_some_and(|v| v.decor().prefix().and_then(|p| p.as_str()) == Some(""));
        if tight {
            for (i, v) in a.iter_mut().enumerate() {
                v.decor_mut().set_prefix("");
                if i + 1 == xs.len() {
                    v.decor_mut().set_suffix("");
                }
            }
        }
    }
    Ok(Value::Array(a))
}

/// A `[model]` table at the top of the file, below the file's header
/// comment (the paragraph separated by a blank line from what follows).
fn create_model_table(root: &mut Table) {
    let mut first: Option<isize> = None;
    each_table(root, &mut |t| {
        if let Some(p) = t.position().filter(|p| *p > 0) {
            first = Some(first.map_or(p, |f: isize| f.min(p)));
        }
    });
    let mut model = Table::new();
    model.set_position(Some(first.map_or(1, |f| f - 1)));
    if let Some(first) = first {
        let mut header = String::new();
        each_table_mut(root, &mut |t| {
            if t.position() == Some(first) {
                let prefix = prefix_of(t).to_string();
                let (detached, attached) = split_prefix(&prefix);
                header = detached.to_string();
                let rest = if starts_with_blank_line(attached) {
                    attached.to_string()
                } else {
                    format!("\n{attached}")
                };
                t.decor_mut().set_prefix(rest);
            }
        });
        if !header.is_empty() {
            header.push('\n');
        }
        model.decor_mut().set_prefix(header);
    } else {
        model.decor_mut().set_prefix("");
    }
    root.insert("model", Item::Table(model));
}

fn edit_groups(root: &mut Table, baseline: &Ruleset, current: &Ruleset) -> anyhow::Result<()> {
    let unchanged = baseline.groups.len() == current.groups.len()
        && baseline.groups.iter().zip(&current.groups).all(|(b, c)| {
            b.name == c.name && same_opt_num(b.cap, c.cap) && same_opt_num(b.floor, c.floor)
        });
    if unchanged {
        return Ok(());
    }
    if root.get("groups").is_none() {
        // Before the first rule, else before what follows the rules.
        let pos = first_position(root, &["rules"])
            .or_else(|| first_position(root, AFTER_RULES))
            .map_or_else(|| max_position(root) + 1, |p| p - 1);
        let mut t = Table::new();
        t.set_position(Some(pos));
        root.insert("groups", Item::Table(t));
    }
    let mut groups = root
        .get_mut("groups")
        .and_then(AnyTable::of_item)
        .ok_or_else(|| anyhow!("`groups` is not a table"))?;
    let order: Vec<&str> = current.groups.iter().map(|g| g.name.as_str()).collect();
    for c in &current.groups {
        match baseline.groups.iter().find(|b| b.name == c.name) {
            Some(b) => {
                if same_opt_num(b.cap, c.cap) && same_opt_num(b.floor, c.floor) {
                    continue;
                }
                let mut g = groups
                    .sub(&c.name)
                    .ok_or_else(|| anyhow!("group `{}` is not a table in the file", c.name))?;
                for (key, old, new) in [("cap", b.cap, c.cap), ("floor", b.floor, c.floor)] {
                    if same_opt_num(old, new) {
                        continue;
                    }
                    match new {
                        Some(x) => g.set(key, toml_number(x)?, GROUP_ORDER),
                        None => g.remove(key),
                    }
                }
            }
            None => {
                let mut t = InlineTable::new();
                if let Some(x) = c.cap {
                    t.insert("cap", toml_number(x)?);
                }
                if let Some(x) = c.floor {
                    t.insert("floor", toml_number(x)?);
                }
                groups.set(&c.name, Value::InlineTable(t), &order);
            }
        }
    }
    for b in &baseline.groups {
        if !current.groups.iter().any(|c| c.name == b.name) {
            groups.remove(&b.name);
        }
    }
    Ok(())
}

fn edit_rules(
    root: &mut Table,
    baseline: &Ruleset,
    current: &Ruleset,
    orphans: &mut Vec<(isize, String)>,
) -> anyhow::Result<()> {
    // Where new rules go: right after the last rule (and its sub-tables).
    let anchor = match root.get("rules") {
        Some(Item::ArrayOfTables(a)) if !a.is_empty() => {
            let last = a.get(a.len() - 1).expect("not empty");
            let mut max = last.position().unwrap_or(0);
            each_table(last, &mut |t| {
                if let Some(p) = t.position() {
                    max = max.max(p);
                }
            });
            max + 1
        }
        _ => first_position(root, AFTER_RULES).map_or_else(|| max_position(root) + 1, |p| p - 1),
    };

    for c in &current.rules {
        let Some(b) = baseline.rules.iter().find(|b| b.id == c.id) else {
            continue;
        };
        let mut t = find_entry(root, "rules", "id", &c.id)
            .ok_or_else(|| anyhow!("rule `{}` is not in the file any more", c.id))?;
        edit_rule(&mut t, b, c)?;
    }

    for b in &baseline.rules {
        if !current.rules.iter().any(|c| c.id == b.id) {
            remove_entry(root, "rules", "id", &b.id, orphans);
        }
    }

    let added: Vec<&Rule> = current
        .rules
        .iter()
        .filter(|c| !baseline.rules.iter().any(|b| b.id == c.id))
        .collect();
    if added.is_empty() {
        return Ok(());
    }
    if root.get("rules").is_none() {
        root.insert("rules", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    match root.get_mut("rules") {
        Some(Item::ArrayOfTables(a)) => {
            for r in added {
                let mut t = new_rule_table(r)?;
                t.set_position(Some(anchor));
                t.decor_mut().set_prefix("\n");
                a.push(t);
            }
        }
        Some(Item::Value(Value::Array(a))) => {
            // `rules = [ {...}, ... ]`: new entries look like the last one.
            let decor = a.iter().last().map(|v| v.decor().clone());
            for r in added {
                let mut v = Value::InlineTable(new_rule_table(r)?.into_inline_table());
                if let Some(d) = &decor {
                    *v.decor_mut() = d.clone();
                }
                a.push_formatted(v);
            }
        }
        _ => bail!("`rules` is not a list of [[rules]] tables"),
    }
    Ok(())
}

/// Write into the rule's table each field in which `c` differs from `b`.
fn edit_rule(t: &mut AnyTable<'_>, b: &Rule, c: &Rule) -> anyhow::Result<()> {
    for field in b.differing_fields(c) {
        match field {
            RuleField::Points => t.set("points", toml_number(c.points)?, RULE_ORDER),
            RuleField::Enabled => t.set("enabled", Value::from(c.enabled), RULE_ORDER),
            RuleField::When => {
                let v = cond_value(&c.when.text, t.value("when"));
                t.set("when", v, RULE_ORDER);
            }
            RuleField::Group => {
                let v = str_value(&c.group, t.value("group"));
                t.set("group", v, RULE_ORDER);
            }
            RuleField::Reason => match &c.reason {
                Some(r) => {
                    let v = str_value(r, t.value("reason"));
                    t.set("reason", v, RULE_ORDER);
                }
                None => t.remove("reason"),
            },
            RuleField::Decay => match &c.decay {
                None => t.remove("decay"),
                Some(d) => match t.sub("decay") {
                    // Keep `[rules.decay]` or an inline table's own layout.
                    Some(mut dt) => {
                        let v = str_value(&d.date, dt.value("date"));
                        dt.set("date", v, DECAY_ORDER);
                        dt.set(
                            "half_life_days",
                            toml_number(d.half_life_days)?,
                            DECAY_ORDER,
                        );
                    }
                    None => t.set("decay", decay_value(d)?, RULE_ORDER),
                },
            },
        }
    }
    Ok(())
}

fn new_rule_table(r: &Rule) -> anyhow::Result<Table> {
    let mut t = Table::new();
    t.insert("id", Item::Value(Value::from(r.id.as_str())));
    if r.group != DEFAULT_GROUP {
        t.insert("group", Item::Value(Value::from(r.group.as_str())));
    }
    t.insert("when", Item::Value(cond_value(&r.when.text, None)));
    t.insert("points", Item::Value(toml_number(r.points)?));
    if let Some(d) = &r.decay {
        t.insert("decay", Item::Value(decay_value(d)?));
    }
    if let Some(reason) = &r.reason {
        t.insert("reason", Item::Value(Value::from(reason.as_str())));
    }
    if !r.enabled {
        t.insert("enabled", Item::Value(Value::from(false)));
    }
    Ok(t)
}

fn decay_value(d: &Decay) -> anyhow::Result<Value> {
    let mut t = InlineTable::new();
    t.insert("date", Value::from(d.date.as_str()));
    t.insert("half_life_days", toml_number(d.half_life_days)?);
    Ok(Value::InlineTable(t))
}

fn edit_gates(root: &mut Table, baseline: &Ruleset, current: &Ruleset) -> anyhow::Result<()> {
    for c in &current.gates {
        let Some(b) = baseline.gates.iter().find(|b| b.id == c.id) else {
            bail!(
                "gate `{}` is new; saving added gates is not supported, add it in a text editor",
                c.id
            );
        };
        if same_num(b.cap, c.cap) {
            continue;
        }
        let mut t = find_entry(root, "gates", "id", &c.id)
            .ok_or_else(|| anyhow!("gate `{}` is not in the file any more", c.id))?;
        t.set("cap", toml_number(c.cap)?, GATE_ORDER);
    }
    if let Some(b) = baseline
        .gates
        .iter()
        .find(|b| !current.gates.iter().any(|c| c.id == b.id))
    {
        bail!(
            "gate `{}` was removed; saving removed gates is not supported, remove it in a text editor",
            b.id
        );
    }
    Ok(())
}

fn edit_tiers(root: &mut Table, baseline: &Ruleset, current: &Ruleset) -> anyhow::Result<()> {
    for c in &current.tiers {
        let Some(b) = baseline.tiers.iter().find(|b| b.name == c.name) else {
            bail!(
                "tier `{}` is new; saving added tiers is not supported, add it in a text editor",
                c.name
            );
        };
        if same_opt_num(b.min, c.min) {
            continue;
        }
        let mut t = find_entry(root, "tiers", "name", &c.name)
            .ok_or_else(|| anyhow!("tier `{}` is not in the file any more", c.name))?;
        match c.min {
            Some(x) => t.set("min", toml_number(x)?, TIER_ORDER),
            None => t.remove("min"),
        }
    }
    if let Some(b) = baseline
        .tiers
        .iter()
        .find(|b| !current.tiers.iter().any(|c| c.name == b.name))
    {
        bail!(
            "tier `{}` was removed; saving removed tiers is not supported, remove it in a text editor",
            b.name
        );
    }
    Ok(())
}
