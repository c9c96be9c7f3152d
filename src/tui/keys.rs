//! The key table: every key the workbench knows, where it applies, what it
//! does and how the help screen describes it. The dispatcher and the help
//! screen both read this one table, so they cannot disagree.

use super::action::Action;
use super::app::{App, Overlay, Pane};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where a key applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The main screen, whatever pane has the focus.
    Main,
    /// The main screen, rules pane.
    Rules,
    /// The main screen, rules or tiers pane (or the levers in the rules pane).
    RulesTiers,
    /// The main screen, false positive or false negative list.
    Leads,
    /// A lead's ledger.
    Ledger,
    /// The help screen.
    Help,
    /// A text prompt (a value, a condition, a note, a path).
    Prompt,
    /// The "save changes?" question when quitting.
    QuitDialog,
    /// The offer of a draft of unsaved edits, on opening.
    DraftDialog,
    /// The main screen, the rules pane showing the model's levers (`m`).
    Levers,
}

impl Context {
    pub fn name(self) -> &'static str {
        match self {
            Context::Main => "anywhere",
            Context::Rules => "rules",
            Context::RulesTiers => "rules, tiers, levers",
            Context::Leads => "lead lists",
            Context::Ledger => "ledger",
            Context::Help => "help",
            Context::Prompt => "typing",
            Context::QuitDialog => "quit dialog",
            Context::DraftDialog => "draft found",
            Context::Levers => "levers",
        }
    }
}

/// A key: its code and whether Ctrl is held. Shift is ignored (it is part of
/// the character: `R`, `+`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Key {
    /// How the help screen writes the key.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Delete".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }

    fn matches(&self, ev: &KeyEvent) -> bool {
        let ev_ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ev_ctrl != self.ctrl || ev.modifiers.contains(KeyModifiers::ALT) {
            return false;
        }
        match (self.code, ev.code) {
            // Ctrl-letter may arrive as either case.
            (KeyCode::Char(a), KeyCode::Char(b)) if self.ctrl => a.eq_ignore_ascii_case(&b),
            (a, b) => a == b,
        }
    }
}

/// One row of the key table.
pub struct Binding {
    pub keys: &'static [Key],
    pub context: Context,
    pub action: Action,
    pub help: &'static str,
}

const fn bind(
    keys: &'static [Key],
    context: Context,
    action: Action,
    help: &'static str,
) -> Binding {
    Binding {
        keys,
        context,
        action,
        help,
    }
}

use Context::*;

