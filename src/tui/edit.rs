//! Edits of the working ruleset: weights, thresholds, toggles, resets, and
//! authoring rules (add, duplicate, delete, condition, group, reason, id).
//!
//! Every edit goes through [`App::edit`]: it snapshots the editable part for
//! undo, applies the change, keeps the compiled rules aligned with the
//! ruleset's rules, and returns the effects of a change (a rescore, the
//! draft). An edit that fails leaves everything as it was and says why.

use super::app::{App, Pane};
use super::effect::Effect;
use crate::cond::{Condition, Env};
use crate::engine::{self, CompiledRule};
use crate::fmt::fmt_num;
use crate::ruleset::{CondSource, DEFAULT_GROUP, Rule};
use std::sync::Arc;

/// Up to this many leads, a condition being typed is evaluated at every
/// keystroke to show how many leads it holds for (a few milliseconds).
pub const LIVE_COUNT_LEADS: usize = 200_000;

/// What an edit did: `Some(done)`, or `None` when nothing changed.
pub(crate) type EditResult = Result<Option<Done>, String>;

/// An edit as the status line tells it, for each state it can reach: done
/// (`demo: 30 → 31 points`), undone (`demo: back to 30 points`) and redone.
/// Undo and redo describe the state they reach, never the edit they revert.
#[derive(Debug, Clone)]
pub(crate) struct Done {
    pub what: String,
    pub undone: String,
    pub redone: String,
}

impl Done {
    /// `what`, `undone`; redone is `what` followed by "again".
    pub fn new(what: impl Into<String>, undone: impl Into<String>) -> Done {
        let what = what.into();
        Done {
            redone: format!("{what} again"),
            what,
            undone: undone.into(),
        }
    }

    pub fn redone(mut self, redone: impl Into<String>) -> Done {
        self.redone = redone.into();
        self
    }
}

impl App {
    /// Apply `f` to the working copy as one undoable edit.
    pub(crate) fn edit(&mut self, f: impl FnOnce(&mut App) -> EditResult) -> Vec<Effect> {
        let before = self.snapshot();
        match f(self) {
            Ok(Some(done)) => {
                self.info(done.what.clone());
                self.undo.push((before, done));
                self.redo.clear();
                return self.changed();
            }
            Ok(None) => {
                self.restore(before);
                self.info("nothing to change");
            }
            Err(msg) => {
                self.restore(before);
                self.error(msg);
            }
        }
        vec![]
    }

    pub(crate) fn undo(&mut self) -> Vec<Effect> {
        match self.undo.pop() {
            None => {
                self.info("nothing to undo");
                vec![]
            }
            Some((snapshot, done)) => {
                let now = self.snapshot();
                self.restore(snapshot);
                self.info(done.undone.clone());
                self.redo.push((now, done));
                self.changed()
            }
        }
    }

    pub(crate) fn redo(&mut self) -> Vec<Effect> {
        match self.redo.pop() {
            None => {
                self.info("nothing to redo");
                vec![]
            }
            Some((snapshot, done)) => {
                let now = self.snapshot();
                self.restore(snapshot);
                self.info(done.redone.clone());
                self.undo.push((now, done));
                self.changed()
            }
        }
    }

    /// Change the selected rule's points or tier's threshold by `delta`.
    pub(crate) fn nudge(&mut self, delta: f64) -> Vec<Effect> {
        if self.pane == Pane::Rules && self.show_levers {
            return self.nudge_lever(delta);
        }
        match self.pane {
            Pane::Rules => {
                let Some(r) = self.ruleset.rules.get(self.selected(Pane::Rules)) else {
                    return vec![];
                };
                let v = r.points + delta;
                self.set_points(self.selected(Pane::Rules), v)
            }
            Pane::Tiers => {
                let k = self.selected(Pane::Tiers);
                let Some(t) = self.ruleset.tiers.get(k) else {
                    return vec![];
                };
                let v = t.min.unwrap_or(self.ruleset.model.score_range.0) + delta;
                self.set_tier_min(k, v)
            }
            _ => vec![],
        }
    }

