//! The terminal side: raw mode and the alternate screen on the way in, put
//! back on every way out (return, error, panic), and the event loop.

use super::action::Action;
use super::app::App;
use super::{keys, update, view};
use crossterm::event::{self, Event};
use std::io::IsTerminal;
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
        ratatui::restore();
    }
}

/// Run the workbench until the user quits.
pub fn run(mut app: App) -> anyhow::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore;
    let mut redraw = true;
    while !app.quit {
        if redraw {
            terminal.draw(|f| view::view(&app, f))?;
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
                match event::read()? {
                    Event::Key(k) => {
                        if let Some(a) = keys::dispatch(&app, &k) {
                            update(&mut app, a);
                        }
                    }
                    Event::Resize(_, _) => update(&mut app, Action::Resize),
                    _ => {}
                }
                redraw = true;
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        } else if app.busy() {
            update(&mut app, Action::Tick);
            redraw = true;
        }
        loop {
            match app.poll_worker() {
                Ok(Some(f)) => {
                    update(&mut app, Action::Computed(Box::new(f)));
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