/// The key table (SPEC §8). First match wins within a context.
pub static KEYS: &[Binding] = &[
    // Main screen: moving.
    bind(&[code(KeyCode::Up), k('k')], Main, Action::Up, "move up"),
    bind(
        &[code(KeyCode::Down), k('j')],
        Main,
        Action::Down,
        "move down",
    ),
    bind(&[code(KeyCode::PageUp)], Main, Action::PageUp, "page up"),
    bind(
        &[code(KeyCode::PageDown)],
        Main,
        Action::PageDown,
        "page down",
    ),
    bind(&[code(KeyCode::Home)], Main, Action::First, "first row"),
    bind(&[code(KeyCode::End)], Main, Action::Last, "last row"),
    bind(
        &[code(KeyCode::Tab), code(KeyCode::Right), k('l')],
        Main,
        Action::NextPane,
        "next pane",
    ),
    bind(
        &[code(KeyCode::BackTab), code(KeyCode::Left), k('h')],
        Main,
        Action::PrevPane,
        "previous pane",
    ),
    // Rules and tiers: weights and thresholds.
    bind(
        &[k('+'), k('=')],
        RulesTiers,
        Action::Nudge(1.0),
        "points / threshold / lever +1",
    ),
    bind(
        &[k('-')],
        RulesTiers,
        Action::Nudge(-1.0),
        "points / threshold / lever -1",
    ),
    bind(
        &[k(']')],
        RulesTiers,
        Action::Nudge(5.0),
        "points / threshold / lever +5",
    ),
    bind(
        &[k('[')],
        RulesTiers,
        Action::Nudge(-5.0),
        "points / threshold / lever -5",
    ),
    bind(
        &[code(KeyCode::Enter)],
        RulesTiers,
        Action::EnterValue,
        "type an exact value",
    ),
    bind(
        &[k('0')],
        RulesTiers,
        Action::ResetSelected,
        "reset the rule, tier or lever to baseline",
    ),
    bind(&[k(' ')], Rules, Action::ToggleRule, "turn the rule on/off"),
    // Rules: authoring.
    bind(
        &[k('a')],
        Rules,
        Action::AddRule,
        "add a rule (below the selected one)",
    ),
    bind(
        &[k('D')],
        Rules,
        Action::DuplicateRule,
        "duplicate the rule",
    ),
    bind(
        &[k('x'), code(KeyCode::Delete)],
        Rules,
        Action::DeleteRule,
        "delete the rule",
    ),
    bind(
        &[k('e')],
        Rules,
        Action::EditCondition,
        "edit the rule's condition (`when`)",
    ),
    bind(&[k('g')], Rules, Action::EditGroup, "edit the rule's group"),
    bind(
        &[k('r')],
        Rules,
        Action::EditReason,
        "edit the rule's reason",
    ),
    bind(
        &[k('i')],
        Rules,
        Action::EditId,
        "rename a new rule (its id)",
    ),
    bind(
        &[k('v')],
        Rules,
        Action::ToggleLabels,
        "show reasons instead of ids (and back)",
    ),
    bind(
        &[k('m')],
        Rules,
        Action::ToggleLevers,
        "levers: caps, floors, qualified, bands, range",
    ),
    bind(&[k('m')], Levers, Action::ToggleLevers, "back to the rules"),
    // Lead lists.
    bind(
        &[code(KeyCode::Enter)],
        Leads,
        Action::OpenLedger,
        "open the lead's ledger",
    ),
    // Main screen: anywhere.
    bind(&[k('u')], Main, Action::Undo, "undo"),
    bind(&[ctrl('r')], Main, Action::Redo, "redo"),
    bind(
        &[k('R')],
        Main,
        Action::ResetAll,
        "reset everything to baseline (undoable)",
    ),
    bind(&[k('s')], Main, Action::Save, "save (asks for a note)"),
    bind(&[k('?')], Main, Action::Help, "help: this list"),
    bind(
        &[k('q'), ctrl('c')],
        Main,
        Action::Quit,
        "quit (asks when there are unsaved changes)",
    ),
    // The ledger.
    bind(
        &[code(KeyCode::Up), k('k')],
        Ledger,
        Action::Up,
        "scroll up",
    ),
    bind(
        &[code(KeyCode::Down), k('j')],
        Ledger,
        Action::Down,
        "scroll down",
    ),
    bind(&[code(KeyCode::PageUp)], Ledger, Action::PageUp, "page up"),
    bind(
        &[code(KeyCode::PageDown), k(' ')],
        Ledger,
        Action::PageDown,
        "page down",
    ),
    bind(
        &[k('n'), code(KeyCode::Right)],
        Ledger,
        Action::NextLead,
        "next lead in the list",
    ),
    bind(
        &[k('p'), code(KeyCode::Left)],
        Ledger,
        Action::PrevLead,
        "previous lead in the list",
    ),
    bind(
        &[code(KeyCode::Esc), code(KeyCode::Enter), k('q'), ctrl('c')],
        Ledger,
        Action::Close,
        "close the ledger",
    ),
    // Help.
    bind(&[code(KeyCode::Up), k('k')], Help, Action::Up, "scroll up"),
    bind(
        &[code(KeyCode::Down), k('j')],
        Help,
        Action::Down,
        "scroll down",
    ),
    bind(&[code(KeyCode::PageUp)], Help, Action::PageUp, "page up"),
    bind(
        &[code(KeyCode::PageDown), k(' ')],
        Help,
        Action::PageDown,
        "page down",
    ),
    bind(
        &[code(KeyCode::Esc), k('?'), k('q'), ctrl('c')],
        Help,
        Action::Close,
        "close help",
    ),
    // Prompts.
    bind(
        &[code(KeyCode::Enter)],
        Prompt,
        Action::Submit,
        "accept (a condition only when it is valid)",
    ),
    bind(
        &[code(KeyCode::Esc), ctrl('c')],
        Prompt,
        Action::Close,
        "cancel (nothing changes)",
    ),
    bind(
        &[code(KeyCode::Left)],
        Prompt,
        Action::CursorLeft,
        "cursor left",
    ),
    bind(
        &[code(KeyCode::Right)],
        Prompt,
        Action::CursorRight,
        "cursor right",
    ),
    bind(
        &[code(KeyCode::Home), ctrl('a')],
        Prompt,
        Action::CursorHome,
        "start of line",
    ),
    bind(
        &[code(KeyCode::End), ctrl('e')],
        Prompt,
        Action::CursorEnd,
        "end of line",
    ),
    bind(
        &[code(KeyCode::Backspace)],
        Prompt,
        Action::Backspace,
        "delete before the cursor",
    ),
    bind(
        &[code(KeyCode::Delete)],
        Prompt,
        Action::DeleteChar,
        "delete at the cursor",
    ),
    bind(&[ctrl('u')], Prompt, Action::ClearLine, "clear the line"),
    // Quit dialog.
    bind(
        &[k('s'), k('y')],
        QuitDialog,
        Action::SaveAndQuit,
        "save, then quit",
    ),
    bind(
        &[k('d'), k('n')],
        QuitDialog,
        Action::DiscardAndQuit,
        "discard the changes and quit",
    ),
    bind(
        &[k('c'), code(KeyCode::Esc), ctrl('c')],
        QuitDialog,
        Action::Close,
        "cancel: back to the workbench",
    ),
    // Draft offer.
    bind(
        &[k('y'), k('r')],
        DraftDialog,
        Action::RestoreDraft,
        "restore the unsaved edits of the draft",
    ),
    bind(
        &[k('n'), k('d')],
        DraftDialog,
        Action::DiscardDraft,
        "discard the draft (delete it)",
    ),
    bind(
        &[k('q'), ctrl('c')],
        DraftDialog,
        Action::Quit,
        "quit, keeping the draft for next time",
    ),
];

