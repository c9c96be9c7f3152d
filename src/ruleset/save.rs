//! The format-preserving save (SPEC §8, "Saving").
//!
//! The workbench edits a clone of the loaded [`Ruleset`]; saving writes those
//! edits back into the text the file was loaded from, so that the user's
//! comments, blank lines, key order and formatting survive byte for byte
//! wherever nothing changed. `[model].version` goes up and a `[[changelog]]`
//! entry records what changed and how the figures moved. The new text is
//! loaded again before it is written, and the write is atomic and refuses to
//! overwrite a file that changed on disk since it was opened.

use super::{DEFAULT_GROUP, Decay, Rule, Ruleset};
use anyhow::{Context, anyhow, bail};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

/// AUC, precision and recall of the model before and after (None = not computable).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figures {
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
    pub before: Figures,
    pub after: Figures,
}

// Canonical key orders: where a key that the file lacks is inserted.
const MODEL_ORDER: &[&str] = &["name", "version", "score_range", "as_of"];
const RULE_ORDER: &[&str] = &[
    "id", "group", "when", "points", "decay", "reason", "enabled",
];
const DECAY_ORDER: &[&str] = &["date", "half_life_days"];
const GATE_ORDER: &[&str] = &["id", "when", "cap", "reason"];
const TIER_ORDER: &[&str] = &["name", "min", "require", "action", "sla_hours"];
const GROUP_ORDER: &[&str] = &["cap", "floor"];
/// Sections that come after the rules: a first `[[rules]]` goes before them.
const AFTER_RULES: &[&str] = &["gates", "tiers", "review", "segments", "changelog"];

// ---------------------------------------------------------------------------
// What changed
// ---------------------------------------------------------------------------

/// Human-readable list of what differs between the loaded and the edited
/// model, in file order (`demo-request: 25 -> 30`, `webinar: disabled`,
/// `tier SQL min: 70 -> 65`, `added rule x (12 points)`, ...). Rules are
/// matched by id, gates by id, tiers by name, groups by name.
pub fn changes(baseline: &Ruleset, current: &Ruleset) -> Vec<String> {
    // (offset in the baseline file, order of discovery, text)
    let mut out: Vec<(usize, usize, String)> = vec![];
    let mut push = |offset: usize, text: String| {
        let seq = out.len();
        out.push((offset, seq, text));
    };

    for bg in &baseline.groups {
        let cg = current.groups.iter().find(|g| g.name == bg.name);
        let (cap, floor) = cg.map_or((None, None), |g| (g.cap, g.floor));
        let mut any = false;
        for (what, old, new) in [("cap", bg.cap, cap), ("floor", bg.floor, floor)] {
            if !same_opt(old, new) {
                push(
                    bg.span.start,
                    format!(
                        "group {} {what}: {} -> {}",
                        bg.name,
                        opt_num(old),
                        opt_num(new)
                    ),
                );
                any = true;
            }
        }
        if cg.is_none() && !any {
            push(bg.span.start, format!("group {}: removed", bg.name));
        }
    }
    let groups_anchor = baseline.groups.last().map_or(0, |g| g.span.start);
    for cg in &current.groups {
        if baseline.groups.iter().any(|g| g.name == cg.name) {
            continue;
        }
        let mut any = false;
        for (what, new) in [("cap", cg.cap), ("floor", cg.floor)] {
            if new.is_some() {
                push(
                    groups_anchor,
                    format!("group {} {what}: none -> {}", cg.name, opt_num(new)),
                );
                any = true;
            }
        }
        if !any {
            push(groups_anchor, format!("group {}: added", cg.name));
        }
    }

    for br in &baseline.rules {
        match current.rules.iter().find(|r| r.id == br.id) {
            None => push(br.span.start, format!("deleted rule {}", br.id)),
            Some(cr) => {
                for c in rule_changes(br, cr) {
                    push(br.span.start, c);
                }
            }
        }
    }
    let rules_anchor = match baseline.rules.last() {
        Some(r) => r.span.start,
        None => baseline
            .gates
            .first()
            .map(|g| g.span.start)
            .into_iter()
            .chain(baseline.tiers.first().map(|t| t.span.start))
            .min()
            .unwrap_or(usize::MAX),
    };
    for cr in &current.rules {
        if !baseline.rules.iter().any(|r| r.id == cr.id) {
            let off = if cr.enabled { "" } else { ", disabled" };
            push(
                rules_anchor,
                format!("added rule {} ({}{off})", cr.id, points_phrase(cr.points)),
            );
        }
    }

    for bg in &baseline.gates {
        match current.gates.iter().find(|g| g.id == bg.id) {
            None => push(bg.span.start, format!("deleted gate {}", bg.id)),
            Some(cg) if !same(cg.cap, bg.cap) => push(
                bg.span.start,
                format!("gate {} cap: {} -> {}", bg.id, num(bg.cap), num(cg.cap)),
            ),
            Some(_) => {}
        }
    }
    let gates_anchor = baseline.gates.last().map_or(rules_anchor, |g| g.span.start);
    for cg in &current.gates {
        if !baseline.gates.iter().any(|g| g.id == cg.id) {
            push(gates_anchor, format!("added gate {}", cg.id));
        }
    }

    for bt in &baseline.tiers {
        match current.tiers.iter().find(|t| t.name == bt.name) {
            None => push(bt.span.start, format!("deleted tier {}", bt.name)),
            Some(ct) if !same_opt(ct.min, bt.min) => push(
                bt.span.start,
                format!(
                    "tier {} min: {} -> {}",
                    bt.name,
                    opt_num(bt.min),
                    opt_num(ct.min)
                ),
            ),
            Some(_) => {}
        }
    }
    let tiers_anchor = baseline.tiers.last().map_or(gates_anchor, |t| t.span.start);
    for ct in &current.tiers {
        if !baseline.tiers.iter().any(|t| t.name == ct.name) {
            push(tiers_anchor, format!("added tier {}", ct.name));
        }
    }

    out.sort_by_key(|(offset, seq, _)| (*offset, *seq));
    out.into_iter().map(|(_, _, text)| text).collect()
}