    pub(crate) fn set_points(&mut self, k: usize, v: f64) -> Vec<Effect> {
        self.edit(|app| {
            let r = app.ruleset.rules.get_mut(k).ok_or("no rule selected")?;
            if let Some(problem) = crate::ruleset::number_problem(v) {
                return Err(format!("points {problem}: {}", crate::ruleset::NUMBER_RULE));
            }
            if r.points == v {
                return Ok(None);
            }
            let what = format!("{}: {} → {} points", r.id, fmt_num(r.points), fmt_num(v));
            let undone = format!("{}: back to {} points", r.id, fmt_num(r.points));
            r.points = v;
            Ok(Some(Done::new(what, undone)))
        })
    }

    pub(crate) fn set_tier_min(&mut self, k: usize, v: f64) -> Vec<Effect> {
        self.edit(|app| {
            let t = app.ruleset.tiers.get_mut(k).ok_or("no tier selected")?;
            if let Some(problem) = crate::ruleset::number_problem(v) {
                return Err(format!(
                    "a threshold {problem}: {}",
                    crate::ruleset::NUMBER_RULE
                ));
            }
            if t.min == Some(v) {
                return Ok(None);
            }
            let old = t.min.map_or("none".to_string(), fmt_num);
            let what = format!("tier {}: min {} → {}", t.name, old, fmt_num(v));
            let undone = format!("tier {}: min back to {old}", t.name);
            t.min = Some(v);
            Ok(Some(Done::new(what, undone)))
        })
    }

    pub(crate) fn toggle_rule(&mut self, k: usize) -> Vec<Effect> {
        self.edit(|app| {
            let r = app.ruleset.rules.get_mut(k).ok_or("no rule selected")?;
            r.enabled = !r.enabled;
            let (now, was) = if r.enabled {
                ("on", "off")
            } else {
                ("off", "on")
            };
            Ok(Some(
                Done::new(format!("{}: {now}", r.id), format!("{}: back {was}", r.id))
                    .redone(format!("{}: {now} again", r.id)),
            ))
        })
    }

    /// Put the selected rule or tier back as it is in the baseline.
    pub(crate) fn reset_selected(&mut self) -> Vec<Effect> {
        if self.pane == Pane::Rules && self.show_levers {
            return self.reset_lever();
        }
        match self.pane {
            Pane::Rules => {
                let k = self.selected(Pane::Rules);
                self.edit(|app| {
                    let Some(r) = app.ruleset.rules.get(k) else {
                        return Err("no rule selected".into());
                    };
                    let Some((b, base)) = app.baseline_rule(k) else {
                        return Err(format!(
                            "{} is new: it has no baseline (x deletes it)",
                            r.id
                        ));
                    };
                    if r.same_as(base) {
                        return Ok(None);
                    }
                    let base = base.clone();
                    let compiled = app.baseline_compiled.rules[b].clone();
                    let id = base.id.clone();
                    app.ruleset.rules[k] = base;
                    app.compiled.rules[k] = compiled;
                    app.refresh_groups()?;
                    Ok(Some(Done::new(
                        format!("{id}: reset to baseline"),
                        format!("{id}: edits back (reset undone)"),
                    )))
                })
            }
            Pane::Tiers => {
                let k = self.selected(Pane::Tiers);
                self.edit(|app| {
                    let base = app.baseline_tier(k).map(|t| t.min);
                    let t = app.ruleset.tiers.get_mut(k).ok_or("no tier selected")?;
                    match base {
                        Some(min) if min != t.min => {
                            t.min = min;
                            Ok(Some(Done::new(
                                format!("tier {}: reset to baseline", t.name),
                                format!("tier {}: edit back (reset undone)", t.name),
                            )))
                        }
                        _ => Ok(None),
                    }
                })
            }
            _ => vec![],
        }
    }

    /// Put everything back as it is in the baseline (one undoable edit).
    pub(crate) fn reset_all(&mut self) -> Vec<Effect> {
        self.edit(|app| {
            if app.changes.is_empty() {
                return Ok(None);
            }
            app.ruleset.rules = app.baseline.rules.clone();
            app.ruleset.tiers = app.baseline.tiers.clone();
            app.ruleset.groups = app.baseline.groups.clone();
            app.ruleset.gates = app.baseline.gates.clone();
            app.ruleset.review = app.baseline.review.clone();
            app.ruleset.model.score_range = app.baseline.model.score_range;
            app.compiled = app.baseline_compiled.clone();
            Ok(Some(Done::new(
                "everything reset to baseline",
                "every edit back (reset undone)",
            )))
        })
    }

