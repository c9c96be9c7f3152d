//! The terminal side: raw mode and the alternate screen on the way in, put
//! back on every way out (return, error, panic, SIGHUP/SIGTERM), and the
//! event loop.
//!
//! A signal needs nothing saved on the way out (the draft of unsaved edits
//! is written after every edit): the loop stops, the last draft write is
//! waited for, the terminal is put back where it still exists, and the
//! process exits with 128 + the signal's number, as a shell would report.

use super::action::Action;
use super::app::App;
use super::compute;
use super::effect::Runtime;
use super::{keys, view};
use crossterm::event::{self, Event};
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Why the workbench cannot start without a terminal, and what to run instead.
pub fn require_terminal(report_hint: &str) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "leadlab review needs a terminal (stdout is not one); for a report without one, run `{report_hint}`"
        );
    }
    Ok(())
}

/// Restores the terminal when dropped: on return, on `?`, and while a
/// panic unwinds (ratatui's panic hook also restores it before the message
/// is printed, so the message is readable).
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        // After a hang-up there is no terminal to restore, nor to say so on.
        let _ = ratatui::try_restore();
    }
}

/// Run the workbench until the user quits (or a signal stops it).
pub fn run(mut app: App) -> anyhow::Result<()> {
    let mut runtime = Runtime::new(compute::incremental());
    let signal = Arc::new(AtomicUsize::new(0));
    for s in [signal_hook::consts::SIGHUP, signal_hook::consts::SIGTERM] {
        // Without the handler the default still ends the process; the draft is on disk.
        let _ = signal_hook::flag::register_usize(s, signal.clone(), s as usize);
    }
    let result = {
        let mut terminal = ratatui::try_init()?;
        let _restore = Restore;
        event_loop(&mut app, &mut runtime, &mut terminal, &signal)
    };
    runtime.finish();
    let sig = signal.load(Ordering::SeqCst);
    if sig != 0 {
        let kept = match (app.dirty(), app.draft_path()) {
            (true, Some(p)) => format!(
                "; the unsaved edits are kept in {} and offered when the ruleset is next opened",
                p.display()
            ),
            _ => String::new(),
        };
        let _ = writeln!(std::io::stderr(), "leadlab: stopped by signal {sig}{kept}");
        std::process::exit(128 + sig as i32);
    }
    result
}

/// Draw when something changed, turn events into actions, and hand every
/// action to the runtime, which applies it and performs its effects.
fn event_loop(
    app: &mut App,
    runtime: &mut Runtime,
    terminal: &mut ratatui::DefaultTerminal,
    signal: &AtomicUsize,
) -> anyhow::Result<()> {
    let mut redraw = true;
    let mut quit = false;
    while !quit && signal.load(Ordering::SeqCst) == 0 {
        if redraw {
            terminal.draw(|f| view::view(app, f))?;
            redraw = false;
        }
        // While a rescore runs, wake often to turn the indicator and pick up
        // its result; otherwise sleep until a key arrives.
        let wait = if app.busy() {
            Duration::from_millis(40)
        } else {
            Duration::from_millis(500)
        };
        if event::poll(wait)? {
            // Take every event that is waiting before drawing again, so a
            // held key or a fast typist never queues up frames.
            loop {
                let action = match event::read()? {
                    Event::Key(k) => keys::dispatch(app, &k),
                    Event::Resize(_, _) => Some(Action::Resize),
                    _ => None,
                };
                if let Some(a) = action {
                    quit |= runtime.handle(app, a);
                }
                redraw = true;
                if quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        } else if app.busy() {
            quit |= runtime.handle(app, Action::Tick);
            redraw = true;
        }
        if let Some(msg) = runtime.take_draft_error() {
            quit |= runtime.handle(app, Action::DraftNotKept(msg));
            redraw = true;
        }
        loop {
            match runtime.poll_worker() {
                Ok(Some(f)) => {
                    quit |= runtime.handle(app, Action::Computed(Box::new(f)));
                    redraw = true;
                }
                Ok(None) => break,
                Err(_) => {
                    let unsaved = if app.changes.is_empty() {
                        String::new()
                    } else {
                        format!("; unsaved changes: {}", app.changes.join(", "))
                    };
                    anyhow::bail!(
                        "rescoring stopped unexpectedly (a bug in leadlab: please report it){unsaved}"
                    );
                }
            }
        }
    }
    Ok(())
}