fn rule_changes(b: &Rule, c: &Rule) -> Vec<String> {
    let id = &b.id;
    let mut out = vec![];
    if !same(b.points, c.points) {
        out.push(format!("{id}: {} -> {}", num(b.points), num(c.points)));
    }
    if b.enabled != c.enabled {
        let state = if c.enabled { "enabled" } else { "disabled" };
        out.push(format!("{id}: {state}"));
    }
    if b.when.text != c.when.text {
        out.push(format!(
            "{id} when: `{}` -> `{}`",
            one_line(&b.when.text),
            one_line(&c.when.text)
        ));
    }
    if b.group != c.group {
        out.push(format!("{id} group: {} -> {}", b.group, c.group));
    }
    if b.reason != c.reason {
        let show = |r: &Option<String>| match r {
            Some(s) => format!("\"{}\"", one_line(s)),
            None => "none".to_string(),
        };
        out.push(format!(
            "{id} reason: {} -> {}",
            show(&b.reason),
            show(&c.reason)
        ));
    }
    if !same_decay(&b.decay, &c.decay) {
        let show = |d: &Option<Decay>| match d {
            Some(d) => format!("half-life {} days from {}", num(d.half_life_days), d.date),
            None => "none".to_string(),
        };
        out.push(format!(
            "{id} decay: {} -> {}",
            show(&b.decay),
            show(&c.decay)
        ));
    }
    out
}

fn points_phrase(p: f64) -> String {
    if p == 1.0 || p == -1.0 {
        format!("{} point", num(p))
    } else {
        format!("{} points", num(p))
    }
}

/// A condition or reason on one line, for the change list.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

fn same_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same(a, b),
        (None, None) => true,
        _ => false,
    }
}

fn same_decay(a: &Option<Decay>, b: &Option<Decay>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.date == b.date && same(a.half_life_days, b.half_life_days),
        (None, None) => true,
        _ => false,
    }
}

