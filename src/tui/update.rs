//! `update`: the one place where the workbench's state changes, one action
//! at a time. It returns what should happen outside the model as
//! [`Effect`]s, for the loop's [`Runtime`](super::effect::Runtime) to perform.

use super::action::Action;
use super::app::{App, CondCheck, LedgerView, Overlay, Pane, Prompt, PromptKind, StatusKind};
use super::effect::Effect;
use crate::engine::explain;
use crate::fmt::fmt_num;

/// Apply one action to the workbench; what it asks of the world is returned.
#[must_use = "effects do nothing until the runtime performs them"]
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Computed(f) => {
            apply_figures(app, *f);
            return vec![];
        }
        Action::Written(w) => return app.written(*w),
        Action::DraftDiscarded { path, error: None } => {
            app.info(format!("draft discarded ({} removed)", path.display()));
            return vec![];
        }
        Action::DraftDiscarded {
            path,
            error: Some(e),
        } => {
            app.error(format!("cannot remove {}: {e}", path.display()));
            return vec![];
        }
        Action::DraftSetAside { why, kept } => {
            app.error(format!("{why}; it is kept as {}", kept.display()));
            return vec![];
        }
        Action::DraftNotKept(msg) => {
            app.error(msg);
            return vec![];
        }
        Action::Resize => return vec![],
        Action::Tick => {
            app.ticks = app.ticks.wrapping_add(1);
            return vec![];
        }
        _ => {}
    }
    match app.overlay {
        Overlay::Prompt(_) => prompt(app, action),
        Overlay::Help { .. } => {
            help(app, action);
            vec![]
        }
        Overlay::Ledger(_) => {
            ledger(app, action);
            vec![]
        }
        Overlay::QuitDialog => quit_dialog(app, action),
        Overlay::DraftOffer(_) => draft_dialog(app, action),
        Overlay::None => main(app, action),
    }
}

/// A finished rescore: shown only if it is for the newest edit (an older one
/// would show figures of a ruleset that is no longer on screen).
fn apply_figures(app: &mut App, f: super::compute::Figures) {
    if f.generation != app.generation {
        return;
    }
    app.figures = f;
    app.clamp_selection();
    // An open ledger follows the new figures.
    if let Overlay::Ledger(v) = &mut app.overlay {
        let f = &app.figures;
        v.ledger = explain(&f.compiled, &f.ruleset, &app.table, v.lead);
    }
}

fn main(app: &mut App, action: Action) -> Vec<Effect> {
    if app.pane == Pane::Rules && app.show_levers {
        match action {
            Action::Up => app.lever_selected = app.lever_selected.saturating_sub(1),
            Action::Down => app.lever_selected = app.lever_selected.saturating_add(1),
            Action::PageUp => app.lever_selected = app.lever_selected.saturating_sub(app.page),
            Action::PageDown => app.lever_selected = app.lever_selected.saturating_add(app.page),
            Action::First => app.lever_selected = 0,
            Action::Last => app.lever_selected = usize::MAX,
            Action::EnterValue => app.enter_lever(),
            // What acts on one rule has no rule to act on here.
            Action::ToggleRule
            | Action::AddRule
            | Action::DuplicateRule
            | Action::DeleteRule
            | Action::EditCondition
            | Action::EditGroup
            | Action::EditReason
            | Action::EditId
            | Action::ToggleLabels => {}
            _ => return main_any(app, action),
        }
        app.clamp_selection();
        return vec![];
    }
    main_any(app, action)
}

