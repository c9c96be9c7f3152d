//! Everything that can happen to the workbench: keys become actions through
//! the key table (keys.rs), and what the effects report (a finished rescore,
//! a written file) arrives as actions too, so [`update`](super::update) is
//! the one place where state changes.

use super::compute::Figures;
use super::saving::Written;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub enum Action {
    // Moving around.
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    NextPane,
    PrevPane,
    /// Show rule reasons instead of ids in the rules pane (and back).
    ToggleLabels,

    // Editing the selected rule or tier.
    /// Change the selected rule's points or tier's threshold by this much.
    Nudge(f64),
    /// Type an exact value for the selected rule's points or tier's threshold.
    EnterValue,
    ToggleRule,
    ResetSelected,
    ResetAll,
    Undo,
    Redo,

    // Authoring rules.
    AddRule,
    DuplicateRule,
    DeleteRule,
    EditCondition,
    EditGroup,
    EditReason,
    EditId,

    // Leads and overlays.
    OpenLedger,
    NextLead,
    PrevLead,
    Help,
    /// Close the open overlay (Esc).
    Close,
    /// Show the model's levers in the rules pane instead of the rules (and back).
    ToggleLevers,

    // Text prompts.
    Submit,
    Insert(char),
    Backspace,
    DeleteChar,
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    ClearLine,

    // Saving and quitting.
    Save,
    Quit,
    /// In the quit dialog: save, then quit.
    SaveAndQuit,
    /// In the quit dialog: quit without saving.
    DiscardAndQuit,
    /// On opening: restore the unsaved edits of the draft found.
    RestoreDraft,
    /// On opening: delete the draft found.
    DiscardDraft,

    // From outside the keyboard.
    /// A rescore finished on the worker.
    Computed(Box<Figures>),
    /// A save's write finished (or failed).
    Written(Box<Written>),
    /// The draft offered on opening was deleted (`error`: why it could not be).
    DraftDiscarded {
        path: PathBuf,
        error: Option<String>,
    },
    /// A draft that could not be restored (`why`) was set aside, kept as `kept`.
    DraftSetAside {
        why: String,
        kept: PathBuf,
    },
    /// The draft of unsaved edits could not be written: why, and what to do.
    DraftNotKept(String),
    /// The terminal was resized (nothing to change: the next frame adapts).
    Resize,
    /// Time passes while a rescore runs (turns the progress indicator).
    Tick,
}