/// A number as a user writes it: `30`, `-2.5`.
fn num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn opt_num(x: Option<f64>) -> String {
    x.map_or("none".to_string(), num)
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

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

/// Load the rendered text again and check that it holds exactly the edited
/// model: this guards the in-place edit against ever writing a file that
/// says something other than what the workbench showed.
fn verify(text: &str, baseline: &Ruleset, current: &Ruleset, version: i64) -> anyhow::Result<()> {
    let parsed = Ruleset::parse(&baseline.path, text.to_string()).map_err(|d| {
        anyhow!("the edited model would not load again, so it was not saved; fix these first:\n{d}")
    })?;
    let mut bad: Vec<String> = vec![];
    if parsed.model.version != version {
        bad.push(format!(
            "version is {} instead of {version}",
            parsed.model.version
        ));
    }
    if parsed.rules.len() != current.rules.len() {
        bad.push(format!(
            "{} rules instead of {}",
            parsed.rules.len(),
            current.rules.len()
        ));
    }
    for c in &current.rules {
        let Some(p) = parsed.rules.iter().find(|p| p.id == c.id) else {
            bad.push(format!("rule {} is missing", c.id));
            continue;
        };
        if !same(p.points, c.points)
            || p.enabled != c.enabled
            || p.when.text != c.when.text
            || p.group != c.group
            || p.reason != c.reason
            || !same_decay(&p.decay, &c.decay)
        {
            bad.push(format!("rule {} differs", c.id));
        }
    }
    if parsed.gates.len() != current.gates.len() {
        bad.push("the gates differ".to_string());
    }
    for c in &current.gates {
        match parsed.gates.iter().find(|p| p.id == c.id) {
            Some(p) if same(p.cap, c.cap) => {}
            _ => bad.push(format!("gate {} differs", c.id)),
        }
    }
    if parsed.tiers.len() != current.tiers.len() {
        bad.push("the tiers differ".to_string());
    }
    for c in &current.tiers {
        match parsed.tiers.iter().find(|p| p.name == c.name) {
            Some(p) if same_opt(p.min, c.min) => {}
            _ => bad.push(format!("tier {} differs", c.name)),
        }
    }
    if parsed.groups.len() != current.groups.len() {
        bad.push("the groups differ".to_string());
    }
    for c in &current.groups {
        match parsed.groups.iter().find(|p| p.name == c.name) {
            Some(p) if same_opt(p.cap, c.cap) && same_opt(p.floor, c.floor) => {}
            _ => bad.push(format!("group {} differs", c.name)),
        }
    }
    // What the workbench does not edit must come back as it was loaded.
    if parsed.model.name != baseline.model.name
        || parsed.model.score_range != baseline.model.score_range
        || parsed.model.as_of != baseline.model.as_of
        || parsed.fields.len() != baseline.fields.len()
        || parsed.derive.len() != baseline.derive.len()
        || parsed.segments.len() != baseline.segments.len()
        || parsed.review.bands != baseline.review.bands
        || parsed.review.qualified != baseline.review.qualified
    {
        bad.push("sections that were not edited changed".to_string());
    }
    if !bad.is_empty() {
        bail!(
            "saving {} would write a file that differs from the model in the workbench ({}); \
             nothing was written. Use save-as to another name, and please report this as a bug",
            baseline.path,
            bad.join("; ")
        );
    }
    Ok(())
}

fn set_version(doc: &mut DocumentMut, version: i64) -> anyhow::Result<()> {
    let root = doc.as_table_mut();
    if root.get("model").is_none() {
        create_model_table(root);
    }
    let mut model = root
        .get_mut("model")
        .and_then(tab_of_item)
        .ok_or_else(|| anyhow!("`model` is not a table"))?;
    model.set("version", Value::from(version), MODEL_ORDER);
    Ok(())
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
    let unchanged =
        baseline.groups.len() == current.groups.len()
            && baseline.groups.iter().zip(&current.groups).all(|(b, c)| {
                b.name == c.name && same_opt(b.cap, c.cap) && same_opt(b.floor, c.floor)
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
        .and_then(tab_of_item)
        .ok_or_else(|| anyhow!("`groups` is not a table"))?;
    let order: Vec<&str> = current.groups.iter().map(|g| g.name.as_str()).collect();
    for c in &current.groups {
        match baseline.groups.iter().find(|b| b.name == c.name) {
            Some(b) => {
                if same_opt(b.cap, c.cap) && same_opt(b.floor, c.floor) {
                    continue;
                }
                let mut g = groups
                    .sub(&c.name)
                    .ok_or_else(|| anyhow!("group `{}` is not a table in the file", c.name))?;
                for (key, old, new) in [("cap", b.cap, c.cap), ("floor", b.floor, c.floor)] {
                    if same_opt(old, new) {
                        continue;
                    }
                    match new {
                        Some(x) => g.set(key, num_value(x)?, GROUP_ORDER),
                        None => g.remove(key),
                    }
                }
            }
            None => {
                let mut t = InlineTable::new();
                if let Some(x) = c.cap {
                    t.insert("cap", num_value(x)?);
                }
                if let Some(x) = c.floor {
                    t.insert("floor", num_value(x)?);
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

fn edit_rule(t: &mut Tab<'_>, b: &Rule, c: &Rule) -> anyhow::Result<()> {
    if !same(b.points, c.points) {
        t.set("points", num_value(c.points)?, RULE_ORDER);
    }
    if b.enabled != c.enabled {
        t.set("enabled", Value::from(c.enabled), RULE_ORDER);
    }
    if b.when.text != c.when.text {
        let v = cond_value(&c.when.text, t.value("when"));
        t.set("when", v, RULE_ORDER);
    }
    if b.group != c.group {
        let v = str_value(&c.group, t.value("group"));
        t.set("group", v, RULE_ORDER);
    }
    if b.reason != c.reason {
        match &c.reason {
            Some(r) => {
                let v = str_value(r, t.value("reason"));
                t.set("reason", v, RULE_ORDER);
            }
            None => t.remove("reason"),
        }
    }
    if !same_decay(&b.decay, &c.decay) {
        match &c.decay {
            None => t.remove("decay"),
            Some(d) => match t.sub("decay") {
                // Keep `[rules.decay]` or an inline table's own layout.
                Some(mut dt) => {
                    let v = str_value(&d.date, dt.value("date"));
                    dt.set("date", v, DECAY_ORDER);
                    dt.set("half_life_days", num_value(d.half_life_days)?, DECAY_ORDER);
                }
                None => t.set("decay", decay_value(d)?, RULE_ORDER),
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
    t.insert("points", Item::Value(num_value(r.points)?));
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
    t.insert("half_life_days", num_value(d.half_life_days)?);
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
        if same(b.cap, c.cap) {
            continue;
        }
        let mut t = find_entry(root, "gates", "id", &c.id)
            .ok_or_else(|| anyhow!("gate `{}` is not in the file any more", c.id))?;
        t.set("cap", num_value(c.cap)?, GATE_ORDER);
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
        if same_opt(b.min, c.min) {
            continue;
        }
        let mut t = find_entry(root, "tiers", "name", &c.name)
            .ok_or_else(|| anyhow!("tier `{}` is not in the file any more", c.name))?;
        match c.min {
            Some(x) => t.set("min", num_value(x)?, TIER_ORDER),
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

fn append_changelog(doc: &mut DocumentMut, entry: &ChangelogEntry) -> anyhow::Result<()> {
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
            if let Some(v) = x.and_then(figure_value) {
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

/// A figure rounded to 4 decimals, always written as a float.
fn figure_value(x: f64) -> Option<Value> {
    if !x.is_finite() {
        return None;
    }
    let r = (x * 10_000.0).round() / 10_000.0;
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r:?}").parse().ok()
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/// Points, caps and thresholds: `30` when whole, else the shortest float
/// that reads back as the same number.
fn num_value(x: f64) -> anyhow::Result<Value> {
    if !x.is_finite() {
        bail!("{x} cannot be saved: use a finite number");
    }
    let raw = if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:?}")
    };
    raw.parse()
        .map_err(|e| anyhow!("cannot write the number {x}: {e}"))
}

#[derive(Clone, Copy, PartialEq)]
enum Quote {
    Basic,
    Literal,
    MultiBasic,
    MultiLiteral,
}

/// How a string value is written in the file, and whether a multi-line
/// string starts with a newline after its opening quotes.
fn quote_of(v: &Value) -> Option<(Quote, bool)> {
    let Value::String(f) = v else { return None };
    let raw = f.as_repr()?.as_raw().as_str()?;
    let (q, rest) = if let Some(r) = raw.strip_prefix("'''") {
        (Quote::MultiLiteral, r)
    } else if let Some(r) = raw.strip_prefix("\"\"\"") {
        (Quote::MultiBasic, r)
    } else if raw.starts_with('\'') {
        (Quote::Literal, "")
    } else if raw.starts_with('"') {
        (Quote::Basic, "")
    } else {
        return None;
    };
    Some((q, rest.starts_with('\n') || rest.starts_with("\r\n")))
}

/// Control characters no unescaped TOML string may hold (tab is allowed).
fn has_control(s: &str, allow_newlines: bool) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\t' => false,
        b'\n' => !allow_newlines,
        b'\r' => !(allow_newlines && b.get(i + 1) == Some(&b'\n')),
        c => c < 0x20 || c == 0x7f,
    })
}

/// `text` written in the given style, when it can be without escapes.
fn quoted(text: &str, q: Quote, newline_after_open: bool) -> Option<String> {
    let nl = if newline_after_open { "\n" } else { "" };
    match q {
        Quote::Literal => {
            (!text.contains('\'') && !has_control(text, false)).then(|| format!("'{text}'"))
        }
        Quote::Basic => (!text.contains(['"', '\\']) && !has_control(text, false))
            .then(|| format!("\"{text}\"")),
        Quote::MultiLiteral => (!text.contains("'''")
            && !text.ends_with('\'')
            && (newline_after_open || !text.starts_with(['\n', '\r']))
            && !has_control(text, true))
        .then(|| format!("'''{nl}{text}'''")),
        Quote::MultiBasic => (!text.contains(['"', '\\'])
            && (newline_after_open || !text.starts_with(['\n', '\r']))
            && !has_control(text, true))
        .then(|| format!("\"\"\"{nl}{text}\"\"\"")),
    }
}

/// A basic string with every character that needs it escaped.
fn escaped_basic(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push('\t'),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                s.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

fn parse_string(raw: &str, text: &str) -> Option<Value> {
    raw.parse::<Value>()
        .ok()
        .filter(|v| v.as_str() == Some(text))
}

/// A condition string: the old value's quoting when the new text fits it,
/// else a literal string, else (for text with `'`) an escaped basic string.
/// Conditions quote text with `"`, so literal strings keep them readable.
fn cond_value(text: &str, old: Option<&Value>) -> Value {
    let kept = old
        .and_then(quote_of)
        .and_then(|(q, nl)| quoted(text, q, nl))
        .and_then(|raw| parse_string(&raw, text));
    kept.or_else(|| quoted(text, Quote::Literal, false).and_then(|raw| parse_string(&raw, text)))
        .or_else(|| parse_string(&escaped_basic(text), text))
        .unwrap_or_else(|| Value::from(text))
}

/// Any other string: the old value's quoting when the new text fits it,
/// else toml_edit's usual choice.
fn str_value(text: &str, old: Option<&Value>) -> Value {
    old.and_then(quote_of)
        .and_then(|(q, nl)| quoted(text, q, nl))
        .and_then(|raw| parse_string(&raw, text))
        .unwrap_or_else(|| Value::from(text))
}

// ---------------------------------------------------------------------------
// Tables: standard or inline, edited in place
// ---------------------------------------------------------------------------

/// A table as the file writes it: `[[rules]]` / `[model]`, or `{ ... }`.
enum Tab<'a> {
    Std(&'a mut Table),
    Inline(&'a mut InlineTable),
}

fn tab_of_item(item: &mut Item) -> Option<Tab<'_>> {
    match item {
        Item::Table(t) => Some(Tab::Std(t)),
        Item::Value(Value::InlineTable(t)) => Some(Tab::Inline(t)),
        _ => None,
    }
}

impl Tab<'_> {
    fn value(&self, key: &str) -> Option<&Value> {
        match self {
            Tab::Std(t) => t.get(key).and_then(Item::as_value),
            Tab::Inline(t) => t.get(key),
        }
    }

    fn value_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Tab::Std(t) => t.get_mut(key).and_then(Item::as_value_mut),
            Tab::Inline(t) => t.get_mut(key),
        }
    }

    /// The table under `key` (a sub-table or an inline table).
    fn sub(&mut self, key: &str) -> Option<Tab<'_>> {
        match self {
            Tab::Std(t) => t.get_mut(key).and_then(tab_of_item),
            Tab::Inline(t) => t.get_mut(key).and_then(|v| match v {
                Value::InlineTable(t) => Some(Tab::Inline(t)),
                _ => None,
            }),
        }
    }

    /// Replace the value of `key` keeping its surroundings (spacing, a
    /// trailing comment), or insert it where `order` says it belongs.
    fn set(&mut self, key: &str, mut new: Value, order: &[&str]) {
        if let Some(old) = self.value_mut(key) {
            *new.decor_mut() = old.decor().clone();
            *old = new;
            return;
        }
        match self {
            Tab::Std(t) => {
                t.remove(key);
                t.insert(key, Item::Value(new));
                let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
                for k in keys_to_move(&keys, key, order) {
                    if let Some((k, item)) = t.remove_entry(&k) {
                        t.insert_formatted(&k, item);
                    }
                }
            }
            Tab::Inline(t) => {
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

    fn remove(&mut self, key: &str) {
        match self {
            Tab::Std(t) => {
                t.remove(key);
            }
            Tab::Inline(t) => {
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
fn find_entry<'a>(root: &'a mut Table, section: &str, id_key: &str, id: &str) -> Option<Tab<'a>> {
    match root.get_mut(section)? {
        Item::ArrayOfTables(a) => a
            .iter_mut()
            .find(|t| t.get(id_key).and_then(Item::as_str) == Some(id))
            .map(Tab::Std),
        Item::Value(Value::Array(a)) => a
            .iter_mut()
            .filter_map(Value::as_inline_table_mut)
            .find(|t| t.get(id_key).and_then(Value::as_str) == Some(id))
            .map(Tab::Inline),
        _ => None,
    }
}

/// Remove an entry; the comment paragraphs above a removed `[[section]]`
/// that are set off from it by a blank line (a section banner, say) belong
/// to what follows, and are kept in `orphans` to be moved there.
fn remove_entry(
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
fn rehome_comments(root: &mut Table, mut orphans: Vec<(isize, String)>) {
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
fn prefix_of(t: &Table) -> &str {
    t.decor().prefix().and_then(|p| p.as_str()).unwrap_or("\n")
}

/// Split the text above a table header at its last blank line: the part
/// before it is not about this table; the rest (starting with the blank
/// line) is the comment attached to the header.
fn split_prefix(prefix: &str) -> (&str, &str) {
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

fn starts_with_blank_line(s: &str) -> bool {
    s.split_inclusive('\n')
        .next()
        .is_some_and(|l| l.ends_with('\n') && l.trim().is_empty())
}

/// Every table below `t` (not `t` itself), depth first in document order.
fn each_table(t: &Table, f: &mut dyn FnMut(&Table)) {
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

fn each_table_mut(t: &mut Table, f: &mut dyn FnMut(&mut Table)) {
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

fn max_position(root: &Table) -> isize {
    let mut max = 0;
    each_table(root, &mut |t| {
        if let Some(p) = t.position() {
            max = max.max(p);
        }
    });
    max
}

/// The smallest position of the tables under the given top-level keys.
fn first_position(root: &Table, sections: &[&str]) -> Option<isize> {
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

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

/// Why a save did not happen.
#[derive(Debug)]
pub enum SaveError {
    /// The file on disk is not what was loaded: someone else changed it.
    ChangedOnDisk { path: PathBuf },
    /// Save-as to a file that already exists.
    Exists { path: PathBuf },
    /// The file, or the directory it is in (`read_only`), may not be
    /// written: see [`write_atomic`] for what counts as read-only.
    ReadOnly { path: PathBuf, read_only: PathBuf },
    /// Reading, writing or renaming failed.
    Io(anyhow::Error),
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::ChangedOnDisk { path } => write!(
                f,
                "{} was changed on disk since it was opened; save under another name (save-as) \
                 or reload it (reloading discards your unsaved edits). Nothing was written.",
                path.display()
            ),
            SaveError::Exists { path } => write!(
                f,
                "{} already exists; save under another name, or open that file to edit it. \
                 Nothing was written.",
                path.display()
            ),
            SaveError::ReadOnly { path, read_only } if read_only == path => write!(
                f,
                "{} is read-only; save under another name (save-as), or make it writable \
                 (chmod u+w) and save again. Nothing was written.",
                path.display()
            ),
            SaveError::ReadOnly { path, read_only } => write!(
                f,
                "{} is in a read-only directory ({}); save under another name elsewhere \
                 (save-as), or make the directory writable (chmod u+w) and save again. \
                 Nothing was written.",
                path.display(),
                read_only.display()
            ),
            SaveError::Io(e) => write!(f, "could not save: {e:#}"),
        }
    }
}

impl std::error::Error for SaveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SaveError::Io(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// Write `text` to `path` atomically: a temporary file in the same
/// directory, flushed to disk, then renamed over `path`, so that a crash
/// leaves either the old file or the new one, never half of one.
///
/// `expected_on_disk` is the text loaded when the file was opened: when the
/// file now holds anything else (or is gone), nothing is written
/// ([`SaveError::ChangedOnDisk`]). `None` means save-as to a new file, which
/// must not exist yet ([`SaveError::Exists`]).
///
/// A file the user made read-only is never replaced, though the rename
/// could (it needs only the directory): [`SaveError::ReadOnly`], as an
/// editor would refuse it. Read-only means the file's mode has no write
/// bit for its owner, or this process may not open it for writing; the
/// same for the directory the file is in (whose write bit the rename
/// needs). The mode bits count even for root, who could write anyway:
/// whoever removed the write bit meant the file to stay as it is.
pub fn write_atomic(
    path: &Path,
    text: &str,
    expected_on_disk: Option<&str>,
) -> Result<(), SaveError> {
    // Write through a symlink to the file it points at, not over the link.
    let target = match expected_on_disk {
        Some(_) => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        None => path.to_path_buf(),
    };
    check_on_disk(path, &target, expected_on_disk)?;

    let (dir, name) = dir_and_name(&target);
    check_writable(path, &target, &dir, expected_on_disk.is_some())?;
    let (tmp, mut file) = create_temp(&dir, &name).map_err(|e| {
        if e.kind() == std::io::ErrorKind::PermissionDenied {
            return SaveError::ReadOnly {
                path: path.to_path_buf(),
                read_only: dir.clone(),
            };
        }
        SaveError::Io(anyhow!(e).context(format!(
            "cannot create a temporary file in {} (is the directory writable?)",
            dir.display()
        )))
    })?;
    let mut guard = RemoveOnDrop(Some(tmp.clone()));
    let io = |e: std::io::Error, what: &str| {
        SaveError::Io(anyhow!(e).context(format!("{what} {}", tmp.display())))
    };
    file.write_all(text.as_bytes())
        .map_err(|e| io(e, "cannot write"))?;
    if expected_on_disk.is_some()
        && let Ok(meta) = std::fs::metadata(&target)
    {
        // Keep the file's permissions; failing to is not worth a lost save.
        let _ = file.set_permissions(meta.permissions());
    }
    file.sync_all().map_err(|e| io(e, "cannot flush"))?;
    drop(file);

    // Once more, as late as possible: the user may have been typing the note
    // while another program saved the file.
    check_on_disk(path, &target, expected_on_disk)?;
    match expected_on_disk {
        Some(_) => {
            std::fs::rename(&tmp, &target).map_err(|e| {
                SaveError::Io(anyhow!(e).context(format!("cannot replace {}", path.display())))
            })?;
            guard.0 = None;
        }
        None => {
            // A hard link fails when the name exists: no window in which
            // another file could be overwritten.
            match std::fs::hard_link(&tmp, &target) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(SaveError::Exists {
                        path: path.to_path_buf(),
                    });
                }
                Err(_) => {
                    // No hard links on this file system: check, then rename.
                    if std::fs::symlink_metadata(&target).is_ok() {
                        return Err(SaveError::Exists {
                            path: path.to_path_buf(),
                        });
                    }
                    std::fs::rename(&tmp, &target).map_err(|e| {
                        SaveError::Io(
                            anyhow!(e).context(format!("cannot create {}", path.display())),
                        )
                    })?;
                    guard.0 = None;
                }
            }
        }
    }
    drop(guard); // removes the temporary name when it is still there
    sync_dir(&dir);
    Ok(())
}

fn check_on_disk(path: &Path, target: &Path, expected: Option<&str>) -> Result<(), SaveError> {
    match expected {
        Some(expected) => match std::fs::read(target) {
            Ok(bytes) if bytes == expected.as_bytes() => Ok(()),
            Ok(_) => Err(SaveError::ChangedOnDisk {
                path: path.to_path_buf(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(SaveError::ChangedOnDisk {
                path: path.to_path_buf(),
            }),
            Err(e) => Err(SaveError::Io(anyhow!(e).context(format!(
                "cannot read {} to check that nobody else changed it",
                path.display()
            )))),
        },
        None => match std::fs::symlink_metadata(target) {
            Ok(_) => Err(SaveError::Exists {
                path: path.to_path_buf(),
            }),
            Err(_) => Ok(()),
        },
    }
}

/// The directory a file is in (`.` for a bare name) and its name.
fn dir_and_name(target: &Path) -> (PathBuf, String) {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ruleset".to_string());
    (dir, name)
}

/// Refuse a read-only file (`existing`: it is to be replaced) or directory
/// before anything is written (see [`write_atomic`]).
fn check_writable(path: &Path, target: &Path, dir: &Path, existing: bool) -> Result<(), SaveError> {
    let read_only = |p: &Path| SaveError::ReadOnly {
        path: path.to_path_buf(),
        read_only: p.to_path_buf(),
    };
    if existing {
        if let Ok(meta) = std::fs::metadata(target)
            && owner_cannot_write(&meta)
        {
            return Err(read_only(path));
        }
        // Opening for writing (without truncating) changes nothing, and
        // asks the system whether this user may write the file.
        if let Err(e) = std::fs::OpenOptions::new().write(true).open(target)
            && e.kind() == std::io::ErrorKind::PermissionDenied
        {
            return Err(read_only(path));
        }
    }
    if let Ok(meta) = std::fs::metadata(dir)
        && owner_cannot_write(&meta)
    {
        return Err(read_only(dir));
    }
    Ok(())
}

#[cfg(unix)]
fn owner_cannot_write(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o200 == 0
}

#[cfg(not(unix))]
fn owner_cannot_write(meta: &std::fs::Metadata) -> bool {
    meta.permissions().readonly()
}

/// The suffix of every temporary file a save writes (see [`create_temp`]).
const TEMP_SUFFIX: &str = ".leadlab-tmp";

/// How old a temporary file must be before it counts as left over even
/// when the process in its name is still running (process ids are reused;
/// a save takes well under a second).
pub const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Remove the temporary files that saves of `path` left behind when they
/// were killed mid-write (`.NAME.PID.N.leadlab-tmp` beside the file, up to
/// the ruleset's size each), and return their paths.
///
/// Only files of exactly that pattern for this file's name are touched, and
/// only when no save can still be writing them: the process whose id is in
/// the name is gone (where that can be told, on Linux), or the file is
/// older than [`LEFTOVER_AGE`]. A file that cannot be removed is skipped.
pub fn remove_leftovers(path: &Path) -> Vec<PathBuf> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let (dir, name) = dir_and_name(&target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return vec![];
    };
    let prefix = format!(".{name}.");
    let mut removed = vec![];
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(pid) = temp_pid(file_name, &prefix) else {
            continue;
        };
        let Ok(meta) = e.path().symlink_metadata() else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > LEFTOVER_AGE);
        if (old || process_gone(pid)) && std::fs::remove_file(e.path()).is_ok() {
            removed.push(e.path());
        }
    }
    removed.sort();
    removed
}

/// The process id in `PREFIX.PID.N.leadlab-tmp`, when `file_name` is one.
fn temp_pid(file_name: &str, prefix: &str) -> Option<u32> {
    let rest = file_name.strip_prefix(prefix)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, n) = rest.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || !digits(n) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` is known not to run (Linux: no `/proc/PID`).
/// Elsewhere it cannot be told without more machinery: only age counts.
fn process_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// Write `text` to `path` atomically, replacing whatever is there, without
/// the checks of [`write_atomic`] and without waiting for the disk: for the
/// workbench's draft of unsaved edits, written after every edit, which must
/// survive the process being killed (the system's cache does), not a power
/// cut.
pub fn replace_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let (dir, name) = dir_and_name(path);
    let (tmp, mut file) = create_temp(&dir, &name)?;
    let mut guard = RemoveOnDrop(Some(tmp.clone()));
    file.write_all(text.as_bytes())?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    guard.0 = None;
    Ok(())
}

/// A new, empty temporary file next to `name` in `dir`.
fn create_temp(dir: &Path, name: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let pid = std::process::id();
    let mut last_err = None;
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{pid}.{n}{TEMP_SUFFIX}"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
}

/// Removes the temporary file on every way out of [`write_atomic`].
struct RemoveOnDrop(Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Make the rename itself durable (a no-op where directories cannot be synced).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