fn main_any(app: &mut App, action: Action) -> Vec<Effect> {
    let pane = app.pane;
    let sel = app.selected(pane);
    match action {
        Action::Up => move_to(app, sel.saturating_sub(1)),
        Action::Down => move_to(app, sel + 1),
        Action::PageUp => move_to(app, sel.saturating_sub(app.page)),
        Action::PageDown => move_to(app, sel + app.page),
        Action::First => move_to(app, 0),
        Action::Last => move_to(app, usize::MAX),
        Action::NextPane => app.pane = Pane::ALL[(pane.index() + 1) % Pane::ALL.len()],
        Action::PrevPane => {
            app.pane = Pane::ALL[(pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
        }
        Action::ToggleLabels => app.show_reasons = !app.show_reasons,
        Action::ToggleLevers => app.toggle_levers(),
        Action::Nudge(d) => return app.nudge(d),
        Action::EnterValue => match pane {
            Pane::Rules => {
                if let Some(r) = app.ruleset.rules.get(sel) {
                    let v = fmt_num(r.points);
                    app.open_prompt(PromptKind::Points(sel), &v);
                }
            }
            Pane::Tiers => {
                if let Some(t) = app.ruleset.tiers.get(sel) {
                    let v = t.min.map(fmt_num).unwrap_or_default();
                    app.open_prompt(PromptKind::TierMin(sel), &v);
                }
            }
            _ => {}
        },
        Action::ToggleRule if pane == Pane::Rules => return app.toggle_rule(sel),
        Action::ResetSelected => return app.reset_selected(),
        Action::ResetAll => return app.reset_all(),
        Action::Undo => return app.undo(),
        Action::Redo => return app.redo(),
        Action::AddRule if pane == Pane::Rules => return add_rule(app),
        Action::DuplicateRule if pane == Pane::Rules => return app.duplicate_rule(sel),
        Action::DeleteRule if pane == Pane::Rules => return app.delete_rule(sel),
        Action::EditCondition if pane == Pane::Rules => {
            if let Some(r) = app.ruleset.rules.get(sel) {
                let text = one_line(&r.when.text);
                app.open_prompt(PromptKind::Condition(sel), &text);
            }
        }
        Action::EditGroup if pane == Pane::Rules => {
            if let Some(r) = app.ruleset.rules.get(sel) {
                let g = r.group.clone();
                app.open_prompt(PromptKind::Group(sel), &g);
            }
        }
        Action::EditReason if pane == Pane::Rules => {
            if let Some(r) = app.ruleset.rules.get(sel) {
                let t = r.reason.clone().unwrap_or_default();
                app.open_prompt(PromptKind::Reason(sel), &t);
            }
        }
        Action::EditId if pane == Pane::Rules => {
            if let Some(r) = app.ruleset.rules.get(sel) {
                if app.baseline_rule(sel).is_some() {
                    app.error(format!(
                        "{} is in the file: its id is how the file and the changelog know it, so only new rules can be renamed",
                        r.id
                    ));
                } else {
                    let id = r.id.clone();
                    app.open_prompt(PromptKind::RuleId(sel), &id);
                }
            }
        }
        Action::OpenLedger => open_ledger(app, pane, sel),
        Action::Help => app.overlay = Overlay::Help { scroll: 0 },
        Action::Save => return app.begin_save(),
        Action::Quit => {
            if app.dirty() {
                app.overlay = Overlay::QuitDialog;
            } else {
                return vec![Effect::Quit];
            }
        }
        _ => {}
    }
    vec![]
}

/// Add a rule and open its condition at once: a new rule fires on no lead
/// until it has one.
fn add_rule(app: &mut App) -> Vec<Effect> {
    let Some(effects) = app.add_rule() else {
        return vec![];
    };
    let k = app.selected(Pane::Rules);
    app.open_prompt(PromptKind::Condition(k), "");
    if let Overlay::Prompt(p) = &mut app.overlay {
        p.adding = true;
    }
    effects
}

fn move_to(app: &mut App, row: usize) {
    let n = app.rows(app.pane);
    app.selected[app.pane.index()] = row.min(n.saturating_sub(1));
}

fn open_ledger(app: &mut App, list: Pane, index: usize) {
    let Some(&lead) = app.leads(list).get(index) else {
        return;
    };
    let f = &app.figures;
    let ledger = explain(&f.compiled, &f.ruleset, &app.table, lead);
    app.overlay = Overlay::Ledger(Box::new(LedgerView {
        list,
        lead,
        ledger,
        outcome: app.table.outcome.get(lead).copied().flatten(),
        scroll: 0,
    }));
}

fn ledger(app: &mut App, action: Action) {
    let Overlay::Ledger(v) = &mut app.overlay else {
        return;
    };
    match action {
        Action::Up => v.scroll = v.scroll.saturating_sub(1),
        Action::Down => v.scroll += 1,
        Action::PageUp => v.scroll = v.scroll.saturating_sub(app.page),
        Action::PageDown => v.scroll += app.page,
        Action::NextLead | Action::PrevLead => {
            let list = v.list;
            let n = app.leads(list).len();
            let i = app.selected(list);
            let next = if matches!(action, Action::NextLead) {
                (i + 1).min(n.saturating_sub(1))
            } else {
                i.saturating_sub(1)
            };
            app.selected[list.index()] = next;
            open_ledger(app, list, next);
        }
        Action::Close => app.overlay = Overlay::None,
        _ => {}
    }
}

fn help(app: &mut App, action: Action) {
    let Overlay::Help { scroll } = &mut app.overlay else {
        return;
    };
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll += 1,
        Action::PageUp => *scroll = scroll.saturating_sub(app.page),
        Action::PageDown => *scroll += app.page,
        Action::Close => app.overlay = Overlay::None,
        _ => {}
    }
}

fn quit_dialog(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::SaveAndQuit => {
            app.overlay = Overlay::None;
            app.quit_after_save = true;
            app.begin_save()
        }
        Action::DiscardAndQuit => {
            // Discarding is a decision: the draft of the edits goes too.
            let draft = app.draft_path.clone().map(Effect::RemoveDraft);
            draft.into_iter().chain([Effect::Quit]).collect()
        }
        Action::Close => {
            app.overlay = Overlay::None;
            vec![]
        }
        _ => vec![],
    }
}