/// The contexts that apply now, most specific first.
fn contexts(app: &App) -> &'static [Context] {
    match &app.overlay {
        Overlay::Help { .. } => &[Help],
        Overlay::Ledger(_) => &[Ledger],
        Overlay::Prompt(_) => &[Prompt],
        Overlay::QuitDialog => &[QuitDialog],
        Overlay::DraftOffer(_) => &[DraftDialog],
        Overlay::None => match app.pane {
            Pane::Rules if app.show_levers => &[Levers, RulesTiers, Main],
            Pane::Rules => &[Rules, RulesTiers, Main],
            Pane::Tiers => &[RulesTiers, Main],
            Pane::FalsePositives | Pane::FalseNegatives => &[Leads, Main],
        },
    }
}

/// The action a key stands for in the workbench's current state.
pub fn dispatch(app: &App, ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    for ctx in contexts(app) {
        for b in KEYS.iter().filter(|b| b.context == *ctx) {
            if b.keys.iter().any(|key| key.matches(ev)) {
                return Some(b.action.clone());
            }
        }
    }
    // In a prompt, any other character is typed.
    if matches!(app.overlay, Overlay::Prompt(_))
        && let KeyCode::Char(c) = ev.code
        && !ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return Some(Action::Insert(c));
    }
    None
}

/// The order in which help lists the contexts.
pub const CONTEXT_ORDER: [Context; 10] = [
    Main,
    RulesTiers,
    Rules,
    Levers,
    Leads,
    Ledger,
    Help,
    Prompt,
    QuitDialog,
    DraftDialog,
];

/// The key table in help order (by context, then table order).
pub fn in_help_order() -> impl Iterator<Item = &'static Binding> {
    CONTEXT_ORDER
        .into_iter()
        .flat_map(|c| KEYS.iter().filter(move |b| b.context == c))
}

/// The key table as rows of (keys, where, what), for the help screen and the README.
pub fn help_rows() -> Vec<(String, &'static str, &'static str)> {
    in_help_order()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(Key::label).collect();
            (keys.join(" "), b.context.name(), b.help)
        })
        .collect()
}

/// The key table as a markdown table (for the README).
pub fn markdown() -> String {
    let mut out = String::from("| keys | where | does |\n|---|---|---|\n");
    for (keys, ctx, help) in help_rows() {
        let keys: Vec<String> = keys
            .split(' ')
            .map(|k| format!("`{}`", if k == "|" { "\\|" } else { k }))
            .collect();
        out.push_str(&format!("| {} | {ctx} | {help} |\n", keys.join(" ")));
    }
    out.push_str("| any character | typing | inserted at the cursor |\n");
    out
}