    /// A new rule below the selected one, in the same group, firing on no
    /// lead until its condition is written (the condition editor opens).
    /// `None` when it could not be added.
    pub(crate) fn add_rule(&mut self) -> Option<Vec<Effect>> {
        let at = if self.ruleset.rules.is_empty() {
            0
        } else {
            self.selected(Pane::Rules) + 1
        };
        let group = self
            .ruleset
            .rules
            .get(self.selected(Pane::Rules))
            .map_or(DEFAULT_GROUP.to_string(), |r| r.group.clone());
        let id = self.unused_id("new-rule");
        let rule = Rule {
            id: id.clone(),
            group,
            when: CondSource {
                text: "false".into(),
                offset: 0,
                exact: false,
            },
            points: 5.0,
            reason: None,
            enabled: true,
            decay: None,
            span: 0..0,
        };
        let mut ok = false;
        let effects = self.edit(|app| {
            app.ruleset.rules.insert(at, rule);
            let cr = app.compile_rule(at)?;
            app.compiled.rules.insert(at, cr);
            app.refresh_groups()?;
            ok = true;
            Ok(Some(Done::new(
                format!("added rule {id}"),
                format!("removed the new rule {id}"),
            )))
        });
        if ok {
            self.selected[Pane::Rules.index()] = at;
        }
        ok.then_some(effects)
    }

    /// Esc on the condition of a rule just added: the rule goes, and with it
    /// its undo entry (nothing was changed, so there is nothing to undo or
    /// save). The cursor goes back to the rule it was on.
    pub(crate) fn cancel_added_rule(&mut self) -> Vec<Effect> {
        let Some((snapshot, done)) = self.undo.pop() else {
            return vec![];
        };
        self.restore(snapshot);
        let at = self.selected(Pane::Rules);
        self.selected[Pane::Rules.index()] = at.saturating_sub(1);
        let id = done.what.trim_start_matches("added rule ");
        self.info(format!("no rule added ({id} had no condition yet)"));
        self.changed()
    }

    pub(crate) fn duplicate_rule(&mut self, k: usize) -> Vec<Effect> {
        let Some(r) = self.ruleset.rules.get(k) else {
            return vec![];
        };
        let mut copy = r.clone();
        // A copy of a copy is `x-copy-2`, not `x-copy-copy`.
        let stem = r.id.trim_end_matches(|c: char| c.is_ascii_digit());
        let stem = stem
            .strip_suffix("-copy-")
            .or_else(|| r.id.strip_suffix("-copy"))
            .unwrap_or(&r.id);
        copy.id = self.unused_id(&format!("{stem}-copy"));
        copy.span = 0..0;
        let (src, id) = (r.id.clone(), copy.id.clone());
        let effects = self.edit(|app| {
            let cr = app.compiled.rules[k].clone();
            app.ruleset.rules.insert(k + 1, copy);
            app.compiled.rules.insert(k + 1, cr);
            app.refresh_groups()?;
            Ok(Some(Done::new(
                format!("duplicated {src} as {id}"),
                format!("removed the copy {id}"),
            )))
        });
        if self.ruleset.rules.get(k + 1).is_some_and(|r| r.id == id) {
            self.selected[Pane::Rules.index()] = k + 1;
        }
        effects
    }

    pub(crate) fn delete_rule(&mut self, k: usize) -> Vec<Effect> {
        self.edit(|app| {
            if k >= app.ruleset.rules.len() {
                return Err("no rule selected".into());
            }
            let r = app.ruleset.rules.remove(k);
            app.compiled.rules.remove(k);
            app.refresh_groups()?;
            Ok(Some(
                Done::new(
                    format!("deleted rule {} (u undoes)", r.id),
                    format!("restored rule {}", r.id),
                )
                .redone(format!("deleted rule {} again", r.id)),
            ))
        })
    }