/// The draft offer on opening: restore, discard, or quit and decide later.
fn draft_dialog(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::RestoreDraft => app.restore_draft(),
        Action::DiscardDraft => app.discard_draft(),
        Action::Quit => vec![Effect::Quit],
        _ => vec![],
    }
}

fn prompt(app: &mut App, action: Action) -> Vec<Effect> {
    let Overlay::Prompt(p) = &mut app.overlay else {
        return vec![];
    };
    match action {
        Action::Insert(c) => p.text_box.insert(c),
        Action::Backspace => p.text_box.backspace(),
        Action::DeleteChar => p.text_box.delete(),
        Action::CursorLeft => p.text_box.left(),
        Action::CursorRight => p.text_box.right(),
        Action::CursorHome => p.text_box.home(),
        Action::CursorEnd => p.text_box.end(),
        Action::ClearLine => p.text_box.clear(),
        Action::Close => {
            let adding = p.adding;
            if matches!(p.kind, PromptKind::Note | PromptKind::SavePath { .. }) {
                app.quit_after_save = false;
                app.info("not saved");
            }
            app.overlay = Overlay::None;
            return if adding {
                app.cancel_added_rule()
            } else {
                vec![]
            };
        }
        Action::Submit => return submit(app),
        _ => return vec![],
    }
    let mut p = match std::mem::replace(&mut app.overlay, Overlay::None) {
        Overlay::Prompt(p) => p,
        other => {
            app.overlay = other;
            return vec![];
        }
    };
    p.error = None;
    app.recheck(&mut p);
    app.overlay = Overlay::Prompt(p);
    vec![]
}

impl App {
    /// Check a condition prompt's text as typed.
    pub(crate) fn recheck(&self, p: &mut Prompt) {
        if let PromptKind::Condition(_) = p.kind {
            p.check = Some(match self.check_condition(p.text_box.text()) {
                Ok(fires) => CondCheck::Valid { fires },
                Err(e) => CondCheck::Invalid(e),
            });
        }
    }
}

