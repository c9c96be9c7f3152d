//! The one way leadlab speaks on stderr: errors, warnings and diagnostics.
//! Written without ever panicking (`eprintln!` panics when stderr is full or
//! its reader is gone), and escaped for the terminal, since messages quote
//! values from the user's files.

use crate::fmt::escape;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when something could not be said for a reason other than nobody
/// listening (a full disk): the command then exits 1, as it would had its
/// data output failed.
static LOST: AtomicBool = AtomicBool::new(false);

/// Writes `text` and a line break to stderr. Control characters in it
/// (escape sequences in a quoted cell) are shown as escapes; line breaks are
/// kept. A closed stderr is ignored, like a closed stdout.
pub fn say(text: &str) {
    let mut line = escape::terminal_lines(text).into_owned();
    line.push('\n');
    // One write per message, so messages never interleave mid-line.
    // Stderr is unbuffered: the write is all there is to fail.
    if let Err(e) = std::io::stderr().lock().write_all(line.as_bytes())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        LOST.store(true, Ordering::Relaxed);
    }
}

/// Whether a message was lost to a failing stderr (not a closed one).
pub fn lost() -> bool {
    LOST.load(Ordering::Relaxed)
}