    /// Check a condition as typed: `Ok(leads it holds for)` or the error
    /// with its position. Evaluating it over a large table would make typing
    /// wait, so there it is only parsed and type-checked (`Ok(None)`).
    pub fn check_condition(&self, text: &str) -> Result<Option<usize>, crate::cond::CondError> {
        let env = Env {
            table: &self.table,
            as_of: self.compiled.as_of,
            virtuals: &[],
        };
        if self.table.len > LIVE_COUNT_LEADS {
            return Condition::check(text, &env).map(|_| None);
        }
        let c = Condition::compile(text, &env)?;
        Ok(Some(c.set().map_or(0, |s| s.t.count_ones())))
    }

    pub(crate) fn set_condition(&mut self, k: usize, text: &str) -> Vec<Effect> {
        self.edit(|app| {
            let r = app.ruleset.rules.get_mut(k).ok_or("no rule selected")?;
            if r.when.text == text {
                return Ok(None);
            }
            r.when = CondSource {
                text: text.to_string(),
                offset: 0,
                exact: false,
            };
            let id = r.id.clone();
            let cr = app.compile_rule(k)?;
            app.compiled.rules[k] = cr;
            Ok(Some(Done::new(
                format!("{id}: new condition"),
                format!("{id}: old condition back"),
            )))
        })
    }

    pub(crate) fn set_group(&mut self, k: usize, name: &str) -> Vec<Effect> {
        self.edit(|app| {
            let name = name.trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                return Err("a group name may use only a-z, 0-9, `-` and `_`".into());
            }
            if let Some(why) =
                crate::ruleset::group_name_clash(name, app.ruleset.data.id.as_deref())
            {
                return Err(format!("a group may not be called `{name}`: {why}"));
            }
            let r = app.ruleset.rules.get_mut(k).ok_or("no rule selected")?;
            if r.group == name {
                return Ok(None);
            }
            let what = format!("{}: group {} → {}", r.id, r.group, name);
            let undone = format!("{}: back in group {}", r.id, r.group);
            r.group = name.to_string();
            app.refresh_groups()?;
            Ok(Some(Done::new(what, undone)))
        })
    }

    pub(crate) fn set_reason(&mut self, k: usize, text: &str) -> Vec<Effect> {
        self.edit(|app| {
            let r = app.ruleset.rules.get_mut(k).ok_or("no rule selected")?;
            let text = text.trim();
            let new = (!text.is_empty()).then(|| text.to_string());
            if r.reason == new {
                return Ok(None);
            }
            r.reason = new;
            Ok(Some(Done::new(
                format!("{}: new reason", r.id),
                format!("{}: old reason back", r.id),
            )))
        })
    }

    pub(crate) fn rename_rule(&mut self, k: usize, id: &str) -> Vec<Effect> {
        self.edit(|app| {
            let id = id.trim();
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                return Err("ids may use only a-z, 0-9, `-` and `_`".into());
            }
            let old = app
                .ruleset
                .rules
                .get(k)
                .ok_or("no rule selected")?
                .id
                .clone();
            if old == id {
                return Ok(None);
            }
            if app.ruleset.rules.iter().any(|r| r.id == id) {
                return Err(format!(
                    "there is already a rule `{id}`; ids must be unique"
                ));
            }
            app.ruleset.rules[k].id = id.to_string();
            Ok(Some(Done::new(
                format!("renamed {old} → {id}"),
                format!("renamed back {id} → {old}"),
            )))
        })
    }

    /// Compile rule `k` alone.
    fn compile_rule(&self, k: usize) -> Result<Arc<CompiledRule>, String> {
        engine::compile_rule(&self.ruleset, k, &self.table, self.compiled.as_of)
            .map(Arc::new)
            .map_err(|d| first_message(&d))
    }

    /// Recompute each rule's group after groups changed or rules moved.
    pub(crate) fn refresh_groups(&mut self) -> Result<(), String> {
        let mut c = self.compiled.clone();
        c.refresh_groups(&self.ruleset, &self.table)
            .map_err(|d| first_message(&d))?;
        self.compiled = c;
        Ok(())
    }

    /// `base`, or `base-2`, `base-3`, ... whichever no rule uses yet.
    fn unused_id(&self, base: &str) -> String {
        let taken = |id: &str| self.ruleset.rules.iter().any(|r| r.id == id);
        if !taken(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !taken(id))
            .unwrap_or_default()
    }
}

fn first_message(d: &crate::ruleset::Diagnostics) -> String {
    d.0.first()
        .map_or_else(|| "invalid".to_string(), |x| x.message.clone())
}