/// Enter in a prompt: apply the value if it is valid, else say why and keep
/// the prompt open.
fn submit(app: &mut App) -> Vec<Effect> {
    let Overlay::Prompt(p) = std::mem::replace(&mut app.overlay, Overlay::None) else {
        return vec![];
    };
    let text = p.text_box.text().to_string();
    let reject = |app: &mut App, mut p: Box<Prompt>, msg: &str| -> Vec<Effect> {
        p.error = Some(msg.to_string());
        app.overlay = Overlay::Prompt(p);
        vec![]
    };
    match p.kind.clone() {
        PromptKind::Points(k) => match parse_number(&text) {
            Ok(v) => app.set_points(k, v),
            Err(None) => reject(app, p, "type a number, like 15, -5 or 2.5"),
            Err(Some(msg)) => reject(app, p, &msg),
        },
        PromptKind::TierMin(k) => match parse_number(&text) {
            Ok(v) => app.set_tier_min(k, v),
            Err(None) => reject(app, p, "type a number, like 70"),
            Err(Some(msg)) => reject(app, p, &msg),
        },
        PromptKind::Condition(k) => match app.check_condition(&text) {
            Ok(_) => {
                // Unchanged apart from line breaks: keep the file's layout.
                let same = app
                    .ruleset
                    .rules
                    .get(k)
                    .is_some_and(|r| one_line(&r.when.text) == text);
                if same {
                    vec![]
                } else {
                    app.set_condition(k, &text)
                }
            }
            Err(_) => reject(
                app,
                p,
                "the condition is not valid yet: fix it (the old one stays in force) or Esc",
            ),
        },
        PromptKind::Group(k) => {
            let effects = app.set_group(k, &text);
            if matches!(app.status, Some((_, StatusKind::Error))) {
                let msg = app.status.take().map(|s| s.0).unwrap_or_default();
                return reject(app, p, &msg);
            }
            effects
        }
        PromptKind::Reason(k) => app.set_reason(k, &text),
        PromptKind::Lever(lever) => match app.submit_lever(&lever, &text) {
            Ok(effects) => effects,
            Err(msg) => {
                app.status = None;
                reject(app, p, &msg)
            }
        },
        PromptKind::RuleId(k) => {
            let effects = app.rename_rule(k, &text);
            if matches!(app.status, Some((_, StatusKind::Error))) {
                let msg = app.status.take().map(|s| s.0).unwrap_or_default();
                return reject(app, p, &msg);
            }
            effects
        }
        PromptKind::Note => {
            let note = text.trim().to_string();
            if note.is_empty() {
                reject(
                    app,
                    p,
                    "write a short note for the changelog (why you changed it)",
                )
            } else {
                app.save_with_note(note)
            }
        }
        PromptKind::SavePath { note } => app.save_as(note, &text),
    }
}

/// A typed number, or why not: `Err(None)` when it is not a number at all,
/// `Err(Some(message))` when it is one the ruleset may not hold (the
/// loader's rule, [`crate::ruleset::number_problem`]).
fn parse_number(s: &str) -> Result<f64, Option<String>> {
    let v = s
        .trim()
        .trim_start_matches('+')
        .parse::<f64>()
        .map_err(|_| None)?;
    match crate::ruleset::number_problem(v) {
        None => Ok(v),
        Some(problem) => Err(Some(format!(
            "{} {problem}: {}",
            s.trim(),
            crate::ruleset::NUMBER_RULE
        ))),
    }
}

/// A condition on one line for the editor: line breaks (and the indentation
/// after them) become one space.
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut lines = s.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line.trim_end());
        if lines.peek().is_some() {
            out.push(' ');
            // The next line's indentation goes with the break.
        }
        if let Some(next) = lines.peek_mut() {
            *next = next.trim_start();
        }
    }
    out.trim().to_string()
}
